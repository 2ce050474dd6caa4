//! The policy's table: one row per documented (step, HTTP status, UCWA subcode) and the action
//! [`decide`](super::decide) must give. Rows come from each resource's "Synchronous errors" table
//! in Microsoft's UCWA 2.0 reference (named above each group), and from the pairs that apply to
//! every resource (GenericSynchronousErrors, the status table of ErrorsAndInformationalMessages,
//! 401 with the MsRtcOAuth challenge). The OAuth service's errors, which carry an `error` code
//! rather than a subcode, are in [`TOKEN_ROWS`]. Written by hand: src/protocol/failure.rs is
//! checked against it, not the other way round.

use super::*;

/// The kind of [`Action`] a row expects (the reasons are checked in the unit tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expect {
    /// [`Action::Proceed`]
    Proceed,
    /// [`Action::Retry`]
    Retry,
    /// [`Action::WaitForNetwork`]
    WaitForNetwork,
    /// [`Action::SignIn`]
    SignIn,
    /// [`Action::AskCredentials`]
    AskCredentials,
    /// [`Action::RecreateApplication`]
    RecreateApplication,
    /// [`Action::RecreateSubscription`]
    RecreateSubscription,
    /// [`Action::MakeMeAvailable`]
    MakeMeAvailable,
    /// [`Action::GiveUp`]
    GiveUp,
    /// [`Action::Stop`]
    Stop,
}

use Expect as E;
use Step::*;

pub(super) const ALL_STEPS: [Step; 17] = [
    Discover,
    GetUser,
    Token,
    CreateApplication,
    ProbeApplication,
    MakeMeAvailable,
    ReadMe,
    EventsGet,
    Subscribe,
    AddMembers,
    ListMemberships,
    DeleteMembership,
    DeleteSubscription,
    ExtendSubscription,
    PresenceGet,
    SetPresence,
    ReportActivity,
];

fn expect_of(action: &Action) -> Expect {
    match action {
        Action::Proceed => E::Proceed,
        Action::Retry => E::Retry,
        Action::WaitForNetwork => E::WaitForNetwork,
        Action::SignIn => E::SignIn,
        Action::AskCredentials(_) => E::AskCredentials,
        Action::RecreateApplication => E::RecreateApplication,
        Action::RecreateSubscription => E::RecreateSubscription,
        Action::MakeMeAvailable => E::MakeMeAvailable,
        Action::GiveUp(_) => E::GiveUp,
        Action::Stop(_) => E::Stop,
    }
}

/// (step, status, subcode, expected action).
const ROWS: &[(Step, u16, Option<&str>, Expect)] = &[
    // Discover: root_ref GET
    (
        Discover,
        500,
        Some("InvalidExchangeServerVersion"),
        E::Retry,
    ),
    (Discover, 409, Some("AlreadyExists"), E::Retry),
    (Discover, 409, Some("TooManyGroups"), E::Stop),
    (Discover, 409, None, E::Retry),
    (Discover, 410, Some("CannotRedirect"), E::Stop),
    (Discover, 400, None, E::Stop),
    (Discover, 400, Some("ParameterValidationFailure"), E::Stop),
    (Discover, 400, Some("DeserializationFailure"), E::Stop),
    (Discover, 401, None, E::SignIn),
    (
        Discover,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (Discover, 404, Some("ApplicationNotFound"), E::Stop),
    (Discover, 404, Some("ResourceNotFound"), E::Stop),
    (Discover, 405, Some("MethodNotAllowed"), E::Stop),
    (Discover, 408, None, E::Retry),
    (
        Discover,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (Discover, 410, Some("TooManyApplications"), E::Stop),
    (Discover, 412, Some("PreconditionFailed"), E::Stop),
    (Discover, 413, Some("EntityTooLarge"), E::Stop),
    (Discover, 415, Some("UnsupportedMediaType"), E::Stop),
    (Discover, 428, Some("PreconditionRequired"), E::Stop),
    (Discover, 429, None, E::Retry),
    (Discover, 500, Some("ServiceFailure"), E::Retry),
    (Discover, 500, Some("ExchangeServiceFailure"), E::Retry),
    (Discover, 503, None, E::Retry),
    (Discover, 504, Some("ServiceTimeout"), E::Retry),
    // GetUser: user_ref GET
    (GetUser, 500, Some("InvalidExchangeServerVersion"), E::Retry),
    (GetUser, 409, Some("AlreadyExists"), E::Retry),
    (GetUser, 409, Some("TooManyGroups"), E::Stop),
    (GetUser, 409, None, E::Retry),
    (GetUser, 410, Some("CannotRedirect"), E::Stop),
    (GetUser, 400, None, E::Stop),
    (GetUser, 400, Some("ParameterValidationFailure"), E::Stop),
    (GetUser, 400, Some("DeserializationFailure"), E::Stop),
    (GetUser, 401, None, E::SignIn),
    (
        GetUser,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (GetUser, 404, Some("ApplicationNotFound"), E::Stop),
    (GetUser, 404, Some("ResourceNotFound"), E::Stop),
    (GetUser, 405, Some("MethodNotAllowed"), E::Stop),
    (GetUser, 408, None, E::Retry),
    (
        GetUser,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (GetUser, 410, Some("TooManyApplications"), E::Stop),
    (GetUser, 412, Some("PreconditionFailed"), E::Stop),
    (GetUser, 413, Some("EntityTooLarge"), E::Stop),
    (GetUser, 415, Some("UnsupportedMediaType"), E::Stop),
    (GetUser, 428, Some("PreconditionRequired"), E::Stop),
    (GetUser, 429, None, E::Retry),
    (GetUser, 500, Some("ServiceFailure"), E::Retry),
    (GetUser, 500, Some("ExchangeServiceFailure"), E::Retry),
    (GetUser, 503, None, E::Retry),
    (GetUser, 504, Some("ServiceTimeout"), E::Retry),
    // Token: AuthenticationInUCWA (the OAuth errors are in TOKEN_ROWS)
    (Token, 400, None, E::AskCredentials),
    (
        Token,
        400,
        Some("ParameterValidationFailure"),
        E::AskCredentials,
    ),
    (
        Token,
        400,
        Some("DeserializationFailure"),
        E::AskCredentials,
    ),
    (Token, 401, None, E::AskCredentials),
    (
        Token,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::AskCredentials,
    ),
    (Token, 404, Some("ApplicationNotFound"), E::Stop),
    (Token, 404, Some("ResourceNotFound"), E::Stop),
    (Token, 405, Some("MethodNotAllowed"), E::AskCredentials),
    (Token, 408, None, E::AskCredentials),
    (
        Token,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (Token, 410, Some("TooManyApplications"), E::Stop),
    (Token, 412, Some("PreconditionFailed"), E::AskCredentials),
    (Token, 413, Some("EntityTooLarge"), E::AskCredentials),
    (Token, 415, Some("UnsupportedMediaType"), E::AskCredentials),
    (Token, 428, Some("PreconditionRequired"), E::AskCredentials),
    (Token, 429, None, E::AskCredentials),
    (Token, 500, Some("ServiceFailure"), E::AskCredentials),
    (
        Token,
        500,
        Some("ExchangeServiceFailure"),
        E::AskCredentials,
    ),
    (Token, 503, None, E::AskCredentials),
    (Token, 504, Some("ServiceTimeout"), E::AskCredentials),
    // CreateApplication: applications_ref POST
    (CreateApplication, 403, None, E::Stop),
    (
        CreateApplication,
        500,
        Some("CallbackChannelError"),
        E::Retry,
    ),
    (CreateApplication, 409, Some("AlreadyExists"), E::Retry),
    (CreateApplication, 409, Some("TooManyGroups"), E::Stop),
    (CreateApplication, 409, None, E::Retry),
    (CreateApplication, 410, Some("CannotRedirect"), E::Stop),
    (CreateApplication, 400, None, E::Stop),
    (
        CreateApplication,
        400,
        Some("ParameterValidationFailure"),
        E::Stop,
    ),
    (
        CreateApplication,
        400,
        Some("DeserializationFailure"),
        E::Stop,
    ),
    (CreateApplication, 401, None, E::SignIn),
    (
        CreateApplication,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (CreateApplication, 404, Some("ApplicationNotFound"), E::Stop),
    (CreateApplication, 404, Some("ResourceNotFound"), E::Stop),
    (CreateApplication, 405, Some("MethodNotAllowed"), E::Stop),
    (CreateApplication, 408, None, E::Retry),
    (
        CreateApplication,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (CreateApplication, 410, Some("TooManyApplications"), E::Stop),
    (CreateApplication, 412, Some("PreconditionFailed"), E::Stop),
    (CreateApplication, 413, Some("EntityTooLarge"), E::Stop),
    (
        CreateApplication,
        415,
        Some("UnsupportedMediaType"),
        E::Stop,
    ),
    (
        CreateApplication,
        428,
        Some("PreconditionRequired"),
        E::Stop,
    ),
    (CreateApplication, 429, None, E::Retry),
    (CreateApplication, 500, Some("ServiceFailure"), E::Retry),
    (
        CreateApplication,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (CreateApplication, 503, None, E::Retry),
    (CreateApplication, 504, Some("ServiceTimeout"), E::Retry),
    // ProbeApplication: application_ref GET
    (
        ProbeApplication,
        500,
        Some("InvalidExchangeServerVersion"),
        E::Retry,
    ),
    (ProbeApplication, 409, Some("AlreadyExists"), E::Retry),
    (ProbeApplication, 409, Some("TooManyGroups"), E::Stop),
    (ProbeApplication, 409, None, E::Retry),
    (ProbeApplication, 410, Some("CannotRedirect"), E::Stop),
    (ProbeApplication, 400, None, E::Stop),
    (
        ProbeApplication,
        400,
        Some("ParameterValidationFailure"),
        E::Stop,
    ),
    (
        ProbeApplication,
        400,
        Some("DeserializationFailure"),
        E::Stop,
    ),
    (ProbeApplication, 401, None, E::SignIn),
    (
        ProbeApplication,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (
        ProbeApplication,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        ProbeApplication,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (ProbeApplication, 405, Some("MethodNotAllowed"), E::Stop),
    (ProbeApplication, 408, None, E::Retry),
    (
        ProbeApplication,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (ProbeApplication, 410, Some("TooManyApplications"), E::Stop),
    (ProbeApplication, 412, Some("PreconditionFailed"), E::Stop),
    (ProbeApplication, 413, Some("EntityTooLarge"), E::Stop),
    (ProbeApplication, 415, Some("UnsupportedMediaType"), E::Stop),
    (ProbeApplication, 428, Some("PreconditionRequired"), E::Stop),
    (ProbeApplication, 429, None, E::Retry),
    (ProbeApplication, 500, Some("ServiceFailure"), E::Retry),
    (
        ProbeApplication,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (ProbeApplication, 503, None, E::Retry),
    (ProbeApplication, 504, Some("ServiceTimeout"), E::Retry),
    // MakeMeAvailable: makeMeAvailable_ref POST
    (MakeMeAvailable, 403, None, E::Stop),
    (MakeMeAvailable, 403, Some("AnonymousNotAllowed"), E::Stop),
    (MakeMeAvailable, 500, Some("CallbackChannelError"), E::Retry),
    (MakeMeAvailable, 409, Some("AlreadyExists"), E::Proceed),
    (MakeMeAvailable, 409, Some("TooManyGroups"), E::Stop),
    (MakeMeAvailable, 409, None, E::Proceed),
    (MakeMeAvailable, 410, Some("CannotRedirect"), E::Stop),
    (MakeMeAvailable, 400, None, E::Stop),
    (
        MakeMeAvailable,
        400,
        Some("ParameterValidationFailure"),
        E::Stop,
    ),
    (
        MakeMeAvailable,
        400,
        Some("DeserializationFailure"),
        E::Stop,
    ),
    (MakeMeAvailable, 401, None, E::SignIn),
    (
        MakeMeAvailable,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (
        MakeMeAvailable,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        MakeMeAvailable,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (MakeMeAvailable, 405, Some("MethodNotAllowed"), E::Stop),
    (MakeMeAvailable, 408, None, E::Retry),
    (
        MakeMeAvailable,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (MakeMeAvailable, 410, Some("TooManyApplications"), E::Stop),
    (MakeMeAvailable, 412, Some("PreconditionFailed"), E::Stop),
    (MakeMeAvailable, 413, Some("EntityTooLarge"), E::Stop),
    (MakeMeAvailable, 415, Some("UnsupportedMediaType"), E::Stop),
    (MakeMeAvailable, 428, Some("PreconditionRequired"), E::Stop),
    (MakeMeAvailable, 429, None, E::Retry),
    (MakeMeAvailable, 500, Some("ServiceFailure"), E::Retry),
    (
        MakeMeAvailable,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (MakeMeAvailable, 503, None, E::Retry),
    (MakeMeAvailable, 504, Some("ServiceTimeout"), E::Retry),
    // ReadMe: me_ref GET
    (ReadMe, 500, Some("InvalidExchangeServerVersion"), E::Retry),
    (ReadMe, 409, Some("AlreadyExists"), E::Retry),
    (ReadMe, 409, Some("TooManyGroups"), E::GiveUp),
    (ReadMe, 409, None, E::Retry),
    (ReadMe, 410, Some("CannotRedirect"), E::Stop),
    (ReadMe, 400, None, E::GiveUp),
    (ReadMe, 400, Some("ParameterValidationFailure"), E::GiveUp),
    (ReadMe, 400, Some("DeserializationFailure"), E::GiveUp),
    (ReadMe, 401, None, E::SignIn),
    (
        ReadMe,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        ReadMe,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        ReadMe,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (ReadMe, 405, Some("MethodNotAllowed"), E::GiveUp),
    (ReadMe, 408, None, E::Retry),
    (
        ReadMe,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (ReadMe, 410, Some("TooManyApplications"), E::Stop),
    (ReadMe, 412, Some("PreconditionFailed"), E::GiveUp),
    (ReadMe, 413, Some("EntityTooLarge"), E::GiveUp),
    (ReadMe, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (ReadMe, 428, Some("PreconditionRequired"), E::GiveUp),
    (ReadMe, 429, None, E::Retry),
    (ReadMe, 500, Some("ServiceFailure"), E::Retry),
    (ReadMe, 500, Some("ExchangeServiceFailure"), E::Retry),
    (ReadMe, 503, None, E::Retry),
    (ReadMe, 504, Some("ServiceTimeout"), E::Retry),
    // EventsGet: events_ref GET; PGetReplaced: EventChannelDetails
    (
        EventsGet,
        500,
        Some("InvalidExchangeServerVersion"),
        E::Retry,
    ),
    (EventsGet, 409, Some("PGetReplaced"), E::Retry),
    (EventsGet, 409, Some("AlreadyExists"), E::Retry),
    (EventsGet, 409, Some("TooManyGroups"), E::Stop),
    (EventsGet, 409, None, E::Retry),
    (EventsGet, 410, Some("CannotRedirect"), E::Stop),
    (EventsGet, 400, None, E::Stop),
    (EventsGet, 400, Some("ParameterValidationFailure"), E::Stop),
    (EventsGet, 400, Some("DeserializationFailure"), E::Stop),
    (EventsGet, 401, None, E::SignIn),
    (
        EventsGet,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::Stop,
    ),
    (
        EventsGet,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        EventsGet,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (EventsGet, 405, Some("MethodNotAllowed"), E::Stop),
    (EventsGet, 408, None, E::Retry),
    (
        EventsGet,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (EventsGet, 410, Some("TooManyApplications"), E::Stop),
    (EventsGet, 412, Some("PreconditionFailed"), E::Stop),
    (EventsGet, 413, Some("EntityTooLarge"), E::Stop),
    (EventsGet, 415, Some("UnsupportedMediaType"), E::Stop),
    (EventsGet, 428, Some("PreconditionRequired"), E::Stop),
    (EventsGet, 429, None, E::Retry),
    (EventsGet, 500, Some("ServiceFailure"), E::Retry),
    (EventsGet, 500, Some("ExchangeServiceFailure"), E::Retry),
    (EventsGet, 503, None, E::Retry),
    (EventsGet, 504, Some("ServiceTimeout"), E::Retry),
    // Subscribe: presenceSubscriptions_ref POST
    (Subscribe, 403, None, E::GiveUp),
    (Subscribe, 403, Some("LimitExceeded"), E::GiveUp),
    (Subscribe, 500, Some("CallbackChannelError"), E::Retry),
    (Subscribe, 409, Some("AlreadyExists"), E::GiveUp),
    (Subscribe, 409, Some("TooManyGroups"), E::GiveUp),
    (Subscribe, 409, None, E::Retry),
    (Subscribe, 410, Some("CannotRedirect"), E::Stop),
    (Subscribe, 400, None, E::GiveUp),
    (
        Subscribe,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (Subscribe, 400, Some("DeserializationFailure"), E::GiveUp),
    (Subscribe, 401, None, E::SignIn),
    (
        Subscribe,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        Subscribe,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        Subscribe,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (Subscribe, 405, Some("MethodNotAllowed"), E::GiveUp),
    (Subscribe, 408, None, E::Retry),
    (
        Subscribe,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (Subscribe, 410, Some("TooManyApplications"), E::Stop),
    (Subscribe, 412, Some("PreconditionFailed"), E::GiveUp),
    (Subscribe, 413, Some("EntityTooLarge"), E::GiveUp),
    (Subscribe, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (Subscribe, 428, Some("PreconditionRequired"), E::GiveUp),
    (Subscribe, 429, None, E::Retry),
    (Subscribe, 500, Some("ServiceFailure"), E::Retry),
    (Subscribe, 500, Some("ExchangeServiceFailure"), E::Retry),
    (Subscribe, 503, None, E::Retry),
    (Subscribe, 504, Some("ServiceTimeout"), E::Retry),
    // AddMembers: addToPresenceSubscription_ref POST
    (AddMembers, 500, Some("CallbackChannelError"), E::Retry),
    (AddMembers, 409, Some("AlreadyExists"), E::Proceed),
    (AddMembers, 409, Some("TooManyGroups"), E::GiveUp),
    (AddMembers, 409, None, E::Retry),
    (AddMembers, 410, Some("CannotRedirect"), E::Stop),
    (AddMembers, 400, None, E::GiveUp),
    (
        AddMembers,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (AddMembers, 400, Some("DeserializationFailure"), E::GiveUp),
    (AddMembers, 401, None, E::SignIn),
    (
        AddMembers,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        AddMembers,
        404,
        Some("ApplicationNotFound"),
        E::RecreateSubscription,
    ),
    (
        AddMembers,
        404,
        Some("ResourceNotFound"),
        E::RecreateSubscription,
    ),
    (AddMembers, 405, Some("MethodNotAllowed"), E::GiveUp),
    (AddMembers, 408, None, E::Retry),
    (
        AddMembers,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (AddMembers, 410, Some("TooManyApplications"), E::Stop),
    (AddMembers, 412, Some("PreconditionFailed"), E::GiveUp),
    (AddMembers, 413, Some("EntityTooLarge"), E::GiveUp),
    (AddMembers, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (AddMembers, 428, Some("PreconditionRequired"), E::GiveUp),
    (AddMembers, 429, None, E::Retry),
    (AddMembers, 500, Some("ServiceFailure"), E::Retry),
    (AddMembers, 500, Some("ExchangeServiceFailure"), E::Retry),
    (AddMembers, 503, None, E::Retry),
    (AddMembers, 504, Some("ServiceTimeout"), E::Retry),
    // ListMemberships: presenceSubscriptionMemberships_ref GET
    (ListMemberships, 403, None, E::GiveUp),
    (
        ListMemberships,
        500,
        Some("InvalidExchangeServerVersion"),
        E::Retry,
    ),
    (ListMemberships, 409, Some("AlreadyExists"), E::Retry),
    (ListMemberships, 409, Some("TooManyGroups"), E::GiveUp),
    (ListMemberships, 409, None, E::Retry),
    (ListMemberships, 410, Some("CannotRedirect"), E::Stop),
    (ListMemberships, 400, None, E::GiveUp),
    (
        ListMemberships,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (
        ListMemberships,
        400,
        Some("DeserializationFailure"),
        E::GiveUp,
    ),
    (ListMemberships, 401, None, E::SignIn),
    (
        ListMemberships,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        ListMemberships,
        404,
        Some("ApplicationNotFound"),
        E::RecreateSubscription,
    ),
    (
        ListMemberships,
        404,
        Some("ResourceNotFound"),
        E::RecreateSubscription,
    ),
    (ListMemberships, 405, Some("MethodNotAllowed"), E::GiveUp),
    (ListMemberships, 408, None, E::Retry),
    (
        ListMemberships,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (ListMemberships, 410, Some("TooManyApplications"), E::Stop),
    (ListMemberships, 412, Some("PreconditionFailed"), E::GiveUp),
    (ListMemberships, 413, Some("EntityTooLarge"), E::GiveUp),
    (
        ListMemberships,
        415,
        Some("UnsupportedMediaType"),
        E::GiveUp,
    ),
    (
        ListMemberships,
        428,
        Some("PreconditionRequired"),
        E::GiveUp,
    ),
    (ListMemberships, 429, None, E::Retry),
    (ListMemberships, 500, Some("ServiceFailure"), E::Retry),
    (
        ListMemberships,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (ListMemberships, 503, None, E::Retry),
    (ListMemberships, 504, Some("ServiceTimeout"), E::Retry),
    // DeleteMembership: presenceSubscriptionMembership_ref DELETE
    (DeleteMembership, 403, None, E::GiveUp),
    (DeleteMembership, 410, Some("CannotRedirect"), E::Stop),
    (DeleteMembership, 400, None, E::GiveUp),
    (
        DeleteMembership,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (
        DeleteMembership,
        400,
        Some("DeserializationFailure"),
        E::GiveUp,
    ),
    (DeleteMembership, 401, None, E::SignIn),
    (
        DeleteMembership,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        DeleteMembership,
        404,
        Some("ApplicationNotFound"),
        E::Proceed,
    ),
    (DeleteMembership, 404, Some("ResourceNotFound"), E::Proceed),
    (DeleteMembership, 405, Some("MethodNotAllowed"), E::GiveUp),
    (DeleteMembership, 408, None, E::Retry),
    (
        DeleteMembership,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (DeleteMembership, 410, Some("TooManyApplications"), E::Stop),
    (DeleteMembership, 412, Some("PreconditionFailed"), E::GiveUp),
    (DeleteMembership, 413, Some("EntityTooLarge"), E::GiveUp),
    (
        DeleteMembership,
        415,
        Some("UnsupportedMediaType"),
        E::GiveUp,
    ),
    (
        DeleteMembership,
        428,
        Some("PreconditionRequired"),
        E::GiveUp,
    ),
    (DeleteMembership, 429, None, E::Retry),
    (DeleteMembership, 500, Some("ServiceFailure"), E::Retry),
    (
        DeleteMembership,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (DeleteMembership, 503, None, E::Retry),
    (DeleteMembership, 504, Some("ServiceTimeout"), E::Retry),
    // DeleteSubscription: presenceSubscription_ref DELETE
    (DeleteSubscription, 403, None, E::GiveUp),
    (DeleteSubscription, 410, Some("CannotRedirect"), E::Stop),
    (DeleteSubscription, 400, None, E::GiveUp),
    (
        DeleteSubscription,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (
        DeleteSubscription,
        400,
        Some("DeserializationFailure"),
        E::GiveUp,
    ),
    (DeleteSubscription, 401, None, E::SignIn),
    (
        DeleteSubscription,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        DeleteSubscription,
        404,
        Some("ApplicationNotFound"),
        E::Proceed,
    ),
    (
        DeleteSubscription,
        404,
        Some("ResourceNotFound"),
        E::Proceed,
    ),
    (DeleteSubscription, 405, Some("MethodNotAllowed"), E::GiveUp),
    (DeleteSubscription, 408, None, E::Retry),
    (
        DeleteSubscription,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (
        DeleteSubscription,
        410,
        Some("TooManyApplications"),
        E::Stop,
    ),
    (
        DeleteSubscription,
        412,
        Some("PreconditionFailed"),
        E::GiveUp,
    ),
    (DeleteSubscription, 413, Some("EntityTooLarge"), E::GiveUp),
    (
        DeleteSubscription,
        415,
        Some("UnsupportedMediaType"),
        E::GiveUp,
    ),
    (
        DeleteSubscription,
        428,
        Some("PreconditionRequired"),
        E::GiveUp,
    ),
    (DeleteSubscription, 429, None, E::Retry),
    (DeleteSubscription, 500, Some("ServiceFailure"), E::Retry),
    (
        DeleteSubscription,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (DeleteSubscription, 503, None, E::Retry),
    (DeleteSubscription, 504, Some("ServiceTimeout"), E::Retry),
    // ExtendSubscription: presenceSubscription_ref POST; seed 001
    (ExtendSubscription, 403, None, E::GiveUp),
    (
        ExtendSubscription,
        500,
        Some("CallbackChannelError"),
        E::Retry,
    ),
    (ExtendSubscription, 409, Some("AlreadyExists"), E::Retry),
    (ExtendSubscription, 409, Some("TooManyGroups"), E::GiveUp),
    (ExtendSubscription, 409, None, E::Retry),
    (ExtendSubscription, 410, Some("CannotRedirect"), E::Stop),
    (ExtendSubscription, 400, None, E::GiveUp),
    (
        ExtendSubscription,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (
        ExtendSubscription,
        400,
        Some("DeserializationFailure"),
        E::GiveUp,
    ),
    (ExtendSubscription, 401, None, E::SignIn),
    (
        ExtendSubscription,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        ExtendSubscription,
        404,
        Some("ApplicationNotFound"),
        E::RecreateSubscription,
    ),
    (
        ExtendSubscription,
        404,
        Some("ResourceNotFound"),
        E::RecreateSubscription,
    ),
    (ExtendSubscription, 405, Some("MethodNotAllowed"), E::GiveUp),
    (ExtendSubscription, 408, None, E::Retry),
    (
        ExtendSubscription,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (
        ExtendSubscription,
        410,
        Some("TooManyApplications"),
        E::Stop,
    ),
    (
        ExtendSubscription,
        412,
        Some("PreconditionFailed"),
        E::GiveUp,
    ),
    (ExtendSubscription, 413, Some("EntityTooLarge"), E::GiveUp),
    (
        ExtendSubscription,
        415,
        Some("UnsupportedMediaType"),
        E::GiveUp,
    ),
    (
        ExtendSubscription,
        428,
        Some("PreconditionRequired"),
        E::GiveUp,
    ),
    (ExtendSubscription, 429, None, E::Retry),
    (ExtendSubscription, 500, Some("ServiceFailure"), E::Retry),
    (
        ExtendSubscription,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (ExtendSubscription, 503, None, E::Retry),
    (ExtendSubscription, 504, Some("ServiceTimeout"), E::Retry),
    // PresenceGet: contactPresence_ref, contact_ref, presence_ref GET; batch_ref POST
    (PresenceGet, 403, None, E::GiveUp),
    (
        PresenceGet,
        500,
        Some("InvalidExchangeServerVersion"),
        E::Retry,
    ),
    (PresenceGet, 500, Some("CallbackChannelError"), E::Retry),
    (
        PresenceGet,
        409,
        Some("MakeMeAvailableRequired"),
        E::MakeMeAvailable,
    ),
    (PresenceGet, 409, Some("AlreadyExists"), E::Retry),
    (PresenceGet, 409, Some("TooManyGroups"), E::GiveUp),
    (PresenceGet, 409, None, E::Retry),
    (PresenceGet, 410, Some("CannotRedirect"), E::Stop),
    (PresenceGet, 400, None, E::GiveUp),
    (
        PresenceGet,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (PresenceGet, 400, Some("DeserializationFailure"), E::GiveUp),
    (PresenceGet, 401, None, E::SignIn),
    (
        PresenceGet,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        PresenceGet,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (PresenceGet, 404, Some("ResourceNotFound"), E::GiveUp),
    (PresenceGet, 405, Some("MethodNotAllowed"), E::GiveUp),
    (PresenceGet, 408, None, E::Retry),
    (
        PresenceGet,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (PresenceGet, 410, Some("TooManyApplications"), E::Stop),
    (PresenceGet, 412, Some("PreconditionFailed"), E::GiveUp),
    (PresenceGet, 413, Some("EntityTooLarge"), E::GiveUp),
    (PresenceGet, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (PresenceGet, 428, Some("PreconditionRequired"), E::GiveUp),
    (PresenceGet, 429, None, E::Retry),
    (PresenceGet, 500, Some("ServiceFailure"), E::Retry),
    (PresenceGet, 500, Some("ExchangeServiceFailure"), E::Retry),
    (PresenceGet, 503, None, E::Retry),
    (PresenceGet, 504, Some("ServiceTimeout"), E::Retry),
    // SetPresence: presence_ref POST
    (
        SetPresence,
        409,
        Some("MakeMeAvailableRequired"),
        E::MakeMeAvailable,
    ),
    (SetPresence, 500, Some("CallbackChannelError"), E::Retry),
    (SetPresence, 409, Some("AlreadyExists"), E::Retry),
    (SetPresence, 409, Some("TooManyGroups"), E::GiveUp),
    (SetPresence, 409, None, E::Retry),
    (SetPresence, 410, Some("CannotRedirect"), E::Stop),
    (SetPresence, 400, None, E::GiveUp),
    (
        SetPresence,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (SetPresence, 400, Some("DeserializationFailure"), E::GiveUp),
    (SetPresence, 401, None, E::SignIn),
    (
        SetPresence,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        SetPresence,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        SetPresence,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (SetPresence, 405, Some("MethodNotAllowed"), E::GiveUp),
    (SetPresence, 408, None, E::Retry),
    (
        SetPresence,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (SetPresence, 410, Some("TooManyApplications"), E::Stop),
    (SetPresence, 412, Some("PreconditionFailed"), E::GiveUp),
    (SetPresence, 413, Some("EntityTooLarge"), E::GiveUp),
    (SetPresence, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (SetPresence, 428, Some("PreconditionRequired"), E::GiveUp),
    (SetPresence, 429, None, E::Retry),
    (SetPresence, 500, Some("ServiceFailure"), E::Retry),
    (SetPresence, 500, Some("ExchangeServiceFailure"), E::Retry),
    (SetPresence, 503, None, E::Retry),
    (SetPresence, 504, Some("ServiceTimeout"), E::Retry),
    // ReportActivity: reportMyActivity_ref POST
    (ReportActivity, 403, Some("AnonymousNotAllowed"), E::GiveUp),
    (
        ReportActivity,
        409,
        Some("MakeMeAvailableRequired"),
        E::MakeMeAvailable,
    ),
    (ReportActivity, 500, Some("CallbackChannelError"), E::Retry),
    (ReportActivity, 409, Some("AlreadyExists"), E::Retry),
    (ReportActivity, 409, Some("TooManyGroups"), E::GiveUp),
    (ReportActivity, 409, None, E::Retry),
    (ReportActivity, 410, Some("CannotRedirect"), E::Stop),
    (ReportActivity, 400, None, E::GiveUp),
    (
        ReportActivity,
        400,
        Some("ParameterValidationFailure"),
        E::GiveUp,
    ),
    (
        ReportActivity,
        400,
        Some("DeserializationFailure"),
        E::GiveUp,
    ),
    (ReportActivity, 401, None, E::SignIn),
    (
        ReportActivity,
        403,
        Some("MobileApplicationNoLongerAllowed"),
        E::GiveUp,
    ),
    (
        ReportActivity,
        404,
        Some("ApplicationNotFound"),
        E::RecreateApplication,
    ),
    (
        ReportActivity,
        404,
        Some("ResourceNotFound"),
        E::RecreateApplication,
    ),
    (ReportActivity, 405, Some("MethodNotAllowed"), E::GiveUp),
    (ReportActivity, 408, None, E::Retry),
    (
        ReportActivity,
        410,
        Some("InactiveApplicationExpired"),
        E::RecreateApplication,
    ),
    (ReportActivity, 410, Some("TooManyApplications"), E::Stop),
    (ReportActivity, 412, Some("PreconditionFailed"), E::GiveUp),
    (ReportActivity, 413, Some("EntityTooLarge"), E::GiveUp),
    (ReportActivity, 415, Some("UnsupportedMediaType"), E::GiveUp),
    (ReportActivity, 428, Some("PreconditionRequired"), E::GiveUp),
    (ReportActivity, 429, None, E::Retry),
    (ReportActivity, 500, Some("ServiceFailure"), E::Retry),
    (
        ReportActivity,
        500,
        Some("ExchangeServiceFailure"),
        E::Retry,
    ),
    (ReportActivity, 503, None, E::Retry),
    (ReportActivity, 504, Some("ServiceTimeout"), E::Retry),
];

/// The OAuth service's 400 `error` codes (AuthenticationInUCWA), for the password grant.
const TOKEN_ROWS: &[(&str, Expect)] = &[
    ("invalid_request", E::AskCredentials),
    ("invalid_grant", E::AskCredentials),
    ("unsupported_grant_type", E::Stop),
    ("invalid_scope", E::AskCredentials),
    ("server_error", E::AskCredentials),
];

/// Network failures: (kind, step) → action.
fn expect_network(kind: NetworkKind, step: Step) -> Expect {
    match (step, kind) {
        (Token, _) => E::AskCredentials,
        (SetPresence, _) => E::GiveUp,
        (_, NetworkKind::Offline) => E::WaitForNetwork,
        _ => E::Retry,
    }
}

/// A success response whose body could not be parsed: step → action.
fn expect_parse(step: Step) -> Expect {
    match step {
        Token => E::AskCredentials,
        EventsGet => E::Retry,
        Discover | GetUser | CreateApplication | ProbeApplication | MakeMeAvailable => E::Stop,
        _ => E::GiveUp,
    }
}

/// Rows in [`ROWS`] and [`TOKEN_ROWS`].
const DOCUMENTED_ROWS: usize = 433;

fn http(status: u16, code: Option<&str>, subcode: Option<&str>) -> Failure {
    Failure::Http(UcwaError {
        status,
        code: code.map(str::to_string),
        subcode: subcode.map(str::to_string),
        ..UcwaError::default()
    })
}

#[test]
fn every_documented_status_and_subcode_gets_its_action() {
    let mut wrong = Vec::new();
    for &(step, status, subcode, expected) in ROWS {
        let got = decide(step, &http(status, None, subcode));
        if expect_of(&got) != expected {
            wrong.push(format!(
                "{step:?} {status} {subcode:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    for &(code, expected) in TOKEN_ROWS {
        let got = decide(Token, &http(400, Some(code), None));
        if expect_of(&got) != expected {
            wrong.push(format!(
                "Token 400 {code}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} rows disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(ROWS.len() + TOKEN_ROWS.len(), DOCUMENTED_ROWS);
}

#[test]
fn the_table_covers_every_step_once_per_pair() {
    for step in ALL_STEPS {
        assert!(
            ROWS.iter().filter(|r| r.0 == step).count() >= 20,
            "{step:?}"
        );
    }
    let mut keys: Vec<_> = ROWS
        .iter()
        .map(|r| (format!("{:?}", r.0), r.1, r.2))
        .collect();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(
        keys.len(),
        before,
        "a (step, status, subcode) appears twice"
    );
}

#[test]
fn subcodes_are_matched_without_regard_to_case_and_unknown_ones_are_ignored() {
    for &(step, status, subcode, expected) in ROWS {
        if let Some(s) = subcode {
            let upper = decide(step, &http(status, None, Some(&s.to_ascii_uppercase())));
            assert_eq!(expect_of(&upper), expected, "{step:?} {status} {s}");
        }
    }
    // ErrorsAndInformationalMessages: "ignore missing or unknown subcodes".
    for step in ALL_STEPS {
        for status in [400, 403, 404, 409, 410, 500, 503] {
            let bare = decide(step, &http(status, None, None));
            let unknown = decide(step, &http(status, None, Some("SomethingNew")));
            assert_eq!(expect_of(&unknown), expect_of(&bare), "{step:?} {status}");
        }
    }
}

#[test]
fn network_and_parse_failures_by_step() {
    let parse = Failure::Parse(ProtocolError::new("event channel response", "not JSON"));
    for step in ALL_STEPS {
        for kind in [
            NetworkKind::Offline,
            NetworkKind::Timeout,
            NetworkKind::Unreachable,
        ] {
            let got = decide(step, &Failure::network(kind, "x"));
            assert_eq!(
                expect_of(&got),
                expect_network(kind, step),
                "{step:?} {kind:?}"
            );
        }
        assert_eq!(
            expect_of(&decide(step, &parse)),
            expect_parse(step),
            "{step:?}"
        );
    }
}

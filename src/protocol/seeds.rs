//! Example bodies from Microsoft's task pages (shared/seeds), shared by the unit tests.

/// Seed 000: the 201 body of `POST people/presenceSubscriptions`.
pub const SUBSCRIPTION_CREATED: &str = r#"{
       "id":"97b6bd66",
       "_links":{
          "self":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66"},
          "memberships":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"},
          "addToPresenceSubscription":{"href":"/ucwa/oauth/v1/applications/101/people/presenceSubscriptionMemberships?presenceSubscriptionId=97b6bd66"}
       },
       "rel":"presenceSubscription"
    }"#;

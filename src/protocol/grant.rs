//! Which way to get a token (AuthenticationInUCWA): the page's `getToken` hook, Windows sign-in
//! (`grant_type=urn:microsoft.rtc:windows`: the browser answers the server's Negotiate challenge
//! itself, no user name or password) or the password form, and why a Windows sign-in failed.

use super::auth::OAuthChallenge;
use super::error::UcwaError;
use super::failure::{Failure, Reason};

/// The grant type of Windows sign-in.
pub const WINDOWS_GRANT: &str = "urn:microsoft.rtc:windows";
/// Its token request body: "the same as the password grant, except that username and password
/// parameters must not be present".
pub const WINDOWS_GRANT_BODY: &str = "grant_type=urn:microsoft.rtc:windows";

/// `data-signin`: which grants the page allows besides its own `getToken` hook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignInMode {
    /// Windows sign-in when the server offers it, else (or when it fails) the password form.
    #[default]
    Auto,
    /// Windows sign-in only: never the form; say why when it fails.
    Windows,
    /// The password form only: never Windows sign-in.
    Password,
}

impl SignInMode {
    /// `auto`, `windows` or `password` (any case); `None` for anything else.
    pub fn parse(value: &str) -> Option<SignInMode> {
        let is = |name: &str| value.trim().eq_ignore_ascii_case(name);
        if is("auto") {
            Some(SignInMode::Auto)
        } else if is("windows") {
            Some(SignInMode::Windows)
        } else if is("password") {
            Some(SignInMode::Password)
        } else {
            None
        }
    }
}

/// One way to get a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// `window.ucwaPresence.getToken()`: the page signs in itself.
    Hook,
    /// `grant_type=urn:microsoft.rtc:windows`.
    Windows,
    /// `grant_type=password`, with what the user typed into the form.
    Password,
}

/// The grants to try for `challenge`, best first: each one after the first is tried only when
/// the one before failed. The page's hook, when present, is the page's own decision and the
/// only grant. `previous` is the grant that got the session's last token: after the password
/// form was needed once, Windows sign-in (which failed then) is not tried again behind the
/// user's back; a Windows token is renewed with Windows sign-in, silently.
///
/// `Err` when nothing is left to try (the server offers no grant the page allows).
pub fn grant_order(
    mode: SignInMode,
    has_hook: bool,
    challenge: &OAuthChallenge,
    previous: Option<Grant>,
) -> Result<Vec<Grant>, Reason> {
    if has_hook {
        return Ok(vec![Grant::Hook]);
    }
    // A challenge without grant types predates them: the password grant is the documented one.
    let password = challenge.grant_types.is_empty() || challenge.supports("password");
    let windows = challenge.supports(WINDOWS_GRANT);
    let mut order = Vec::with_capacity(2);
    if windows && mode != SignInMode::Password && previous != Some(Grant::Password) {
        order.push(Grant::Windows);
    }
    if password && mode != SignInMode::Windows {
        order.push(Grant::Password);
    }
    match order.is_empty() {
        false => Ok(order),
        true if mode == SignInMode::Windows => Err(Reason::Client(
            "The server does not offer Windows sign-in.".into(),
        )),
        true => Err(Reason::PasswordGrantUnsupported),
    }
}

/// Why the Windows grant's token request failed, for the console (and the status line with
/// `data-signin="windows"`).
pub fn windows_failure(failure: &Failure) -> &'static str {
    match failure {
        // KERBEROS.md "Same site": a browser sends no Negotiate token for a server on another
        // site than the page (third-party cookie blocking), nor without a ticket.
        Failure::Http(UcwaError { status: 401, .. }) => {
            "no Kerberos ticket, or the server is not on this page's site"
        }
        Failure::Http(_) | Failure::Parse(_) => "refused",
        // Over CORS the server must allow credentials for this origin.
        Failure::Network { .. } => "blocked or unreachable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::failure::NetworkKind;
    use crate::protocol::ProtocolError;

    fn offering(grants: &[&str]) -> OAuthChallenge {
        OAuthChallenge {
            token_url: "https://lyncweb.contoso.com/WebTicket/oauthtoken".into(),
            grant_types: grants.iter().map(|g| g.to_string()).collect(),
        }
    }

    const ALL: &[&str] = &[WINDOWS_GRANT, "urn:microsoft.rtc:anonmeeting", "password"];

    #[test]
    fn modes_parse() {
        assert_eq!(SignInMode::parse(" Windows "), Some(SignInMode::Windows));
        assert_eq!(SignInMode::parse("password"), Some(SignInMode::Password));
        assert_eq!(SignInMode::parse("AUTO"), Some(SignInMode::Auto));
        for bad in ["", "kerberos", "windows,password"] {
            assert_eq!(SignInMode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_hook_comes_first_and_alone() {
        for mode in [SignInMode::Auto, SignInMode::Windows, SignInMode::Password] {
            for previous in [None, Some(Grant::Password), Some(Grant::Windows)] {
                assert_eq!(
                    grant_order(mode, true, &offering(&["password"]), previous),
                    Ok(vec![Grant::Hook])
                );
            }
        }
    }

    #[test]
    fn windows_then_the_form_when_offered_and_allowed() {
        use Grant::{Password as P, Windows as W};
        use SignInMode::{Auto, Password as OnlyPassword, Windows as OnlyWindows};
        /// Mode, the challenge's grant types, the previous grant → the grants to try.
        type Row = (
            SignInMode,
            &'static [&'static str],
            Option<Grant>,
            &'static [Grant],
        );
        let rows: &[Row] = &[
            (Auto, ALL, None, &[W, P]),
            (Auto, &[WINDOWS_GRANT, "password"], Some(W), &[W, P]),
            // The form was needed last time: Windows sign-in is not tried again.
            (Auto, ALL, Some(P), &[P]),
            (Auto, &["password"], None, &[P]),
            (Auto, &[], None, &[P]),
            (Auto, &["URN:Microsoft.RTC:Windows"], None, &[W]),
            (OnlyWindows, ALL, None, &[W]),
            (OnlyWindows, ALL, Some(P), &[]),
            (OnlyPassword, ALL, None, &[P]),
            (OnlyPassword, ALL, Some(W), &[P]),
        ];
        for (mode, grants, previous, expected) in rows {
            let order = grant_order(*mode, false, &offering(grants), *previous);
            match order {
                Ok(order) => assert_eq!(order, *expected, "{mode:?} {grants:?} {previous:?}"),
                Err(_) => assert!(expected.is_empty(), "{mode:?} {grants:?} {previous:?}"),
            }
        }
    }

    #[test]
    fn nothing_to_try_says_why() {
        let windows_only = offering(&[WINDOWS_GRANT]);
        assert_eq!(
            grant_order(SignInMode::Password, false, &windows_only, None),
            Err(Reason::PasswordGrantUnsupported)
        );
        let anonymous = offering(&["urn:microsoft.rtc:anonmeeting"]);
        assert_eq!(
            grant_order(SignInMode::Auto, false, &anonymous, None),
            Err(Reason::PasswordGrantUnsupported)
        );
        let Err(reason) = grant_order(SignInMode::Windows, false, &offering(&["password"]), None)
        else {
            panic!("windows mode without the windows grant has nothing to try");
        };
        assert!(reason.message().contains("Windows sign-in"), "{reason:?}");
    }

    #[test]
    fn windows_failures_are_explained() {
        let http = |status, code: Option<&str>| {
            Failure::Http(UcwaError {
                status,
                code: code.map(str::to_string),
                ..UcwaError::default()
            })
        };
        assert!(windows_failure(&http(401, None)).contains("Kerberos ticket"));
        assert!(windows_failure(&http(400, Some("unsupported_grant_type"))).contains("refused"));
        assert!(windows_failure(&http(400, Some("invalid_grant"))).contains("refused"));
        assert!(windows_failure(&http(500, None)).contains("refused"));
        let parse = Failure::Parse(ProtocolError::new("token response", "x"));
        assert!(windows_failure(&parse).contains("refused"));
        let net = Failure::network(NetworkKind::Unreachable, "Failed to fetch");
        assert!(windows_failure(&net).contains("blocked"));
    }
}

//! The `cwt_ucwa` photo cookie (seed 002: `POST applications` answers with
//! `Set-Cookie: cwt_ucwa=…; path=/ucwa/oauth/v1/applications/{id}/photos`): an `<img>` cannot
//! send a bearer token, so the browser sends this cookie with photo GETs instead.
//!
//! The value is an opaque random credential bound to one application and to the bearer token
//! that created (or re-created) it: it is valid exactly as long as both are, and it authorises
//! only photo GETs of that application.

use std::time::Instant;

use super::Inner;
use crate::random;

/// How many cookies one application keeps (one per `POST applications` of its tabs; the
/// oldest goes first).
const PER_APPLICATION: usize = 8;

#[derive(Clone, Debug)]
pub struct PhotoCookie {
    pub value: String,
    /// The bearer token of the `POST applications` that issued it.
    pub token: String,
}

impl Inner {
    /// A fresh cookie value for `app_id`, bound to `token`. `None` when the application is gone
    /// or the operating system has no randomness to give.
    pub fn issue_photo_cookie(&mut self, app_id: u64, token: &str) -> Option<String> {
        let value = random::hex(48).ok()?;
        let app = self.apps.get_mut(&app_id)?;
        if app.photo_cookies.len() >= PER_APPLICATION {
            app.photo_cookies.remove(0);
        }
        app.photo_cookies.push(PhotoCookie {
            value: value.clone(),
            token: token.to_string(),
        });
        Some(value)
    }

    /// The user `value` authorises for photo GETs of `app_id` at `pool`: the application
    /// exists and the token it is bound to is still valid there.
    pub fn photo_cookie_user(
        &self,
        app_id: u64,
        value: &str,
        pool: &str,
        now: Instant,
    ) -> Option<String> {
        let app = self.apps.get(&app_id)?;
        let cookie = app.photo_cookies.iter().find(|c| c.value == value)?;
        let user = self.tokens.user(&cookie.token, pool, now)?;
        (user == app.user).then(|| user.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::state::testing::{app_of, inner, secs, t0, DANA, SARA};

    #[test]
    fn a_cookie_works_for_its_application_while_the_token_lives() {
        let t0 = t0();
        let mut g = inner(t0);
        let token = g.tokens.issue(DANA, "default", t0).unwrap();
        let dana = app_of(&mut g, DANA, t0);
        let sara = app_of(&mut g, SARA, t0);
        let cookie = g.issue_photo_cookie(dana, &token).unwrap();
        assert_eq!(cookie.len(), 48);
        assert_eq!(
            g.photo_cookie_user(dana, &cookie, "default", t0).as_deref(),
            Some(DANA)
        );
        assert_eq!(g.photo_cookie_user(sara, &cookie, "default", t0), None);
        assert_eq!(g.photo_cookie_user(dana, "guess", "default", t0), None);
        assert_eq!(g.photo_cookie_user(dana, &cookie, "other", t0), None);
        let expired = t0 + g.cfg.token_lifetime + secs(1);
        assert_eq!(g.photo_cookie_user(dana, &cookie, "default", expired), None);
        g.tokens.revoke_user(DANA);
        assert_eq!(g.photo_cookie_user(dana, &cookie, "default", t0), None);
    }

    #[test]
    fn a_deleted_application_takes_its_cookies_along_and_old_ones_go() {
        let t0 = t0();
        let mut g = inner(t0);
        let token = g.tokens.issue(DANA, "default", t0).unwrap();
        let dana = app_of(&mut g, DANA, t0);
        let first = g.issue_photo_cookie(dana, &token).unwrap();
        for _ in 0..super::PER_APPLICATION {
            g.issue_photo_cookie(dana, &token).unwrap();
        }
        assert_eq!(g.photo_cookie_user(dana, &first, "default", t0), None);
        let last = g.issue_photo_cookie(dana, &token).unwrap();
        g.delete_application(dana, None, t0);
        assert_eq!(g.photo_cookie_user(dana, &last, "default", t0), None);
        assert_eq!(g.issue_photo_cookie(dana, &token), None);
    }
}

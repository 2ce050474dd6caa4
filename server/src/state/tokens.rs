//! OAuth bearer tokens (`cwt=…`) issued by `POST /WebTicket/oauthtoken`, each valid only on the
//! pool that issued it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::random;

struct Token {
    user: String,
    pool: String,
    expires: Instant,
}

/// The live tokens and the lifetime new ones get (`expires_in`).
pub struct Tokens {
    lifetime: Duration,
    by_token: HashMap<String, Token>,
}

impl Tokens {
    pub fn new(lifetime: Duration) -> Self {
        Tokens {
            lifetime,
            by_token: HashMap::new(),
        }
    }

    /// A fresh token for `user` issued by `pool`: `cwt=` and 192 bits from the operating
    /// system's CSPRNG.
    pub fn issue(&mut self, user: &str, pool: &str, now: Instant) -> Result<String, random::Error> {
        let token = format!("cwt={}", random::hex(48)?);
        self.by_token.insert(
            token.clone(),
            Token {
                user: user.to_string(),
                pool: pool.to_string(),
                expires: now + self.lifetime,
            },
        );
        Ok(token)
    }

    /// The user a token belongs to while it is unexpired, on the pool that issued it.
    pub fn user(&self, token: &str, pool: &str, now: Instant) -> Option<&str> {
        self.by_token
            .get(token)
            .filter(|t| t.expires > now && t.pool == pool)
            .map(|t| t.user.as_str())
    }

    /// `(pool, user)` of a known token, expired or not (for the request log).
    pub fn issuer(&self, token: &str) -> Option<(&str, &str)> {
        self.by_token
            .get(token)
            .map(|t| (t.pool.as_str(), t.user.as_str()))
    }

    /// Control API: every token of `user` stops working. Returns how many there were.
    pub fn revoke_user(&mut self, user: &str) -> usize {
        let before = self.by_token.len();
        self.by_token.retain(|_, t| t.user != user);
        before - self.by_token.len()
    }

    /// Forgets expired tokens.
    pub fn expire(&mut self, now: Instant) {
        self.by_token.retain(|_, t| t.expires > now);
    }

    pub fn len(&self) -> usize {
        self.by_token.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::testing::{secs, t0, DANA, SARA};

    #[test]
    fn a_token_works_for_its_lifetime_and_not_after() {
        let t0 = t0();
        let mut tokens = Tokens::new(secs(60));
        let token = tokens.issue(DANA, "A", t0).unwrap();
        assert!(token.starts_with("cwt=") && token.len() == 4 + 48);
        assert_eq!(tokens.user(&token, "A", t0), Some(DANA));
        assert_eq!(tokens.user(&token, "A", t0 + secs(59)), Some(DANA));
        assert_eq!(tokens.user(&token, "A", t0 + secs(60)), None);
        assert_eq!(tokens.user("cwt=unknown", "A", t0), None);
    }

    #[test]
    fn a_token_works_only_on_the_pool_that_issued_it() {
        let t0 = t0();
        let mut tokens = Tokens::new(secs(60));
        let token = tokens.issue(DANA, "A", t0).unwrap();
        assert_eq!(tokens.user(&token, "A", t0), Some(DANA));
        assert_eq!(tokens.user(&token, "B", t0), None);
        assert_eq!(tokens.issuer(&token), Some(("A", DANA)));
        assert_eq!(tokens.issuer("cwt=unknown"), None);
    }

    #[test]
    fn expire_drops_only_expired_tokens() {
        let t0 = t0();
        let mut tokens = Tokens::new(secs(60));
        tokens.issue(DANA, "A", t0).unwrap();
        let later = tokens.issue(SARA, "A", t0 + secs(30)).unwrap();
        tokens.expire(t0 + secs(60));
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens.user(&later, "A", t0 + secs(60)), Some(SARA));
    }

    #[test]
    fn revoking_a_user_keeps_other_users_tokens() {
        let t0 = t0();
        let mut tokens = Tokens::new(secs(60));
        let a = tokens.issue(DANA, "A", t0).unwrap();
        let b = tokens.issue(DANA, "A", t0).unwrap();
        let sara = tokens.issue(SARA, "A", t0).unwrap();
        assert_ne!(a, b, "every sign-in gets its own token");
        assert_eq!(tokens.revoke_user(DANA), 2);
        assert_eq!(tokens.user(&a, "A", t0), None);
        assert_eq!(tokens.user(&sara, "A", t0), Some(SARA));
        assert_eq!(tokens.revoke_user(DANA), 0);
    }
}

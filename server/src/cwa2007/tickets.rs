//! `CWA-Ticket`s (bb969577, bb969612): issued at logon, sent back on every request, replaced
//! by a response once older than `--cwa-ticket-renew-secs`; a replaced ticket stays valid for
//! `--cwa-ticket-grace-secs` (responses to it carry its newest successor).

use std::collections::HashMap;
use std::time::Instant;

use crate::random;

struct Ticket {
    user: String,
    issued: Instant,
    /// Set when a newer ticket replaced this one: (when, the successor).
    replaced: Option<(Instant, String)>,
    /// The control API asked for a new ticket on the next response.
    renew_now: bool,
}

/// Why a ticket was not accepted (the reason of the 18001 error).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Missing,
    Unknown,
    Expired,
    NoRandomness,
}

impl Refused {
    pub fn reason(&self) -> &'static str {
        match self {
            Refused::Missing => "ticket missing: sign in first",
            Refused::Unknown => "ticket unknown",
            Refused::Expired => "ticket expired",
            Refused::NoRandomness => "ticket not renewable: no randomness",
        }
    }
}

/// An accepted ticket: whose it is and the ticket the response carries.
#[derive(Debug, PartialEq, Eq)]
pub struct Holder {
    pub user: String,
    pub ticket: String,
}

#[derive(Default)]
pub struct Tickets {
    map: HashMap<String, Ticket>,
}

impl Tickets {
    pub fn issue(&mut self, user: &str, now: Instant) -> Result<String, random::Error> {
        let ticket = loop {
            let t = random::hex(32)?;
            if !self.map.contains_key(&t) {
                break t;
            }
        };
        self.map.insert(
            ticket.clone(),
            Ticket {
                user: user.to_string(),
                issued: now,
                replaced: None,
                renew_now: false,
            },
        );
        Ok(ticket)
    }

    /// Checks `ticket`; renews it when due (`renew_after`) and says which ticket to send back.
    pub fn check(
        &mut self,
        ticket: Option<&str>,
        now: Instant,
        cfg: &crate::config::CwaConfig,
    ) -> Result<Holder, Refused> {
        let ticket = ticket.map(str::trim).filter(|t| !t.is_empty());
        let ticket = ticket.ok_or(Refused::Missing)?;
        let t = self.map.get(ticket).ok_or(Refused::Unknown)?;
        if now.saturating_duration_since(t.issued) >= cfg.ticket_lifetime {
            return Err(Refused::Expired);
        }
        let user = t.user.clone();
        if let Some((when, _)) = &t.replaced {
            if now.saturating_duration_since(*when) >= cfg.ticket_grace {
                return Err(Refused::Expired);
            }
            return Ok(Holder {
                user,
                ticket: self.newest(ticket),
            });
        }
        if !t.renew_now && now.saturating_duration_since(t.issued) < cfg.ticket_renew {
            return Ok(Holder {
                user,
                ticket: ticket.to_string(),
            });
        }
        let fresh = self.issue(&user, now).map_err(|_| Refused::NoRandomness)?;
        if let Some(old) = self.map.get_mut(ticket) {
            old.replaced = Some((now, fresh.clone()));
        }
        Ok(Holder {
            user,
            ticket: fresh,
        })
    }

    /// The end of the chain of successors of `ticket`.
    fn newest(&self, ticket: &str) -> String {
        let mut current = ticket;
        // Each step moves to a ticket issued later, so the chain ends; bound it anyway.
        for _ in 0..self.map.len() {
            match self.map.get(current).and_then(|t| t.replaced.as_ref()) {
                Some((_, next)) if self.map.contains_key(next) => current = next,
                _ => break,
            }
        }
        current.to_string()
    }

    /// Control API: every current ticket is replaced by the next response to its holder.
    pub fn renew_all(&mut self) {
        for t in self.map.values_mut().filter(|t| t.replaced.is_none()) {
            t.renew_now = true;
        }
    }

    /// Drops tickets past their lifetime or grace period.
    pub fn expire(&mut self, now: Instant, cfg: &crate::config::CwaConfig) {
        self.map.retain(|_, t| {
            let alive = now.saturating_duration_since(t.issued) < cfg.ticket_lifetime;
            let in_grace = t
                .replaced
                .as_ref()
                .is_none_or(|(when, _)| now.saturating_duration_since(*when) < cfg.ticket_grace);
            alive && in_grace
        });
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::config::CwaConfig;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    /// The default configuration, the start, and Dana's first ticket.
    fn dana_signed_in() -> (CwaConfig, Instant, Tickets, String) {
        let t0 = Instant::now();
        let mut t = Tickets::default();
        let first = t.issue("dana@contoso.com", t0).unwrap();
        (CwaConfig::default(), t0, t, first)
    }

    #[test]
    fn renewal_and_grace() {
        let (cfg, t0, mut t, first) = dana_signed_in();
        let same = t.check(Some(&first), t0 + secs(10), &cfg).unwrap();
        assert_eq!(same.ticket, first);
        assert_eq!(same.user, "dana@contoso.com");
        let renewed = t.check(Some(&first), t0 + cfg.ticket_renew, &cfg).unwrap();
        assert_ne!(renewed.ticket, first);
        let at = t0 + cfg.ticket_renew;
        let old = t.check(Some(&first), at + secs(1), &cfg).unwrap();
        assert_eq!(
            old.ticket, renewed.ticket,
            "the old one leads to its successor"
        );
        assert_eq!(
            t.check(Some(&first), at + cfg.ticket_grace, &cfg),
            Err(Refused::Expired)
        );
        let new = t.check(Some(&renewed.ticket), at + cfg.ticket_grace, &cfg);
        assert_eq!(new.unwrap().ticket, renewed.ticket);
        t.expire(at + cfg.ticket_grace, &cfg);
        assert_eq!(t.len(), 1);
        assert_eq!(t.check(None, t0, &cfg), Err(Refused::Missing));
        assert_eq!(t.check(Some(" "), t0, &cfg), Err(Refused::Missing));
        assert_eq!(t.check(Some("nope"), t0, &cfg), Err(Refused::Unknown));
    }

    #[test]
    fn renew_all_makes_the_next_response_carry_a_new_ticket() {
        let (cfg, t0, mut t, first) = dana_signed_in();
        t.renew_all();
        assert_ne!(t.check(Some(&first), t0, &cfg).unwrap().ticket, first);
    }

    #[test]
    fn the_lifetime_ends_a_ticket() {
        let (cfg, t0, mut t, first) = dana_signed_in();
        assert_eq!(
            t.check(Some(&first), t0 + cfg.ticket_lifetime, &cfg),
            Err(Refused::Expired)
        );
    }
}

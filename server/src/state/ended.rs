//! Applications the server ended (GenericSynchronousErrors: 410 Gone): a bounded memory of
//! their ids, so later requests to them answer 410 with the reason instead of 404.

use std::collections::{HashMap, VecDeque};

use crate::error::ApiError;

/// Ended applications remembered; the oldest are forgotten first (then they answer 404).
pub const CAPACITY: usize = 4096;

/// Why the server ended an application (the 410 subcode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// No pending event GET for `--app-idle-timeout`.
    InactiveApplicationExpired,
    /// The user created more than `--max-applications`.
    TooManyApplications,
}

impl EndReason {
    pub fn subcode(self) -> &'static str {
        match self {
            EndReason::InactiveApplicationExpired => "InactiveApplicationExpired",
            EndReason::TooManyApplications => "TooManyApplications",
        }
    }

    pub fn parse(subcode: &str) -> Option<EndReason> {
        [
            EndReason::InactiveApplicationExpired,
            EndReason::TooManyApplications,
        ]
        .into_iter()
        .find(|r| r.subcode().eq_ignore_ascii_case(subcode))
    }

    pub fn error(self) -> ApiError {
        let message = match self {
            EndReason::InactiveApplicationExpired => {
                "The application was ended because it had no pending event request for too long."
            }
            EndReason::TooManyApplications => {
                "The application was ended because the user created too many applications."
            }
        };
        ApiError::gone(self.subcode(), message)
    }
}

/// Application id → (user, reason), oldest first.
#[derive(Debug, Default)]
pub struct Ended {
    by_id: HashMap<u64, (String, EndReason)>,
    order: VecDeque<u64>,
}

impl Ended {
    pub fn insert(&mut self, id: u64, user: &str, reason: EndReason) {
        if self.by_id.insert(id, (user.to_string(), reason)).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
    }

    /// Why `user`'s application `id` was ended; other users' ids are not disclosed.
    pub fn reason(&self, id: u64, user: &str) -> Option<EndReason> {
        self.by_id
            .get(&id)
            .filter(|(owner, _)| owner == user)
            .map(|(_, r)| *r)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::testing::{DANA, SARA};

    #[test]
    fn remembers_the_reason_for_the_owner_only() {
        let mut e = Ended::default();
        e.insert(7, DANA, EndReason::TooManyApplications);
        assert_eq!(e.reason(7, DANA), Some(EndReason::TooManyApplications));
        assert_eq!(e.reason(7, SARA), None);
        assert_eq!(e.reason(8, DANA), None);
    }

    #[test]
    fn forgets_the_oldest_beyond_capacity() {
        let mut e = Ended::default();
        for id in 0..(CAPACITY as u64 + 3) {
            e.insert(id, DANA, EndReason::InactiveApplicationExpired);
        }
        assert_eq!(e.len(), CAPACITY);
        assert_eq!(e.reason(2, DANA), None);
        assert!(e.reason(3, DANA).is_some());
    }

    #[test]
    fn subcodes_round_trip() {
        for r in [
            EndReason::InactiveApplicationExpired,
            EndReason::TooManyApplications,
        ] {
            assert_eq!(EndReason::parse(r.subcode()), Some(r));
            assert_eq!(r.error().status.as_u16(), 410);
        }
        assert_eq!(EndReason::parse("Nope"), None);
    }
}

//! CWA sessions (initiateSession … terminateSession): `sid`, the per-session event queue with
//! `eid`/`ackId` re-delivery (bb969465), subscriptions, and the session as an endpoint of its
//! user (machine state from `UA=true` and machineState publishes).
//!
//! Events are queued as what happened ([`CwaEvent`]) and rendered when the data channel
//! answers, so a snapshot always shows the user's presence at delivery time.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Notify;

use super::tickets::Tickets;
use crate::state::Inner;

/// Events per data-channel reply (CONTRACTS12 §1).
pub const MAX_EVENTS_PER_REPLY: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CwaEvent {
    SelfPresence,
    /// A snapshot of the user with this key (or, outside the directory, this URI).
    UserPresence(String),
    ContactGroup,
    /// The outcome of an accepted request (initiateSession's `requestAccepted`).
    RequestSucceeded(String),
}

pub struct CwaSession {
    pub sid: u64,
    pub user: String,
    pub auto_machine_state: bool,
    /// The machine state's last activity (UA=true, a machineState publish, the start).
    pub last_active: Instant,
    pub last_poll: Instant,
    /// Watched users: directory keys, or the URI as given for users outside the directory.
    pub subscriptions: BTreeSet<String>,
    queue: VecDeque<(u64, CwaEvent)>,
    next_eid: u64,
    /// The highest eid ever sent (events above it were never delivered).
    delivered: u64,
    pub ack_id: u64,
    pub polls: u64,
    pub notify: Arc<Notify>,
}

impl CwaSession {
    /// Queues an event unless the same one is queued and not yet delivered.
    pub fn push(&mut self, event: CwaEvent) {
        let pending = self
            .queue
            .iter()
            .any(|(eid, e)| *eid > self.delivered && *e == event);
        if !pending {
            self.next_eid += 1;
            self.queue.push_back((self.next_eid, event));
        }
        self.notify.notify_waiters();
    }

    /// The client processed everything up to `ack`: drops it from the queue.
    pub fn acknowledge(&mut self, ack: u64) {
        self.queue.retain(|(eid, _)| *eid > ack);
        self.ack_id = self.ack_id.max(ack);
    }

    /// Events after `ack`, at most [`MAX_EVENTS_PER_REPLY`], marked delivered.
    pub fn take_after(&mut self, ack: u64) -> Vec<(u64, CwaEvent)> {
        let out: Vec<(u64, CwaEvent)> = self
            .queue
            .iter()
            .filter(|(eid, _)| *eid > ack)
            .take(MAX_EVENTS_PER_REPLY)
            .cloned()
            .collect();
        if let Some((last, _)) = out.last() {
            self.delivered = self.delivered.max(*last);
        }
        out
    }

    pub fn has_after(&self, ack: u64) -> bool {
        self.queue.iter().any(|(eid, _)| *eid > ack)
    }
}

/// Every CWA session and ticket of the process.
#[derive(Default)]
pub struct CwaState {
    pub tickets: Tickets,
    pub sessions: BTreeMap<u64, CwaSession>,
    next_sid: u64,
}

impl CwaState {
    pub fn create(&mut self, user: &str, auto_machine_state: bool, now: Instant) -> u64 {
        // sids start at 42 so a client that confuses sid and rid is caught early.
        self.next_sid = self.next_sid.max(41) + 1;
        let sid = self.next_sid;
        self.sessions.insert(
            sid,
            CwaSession {
                sid,
                user: user.to_string(),
                auto_machine_state,
                last_active: now,
                last_poll: now,
                subscriptions: BTreeSet::new(),
                queue: VecDeque::new(),
                next_eid: 0,
                delivered: 0,
                ack_id: 0,
                polls: 0,
                notify: Arc::new(Notify::new()),
            },
        );
        sid
    }

    /// The session `sid` of `user` (another user's sid is not found either).
    pub fn session_mut(&mut self, sid: u64, user: &str) -> Option<&mut CwaSession> {
        self.sessions.get_mut(&sid).filter(|s| s.user == user)
    }
}

impl Inner {
    /// The user's latest CWA machine-state activity, shifted so that UCWA's idle rule
    /// (`--idle-after`) makes it idle after `--cwa-idle-secs` instead.
    pub(crate) fn cwa_activity(&self, user: &str) -> Option<Instant> {
        let (cwa_idle, idle) = (self.cfg.cwa.idle_after, self.cfg.idle_after);
        self.cwa
            .sessions
            .values()
            .filter(|s| s.user == user)
            .map(|s| {
                if cwa_idle >= idle {
                    s.last_active + (cwa_idle - idle)
                } else {
                    s.last_active
                        .checked_sub(idle - cwa_idle)
                        .unwrap_or(s.last_active)
                }
            })
            .max()
    }

    /// A change of `user` reaches their CWA watchers (userPresence) and own sessions
    /// (selfPresence).
    pub(crate) fn cwa_notify(&mut self, user: &str) {
        for s in self.cwa.sessions.values_mut() {
            if s.user == user {
                s.push(CwaEvent::SelfPresence);
            }
            if s.subscriptions.contains(user) {
                s.push(CwaEvent::UserPresence(user.to_string()));
            }
        }
    }

    /// Ends a session: its subscriptions go, the user's presence is recomputed.
    pub fn end_cwa_session(&mut self, sid: u64, now: Instant) {
        if let Some(s) = self.cwa.sessions.remove(&sid) {
            s.notify.notify_waiters();
            self.recompute(&s.user, now);
        }
    }

    /// Control API: ends every CWA session of `user`; returns how many.
    pub fn end_cwa_sessions_of(&mut self, user: &str, now: Instant) -> usize {
        let sids: Vec<u64> = self
            .cwa
            .sessions
            .values()
            .filter(|s| s.user == user)
            .map(|s| s.sid)
            .collect();
        for sid in &sids {
            self.end_cwa_session(*sid, now);
        }
        sids.len()
    }

    /// Housekeeping: sessions not polled for `--cwa-session-timeout-secs` end; tickets
    /// expire; users with sessions are recomputed (the machine state goes idle).
    pub(crate) fn cwa_tick(&mut self, now: Instant) {
        let timeout = self.cfg.cwa.session_timeout;
        let stale: Vec<u64> = self
            .cwa
            .sessions
            .values()
            .filter(|s| now.saturating_duration_since(s.last_poll) >= timeout)
            .map(|s| s.sid)
            .collect();
        for sid in stale {
            self.end_cwa_session(sid, now);
        }
        let cfg = self.cfg.cwa.clone();
        self.cwa.tickets.expire(now, &cfg);
        let mut users: Vec<String> = self.cwa.sessions.values().map(|s| s.user.clone()).collect();
        users.sort_unstable();
        users.dedup();
        for u in users {
            self.recompute(&u, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::Availability;
    use crate::state::testing::{app_of, drain, inner, secs, t0, DANA, SARA};

    #[test]
    fn a_session_is_an_endpoint_whose_changes_reach_both_apis() {
        let t0 = t0();
        let mut g = inner(t0);
        g.cfg.cwa.idle_after = secs(60);
        let sara = app_of(&mut g, SARA, t0);
        g.create_subscription(sara, vec![DANA.into()], 10, None, t0)
            .unwrap();
        drain(&mut g, sara);
        let sid = g.cwa.create(DANA, true, t0);
        let watcher = g.cwa.create(SARA, true, t0);
        if let Some(w) = g.cwa.session_mut(watcher, SARA) {
            w.subscriptions.insert(DANA.into());
        }
        g.recompute(DANA, t0);
        assert_eq!(g.published(DANA).availability, Availability::Online);
        assert_eq!(drain(&mut g, sara), [("contactPresence", "updated")]);
        let queued = |g: &mut Inner, sid: u64, user: &str| {
            g.cwa.session_mut(sid, user).unwrap().take_after(0)
        };
        assert_eq!(
            queued(&mut g, watcher, SARA),
            [(1, CwaEvent::UserPresence(DANA.into()))]
        );
        assert_eq!(queued(&mut g, sid, DANA), [(1, CwaEvent::SelfPresence)]);

        g.recompute(DANA, t0 + secs(59));
        assert_eq!(g.published(DANA).availability, Availability::Online);
        g.recompute(DANA, t0 + secs(60));
        assert_eq!(
            g.published(DANA).availability,
            Availability::IdleOnline,
            "idle after --cwa-idle-secs, not --idle-after"
        );
        g.cwa_tick(t0 + g.cfg.cwa.session_timeout);
        assert!(g.cwa.sessions.is_empty(), "never polled: both timed out");
        assert_eq!(g.published(DANA).availability, Availability::Offline);
    }

    #[test]
    fn eids_grow_acks_drop_and_lower_acks_redeliver() {
        let now = Instant::now();
        let mut c = CwaState::default();
        let sid = c.create("dana@contoso.com", true, now);
        let s = c.session_mut(sid, "dana@contoso.com").unwrap();
        s.push(CwaEvent::SelfPresence);
        s.push(CwaEvent::SelfPresence);
        s.push(CwaEvent::ContactGroup);
        let first = s.take_after(0);
        assert_eq!(
            first,
            [(1, CwaEvent::SelfPresence), (2, CwaEvent::ContactGroup)],
            "an undelivered duplicate is not queued twice"
        );
        s.push(CwaEvent::SelfPresence);
        assert_eq!(
            s.take_after(0).len(),
            3,
            "a lower AckId gets everything again"
        );
        s.acknowledge(2);
        assert_eq!(s.take_after(2), [(3, CwaEvent::SelfPresence)]);
        s.acknowledge(3);
        assert!(s.take_after(0).is_empty() && !s.has_after(0));
        assert!(c.session_mut(sid, "sarad@contoso.com").is_none());
    }
}

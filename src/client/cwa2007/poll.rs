//! The data channel (bb969534, bb969465, bb969533): one GET at a time with the highest eid
//! processed as `AckId`, the next one `pollWaitTime` after the answer, and what the events do.

use std::rc::Rc;

use super::super::http::Method;
use super::super::session::Outcome;
use super::super::store::Connection;
use super::super::timer::within;
use super::{http, step_of, Session};
use crate::protocol::cwa2007::failure::{decide, CwaFailure, CwaStep};
use crate::protocol::cwa2007::{parse_events, DataChannel, Event};
use crate::protocol::failure::{Action, Backoff, NetworkKind};

/// A poll given no answer in this long is given up (the reference server answers at once or
/// holds it `--cwa-hold-ms`; a real one is not documented to hold it at all).
const POLL_DEADLINE_MS: u32 = 90_000;

impl Session {
    /// Polls until the CWA session has to be started again or the session given up.
    /// `backoff` is the connection's: an answer on the channel resets it.
    pub(crate) async fn poll_loop(self: &Rc<Self>, backoff: &mut Backoff) -> Outcome {
        let generation = self.generation.get();
        let mut answered = false;
        loop {
            if self.session_lost.get() || !self.is_current(generation) {
                return Outcome::RecreateApplication;
            }
            let failure = if self.sign_in_requested.take() {
                CwaFailure::Http {
                    status: 401,
                    error: None,
                }
            } else if self.network.is_offline() {
                CwaFailure::Network(NetworkKind::Offline)
            } else if answered {
                // `pollWaitTime` after an answer; then the flags above are looked at again.
                answered = false;
                let wait = self
                    .channel
                    .borrow()
                    .as_ref()
                    .map(DataChannel::poll_wait_ms);
                self.wait(wait.unwrap_or(DataChannel::DEFAULT_POLL_WAIT_MS))
                    .await;
                continue;
            } else {
                match self.poll_once().await {
                    Ok(events) => {
                        answered = true;
                        backoff.on_success();
                        self.store.set_connection(Connection::Live);
                        self.apply_events(events, generation);
                        continue;
                    }
                    // Aborted for a refused ticket or a lost session: handled on the next turn.
                    Err(_) if self.sign_in_requested.get() || self.session_lost.get() => continue,
                    Err(failure) => failure,
                }
            };
            if !self.is_current(generation) {
                return Outcome::RecreateApplication;
            }
            if let Err(outcome) = self.recover(failure, backoff).await {
                return outcome;
            }
        }
    }

    /// One GET of the data channel: the events not seen before, or how it failed (an error
    /// in the envelope, e.g. 18100, is a failure).
    async fn poll_once(&self) -> Result<Vec<Event>, CwaFailure> {
        let path = {
            let channel = self.channel.borrow();
            let Some(channel) = channel.as_ref() else {
                return Err(CwaFailure::Malformed("no CWA session".into()));
            };
            // With no base: the path and query, on the CWA origin `send` adds.
            channel.poll_url("", self.activity.take_for_poll())
        };
        let abort = web_sys::AbortController::new().ok();
        let signal = abort.as_ref().map(|a| a.signal());
        self.poll_abort.replace(abort.clone());
        let answer = within(
            POLL_DEADLINE_MS,
            self.http
                .send(Method::Get, &path, None, false, signal.as_ref()),
        )
        .await;
        self.poll_abort.replace(None);
        let reply = match answer {
            Some(Ok(reply)) => reply,
            Some(Err(_)) if self.network.is_offline() => {
                return Err(CwaFailure::Network(NetworkKind::Offline))
            }
            Some(Err(failure)) => return Err(failure),
            None => {
                if let Some(abort) = abort {
                    abort.abort();
                }
                return Err(CwaFailure::Network(NetworkKind::Timeout));
            }
        };
        if reply.status != 200 {
            return Err(http::http_failure(&reply));
        }
        let page = parse_events(&reply.body).map_err(|e| CwaFailure::Malformed(e.to_string()))?;
        // An error in the envelope (no eid: not an event to acknowledge) ends the poll.
        if let Some(error) = page.events.iter().find_map(|event| match event {
            Event::Error { eid: None, error } => Some(error.clone()),
            _ => None,
        }) {
            return Err(CwaFailure::Cwa(error));
        }
        let mut channel = self.channel.borrow_mut();
        let channel = channel
            .as_mut()
            .ok_or_else(|| CwaFailure::Malformed("no CWA session".into()))?;
        Ok(channel.accept(page))
    }

    /// Carries out the policy for a failed poll: presence turns stale, and the loop waits,
    /// signs in again, starts a new session, or ends.
    async fn recover(
        self: &Rc<Self>,
        failure: CwaFailure,
        backoff: &mut Backoff,
    ) -> Result<(), Outcome> {
        if let CwaFailure::Malformed(why) = &failure {
            web_sys::console::warn_1(&format!("ucwa-presence: CWA data channel: {why}").into());
        }
        let action = backoff.on_failure(step_of(CwaStep::Poll), decide(CwaStep::Poll, &failure));
        self.network.after_failure(&action, &self.store)?;
        if matches!(action, Action::SignIn) {
            // The ticket is gone: sign in again (Windows silently; the password form asks),
            // then go on with the same session; a lost one answers 18100 and is started again.
            self.http.clear_ticket();
            return match self.sign_in().await {
                Ok(()) => {
                    self.schedule_sync();
                    self.resend_own();
                    Ok(())
                }
                Err((step, action)) => match backoff.on_failure(step_of(step), action) {
                    Action::Stop(reason) | Action::GiveUp(reason) => {
                        Err(Outcome::Stop(reason.message()))
                    }
                    action => {
                        self.pause_after(&action, backoff).await;
                        Ok(())
                    }
                },
            };
        }
        self.pause_after(&action, backoff).await;
        Ok(())
    }
}

//! The event channel P-GET (events_ref, EventChannelDetails, EventsInUCWA).
//!
//! `GET events?ack=N[&timeout=S&medium=S&low=S&priority=P&instanceId=I]`:
//! - `ack` = the number of the response to build; following a `next` link acknowledges the
//!   previous response. Repeating the last `ack` re-delivers that response unchanged.
//! - Any other `ack` gets a `resync` link to the first unacknowledged response.
//! - A second P-GET replaces the first, which gets 409 PGetReplaced.
//! - After a channel reset the next response carries `resume` instead of `next`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use super::extract::App;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::events::Readiness;
use crate::faults;
use crate::http::{ok, Params};
use crate::links;
use crate::state::AppState;

fn window(params: &Params, name: &str) -> ApiResult<Option<Duration>> {
    match params.int(name)? {
        None => Ok(None),
        Some(s) if (5..=1800).contains(&s) => Ok(Some(Duration::from_secs(s as u64))),
        Some(_) => Err(ApiError::invalid_parameter(format!(
            "'{name}' must be between 5 and 1800 seconds."
        ))),
    }
}

/// Keeps the open-P-GET count right however the request ends (including client disconnects).
struct Holder {
    state: AppState,
    app: u64,
    instance: String,
}

impl Drop for Holder {
    fn drop(&mut self) {
        self.state
            .lock()
            .end_pget(self.app, &self.instance, clock::now());
    }
}

pub async fn pget(
    State(state): State<AppState>,
    App { id, user }: App,
    params: Params,
) -> ApiResult<Response> {
    let ack = params.int("ack")?;
    let instance = params.get("instanceId").unwrap_or("").to_string();
    let timeout = match params.int("timeout")? {
        None => None,
        Some(t)
            if t >= state.cfg.pget_min_timeout as i64 && t <= state.cfg.pget_max_timeout as i64 =>
        {
            Some(t as u64)
        }
        Some(_) => {
            return Err(ApiError::invalid_parameter(format!(
                "'timeout' must be between {} and {} seconds.",
                state.cfg.pget_min_timeout, state.cfg.pget_max_timeout
            )))
        }
    };
    let medium = window(&params, "medium")?;
    let low = window(&params, "low")?;
    let priority = params.int("priority")?.unwrap_or(0);
    let href = |n: u64| links::events(id, &instance, n);

    let now = clock::now();
    let (holder_id, notify, deadline, ack) = {
        let mut guard = state.lock();
        let g = &mut *guard;
        let drop_it = g.faults.take_drop_pget();
        let ch = g
            .apps
            .get_mut(&id)
            .ok_or_else(ApiError::application_not_found)?
            .channels
            .get_mut(&instance)
            .ok_or_else(ApiError::application_not_found)?;
        if drop_it {
            return Ok(faults::abort_connection());
        }
        let resync = g.faults.take_resync();
        if let Some(m) = medium {
            ch.medium = m;
        }
        if let Some(l) = low {
            ch.low = l;
        }
        if timeout.is_some() {
            ch.timeout_secs = timeout;
        }
        if ch.resume_pending {
            let n = ch.next_ack;
            let (body, count) = ch.take_response(&href, n);
            g.counters.events_delivered += count as u64;
            g.counters.pget_responses += 1;
            return Ok(ok(&body));
        }
        if let (Some((n, body)), Some(a)) = (&ch.unacked, ack) {
            if i64::try_from(*n).is_ok_and(|n| n == a) {
                // The client did not get (or lost) this response: deliver it again.
                g.counters.pget_responses += 1;
                return Ok(ok(body));
            }
        }
        let Some(ack) = ack
            .filter(|a| !resync && *a >= 0 && *a as u64 == ch.next_ack)
            .map(|a| a as u64)
        else {
            let self_href = match ack {
                Some(a) if a >= 0 => href(a as u64),
                _ => href(ch.next_ack),
            };
            g.counters.pget_responses += 1;
            return Ok(ok(
                &json!({ "_links": { "self": { "href": self_href }, "resync": { "href": href(ch.first_unacked()) } } }),
            ));
        };
        ch.unacked = None;
        if ch.open_pgets > 0 && priority < ch.holder_priority {
            return Err(ApiError::conflict(
                "PGetReplaced",
                "A pending GET with a higher priority is already waiting on this event channel.",
            ));
        }
        ch.holder += 1;
        ch.holder_priority = priority;
        ch.open_pgets += 1;
        // Wake the previous holder so it answers 409 PGetReplaced.
        ch.notify.notify_waiters();
        let secs = ch
            .timeout_secs
            .unwrap_or_else(|| state.cfg.default_pget_timeout());
        (
            ch.holder,
            Arc::clone(&ch.notify),
            now + Duration::from_secs(secs),
            ack,
        )
    };
    let _holder = Holder {
        state: state.clone(),
        app: id,
        instance: instance.clone(),
    };

    loop {
        let notified = notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let wake_at = {
            let mut guard = state.lock();
            let g = &mut *guard;
            let now = clock::now();
            let Some(ch) = g
                .apps
                .get_mut(&id)
                .and_then(|a| a.channels.get_mut(&instance))
            else {
                // Deleted while held: 404, or 410 when the server ended it.
                return Err(g.missing(id, &user));
            };
            if ch.holder != holder_id {
                return Err(ApiError::conflict(
                    "PGetReplaced",
                    "This pending GET was replaced by a newer one on the same event channel.",
                ));
            }
            let readiness = ch.readiness(now);
            if ch.resume_pending || matches!(readiness, Readiness::Ready) || now >= deadline {
                let n = if ch.resume_pending { ch.next_ack } else { ack };
                let (body, count) = ch.take_response(&href, n);
                g.counters.events_delivered += count as u64;
                g.counters.pget_responses += 1;
                return Ok(ok(&body));
            }
            match readiness {
                Readiness::WaitUntil(Some(t)) => t.min(deadline),
                _ => deadline,
            }
        };
        tokio::select! {
            _ = &mut notified => {}
            _ = tokio::time::sleep_until(wake_at.into()) => {}
        }
    }
}

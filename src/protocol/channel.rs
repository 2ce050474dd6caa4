//! The event channel's state machine (EventChannelDetails): which URL to P-GET next and what to
//! do after each response or failure. Pure: the client does the HTTP, the timers and the caches.
//!
//! URLs are kept exactly as the server gave them (usually root-relative); resolve them with
//! [`url::resolve`](super::url::resolve) before fetching. `ack` is never edited.

use super::error::{gone_reason, Failure, UcwaError};
use super::events::EventPage;
use super::url::with_query;

/// Smallest and largest `timeout` the server accepts (seconds).
pub const TIMEOUT_RANGE: (u32, u32) = (180, 1800);
/// First retry delay ceiling and overall cap (milliseconds).
pub const BACKOFF_BASE_MS: u32 = 1_000;
pub const BACKOFF_CAP_MS: u32 = 60_000;

/// What the client should do after a response or a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelStep {
    /// Process the page's events and P-GET [`EventChannel::poll_url`].
    Continue,
    /// The server lost our place: drop cached presence, re-read it all, then P-GET the new URL.
    Resync,
    /// Long gap: subscriptions were reset; re-create them, then P-GET the new URL.
    Resume,
    /// Wait this many milliseconds, then P-GET the same URL again.
    RetryAfter(u32),
    /// The application is gone (404, or a response without any link to follow).
    RecreateApplication,
    /// The token is no longer accepted (401).
    Reauthenticate,
    /// Stop polling.
    Stop(StopReason),
}

/// Why the channel stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// 409 PGetReplaced: another tab or poller took over this channel.
    Replaced,
    /// 410 Gone, with the server's subcode (`TooManyApplications`, …).
    Gone { subcode: Option<String> },
    /// 403: the server refuses us (for example, this page's origin is not allowed).
    Forbidden,
    /// Any other status this state machine does not expect.
    Unexpected { status: u16 },
}

impl StopReason {
    /// A sentence for the user.
    pub fn message(&self) -> String {
        match self {
            StopReason::Replaced => {
                "Presence updates continue in another window or tab.".to_string()
            }
            StopReason::Gone { subcode } => gone_reason(subcode.as_deref()),
            StopReason::Forbidden => {
                "The Skype for Business server refused presence updates for this page.".to_string()
            }
            StopReason::Unexpected { status } => {
                format!(
                    "Presence updates stopped after an unexpected server response (HTTP {status})."
                )
            }
        }
    }
}

/// The event channel's position and retry state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChannel {
    url: String,
    failures: u32,
}

impl EventChannel {
    /// Starts at the application's `events` link, unchanged.
    pub fn new(events_href: &str) -> Self {
        EventChannel {
            url: events_href.trim().to_string(),
            failures: 0,
        }
    }

    /// The URL to P-GET now, with `timeout` (clamped to 180..=1800 s) when given.
    pub fn poll_url(&self, timeout_secs: Option<u32>) -> String {
        match timeout_secs {
            Some(t) => with_query(
                &self.url,
                "timeout",
                &t.clamp(TIMEOUT_RANGE.0, TIMEOUT_RANGE.1).to_string(),
            ),
            None => self.url.clone(),
        }
    }

    /// The current URL as the server gave it.
    pub fn current_url(&self) -> &str {
        &self.url
    }

    /// Consecutive failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Follows a response's links: `resync` first, then `resume`, then `next`, each exactly as
    /// given. A response with none of them means the channel is over: recreate the application.
    pub fn on_page(&mut self, page: &EventPage) -> ChannelStep {
        self.on_success_reset_backoff();
        let (url, step) = if let Some(u) = &page.resync {
            (u, ChannelStep::Resync)
        } else if let Some(u) = &page.resume {
            (u, ChannelStep::Resume)
        } else if let Some(u) = &page.next {
            (u, ChannelStep::Continue)
        } else {
            return ChannelStep::RecreateApplication;
        };
        self.url = url.clone();
        step
    }

    pub fn on_failure(&mut self, failure: &Failure, rand01: f64) -> ChannelStep {
        let err = match failure {
            Failure::Network(_) => return self.retry(rand01),
            Failure::Http(err) => err,
        };
        match err.status {
            401 => ChannelStep::Reauthenticate,
            403 => ChannelStep::Stop(StopReason::Forbidden),
            404 => ChannelStep::RecreateApplication,
            409 if is_pget_replaced(err) => ChannelStep::Stop(StopReason::Replaced),
            410 => ChannelStep::Stop(StopReason::Gone {
                subcode: err.subcode.clone(),
            }),
            408 | 409 | 429 | 500..=599 => self.retry(rand01),
            status => ChannelStep::Stop(StopReason::Unexpected { status }),
        }
    }

    /// Forgets past failures (call after any successful response).
    pub fn on_success_reset_backoff(&mut self) {
        self.failures = 0;
    }

    fn retry(&mut self, rand01: f64) -> ChannelStep {
        let delay = backoff_ms(self.failures, rand01);
        self.failures = self.failures.saturating_add(1);
        ChannelStep::RetryAfter(delay)
    }
}

fn is_pget_replaced(err: &UcwaError) -> bool {
    err.has_subcode("PGetReplaced")
}

/// Full-jitter exponential backoff: a delay in `[1 s, min(60 s, 2^(attempt+1) s)]`.
/// `rand01` outside `[0, 1]` is clamped; NaN counts as 0.5.
pub fn backoff_ms(attempt: u32, rand01: f64) -> u32 {
    let ceiling = BACKOFF_BASE_MS
        .checked_shl(attempt.saturating_add(1).min(16))
        .unwrap_or(BACKOFF_CAP_MS)
        .min(BACKOFF_CAP_MS);
    let r = if rand01.is_nan() {
        0.5
    } else {
        rand01.clamp(0.0, 1.0)
    };
    let span = f64::from(ceiling - BACKOFF_BASE_MS);
    // `as` saturates and the value is within [0, span]; no overflow possible.
    BACKOFF_BASE_MS + (r * span) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::events::parse_event_page;

    const EVENTS: &str = "/ucwa/oauth/v1/applications/101/events?ack=1";

    fn http(status: u16, subcode: Option<&str>) -> Failure {
        Failure::Http(UcwaError {
            status,
            subcode: subcode.map(str::to_string),
            ..UcwaError::default()
        })
    }

    #[test]
    fn poll_url_adds_timeout_without_touching_ack() {
        let ch = EventChannel::new(EVENTS);
        assert_eq!(ch.poll_url(None), EVENTS);
        assert_eq!(ch.poll_url(Some(900)), format!("{EVENTS}&timeout=900"));
        assert_eq!(ch.poll_url(Some(5)), format!("{EVENTS}&timeout=180"));
        assert_eq!(ch.poll_url(Some(99_999)), format!("{EVENTS}&timeout=1800"));
    }

    #[test]
    fn follows_seed_000_next_link() {
        let mut ch = EventChannel::new(EVENTS);
        let page = parse_event_page(
            r#"{"_links":{"self":{"href":"/ucwa/oauth/v1/applications/101/events?ack=5"},
                "next":{"href":"/ucwa/oauth/v1/applications/101/events?ack=6"}}}"#,
        )
        .unwrap();
        assert_eq!(ch.on_page(&page), ChannelStep::Continue);
        assert_eq!(
            ch.poll_url(Some(180)),
            "/ucwa/oauth/v1/applications/101/events?ack=6&timeout=180"
        );
    }

    #[test]
    fn resync_and_resume_take_precedence() {
        let mut ch = EventChannel::new(EVENTS);
        let page = EventPage {
            next: Some("/n".into()),
            resync: Some("/rs".into()),
            resume: Some("/ru".into()),
            events: vec![],
        };
        assert_eq!(ch.on_page(&page), ChannelStep::Resync);
        assert_eq!(ch.current_url(), "/rs");
        let page = EventPage {
            next: Some("/n".into()),
            resume: Some("/ru".into()),
            ..EventPage::default()
        };
        assert_eq!(ch.on_page(&page), ChannelStep::Resume);
        assert_eq!(ch.current_url(), "/ru");
        assert_eq!(
            ch.on_page(&EventPage::default()),
            ChannelStep::RecreateApplication
        );
        assert_eq!(ch.current_url(), "/ru");
    }

    #[test]
    fn failures_map_to_steps() {
        let mut ch = EventChannel::new(EVENTS);
        assert_eq!(
            ch.on_failure(&http(409, Some("PGetReplaced")), 0.3),
            ChannelStep::Stop(StopReason::Replaced)
        );
        assert_eq!(
            ch.on_failure(&http(404, Some("ApplicationNotFound")), 0.3),
            ChannelStep::RecreateApplication
        );
        assert_eq!(
            ch.on_failure(&http(401, None), 0.3),
            ChannelStep::Reauthenticate
        );
        assert_eq!(
            ch.on_failure(&http(410, Some("InactiveApplicationExpired")), 0.3),
            ChannelStep::Stop(StopReason::Gone {
                subcode: Some("InactiveApplicationExpired".into())
            })
        );
        assert_eq!(
            ch.on_failure(&http(403, None), 0.3),
            ChannelStep::Stop(StopReason::Forbidden)
        );
        assert_eq!(
            ch.on_failure(&http(400, None), 0.3),
            ChannelStep::Stop(StopReason::Unexpected { status: 400 })
        );
        assert_eq!(ch.failures(), 0);
        for f in [
            http(500, None),
            http(503, None),
            http(429, None),
            http(409, None),
            Failure::Network("offline".into()),
        ] {
            assert!(
                matches!(ch.on_failure(&f, 0.3), ChannelStep::RetryAfter(ms) if (1_000..=60_000).contains(&ms))
            );
        }
        assert_eq!(ch.failures(), 5);
        assert_eq!(ch.current_url(), EVENTS, "failures never move the channel");
        assert!(StopReason::Gone {
            subcode: Some("TooManyApplications".into())
        }
        .message()
        .contains("too many"));
        assert!(StopReason::Unexpected { status: 400 }
            .message()
            .contains("400"));
    }

    #[test]
    fn backoff_grows_caps_and_resets() {
        let mut ch = EventChannel::new(EVENTS);
        let net = Failure::Network("timeout".into());
        let maxima: Vec<_> = (0..8)
            .map(|_| match ch.on_failure(&net, 1.0) {
                ChannelStep::RetryAfter(ms) => ms,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            maxima,
            [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]
        );
        assert_eq!(ch.on_failure(&net, 0.0), ChannelStep::RetryAfter(1_000));
        ch.on_success_reset_backoff();
        assert_eq!(ch.on_failure(&net, 0.5), ChannelStep::RetryAfter(1_500));
        assert_eq!(backoff_ms(u32::MAX, f64::NAN), 30_500);
        assert_eq!(backoff_ms(3, -4.0), 1_000);
        assert_eq!(backoff_ms(40, 7.0), 60_000);
    }

    #[test]
    fn a_page_resets_backoff() {
        let mut ch = EventChannel::new(EVENTS);
        let net = Failure::Network("x".into());
        ch.on_failure(&net, 0.9);
        ch.on_failure(&net, 0.9);
        assert_eq!(ch.failures(), 2);
        ch.on_page(&EventPage {
            next: Some("/n".into()),
            ..EventPage::default()
        });
        assert_eq!(ch.failures(), 0);
        assert_eq!(ch.on_failure(&net, 1.0), ChannelStep::RetryAfter(2_000));
    }
}

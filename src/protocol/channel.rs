//! The event channel's state machine (EventChannelDetails): which URL to P-GET next and what to
//! do after each response (failures: [`failure`](super::failure)). Pure: the client does the
//! HTTP, the timers and the caches.
//!
//! URLs are kept exactly as the server gave them (usually root-relative); resolve them with
//! [`url::resolve`](super::url::resolve) before fetching. `ack` is never edited.

use super::events::{Event, EventPage};
use super::url::with_query;

/// Smallest and largest `timeout` (seconds) the documentation allows (events_ref).
pub const TIMEOUT_RANGE: (u32, u32) = (180, 1800);
/// The `timeout` the widget asks for unless told otherwise: UCWA's default.
pub const DEFAULT_TIMEOUT_SECS: u32 = TIMEOUT_RANGE.0;

/// What to do after an event-channel response. Failures are decided by
/// [`failure::decide`](super::failure::decide) with [`Step::EventsGet`](super::failure::Step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelStep {
    /// Process the page's events and P-GET [`EventChannel::poll_url`].
    Continue,
    /// The server lost our place: drop cached presence, re-read it all, then P-GET the new URL.
    Resync,
    /// Long gap: subscriptions were reset; re-create them, then P-GET the new URL.
    Resume,
    /// The application is gone (an `application deleted` event, or a response without any link
    /// to follow): process the page's other events, then create a new application at once.
    RecreateApplication,
}

/// The event channel's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChannel {
    url: String,
}

impl EventChannel {
    /// Starts at the application's `events` link, unchanged.
    pub fn new(events_href: &str) -> Self {
        EventChannel {
            url: events_href.trim().to_string(),
        }
    }

    /// The URL to P-GET now, asking the server to answer within `timeout_secs` (at most the
    /// documented 1800; values below the documented 180 are for test servers that accept them).
    pub fn poll_url(&self, timeout_secs: u32) -> String {
        let timeout = timeout_secs.clamp(1, TIMEOUT_RANGE.1);
        with_query(&self.url, "timeout", &timeout.to_string())
    }

    /// The current URL as the server gave it.
    pub fn current_url(&self) -> &str {
        &self.url
    }

    /// Follows a response's links: `resync` first, then `resume`, then `next`, each exactly as
    /// given. An `application deleted` event, or a response with none of these links, means the
    /// channel is over: recreate the application.
    pub fn on_page(&mut self, page: &EventPage) -> ChannelStep {
        if page
            .events
            .iter()
            .any(|e| matches!(e, Event::ApplicationDeleted { .. }))
        {
            return ChannelStep::RecreateApplication;
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::events::parse_event_page;

    const EVENTS: &str = "/ucwa/oauth/v1/applications/101/events?ack=1";

    #[test]
    fn poll_url_adds_timeout_without_touching_ack() {
        let ch = EventChannel::new(EVENTS);
        assert_eq!(ch.poll_url(900), format!("{EVENTS}&timeout=900"));
        assert_eq!(
            ch.poll_url(DEFAULT_TIMEOUT_SECS),
            format!("{EVENTS}&timeout=180")
        );
        assert_eq!(
            ch.poll_url(5),
            format!("{EVENTS}&timeout=5"),
            "a test server's short timeout"
        );
        assert_eq!(ch.poll_url(0), format!("{EVENTS}&timeout=1"));
        assert_eq!(ch.poll_url(99_999), format!("{EVENTS}&timeout=1800"));
        let mut ch = EventChannel::new(EVENTS);
        ch.on_page(&EventPage {
            next: Some("/e?ack=2&timeout=900".into()),
            ..EventPage::default()
        });
        assert_eq!(
            ch.poll_url(180),
            "/e?ack=2&timeout=180",
            "one timeout, ours"
        );
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
            ch.poll_url(180),
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

    /// An `application deleted` event recreates the application at once, not at the next 404.
    #[test]
    fn an_application_deleted_event_ends_the_channel() {
        let mut ch = EventChannel::new(EVENTS);
        let page = parse_event_page(
            r#"{"_links":{"next":{"href":"/ucwa/oauth/v1/applications/101/events?ack=2"}},
                "sender":[{"rel":"people","href":"/ucwa/oauth/v1/applications/101/people","events":[
                   {"link":{"rel":"contactPresence","href":"/ucwa/oauth/v1/applications/101/people/sarad@contoso.com/presence"},"type":"updated"}]},
                  {"rel":"application","href":"/ucwa/oauth/v1/applications/101","events":[
                   {"link":{"rel":"application","href":"/ucwa/oauth/v1/applications/101"},"type":"deleted"}]}]}"#,
        )
        .unwrap();
        assert_eq!(page.events.len(), 2, "the presence update is still handled");
        assert_eq!(ch.on_page(&page), ChannelStep::RecreateApplication);
        assert_eq!(ch.current_url(), EVENTS, "a dead channel is not followed");
    }
}

//! The event channel of one application instance (events_ref, EventsInUCWA,
//! EventChannelDetails): queued events, aggregation windows, ack bookkeeping and the P-GET
//! holder. Pure data; the HTTP side lives in `routes/events.rs`.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tokio::sync::Notify;

/// Aggregation class of an event (EventsInUCWA "Aggregation").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Released at once (resource added/deleted, me updates, subscription warnings).
    High,
    /// Held up to the `medium` window (contactPresence updates).
    Medium,
    /// Held up to the `low` window (contactNote / contactLocation updates).
    Low,
}

#[derive(Clone, Debug)]
pub struct Link {
    pub rel: &'static str,
    pub href: String,
}

#[derive(Clone, Debug)]
pub struct Event {
    pub sender: Link,
    pub link: Link,
    pub in_link: Option<Link>,
    pub embedded: Option<Value>,
    pub kind: &'static str,
    pub priority: Priority,
}

impl Event {
    pub fn new(sender: Link, link: Link, kind: &'static str, priority: Priority) -> Self {
        Event {
            sender,
            link,
            in_link: None,
            embedded: None,
            kind,
            priority,
        }
    }

    pub fn within(mut self, in_link: Link) -> Self {
        self.in_link = Some(in_link);
        self
    }

    pub fn embedding(mut self, resource: Value) -> Self {
        self.embedded = Some(resource);
        self
    }

    /// Repeated updates of the same resource without embedded content are interchangeable.
    fn coalesces_with(&self, other: &Event) -> bool {
        self.kind == "updated"
            && other.kind == "updated"
            && self.embedded.is_none()
            && other.embedded.is_none()
            && self.link.href == other.link.href
            && self.link.rel == other.link.rel
    }

    fn to_json(&self) -> Value {
        let mut e = Map::new();
        e.insert(
            "link".into(),
            json!({ "rel": self.link.rel, "href": self.link.href }),
        );
        if let Some(l) = &self.in_link {
            e.insert("in".into(), json!({ "rel": l.rel, "href": l.href }));
        }
        if let Some(body) = &self.embedded {
            e.insert("_embedded".into(), json!({ self.link.rel: body }));
        }
        e.insert("type".into(), Value::String(self.kind.into()));
        Value::Object(e)
    }
}

/// What a waiting P-GET should do now.
pub enum Readiness {
    /// Events are due: build the response.
    Ready,
    /// Wait until this instant (an aggregation window closes) or a notification.
    WaitUntil(Option<Instant>),
}

#[derive(Debug)]
pub struct EventChannel {
    pending: VecDeque<(Event, Instant)>,
    /// Number of the next response to build; a P-GET with this `ack` acknowledges the previous.
    pub next_ack: u64,
    /// The last response sent, kept until acknowledged so it can be delivered again.
    pub unacked: Option<(u64, Value)>,
    /// Set when the channel was reset: the next response carries `resume` instead of `next`.
    pub resume_pending: bool,
    /// Remembered aggregation settings (EventChannelDetails: "remembered by the server").
    pub medium: Duration,
    pub low: Duration,
    pub timeout_secs: Option<u64>,
    /// Identifies the current P-GET holder; a new P-GET bumps it and the old one gets 409.
    pub holder: u64,
    pub holder_priority: i64,
    pub open_pgets: usize,
    pub notify: Arc<Notify>,
}

impl EventChannel {
    pub fn new(medium: Duration, low: Duration) -> Self {
        EventChannel {
            pending: VecDeque::new(),
            next_ack: 1,
            unacked: None,
            resume_pending: false,
            medium,
            low,
            timeout_secs: None,
            holder: 0,
            holder_priority: i64::MIN,
            open_pgets: 0,
            notify: Arc::new(Notify::new()),
        }
    }

    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Queues an event, merging it into an equivalent queued update, and wakes the P-GET.
    pub fn push(&mut self, event: Event, now: Instant) {
        if let Some((queued, _)) = self
            .pending
            .iter_mut()
            .find(|(q, _)| q.coalesces_with(&event))
        {
            // Same resource updated again: one event suffices; keep its place (and its age, so
            // coalescing never postpones delivery), but adopt the more urgent priority.
            queued.priority = queued.priority.min(event.priority);
        } else {
            self.pending.push_back((event, now));
        }
        self.notify.notify_waiters();
    }

    /// Takes the queued events without building a response (state unit tests).
    #[cfg(test)]
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.pending.drain(..).map(|(e, _)| e).collect()
    }

    /// Drops queued events and unacknowledged responses; the next P-GET gets `resume`.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.unacked = None;
        self.resume_pending = true;
        self.notify.notify_waiters();
    }

    pub fn readiness(&self, now: Instant) -> Readiness {
        let mut earliest: Option<Instant> = None;
        for (event, queued) in &self.pending {
            let due = match event.priority {
                Priority::High => return Readiness::Ready,
                Priority::Medium => *queued + self.medium,
                Priority::Low => *queued + self.low,
            };
            if due <= now {
                return Readiness::Ready;
            }
            earliest = Some(earliest.map_or(due, |e: Instant| e.min(due)));
        }
        Readiness::WaitUntil(earliest)
    }

    /// Builds response number `ack` from everything queued (possibly nothing, on timeout),
    /// remembers it as unacknowledged and advances the counter. Returns (body, event count).
    pub fn take_response(
        &mut self,
        events_href: &dyn Fn(u64) -> String,
        ack: u64,
    ) -> (Value, usize) {
        let events: Vec<Event> = self.pending.drain(..).map(|(e, _)| e).collect();
        let count = events.len();
        let next_rel = if std::mem::take(&mut self.resume_pending) {
            "resume"
        } else {
            "next"
        };
        let mut links = Map::new();
        links.insert("self".into(), json!({ "href": events_href(ack) }));
        links.insert(next_rel.into(), json!({ "href": events_href(ack + 1) }));
        let mut body = Map::new();
        body.insert("_links".into(), Value::Object(links));
        if !events.is_empty() {
            body.insert("sender".into(), group_by_sender(&events));
        }
        let body = Value::Object(body);
        self.unacked = Some((ack, body.clone()));
        self.next_ack = ack + 1;
        (body, count)
    }

    /// The first unacknowledged response number (the target of a `resync` link).
    pub fn first_unacked(&self) -> u64 {
        self.unacked.as_ref().map_or(self.next_ack, |(n, _)| *n)
    }
}

/// Consecutive events of one sender share a block; a sender may recur, so order is preserved
/// (EventChannelDetails: "A sender can occur multiple times, as event ordering is preserved").
fn group_by_sender(events: &[Event]) -> Value {
    let mut blocks: Vec<Value> = Vec::new();
    let mut current: Option<(&Link, Vec<Value>)> = None;
    for e in events {
        match &mut current {
            Some((sender, list)) if sender.href == e.sender.href && sender.rel == e.sender.rel => {
                list.push(e.to_json())
            }
            _ => {
                if let Some((sender, list)) = current.take() {
                    blocks.push(json!({ "rel": sender.rel, "href": sender.href, "events": list }));
                }
                current = Some((&e.sender, vec![e.to_json()]));
            }
        }
    }
    if let Some((sender, list)) = current {
        blocks.push(json!({ "rel": sender.rel, "href": sender.href, "events": list }));
    }
    Value::Array(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(sender: &'static str, href: &str, kind: &'static str, p: Priority) -> Event {
        Event::new(
            Link {
                rel: sender,
                href: format!("/{sender}"),
            },
            Link {
                rel: "contactPresence",
                href: href.into(),
            },
            kind,
            p,
        )
    }

    #[test]
    fn coalesces_and_groups() {
        let now = Instant::now();
        let mut ch = EventChannel::new(Duration::ZERO, Duration::ZERO);
        ch.push(ev("people", "/a", "updated", Priority::Medium), now);
        ch.push(ev("me", "/m", "updated", Priority::High), now);
        ch.push(ev("people", "/a", "updated", Priority::Medium), now);
        ch.push(ev("people", "/b", "updated", Priority::Medium), now);
        assert_eq!(ch.pending_len(), 3);
        let (body, n) = ch.take_response(&|a| format!("/events?ack={a}"), 1);
        assert_eq!(n, 3);
        let senders = body["sender"].as_array().unwrap();
        assert_eq!(senders.len(), 3, "people, me, people: order preserved");
        assert_eq!(body["_links"]["next"]["href"], "/events?ack=2");
        assert_eq!(ch.next_ack, 2);
        assert_eq!(ch.first_unacked(), 1);
    }

    #[test]
    fn aggregation_windows() {
        let now = Instant::now();
        let mut ch = EventChannel::new(Duration::from_secs(5), Duration::from_secs(15));
        assert!(matches!(ch.readiness(now), Readiness::WaitUntil(None)));
        ch.push(ev("people", "/a", "updated", Priority::Low), now);
        match ch.readiness(now) {
            Readiness::WaitUntil(Some(t)) => assert_eq!(t, now + Duration::from_secs(15)),
            _ => panic!("low event must wait"),
        }
        assert!(matches!(
            ch.readiness(now + Duration::from_secs(15)),
            Readiness::Ready
        ));
        ch.push(ev("people", "/b", "added", Priority::High), now);
        assert!(matches!(ch.readiness(now), Readiness::Ready));
    }

    #[test]
    fn reset_gives_resume() {
        let mut ch = EventChannel::new(Duration::ZERO, Duration::ZERO);
        ch.reset();
        let (body, _) = ch.take_response(&|a| format!("/e?ack={a}"), 1);
        assert!(body["_links"]["resume"].is_object());
        assert!(body["_links"]["next"].is_null());
    }
}

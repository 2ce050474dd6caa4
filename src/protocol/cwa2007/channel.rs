//! One CWA session's client-side state (sans-IO): its `sid`, the next `rid`, the data channel's
//! `ackId` (bb969465) and `pollWaitTime` (bb969533).

use super::events::{Event, EventPage};
use super::DATA_PATH;
use crate::protocol::url::encode_component;

/// The session as the client tracks it.
#[derive(Clone, Debug, PartialEq)]
pub struct DataChannel {
    sid: String,
    ack_id: u64,
    poll_wait_ms: u32,
    next_rid: u32,
}

impl DataChannel {
    /// Used when the server names none.
    pub const DEFAULT_POLL_WAIT_MS: u32 = 1_000;
    /// A server's `pollWaitTime` is clamped into this range (a zero or absurd value must not
    /// make the client spin or sleep for hours).
    pub const POLL_WAIT_RANGE_MS: (u32, u32) = (100, 60_000);

    /// A session `initiateSession` started (its rid was 1: the next is 2).
    pub fn new(sid: String, poll_wait_ms: Option<u32>) -> Self {
        DataChannel {
            sid,
            ack_id: 0,
            poll_wait_ms: clamp_poll_wait(poll_wait_ms.unwrap_or(Self::DEFAULT_POLL_WAIT_MS)),
            next_rid: 2,
        }
    }

    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The highest eid processed: sent as `AckId`.
    pub fn ack_id(&self) -> u64 {
        self.ack_id
    }

    /// How long to wait before the next GET.
    pub fn poll_wait_ms(&self) -> u32 {
        self.poll_wait_ms
    }

    /// The rid for the next request (increasing).
    pub fn next_rid(&mut self) -> u32 {
        let rid = self.next_rid;
        self.next_rid = self.next_rid.saturating_add(1);
        rid
    }

    /// `{base}/cwa/AsyncDataChannel.ashx?Sid=…&AckId=…&UA=true|false` (`base`: the server's
    /// origin, no trailing slash; the sid percent-encoded).
    pub fn poll_url(&self, base: &str, user_active: bool) -> String {
        format!(
            "{}{DATA_PATH}?Sid={}&AckId={}&UA={user_active}",
            base.trim_end_matches('/'),
            encode_component(&self.sid),
            self.ack_id
        )
    }

    /// Takes a reply: keeps its `pollWaitTime` (clamped) and `ackId`, and returns the events
    /// not seen before (an eid at or below the current ackId was already processed: a
    /// re-delivery), in order. Events without an eid always pass.
    ///
    /// The ackId never goes down: a lower one from the server would make it send everything
    /// again (bb969465). Whether a server ever resets it within one session is not documented;
    /// a new session starts a new `DataChannel`.
    pub fn accept(&mut self, page: EventPage) -> Vec<Event> {
        if let Some(wait) = page.poll_wait_ms {
            self.poll_wait_ms = clamp_poll_wait(wait);
        }
        let seen = self.ack_id;
        let fresh: Vec<Event> = page
            .events
            .into_iter()
            .filter(|e| e.eid().is_none_or(|eid| eid > seen))
            .collect();
        let highest = fresh.iter().filter_map(Event::eid).max();
        self.ack_id = [Some(seen), page.ack_id, highest]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(seen);
        fresh
    }
}

fn clamp_poll_wait(ms: u32) -> u32 {
    let (low, high) = DataChannel::POLL_WAIT_RANGE_MS;
    ms.clamp(low, high)
}

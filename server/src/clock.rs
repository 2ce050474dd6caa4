//! The server's one reading of "now".
//!
//! It is tokio's clock, so a test that pauses tokio's time (`#[tokio::test(start_paused =
//! true)]`) moves every token lifetime, idle timeout, subscription expiry, aggregation window
//! and P-GET timeout with it. The state never reads a clock: its methods take `now`, and only
//! request handlers and timers call [`now`].

use std::time::Instant;

pub fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

//! Timers and randomness for the browser.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// A random number in [0, 1).
pub fn jitter() -> f64 {
    js_sys::Math::random()
}

/// `future`'s output, or `None` when `ms` milliseconds pass first (`future` is then dropped).
pub async fn within<F: Future>(ms: u32, future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut timer = pin!(sleep(ms));
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

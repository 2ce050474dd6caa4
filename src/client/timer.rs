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
    unless(future, sleep(ms)).await
}

/// `future`'s output, or `None` when `stop` completes first (`future` is then dropped).
pub async fn unless<F: Future, S: Future>(future: F, stop: S) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut stop = pin!(stop);
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        stop.as_mut().poll(cx).map(|_| None)
    })
    .await
}

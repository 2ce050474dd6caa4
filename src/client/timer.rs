//! Timers and randomness for the browser.

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// A random number in [0, 1).
pub fn jitter() -> f64 {
    js_sys::Math::random()
}

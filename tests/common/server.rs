//! The reference server of the browser runs (UCWA_TEST_SERVER, started by scripts/test with
//! `--control`): its control API, and polling for a state change with a deadline.

use std::future::Future;

use wasm_bindgen::{JsCast, JsValue};

const SERVER: Option<&str> = option_env!("UCWA_TEST_SERVER");

pub fn server() -> &'static str {
    SERVER.expect("UCWA_TEST_SERVER must name the reference server (run scripts/test)")
}

pub fn autodiscover() -> String {
    format!("{}/autodiscover/autodiscoverservice.svc/root", server())
}

/// Polls `cond` every 50 ms until it holds, failing after `ms`.
pub async fn eventually<F: Future<Output = bool>>(ms: u32, what: &str, cond: impl Fn() -> F) {
    let mut waited = 0;
    while !cond().await {
        assert!(waited < ms, "timed out after {ms} ms waiting for: {what}");
        gloo_timers::future::TimeoutFuture::new(50).await;
        waited += 50;
    }
}

/// The server's `/_control/stats` document.
pub async fn stats() -> JsValue {
    let url = format!("{}/_control/stats", server());
    let reply = gloo_net::http::Request::get(&url)
        .send()
        .await
        .expect("control API reachable");
    js_sys::JSON::parse(&reply.text().await.unwrap()).unwrap()
}

/// `stats[field][user]`, if there is such an entry.
pub fn per_user(stats: &JsValue, field: &str, user: &str) -> JsValue {
    let table = js_sys::Reflect::get(stats, &field.into()).unwrap();
    js_sys::Reflect::get(&table, &user.into()).unwrap()
}

/// The contacts `user` is subscribed to, over all their applications.
pub async fn subscribed(user: &str) -> Vec<String> {
    let members = per_user(&stats().await, "subscribed_contacts_per_user", user);
    if members.is_undefined() {
        return Vec::new();
    }
    members
        .unchecked_into::<js_sys::Array>()
        .iter()
        .filter_map(|m| m.as_string())
        .collect()
}

/// How many applications `user` has on the server now.
pub async fn applications_of(user: &str) -> f64 {
    per_user(&stats().await, "applications_per_user", user)
        .as_f64()
        .unwrap_or(0.0)
}

/// How many applications the server has created since it started.
pub async fn applications_created() -> f64 {
    js_sys::Reflect::get(&stats().await, &"applications_created".into())
        .unwrap()
        .as_f64()
        .unwrap()
}

/// Sets `uri`'s availability through the control API.
pub async fn set_presence(uri: &str, availability: &str) {
    let url = format!("{}/_control/users/{uri}/presence", server());
    let body = format!(r#"{{"availability":"{availability}"}}"#);
    let reply = gloo_net::http::Request::post(&url)
        .header("Content-Type", "application/json")
        .body(body)
        .unwrap()
        .send()
        .await;
    assert!(reply.expect("control API reachable").ok());
}

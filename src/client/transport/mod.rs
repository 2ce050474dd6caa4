//! The two ways a request reaches the server, behind one interface: [`cors`] (fetch, for
//! servers that enabled CORS) and [`xframe`] (the server's XFrame page, the documented path).
//! Which one carries a request is [`Choice`](crate::protocol::transport::Choice)'s decision,
//! made in [`Http`](super::http::Http).

pub mod cors;
pub mod xframe;

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::{JsCast, JsValue};

use super::http::{Method, Reply};
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::Unusable;
use crate::protocol::xframe::{decode_response, header};

/// A request, with every header it carries (the token among them when its origin holds one).
pub struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// The Windows grant: over CORS the browser sends its credentials (and answers Negotiate).
    pub credentialed: bool,
}

/// Why no reply came.
pub enum NoReply {
    /// The ordinary way (network, abort, time-out): the failure policy decides.
    Failed(Failure),
    /// This transport cannot carry requests to that server at all; the failure is what to
    /// report when no other transport may be tried.
    Unusable(Unusable, Failure),
}

/// A request in flight over one transport.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<Reply, NoReply>> + 'a>>;

/// One way to the server.
pub trait Transport {
    /// Sends `request` and reads the whole reply; `signal` aborts it. No deadline of its own
    /// once the transport has answered (the caller's, e.g. the event channel's, applies).
    fn send<'a>(
        &'a self,
        request: &'a Request<'a>,
        signal: Option<&'a web_sys::AbortSignal>,
    ) -> Sending<'a>;

    /// Sends `request` so that it may outlive the page (`keepalive`), not waiting for a reply:
    /// best effort (pagehide).
    fn send_keepalive(&self, request: &Request<'_>);
}

/// The reply to a request to `url` that either transport read, in the XFrame's response format
/// (status 0: the request failed without a response).
pub(crate) fn reply_from(url: &str, message: &str) -> Result<Reply, NoReply> {
    let response = decode_response(message).map_err(|e| NoReply::Failed(Failure::Parse(e)))?;
    if response.status == 0 {
        let failure = Failure::network(network_kind(), format!("{url}: no response"));
        return Err(NoReply::Failed(failure));
    }
    let header = |name| header(&response.headers, name).map(str::to_owned);
    Ok(Reply {
        status: response.status,
        content_type: header("content-type"),
        www_authenticate: header("www-authenticate"),
        diagnostics: header("x-ms-diagnostics"),
        body: response.body,
    })
}

/// Why a request failed, as far as the browser tells: offline, or anything else.
pub(crate) fn network_kind() -> NetworkKind {
    let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
    if offline {
        NetworkKind::Offline
    } else {
        NetworkKind::Unreachable
    }
}

/// A fetch error's text: "TypeError: Failed to fetch", "AbortError: …".
pub(crate) fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => error
            .as_string()
            .unwrap_or_else(|| "the request failed".to_owned()),
    }
}

//! The two ways a request reaches the server, behind one interface: [`cors`] (fetch, for
//! servers that enabled CORS) and [`xframe`] (the server's XFrame page, the documented path).
//! Which one carries a request is [`Choice`](crate::protocol::transport::Choice)'s decision,
//! made in [`Http`](super::http::Http).
//!
//! Both speak the XFrame's messages (CONTRACTS §1, `protocol::xframe`): a request is encoded
//! once, handed to the transport's JavaScript half (`xframe.js` posts it to the frame,
//! `cors.js` fetches it), and the answer comes back in the XFrame's response format, read by one
//! decoder. The JavaScript halves are the browser plumbing only, far smaller than web-sys glue.

pub mod cors;
pub mod xframe;

use wasm_bindgen_futures::JsFuture;

use super::http::{Method, Reply};
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::{Refusal, Unusable};
use crate::protocol::xframe::{decode_response, encode_request, header, FrameRequest};

/// A request, with every header it carries (the token among them when its origin holds one).
pub struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// The Windows grant: over CORS the browser sends its credentials (and answers Negotiate).
    pub credentialed: bool,
}

impl Request<'_> {
    /// The request as the XFrame's message (`messageId` `id`; `keepalive`: it may outlive the
    /// page).
    fn message(&self, id: &str, keepalive: bool) -> String {
        encode_request(&FrameRequest {
            method: self.method.as_str(),
            url: self.url,
            headers: &self.headers,
            data: self.body.as_deref(),
            message_id: id,
            keepalive,
        })
    }
}

/// Why no reply came.
pub enum NoReply {
    /// The ordinary way (network, abort, time-out): the failure policy decides.
    Failed(Failure),
    /// This transport cannot carry requests to that server at all; the failure is what to
    /// report when no other transport may be tried.
    Unusable(Unusable, Failure),
}

/// One way to the server.
pub trait Transport {
    /// Starts `request`: a promise of the answer (the XFrame's response message), rejected with
    /// a reason [`Refusal::from_reason`] reads. `signal` aborts it; `keepalive` lets it
    /// outlive the page (pagehide, best effort). No deadline of its own once the transport has
    /// answered (the caller's, e.g. the event channel's, applies).
    fn start(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
        keepalive: bool,
    ) -> js_sys::Promise;
}

/// Sends `request` over `transport` and reads the whole reply.
pub(crate) async fn exchange(
    transport: &dyn Transport,
    request: &Request<'_>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Reply, NoReply> {
    let url = request.url;
    let reason = match JsFuture::from(transport.start(request, signal, false)).await {
        Ok(message) => return reply_from(url, &message.as_string().unwrap_or_default()),
        Err(reason) => reason.as_string().unwrap_or_default(),
    };
    // "timeout": the request's deadline (Http::request) passed with no answer.
    let kind = if reason == "timeout" {
        NetworkKind::Timeout
    } else {
        network_kind()
    };
    let failure = Failure::network(kind, format!("{url}: {reason}"));
    match Refusal::from_reason(&reason) {
        // Offline or aborted says nothing about whether the transport works.
        Refusal::Aborted => Err(NoReply::Failed(failure)),
        Refusal::Unusable(_) if kind == NetworkKind::Offline => Err(NoReply::Failed(failure)),
        Refusal::Unusable(why) => Err(NoReply::Unusable(why, failure)),
    }
}

/// The reply to a request to `url` in the XFrame's response format (status 0: the request
/// failed without a response, e.g. a body cut short).
fn reply_from(url: &str, message: &str) -> Result<Reply, NoReply> {
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
        retry_after: header("retry-after"),
        #[cfg(feature = "cwa2007")]
        ticket: header("cwa-ticket"),
        body: response.body,
    })
}

/// Why a request failed, as far as the browser tells: offline, or anything else.
fn network_kind() -> NetworkKind {
    let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
    if offline {
        NetworkKind::Offline
    } else {
        NetworkKind::Unreachable
    }
}

//! Requests through the server's XFrame page (Cross_domainIFRAME): one hidden iframe per UCWA
//! origin, each request posted to it as a JSON string (protocol::xframe), its answer matched by
//! `messageId`. The frame makes the request same-origin, so the server needs no CORS.
//!
//! The frames, their listeners and the matching of answers are `xframe.js` (DOM plumbing, far
//! smaller as JavaScript than as web-sys glue); what a message says is encoded and decoded here,
//! by the pure `protocol::xframe`. Security (checked in `xframe.js`, tested end to end in
//! `tests/e2e/xframe.test.mjs`): an answer counts only when its `source` is that frame's window
//! and its `origin` the frame's origin; messages are posted to that exact origin, never `"*"`;
//! a request goes only to the frame of its own URL's origin (so a token only to the frame of
//! the origin holding it).

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{network_kind, reply_from, NoReply, Request, Sending, Transport};
use crate::client::http::Reply;
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::{Unusable, FRAME_ANSWER_TIMEOUT_MS};
use crate::protocol::url::origin_of;
use crate::protocol::xframe::{encode_request, FrameRequest, XFRAME_PATH};

#[wasm_bindgen(module = "/src/client/transport/xframe.js")]
extern "C" {
    /// The frames of one session (`xframe.js`).
    type Frames;
    #[wasm_bindgen(js_name = openFrames)]
    fn open_frames(answer_timeout_ms: u32) -> Frames;
    /// A promise of the frame's answer (the message text), or of "blocked", "silent", "aborted".
    #[wasm_bindgen(method)]
    fn send(
        this: &Frames,
        origin: &str,
        frame_url: &str,
        message: &str,
        id: &str,
        signal: Option<&web_sys::AbortSignal>,
    ) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn forget(this: &Frames, id: &str);
    #[wasm_bindgen(method)]
    fn close(this: &Frames);
}

/// The frames of one session.
pub struct XFrame {
    frames: Frames,
    /// Frame URLs the server named (`xframe` links), by origin.
    known: RefCell<Vec<(String, String)>>,
    next_id: Cell<u32>,
}

impl Default for XFrame {
    fn default() -> Self {
        XFrame {
            frames: open_frames(FRAME_ANSWER_TIMEOUT_MS),
            known: RefCell::default(),
            next_id: Cell::new(0),
        }
    }
}

/// Forgets a request whose future is dropped before its answer (a deadline passed).
struct Forget<'a>(&'a Frames, &'a str);

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.0.forget(self.1);
    }
}

impl XFrame {
    /// A resource named `url` as its `xframe` link: the frame of that URL's origin lives there.
    pub fn learn(&self, url: &str) {
        let Some(origin) = origin_of(url) else {
            return;
        };
        let mut known = self.known.borrow_mut();
        known.retain(|(o, _)| *o != origin);
        known.push((origin, url.to_owned()));
    }

    fn frame_url(&self, origin: &str) -> String {
        let known = self.known.borrow();
        let named = known.iter().find(|(o, _)| o == origin);
        named.map_or_else(|| format!("{origin}{XFRAME_PATH}"), |(_, url)| url.clone())
    }

    /// Posts `request` to its origin's frame: the promise of the answer, and the message id.
    fn post(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
        keepalive: bool,
    ) -> Option<(js_sys::Promise, String)> {
        let origin = origin_of(request.url)?;
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        let id = id.to_string();
        let message = encode_request(&FrameRequest {
            method: request.method.as_str(),
            url: request.url,
            headers: &request.headers,
            data: request.body.as_deref(),
            message_id: &id,
            keepalive,
        });
        let url = self.frame_url(&origin);
        let promise = self.frames.send(&origin, &url, &message, &id, signal);
        Some((promise, id))
    }

    async fn request(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, NoReply> {
        let url = request.url;
        let fail = |kind, what: &str| Failure::network(kind, format!("{url}: {what}"));
        let Some((promise, id)) = self.post(request, signal, false) else {
            let failure = fail(NetworkKind::Unreachable, "not an http(s) URL");
            return Err(NoReply::Failed(failure));
        };
        let _forget = Forget(&self.frames, &id);
        let why = match JsFuture::from(promise).await {
            Ok(text) => return reply_from(url, &text.as_string().unwrap_or_default()),
            Err(why) => why.as_string().unwrap_or_default(),
        };
        let why = match why.as_str() {
            "aborted" => return Err(NoReply::Failed(fail(network_kind(), "AbortError"))),
            "silent" => Unusable::FrameSilent,
            // "blocked", or the DOM refused the frame or the message.
            _ => Unusable::FrameBlocked,
        };
        let failure = fail(NetworkKind::Unreachable, "the XFrame could not be used");
        Err(NoReply::Unusable(why, failure))
    }
}

impl Transport for XFrame {
    fn send<'a>(
        &'a self,
        request: &'a Request<'a>,
        signal: Option<&'a web_sys::AbortSignal>,
    ) -> Sending<'a> {
        Box::pin(self.request(request, signal))
    }

    fn send_keepalive(&self, request: &Request<'_>) {
        // Nobody waits for the answer; the frame settles the promise when it comes.
        let _ = self.post(request, None, true);
    }
}

impl Drop for XFrame {
    fn drop(&mut self) {
        self.frames.close();
    }
}

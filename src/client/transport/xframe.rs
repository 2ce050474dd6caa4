//! Requests through the server's XFrame page (Cross_domainIFRAME): one hidden iframe per UCWA
//! origin, each request posted to it as a JSON string (protocol::xframe), its answer matched by
//! `messageId`. The frame makes the request same-origin, so the server needs no CORS.
//!
//! The frames, their listeners and the matching of answers are `xframe.js` (DOM plumbing, far
//! smaller as JavaScript than as web-sys glue); what a message says is encoded and decoded in
//! Rust, by the pure `protocol::xframe`. Security (checked in `xframe.js`, tested end to end in
//! `tests/e2e/xframe.test.mjs`): an answer counts only when its `source` is that frame's window
//! and its `origin` the frame's origin; messages are posted to that exact origin, never `"*"`;
//! a request goes only to the frame of its own URL's origin (so a token only to the frame of
//! the origin holding it).

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use super::{Request, Transport};
use crate::protocol::transport::FRAME_ANSWER_TIMEOUT_MS;
use crate::protocol::url::origin_of;
use crate::protocol::xframe::XFRAME_PATH;

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
}

impl Transport for XFrame {
    fn start(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
        keepalive: bool,
    ) -> js_sys::Promise {
        // `Http` only sends absolute http(s) URLs; anything else goes to no frame.
        let origin = origin_of(request.url).unwrap_or_default();
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        let id = id.to_string();
        let message = request.message(&id, keepalive);
        let url = self.frame_url(&origin);
        self.frames.send(&origin, &url, &message, &id, signal)
    }
}

impl Drop for XFrame {
    fn drop(&mut self) {
        self.frames.close();
    }
}

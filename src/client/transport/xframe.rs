//! Requests through the server's XFrame page (Cross_domainIFRAME): one hidden iframe per UCWA
//! origin, each request posted to it as a JSON string (protocol::xframe), its answer matched by
//! `messageId`. The frame makes the request same-origin, so the server needs no CORS.
//!
//! Security: a message counts only when its `source` is that frame's window and its `origin` the
//! frame's origin; messages are posted to that exact origin, never `"*"`; a request goes only
//! to the frame of its own URL's origin (so a token only to the frame of the origin holding it).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{network_kind, NoReply, Request, Sending, Transport};
use crate::client::http::Reply;
use crate::client::timer::within;
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::{Unusable, FRAME_ANSWER_TIMEOUT_MS};
use crate::protocol::url::origin_of;
use crate::protocol::xframe::{
    decode_response, encode_request, header, FrameRequest, FrameResponse, XFRAME_PATH,
};

type Listener = Closure<dyn Fn(web_sys::Event)>;
type Handler = fn(&State, &JsValue);

/// The frames of one session.
#[derive(Default)]
pub struct XFrame {
    state: Rc<State>,
}

#[derive(Default)]
struct State {
    frames: RefCell<Vec<Frame>>,
    /// Requests posted and not answered yet.
    waiting: RefCell<Vec<Waiting>>,
    /// Frame URLs the server named (`xframe` links), by origin.
    known: RefCell<Vec<(String, String)>>,
    /// Origins whose frame the page's CSP refused: they fail at once from then on.
    blocked: RefCell<Vec<String>>,
    next_id: Cell<u32>,
    /// The window's `message` and the document's `securitypolicyviolation` listeners.
    listeners: RefCell<Vec<(web_sys::EventTarget, &'static str, Listener)>>,
}

struct Frame {
    origin: String,
    element: web_sys::Element,
    window: web_sys::Window,
    loaded: bool,
    /// Whether it has answered a request (until then its requests are timed out).
    answered: bool,
    /// Messages waiting for the frame to load.
    queue: Vec<String>,
    _onload: Closure<dyn Fn()>,
}

struct Waiting {
    id: String,
    origin: String,
    slot: Rc<Slot>,
}

/// How a request through a frame ended.
enum Answer {
    Reply(FrameResponse),
    Unusable(Unusable),
    Aborted,
}

/// Where a request's answer lands; the first one counts.
#[derive(Default)]
struct Slot {
    answer: Cell<Option<Answer>>,
    waker: Cell<Option<Waker>>,
}

impl Slot {
    fn fill(&self, answer: Answer) {
        let first = self.answer.take().unwrap_or(answer);
        self.answer.set(Some(first));
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    async fn wait(&self) -> Answer {
        std::future::poll_fn(|cx| match self.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => {
                self.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        })
        .await
    }
}

/// Fills the slot when `signal` aborts, for as long as it lives.
struct OnAbort<'a> {
    signal: &'a web_sys::AbortSignal,
    listener: Closure<dyn Fn()>,
}

impl Drop for OnAbort<'_> {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

impl XFrame {
    /// A resource named `url` as its `xframe` link: the frame of that URL's origin lives there.
    pub fn learn(&self, url: &str) {
        let Some(origin) = origin_of(url) else {
            return;
        };
        let mut known = self.state.known.borrow_mut();
        known.retain(|(o, _)| *o != origin);
        known.push((origin, url.to_owned()));
    }

    async fn request(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, NoReply> {
        let url = request.url;
        let fail = |kind, what: &str| Failure::network(kind, format!("{url}: {what}"));
        let Some(origin) = origin_of(url) else {
            return Err(NoReply::Failed(fail(
                NetworkKind::Unreachable,
                "not an http(s) URL",
            )));
        };
        let unusable = |why| {
            let what = "the XFrame could not be used";
            NoReply::Unusable(why, fail(NetworkKind::Unreachable, what))
        };
        if self.state.blocked.borrow().contains(&origin) {
            return Err(unusable(Unusable::FrameBlocked));
        }
        let id = self.state.next_id.get().wrapping_add(1);
        self.state.next_id.set(id);
        let id = id.to_string();
        let slot = Rc::new(Slot::default());
        let _on_abort = match signal {
            Some(signal) if signal.aborted() => {
                return Err(NoReply::Failed(fail(network_kind(), "AbortError")))
            }
            Some(signal) => {
                let aborted = Rc::clone(&slot);
                let listener = Closure::<dyn Fn()>::new(move || aborted.fill(Answer::Aborted));
                let _ = signal
                    .add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
                Some(OnAbort { signal, listener })
            }
            None => None,
        };
        let waiting = Waiting {
            id: id.clone(),
            origin: origin.clone(),
            slot: Rc::clone(&slot),
        };
        let answered = self
            .state
            .post(&origin, message(request, &id, false), Some(waiting))
            .map_err(|_| unusable(Unusable::FrameBlocked))?;
        let answer = if answered {
            slot.wait().await
        } else {
            match within(FRAME_ANSWER_TIMEOUT_MS, slot.wait()).await {
                Some(answer) => answer,
                None => {
                    self.state.discard(&origin, Unusable::FrameSilent);
                    Answer::Unusable(Unusable::FrameSilent)
                }
            }
        };
        let response = match answer {
            Answer::Reply(response) => response,
            Answer::Unusable(why) => return Err(unusable(why)),
            Answer::Aborted => return Err(NoReply::Failed(fail(network_kind(), "AbortError"))),
        };
        if response.status == 0 {
            let what = "the XFrame's request failed";
            return Err(NoReply::Failed(fail(network_kind(), what)));
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
        if let Some(origin) = origin_of(request.url) {
            let _ = self.state.post(&origin, message(request, "0", true), None);
        }
    }
}

fn message(request: &Request<'_>, id: &str, keepalive: bool) -> String {
    encode_request(&FrameRequest {
        method: request.method.as_str(),
        url: request.url,
        headers: &request.headers,
        data: request.body.as_deref(),
        message_id: id,
        keepalive,
    })
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

impl State {
    /// Posts `message` to `origin`'s frame (opened now if there is none; queued until it has
    /// loaded). Returns whether that frame has answered before.
    fn post(
        self: &Rc<Self>,
        origin: &str,
        message: String,
        waiting: Option<Waiting>,
    ) -> Result<bool, JsValue> {
        {
            // Requests whose future is gone (a deadline passed) are forgotten here.
            let mut all = self.waiting.borrow_mut();
            all.retain(|w| Rc::strong_count(&w.slot) > 1);
            all.extend(waiting);
        }
        let mut frames = self.frames.borrow_mut();
        let index = match frames.iter().position(|f| f.origin == origin) {
            Some(index) => index,
            None => {
                frames.push(self.open(origin)?);
                frames.len() - 1
            }
        };
        let frame = &mut frames[index];
        if frame.loaded {
            frame.window.post_message(&message.into(), &frame.origin)?;
        } else {
            frame.queue.push(message);
        }
        Ok(frame.answered)
    }

    /// A hidden iframe at `origin`'s XFrame page.
    fn open(self: &Rc<Self>, origin: &str) -> Result<Frame, JsValue> {
        self.listen()?;
        let document = leptos::prelude::document();
        let url = self
            .known
            .borrow()
            .iter()
            .find(|(o, _)| o == origin)
            .map_or_else(|| format!("{origin}{XFRAME_PATH}"), |(_, url)| url.clone());
        let element = document.create_element("iframe")?;
        element.set_attribute("hidden", "")?;
        element.set_attribute("title", "ucwa-presence XFrame")?;
        element.set_attribute("src", &url)?;
        let weak = Rc::downgrade(self);
        let owner = origin.to_owned();
        let onload = Closure::<dyn Fn()>::new(move || {
            if let Some(state) = weak.upgrade() {
                state.loaded(&owner);
            }
        });
        element.add_event_listener_with_callback("load", onload.as_ref().unchecked_ref())?;
        let parent: web_sys::Element = match document.body() {
            Some(body) => body.into(),
            None => document
                .document_element()
                .ok_or_else(|| JsValue::from_str("no document"))?,
        };
        parent.append_child(&element)?;
        Ok(Frame {
            origin: origin.to_owned(),
            window: get(&element, "contentWindow").unchecked_into(),
            element,
            loaded: false,
            answered: false,
            queue: Vec::new(),
            _onload: onload,
        })
    }

    fn loaded(&self, origin: &str) {
        let mut frames = self.frames.borrow_mut();
        if let Some(frame) = frames.iter_mut().find(|f| f.origin == origin) {
            frame.loaded = true;
            for message in frame.queue.drain(..) {
                let _ = frame.window.post_message(&message.into(), &frame.origin);
            }
        }
    }

    /// Removes `origin`'s frame; its pending requests fail with `why`.
    fn discard(&self, origin: &str, why: Unusable) {
        let frame = {
            let mut frames = self.frames.borrow_mut();
            let index = frames.iter().position(|f| f.origin == origin);
            index.map(|i| frames.swap_remove(i))
        };
        if let Some(frame) = frame {
            frame.element.remove();
        }
        let mut failed = Vec::new();
        self.waiting.borrow_mut().retain(|w| {
            let ours = w.origin == origin;
            if ours {
                failed.push(Rc::clone(&w.slot));
            }
            !ours
        });
        for slot in failed {
            slot.fill(Answer::Unusable(why));
        }
    }

    /// Adds the window's `message` and the document's `securitypolicyviolation` listeners once.
    fn listen(self: &Rc<Self>) -> Result<(), JsValue> {
        let mut listeners = self.listeners.borrow_mut();
        if !listeners.is_empty() {
            return Ok(());
        }
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let document: web_sys::EventTarget = leptos::prelude::document().into();
        let handlers: [(web_sys::EventTarget, &str, Handler); 2] = [
            (window.into(), "message", State::on_message),
            (document, "securitypolicyviolation", State::on_violation),
        ];
        for (target, name, handler) in handlers {
            let weak: Weak<State> = Rc::downgrade(self);
            let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
                if let Some(state) = weak.upgrade() {
                    handler(&state, &event);
                }
            });
            target.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())?;
            listeners.push((target, name, listener));
        }
        Ok(())
    }

    /// A message on the window: an answer only from one of our frames' windows and origins;
    /// anything else (other frames, the page's own messages, forgeries) is ignored.
    fn on_message(&self, event: &JsValue) {
        let source = get(event, "source");
        let origin = get(event, "origin").as_string().unwrap_or_default();
        let mut frames = self.frames.borrow_mut();
        let Some(frame) = frames
            .iter_mut()
            .find(|f| f.origin == origin && AsRef::<JsValue>::as_ref(&f.window) == &source)
        else {
            return;
        };
        let data = get(event, "data").as_string().unwrap_or_default();
        match decode_response(&data) {
            Ok(response) => {
                let slot = {
                    let mut waiting = self.waiting.borrow_mut();
                    let index = waiting
                        .iter()
                        .position(|w| w.id == response.message_id && w.origin == origin);
                    index.map(|i| waiting.swap_remove(i).slot)
                };
                if let Some(slot) = slot {
                    frame.answered = true;
                    slot.fill(Answer::Reply(response));
                }
            }
            Err(e) => web_sys::console::warn_1(
                &format!("ucwa-presence: ignored a message from the XFrame at {origin}: {e}")
                    .into(),
            ),
        }
    }

    /// The page's CSP refused a frame (`frame-src`): its requests fail now, and later ones at once.
    fn on_violation(&self, event: &JsValue) {
        if get(event, "effectiveDirective").as_string().as_deref() != Some("frame-src") {
            return;
        }
        let blocked = get(event, "blockedURI").as_string().unwrap_or_default();
        let Some(origin) = origin_of(&blocked) else {
            return;
        };
        let ours = self.frames.borrow().iter().any(|f| f.origin == origin);
        if ours {
            self.blocked.borrow_mut().push(origin.clone());
            self.discard(&origin, Unusable::FrameBlocked);
        }
    }
}

impl Drop for State {
    fn drop(&mut self) {
        for (target, name, listener) in self.listeners.get_mut().drain(..) {
            let _ =
                target.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
        for frame in self.frames.get_mut().drain(..) {
            frame.element.remove();
        }
    }
}

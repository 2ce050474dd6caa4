//! UCWA requests with their cross-domain headers and a bearer token that only goes to the
//! origin that holds it, over the transport [`Choice`] picks (the XFrame or CORS).

use std::cell::{Cell, RefCell};

use super::transport::cors::Cors;
use super::transport::xframe::XFrame;
use super::transport::{exchange, NoReply, Request, Transport};
use crate::protocol::error::{parse_error, UcwaError};
use crate::protocol::failure::{Failure, NetworkKind, REQUEST_DEADLINE_MS};
use crate::protocol::transport::{self as way, Choice, Next, Preference};
use crate::protocol::url::origin_of;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`; an error where the browser lacks it (Chrome < 103, Safari <
    /// 16): the request then has no deadline of its own, rather than no request at all.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: u32) -> Result<web_sys::AbortSignal, wasm_bindgen::JsValue>;
}

/// A request in flight.
pub type Pending<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply, Failure>> + 'a>>;

/// The methods UCWA uses.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body.
#[derive(Clone)]
pub enum Body {
    None,
    Json(String),
    Form(String),
    /// No body, and `Accept: image/*`: a photo. Over CORS the reply's body is then an object
    /// URL of the image (cors.js), or its text when it is not an image.
    Image,
    /// Another content type (and the `Accept` that goes with it), e.g. multipart/batching.
    Raw {
        content_type: String,
        accept: String,
        body: String,
    },
}

/// What came back, read completely.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: Option<String>,
    pub www_authenticate: Option<String>,
    pub diagnostics: Option<String>,
    pub retry_after: Option<String>,
    /// `CWA-Ticket`: the CWA 2007 backend's sign-in ticket, which any response may renew.
    #[cfg(feature = "cwa2007")]
    pub ticket: Option<String>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The reply as a UCWA failure (for non-2xx replies), with its `X-Ms-diagnostics`.
    pub fn error(&self) -> UcwaError {
        parse_error(self.status, self.content_type.as_deref(), &self.body)
            .with_diagnostics(self.diagnostics.clone())
            .with_retry_after(self.retry_after.as_deref())
    }

    pub fn failure(&self) -> Failure {
        Failure::Http(self.error())
    }
}

/// The HTTP side of one UCWA session.
pub struct Http {
    page_origin: String,
    /// Bearer tokens by origin (`Bearer cwt=…`): each was issued by that origin's own
    /// `MsRtcOAuth` challenge and goes to that origin only (tokens are per server).
    tokens: RefCell<Vec<(String, String)>>,
    /// Bumped whenever a token changes, so a 401 to a request sent with an older token does
    /// not make the session sign in again.
    epoch: Cell<u32>,
    choice: RefCell<Choice>,
    cors: Cors,
    xframe: XFrame,
}

impl Http {
    pub fn new(page_origin: String, page_url: String, transport: Preference) -> Self {
        Http {
            page_origin,
            cors: Cors { page_url },
            tokens: RefCell::new(Vec::new()),
            epoch: Cell::new(0),
            choice: RefCell::new(Choice::new(transport)),
            xframe: XFrame::default(),
        }
    }

    pub fn page_origin(&self) -> &str {
        &self.page_origin
    }

    /// The token for `url`'s origin (`None` clears it). A URL without an origin holds none.
    pub fn set_token(&self, url: &str, value: Option<String>) {
        let Some(origin) = origin_of(url) else {
            return;
        };
        let mut tokens = self.tokens.borrow_mut();
        tokens.retain(|(o, _)| *o != origin);
        if let Some(value) = value {
            tokens.push((origin, value));
        }
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    pub fn has_token_for(&self, url: &str) -> bool {
        self.token_for(url).is_some()
    }

    pub fn clear_tokens(&self) {
        self.tokens.borrow_mut().clear();
        self.epoch.set(self.epoch.get().wrapping_add(1));
    }

    /// Which tokens requests are sent with now (see [`set_token`](Self::set_token)).
    pub fn epoch(&self) -> u32 {
        self.epoch.get()
    }

    fn token_for(&self, url: &str) -> Option<String> {
        let origin = origin_of(url)?;
        let tokens = self.tokens.borrow();
        tokens
            .iter()
            .find(|(o, _)| *o == origin)
            .map(|(_, t)| t.clone())
    }

    /// The headers every UCWA request carries: JSON, the cross-domain pair, and the bearer token
    /// only when `url`'s origin issued one.
    fn ucwa_headers(&self, url: &str) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            ("X-Ms-Origin", self.page_origin.clone()),
            ("X-Requested-With", "XMLHttpRequest".to_owned()),
        ];
        if let Some(auth) = self.token_for(url) {
            headers.push(("Authorization", auth));
        }
        headers
    }

    /// A resource named `url` as its `xframe` link: the frame for that URL's origin lives there.
    pub fn learn_xframe(&self, url: &str) {
        self.xframe.learn(url);
    }

    /// Whether requests go through the server's XFrame now (so its cookies reach it).
    pub fn by_frame(&self) -> bool {
        self.choice.borrow().current() == way::Transport::XFrame
    }

    /// What the page owner should check when the server cannot be reached, for the transports
    /// `data-transport` allows.
    pub fn unreachable_causes(&self) -> &'static str {
        way::unreachable_causes(self.choice.borrow().preference())
    }

    fn transport(&self, which: way::Transport) -> &dyn Transport {
        match which {
            way::Transport::XFrame => &self.xframe,
            way::Transport::Cors => &self.cors,
        }
    }

    /// The request with every header it carries.
    fn prepare<'a>(
        &self,
        method: Method,
        url: &'a str,
        body: Body,
        credentialed: bool,
    ) -> Request<'a> {
        let mut headers = self.ucwa_headers(url);
        let content = match body {
            Body::None => None,
            Body::Image => {
                if let Some(first) = headers.first_mut() {
                    first.1 = "image/*".into();
                }
                None
            }
            Body::Json(json) => Some(("application/json".to_owned(), json)),
            Body::Form(form) => Some((
                "application/x-www-form-urlencoded;charset=UTF-8".to_owned(),
                form,
            )),
            Body::Raw {
                content_type,
                accept,
                body,
            } => {
                if let Some(first) = headers.first_mut() {
                    first.1 = accept;
                }
                Some((content_type, body))
            }
        };
        let body = content.map(|(content_type, body)| {
            headers.push(("Content-Type", content_type));
            body
        });
        Request {
            method,
            url,
            headers,
            body,
            credentialed,
        }
    }

    /// DELETE that outlives the page (`keepalive`), for pagehide: fire and forget, best effort.
    /// A page that leaves for good unloads its frames before they can run the message, so with
    /// `auto` the DELETE also goes out directly (it reaches servers with CORS on).
    pub fn delete_keepalive(&self, url: &str) {
        let request = self.prepare(Method::Delete, url, Body::None, false);
        let choice = self.choice.borrow();
        let _ = self.transport(choice.current()).start(&request, None, true);
        if choice.current() == way::Transport::XFrame && choice.preference() == Preference::Auto {
            let _ = self.cors.start(&request, None, true);
        }
    }

    pub fn get<'a>(&'a self, url: &'a str) -> Pending<'a> {
        self.send(Method::Get, url, Body::None)
    }

    pub fn send<'a>(&'a self, method: Method, url: &'a str, body: Body) -> Pending<'a> {
        self.send_with(method, url, body, None)
    }

    /// `send` with the browser's credentials (the Windows grant): over CORS fetch's
    /// `credentials: "include"`; through the XFrame it is a same-origin request anyway.
    pub fn send_credentialed<'a>(
        &'a self,
        method: Method,
        url: &'a str,
        body: Body,
    ) -> Pending<'a> {
        Box::pin(self.request(self.prepare(method, url, body, true), None))
    }

    /// `send`, abortable through `signal`. The future is boxed on purpose: one copy of the
    /// request code serves every caller instead of being inlined into each one (bundle size).
    pub fn send_with<'a>(
        &'a self,
        method: Method,
        url: &'a str,
        body: Body,
        signal: Option<&'a web_sys::AbortSignal>,
    ) -> Pending<'a> {
        Box::pin(self.request(self.prepare(method, url, body, false), signal))
    }

    /// Sends over the chosen transport; when it cannot carry the request, tells [`Choice`] and
    /// does what it says (the other transport at once, or fail).
    async fn request(
        &self,
        request: Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, Failure> {
        loop {
            // A request without the caller's own signal (all but the event channel's, which
            // has its own deadline) is given up after REQUEST_DEADLINE_MS: a server that accepts
            // and never answers must not hold recovery up. The transport rejects it "timeout".
            let deadline = signal
                .is_none()
                .then(|| abort_after(REQUEST_DEADLINE_MS).ok())
                .flatten();
            let which = self.choice.borrow().current();
            let answer = exchange(
                self.transport(which),
                &request,
                signal.or(deadline.as_ref()),
            )
            .await;
            let (why, failure) = match answer {
                Ok(reply) => {
                    if let Some(line) = self.choice.borrow_mut().on_answer(which) {
                        web_sys::console::info_1(&line.into());
                    }
                    return Ok(reply);
                }
                Err(NoReply::Failed(failure)) => return Err(failure),
                Err(NoReply::Unusable(why, failure)) => (why, failure),
            };
            let get = request.method == Method::Get;
            match self.choice.borrow_mut().on_unusable(which, why, get) {
                Next::Resend(_) => continue,
                Next::Fail => return Err(failure),
                Next::FailBoth => {
                    let text = "neither the server's XFrame nor a direct (CORS) request reached it";
                    return Err(Failure::network(
                        NetworkKind::Unreachable,
                        format!("{}: {text}", request.url),
                    ));
                }
            }
        }
    }
}

//! fetch with UCWA's cross-domain headers, and bearer tokens that go only to the origin that
//! issued them.

use std::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::protocol::error::{parse_error, UcwaError};
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::url::origin_of;

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
    fn as_str(self) -> &'static str {
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
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The reply as a UCWA failure (for non-2xx replies), with its `X-Ms-diagnostics`.
    pub fn error(&self) -> UcwaError {
        parse_error(self.status, self.content_type.as_deref(), &self.body)
            .with_diagnostics(self.diagnostics.clone())
    }

    pub fn failure(&self) -> Failure {
        Failure::Http(self.error())
    }
}

/// The HTTP side of one UCWA session.
pub struct Http {
    page_origin: String,
    page_url: String,
    /// Bearer tokens by origin (`Bearer cwt=…`): each was issued by that origin's own
    /// `MsRtcOAuth` challenge and goes to that origin only (tokens are per server).
    tokens: RefCell<Vec<(String, String)>>,
    /// Bumped whenever a token changes, so a 401 to a request sent with an older token does
    /// not make the session sign in again.
    epoch: Cell<u32>,
}

impl Http {
    pub fn new(page_origin: String, page_url: String) -> Self {
        Http {
            page_origin,
            page_url,
            tokens: RefCell::new(Vec::new()),
            epoch: Cell::new(0),
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

    /// A resource named this `xframe` link. Stand-in of the signin branch: the transport
    /// branch (xf) provides the real one; take theirs at merge.
    pub fn learn_xframe(&self, _url: &str) {}

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

    /// DELETE that outlives the page (`keepalive`), for pagehide: fire and forget.
    pub fn delete_keepalive(&self, url: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(headers) = web_sys::Headers::new() else {
            return;
        };
        for (name, value) in self.ucwa_headers(url) {
            let _ = headers.set(name, &value);
        }
        let init = web_sys::RequestInit::new();
        init.set_method("DELETE");
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
        init.set_headers(&headers);
        let _ = window.fetch_with_str_and_init(url, &init);
    }

    pub fn get<'a>(&'a self, url: &'a str) -> Pending<'a> {
        self.send(Method::Get, url, Body::None)
    }

    pub fn send<'a>(&'a self, method: Method, url: &'a str, body: Body) -> Pending<'a> {
        self.send_with(method, url, body, None)
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
        Box::pin(self.request(method, url, body, signal, false))
    }

    /// `send` with the browser's credentials (cookies, Windows authentication), for the
    /// Windows grant. Stand-in of the signin branch (CORS only): take the xf branch's at merge.
    pub fn send_credentialed<'a>(
        &'a self,
        method: Method,
        url: &'a str,
        body: Body,
    ) -> Pending<'a> {
        Box::pin(self.request(method, url, body, None, true))
    }

    async fn request(
        &self,
        method: Method,
        url: &str,
        body: Body,
        signal: Option<&web_sys::AbortSignal>,
        credentialed: bool,
    ) -> Result<Reply, Failure> {
        let failed =
            |e: JsValue| Failure::network(network_kind(), format!("{url}: {}", describe(&e)));
        let headers = web_sys::Headers::new().map_err(failed)?;
        let set = |name: &str, value: &str| headers.set(name, value).map_err(failed);
        for (name, value) in self.ucwa_headers(url) {
            set(name, &value)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(method.as_str());
        // Referer is a forbidden header; fetch's `referrer` may only name a same-origin URL,
        // so the page's own URL it is (the XFrame URL of the docs is another origin).
        init.set_referrer(&self.page_url);
        if let Some(signal) = signal {
            init.set_signal(Some(signal));
        }
        if credentialed {
            init.set_credentials(web_sys::RequestCredentials::Include);
        }
        let content = match body {
            Body::None => None,
            Body::Json(json) => Some(("application/json", json)),
            Body::Form(form) => Some(("application/x-www-form-urlencoded;charset=UTF-8", form)),
            Body::Raw {
                content_type,
                accept,
                body,
            } => {
                set("Accept", &accept)?;
                set("Content-Type", &content_type)?;
                init.set_body(&JsValue::from_str(&body));
                None
            }
        };
        if let Some((content_type, text)) = content {
            set("Content-Type", content_type)?;
            init.set_body(&JsValue::from_str(&text));
        }
        init.set_headers(&headers);
        let window = web_sys::window()
            .ok_or_else(|| Failure::network(NetworkKind::Unreachable, "no window"))?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(failed)?
                .unchecked_into();
        let status = response.status();
        let headers = response.headers();
        let header = |name: &str| headers.get(name).ok().flatten();
        // A body cut short (the connection dropped mid-response) is a network failure, not a
        // body to parse.
        let text = response.text().map_err(failed)?;
        let body = JsFuture::from(text)
            .await
            .map_err(failed)?
            .as_string()
            .unwrap_or_default();
        Ok(Reply {
            status,
            body,
            content_type: header("content-type"),
            www_authenticate: header("www-authenticate"),
            diagnostics: header("x-ms-diagnostics"),
        })
    }
}

/// Why fetch failed, as far as the browser tells: offline, or anything else.
fn network_kind() -> NetworkKind {
    let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
    if offline {
        NetworkKind::Offline
    } else {
        NetworkKind::Unreachable
    }
}

/// A fetch error's text: "TypeError: Failed to fetch", "AbortError: …".
fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => error
            .as_string()
            .unwrap_or_else(|| "the request failed".to_owned()),
    }
}

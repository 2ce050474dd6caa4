//! fetch with UCWA's cross-domain headers, and a bearer token that only goes to the UCWA origin.

use std::cell::RefCell;

use gloo_net::http::{Method, RequestBuilder};

use crate::protocol::error::{parse_error, Failure, UcwaError};
use crate::protocol::url::origin_of;

/// A request in flight.
pub type Pending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Reply, Failure>> + 'a>>;

/// A request body.
pub enum Body {
    None,
    Json(String),
    Form(String),
    /// Another content type (and the `Accept` that goes with it), e.g. multipart/batching.
    Raw { content_type: String, accept: String, body: String },
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

    /// The reply as a UCWA failure (for non-2xx replies).
    pub fn error(&self) -> UcwaError {
        parse_error(self.status, self.content_type.as_deref(), &self.body)
    }

    pub fn failure(&self) -> Failure {
        Failure::Http(self.error())
    }
}

/// The HTTP side of one UCWA session.
pub struct Http {
    page_origin: String,
    page_url: String,
    /// Origins the server itself named (autodiscover, user, applications): the only ones that
    /// ever see the bearer token.
    trusted: RefCell<Vec<String>>,
    authorization: RefCell<Option<String>>,
}

impl Http {
    pub fn new(page_origin: String, page_url: String) -> Self {
        Http { page_origin, page_url, trusted: RefCell::new(Vec::new()), authorization: RefCell::new(None) }
    }

    pub fn page_origin(&self) -> &str {
        &self.page_origin
    }

    pub fn trust_origin_of(&self, url: &str) {
        if let Some(origin) = origin_of(url) {
            let mut trusted = self.trusted.borrow_mut();
            if !trusted.contains(&origin) {
                trusted.push(origin);
            }
        }
    }

    pub fn set_authorization(&self, value: Option<String>) {
        *self.authorization.borrow_mut() = value;
    }

    fn authorization_for(&self, url: &str) -> Option<String> {
        let origin = origin_of(url)?;
        if self.trusted.borrow().contains(&origin) {
            self.authorization.borrow().clone()
        } else {
            None
        }
    }

    /// The headers every UCWA request carries: JSON, the cross-domain pair, and the bearer token
    /// only when `url` is on an origin the server itself named.
    fn ucwa_headers(&self, url: &str) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            ("X-Ms-Origin", self.page_origin.clone()),
            ("X-Requested-With", "XMLHttpRequest".to_owned()),
        ];
        if let Some(auth) = self.authorization_for(url) {
            headers.push(("Authorization", auth));
        }
        headers
    }

    /// DELETE that outlives the page (`keepalive`), for pagehide: fire and forget.
    pub fn delete_keepalive(&self, url: &str) {
        let Some(window) = web_sys::window() else { return };
        let Ok(headers) = web_sys::Headers::new() else { return };
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
        self.send(Method::GET, url, Body::None)
    }

    pub fn post_json<'a>(&'a self, url: &'a str, json: String) -> Pending<'a> {
        self.send(Method::POST, url, Body::Json(json))
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
        Box::pin(self.request(method, url, body, signal))
    }

    async fn request(
        &self,
        method: Method,
        url: &str,
        body: Body,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, Failure> {
        let mut builder = RequestBuilder::new(url)
            .abort_signal(signal)
            .method(method)
            // Referer is a forbidden header; fetch's `referrer` may only name a same-origin URL,
            // so the page's own URL it is (the XFrame URL of the docs is another origin).
            .referrer(&self.page_url);
        for (name, value) in self.ucwa_headers(url) {
            builder = builder.header(name, &value);
        }
        let request = match body {
            Body::None => builder.build(),
            Body::Json(json) => builder.header("Content-Type", "application/json").body(json),
            Body::Form(form) => builder
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .body(form),
            Body::Raw { content_type, accept, body } => {
                builder.header("Content-Type", &content_type).header("Accept", &accept).body(body)
            }
        }
        .map_err(|e| Failure::Network(format!("could not build the request to {url}: {}", describe(&e))))?;
        let response = request
            .send()
            .await
            .map_err(|e| Failure::Network(format!("{url}: {}", describe(&e))))?;
        let headers = response.headers();
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        Ok(Reply {
            status,
            body,
            content_type: headers.get("content-type"),
            www_authenticate: headers.get("www-authenticate"),
            diagnostics: headers.get("x-ms-diagnostics"),
        })
    }
}

/// A fetch error's text, as its `Display` gives it. Matching the variants (instead of formatting
/// the error) keeps gloo-net's serde_json error formatting, which this crate never meets, out of
/// the bundle.
fn describe(error: &gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.to_string(),
        gloo_net::Error::GlooError(message) => message.clone(),
        _ => "the request failed".to_owned(),
    }
}

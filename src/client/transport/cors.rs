//! Direct fetch with UCWA's cross-domain headers: needs a server with CORS enabled
//! (`-EnableCORS`, off by default) and the page's `connect-src` to allow it.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{describe, network_kind, NoReply, Request, Sending, Transport};
use crate::client::http::Reply;
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::Unusable;

pub struct Cors {
    /// fetch's `referrer` may only name a same-origin URL, so the page's own it is.
    pub page_url: String,
}

impl Transport for Cors {
    fn send<'a>(
        &'a self,
        request: &'a Request<'a>,
        signal: Option<&'a web_sys::AbortSignal>,
    ) -> Sending<'a> {
        Box::pin(self.fetch(request, signal))
    }

    fn send_keepalive(&self, request: &Request<'_>) {
        let _ = self.start(request, None, true);
    }
}

impl Cors {
    fn start(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
        keepalive: bool,
    ) -> Result<js_sys::Promise, JsValue> {
        let headers = web_sys::Headers::new()?;
        for (name, value) in &request.headers {
            headers.set(name, value)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_referrer(&self.page_url);
        init.set_headers(&headers);
        if let Some(signal) = signal {
            init.set_signal(Some(signal));
        }
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        if request.credentialed {
            init.set_credentials(web_sys::RequestCredentials::Include);
        }
        if keepalive {
            js_sys::Reflect::set(&init, &"keepalive".into(), &true.into())?;
        }
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        Ok(window.fetch_with_str_and_init(request.url, &init))
    }

    async fn fetch(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, NoReply> {
        let url = request.url;
        let failed = |e: JsValue| {
            NoReply::Failed(Failure::network(
                network_kind(),
                format!("{url}: {}", describe(&e)),
            ))
        };
        let promise = self.start(request, signal, false).map_err(failed)?;
        let response: web_sys::Response = match JsFuture::from(promise).await {
            Ok(response) => response.unchecked_into(),
            Err(e) => {
                let detail = format!("{url}: {}", describe(&e));
                let kind = network_kind();
                // Offline or aborted says nothing about CORS; anything else may be a refusal.
                if kind == NetworkKind::Offline || detail.contains("AbortError") {
                    return Err(NoReply::Failed(Failure::network(kind, detail)));
                }
                let failure = Failure::network(kind, detail);
                return Err(NoReply::Unusable(Unusable::FetchFailed, failure));
            }
        };
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

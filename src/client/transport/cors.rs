//! Direct fetch with UCWA's cross-domain headers: needs a server with CORS enabled
//! (`-EnableCORS`, off by default) and the page's `connect-src` to allow it. The fetch itself is
//! `cors.js`, which answers in the XFrame's response format so that one decoder reads both.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{describe, network_kind, reply_from, NoReply, Request, Sending, Transport};
use crate::client::http::Reply;
use crate::protocol::failure::{Failure, NetworkKind};
use crate::protocol::transport::Unusable;

#[wasm_bindgen(module = "/src/client/transport/cors.js")]
extern "C" {
    /// A promise of the response as the XFrame's response message; rejected as fetch is.
    #[wasm_bindgen(js_name = corsFetch)]
    #[allow(clippy::too_many_arguments)]
    fn cors_fetch(
        url: &str,
        method: &str,
        headers: Vec<String>,
        body: Option<String>,
        referrer: &str,
        credentialed: bool,
        keepalive: bool,
        signal: Option<&web_sys::AbortSignal>,
    ) -> js_sys::Promise;
}

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
    ) -> js_sys::Promise {
        let headers = request
            .headers
            .iter()
            .flat_map(|(name, value)| [(*name).to_owned(), value.clone()])
            .collect();
        cors_fetch(
            request.url,
            request.method.as_str(),
            headers,
            request.body.clone(),
            &self.page_url,
            request.credentialed,
            keepalive,
            signal,
        )
    }

    async fn fetch(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, NoReply> {
        match JsFuture::from(self.start(request, signal, false)).await {
            Ok(text) => reply_from(request.url, &text.as_string().unwrap_or_default()),
            Err(e) => {
                let detail = format!("{}: {}", request.url, describe(&e));
                let kind = network_kind();
                let failure = Failure::network(kind, detail);
                // Offline or aborted says nothing about CORS; anything else may be a refusal.
                if kind == NetworkKind::Offline || detail_is_abort(&failure) {
                    return Err(NoReply::Failed(failure));
                }
                Err(NoReply::Unusable(Unusable::FetchFailed, failure))
            }
        }
    }
}

fn detail_is_abort(failure: &Failure) -> bool {
    matches!(failure, Failure::Network { detail, .. } if detail.contains("AbortError"))
}

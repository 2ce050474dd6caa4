//! Direct fetch with UCWA's cross-domain headers: needs a server with CORS enabled
//! (`-EnableCORS`, off by default) and the page's `connect-src` to allow it. The fetch itself is
//! `cors.js`.

use wasm_bindgen::prelude::*;

use super::{Request, Transport};

#[wasm_bindgen(module = "/src/client/transport/cors.js")]
extern "C" {
    #[wasm_bindgen(js_name = corsFetch)]
    fn cors_fetch(
        message: &str,
        referrer: &str,
        credentialed: bool,
        signal: Option<&web_sys::AbortSignal>,
    ) -> js_sys::Promise;
}

pub struct Cors {
    /// fetch's `referrer` may only name a same-origin URL, so the page's own it is.
    pub page_url: String,
}

impl Transport for Cors {
    fn start(
        &self,
        request: &Request<'_>,
        signal: Option<&web_sys::AbortSignal>,
        keepalive: bool,
    ) -> js_sys::Promise {
        let message = request.message("", keepalive);
        cors_fetch(&message, &self.page_url, request.credentialed, signal)
    }
}

//! The cross-domain XFrame page (Cross_domainIFRAME) at `/Autodiscover/XFrame/XFrame.html`,
//! matched case-insensitively.
//!
//! A page on another origin embeds it in a hidden iframe and posts request messages to it; the
//! page's script checks the sender against the cross-domain authorization list (inlined as
//! JSON), performs the request on its own origin with `X-Ms-Origin: <sender>` and answers the
//! sender only. The message format is in `notes/CONTRACTS.md` §1 and server/README.md.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::cors::{Origins, DIAG_CROSS_DOMAIN};
use crate::error::ApiError;
use crate::random;
use crate::state::AppState;

/// The page's path in Microsoft's spelling (links use it); any other case also matches.
pub const PATH: &str = "/Autodiscover/XFrame/XFrame.html";

pub fn is_page(path: &str) -> bool {
    path.eq_ignore_ascii_case(PATH)
}

/// Serves the page in front of everything else, so neither the CORS check nor fault injection
/// nor the request log sees it. `--no-xframe` turns it into a 404.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_page(req.uri().path()) {
        return next.run(req).await;
    }
    if !state.cfg.xframe {
        return ApiError::resource_not_found("This server has no XFrame page.").into_response();
    }
    if req.method() != Method::GET {
        let mut r = ApiError::from_status(StatusCode::METHOD_NOT_ALLOWED).into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
        return r;
    }
    page_response(&state.origins)
}

fn page_response(origins: &Origins) -> Response {
    let Ok(nonce) = random::hex(32) else {
        return ApiError::service_failure("No randomness is available for a script nonce.")
            .into_response();
    };
    let mut r = page(origins, &nonce).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    r
}

/// Only this page's own script runs and it may only fetch its own origin. Any page may frame
/// it: the script's own check of the sender against the authorization list is the gate, and a
/// page that is not on the list must still get the documented 403 28070 answer (a restrictive
/// `frame-ancestors` would hide it: the frame would not load at all).
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors *"
    )
}

/// `value` as a JavaScript literal that is safe inside `<script>`: JSON with `<`, `>`, `&` and
/// the JavaScript line terminators escaped, so no string can close the script element.
fn script_literal(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page: the allow-list and the refusal diagnostics inlined into [`SCRIPT`].
pub fn page(origins: &Origins, nonce: &str) -> String {
    let config = json!({
        "any": origins.any(),
        "origins": origins.list(),
        "diagnostics": DIAG_CROSS_DOMAIN,
    });
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>XFrame</title></head>\
         <body><script nonce=\"{nonce}\">\nvar UCWA_XFRAME = {};\n{SCRIPT}</script></body></html>\n",
        script_literal(&config)
    )
}

/// The frame's message handler (plain ES2017, no dependencies).
const SCRIPT: &str = r#"(function () {
  "use strict";
  var config = UCWA_XFRAME;
  var METHODS = { get: "GET", post: "POST", put: "PUT", "delete": "DELETE" };

  function allowed(origin) {
    return origin !== "null" && (config.any || config.origins.indexOf(origin) !== -1);
  }

  function answer(event, reply) {
    try {
      event.source.postMessage(JSON.stringify(reply), event.origin);
    } catch (e) {
      // The page went away (e.g. a keepalive DELETE on pagehide): nobody to answer.
    }
  }

  function refuse(event, messageId) {
    answer(event, {
      messageId: messageId, status: 403, statusText: "Forbidden", responseText: "",
      headers: "X-Ms-diagnostics: " + config.diagnostics + "\r\n"
    });
  }

  // The request message, or null when `data` is not one (such messages are ignored).
  function parse(data) {
    if (typeof data !== "string") return null;
    var m;
    try { m = JSON.parse(data); } catch (e) { return null; }
    if (m === null || typeof m !== "object" || Array.isArray(m)) return null;
    if (typeof m.messageId !== "string" && typeof m.messageId !== "number") return null;
    if (typeof m.type !== "string" || typeof m.url !== "string") return null;
    var method = METHODS[m.type.toLowerCase()];
    if (!method) return null;
    var headers = m.headers === undefined || m.headers === null ? {} : m.headers;
    if (typeof headers !== "object" || Array.isArray(headers)) return null;
    for (var name in headers) {
      if (Object.prototype.hasOwnProperty.call(headers, name) && typeof headers[name] !== "string") return null;
    }
    if (m.data !== undefined && m.data !== null && typeof m.data !== "string") return null;
    return {
      messageId: m.messageId, method: method, url: m.url, headers: headers,
      data: typeof m.data === "string" ? m.data : null, keepalive: m.keepalive === true,
      accepts: typeof m.accepts === "string" ? m.accepts : null,
      contentType: typeof m.contentType === "string" ? m.contentType : null
    };
  }

  function ownUrl(raw) {
    try {
      var url = new URL(raw, location.href);
      return url.origin === location.origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function requestHeaders(request, origin) {
    var headers = new Headers();
    for (var name in request.headers) {
      if (!Object.prototype.hasOwnProperty.call(request.headers, name)) continue;
      try { headers.set(name, request.headers[name]); } catch (e) { /* not a valid header */ }
    }
    if (request.accepts !== null && !headers.has("Accept")) headers.set("Accept", request.accepts);
    if (request.contentType !== null && !headers.has("Content-Type")) headers.set("Content-Type", request.contentType);
    headers.set("X-Ms-Origin", origin);
    headers.set("X-Requested-With", "XMLHttpRequest");
    return headers;
  }

  function headerString(headers) {
    var text = "";
    headers.forEach(function (value, name) { text += name + ": " + value + "\r\n"; });
    return text;
  }

  window.addEventListener("message", function (event) {
    var request = parse(event.data);
    if (request === null || !event.source) return;
    if (!allowed(event.origin)) return refuse(event, request.messageId);
    var url = ownUrl(request.url);
    if (url === null) return refuse(event, request.messageId);
    var init = {
      method: request.method,
      headers: requestHeaders(request, event.origin),
      credentials: "same-origin",
      cache: "no-store",
      keepalive: request.keepalive
    };
    if (request.data !== null && request.method !== "GET") init.body = request.data;
    fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        answer(event, {
          messageId: request.messageId, status: response.status,
          statusText: response.statusText, responseText: text,
          headers: headerString(response.headers)
        });
      });
    }).catch(function () {
      answer(event, { messageId: request.messageId, status: 0, statusText: "", responseText: "", headers: "" });
    });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(explicit: &[&str]) -> Origins {
        let explicit: Vec<String> = explicit.iter().map(|s| s.to_string()).collect();
        Origins::new(&explicit, 8090)
    }

    /// The JSON between `var UCWA_XFRAME = ` and the end of its line.
    fn inlined(page: &str) -> serde_json::Value {
        let start = page.find("var UCWA_XFRAME = ").unwrap() + "var UCWA_XFRAME = ".len();
        let end = start + page[start..].find(";\n").unwrap();
        serde_json::from_str(&page[start..end]).unwrap()
    }

    #[test]
    fn matches_the_path_in_any_case() {
        assert!(is_page("/Autodiscover/XFrame/XFrame.html"));
        assert!(is_page("/autodiscover/xframe/xframe.html"));
        assert!(is_page("/AUTODISCOVER/XFRAME/XFRAME.HTML"));
        assert!(!is_page("/autodiscover/xframe/xframe.htm"));
        assert!(!is_page("/autodiscover/xframe"));
    }

    #[test]
    fn inlines_the_authorization_list() {
        let page = page(&origins(&["https://intranet.contoso.com"]), "abc");
        let config = inlined(&page);
        assert_eq!(config["any"], false);
        assert_eq!(
            config["origins"],
            json!([
                "http://127.0.0.1:8090",
                "http://localhost:8090",
                "https://intranet.contoso.com"
            ])
        );
        assert_eq!(config["diagnostics"], DIAG_CROSS_DOMAIN);
        assert!(page.contains("<script nonce=\"abc\">"));
        assert_eq!(page.matches("<script").count(), 1);
        assert_eq!(page.matches("</script>").count(), 1);
    }

    #[test]
    fn a_wildcard_list_allows_any_sender() {
        assert_eq!(inlined(&page(&origins(&["*"]), "n"))["any"], true);
    }

    #[test]
    fn no_string_can_close_the_script_element() {
        let hostile = json!({ "x": "</script><script>alert(1)</script>&\u{2028}\u{2029}" });
        let literal = script_literal(&hostile);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!literal.contains(bad), "{bad:?} left in {literal}");
        }
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&literal).unwrap(),
            hostile
        );
    }

    #[test]
    fn the_policy_runs_only_the_page_script_and_lets_any_page_frame_it() {
        let csp = content_security_policy("n0nce");
        assert!(csp.starts_with("default-src 'none'; script-src 'nonce-n0nce';"));
        assert!(csp.contains("connect-src 'self'"));
        assert!(csp.ends_with("frame-ancestors *"));
    }
}

use serde_json::Value;

use crate::common::*;

const ROOT: &str = "/autodiscover/autodiscoverservice.svc/root";

#[tokio::test]
async fn unknown_origin_is_refused_with_28070() {
    let srv = Srv::fast().await;
    for header in ["X-Ms-Origin", "Origin"] {
        let r = srv
            .http
            .get(srv.url(ROOT))
            .header(header, "http://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}");
        assert_eq!(
            r.headers()["x-ms-diagnostics"],
            "28070;reason=\"Service does not allow a cross domain request from this origin.\""
        );
        assert!(r.headers().get("access-control-allow-origin").is_none());
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "Forbidden");
    }
    // A listed Origin with an unlisted X-Ms-Origin is still refused.
    let r = srv
        .http
        .get(srv.url(ROOT))
        .header("Origin", "http://localhost:8080")
        .header("X-Ms-Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn default_allow_list_and_no_origin() {
    let srv = Srv::fast().await;
    let port = srv.base.rsplit(':').next().unwrap().to_string();
    for origin in [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        &format!("http://localhost:{port}"),
        &format!("http://127.0.0.1:{port}"),
    ] {
        let r = srv
            .http
            .get(srv.url(ROOT))
            .header("Origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{origin}");
        assert_eq!(r.headers()["access-control-allow-origin"], origin);
    }
    let r = srv.get(ROOT).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn explicit_allow_list_replaces_demo_defaults() {
    let cfg = ucwa_server::Config {
        allow_origins: vec!["https://intranet.contoso.com".into()],
        ..fast()
    };
    let srv = Srv::start(cfg).await;
    let ok = srv
        .http
        .get(srv.url(ROOT))
        .header("Origin", "https://intranet.contoso.com")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let refused = srv
        .http
        .get(srv.url(ROOT))
        .header("Origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn preflight_answers_allowed_origins() {
    let srv = Srv::fast().await;
    let r = srv
        .http
        .request(
            reqwest::Method::OPTIONS,
            srv.url("/ucwa/oauth/v1/applications/101/people/presenceSubscriptions"),
        )
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type,x-ms-origin,x-requested-with",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:8080");
    let methods = h["access-control-allow-methods"].to_str().unwrap();
    for m in ["GET", "POST", "PUT", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{m}");
    }
    let headers = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "authorization",
        "content-type",
        "accept",
        "x-ms-origin",
        "x-requested-with",
        "if-none-match",
    ] {
        assert!(headers.contains(name), "{name}");
    }
    assert!(h.get("access-control-max-age").is_some());
    let r = srv
        .http
        .request(reqwest::Method::OPTIONS, srv.url(ROOT))
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn errors_and_401_carry_cors_headers() {
    let srv = Srv::fast().await;
    let r = srv
        .http
        .get(srv.url(&format!("{ROOT}/oauth/user")))
        .header("Origin", "http://localhost:8080")
        .header("X-Ms-Origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:8080"
    );
    let expose = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(expose.contains("WWW-Authenticate") && expose.contains("X-Ms-diagnostics"));
    let r = srv
        .http
        .get(srv.url("/nowhere"))
        .header("Origin", "http://127.0.0.1:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
}

/// `--cors off`: a stock server. No `Access-Control-*` header anywhere, preflights get 400
/// 28020, and the allow-list still refuses unknown origins.
#[tokio::test]
async fn cors_off_sends_no_cors_headers_and_refuses_preflights() {
    let srv = Srv::start(ucwa_server::Config {
        cors: false,
        ..fast()
    })
    .await;
    let no_cors_header = |r: &reqwest::Response| {
        !r.headers()
            .keys()
            .any(|k| k.as_str().starts_with("access-control-"))
    };
    for path in [
        ROOT.to_string(),
        format!("{ROOT}/oauth/user"),
        "/nowhere".into(),
    ] {
        let r = srv
            .http
            .get(srv.url(&path))
            .header("Origin", "http://localhost:8080")
            .header("X-Ms-Origin", "http://localhost:8080")
            .send()
            .await
            .unwrap();
        assert!(r.status() != 403, "{path}: {}", r.status());
        assert!(no_cors_header(&r), "{path}: {:?}", r.headers());
    }
    let r = srv
        .http
        .request(
            reqwest::Method::OPTIONS,
            srv.url("/ucwa/oauth/v1/applications"),
        )
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.headers()["x-ms-diagnostics"],
        "28020;reason=\"No valid security token.\""
    );
    assert!(no_cors_header(&r));
    let refused = srv
        .http
        .get(srv.url(ROOT))
        .header("X-Ms-Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers()["x-ms-diagnostics"]
        .to_str()
        .unwrap()
        .starts_with("28070;"));
    // Requests naming no origin, or the server's own (what the XFrame page sends), work.
    let token = srv.token(DANA).await;
    assert!(token.starts_with("cwt="));
}

//! The XFrame page over HTTP (its script runs in tests/e2e/xframe_page.test.mjs).

use crate::common::*;

const PAGE: &str = "/Autodiscover/XFrame/XFrame.html";

#[tokio::test]
async fn the_page_is_served_in_any_case_without_the_cors_check() {
    let srv = Srv::fast().await;
    for path in [
        PAGE,
        "/autodiscover/xframe/xframe.html",
        "/AUTODISCOVER/XFRAME/xframe.HTML",
    ] {
        // A navigation from a page that is not on the list still loads the page: its script
        // answers that page with 403 28070.
        let r = srv
            .http
            .get(srv.url(path))
            .header("Origin", "http://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors *"), "{csp}");
        assert!(r.headers().get("x-frame-options").is_none());
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap()
            .to_string();
        let body = r.text().await.unwrap();
        assert!(body.contains(&format!("<script nonce=\"{nonce}\">")));
        assert!(body.contains("\"http://localhost:8080\""));
    }
    let r = srv.http.post(srv.url(PAGE)).send().await.unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn every_response_gets_a_new_nonce() {
    let srv = Srv::fast().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..3 {
        let r = srv.get(PAGE).await;
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(seen.insert(csp));
    }
}

#[tokio::test]
async fn no_xframe_answers_404_and_keeps_the_links() {
    let srv = Srv::start(ucwa_server::Config {
        xframe: false,
        ..fast()
    })
    .await;
    let r = srv.get(PAGE).await;
    assert_eq!(r.status(), 404);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "NotFound");
    let root: serde_json::Value = srv
        .get("/autodiscover/autodiscoverservice.svc/root")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(root["_links"]["xframe"]["href"], srv.url(PAGE));
}

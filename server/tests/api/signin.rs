use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn root_links_are_absolute_from_host() {
    let srv = Srv::fast().await;
    let r = srv
        .http
        .get(srv.url("/autodiscover/autodiscoverservice.svc/root"))
        .header("Host", "lync.example.test:4443")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["_links"]["user"]["href"],
        "http://lync.example.test:4443/autodiscover/autodiscoverservice.svc/root/oauth/user"
    );
    assert_eq!(
        v["_links"]["xframe"]["href"],
        "http://lync.example.test:4443/Autodiscover/XFrame/XFrame.html"
    );
    // Microsoft's capitalised spelling works too.
    let r = srv.get("/Autodiscover/AutodiscoverService.svc/root").await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn user_without_token_is_challenged() {
    let srv = Srv::fast().await;
    let r = srv
        .get("/autodiscover/autodiscoverservice.svc/root/oauth/user")
        .await;
    assert_eq!(r.status(), 401);
    let challenge = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        challenge,
        format!("MsRtcOAuth href=\"{}/WebTicket/oauthtoken\",grant_type=\"urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password\"", srv.base)
    );
    let body: Value = r.json().await.unwrap();
    assert!(body["code"].is_string());
}

#[tokio::test]
async fn password_grant_accepts_both_username_forms() {
    let srv = Srv::fast().await;
    for name in [
        "dana@contoso.com",
        "sip:dana@contoso.com",
        "SIP:Dana@Contoso.COM",
    ] {
        let r = srv
            .http
            .post(srv.url("/WebTicket/oauthtoken"))
            .body(format!(
                "grant_type=password&username={}&password=demo",
                name.replace(':', "%3A")
            ))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name}");
        let v: Value = r.json().await.unwrap();
        assert!(v["access_token"].as_str().unwrap().starts_with("cwt="));
        assert_eq!(v["token_type"], "Bearer");
        assert_eq!(v["expires_in"], 28800);
    }
    let token = srv.token(DANA).await;
    let r = srv
        .http
        .get(srv.url("/autodiscover/autodiscoverservice.svc/root/oauth/user"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["_links"]["applications"]["href"],
        format!("{}/ucwa/oauth/v1/applications", srv.base)
    );
}

#[tokio::test]
async fn bad_credentials_and_bad_grants() {
    let srv = Srv::fast().await;
    let cases = [
        (
            "grant_type=password&username=dana@contoso.com&password=wrong",
            "invalid_grant",
        ),
        (
            "grant_type=password&username=nobody@contoso.com&password=demo",
            "invalid_grant",
        ),
        (
            "grant_type=urn:microsoft.rtc:windows",
            "unsupported_grant_type",
        ),
        ("username=dana@contoso.com&password=demo", "invalid_request"),
        (
            "grant_type=password&username=dana@contoso.com",
            "invalid_request",
        ),
        ("%%%%", "invalid_request"),
    ];
    for (body, error) in cases {
        let r = srv
            .http
            .post(srv.url("/WebTicket/oauthtoken"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], error, "{body}");
    }
}

#[tokio::test(start_paused = true)]
async fn tokens_expire() {
    let lifetime = Duration::from_secs(3600);
    let srv = Srv::paused(ucwa_server::Config {
        token_lifetime: lifetime,
        app_idle_timeout: lifetime * 2,
        ..fast()
    })
    .await;
    let s = srv.session(DANA).await;
    assert_eq!(s.get("me").await.0, 200);
    advance(lifetime - Duration::from_secs(1)).await;
    assert_eq!(
        s.get("me").await.0,
        200,
        "a second before the end of its lifetime"
    );
    advance(Duration::from_secs(1)).await;
    let request = srv
        .http
        .get(srv.url(&format!("{}/me", s.app)))
        .bearer_auth(&s.token)
        .send();
    let r = held(request).await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("MsRtcOAuth href="));
}

#[tokio::test]
async fn control_expires_tokens_but_not_applications() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let (st, v) = srv
        .control("/expire", json!({"what": "token", "user": DANA}))
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["affected"], 1);
    assert_eq!(s.get("me").await.0, 401);
    // A fresh token reaches the same application (the application outlives the token).
    s.token = srv.token(DANA).await;
    assert_eq!(s.get("me").await.0, 200);
}

//! Pools in one process (`--pool`, `--home`): redirect to the home pool, tokens per pool, one
//! presence model, and the request log of the control API.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

const ROOT: &str = "/autodiscover/autodiscoverservice.svc/root";

/// Pools A and B; Sara is homed on B, everyone else on A (the first pool).
async fn two_pools() -> (Srv, Srv) {
    let cfg = ucwa_server::Config {
        homes: vec![("sarad@contoso.com".into(), "B".into())],
        ..fast()
    };
    let mut pools = Srv::pools(cfg, &["A", "B"]).await;
    let b = pools.pop().unwrap();
    let a = pools.pop().unwrap();
    (a, b)
}

async fn get_json(srv: &Srv, url: &str, token: Option<&str>) -> (StatusCode, Value, String) {
    let mut req = srv.http.get(srv.url(url));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let challenge = r
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        challenge,
    )
}

#[tokio::test]
async fn a_user_homed_on_another_pool_is_redirected_and_signs_in_there() {
    let (a, b) = two_pools().await;
    let token_a = a.token(SARA).await;
    let (status, user, _) = get_json(&a, &format!("{ROOT}/oauth/user"), Some(&token_a)).await;
    assert_eq!(status, 200);
    let links = &user["_links"];
    assert!(links.get("applications").is_none(), "{user}");
    let redirect = links["redirect"]["href"].as_str().unwrap();
    assert_eq!(redirect, a.url(&format!("{ROOT}/user/redirect")));
    assert_eq!(
        links["xframe"]["href"],
        a.url("/Autodiscover/XFrame/XFrame.html")
    );

    let (status, r, _) = get_json(&a, redirect, Some(&token_a)).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["rel"], "redirect");
    assert_eq!(r["_links"]["self"]["href"], redirect);
    let home = r["_links"]["user"]["href"].as_str().unwrap();
    assert_eq!(home, b.url(&format!("{ROOT}/user")));
    assert_eq!(
        r["_links"]["xframe"]["href"],
        b.url("/Autodiscover/XFrame/XFrame.html")
    );

    // Not homed on A: no applications there.
    let refused = a
        .http
        .post(a.url("/ucwa/oauth/v1/applications"))
        .bearer_auth(&token_a)
        .json(&json!({"userAgent": "t", "endpointId": "e", "culture": "en-US"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    // B: A's token is refused with B's own challenge; B's token works.
    let (status, _, challenge) = get_json(&b, home, Some(&token_a)).await;
    assert_eq!(status, 401);
    assert!(
        challenge.starts_with(&format!(
            "MsRtcOAuth href=\"{}/WebTicket/oauthtoken\"",
            b.base
        )),
        "{challenge}"
    );
    let token_b = b.token(SARA).await;
    let (status, user, _) = get_json(&b, home, Some(&token_b)).await;
    assert_eq!(status, 200);
    assert_eq!(
        user["_links"]["applications"]["href"],
        b.url("/ucwa/oauth/v1/applications")
    );
    assert!(user["_links"].get("redirect").is_none());
    let (status, _, _) = get_json(&b, &format!("{ROOT}/user/redirect"), Some(&token_b)).await;
    assert_eq!(status, 404, "no redirect for a user homed here");
    b.session(SARA).await;
}

#[tokio::test]
async fn a_token_is_refused_by_every_other_pool() {
    let (a, b) = two_pools().await;
    let dana = a.session(DANA).await;
    let (status, _) = dana.get("me").await;
    assert_eq!(status, 200);
    let on_b = b
        .http
        .get(b.url(&format!("{}/me", dana.app)))
        .bearer_auth(&dana.token)
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), 401);
    assert!(on_b.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains(&format!("href=\"{}/WebTicket/oauthtoken\"", b.base)));
}

#[tokio::test]
async fn presence_is_shared_by_all_pools() {
    let (a, b) = two_pools().await;
    let mut dana = a.session(DANA).await;
    dana.subscribe(&[SARA]).await;
    dana.pget().await;
    let sara = b.session(SARA).await;
    sara.make_me_available().await;
    assert_eq!(
        sara.post("me/presence", json!({"availability": "Busy"}))
            .await
            .0,
        204
    );
    let mut busy = false;
    for _ in 0..4 {
        dana.wait_for("contactPresence", "updated", 3)
            .await
            .expect("Sara's presence reaches Dana on the other pool");
        let (_, p) = dana.get("people/sarad@contoso.com/presence").await;
        if p["availability"] == "Busy" {
            busy = true;
            break;
        }
    }
    assert!(busy, "Dana sees Sara Busy");
    // The control API of either pool changes the one model.
    let (status, _) = b
        .control(
            "/users/dana@contoso.com/note",
            json!({"message": "from B's control API"}),
        )
        .await;
    assert_eq!(status, 204);
    let (_, note) = sara.get("people/dana@contoso.com/note").await;
    assert_eq!(note["message"], "from B's control API");
}

#[tokio::test]
async fn the_request_log_names_the_pool_and_the_tokens_issuer() {
    let (a, b) = two_pools().await;
    let token_a = a.token(SARA).await;
    let token_b = b.token(SARA).await;
    a.get("/Autodiscover/XFrame/XFrame.html").await;
    let clear = a
        .http
        .delete(a.url("/_control/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(clear.status(), 204);
    a.get("/autodiscover/xframe/xframe.html").await; // not logged
    a.http
        .get(a.url(ROOT))
        .header("X-Ms-Origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    get_json(&a, &format!("{ROOT}/oauth/user"), Some(&token_a)).await;
    get_json(&b, &format!("{ROOT}/user"), Some(&token_b)).await;
    get_json(&b, &format!("{ROOT}/user"), Some(&token_a)).await;
    get_json(&b, &format!("{ROOT}/user"), Some("cwt=unknown")).await;
    // Either pool's control API reads the one log; control requests are not in it.
    let (status, log) = b.control_get("/requests").await;
    assert_eq!(status, 200);
    let user = format!("{ROOT}/oauth/user");
    let short = format!("{ROOT}/user");
    let sara = "sarad@contoso.com";
    assert_eq!(
        log,
        json!([
            {"pool": "A", "method": "GET", "path": ROOT, "origin": "http://localhost:8080", "token_pool": null, "token_user": null},
            {"pool": "A", "method": "GET", "path": user, "origin": null, "token_pool": "A", "token_user": sara},
            {"pool": "B", "method": "GET", "path": short, "origin": null, "token_pool": "B", "token_user": sara},
            {"pool": "B", "method": "GET", "path": short, "origin": null, "token_pool": "A", "token_user": sara},
            {"pool": "B", "method": "GET", "path": short, "origin": null, "token_pool": null, "token_user": null},
        ])
    );
}

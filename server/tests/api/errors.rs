use serde_json::{json, Value};

use crate::common::*;

async fn expect_ucwa_error(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: Value = r.json().await.unwrap();
    assert!(v["code"].is_string() && v["message"].is_string(), "{v}");
    v
}

#[tokio::test]
async fn bad_bodies_and_paths() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    s.make_me_available().await;
    let url = |p: &str| format!("{}{}/{p}", s.base, s.app);
    for (path, body, content_type, status, subcode) in [
        (
            "me/presence",
            &b"{not json"[..],
            "application/json",
            400,
            Some("DeserializationFailure"),
        ),
        (
            "me/presence",
            b"[1,2]",
            "application/json",
            400,
            Some("DeserializationFailure"),
        ),
        ("me/presence", b"\xff\xfe", "application/json", 400, None),
        (
            "me/presence",
            b"availability=Busy",
            "application/x-www-form-urlencoded",
            415,
            None,
        ),
        (
            "people/presenceSubscriptions",
            b"{\"duration\":1e400,\"uris\":[]}",
            "application/json",
            400,
            None,
        ),
    ] {
        let r = s
            .http
            .post(url(path))
            .bearer_auth(&s.token)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let v = expect_ucwa_error(r, status).await;
        if let Some(subcode) = subcode {
            assert_eq!(v["subcode"], subcode, "{path} {body:?}");
        }
    }
    let huge = vec![b'x'; 300 * 1024];
    let r = s
        .http
        .post(url("me/presence"))
        .bearer_auth(&s.token)
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let v = expect_ucwa_error(r, 413).await;
    assert_eq!(v["code"], "EntityTooLarge");
    let v = expect_ucwa_error(
        s.http
            .get(format!("{}/ucwa/oauth/v1/nothing", s.base))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert_eq!(v["code"], "NotFound");
    let v = expect_ucwa_error(
        s.http
            .put(url("me/presence"))
            .bearer_auth(&s.token)
            .body("{}")
            .send()
            .await
            .unwrap(),
        405,
    )
    .await;
    assert_eq!(v["code"], "MethodNotAllowed");
    for bad_app in ["abc", "99999999999999999999999", "-1", "0"] {
        let r = s
            .http
            .get(format!(
                "{}/ucwa/oauth/v1/applications/{bad_app}/me",
                s.base
            ))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        let v = expect_ucwa_error(r, 404).await;
        assert_eq!(v["subcode"], "ApplicationNotFound", "{bad_app}");
    }
    let get = |path: &str| s.http.get(url(path)).bearer_auth(&s.token).send();
    let v = expect_ucwa_error(get("people/not-a-uri/presence").await.unwrap(), 404).await;
    assert_eq!(v["code"], "NotFound");
    expect_ucwa_error(get("events?ack=abc&timeout=1").await.unwrap(), 400).await;
}

#[tokio::test]
async fn missing_or_garbage_tokens() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    for auth in [
        "",
        "Bearer",
        "Bearer cwt=forged",
        "Basic abc",
        "Bearer \u{7f}",
    ] {
        let mut req = s.http.get(format!("{}{}/me", s.base, s.app));
        if !auth.is_empty() {
            req = req.header("Authorization", auth);
        }
        let Ok(r) = req.send().await else { continue };
        assert_eq!(r.status(), 401, "{auth}");
        assert!(r.headers().contains_key("www-authenticate"));
    }
    let r = s
        .http
        .post(format!("{}/ucwa/oauth/v1/applications", s.base))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

//! Photos (contactPhoto_ref, seed 002): a real PNG with an ETag and private caching, the
//! `cwt_ucwa` cookie that authorises `<img>` requests, and the control API's `photo` switch.

use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use serde_json::{json, Value};

use crate::common::*;

/// GET of a photo URL (root-relative) with the bearer token and optional extra headers.
async fn photo(s: &Session, href: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut r = s
        .http
        .get(format!("{}{href}", s.base))
        .bearer_auth(&s.token);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

/// GET of a photo URL with a bearer token only.
async fn with_token(srv: &Srv, href: &str, token: &str) -> reqwest::Response {
    srv.http
        .get(srv.url(href))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// GET of a photo URL with a Cookie header and no token.
async fn with_cookie(srv: &Srv, href: &str, cookie: &str) -> reqwest::Response {
    srv.http
        .get(srv.url(href))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_png_with_an_etag_private_caching_and_304() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (_, contact) = s.get("people/sarad@contoso.com").await;
    let href = contact["_links"]["contactPhoto"]["href"].as_str().unwrap();
    let r = photo(&s, href, &[]).await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(header(&h, "content-type"), "image/png");
    assert_eq!(header(&h, "cache-control"), "private, max-age=300");
    let tag = header(&h, "etag");
    assert!(
        tag.len() > 2 && tag.starts_with('"') && tag.ends_with('"'),
        "{tag}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(bytes.windows(4).any(|w| w == b"IHDR"));

    let again = photo(&s, href, &[]).await;
    assert_eq!(header(again.headers(), "etag"), tag, "same photo, same tag");
    assert_eq!(again.bytes().await.unwrap(), bytes, "deterministic");

    let cached = photo(&s, href, &[("If-None-Match", &tag)]).await;
    assert_eq!(cached.status(), 304);
    assert_eq!(header(cached.headers(), "etag"), tag);
    assert!(cached.bytes().await.unwrap().is_empty());
    let stale = photo(&s, href, &[("If-None-Match", "\"stale\"")]).await;
    assert_eq!(stale.status(), 200);

    let (_, me) = s.get("me").await;
    let mine = photo(&s, me["_links"]["photo"]["href"].as_str().unwrap(), &[]).await;
    assert_eq!(mine.status(), 200);
    assert_ne!(
        header(mine.headers(), "etag"),
        tag,
        "another user, another photo"
    );
    let sized = photo(&s, &format!("{href}?size=HR64X64"), &[]).await;
    assert_eq!(sized.status(), 200, "size is accepted");
}

#[tokio::test]
async fn without_a_photo_or_outside_the_directory_404() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    for user in [
        "lisaa@contoso.com",
        "someone@fabrikam.com",
        "not-an-address",
    ] {
        let r = photo(&s, &format!("{}/photos/{user}", s.app), &[]).await;
        assert_eq!(r.status(), 404, "{user}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["subcode"], "ResourceNotFound", "{user}");
    }
    let (_, contact) = s.get("people/lisaa@contoso.com").await;
    assert!(
        contact["_links"]["contactPhoto"]["href"].is_string(),
        "the link is there for every directory user"
    );
}

#[tokio::test]
async fn the_control_api_switches_a_photo_off_and_on_with_a_new_etag() {
    let srv = Srv::fast().await;
    let s = srv.session(SARA).await;
    let href = format!("{}/photos/dana@contoso.com", s.app);
    let before = header(photo(&s, &href, &[]).await.headers(), "etag");
    let off = srv
        .control("/users/dana@contoso.com/photo", json!({"photo": false}))
        .await;
    assert_eq!(off.0, 204);
    assert_eq!(photo(&s, &href, &[]).await.status(), 404);
    let cached = photo(&s, &href, &[("If-None-Match", &before)]).await;
    assert_eq!(cached.status(), 404, "no 304 for a photo that is gone");
    srv.control("/users/dana@contoso.com/photo", json!({"photo": true}))
        .await;
    let r = photo(&s, &href, &[("If-None-Match", &before)]).await;
    assert_eq!(r.status(), 200, "the old tag no longer matches");
    assert_ne!(header(r.headers(), "etag"), before);

    for body in [json!({}), json!({"photo": "yes"})] {
        let (st, v) = srv.control("/users/dana@contoso.com/photo", body).await;
        assert_eq!(
            (st.as_u16(), v["subcode"].as_str()),
            (400, Some("ParameterValidationFailure"))
        );
    }
    let (st, _) = srv
        .control("/users/nobody@contoso.com/photo", json!({"photo": true}))
        .await;
    assert_eq!(st, 404);
}

/// Signs in and POSTs applications by hand, to see the response's `Set-Cookie`.
async fn application_with_cookie(srv: &Srv, user: &str) -> (String, String, String) {
    let token = srv.token(user).await;
    let r = srv
        .http
        .post(srv.url("/ucwa/oauth/v1/applications"))
        .bearer_auth(&token)
        .json(&json!({"userAgent": "tests/1.0", "endpointId": format!("ep-{}", rand_id()), "culture": "en-US"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let set_cookie = header(r.headers(), SET_COOKIE.as_str());
    let v: Value = r.json().await.unwrap();
    let app = v["_links"]["self"]["href"].as_str().unwrap().to_string();
    (token, app, set_cookie)
}

#[tokio::test]
async fn the_photo_cookie_authorises_photo_gets_of_its_application_only() {
    let srv = Srv::fast().await;
    let (token, app, set_cookie) = application_with_cookie(&srv, DANA).await;
    let pair = set_cookie.split(';').next().unwrap().trim().to_string();
    assert!(
        pair.starts_with("cwt_ucwa=") && pair.len() > 30,
        "{set_cookie}"
    );
    for attribute in [
        &format!("Path={app}/photos") as &str,
        "HttpOnly",
        "SameSite=Lax",
    ] {
        assert!(set_cookie.contains(attribute), "{attribute}: {set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");

    let href = format!("{app}/photos/sarad@contoso.com");
    let r = with_cookie(&srv, &href, &format!("theme=dark; {pair}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(r.headers(), "content-type"), "image/png");

    // Nothing, a made-up cookie, or the cookie on another application: 401 and the challenge.
    let nothing = srv.get(&href).await;
    assert_eq!(nothing.status(), 401);
    assert!(header(nothing.headers(), "www-authenticate").starts_with("MsRtcOAuth"));
    let guessed = with_cookie(&srv, &href, "cwt_ucwa=0123456789abcdef").await;
    assert_eq!(guessed.status(), 401);
    let (_, other_app, _) = application_with_cookie(&srv, SARA).await;
    let elsewhere = with_cookie(&srv, &format!("{other_app}/photos/dana@contoso.com"), &pair).await;
    assert_eq!(elsewhere.status(), 401);
    // Only photos: the cookie is no token for anything else.
    let me = with_cookie(&srv, &format!("{app}/me"), &pair).await;
    assert_eq!(me.status(), 401);

    // Valid as long as the token it came with.
    let (st, _) = srv
        .control("/expire", json!({"what": "token", "user": DANA}))
        .await;
    assert_eq!(st, 200, "token expired");
    assert_eq!(with_cookie(&srv, &href, &pair).await.status(), 401);
    assert_eq!(with_token(&srv, &href, &token).await.status(), 401);
}

#[tokio::test]
async fn a_deleted_application_ends_its_photo_cookie() {
    let srv = Srv::fast().await;
    let (token, app, set_cookie) = application_with_cookie(&srv, DANA).await;
    let pair = set_cookie.split(';').next().unwrap().trim().to_string();
    let href = format!("{app}/photos/dana@contoso.com");
    assert_eq!(with_cookie(&srv, &href, &pair).await.status(), 200);
    let deleted = srv
        .http
        .delete(srv.url(&app))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(with_cookie(&srv, &href, &pair).await.status(), 401);
    assert_eq!(
        with_token(&srv, &href, &token).await.status(),
        404,
        "the token still works: the application is gone"
    );
}

/// The widget's CORS transport reads photos as bytes with the token: the preflight and the
/// GET both answer the allowed origin, and the ETag is readable by the page.
#[tokio::test]
async fn photos_over_cors() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let url = srv.url(&format!("{}/photos/sarad@contoso.com", s.app));
    let origin = "http://localhost:8080";
    let preflight = srv
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .header(
            "Access-Control-Request-Headers",
            "authorization,if-none-match",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(
        header(preflight.headers(), "access-control-allow-origin"),
        origin
    );
    let r = photo(
        &s,
        &format!("{}/photos/sarad@contoso.com", s.app),
        &[("Origin", origin)],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(r.headers(), "access-control-allow-origin"), origin);
    assert!(header(r.headers(), "access-control-expose-headers").contains("ETag"));
}

//! Windows sign-in (`--negotiate`): the challenge, the HTTP Negotiate handshake on the token
//! endpoint, CORS for credentialed requests, and single sign-on with a real KDC.

use std::io::Read;
use std::process::Child;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::Value;

use crate::cli::start_with_env;
use crate::common::*;
use crate::kerberos::{Realm, REALM};

const WINDOWS: &str = "grant_type=urn:microsoft.rtc:windows";
const PAGE: &str = "http://localhost:8080";

fn negotiate() -> ucwa_server::Config {
    ucwa_server::Config {
        negotiate: true,
        ..fast()
    }
}

/// `POST /WebTicket/oauthtoken` with `body`, an optional `Authorization` value and `Origin`.
async fn token_request(
    base: &str,
    body: &str,
    authorization: Option<&str>,
    origin: Option<&str>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new()
        .post(format!("{base}/WebTicket/oauthtoken"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    if let Some(a) = authorization {
        r = r.header("Authorization", a);
    }
    if let Some(o) = origin {
        r = r.header("Origin", o);
    }
    r.send().await.unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    r.headers().get(name).map(|v| v.to_str().unwrap())
}

async fn challenge_of(srv: &Srv) -> String {
    let r = srv
        .get("/autodiscover/autodiscoverservice.svc/root/oauth/user")
        .await;
    assert_eq!(r.status(), 401);
    header(&r, "www-authenticate").unwrap().to_string()
}

#[tokio::test]
async fn the_challenge_offers_windows_sign_in_only_with_the_flag() {
    let plain = Srv::fast().await;
    assert!(!challenge_of(&plain)
        .await
        .contains("urn:microsoft.rtc:windows"));
    let r = token_request(&plain.base, WINDOWS, Some("Negotiate YWJj"), None).await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );

    let srv = Srv::start(negotiate()).await;
    assert_eq!(
        challenge_of(&srv).await,
        format!("MsRtcOAuth href=\"{}/WebTicket/oauthtoken\",grant_type=\"urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password\"", srv.base)
    );
    // The password grant still works next to it.
    assert!(srv.token(DANA).await.starts_with("cwt="));
}

#[tokio::test]
async fn the_windows_grant_asks_for_negotiate_and_refuses_bad_tokens() {
    let srv = Srv::start(negotiate()).await;
    let r = token_request(&srv.base, WINDOWS, None, None).await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "www-authenticate"), Some("Negotiate"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_client", "{v}");

    let garbage = format!(
        "Negotiate {}",
        STANDARD.encode(b"not a SPNEGO token at all")
    );
    for (authorization, why) in [
        ("Negotiate ***", "base64"),
        ("Negotiate", "empty"),
        (garbage.as_str(), "not accepted"),
        ("Bearer cwt=abc", "Negotiate challenge"),
    ] {
        let r = token_request(&srv.base, WINDOWS, Some(authorization), None).await;
        assert_eq!(r.status(), 401, "{authorization}");
        assert_eq!(header(&r, "www-authenticate"), Some("Negotiate"));
        let v: Value = r.json().await.unwrap();
        let description = v["error_description"].as_str().unwrap();
        assert!(description.contains(why), "{authorization}: {description}");
    }

    for body in [
        "grant_type=urn:microsoft.rtc:windows&username=dana@contoso.com",
        "grant_type=urn:microsoft.rtc:windows&username=dana@contoso.com&password=demo",
        "grant_type=urn:microsoft.rtc:windows&password=demo",
    ] {
        let r = token_request(&srv.base, body, Some(&garbage), None).await;
        assert_eq!(r.status(), 400, "{body}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], "invalid_request", "{body}");
    }
}

#[tokio::test]
async fn credentialed_cors_gets_the_exact_origin_and_allow_credentials() {
    let srv = Srv::start(negotiate()).await;
    let r = token_request(&srv.base, WINDOWS, None, Some(PAGE)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(PAGE));
    assert_eq!(header(&r, "access-control-allow-credentials"), Some("true"));
    assert!(header(&r, "access-control-expose-headers")
        .unwrap()
        .contains("WWW-Authenticate"));

    // The preflight stays unauthenticated.
    let r = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/WebTicket/oauthtoken", srv.base),
        )
        .header("Origin", PAGE)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "access-control-allow-origin"), Some(PAGE));
    assert_eq!(header(&r, "access-control-allow-credentials"), Some("true"));
    assert_eq!(header(&r, "www-authenticate"), None);

    // Without --negotiate nothing is credentialed.
    let plain = Srv::fast().await;
    let r = token_request(&plain.base, "grant_type=password", None, Some(PAGE)).await;
    assert_eq!(header(&r, "access-control-allow-origin"), Some(PAGE));
    assert_eq!(header(&r, "access-control-allow-credentials"), None);
}

/// The server binary with the realm's keytab; killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(realm: &Realm, extra: &[&str]) -> Server {
        let args: Vec<&str> = ["--negotiate", "--quiet"]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let (child, base, mut stderr) = start_with_env(&args, &realm.server_env());
        // Keep reading its stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
        Server { child, base }
    }

    async fn sign_in(&self, token: &[u8]) -> reqwest::Response {
        let authorization = format!("Negotiate {}", STANDARD.encode(token));
        token_request(&self.base, WINDOWS, Some(&authorization), None).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_kerberos_ticket_signs_in_as_its_directory_user() {
    let realm = Realm::start(&["dana", "sarad", "mallory"]);
    let server = Server::start(&realm, &[]);

    let r = token_request(&server.base, WINDOWS, None, None).await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "www-authenticate"), Some("Negotiate"));

    let token = realm.spnego_token(&realm.ccache("dana")).unwrap();
    let r = server.sign_in(&token).await;
    assert_eq!(r.status(), 200);
    if let Some(reply) = header(&r, "www-authenticate") {
        let b64 = reply.strip_prefix("Negotiate ").expect("Negotiate <token>");
        assert!(STANDARD.decode(b64).is_ok(), "{reply}");
    }
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 28800);
    let access = v["access_token"].as_str().unwrap();

    // The token reads `user` and is Dana's: her application's `me` is her.
    let client = reqwest::Client::new();
    let r = client
        .get(format!(
            "{}/autodiscover/autodiscoverservice.svc/root/oauth/user",
            server.base
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let user: Value = r.json().await.unwrap();
    assert!(user["_links"]["applications"]["href"].is_string(), "{user}");
    let session = Session {
        base: server.base.clone(),
        http: client,
        token: access.to_string(),
        app: String::new(),
        next: String::new(),
        timeout: 1,
        paused: false,
    };
    let (status, app) = session
        .send(
            reqwest::Method::POST,
            "/ucwa/oauth/v1/applications",
            Some(serde_json::json!({"userAgent": "sso/1.0", "endpointId": "ep-sso", "culture": "en-US"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{app}");
    assert_eq!(app["_embedded"]["me"]["uri"], DANA, "{app}");

    // A replayed token is refused (the server's replay cache), garbage too.
    assert_eq!(server.sign_in(&token).await.status(), 401);
    assert_eq!(server.sign_in(b"\x60\x05garbage").await.status(), 401);

    // Sara's ticket signs in as Sara.
    let sara = realm.spnego_token(&realm.ccache("sarad")).unwrap();
    let r = server.sign_in(&sara).await;
    assert_eq!(r.status(), 200);

    // Mallory is in the realm but not in the directory.
    let mallory = realm.spnego_token(&realm.ccache("mallory")).unwrap();
    let r = server.sign_in(&mallory).await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "www-authenticate"), Some("Negotiate"));
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains(&format!("mallory@{REALM}")),
        "{v}"
    );
}

#[tokio::test]
async fn no_ticket_or_another_realm_cannot_sign_in() {
    let realm = Realm::start(&["dana"]);
    let server = Server::start(&realm, &[]);
    // A cache without a ticket: the client has nothing to answer the challenge with.
    let empty = realm.dir.join("cc-nobody");
    let e = realm.spnego_token(&empty).unwrap_err();
    assert!(!e.is_empty());
    let r = token_request(&server.base, WINDOWS, None, None).await;
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "www-authenticate"), Some("Negotiate"));

    // --negotiate-realm refuses principals of other realms.
    let strict = Server::start(&realm, &["--negotiate-realm", "FABRIKAM.TEST"]);
    let token = realm.spnego_token(&realm.ccache("dana")).unwrap();
    let r = strict.sign_in(&token).await;
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains("FABRIKAM.TEST"),
        "{v}"
    );
    let token = realm.spnego_token(&realm.ccache("dana")).unwrap();
    assert_eq!(server.sign_in(&token).await.status(), 200);
}

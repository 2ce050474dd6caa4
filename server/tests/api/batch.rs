use std::time::Duration;

use serde_json::{json, Value};
use ucwa_server::Config;

use crate::common::*;

fn part(method_path: &str, body: Option<&str>) -> String {
    let mut s = format!("Content-Type: application/http; msgtype=request\r\n\r\n{method_path} HTTP/1.1\r\nHost: lyncweb.contoso.com\r\nAccept: application/json\r\n");
    if let Some(b) = body {
        s.push_str(&format!("Content-Type: application/json\r\n\r\n{b}\r\n"));
    } else {
        s.push_str("\r\n");
    }
    s
}

fn batch_body(boundary: &str, parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(&format!("--{boundary}\r\n{p}"));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// Splits a multipart/batching response into (status, json body) per part.
fn parse_response(content_type: &str, body: &str) -> Vec<(u16, Value)> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .unwrap()
        .trim_matches('"');
    body.split(&format!("--{boundary}"))
        .skip(1)
        .filter(|p| !p.starts_with("--"))
        .map(|p| {
            assert!(p.contains("Content-Type: application/http; msgtype=response"));
            let http = p
                .split("\r\n\r\n")
                .skip(1)
                .collect::<Vec<_>>()
                .join("\r\n\r\n");
            let status: u16 = http.split_whitespace().nth(1).unwrap().parse().unwrap();
            let json = http.split("\r\n\r\n").nth(1).unwrap_or("").trim();
            (status, serde_json::from_str(json).unwrap_or(Value::Null))
        })
        .collect()
}

#[tokio::test]
async fn batch_of_gets_in_request_order() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let parts = vec![
        part(&format!("GET {}/people/contacts", s.app), None),
        part(
            &format!("GET https://lyncweb.contoso.com{}/me", s.app),
            None,
        ),
        part(&format!("GET {}/people/nobody@x/presence", s.app), None),
        part(
            &format!("POST {}/people/presenceSubscriptions", s.app),
            Some(r#"{"duration":10,"uris":["sip:sarad@contoso.com"]}"#),
        ),
        part(&format!("GET {}/events?ack=1", s.app), None),
    ];
    let b = "77f2569d-c005-442b-b856-782305305e5f";
    let r = s
        .http
        .post(format!("{}{}/batch", s.base, s.app))
        .bearer_auth(&s.token)
        .header("Content-Type", format!("multipart/batching;boundary={b}"))
        .header("Accept", "multipart/batching")
        .body(batch_body(b, &parts))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("multipart/batching"));
    let results = parse_response(&ct, &r.text().await.unwrap());
    assert_eq!(results.len(), 5);
    assert_eq!(results[0].0, 200);
    assert_eq!(results[0].1["rel"], "myContacts");
    assert_eq!(results[1].0, 200);
    assert_eq!(results[1].1["name"], "Dana Birkby");
    assert_eq!(
        (results[2].0, results[2].1["subcode"].as_str()),
        (404, Some("ResourceNotFound")),
        "a contact outside the directory has no presence (never an invented Offline)"
    );
    assert_eq!(results[3].0, 201);
    assert_eq!(results[3].1["rel"], "presenceSubscription");
    assert_eq!(results[4].0, 400, "events are not allowed in a batch");
}

#[tokio::test]
async fn batch_limit_and_bad_batches() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let b = "bnd";
    let parts: Vec<String> = (0..101)
        .map(|_| part(&format!("POST {}/me/makeMeAvailable", s.app), Some("{}")))
        .collect();
    let r = post_batch(&s, b, &parts).await;
    assert_eq!(r.status(), 429);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "TooManyRequests");
    assert_eq!(s.get("me/presence").await.0, 409, "nothing was executed");
    let r = s
        .http
        .post(format!("{}{}/batch", s.base, s.app))
        .bearer_auth(&s.token)
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = s
        .http
        .post(format!("{}{}/batch", s.base, s.app))
        .bearer_auth(&s.token)
        .header("Content-Type", "multipart/batching; boundary=x")
        .body("--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

/// POSTs `parts` to the application's batch with `boundary`.
async fn post_batch(s: &Session, boundary: &str, parts: &[String]) -> reqwest::Response {
    s.http
        .post(format!("{}{}/batch", s.base, s.app))
        .bearer_auth(&s.token)
        .header(
            "Content-Type",
            format!("multipart/batching; boundary={boundary}"),
        )
        .body(batch_body(boundary, parts))
        .send()
        .await
        .unwrap()
}

/// Posts a batch of `n` GETs of `rel` (relative to the application) and returns the status.
async fn batch_of(s: &Session, rel: &str, n: usize) -> u16 {
    let parts: Vec<String> = (0..n)
        .map(|_| part(&format!("GET {}/{rel}", s.app), None))
        .collect();
    post_batch(s, "lim", &parts).await.status().as_u16()
}

#[tokio::test]
async fn outstanding_limit_counts_every_batch_of_the_user_in_flight() {
    let srv = Srv::start(Config {
        max_outstanding: 4,
        ..fast()
    })
    .await;
    let s = srv.session(DANA).await;
    assert_eq!(
        batch_of(&s, "people/sarad@contoso.com", 5).await,
        429,
        "one batch over the limit"
    );
    assert_eq!(
        batch_of(&s, "people/sarad@contoso.com", 4).await,
        200,
        "one batch at the limit"
    );
    // Three parts held in flight by a delay on their resource: two more would be five.
    let (st, _) = srv
        .control(
            "/faults",
            json!({"delay_ms": 1500, "count": 3, "path_contains": "/note"}),
        )
        .await;
    assert!(st.is_success());
    let held = batch_of(&s, "people/sarad@contoso.com/note", 3);
    let while_held = async {
        // The held batch's parts are counted from the moment it is accepted: poll until they are.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let status = batch_of(&s, "people/sarad@contoso.com", 2).await;
            if status == 429 || std::time::Instant::now() > deadline {
                break status;
            }
        }
    };
    let (held, over) = tokio::join!(held, while_held);
    assert_eq!((held, over), (200, 429), "3 held + 2 > 4");
    assert_eq!(
        batch_of(&s, "people/sarad@contoso.com", 4).await,
        200,
        "freed again"
    );
}

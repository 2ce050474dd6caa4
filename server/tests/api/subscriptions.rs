use std::time::Duration;

use tokio::time::Instant;

use serde_json::{json, Value};

use crate::common::*;

/// One UCWA minute (the default `--minute-secs`).
const MINUTE: Duration = Duration::from_secs(60);
const SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn seed_000_subscribe_flow() {
    let srv = Srv::fast().await;
    let mut dana = srv.session(DANA).await;
    let (st, v) = dana
        .post(
            "people/presenceSubscriptions",
            json!({"duration": 11, "Uris": ["sip:SaraD@contoso.com"]}),
        )
        .await;
    assert_eq!(st, 201);
    let id = v["id"].as_str().unwrap().to_string();
    let app = dana.app.clone();
    assert_eq!(
        v,
        json!({
            "id": id,
            "_links": {
                "self": {"href": format!("{app}/people/presenceSubscriptions/{id}")},
                "memberships": {"href": format!("{app}/people/presenceSubscriptionMemberships?presenceSubscriptionId={id}")},
                "addToPresenceSubscription": {"href": format!("{app}/people/presenceSubscriptionMemberships?presenceSubscriptionId={id}")}
            },
            "rel": "presenceSubscription"
        })
    );
    let v = dana.pget().await;
    let ev = events(&v);
    assert_eq!(ev.len(), 3, "{v}");
    assert_eq!(
        ev[0]["link"],
        json!({"rel": "contact", "href": format!("{app}/people/sarad@contoso.com")})
    );
    assert_eq!(
        ev[0]["in"],
        json!({"rel": "subscribedContacts", "href": format!("{app}/people/subscribedContacts")})
    );
    assert_eq!(ev[0]["type"], "added");
    assert_eq!(
        ev[1]["link"],
        json!({"rel": "presenceSubscription", "href": format!("{app}/people/presenceSubscriptions/{id}")})
    );
    assert_eq!(ev[1]["type"], "added");
    assert_eq!(
        ev[2]["link"],
        json!({"rel": "contactPresence", "href": format!("{app}/people/sarad@contoso.com/presence")})
    );
    assert_eq!(
        ev[2]["in"],
        json!({"rel": "contact", "href": format!("{app}/people/sarad@contoso.com")})
    );
    assert_eq!(ev[2]["type"], "updated");
    assert_eq!(v["sender"][0]["rel"], "people");
    assert_eq!(v["sender"][0]["href"], format!("{app}/people"));
    // Mixed-case contact paths resolve (seed: saraD@contoso.com).
    let (st, p) = dana.get("people/saraD@contoso.com/presence").await;
    assert_eq!(st, 200);
    assert_eq!(p["availability"], "Offline");
    assert_eq!(p["deviceType"], "Unknown");
    assert_eq!(p["rel"], "contactPresence");
    let (_, sc) = dana.get("people/subscribedContacts").await;
    assert_eq!(sc["_embedded"]["contact"][0]["name"], "Sara Davis");
}

#[tokio::test]
async fn duration_and_uri_validation() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    for body in [
        json!({"duration": 9, "uris": [SARA]}),
        json!({"duration": 31, "uris": [SARA]}),
        json!({"uris": [SARA]}),
        json!({"duration": "x", "uris": [SARA]}),
        json!({"duration": 10}),
        json!({"duration": 10, "uris": "sip:x@y.z"}),
        json!({"duration": 10, "uris": ["not a uri"]}),
    ] {
        let (st, v) = s.post("people/presenceSubscriptions", body.clone()).await;
        assert_eq!(
            (st.as_u16(), v["subcode"].as_str()),
            (400, Some("ParameterValidationFailure")),
            "{body}"
        );
    }
    // Unknown but well-formed URIs are accepted; their resources answer 404, never Offline.
    let (st, _) = s
        .post(
            "people/presenceSubscriptions",
            json!({"duration": 30, "uris": ["sip:someone@fabrikam.com"]}),
        )
        .await;
    assert_eq!(st, 201);
    for rel in ["", "/presence", "/note", "/location"] {
        let (st, v) = s.get(&format!("people/someone@fabrikam.com{rel}")).await;
        assert_eq!(
            (st.as_u16(), v["subcode"].as_str()),
            (404, Some("ResourceNotFound")),
            "{rel}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn seed_001_extend_warn_and_expire() {
    // UCWA's own minute on the paused clock: 10 minutes + 11 = 21, warned one minute ahead.
    let srv = Srv::paused(fast()).await;
    let mut s = srv.session(DANA).await;
    s.timeout = 1800;
    let (_, v) = s
        .post(
            "people/presenceSubscriptions",
            json!({"duration": 10, "Uris": [SARA]}),
        )
        .await;
    let created = Instant::now();
    let self_href = v["_links"]["self"]["href"].as_str().unwrap().to_string();
    s.pget().await;
    let (st, ext) = s.post_empty(&format!("{self_href}?duration=11")).await;
    assert_eq!(st, 200);
    assert_eq!(ext, v, "extend answers with the subscription (seed 001)");
    let warn = s
        .wait_for("presenceSubscription", "updated", 1)
        .await
        .expect("about-to-expire event");
    assert_eq!(warn["_embedded"]["presenceSubscription"], v);
    let warned = created.elapsed();
    assert!(
        warned >= MINUTE * 20 && warned < MINUTE * 21,
        "warned a minute before expiry: {warned:?}"
    );
    advance(MINUTE * 21 - warned + SECOND * 2).await;
    let (st, e) = s.post_empty(&format!("{self_href}?duration=11")).await;
    assert_eq!(st, 404);
    assert_eq!(e["code"], "NotFound");
    assert_eq!(e["subcode"], "ApplicationNotFound");
    assert_eq!(
        e["message"],
        "An error occurred. Please retry. If the problem persists, contact your support team."
    );
    // Recreating the subscription works (the application is alive).
    assert_eq!(
        s.post(
            "people/presenceSubscriptions",
            json!({"duration": 11, "Uris": [SARA]})
        )
        .await
        .0,
        201
    );
}

#[tokio::test(start_paused = true)]
async fn extend_adds_and_caps_at_thirty_minutes() {
    // The application must outlive the subscription (idle timeout 15 minutes by default).
    let srv = Srv::paused(ucwa_server::Config {
        app_idle_timeout: MINUTE * 60,
        ..fast()
    })
    .await;
    let s = srv.session(DANA).await;
    let v = s.subscribe(&[SARA]).await;
    let href = v["_links"]["self"]["href"].as_str().unwrap().to_string();
    assert_eq!(s.post_empty(&format!("{href}?duration=30")).await.0, 200);
    assert_eq!(s.post_empty(&format!("{href}?duration=5")).await.0, 400);
    assert_eq!(s.post_empty(&href).await.0, 400, "duration is required");
    assert_eq!(
        s.post(&href, json!({"duration": 12})).await.0,
        200,
        "duration may come in the body"
    );
    // 30 + 12 minutes capped at 30 from now: alive a second before, gone within a
    // housekeeping tick (at most a second) after.
    advance(MINUTE * 30 - SECOND).await;
    assert_eq!(s.get(&href).await.0, 200);
    advance(SECOND * 3).await;
    assert_eq!(s.get(&href).await.0, 404);
}

#[tokio::test]
async fn delete_subscription_sends_deleted_events() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let v = s.subscribe(&[SARA]).await;
    let href = v["_links"]["self"]["href"].as_str().unwrap().to_string();
    s.pget().await;
    assert_eq!(s.delete(&href).await.0, 204);
    let v = s.pget().await;
    assert_eq!(
        summary(&v),
        vec![
            s3("people", "presenceSubscription", "deleted"),
            s3("people", "contact", "deleted")
        ]
    );
    assert_eq!(s.delete(&href).await.0, 404);
    let (_, list) = s.get("people/presenceSubscriptions").await;
    assert_eq!(list["_embedded"]["presenceSubscription"], json!([]));
}

#[tokio::test]
async fn memberships_add_and_remove() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let v = s.subscribe(&[SARA]).await;
    let add = v["_links"]["addToPresenceSubscription"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let id = v["id"].as_str().unwrap().to_string();
    s.pget().await;
    let (st, m) = s
        .post(
            &add,
            json!({"contactUris": ["sip:chrisb@contoso.com", SARA]}),
        )
        .await;
    assert_eq!(st, 201);
    assert_eq!(
        m["_embedded"]["presenceSubscriptionMembership"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let v = s.pget().await;
    let sum = summary(&v);
    assert!(sum.contains(&s3("people", "contact", "added")), "{v}");
    assert!(
        sum.contains(&s3("people", "contactPresence", "updated")),
        "{v}"
    );
    let membership = format!(
        "{}/people/presenceSubscriptionMemberships/{id},chrisb@contoso.com",
        s.app
    );
    let (st, mv) = s.get(&membership).await;
    assert_eq!(st, 200);
    assert_eq!(
        mv["_links"]["contact"]["href"],
        format!("{}/people/chrisb@contoso.com", s.app)
    );
    assert_eq!(s.delete(&membership).await.0, 204);
    assert_eq!(s.delete(&membership).await.0, 404);
    let (_, list) = s.get(&add).await;
    assert_eq!(
        list["_embedded"]["presenceSubscriptionMembership"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.post(&add, json!({"contactUris": "x"})).await.0, 400);
}

#[tokio::test]
async fn group_subscription() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let (_, groups) = s.get("people/groups").await;
    let team = groups["_embedded"]["group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Team")
        .unwrap()
        .clone();
    let link = team["_links"]["subscribeToGroupPresence"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let (st, v) = s.post_empty(&format!("{link}&duration=10")).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["rel"], "presenceSubscription");
    let ev = s.pget().await;
    let presence_events = events(&ev)
        .into_iter()
        .filter(|e| e["link"]["rel"] == "contactPresence")
        .count();
    assert_eq!(presence_events, 4, "Team has four members");
    let (st, _) = s
        .post_empty(&format!(
            "{}/people/presenceSubscriptions?groupId=leadership&duration=10",
            s.app
        ))
        .await;
    assert_eq!(st, 201);
    assert_eq!(
        s.post_empty(&format!(
            "{}/people/presenceSubscriptions?groupId=nope&duration=10",
            s.app
        ))
        .await
        .0,
        404
    );
    assert_eq!(srv.stats().await["group_subscriptions"], 2);
}

#[tokio::test]
async fn subscription_limit() {
    let srv = Srv::start(ucwa_server::Config {
        max_subscriptions: 2,
        ..fast()
    })
    .await;
    let s = srv.session(DANA).await;
    for _ in 0..2 {
        assert_eq!(
            s.post(
                "people/presenceSubscriptions",
                json!({"duration": 10, "uris": [SARA]})
            )
            .await
            .0,
            201
        );
    }
    let (st, v) = s
        .post(
            "people/presenceSubscriptions",
            json!({"duration": 10, "uris": [SARA]}),
        )
        .await;
    assert_eq!(
        (st.as_u16(), v["code"].as_str(), v["subcode"].as_str()),
        (403, Some("Forbidden"), Some("LimitExceeded"))
    );
}

#[tokio::test]
async fn control_expires_subscriptions() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let v = s.subscribe(&[SARA]).await;
    let href = v["_links"]["self"]["href"].as_str().unwrap().to_string();
    let (st, r) = srv
        .control("/expire", json!({"what": "subscriptions", "user": DANA}))
        .await;
    assert_eq!((st.as_u16(), r["affected"].as_u64()), (200, Some(1)));
    let (st, e): (_, Value) = s.post_empty(&format!("{href}?duration=10")).await;
    assert_eq!(
        (st.as_u16(), e["subcode"].as_str()),
        (404, Some("ApplicationNotFound"))
    );
}

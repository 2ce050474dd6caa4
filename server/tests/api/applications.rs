use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn create_application_shape() {
    let srv = Srv::fast().await;
    let token = srv.token(DANA).await;
    let r = srv
        .http
        .post(srv.url("/ucwa/oauth/v1/applications"))
        .bearer_auth(&token)
        .json(&json!({"UserAgent": "UCWA Samples", "EndpointId": "a917c6f4-976c-4cf3-847d-cdfffa28ccdf", "Culture": "en-US"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: Value = r.json().await.unwrap();
    let app = v["_links"]["self"]["href"].as_str().unwrap();
    assert!(app.starts_with("/ucwa/oauth/v1/applications/"));
    assert_eq!(v["_links"]["policies"]["href"], format!("{app}/policies"));
    assert_eq!(v["_links"]["batch"]["href"], format!("{app}/batch"));
    assert_eq!(v["_links"]["events"]["href"], format!("{app}/events?ack=1"));
    assert_eq!(v["_embedded"]["me"]["name"], "Dana Birkby");
    assert_eq!(v["_embedded"]["me"]["uri"], "sip:dana@contoso.com");
    assert_eq!(
        v["_embedded"]["me"]["_links"]["makeMeAvailable"]["href"],
        format!("{app}/me/makeMeAvailable")
    );
    assert!(v["_embedded"]["me"]["_links"]["presence"].is_null());
    let people = &v["_embedded"]["people"]["_links"];
    for rel in [
        "presenceSubscriptions",
        "subscribedContacts",
        "presenceSubscriptionMemberships",
        "myGroups",
        "myContacts",
        "search",
    ] {
        assert!(
            people[rel]["href"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{app}/people")),
            "{rel}"
        );
    }
    assert!(v["_embedded"]["communication"].is_object());
    assert_eq!(v["rel"], "application");
}

#[tokio::test]
async fn same_endpoint_is_same_application_and_instances_get_channels() {
    let srv = Srv::fast().await;
    let body = json!({"userAgent": "w", "endpointId": "same", "culture": "en-US"});
    let a = srv.session_with(DANA, body.clone()).await;
    let create = "/ucwa/oauth/v1/applications";
    let (status, v) = a.post(create, body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(v["_links"]["self"]["href"], a.app.as_str());
    let tab =
        json!({"userAgent": "w", "endpointId": "same", "culture": "en-us", "instanceId": "tab2"});
    let (status, v) = a.post(create, tab.clone()).await;
    assert_eq!(status, 201);
    assert_eq!(
        v["_links"]["events"]["href"],
        format!("{}/events?ack=1&instanceId=tab2", a.app)
    );
    assert_eq!(a.post(create, tab).await.0, 200);
    let stats = srv.stats().await;
    assert_eq!(stats["applications"], 1);
    assert_eq!(stats["event_channels"], 2);
}

#[tokio::test]
async fn create_application_validation() {
    let srv = Srv::fast().await;
    let token = srv.token(DANA).await;
    let long = "x".repeat(101);
    for body in [
        json!({}),
        json!({"userAgent": "a", "endpointId": "b"}),
        json!({"userAgent": 5, "endpointId": "b", "culture": "c"}),
        json!({"userAgent": long, "endpointId": "b", "culture": "c"}),
    ] {
        let r = srv
            .http
            .post(srv.url("/ucwa/oauth/v1/applications"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["subcode"], "ParameterValidationFailure");
    }
}

#[tokio::test]
async fn get_application_after_make_me_available_matches_seed_002() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    s.make_me_available().await;
    let (st, v) = s.get(&s.app).await;
    assert_eq!(st, 200);
    let me = &v["_embedded"]["me"];
    assert_eq!(me["rel"], "me");
    for rel in ["note", "presence", "location", "reportMyActivity"] {
        assert_eq!(
            me["_links"][rel]["href"],
            format!("{}/me/{rel}", s.app),
            "{rel}"
        );
    }
    assert!(me["_links"]["makeMeAvailable"].is_null());
    let (st, _) = s
        .post("me/presence", json!({"availability": "Online"}))
        .await;
    assert_eq!(st, 204);
}

#[tokio::test]
async fn delete_application_then_404() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    assert_eq!(s.delete(&s.app).await.0, 204);
    let (st, v) = s.get("me").await;
    assert_eq!(st, 404);
    assert_eq!(v["code"], "NotFound");
    assert_eq!(v["subcode"], "ApplicationNotFound");
}

#[tokio::test(start_paused = true)]
async fn idle_applications_expire_but_pending_gets_keep_them() {
    // Default idle timeout: 900 s; the busy application's P-GET is held for 1800 s.
    let srv = Srv::paused(fast()).await;
    let idle = srv.session(DANA).await;
    let created = tokio::time::Instant::now();
    let mut busy = srv.session(SARA).await;
    busy.timeout = 1800;
    let pget = tokio::spawn(async move {
        let v = busy.pget().await;
        (busy, v)
    });
    srv.stats_when("Sara's P-GET", |s| s["open_pgets_per_user"][SARA] == 1)
        .await;
    advance(Duration::from_secs(899).saturating_sub(created.elapsed())).await;
    let stats = srv.stats().await; // (reading stats is no activity of the application)
    assert_eq!(
        stats["applications_per_user"][DANA], 1,
        "alive before the timeout"
    );
    advance(Duration::from_secs(2)).await;
    // Ended by the server: 410 (not 404) for every later request, the P-GET included.
    for path in ["me", "events?ack=1", "people"] {
        let (st, v) = idle.get(path).await;
        assert_eq!(
            (st.as_u16(), v["code"].as_str(), v["subcode"].as_str()),
            (410, Some("Gone"), Some("InactiveApplicationExpired")),
            "{path}"
        );
    }
    let (busy, _) = pget.await.unwrap();
    assert_eq!(
        busy.get("me").await.0,
        200,
        "an outstanding P-GET counts as activity"
    );
}

#[tokio::test]
async fn tokens_only_reach_their_own_applications() {
    let srv = Srv::fast().await;
    let dana = srv.session(DANA).await;
    let mut sara = srv.session(SARA).await;
    sara.app = dana.app.clone();
    for path in [
        "me",
        "people",
        "people/presenceSubscriptions",
        "events?ack=1",
    ] {
        let (st, v) = sara.get(path).await;
        assert_eq!(st, 404, "{path}");
        assert_eq!(v["subcode"], "ApplicationNotFound");
    }
    assert_eq!(sara.post("me/makeMeAvailable", json!({})).await.0, 404);
    assert_eq!(sara.delete(&dana.app).await.0, 404);
    assert_eq!(
        dana.get("me").await.0,
        200,
        "Dana's application survives Sara's attempts"
    );
}

#[tokio::test]
async fn one_application_too_many_ends_the_oldest_with_410() {
    let srv = Srv::start(ucwa_server::Config {
        max_applications: 2,
        ..fast()
    })
    .await;
    let first = srv.session(DANA).await;
    let second = srv.session(DANA).await;
    let sara = srv.session(SARA).await;
    assert_eq!(first.get("me").await.0, 200, "two are allowed");
    let third = srv.session(DANA).await;
    let (st, v) = first.get("me").await;
    assert_eq!(
        (st.as_u16(), v["subcode"].as_str()),
        (410, Some("TooManyApplications"))
    );
    for s in [&second, &third, &sara] {
        assert_eq!(
            s.get("me").await.0,
            200,
            "only the oldest of that user ends"
        );
    }
    // Another user asking for the ended id learns nothing: 404.
    let mut nosy = srv.session(SARA).await;
    nosy.app = first.app.clone();
    assert_eq!(nosy.get("me").await.1["subcode"], "ApplicationNotFound");
}

#[tokio::test]
async fn the_control_api_ends_applications_with_a_chosen_subcode() {
    let srv = Srv::fast().await;
    let mut dana = srv.session(DANA).await;
    dana.timeout = 60;
    let sara = srv.session(SARA).await;
    let held = tokio::spawn(async move {
        let url = format!("{}{}&timeout={}", dana.base, dana.next, dana.timeout);
        let r = dana
            .http
            .get(url)
            .bearer_auth(&dana.token)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json::<serde_json::Value>().await.unwrap())
    });
    srv.stats_when("Dana's P-GET", |s| s["open_pgets_per_user"][DANA] == 1)
        .await;
    let (st, v) = srv
        .control(
            "/users/dana@contoso.com/end-applications",
            json!({"subcode": "InactiveApplicationExpired"}),
        )
        .await;
    assert_eq!((st.as_u16(), &v["ended"]), (200, &json!(1)));
    let (status, v) = held.await.unwrap();
    assert_eq!(
        (status.as_u16(), v["subcode"].as_str()),
        (410, Some("InactiveApplicationExpired")),
        "the held P-GET is released with the 410"
    );
    assert_eq!(sara.get("me").await.0, 200);
    let (st, _) = srv
        .control(
            "/users/dana@contoso.com/end-applications",
            json!({"subcode": "Whatever"}),
        )
        .await;
    assert_eq!(st, 400);
    let (st, _) = srv
        .control(
            "/users/ghost@contoso.com/end-applications",
            json!({"subcode": "TooManyApplications"}),
        )
        .await;
    assert_eq!(st, 404);
}

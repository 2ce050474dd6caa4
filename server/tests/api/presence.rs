use std::time::Duration;

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn make_me_available_once_then_conflict() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    for path in ["me/presence", "me/note", "me/location"] {
        let (st, v) = s.get(path).await;
        assert_eq!(
            (st.as_u16(), v["subcode"].as_str()),
            (409, Some("MakeMeAvailableRequired")),
            "{path}"
        );
    }
    let (st, v) = s.post("me/presence", json!({"availability": "Busy"})).await;
    assert_eq!(
        (st.as_u16(), v["subcode"].as_str()),
        (409, Some("MakeMeAvailableRequired"))
    );
    assert_eq!(s.post_empty("me/reportMyActivity").await.0, 409);
    s.make_me_available().await;
    let (st, v) = s.post("me/makeMeAvailable", json!({})).await;
    assert_eq!(
        (st.as_u16(), v["subcode"].as_str()),
        (409, Some("AlreadyExists"))
    );
    // EventChannelDetails: me updated, then presence/note/location added (sender me).
    let v = s.pget().await;
    let sum = summary(&v);
    assert_eq!(
        &sum[..4],
        &[
            s3("me", "me", "updated"),
            s3("me", "presence", "added"),
            s3("me", "note", "added"),
            s3("me", "location", "added")
        ]
    );
    let (st, v) = s.get("me/presence").await;
    assert_eq!(st, 200);
    assert_eq!(v["availability"], "Online");
    assert_eq!(v["rel"], "presence");
}

#[tokio::test]
async fn set_presence_values() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    s.make_me_available().await;
    for a in [
        "Online",
        "Busy",
        "DoNotDisturb",
        "BeRightBack",
        "Away",
        "Offwork",
    ] {
        assert_eq!(
            s.post("me/presence", json!({"availability": a})).await.0,
            204,
            "{a}"
        );
        assert_eq!(s.get("me/presence").await.1["availability"], a);
    }
    assert_eq!(s.get("me/presence").await.1["activity"], "Off Work");
    for bad in [
        json!({"availability": "Offline"}),
        json!({"availability": "IdleOnline"}),
        json!({"availability": "Sleeping"}),
        json!({"availability": 3}),
    ] {
        let (st, v) = s.post("me/presence", bad.clone()).await;
        assert_eq!(
            (st.as_u16(), v["subcode"].as_str()),
            (400, Some("ParameterValidationFailure")),
            "{bad}"
        );
    }
    // An empty body resets to the machine state.
    assert_eq!(s.post_empty("me/presence").await.0, 204);
    assert_eq!(s.get("me/presence").await.1["availability"], "Online");
}

#[tokio::test]
async fn dana_busy_reaches_saras_subscription() {
    let srv = Srv::fast().await;
    let dana = srv.session(DANA).await;
    let mut sara = srv.session(SARA).await;
    let (st, _) = sara
        .post(
            "people/presenceSubscriptions",
            json!({"duration": 11, "Uris": [DANA]}),
        )
        .await;
    assert_eq!(st, 201);
    sara.pget().await; // subscription events
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(
        p["availability"], "Offline",
        "not signed in with an available application"
    );
    dana.make_me_available().await;
    let e = sara
        .wait_for("contactPresence", "updated", 3)
        .await
        .expect("Dana online event");
    assert_eq!(
        e["link"]["href"],
        format!("{}/people/dana@contoso.com/presence", sara.app)
    );
    assert_eq!(e["in"]["rel"], "contact");
    assert_eq!(
        sara.get("people/dana@contoso.com/presence").await.1["availability"],
        "Online"
    );
    assert_eq!(
        dana.post("me/presence", json!({"availability": "Busy"}))
            .await
            .0,
        204
    );
    let v = sara.pget().await;
    assert_eq!(
        summary(&v),
        vec![s3("people", "contactPresence", "updated")]
    );
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(p["availability"], "Busy");
    assert_eq!(p["deviceType"], "Web");
    assert!(p["lastActive"].as_str().unwrap().starts_with("/Date("));
    // Dana leaves: her last available application is deleted, so she is Offline.
    assert_eq!(dana.delete(&dana.app).await.0, 204);
    sara.wait_for("contactPresence", "updated", 3)
        .await
        .expect("offline event");
    assert_eq!(
        sara.get("people/dana@contoso.com/presence").await.1["availability"],
        "Offline"
    );
}

#[tokio::test]
async fn own_applications_see_presence_changes() {
    let srv = Srv::fast().await;
    let mut a = srv.session(DANA).await;
    let b = srv.session(DANA).await;
    a.make_me_available().await;
    b.make_me_available().await;
    a.pget().await;
    assert_eq!(
        b.post("me/presence", json!({"availability": "DoNotDisturb"}))
            .await
            .0,
        204
    );
    let v = a.pget().await;
    assert!(
        summary(&v).contains(&s3("me", "presence", "updated")),
        "{v}"
    );
    assert_eq!(a.get("me/presence").await.1["availability"], "DoNotDisturb");
}

#[tokio::test]
async fn note_and_location() {
    let srv = Srv::fast().await;
    let dana = srv.session(DANA).await;
    let mut sara = srv.session(SARA).await;
    dana.make_me_available().await;
    sara.subscribe(&[DANA]).await;
    sara.pget().await;
    assert_eq!(
        dana.post(
            "me/note",
            json!({"message": "Heads down today", "type": "OutOfOffice"})
        )
        .await
        .0,
        204
    );
    let (_, n) = dana.get("me/note").await;
    assert_eq!(
        (n["message"].as_str(), n["type"].as_str(), n["rel"].as_str()),
        (Some("Heads down today"), Some("Personal"), Some("note")),
        "note_ref: an application sets only the personal note; `type` is ignored"
    );
    let e = sara
        .wait_for("contactNote", "updated", 3)
        .await
        .expect("note event");
    assert_eq!(
        e["in"]["href"],
        format!("{}/people/dana@contoso.com", sara.app)
    );
    assert_eq!(
        sara.get("people/dana@contoso.com/note").await.1["message"],
        "Heads down today"
    );
    assert_eq!(
        dana.post("me/location", json!({"location": "By the beach"}))
            .await
            .0,
        204
    );
    assert_eq!(dana.get("me/location").await.1["location"], "By the beach");
    sara.wait_for("contactLocation", "updated", 3)
        .await
        .expect("location event");
    assert_eq!(
        sara.get("people/dana@contoso.com/location").await.1["location"],
        "By the beach"
    );
    assert_eq!(
        dana.post("me/note", json!({"message": "x", "type": "Shouting"}))
            .await
            .0,
        204,
        "the type is ignored, whatever it says"
    );
    assert_eq!(
        dana.post("me/note", json!({"message": 5})).await.0,
        400,
        "a message that is not a string"
    );
    assert_eq!(
        dana.post("me/location", json!({"location": "x".repeat(300)}))
            .await
            .0,
        400
    );
    assert_eq!(dana.post("me/note", json!({"message": "  "})).await.0, 204);
    assert_eq!(dana.get("me/note").await.1["message"], "");
}

#[tokio::test(start_paused = true)]
async fn report_my_activity_keeps_user_active() {
    // Defaults: IdleOnline after 300 s without reportMyActivity, Away after 900 s.
    let srv = Srv::paused(fast()).await;
    let dana = srv.session(DANA).await;
    dana.make_me_available().await;
    let availability = || async { dana.get("me/presence").await.1["availability"].clone() };
    for _ in 0..3 {
        advance(Duration::from_secs(299)).await;
        assert_eq!(availability().await, "Online");
        assert_eq!(dana.post_empty("me/reportMyActivity").await.0, 204);
    }
    advance(Duration::from_secs(300)).await;
    assert_eq!(availability().await, "IdleOnline");
    advance(Duration::from_secs(600)).await;
    assert_eq!(availability().await, "Away");
    dana.post_empty("me/reportMyActivity").await;
    assert_eq!(availability().await, "Online");
    dana.post("me/presence", json!({"availability": "Busy"}))
        .await;
    advance(Duration::from_secs(300)).await;
    assert_eq!(availability().await, "IdleBusy");
}

#[tokio::test]
async fn control_sets_presence_from_another_endpoint() {
    let srv = Srv::fast().await;
    let mut sara = srv.session(SARA).await;
    sara.post(
        "people/presenceSubscriptions",
        json!({"duration": 11, "Uris": [DANA]}),
    )
    .await;
    sara.pget().await;
    let (st, _) = srv
        .control(
            "/users/sip:dana@contoso.com/presence",
            json!({"availability": "Busy", "activity": "in-a-meeting"}),
        )
        .await;
    assert_eq!(st, 204);
    sara.wait_for("contactPresence", "updated", 3)
        .await
        .expect("event");
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(
        (
            p["availability"].as_str(),
            p["activity"].as_str(),
            p["deviceType"].as_str()
        ),
        (Some("Busy"), Some("in-a-meeting"), Some("PC"))
    );
    srv.control(
        "/users/dana@contoso.com/presence",
        json!({"availability": null}),
    )
    .await;
    sara.wait_for("contactPresence", "updated", 3)
        .await
        .expect("event");
    assert_eq!(
        sara.get("people/dana@contoso.com/presence").await.1["availability"],
        "Offline"
    );
    let (st, _) = srv
        .control(
            "/users/dana@contoso.com/note",
            json!({"message": "On a call", "type": "Personal"}),
        )
        .await;
    assert_eq!(st, 204);
    assert_eq!(
        sara.get("people/dana@contoso.com/note").await.1["message"],
        "On a call"
    );
    let (st, _) = srv
        .control(
            "/users/dana@contoso.com/location",
            json!({"location": "Building 18"}),
        )
        .await;
    assert_eq!(st, 204);
    assert_eq!(
        sara.get("people/dana@contoso.com/location").await.1["location"],
        "Building 18"
    );
    assert_eq!(
        srv.control(
            "/users/nobody@contoso.com/presence",
            json!({"availability": "Busy"})
        )
        .await
        .0,
        404
    );
    assert_eq!(
        srv.control(
            "/users/dana@contoso.com/presence",
            json!({"availability": "Sleepy"})
        )
        .await
        .0,
        400
    );
}

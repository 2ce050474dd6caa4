//! Enhanced presence: personal and out-of-office notes (note_ref, contactNote_ref), their
//! events and priorities, and contacts outside the directory.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use crate::common::*;

#[tokio::test(start_paused = true)]
async fn the_out_of_office_note_shows_over_the_personal_one_while_set() {
    let srv = Srv::paused(fast()).await;
    let mut dana = srv.session(DANA).await;
    let mut sara = srv.session(SARA).await;
    dana.timeout = 60;
    sara.timeout = 60;
    dana.make_me_available().await;
    sara.subscribe(&[DANA]).await;
    sara.pget().await;
    dana.pget().await;
    assert_eq!(
        dana.post("me/note", json!({"message": "Heads down"}))
            .await
            .0,
        204
    );
    assert_eq!(
        next_note(&mut sara).await,
        ("Heads down".into(), "Personal".into())
    );

    // Exchange's automatic reply (the control API) hides the personal note.
    let oof = json!({"message": "On leave until Monday", "type": "OutOfOffice"});
    assert_eq!(
        srv.control("/users/dana@contoso.com/note", oof).await.0,
        204
    );
    sara.wait_for("contactNote", "updated", 2)
        .await
        .expect("contactNote updated");
    dana.wait_for("note", "updated", 3)
        .await
        .expect("note updated on Dana's own application");
    let oof_note = (
        "On leave until Monday".to_string(),
        "OutOfOffice".to_string(),
    );
    assert_eq!(shown(&sara, THEIRS).await, oof_note);
    assert_eq!(shown(&dana, MINE).await, oof_note);

    // A new personal note changes nothing others see: no event.
    assert_eq!(
        dana.post(
            "me/note",
            json!({"message": "Back soon", "type": "OutOfOffice"})
        )
        .await
        .0,
        204
    );
    assert_eq!(
        shown(&sara, THEIRS).await,
        oof_note,
        "the type in me/note is ignored"
    );
    let v = sara.pget().await;
    assert!(summary(&v).is_empty(), "no event for a hidden change: {v}");

    // Clearing the out-of-office note shows the personal one again.
    let clear = json!({"message": "", "type": "OutOfOffice"});
    assert_eq!(
        srv.control("/users/dana@contoso.com/note", clear).await.0,
        204
    );
    assert_eq!(
        next_note(&mut sara).await,
        ("Back soon".into(), "Personal".into())
    );

    // Blank clears the personal note: an empty Personal note.
    assert_eq!(dana.post("me/note", json!({"message": " "})).await.0, 204);
    assert_eq!(
        shown(&sara, THEIRS).await,
        (String::new(), "Personal".into())
    );
}

const THEIRS: &str = "people/dana@contoso.com/note";
const MINE: &str = "me/note";

/// P-GETs until Sara's channel says Dana's note changed, then reads it.
async fn next_note(sara: &mut Session) -> (String, String) {
    sara.wait_for("contactNote", "updated", 2)
        .await
        .expect("contactNote updated");
    shown(sara, THEIRS).await
}

/// (message, type) of a note resource.
async fn shown(s: &Session, path: &str) -> (String, String) {
    let (st, n) = s.get(path).await;
    assert_eq!(st, 200, "{n}");
    (
        n["message"].as_str().unwrap_or("?").to_string(),
        n["type"].as_str().unwrap_or("?").to_string(),
    )
}

#[tokio::test]
async fn the_control_api_validates_note_kinds() {
    let srv = Srv::fast().await;
    for (body, status) in [
        (json!({"message": "x", "type": "Shouting"}), 400),
        (json!({"message": 5}), 400),
        (json!({"message": "x".repeat(2049)}), 400),
        (json!({"message": "Personal by default"}), 204),
    ] {
        let (st, v) = srv
            .control("/users/dana@contoso.com/note", body.clone())
            .await;
        assert_eq!(st, status, "{body}: {v}");
    }
    let s = srv.session(SARA).await;
    let (_, n) = s.get("people/dana@contoso.com/note").await;
    assert_eq!(
        (n["message"].as_str(), n["type"].as_str(), n["rel"].as_str()),
        (
            Some("Personal by default"),
            Some("Personal"),
            Some("contactNote")
        )
    );
    let (st, _) = srv
        .control("/users/nobody@contoso.com/note", json!({"message": "x"}))
        .await;
    assert_eq!(st, 404);
}

/// contactNote/contactLocation updates wait for the low-priority window (longer than the
/// medium one of contactPresence); the user's own `note updated` comes at once.
#[tokio::test(start_paused = true)]
async fn note_events_of_contacts_are_low_priority_own_ones_immediate() {
    let (medium, low) = (Duration::from_secs(5), Duration::from_secs(15));
    let cfg = ucwa_server::Config {
        medium_window: medium,
        low_window: low,
        ..fast()
    };
    let srv = Srv::paused(cfg).await;
    let mut dana = srv.session(DANA).await;
    let mut sara = srv.session(SARA).await;
    dana.timeout = 60;
    sara.timeout = 60;
    dana.make_me_available().await;
    dana.pget().await;
    sara.subscribe(&[DANA]).await;
    sara.pget().await;
    // Dana's presence change of makeMeAvailable may still be queued: let it go first.
    advance(medium).await;
    sara.pget().await;

    let start = Instant::now();
    let watcher = tokio::spawn(async move {
        let v = sara.pget().await;
        (start.elapsed(), v)
    });
    let own = tokio::spawn(async move {
        let v = dana.pget().await;
        (start.elapsed(), v)
    });
    let oof = json!({"message": "Away this week", "type": "OutOfOffice"});
    srv.control("/users/dana@contoso.com/note", oof).await;
    srv.control(
        "/users/dana@contoso.com/location",
        json!({"location": "Oslo"}),
    )
    .await;
    let (own_waited, v) = own.await.unwrap();
    assert!(own_waited < medium, "own note at once: {own_waited:?}");
    assert!(summary(&v).contains(&s3("me", "note", "updated")), "{v}");
    let (waited, v) = watcher.await.unwrap();
    assert!(waited >= low, "held for the low window: {waited:?}");
    assert!(
        waited < Duration::from_secs(60),
        "not the timeout: {waited:?}"
    );
    assert_eq!(
        summary(&v),
        vec![
            s3("people", "contactNote", "updated"),
            s3("people", "contactLocation", "updated")
        ],
        "{v}"
    );
}

#[tokio::test]
async fn contacts_outside_the_directory_are_not_found_and_never_offline() {
    let srv = Srv::fast().await;
    let mut s = srv.session(DANA).await;
    let outsider = "someone@fabrikam.com";
    let v = s.subscribe(&[&format!("sip:{outsider}"), SARA]).await;
    assert_eq!(v["rel"], "presenceSubscription");
    for rel in ["", "/presence", "/note", "/location"] {
        let (st, e) = s.get(&format!("people/{outsider}{rel}")).await;
        assert_eq!(
            (st.as_u16(), e["code"].as_str(), e["subcode"].as_str()),
            (404, Some("NotFound"), Some("ResourceNotFound")),
            "people/{outsider}{rel}: {e}"
        );
    }
    let (st, _) = s.get(&format!("photos/{outsider}")).await;
    assert_eq!(st, 404);
    // The first response holds Sara's events only; nothing ever names the outsider.
    let v = s.pget().await;
    assert!(!v.to_string().contains(outsider), "{v}");
    assert!(summary(&v).contains(&s3("people", "contactPresence", "updated")));
    let (_, list) = s.get("people/subscribedContacts").await;
    assert!(!list.to_string().contains(outsider), "{list}");
}

use serde_json::Value;

use crate::common::*;

#[tokio::test]
async fn contact_card_fields_and_links() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (st, c) = s.get("people/sarad@contoso.com").await;
    assert_eq!(st, 200);
    assert_eq!(c["name"], "Sara Davis");
    assert_eq!(c["uri"], "sip:sarad@contoso.com");
    assert_eq!(c["emailAddresses"][0], "sarad@contoso.com");
    assert_eq!(c["type"], "User");
    assert_eq!(c["sourceNetwork"], "SameEnterprise");
    for field in [
        "title",
        "department",
        "company",
        "office",
        "workPhoneNumber",
        "mobilePhoneNumber",
    ] {
        assert!(c[field].is_string(), "{field}");
    }
    for rel in [
        "contactPresence",
        "contactNote",
        "contactLocation",
        "contactPhoto",
    ] {
        let href = c["_links"][rel]["href"].as_str().unwrap();
        let r = s
            .http
            .get(format!("{}{href}", s.base))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{rel}");
    }
    let r = s
        .http
        .get(format!(
            "{}{}/photos/sarad@contoso.com?size=HR64X64",
            s.base, s.app
        ))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));
    assert_eq!(s.get("photos/nobody@contoso.com").await.0, 404);
    // Colleagues start with presence published from "another endpoint".
    let (_, p) = s.get("people/chrisb@contoso.com/presence").await;
    assert_eq!(p["availability"], "Online");
    assert_eq!(
        s.get("people/chrisb@contoso.com/note").await.1["message"],
        "Shipping the new build today"
    );
}

#[tokio::test]
async fn my_contacts_and_groups() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (st, c) = s.get("people/contacts").await;
    assert_eq!(st, 200);
    assert_eq!(c["rel"], "myContacts");
    assert_eq!(c["_embedded"]["contact"].as_array().unwrap().len(), 7);
    let (_, g) = s.get("people/groups").await;
    let groups = g["_embedded"]["group"].as_array().unwrap().clone();
    assert_eq!(groups.len(), 3);
    let team = groups.iter().find(|g| g["name"] == "Team").unwrap();
    let (st, one) = s
        .get(team["_links"]["self"]["href"].as_str().unwrap())
        .await;
    assert_eq!((st.as_u16(), one["id"].as_str()), (200, Some("team")));
    let (_, members) = s
        .get(team["_links"]["groupContacts"]["href"].as_str().unwrap())
        .await;
    let names: Vec<&str> = members["_embedded"]["contact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Sara Davis", "Chris Barry", "Alex Darrow", "Garth Fort"]
    );
    assert_eq!(s.get("people/groups/nope").await.0, 404);
    let sara = srv.session(SARA).await;
    let (_, c) = sara.get("people/contacts").await;
    assert!(c["_embedded"]["contact"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["uri"] == DANA));
}

#[tokio::test]
async fn search_directory() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let (st, v) = s.get("people/search?query=sara").await;
    assert_eq!(st, 200);
    let hits: Vec<Value> = v["_embedded"]["contact"].as_array().unwrap().clone();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["uri"], "sip:sarad@contoso.com");
    assert_eq!(v["moreResultsAvailable"], false);
    let (_, v) = s.get("people/search?query=contoso&limit=2").await;
    assert_eq!(v["_embedded"]["contact"].as_array().unwrap().len(), 2);
    assert_eq!(v["moreResultsAvailable"], true);
    assert_eq!(s.get("people/search").await.0, 400);
    assert_eq!(s.get("people/search?query=a&limit=0").await.0, 400);
    assert_eq!(
        s.get("people/search?query=zzzz").await.1["_embedded"]["contact"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn users_file_directory() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fabrikam.toml");
    let cfg = ucwa_server::Config {
        users_file: Some(file.into()),
        ..fast()
    };
    let srv = Srv::start(cfg).await;
    let sign_in = |user: &str, password: &str| {
        srv.http
            .post(srv.url("/WebTicket/oauthtoken"))
            .body(format!(
                "grant_type=password&username={user}&password={password}"
            ))
            .send()
    };
    let r = sign_in("ann@fabrikam.com", "pw").await.unwrap();
    assert_eq!(r.status(), 200);
    let token: Value = r.json().await.unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let app: Value = srv
        .http
        .post(srv.url("/ucwa/oauth/v1/applications"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"userAgent": "t", "endpointId": "e", "culture": "en-US"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let app = app["_links"]["self"]["href"].as_str().unwrap().to_string();
    let get = |rel: &str| {
        srv.http
            .get(srv.url(&format!("{app}/{rel}")))
            .bearer_auth(&token)
            .send()
    };
    // Bob's file entry: `note = "Testing"`, `out_of_office = "Away until Friday"`, `photo = false`.
    let note: Value = get("people/bob@fabrikam.com/note")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (note["message"].as_str(), note["type"].as_str()),
        (Some("Away until Friday"), Some("OutOfOffice"))
    );
    let photo = get("photos/bob@fabrikam.com").await.unwrap();
    assert_eq!(photo.status(), 404);
    let photo = get("photos/ann@fabrikam.com").await.unwrap();
    assert_eq!(photo.status(), 200, "photo defaults to true");
    assert_eq!(
        sign_in("dana@contoso.com", "demo").await.unwrap().status(),
        400,
        "the built-in directory is replaced"
    );
}

#[tokio::test]
async fn etags_and_if_none_match() {
    let srv = Srv::fast().await;
    let s = srv.session(DANA).await;
    let url = format!("{}{}/people/chrisb@contoso.com/presence", s.base, s.app);
    let get = |if_none_match: Option<&str>| {
        let mut req = s.http.get(&url).bearer_auth(&s.token);
        if let Some(tag) = if_none_match {
            req = req.header("If-None-Match", tag);
        }
        req.send()
    };
    let r = get(None).await.unwrap();
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = get(Some(&tag)).await.unwrap();
    assert_eq!(r.status(), 304);
    assert!(r.text().await.unwrap().is_empty());
    srv.control(
        "/users/chrisb@contoso.com/presence",
        serde_json::json!({"availability": "Away"}),
    )
    .await;
    let r = get(Some(&tag)).await.unwrap();
    assert_eq!(r.status(), 200, "the resource changed");
    assert_ne!(r.headers()["etag"].to_str().unwrap(), tag);
}

//! The CWA 2007 front end over real HTTP: forms and Windows sign-in, tickets, sessions, the
//! command and data channels, and presence shared with the UCWA side in both directions.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use ucwa_server::config::{ErrorShape, InitiateReply};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::common::*;
use crate::kerberos::Realm;
use crate::negotiate::Server;

const NS: &str = "http://schemas.microsoft.com/2006/09/rtc/cwa";
const STATE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/state";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const NOTE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/note";

/// A reply: status, the `CWA-Ticket` it carried, its body.
struct Reply {
    status: StatusCode,
    ticket: Option<String>,
    www_authenticate: Option<String>,
    body: String,
}

impl Reply {
    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Local names of the root's element children.
    fn children(&self) -> Vec<String> {
        self.doc()
            .root_element()
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name().to_string())
            .collect()
    }

    /// The `code` of the first element carrying one.
    fn code(&self) -> Option<String> {
        self.doc()
            .descendants()
            .find_map(|n| n.attribute("code"))
            .map(str::to_string)
    }
}

async fn send(paused: bool, request: reqwest::RequestBuilder) -> Reply {
    let fut = async {
        let r = request.send().await.unwrap();
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        let (status, ticket, www_authenticate) =
            (r.status(), header("cwa-ticket"), header("www-authenticate"));
        if status.is_success() || status.is_client_error() {
            let ct = header("content-type").unwrap_or_default();
            assert_eq!(ct, "text/xml; charset=utf-8", "{status}");
        }
        Reply {
            status,
            ticket,
            www_authenticate,
            body: r.text().await.unwrap(),
        }
    };
    if paused {
        held(fut).await
    } else {
        fut.await
    }
}

/// A CWA client: its ticket (replaced from every response), session and counters.
struct Cwa {
    base: String,
    http: reqwest::Client,
    paused: bool,
    ticket: String,
    sid: String,
    rid: u64,
    /// The highest eid processed.
    ack: u64,
}

fn logon_body(user: &str, password: &str) -> String {
    format!(
        "<cwaRequests xmlns=\"{NS}\"><logon><user>{user}</user><password>{password}</password></logon></cwaRequests>"
    )
}

async fn forms_logon(srv: &Srv, body: String) -> Reply {
    let request = srv
        .http
        .post(srv.url("/forms/logon.html"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body);
    send(srv.paused, request).await
}

impl Cwa {
    async fn logon(srv: &Srv, user: &str) -> Cwa {
        let r = forms_logon(srv, logon_body(user, "demo")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        Cwa {
            base: srv.base.clone(),
            http: srv.http.clone(),
            paused: srv.paused,
            ticket: r.ticket.expect("a CWA-Ticket"),
            sid: "0".into(),
            rid: 0,
            ack: 0,
        }
    }

    /// Signs in and starts a session (autoSubscribePresenceForContacts off unless `contacts`).
    async fn started(srv: &Srv, user: &str, contacts: bool) -> Cwa {
        let mut c = Cwa::logon(srv, user).await;
        let r = c.initiate(contacts).await;
        assert_eq!(r.status, 200, "{}", r.body);
        c
    }

    fn keep_ticket(&mut self, r: &Reply) {
        if let Some(t) = &r.ticket {
            self.ticket = t.clone();
        }
    }

    /// POSTs a raw body to the command channel with the current ticket.
    async fn post_raw(&mut self, body: String) -> Reply {
        let request = self
            .http
            .post(format!("{}/cwa/MainCommandHandler.ashx", self.base))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("CWA-Ticket", &self.ticket)
            .body(body);
        let r = send(self.paused, request).await;
        self.keep_ticket(&r);
        r
    }

    /// One request (`<name rid>inner</name>`) in this session.
    async fn command(&mut self, name: &str, inner: &str) -> Reply {
        self.rid += 1;
        let body = format!(
            "<cwaRequests sid=\"{}\" xmlns=\"{NS}\"><{name} rid=\"{}\">{inner}</{name}></cwaRequests>",
            self.sid, self.rid
        );
        self.post_raw(body).await
    }

    async fn initiate(&mut self, contacts: bool) -> Reply {
        self.sid = "0".into();
        let inner = format!(
            "<securityMode>private</securityMode><userStateAvailability>3500</userStateAvailability><options autoPublishMachineState=\"true\" autoSubscribePresenceForContacts=\"{contacts}\"/>"
        );
        let r = self.command("initiateSession", &inner).await;
        let doc = r.doc();
        let sid = doc
            .descendants()
            .find(|n| n.has_tag_name("sid"))
            .and_then(|n| n.text())
            .or_else(|| {
                doc.descendants()
                    .find(|n| n.has_tag_name("initiateSessionAccepted"))
                    .and_then(|n| n.attribute("sid"))
            })
            .map(str::to_string);
        if let Some(sid) = sid {
            self.sid = sid;
        }
        self.ack = 0;
        r
    }

    async fn poll_with(&mut self, ack: u64, active: bool) -> Reply {
        let url = format!(
            "{}/cwa/AsyncDataChannel.ashx?Sid={}&AckId={ack}&UA={active}",
            self.base, self.sid
        );
        let request = self.http.get(url).header("CWA-Ticket", &self.ticket);
        let r = send(self.paused, request).await;
        self.keep_ticket(&r);
        r
    }

    /// One data-channel GET acknowledging everything seen so far.
    async fn poll(&mut self) -> Reply {
        let r = self.poll_with(self.ack, false).await;
        assert_eq!(r.status, 200, "{}", r.body);
        if let Some(ack) = r.doc().root_element().attribute("ackId") {
            self.ack = ack.parse().unwrap();
        }
        r
    }

    /// Polls (at most `tries` times) until an event satisfies `found`; returns its reply.
    async fn poll_until(&mut self, what: &str, found: impl Fn(&Reply) -> bool) -> Reply {
        for _ in 0..20 {
            let r = self.poll().await;
            if found(&r) {
                return r;
            }
            if !self.paused {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        panic!("never got {what}");
    }

    async fn publish(&mut self, category: &str) -> Reply {
        let r = self.command("publishSelfPresence", category).await;
        assert_eq!(r.children(), ["requestSucceeded"], "{}", r.body);
        r
    }
}

fn manual_state(availability: u32) -> String {
    format!(
        "<cwaCategory name=\"state\" instanceMask=\"536870912\"><state xmlns=\"{STATE_NS}\" xmlns:xsi=\"{XSI_NS}\" xsi:type=\"userState\" manual=\"true\"><availability>{availability}</availability></state></cwaCategory>"
    )
}

fn reset_state() -> String {
    format!(
        "<cwaCategory name=\"state\" instanceMask=\"536870912\"><state xmlns=\"{STATE_NS}\" xmlns:xsi=\"{XSI_NS}\" xsi:type=\"userState\" manual=\"false\"/></cwaCategory>"
    )
}

fn machine_state(location: Option<&str>) -> String {
    let location = location
        .map(|l| format!("<endpointLocation>{l}</endpointLocation>"))
        .unwrap_or_default();
    format!(
        "<cwaCategory name=\"state\" instanceMask=\"805306368\"><state xmlns=\"{STATE_NS}\" xmlns:xsi=\"{XSI_NS}\" xsi:type=\"machineState\"><availability>3500</availability>{location}</state></cwaCategory>"
    )
}

fn note(text: &str) -> String {
    format!(
        "<cwaCategory name=\"note\" instanceMask=\"0\" expires=\"-1\"><note xmlns=\"{NOTE_NS}\"><body type=\"personal\">{text}</body></note></cwaCategory>"
    )
}

fn uris(list: &[&str]) -> String {
    let inner: String = list.iter().map(|u| format!("<uri>{u}</uri>")).collect();
    format!("<uris>{inner}</uris>")
}

/// What a presence event (selfPresence, or the userPresence of `uri`) says, if there is one.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    availability: Option<u32>,
    activity: Option<String>,
    location: Option<String>,
    personal_note: Option<String>,
    manual: Option<u32>,
    categories: usize,
}

fn seen(r: &Reply, uri: Option<&str>) -> Option<Seen> {
    let doc = r.doc();
    let event = doc.root_element().children().rev().find(|n| match uri {
        None => n.has_tag_name("selfPresence"),
        Some(u) => {
            n.has_tag_name("userPresence")
                && n.descendants()
                    .any(|c| c.has_tag_name("user") && c.attribute("uri") == Some(u))
        }
    })?;
    let mut s = Seen::default();
    for cat in event
        .descendants()
        .filter(|n| n.has_tag_name("cwaCategory"))
    {
        s.categories += 1;
        let text_of = |name: &str| {
            cat.descendants()
                .find(|n| n.has_tag_name(name))
                .map(|n| n.text().unwrap_or("").to_string())
        };
        match (cat.attribute("name"), cat.attribute("instance")) {
            (Some("state"), Some("0")) => {
                s.availability = text_of("availability").map(|a| a.parse().unwrap());
                s.activity = cat
                    .descendants()
                    .find(|n| n.has_tag_name("activity"))
                    .and_then(|n| n.attribute("token"))
                    .map(str::to_string);
                s.location = text_of("endpointLocation");
            }
            (Some("state"), Some("536870912")) => {
                s.manual = text_of("availability").map(|a| a.parse().unwrap());
            }
            (Some("note"), _) => {
                s.personal_note = cat
                    .descendants()
                    .find(|n| n.has_tag_name("body") && n.attribute("type") == Some("personal"))
                    .map(|n| n.text().unwrap_or("").to_string());
            }
            _ => {}
        }
    }
    Some(s)
}

#[tokio::test]
async fn forms_logon_accepts_every_name_form_and_refuses_wrong_credentials() {
    let srv = Srv::fast().await;
    for name in [
        "dana@contoso.com",
        "CONTOSO\\dana",
        "dana",
        "sip:dana@contoso.com",
    ] {
        let r = forms_logon(&srv, logon_body(name, "demo")).await;
        assert_eq!(r.status, 200, "{name}: {}", r.body);
        assert!(r.ticket.as_deref().is_some_and(|t| t.len() >= 16), "{name}");
        assert_eq!(r.children(), ["requestSucceeded"]);
    }
    let r = forms_logon(&srv, logon_body("dana@contoso.com", "wrong")).await;
    assert_eq!(
        (r.status, r.code().as_deref()),
        (StatusCode::UNAUTHORIZED, Some("18001"))
    );
    assert_eq!(r.ticket, None);
    assert_eq!(r.www_authenticate, None, "forms sign-in has no challenge");
    let with_uri = |uri: &str| {
        format!("<cwaRequests xmlns=\"{NS}\"><logon><user>dana</user><password>demo</password><uri>{uri}</uri></logon></cwaRequests>")
    };
    assert_eq!(
        forms_logon(&srv, with_uri("sip:dana@contoso.com"))
            .await
            .status,
        200
    );
    assert_eq!(
        forms_logon(&srv, with_uri("sip:sarad@contoso.com"))
            .await
            .status,
        401
    );
    let no_ns =
        "<cwaRequests><logon><user>dana</user><password>demo</password></logon></cwaRequests>";
    assert_eq!(
        forms_logon(&srv, no_ns.into()).await.status,
        200,
        "no xmlns needed"
    );
    let r = forms_logon(&srv, "<cwaRequests><logon>".into()).await;
    assert_eq!(
        (r.status, r.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("18000"))
    );
    let r = forms_logon(
        &srv,
        format!("<cwaRequests xmlns=\"{NS}\"><logon/></cwaRequests>"),
    )
    .await;
    assert_eq!(
        (r.status, r.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("18000"))
    );
}

#[tokio::test]
async fn requests_without_a_valid_ticket_get_401_18001() {
    let srv = Srv::fast().await;
    let mut c = Cwa::logon(&srv, "dana@contoso.com").await;
    for ticket in ["", "not-a-ticket"] {
        c.ticket = ticket.into();
        let r = c.initiate(false).await;
        assert_eq!(
            (r.status, r.code().as_deref()),
            (StatusCode::UNAUTHORIZED, Some("18001"))
        );
        assert_eq!(r.www_authenticate, None);
        let r = c.poll_with(0, false).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test(start_paused = true)]
async fn tickets_are_replaced_and_the_old_one_lasts_the_grace_period() {
    let srv = Srv::paused(fast()).await;
    let mut c = Cwa::started(&srv, "dana@contoso.com", false).await;
    let first = c.ticket.clone();
    let r = c.poll().await;
    assert_eq!(
        r.ticket.as_deref(),
        Some(first.as_str()),
        "every response carries the ticket"
    );

    let cfg = ucwa_server::config::CwaConfig::default();
    advance(cfg.ticket_renew).await;
    let r = c.poll().await;
    let second = r.ticket.clone().unwrap();
    assert_ne!(second, first, "renewed after --cwa-ticket-renew-secs");

    c.ticket = first.clone();
    let r = c.poll_with(c.ack, false).await;
    assert_eq!(
        r.status, 200,
        "the old ticket is valid within the grace period"
    );
    assert_eq!(
        r.ticket.as_deref(),
        Some(second.as_str()),
        "and leads to the new one"
    );

    advance(cfg.ticket_grace).await;
    c.ticket = first.clone();
    assert_eq!(
        c.poll_with(c.ack, false).await.status,
        401,
        "after the grace period"
    );
    c.ticket = second.clone();
    assert_eq!(c.poll().await.ticket.as_deref(), Some(second.as_str()));

    let (st, _) = srv.control("/cwa/renew-tickets", json!({})).await;
    assert_eq!(st, 204);
    let third = c.poll().await.ticket.unwrap();
    assert_ne!(third, second, "the control API renews at once");
    c.ticket = second;
    assert_eq!(c.poll_with(c.ack, false).await.status, 200);
}

#[tokio::test]
async fn initiate_session_in_both_reply_shapes_then_self_presence_and_contacts() {
    let srv = Srv::fast().await;
    let mut c = Cwa::logon(&srv, "dana@contoso.com").await;
    let r = c.initiate(true).await;
    assert_eq!(r.children(), ["requestAccepted"], "{}", r.body);
    let doc = r.doc();
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(text("uri").as_deref(), Some("sip:dana@contoso.com"));
    assert_eq!(text("pollWaitTime").as_deref(), Some("1000"));
    assert_eq!(doc.root_element().attribute("sid"), text("sid").as_deref());
    assert_eq!(doc.root_element().tag_name().namespace(), Some(NS));

    let r = c.poll().await;
    let events = r.children();
    assert_eq!(
        events[..3],
        ["requestSucceeded", "selfPresence", "contactGroup"]
    );
    let contacts = events.iter().filter(|e| *e == "userPresence").count();
    assert_eq!(contacts, 7, "one userPresence per contact: {}", r.body);
    let me = seen(&r, None).unwrap();
    assert_eq!(
        (me.availability, me.activity.as_deref()),
        (Some(3500), Some("Available"))
    );
    assert_eq!(
        me.manual, None,
        "userStateAvailability 3500 is no manual state"
    );
    let doc = r.doc();
    let group = doc
        .descendants()
        .find(|n| n.has_tag_name("contactGroup"))
        .unwrap();
    assert_eq!(group.attribute("fullList"), Some("true"));
    let team = group
        .children()
        .find(|n| n.has_tag_name("group") && n.attribute("name") == Some("Team"))
        .unwrap();
    let sara = group
        .children()
        .find(|n| n.attribute("uri") == Some(SARA))
        .unwrap();
    assert_eq!(sara.attribute("groups"), team.attribute("id"));
    let sara_seen = seen(&r, Some(SARA)).unwrap();
    assert_eq!(sara_seen.availability, Some(18500), "Sara is offline");

    let srv = Srv::start(ucwa_server::Config {
        cwa: ucwa_server::config::CwaConfig {
            initiate_reply: InitiateReply::Attributes,
            poll_wait: Duration::from_millis(250),
            ..Default::default()
        },
        ..fast()
    })
    .await;
    let mut c = Cwa::logon(&srv, "dana@contoso.com").await;
    let r = c.initiate(false).await;
    assert_eq!(r.children(), ["initiateSessionAccepted"], "{}", r.body);
    let doc = r.doc();
    let accepted = doc.root_element().first_element_child().unwrap();
    assert_eq!(accepted.attribute("pollWaitTime"), Some("250"));
    assert_eq!(accepted.attribute("rid"), Some("1"));
    let r = c.poll().await;
    assert_eq!(r.children(), ["selfPresence", "contactGroup"]);
    assert_eq!(
        r.doc().root_element().attribute("pollWaitTime"),
        Some("250")
    );
}

#[tokio::test]
async fn a_cwa_publish_reaches_ucwa_watchers_and_back() {
    let srv = Srv::fast().await;
    let mut sara = srv.session("sarad@contoso.com").await;
    sara.subscribe(&[DANA]).await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    dana.poll().await;
    sara.wait_for("contactPresence", "updated", 5)
        .await
        .unwrap();

    dana.publish(&manual_state(6500)).await;
    let r = dana.poll().await;
    let me = seen(&r, None).unwrap();
    assert_eq!((me.availability, me.manual), (Some(6500), Some(6500)));
    sara.wait_for("contactPresence", "updated", 5)
        .await
        .unwrap();
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(p["availability"], "Busy");

    dana.publish(&note("Heads down &amp; &lt;busy&gt;")).await;
    sara.wait_for("contactNote", "updated", 5).await.unwrap();
    let (_, n) = sara.get("people/dana@contoso.com/note").await;
    assert_eq!(n["message"], "Heads down & <busy>");

    dana.publish(&machine_state(Some("Building 40"))).await;
    sara.wait_for("contactLocation", "updated", 5)
        .await
        .unwrap();
    let (_, l) = sara.get("people/dana@contoso.com/location").await;
    assert_eq!(l["location"], "Building 40");
    dana.publish(&machine_state(None)).await;
    let r = dana.poll().await;
    assert_eq!(
        seen(&r, None).unwrap().location.as_deref(),
        Some("Building 40"),
        "kept"
    );
    dana.publish(&machine_state(Some(""))).await;
    let r = dana.poll().await;
    assert_eq!(seen(&r, None).unwrap().location, None, "cleared");

    dana.publish(&reset_state()).await;
    let r = dana.poll().await;
    let me = seen(&r, None).unwrap();
    assert_eq!(
        (me.availability, me.manual),
        (Some(3500), None),
        "{}",
        r.body
    );
    sara.wait_for("contactPresence", "updated", 5)
        .await
        .unwrap();
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(p["availability"], "Online");
}

#[tokio::test]
async fn ucwa_changes_reach_cwa_watchers() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let r = dana.command("subscribePresence", &uris(&[SARA])).await;
    assert_eq!(r.children(), ["requestSucceeded"]);
    let r = dana.poll().await;
    assert_eq!(seen(&r, Some(SARA)).unwrap().availability, Some(18500));

    let sara = srv.session("sarad@contoso.com").await;
    sara.make_me_available().await;
    assert_eq!(
        sara.post("me/presence", json!({"availability": "Away"}))
            .await
            .0,
        204
    );
    dana.poll_until("Sara away", |r| {
        seen(r, Some(SARA)).is_some_and(|s| s.availability == Some(15500))
    })
    .await;
    assert_eq!(
        sara.post("me/note", json!({"message": "At lunch"})).await.0,
        204
    );
    dana.poll_until("Sara's note", |r| {
        seen(r, Some(SARA)).is_some_and(|s| s.personal_note.as_deref() == Some("At lunch"))
    })
    .await;
    assert_eq!(
        sara.post("me/location", json!({"location": "Home"}))
            .await
            .0,
        204
    );
    let r = dana
        .poll_until("Sara's location", |r| {
            seen(r, Some(SARA)).is_some_and(|s| s.location.as_deref() == Some("Home"))
        })
        .await;
    let s = seen(&r, Some(SARA)).unwrap();
    assert_eq!(
        (s.activity.as_deref(), s.categories),
        (Some("Away"), 4),
        "state, note, two cards"
    );

    srv.control(
        "/users/sarad@contoso.com/presence",
        json!({"availability": "DoNotDisturb"}),
    )
    .await;
    dana.poll_until("the control API's change", |r| {
        seen(r, Some(SARA)).is_some_and(|s| s.availability == Some(9500))
    })
    .await;
}

#[tokio::test]
async fn subscribe_unsubscribe_query_and_unknown_uris() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    dana.poll().await;
    let outsider = "sip:someone@fabrikam.com";
    let r = dana
        .command("subscribePresence", &uris(&[SARA, outsider]))
        .await;
    assert_eq!(r.children(), ["requestSucceeded"]);
    let r = dana.poll().await;
    let unknown = seen(&r, Some(outsider)).unwrap();
    assert_eq!(
        unknown.categories, 0,
        "no categories for a URI outside the directory"
    );
    let doc = r.doc();
    let user = doc
        .descendants()
        .find(|n| n.attribute("uri") == Some(outsider))
        .unwrap();
    assert_eq!(user.attribute("sourceNetwork"), Some("federated"));
    let (_, sessions) = srv.control_get("/cwa/sessions").await;
    assert_eq!(sessions[0]["subscriptions"], 2, "{sessions}");
    assert_eq!(sessions[0]["user"], "dana@contoso.com");

    let r = dana.command("unSubscribePresence", &uris(&[SARA])).await;
    assert_eq!(r.children(), ["requestSucceeded"]);
    srv.control(
        "/users/sarad@contoso.com/presence",
        json!({"availability": "Busy"}),
    )
    .await;
    let r = dana.poll().await;
    assert!(seen(&r, Some(SARA)).is_none(), "unsubscribed: {}", r.body);

    let r = dana.command("queryPresence", &uris(&[SARA])).await;
    assert_eq!(r.children(), ["requestSucceeded"]);
    let r = dana.poll().await;
    assert_eq!(seen(&r, Some(SARA)).unwrap().availability, Some(6500));
    let (_, sessions) = srv.control_get("/cwa/sessions").await;
    assert_eq!(
        sessions[0]["subscriptions"], 1,
        "a query subscribes to nothing"
    );

    let too_many: Vec<String> = (0..201).map(|i| format!("sip:u{i}@fabrikam.com")).collect();
    let refs: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let r = dana.command("subscribePresence", &uris(&refs)).await;
    assert_eq!(
        (r.children()[0].as_str(), r.code().as_deref()),
        ("requestFailed", Some("18001"))
    );
    let r = dana.command("subscribePresence", "<uris/>").await;
    assert_eq!(r.code().as_deref(), Some("18001"));
}

#[tokio::test]
async fn a_lower_ack_id_gets_the_events_again_an_equal_one_nothing() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let first = dana.poll_with(0, false).await;
    let eids = |r: &Reply| -> Vec<String> {
        r.doc()
            .root_element()
            .children()
            .filter_map(|n| n.attribute("eid").map(str::to_string))
            .collect()
    };
    assert_eq!(eids(&first), ["1", "2", "3"]);
    assert_eq!(first.doc().root_element().attribute("ackId"), Some("3"));
    let again = dana.poll_with(0, false).await;
    assert_eq!(
        eids(&again),
        ["1", "2", "3"],
        "not acknowledged: delivered again"
    );
    let lower = dana.poll_with(1, false).await;
    assert_eq!(
        eids(&lower),
        ["2", "3"],
        "a lower AckId gets the rest again"
    );
    let acked = dana.poll_with(3, false).await;
    assert!(eids(&acked).is_empty(), "an equal AckId gets nothing");
    assert_eq!(acked.doc().root_element().attribute("ackId"), Some("3"));
    assert!(
        eids(&dana.poll_with(0, false).await).is_empty(),
        "acknowledged events are gone"
    );
    dana.publish(&note("next")).await;
    let next = dana.poll_with(3, false).await;
    assert_eq!(eids(&next), ["4"], "eids keep growing");
    let (_, sessions) = srv.control_get("/cwa/sessions").await;
    assert_eq!(
        (sessions[0]["ackId"].as_u64(), sessions[0]["polls"].as_u64()),
        (Some(3), Some(6))
    );
}

#[tokio::test]
async fn an_expired_session_answers_18100_in_every_error_shape() {
    for shape in [
        ErrorShape::RequestFailed,
        ErrorShape::Error,
        ErrorShape::Exception,
    ] {
        let srv = Srv::start(ucwa_server::Config {
            cwa: ucwa_server::config::CwaConfig {
                error_shape: shape,
                ..Default::default()
            },
            ..fast()
        })
        .await;
        let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
        let (st, _) = srv
            .control("/cwa/expire", json!({"user": "dana@contoso.com"}))
            .await;
        assert_eq!(st, 204);
        let r = dana.publish_raw(&note("x")).await;
        assert_eq!(
            (r.status, r.code().as_deref()),
            (StatusCode::OK, Some("18100")),
            "{shape:?}"
        );
        let expected = match shape {
            ErrorShape::RequestFailed => "requestFailed",
            ErrorShape::Error => "error",
            ErrorShape::Exception => "exception",
        };
        assert_eq!(r.children(), [expected], "{}", r.body);
        let r = dana.poll_with(0, false).await;
        assert_eq!(
            (r.status, r.code().as_deref()),
            (StatusCode::OK, Some("18100"))
        );
        assert_eq!(r.doc().root_element().tag_name().name(), "cwaEvents");
        assert_eq!(r.children(), [expected]);
        let (_, sessions) = srv.control_get("/cwa/sessions").await;
        assert_eq!(sessions, json!([]));
    }
}

impl Cwa {
    async fn publish_raw(&mut self, category: &str) -> Reply {
        self.command("publishSelfPresence", category).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_session_not_polled_for_the_timeout_ends() {
    let srv = Srv::paused(fast()).await;
    let sara = srv.session("sarad@contoso.com").await;
    sara.subscribe(&[DANA]).await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let timeout = ucwa_server::config::CwaConfig::default().session_timeout;
    advance(timeout - Duration::from_secs(1)).await;
    assert_eq!(dana.poll().await.code(), None, "polled in time");
    advance(timeout).await;
    let r = dana.poll_with(dana.ack, false).await;
    assert_eq!(r.code().as_deref(), Some("18100"));
    let (_, p) = sara.get("people/dana@contoso.com/presence").await;
    assert_eq!(
        p["availability"], "Offline",
        "the session was Dana's only endpoint"
    );
}

#[tokio::test]
async fn terminate_session_ends_it_but_keeps_the_ticket() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let r = dana.command("terminateSession", "").await;
    assert_eq!(r.children(), ["requestSucceeded"]);
    let r = dana.publish_raw(&note("x")).await;
    assert_eq!(r.code().as_deref(), Some("18100"));
    let r = dana.initiate(false).await;
    assert_eq!(
        r.children(),
        ["requestAccepted"],
        "the ticket is still valid"
    );
    assert_eq!(
        dana.poll().await.children(),
        ["requestSucceeded", "selfPresence", "contactGroup"]
    );
}

#[tokio::test]
async fn bad_input_gets_clear_errors() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let r = dana.post_raw("<cwaRequests sid=".into()).await;
    assert_eq!(
        (r.status, r.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("18000"))
    );
    assert!(r.ticket.is_some(), "a 400 still carries the ticket");
    let r = dana.post_raw("<other xmlns=\"urn:x\"/>".into()).await;
    assert_eq!(r.status, 400);
    let r = dana.command("launchRocket", "").await;
    assert_eq!(
        (r.children()[0].as_str(), r.code().as_deref()),
        ("requestFailed", Some("18001"))
    );
    let body = format!(
        "<cwaRequests sid=\"{}\" xmlns=\"https://schemas.microsoft.com/2006/09/rtc/cwa\"><queryPresence rid=\"9\">{}</queryPresence><publishSelfPresence>{}</publishSelfPresence></cwaRequests>",
        dana.sid,
        uris(&[SARA]),
        note("x")
    );
    let r = dana.post_raw(body).await;
    assert_eq!(
        r.children(),
        ["requestSucceeded", "requestFailed"],
        "{}",
        r.body
    );
    assert!(r.body.contains("code=\"18000\""), "no rid: {}", r.body);
    let no_sid = format!(
        "<cwaRequests xmlns=\"{NS}\"><queryPresence rid=\"1\">{}</queryPresence></cwaRequests>",
        uris(&[SARA])
    );
    assert_eq!(dana.post_raw(no_sid).await.code().as_deref(), Some("18100"));
    for bad in [
        manual_state(2999),
        manual_state(18500),
        "<cwaCategory name=\"state\"><state xsi:type=\"userState\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><availability>busy</availability></state></cwaCategory>".into(),
        "<cwaCategory name=\"calendarData\"/>".into(),
        "<cwaCategory name=\"note\"><note><body type=\"OOF\">x</body></note></cwaCategory>".to_string(),
        format!("{}{}", note("both or none"), "<cwaCategory name=\"contactCard\"/>"),
    ] {
        let r = dana.publish_raw(&bad).await;
        assert_eq!(r.children(), ["requestFailed"], "{bad}: {}", r.body);
    }
    let r = dana.poll().await;
    assert_ne!(
        seen(&r, None).and_then(|s| s.personal_note),
        Some("both or none".into()),
        "nothing of a failed publish is applied"
    );
    let url = format!("{}/cwa/AsyncDataChannel.ashx?AckId=0", srv.base);
    let r = send(false, srv.http.get(url).header("CWA-Ticket", &dana.ticket)).await;
    assert_eq!(
        (r.status, r.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("18000"))
    );
    let url = format!(
        "{}/cwa/AsyncDataChannel.ashx?sid={}&ackid=0&ua=true",
        srv.base, dana.sid
    );
    let r = send(false, srv.http.get(url).header("CWA-Ticket", &dana.ticket)).await;
    assert_eq!(
        r.status, 200,
        "query names are case-insensitive: {}",
        r.body
    );
    let big = "x".repeat(300 * 1024);
    let r = dana.post_raw(big).await;
    assert_eq!(r.status, 413);
}

#[tokio::test(start_paused = true)]
async fn the_machine_state_goes_idle_without_activity() {
    let cfg = ucwa_server::Config {
        cwa: ucwa_server::config::CwaConfig {
            idle_after: Duration::from_secs(60),
            session_timeout: Duration::from_secs(3600),
            ..Default::default()
        },
        ..fast()
    };
    let srv = Srv::paused(cfg).await;
    let sara = srv.session("sarad@contoso.com").await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let availability =
        || async { sara.get("people/dana@contoso.com/presence").await.1["availability"].clone() };
    assert_eq!(availability().await, "Online");
    advance(Duration::from_secs(59)).await;
    dana.poll().await;
    assert_eq!(
        availability().await,
        "Online",
        "a poll without UA=true is no activity"
    );
    advance(Duration::from_secs(2)).await;
    assert_eq!(availability().await, "IdleOnline");
    dana.publish(&manual_state(6500)).await;
    assert_eq!(availability().await, "IdleBusy");
    let r = dana.poll_with(dana.ack, true).await;
    assert_eq!(r.status, 200);
    assert_eq!(availability().await, "Busy", "UA=true");
    advance(Duration::from_secs(61)).await;
    assert_eq!(availability().await, "IdleBusy");
    dana.publish(&machine_state(None)).await;
    assert_eq!(availability().await, "Busy", "a machineState publish");
}

#[tokio::test]
async fn windows_logon_asks_for_negotiate_and_is_absent_without_it() {
    let srv = Srv::fast().await;
    let logon = format!("<cwaRequests xmlns=\"{NS}\"><logon/></cwaRequests>");
    let post = |srv: &Srv| {
        srv.http
            .post(srv.url("/iwa/logon.html"))
            .body(logon.clone())
    };
    let r = send(false, post(&srv)).await;
    assert_eq!(r.status, 404, "no keytab, no Windows sign-in");
    let srv = Srv::start(ucwa_server::Config {
        negotiate: true,
        ..fast()
    })
    .await;
    let r = send(false, post(&srv)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.www_authenticate.as_deref(), Some("Negotiate"));
    assert_eq!(r.code().as_deref(), Some("18001"));
    let r = send(false, post(&srv).header("Authorization", "Negotiate !!!")).await;
    assert_eq!(
        (r.status, r.www_authenticate.as_deref()),
        (StatusCode::UNAUTHORIZED, Some("Negotiate"))
    );
}

#[tokio::test]
async fn cors_allows_and_exposes_the_ticket() {
    let srv = Srv::fast().await;
    let r = srv
        .http
        .request(
            reqwest::Method::OPTIONS,
            srv.url("/cwa/MainCommandHandler.ashx"),
        )
        .header("Origin", "http://localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "cwa-ticket,content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("cwa-ticket") && allowed.contains("content-type"),
        "{allowed}"
    );
    let logon_from = |origin: &'static str| {
        srv.http
            .post(srv.url("/forms/logon.html"))
            .header("Origin", origin)
            .body(logon_body("dana", "demo"))
            .send()
    };
    let r = logon_from("http://localhost:8080").await.unwrap();
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("CWA-Ticket"), "{exposed}");
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "http://localhost:8080"
    );
    let r = logon_from("http://evil.example").await.unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn faults_apply_to_the_cwa_routes() {
    let srv = Srv::fast().await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    let (st, _) = srv
        .control(
            "/faults",
            json!({"status": 503, "count": 1, "path_contains": "AsyncDataChannel"}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(dana.poll_with(0, false).await.status, 503);
    assert_eq!(dana.poll_with(0, false).await.status, 200);
}

#[tokio::test]
async fn a_kerberos_ticket_signs_in_through_the_windows_logon() {
    let realm = Realm::start(&["dana"]);
    let server = Server::start(&realm, &[]);
    let http = reqwest::Client::new();
    let logon = || {
        http.post(format!("{}/iwa/logon.html", server.base))
            .body(format!(
                "<cwaRequests xmlns=\"{NS}\"><logon/></cwaRequests>"
            ))
    };
    let token = realm.spnego_token(&realm.ccache("dana")).unwrap();
    let authorization = format!("Negotiate {}", STANDARD.encode(token));
    let r = send(false, logon().header("Authorization", authorization)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.children(), ["requestSucceeded"]);
    let mut dana = Cwa {
        base: server.base.clone(),
        http: http.clone(),
        paused: false,
        ticket: r.ticket.expect("a CWA-Ticket"),
        sid: "0".into(),
        rid: 0,
        ack: 0,
    };
    let r = dana.initiate(false).await;
    let doc = r.doc();
    let uri = doc.descendants().find(|n| n.has_tag_name("uri"));
    assert_eq!(
        uri.and_then(|n| n.text()),
        Some(DANA),
        "the ticket is Dana's"
    );
}

#[tokio::test]
async fn a_held_data_channel_answers_as_soon_as_an_event_is_queued() {
    let srv = Srv::start(ucwa_server::Config {
        cwa: ucwa_server::config::CwaConfig {
            hold: Duration::from_secs(15),
            ..Default::default()
        },
        ..fast()
    })
    .await;
    let mut dana = Cwa::started(&srv, "dana@contoso.com", false).await;
    dana.command("subscribePresence", &uris(&[SARA])).await;
    dana.poll().await;
    let url = format!(
        "{}/cwa/AsyncDataChannel.ashx?Sid={}&AckId={}&UA=false",
        srv.base, dana.sid, dana.ack
    );
    let request = srv.http.get(url).header("CWA-Ticket", &dana.ticket);
    let started = std::time::Instant::now();
    let held = tokio::spawn(send(false, request));
    // The GET is held once the server counted it (polls: 2).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, sessions) = srv.control_get("/cwa/sessions").await;
        if sessions[0]["polls"] == 2 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{sessions}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!held.is_finished(), "nothing queued: the GET waits");
    srv.control(
        "/users/sarad@contoso.com/presence",
        json!({"availability": "Busy"}),
    )
    .await;
    let r = held.await.unwrap();
    assert_eq!(seen(&r, Some(SARA)).unwrap().availability, Some(6500));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "answered before the hold ended"
    );
}

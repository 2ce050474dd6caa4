//! The CWA 2007 routes (bb969491, bb969571, bb969534) on the same listener as UCWA:
//! `POST /forms/logon.html`, `POST /iwa/logon.html`, `POST /cwa/MainCommandHandler.ashx`,
//! `GET /cwa/AsyncDataChannel.ashx`. Every response is `text/xml; charset=utf-8`; every
//! accepted ticket gets a `CWA-Ticket` back (the same one, or its replacement when due).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::commands::{self, Context};
use super::errors::{self, INTERNAL_FAILURE, INVALID_FORMAT, INVALID_REQUEST};
use super::render;
use super::tickets::{Holder, Refused};
use super::xml::{child, is_cwa, parse, text, Out, CWA_NS};
use crate::clock;
use crate::directory::Directory;
use crate::error::UcwaErrorMarker;
use crate::log::LogUser;
use crate::negotiate;
use crate::state::AppState;

pub const TICKET: HeaderName = HeaderName::from_static("cwa-ticket");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forms/logon.html", post(forms_logon))
        .route("/iwa/logon.html", post(iwa_logon))
        .route("/cwa/MainCommandHandler.ashx", post(command))
        .route("/cwa/AsyncDataChannel.ashx", get(data_channel))
}

/// An XML response; errors are marked so the UCWA error normaliser leaves them alone.
fn xml(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if !status.is_success() {
        r.extensions_mut().insert(UcwaErrorMarker);
    }
    r
}

/// `<cwaResponses xmlns><error code reason/></cwaResponses>` with `status`.
fn error_response(status: StatusCode, code: u32, reason: &str) -> Response {
    let code = code.to_string();
    let mut out = Out::new();
    out.open("cwaResponses", &[("xmlns", CWA_NS)])
        .empty("error", &[("code", &code), ("reason", reason)])
        .close("cwaResponses");
    xml(status, out.finish())
}

fn with_ticket(mut r: Response, holder: &Holder) -> Response {
    if let Ok(v) = HeaderValue::from_str(&holder.ticket) {
        r.headers_mut().insert(TICKET, v);
    }
    r.extensions_mut()
        .insert(LogUser(format!("sip:{}", holder.user)));
    r
}

/// The caller's ticket, checked (and renewed when due).
fn holder(state: &AppState, headers: &HeaderMap) -> Result<Holder, Refused> {
    let ticket = headers.get(TICKET).and_then(|v| v.to_str().ok());
    let cfg = state.cfg.cwa.clone();
    state.lock().cwa.tickets.check(ticket, clock::now(), &cfg)
}

/// 401 18001 for a refused ticket (500 when no new one could be made).
fn refused(why: Refused) -> Response {
    let status = if why == Refused::NoRandomness {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::UNAUTHORIZED
    };
    error_response(status, INVALID_REQUEST, why.reason())
}

/// A request body, or why it could not be read (too large: `--max-body-bytes`).
type Body = Result<Bytes, BytesRejection>;

fn too_large(rejection: BytesRejection) -> Response {
    error_response(rejection.status(), INVALID_FORMAT, &rejection.body_text())
}

/// A new ticket for `user`: `200 <requestSucceeded/>` with `CWA-Ticket`.
fn signed_in(state: &AppState, user: &str) -> Response {
    let issued = state.lock().cwa.tickets.issue(user, clock::now());
    let Ok(ticket) = issued else {
        return error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            INTERNAL_FAILURE,
            "no randomness for a ticket",
        );
    };
    let mut out = Out::new();
    out.open("cwaResponses", &[("xmlns", CWA_NS)])
        .empty("requestSucceeded", &[])
        .close("cwaResponses");
    let holder = Holder {
        user: user.to_string(),
        ticket,
    };
    with_ticket(xml(StatusCode::OK, out.finish()), &holder)
}

/// A sign-in name: `DOMAIN\user`, `user@domain` (or its SIP URI), or the bare user name.
fn find_user(dir: &Directory, name: &str) -> Option<String> {
    let name = name.trim();
    if let Some((_, account)) = name.rsplit_once('\\') {
        return negotiate::user_for(dir, account, None).ok();
    }
    if name.contains('@') {
        return dir.lookup(name).map(|u| u.key.clone());
    }
    negotiate::user_for(dir, name, None).ok()
}

/// Forms sign-in (bb969612, bb969609): `<logon><user/><password/><uri/>?</logon>`.
async fn forms_logon(State(state): State<AppState>, body: Body) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return too_large(r),
    };
    let doc = match parse(&body) {
        Ok(d) => d,
        Err(why) => return error_response(StatusCode::BAD_REQUEST, INVALID_FORMAT, &why),
    };
    let root = doc.root_element();
    let logon = if is_cwa(root, "logon") {
        Some(root)
    } else if is_cwa(root, "cwaRequests") {
        child(root, "logon")
    } else {
        None
    };
    let Some(logon) = logon else {
        return error_response(
            StatusCode::BAD_REQUEST,
            INVALID_FORMAT,
            "expected <cwaRequests><logon>…</logon></cwaRequests>",
        );
    };
    let (Some(user), Some(password)) = (child(logon, "user"), child(logon, "password")) else {
        return error_response(
            StatusCode::BAD_REQUEST,
            INVALID_FORMAT,
            "logon needs user and password",
        );
    };
    let (name, password) = (text(user), text(password));
    let found = find_user(&state.dir, &name).filter(|key| {
        state.dir.get(key).is_some_and(|u| u.password == password)
            && child(logon, "uri").is_none_or(|uri| {
                crate::directory::normalize_uri(&text(uri)).as_deref() == Some(key.as_str())
            })
    });
    match found {
        Some(key) => signed_in(&state, &key),
        None => {
            let mut r = error_response(
                StatusCode::UNAUTHORIZED,
                INVALID_REQUEST,
                "The user name or password is incorrect.",
            );
            let shown: String = name.chars().take(64).collect();
            r.extensions_mut().insert(LogUser(format!("({shown})")));
            r
        }
    }
}

fn negotiate_challenge(why: &str) -> Response {
    let mut r = error_response(StatusCode::UNAUTHORIZED, INVALID_REQUEST, why);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Negotiate"),
    );
    r
}

/// Windows sign-in: HTTP Negotiate as on the UCWA token endpoint (`--negotiate`; 404 without).
async fn iwa_logon(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.cfg.negotiate {
        return error_response(
            StatusCode::NOT_FOUND,
            INVALID_REQUEST,
            "Windows sign-in is not enabled on this server",
        );
    }
    let token = match negotiate::request_token(&headers) {
        Ok(Some(t)) => t,
        Ok(None) => return negotiate_challenge("Windows sign-in: answer the Negotiate challenge."),
        Err(why) => return negotiate_challenge(&why),
    };
    let accepted = match negotiate::accept(token).await {
        Ok(a) => a,
        Err(why) => return negotiate_challenge(&why),
    };
    let realm = state.cfg.negotiate_realm.as_deref();
    match negotiate::user_for(&state.dir, &accepted.principal, realm) {
        Ok(user) => {
            let mut r = signed_in(&state, &user);
            negotiate::add_reply(&mut r, accepted.reply.as_deref());
            r
        }
        Err(why) => negotiate_challenge(&why),
    }
}

/// The command channel: `<cwaRequests sid>` → `<cwaResponses sid>`.
async fn command(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let holder = match holder(&state, &headers) {
        Ok(h) => h,
        Err(why) => return refused(why),
    };
    let body = match body {
        Ok(b) => b,
        Err(r) => return with_ticket(too_large(r), &holder),
    };
    let doc = match parse(&body) {
        Ok(d) => d,
        Err(why) => {
            let r = error_response(StatusCode::BAD_REQUEST, INVALID_FORMAT, &why);
            return with_ticket(r, &holder);
        }
    };
    let root = doc.root_element();
    if !is_cwa(root, "cwaRequests") {
        let r = error_response(
            StatusCode::BAD_REQUEST,
            INVALID_FORMAT,
            "expected <cwaRequests> in the CWA namespace",
        );
        return with_ticket(r, &holder);
    }
    let ctx = Context {
        user: &holder.user,
        dir: &state.dir,
        now: clock::now(),
    };
    let reply = commands::run(&mut state.lock(), &ctx, root);
    with_ticket(xml(StatusCode::OK, reply), &holder)
}

/// `Sid`, `AckId` and `UA` of the data channel's query, names case-insensitive.
struct Poll {
    sid: u64,
    ack: u64,
    active: bool,
}

fn parse_poll(query: Option<&str>) -> Result<Poll, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| "the query string is malformed".to_string())?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let sid = get("Sid")
        .ok_or("Sid is required")?
        .parse::<u64>()
        .map_err(|_| "Sid must be a number")?;
    let ack = match get("AckId") {
        None | Some("") => 0,
        Some(v) => v.parse::<u64>().map_err(|_| "AckId must be a number")?,
    };
    let active = get("UA").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Ok(Poll { sid, ack, active })
}

/// The data channel: every queued event after `AckId` (bb969465), held up to `--cwa-hold-ms`
/// while none is queued.
async fn data_channel(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let holder = match holder(&state, &headers) {
        Ok(h) => h,
        Err(why) => return refused(why),
    };
    let poll = match parse_poll(query.as_deref()) {
        Ok(p) => p,
        Err(why) => {
            let r = error_response(StatusCode::BAD_REQUEST, INVALID_FORMAT, &why);
            return with_ticket(r, &holder);
        }
    };
    let deadline = tokio::time::Instant::now() + state.cfg.cwa.hold;
    let mut first = true;
    loop {
        let holding = tokio::time::Instant::now() < deadline;
        let notify = match answer(&state, &holder, &poll, first, holding) {
            Answer::Reply(body) => return with_ticket(xml(StatusCode::OK, body), &holder),
            Answer::Wait(notify) => notify,
        };
        first = false;
        let notified = notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        // An event queued between `answer` and `enable` is not missed: look again.
        if !queued(&state, &holder, &poll) {
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }
}

enum Answer {
    Reply(String),
    Wait(std::sync::Arc<tokio::sync::Notify>),
}

fn queued(state: &AppState, holder: &Holder, poll: &Poll) -> bool {
    let mut g = state.lock();
    g.cwa
        .session_mut(poll.sid, &holder.user)
        .is_none_or(|s| s.has_after(poll.ack))
}

/// `<cwaEvents sid ackId>` holding the 18100 error (unknown or ended session).
fn no_session(sid: &str, ack: &str, shape: crate::config::ErrorShape) -> String {
    let mut out = Out::new();
    out.open(
        "cwaEvents",
        &[("sid", sid), ("ackId", ack), ("xmlns", CWA_NS)],
    );
    errors::session_not_found(&mut out, shape, None);
    out.close("cwaEvents");
    out.finish()
}

/// One look at the session: the reply, or the notifier to wait on while `holding`.
fn answer(state: &AppState, holder: &Holder, poll: &Poll, first: bool, holding: bool) -> Answer {
    let cfg = &state.cfg.cwa;
    let now = clock::now();
    let mut g = state.lock();
    let (sid, mut ack) = (poll.sid.to_string(), poll.ack.to_string());
    let Some(session) = g.cwa.session_mut(poll.sid, &holder.user) else {
        return Answer::Reply(no_session(&sid, &ack, cfg.error_shape));
    };
    session.last_poll = now;
    let mut active = false;
    if first {
        session.polls += 1;
        session.acknowledge(poll.ack);
        if poll.active && session.auto_machine_state {
            session.last_active = now;
            active = true;
        }
    }
    if active {
        // The user is active again: the machine state (and so what others see) follows.
        g.recompute(&holder.user, now);
    }
    let Some(session) = g.cwa.session_mut(poll.sid, &holder.user) else {
        return Answer::Reply(no_session(&sid, &ack, cfg.error_shape));
    };
    if holding && !session.has_after(poll.ack) {
        return Answer::Wait(session.notify.clone());
    }
    let events = session.take_after(poll.ack);
    if let Some((eid, _)) = events.last() {
        ack = eid.to_string();
    }
    let poll_ms = cfg.poll_wait.as_millis().to_string();
    let timeout_secs = cfg.session_timeout.as_secs().to_string();
    let mut out = Out::new();
    out.open(
        "cwaEvents",
        &[
            ("sid", &sid),
            ("pollWaitTime", &poll_ms),
            ("ackId", &ack),
            ("sessionTimeout", &timeout_secs),
            ("xmlns", CWA_NS),
        ],
    );
    for (eid, event) in &events {
        render::event(&mut out, *eid, event, &g, &state.dir, &holder.user);
    }
    out.close("cwaEvents");
    Answer::Reply(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_queries_are_case_insensitive_and_checked() {
        let p = parse_poll(Some("sid=42&AckID=7&ua=TRUE")).unwrap();
        assert_eq!((p.sid, p.ack, p.active), (42, 7, true));
        let p = parse_poll(Some("Sid=42")).unwrap();
        assert_eq!((p.ack, p.active), (0, false));
        assert!(parse_poll(None).is_err());
        assert!(parse_poll(Some("Sid=x")).is_err());
        assert!(parse_poll(Some("Sid=1&AckId=-1")).is_err());
    }

    #[test]
    fn sign_in_names() {
        let dir = Directory::builtin();
        for name in [
            "CONTOSO\\dana",
            "dana@contoso.com",
            "sip:dana@contoso.com",
            "Dana",
        ] {
            assert_eq!(
                find_user(&dir, name).as_deref(),
                Some("dana@contoso.com"),
                "{name}"
            );
        }
        assert_eq!(find_user(&dir, "nobody"), None);
    }
}

//! The command channel's requests (bb969571): initiateSession (bb969467), publishSelfPresence
//! (bb969515, seed 003), subscribePresence (bb969483), unSubscribePresence (bb969526),
//! queryPresence (bb969478), terminateSession (bb969598). Each request gets one reply element.

use std::time::Instant;

use roxmltree::Node;

use super::availability::from_number;
use super::errors::{self, INVALID_FORMAT, INVALID_REQUEST};
use super::render::USER_STATE_INSTANCE;
use super::sessions::CwaEvent;
use super::xml::{attr, child, elements, is_cwa, text, Out, CWA_NS};
use crate::config::{CwaConfig, InitiateReply};
use crate::directory::{normalize_uri, Directory};
use crate::presence::{Availability, NoteType};
use crate::routes::me::{MAX_LOCATION, MAX_NOTE};
use crate::state::Inner;

/// `instanceMask` of machine-state publishes (bb969469).
const MACHINE_STATE_INSTANCE: &str = "805306368";
/// Longest URI kept for a user outside the directory.
const MAX_URI: usize = 256;

/// What one request needs besides the state.
pub struct Context<'a> {
    pub user: &'a str,
    pub dir: &'a Directory,
    pub now: Instant,
}

/// A failed request: code and description of its `requestFailed`.
struct Failure(u32, String);

fn invalid(why: impl Into<String>) -> Failure {
    Failure(INVALID_REQUEST, why.into())
}

/// Runs every request of a `<cwaRequests>` document and writes the `<cwaResponses>`.
pub fn run(g: &mut Inner, ctx: &Context, root: Node) -> String {
    let cfg = g.cfg.cwa.clone();
    let mut sid = attr(root, "sid").map(|s| s.trim().to_string());
    let mut body = Out::new();
    for request in elements(root) {
        let rid = attr(request, "rid");
        let name = request.tag_name().name();
        if !is_cwa(request, name) {
            errors::request_failed(&mut body, rid, INVALID_REQUEST, "not a CWA request");
            continue;
        }
        let Some(rid) = rid else {
            errors::request_failed(&mut body, None, INVALID_FORMAT, "rid is required");
            continue;
        };
        if name == "initiateSession" {
            let new_sid = initiate(g, ctx, &cfg, request, rid, &mut body);
            sid = Some(new_sid.to_string());
            continue;
        }
        if !matches!(
            name,
            "publishSelfPresence"
                | "subscribePresence"
                | "unSubscribePresence"
                | "queryPresence"
                | "terminateSession"
        ) {
            let why = format!("unknown request {name}");
            errors::request_failed(&mut body, Some(rid), INVALID_REQUEST, &why);
            continue;
        }
        let session = sid.as_deref().and_then(|s| s.parse::<u64>().ok());
        let Some(session) = session.filter(|s| g.cwa.session_mut(*s, ctx.user).is_some()) else {
            errors::session_not_found(&mut body, cfg.error_shape, Some(rid));
            continue;
        };
        let outcome = match name {
            "publishSelfPresence" => publish(g, ctx, session, request),
            "terminateSession" => {
                g.end_cwa_session(session, ctx.now);
                Ok(())
            }
            _ => presence_request(g, ctx, &cfg, session, name, request),
        };
        match outcome {
            Ok(()) => {
                body.empty("requestSucceeded", &[("rid", rid)]);
            }
            Err(Failure(code, why)) => errors::request_failed(&mut body, Some(rid), code, &why),
        }
    }
    let sid = sid.unwrap_or_else(|| "0".into());
    let mut out = Out::new();
    out.open("cwaResponses", &[("sid", &sid), ("xmlns", CWA_NS)]);
    let mut s = out.finish();
    s.push_str(&body.finish());
    s.push_str("</cwaResponses>");
    s
}

fn option(node: Option<Node>, name: &str, default: bool) -> bool {
    match node.and_then(|n| attr(n, name)) {
        Some(v) => v.trim().eq_ignore_ascii_case("true"),
        None => default,
    }
}

/// A new session (the `sid` of the request is ignored: a client sends `0` or none). Its first
/// events: selfPresence, the contact list, and with autoSubscribePresenceForContacts a
/// userPresence per contact.
fn initiate(
    g: &mut Inner,
    ctx: &Context,
    cfg: &CwaConfig,
    request: Node,
    rid: &str,
    body: &mut Out,
) -> u64 {
    let options = child(request, "options");
    let auto_machine = option(options, "autoPublishMachineState", true);
    let auto_contacts = option(options, "autoSubscribePresenceForContacts", false);
    let sid = g.cwa.create(ctx.user, auto_machine, ctx.now);
    let contacts = ctx
        .dir
        .get(ctx.user)
        .map(|u| u.contacts.clone())
        .unwrap_or_default();
    if let Some(s) = g.cwa.session_mut(sid, ctx.user) {
        if cfg.initiate_reply == InitiateReply::Elements {
            s.push(CwaEvent::RequestSucceeded(rid.to_string()));
        }
        s.push(CwaEvent::SelfPresence);
        s.push(CwaEvent::ContactGroup);
        if auto_contacts {
            for c in contacts {
                // Contacts outside the directory are watched by URI (their snapshots say so).
                let watched = if ctx.dir.get(&c).is_some() {
                    c
                } else {
                    format!("sip:{c}")
                };
                s.subscriptions.insert(watched.clone());
                s.push(CwaEvent::UserPresence(watched));
            }
        }
    }
    g.recompute(ctx.user, ctx.now);
    let sid_text = sid.to_string();
    let poll = cfg.poll_wait.as_millis().to_string();
    let uri = ctx
        .dir
        .get(ctx.user)
        .map(|u| u.uri.clone())
        .unwrap_or_else(|| format!("sip:{}", ctx.user));
    match cfg.initiate_reply {
        InitiateReply::Elements => {
            body.open("requestAccepted", &[("rid", rid)])
                .leaf("sid", &[], &sid_text)
                .leaf("uri", &[], &uri)
                .leaf("pollWaitTime", &[], &poll)
                .close("requestAccepted");
        }
        InitiateReply::Attributes => {
            body.empty(
                "initiateSessionAccepted",
                &[
                    ("rid", rid),
                    ("sid", &sid_text),
                    ("uri", &uri),
                    ("pollWaitTime", &poll),
                ],
            );
        }
    }
    sid
}

/// One published category, checked before anything is applied (bb969515: all or none).
enum Change {
    Manual(Option<Availability>),
    Machine {
        active: bool,
        location: Option<String>,
    },
    PersonalNote(String),
}

fn publish(g: &mut Inner, ctx: &Context, sid: u64, request: Node) -> Result<(), Failure> {
    let mut changes = Vec::new();
    for category in elements(request) {
        if category.tag_name().name() != "cwaCategory" {
            return Err(invalid("publishSelfPresence holds cwaCategory elements"));
        }
        changes.push(parse_category(category)?);
    }
    if changes.is_empty() {
        return Err(invalid("publishSelfPresence without a cwaCategory"));
    }
    let idle_after = g.cfg.cwa.idle_after;
    for change in changes {
        match change {
            Change::Manual(a) => g.set_manual(ctx.user, a, None, ctx.now),
            Change::PersonalNote(text) => g.set_note(ctx.user, NoteType::Personal, &text, ctx.now),
            Change::Machine { active, location } => {
                if let Some(s) = g.cwa.session_mut(sid, ctx.user) {
                    s.last_active = if active {
                        ctx.now
                    } else {
                        ctx.now.checked_sub(idle_after).unwrap_or(s.last_active)
                    };
                }
                if let Some(l) = location {
                    g.set_location(ctx.user, l, ctx.now);
                }
                g.recompute(ctx.user, ctx.now);
            }
        }
    }
    // The publisher gets its selfPresence even when what others see did not change.
    g.cwa_notify(ctx.user);
    Ok(())
}

fn parse_category(category: Node) -> Result<Change, Failure> {
    match attr(category, "name").map(str::trim) {
        Some("state") => parse_state(category),
        Some("note") => parse_note(category),
        Some(other) => Err(invalid(format!("category {other} cannot be published"))),
        None => Err(invalid("cwaCategory needs a name")),
    }
}

fn parse_state(category: Node) -> Result<Change, Failure> {
    let state = child(category, "state").ok_or_else(|| invalid("state category without state"))?;
    let kind = attr(state, "type").map(|t| t.rsplit(':').next().unwrap_or(t).trim());
    let kind = match kind {
        Some(k) => k.to_string(),
        None => match attr(category, "instanceMask").map(str::trim) {
            Some(USER_STATE_INSTANCE) => "userState".into(),
            Some(MACHINE_STATE_INSTANCE) => "machineState".into(),
            _ => return Err(invalid("state without xsi:type")),
        },
    };
    let availability = match child(state, "availability") {
        Some(n) => {
            let raw = text(n);
            let number = raw
                .parse::<u32>()
                .map_err(|_| Failure(INVALID_FORMAT, format!("availability '{raw}'")))?;
            Some(from_number(number).ok_or_else(|| {
                invalid(format!("availability {number} is in no documented range"))
            })?)
        }
        None => None,
    };
    match kind.as_str() {
        "userState" => {
            let manual =
                attr(state, "manual").is_none_or(|m| !m.trim().eq_ignore_ascii_case("false"));
            let chosen = match (manual, availability) {
                (false, _) => None,
                (true, None) => return Err(invalid("a manual userState needs an availability")),
                (true, Some(a)) => Some(settable(a)?),
            };
            Ok(Change::Manual(chosen))
        }
        "machineState" => {
            let location = match child(state, "endpointLocation") {
                Some(n) => {
                    let l = text(n);
                    if l.chars().count() > MAX_LOCATION {
                        return Err(invalid(format!(
                            "endpointLocation is longer than {MAX_LOCATION} characters"
                        )));
                    }
                    Some(l)
                }
                None => None,
            };
            let active = matches!(availability, None | Some(Availability::Online));
            Ok(Change::Machine { active, location })
        }
        other => Err(invalid(format!(
            "state of type {other} cannot be published"
        ))),
    }
}

/// A manual state the model can hold: idle ranges are the user's choice of the active state.
fn settable(a: Availability) -> Result<Availability, Failure> {
    match a {
        Availability::IdleOnline => Ok(Availability::Online),
        Availability::IdleBusy => Ok(Availability::Busy),
        Availability::Offline => Err(invalid("this server cannot appear offline (18000+)")),
        other => Ok(other),
    }
}

fn parse_note(category: Node) -> Result<Change, Failure> {
    let note = child(category, "note").ok_or_else(|| invalid("note category without note"))?;
    let mut personal = None;
    for body in elements(note).filter(|n| n.tag_name().name() == "body") {
        match attr(body, "type").map(str::trim) {
            None => personal = Some(text(body)),
            Some(t) if t.eq_ignore_ascii_case("personal") => personal = Some(text(body)),
            Some(t) => {
                return Err(invalid(format!(
                    "only the personal note is published, not {t}"
                )))
            }
        }
    }
    let message = personal.unwrap_or_default();
    if message.chars().count() > MAX_NOTE {
        return Err(invalid(format!(
            "the note is longer than {MAX_NOTE} characters"
        )));
    }
    Ok(Change::PersonalNote(message))
}

/// subscribePresence, unSubscribePresence, queryPresence over `<uris><uri>…</uri></uris>`.
fn presence_request(
    g: &mut Inner,
    ctx: &Context,
    cfg: &CwaConfig,
    sid: u64,
    name: &str,
    request: Node,
) -> Result<(), Failure> {
    let uris = child(request, "uris").ok_or_else(|| invalid(format!("{name} needs uris")))?;
    let raw: Vec<String> = elements(uris)
        .filter(|n| n.tag_name().name() == "uri")
        .map(text)
        .filter(|u| !u.is_empty())
        .collect();
    if raw.is_empty() {
        return Err(invalid(format!("{name} needs at least one uri")));
    }
    if raw.len() > cfg.max_uris {
        return Err(invalid(format!(
            "at most {} uris per request",
            cfg.max_uris
        )));
    }
    let mut keys = Vec::new();
    for uri in raw {
        if uri.chars().count() > MAX_URI {
            return Err(invalid(format!(
                "a uri is longer than {MAX_URI} characters"
            )));
        }
        let key = normalize_uri(&uri).filter(|k| ctx.dir.get(k).is_some());
        keys.push(key.unwrap_or(uri));
    }
    let Some(session) = g.cwa.session_mut(sid, ctx.user) else {
        return Err(Failure(
            errors::SESSION_NOT_FOUND,
            "Session not found".into(),
        ));
    };
    for key in keys {
        match name {
            "unSubscribePresence" => {
                session.subscriptions.remove(&key);
            }
            "subscribePresence" => {
                session.subscriptions.insert(key.clone());
                session.push(CwaEvent::UserPresence(key));
            }
            _ => session.push(CwaEvent::UserPresence(key)),
        }
    }
    Ok(())
}

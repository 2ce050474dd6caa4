//! The HTTP fuzzer's model: a short session of requests against a fresh reference server, sent
//! in-process through its axum router (tower's `oneshot`) on a paused tokio clock, so held
//! requests (P-GETs, the CWA data channel, injected delays) answer at once and every branch
//! the server takes is covered. The properties: no request panics, none gets a 5xx unless a
//! fault was injected before it in the session, and every response is well formed (a body that
//! completes and matches its `Content-Length`, JSON or XML that parses where the
//! `Content-Type` says so).

use std::net::SocketAddr;

use arbitrary::Arbitrary;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ucwa_presence::protocol::cwa2007::{encode_logon, encode_requests, Request as Cwa};

/// At most this many requests per session (beyond the sign-in prologue).
pub const MAX_CALLS: usize = 8;

#[derive(Arbitrary, Debug)]
pub struct Session {
    pub calls: Vec<Call>,
}

#[derive(Arbitrary, Debug)]
pub struct Call {
    method: Method,
    path: Path,
    credential: Credential,
    headers: Vec<(Header, String)>,
    body: Payload,
}

#[derive(Arbitrary, Debug)]
enum Method {
    Get,
    Post,
    Put,
    Delete,
    Options,
    Head,
    Patch,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Path {
    Known(u8),
    KnownWithTail(u8, String),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Credential {
    None,
    /// The session's bearer token (UCWA) and CWA ticket.
    Valid,
    Garbage(String),
}

#[derive(Arbitrary, Debug)]
enum Header {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Payload {
    Empty,
    Known(u8),
    /// A known body with `text` inserted at `at` (a byte offset, moved to a char boundary).
    Spliced(u8, u16, String),
    Raw(Vec<u8>),
}

/// `{app}` is the session's application, `{sid}` its CWA session id (from a reply, if any).
const PATHS: &[&str] = &[
    "/autodiscover/autodiscoverservice.svc/root",
    "/Autodiscover/AutodiscoverService.svc/root/oauth/user",
    "/autodiscover/autodiscoverservice.svc/root/user",
    "/autodiscover/autodiscoverservice.svc/root/oauth/user/redirect",
    "/Autodiscover/XFrame/XFrame.html",
    "/WebTicket/oauthtoken",
    "/ucwa/oauth/v1/applications",
    "{app}",
    "{app}/policies",
    "{app}/communication",
    "{app}/batch",
    "{app}/events",
    "{app}/events?ack=1",
    "{app}/events?ack=2&timeout=1",
    "{app}/me",
    "{app}/me/makeMeAvailable",
    "{app}/me/presence",
    "{app}/me/note",
    "{app}/me/location",
    "{app}/me/reportMyActivity",
    "{app}/people",
    "{app}/people/contacts",
    "{app}/people/groups",
    "{app}/people/search?query=sara&limit=5",
    "{app}/people/subscribedContacts",
    "{app}/people/presenceSubscriptions",
    "{app}/people/presenceSubscriptions/1",
    "{app}/people/presenceSubscriptions/1?duration=20",
    "{app}/people/presenceSubscriptionMemberships",
    "{app}/people/presenceSubscriptionMemberships/1",
    "{app}/people/sarad@contoso.com",
    "{app}/people/sarad@contoso.com/presence",
    "{app}/people/sarad@contoso.com/note",
    "{app}/people/sarad@contoso.com/location",
    "{app}/photos/sarad@contoso.com",
    "/forms/logon.html",
    "/iwa/logon.html",
    "/cwa/MainCommandHandler.ashx",
    "/cwa/AsyncDataChannel.ashx?sid={sid}&ackId=1",
    "/cwa/AsyncDataChannel.ashx?sid={sid}&ackId=2&UA=true",
    "/_control/users/sip:sarad@contoso.com/presence",
    "/_control/users/sip:sarad@contoso.com/note",
    "/_control/users/sip:sarad@contoso.com/location",
    "/_control/users/sip:sarad@contoso.com/photo",
    "/_control/users/sip:dana@contoso.com/end-applications",
    "/_control/expire",
    "/_control/faults",
    "/_control/stats",
    "/_control/requests",
    "/_control/cwa/expire",
    "/_control/cwa/renew-tickets",
    "/_control/cwa/sessions",
];

const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/json"),
    ("content-type", "application/vnd.microsoft.com.ucwa+json"),
    (
        "content-type",
        "application/x-www-form-urlencoded;charset=UTF-8",
    ),
    ("content-type", "multipart/batching;boundary=b"),
    ("content-type", "text/xml; charset=utf-8"),
    ("accept", "application/json"),
    ("origin", "http://localhost:8080"),
    ("x-ms-origin", "http://localhost:8080"),
    ("access-control-request-method", "POST"),
    (
        "access-control-request-headers",
        "authorization,content-type",
    ),
    ("if-none-match", "\"1\""),
    ("cookie", "cwt_ucwa=x"),
    ("referer", "http://localhost:8080/"),
    ("x-requested-with", "XMLHttpRequest"),
    ("cwa-ticket", "x"),
];

/// The bodies the server's routes read, each well formed (`{sid}` as in [`PATHS`]).
fn known_bodies() -> Vec<String> {
    let uris = [
        "sip:sarad@contoso.com".to_string(),
        "sip:nobody@example.com".to_string(),
    ];
    let cwa = |request: Cwa<'_>| encode_requests("{sid}", &[(1, request)]);
    vec![
        r#"{"UserAgent":"fuzz","EndpointId":"e1","Culture":"en-US"}"#.into(),
        r#"{"SupportedModalities":["Messaging"]}"#.into(),
        r#"{"availability":"Busy"}"#.into(),
        r#"{"message":"hi","type":"OutOfOffice"}"#.into(),
        r#"{"location":"Office"}"#.into(),
        r#"{"duration":11,"uris":["sip:sarad@contoso.com","sip:maxs@contoso.com"]}"#.into(),
        r#"{"contactUris":["sip:chrisb@contoso.com"]}"#.into(),
        r#"{"status":503,"count":2,"path_contains":"/events"}"#.into(),
        r#"{"delay_ms":5000,"count":1}"#.into(),
        r#"{"drop_pgets":1}"#.into(),
        r#"{"close":1,"path_contains":"/me"}"#.into(),
        "grant_type=password&username=dana@contoso.com&password=demo".into(),
        "grant_type=urn:microsoft.rtc:windows".into(),
        "--b\r\nContent-Type: application/http; msgtype=request\r\n\r\nGET {app}/me HTTP/1.1\r\nHost: localhost\r\n\r\n--b\r\nContent-Type: application/http; msgtype=request\r\n\r\nGET {app}/people/sarad@contoso.com/presence HTTP/1.1\r\nHost: localhost\r\n\r\n--b--\r\n".into(),
        encode_logon(Some("dana@contoso.com"), Some("demo")),
        cwa(Cwa::InitiateSession {
            user_state_availability: 3500,
            auto_publish_machine_state: true,
            auto_subscribe_contacts: true,
        }),
        cwa(Cwa::PublishUserState {
            availability: Some(6500),
        }),
        cwa(Cwa::PublishMachineState {
            availability: 3500,
            location: Some("Home"),
        }),
        cwa(Cwa::PublishNote { message: "note" }),
        cwa(Cwa::SubscribePresence { uris: &uris }),
        cwa(Cwa::QueryPresence { uris: &uris }),
        cwa(Cwa::UnsubscribePresence { uris: &uris }),
        cwa(Cwa::TerminateSession),
    ]
}

/// What a session carries from one request to the next.
struct Context {
    app: String,
    token: String,
    ticket: String,
    sid: String,
    faults_injected: bool,
    bodies: Vec<String>,
}

impl Context {
    fn fill(&self, template: &str) -> String {
        template
            .replace("{app}", &self.app)
            .replace("{sid}", &self.sid)
    }
}

/// Runs one session on a fresh server; panics when a property fails.
pub async fn run(session: Session) {
    let config = ucwa_server::Config {
        control: true,
        log_requests: false,
        ..ucwa_server::Config::default()
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], 8090));
    let server = ucwa_server::app(config, addr).expect("the built-in directory loads");
    let app = server.router();
    let mut cx = Context {
        app: String::new(),
        token: String::new(),
        ticket: String::new(),
        sid: "0".into(),
        faults_injected: false,
        bodies: known_bodies(),
    };
    sign_in(&app, &mut cx).await;
    for call in session.calls.into_iter().take(MAX_CALLS) {
        let Some(request) = build(&call, &cx) else {
            continue;
        };
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let response = app
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        check(&method, &path, response, &mut cx).await;
    }
}

/// The prologue every session starts from: a bearer token and an application for Dana, and a
/// CWA ticket (so that the fuzzer's requests get past sign-in).
async fn sign_in(app: &axum::Router, cx: &mut Context) {
    let send = |request: Request<Body>| app.clone().oneshot(request);
    let token = send(post(
        "/WebTicket/oauthtoken",
        "application/x-www-form-urlencoded",
        "grant_type=password&username=dana@contoso.com&password=demo",
    ))
    .await
    .unwrap_or_else(|e| match e {});
    let token = json_body(token).await;
    cx.token = token["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut request = post(
        "/ucwa/oauth/v1/applications",
        "application/json",
        r#"{"UserAgent":"fuzz","EndpointId":"fuzz","Culture":"en-US"}"#,
    );
    insert(
        &mut request,
        "authorization",
        &format!("Bearer {}", cx.token),
    );
    let application = json_body(send(request).await.unwrap_or_else(|e| match e {})).await;
    cx.app = application["_links"]["self"]["href"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let logon = encode_logon(Some("dana@contoso.com"), Some("demo"));
    let reply = send(post("/forms/logon.html", "text/xml", &logon))
        .await
        .unwrap_or_else(|e| match e {});
    cx.ticket = reply
        .headers()
        .get("cwa-ticket")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        !cx.token.is_empty() && !cx.app.is_empty() && !cx.ticket.is_empty(),
        "sign-in failed: token {:?}, application {:?}, ticket {:?}",
        cx.token,
        cx.app,
        cx.ticket
    );
}

fn post(path: &str, content_type: &str, body: &str) -> Request<Body> {
    let mut request = Request::new(Body::from(body.to_string()));
    *request.method_mut() = axum::http::Method::POST;
    *request.uri_mut() = path.parse().expect("a fixed path");
    insert(&mut request, "content-type", content_type);
    request
}

fn insert(request: &mut Request<Body>, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        request.headers_mut().append(name, value);
    }
}

async fn json_body(response: Response<Body>) -> serde_json::Value {
    let bytes = response.into_body().collect().await.map(|b| b.to_bytes());
    bytes
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn pick<T: Copy>(list: &[T], index: u8) -> T {
    list[usize::from(index) % list.len()]
}

/// The request `call` describes, or `None` when its method, URI or body cannot be one.
fn build(call: &Call, cx: &Context) -> Option<Request<Body>> {
    let method = match &call.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
        Method::Options => "OPTIONS",
        Method::Head => "HEAD",
        Method::Patch => "PATCH",
        Method::Other(name) => name,
    };
    let path = match &call.path {
        Path::Known(i) => cx.fill(pick(PATHS, *i)),
        Path::KnownWithTail(i, tail) => cx.fill(pick(PATHS, *i)) + tail,
        Path::Raw(raw) => raw.clone(),
    };
    let body: Vec<u8> = match &call.body {
        Payload::Empty => Vec::new(),
        Payload::Known(i) => cx
            .fill(&cx.bodies[usize::from(*i) % cx.bodies.len()])
            .into(),
        Payload::Spliced(i, at, text) => {
            let mut body = cx.fill(&cx.bodies[usize::from(*i) % cx.bodies.len()]);
            let mut at = usize::from(*at) % (body.len() + 1);
            while !body.is_char_boundary(at) {
                at -= 1;
            }
            body.insert_str(at, text);
            body.into()
        }
        Payload::Raw(bytes) => bytes.clone(),
    };
    let mut request = Request::builder()
        .method(axum::http::Method::from_bytes(method.as_bytes()).ok()?)
        .uri(path)
        .body(Body::from(body))
        .ok()?;
    match &call.credential {
        Credential::None => {}
        Credential::Valid => {
            insert(
                &mut request,
                "authorization",
                &format!("Bearer {}", cx.token),
            );
            insert(&mut request, "cwa-ticket", &cx.ticket);
        }
        Credential::Garbage(value) => {
            insert(&mut request, "authorization", value);
            insert(&mut request, "cwa-ticket", value);
        }
    }
    for (header, value) in call.headers.iter().take(6) {
        match header {
            Header::Known(i) => {
                let (name, known) = pick(HEADERS, *i);
                insert(
                    &mut request,
                    name,
                    if value.is_empty() { known } else { value },
                );
            }
            Header::Raw(name) => insert(&mut request, name, value),
        }
    }
    Some(request)
}

/// The properties of one response; keeps what later requests need (the CWA sid, the ticket).
async fn check(
    method: &axum::http::Method,
    path: &str,
    response: Response<Body>,
    cx: &mut Context,
) {
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().map(str::to_string))
    };
    let content_type = header("content-type")
        .and_then(Result::ok)
        .unwrap_or_default();
    let length = header("content-length").and_then(Result::ok);
    if let Some(Ok(ticket)) = header("cwa-ticket") {
        cx.ticket = ticket;
    }
    let injected = cx.faults_injected;
    if path.starts_with("/_control/faults") && status.is_success() {
        cx.faults_injected = true;
    }
    assert!(
        injected || !status.is_server_error(),
        "{method} {path}: {status} without an injected fault"
    );
    let body = match response.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            assert!(injected, "{method} {path}: {status}, the body failed: {e}");
            return;
        }
    };
    if let Some(length) = length.filter(|_| method != axum::http::Method::HEAD) {
        assert_eq!(
            length.parse::<usize>().ok(),
            Some(body.len()),
            "{method} {path}: {status}, Content-Length {length}"
        );
    }
    if body.is_empty() || status == StatusCode::NOT_MODIFIED {
        return;
    }
    let text = std::str::from_utf8(&body);
    if content_type.contains("json") {
        let parsed = serde_json::from_slice::<serde_json::Value>(&body);
        assert!(
            parsed.is_ok(),
            "{method} {path}: {status} {content_type} body is not JSON: {text:?}"
        );
    } else if content_type.contains("xml") {
        let text = text.unwrap_or_else(|_| panic!("{method} {path}: XML that is not UTF-8"));
        let doc = roxmltree::Document::parse(text);
        assert!(
            doc.is_ok(),
            "{method} {path}: {status} XML body {text:?}: {doc:?}"
        );
        if let Some(sid) = doc.ok().and_then(|d| {
            d.descendants()
                .find_map(|n| n.attribute("sid").map(str::to_string))
        }) {
            cx.sid = sid;
        }
    }
}

//! Connecting: autodiscover → user → 401 MsRtcOAuth → token → POST applications →
//! makeMeAvailable (AuthenticationInUCWA, CreateAnApplication, makeMeAvailable_ref).

use leptos::prelude::*;
use std::rc::Rc;

use super::http::Method;
use wasm_bindgen::{JsCast, JsValue};

use super::http::{Body, Reply};
use super::links::AppLinks;
use super::session::{Outcome, Session};
use super::store::{Connection, MeView};
use crate::protocol::auth::{parse_www_authenticate, password_grant_body, OAuthChallenge, TokenResponse};
use crate::protocol::error::{classify, Failure, Recovery, RequestContext};
use crate::protocol::fields::FromJson;
use crate::protocol::json::ObjectWriter;
use crate::protocol::resources::{Application, Me, Root, User};
use crate::protocol::url::resolve;

const USER_AGENT: &str = concat!("ucwa-presence/", env!("CARGO_PKG_VERSION"));

/// Turns a failed request into what the session should do next.
pub(crate) fn outcome(failure: &Failure, context: RequestContext, diagnostics: Option<&str>) -> Outcome {
    match failure {
        Failure::Network(_) => Outcome::RecreateApplication,
        Failure::Http(err) => match classify(err, context, diagnostics) {
            Recovery::Reauthenticate => Outcome::Reauthenticate,
            Recovery::Stop(reason) => Outcome::Stop(reason),
            Recovery::Fail(reason) => Outcome::Stop(reason),
            _ => Outcome::RecreateApplication,
        },
    }
}

fn reply_outcome(reply: &Reply, context: RequestContext) -> Outcome {
    outcome(&reply.failure(), context, reply.diagnostics.as_deref())
}

fn parse<T: FromJson>(reply: &Reply, what: &str) -> Result<T, Outcome> {
    T::parse(&reply.body).map_err(|e| {
        Outcome::Stop(format!("the server's {what} is not valid UCWA JSON ({})", e.reason))
    })
}

impl Session {
    pub(crate) async fn connect(self: &Rc<Self>) -> Result<(), Outcome> {
        let root_url = self.config.autodiscover.clone();
        self.http.trust_origin_of(&root_url);
        let reply = self.http.get(&root_url).await.map_err(|_| {
            Outcome::RecreateApplication
        })?;
        if !reply.is_success() {
            return Err(reply_outcome(&reply, RequestContext::Other));
        }
        let root: Root = parse(&reply, "autodiscover answer")?;
        let user_url = root
            .links
            .url("user", &root_url)
            .ok_or_else(|| Outcome::Stop("the autodiscover answer has no user link".into()))?;
        self.http.trust_origin_of(&user_url);

        let user = self.sign_in(&user_url).await?;
        let applications = user
            .links
            .url("applications", &user_url)
            .ok_or_else(|| Outcome::Stop("the user resource has no applications link".into()))?;
        self.http.trust_origin_of(&applications);

        // Members in the order serde_json wrote them before (sorted), so requests stay the same.
        let body = ObjectWriter::new()
            .string("Culture", &self.config.culture)
            .string("EndpointId", &self.endpoint_id)
            .string("UserAgent", USER_AGENT)
            .string("instanceId", &self.instance_id)
            .finish();
        let reply = self.http.post_json(&applications, body).await.map_err(|_| Outcome::RecreateApplication)?;
        if !reply.is_success() {
            return Err(reply_outcome(&reply, RequestContext::Other));
        }
        let app: Application = parse(&reply, "application")?;
        let mut links = AppLinks::from_application(&app, &applications)
            .ok_or_else(|| Outcome::Stop("the application has no self or events link".into()))?;
        if let Some(me) = &app.embedded.me {
            self.store.me.update(|m| {
                m.uri = me.uri.clone();
                m.name = me.name.clone();
            });
        }

        if let Some(mma) = links.make_me_available.clone() {
            let body = r#"{"SupportedModalities":["Messaging"]}"#.to_owned();
            let reply = self.http.post_json(&mma, body).await.map_err(|_| Outcome::RecreateApplication)?;
            if !reply.is_success() {
                match classify(&reply.error(), RequestContext::MakeMeAvailable, reply.diagnostics.as_deref()) {
                    Recovery::AlreadyDone => {}
                    _ => return Err(reply_outcome(&reply, RequestContext::MakeMeAvailable)),
                }
            }
        }
        // After makeMeAvailable, `me` gains presence / reportMyActivity links.
        if let Some(me_url) = links.me.clone() {
            if let Ok(reply) = self.http.get(&me_url).await {
                if reply.is_success() {
                    if let Ok(me) = Me::parse(&reply.body) {
                        links.my_presence = me.links.url("presence", &me_url).or(links.my_presence);
                        links.report_activity = me.links.url("reportMyActivity", &me_url).or(links.report_activity);
                        self.store.me.update(|m| {
                            m.uri = me.uri.clone().or(m.uri.take());
                            m.name = me.name.clone().or(m.name.take());
                        });
                    }
                } else if reply.status == 404 || reply.status == 401 {
                    return Err(reply_outcome(&reply, RequestContext::Other));
                }
            }
        }
        self.app.replace(Some(links));
        Ok(())
    }

    /// GET user; on 401 MsRtcOAuth obtain a token and try again.
    async fn sign_in(self: &Rc<Self>, user_url: &str) -> Result<User, Outcome> {
        for _ in 0..3 {
            let reply = self.http.get(user_url).await.map_err(|_| Outcome::RecreateApplication)?;
            if reply.is_success() {
                return parse(&reply, "user resource");
            }
            if reply.status != 401 {
                return Err(reply_outcome(&reply, RequestContext::Other));
            }
            let challenge = reply
                .www_authenticate
                .as_deref()
                .and_then(parse_www_authenticate)
                .ok_or_else(|| {
                    Outcome::Stop(
                        "the server asked for a sign-in this widget cannot do (no MsRtcOAuth challenge; is WWW-Authenticate exposed to this origin?)"
                            .into(),
                    )
                })?;
            let token = self.obtain_token(user_url, &challenge).await?;
            self.http.set_authorization(Some(token));
        }
        Err(Outcome::Stop("the server keeps refusing the sign-in token".into()))
    }

    async fn obtain_token(&self, user_url: &str, challenge: &OAuthChallenge) -> Result<String, Outcome> {
        if let Some(token) = host_token().await? {
            return Ok(token);
        }
        if !challenge.grant_types.is_empty() && !challenge.grant_types.iter().any(|g| g == "password") {
            return Err(Outcome::Stop(
                "the server does not accept password sign-in; the page must provide window.ucwaPresence.getToken".into(),
            ));
        }
        let token_url = resolve(user_url, &challenge.token_url);
        self.http.trust_origin_of(&token_url);
        let mut error = None;
        loop {
            let (tx, rx) = futures_channel::oneshot::channel();
            self.credentials.replace(Some(tx));
            self.store.set_connection(Connection::SignInRequired { error: error.take() });
            let Ok((username, password)) = rx.await else {
                return Err(Outcome::Stop("sign-in was cancelled".into()));
            };
            self.store.set_connection(Connection::Connecting);
            let body = Body::Form(password_grant_body(username.trim(), &password));
            match self.http.send(Method::Post, &token_url, body).await {
                Ok(reply) if reply.is_success() => match TokenResponse::parse(&reply.body) {
                    Ok(token) => {
                        self.store.me.update(|m| *m = MeView::default());
                        return Ok(token.authorization());
                    }
                    Err(_) => error = Some("The sign-in service answered something unexpected.".to_owned()),
                },
                Ok(reply) if reply.status == 400 || reply.status == 401 => {
                    error = Some("That user name or password was not accepted.".to_owned())
                }
                Ok(reply) => error = Some(format!("Sign-in failed (HTTP {}). Try again.", reply.status)),
                Err(_) => error = Some("The sign-in service cannot be reached.".to_owned()),
            }
        }
    }
}

/// `window.ucwaPresence.getToken()` when the page provides it: a string or a promise of one,
/// `"cwt=…"` or `"Bearer cwt=…"`.
async fn host_token() -> Result<Option<String>, Outcome> {
    let Some(window) = web_sys::window() else { return Ok(None) };
    let Ok(global) = js_sys::Reflect::get(&window, &JsValue::from_str("ucwaPresence")) else { return Ok(None) };
    if !global.is_object() {
        return Ok(None);
    }
    let Ok(hook) = js_sys::Reflect::get(&global, &JsValue::from_str("getToken")) else { return Ok(None) };
    let Some(hook) = hook.dyn_ref::<js_sys::Function>() else { return Ok(None) };
    let stop = |what: &str| Outcome::Stop(format!("window.ucwaPresence.getToken {what}"));
    let value = hook.call0(&global).map_err(|_| stop("threw an error"))?;
    let value = if value.has_type::<js_sys::Promise>() {
        wasm_bindgen_futures::JsFuture::from(value.unchecked_into::<js_sys::Promise>())
            .await
            .map_err(|_| stop("rejected"))?
    } else {
        value
    };
    let token = value.as_string().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let token = token.ok_or_else(|| stop("did not return a token string"))?;
    if token.contains(['\r', '\n']) {
        return Err(stop("returned a token with line breaks"));
    }
    Ok(Some(if token.to_ascii_lowercase().starts_with("bearer ") { token } else { format!("Bearer {token}") }))
}

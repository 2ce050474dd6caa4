//! Connecting: autodiscover → user → 401 MsRtcOAuth → token → POST applications →
//! makeMeAvailable (AuthenticationInUCWA, CreateAnApplication, makeMeAvailable_ref).

use leptos::prelude::*;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use super::http::{Body, Method, Reply};
use super::links::AppLinks;
use super::session::Session;
use super::store::{Connection, MeView};
use crate::protocol::auth::{
    parse_www_authenticate, password_grant_body, OAuthChallenge, TokenResponse,
};
use crate::protocol::failure::{decide, Action, Failure, Reason, Step};
use crate::protocol::fields::FromJson;
use crate::protocol::json::ObjectWriter;
use crate::protocol::resources::{Application, Me, Root, User};
use crate::protocol::url::resolve;

const USER_AGENT: &str = concat!("ucwa-presence/", env!("CARGO_PKG_VERSION"));

/// A step that failed, and what the failure policy says to do about it.
pub(crate) type Failed = (Step, Action);

fn failed(step: Step, failure: &Failure) -> Failed {
    (step, decide(step, failure))
}

/// The session cannot go on, for a reason the client words itself.
fn stop(step: Step, text: &str) -> Failed {
    (step, Action::Stop(Reason::Client(text.to_owned())))
}

fn parse<T: FromJson>(step: Step, reply: &Reply) -> Result<T, Failed> {
    T::parse(&reply.body).map_err(|e| failed(step, &Failure::Parse(e)))
}

impl Session {
    /// One request of `step`: the reply when it succeeded, else the policy's action.
    pub(crate) async fn call(
        &self,
        step: Step,
        method: Method,
        url: &str,
        body: Body,
    ) -> Result<Reply, Failed> {
        match self.http.send(method, url, body).await {
            Ok(reply) if reply.is_success() => Ok(reply),
            Ok(reply) => Err(failed(step, &reply.failure())),
            Err(failure) => Err(failed(step, &failure)),
        }
    }

    pub(crate) async fn connect(self: &Rc<Self>) -> Result<(), Failed> {
        let root_url = self.config.autodiscover.clone();
        self.http.trust_origin_of(&root_url);
        let reply = self
            .call(Step::Discover, Method::Get, &root_url, Body::None)
            .await?;
        let root: Root = parse(Step::Discover, &reply)?;
        if let Some(xframe) = root.links.url("xframe", &root_url) {
            self.http.learn_xframe(&xframe);
        }
        let user_url = root
            .links
            .url("user", &root_url)
            .ok_or_else(|| stop(Step::Discover, "the autodiscover answer has no user link"))?;
        self.http.trust_origin_of(&user_url);
        self.user_url.replace(Some(user_url.clone()));

        let user = self.sign_in(&user_url).await?;
        if let Some(xframe) = user.links.url("xframe", &user_url) {
            self.http.learn_xframe(&xframe);
        }
        let applications = user
            .links
            .url("applications", &user_url)
            .ok_or_else(|| stop(Step::GetUser, "the user resource has no applications link"))?;
        self.http.trust_origin_of(&applications);

        // Members in the order serde_json wrote them before (sorted), so requests stay the same.
        let body = ObjectWriter::new()
            .string("Culture", &self.config.culture)
            .string("EndpointId", &self.endpoint_id)
            .string("UserAgent", USER_AGENT)
            .string("instanceId", &self.instance_id)
            .finish();
        let reply = self
            .call(
                Step::CreateApplication,
                Method::Post,
                &applications,
                Body::Json(body),
            )
            .await?;
        let app: Application = parse(Step::CreateApplication, &reply)?;
        let mut links = AppLinks::from_application(&app, &applications).ok_or_else(|| {
            stop(
                Step::CreateApplication,
                "the application has no self or events link",
            )
        })?;
        if let Some(me) = &app.embedded.me {
            self.store.me.update(|m| {
                m.uri = me.uri.clone();
                m.name = me.name.clone();
            });
        }
        if let Some(url) = links.make_me_available.clone() {
            self.make_me_available(&url).await?;
        }
        // After makeMeAvailable, `me` gains presence / reportMyActivity links.
        if let Some(me_url) = links.me.clone() {
            match self
                .call(Step::ReadMe, Method::Get, &me_url, Body::None)
                .await
            {
                Ok(reply) => {
                    if let Ok(me) = Me::parse(&reply.body) {
                        links.my_presence = me.links.url("presence", &me_url).or(links.my_presence);
                        links.report_activity = me
                            .links
                            .url("reportMyActivity", &me_url)
                            .or(links.report_activity);
                        self.store.me.update(|m| {
                            m.uri = me.uri.clone().or(m.uri.take());
                            m.name = me.name.clone().or(m.name.take());
                        });
                    }
                }
                // The session needs these; without `me` it goes on with the application's links.
                Err(
                    failed @ (_, Action::SignIn | Action::RecreateApplication | Action::Stop(_)),
                ) => return Err(failed),
                Err(_) => {}
            }
        }
        self.adopt_application(links);
        Ok(())
    }

    /// `POST makeMeAvailable`; done already (409 AlreadyExists) counts as done.
    pub(crate) async fn make_me_available(&self, url: &str) -> Result<(), Failed> {
        let body = Body::Json(r#"{"SupportedModalities":["Messaging"]}"#.to_owned());
        match self
            .call(Step::MakeMeAvailable, Method::Post, url, body)
            .await
        {
            Ok(_) | Err((_, Action::Proceed)) => Ok(()),
            Err(failed) => Err(failed),
        }
    }

    /// GET user; on 401 MsRtcOAuth obtain a token and try again. A 401 to a token we already
    /// hold is a refusal: the caller's backoff counts it and signs in again later.
    async fn sign_in(self: &Rc<Self>, user_url: &str) -> Result<User, Failed> {
        loop {
            let reply = self
                .http
                .send(Method::Get, user_url, Body::None)
                .await
                .map_err(|f| failed(Step::GetUser, &f))?;
            if reply.is_success() {
                return parse(Step::GetUser, &reply);
            }
            match decide(Step::GetUser, &reply.failure()) {
                // Without a token this 401 is the MsRtcOAuth challenge: answer it.
                Action::SignIn if !self.http.has_authorization() => {}
                action => return Err((Step::GetUser, action)),
            }
            let challenge = reply
                .www_authenticate
                .as_deref()
                .and_then(parse_www_authenticate)
                .ok_or_else(|| {
                    stop(
                        Step::GetUser,
                        "the server asked for a sign-in this widget cannot do (no MsRtcOAuth challenge; is WWW-Authenticate exposed to this origin?)",
                    )
                })?;
            let token = self.obtain_token(user_url, &challenge).await?;
            self.http.set_authorization(Some(token));
        }
    }

    /// The token after a 401 on the event channel (or another request): sign in again and keep
    /// the application, its subscriptions and the channel's position.
    pub(crate) async fn sign_in_again(self: &Rc<Self>) -> Result<(), Failed> {
        self.http.set_authorization(None);
        let Some(user_url) = self.user_url.borrow().clone() else {
            return Err((Step::GetUser, Action::RecreateApplication));
        };
        self.sign_in(&user_url).await?;
        // Subscription requests refused meanwhile are pending again.
        self.schedule_sync();
        Ok(())
    }

    async fn obtain_token(
        &self,
        user_url: &str,
        challenge: &OAuthChallenge,
    ) -> Result<String, Failed> {
        if let Some(token) = host_token().await? {
            return Ok(token);
        }
        if !challenge.grant_types.is_empty()
            && !challenge.grant_types.iter().any(|g| g == "password")
        {
            return Err((Step::Token, Action::Stop(Reason::PasswordGrantUnsupported)));
        }
        let token_url = resolve(user_url, &challenge.token_url);
        self.http.trust_origin_of(&token_url);
        let mut error = None;
        loop {
            let (tx, rx) = futures_channel::oneshot::channel();
            self.credentials.replace(Some(tx));
            self.store.set_connection(Connection::SignInRequired {
                error: error.take(),
            });
            let Ok((username, password)) = rx.await else {
                return Err(stop(Step::Token, "sign-in was cancelled"));
            };
            self.store.set_connection(Connection::Connecting);
            let body = Body::Form(password_grant_body(username.trim(), &password));
            let failure = match self.http.send(Method::Post, &token_url, body).await {
                Ok(reply) if reply.is_success() => match TokenResponse::parse(&reply.body) {
                    Ok(token) => {
                        self.store.me.update(|m| *m = MeView::default());
                        return Ok(token.authorization());
                    }
                    Err(e) => Failure::Parse(e),
                },
                Ok(reply) => reply.failure(),
                Err(failure) => failure,
            };
            match decide(Step::Token, &failure) {
                Action::AskCredentials(reason) => error = Some(reason.message()),
                action => return Err((Step::Token, action)),
            }
        }
    }
}

/// `window.ucwaPresence.getToken()` when the page provides it: a string or a promise of one,
/// `"cwt=…"` or `"Bearer cwt=…"`.
async fn host_token() -> Result<Option<String>, Failed> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let Ok(global) = js_sys::Reflect::get(&window, &JsValue::from_str("ucwaPresence")) else {
        return Ok(None);
    };
    if !global.is_object() {
        return Ok(None);
    }
    let Ok(hook) = js_sys::Reflect::get(&global, &JsValue::from_str("getToken")) else {
        return Ok(None);
    };
    let Some(hook) = hook.dyn_ref::<js_sys::Function>() else {
        return Ok(None);
    };
    let stop = |what: &str| stop(Step::Token, &format!("window.ucwaPresence.getToken {what}"));
    let value = hook.call0(&global).map_err(|_| stop("threw an error"))?;
    let value = if value.has_type::<js_sys::Promise>() {
        wasm_bindgen_futures::JsFuture::from(value.unchecked_into::<js_sys::Promise>())
            .await
            .map_err(|_| stop("rejected"))?
    } else {
        value
    };
    let token = value
        .as_string()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let token = token.ok_or_else(|| stop("did not return a token string"))?;
    if token.contains(['\r', '\n']) {
        return Err(stop("returned a token with line breaks"));
    }
    Ok(Some(if token.to_ascii_lowercase().starts_with("bearer ") {
        token
    } else {
        format!("Bearer {token}")
    }))
}

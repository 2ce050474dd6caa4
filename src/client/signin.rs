//! Connecting: autodiscover → user (→ redirect → the home pool's user) → 401 MsRtcOAuth →
//! token (the page's hook, Windows sign-in or the password form) → POST applications →
//! makeMeAvailable (AuthenticationInUCWA, CreateAnApplication, redirect_ref, makeMeAvailable_ref).

use leptos::prelude::*;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use super::http::{Body, Method, Reply};
use super::links::AppLinks;
use super::session::Session;
use super::store::{Connection, MeView, Store};
use crate::protocol::auth::{
    parse_www_authenticate, password_grant_body, OAuthChallenge, TokenResponse,
};
use crate::protocol::discovery::{token_url, user_next, Hops, UserNext};
use crate::protocol::failure::{decide, Action, Failure, Reason, Step};
use crate::protocol::fields::FromJson;
use crate::protocol::grant::{grant_order, windows_failure, Grant, WINDOWS_GRANT_BODY};
use crate::protocol::hal::Links;
use crate::protocol::json::ObjectWriter;
use crate::protocol::resources::{Application, Me, Root, User};

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
        // What the user typed into the form lives here, for this one connection only, so that
        // a redirect to the home pool (whose own challenge asks for a token again) does not
        // ask the user twice. It is dropped when `connect` returns, and never stored.
        let mut typed = None;
        // With `data-domain`: the internal root, and when that fails the external one (as
        // Microsoft's samples do).
        let mut root_url = self.config.autodiscover.clone();
        let first = self
            .call(Step::Discover, Method::Get, &root_url, Body::None)
            .await;
        let reply = match (first, &self.config.fallback_autodiscover) {
            (Err(_), Some(fallback)) => {
                root_url = fallback.clone();
                self.call(Step::Discover, Method::Get, &root_url, Body::None)
                    .await?
            }
            (first, _) => first?,
        };
        let root: Root = parse(Step::Discover, &reply)?;
        self.learn_xframe_of(&root.links, &root_url);
        let user_url = root
            .links
            .url("user", &root_url)
            .ok_or_else(|| stop(Step::Discover, "the autodiscover answer has no user link"))?;
        let applications = self.home_user(user_url, &mut typed).await?;

        // Members in the order serde_json wrote them before (sorted), so requests stay the same.
        let body = ObjectWriter::new()
            .string("Culture", &self.config.culture)
            .string("EndpointId", &self.endpoint_id)
            .string("UserAgent", USER_AGENT)
            .string("instanceId", &self.instance_id)
            .finish();
        // `applications` may live on another host than `user`: then that host's own challenge
        // gives its own token.
        let reply = self
            .authorized(
                Step::CreateApplication,
                Method::Post,
                &applications,
                Body::Json(body),
                &mut typed,
            )
            .await?;
        drop(typed);
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
                        links.adopt_me(&me, &me_url);
                        let photo = links.my_photo.clone();
                        self.store.me.update(|m| {
                            m.uri = me.uri.clone().or(m.uri.take());
                            m.name = me.name.clone().or(m.name.take());
                            m.photo = photo;
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

    /// A resource read from `base` named the cross-domain frame of its host.
    fn learn_xframe_of(&self, links: &Links, base: &str) {
        if let Some(xframe) = links.url("xframe", base) {
            self.http.learn_xframe(&xframe);
        }
    }

    /// GET `user`, following `redirect`s to the user's home pool (redirect_ref): its
    /// `applications` link. Each pool's `user` answers with its own 401 challenge first, so
    /// each gets a token of its own.
    async fn home_user(&self, mut url: String, typed: &mut Typed) -> Result<String, Failed> {
        let stopped = |reason| (Step::GetUser, Action::Stop(reason));
        let mut hops = Hops::default();
        // `user` → (`redirect` → the home pool's `user`)*: each read the same way.
        loop {
            hops.visit(&url).map_err(stopped)?;
            let reply = self
                .authorized(Step::GetUser, Method::Get, &url, Body::None, typed)
                .await?;
            let resource: User = parse(Step::GetUser, &reply)?;
            self.learn_xframe_of(&resource.links, &url);
            match user_next(&resource.links, &url).map_err(stopped)? {
                UserNext::Applications(applications) => return Ok(applications),
                UserNext::Redirect(next) | UserNext::User(next) => url = next,
            }
        }
    }

    /// A request of `step` that needs a token for its URL's origin. A 401 while that origin
    /// holds none is its `MsRtcOAuth` challenge: a token from that same origin answers it and
    /// the request goes again. A 401 to a token already held is a refusal: the caller's backoff
    /// counts it and signs in again later.
    /// Boxed: one copy of its state serves the four callers (bundle size).
    fn authorized<'a>(
        &'a self,
        step: Step,
        method: Method,
        url: &'a str,
        body: Body,
        typed: &'a mut Typed,
    ) -> Pin<Box<dyn Future<Output = Result<Reply, Failed>> + 'a>> {
        Box::pin(self.authorize(step, method, url, body, typed))
    }

    async fn authorize(
        &self,
        step: Step,
        method: Method,
        url: &str,
        body: Body,
        typed: &mut Typed,
    ) -> Result<Reply, Failed> {
        loop {
            let reply = match self.http.send(method, url, body.clone()).await {
                Ok(reply) if reply.is_success() => return Ok(reply),
                Ok(reply) => reply,
                Err(failure) => return Err(failed(step, &failure)),
            };
            match decide(step, &reply.failure()) {
                Action::SignIn if !self.http.has_token_for(url) => {}
                action => return Err((step, action)),
            }
            let challenge = reply
                .www_authenticate
                .as_deref()
                .and_then(parse_www_authenticate)
                .ok_or_else(|| {
                    stop(
                        step,
                        "the server asked for a sign-in this widget cannot do (no MsRtcOAuth challenge; is WWW-Authenticate exposed to this origin?)",
                    )
                })?;
            let token_url =
                token_url(url, &challenge).map_err(|r| (Step::Token, Action::Stop(r)))?;
            let token = self.obtain_token(&token_url, &challenge, typed).await?;
            self.http.set_token(url, Some(token));
        }
    }

    /// The token after a 401 on the event channel (or another request): sign in again and keep
    /// the application, its subscriptions and the channel's position. A Windows or hook token
    /// is renewed without asking; only the password grant shows the form again.
    pub(crate) async fn sign_in_again(self: &Rc<Self>) -> Result<(), Failed> {
        self.http.clear_tokens();
        let Some(app) = self.app.borrow().as_ref().map(|a| a.app.clone()) else {
            return Err((Step::GetUser, Action::RecreateApplication));
        };
        // The application's own origin challenges (it may be another host than `user`'s).
        let mut typed = None;
        self.authorized(
            Step::ProbeApplication,
            Method::Get,
            &app,
            Body::None,
            &mut typed,
        )
        .await?;
        // The new token works: a 401 another request met with the old one (which asked for
        // this sign-in too) must not ask the user a second time.
        self.sign_in_requested.set(false);
        // Subscription requests refused meanwhile are pending again.
        self.schedule_sync();
        Ok(())
    }

    /// A token from `token_url` by the first grant of [`grant_order`] that works.
    async fn obtain_token(
        &self,
        token_url: &str,
        challenge: &OAuthChallenge,
        typed: &mut Typed,
    ) -> Result<String, Failed> {
        let hook = page_hook();
        let order = grant_order(
            self.config.signin,
            hook.is_some(),
            challenge,
            self.last_grant.get(),
        )
        .map_err(|r| (Step::Token, Action::Stop(r)))?;
        for (i, grant) in order.iter().enumerate() {
            let token = match (grant, &hook) {
                (Grant::Hook, Some((global, hook))) => host_token(global, hook).await?,
                (Grant::Windows, _) => match self.windows_token(token_url).await {
                    Ok(token) => token,
                    Err(why) => {
                        let mut text = String::from("Windows sign-in failed: ");
                        text.push_str(why);
                        if i + 1 == order.len() {
                            return Err((Step::Token, Action::Stop(Reason::Client(text))));
                        }
                        // The password form comes next.
                        web_sys::console::warn_1(&text.into());
                        continue;
                    }
                },
                _ => self.password_token(token_url, typed).await?,
            };
            self.last_grant.set(Some(*grant));
            return Ok(token);
        }
        Err(stop(Step::Token, "no sign-in left to try"))
    }

    /// `grant_type=urn:microsoft.rtc:windows`, with the browser's credentials: its answer to
    /// the server's Negotiate challenge. `Err` says why it failed.
    async fn windows_token(&self, token_url: &str) -> Result<String, &'static str> {
        let body = Body::Form(WINDOWS_GRANT_BODY.to_owned());
        let reply = self
            .http
            .send_credentialed(Method::Post, token_url, body)
            .await;
        token_of(reply).map_err(|failure| windows_failure(&failure))
    }

    /// The password grant with what the user typed: into the form, or earlier in this
    /// connection (then the form is not shown again unless the server refuses it).
    async fn password_token(&self, token_url: &str, typed: &mut Typed) -> Result<String, Failed> {
        let mut error = None;
        loop {
            let (username, password) = match typed.take() {
                Some(credentials) => credentials,
                None => {
                    let typing = self.credentials.ask(&self.store, error.take());
                    let Ok(credentials) = typing.await else {
                        return Err(stop(Step::Token, "sign-in was cancelled"));
                    };
                    self.store.set_connection(Connection::Connecting);
                    credentials
                }
            };
            let body = Body::Form(password_grant_body(username.trim(), &password));
            match token_of(self.http.send(Method::Post, token_url, body).await) {
                Ok(token) => {
                    self.store.me.update(|m| *m = MeView::default());
                    *typed = Some((username, password));
                    return Ok(token);
                }
                Err(failure) => match decide(Step::Token, &failure) {
                    Action::AskCredentials(reason) => error = Some(reason.message()),
                    action => return Err((Step::Token, action)),
                },
            }
        }
    }
}

/// What the sign-in form will submit.
pub(crate) type Typing = futures_channel::oneshot::Receiver<(String, String)>;

/// The sign-in form's hand-over (either backend): the session shows the form and waits for
/// what the user types.
#[derive(Default)]
pub(crate) struct SignInForm(RefCell<Option<futures_channel::oneshot::Sender<(String, String)>>>);

impl SignInForm {
    /// Shows the form (with `error`, why the last attempt failed): the user name and password
    /// arrive on the receiver (cancelled when the session went away).
    pub fn ask(&self, store: &Store, error: Option<String>) -> Typing {
        let (tx, rx) = futures_channel::oneshot::channel();
        self.0.replace(Some(tx));
        store.set_connection(Connection::SignInRequired { error });
        rx
    }

    /// What the form submitted, to the sign-in waiting for it (if any).
    pub fn submit(&self, username: String, password: String) {
        if let Some(tx) = self.0.borrow_mut().take() {
            let _ = tx.send((username, password));
        }
    }
}

/// What the user typed into the sign-in form (user name, password), kept for one sign-in.
type Typed = Option<(String, String)>;

/// The `Authorization` value of a token request's answer, or how it failed.
fn token_of(sent: Result<Reply, Failure>) -> Result<String, Failure> {
    let reply = sent?;
    if !reply.is_success() {
        return Err(reply.failure());
    }
    TokenResponse::parse(&reply.body)
        .map(|token| token.authorization())
        .map_err(Failure::Parse)
}

/// `window.ucwaPresence` and its `getToken` function, when the page provides one.
fn page_hook() -> Option<(JsValue, js_sys::Function)> {
    let window = web_sys::window()?;
    let global = js_sys::Reflect::get(&window, &JsValue::from_str("ucwaPresence")).ok()?;
    if !global.is_object() {
        return None;
    }
    let hook = js_sys::Reflect::get(&global, &JsValue::from_str("getToken")).ok()?;
    let hook = hook.dyn_into::<js_sys::Function>().ok()?;
    Some((global, hook))
}

/// Calls the page's `window.ucwaPresence.getToken()`: a string or a promise of one, `"cwt=…"`
/// or `"Bearer cwt=…"`.
async fn host_token(global: &JsValue, hook: &js_sys::Function) -> Result<String, Failed> {
    let stop = |what: &str| stop(Step::Token, &format!("window.ucwaPresence.getToken {what}"));
    let value = hook.call0(global).map_err(|_| stop("threw an error"))?;
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
    Ok(if token.to_ascii_lowercase().starts_with("bearer ") {
        token
    } else {
        format!("Bearer {token}")
    })
}

//! Sign-in (bb969491, bb969609): the Windows logon page (`iwa/logon.html`, the browser answers
//! Negotiate) where `data-signin` allows it, else the forms logon with what the user types into
//! the sign-in form. Either gives the `CWA-Ticket` (kept by [`CwaHttp`](super::http::CwaHttp));
//! the password is not kept after the logon.

use super::super::http::Method;
use super::super::store::Connection;
use super::{http, Failed, Session};
use crate::protocol::cwa2007::failure::{decide, CwaFailure, CwaStep};
use crate::protocol::cwa2007::{encode_logon, FORMS_LOGON_PATH, IWA_LOGON_PATH};
use crate::protocol::failure::{Action, Reason};
use crate::protocol::grant::SignInMode;

const NO_TICKET: &str = "The Communicator Web Access server signed you in but gave this page no CWA-Ticket it can read (its CORS answer must expose the CWA-Ticket header).";

impl Session {
    /// Gets a ticket: Windows sign-in first unless `data-signin="password"`, then (unless
    /// `data-signin="windows"`) the password form.
    pub(crate) async fn sign_in(&self) -> Result<(), Failed> {
        self.http.clear_ticket();
        if self.config.signin != SignInMode::Password {
            match self.windows_logon().await {
                Ok(()) => return Ok(()),
                Err(Err(failed)) => return Err(failed),
                Err(Ok(why)) => {
                    let text = format!("Windows sign-in to Communicator Web Access failed: {why}");
                    if self.config.signin == SignInMode::Windows {
                        return Err((CwaStep::Logon, Action::Stop(Reason::Client(text))));
                    }
                    // The password form comes next.
                    web_sys::console::warn_1(&format!("ucwa-presence: {text}").into());
                }
            }
        }
        self.forms_logon().await
    }

    /// `POST iwa/logon.html`: first without credentials, which a server offering Windows
    /// sign-in answers with its Negotiate challenge (401), then, only then, with the browser's
    /// credentials (a credentialed request to a server that does not allow one is a CORS
    /// error in the console). `Err(Ok(why))`: Windows sign-in is not possible here (the form
    /// may follow); `Err(Err(_))`: the policy's action.
    async fn windows_logon(&self) -> Result<(), Result<&'static str, Failed>> {
        for credentialed in [false, true] {
            let body = encode_logon(None, None);
            let reply = self
                .http
                .send(Method::Post, IWA_LOGON_PATH, Some(body), credentialed, None)
                .await
                .map_err(|failure| match failure {
                    // A credentialed request the server's CORS answer does not allow fails
                    // like a network error: the form may still work.
                    CwaFailure::Network(_) => {
                        Ok("the Windows logon page could not be reached from this page")
                    }
                    failure => Err(failed_logon(failure)),
                })?;
            return Err(match reply.status {
                200 if self.http.has_ticket() => return Ok(()),
                200 => Err((
                    CwaStep::Logon,
                    Action::Stop(Reason::Client(NO_TICKET.into())),
                )),
                // The challenge: answered by the browser on the credentialed request.
                401 if !credentialed => continue,
                401 => Ok(
                    "the browser did not answer the server's Negotiate challenge (no Kerberos ticket, or the server is not allowed to ask for one)",
                ),
                403 => Ok("the server refused the Windows credentials"),
                404 => Ok("the server does not offer Windows sign-in"),
                _ => Err(failed_logon(http::http_failure(&reply))),
            });
        }
        Err(Ok("the server did not answer the Windows sign-in"))
    }

    /// The sign-in form, then `POST forms/logon.html`, until the server accepts what was
    /// typed; a refusal shows the form again with the reason.
    async fn forms_logon(&self) -> Result<(), Failed> {
        let mut error = None;
        loop {
            let typing = self.credentials.ask(&self.store, error.take());
            let Ok((user, password)) = typing.await else {
                return Err((
                    CwaStep::Logon,
                    Action::Stop(Reason::Client("sign-in was cancelled".into())),
                ));
            };
            self.store.set_connection(Connection::Connecting);
            let body = encode_logon(Some(user.trim()), Some(&password));
            drop(password);
            let sent = self
                .http
                .send(Method::Post, FORMS_LOGON_PATH, Some(body), false, None)
                .await;
            let failure = match sent {
                Ok(reply) if reply.status == 200 && self.http.has_ticket() => return Ok(()),
                Ok(reply) if reply.status == 200 => {
                    return Err((
                        CwaStep::Logon,
                        Action::Stop(Reason::Client(NO_TICKET.into())),
                    ))
                }
                Ok(reply) => http::http_failure(&reply),
                Err(failure) => failure,
            };
            match failure {
                CwaFailure::Http { status: 401, .. } => {
                    error = Some(Reason::CredentialsRefused.message());
                }
                CwaFailure::Network(_) => {
                    error = Some(format!(
                        "Cannot reach the Communicator Web Access server at {}.",
                        self.http.base()
                    ));
                }
                failure => match failed_logon(failure) {
                    (_, Action::AskCredentials(reason)) => error = Some(reason.message()),
                    failed => return Err(failed),
                },
            }
        }
    }
}

fn failed_logon(failure: CwaFailure) -> Failed {
    (CwaStep::Logon, decide(CwaStep::Logon, &failure))
}

//! CWA requests over the CORS transport (there is no XFrame for CWA): XML bodies, and the
//! `CWA-Ticket` the sign-in issued. The ticket goes only to the `data-cwa` origin (every URL is
//! built here from it) and is replaced by the one any response carries.

use std::cell::RefCell;

use super::super::http::{Method, Reply};
use super::super::transport::cors::Cors;
use super::super::transport::{exchange, NoReply, Request};
use crate::protocol::cwa2007::failure::CwaFailure;
use crate::protocol::cwa2007::{parse_replies, CwaError, Reply as CwaReply, TICKET_HEADER};
use crate::protocol::failure::Failure;

const XML: &str = "text/xml; charset=utf-8";

pub(crate) struct CwaHttp {
    /// The CWA server's origin (`data-cwa`, no trailing slash).
    base: String,
    cors: Cors,
    ticket: RefCell<Option<String>>,
}

impl CwaHttp {
    pub fn new(base: String, page_url: String) -> Self {
        CwaHttp {
            base: base.trim_end_matches('/').to_owned(),
            cors: Cors { page_url },
            ticket: RefCell::new(None),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn has_ticket(&self) -> bool {
        self.ticket.borrow().is_some()
    }

    /// Forgets the ticket (refused: sign in again).
    pub fn clear_ticket(&self) {
        self.ticket.replace(None);
    }

    /// The request to `url` (on the CWA origin) with the ticket and, for a body, its type.
    fn prepare<'a>(
        &self,
        method: Method,
        url: &'a str,
        body: Option<String>,
        credentialed: bool,
    ) -> Request<'a> {
        let content_type = body.as_ref().map(|_| ("Content-Type", XML.to_owned()));
        let ticket = self.ticket.borrow().clone().map(|t| (TICKET_HEADER, t));
        let mut request = Request {
            method,
            url,
            headers: vec![("Accept", "text/xml".to_owned())],
            body,
            credentialed,
        };
        request
            .headers
            .extend(ticket.into_iter().chain(content_type));
        request
    }

    /// Sends a request to `path` on the CWA origin (`path` may carry a query) and reads the
    /// whole reply, whatever its status; the ticket it carries replaces ours. `credentialed`:
    /// the browser's own credentials go too (the Windows logon's Negotiate).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        credentialed: bool,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<Reply, CwaFailure> {
        let url = format!("{}{path}", self.base);
        let request = self.prepare(method, &url, body, credentialed);
        match exchange(&self.cors, &request, signal).await {
            Ok(reply) => {
                if let Some(ticket) = reply.ticket.as_deref().map(str::trim) {
                    if !ticket.is_empty() && !ticket.contains(['\r', '\n']) {
                        self.ticket.replace(Some(ticket.to_owned()));
                    }
                }
                Ok(reply)
            }
            Err(NoReply::Failed(failure) | NoReply::Unusable(_, failure)) => {
                Err(network_failure(failure))
            }
        }
    }

    /// POSTs XML to `path`: the replies of a 200, else how it failed.
    pub async fn post(&self, path: &str, body: String) -> Result<Vec<CwaReply>, CwaFailure> {
        let reply = self
            .send(Method::Post, path, Some(body), false, None)
            .await?;
        replies_of(&reply)
    }

    /// `keepalive` POST for pagehide: fire and forget, best effort.
    pub fn post_keepalive(&self, path: &str, body: String) {
        use super::super::transport::Transport;
        let url = format!("{}{path}", self.base);
        let request = self.prepare(Method::Post, &url, Some(body), false);
        let _ = self.cors.start(&request, None, true);
    }
}

/// The replies of a command-channel answer: a 200's `cwaResponses`, else the HTTP failure
/// (with the CWA error its body held).
pub(crate) fn replies_of(reply: &Reply) -> Result<Vec<CwaReply>, CwaFailure> {
    if reply.status != 200 {
        return Err(http_failure(reply));
    }
    parse_replies(&reply.body).map_err(|e| CwaFailure::Malformed(e.to_string()))
}

/// A non-200 answer as a failure, with the first error its body names.
pub(crate) fn http_failure(reply: &Reply) -> CwaFailure {
    let error = parse_replies(&reply.body).ok().and_then(|replies| {
        replies.into_iter().find_map(|r| match r {
            CwaReply::Failed { error, .. } => Some(error),
            CwaReply::Rejected { error, .. } => error,
            _ => None,
        })
    });
    CwaFailure::Http {
        status: reply.status,
        error,
    }
}

/// The transport's failure (no response) in the CWA policy's terms.
fn network_failure(failure: Failure) -> CwaFailure {
    match failure {
        // What the browser says is no more than "Failed to fetch": the caller words it.
        Failure::Network { kind, .. } => CwaFailure::Network(kind),
        other => CwaFailure::Malformed(other.to_string()),
    }
}

/// The error a reply element carries, when it is a failure.
pub(crate) fn error_of(reply: &CwaReply) -> Option<CwaError> {
    match reply {
        CwaReply::Failed { error, .. } => Some(error.clone()),
        CwaReply::Rejected { error, .. } => Some(error.clone().unwrap_or_default()),
        _ => None,
    }
}

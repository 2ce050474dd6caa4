//! Where requests go: the autodiscover URLs of a `data-domain`, the home pool a `redirect`
//! leads to (user_ref, redirect_ref), and which server may issue a token for a resource.

use super::auth::OAuthChallenge;
use super::failure::Reason;
use super::hal::Links;
use super::url::{origin_of, resolve, same_resource};

/// The autodiscover roots Microsoft's samples try for a domain, in order: the internal name
/// first (intranet DNS), then the external one. `None` when `domain` is not a DNS name
/// (a scheme, a path, a port, spaces, an empty label).
pub fn domain_autodiscover_urls(domain: &str) -> Option<[String; 2]> {
    let domain = domain.trim();
    let domain = domain
        .strip_suffix('.')
        .unwrap_or(domain)
        .to_ascii_lowercase();
    if !valid_domain(&domain) {
        return None;
    }
    Some(["lyncdiscoverinternal.", "lyncdiscover."].map(|prefix| {
        let mut url = String::from("https://");
        url.push_str(prefix);
        url.push_str(&domain);
        url.push_str("/autodiscover/autodiscoverservice.svc/root");
        url
    }))
}

/// A DNS name of at least two labels: letters, digits and inner hyphens, 1–63 characters each,
/// 253 in all.
fn valid_domain(domain: &str) -> bool {
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    domain.len() <= 253 && domain.contains('.') && domain.split('.').all(label)
}

/// What a signed-in `user` resource, or a `redirect` resource, says to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserNext {
    /// Create the application here.
    Applications(String),
    /// The user is homed on another pool: GET this `redirect` resource.
    Redirect(String),
    /// A `redirect` resource's `user`: the home pool's entry point, to GET next.
    User(String),
}

/// The next step after the resource read from `url` with these `links`: `applications`, else
/// `redirect`, else (a redirect resource) `user`.
pub fn user_next(links: &Links, url: &str) -> Result<UserNext, Reason> {
    if let Some(applications) = links.url("applications", url) {
        Ok(UserNext::Applications(applications))
    } else if let Some(redirect) = links.url("redirect", url) {
        Ok(UserNext::Redirect(redirect))
    } else if let Some(user) = links.url("user", url) {
        Ok(UserNext::User(user))
    } else {
        Err(Reason::Client(
            "The server named no applications link.".into(),
        ))
    }
}

/// The most `user` and `redirect` resources one connection reads (three pools).
pub const MAX_USER_HOPS: usize = 6;

/// The `user` and `redirect` resources one connection has read, so that redirects end: one
/// back to a resource already read (A → B → A) or too many of them stop the connection.
#[derive(Debug, Default)]
pub struct Hops(Vec<String>);

impl Hops {
    /// Records a visit of the `user` resource at `url`.
    pub fn visit(&mut self, url: &str) -> Result<(), Reason> {
        // Every pool serves `user` at the same path: the origin tells them apart.
        let origin = origin_of(url);
        let seen = |seen: &String| origin_of(seen) == origin && same_resource(seen, url);
        if self.0.len() >= MAX_USER_HOPS || self.0.iter().any(seen) {
            return Err(Reason::Client("The servers redirect in a loop.".into()));
        }
        self.0.push(url.to_owned());
        Ok(())
    }
}

/// The token URL of `challenge`, a 401 answered by `resource`. Tokens are per server, and
/// each goes only to the origin that issued it: a challenge naming a token URL on another
/// origin is refused (a token obtained there would be sent to neither, or to the wrong server).
pub fn token_url(resource: &str, challenge: &OAuthChallenge) -> Result<String, Reason> {
    let url = resolve(resource, &challenge.token_url);
    match (origin_of(&url), origin_of(resource)) {
        (Some(a), Some(b)) if a == b => Ok(url),
        _ => Err(Reason::Client(
            "Refused a sign-in URL on another origin.".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::fields::FromJson;
    use crate::protocol::resources::User;

    #[test]
    fn a_domain_gives_the_internal_then_the_external_root() {
        let expected = [
            "https://lyncdiscoverinternal.contoso.com/autodiscover/autodiscoverservice.svc/root",
            "https://lyncdiscover.contoso.com/autodiscover/autodiscoverservice.svc/root",
        ];
        for domain in ["contoso.com", " Contoso.COM ", "contoso.com."] {
            assert_eq!(
                domain_autodiscover_urls(domain).unwrap(),
                expected,
                "{domain}"
            );
        }
        let deep = domain_autodiscover_urls("emea.corp-1.contoso.co.uk").unwrap();
        assert_eq!(
            deep[1],
            "https://lyncdiscover.emea.corp-1.contoso.co.uk/autodiscover/autodiscoverservice.svc/root"
        );
    }

    #[test]
    fn bad_domains_are_refused() {
        let long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}com", "abcdefghi.".repeat(26));
        for bad in [
            "",
            " ",
            "contoso",
            "contoso .com",
            "contoso.com/path",
            "https://contoso.com",
            "contoso.com:443",
            "user@contoso.com",
            "-contoso.com",
            "contoso-.com",
            "contoso..com",
            ".contoso.com",
            "contoso.com?x",
            "cont\u{f6}so.com",
            &long_label,
            &long_name,
        ] {
            assert_eq!(domain_autodiscover_urls(bad), None, "{bad:?}");
        }
    }

    fn links(json: &str) -> Links {
        User::parse(json).unwrap().links
    }

    const A: &str = "https://a.contoso.com/autodiscover/autodiscoverservice.svc/root/user";
    const B: &str = "https://b.contoso.com/autodiscover/autodiscoverservice.svc/root/user";

    #[test]
    fn user_leads_to_applications_or_through_a_redirect_to_the_home_user() {
        let home = links(r#"{"_links":{"applications":{"href":"/ucwa/oauth/v1/applications"}}}"#);
        assert_eq!(
            user_next(&home, A),
            Ok(UserNext::Applications(
                "https://a.contoso.com/ucwa/oauth/v1/applications".into()
            ))
        );
        let elsewhere = links(&format!(
            r#"{{"_links":{{"self":{{"href":"{A}"}},"redirect":{{"href":"{A}/redirect"}},"xframe":{{"href":"x"}}}}}}"#
        ));
        assert_eq!(
            user_next(&elsewhere, A),
            Ok(UserNext::Redirect(format!("{A}/redirect")))
        );
        let redirect = links(&format!(
            r#"{{"rel":"redirect","_links":{{"self":{{"href":"{A}/redirect"}},"user":{{"href":"{B}"}},"xframe":{{"href":"https://b.contoso.com/Autodiscover/XFrame/XFrame.html"}}}}}}"#
        ));
        assert_eq!(user_next(&redirect, A), Ok(UserNext::User(B.into())));
        let both =
            links(r#"{"_links":{"applications":{"href":"/apps"},"redirect":{"href":"/r"}}}"#);
        assert!(matches!(user_next(&both, A), Ok(UserNext::Applications(_))));
        let neither = links(r#"{"_links":{"self":{"href":"/u"}}}"#);
        assert!(user_next(&neither, A).is_err());
    }

    #[test]
    fn redirects_end() {
        let mut hops = Hops::default();
        assert_eq!(hops.visit(A), Ok(()));
        assert_eq!(hops.visit(B), Ok(()), "the same path on another pool");
        let back = hops
            .visit(&A.to_uppercase().replace("HTTPS", "https"))
            .unwrap_err();
        assert!(back.message().contains("loop"), "{back:?}");
        assert!(
            hops.visit(&format!("{A}/redirect")).is_ok(),
            "another resource of A"
        );
        let mut chain = Hops::default();
        for n in 0..MAX_USER_HOPS {
            assert_eq!(
                chain.visit(&format!("https://p{n}.contoso.com/user")),
                Ok(())
            );
        }
        assert!(chain.visit("https://last.contoso.com/user").is_err());
    }

    #[test]
    fn a_token_comes_only_from_the_challenged_origin() {
        let challenge = |href: &str| OAuthChallenge {
            token_url: href.into(),
            grant_types: vec!["password".into()],
        };
        assert_eq!(
            token_url(
                B,
                &challenge("https://B.contoso.com:443/WebTicket/oauthtoken")
            ),
            Ok("https://B.contoso.com:443/WebTicket/oauthtoken".into())
        );
        assert_eq!(
            token_url(B, &challenge("/WebTicket/oauthtoken")),
            Ok("https://b.contoso.com/WebTicket/oauthtoken".into())
        );
        for other in [
            "https://a.contoso.com/WebTicket/oauthtoken",
            "http://b.contoso.com/WebTicket/oauthtoken",
            "https://b.contoso.com:4443/WebTicket/oauthtoken",
            "javascript:alert(1)",
        ] {
            let refused = token_url(B, &challenge(other)).unwrap_err();
            assert!(refused.message().contains("another origin"), "{other}");
        }
    }
}

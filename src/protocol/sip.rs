//! SIP URIs as the widget keys contacts: `sip:user@host`, lowercased.
//!
//! UCWA mixes cases for the same person (`sarad@contoso.com`, `saraD@Contoso.com`), so every
//! contact key goes through [`normalize_sip_uri`] before it is compared or stored.

use super::url::percent_decode;

/// Longest accepted SIP URI, `sip:` prefix included.
pub const MAX_SIP_URI_LEN: usize = 256;

/// Normalises a SIP URI: trims, lowercases, ensures the `sip:` prefix and checks the
/// `user@host` shape (one `@`, non-empty user and host, no whitespace or delimiters, host made of
/// letters, digits, `-` and `.`, at most [`MAX_SIP_URI_LEN`] characters). `None` when invalid.
pub fn normalize_sip_uri(s: &str) -> Option<String> {
    let lower = s.trim().to_ascii_lowercase();
    let address = lower.strip_prefix("sip:").unwrap_or(&lower);
    let (user, host) = address.split_once('@')?;
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"@:;,/\\?#<>\"()[]{}|".contains(c));
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let uri = format!("sip:{user}@{host}");
    (user_ok && host_ok && uri.chars().count() <= MAX_SIP_URI_LEN).then_some(uri)
}

/// The contact's SIP URI from a people href: `…/people/saraD@contoso.com/presence` or
/// `…/people/sarad@contoso.com` → `sip:sarad@contoso.com` (percent-escapes decoded).
/// `None` when the href has no `/people/<user@host>` segment.
pub fn sip_uri_from_people_href(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let lower = path.to_ascii_lowercase();
    let start = lower.find("/people/")? + "/people/".len();
    let segment = path.get(start..)?.split('/').next()?;
    normalize_sip_uri(&percent_decode(segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_prefix_and_whitespace() {
        assert_eq!(
            normalize_sip_uri(" SIP:SaraD@Contoso.com ").as_deref(),
            Some("sip:sarad@contoso.com")
        );
        assert_eq!(
            normalize_sip_uri("saraD@contoso.com").as_deref(),
            Some("sip:sarad@contoso.com")
        );
        assert_eq!(
            normalize_sip_uri("sip:O'Neil@contoso.com").as_deref(),
            Some("sip:o'neil@contoso.com")
        );
        assert_eq!(
            normalize_sip_uri("sip:x+y_z.w@sub-1.contoso.co.uk").as_deref(),
            Some("sip:x+y_z.w@sub-1.contoso.co.uk")
        );
        assert_eq!(
            normalize_sip_uri("sip:Jürgen@Bücher.de").as_deref(),
            Some("sip:jürgen@bücher.de")
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "sip:",
            "sip:@contoso.com",
            "sip:sara@",
            "sara",
            "sara@@contoso.com",
            "a@b@c",
            "sara d@contoso.com",
            "sara@con toso.com",
            "sip:sara@contoso.com;transport=tls",
            "sara@.contoso.com",
            "sara@contoso.com.",
            "sara@contoso..com",
            "<sara@contoso.com>",
            "sip:sip:sara@contoso.com",
            "sara@contoso.com/x",
            "sara\u{0}@contoso.com",
        ] {
            assert_eq!(normalize_sip_uri(bad), None, "{bad:?}");
        }
        let long = format!("sip:{}@contoso.com", "a".repeat(241));
        assert_eq!(normalize_sip_uri(&long), None);
        let fits = format!("{}@c.com", "a".repeat(256 - 4 - 6));
        assert_eq!(normalize_sip_uri(&fits).map(|u| u.len()), Some(256));
    }

    #[test]
    fn uri_from_people_hrefs_of_seed_000() {
        for href in [
            "/ucwa/oauth/v1/applications/101/people/saraD@contoso.com/presence",
            "/ucwa/oauth/v1/applications/101/people/sarad@Contoso.com/presence",
            "/ucwa/oauth/v1/applications/101/people/sarad@contoso.com",
            "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/People/sarad%40contoso.com/note?x=1",
            "/ucwa/oauth/v1/applications/101/people/sip%3Asarad%40contoso.com/presence",
        ] {
            assert_eq!(sip_uri_from_people_href(href).as_deref(), Some("sip:sarad@contoso.com"), "{href}");
        }
        for href in [
            "/ucwa/oauth/v1/applications/101/people",
            "/ucwa/oauth/v1/applications/101/people/",
            "/ucwa/oauth/v1/applications/101/people/presenceSubscriptions/97b6bd66",
            "/ucwa/oauth/v1/applications/101/people/subscribedContacts",
            "/ucwa/oauth/v1/applications/101/me/presence",
            "",
        ] {
            assert_eq!(sip_uri_from_people_href(href), None, "{href}");
        }
    }
}

//! The contact card's actions as links (`mailto:`, `tel:`, `sip:`), built only from values that
//! validate as a plain address or number. Anything else gives `None`: the card then shows the
//! value as text, so a server string can never become a `javascript:` (or any other) link.

use super::sip::normalize_sip_uri;
use super::url::encode_component as percent_encode;

/// `mailto:` for a plain ASCII e-mail address (`local@domain.tld`), or `None`.
pub fn mailto(email: &str) -> Option<String> {
    let email = email.trim();
    let email = strip_scheme(email, "mailto:").unwrap_or(email);
    let (local, domain) = email.split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b));
    (local_ok && is_host(domain)).then(|| format!("mailto:{}@{domain}", percent_encode(local)))
}

/// `tel:+14255550100` for a phone number (`tel:+1425…` as UCWA sends it, or written
/// "+1 (425) 555-0100", with an optional extension `;ext=12` or `x12`), or `None`.
pub fn tel(number: &str) -> Option<String> {
    let number = number.trim();
    let number = strip_scheme(number, "tel:").unwrap_or(number);
    let lower = number.to_ascii_lowercase();
    let (main, ext) = match lower.split_once(";ext=").or_else(|| lower.split_once('x')) {
        Some((main, ext)) => (main, Some(ext.trim())),
        None => (lower.as_str(), None),
    };
    let (plus, digits) = match main.trim_start().strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", main),
    };
    let mut out = format!("tel:{plus}");
    for c in digits.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let count = out.len() - "tel:".len() - plus.len();
    if !(3..=20).contains(&count) {
        return None;
    }
    if let Some(ext) = ext {
        if ext.is_empty() || ext.len() > 8 || !ext.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(";ext=");
        out.push_str(ext);
    }
    Some(out)
}

/// The number as the card shows it: without the `tel:` scheme UCWA puts in front.
pub fn phone_text(number: &str) -> &str {
    let number = number.trim();
    strip_scheme(number, "tel:").unwrap_or(number)
}

/// `sip:user@host` for a contact's SIP URI (opens the desktop client), or `None`.
pub fn sip(uri: &str) -> Option<String> {
    let uri = normalize_sip_uri(uri)?;
    let (user, host) = uri.strip_prefix("sip:")?.split_once('@')?;
    if user.chars().any(|c| "'`%&=".contains(c)) {
        return None;
    }
    Some(format!("sip:{}@{host}", percent_encode(user)))
}

fn strip_scheme<'a>(s: &'a str, scheme: &str) -> Option<&'a str> {
    let head = s.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| &s[scheme.len()..])
}

/// A DNS name: ASCII letters, digits and hyphens in non-empty labels, at least two labels.
fn is_host(host: &str) -> bool {
    host.len() <= 253
        && host.contains('.')
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_accepts_plain_addresses() {
        assert_eq!(
            mailto("dana.birkby@contoso.com").as_deref(),
            Some("mailto:dana.birkby@contoso.com")
        );
        assert_eq!(
            mailto(" MAILTO:sara+lync@mail.contoso.com ").as_deref(),
            Some("mailto:sara%2Blync@mail.contoso.com")
        );
        assert_eq!(
            mailto("a%b@contoso.com").as_deref(),
            Some("mailto:a%25b@contoso.com")
        );
    }

    #[test]
    fn mailto_refuses_anything_else() {
        for bad in [
            "",
            "javascript:alert(1)",
            "javascript:alert(1)//@contoso.com",
            "dana birkby@contoso.com",
            "dana@contoso",
            "<script>@contoso.com",
            "\"dana\"@contoso.com",
            "dana@contoso.com?subject=x",
            "dana@contoso.com\"onmouseover=\"x",
            "dana@@contoso.com",
            ".dana@contoso.com",
            "dana@-contoso.com",
            "dana@contoso..com",
            "dänä@contoso.com",
            "dana@contoso.com/../x",
        ] {
            assert_eq!(mailto(bad), None, "{bad}");
        }
    }

    #[test]
    fn tel_keeps_digits_plus_and_extension() {
        assert_eq!(tel("tel:+14255550100").as_deref(), Some("tel:+14255550100"));
        assert_eq!(
            tel("+1 (425) 555-0100").as_deref(),
            Some("tel:+14255550100")
        );
        assert_eq!(tel("555.0100 x12").as_deref(), Some("tel:5550100;ext=12"));
        assert_eq!(
            tel("TEL:+44 20 7946 0958;ext=4").as_deref(),
            Some("tel:+442079460958;ext=4")
        );
    }

    #[test]
    fn tel_refuses_anything_else() {
        for bad in [
            "",
            "tel:",
            "12",
            "javascript:alert(1)",
            "+1 425 <b>555</b>",
            "+1425555010\"0",
            "++14255550100",
            "+1 425 555 0100;ext=",
            "+1 425 555 0100 x1a",
            "123456789012345678901",
            "٤٢٥٥٥٥٠١٠٠",
        ] {
            assert_eq!(tel(bad), None, "{bad}");
        }
    }

    #[test]
    fn phone_text_drops_the_scheme() {
        assert_eq!(phone_text("tel:+14255550100"), "+14255550100");
        assert_eq!(phone_text(" +1 425 "), "+1 425");
    }

    #[test]
    fn sip_links_a_valid_sip_uri_only() {
        assert_eq!(
            sip("sip:DanaB@Contoso.com").as_deref(),
            Some("sip:danab@contoso.com")
        );
        assert_eq!(
            sip("dana.b@contoso.com").as_deref(),
            Some("sip:dana.b@contoso.com")
        );
        for bad in [
            "",
            "javascript:alert(1)",
            "sip:<img src=x>@contoso.com",
            "sip:dana\"x@contoso.com",
            "sip:dana'x@contoso.com",
            "sip:dana@contoso.com?x",
            "sip:da na@contoso.com",
            "sip:dana@javascript:alert(1)",
        ] {
            assert_eq!(sip(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_user_part_is_percent_encoded() {
        assert_eq!(
            sip("sip:dänä@contoso.com").as_deref(),
            Some("sip:d%C3%A4n%C3%A4@contoso.com")
        );
    }
}

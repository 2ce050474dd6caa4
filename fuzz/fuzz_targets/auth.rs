//! `WWW-Authenticate` (`protocol::auth`). The input is a header as a server sent it: any header
//! parses without panicking, and a challenge found has a non-blank, trimmed `href` and trimmed,
//! non-empty grant types. Its lines also build a header (first line the `href`, the others grant
//! types, quoted with backslash escapes, after a `Bearer` challenge): it reads back exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucwa_fuzz::text;
use ucwa_presence::protocol::parse_www_authenticate;

fn quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some(header) = text(data) else { return };
    if let Some(challenge) = parse_www_authenticate(header) {
        assert!(!challenge.token_url.is_empty(), "{header:?}");
        assert_eq!(challenge.token_url, challenge.token_url.trim());
        for grant in &challenge.grant_types {
            assert!(!grant.is_empty() && grant == grant.trim(), "{header:?}");
        }
    }

    let mut lines = header.split('\n');
    let href = lines.next().unwrap_or_default();
    let grants: Vec<&str> = lines
        .map(str::trim)
        .filter(|g| !g.is_empty() && !g.contains(','))
        .collect();
    let built = format!(
        "Bearer trusted_issuers=\"\", client_id=\"00000004\", MsRtcOAuth href={}, grant_type={}",
        quoted(href),
        quoted(&grants.join(","))
    );
    let challenge = parse_www_authenticate(&built);
    if href.trim().is_empty() {
        assert_eq!(challenge, None, "{built:?}");
    } else {
        let challenge = challenge.unwrap_or_else(|| panic!("no challenge in {built:?}"));
        assert_eq!(challenge.token_url, href.trim(), "{built:?}");
        assert_eq!(challenge.grant_types, grants, "{built:?}");
    }
});

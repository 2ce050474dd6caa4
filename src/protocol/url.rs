//! Minimal URL handling for UCWA hrefs: resolving, origins, query parameters, form encoding.
//!
//! UCWA hands out hrefs that are root-relative (`/ucwa/oauth/v1/applications/101/me`) or, from
//! some servers, absolute. The event channel rules ("never change `ack`, add your own parameters
//! with a URL builder") need a query editor that keeps every other parameter byte for byte.
//! This is deliberately small (no `url` crate in the WASM bundle) and never panics: malformed
//! input produces a best-effort string, never an error.

/// The parts of a URL this module cares about, as slices of the original string.
struct Parts<'a> {
    /// `"https://host:port"` for absolute URLs, `""` otherwise.
    origin: &'a str,
    /// Path (may be empty).
    path: &'a str,
    /// Query without the leading `?`, if a `?` was present.
    query: Option<&'a str>,
    /// Fragment without the leading `#`, if a `#` was present.
    fragment: Option<&'a str>,
}

/// Length of a `scheme://` prefix (scheme + `://`), if `s` starts with one.
fn scheme_prefix_len(s: &str) -> Option<usize> {
    let colon = s.find("://")?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then_some(colon + 3)
}

/// True when `href` carries its own scheme (`https://…`, `mailto:`…) and must not be joined.
fn has_scheme(href: &str) -> bool {
    if scheme_prefix_len(href).is_some() {
        return true;
    }
    // `scheme:opaque` forms such as `sip:` or `mailto:`; a colon after a `/`, `?` or `#` does not count.
    match href.find([':', '/', '?', '#']) {
        Some(i) if href.as_bytes().get(i) == Some(&b':') => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

fn split(url: &str) -> Parts<'_> {
    let (rest, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (origin, path) = match scheme_prefix_len(rest) {
        Some(start) => {
            // Browsers end an http(s) authority at `\` as at `/`: `https://a\@b/` is host `a`.
            let end = rest[start..]
                .find(['/', '\\'])
                .map_or(rest.len(), |i| start + i);
            (&rest[..end], &rest[end..])
        }
        None => ("", rest),
    };
    Parts {
        origin,
        path,
        query,
        fragment,
    }
}

/// Resolves `href` against `base` (an absolute URL), as RFC 3986 §5.2 does with a normalised
/// base (its path's `.`/`..` segments removed, as browsers do):
///
/// * absolute `href` (`https://…`, or any `scheme:`) → returned unchanged (trimmed);
/// * `//host/path` → base's scheme + href, `.`/`..` segments removed from its path;
/// * root-relative `/ucwa/…` → base's origin + href, `.`/`..` segments removed;
/// * `?query` → base's path + href; `#fragment` → base without its fragment + href; empty →
///   base without its fragment;
/// * anything else → joined to the base path's directory, `.`/`..` segments removed.
pub fn resolve(base: &str, href: &str) -> String {
    let href = href.trim();
    if has_scheme(href) {
        return href.to_string();
    }
    let b = split(base.trim());
    let (href_path, href_tail) = match href.find(['?', '#']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    if let Some(rest) = href_path.strip_prefix("//") {
        let scheme = b.origin.find("://").map_or("https", |i| &b.origin[..i]);
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let path = if path.is_empty() {
            String::new()
        } else {
            remove_dot_segments(path)
        };
        return format!("{scheme}://{authority}{path}{href_tail}");
    }
    if href_path.starts_with('/') {
        return format!(
            "{}{}{}",
            b.origin,
            remove_dot_segments(href_path),
            href_tail
        );
    }
    let base_path = if b.path.starts_with('/') {
        remove_dot_segments(b.path)
    } else {
        b.path.to_string()
    };
    if href_path.is_empty() {
        // `?query` replaces the base's query; `#fragment` and the empty reference keep it.
        let mut out = format!("{}{base_path}", b.origin);
        if let (false, Some(query)) = (href_tail.starts_with('?'), b.query) {
            out.push('?');
            out.push_str(query);
        }
        out.push_str(href_tail);
        return out;
    }
    let dir = match base_path.rfind('/') {
        Some(i) => &base_path[..=i],
        None => "/",
    };
    let joined = remove_dot_segments(&format!("{dir}{href_path}"));
    format!("{}{}{}", b.origin, joined, href_tail)
}

/// RFC 3986 §5.2.4, simplified for paths that start with `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut joined = String::with_capacity(path.len());
    for seg in out {
        joined.push('/');
        joined.push_str(seg);
    }
    if joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// The origin (`scheme://host[:port]`) of an absolute `http`, `https`, `ws` or `wss` URL, as a
/// browser computes it: scheme and host lowercased, user info dropped, the port read as a
/// number and omitted when it is the scheme's default (80 for http, 443 for https).
///
/// `None` for relative URLs, other schemes (their origin is opaque), and URLs a browser would
/// refuse: an empty host or one with a space, a control character or `<>^|%`, a port that is not
/// a number up to 65535, a colon in the host outside an IPv6 literal. Tabs and line breaks are
/// ignored, as browsers ignore them. A host with `%` escapes gets `None` although a browser
/// would decode them: no token goes to a host spelt two ways.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url.replace(['\t', '\n', '\r'], "");
    let parts = split(url.trim_matches(|c: char| c <= ' '));
    let sep = parts.origin.find("://")?;
    let scheme = parts.origin[..sep].to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        _ => return None,
    };
    let authority = &parts.origin[sep + 3..];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    // An IPv6 literal keeps its colons inside the brackets; anywhere else a colon starts the port.
    let port_at = match host_port.find(']') {
        Some(close) if host_port.starts_with('[') => close + 1,
        _ => host_port.find(':').unwrap_or(host_port.len()),
    };
    let (host, port) = host_port.split_at(port_at);
    let digits = match port.strip_prefix(':') {
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        None if port.is_empty() => "",
        _ => return None,
    };
    let port = match digits {
        "" => None,
        // Through u64, the integer type the JSON reader already parses (one parser in the bundle).
        digits => Some(u16::try_from(digits.parse::<u64>().ok()?).ok()?),
    };
    // What a browser refuses in a host. A `%` escape it would decode is refused too, and a
    // non-ASCII host is kept as written (the browser uses its `xn--` form).
    let ipv6 = host.starts_with('[');
    let refused = |c: char| {
        c <= ' '
            || matches!(c, '<' | '>' | '^' | '|' | '%' | '\u{7f}')
            || (!ipv6 && matches!(c, '[' | ']'))
    };
    if host.is_empty() || host.contains(refused) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    match port {
        Some(p) if p != default_port => Some(format!("{scheme}://{host}:{p}")),
        _ => Some(format!("{scheme}://{host}")),
    }
}

/// Path and query of `url` (origin and fragment removed): `"https://h/a?b#c"` → `"/a?b"`.
pub fn path_and_query(url: &str) -> &str {
    let url = url.trim();
    let no_fragment = match url.find('#') {
        Some(i) => &url[..i],
        None => url,
    };
    let origin_len = split(no_fragment).origin.len();
    &no_fragment[origin_len..]
}

/// True when two hrefs name the same UCWA resource: origins are ignored (one may be absolute and
/// the other root-relative), path and query compare ASCII-case-insensitively, as UCWA hrefs
/// embed SIP URIs whose case varies between responses (`sarad@contoso.com` / `saraD@Contoso.com`).
pub fn same_resource(a: &str, b: &str) -> bool {
    let (a, b) = (path_and_query(a), path_and_query(b));
    a.eq_ignore_ascii_case(b) || percent_decode(a).eq_ignore_ascii_case(&percent_decode(b))
}

/// Sets query parameter `key` to `value` (percent-encoded), replacing an existing one (later
/// duplicates of `key` are dropped) and keeping every other parameter exactly as it was, in order.
pub fn with_query(url: &str, key: &str, value: &str) -> String {
    let url = url.trim();
    let parts = split(url);
    let new_pair = format!("{}={}", encode_component(key), encode_component(value));
    let mut query = String::new();
    let mut replaced = false;
    for pair in parts
        .query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let raw_key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if decode_form(raw_key) == key {
            if !replaced {
                push_pair(&mut query, &new_pair);
                replaced = true;
            }
        } else {
            push_pair(&mut query, pair);
        }
    }
    if !replaced {
        push_pair(&mut query, &new_pair);
    }
    let mut out = format!("{}{}?{}", parts.origin, parts.path, query);
    if let Some(f) = parts.fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The decoded value of the first query parameter named `key` (`+` reads as a space);
/// `Some("")` for `?key` or `?key=`.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let query = split(url.trim()).query?;
    query.split('&').filter(|p| !p.is_empty()).find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode_form(k) == key).then(|| decode_form(v))
    })
}

/// `application/x-www-form-urlencoded` serialisation of `pairs`, in order.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        push_pair(&mut out, &form_component(k));
        out.push('=');
        out.push_str(&form_component(v));
    }
    out
}

/// Appends `pair` to an `&`-separated query (built by hand rather than with `join`: one less
/// generic in the bundle).
fn push_pair(query: &mut String, pair: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(pair);
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `byte` as `%XX` (uppercase hex).
pub(super) fn push_escaped(out: &mut String, byte: u8) {
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// Percent-encodes everything except RFC 3986 unreserved characters (space → `%20`).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

/// Form encoding of one name or value (WHATWG: space → `+`, `*-._` and alphanumerics kept).
fn form_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode_bytes(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(if plus_is_space && b == b'+' { b' ' } else { b });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes `%XX` escapes (invalid escapes are kept literally, invalid UTF-8 becomes U+FFFD).
/// `+` stays `+`, as in paths.
pub fn percent_decode(s: &str) -> String {
    decode_bytes(s, false)
}

/// Decodes a query or form component: `%XX` escapes and `+` as space.
fn decode_form(s: &str) -> String {
    decode_bytes(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101?x=1#f";

    #[test]
    fn resolve_keeps_absolute_hrefs() {
        assert_eq!(
            resolve(BASE, "http://other:8090/a?ack=1"),
            "http://other:8090/a?ack=1"
        );
        assert_eq!(resolve(BASE, " HTTPS://X/y "), "HTTPS://X/y");
        assert_eq!(resolve(BASE, "sip:a@b.c"), "sip:a@b.c");
    }

    #[test]
    fn resolve_joins_root_relative_to_origin() {
        assert_eq!(
            resolve(BASE, "/ucwa/oauth/v1/applications/101/events?ack=1"),
            "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/events?ack=1"
        );
        assert_eq!(resolve("http://h:8090", "/a"), "http://h:8090/a");
        assert_eq!(resolve("http://h:8090/a/b?x", "//cdn/x"), "http://cdn/x");
    }

    #[test]
    fn resolve_relative_paths() {
        assert_eq!(resolve("http://h:8090/a/b?x", "c"), "http://h:8090/a/c");
        assert_eq!(resolve("http://h/a/b/c", "../d?q=1"), "http://h/a/d?q=1");
        assert_eq!(resolve("http://h/a/b", "./"), "http://h/a/");
        assert_eq!(resolve("http://h/a/b", "../../../x"), "http://h/x");
        assert_eq!(resolve("http://h/a/b?x#f", "?y=2"), "http://h/a/b?y=2");
        assert_eq!(resolve("http://h/a/b?x#f", ""), "http://h/a/b?x");
        assert_eq!(resolve("http://h", "c"), "http://h/c");
    }

    #[test]
    fn resolve_removes_dot_segments_from_every_path() {
        // Found by the differential test against `url`: root-relative and network-path
        // references kept their `.`/`..` segments, and a base's own ones changed the result.
        let base = "https://h/ucwa/v1/me";
        assert_eq!(
            resolve(base, "/a/./b/../c?x=/../#f"),
            "https://h/a/c?x=/../#f"
        );
        assert_eq!(resolve(base, "/."), "https://h/");
        assert_eq!(resolve(base, "/a/.."), "https://h/");
        assert_eq!(resolve(base, "//cdn/a/../b?q"), "https://cdn/b?q");
        assert_eq!(resolve(base, "//cdn?q"), "https://cdn?q");
        assert_eq!(resolve("http://h/a/b/../c", "d"), "http://h/a/d");
        assert_eq!(resolve("http://h/!/..", "A"), "http://h/A");
        assert_eq!(resolve("http://h/a/./b?x#f", "?y"), "http://h/a/b?y");
        assert_eq!(resolve("http://h/a/./b?x#f", "#g"), "http://h/a/b?x#g");
        assert_eq!(resolve("http://h/a/./b?x#f", ""), "http://h/a/b?x");
    }

    #[test]
    fn resolve_never_panics_on_garbage() {
        for (b, h) in [
            ("", ""),
            ("://", "/"),
            ("?", "#"),
            ("a", "../.."),
            ("%", "%zz/.."),
        ] {
            let _ = resolve(b, h);
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://h:8090/x").as_deref(),
            Some("http://h:8090")
        );
        assert_eq!(
            origin_of("HTTPS://LyncWeb.Contoso.com/a").as_deref(),
            Some("https://lyncweb.contoso.com")
        );
        assert_eq!(origin_of("https://h:443/a").as_deref(), Some("https://h"));
        assert_eq!(
            origin_of("http://user:pw@h:81?q").as_deref(),
            Some("http://h:81")
        );
        assert_eq!(
            origin_of("http://[::1]:8080/").as_deref(),
            Some("http://[::1]:8080")
        );
        assert_eq!(origin_of("http://[::1]/").as_deref(), Some("http://[::1]"));
        assert_eq!(origin_of("/ucwa/x"), None);
        assert_eq!(origin_of("http:///x"), None);
        assert_eq!(origin_of("http://h:port/"), None);
    }

    /// Each case a browser reads differently from how `origin_of` used to, found by the
    /// differential test against `url`. The origin decides who gets the bearer token.
    #[test]
    fn origins_as_the_browser_reads_them() {
        let origin = |url: &str| origin_of(url);
        // `\` ends the authority: the browser connects to `evil.example`, not to the host
        // after the `@`.
        assert_eq!(
            origin("https://evil.example\\@lyncweb.contoso.com/ucwa").as_deref(),
            Some("https://evil.example")
        );
        assert_eq!(origin("http://h\\x").as_deref(), Some("http://h"));
        // The port is a number: leading zeros do not make it another port, 65536 is no port.
        assert_eq!(origin("http://h:0080/").as_deref(), Some("http://h"));
        assert_eq!(origin("https://h:00443").as_deref(), Some("https://h"));
        assert_eq!(origin("http://h:08090/x").as_deref(), Some("http://h:8090"));
        assert_eq!(origin("http://h:65535/").as_deref(), Some("http://h:65535"));
        assert_eq!(origin("http://h:65536/"), None);
        assert_eq!(origin("http://h:/").as_deref(), Some("http://h"));
        // A colon outside an IPv6 literal can only start the port.
        assert_eq!(origin("http://a::#"), None);
        assert_eq!(origin("http://a:1:2/"), None);
        assert_eq!(origin("http://[::1]x/"), None);
        // Only http(s) and ws(s) have a tuple origin; others are opaque.
        assert_eq!(origin("foo://h/x"), None);
        assert_eq!(origin("wss://h:443").as_deref(), Some("wss://h"));
        // Tabs and line breaks vanish; other leading characters are not whitespace to a browser.
        assert_eq!(
            origin("https://lync\nweb.contoso\t.com/").as_deref(),
            Some("https://lyncweb.contoso.com")
        );
        assert_eq!(origin(" https://h/ ").as_deref(), Some("https://h"));
        assert_eq!(origin("\u{a0}https://h/"), None);
        // Characters a browser refuses in a host.
        for host in [
            "a b", "a\u{1}b", "a<b", "a|b", "a^b", "a%2eb", "a[b", "a\u{7f}",
        ] {
            assert_eq!(origin(&format!("https://{host}/")), None, "{host}");
        }
    }

    #[test]
    fn with_query_never_touches_ack() {
        let u = "/ucwa/v1/applications/101/events?ack=5";
        assert_eq!(
            with_query(u, "timeout", "900"),
            "/ucwa/v1/applications/101/events?ack=5&timeout=900"
        );
        let u2 = with_query(&with_query(u, "timeout", "900"), "timeout", "180");
        assert_eq!(u2, "/ucwa/v1/applications/101/events?ack=5&timeout=180");
        assert_eq!(
            with_query("/a?x=%2F&ack=7&t=1&t=2#f", "t", "a b/é"),
            "/a?x=%2F&ack=7&t=a%20b%2F%C3%A9#f"
        );
        assert_eq!(
            with_query("http://h/p", "duration", "11"),
            "http://h/p?duration=11"
        );
        assert_eq!(with_query("http://h/p?", "k", ""), "http://h/p?k=");
    }

    #[test]
    fn query_params_decode() {
        let u = "http://h/p?presenceSubscriptionId=97b6bd66&q=a+b%20c&flag&e=#x";
        assert_eq!(
            query_param(u, "presenceSubscriptionId").as_deref(),
            Some("97b6bd66")
        );
        assert_eq!(query_param(u, "q").as_deref(), Some("a b c"));
        assert_eq!(query_param(u, "flag").as_deref(), Some(""));
        assert_eq!(query_param(u, "e").as_deref(), Some(""));
        assert_eq!(query_param(u, "x"), None);
        assert_eq!(query_param("http://h/p", "q"), None);
        assert_eq!(query_param("/p?bad=%zz%", "bad").as_deref(), Some("%zz%"));
    }

    #[test]
    fn form_encoding() {
        assert_eq!(
            form_encode(&[
                ("grant_type", "password"),
                ("username", "CONTOSO\\sara d"),
                ("password", "p&=+ä*")
            ]),
            "grant_type=password&username=CONTOSO%5Csara+d&password=p%26%3D%2B%C3%A4*"
        );
        assert_eq!(form_encode(&[]), "");
    }

    #[test]
    fn same_resource_ignores_origin_and_case() {
        assert!(same_resource(
            "https://lyncweb.contoso.com/ucwa/oauth/v1/applications/101/people/saraD@Contoso.com/presence",
            "/ucwa/oauth/v1/applications/101/people/sarad@contoso.com/presence"
        ));
        assert!(same_resource(
            "/people/sara%40contoso.com",
            "/people/sara@contoso.com"
        ));
        assert!(!same_resource("/a/b", "/a/c"));
        assert_eq!(path_and_query("http://h"), "");
    }
}

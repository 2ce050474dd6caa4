//! A small CSS minifier that runs at compile time (`const fn`), so the component sheets stay
//! readable in the source and the bundle carries them without comments or layout whitespace.
//!
//! It removes comments, turns every run of whitespace into one space, and drops that space
//! where CSS does not need it: next to `{ } ; , >` and after `:`. A space before `:` is kept
//! (`.a :hover` is not `.a:hover`), as is every space around `+` (`calc(1px + 2px)`). The
//! last `;` of a block goes. Quoted strings are copied as they are.

/// `css` minified into the first `len` bytes of an `N`-byte array: `(bytes, len)`. Call it with
/// `N = 0` to learn `len` (nothing is written past `N`), then with `N = len`.
pub const fn minify<const N: usize>(css: &str) -> ([u8; N], usize) {
    let src = css.as_bytes();
    let mut out = [0u8; N];
    let mut len = 0;
    let mut i = 0;
    // A whitespace run was skipped and not yet written as a space.
    let mut pending_space = false;
    // The last byte written (or counted).
    let mut prev = b'{';
    while i < src.len() {
        let b = src[i];
        if b == b'/' && i + 1 < src.len() && src[i + 1] == b'*' {
            i += 2;
            while i + 1 < src.len() && !(src[i] == b'*' && src[i + 1] == b'/') {
                i += 1;
            }
            // A comment is not whitespace: `.a/**/.b` is `.a.b`.
            i += 2;
            continue;
        }
        if b.is_ascii_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        if pending_space {
            pending_space = false;
            if !matches!(prev, b'{' | b'}' | b';' | b',' | b'>' | b':')
                && !matches!(b, b'{' | b'}' | b';' | b',' | b'>')
            {
                len = push(&mut out, len, b' ');
                prev = b' ';
            }
        }
        if b == b';' && matches!(next_significant(src, i + 1), Some(b'}')) {
            i += 1;
            continue;
        }
        if b == b'"' || b == b'\'' {
            let quote = b;
            len = push(&mut out, len, b);
            i += 1;
            while i < src.len() && src[i] != quote {
                if src[i] == b'\\' && i + 1 < src.len() {
                    len = push(&mut out, len, src[i]);
                    i += 1;
                }
                len = push(&mut out, len, src[i]);
                i += 1;
            }
            if i < src.len() {
                len = push(&mut out, len, quote);
                i += 1;
            }
            prev = quote;
            continue;
        }
        len = push(&mut out, len, b);
        prev = b;
        i += 1;
    }
    (out, len)
}

/// Writes `b` at `len` when it fits; returns the new length either way.
const fn push<const N: usize>(out: &mut [u8; N], len: usize, b: u8) -> usize {
    if len < N {
        out[len] = b;
    }
    len + 1
}

/// The next byte that is not whitespace or inside a comment.
const fn next_significant(src: &[u8], mut i: usize) -> Option<u8> {
    while i < src.len() {
        if src[i].is_ascii_whitespace() {
            i += 1;
        } else if src[i] == b'/' && i + 1 < src.len() && src[i + 1] == b'*' {
            i += 2;
            while i + 1 < src.len() && !(src[i] == b'*' && src[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else {
            return Some(src[i]);
        }
    }
    None
}

/// Minifies a `&'static str` constant into another: `minified_css!(SOURCE)`.
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_macros))]
macro_rules! minified_css {
    ($source:expr) => {{
        const LEN: usize = $crate::css::minify::<0>($source).1;
        const BYTES: [u8; LEN] = $crate::css::minify::<LEN>($source).0;
        match ::core::str::from_utf8(&BYTES) {
            Ok(css) => css,
            Err(_) => panic!("minified CSS is not UTF-8"),
        }
    }};
}
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub(crate) use minified_css;

#[cfg(test)]
mod tests {
    fn min(css: &str) -> String {
        let len = super::minify::<0>(css).1;
        let (bytes, n) = super::minify::<8192>(css);
        assert_eq!(n, len, "counting and writing agree");
        String::from_utf8(bytes[..n].to_vec()).unwrap()
    }

    #[test]
    fn drops_comments_and_layout_whitespace() {
        let css = "/* note */\n.a { color: red; margin: 0 auto; }\n\n.b,\n.c > .d { x: y }\n";
        assert_eq!(min(css), ".a{color:red;margin:0 auto}.b,.c>.d{x:y}");
    }

    #[test]
    fn keeps_spaces_that_matter() {
        assert_eq!(
            min(".a :hover { width: calc(100% + 4px); }"),
            ".a :hover{width:calc(100% + 4px)}"
        );
        assert_eq!(
            min("@media (prefers-color-scheme: dark) { .a { b: c } }"),
            "@media (prefers-color-scheme:dark){.a{b:c}}"
        );
        assert_eq!(min(".a .b{}"), ".a .b{}");
    }

    #[test]
    fn copies_quoted_strings_unchanged() {
        assert_eq!(
            min(r#".a[x="a  b;}"] { content: ' /* no */ '; }"#),
            r#".a[x="a  b;}"]{content:' /* no */ '}"#
        );
    }

    #[test]
    fn a_comment_is_not_whitespace() {
        assert_eq!(min(".a/* x */.b{}"), ".a.b{}");
        assert_eq!(min("a { b: c /* x */ d; }"), "a{b:c d}");
    }

    #[test]
    fn the_component_sheets_shrink_and_keep_every_rule() {
        let sheets = concat!(
            include_str!("ui/base.css"),
            include_str!("ui/badge/badge.css"),
            include_str!("ui/contact/contact.css"),
            include_str!("ui/signin/signin.css"),
            include_str!("ui/status/status.css"),
            include_str!("ui/contact_list/contact_list.css"),
        );
        let out = min(sheets);
        assert!(
            out.len() < sheets.len() * 9 / 10,
            "{} → {}",
            sheets.len(),
            out.len()
        );
        let mut rules = String::new();
        for (i, part) in sheets.split("/*").enumerate() {
            rules.push_str(if i == 0 {
                part
            } else {
                part.split_once("*/").map_or("", |(_, rest)| rest)
            });
        }
        assert_eq!(out.matches('{').count(), rules.matches('{').count());
        assert_eq!(out.matches('}').count(), rules.matches('}').count());
        assert_eq!(out.matches(':').count(), rules.matches(':').count());
        assert!(!out.contains("/*") && !out.contains('\n'));
    }
}

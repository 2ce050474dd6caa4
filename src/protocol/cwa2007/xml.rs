//! roxmltree helpers: names compared by local name (so both namespace spellings, and none,
//! are read alike), and an escaping writer for requests.

use roxmltree::{Document, Node};

use super::error::XmlError;

/// Parses `xml` (no DTD: roxmltree's default refuses one).
pub(super) fn parse(xml: &str) -> Result<Document<'_>, XmlError> {
    if xml.trim().is_empty() {
        return Err(XmlError("empty body".to_string()));
    }
    Document::parse(xml).map_err(|e| XmlError(e.to_string()))
}

/// Whether `node` is an element named `name` (local name, ASCII case ignored).
pub(super) fn is(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name().eq_ignore_ascii_case(name)
}

/// The local name of an element.
pub(super) fn name_of<'a>(node: Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

/// The element children of `node`, in document order.
pub(super) fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The first child element named `name`.
pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    elements(node).find(|n| is(*n, name))
}

/// The first descendant element (not `node` itself) named `name`.
pub(super) fn descendant<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants().skip(1).find(|n| is(*n, name))
}

/// An attribute by local name (`xsi:type` is `type`), ASCII case ignored.
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

/// The first of `names` that is present.
pub(super) fn attr_any<'a>(node: Node<'a, '_>, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| attr(node, name))
}

/// An attribute read as a number: `None` when absent or not a number.
pub(super) fn attr_num<T: std::str::FromStr>(node: Node<'_, '_>, name: &str) -> Option<T> {
    attr(node, name).and_then(number)
}

/// `true`/`false` (any case) or `1`/`0`; anything else is `None`.
pub(super) fn attr_bool(node: Node<'_, '_>, name: &str) -> Option<bool> {
    let value = attr(node, name)?.trim();
    if value.eq_ignore_ascii_case("true") || value == "1" {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") || value == "0" {
        Some(false)
    } else {
        None
    }
}

pub(super) fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

/// All text inside `node`, trimmed.
pub(super) fn text(node: Node<'_, '_>) -> String {
    joined(node.descendants())
}

/// The text of `node`'s own text children (not of its child elements), trimmed.
pub(super) fn own_text(node: Node<'_, '_>) -> String {
    joined(node.children())
}

fn joined<'a, 'i: 'a>(nodes: impl Iterator<Item = Node<'a, 'i>>) -> String {
    let all: String = nodes
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    all.trim().to_string()
}

/// The trimmed text of the first child element named `name`, when there is one.
pub(super) fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).map(text)
}

/// `Some` only for non-empty text.
pub(super) fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// A small XML writer: every text and attribute value escaped, characters XML 1.0 forbids
/// dropped.
#[derive(Default)]
pub(super) struct Writer {
    out: String,
}

impl Writer {
    /// `<name a="v" …>`.
    pub(super) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.start(name, attrs);
        self.out.push('>');
        self
    }

    /// `<name a="v" …/>`.
    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.start(name, attrs);
        self.out.push_str("/>");
        self
    }

    /// `</name>`.
    pub(super) fn close(&mut self, name: &str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<name a="v" …>text</name>`, or `<name …/>` when `text` is empty.
    pub(super) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        if text.is_empty() {
            return self.empty(name, attrs);
        }
        self.open(name, attrs);
        escape_into(&mut self.out, text, false);
        self.close(name)
    }

    /// Escaped text inside the open element.
    pub(super) fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.out, text, false);
        self
    }

    pub(super) fn finish(self) -> String {
        self.out
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value, true);
            self.out.push('"');
        }
    }
}

/// Whether XML 1.0 allows `c` in a document (Char production; Rust's `char` has no surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `value` escaped. In attributes, tab and line breaks become character references
/// (a parser would otherwise normalise them to spaces); in text, `\r` does (a parser would
/// turn it into `\n`).
fn escape_into(out: &mut String, value: &str, in_attribute: bool) {
    for c in value.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut w = Writer::default();
        w.leaf("t", &[("a", text)], text);
        w.finish()
    }

    fn read_back(xml: &str) -> (String, String) {
        let doc = Document::parse(xml).unwrap();
        let root = doc.root_element();
        (
            attr(root, "a").unwrap().to_string(),
            root.text().unwrap_or("").to_string(),
        )
    }

    #[test]
    fn markup_quotes_and_ampersands_round_trip_in_text_and_attributes() {
        let value = r#"<b>"Tom" & 'Jerry'</b> ]]> &amp;"#;
        let xml = written(value);
        assert!(!xml.contains("<b>"), "{xml}");
        assert_eq!(read_back(&xml), (value.to_string(), value.to_string()));
    }

    #[test]
    fn forbidden_control_characters_are_dropped_and_whitespace_kept() {
        let value = "a\u{0}b\u{1}c\u{8}d\u{b}e\u{c}f\u{1f}g\u{fffe}h\u{ffff}i";
        let xml = written(value);
        assert_eq!(read_back(&xml), ("abcdefghi".into(), "abcdefghi".into()));
        let spaced = "line 1\r\nline\t2\n";
        assert_eq!(
            read_back(&written(spaced)),
            (spaced.to_string(), spaced.to_string())
        );
    }

    #[test]
    fn names_and_attributes_match_by_local_name_in_any_namespace() {
        for ns in [
            " xmlns=\"http://schemas.microsoft.com/2006/09/rtc/cwa\"",
            " xmlns=\"https://schemas.microsoft.com/2006/09/rtc/cwa\"",
            "",
        ] {
            let xml =
                format!("<r{ns} xmlns:x=\"urn:x\"><x:Child x:Kind=\" k \"> 12 </x:Child></r>");
            let doc = parse(&xml).unwrap();
            let c = child(doc.root_element(), "child").unwrap();
            assert_eq!(attr(c, "kind"), Some(" k "));
            assert_eq!(text(c), "12");
            assert_eq!(number::<u32>(&text(c)), Some(12));
            assert_eq!(attr_num::<u32>(c, "kind"), None);
        }
    }

    #[test]
    fn empty_and_broken_documents_are_errors() {
        for bad in [
            "",
            "  \n",
            "<a>",
            "<a></b>",
            "no xml",
            "<!DOCTYPE a []><a/>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}

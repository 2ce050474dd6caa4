//! CWA XML: reading with `roxmltree`, writing with `quick_xml`'s escaper.
//!
//! Input is matched by local name, in the CWA namespace (`http://` or the re-rendered
//! `https://` form) or none (bb969612: a logon needs no xmlns); category payloads (`state`,
//! `note`) are matched by local name alone.

use quick_xml::escape::escape;
use roxmltree::{Document, Node};

pub const CWA_NS: &str = "http://schemas.microsoft.com/2006/09/rtc/cwa";
const CWA_NS_HTTPS: &str = "https://schemas.microsoft.com/2006/09/rtc/cwa";
pub const STATE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/state";
pub const NOTE_NS: &str = "http://schemas.microsoft.com/2006/09/sip/note";
pub const CARD_NS: &str = "http://schemas.microsoft.com/2006/09/sip/contactcard";
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Parses a request body; the error says why it is not well-formed XML.
pub fn parse(body: &[u8]) -> Result<Document<'_>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "The body is not UTF-8.".to_string())?;
    Document::parse(text).map_err(|e| format!("The body is not well-formed XML: {e}."))
}

/// An element of the CWA vocabulary (in its namespace or none) named `name`.
pub fn is_cwa(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && matches!(
            node.tag_name().namespace(),
            None | Some(CWA_NS) | Some(CWA_NS_HTTPS)
        )
}

/// The element children of `node`.
pub fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The first element child with the local name `name` (any namespace).
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    elements(node).find(|n| n.tag_name().name() == name)
}

/// An attribute by local name, whatever its namespace, matched case-insensitively
/// (`AckId`/`AckID` style variations).
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

/// The element's text content, trimmed (empty for none).
pub fn text(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// An XML document being written: elements with escaped attributes and text.
#[derive(Default)]
pub struct Out(String);

impl Out {
    pub fn new() -> Self {
        Out(String::new())
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.0.push('<');
        self.0.push_str(name);
        for (k, v) in attrs {
            self.0.push(' ');
            self.0.push_str(k);
            self.0.push_str("=\"");
            self.0.push_str(&escape(*v));
            self.0.push('"');
        }
    }

    /// `<name attrs>`
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.start(name, attrs);
        self.0.push('>');
        self
    }

    /// `</name>`
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
        self
    }

    /// `<name attrs/>`
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.start(name, attrs);
        self.0.push_str("/>");
        self
    }

    /// `<name attrs>text</name>`
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(name, attrs);
        self.0.push_str(&escape(text));
        self.close(name)
    }

    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_escaped_attributes_and_text() {
        let mut out = Out::new();
        out.open("a", &[("x", "1 < 2 & \"q\"")])
            .leaf("b", &[], "<tag> & more")
            .empty("c", &[])
            .close("a");
        let s = out.finish();
        assert_eq!(
            s,
            "<a x=\"1 &lt; 2 &amp; &quot;q&quot;\"><b>&lt;tag&gt; &amp; more</b><c/></a>"
        );
        let doc = parse(s.as_bytes()).unwrap();
        assert_eq!(attr(doc.root_element(), "X"), Some("1 < 2 & \"q\""));
        assert_eq!(
            text(child(doc.root_element(), "b").unwrap()),
            "<tag> & more"
        );
    }

    #[test]
    fn both_namespaces_and_none_are_cwa() {
        for ns in [
            " xmlns=\"http://schemas.microsoft.com/2006/09/rtc/cwa\"",
            " xmlns=\"https://schemas.microsoft.com/2006/09/rtc/cwa\"",
            "",
        ] {
            let xml = format!("<cwaRequests{ns}/>");
            let doc = parse(xml.as_bytes()).unwrap();
            assert!(is_cwa(doc.root_element(), "cwaRequests"), "{ns}");
        }
        let doc = parse(b"<cwaRequests xmlns=\"urn:other\"/>").unwrap();
        assert!(!is_cwa(doc.root_element(), "cwaRequests"));
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"\xff\xfe").is_err());
    }
}

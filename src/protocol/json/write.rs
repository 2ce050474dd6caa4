//! The JSON writer: string escaping and a builder for the flat objects UCWA requests carry.

/// Appends `text` as a JSON string literal, escaped as serde_json does: `"` and `\`, the short
/// escapes `\b \f \n \r \t`, other control characters as `\u00xx`; everything else as is.
pub fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let code = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds one JSON object member by member, in the order given, with no whitespace:
/// `ObjectWriter::new().string("availability", "Busy").finish()` is `{"availability":"Busy"}`.
#[derive(Debug, Clone)]
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter::new()
    }
}

impl ObjectWriter {
    pub fn new() -> Self {
        ObjectWriter {
            out: String::from("{"),
        }
    }

    /// Adds `"key":"value"`.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        write_string(&mut self.out, value);
        self
    }

    /// Adds `"key":n`.
    pub fn integer(mut self, key: &str, value: u64) -> Self {
        self.key(key);
        self.out.push_str(&value.to_string());
        self
    }

    /// Adds `"key":` followed by `json`, which must already be a JSON value (a nested object
    /// from another writer, `true`).
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// Adds `"key":["a","b",…]`.
    pub fn strings<S: AsRef<str>>(mut self, key: &str, values: &[S]) -> Self {
        self.key(key);
        self.out.push('[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_string(&mut self.out, value.as_ref());
        }
        self.out.push(']');
        self
    }

    /// The finished object text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(&mut self.out, key);
        self.out.push(':');
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Value};
    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, text);
        out
    }

    #[test]
    fn escapes_like_serde_json() {
        assert_eq!(quoted("plain"), r#""plain""#);
        assert_eq!(quoted("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(quoted("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(quoted("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(quoted("Zoë 😀"), "\"Zoë 😀\"");
    }

    #[test]
    fn escaped_strings_read_back() {
        let nasty: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é€😀".chars())
            .collect();
        assert_eq!(parse(&quoted(&nasty), "test"), Ok(Value::String(nasty)));
    }

    #[test]
    fn objects_in_member_order() {
        assert_eq!(ObjectWriter::new().finish(), "{}");
        assert_eq!(
            ObjectWriter::new().string("availability", "Busy").finish(),
            r#"{"availability":"Busy"}"#
        );
        assert_eq!(
            ObjectWriter::new()
                .integer("duration", 11)
                .strings("Uris", &["sip:a@b.c", "sip:\"q\"@d"])
                .finish(),
            r#"{"duration":11,"Uris":["sip:a@b.c","sip:\"q\"@d"]}"#
        );
        let inner = ObjectWriter::new().string("a", "b").finish();
        assert_eq!(
            ObjectWriter::new()
                .raw("h", &inner)
                .raw("k", "true")
                .finish(),
            r#"{"h":{"a":"b"},"k":true}"#
        );
        let none: [&str; 0] = [];
        assert_eq!(
            ObjectWriter::new().strings("contactUris", &none).finish(),
            r#"{"contactUris":[]}"#
        );
    }
}

//! The JSON reader: a recursive-descent parser over the bytes of a `&str` (RFC 8259).

use super::Value;
use crate::protocol::error::ProtocolError;

/// How deeply arrays and objects may nest; deeper documents are rejected, not overflowed.
/// serde_json's limit, so documents the widget used to accept still parse.
pub const MAX_DEPTH: usize = 127;

/// Parses a whole JSON document. `what` names the document in the error (`"contact"`, …); the
/// error's reason says what was wrong and at which byte offset.
pub fn parse(text: &str, what: &'static str) -> Result<Value, ProtocolError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser
        .document()
        .map_err(|(at, problem)| ProtocolError::new(what, format!("{problem} at byte {at}")))
}

/// Where parsing stopped and why.
type Failure = (usize, &'static str);

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Value, Failure> {
        let value = self.value()?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return self.fail("trailing characters");
        }
        Ok(value)
    }

    fn fail<T>(&self, problem: &'static str) -> Result<T, Failure> {
        Err((self.pos, problem))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace) or fails with `problem`.
    fn expect(&mut self, byte: u8, problem: &'static str) -> Result<(), Failure> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.fail(problem)
        }
    }

    fn value(&mut self) -> Result<Value, Failure> {
        self.skip_whitespace();
        match self.peek() {
            None => self.fail("unexpected end of input"),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("expected a value"),
        }
    }

    /// Runs `container` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(
        &mut self,
        container: fn(&mut Self) -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        if self.depth >= MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        self.depth += 1;
        let value = container(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &'static str, value: Value) -> Result<Value, Failure> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.fail("expected a value")
        }
    }

    fn array(&mut self) -> Result<Value, Failure> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.fail("expected ',' or ']'"),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Failure> {
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return self.fail("expected a member name");
            }
            let key = self.string()?;
            self.expect(b':', "expected ':'")?;
            members.push((key, self.value()?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return self.fail("expected ',' or '}'"),
            }
        }
    }

    /// A number, kept as its text once it matches `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`.
    fn number(&mut self) -> Result<Value, Failure> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return self.fail("expected a digit"),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        match self.text.get(start..self.pos) {
            Some(text) => Ok(Value::Number(text.to_string())),
            None => self.fail("invalid number"),
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), Failure> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return self.fail("expected a digit");
        }
        self.digits();
        Ok(())
    }

    /// A string starting at the opening quote, with its escapes decoded.
    fn string(&mut self) -> Result<String, Failure> {
        self.pos += 1; // '"'
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character as it is: those
            // are ASCII, so the run ends on a character boundary.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match self.text.get(run_start..self.pos) {
                Some(run) => out.push_str(run),
                None => return self.fail("invalid string"),
            }
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return self.fail("control character in string"),
                None => return self.fail("unterminated string"),
            }
        }
    }

    /// The character of the escape after a backslash.
    fn escape(&mut self) -> Result<char, Failure> {
        let Some(b) = self.peek() else {
            return self.fail("unterminated string");
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => {
                self.pos -= 1;
                return self.fail("invalid escape");
            }
        })
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; lone surrogates are errors.
    fn unicode_escape(&mut self) -> Result<char, Failure> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return self.fail("lone leading surrogate");
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.fail("invalid trailing surrogate");
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return self.fail("lone trailing surrogate"),
            _ => first,
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.fail("invalid unicode escape"),
        }
    }

    fn hex4(&mut self) -> Result<u32, Failure> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return self.fail("expected four hex digits"),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value {
        parse(text, "test").unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> String {
        match parse(text, "test") {
            Ok(v) => panic!("{text} parsed as {v:?}"),
            Err(e) => {
                assert_eq!(e.what, "test");
                e.reason
            }
        }
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_string())
    }

    #[test]
    fn scalars_and_whitespace() {
        assert_eq!(ok("null"), Value::Null);
        assert_eq!(ok(" \t\r\ntrue \n"), Value::Bool(true));
        assert_eq!(ok("false"), Value::Bool(false));
        assert_eq!(ok("\"\""), s(""));
        assert_eq!(ok("0"), Value::Number("0".into()));
    }

    #[test]
    fn nesting_keeps_order_and_structure() {
        let v = ok(r#" { "b" : [ 1 , { "x" : [ ] } , "s" ] , "a" : { } } "#);
        assert_eq!(
            v,
            Value::Object(vec![
                (
                    "b".into(),
                    Value::Array(vec![
                        Value::Number("1".into()),
                        Value::Object(vec![("x".into(), Value::Array(vec![]))]),
                        s("s"),
                    ])
                ),
                ("a".into(), Value::Object(vec![])),
            ])
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        for text in [
            "0", "-0", "7", "-12", "3.25", "1e3", "1E+3", "-2.5e-7", "0.0",
        ] {
            assert_eq!(ok(text), Value::Number(text.into()), "{text}");
        }
        let huge = "123456789012345678901234567890";
        assert_eq!(ok(huge), Value::Number(huge.into()));
        assert_eq!(ok(huge).as_i64(), None);
        assert_eq!(ok("1e400"), Value::Number("1e400".into()));
        let long = "9".repeat(10_000);
        assert_eq!(ok(&long), Value::Number(long.clone()));
    }

    #[test]
    fn malformed_numbers() {
        for text in [
            "01", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "0x10", "1.e3", "NaN", "Infinity",
            "-1-",
        ] {
            let _ = err(text);
        }
    }

    #[test]
    fn string_escapes() {
        assert_eq!(ok(r#""a\"b\\c\/d""#), s("a\"b\\c/d"));
        assert_eq!(ok(r#""\b\f\n\r\t""#), s("\u{8}\u{c}\n\r\t"));
        assert_eq!(ok(r#""\u0041\u00e9\u20AC""#), s("Aé€"));
        assert_eq!(ok(r#""\u0000""#), s("\0"));
        assert_eq!(
            ok(r#""\/Date(1358827096000)\/""#),
            s("/Date(1358827096000)/")
        );
    }

    #[test]
    fn unicode_text_and_surrogate_pairs() {
        assert_eq!(ok("\"Zoë 東京 😀\""), s("Zoë 東京 😀"));
        assert_eq!(ok(r#""\ud83d\ude00""#), s("😀"));
        assert_eq!(ok(r#""x\uD834\uDD1Ey""#), s("x𝄞y"));
        assert!(err(r#""\ud83d""#).contains("lone leading surrogate"));
        assert!(err(r#""\ud83dx""#).contains("lone leading surrogate"));
        assert!(err(r#""\ud83d\u0041""#).contains("invalid trailing surrogate"));
        assert!(err(r#""\ude00""#).contains("lone trailing surrogate"));
    }

    #[test]
    fn malformed_strings() {
        assert!(err("\"abc").contains("unterminated string"));
        assert!(err("\"abc\\").contains("unterminated string"));
        assert!(err("\"a\nb\"").contains("control character"));
        assert!(err("\"a\tb\"").contains("control character"));
        assert!(err(r#""\x""#).contains("invalid escape"));
        assert!(err(r#""\u12""#).contains("hex digits"));
        assert!(err(r#""\u12G4""#).contains("hex digits"));
        assert!(err("'single'").contains("expected a value"));
    }

    #[test]
    fn malformed_documents_say_where() {
        assert_eq!(err(""), "unexpected end of input at byte 0");
        assert_eq!(err("   "), "unexpected end of input at byte 3");
        assert_eq!(err("<html>"), "expected a value at byte 0");
        assert_eq!(err("{\"a\":1 \"b\":2}"), "expected ',' or '}' at byte 7");
        assert_eq!(err("[1 2]"), "expected ',' or ']' at byte 3");
        assert_eq!(err("{\"a\" 1}"), "expected ':' at byte 5");
        assert_eq!(err("{a:1}"), "expected a member name at byte 1");
        assert_eq!(err("{\"a\":1,}"), "expected a member name at byte 7");
        assert_eq!(err("[1,]"), "expected a value at byte 3");
        assert_eq!(err("{} x"), "trailing characters at byte 3");
        assert_eq!(err("nul"), "expected a value at byte 0");
        assert_eq!(err("truex"), "trailing characters at byte 4");
        for text in ["{", "[", "{\"a\"", "{\"a\":", "[1,", "{\"_links\":{"] {
            let _ = err(text);
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep_ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&deep_ok, "test").is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(err(&too_deep).contains("nested too deeply"));
        let objects = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        assert!(err(&objects).contains("nested too deeply"));
        // Far deeper than any stack allows, still a clean error.
        let hostile = "[".repeat(1_000_000);
        assert!(err(&hostile).contains("nested too deeply"));
    }

    #[test]
    fn random_token_soup_never_panics() {
        const TOKENS: [&str; 24] = [
            "{",
            "}",
            "[",
            "]",
            "\"",
            ":",
            ",",
            "\\",
            "u",
            "d83d",
            "de00",
            "0",
            "1",
            "e",
            ".",
            "-",
            "true",
            "nul",
            " ",
            "\n",
            "é",
            "\u{1}",
            "\"k\":",
            "[1,{\"a\":[]}]",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            // xorshift64: deterministic, so a failure reproduces.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut parsed = 0;
        for _ in 0..20_000 {
            let len = next() % 16;
            let text: String = (0..len)
                .filter_map(|_| TOKENS.get((next() % TOKENS.len() as u64) as usize).copied())
                .collect();
            if let Ok(value) = parse(&text, "test") {
                parsed += 1;
                assert!(
                    !matches!(value, Value::Number(ref t) if t.is_empty()),
                    "{text}"
                );
            }
        }
        // The soup must exercise the success path too, not only errors.
        assert!(parsed > 100, "{parsed}");
    }

    #[test]
    fn never_panics_on_truncations_of_a_real_document() {
        let doc = r#"{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n"],"b":{"c":"Zoë"}}"#;
        assert!(parse(doc, "test").is_ok());
        for end in 0..doc.len() {
            if let Some(prefix) = doc.get(..end) {
                assert!(parse(prefix, "test").is_err(), "{prefix}");
            }
        }
    }
}

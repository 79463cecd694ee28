//! The kind of a JSON response body, read without building a `serde_json::Value`.
//!
//! The parsers check a body's kind before they deserialize it, because serde fills a
//! struct from an array field by field. They deserialize straight from the text. A
//! `serde_json::Value` in between linked its own deserializer and a `BTreeMap`, which made
//! up 5 KB of the app's wasm as brotli (release build, brotli -q 11).

use serde::de::IgnoredAny;

/// Kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    /// Returns the kind with its article, as error messages name it: "an array".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number => "a number",
            Self::String => "a string",
            Self::Array => "an array",
            Self::Object => "an object",
        }
    }
}

/// Returns the kind of the JSON text `body`, or serde_json's error when `body` is not
/// valid JSON.
pub fn json_kind(body: &str) -> Result<JsonKind, serde_json::Error> {
    serde_json::from_str::<IgnoredAny>(body)?;
    // Valid JSON text is its value between optional whitespace (RFC 8259 section 2), and
    // the value's first byte determines its kind.
    let value = body.trim_start_matches([' ', '\t', '\n', '\r']);
    let kind = match value.as_bytes().first() {
        Some(b'{') => JsonKind::Object,
        Some(b'[') => JsonKind::Array,
        Some(b'"') => JsonKind::String,
        Some(b't' | b'f') => JsonKind::Bool,
        Some(b'n') => JsonKind::Null,
        _ => JsonKind::Number,
    };
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_valid_bodies() {
        let cases = [
            ("null", JsonKind::Null),
            (" true", JsonKind::Bool),
            ("false\n", JsonKind::Bool),
            ("-1.5e3", JsonKind::Number),
            ("0", JsonKind::Number),
            (r#""text""#, JsonKind::String),
            ("\r\n\t[1, 2]", JsonKind::Array),
            (r#"{"a": [1]}"#, JsonKind::Object),
        ];
        for (body, kind) in cases {
            assert_eq!(json_kind(body).unwrap(), kind, "{body:?}");
        }
    }

    #[test]
    fn invalid_bodies_rejected() {
        for body in ["", "<html>", "{", "[1,]", "nul", "{} {}", "\u{feff}{}"] {
            assert!(json_kind(body).is_err(), "{body:?}");
        }
    }
}

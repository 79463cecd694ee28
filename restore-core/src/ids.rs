//! Identifiers typed or pasted by the user: restore sessions, mailboxes and Entra
//! applications are all GUIDs in the VB365 API.

use std::fmt;

use uuid::Uuid;

/// Why a typed identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Missing,
    Invalid,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Missing => f.write_str("Required."),
            IdError::Invalid => f.write_str(
                "Not a valid ID. Enter a GUID of 32 hexadecimal digits, \
                 such as 1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01.",
            ),
        }
    }
}

/// Parses a GUID as an administrator pastes it: surrounding spaces and the braces that
/// Windows tools print are removed; the hyphenated form is required otherwise.
pub fn parse_guid(input: &str) -> Result<Uuid, IdError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(IdError::Missing);
    }

    let inner = trimmed
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(trimmed)
        .trim();

    // `Uuid::parse_str` also takes the simple and URN forms; the API prints only the
    // hyphenated one, so anything else is more likely a wrong paste than a GUID.
    if inner.len() != 36 {
        return Err(IdError::Invalid);
    }
    Uuid::parse_str(inner).map_err(|_| IdError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01";

    #[test]
    fn accepts_hyphenated() {
        assert_eq!(parse_guid(ID).unwrap().to_string(), ID);
    }

    #[test]
    fn trims_spaces_and_braces() {
        let parsed = parse_guid(&format!("  {{{ID}}}\n")).unwrap();
        assert_eq!(parsed.to_string(), ID);
    }

    #[test]
    fn upper_case_is_normalised() {
        let parsed = parse_guid(&ID.to_uppercase()).unwrap();
        assert_eq!(parsed.to_string(), ID);
    }

    #[test]
    fn empty_is_missing() {
        assert_eq!(parse_guid("   "), Err(IdError::Missing));
    }

    #[test]
    fn rejects_malformed() {
        for input in [
            "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a0",
            "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a0g",
            "1f0e6a527c3d4c1e9a573c2b8d4e0a01",
            "urn:uuid:1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01",
            "{1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01",
            "mailbox@contoso.com",
        ] {
            assert_eq!(parse_guid(input), Err(IdError::Invalid), "{input}");
        }
    }
}

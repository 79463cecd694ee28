//! A string that must not leak: passwords, tokens and certificate Base64.

use std::fmt;

use serde::{Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

/// A secret value kept only in memory. `Debug` prints `***`, there is no `Display`, and the
/// buffer is overwritten with zeros when the value is dropped.
///
/// Serializing it writes the value itself: that is how it reaches the request body, and
/// the only way it leaves this type besides [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// Returns the value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Bytes that must not leak, such as a PFX file: `Debug` prints only the length, and the
/// buffer is overwritten with zeros when the value is dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Returns the bytes, for the local checks that read them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "*** ({} bytes)", self.0.len())
    }
}

/// Overwrites a string that held a secret with zeros and leaves it empty.
pub fn wipe(value: &mut String) {
    value.zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_value() {
        let secret = Secret::new("paSSw0rd");
        assert_eq!(format!("{secret:?}"), "***");
    }

    #[test]
    fn bytes_debug_hides_content() {
        let bytes = SecretBytes::new(vec![0x41, 0x42]);
        assert_eq!(format!("{bytes:?}"), "*** (2 bytes)");
    }

    #[test]
    fn wipe_empties_the_string() {
        let mut typed = String::from("M365-Demo-1");
        wipe(&mut typed);
        assert!(typed.is_empty());
    }

    #[test]
    fn serializes_value() {
        let secret = Secret::new("paSSw0rd");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"paSSw0rd\"");
    }
}

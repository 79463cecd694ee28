//! Inspection of the certificate file an administrator picks, before it is sent to the
//! Veeam server: what kind of file it is, whether the password opens it, and what it contains.
//!
//! Everything here is pure Rust on the RustCrypto `der` family of crates, so it runs in the
//! browser (wasm32) and on the host. No function reads a clock. No function is meant to panic
//! on any input, and a property test feeds them arbitrary and mutated files. Work on hostile
//! input is bounded because iteration counts above [`MAX_ITERATIONS`] are rejected as
//! unsupported, and so are bag nestings deeper than a few levels.

mod certificate;
mod decrypt;
mod details;
mod detect;
mod mac;

pub use certificate::CertificateDetails;
pub use decrypt::{Encryption, Pbes2Cipher, Pkcs12PbeCipher, Prf};
pub use details::{describe, warnings, DescribeError, PfxDetails};
pub use detect::{inspect_file, FileKind, Inspection, TextEncoding};
pub use mac::{check_password, MacDescription, PasswordCheck, PasswordEncoding};

/// Largest iteration count accepted for a MAC key, a PKCS#12 PBE key or a PBKDF2 key.
/// RFC 8018 section 4.2 calls 10,000,000 fitting for especially critical keys. More would
/// keep the browser busy for seconds on each derivation (an estimate, not measured in wasm).
pub const MAX_ITERATIONS: u32 = 10_000_000;

/// Builds the "not supported" reason for an iteration count above [`MAX_ITERATIONS`].
fn too_many_iterations(algorithm: &str, iterations: u64) -> String {
    format!("{algorithm} with {iterations} iterations (more than {MAX_ITERATIONS} are not checked)")
}

/// Formats bytes as uppercase hexadecimal without separators.
fn to_hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut text = String::with_capacity(bytes.len().saturating_mul(2));
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

//! Checks of the `applicationCertificate` credential: strict Base64, then a PKCS#12 file
//! that opens with the given password and contains a private key.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use openssl::pkcs12::Pkcs12;
use openssl::provider::Provider;
use std::sync::OnceLock;

use crate::errors::ApiError;

/// .NET's `Convert.FromBase64String` message for a length that is not a multiple of 4.
pub const INVALID_LENGTH_MESSAGE: &str = "Invalid length for a Base-64 char array or string.";
/// .NET's `Convert.FromBase64String` message for characters outside the alphabet.
pub const INVALID_CHARACTER_MESSAGE: &str = "The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters.";
/// Windows' message for a PFX whose password is wrong.
pub const WRONG_PASSWORD_MESSAGE: &str = "The specified network password is not correct.";
/// Windows' message for data that is not a PKCS#12 file.
pub const NOT_PKCS12_MESSAGE: &str = "Cannot find the requested object.";
pub const NO_PRIVATE_KEY_MESSAGE: &str = "The certificate has no private key. Export the certificate together with its private key as a PFX (PKCS#12) file.";
pub const NO_CERTIFICATE_MESSAGE: &str = "The PFX file contains no certificate. Export the certificate together with its private key as a PFX (PKCS#12) file.";

static PROVIDERS: OnceLock<Vec<Provider>> = OnceLock::new();

/// Loads OpenSSL 3's `default` and `legacy` providers once, so that PFX files with RC2 or
/// 3DES encryption (`openssl pkcs12 -export -legacy`) open as well as AES ones. A missing
/// legacy provider is logged, and such files then fail with the wrong-password message.
pub fn load_openssl_providers() {
    PROVIDERS.get_or_init(|| {
        openssl::init();
        let mut providers = Vec::new();
        for name in ["default", "legacy"] {
            match Provider::try_load(None, name, true) {
                Ok(provider) => providers.push(provider),
                Err(error) => {
                    tracing::warn!(provider = name, %error, "failed to load OpenSSL provider")
                }
            }
        }
        providers
    });
}

/// Decodes standard Base64 as strictly as .NET: alphabet `+` and `/`, `=` padding required,
/// no whitespace or line breaks, no `data:` prefix.
pub fn decode_strict_base64(text: &str) -> Result<Vec<u8>, ApiError> {
    let is_alphabet = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/';
    if !text.bytes().all(|byte| is_alphabet(byte) || byte == b'=') {
        return Err(ApiError::bad_request(INVALID_CHARACTER_MESSAGE));
    }
    if !text.len().is_multiple_of(4) {
        return Err(ApiError::bad_request(INVALID_LENGTH_MESSAGE));
    }
    let data = text.trim_end_matches('=');
    if text.len() - data.len() > 2 || data.contains('=') {
        return Err(ApiError::bad_request(INVALID_CHARACTER_MESSAGE));
    }
    // .NET ignores non-zero bits after the last character, so this decoder does too.
    let engine = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
            .with_decode_allow_trailing_bits(true),
    );
    engine
        .decode(text)
        .map_err(|_| ApiError::bad_request(INVALID_CHARACTER_MESSAGE))
}

/// Opens `der` as PKCS#12 with `password` (`None` for a password-less file) and requires a
/// certificate and a private key.
pub fn check_pfx(der: &[u8], password: Option<&str>) -> Result<(), ApiError> {
    load_openssl_providers();
    let pkcs12 = Pkcs12::from_der(der).map_err(|_| ApiError::bad_request(NOT_PKCS12_MESSAGE))?;
    let parsed = pkcs12
        .parse2(password.unwrap_or(""))
        .map_err(|_| ApiError::bad_request(WRONG_PASSWORD_MESSAGE))?;
    if parsed.pkey.is_none() {
        return Err(ApiError::bad_request(NO_PRIVATE_KEY_MESSAGE));
    }
    if parsed.cert.is_none() {
        return Err(ApiError::bad_request(NO_CERTIFICATE_MESSAGE));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_of(result: Result<Vec<u8>, ApiError>) -> String {
        let error = result.expect_err("decoding should fail");
        error.body["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn base64_accepts_padded_standard() {
        assert_eq!(decode_strict_base64("TWFu").unwrap(), b"Man");
        assert_eq!(decode_strict_base64("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_strict_base64("TQ==").unwrap(), b"M");
        assert_eq!(
            decode_strict_base64("+/+/").unwrap(),
            vec![0xfb, 0xff, 0xbf]
        );
    }

    #[test]
    fn base64_rejects_missing_padding() {
        assert_eq!(
            message_of(decode_strict_base64("TWE")),
            INVALID_LENGTH_MESSAGE
        );
    }

    #[test]
    fn base64_rejects_url_safe_and_whitespace() {
        for text in [
            "-_-_",
            "TWFu\nTWFu",
            "TW Fu",
            "data:application/x-pkcs12;base64,TWFu",
        ] {
            assert_eq!(
                message_of(decode_strict_base64(text)),
                INVALID_CHARACTER_MESSAGE,
                "{text:?}"
            );
        }
    }

    #[test]
    fn base64_rejects_misplaced_padding() {
        assert_eq!(
            message_of(decode_strict_base64("T===")),
            INVALID_CHARACTER_MESSAGE
        );
        assert_eq!(
            message_of(decode_strict_base64("TQ==TWFu")),
            INVALID_CHARACTER_MESSAGE
        );
    }
}

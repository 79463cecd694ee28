//! The PFX file sent with the application-certificate form.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::Zeroizing;

use crate::secret::Secret;

/// Largest PFX accepted. Application certificates with a key and a short chain take a few
/// kilobytes, so a file above this size is almost certainly not the intended one.
pub const MAX_CERTIFICATE_BYTES: u64 = 1024 * 1024;

/// Why a picked file was rejected before it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateFileError {
    Empty { name: String },
    TooLarge { name: String, size: u64 },
    Unreadable { name: String, detail: String },
}

impl fmt::Display for CertificateFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty { name } => write!(
                f,
                "\"{name}\" is empty. Pick the PFX file exported with the certificate's private key."
            ),
            Self::TooLarge { name, size } => write!(
                f,
                "\"{name}\" is {size} bytes; a certificate file is at most {MAX_CERTIFICATE_BYTES} bytes \
                 (1 MiB). Pick the PFX file of the application's certificate."
            ),
            Self::Unreadable { name, detail } => write!(
                f,
                "\"{name}\" could not be read ({detail}). Pick the file again."
            ),
        }
    }
}

/// Checks a file's size before its bytes are read.
pub fn check_certificate_size(name: &str, size: u64) -> Result<(), CertificateFileError> {
    if size == 0 {
        return Err(CertificateFileError::Empty { name: name.into() });
    }
    if size > MAX_CERTIFICATE_BYTES {
        return Err(CertificateFileError::TooLarge {
            name: name.into(),
            size,
        });
    }
    Ok(())
}

/// A picked certificate, ready to send: its name and size for display, and its bytes as
/// standard Base64 (alphabet `+` and `/`, `=` padding, no line breaks, no `data:` prefix),
/// the form Veeam's `applicationCertificate` field takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFile {
    pub name: String,
    pub size: u64,
    pub base64: Secret,
}

impl CertificateFile {
    /// Encodes the file's bytes; the caller's buffer is zeroed on drop by this function.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Self, CertificateFileError> {
        let bytes = Zeroizing::new(bytes);
        check_certificate_size(name, bytes.len() as u64)?;
        Ok(Self {
            name: name.into(),
            size: bytes.len() as u64,
            base64: Secret::new(encode_base64(&bytes)),
        })
    }
}

/// Encodes bytes as standard, padded Base64 on one line.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example certificate printed in Veeam's documentation of the mailbox restore
    /// ("Restoring Mailbox Data to Original Exchange Server", REST API v6).
    const VEEAM_EXAMPLE: &str = include_str!("../tests/fixtures/veeam-example-certificate.b64");

    #[test]
    fn rfc4648_vectors() {
        let vectors: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(encode_base64(input), expected);
        }
    }

    #[test]
    fn uses_standard_alphabet() {
        assert_eq!(encode_base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn long_input_has_no_line_breaks() {
        let encoded = encode_base64(&[0x5a; 4096]);
        assert!(!encoded.contains('\n'));
        assert!(!encoded.contains('\r'));
        assert_eq!(encoded.len(), 4096_usize.div_ceil(3) * 4);
    }

    #[test]
    fn veeam_example_round_trips() {
        let text = VEEAM_EXAMPLE.trim();
        let bytes = STANDARD.decode(text).unwrap();
        // A PKCS#12 PFX is a DER SEQUENCE whose first field is version 3.
        assert_eq!(&bytes[..2], &[0x30, 0x82]);
        assert_eq!(&bytes[4..7], &[0x02, 0x01, 0x03]);
        assert_eq!(encode_base64(&bytes), text);
    }

    #[test]
    fn from_bytes_encodes() {
        let file = CertificateFile::from_bytes("app.pfx", b"foobar".to_vec()).unwrap();
        assert_eq!(file.base64.expose(), "Zm9vYmFy");
        assert_eq!(file.size, 6);
    }

    #[test]
    fn empty_file_rejected() {
        let error = CertificateFile::from_bytes("app.pfx", Vec::new()).unwrap_err();
        assert_eq!(
            error,
            CertificateFileError::Empty {
                name: "app.pfx".into()
            }
        );
        assert!(error.to_string().contains("is empty"));
    }

    #[test]
    fn size_limit_is_inclusive() {
        assert!(check_certificate_size("a.pfx", MAX_CERTIFICATE_BYTES).is_ok());
        let error = check_certificate_size("a.pfx", MAX_CERTIFICATE_BYTES + 1).unwrap_err();
        assert!(matches!(error, CertificateFileError::TooLarge { .. }));
        assert!(error.to_string().contains("1 MiB"));
    }
}

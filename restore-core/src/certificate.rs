//! The PFX file sent with the application-certificate form.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::Zeroizing;

use crate::pfx::inspect_file;
use crate::secret::{Secret, SecretBytes};

/// Largest PFX accepted. Application certificates with a key and a short chain take a few
/// kilobytes, so a file above this size is almost certainly not the intended one.
pub const MAX_CERTIFICATE_BYTES: u64 = 1024 * 1024;

/// Reason a picked file was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateFileError {
    Empty {
        name: String,
    },
    TooLarge {
        name: String,
        size: u64,
    },
    Unreadable {
        name: String,
        detail: String,
    },
    /// The certificate check could not run on the file, for example because its wasm
    /// module failed to load.
    Unchecked {
        name: String,
        detail: String,
    },
    /// Not a PFX file, nor the Base64 text of one.
    Rejected {
        message: String,
    },
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
            Self::Unchecked { name, detail } => write!(
                f,
                "\"{name}\" could not be checked ({detail}). Reload the page and pick the file again."
            ),
            Self::Rejected { message } => f.write_str(message),
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

/// A picked certificate, ready to check and to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFile {
    pub name: String,
    /// Size of the picked file in bytes.
    pub size: u64,
    /// The PFX bytes: the file itself, or what its Base64 text decodes to.
    pub pfx: SecretBytes,
    /// Standard Base64 of `pfx` (alphabet `+` and `/`, `=` padding, no line breaks, no
    /// `data:` prefix), the form Veeam's `applicationCertificate` field takes.
    pub base64: Secret,
    /// Description of what the file was recognised as, for the user.
    pub note: String,
}

impl CertificateFile {
    /// Recognises the picked file and keeps it if it is a PFX file or the Base64 text of
    /// one. The caller's buffer is zeroed on drop by this function.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Self, CertificateFileError> {
        let bytes = Zeroizing::new(bytes);
        check_certificate_size(name, bytes.len() as u64)?;

        let inspection = inspect_file(name, &bytes);
        let Some(pfx) = inspection.pfx else {
            return Err(CertificateFileError::Rejected {
                message: inspection.message,
            });
        };
        Ok(Self {
            name: name.into(),
            size: bytes.len() as u64,
            base64: Secret::new(encode_base64(&pfx)),
            pfx: SecretBytes::new(pfx),
            note: inspection.message,
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
    fn from_bytes_keeps_pfx() {
        let bytes = STANDARD.decode(VEEAM_EXAMPLE.trim()).unwrap();
        let file = CertificateFile::from_bytes("app.pfx", bytes.clone()).unwrap();
        assert_eq!(file.base64.expose(), VEEAM_EXAMPLE.trim());
        assert_eq!(file.pfx.expose(), bytes.as_slice());
        assert_eq!(file.size, bytes.len() as u64);
    }

    #[test]
    fn from_bytes_decodes_base64_text() {
        let text = format!("{}\r\n", VEEAM_EXAMPLE.trim());
        let file = CertificateFile::from_bytes("base64.txt", text.into_bytes()).unwrap();
        assert_eq!(file.base64.expose(), VEEAM_EXAMPLE.trim());
        assert!(file.note.contains("Base64"));
    }

    #[test]
    fn from_bytes_rejects_pem() {
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_vec();
        let error = CertificateFile::from_bytes("cert.pem", pem).unwrap_err();
        assert!(matches!(error, CertificateFileError::Rejected { .. }));
        assert!(error.to_string().contains("openssl pkcs12 -export"));
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

//! The verdict on a picked certificate with the typed password: the text shown under the
//! certificate fields, and whether the restore may be sent with it.

use crate::pfx::{check_password, describe, warnings, DescribeError, PasswordCheck, PfxDetails};

/// Result of checking a PFX file with a password in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateCheck {
    pub password: PasswordCheck,
    /// The certificates and encryption, when the file could be read with the password.
    pub details: Option<PfxDetails>,
    /// Things to know before sending, such as an expired certificate or AES encryption.
    pub warnings: Vec<String>,
    /// Reason the restore would fail with this file and password, when that is certain.
    pub problem: Option<String>,
}

/// Checks the password against the file's integrity MAC, then reads its contents.
/// `now_unix_secs` decides whether the certificates have expired.
pub fn check_certificate(pfx: &[u8], password: &str, now_unix_secs: i64) -> CertificateCheck {
    let password_check = check_password(pfx, password);
    let wrong_password = || {
        Some(format!(
            "Wrong certificate password. {}",
            PasswordCheck::Wrong.message()
        ))
    };

    let (details, problem, mut notes) = match &password_check {
        PasswordCheck::Wrong => (None, wrong_password(), Vec::new()),
        PasswordCheck::Malformed(_) => (None, Some(password_check.message()), Vec::new()),
        _ => match describe(pfx, password) {
            Ok(details) => {
                let problem = (!details.has_private_key).then(|| {
                    "The PFX file has no private key, so the restore cannot sign in with it. \
                     Export the certificate again with its private key."
                        .to_string()
                });
                (Some(details), problem, Vec::new())
            }
            Err(DescribeError::WrongPassword) => (None, wrong_password(), Vec::new()),
            Err(error @ DescribeError::Malformed(_)) => (None, Some(error.to_string()), Vec::new()),
            // The server may read what this module cannot, so this is a note, not a block.
            Err(error @ DescribeError::Unsupported(_)) => (None, None, vec![error.to_string()]),
        },
    };

    if let Some(details) = &details {
        notes.extend(warnings(details, now_unix_secs));
    }
    CertificateCheck {
        password: password_check,
        details,
        warnings: notes,
        problem,
    }
}

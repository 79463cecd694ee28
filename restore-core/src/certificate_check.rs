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

impl CertificateCheck {
    /// Returns the first sentence of the problem, for the short status beside the restore
    /// button; the full text is shown with the certificate.
    pub fn problem_summary(&self) -> Option<&str> {
        let problem = self.problem.as_deref()?;
        Some(match problem.find(". ") {
            Some(end) => &problem[..=end],
            None => problem,
        })
    }

    /// Whether the password verdict adds to the problem. A wrong password or a damaged
    /// file is the problem itself, so its verdict would say the same thing twice.
    pub fn shows_password_verdict(&self) -> bool {
        self.problem.is_none()
            || !matches!(
                self.password,
                PasswordCheck::Wrong | PasswordCheck::Malformed(_)
            )
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: PasswordCheck, problem: Option<&str>) -> CertificateCheck {
        CertificateCheck {
            password,
            details: None,
            warnings: Vec::new(),
            problem: problem.map(str::to_string),
        }
    }

    #[test]
    fn summary_is_first_sentence() {
        let summary = check(
            PasswordCheck::Wrong,
            Some("Wrong certificate password. The password does not open this PFX file."),
        );
        assert_eq!(
            summary.problem_summary(),
            Some("Wrong certificate password.")
        );
    }

    #[test]
    fn summary_of_one_sentence_is_whole() {
        let one = check(PasswordCheck::Wrong, Some("No private key"));
        assert_eq!(one.problem_summary(), Some("No private key"));
        assert_eq!(check(PasswordCheck::NoMac, None).problem_summary(), None);
    }

    #[test]
    fn wrong_password_verdict_not_repeated() {
        assert!(!check(PasswordCheck::Wrong, Some("Wrong.")).shows_password_verdict());
        let damaged = check(PasswordCheck::Malformed("x".into()), Some("Damaged."));
        assert!(!damaged.shows_password_verdict());
    }

    #[test]
    fn other_verdicts_shown() {
        assert!(check(PasswordCheck::Wrong, None).shows_password_verdict());
        assert!(check(PasswordCheck::NoMac, Some("No private key.")).shows_password_verdict());
    }
}

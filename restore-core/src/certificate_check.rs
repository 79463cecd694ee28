//! The verdict on a picked certificate with the typed password: the text shown under the
//! certificate fields, and whether the restore may be sent with it.

use std::fmt;

use serde::{Deserialize, Serialize};

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
        self.problem.as_deref().map(first_sentence)
    }

    /// Whether the password verdict adds to the problem. A wrong password or a damaged
    /// file is the problem itself, so its verdict would repeat it.
    pub fn shows_password_verdict(&self) -> bool {
        self.problem.is_none()
            || !matches!(
                self.password,
                PasswordCheck::Wrong | PasswordCheck::Malformed(_)
            )
    }
}

fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
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

impl CertificateCheck {
    /// Builds what the page shows of this check.
    pub fn report(&self) -> CertificateReport {
        let password_severity = match &self.password {
            PasswordCheck::Correct { .. } => Severity::Ok,
            PasswordCheck::Wrong | PasswordCheck::Malformed(_) => Severity::Error,
            PasswordCheck::NoMac | PasswordCheck::Unsupported(_) => Severity::Warning,
        };
        CertificateReport {
            password_severity,
            password_message: self
                .shows_password_verdict()
                .then(|| self.password.message()),
            details: self.details.as_ref().map(detail_rows),
            warnings: self.warnings.clone(),
            problem: self.problem.clone(),
        }
    }
}

/// Level of a verdict on the page: a pass, a warning or an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Warning,
    Error,
}

impl Severity {
    /// Returns the CSS class of the verdict.
    pub fn class(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// The part of a [`CertificateCheck`] that the page shows and that decides whether the
/// restore may be sent. The check runs in a wasm module of its own, loaded when a file is
/// picked, and hands this to the page as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateReport {
    pub password_severity: Severity,
    /// The password verdict, or `None` when the problem already contains it.
    pub password_message: Option<String>,
    /// Rows of the details list as (term, value), `None` when the file could not be read
    /// with the password.
    pub details: Option<Vec<(String, String)>>,
    pub warnings: Vec<String>,
    /// Reason the restore would fail with this file and password, when that is certain.
    pub problem: Option<String>,
}

impl CertificateReport {
    /// Returns the first sentence of the problem, for the short status beside the restore
    /// button; the full text is shown with the certificate.
    pub fn problem_summary(&self) -> Option<&str> {
        self.problem.as_deref().map(first_sentence)
    }

    /// Builds the report for a check that could not run, for example because its module
    /// failed to load. It blocks nothing, because the file may still be usable.
    pub fn unavailable(detail: &str) -> Self {
        Self {
            password_severity: Severity::Warning,
            password_message: Some(format!(
                "The certificate could not be checked in this browser ({detail}). \
                 Reload the page to check it."
            )),
            details: None,
            warnings: Vec::new(),
            problem: None,
        }
    }
}

/// Lists the leaf certificate's fields (or the first certificate's, when no leaf was
/// found), then the key, the encryption, the integrity MAC and the size of the chain.
fn detail_rows(details: &PfxDetails) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let leaf = details.leaf().or_else(|| details.certificates.first());
    if let Some(leaf) = leaf {
        rows.extend([
            ("Subject", leaf.subject.clone()),
            ("Issuer", leaf.issuer.clone()),
            ("Serial number", leaf.serial_hex.clone()),
            ("Valid from", leaf.not_before.clone()),
            ("Valid until", leaf.not_after.clone()),
            ("SHA-1 thumbprint", leaf.thumbprint_sha1.clone()),
        ]);
    }
    let private_key = if details.has_private_key {
        "present"
    } else {
        "missing"
    };
    rows.extend([
        ("Private key", private_key.to_string()),
        (
            "Certificate encryption",
            or_none(details.certificate_encryption.as_ref()),
        ),
        ("Key encryption", or_none(details.key_encryption.as_ref())),
        ("Integrity check", or_none(details.mac.as_ref())),
    ]);
    let others = details.certificates.len().saturating_sub(1);
    if others > 0 {
        rows.push(("Chain", format!("{others} more certificate(s)")));
    }
    rows.into_iter()
        .map(|(term, value)| (term.to_string(), value))
        .collect()
}

fn or_none(value: Option<&impl fmt::Display>) -> String {
    value.map_or_else(|| "none".to_string(), ToString::to_string)
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

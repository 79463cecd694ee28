//! The application-certificate form with real PFX files made by OpenSSL at test time.

mod pfx_support;

use restore_core::certificate::CertificateFile;
use restore_core::certificate_check::{check_certificate, CertificateReport, Severity};
use restore_core::credentials::Credentials;
use restore_core::form::{validate_restore_form, CredentialKind, Field, RestoreFormInput};
use restore_core::pfx::PasswordCheck;
use restore_core::secret::Secret;

const APP: &str = "8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10";
/// 2026-12-04T00:00:00Z, inside the validity of the corpus's current certificates.
const NOW_MS: f64 = 1_796_342_400_000.0;

fn form<'a>(
    file: &'a CertificateFile,
    password: &'a str,
    check: &'a CertificateReport,
) -> RestoreFormInput<'a> {
    RestoreFormInput {
        session_id: "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01",
        mailbox_id: "9e9b7199-f547-467a-b580-9d283a75eaad",
        kind: CredentialKind::ApplicationCertificate,
        user_name: "",
        user_password: "",
        application_id: APP,
        device_code: None,
        certificate: Some(file),
        certificate_password: password,
        certificate_check: Some(check),
        impersonation_account: "restore@contoso.com",
        now_ms: NOW_MS,
    }
}

fn pfx(name: &str) -> CertificateFile {
    CertificateFile::from_bytes(name, pfx_support::read(name)).expect("PFX accepted")
}

fn report(file: &CertificateFile, password: &str) -> CertificateReport {
    check_certificate(file.pfx.expose(), password, (NOW_MS / 1000.0) as i64).report()
}

#[test]
fn default_pfx_builds_request() {
    let file = pfx("default.pfx");
    let check = report(&file, pfx_support::PASSWORD);
    let request = validate_restore_form(&form(&file, pfx_support::PASSWORD, &check)).unwrap();
    let Credentials::ApplicationCertificate {
        application_id,
        certificate_base64,
        certificate_password,
        impersonation_account,
    } = request.credentials
    else {
        panic!("wrong credential form");
    };
    assert_eq!(application_id.to_string(), APP);
    assert_eq!(certificate_base64, file.base64);
    assert_eq!(
        certificate_password,
        Some(Secret::new(pfx_support::PASSWORD))
    );
    assert_eq!(impersonation_account, "restore@contoso.com");
}

#[test]
fn wrong_password_blocks_request() {
    let file = pfx("legacy.pfx");
    let check = report(&file, "not-it");
    let errors = validate_restore_form(&form(&file, "not-it", &check)).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, Field::Certificate);
    assert!(errors[0].message.starts_with("Wrong certificate password."));
}

#[test]
fn keyless_pfx_blocks_request() {
    let file = pfx("nokeys.pfx");
    let check = report(&file, pfx_support::PASSWORD);
    let errors = validate_restore_form(&form(&file, pfx_support::PASSWORD, &check)).unwrap_err();
    assert_eq!(errors[0].field, Field::Certificate);
    assert!(errors[0].message.contains("no private key"));
}

#[test]
fn empty_password_omits_field() {
    let file = pfx("empty-password.pfx");
    let check = report(&file, "");
    let body = validate_restore_form(&form(&file, "", &check))
        .unwrap()
        .credentials
        .restore_body();
    assert!(!body.contains("applicationCertificatePassword"));
}

#[test]
fn check_reports_details_and_aes_warning() {
    let file = pfx("default.pfx");
    let check = check_certificate(
        file.pfx.expose(),
        pfx_support::PASSWORD,
        (NOW_MS / 1000.0) as i64,
    );
    assert!(matches!(check.password, PasswordCheck::Correct { .. }));
    assert_eq!(check.problem, None);
    let details = check.details.expect("details");
    assert!(details.has_private_key);
    assert!(details.leaf().is_some());
    assert!(check
        .warnings
        .iter()
        .any(|warning| warning.contains("-legacy")));
}

#[test]
fn check_nomac_wrong_password_found() {
    let file = pfx("nomac.pfx");
    let check = check_certificate(file.pfx.expose(), "not-it", (NOW_MS / 1000.0) as i64);
    assert_eq!(check.password, PasswordCheck::NoMac);
    assert!(check.problem.is_some());
}

#[test]
fn check_expired_certificate_warns() {
    let file = pfx("expired.pfx");
    let check = check_certificate(
        file.pfx.expose(),
        pfx_support::PASSWORD,
        (NOW_MS / 1000.0) as i64,
    );
    assert_eq!(check.problem, None);
    assert!(check
        .warnings
        .iter()
        .any(|warning| warning.contains("expired")));
}

#[test]
fn report_lists_leaf_details() {
    let file = pfx("default.pfx");
    let check = report(&file, pfx_support::PASSWORD);
    assert_eq!(check.password_severity, Severity::Ok);
    assert_eq!(
        check.password_message.as_deref(),
        Some("The password opens this PFX file.")
    );
    assert_eq!(check.problem, None);
    let details = check.details.expect("details");
    let terms: Vec<&str> = details.iter().map(|(term, _)| term.as_str()).collect();
    assert_eq!(
        terms,
        [
            "Subject",
            "Issuer",
            "Serial number",
            "Valid from",
            "Valid until",
            "SHA-1 thumbprint",
            "Private key",
            "Certificate encryption",
            "Key encryption",
            "Integrity check",
        ]
    );
    let value = |term: &str| {
        details
            .iter()
            .find(|(name, _)| name == term)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(value("Private key"), Some("present"));
    assert!(value("Certificate encryption")
        .unwrap()
        .contains("AES-256-CBC"));
}

#[test]
fn report_of_wrong_password() {
    let file = pfx("legacy.pfx");
    let check = report(&file, "not-it");
    assert_eq!(check.password_severity, Severity::Error);
    assert_eq!(check.details, None);
    assert!(check
        .problem
        .as_deref()
        .unwrap()
        .starts_with("Wrong certificate password."));
}

#[test]
fn report_survives_json() {
    let file = pfx("default.pfx");
    let check = report(&file, pfx_support::PASSWORD);
    let text = serde_json::to_string(&check).unwrap();
    let parsed: CertificateReport = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, check);
}

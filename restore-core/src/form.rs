//! Validation of the restore form, field by field, into a request that can be sent.
//!
//! Each validator returns the message shown under its field, so the view can check a
//! field as it is typed and the submit path can check all of them at once with the same
//! rules.

use uuid::Uuid;

use crate::certificate::CertificateFile;
use crate::certificate_check::CertificateReport;
use crate::credentials::Credentials;
use crate::ids::parse_guid;
use crate::model::IssuedDeviceCode;
use crate::secret::Secret;

/// Credential form chosen by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CredentialKind {
    #[default]
    UserPassword,
    DeviceCode,
    ApplicationCertificate,
}

/// An input of the restore form, so that an error can be shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    SessionId,
    MailboxId,
    UserName,
    UserPassword,
    ApplicationId,
    DeviceCode,
    Certificate,
    ImpersonationAccount,
}

/// A message for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// Values of the form when the user presses Restore.
#[derive(Debug, Clone, Copy)]
pub struct RestoreFormInput<'a> {
    pub session_id: &'a str,
    pub mailbox_id: &'a str,
    pub kind: CredentialKind,
    pub user_name: &'a str,
    pub user_password: &'a str,
    pub application_id: &'a str,
    pub device_code: Option<&'a IssuedDeviceCode>,
    pub certificate: Option<&'a CertificateFile>,
    pub certificate_password: &'a str,
    /// The certificate check of `certificate` with `certificate_password`, made by
    /// [`crate::certificate_check::check_certificate`]. A certificate without it is not sent.
    pub certificate_check: Option<&'a CertificateReport>,
    pub impersonation_account: &'a str,
    /// Milliseconds since the Unix epoch, to tell whether the device code has expired.
    pub now_ms: f64,
}

/// A validated restore of one mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreRequest {
    pub session_id: Uuid,
    pub mailbox_id: Uuid,
    pub credentials: Credentials,
}

/// Validates a GUID field.
pub fn validate_guid(input: &str) -> Result<Uuid, String> {
    parse_guid(input).map_err(|error| error.to_string())
}

/// Maximum length of a user principal name, in characters. Microsoft Entra ID allows 113 characters before
/// the `@` and 256 in all; anything longer is a paste gone wrong.
pub const MAX_USER_PRINCIPAL_NAME_CHARS: usize = 256;

/// Validates a Microsoft 365 user principal name such as `admin@contoso.onmicrosoft.com`.
pub fn validate_user_principal_name(input: &str) -> Result<String, String> {
    let value = input.trim();
    if value.is_empty() {
        return Err("Required.".into());
    }

    let example = "Enter a user principal name such as admin@contoso.onmicrosoft.com.";
    if value.chars().count() > MAX_USER_PRINCIPAL_NAME_CHARS {
        return Err(format!(
            "Longer than {MAX_USER_PRINCIPAL_NAME_CHARS} characters. {example}"
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!("Contains a space. {example}"));
    }
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(value.to_string())
        }
        _ => Err(example.into()),
    }
}

/// Validates a password that must not be empty. Passwords are taken as typed, with no
/// trimming, because spaces can be part of them.
pub fn validate_password(input: &str) -> Result<Secret, String> {
    if input.is_empty() {
        Err("Required.".into())
    } else {
        Ok(Secret::new(input))
    }
}

/// Validates the whole form for the chosen credential form. Fields of the other forms
/// are ignored, whatever they hold.
pub fn validate_restore_form(
    input: &RestoreFormInput<'_>,
) -> Result<RestoreRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let session_id = collect_error(
        &mut errors,
        Field::SessionId,
        validate_guid(input.session_id),
    );
    let mailbox_id = collect_error(
        &mut errors,
        Field::MailboxId,
        validate_guid(input.mailbox_id),
    );
    let credentials = validate_credentials(input)
        .map_err(|more| errors.extend(more))
        .ok();

    match (session_id, mailbox_id, credentials) {
        (Some(session_id), Some(mailbox_id), Some(credentials)) if errors.is_empty() => {
            Ok(RestoreRequest {
                session_id,
                mailbox_id,
                credentials,
            })
        }
        _ => Err(errors),
    }
}

/// Validates only the credential form, for restores whose session and mailboxes were
/// picked from lists. The session and mailbox fields of `input` are ignored.
pub fn validate_credentials(input: &RestoreFormInput<'_>) -> Result<Credentials, Vec<FieldError>> {
    let mut errors = Vec::new();
    let credentials = match input.kind {
        CredentialKind::UserPassword => {
            let user_name = collect_error(
                &mut errors,
                Field::UserName,
                validate_user_principal_name(input.user_name),
            );
            let password = collect_error(
                &mut errors,
                Field::UserPassword,
                validate_password(input.user_password),
            );
            user_name
                .zip(password)
                .map(|(user_name, password)| Credentials::UserPassword {
                    user_name,
                    password,
                })
        }
        CredentialKind::DeviceCode => collect_error(
            &mut errors,
            Field::DeviceCode,
            validate_device_code(input.device_code, input.now_ms),
        )
        .map(|user_code| Credentials::DeviceCode { user_code }),
        CredentialKind::ApplicationCertificate => {
            let application_id = collect_error(
                &mut errors,
                Field::ApplicationId,
                validate_guid(input.application_id),
            );
            let certificate = collect_error(
                &mut errors,
                Field::Certificate,
                validate_certificate(input.certificate, input.certificate_check),
            );
            let impersonation_account = collect_error(
                &mut errors,
                Field::ImpersonationAccount,
                validate_user_principal_name(input.impersonation_account),
            );
            match (application_id, certificate, impersonation_account) {
                (Some(application_id), Some(certificate_base64), Some(impersonation_account)) => {
                    Some(Credentials::ApplicationCertificate {
                        application_id,
                        certificate_base64,
                        certificate_password: (!input.certificate_password.is_empty())
                            .then(|| Secret::new(input.certificate_password)),
                        impersonation_account,
                    })
                }
                _ => None,
            }
        }
    };
    credentials.filter(|_| errors.is_empty()).ok_or(errors)
}

/// Requires a picked PFX file whose check found no problem: the password opens it and it
/// has a private key.
fn validate_certificate(
    certificate: Option<&CertificateFile>,
    check: Option<&CertificateReport>,
) -> Result<Secret, String> {
    let file = certificate.ok_or_else(|| "Pick the application's PFX file.".to_string())?;
    let check = check.ok_or_else(|| {
        "The certificate has not been checked yet. Pick the PFX file again.".to_string()
    })?;
    match &check.problem {
        Some(problem) => Err(problem.clone()),
        None => Ok(file.base64.clone()),
    }
}

fn collect_error<T>(
    errors: &mut Vec<FieldError>,
    field: Field,
    result: Result<T, String>,
) -> Option<T> {
    result
        .map_err(|message| errors.push(FieldError { field, message }))
        .ok()
}

fn validate_device_code(code: Option<&IssuedDeviceCode>, now_ms: f64) -> Result<String, String> {
    let code = code.ok_or_else(|| "Get a device code and sign in with it first.".to_string())?;
    if code.is_expired(now_ms) {
        return Err(format!(
            "Device code {} has expired. Get a new code and sign in with it.",
            code.response.user_code
        ));
    }
    Ok(code.response.user_code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate_check::check_certificate;
    use crate::model::DeviceCodeResponse;

    const SESSION: &str = "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01";
    const MAILBOX: &str = "9e9b7199-f547-467a-b580-9d283a75eaad";
    const APP: &str = "8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10";

    fn input(kind: CredentialKind) -> RestoreFormInput<'static> {
        RestoreFormInput {
            session_id: SESSION,
            mailbox_id: MAILBOX,
            kind,
            user_name: "",
            user_password: "",
            application_id: "",
            device_code: None,
            certificate: None,
            certificate_password: "",
            certificate_check: None,
            impersonation_account: "",
            now_ms: 1_000_000.0,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn user_password_valid() {
        let form = RestoreFormInput {
            user_name: " admin@contoso.onmicrosoft.com ",
            user_password: " pass word ",
            ..input(CredentialKind::UserPassword)
        };
        let request = validate_restore_form(&form).unwrap();
        assert_eq!(request.session_id.to_string(), SESSION);
        assert_eq!(request.mailbox_id.to_string(), MAILBOX);
        assert_eq!(
            request.credentials,
            Credentials::UserPassword {
                user_name: "admin@contoso.onmicrosoft.com".into(),
                password: Secret::new(" pass word "),
            }
        );
    }

    #[test]
    fn every_missing_field_reported() {
        let form = RestoreFormInput {
            session_id: "",
            mailbox_id: "nope",
            ..input(CredentialKind::UserPassword)
        };
        let errors = validate_restore_form(&form).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                Field::SessionId,
                Field::MailboxId,
                Field::UserName,
                Field::UserPassword
            ]
        );
    }

    #[test]
    fn other_forms_fields_ignored() {
        let form = RestoreFormInput {
            user_name: "admin@contoso.com",
            user_password: "x",
            application_id: "not a guid",
            impersonation_account: "junk",
            ..input(CredentialKind::UserPassword)
        };
        assert!(validate_restore_form(&form).is_ok());
    }

    #[test]
    fn user_principal_names() {
        for good in [
            "admin@contoso.com",
            "first.last@sub.contoso.onmicrosoft.com",
        ] {
            assert!(validate_user_principal_name(good).is_ok(), "{good}");
        }
        let long = format!("{}@contoso.com", "a".repeat(300));
        assert!(validate_user_principal_name(&long)
            .unwrap_err()
            .contains("Longer than 256"));
        for bad in [
            "admin",
            "admin@",
            "@contoso.com",
            "a@b@c.com",
            "a b@c.com",
            "a@contoso",
            "a@.com",
            "a@com.",
        ] {
            assert!(validate_user_principal_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn device_code_required() {
        let errors = validate_restore_form(&input(CredentialKind::DeviceCode)).unwrap_err();
        assert_eq!(fields(&errors), vec![Field::DeviceCode]);
    }

    fn issued(expires_in: i64) -> IssuedDeviceCode {
        IssuedDeviceCode {
            response: DeviceCodeResponse {
                user_code: "C6A9DB737".into(),
                verification_url: "https://microsoft.com/devicelogin".into(),
                expires_in,
                message: String::new(),
            },
            issued_at_ms: 1_000_000.0,
        }
    }

    #[test]
    fn device_code_valid_until_expiry() {
        let code = issued(900);
        let form = RestoreFormInput {
            device_code: Some(&code),
            now_ms: 1_000_000.0 + 899_000.0,
            ..input(CredentialKind::DeviceCode)
        };
        assert_eq!(
            validate_restore_form(&form).unwrap().credentials,
            Credentials::DeviceCode {
                user_code: "C6A9DB737".into()
            }
        );
    }

    #[test]
    fn expired_device_code_rejected() {
        let code = issued(900);
        let form = RestoreFormInput {
            device_code: Some(&code),
            now_ms: 1_000_000.0 + 900_000.0,
            ..input(CredentialKind::DeviceCode)
        };
        let errors = validate_restore_form(&form).unwrap_err();
        assert_eq!(fields(&errors), vec![Field::DeviceCode]);
        assert!(errors[0].message.contains("has expired"));
    }

    #[test]
    fn certificate_form_missing_parts() {
        let form = RestoreFormInput {
            application_id: "xyz",
            ..input(CredentialKind::ApplicationCertificate)
        };
        let errors = validate_restore_form(&form).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                Field::ApplicationId,
                Field::Certificate,
                Field::ImpersonationAccount
            ]
        );
    }

    #[test]
    fn unchecked_certificate_rejected() {
        let text = include_str!("../tests/fixtures/veeam-example-certificate.b64");
        let file = CertificateFile::from_bytes("example.txt", text.as_bytes().to_vec()).unwrap();
        let form = RestoreFormInput {
            application_id: APP,
            certificate: Some(&file),
            impersonation_account: "restore@contoso.com",
            ..input(CredentialKind::ApplicationCertificate)
        };
        let errors = validate_restore_form(&form).unwrap_err();
        assert_eq!(fields(&errors), vec![Field::Certificate]);
        assert!(errors[0].message.contains("not been checked"));
    }

    #[test]
    fn wrong_certificate_password_rejected() {
        // The example in Veeam's documentation; its password is not published.
        let text = include_str!("../tests/fixtures/veeam-example-certificate.b64");
        let file = CertificateFile::from_bytes("example.txt", text.as_bytes().to_vec()).unwrap();
        let check = check_certificate(file.pfx.expose(), "xxx", 0).report();
        let form = RestoreFormInput {
            application_id: APP,
            certificate: Some(&file),
            certificate_password: "xxx",
            certificate_check: Some(&check),
            impersonation_account: "restore@contoso.com",
            ..input(CredentialKind::ApplicationCertificate)
        };
        let errors = validate_restore_form(&form).unwrap_err();
        assert_eq!(fields(&errors), vec![Field::Certificate]);
        assert!(errors[0].message.starts_with("Wrong certificate password."));
    }
}

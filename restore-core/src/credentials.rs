//! The three ways to authenticate a restore to Exchange Online, and the request body that
//! carries them.
//!
//! The body is Veeam's `RESTRestoreToOriginalLocation` (REST API v6 to v8). It has seven
//! optional fields; each credential form uses its own subset, and a body that mixes forms
//! or carries empty fields of another form is rejected by a strict server. Modelling the
//! forms as one enum makes such a body impossible to build.

use serde::Serialize;
use uuid::Uuid;

use crate::secret::Secret;

/// Credentials for the Microsoft 365 organization that receives the restored items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Credentials {
    /// A Microsoft 365 account with rights on the mailbox.
    UserPassword {
        #[serde(rename = "userName")]
        user_name: String,
        #[serde(rename = "userPassword")]
        password: Secret,
    },
    /// A device code obtained from `restoreDeviceCode`, with which the administrator has
    /// signed in at the verification URL.
    DeviceCode {
        #[serde(rename = "userCode")]
        user_code: String,
    },
    /// An Entra ID application authenticated by its certificate, acting as a mailbox
    /// account through impersonation.
    ApplicationCertificate {
        #[serde(rename = "applicationId")]
        application_id: Uuid,
        /// Standard Base64 of the PFX file's bytes.
        #[serde(rename = "applicationCertificate")]
        certificate_base64: Secret,
        /// Absent for a PFX without a password: the API takes no empty strings.
        #[serde(
            rename = "applicationCertificatePassword",
            skip_serializing_if = "Option::is_none"
        )]
        certificate_password: Option<Secret>,
        #[serde(rename = "impersonationAccountName")]
        impersonation_account: String,
    },
}

impl Credentials {
    /// Serializes the `RESTRestoreToOriginalLocation` body for this credential form.
    pub fn restore_body(&self) -> String {
        // Serializing strings, a UUID and an enum of them into JSON cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn body(credentials: &Credentials) -> Value {
        serde_json::from_str(&credentials.restore_body()).unwrap()
    }

    #[test]
    fn user_password_body() {
        let credentials = Credentials::UserPassword {
            user_name: "admin@abcsupport.onmicrosoft.com".into(),
            password: Secret::new("paSSw0rd"),
        };
        assert_eq!(
            body(&credentials),
            json!({"userName": "admin@abcsupport.onmicrosoft.com", "userPassword": "paSSw0rd"})
        );
    }

    #[test]
    fn device_code_body() {
        let credentials = Credentials::DeviceCode {
            user_code: "C6A9DB737".into(),
        };
        assert_eq!(body(&credentials), json!({"userCode": "C6A9DB737"}));
    }

    #[test]
    fn certificate_body() {
        let credentials = Credentials::ApplicationCertificate {
            application_id: Uuid::parse_str("8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10").unwrap(),
            certificate_base64: Secret::new("MIIKEgIBAz=="),
            certificate_password: Some(Secret::new("cert pass")),
            impersonation_account: "restore@contoso.onmicrosoft.com".into(),
        };
        assert_eq!(
            body(&credentials),
            json!({
                "applicationId": "8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10",
                "applicationCertificate": "MIIKEgIBAz==",
                "applicationCertificatePassword": "cert pass",
                "impersonationAccountName": "restore@contoso.onmicrosoft.com"
            })
        );
    }

    #[test]
    fn certificate_without_password_omits_field() {
        let credentials = Credentials::ApplicationCertificate {
            application_id: Uuid::nil(),
            certificate_base64: Secret::new("AAAA"),
            certificate_password: None,
            impersonation_account: "restore@contoso.onmicrosoft.com".into(),
        };
        let value = body(&credentials);
        assert!(value.get("applicationCertificatePassword").is_none());
        assert_eq!(value.as_object().unwrap().len(), 3);
    }

    #[test]
    fn no_nulls_in_any_form() {
        let forms = [
            Credentials::UserPassword {
                user_name: "a@b.c".into(),
                password: Secret::new("p"),
            },
            Credentials::DeviceCode {
                user_code: "X".into(),
            },
        ];
        for credentials in forms {
            assert!(!credentials.restore_body().contains("null"));
        }
    }
}

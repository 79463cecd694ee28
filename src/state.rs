//! Page state shared by the views: the sign-in, the restore form and the restores made.
//!
//! The form's state outlives the views that show it, so a lapsed sign-in or an error never
//! loses what the administrator typed.

use leptos::prelude::*;
use restore_core::certificate::CertificateFile;
use restore_core::certificate_check::CertificateReport;
use restore_core::credentials::Credentials;
use restore_core::form::{
    validate_credentials, validate_restore_form, CredentialKind, FieldError, RestoreFormInput,
    RestoreRequest,
};
use restore_core::model::{IssuedDeviceCode, RestoreStatistics};
use restore_core::secret::wipe;

use crate::certificate_module;

/// Sign-in state of the VB365 administrator.
#[derive(Clone, Copy)]
pub struct AuthState {
    /// The administrator's name while signed in.
    pub user: RwSignal<Option<String>>,
    /// Set when the server rejected the refresh token, so the sign-in form can say why it
    /// is shown again.
    pub lapsed: RwSignal<bool>,
}

impl AuthState {
    pub fn new() -> Self {
        Self {
            user: RwSignal::new(None),
            lapsed: RwSignal::new(false),
        }
    }

    pub fn signed_in(&self, user: String) {
        self.user.set(Some(user));
        self.lapsed.set(false);
    }

    pub fn session_lapsed(&self) {
        self.user.set(None);
        self.lapsed.set(true);
    }
}

impl Default for AuthState {
    fn default() -> Self {
        Self::new()
    }
}

/// The values of the restore form.
#[derive(Clone, Copy)]
pub struct RestoreForm {
    pub session_id: RwSignal<String>,
    pub mailbox_id: RwSignal<String>,
    pub kind: RwSignal<CredentialKind>,
    pub user_name: RwSignal<String>,
    pub user_password: RwSignal<String>,
    pub application_id: RwSignal<String>,
    pub device_code: RwSignal<Option<IssuedDeviceCode>>,
    pub certificate: RwSignal<Option<CertificateFile>>,
    pub certificate_password: RwSignal<String>,
    /// The browser's check of the certificate with the typed password, updated shortly
    /// after typing stops.
    pub certificate_check: RwSignal<Option<CertificateReport>>,
    pub impersonation_account: RwSignal<String>,
    /// Set by the first press of Restore, after which every field shows its error.
    pub submitted: RwSignal<bool>,
    /// Set when the passwords and certificate were dropped after a restore used them, so
    /// the empty fields can show why.
    pub secrets_used: RwSignal<bool>,
}

impl RestoreForm {
    pub fn new() -> Self {
        Self {
            session_id: RwSignal::new(String::new()),
            mailbox_id: RwSignal::new(String::new()),
            kind: RwSignal::new(CredentialKind::default()),
            user_name: RwSignal::new(String::new()),
            user_password: RwSignal::new(String::new()),
            application_id: RwSignal::new(String::new()),
            device_code: RwSignal::new(None),
            certificate: RwSignal::new(None),
            certificate_password: RwSignal::new(String::new()),
            certificate_check: RwSignal::new(None),
            impersonation_account: RwSignal::new(String::new()),
            submitted: RwSignal::new(false),
            secrets_used: RwSignal::new(false),
        }
    }

    /// Validates the current values without subscribing to them.
    pub fn validate(&self, now_ms: f64) -> Result<RestoreRequest, Vec<FieldError>> {
        self.with_input(now_ms, validate_restore_form)
    }

    /// Validates only the credential fields, for mailboxes picked from the list.
    pub fn validate_credentials(&self, now_ms: f64) -> Result<Credentials, Vec<FieldError>> {
        self.with_input(now_ms, validate_credentials)
    }

    fn with_input<T>(
        &self,
        now_ms: f64,
        validate: impl FnOnce(&RestoreFormInput<'_>) -> Result<T, Vec<FieldError>>,
    ) -> Result<T, Vec<FieldError>> {
        let device_code = self.device_code.get_untracked();
        let certificate = self.certificate.get_untracked();
        let session_id = self.session_id.get_untracked();
        let mailbox_id = self.mailbox_id.get_untracked();
        let user_name = self.user_name.get_untracked();
        let user_password = self.user_password.get_untracked();
        let application_id = self.application_id.get_untracked();
        let certificate_password = self.certificate_password.get_untracked();
        let impersonation_account = self.impersonation_account.get_untracked();
        let kind = self.kind.get_untracked();
        // The check runs again here, not taken from `certificate_check`, because that one
        // lags the password field by the typing pause.
        let certificate_check = certificate.as_ref().and_then(|file| {
            (kind == CredentialKind::ApplicationCertificate).then(|| {
                let now_secs = (now_ms / 1000.0) as i64;
                certificate_module::check(file.pfx.expose(), &certificate_password, now_secs)
            })
        });

        validate(&RestoreFormInput {
            session_id: &session_id,
            mailbox_id: &mailbox_id,
            kind,
            user_name: &user_name,
            user_password: &user_password,
            application_id: &application_id,
            device_code: device_code.as_ref(),
            certificate: certificate.as_ref(),
            certificate_password: &certificate_password,
            certificate_check: certificate_check.as_ref(),
            impersonation_account: &impersonation_account,
            now_ms,
        })
    }

    /// Drops every secret of the form: passwords, the device code and the certificate.
    pub fn forget_secrets(&self) {
        self.forget_passwords_and_certificate();
        self.device_code.set(None);
        self.secrets_used.set(false);
    }

    /// Drops the passwords and the certificate once a restore has used them. The other
    /// fields stay, so the next restore needs only these typed again. The device code
    /// stays too: it is not a password, it expires on its own within minutes, and a run
    /// over several mailboxes uses it for each.
    pub fn forget_used_secrets(&self) {
        self.forget_passwords_and_certificate();
        self.secrets_used.set(true);
        // The emptied fields should not show "required" before the next press of Restore.
        self.submitted.set(false);
    }

    /// Empties every credential field, as "Clear credentials" does.
    pub fn clear_credentials(&self) {
        self.forget_secrets();
        self.user_name.set(String::new());
        self.application_id.set(String::new());
        self.impersonation_account.set(String::new());
        self.submitted.set(false);
    }

    fn forget_passwords_and_certificate(&self) {
        // The strings are zeroed in place; dropping the certificate zeroes its bytes and
        // its Base64 (`SecretBytes`, `Secret`).
        self.user_password.update(wipe);
        self.certificate_password.update(wipe);
        self.certificate.set(None);
        self.certificate_check.set(None);
    }

    /// Why the chosen credential form cannot be used now, shown beside the restore button:
    /// no device code or an expired one, or a certificate the browser found unusable.
    pub fn blocked_reason(&self, now_ms: f64) -> Option<String> {
        match self.kind.get() {
            CredentialKind::DeviceCode => self.device_code.with(|code| match code {
                None => Some("Get a device code and sign in with it first.".to_string()),
                Some(code) if code.is_expired(now_ms) => {
                    Some("The device code has expired. Get a new code.".to_string())
                }
                Some(_) => None,
            }),
            CredentialKind::ApplicationCertificate => self.certificate_check.with(|check| {
                check
                    .as_ref()
                    .and_then(|check| check.problem_summary())
                    .map(|summary| {
                        format!("Restore is blocked by the certificate check: {summary}")
                    })
            }),
            CredentialKind::UserPassword => None,
        }
    }
}

impl Default for RestoreForm {
    fn default() -> Self {
        Self::new()
    }
}

/// A restore request that has been sent and has no response yet.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningRestore {
    pub mailbox_id: String,
    pub started_at_ms: f64,
}

/// End of one restore request.
#[derive(Debug, Clone, PartialEq)]
pub enum RestoreEnd {
    Finished(RestoreStatistics),
    /// A v8-style response: the restore runs on in a server session.
    Started {
        session_id: String,
    },
    /// No result: the explanation shown to the user.
    Error(String),
}

/// One restore request and its end, for the results list.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreRecord {
    pub number: usize,
    pub session_id: String,
    pub mailbox_id: String,
    pub duration_secs: i64,
    pub end: RestoreEnd,
}

/// The restores of this page.
#[derive(Clone, Copy)]
pub struct Restores {
    pub running: RwSignal<Option<RunningRestore>>,
    pub records: RwSignal<Vec<RestoreRecord>>,
}

impl Restores {
    pub fn new() -> Self {
        Self {
            running: RwSignal::new(None),
            records: RwSignal::new(Vec::new()),
        }
    }
}

impl Default for Restores {
    fn default() -> Self {
        Self::new()
    }
}

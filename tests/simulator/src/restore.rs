//! `POST /v6/RestoreSessions/{id}/organization/mailboxes/{id}/restore`: restore of one
//! mailbox to its original location, validated like a strict server.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::auth::format_time;
use crate::browse::usable_session;
use crate::errors::{parse_json_object, require_json_content_type, ApiError};
use crate::pkcs12::{check_pfx, decode_strict_base64};
use crate::seed::{self, Mailbox, M365_ADMIN_PASSWORD};
use crate::state::{AppState, RestoreRecord};

/// Fields of `RESTRestoreToOriginalLocation`.
const KNOWN_FIELDS: [&str; 7] = [
    "userName",
    "userPassword",
    "userCode",
    "applicationId",
    "applicationCertificate",
    "applicationCertificatePassword",
    "impersonationAccountName",
];
const PASSWORD_FORM: [&str; 2] = ["userName", "userPassword"];
const DEVICE_CODE_FORM: [&str; 1] = ["userCode"];
/// Required fields of the application certificate form. `applicationCertificatePassword`
/// belongs to this form too but may be absent for a password-less PFX.
const CERTIFICATE_FORM: [&str; 3] = [
    "applicationId",
    "applicationCertificate",
    "impersonationAccountName",
];

/// `RESTFoldersRestoreStatistics`, always with every field.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoldersRestoreStatistics {
    pub created_items_count: u64,
    pub merged_items_count: u64,
    pub failed_items_count: u64,
    pub skipped_items_count: u64,
    pub failed_folders_count: u64,
    pub exceptions: Vec<String>,
    pub warnings: Vec<String>,
    pub cannot_continue_error: Option<String>,
}

/// Builds the outcome of restoring `mailbox`, fixed by its index in the organization:
/// index % 10 == 3 gives warnings, 6 gives failed items, 9 a `cannotContinueError`, and any
/// other index a clean success.
pub fn outcome_for(mailbox: &Mailbox) -> FoldersRestoreStatistics {
    let index = u64::from(mailbox.index);
    let mut statistics = FoldersRestoreStatistics {
        created_items_count: 12 + (index % 37) * 3,
        merged_items_count: 1 + index % 7,
        skipped_items_count: 2 + index % 11,
        failed_items_count: 0,
        failed_folders_count: 0,
        exceptions: Vec::new(),
        warnings: Vec::new(),
        cannot_continue_error: None,
    };
    match index % 10 {
        3 => {
            statistics.warnings = vec![
                "Item 'Team offsite photos.zip' in folder 'Inbox' was skipped: the item exceeds the maximum message size of 150 MB.".to_string(),
                "Folder 'Conversation History' was not restored: it is a system folder.".to_string(),
            ];
        }
        6 => {
            statistics.failed_items_count = 2;
            statistics.failed_folders_count = 1;
            statistics.exceptions = vec![
                "failed to restore item 'Quarterly report.msg': The item could not be saved because the mailbox quota has been exceeded.".to_string(),
                "failed to restore folder 'Inbox/Projects/2023': Access is denied.".to_string(),
            ];
        }
        9 => {
            statistics = FoldersRestoreStatistics {
                created_items_count: 0,
                merged_items_count: 0,
                skipped_items_count: 0,
                failed_items_count: 0,
                failed_folders_count: 0,
                exceptions: Vec::new(),
                warnings: Vec::new(),
                cannot_continue_error: Some(format!(
                    "Cannot open user mailbox {}: the mailbox was not found in the organization or the user has no Exchange Online license.",
                    mailbox.email
                )),
            };
        }
        _ => {}
    }
    statistics
}

fn string_field<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

/// Copies the non-secret fields of the body into the record.
fn record_fields(record: &mut RestoreRecord, body: &Map<String, Value>) {
    record.field_names = body.keys().cloned().collect();
    record.user_name = string_field(body, "userName").map(str::to_string);
    record.user_code = string_field(body, "userCode").map(str::to_string);
    record.application_id = string_field(body, "applicationId").map(str::to_string);
    record.impersonation_account_name =
        string_field(body, "impersonationAccountName").map(str::to_string);
}

/// Rejects unknown fields, and fields that are null, empty or not strings.
fn check_field_values(body: &Map<String, Value>) -> Result<(), ApiError> {
    for (name, value) in body {
        if !KNOWN_FIELDS.contains(&name.as_str()) {
            return Err(ApiError::bad_request(format!(
                "Unknown field '{name}' in the request body. RESTRestoreToOriginalLocation has the fields {}.",
                KNOWN_FIELDS.join(", ")
            )));
        }
        match value {
            Value::Null => {
                return Err(ApiError::bad_request(format!(
                    "The field '{name}' is null. Omit fields that the chosen credential form does not use."
                )))
            }
            Value::String(text) if text.is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "The field '{name}' is empty. Omit fields that the chosen credential form does not use."
                )))
            }
            Value::String(_) => {}
            _ => return Err(ApiError::bad_request(format!("The field '{name}' must be a string."))),
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CredentialForm {
    Password,
    DeviceCode,
    Certificate,
}

/// Determines the single credential form the body uses, or explains what is wrong.
fn credential_form(body: &Map<String, Value>) -> Result<CredentialForm, ApiError> {
    let has = |name: &str| body.contains_key(name);
    let forms = [
        (
            CredentialForm::Password,
            "user name and password",
            &PASSWORD_FORM[..],
            &[][..],
        ),
        (
            CredentialForm::DeviceCode,
            "device code",
            &DEVICE_CODE_FORM[..],
            &[][..],
        ),
        (
            CredentialForm::Certificate,
            "application certificate",
            &CERTIFICATE_FORM[..],
            &["applicationCertificatePassword"][..],
        ),
    ];
    let used: Vec<_> = forms
        .iter()
        .filter(|(_, _, required, optional)| {
            required.iter().chain(optional.iter()).any(|name| has(name))
        })
        .collect();
    match used.as_slice() {
        [] => Err(ApiError::bad_request(
            "No credentials in the request body. Send userName and userPassword, or userCode, or applicationId, applicationCertificate, applicationCertificatePassword and impersonationAccountName.",
        )),
        [(form, label, required, _)] => {
            let missing: Vec<&str> = required.iter().copied().filter(|name| !has(name)).collect();
            if missing.is_empty() {
                Ok(*form)
            } else {
                Err(ApiError::bad_request(format!(
                    "The {label} credentials are incomplete: missing {}.",
                    missing.join(", ")
                )))
            }
        }
        several => {
            let labels: Vec<&str> = several.iter().map(|(_, label, _, _)| *label).collect();
            Err(ApiError::bad_request(format!(
                "The request body mixes credential forms ({}). Send exactly one: userName and userPassword, or userCode, or the application certificate fields.",
                labels.join(", ")
            )))
        }
    }
}

fn check_password_form(body: &Map<String, Value>, domain: &str) -> Result<(), ApiError> {
    let user_name = string_field(body, "userName").unwrap_or_default();
    let password = string_field(body, "userPassword").unwrap_or_default();
    let in_domain = user_name
        .rsplit_once('@')
        .is_some_and(|(local, user_domain)| {
            !local.is_empty() && user_domain.eq_ignore_ascii_case(domain)
        });
    if !in_domain || password != M365_ADMIN_PASSWORD {
        return Err(ApiError::bad_request(
            "Failed to authenticate to the organization: the user name or password is incorrect.",
        ));
    }
    Ok(())
}

fn check_device_code(
    state: &AppState,
    body: &Map<String, Value>,
    session_id: &str,
) -> Result<(), ApiError> {
    let user_code = string_field(body, "userCode").unwrap_or_default();
    let sim = state.lock();
    let code = sim
        .device_codes
        .get(user_code)
        .filter(|code| code.session_id.eq_ignore_ascii_case(session_id))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "The device code '{user_code}' was not issued for this restore session. Request a new code."
            ))
        })?;
    let now = Utc::now();
    if code.expires_at <= now {
        return Err(ApiError::bad_request(
            "The device code has expired. Request a new code.",
        ));
    }
    if code.signed_in_at.is_none_or(|time| time > now) {
        return Err(ApiError::bad_request(
            "authorization_pending: the administrator has not completed sign-in with the device code yet. Sign in at https://microsoft.com/devicelogin, then retry.",
        ));
    }
    Ok(())
}

fn check_certificate_form(
    body: &Map<String, Value>,
    record: &mut RestoreRecord,
) -> Result<(), ApiError> {
    let application_id = string_field(body, "applicationId").unwrap_or_default();
    if uuid::Uuid::parse_str(application_id).is_err() {
        return Err(ApiError::bad_request(format!(
            "The value '{application_id}' of 'applicationId' is not a valid GUID."
        )));
    }
    let certificate =
        decode_strict_base64(string_field(body, "applicationCertificate").unwrap_or_default())?;
    record.certificate_sha256 = Some(hex(&Sha256::digest(&certificate)));
    record.certificate_length = Some(certificate.len());
    check_pfx(
        &certificate,
        string_field(body, "applicationCertificatePassword"),
    )?;
    let account = string_field(body, "impersonationAccountName").unwrap_or_default();
    if !account.contains('@') {
        return Err(ApiError::bad_request(format!(
            "The impersonation account '{account}' is not valid. Use the user principal name of an Exchange account, for example admin@contoso.onmicrosoft.com."
        )));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Runs every check in order and returns the mailbox to restore.
fn validate(
    state: &AppState,
    session_id: &str,
    mailbox_id: &str,
    headers: &HeaderMap,
    body: &[u8],
    record: &mut RestoreRecord,
) -> Result<Mailbox, ApiError> {
    let (mailbox, domain) = {
        let sim = state.lock();
        let session = usable_session(&sim, session_id)?;
        let org = sim.organization(&session.organization_id).ok_or_else(|| {
            ApiError::internal("The organization of this restore session no longer exists.")
        })?;
        let mailbox =
            seed::find_mailbox(org, session.mailbox_count, mailbox_id).ok_or_else(|| {
                ApiError::not_found(format!(
                    "Mailbox with ID '{mailbox_id}' was not found in this restore session."
                ))
            })?;
        (mailbox, org.office_name.clone())
    };

    require_json_content_type(headers)?;
    let body = parse_json_object(body)?;
    record_fields(record, &body);
    check_field_values(&body)?;
    match credential_form(&body)? {
        CredentialForm::Password => check_password_form(&body, &domain)?,
        CredentialForm::DeviceCode => check_device_code(state, &body, session_id)?,
        CredentialForm::Certificate => check_certificate_form(&body, record)?,
    }
    Ok(mailbox)
}

/// Handles the mailbox restore. The v6 call is synchronous, so the 200 comes after the
/// configured restore delay.
pub async fn restore_mailbox(
    State(state): State<AppState>,
    Path((session_id, mailbox_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut record = RestoreRecord {
        time: format_time(Utc::now()),
        session_id: session_id.clone(),
        mailbox_id: mailbox_id.clone(),
        field_names: Vec::new(),
        user_name: None,
        user_code: None,
        application_id: None,
        impersonation_account_name: None,
        certificate_sha256: None,
        certificate_length: None,
        status: 0,
    };
    let validated = validate(
        &state,
        &session_id,
        &mailbox_id,
        &headers,
        &body,
        &mut record,
    );

    // Recorded before the restore runs, with status 0, so a request whose client went away
    // (a proxy that timed out) still shows up; the status is filled in when it ends.
    let position = {
        let mut sim = state.lock();
        sim.restores.push(record.clone());
        sim.restores.len() - 1
    };

    let response = match validated {
        Ok(mailbox) => run_restore(&state, &session_id, &mailbox).await,
        Err(error) => {
            tracing::info!(session_id = %session_id, mailbox_id = %mailbox_id, status = error.status.as_u16(), "restore request rejected");
            error.into_response()
        }
    };

    let status = response.status().as_u16();
    let mut sim = state.lock();
    // A reset while the restore ran cleared the list; the record is then gone with it.
    if let Some(entry) = sim.restores.get_mut(position) {
        if entry.time == record.time && entry.mailbox_id == record.mailbox_id {
            entry.status = status;
        }
    }
    response
}

async fn run_restore(state: &AppState, session_id: &str, mailbox: &Mailbox) -> Response {
    tracing::info!(session_id = %session_id, mailbox_id = %mailbox.id, "restore started");
    tokio::time::sleep(state.restore_delay()).await;
    let fault = state.lock().faults.next_restore.take();
    if let Some(fault) = fault {
        tracing::info!(session_id = %session_id, mailbox_id = %mailbox.id, status = fault.status, "injected fault returned for restore");
        let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::BAD_GATEWAY);
        return (
            status,
            [(header::CONTENT_TYPE, fault.content_type)],
            Body::from(fault.body),
        )
            .into_response();
    }
    // NOTE: stopping or expiring the session while a restore runs does not affect that
    // restore. Whether the real server behaves so is unknown.
    let statistics = outcome_for(mailbox);
    tracing::info!(session_id = %session_id, mailbox_id = %mailbox.id, "restore finished");
    Json(statistics).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: Value) -> Map<String, Value> {
        match json {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn credential_form_detects_each_form() {
        let password = body(serde_json::json!({"userName": "a@b", "userPassword": "x"}));
        assert_eq!(
            credential_form(&password).unwrap(),
            CredentialForm::Password
        );
        let code = body(serde_json::json!({"userCode": "ABC"}));
        assert_eq!(credential_form(&code).unwrap(), CredentialForm::DeviceCode);
        let certificate = body(serde_json::json!({
            "applicationId": "x", "applicationCertificate": "y", "impersonationAccountName": "z"
        }));
        assert_eq!(
            credential_form(&certificate).unwrap(),
            CredentialForm::Certificate
        );
    }

    #[test]
    fn credential_form_rejects_mixed_and_incomplete() {
        let mixed =
            body(serde_json::json!({"userCode": "ABC", "userName": "a@b", "userPassword": "x"}));
        assert!(credential_form(&mixed).is_err());
        let incomplete = body(serde_json::json!({"applicationCertificatePassword": "x"}));
        let error = credential_form(&incomplete).unwrap_err();
        assert!(error.body["message"]
            .as_str()
            .unwrap()
            .contains("applicationId"));
    }

    #[test]
    fn outcome_index_zero_is_clean() {
        let orgs = seed::organizations(Utc::now());
        let statistics = outcome_for(&seed::mailbox(&orgs[0], 0));
        assert_eq!(statistics.failed_items_count, 0);
        assert!(statistics.created_items_count > 0);
        assert!(statistics.cannot_continue_error.is_none());
    }
}

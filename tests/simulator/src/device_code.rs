//! `POST /v6/RestoreSessions/{id}/organization/restoreDeviceCode`: issues device codes that
//! the `userCode` credential of a restore refers to.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, Utc};
use rand::Rng;
use serde_json::{json, Value};

use crate::browse::usable_session;
use crate::errors::{parse_json_object, require_json_content_type, ApiError};
use crate::state::{AppState, DeviceCode};

pub const VERIFICATION_URL: &str = "https://microsoft.com/devicelogin";

/// Characters of a user code: upper-case letters and digits, as in Microsoft's codes.
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const USER_CODE_LENGTH: usize = 9;

fn new_user_code() -> String {
    let mut rng = rand::thread_rng();
    (0..USER_CODE_LENGTH)
        .map(|_| char::from(USER_CODE_ALPHABET[rng.gen_range(0..USER_CODE_ALPHABET.len())]))
        .collect()
}

fn seconds(value: u64) -> Duration {
    Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX / 1000))
}

fn device_code_response(
    state: &AppState,
    session_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, ApiError> {
    require_json_content_type(headers)?;
    let options = parse_json_object(body)?;
    for name in options.keys() {
        if ![
            "targetApplicationId",
            "targetRegion",
            "targetOrganizationName",
        ]
        .contains(&name.as_str())
        {
            return Err(ApiError::bad_request(format!(
                "Unknown field '{name}'. RESTDeviceCodeRequestOptions has targetApplicationId, targetRegion and targetOrganizationName."
            )));
        }
    }
    match options.get("targetApplicationId") {
        Some(Value::String(text)) if uuid::Uuid::parse_str(text).is_ok() => {}
        Some(Value::String(text)) => {
            return Err(ApiError::bad_request(format!(
                "The value '{text}' of 'targetApplicationId' is not a valid GUID."
            )))
        }
        _ => {
            return Err(ApiError::bad_request(
                "The 'targetApplicationId' field is required: the application (client) ID of the Microsoft Entra application used for the restore.",
            ))
        }
    }

    let mut sim = state.lock();
    let session_id = usable_session(&sim, session_id)?.id.clone();
    let now = Utc::now();
    let lifetime = state.config.device_code_lifetime_secs;
    let sign_in_after = state.config.device_code_sign_in_after_secs;
    let mut user_code = new_user_code();
    while sim.device_codes.contains_key(&user_code) {
        user_code = new_user_code();
    }
    sim.device_codes.insert(
        user_code.clone(),
        DeviceCode {
            session_id: session_id.clone(),
            expires_at: now + seconds(lifetime),
            signed_in_at: (sign_in_after > 0).then(|| now + seconds(sign_in_after)),
        },
    );
    tracing::info!(session_id = %session_id, "device code issued");
    Ok(json!({
        "userCode": user_code,
        "verificationUrl": VERIFICATION_URL,
        "expiresIn": lifetime,
        "message": format!(
            "To sign in, use a web browser to open the page {VERIFICATION_URL} and enter the code {user_code} to authenticate."
        ),
    }))
}

/// Handles `POST /v6/RestoreSessions/{restoreSessionId}/organization/restoreDeviceCode`.
pub async fn issue(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match device_code_response(&state, &session_id, &headers, &body) {
        Ok(response) => Json(response).into_response(),
        Err(error) => error.into_response(),
    }
}

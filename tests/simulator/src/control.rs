//! Control API under `/sim`, for tests and demos. It is not part of VB365 and needs no bearer.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::errors::{parse_json_object, ApiError};
use crate::state::{AppState, RestoreFault};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sim/reset", post(reset))
        .route("/sim/restores", get(restores))
        .route("/sim/token-requests", get(token_requests))
        .route(
            "/sim/device-codes/{user_code}/sign-in",
            post(sign_in_device_code),
        )
        .route(
            "/sim/device-codes/{user_code}/expire",
            post(expire_device_code),
        )
        .route("/sim/tokens/expire-access", post(expire_access_tokens))
        .route("/sim/tokens/expire-all", post(expire_all_tokens))
        .route("/sim/restore-sessions/{session_id}", get(session_state))
        .route(
            "/sim/restore-sessions/{session_id}/expire",
            post(expire_session),
        )
        .route("/sim/faults", post(set_faults))
}

async fn reset(State(state): State<AppState>) -> StatusCode {
    state.reset();
    tracing::info!("simulator state reset");
    StatusCode::NO_CONTENT
}

async fn restores(State(state): State<AppState>) -> Response {
    Json(state.lock().restores.clone()).into_response()
}

async fn token_requests(State(state): State<AppState>) -> Response {
    Json(state.lock().token_counts.clone()).into_response()
}

fn device_code_not_found(user_code: &str) -> Response {
    ApiError::not_found(format!(
        "Device code '{user_code}' was not issued by this simulator."
    ))
    .into_response()
}

async fn sign_in_device_code(
    State(state): State<AppState>,
    Path(user_code): Path<String>,
) -> Response {
    let mut sim = state.lock();
    match sim.device_codes.get_mut(&user_code) {
        Some(code) => {
            code.signed_in_at = Some(Utc::now());
            StatusCode::NO_CONTENT.into_response()
        }
        None => device_code_not_found(&user_code),
    }
}

async fn expire_device_code(
    State(state): State<AppState>,
    Path(user_code): Path<String>,
) -> Response {
    let mut sim = state.lock();
    match sim.device_codes.get_mut(&user_code) {
        Some(code) => {
            code.expires_at = Utc::now() - Duration::seconds(1);
            StatusCode::NO_CONTENT.into_response()
        }
        None => device_code_not_found(&user_code),
    }
}

async fn expire_access_tokens(State(state): State<AppState>) -> StatusCode {
    let mut sim = state.lock();
    let past = Utc::now() - Duration::seconds(1);
    for entry in sim.access_tokens.values_mut() {
        entry.expires_at = past;
    }
    StatusCode::NO_CONTENT
}

async fn expire_all_tokens(State(state): State<AppState>) -> StatusCode {
    let mut guard = state.lock();
    let sim = &mut *guard;
    let past = Utc::now() - Duration::seconds(1);
    for entry in sim
        .access_tokens
        .values_mut()
        .chain(sim.refresh_tokens.values_mut())
    {
        entry.expires_at = past;
    }
    StatusCode::NO_CONTENT
}

fn session_not_found(session_id: &str) -> Response {
    ApiError::not_found(format!(
        "Restore session with ID '{session_id}' was not found."
    ))
    .into_response()
}

async fn session_state(State(state): State<AppState>, Path(session_id): Path<String>) -> Response {
    let sim = state.lock();
    match sim.session(&session_id) {
        Some(session) => Json(json!({
            "state": session.state.as_str(),
            "expired": session.expired,
        }))
        .into_response(),
        None => session_not_found(&session_id),
    }
}

async fn expire_session(State(state): State<AppState>, Path(session_id): Path<String>) -> Response {
    let mut sim = state.lock();
    match sim.session_mut(&session_id) {
        Some(session) => {
            session.expired = true;
            StatusCode::NO_CONTENT.into_response()
        }
        None => session_not_found(&session_id),
    }
}

fn parse_restore_fault(value: &Value) -> Result<Option<RestoreFault>, ApiError> {
    if value.is_null() {
        return Ok(None);
    }
    let status = value
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .filter(|status| (200..600).contains(status))
        .ok_or_else(|| {
            ApiError::bad_request("nextRestore.status must be an HTTP status from 200 to 599.")
        })?;
    let content_type = value
        .get("contentType")
        .and_then(Value::as_str)
        .unwrap_or("application/json")
        .to_string();
    let body = value
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(Some(RestoreFault {
        status,
        content_type,
        body,
    }))
}

/// Sets the fields present in the body and leaves the others unchanged.
async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    let result = (|| -> Result<(), ApiError> {
        let faults = parse_json_object(&body)?;
        let mut sim = state.lock();
        for (name, value) in &faults {
            match name.as_str() {
                "tokenThrottled" => {
                    sim.faults.token_throttled = value.as_bool().ok_or_else(|| {
                        ApiError::bad_request("tokenThrottled must be a boolean.")
                    })?;
                }
                "restoreDelayMs" => {
                    sim.faults.restore_delay_ms = match value {
                        Value::Null => None,
                        _ => Some(value.as_u64().ok_or_else(|| {
                            ApiError::bad_request(
                                "restoreDelayMs must be a non-negative integer or null.",
                            )
                        })?),
                    };
                }
                "nextRestore" => sim.faults.next_restore = parse_restore_fault(value)?,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "Unknown fault '{name}'. Use tokenThrottled, restoreDelayMs or nextRestore."
                    )))
                }
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}

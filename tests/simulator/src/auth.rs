//! `POST /v6/token` (password and refresh-token grants) and the bearer check.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;

use crate::errors::ApiError;
use crate::state::{AppState, SimState, TokenEntry};

/// Lifetime of a refresh token. NOTE: VB365 does not document it, so one day is a guess.
const REFRESH_TOKEN_LIFETIME_HOURS: i64 = 24;

/// `OAuthTokenResponse` of the OpenAPI document.
#[derive(Serialize)]
struct OAuthTokenResponse {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: u64,
    #[serde(rename = "userName")]
    user_name: String,
    #[serde(rename = ".issued")]
    issued: String,
    #[serde(rename = ".expires")]
    expires: String,
}

fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Formats a time as RFC 3339 in UTC, the way every time field of this simulator is sent.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads the token request fields from a form-encoded or JSON body.
fn parse_token_fields(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let object = crate::errors::parse_json_object(body)?;
        let mut fields = HashMap::new();
        for (name, value) in object {
            match value {
                serde_json::Value::String(text) => {
                    fields.insert(name, text);
                }
                serde_json::Value::Bool(flag) => {
                    fields.insert(name, flag.to_string());
                }
                serde_json::Value::Null => {}
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "The field '{name}' of the token request must be a string."
                    )))
                }
            }
        }
        Ok(fields)
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map(|pairs| pairs.into_iter().collect())
            .map_err(|error| {
                ApiError::bad_request(format!(
                    "The token request body is not valid form data: {error}."
                ))
            })
    } else {
        Err(ApiError::unsupported_media_type(
            if content_type.is_empty() {
                "(none)"
            } else {
                &content_type
            },
        ))
    }
}

/// Applies Veeam's login throttle: at most 1 token request a second and 5 a minute.
/// Returns true when this request is over the limit.
fn is_throttled(state: &mut SimState, now: DateTime<Utc>) -> bool {
    while state
        .token_request_times
        .front()
        .is_some_and(|time| now - *time >= Duration::seconds(60))
    {
        state.token_request_times.pop_front();
    }
    let last_second = state
        .token_request_times
        .iter()
        .filter(|time| now - **time < Duration::seconds(1))
        .count();
    if last_second >= 1 || state.token_request_times.len() >= 5 {
        return true;
    }
    state.token_request_times.push_back(now);
    false
}

fn issue_tokens(state: &AppState, sim: &mut SimState, user_name: &str) -> OAuthTokenResponse {
    let now = Utc::now();
    let lifetime = state.config.token_lifetime_secs;
    let expires_at = now + Duration::seconds(i64::try_from(lifetime).unwrap_or(i64::MAX / 1000));
    let access_token = random_token();
    let refresh_token = random_token();
    sim.access_tokens.insert(
        access_token.clone(),
        TokenEntry {
            user_name: user_name.to_string(),
            expires_at,
        },
    );
    sim.refresh_tokens.insert(
        refresh_token.clone(),
        TokenEntry {
            user_name: user_name.to_string(),
            expires_at: now + Duration::hours(REFRESH_TOKEN_LIFETIME_HOURS),
        },
    );
    OAuthTokenResponse {
        access_token,
        refresh_token,
        token_type: "bearer",
        expires_in: lifetime,
        user_name: user_name.to_string(),
        issued: format_time(now),
        expires: format_time(expires_at),
    }
}

fn required_field<'a>(
    fields: &'a HashMap<String, String>,
    name: &str,
    grant_type: &str,
) -> Result<&'a str, ApiError> {
    match fields.get(name).map(String::as_str) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(ApiError::bad_request(format!(
            "The '{name}' field is required for grant_type '{grant_type}'."
        ))),
    }
}

/// Handles `POST /v6/token`.
pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match token_response(&state, &headers, &body) {
        Ok(response) => Json(response).into_response(),
        Err(error) => error.into_response(),
    }
}

fn token_response(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<OAuthTokenResponse, ApiError> {
    let fields = parse_token_fields(headers, body)?;
    let grant_type = match fields.get("grant_type").map(String::as_str) {
        None | Some("") => {
            return Err(ApiError::bad_request(
                "The 'grant_type' field is required. Use 'password' or 'refresh_token'.",
            ))
        }
        Some(grant_type) => grant_type.to_string(),
    };
    if grant_type != "password" && grant_type != "refresh_token" {
        return Err(ApiError::bad_request(format!(
            "Unsupported grant_type '{grant_type}'. This simulator supports 'password' and 'refresh_token'."
        )));
    }

    let mut sim = state.lock();
    let now = Utc::now();
    // The fault switch refuses every sign-in; the flag applies Veeam's real limits.
    let throttled =
        sim.faults.token_throttled || (state.config.token_throttle && is_throttled(&mut sim, now));
    if throttled {
        sim.token_counts.throttled += 1;
        return Err(ApiError::message(
            StatusCode::TOO_MANY_REQUESTS,
            "Quota Exceeded",
        ));
    }

    if grant_type == "password" {
        sim.token_counts.password += 1;
        let user_name = required_field(&fields, "username", &grant_type)?;
        let password = required_field(&fields, "password", &grant_type)?;
        if !user_name.eq_ignore_ascii_case(&state.config.admin_user)
            || password != state.config.admin_password
        {
            return Err(ApiError::oauth(
                "invalid_grant",
                "The user name or password is incorrect.",
            ));
        }
        Ok(issue_tokens(state, &mut sim, user_name))
    } else {
        sim.token_counts.refresh_token += 1;
        let refresh_token = required_field(&fields, "refresh_token", &grant_type)?;
        let entry = sim.refresh_tokens.remove(refresh_token);
        match entry {
            Some(entry) if entry.expires_at > now => {
                Ok(issue_tokens(state, &mut sim, &entry.user_name))
            }
            _ => Err(ApiError::oauth(
                "invalid_grant",
                "The refresh token is invalid or has expired.",
            )),
        }
    }
}

/// Rejects a request without a valid, unexpired `Authorization: Bearer` access token.
pub async fn require_bearer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        });
    let valid = token.is_some_and(|token| {
        state
            .lock()
            .access_tokens
            .get(&token)
            .is_some_and(|entry| entry.expires_at > Utc::now())
    });
    if valid {
        next.run(request).await
    } else {
        ApiError::unauthorized().into_response()
    }
}

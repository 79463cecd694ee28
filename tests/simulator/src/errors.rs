//! Error responses in the shape the VB365 REST API v6 uses.
//!
//! Every failing operation returns `RESTExceptionInfo` (`{"message": "..."}`), not RFC 7807
//! problem+json. The token endpoint can also return the OAuth shape
//! `{"error": "...", "error_description": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Message of every 401 for a missing, unknown or expired bearer token (the ASP.NET Web API
/// default message).
pub const UNAUTHORIZED_MESSAGE: &str = "Authorization has been denied for this request.";

/// An HTTP error status with a JSON body.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: serde_json::Value,
}

impl ApiError {
    /// Builds a `RESTExceptionInfo` error.
    pub fn message(status: StatusCode, message: impl Into<String>) -> Self {
        let message: String = message.into();
        Self {
            status,
            body: json!({ "message": message }),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::message(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::message(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::message(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub fn unauthorized() -> Self {
        Self::message(StatusCode::UNAUTHORIZED, UNAUTHORIZED_MESSAGE)
    }

    /// Builds the OAuth error shape that the token endpoint uses for rejected grants.
    pub fn oauth(error: &str, description: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: json!({ "error": error, "error_description": description }),
        }
    }

    /// Builds a 415, worded like ASP.NET Web API, for a body that is not JSON.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::message(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "The request entity's media type '{content_type}' is not supported for this resource. Send the body as application/json."
            ),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Rejects a request body whose `Content-Type` is not JSON.
pub fn require_json_content_type(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media_type == "application/json" || media_type.ends_with("+json") {
        Ok(())
    } else if media_type.is_empty() {
        Err(ApiError::unsupported_media_type("(none)"))
    } else {
        Err(ApiError::unsupported_media_type(content_type))
    }
}

/// Parses a request body that must be a JSON object.
pub fn parse_json_object(
    body: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        ApiError::bad_request(format!("The request body is not valid JSON: {error}."))
    })?;
    match value {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request(
            "The request body must be a JSON object.",
        )),
    }
}

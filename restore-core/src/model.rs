//! The API responses that the client reads, named and typed as in Veeam's OpenAPI
//! documents. Fields the client does not use are ignored, so new fields in later
//! versions do not break parsing.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use crate::json::{json_kind, JsonKind};

/// `OAuthTokenResponse` from `POST /vN/token`.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Lifetime of the access token in seconds; 3600 unless the administrator changed it.
    pub expires_in: i64,
    #[serde(rename = "userName", default)]
    pub user_name: Option<String>,
}

/// `RESTDeviceCodeResponse` from `POST .../organization/restoreDeviceCode`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeResponse {
    pub user_code: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub verification_url: String,
    /// Seconds for which the code can be used.
    pub expires_in: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// A device code with the moment it arrived, so its remaining lifetime can be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedDeviceCode {
    pub response: DeviceCodeResponse,
    /// Milliseconds since the Unix epoch.
    pub issued_at_ms: f64,
}

impl IssuedDeviceCode {
    /// Whole seconds left before the code expires, never negative.
    pub fn remaining_secs(&self, now_ms: f64) -> i64 {
        let expires_at_ms = self.issued_at_ms + self.response.expires_in as f64 * 1000.0;
        (((expires_at_ms - now_ms) / 1000.0).ceil() as i64).max(0)
    }

    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.remaining_secs(now_ms) == 0
    }
}

/// `RESTFoldersRestoreStatistics`: the outcome of a synchronous (v6, v7) mailbox restore.
/// Every field is optional in the schema; a missing or null one reads as zero or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RestoreStatistics {
    #[serde(deserialize_with = "null_as_default")]
    pub created_items_count: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub merged_items_count: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub failed_items_count: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub skipped_items_count: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub failed_folders_count: i64,
    #[serde(deserialize_with = "null_as_default")]
    pub warnings: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub exceptions: Vec<String>,
    pub cannot_continue_error: Option<String>,
}

/// Result of the restore call. v6 and v7 return the statistics when the restore has
/// finished; v8 returns at once with the id of a session to poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreResponse {
    Finished(RestoreStatistics),
    Started { session_id: String },
}

impl RestoreResponse {
    /// Parses a 2xx body of the mailbox restore call.
    pub fn parse(body: &str) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Started {
            session_id: String,
        }

        /// Presence of a `sessionId` member in the body, whatever its value.
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct SessionIdProbe {
            #[serde(default, deserialize_with = "present")]
            session_id: bool,
        }

        // serde would also fill the struct from an array, field by field.
        if json_kind(body)? != JsonKind::Object {
            return Err(serde::de::Error::custom("expected a JSON object"));
        }
        if serde_json::from_str::<SessionIdProbe>(body)?.session_id {
            let started: Started = serde_json::from_str(body)?;
            return Ok(Self::Started {
                session_id: started.session_id,
            });
        }
        serde_json::from_str(body).map(Self::Finished)
    }
}

/// Reads any value and returns `true`, for a member whose presence is all that counts.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(deserializer).map(|_| true)
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_response_parses() {
        let body = r#"{"access_token":"a","refresh_token":"r","token_type":"bearer",
            "expires_in":3600,"userName":"administrator",
            ".issued":"2026-12-04T10:00:00Z",".expires":"2026-12-04T11:00:00Z"}"#;
        let token: TokenResponse = serde_json::from_str(body).unwrap();
        assert_eq!(token.access_token, "a");
        assert_eq!(token.refresh_token, "r");
        assert_eq!(token.expires_in, 3600);
        assert_eq!(token.user_name.as_deref(), Some("administrator"));
    }

    #[test]
    fn statistics_from_veeam_example() {
        let body = r#"{ "createdItemsCount": 0, "mergedItemsCount": 0, "failedItemsCount": 0, "skippedItemsCount": 1 }"#;
        let RestoreResponse::Finished(stats) = RestoreResponse::parse(body).unwrap() else {
            panic!("expected statistics");
        };
        assert_eq!(stats.skipped_items_count, 1);
        assert_eq!(stats.created_items_count, 0);
        assert!(stats.warnings.is_empty());
        assert_eq!(stats.cannot_continue_error, None);
    }

    #[test]
    fn statistics_all_fields() {
        let body = r#"{"failedFoldersCount":1,"exceptions":["failed to restore item"],
            "createdItemsCount":10,"mergedItemsCount":2,"failedItemsCount":3,"skippedItemsCount":4,
            "cannotContinueError":"Cannot open user mailbox","warnings":["w"],"extra":true}"#;
        let RestoreResponse::Finished(stats) = RestoreResponse::parse(body).unwrap() else {
            panic!("expected statistics");
        };
        assert_eq!(stats.created_items_count, 10);
        assert_eq!(stats.merged_items_count, 2);
        assert_eq!(stats.failed_items_count, 3);
        assert_eq!(stats.skipped_items_count, 4);
        assert_eq!(stats.failed_folders_count, 1);
        assert_eq!(stats.exceptions, vec!["failed to restore item"]);
        assert_eq!(stats.warnings, vec!["w"]);
        assert_eq!(
            stats.cannot_continue_error.as_deref(),
            Some("Cannot open user mailbox")
        );
    }

    #[test]
    fn statistics_nulls_read_as_empty() {
        let body = r#"{"createdItemsCount":null,"exceptions":null,"warnings":null,"cannotContinueError":null}"#;
        let RestoreResponse::Finished(stats) = RestoreResponse::parse(body).unwrap() else {
            panic!("expected statistics");
        };
        assert_eq!(stats, RestoreStatistics::default());
    }

    #[test]
    fn v8_session_id_recognised() {
        let body = r#"{"sessionId":"4b1f0f5e-3a57-4c8e-a0a5-1f1b2c3d4e5f"}"#;
        assert_eq!(
            RestoreResponse::parse(body).unwrap(),
            RestoreResponse::Started {
                session_id: "4b1f0f5e-3a57-4c8e-a0a5-1f1b2c3d4e5f".into()
            }
        );
    }

    #[test]
    fn statistics_wrong_type_is_error() {
        assert!(RestoreResponse::parse(r#"{"createdItemsCount":"many"}"#).is_err());
        assert!(RestoreResponse::parse("[1,2]").is_err());
        assert!(RestoreResponse::parse("<html>").is_err());
    }

    #[test]
    fn null_session_id_is_error() {
        // A sessionId member marks a v8 response whatever its value, so null is no statistics.
        assert!(RestoreResponse::parse(r#"{"sessionId":null,"createdItemsCount":1}"#).is_err());
    }

    #[test]
    fn array_body_named_in_error() {
        let error = RestoreResponse::parse("[1,2]").unwrap_err();
        assert_eq!(error.to_string(), "expected a JSON object");
    }

    #[test]
    fn device_code_countdown() {
        let code = IssuedDeviceCode {
            response: serde_json::from_str(
                r#"{"userCode":"C6A9DB737","verificationUrl":"https://microsoft.com/devicelogin","expiresIn":900,"message":"m"}"#,
            )
            .unwrap(),
            issued_at_ms: 10_000.0,
        };
        assert_eq!(code.remaining_secs(10_000.0), 900);
        assert_eq!(code.remaining_secs(10_001.0), 900);
        assert_eq!(code.remaining_secs(10_000.0 + 899_500.0), 1);
        assert!(!code.is_expired(10_000.0 + 899_999.0));
        assert!(code.is_expired(10_000.0 + 900_000.0));
        assert_eq!(code.remaining_secs(10_000.0 + 2_000_000.0), 0);
    }
}

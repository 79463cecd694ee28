//! Failures of API calls, classified from what the browser saw, and explained to the user
//! with what to do next.

use std::fmt;

use serde::Deserialize;

/// The call that failed, so the explanation can name it and say what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    SignIn,
    Refresh,
    DeviceCode,
    /// A mailbox restore in the given restore session.
    Restore {
        session_id: String,
    },
    LoadConfig,
    ListOrganizations,
    ListSessions,
    /// Reading the mailboxes of the given restore session.
    ListMailboxes {
        session_id: String,
    },
    StartSession,
    StopSession,
}

impl Operation {
    fn describe(&self) -> &'static str {
        match self {
            Operation::SignIn => "Sign-in",
            Operation::Refresh => "Renewing the sign-in",
            Operation::DeviceCode => "Getting a device code",
            Operation::Restore { .. } => "The restore",
            Operation::LoadConfig => "Loading config.json",
            Operation::ListOrganizations => "Listing the organizations",
            Operation::ListSessions => "Listing the restore sessions",
            Operation::ListMailboxes { .. } => "Listing the mailboxes",
            Operation::StartSession => "Starting a restore session",
            Operation::StopSession => "Stopping the restore session",
        }
    }
}

/// Failure of an API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// `fetch` rejected: no HTTP response reached the page.
    Network { detail: String },
    /// 401: the access token is missing, expired or revoked.
    Unauthorized { message: Option<String> },
    /// The refresh token was rejected, so the user has to sign in again.
    SessionExpired,
    /// 429 from `/token`: VB365 throttles sign-ins.
    Throttled {
        message: Option<String>,
        retry_after_secs: u64,
    },
    /// An error body from the server: Veeam's `{ message }` or OAuth's
    /// `{ error, error_description }`.
    Server { status: u16, message: String },
    /// A response whose body is not JSON, typically an HTML page from a proxy.
    NotJson { status: u16, status_text: String },
    /// A JSON response that does not have the expected shape.
    Malformed { status: u16, detail: String },
}

/// Seconds to wait after a 429 when the server does not send `Retry-After`. VB365 allows
/// five sign-ins a minute, so a minute is always enough.
pub const DEFAULT_THROTTLE_WAIT_SECS: u64 = 60;

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
    #[serde(rename = "Message")]
    message_pascal: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Classifies a response whose status is not 2xx.
pub fn classify_failure(
    status: u16,
    status_text: &str,
    retry_after: Option<&str>,
    body: &str,
) -> ApiError {
    let server_message = parse_error_body(body);

    match status {
        401 => ApiError::Unauthorized {
            message: server_message.ok().flatten(),
        },
        429 => ApiError::Throttled {
            message: server_message.ok().flatten(),
            retry_after_secs: retry_after
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(DEFAULT_THROTTLE_WAIT_SECS),
        },
        _ => match server_message {
            Ok(Some(message)) => ApiError::Server { status, message },
            // VB365 puts a message in every error it sends, so a 5xx without one comes from
            // something in between, such as a proxy that lost its connection to the server.
            Ok(None) if status >= 500 => ApiError::NotJson {
                status,
                status_text: status_text.to_string(),
            },
            Ok(None) => ApiError::Server {
                status,
                message: format!("HTTP {status} {status_text}").trim().to_string(),
            },
            Err(()) => ApiError::NotJson {
                status,
                status_text: status_text.to_string(),
            },
        },
    }
}

/// Reads the message of an error body; `Err` when the body is not JSON at all.
fn parse_error_body(body: &str) -> Result<Option<String>, ()> {
    if body.trim().is_empty() {
        return Ok(None);
    }
    let parsed: ErrorBody = match serde_json::from_str(body) {
        Ok(parsed) => parsed,
        // JSON, but not an object of the expected fields (an array, a string).
        Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok() => return Ok(None),
        Err(_) => return Err(()),
    };

    let message = parsed.message.or(parsed.message_pascal);
    let oauth = match (parsed.error, parsed.error_description) {
        (Some(error), Some(description)) => Some(format!("{description} ({error})")),
        (Some(error), None) => Some(error),
        (None, description) => description,
    };
    Ok(message.or(oauth).filter(|text| !text.trim().is_empty()))
}

impl ApiError {
    /// Whether the request was delivered and taken in: the server, or the proxy in front
    /// of it, answered with something other than a refusal of the VB365 sign-in.
    ///
    /// A restore's passwords and certificate are dropped from the page once it was taken
    /// in. They are kept when no answer came (the network failed, so the administrator can
    /// retry without typing them again) and when the sign-in was refused (nothing was
    /// restored, and the same request follows once they sign in again).
    pub fn request_taken_in(&self) -> bool {
        match self {
            ApiError::Network { .. }
            | ApiError::Unauthorized { .. }
            | ApiError::SessionExpired
            | ApiError::Throttled { .. } => false,
            ApiError::Server { .. } | ApiError::NotJson { .. } | ApiError::Malformed { .. } => true,
        }
    }

    /// Explains the failure of `operation` to the user, with what to do next.
    pub fn explain(&self, operation: &Operation) -> String {
        let what = operation.describe();
        match self {
            ApiError::Network { .. } => match operation {
                Operation::Restore { session_id } => format!(
                    "{what} failed: the server could not be reached, or the connection was \
                     lost while waiting for the answer. If the connection dropped during the \
                     restore, it may still be running: check restore session {session_id} in \
                     the Veeam console before restoring this mailbox again. If the server was \
                     down, start it and press Restore again; what you typed is kept."
                ),
                _ => format!(
                    "{what} failed: the server could not be reached. Check that the VB365 REST \
                     service is running and reachable, that this browser trusts its \
                     certificate, and that this app is served from the same origin as the API \
                     (VB365 sends no CORS headers, so a reverse proxy must forward /v6/ to it). \
                     Then try again; what you typed is kept."
                ),
            },
            ApiError::Unauthorized { message } => format!(
                "{what} was rejected (HTTP 401{}). Sign in again; what you typed is kept.",
                suffix(message)
            ),
            ApiError::SessionExpired => format!(
                "{what} needs a new sign-in: your VB365 session has expired. Sign in again; \
                 what you typed is kept."
            ),
            ApiError::Throttled {
                message,
                retry_after_secs,
            } => format!(
                "The server is limiting sign-in requests (HTTP 429{}). Wait {retry_after_secs} \
                 seconds, then sign in again.",
                suffix(message)
            ),
            ApiError::Server { status, message } => {
                let next = match (operation, status) {
                    (Operation::SignIn, 400) => "Check the user name and password.",
                    (Operation::Restore { .. }, 400..=499) => "Correct the request and try again.",
                    (Operation::ListMailboxes { session_id }, 500..=599) => {
                        return format!(
                            "{what} failed (HTTP {status}): {message} Restore session \
                             {session_id} has probably expired or failed on the server. Start a \
                             new restore session."
                        );
                    }
                    (Operation::Restore { .. }, _) => {
                        "Check the restore session in the Veeam console; if it has expired, \
                         start a new one. Then try again."
                    }
                    (_, 500..=599) => "Check the VB365 server, then try again.",
                    _ => "Try again.",
                };
                format!("{what} failed (HTTP {status}): {message} {next}")
            }
            ApiError::NotJson {
                status,
                status_text,
            } => {
                let status_line = format!("HTTP {status} {status_text}");
                let status_line = status_line.trim();
                match (operation, status) {
                    (Operation::Restore { session_id }, 502 | 504) => format!(
                        "The restore request ended with {status_line}, an answer from a proxy, \
                         not from VB365. The restore may still be running on the server. Check \
                         restore session {session_id} in the Veeam console before restoring this \
                         mailbox again, and raise the proxy's read timeout."
                    ),
                    (Operation::Restore { session_id }, _) => format!(
                        "The restore request ended with {status_line} and a page that is not \
                         from the VB365 API. The restore may have run: check restore session \
                         {session_id} in the Veeam console before trying again."
                    ),
                    _ => format!(
                        "{what} failed with {status_line} and a page that is not from the VB365 \
                         API. Check that the reverse proxy forwards /v6/ to the VB365 server, \
                         then try again."
                    ),
                }
            }
            ApiError::Malformed { status, detail } if (200..300).contains(status) => {
                match operation {
                    Operation::Restore { session_id } => format!(
                        "The restore ended (HTTP {status}), but its result is an answer this app \
                         cannot read ({detail}). The restore has run: check restore session \
                         {session_id} in the Veeam console for its counts before restoring this \
                         mailbox again."
                    ),
                    _ => format!(
                        "{what} returned HTTP {status} with an answer this app cannot read \
                         ({detail}). Check that the server runs a supported VB365 REST API \
                         version (v6 or v7)."
                    ),
                }
            }
            ApiError::Malformed { status, detail } => format!(
                "{what} returned HTTP {status} with an answer this app cannot read ({detail}). \
                 Check that the server runs a supported VB365 REST API version (v6 or v7)."
            ),
        }
    }
}

fn suffix(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|text| format!(": {text}"))
        .unwrap_or_default()
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network { detail } => write!(f, "network error: {detail}"),
            ApiError::Unauthorized { .. } => f.write_str("HTTP 401"),
            ApiError::SessionExpired => f.write_str("refresh token rejected"),
            ApiError::Throttled { .. } => f.write_str("HTTP 429"),
            ApiError::Server { status, .. } => write!(f, "HTTP {status}"),
            ApiError::NotJson { status, .. } => write!(f, "HTTP {status}, not JSON"),
            ApiError::Malformed { status, .. } => write!(f, "HTTP {status}, unexpected JSON"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answered_requests_are_taken_in() {
        let taken_in = [
            classify_failure(500, "Internal Server Error", None, r#"{"message":"boom"}"#),
            classify_failure(504, "Gateway Time-out", None, "<html>504</html>"),
            ApiError::Malformed {
                status: 200,
                detail: "missing field".into(),
            },
        ];
        for error in taken_in {
            assert!(error.request_taken_in(), "{error:?}");
        }
    }

    #[test]
    fn unanswered_or_refused_requests_are_not_taken_in() {
        let not_taken_in = [
            ApiError::Network {
                detail: "Failed to fetch".into(),
            },
            classify_failure(401, "Unauthorized", None, ""),
            ApiError::SessionExpired,
            classify_failure(429, "Too Many Requests", Some("30"), ""),
        ];
        for error in not_taken_in {
            assert!(!error.request_taken_in(), "{error:?}");
        }
    }

    fn restore() -> Operation {
        Operation::Restore {
            session_id: "1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01".into(),
        }
    }

    #[test]
    fn veeam_message_body() {
        let error = classify_failure(
            400,
            "Bad Request",
            None,
            r#"{"message":"Invalid length for a Base-64 char array or string."}"#,
        );
        assert_eq!(
            error,
            ApiError::Server {
                status: 400,
                message: "Invalid length for a Base-64 char array or string.".into()
            }
        );
        let text = error.explain(&restore());
        assert!(text.contains("HTTP 400"));
        assert!(text.contains("Invalid length for a Base-64 char array or string."));
    }

    #[test]
    fn oauth_error_body() {
        let body = r#"{"error":"invalid_grant","error_description":"The user name or password is incorrect."}"#;
        let error = classify_failure(400, "Bad Request", None, body);
        assert_eq!(
            error,
            ApiError::Server {
                status: 400,
                message: "The user name or password is incorrect. (invalid_grant)".into()
            }
        );
        assert!(error
            .explain(&Operation::SignIn)
            .contains("Check the user name and password."));
    }

    #[test]
    fn oauth_error_without_description() {
        let error = classify_failure(400, "", None, r#"{"error":"unsupported_grant_type"}"#);
        assert_eq!(
            error,
            ApiError::Server {
                status: 400,
                message: "unsupported_grant_type".into()
            }
        );
    }

    #[test]
    fn pascal_case_message() {
        let error = classify_failure(500, "", None, r#"{"Message":"An error has occurred."}"#);
        assert_eq!(
            error,
            ApiError::Server {
                status: 500,
                message: "An error has occurred.".into()
            }
        );
    }

    #[test]
    fn throttled_with_retry_after() {
        let error = classify_failure(
            429,
            "Too Many Requests",
            Some("30"),
            r#"{"message":"Quota Exceeded"}"#,
        );
        assert_eq!(
            error,
            ApiError::Throttled {
                message: Some("Quota Exceeded".into()),
                retry_after_secs: 30
            }
        );
        let text = error.explain(&Operation::SignIn);
        assert!(text.contains("Quota Exceeded"));
        assert!(text.contains("Wait 30 seconds"));
    }

    #[test]
    fn throttled_default_wait() {
        let error = classify_failure(429, "", None, "Quota Exceeded");
        assert_eq!(
            error,
            ApiError::Throttled {
                message: None,
                retry_after_secs: DEFAULT_THROTTLE_WAIT_SECS
            }
        );
    }

    #[test]
    fn unauthorized() {
        let body = r#"{"message":"Authorization has been denied for this request."}"#;
        assert_eq!(
            classify_failure(401, "Unauthorized", None, body),
            ApiError::Unauthorized {
                message: Some("Authorization has been denied for this request.".into())
            }
        );
    }

    #[test]
    fn proxy_gateway_timeout_during_restore() {
        let error = classify_failure(
            504,
            "Gateway Time-out",
            None,
            "<html><body><h1>504 Gateway Time-out</h1></body></html>",
        );
        assert_eq!(
            error,
            ApiError::NotJson {
                status: 504,
                status_text: "Gateway Time-out".into()
            }
        );
        let text = error.explain(&restore());
        assert!(text.contains("may still be running"));
        assert!(text.contains("1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01"));
    }

    #[test]
    fn proxy_bad_gateway_on_sign_in() {
        let error = classify_failure(502, "Bad Gateway", None, "<html>bad gateway</html>");
        let text = error.explain(&Operation::SignIn);
        assert!(text.contains("HTTP 502 Bad Gateway"));
        assert!(text.contains("reverse proxy"));
    }

    #[test]
    fn empty_5xx_is_not_from_vb365() {
        let error = classify_failure(500, "Internal Server Error", None, "");
        assert_eq!(
            error,
            ApiError::NotJson {
                status: 500,
                status_text: "Internal Server Error".into()
            }
        );
        assert!(error
            .explain(&restore())
            .contains("The restore may have run"));
    }

    #[test]
    fn empty_4xx_uses_status() {
        assert_eq!(
            classify_failure(404, "Not Found", None, ""),
            ApiError::Server {
                status: 404,
                message: "HTTP 404 Not Found".into()
            }
        );
    }

    #[test]
    fn json_without_message_uses_status() {
        assert_eq!(
            classify_failure(404, "Not Found", None, "[]"),
            ApiError::Server {
                status: 404,
                message: "HTTP 404 Not Found".into()
            }
        );
    }

    #[test]
    fn browse_500_suggests_new_session() {
        let error = classify_failure(
            500,
            "",
            None,
            r#"{"message":"The server did not provide a meaningful reply."}"#,
        );
        let text = error.explain(&Operation::ListMailboxes {
            session_id: "s-1".into(),
        });
        assert!(text.contains("The server did not provide a meaningful reply."));
        assert!(text.contains("s-1 has probably expired"));
        assert!(text.contains("Start a new restore session."));
    }

    #[test]
    fn lost_restore_connection_names_the_session_to_check() {
        let text = ApiError::Network {
            detail: "TypeError: Failed to fetch".into(),
        }
        .explain(&restore());
        assert!(text.contains("may still be running"));
        assert!(text.contains("1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01"));
        assert!(text.contains("what you typed is kept"));
    }

    #[test]
    fn unreadable_restore_result_says_the_restore_ran() {
        let error = ApiError::Malformed {
            status: 200,
            detail: "expected value at line 1 column 1".into(),
        };
        let text = error.explain(&restore());
        assert!(text.contains("The restore has run"));
        assert!(text.contains("1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01"));
        let browse = error.explain(&Operation::ListOrganizations);
        assert!(browse.contains("supported VB365 REST API version"));
    }

    #[test]
    fn network_explains_causes() {
        let text = ApiError::Network {
            detail: "TypeError: Failed to fetch".into(),
        }
        .explain(&Operation::SignIn);
        assert!(text.contains("could not be reached"));
        assert!(text.contains("certificate"));
        assert!(text.contains("same origin"));
    }

    #[test]
    fn restore_server_error_suggests_session_check() {
        let error = classify_failure(
            500,
            "",
            None,
            r#"{"message":"Restore session has expired."}"#,
        );
        let text = error.explain(&restore());
        assert!(text.contains("Restore session has expired."));
        assert!(text.contains("start a new one"));
    }
}

//! Organizations, restore sessions and mailboxes: everything a client reads before a
//! restore, plus starting (explore) and stopping a restore session.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::auth::format_time;
use crate::errors::{parse_json_object, require_json_content_type, ApiError};
use crate::seed::{self, Organization, RestoreSession, SessionState};
use crate::state::{AppState, SimState};

/// Page size used when a request has no `limit`.
pub const DEFAULT_PAGE_LIMIT: u32 = 30;
/// Largest `limit` the API accepts.
pub const MAX_PAGE_LIMIT: u32 = 10_000;

/// Message for a session expired through the control API. Users reported this .NET message
/// for restore sessions that the server had closed, and a community client shows HTTP 500
/// here as "restore session has expired".
pub const EXPIRED_SESSION_MESSAGE: &str = "The server did not provide a meaningful reply; this might be caused by a contract mismatch, a premature session shutdown or an internal server error.";

fn link(href: String) -> Value {
    json!({ "href": href })
}

fn organization_json(org: &Organization) -> Value {
    let (first, last) = match org.backups {
        Some((first, last)) => (json!(format_time(first)), json!(format_time(last))),
        None => (Value::Null, Value::Null),
    };
    json!({
        "type": "Office365",
        "region": "Worldwide",
        "id": org.id,
        "name": org.name,
        "officeName": org.office_name,
        "isExchangeOnline": true,
        "isSharePointOnline": true,
        "isTeamsOnline": false,
        "isTeamsChatsOnline": false,
        "isBackedup": org.backups.is_some(),
        "firstBackuptime": first,
        "lastBackuptime": last,
        "_links": {
            "self": link(format!("/v6/Organizations/{}", org.id)),
            "explore": link(format!("/v6/Organizations/{}/explore", org.id)),
        },
    })
}

/// Builds the `RESTRestoreSession` JSON of a session.
pub fn session_json(session: &RestoreSession) -> Value {
    json!({
        "id": session.id,
        "name": format!("Exchange restore session for {}", session.organization_name),
        "organization": session.organization_name,
        "type": "Vex",
        "creationTime": format_time(session.creation_time),
        "endTime": session.end_time.map(format_time),
        "state": session.state.as_str(),
        "result": "Success",
        "initiatedBy": session.initiated_by,
        "details": "",
        "clientHost": "127.0.0.1",
        "reason": "",
        "_links": {
            "self": link(format!("/v6/RestoreSessions/{}", session.id)),
            "organization": link(format!("/v6/RestoreSessions/{}/organization", session.id)),
            "stop": link(format!("/v6/RestoreSessions/{}/Stop", session.id)),
        },
    })
}

/// Returns the session with `id` if it can still be browsed and restored from: 404 when
/// unknown, 500 when expired, 400 when stopped.
pub fn usable_session<'a>(sim: &'a SimState, id: &str) -> Result<&'a RestoreSession, ApiError> {
    let session = sim.session(id).ok_or_else(|| {
        ApiError::not_found(format!("Restore session with ID '{id}' was not found."))
    })?;
    if session.expired {
        return Err(ApiError::internal(EXPIRED_SESSION_MESSAGE));
    }
    if session.state == SessionState::Stopped {
        return Err(ApiError::bad_request(format!(
            "Restore session '{id}' is stopped. Start a new restore session."
        )));
    }
    Ok(session)
}

/// Offset and limit of a paged request.
pub struct Paging {
    pub offset: u32,
    pub limit: u32,
}

/// Reads `offset` and `limit` (parameter names case-insensitive) from a query string.
pub fn parse_paging(query: Option<&str>) -> Result<Paging, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|error| ApiError::bad_request(format!("The query string is invalid: {error}.")))?;
    let params: HashMap<String, String> = pairs
        .into_iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .collect();
    let number = |name: &str, default: u32| -> Result<u32, ApiError> {
        match params.get(name) {
            None => Ok(default),
            Some(text) => text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                    "The value '{text}' is not valid for '{name}': expected a non-negative integer."
                ))
                }),
        }
    };
    let offset = number("offset", 0)?;
    let limit = number("limit", DEFAULT_PAGE_LIMIT)?;
    if limit == 0 || limit > MAX_PAGE_LIMIT {
        return Err(ApiError::bad_request(format!(
            "The value '{limit}' is not valid for 'limit': use a value from 1 to {MAX_PAGE_LIMIT}."
        )));
    }
    Ok(Paging { offset, limit })
}

/// Builds a page object (`PageOf...`) with `self` and, when more results exist, `next` links.
/// NOTE: the link names follow Veeam's HAL style but are not confirmed for v6 pages.
fn page_json(base: &str, paging: &Paging, results: Vec<Value>, total: u32) -> Value {
    let mut links = serde_json::Map::new();
    links.insert(
        "self".to_string(),
        link(format!(
            "{base}?offset={}&limit={}",
            paging.offset, paging.limit
        )),
    );
    if u64::from(paging.offset) + u64::from(paging.limit) < u64::from(total) {
        links.insert(
            "next".to_string(),
            link(format!(
                "{base}?offset={}&limit={}",
                paging.offset + paging.limit,
                paging.limit
            )),
        );
    }
    json!({
        "offset": paging.offset,
        "limit": paging.limit,
        "setId": uuid::Uuid::new_v4().to_string(),
        "results": results,
        "_links": links,
    })
}

/// Handles `GET /v6/Organizations`: a plain array on v6, not a page.
pub async fn list_organizations(State(state): State<AppState>) -> Json<Value> {
    let sim = state.lock();
    Json(Value::Array(
        sim.organizations.iter().map(organization_json).collect(),
    ))
}

fn parse_time(name: &str, value: &Value) -> Result<Option<DateTime<Utc>>, ApiError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => DateTime::parse_from_rfc3339(text)
            .map(|time| Some(time.with_timezone(&Utc)))
            .map_err(|_| {
                ApiError::bad_request(format!(
                    "The value '{text}' of '{name}' is not a valid date and time. Use RFC 3339, for example 2024-05-01T12:00:00Z."
                ))
            }),
        _ => Err(ApiError::bad_request(format!("The field '{name}' must be a date-time string."))),
    }
}

fn explore_response(
    state: &AppState,
    organization_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, ApiError> {
    require_json_content_type(headers)?;
    let options = parse_json_object(body)?;
    let mut date_time = None;
    let mut session_type = None;
    for (name, value) in &options {
        match name.as_str() {
            "dateTime" => date_time = parse_time(name, value)?,
            "type" => session_type = value.as_str().map(str::to_string),
            "showDeleted" | "showAllVersions" => {
                if !value.is_boolean() && !value.is_null() {
                    return Err(ApiError::bad_request(format!("The field '{name}' must be a boolean.")));
                }
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "Unknown field '{name}'. RESTExploreOptions has dateTime, type, showDeleted and showAllVersions."
                )))
            }
        }
    }
    match session_type.as_deref() {
        Some(kind) if kind.eq_ignore_ascii_case("vex") => {}
        Some(kind) if ["veod", "vesp", "vet"].contains(&kind.to_ascii_lowercase().as_str()) => {
            return Err(ApiError::bad_request(format!(
                "Restore session type '{kind}' is not supported by this simulator. Use 'Vex' (Exchange)."
            )))
        }
        Some(kind) => {
            return Err(ApiError::bad_request(format!(
                "The value '{kind}' is not valid for 'type'. Use Vex, Veod, Vesp or Vet."
            )))
        }
        None => return Err(ApiError::bad_request("The 'type' field is required. Use 'Vex' for Exchange.")),
    }

    let mut sim = state.lock();
    let org = sim
        .organization(organization_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Organization with ID '{organization_id}' was not found."
            ))
        })?
        .clone();
    let Some((first_backup, _)) = org.backups else {
        return Err(ApiError::internal("Restore session cannot be created."));
    };
    // A point in time before the first backup opens an empty session, as the real server does.
    let mailbox_count = match date_time {
        Some(time) if time < first_backup => 0,
        _ => org.mailbox_count,
    };
    let session = RestoreSession {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id: org.id.clone(),
        organization_name: org.name.clone(),
        creation_time: Utc::now(),
        end_time: None,
        state: SessionState::Working,
        initiated_by: state.config.admin_user.clone(),
        mailbox_count,
        expired: false,
    };
    let body = session_json(&session);
    tracing::info!(session_id = %session.id, organization_id = %org.id, "restore session started");
    sim.sessions.push(session);
    Ok(body)
}

/// Handles `POST /v6/Organizations/{organizationId}/explore`.
pub async fn explore(
    State(state): State<AppState>,
    Path(organization_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match explore_response(&state, &organization_id, &headers, &body) {
        Ok(session) => Json(session).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Handles `GET /v6/RestoreSessions`, newest first.
pub async fn list_sessions(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let paging = match parse_paging(query.as_deref()) {
        Ok(paging) => paging,
        Err(error) => return error.into_response(),
    };
    let sim = state.lock();
    let total = u32::try_from(sim.sessions.len()).unwrap_or(u32::MAX);
    let results = sim
        .sessions
        .iter()
        .rev()
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .map(session_json)
        .collect();
    Json(page_json("/v6/RestoreSessions", &paging, results, total)).into_response()
}

/// Handles `GET /v6/RestoreSessions/{restoreSessionId}`.
pub async fn get_session(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
) -> Response {
    let sim = state.lock();
    match sim.session(&session_id) {
        Some(session) => Json(session_json(session)).into_response(),
        None => ApiError::not_found(format!(
            "Restore session with ID '{session_id}' was not found."
        ))
        .into_response(),
    }
}

/// Handles `POST /v6/RestoreSessions/{restoreSessionId}/Stop`: 200 with an empty body.
/// Stopping a stopped session is accepted again. NOTE: whether the real server returns an
/// error then is unknown.
pub async fn stop_session(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
) -> Response {
    let mut sim = state.lock();
    match sim.session_mut(&session_id) {
        Some(session) => {
            if session.state == SessionState::Working {
                session.state = SessionState::Stopped;
                session.end_time = Some(Utc::now());
                tracing::info!(session_id = %session.id, "restore session stopped");
            }
            StatusCode::OK.into_response()
        }
        None => ApiError::not_found(format!(
            "Restore session with ID '{session_id}' was not found."
        ))
        .into_response(),
    }
}

fn mailbox_json(session_id: &str, mailbox: &seed::Mailbox) -> Value {
    json!({
        "id": mailbox.id,
        "name": mailbox.name,
        "email": mailbox.email,
        "isArchive": mailbox.is_archive,
        "isPublic": mailbox.is_public,
        "_links": {
            "self": link(format!("/v6/RestoreSessions/{session_id}/organization/mailboxes/{}", mailbox.id)),
            "restoreSession": link(format!("/v6/RestoreSessions/{session_id}")),
        },
    })
}

/// Handles `GET /v6/RestoreSessions/{restoreSessionId}/organization/mailboxes`.
pub async fn list_mailboxes(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let paging = match parse_paging(query.as_deref()) {
        Ok(paging) => paging,
        Err(error) => return error.into_response(),
    };
    let sim = state.lock();
    let session = match usable_session(&sim, &session_id) {
        Ok(session) => session,
        Err(error) => return error.into_response(),
    };
    let Some(org) = sim.organization(&session.organization_id) else {
        return ApiError::internal("The organization of this restore session no longer exists.")
            .into_response();
    };
    let total = session.mailbox_count.min(org.mailbox_count);
    let end = u64::from(paging.offset)
        .saturating_add(u64::from(paging.limit))
        .min(u64::from(total));
    let results = (u64::from(paging.offset)..end)
        .filter_map(|index| u32::try_from(index).ok())
        .map(|index| mailbox_json(&session.id, &seed::mailbox(org, index)))
        .collect();
    let base = format!("/v6/RestoreSessions/{}/organization/mailboxes", session.id);
    Json(page_json(&base, &paging, results, total)).into_response()
}

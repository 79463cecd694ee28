//! Calls to the VB365 REST API over `fetch`, with the sign-in kept in memory.
//!
//! The client signs in once, renews the access token with the refresh token shortly before
//! it expires, and renews once more when a call gets a 401 response. It never signs in again on
//! its own: VB365 throttles `/token`, and a password is not kept after sign-in.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use futures::lock::Mutex;
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::api::{device_code_body, ApiEndpoint};
use restore_core::browse::{
    parse_mailboxes_page, parse_organizations, parse_session, parse_sessions_page, Mailbox,
    Organization, Page, PageRequest, ParseError, RestoreSession,
};
use restore_core::error::{classify_failure, ApiError};
use restore_core::form::RestoreRequest;
use restore_core::model::{DeviceCodeResponse, RestoreResponse, TokenResponse};
use restore_core::secret::Secret;
use restore_core::token::TokenSet;
use restore_core::Uuid;
use zeroize::Zeroizing;

use crate::certificate_file::describe_js_error;
use crate::clock::now_ms;
use crate::fetch::fetch_text;
use crate::state::AuthState;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// The API client. Cloning it shares the same sign-in.
#[derive(Clone)]
pub struct ApiClient {
    shared: Rc<Shared>,
}

struct Shared {
    endpoint: ApiEndpoint,
    auth: AuthState,
    tokens: RefCell<Option<TokenSet>>,
    /// Incremented at every change of `tokens`, so a caller can tell whether another task
    /// renewed them while it waited.
    generation: Cell<u64>,
    /// Serializes renewals, so two calls that get a 401 at once send one refresh.
    renewal: Mutex<()>,
    renewal_timer: RefCell<Option<TimeoutHandle>>,
}

/// A response read in full.
struct RawResponse {
    status: u16,
    status_text: String,
    retry_after: Option<String>,
    body: String,
}

impl RawResponse {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn into_failure(self) -> ApiError {
        classify_failure(
            self.status,
            &self.status_text,
            self.retry_after.as_deref(),
            &self.body,
        )
    }
}

impl ApiClient {
    pub fn new(endpoint: ApiEndpoint, auth: AuthState) -> Self {
        Self {
            shared: Rc::new(Shared {
                endpoint,
                auth,
                tokens: RefCell::new(None),
                generation: Cell::new(0),
                renewal: Mutex::new(()),
                renewal_timer: RefCell::new(None),
            }),
        }
    }

    pub fn endpoint(&self) -> &ApiEndpoint {
        &self.shared.endpoint
    }

    /// Signs in with a VB365 administrator's account and returns the name the server
    /// reports. The password is sent once and not kept.
    pub async fn sign_in(&self, user_name: &str, password: &Secret) -> Result<String, ApiError> {
        let endpoint = &self.shared.endpoint;
        let body = endpoint.password_grant_body(user_name, password);
        let response = send(
            "POST",
            &endpoint.token_url(),
            None,
            Some((FORM, body.expose())),
        )
        .await?;
        if !response.is_success() {
            return Err(response.into_failure());
        }

        let token: TokenResponse = parse_json(&response)?;
        let name = token
            .user_name
            .clone()
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| user_name.to_string());
        self.store_tokens(TokenSet::from_response(token, now_ms()));
        Ok(name)
    }

    /// Forgets the tokens. VB365 v6 has no logout call, so the server lets them run out.
    pub fn sign_out(&self) {
        self.clear_tokens();
    }

    /// Requests a device code for the restore session (`restoreDeviceCode`).
    pub async fn request_device_code(
        &self,
        session_id: Uuid,
        application_id: Uuid,
    ) -> Result<DeviceCodeResponse, ApiError> {
        let url = self.shared.endpoint.device_code_url(session_id);
        let body = device_code_body(application_id);
        let response = self
            .send_authorized("POST", &url, Some((JSON, &body)))
            .await?;
        if !response.is_success() {
            return Err(response.into_failure());
        }
        parse_json(&response)
    }

    /// Restores one mailbox to its original location. On v6 and v7 this returns when the
    /// restore has finished, which can take many minutes.
    pub async fn restore_mailbox(
        &self,
        request: &RestoreRequest,
    ) -> Result<RestoreResponse, ApiError> {
        let url = self
            .shared
            .endpoint
            .mailbox_restore_url(request.session_id, request.mailbox_id);
        let body = Secret::new(request.credentials.restore_body());
        let response = self
            .send_authorized("POST", &url, Some((JSON, body.expose())))
            .await?;
        if !response.is_success() {
            return Err(response.into_failure());
        }
        RestoreResponse::parse(&response.body).map_err(|error| ApiError::Malformed {
            status: response.status,
            detail: error.to_string(),
        })
    }

    /// Lists the organizations (`GET /vN/Organizations`).
    pub async fn organizations(&self) -> Result<Vec<Organization>, ApiError> {
        let url = self.shared.endpoint.organizations_url(true);
        self.get_parsed(&url, parse_organizations).await
    }

    /// Opens a restore session of an organization (`POST .../explore`) with a body from
    /// `browse::explore_body`. Any 2xx is accepted: v6 declares 200, v8 201.
    pub async fn explore(
        &self,
        organization_id: Uuid,
        body: &str,
    ) -> Result<RestoreSession, ApiError> {
        let url = self.shared.endpoint.explore_url(organization_id);
        let response = self
            .send_authorized("POST", &url, Some((JSON, body)))
            .await?;
        parse_with(response, parse_session)
    }

    /// Reads one page of the restore sessions.
    pub async fn restore_sessions(
        &self,
        page: PageRequest,
    ) -> Result<Page<RestoreSession>, ApiError> {
        let url = self.shared.endpoint.restore_sessions_url(page);
        self.get_parsed(&url, parse_sessions_page).await
    }

    /// Reads one restore session.
    pub async fn restore_session(&self, session_id: Uuid) -> Result<RestoreSession, ApiError> {
        let url = self.shared.endpoint.restore_session_url(session_id);
        self.get_parsed(&url, parse_session).await
    }

    /// Reads one page of the mailboxes of a restore session.
    pub async fn mailboxes(
        &self,
        session_id: Uuid,
        page: PageRequest,
    ) -> Result<Page<Mailbox>, ApiError> {
        let url = self.shared.endpoint.mailboxes_url(session_id, page);
        self.get_parsed(&url, parse_mailboxes_page).await
    }

    /// Stops a restore session, which frees its resources on the server.
    pub async fn stop_session(&self, session_id: Uuid) -> Result<(), ApiError> {
        let url = self.shared.endpoint.stop_session_url(session_id);
        let response = self.send_authorized("POST", &url, None).await?;
        if response.is_success() {
            Ok(())
        } else {
            Err(response.into_failure())
        }
    }

    async fn get_parsed<T>(
        &self,
        url: &str,
        parse: fn(&str) -> Result<T, ParseError>,
    ) -> Result<T, ApiError> {
        let response = self.send_authorized("GET", url, None).await?;
        parse_with(response, parse)
    }

    /// Sends a call with the bearer token, renewing the token first when it is due and once
    /// more when the server returns 401. A 401 means the call was not carried out, so
    /// sending it again cannot restore a mailbox twice.
    async fn send_authorized(
        &self,
        method: &str,
        url: &str,
        body: Option<(&str, &str)>,
    ) -> Result<RawResponse, ApiError> {
        let due = self
            .shared
            .tokens
            .borrow()
            .as_ref()
            .map(|tokens| tokens.needs_renewal(now_ms()));
        match due {
            None => return Err(ApiError::SessionExpired),
            Some(true) => self.renew(self.shared.generation.get()).await?,
            Some(false) => {}
        }

        let generation = self.shared.generation.get();
        let response = send(method, url, Some(&self.access_token()?), body).await?;
        if response.status != 401 {
            return Ok(response);
        }

        self.renew(generation).await?;
        send(method, url, Some(&self.access_token()?), body).await
    }

    fn access_token(&self) -> Result<Secret, ApiError> {
        self.shared
            .tokens
            .borrow()
            .as_ref()
            .map(|tokens| tokens.access_token.clone())
            .ok_or(ApiError::SessionExpired)
    }

    /// Trades the refresh token for a new pair, unless another task already did so since
    /// `seen_generation`. A rejected refresh token ends the sign-in.
    async fn renew(&self, seen_generation: u64) -> Result<(), ApiError> {
        let _guard = self.shared.renewal.lock().await;
        if self.shared.generation.get() != seen_generation {
            return Ok(());
        }

        let refresh_token = self
            .shared
            .tokens
            .borrow()
            .as_ref()
            .map(|tokens| tokens.refresh_token.clone())
            .ok_or(ApiError::SessionExpired)?;
        let endpoint = &self.shared.endpoint;
        let body = endpoint.refresh_grant_body(&refresh_token);
        let response = send(
            "POST",
            &endpoint.token_url(),
            None,
            Some((FORM, body.expose())),
        )
        .await?;

        match response.status {
            200..=299 => {
                let token: TokenResponse = parse_json(&response)?;
                self.store_tokens(TokenSet::from_response(token, now_ms()));
                Ok(())
            }
            400 | 401 => {
                self.clear_tokens();
                self.shared.auth.session_lapsed();
                Err(ApiError::SessionExpired)
            }
            _ => Err(response.into_failure()),
        }
    }

    fn store_tokens(&self, tokens: TokenSet) {
        let delay_ms = tokens.renew_in_ms(now_ms());
        *self.shared.tokens.borrow_mut() = Some(tokens);
        self.shared.generation.set(self.shared.generation.get() + 1);
        self.schedule_renewal(delay_ms);
    }

    fn clear_tokens(&self) {
        *self.shared.tokens.borrow_mut() = None;
        self.shared.generation.set(self.shared.generation.get() + 1);
        if let Some(timer) = self.shared.renewal_timer.borrow_mut().take() {
            timer.clear();
        }
    }

    /// Renews the token when it is due even if no call is made, so an idle page keeps its
    /// sign-in.
    fn schedule_renewal(&self, delay_ms: f64) {
        if let Some(timer) = self.shared.renewal_timer.borrow_mut().take() {
            timer.clear();
        }
        let client = self.clone();
        let generation = self.shared.generation.get();
        let timer = set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    if let Err(error) = client.renew(generation).await {
                        warn!("Renewing the VB365 sign-in failed: {error}");
                    }
                });
            },
            Duration::from_millis(delay_ms as u64),
        );
        match timer {
            Ok(timer) => *self.shared.renewal_timer.borrow_mut() = Some(timer),
            Err(error) => warn!(
                "Could not schedule the token renewal: {}",
                describe_js_error(&error)
            ),
        }
    }
}

fn parse_with<T>(
    response: RawResponse,
    parse: fn(&str) -> Result<T, ParseError>,
) -> Result<T, ApiError> {
    if !response.is_success() {
        return Err(response.into_failure());
    }
    parse(&response.body).map_err(|error| error.into_api_error(response.status))
}

fn parse_json<T: serde::de::DeserializeOwned>(response: &RawResponse) -> Result<T, ApiError> {
    serde_json::from_str(&response.body).map_err(|error| ApiError::Malformed {
        status: response.status,
        detail: error.to_string(),
    })
}

/// Sends one request and reads the whole response. Logs failures with the method, path and
/// status only: never a header or a body, which can hold secrets.
async fn send(
    method: &str,
    url: &str,
    bearer: Option<&Secret>,
    body: Option<(&str, &str)>,
) -> Result<RawResponse, ApiError> {
    let path = url_path(url);
    let authorization = bearer.map(|token| Zeroizing::new(format!("Bearer {}", token.expose())));
    let mut headers = vec![("Accept", JSON)];
    if let Some(value) = &authorization {
        headers.push(("Authorization", value.as_str()));
    }
    let response = fetch_text(method, url, &headers, body)
        .await
        .map_err(|detail| {
            warn!("{method} {path} failed: no response ({detail})");
            ApiError::Network { detail }
        })?;

    let status = response.status;
    if !(200..300).contains(&status) {
        warn!("{method} {path} failed: HTTP {status}");
    }
    Ok(RawResponse {
        status,
        status_text: response.status_text,
        retry_after: response.retry_after,
        body: response.body,
    })
}

/// The path of a URL, for log lines that must not show the server's address in full.
fn url_path(url: &str) -> &str {
    url.find("://")
        .and_then(|scheme_end| {
            url[scheme_end + 3..]
                .find('/')
                .map(|at| &url[scheme_end + 3 + at..])
        })
        .unwrap_or(url)
}

//! Simulator of the Veeam Backup for Microsoft 365 REST API v6, limited to what a client
//! needs to restore one Exchange mailbox to its original location.
//!
//! [`router`] builds the routes. [`start`] binds the listeners on 127.0.0.1 and serves them
//! in the background, for the binary and for in-process tests.

pub mod auth;
pub mod browse;
pub mod control;
pub mod device_code;
pub mod errors;
pub mod pkcs12;
pub mod restore;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::uri::PathAndQuery;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::task::JoinHandle;

use crate::errors::ApiError;
pub use crate::state::AppState;

/// Behavior of a simulator instance. The defaults match the command-line defaults.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// How long a valid restore runs before its 200, in milliseconds.
    pub restore_delay_ms: u64,
    /// `expires_in` of access tokens, in seconds.
    pub token_lifetime_secs: u64,
    /// `expiresIn` of device codes, in seconds.
    pub device_code_lifetime_secs: u64,
    /// Seconds after issue when a device code counts as signed in. 0 leaves sign-in to the
    /// control API.
    pub device_code_sign_in_after_secs: u64,
    /// Directory served at `/` for paths outside `/v6` and `/sim`.
    pub static_dir: Option<PathBuf>,
    pub admin_user: String,
    pub admin_password: String,
    /// Applies Veeam's login throttle (1 token request a second, 5 a minute).
    pub token_throttle: bool,
    /// Mailboxes of the extra organization Tailspin Toys and its working restore session,
    /// for load and search benchmarks. 0 leaves the organization out.
    pub large_organization_mailboxes: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            restore_delay_ms: 3_000,
            token_lifetime_secs: 3_600,
            device_code_lifetime_secs: 900,
            device_code_sign_in_after_secs: 10,
            static_dir: None,
            admin_user: "administrator".to_string(),
            admin_password: "Restore-Demo-1".to_string(),
            token_throttle: false,
            large_organization_mailboxes: 0,
        }
    }
}

/// Builds the application: the v6 API, the `/sim` control API and the optional static files.
pub fn router(state: AppState) -> Router {
    let protected = Router::new()
        .route("/v6/organizations", get(browse::list_organizations))
        .route(
            "/v6/organizations/{organization_id}/explore",
            post(browse::explore),
        )
        .route("/v6/restoresessions", get(browse::list_sessions))
        .route("/v6/restoresessions/{session_id}", get(browse::get_session))
        .route(
            "/v6/restoresessions/{session_id}/stop",
            post(browse::stop_session),
        )
        .route(
            "/v6/restoresessions/{session_id}/organization/mailboxes",
            get(browse::list_mailboxes),
        )
        .route(
            "/v6/restoresessions/{session_id}/organization/restoredevicecode",
            post(device_code::issue),
        )
        .route(
            "/v6/restoresessions/{session_id}/organization/mailboxes/{mailbox_id}/restore",
            post(restore::restore_mailbox),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_bearer,
        ));

    let inner = Router::new()
        .route("/v6/token", post(auth::token))
        .merge(protected)
        .merge(control::routes())
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);

    // Routing is case-sensitive, but the real server is not: clients send both /v6/token and
    // /v6/Token. So /v6 paths are lower-cased before they reach the routes above.
    let case_insensitive =
        tower::util::MapRequest::new(inner, lowercase_api_path as fn(Request) -> Request);
    Router::new()
        .fallback_service(case_insensitive)
        .layer(middleware::from_fn(log_request))
}

fn is_api_path(lower_path: &str) -> bool {
    lower_path == "/v6" || lower_path.starts_with("/v6/")
}

fn lowercase_api_path(mut request: Request) -> Request {
    let path = request.uri().path();
    let lower = path.to_ascii_lowercase();
    if !is_api_path(&lower) || lower == path {
        return request;
    }
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{lower}?{query}"),
        None => lower,
    };
    let mut parts = request.uri().clone().into_parts();
    if let Ok(path_and_query) = PathAndQuery::try_from(path_and_query) {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

async fn fallback(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if is_api_path(path) || path == "/sim" || path.starts_with("/sim/") {
        return ApiError::not_found(format!(
            "No HTTP resource was found that matches the request URI '{path}'."
        ))
        .into_response();
    }
    match &state.config.static_dir {
        Some(root) if method == Method::GET || method == Method::HEAD => {
            static_files::serve(root, path).await
        }
        _ => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

async fn method_not_allowed(method: Method) -> Response {
    ApiError::message(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("The requested resource does not support http method '{method}'."),
    )
    .into_response()
}

/// Path for the request log, with device user codes replaced because they are credentials.
fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/sim/device-codes/") {
        Some(rest) => match rest.split_once('/') {
            Some((_, action)) => format!("/sim/device-codes/{{userCode}}/{action}"),
            None => "/sim/device-codes/{userCode}".to_string(),
        },
        None => path.to_string(),
    }
}

/// Logs method, path (without query string), status and duration of every request. Headers
/// and bodies are never logged, because they carry passwords, tokens and certificates.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(%method, %path, status = response.status().as_u16(), duration_ms, "request");
    response
}

/// Ports to listen on, on 127.0.0.1. Port 0 picks a free port.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub http: u16,
    /// `None` serves plain HTTP only.
    pub https: Option<u16>,
}

/// A simulator serving in the background. Dropping it stops the listeners.
pub struct RunningSimulator {
    pub http_addr: SocketAddr,
    pub https_addr: Option<SocketAddr>,
    /// PEM of the self-signed certificate of the HTTPS listener.
    pub certificate_pem: Option<Vec<u8>>,
    pub state: AppState,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningSimulator {
    pub fn http_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    pub fn https_url(&self) -> Option<String> {
        self.https_addr.map(|addr| format!("https://{addr}"))
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Binds the listeners on 127.0.0.1 and serves the simulator on the current Tokio runtime.
pub async fn start(config: SimConfig, ports: Ports) -> std::io::Result<RunningSimulator> {
    pkcs12::load_openssl_providers();
    let state = AppState::new(config);
    let app = router(state.clone());
    let mut tasks = Vec::new();

    let http_listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, ports.http)).await?;
    let http_addr = http_listener.local_addr()?;
    let http_app = app.clone();
    tasks.push(tokio::spawn(async move {
        if let Err(error) = axum::serve(http_listener, http_app).await {
            tracing::error!(%error, "HTTP listener stopped");
        }
    }));

    let (https_addr, certificate_pem) = match ports.https {
        None => (None, None),
        Some(port) => {
            let certificate = tls::generate().map_err(std::io::Error::other)?;
            let tls_config = axum_server::tls_openssl::OpenSSLConfig::from_pem(
                &certificate.certificate_pem,
                &certificate.private_key_pem,
            )
            .map_err(std::io::Error::other)?;
            let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
            let addr = listener.local_addr()?;
            let server = axum_server::from_tcp(listener)?
                .acceptor(axum_server::tls_openssl::OpenSSLAcceptor::new(tls_config));
            tasks.push(tokio::spawn(async move {
                if let Err(error) = server.serve(app.into_make_service()).await {
                    tracing::error!(%error, "HTTPS listener stopped");
                }
            }));
            (Some(addr), Some(certificate.certificate_pem))
        }
    };

    Ok(RunningSimulator {
        http_addr,
        https_addr,
        certificate_pem,
        state,
        tasks,
    })
}

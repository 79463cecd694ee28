//! Shared mutable state of a running simulator.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::seed::{self, Organization, RestoreSession};
use crate::SimConfig;

/// Handle shared by all request handlers.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<SimConfig>,
    inner: Arc<Mutex<SimState>>,
}

impl AppState {
    pub fn new(config: SimConfig) -> Self {
        let state = SimState::seeded(&config);
        Self {
            config: Arc::new(config),
            inner: Arc::new(Mutex::new(state)),
        }
    }

    /// Locks the state. A handler that panicked while holding the lock leaves data that is
    /// still consistent enough for a simulator, so a poisoned lock is recovered.
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reseeds the demo data and clears tokens, device codes, faults and records.
    pub fn reset(&self) {
        *self.lock() = SimState::seeded(&self.config);
    }

    /// Returns the restore delay: the fault override if set, else the configured one.
    pub fn restore_delay(&self) -> Duration {
        let override_ms = self.lock().faults.restore_delay_ms;
        Duration::from_millis(override_ms.unwrap_or(self.config.restore_delay_ms))
    }
}

/// An issued access or refresh token.
#[derive(Debug, Clone)]
pub struct TokenEntry {
    pub user_name: String,
    pub expires_at: DateTime<Utc>,
}

/// A device code issued for a restore session.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    pub session_id: String,
    pub expires_at: DateTime<Utc>,
    /// When the simulated administrator finishes signing in, `None` until the control API
    /// marks it (or never, when automatic sign-in is off).
    pub signed_in_at: Option<DateTime<Utc>>,
}

/// A canned response for the next restore that passes validation.
#[derive(Debug, Clone)]
pub struct RestoreFault {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub token_throttled: bool,
    pub restore_delay_ms: Option<u64>,
    pub next_restore: Option<RestoreFault>,
}

/// Token requests received, by grant type.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestCounts {
    pub password: u64,
    pub refresh_token: u64,
    pub throttled: u64,
}

/// One restore request as received, without any password.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreRecord {
    pub time: String,
    pub session_id: String,
    pub mailbox_id: String,
    /// Top-level field names of the JSON body, sorted by name, empty when the body was not a
    /// JSON object.
    pub field_names: Vec<String>,
    pub user_name: Option<String>,
    pub user_code: Option<String>,
    pub application_id: Option<String>,
    pub impersonation_account_name: Option<String>,
    /// SHA-256 (lower-case hex) of the Base64-decoded `applicationCertificate`.
    pub certificate_sha256: Option<String>,
    /// Length in bytes of the Base64-decoded `applicationCertificate`.
    pub certificate_length: Option<usize>,
    /// The HTTP status answered, or 0 while the restore runs or when the client
    /// disconnected before the answer.
    pub status: u16,
}

pub struct SimState {
    pub organizations: Vec<Organization>,
    /// Restore sessions, oldest first.
    pub sessions: Vec<RestoreSession>,
    pub access_tokens: HashMap<String, TokenEntry>,
    pub refresh_tokens: HashMap<String, TokenEntry>,
    /// Device codes by user code.
    pub device_codes: HashMap<String, DeviceCode>,
    pub restores: Vec<RestoreRecord>,
    pub token_counts: TokenRequestCounts,
    /// Times of the accepted token requests of the last minute, for the login throttle.
    pub token_request_times: VecDeque<DateTime<Utc>>,
    pub faults: Faults,
}

impl SimState {
    fn seeded(config: &SimConfig) -> Self {
        let now = Utc::now();
        let mut organizations = seed::organizations(now);
        organizations.extend(seed::large_organization(
            now,
            config.large_organization_mailboxes,
        ));
        let sessions = seed::restore_sessions(&organizations, now, &config.admin_user);
        Self {
            organizations,
            sessions,
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            device_codes: HashMap::new(),
            restores: Vec::new(),
            token_counts: TokenRequestCounts::default(),
            token_request_times: VecDeque::new(),
            faults: Faults::default(),
        }
    }

    pub fn organization(&self, id: &str) -> Option<&Organization> {
        self.organizations
            .iter()
            .find(|org| org.id.eq_ignore_ascii_case(id))
    }

    pub fn session(&self, id: &str) -> Option<&RestoreSession> {
        self.sessions
            .iter()
            .find(|session| session.id.eq_ignore_ascii_case(id))
    }

    pub fn session_mut(&mut self, id: &str) -> Option<&mut RestoreSession> {
        self.sessions
            .iter_mut()
            .find(|session| session.id.eq_ignore_ascii_case(id))
    }
}

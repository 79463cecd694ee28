//! State and actions of the guided restore: organization, restore session, mailboxes, and
//! a run over the selected mailboxes.
//!
//! The views call these functions; the functions call the API client and update signals.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::browse::{Mailbox, Organization, PageCursor, RestoreSession};
use restore_core::bulk::BulkRun;
use restore_core::error::{ApiError, Operation};
use restore_core::export::RunOrigin;
use restore_core::form::CredentialKind;
use restore_core::location::{format_location, parse_location, PageLocation};
use restore_core::model::{IssuedDeviceCode, RestoreResponse};
use restore_core::search::MailboxIndex;
use restore_core::Uuid;

use crate::client::ApiClient;
use wasm_bindgen::JsCast;

use crate::clock::now_ms;
use crate::in_flight::{clear_note, note_restore};
use crate::state::RestoreForm;
use crate::tab_lock::{mailbox_lock_name, try_lock, LockOutcome, ANOTHER_TAB};

/// Mailboxes requested per page. The API allows up to 10,000; smaller pages show
/// progress sooner and keep each response quick on a large tenant.
pub const MAILBOX_PAGE_SIZE: u32 = 2_000;

/// Sessions requested per page when listing the existing restore sessions.
pub const SESSION_PAGE_SIZE: u32 = 100;

/// A device code with less than this many seconds left is replaced before the next
/// mailbox of a run, so it cannot expire while that restore is sent.
const DEVICE_CODE_MARGIN_SECS: i64 = 30;

/// Progress of loading a session's mailboxes.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxLoad {
    pub loaded: usize,
    pub total_count: Option<u64>,
    pub running: bool,
    pub complete: bool,
}

/// The guided restore's state.
#[derive(Clone, Copy)]
pub struct Guided {
    pub organizations: RwSignal<Option<Vec<Organization>>>,
    pub organization: RwSignal<Option<Organization>>,
    pub sessions: RwSignal<Option<Vec<RestoreSession>>>,
    pub session: RwSignal<Option<RestoreSession>>,
    pub mailboxes: RwSignal<Vec<Mailbox>>,
    /// Search index over `mailboxes`, extended page by page.
    pub index: StoredValue<MailboxIndex, LocalStorage>,
    /// Incremented when `index` changes, so searches re-run.
    pub index_version: RwSignal<u64>,
    pub load: RwSignal<Option<MailboxLoad>>,
    /// Progress of loading the mailboxes, kept so a stopped load can go on later.
    cursor: StoredValue<PageCursor>,
    /// Set to stop loading after the page in flight.
    pub stop_loading: RwSignal<bool>,
    pub query: RwSignal<String>,
    pub selected: RwSignal<HashSet<Uuid>>,
    pub run: RwSignal<Option<BulkRun>>,
    /// The organization and session of `run`, written into its exports.
    pub run_origin: StoredValue<Option<RunOrigin>>,
    pub run_active: RwSignal<bool>,
    /// A run waits here after a new device code was requested, until the user continues.
    pub waiting_for_device_code: RwSignal<bool>,
    /// The latest failure of a browse call, explained.
    pub error: RwSignal<Option<String>>,
    /// The selection to apply once the mailboxes are loaded, from the page address.
    pending_selection: StoredValue<Vec<Uuid>>,
    /// Whether the server took in a restore request of the current run, which then used
    /// the form's passwords and certificate.
    run_took_secrets: StoredValue<bool>,
}

impl Guided {
    pub fn new() -> Self {
        Self {
            organizations: RwSignal::new(None),
            organization: RwSignal::new(None),
            sessions: RwSignal::new(None),
            session: RwSignal::new(None),
            mailboxes: RwSignal::new(Vec::new()),
            index: StoredValue::new_local(MailboxIndex::new()),
            index_version: RwSignal::new(0),
            load: RwSignal::new(None),
            cursor: StoredValue::new(PageCursor::new(MAILBOX_PAGE_SIZE)),
            stop_loading: RwSignal::new(false),
            query: RwSignal::new(String::new()),
            selected: RwSignal::new(HashSet::new()),
            run: RwSignal::new(None),
            run_origin: StoredValue::new(None),
            run_active: RwSignal::new(false),
            waiting_for_device_code: RwSignal::new(false),
            error: RwSignal::new(None),
            pending_selection: StoredValue::new(Vec::new()),
            run_took_secrets: StoredValue::new(false),
        }
    }

    /// Writes the current organization, session and selection to the page address.
    pub fn save_location(&self) {
        let mailboxes = self.mailboxes.with_untracked(|all| {
            self.selected.with_untracked(|selected| {
                all.iter()
                    .filter(|m| selected.contains(&m.id))
                    .map(|m| m.id)
                    .collect()
            })
        });
        let location = PageLocation {
            organization: self
                .organization
                .with_untracked(|org| org.as_ref().and_then(|org| org.id)),
            session: self
                .session
                .with_untracked(|session| session.as_ref().map(|s| s.id)),
            mailboxes,
        };
        let query = format_location(&location);
        let path = window().location().pathname().unwrap_or_default();
        let url = format!("{path}{query}");
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }

    fn clear_session_state(&self) {
        self.stop_loading.set(true);
        self.session.set(None);
        self.mailboxes.set(Vec::new());
        self.index.set_value(MailboxIndex::new());
        self.index_version.update(|version| *version += 1);
        self.load.set(None);
        self.cursor.set_value(PageCursor::new(MAILBOX_PAGE_SIZE));
        self.selected.set(HashSet::new());
        self.query.set(String::new());
    }
}

impl Default for Guided {
    fn default() -> Self {
        Self::new()
    }
}

/// Loads the organizations, then returns to the place recorded in the page address.
pub fn load_organizations(client: ApiClient, guided: Guided, form: RestoreForm) {
    let location = parse_location(&window().location().search().unwrap_or_default());
    spawn_local(async move {
        match client.organizations().await {
            Ok(organizations) => {
                let remembered = location
                    .organization
                    .and_then(|id| organizations.iter().find(|org| org.id == Some(id)).cloned());
                guided.organizations.set(Some(organizations));
                if let Some(organization) = remembered {
                    select_organization(client.clone(), guided, organization);
                    if let Some(session_id) = location.session {
                        guided.pending_selection.set_value(location.mailboxes);
                        resume_session_by_id(client, guided, form, session_id);
                    }
                }
            }
            Err(error) => guided
                .error
                .set(Some(error.explain(&Operation::ListOrganizations))),
        }
    });
}

/// Chooses an organization and lists its restore sessions.
pub fn select_organization(client: ApiClient, guided: Guided, organization: Organization) {
    guided.clear_session_state();
    guided.organization.set(Some(organization));
    guided.sessions.set(None);
    guided.error.set(None);
    guided.save_location();
    load_sessions(client, guided);
}

/// Reads every page of restore sessions and keeps those of the chosen organization.
pub fn load_sessions(client: ApiClient, guided: Guided) {
    spawn_local(async move {
        let name = guided
            .organization
            .with_untracked(|org| org.as_ref().map(|org| org.name.clone()))
            .unwrap_or_default();
        let mut cursor = PageCursor::new(SESSION_PAGE_SIZE);
        let mut sessions = Vec::new();
        while let Some(request) = cursor.next_request() {
            match client.restore_sessions(request).await {
                Ok(page) => {
                    cursor.record_page(&page);
                    sessions.extend(
                        page.results
                            .into_iter()
                            .filter(|s| s.organization == name && s.is_exchange()),
                    );
                }
                Err(error) => {
                    guided
                        .error
                        .set(Some(error.explain(&Operation::ListSessions)));
                    break;
                }
            }
        }
        guided.sessions.set(Some(sessions));
    });
}

/// Opens a new Exchange restore session of the chosen organization.
pub fn start_session(
    client: ApiClient,
    guided: Guided,
    form: RestoreForm,
    body: String,
    busy: RwSignal<bool>,
) {
    let Some(organization_id) = guided
        .organization
        .with_untracked(|org| org.as_ref().and_then(|org| org.id))
    else {
        return;
    };
    busy.set(true);
    guided.error.set(None);
    spawn_local(async move {
        match client.explore(organization_id, &body).await {
            Ok(session) => {
                use_session(client, guided, form, session);
                focus_after_render(MAILBOXES_HEADING);
            }
            Err(error) => guided
                .error
                .set(Some(error.explain(&Operation::StartSession))),
        }
        busy.set(false);
    });
}

fn resume_session_by_id(client: ApiClient, guided: Guided, form: RestoreForm, session_id: Uuid) {
    spawn_local(async move {
        match client.restore_session(session_id).await {
            Ok(session) if session.is_working() => use_session(client, guided, form, session),
            Ok(_) => guided.error.set(Some(format!(
                "Restore session {session_id} from the page address has been stopped. Start a new one or pick another."
            ))),
            Err(error) => guided.error.set(Some(error.explain(&Operation::ListSessions))),
        }
    });
}

/// The id of the mailbox step's heading, which gets the focus once a session is chosen.
pub const MAILBOXES_HEADING: &str = "mailboxes-heading";

/// The id of the run step's heading, the target of "Skip to restore".
pub const RUN_HEADING: &str = "run-heading";

/// Moves the keyboard focus to the element with this id once the view has caught up, so
/// that a keyboard user lands on the step that an action opened.
pub fn focus_after_render(id: &'static str) {
    request_animation_frame(move || {
        let element = document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// Makes a working session the current one and loads its mailboxes.
pub fn use_session(client: ApiClient, guided: Guided, form: RestoreForm, session: RestoreSession) {
    guided.clear_session_state();
    form.session_id.set(session.id.to_string());
    form.device_code.set(None);
    guided.session.set(Some(session));
    guided.save_location();
    load_mailboxes(client, guided);
}

/// Loads the session's mailboxes page by page until the list ends or the user stops it.
pub fn load_mailboxes(client: ApiClient, guided: Guided) {
    let Some(session_id) = guided.session.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
        return;
    };
    guided.stop_loading.set(false);
    let mut cursor = guided.cursor.get_value();
    guided.load.set(Some(MailboxLoad {
        loaded: cursor.loaded(),
        total_count: cursor.total_count(),
        running: true,
        complete: false,
    }));

    spawn_local(async move {
        let mut complete = false;
        loop {
            if guided.stop_loading.get_untracked() || !still_current(guided, session_id) {
                break;
            }
            let Some(request) = cursor.next_request() else {
                complete = true;
                break;
            };
            match client.mailboxes(session_id, request).await {
                Ok(page) => {
                    if !still_current(guided, session_id) {
                        return;
                    }
                    cursor.record_page(&page);
                    guided.cursor.set_value(cursor.clone());
                    guided
                        .index
                        .update_value(|index| index.append(&page.results));
                    guided.mailboxes.update(|all| all.extend(page.results));
                    guided.index_version.update(|version| *version += 1);
                    guided.load.set(Some(MailboxLoad {
                        loaded: cursor.loaded(),
                        total_count: cursor.total_count(),
                        running: true,
                        complete: false,
                    }));
                }
                Err(error) => {
                    guided
                        .error
                        .set(Some(error.explain(&Operation::ListMailboxes {
                            session_id: session_id.to_string(),
                        })));
                    break;
                }
            }
        }
        if !still_current(guided, session_id) {
            return;
        }
        guided.load.set(Some(MailboxLoad {
            loaded: cursor.loaded(),
            total_count: cursor.total_count(),
            running: false,
            complete,
        }));
        apply_pending_selection(guided);
    });
}

fn still_current(guided: Guided, session_id: Uuid) -> bool {
    guided.session.with_untracked(|s| s.as_ref().map(|s| s.id)) == Some(session_id)
}

fn apply_pending_selection(guided: Guided) {
    let pending = guided.pending_selection.get_value();
    if pending.is_empty() {
        return;
    }
    guided.pending_selection.set_value(Vec::new());
    let known: HashSet<Uuid> = guided
        .mailboxes
        .with_untracked(|all| all.iter().map(|m| m.id).collect());
    guided
        .selected
        .update(|selected| selected.extend(pending.into_iter().filter(|id| known.contains(id))));
    guided.save_location();
}

/// Stops the current restore session on the server and clears it from the page.
pub async fn stop_session(client: &ApiClient, guided: Guided) -> Result<(), ApiError> {
    let Some(session_id) = guided.session.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
        return Ok(());
    };
    client.stop_session(session_id).await?;
    guided.clear_session_state();
    guided.save_location();
    Ok(())
}

/// Starts a run over the selected mailboxes, in the order of the list.
pub fn start_run(client: ApiClient, guided: Guided, form: RestoreForm) {
    let selection: Vec<Mailbox> = guided.mailboxes.with_untracked(|all| {
        guided.selected.with_untracked(|selected| {
            all.iter()
                .filter(|m| selected.contains(&m.id))
                .cloned()
                .collect()
        })
    });
    let Some(session_id) = guided.session.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
        return;
    };
    if selection.is_empty() {
        return;
    }
    let organization = guided
        .organization
        .with_untracked(|org| org.as_ref().map(|org| org.name.clone()))
        .unwrap_or_default();
    guided.run_origin.set_value(Some(RunOrigin {
        organization,
        restore_session_id: session_id,
    }));
    guided.run.set(Some(BulkRun::new(selection)));
    guided.run_took_secrets.set_value(false);
    continue_run(client, guided, form);
}

/// Restores the run's pending mailboxes one after another. A failure of one mailbox does
/// not stop the others; cancelling stops before the next one.
///
/// The passwords and certificate stay in the form while the run needs them, and are
/// dropped when it ends (every mailbox done or cancelled) if the server took in at least
/// one of its requests. A run paused by a lapsed sign-in or a new device code keeps them.
pub fn continue_run(client: ApiClient, guided: Guided, form: RestoreForm) {
    if guided.run_active.get_untracked() {
        return;
    }
    let Some(session_id) = guided.session.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
        return;
    };
    guided.run_active.set(true);
    guided.waiting_for_device_code.set(false);

    spawn_local(async move {
        loop {
            if form.kind.get_untracked() == CredentialKind::DeviceCode && !device_code_ready(form) {
                renew_device_code(&client, guided, form, session_id).await;
                break;
            }
            let credentials = match form.validate_credentials(now_ms()) {
                Ok(credentials) => credentials,
                Err(_) => {
                    form.submitted.set(true);
                    break;
                }
            };
            let mut next = None;
            guided
                .run
                .update(|run| next = run.as_mut().and_then(|run| run.start_next(now_ms())));
            let Some(mailbox) = next else {
                break;
            };

            let request = restore_core::form::RestoreRequest {
                session_id,
                mailbox_id: mailbox.id,
                credentials,
            };
            let lock_name = mailbox_lock_name(&session_id.to_string(), &mailbox.id.to_string());
            let lock = match try_lock(&lock_name).await {
                LockOutcome::Acquired(lock) => Some(lock),
                LockOutcome::Unsupported => None,
                LockOutcome::Busy => {
                    guided.run.update(|run| {
                        if let Some(run) = run.as_mut() {
                            run.fail(mailbox.id, ANOTHER_TAB, now_ms());
                        }
                    });
                    continue;
                }
            };
            note_restore(session_id, mailbox.id, Some(mailbox.name.clone()));
            let result = client.restore_mailbox(&request).await;
            clear_note();
            drop(request);
            drop(lock);
            let now = now_ms();
            let lapsed = matches!(result, Err(ApiError::SessionExpired));
            if result
                .as_ref()
                .map_or_else(ApiError::request_taken_in, |_| true)
            {
                guided.run_took_secrets.set_value(true);
            }
            guided.run.update(|run| {
                let Some(run) = run.as_mut() else { return };
                match result {
                    Ok(RestoreResponse::Finished(statistics)) => {
                        run.finish(mailbox.id, statistics, now);
                    }
                    Ok(RestoreResponse::Started { session_id }) => {
                        run.fail(
                            mailbox.id,
                            format!("The server started restore session {session_id}; follow it in the Veeam console."),
                            now,
                        );
                    }
                    Err(error) => {
                        let message = error.explain(&Operation::Restore {
                            session_id: session_id.to_string(),
                        });
                        run.fail(mailbox.id, message, now);
                    }
                }
            });
            if lapsed {
                break;
            }
        }
        let ended = guided
            .run
            .with_untracked(|run| run.as_ref().is_some_and(BulkRun::is_complete));
        if ended && guided.run_took_secrets.get_value() {
            guided.run_took_secrets.set_value(false);
            form.forget_used_secrets();
        }
        guided.run_active.set(false);
    });
}

/// Checks the credential fields before a run starts or a retry puts mailboxes back into
/// it, and marks the fields to show their errors if they are not complete. A device code
/// is left to the run, which renews it when needed.
pub fn credentials_ready(form: RestoreForm) -> bool {
    if form.kind.get_untracked() == CredentialKind::DeviceCode {
        return true;
    }
    let ready = form.validate_credentials(now_ms()).is_ok();
    if !ready {
        form.submitted.set(true);
    }
    ready
}

fn device_code_ready(form: RestoreForm) -> bool {
    form.device_code.with_untracked(|code| {
        code.as_ref()
            .is_some_and(|code| code.remaining_secs(now_ms()) > DEVICE_CODE_MARGIN_SECS)
    })
}

/// Requests a new device code for a run whose code has expired, and pauses the run until
/// the administrator has signed in with it.
async fn renew_device_code(
    client: &ApiClient,
    guided: Guided,
    form: RestoreForm,
    session_id: Uuid,
) {
    let Ok(application_id) =
        restore_core::form::validate_guid(&form.application_id.get_untracked())
    else {
        form.submitted.set(true);
        return;
    };
    match client.request_device_code(session_id, application_id).await {
        Ok(response) => {
            form.device_code.set(Some(IssuedDeviceCode {
                response,
                issued_at_ms: now_ms(),
            }));
            guided.waiting_for_device_code.set(true);
        }
        Err(error) => guided
            .error
            .set(Some(error.explain(&Operation::DeviceCode))),
    }
}

//! The restore form: which mailbox, with which credentials, and the Restore button.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::error::{ApiError, Operation};
use restore_core::form::{CredentialKind, RestoreRequest};
use restore_core::model::RestoreResponse;
use restore_core::time::format_duration;

use crate::client::ApiClient;
use crate::clock::now_ms;
use crate::components::credential_fields::{
    CertificateFields, ClearCredentialsButton, UserPasswordFields,
};
use crate::components::device_code::DeviceCodeFields;
use crate::components::field::{guid, TextField};
use crate::in_flight::{clear_note, note_restore};
use crate::state::{RestoreEnd, RestoreForm, RestoreRecord, Restores, RunningRestore};
use crate::tab_lock::{mailbox_lock_name, try_lock, LockOutcome, ANOTHER_TAB};

#[component]
pub fn RestoreFormView() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let form = expect_context::<RestoreForm>();
    let restores = expect_context::<Restores>();
    let now = expect_context::<ReadSignal<f64>>();
    let error = RwSignal::new(None::<String>);
    let running = move || restores.running.with(Option::is_some);

    let blocked_reason = move || form.blocked_reason(now.get());

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        // One press, one request: a second submit while one runs is ignored.
        if restores.running.get_untracked().is_some() {
            return;
        }
        form.submitted.set(true);
        match form.validate(now_ms()) {
            Ok(request) => {
                error.set(None);
                start_restore(client.get_value(), form, restores, request, error);
            }
            Err(_) => error.set(Some(
                "Correct the fields marked below, then press Restore again.".into(),
            )),
        }
    };

    view! {
        <form class="panel restore" on:submit=submit novalidate>
            <h2>"Restore a mailbox to its original location"</h2>
            <fieldset prop:disabled=running>
                <legend>"Mailbox"</legend>
                <TextField
                    id="restore-session-id"
                    label="Restore session ID"
                    value=form.session_id
                    validate=guid
                    show_error=form.submitted
                    hint="A running restore session of the organization, from GET /v6/RestoreSessions or the Veeam console."
                />
                <TextField
                    id="mailbox-id"
                    label="Mailbox ID"
                    value=form.mailbox_id
                    validate=guid
                    show_error=form.submitted
                />
            </fieldset>
            <CredentialKindChoice disabled=Signal::derive(running) />
            <fieldset prop:disabled=running class="credentials">
                {move || match form.kind.get() {
                    CredentialKind::UserPassword => view! { <UserPasswordFields /> }.into_any(),
                    CredentialKind::DeviceCode => view! { <DeviceCodeFields /> }.into_any(),
                    CredentialKind::ApplicationCertificate => view! { <CertificateFields /> }.into_any(),
                }}
            </fieldset>
            {move || error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
            <div class="actions">
                <button
                    type="submit"
                    id="restore-button"
                    prop:disabled=move || running() || blocked_reason().is_some()
                    aria-describedby="restore-status"
                >
                    {move || if running() { "Restoring…" } else { "Restore mailbox" }}
                </button>
                <ClearCredentialsButton disabled=Signal::derive(running) />
                <p id="restore-status" class="status" aria-live="polite">
                    {move || {
                        restores
                            .running
                            .get()
                            .map(|run| {
                                let elapsed = ((now.get() - run.started_at_ms) / 1000.0) as i64;
                                format!(
                                    "Restoring mailbox {} · {} elapsed. The server answers when the restore ends, which can take many minutes; keep this page open.",
                                    run.mailbox_id,
                                    format_duration(elapsed),
                                )
                            })
                            .or_else(blocked_reason)
                    }}
                </p>
            </div>
        </form>
    }
}

/// The radio buttons that choose the credential form.
#[component]
pub fn CredentialKindChoice(disabled: Signal<bool>) -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    let option = move |kind: CredentialKind, id: &'static str, label: &'static str| {
        view! {
            <label class="choice" for=id>
                <input
                    type="radio"
                    id=id
                    name="credential-kind"
                    prop:checked=move || form.kind.get() == kind
                    prop:disabled=move || disabled.get()
                    on:change=move |_| form.kind.set(kind)
                />
                {label}
            </label>
        }
    };

    view! {
        <fieldset class="credential-kind">
            <legend>"Microsoft 365 credentials"</legend>
            {option(CredentialKind::UserPassword, "kind-user", "User name and password")}
            {option(CredentialKind::DeviceCode, "kind-device", "Device code")}
            {option(CredentialKind::ApplicationCertificate, "kind-certificate", "Application certificate")}
        </fieldset>
    }
}

/// Sends the restore and records how it ended. Once the server has taken the request
/// in, the passwords and certificate are dropped; the other fields stay for the next
/// restore.
fn start_restore(
    client: ApiClient,
    form: RestoreForm,
    restores: Restores,
    request: RestoreRequest,
    error: RwSignal<Option<String>>,
) {
    let started_at_ms = now_ms();
    let mailbox_id = request.mailbox_id.to_string();
    let session_id = request.session_id.to_string();
    restores.running.set(Some(RunningRestore {
        mailbox_id: mailbox_id.clone(),
        started_at_ms,
    }));

    spawn_local(async move {
        let lock = match try_lock(&mailbox_lock_name(&session_id, &mailbox_id)).await {
            LockOutcome::Acquired(lock) => Some(lock),
            LockOutcome::Unsupported => None,
            LockOutcome::Busy => {
                error.set(Some(ANOTHER_TAB.into()));
                restores.running.set(None);
                return;
            }
        };
        note_restore(request.session_id, request.mailbox_id, None);
        let result = client.restore_mailbox(&request).await;
        clear_note();
        drop(request);
        drop(lock);
        if result
            .as_ref()
            .map_or_else(ApiError::request_taken_in, |_| true)
        {
            form.forget_used_secrets();
        }

        let end = match result {
            Ok(RestoreResponse::Finished(statistics)) => RestoreEnd::Finished(statistics),
            Ok(RestoreResponse::Started { session_id }) => RestoreEnd::Started { session_id },
            Err(ApiError::SessionExpired) => {
                error.set(Some(
                    "Your VB365 sign-in expired before the restore was sent, so nothing was restored. \
                     Sign in again, then press Restore."
                        .into(),
                ));
                restores.running.set(None);
                return;
            }
            Err(failure) => {
                let message = failure.explain(&Operation::Restore {
                    session_id: session_id.clone(),
                });
                error.set(Some(message.clone()));
                RestoreEnd::Error(message)
            }
        };

        restores.records.update(|records| {
            let number = records.len() + 1;
            records.push(RestoreRecord {
                number,
                session_id,
                mailbox_id,
                duration_secs: ((now_ms() - started_at_ms) / 1000.0).round() as i64,
                end,
            });
        });
        restores.running.set(None);
    });
}

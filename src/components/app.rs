//! The page: loads config.json, then shows sign-in or the restore form.

use leptos::ev;
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::api::ApiEndpoint;
use restore_core::config::parse_config;
use restore_core::error::{classify_failure, ApiError, Operation};

use crate::client::ApiClient;
use crate::clock::{now_ms, ticking_clock};
use crate::components::guided::GuidedRestore;
use crate::components::restore_form::RestoreFormView;
use crate::components::results::Results;
use crate::components::sign_in::SignIn;
use crate::fetch::fetch_text;
use crate::guided::{stop_session, Guided};
use crate::in_flight::{clear_note, previous_note};
use crate::state::{AuthState, RestoreForm, Restores};

/// The two ways to name what to restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Pick the organization, session and mailboxes from lists.
    Guided,
    /// Paste the restore session and mailbox IDs.
    ById,
}

#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(load_endpoint);

    view! {
        <header class="top">
            <h1>"Mailbox restore"</h1>
            <p class="subtitle">"Veeam Backup for Microsoft 365 · restore to the original location"</p>
        </header>
        <main>
            {move || match config.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(endpoint)) => view! { <Workspace endpoint /> }.into_any(),
                Some(Err(message)) => {
                    view! { <p class="notice error" role="alert">{message}</p> }.into_any()
                }
            }}
        </main>
    }
}

/// Reads config.json beside index.html. A missing file means the defaults: the API on this
/// page's origin, version v6.
async fn load_endpoint() -> Result<ApiEndpoint, String> {
    let origin = window()
        .location()
        .origin()
        .map_err(|_| "The page's origin is not available.".to_string())?;

    let response = fetch_text("GET", "config.json", &[], None)
        .await
        .map_err(|detail| ApiError::Network { detail }.explain(&Operation::LoadConfig))?;

    if response.status == 404 {
        warn!("config.json not found; calling the API on {origin}");
        return parse_config("{}", &origin);
    }
    if !(200..300).contains(&response.status) {
        let error = classify_failure(response.status, &response.status_text, None, &response.body);
        return Err(error.explain(&Operation::LoadConfig));
    }
    parse_config(&response.body, &origin)
}

/// The signed-in part of the page, with the state that must survive a new sign-in.
#[component]
fn Workspace(endpoint: ApiEndpoint) -> impl IntoView {
    let auth = AuthState::new();
    let client = StoredValue::new_local(ApiClient::new(endpoint, auth));
    let form = RestoreForm::new();
    let restores = Restores::new();
    let guided = Guided::new();
    let now = ticking_clock();
    let mode = RwSignal::new(Mode::Guided);
    // A restore that was in flight when this tab was last reloaded or left.
    let interrupted = RwSignal::new(previous_note());

    provide_context(client);
    provide_context(auth);
    provide_context(form);
    provide_context(restores);
    provide_context(guided);
    provide_context(now);

    // Leaving the page does not stop a synchronous restore on the server, but its result
    // would be lost; the browser asks the user to confirm.
    let unload = window_event_listener(ev::beforeunload, move |event| {
        if restores.running.get_untracked().is_some() || guided.run_active.get_untracked() {
            event.prevent_default();
            event.set_return_value("A restore is running. Its result will be lost if you leave.");
        }
    });
    on_cleanup(move || unload.remove());

    let sign_out = move |_| {
        let open_session = guided
            .session
            .with_untracked(|session| session.as_ref().map(|s| s.id));
        let stop_first = open_session.is_some_and(|id| {
            window()
                .confirm_with_message(&format!(
                    "Stop restore session {id} before signing out? A session holds resources on the VB365 server until it is stopped."
                ))
                .unwrap_or(false)
        });
        spawn_local(async move {
            let client = client.get_value();
            if stop_first {
                if let Err(error) = stop_session(&client, guided).await {
                    warn!("Stopping the restore session failed: {error}");
                }
            }
            client.sign_out();
            form.forget_secrets();
            auth.user.set(None);
            auth.lapsed.set(false);
        });
    };
    let busy = move || restores.running.with(Option::is_some) || guided.run_active.get();
    let tab = move |which: Mode, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || (mode.get() == which).to_string()
                prop:disabled=busy
                on:click=move |_| mode.set(which)
            >
                {label}
            </button>
        }
    };

    view! {
        {move || interrupted.get().map(|note| {
            let text = note.explain(now_ms());
            // A restore started since then has its own note, which must stay.
            let dismiss = move |_| {
                if previous_note().as_ref() == Some(&note) {
                    clear_note();
                }
                interrupted.set(None);
            };
            view! {
                <div class="notice warning" role="alert" id="interrupted-restore">
                    <p>{text}</p>
                    <button type="button" class="secondary" on:click=dismiss>"Dismiss"</button>
                </div>
            }
        })}
        <Show
            when=move || auth.user.with(Option::is_some)
            fallback=|| view! { <SignIn /> }
        >
            <div class="session-bar">
                <span>"Signed in as " <strong>{move || auth.user.get()}</strong></span>
                <button
                    type="button"
                    class="secondary"
                    on:click=sign_out
                    prop:disabled=busy
                    title="Forget the sign-in and every password and certificate typed here"
                >
                    "Sign out"
                </button>
            </div>
            <div class="tabs" role="tablist" aria-label="How to choose the mailbox">
                {tab(Mode::Guided, "Choose from lists")}
                {tab(Mode::ById, "Restore by ID")}
            </div>
            {move || match mode.get() {
                Mode::Guided => view! { <GuidedRestore /> }.into_any(),
                Mode::ById => view! { <RestoreFormView /> <Results /> }.into_any(),
            }}
        </Show>
    }
}

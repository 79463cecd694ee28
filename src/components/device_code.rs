//! The device code credential form: get a code, sign in with it elsewhere, then restore.

use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::error::Operation;
use restore_core::form::validate_guid;
use restore_core::model::IssuedDeviceCode;
use restore_core::time::format_duration;

use crate::client::ApiClient;
use crate::clock::now_ms;
use crate::components::field::{guid, TextField};
use crate::state::RestoreForm;

#[component]
pub fn DeviceCodeFields() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let form = expect_context::<RestoreForm>();
    let now = expect_context::<ReadSignal<f64>>();
    let requesting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let get_code = move |_| {
        if requesting.get_untracked() {
            return;
        }
        let ids = validate_guid(&form.session_id.get_untracked()).and_then(|session| {
            Ok((
                session,
                validate_guid(&form.application_id.get_untracked())?,
            ))
        });
        let Ok((session_id, application_id)) = ids else {
            form.submitted.set(true);
            error.set(Some(
                "Enter a valid restore session ID and application ID first.".into(),
            ));
            return;
        };

        requesting.set(true);
        error.set(None);
        spawn_local(async move {
            let client = client.get_value();
            match client.request_device_code(session_id, application_id).await {
                Ok(response) => form.device_code.set(Some(IssuedDeviceCode {
                    response,
                    issued_at_ms: now_ms(),
                })),
                Err(failure) => error.set(Some(failure.explain(&Operation::DeviceCode))),
            }
            requesting.set(false);
        });
    };

    view! {
        <TextField
            id="device-application-id"
            label="Entra application ID"
            value=form.application_id
            validate=guid
            show_error=form.submitted
            hint="The application (client) ID of the Entra ID app used for the restore. It must allow public client flows."
        />
        <div class="actions">
            <button type="button" id="get-device-code" on:click=get_code prop:disabled=move || requesting.get()>
                {move || if requesting.get() { "Getting code…" } else { "Get code" }}
            </button>
        </div>
        {move || error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        {move || form.device_code.get().map(|code| view! { <IssuedCode code now /> })}
    }
}

#[component]
fn IssuedCode(code: IssuedDeviceCode, now: ReadSignal<f64>) -> impl IntoView {
    let user_code = code.response.user_code.clone();
    let url = code.response.verification_url.clone();
    let message = code.response.message.clone();
    let remaining = Memo::new(move |_| code.remaining_secs(now.get()));
    let copied = RwSignal::new(false);

    let copy = {
        let user_code = user_code.clone();
        move |_| {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&user_code);
            copied.set(true);
        }
    };

    view! {
        <div class="device-code" class:expired=move || remaining.get() == 0>
            <p>
                "Code: " <output id="device-code-value" class="code">{user_code.clone()}</output>
                <button type="button" class="secondary" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </p>
            <p>
                "Sign in at "
                <a href=url.clone() target="_blank" rel="noopener noreferrer">{url.clone()}</a>
                " with this code and an account that can restore the mailbox."
            </p>
            {(!message.is_empty()).then(|| view! { <p class="server-message">{message.clone()}</p> })}
            <p id="device-code-countdown" aria-live="polite">
                {move || match remaining.get() {
                    0 => format!("Code {user_code} has expired. Get a new code."),
                    secs => format!("Expires in {}.", format_duration(secs)),
                }}
            </p>
        </div>
    }
}

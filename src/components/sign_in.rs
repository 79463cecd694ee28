//! Sign-in to the VB365 REST API with an administrator's account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::error::{ApiError, Operation};
use restore_core::secret::{wipe, Secret};
use restore_core::time::format_duration;

use crate::client::ApiClient;
use crate::clock::now_ms;
use crate::components::field::{required, required_password, TextField};
use crate::state::AuthState;

/// Shortest time between two sign-in requests. VB365 throttles `/token` to one request a
/// second (and five a minute) per client.
const MIN_SIGN_IN_INTERVAL_MS: f64 = 1000.0;

#[component]
pub fn SignIn() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let auth = expect_context::<AuthState>();
    let now = expect_context::<ReadSignal<f64>>();

    let user_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // After a 429 the server refuses sign-ins for a while; the button waits that long.
    let throttled_until = RwSignal::new(None::<f64>);
    let wait_secs = move || {
        throttled_until
            .get()
            .map(|until| ((until - now.get()) / 1000.0).ceil() as i64)
            .filter(|secs| *secs > 0)
    };

    // VB365 takes at most one token request a second, so a quick second press waits.
    let last_attempt_ms = StoredValue::new(f64::NEG_INFINITY);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        if busy.get_untracked() || wait_secs().is_some() {
            return;
        }
        if now_ms() - last_attempt_ms.get_value() < MIN_SIGN_IN_INTERVAL_MS {
            error.set(Some(
                "Wait a second between sign-in attempts: VB365 refuses faster ones.".into(),
            ));
            return;
        }
        let name = user_name.get_untracked().trim().to_string();
        let secret = Secret::new(password.get_untracked());
        if name.is_empty() || secret.is_empty() {
            return;
        }

        busy.set(true);
        error.set(None);
        last_attempt_ms.set_value(now_ms());
        spawn_local(async move {
            let client = client.get_value();
            match client.sign_in(&name, &secret).await {
                Ok(signed_in_as) => {
                    password.update(wipe);
                    auth.signed_in(signed_in_as);
                }
                Err(failure) => {
                    if let ApiError::Throttled {
                        retry_after_secs, ..
                    } = failure
                    {
                        throttled_until.set(Some(now_ms() + retry_after_secs as f64 * 1000.0));
                    }
                    error.set(Some(failure.explain(&Operation::SignIn)));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <form class="panel sign-in" on:submit=submit novalidate>
            <h2>"Sign in to Veeam Backup for Microsoft 365"</h2>
            <Show when=move || auth.lapsed.get()>
                <p class="notice warning" role="status">
                    "Your VB365 sign-in has expired. Sign in again; the restore form keeps what you typed."
                </p>
            </Show>
            <TextField
                id="sign-in-user"
                label="User name"
                value=user_name
                validate=required
                show_error=submitted
                hint="A VB365 administrator, such as CONTOSO\\administrator."
                autocomplete="username"
            />
            <TextField
                id="sign-in-password"
                label="Password"
                value=password
                validate=required_password
                show_error=submitted
                input_type="password"
                autocomplete="current-password"
            />
            {move || error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
            <button type="submit" prop:disabled=move || busy.get() || wait_secs().is_some()>
                {move || match (busy.get(), wait_secs()) {
                    (true, _) => "Signing in…".to_string(),
                    (false, Some(secs)) => format!("Sign in (wait {})", format_duration(secs)),
                    (false, None) => "Sign in".to_string(),
                }}
            </button>
        </form>
    }
}

//! Step 2: a restore session of the chosen organization, new or resumed.

use leptos::prelude::*;
use restore_core::browse::{explore_body, RestoreSession};
use restore_core::point_in_time::{
    format_api_time_local, parse_restore_point, restore_point_notice, UtcDateTime,
};

use super::organizations::timezone_offset_minutes;
use crate::client::ApiClient;
use crate::clock::now_ms;
use crate::guided::{focus_after_render, use_session, Guided, MAILBOXES_HEADING};
use crate::state::RestoreForm;

#[component]
pub fn SessionStep() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    let form = expect_context::<RestoreForm>();

    let point_in_time = RwSignal::new(String::new());
    let show_deleted = RwSignal::new(false);
    let show_all_versions = RwSignal::new(false);
    let starting = RwSignal::new(false);
    let point_error = Memo::new(move |_| {
        point_in_time.with(|value| {
            parse_restore_point(
                value,
                offset_at(value),
                UtcDateTime::from_unix_ms(now_ms() as i64),
            )
            .err()
            .map(|error| error.to_string())
        })
    });

    // Whether the chosen time is before the first or after the last backup.
    let point_notice = move || {
        let value = point_in_time.get();
        let now = UtcDateTime::from_unix_ms(now_ms() as i64);
        let point = parse_restore_point(&value, offset_at(&value), now)
            .ok()
            .flatten()?;
        guided.organization.with(|organization| {
            let organization = organization.as_ref()?;
            restore_point_notice(
                point,
                organization.first_backup(),
                organization.last_backup(),
            )
        })
    };

    let start = move |_| {
        let value = point_in_time.get_untracked();
        let Ok(point) = parse_restore_point(
            &value,
            offset_at(&value),
            UtcDateTime::from_unix_ms(now_ms() as i64),
        ) else {
            return;
        };
        let body = explore_body(
            point,
            show_deleted.get_untracked(),
            show_all_versions.get_untracked(),
        );
        crate::guided::start_session(client.get_value(), guided, form, body, starting);
    };

    let session_row = move |session: RestoreSession| {
        let working = session.is_working();
        let created = format_api_time_local(&session.creation_time, timezone_offset_minutes());
        let label = if session.name.is_empty() {
            session.id.to_string()
        } else {
            session.name.clone()
        };
        let state = if working {
            session.state.clone()
        } else {
            format!("{} · cannot be used", session.state)
        };
        let result = session.result.clone();
        let choose = move |_| {
            use_session(client.get_value(), guided, form, session.clone());
            focus_after_render(MAILBOXES_HEADING);
        };
        view! {
            <li class="choice-row" class:stopped=!working>
                <div>
                    <strong>{label.clone()}</strong>
                    <span class="meta">"Created " {created}</span>
                    <span class="meta">"State: " {state} {(!result.is_empty()).then(|| format!(" · result {result}"))}</span>
                </div>
                <button
                    type="button"
                    class="secondary"
                    prop:disabled=move || !working || guided.run_active.get()
                    aria-label=if working { format!("Use session {label}") } else { format!("Session {label} is stopped") }
                    on:click=choose
                >
                    {if working { "Use" } else { "Stopped" }}
                </button>
            </li>
        }
    };

    view! {
        <section class="panel" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"2. Restore session"</h2>
            <div class="new-session">
                <div class="field" class:invalid=move || point_error.get().is_some()>
                    <label for="point-in-time">"Restore point (your time zone)"</label>
                    <input
                        id="point-in-time"
                        type="datetime-local"
                        prop:value=move || point_in_time.get()
                        on:input=move |ev| point_in_time.set(event_target_value(&ev))
                        aria-describedby="point-in-time-hint point-in-time-error"
                    />
                    <p class="hint" id="point-in-time-hint">"Leave empty for the latest backup."</p>
                    <p class="field-error" id="point-in-time-error" aria-live="polite">{move || point_error.get()}</p>
                    <p class="hint" id="point-in-time-notice" aria-live="polite">{point_notice}</p>
                </div>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || show_deleted.get() on:change=move |ev| show_deleted.set(event_target_checked(&ev)) />
                    "Show deleted items"
                </label>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || show_all_versions.get() on:change=move |ev| show_all_versions.set(event_target_checked(&ev)) />
                    "Show all versions"
                </label>
                <div class="actions">
                    <button
                        type="button"
                        id="start-session"
                        on:click=start
                        prop:disabled=move || starting.get() || point_error.get().is_some() || guided.run_active.get()
                    >
                        {move || if starting.get() { "Starting…" } else { "Start restore session" }}
                    </button>
                </div>
            </div>
            <h3>"Or resume a running session"</h3>
            {move || match guided.sessions.get() {
                None => view! { <p class="loading">"Loading restore sessions…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p>"This organization has no Exchange restore sessions."</p> }.into_any(),
                Some(list) => view! { <ul class="choices">{list.into_iter().map(session_row).collect_view()}</ul> }.into_any(),
            }}
        </section>
    }
}

/// The time-zone offset that applies at a `datetime-local` value, so a date in the other
/// daylight saving season converts right. Falls back to the current offset.
fn offset_at(value: &str) -> i32 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    let offset = date.get_timezone_offset();
    if offset.is_nan() {
        timezone_offset_minutes()
    } else {
        offset as i32
    }
}

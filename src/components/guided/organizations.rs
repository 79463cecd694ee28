//! Step 1: the organizations backed up by VB365.

use leptos::prelude::*;
use restore_core::browse::Organization;
use restore_core::point_in_time::format_api_time_local;

use crate::client::ApiClient;
use crate::guided::{select_organization, Guided};

/// The browser's offset from UTC in minutes, as `Date.getTimezoneOffset()` gives it.
pub fn timezone_offset_minutes() -> i32 {
    js_sys::Date::new_0().get_timezone_offset() as i32
}

#[component]
pub fn OrganizationStep() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();

    let row = move |organization: Organization| {
        let chosen = {
            let id = organization.id;
            move || {
                guided
                    .organization
                    .with(|current| current.as_ref().map(|org| org.id) == Some(id))
            }
        };
        let backup = match (
            organization.is_backed_up,
            organization.last_backup_time.as_deref(),
        ) {
            (Some(false), _) => "Never backed up".to_string(),
            (_, Some(time)) => format!(
                "Last backup {}",
                format_api_time_local(time, timezone_offset_minutes())
            ),
            (_, None) => "Last backup unknown".to_string(),
        };
        let usable = organization.id.is_some() && organization.is_backed_up != Some(false);
        let name = organization.name.clone();
        let office = organization.office_name.clone();
        let choose = move |_| select_organization(client.get_value(), guided, organization.clone());
        view! {
            <li class="choice-row" class:chosen=chosen>
                <div>
                    <strong>{name.clone()}</strong>
                    <span class="meta">{office}</span>
                    <span class="meta">{backup}</span>
                </div>
                <button
                    type="button"
                    class="secondary"
                    prop:disabled=move || !usable || guided.run_active.get()
                    aria-label=format!("Choose {name}")
                    on:click=choose
                >
                    {move || if chosen() { "Chosen" } else { "Choose" }}
                </button>
            </li>
        }
    };

    view! {
        <section class="panel" aria-labelledby="organizations-heading">
            <h2 id="organizations-heading">"1. Organization"</h2>
            {move || match guided.organizations.get() {
                None => view! { <p class="loading">"Loading organizations…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p>"VB365 has no organizations."</p> }.into_any(),
                Some(list) => view! { <ul class="choices">{list.into_iter().map(row).collect_view()}</ul> }.into_any(),
            }}
        </section>
    }
}

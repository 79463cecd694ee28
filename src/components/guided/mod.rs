//! The guided restore: organization, restore session, mailboxes, then a run over the
//! selected mailboxes.

mod mailboxes;
mod organizations;
mod run;
mod sessions;

use leptos::prelude::*;

use crate::client::ApiClient;
use crate::guided::{load_organizations, Guided};
use crate::state::RestoreForm;

#[component]
pub fn GuidedRestore() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    let form = expect_context::<RestoreForm>();

    if guided.organizations.with_untracked(Option::is_none) {
        load_organizations(client.get_value(), guided, form);
    }

    view! {
        {move || guided.error.get().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
        <organizations::OrganizationStep />
        <Show when=move || guided.organization.with(Option::is_some)>
            <sessions::SessionStep />
        </Show>
        <Show when=move || guided.session.with(Option::is_some)>
            <mailboxes::MailboxStep />
            <run::RunStep />
        </Show>
    }
}

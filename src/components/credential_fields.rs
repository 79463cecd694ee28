//! The fields of the user-and-password and application-certificate credential forms.

use leptos::prelude::*;

use crate::components::certificate_picker::CertificatePicker;
use crate::components::certificate_status::{watch_certificate, CertificateStatus};
use crate::components::field::{guid, optional, required_password, user_principal_name, TextField};
use crate::state::RestoreForm;

#[component]
pub fn UserPasswordFields() -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    view! {
        <TextField
            id="m365-user"
            label="Microsoft 365 user name"
            value=form.user_name
            validate=user_principal_name
            show_error=form.submitted
            hint="An account with access to the mailbox, such as admin@contoso.onmicrosoft.com."
            autocomplete="off"
        />
        <TextField
            id="m365-password"
            label="Microsoft 365 password"
            value=form.user_password
            validate=required_password
            show_error=form.submitted
            input_type="password"
            autocomplete="off"
        />
        <Show when=move || form.secrets_used.get() && form.user_password.with(String::is_empty)>
            <p class="notice info" id="password-used" role="status">
                "The password was cleared from this page when the server answered the last restore request. Type it again for the next restore."
            </p>
        </Show>
    }
}

#[component]
pub fn CertificateFields() -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    watch_certificate(form);
    view! {
        <TextField
            id="certificate-application-id"
            label="Entra application ID"
            value=form.application_id
            validate=guid
            show_error=form.submitted
            hint="The application (client) ID of the Entra ID app registration that holds the certificate."
        />
        <CertificatePicker />
        <Show when=move || form.secrets_used.get() && form.certificate.with(Option::is_none)>
            <p class="notice info" id="certificate-used" role="status">
                "The certificate and its password were cleared from this page when the server answered the last restore request. Pick the file and type its password again for the next restore."
            </p>
        </Show>
        <TextField
            id="certificate-password"
            label="Certificate password"
            value=form.certificate_password
            validate=optional
            show_error=form.submitted
            input_type="password"
            hint="Leave empty if the PFX file has no password. It is checked here, in the browser, as you type."
        />
        <CertificateStatus />
        <TextField
            id="impersonation-account"
            label="Impersonation account"
            value=form.impersonation_account
            validate=user_principal_name
            show_error=form.submitted
            hint="The Exchange account that acts for the application, such as restore@contoso.onmicrosoft.com."
        />
    }
}

/// Empties every credential field and drops the secrets, for an administrator who is done
/// or hands the screen over.
#[component]
pub fn ClearCredentialsButton(#[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    view! {
        <button
            type="button"
            class="secondary"
            id="clear-credentials"
            prop:disabled=move || disabled.get()
            on:click=move |_| form.clear_credentials()
        >
            "Clear credentials"
        </button>
    }
}

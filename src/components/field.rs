//! A labelled text input that validates what is typed.

use leptos::prelude::*;

/// A text input with its label, an optional hint and the message of its validator.
///
/// The message appears once the field has been left or the form submitted, and then
/// follows every keystroke.
#[component]
pub fn TextField(
    /// The input's id; the error element gets `{id}-error`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    /// Returns the message for an invalid value.
    validate: fn(&str) -> Option<String>,
    /// Shows the message even before the field was left (after a submit).
    #[prop(into)]
    show_error: Signal<bool>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let left = RwSignal::new(false);
    let error = Memo::new(move |_| {
        if left.get() || show_error.get() {
            value.with(|text| validate(text))
        } else {
            None
        }
    });
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };

    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="off"
                prop:value=move || value.get()
                prop:disabled=move || disabled.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| left.set(true)
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

/// Validator for a field that must not be empty.
pub fn required(text: &str) -> Option<String> {
    text.trim().is_empty().then(|| "Required.".to_string())
}

/// Validator for a password, which may contain spaces but must not be empty.
pub fn required_password(text: &str) -> Option<String> {
    text.is_empty().then(|| "Required.".to_string())
}

/// Validator for a GUID.
pub fn guid(text: &str) -> Option<String> {
    restore_core::form::validate_guid(text).err()
}

/// Validator for a Microsoft 365 user principal name.
pub fn user_principal_name(text: &str) -> Option<String> {
    restore_core::form::validate_user_principal_name(text).err()
}

/// Validator for a field that may be empty.
pub fn optional(_: &str) -> Option<String> {
    None
}

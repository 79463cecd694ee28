//! Picking the application's PFX file, with a file dialog or by dropping it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File, HtmlInputElement};

use crate::certificate_file::read_certificate;
use crate::state::RestoreForm;

#[component]
pub fn CertificatePicker() -> impl IntoView {
    let form = expect_context::<RestoreForm>();
    let error = RwSignal::new(None::<String>);
    let reading = RwSignal::new(false);
    let dragging = RwSignal::new(false);

    let accept = move |file: File| {
        reading.set(true);
        spawn_local(async move {
            match read_certificate(&file).await {
                Ok(certificate) => {
                    form.certificate.set(Some(certificate));
                    error.set(None);
                }
                Err(failure) => {
                    form.certificate.set(None);
                    error.set(Some(failure.to_string()));
                }
            }
            reading.set(false);
        });
    };

    let on_change = move |event: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            accept(file);
        }
        // Without this, picking the same file again fires no change event.
        input.set_value("");
    };
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let file = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            accept(file);
        }
    };

    let missing = move || {
        form.submitted.get() && form.certificate.with(Option::is_none) && error.get().is_none()
    };
    let message = move || {
        error
            .get()
            .or_else(|| missing().then(|| "Pick the application's PFX file.".to_string()))
    };

    view! {
        <div
            class="field drop-zone"
            class:dragging=move || dragging.get()
            class:invalid=move || message().is_some()
            on:dragover=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="certificate-file">"Certificate (PFX file)"</label>
            // The browser's own file input would show "No file chosen" beside the chosen
            // file, because its value is reset after each pick. It stays focusable but
            // hidden, and a label styled as a button opens it.
            <div class="file-choice">
                <input
                    id="certificate-file"
                    type="file"
                    accept=".pfx,.p12,application/x-pkcs12"
                    on:change=on_change
                    aria-describedby="certificate-file-hint certificate-file-selected certificate-file-error"
                />
                <label for="certificate-file" class="file-button" aria-hidden="true">"Choose file…"</label>
                <span class="selected-file" id="certificate-file-selected" aria-live="polite">
                    {move || {
                        if reading.get() {
                            "Reading…".to_string()
                        } else {
                            form.certificate.with(|file| match file {
                                Some(file) => format!("{} · {} bytes. {}", file.name, file.size, file.note),
                                None => "No file chosen.".to_string(),
                            })
                        }
                    }}
                </span>
                <Show when=move || form.certificate.with(Option::is_some)>
                    <button type="button" class="secondary" on:click=move |_| form.certificate.set(None)>
                        "Remove file"
                    </button>
                </Show>
            </div>
            <p class="hint" id="certificate-file-hint">
                "Choose the file, or drop it here. It is read in this browser and sent only with the restore request."
            </p>
            <p class="field-error" id="certificate-file-error" aria-live="polite">{message}</p>
        </div>
    }
}

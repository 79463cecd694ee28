//! Step 4: credentials entered once, a run over the selected mailboxes, and its results.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use restore_core::bulk::{BulkEntry, MailboxStatus};
use restore_core::decimal::format_fixed;
use restore_core::export::{chart_bars, export_csv, export_json, ChartBar, UTF8_BOM};
use restore_core::form::CredentialKind;
use restore_core::outcome::verdict;
use restore_core::time::format_duration;
use wasm_bindgen::JsCast;

use crate::client::ApiClient;
use crate::components::credential_fields::{
    CertificateFields, ClearCredentialsButton, UserPasswordFields,
};
use crate::components::device_code::DeviceCodeFields;
use crate::components::restore_form::CredentialKindChoice;
use crate::guided::{continue_run, credentials_ready, start_run, Guided, RUN_HEADING};
use crate::state::RestoreForm;

#[component]
pub fn RunStep() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    let form = expect_context::<RestoreForm>();
    let active = move || guided.run_active.get();
    let selected = move || guided.selected.with(|s| s.len());

    // A form, so that Enter in a credential field starts the run as the button does.
    let start = move |event: SubmitEvent| {
        event.prevent_default();
        if guided.run_active.get_untracked() || selected() == 0 {
            return;
        }
        form.submitted.set(true);
        if !credentials_ready(form) {
            return;
        }
        let count = selected();
        // Restoring to the original location merges into live mailboxes: a large selection
        // made with "Select all shown" deserves a second look.
        if count > 1 {
            let question =
                format!("Restore {count} mailboxes to their original location, one after another?");
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return;
            }
        }
        start_run(client.get_value(), guided, form);
    };
    let cancel = move |_| {
        guided.run.update(|run| {
            if let Some(run) = run.as_mut() {
                run.cancel();
            }
        })
    };
    let resume = move |_| continue_run(client.get_value(), guided, form);

    view! {
        <section class="panel" aria-labelledby="run-heading">
            <h2 id=RUN_HEADING tabindex="-1">"4. Restore to the original location"</h2>
            <form on:submit=start novalidate>
            <CredentialKindChoice disabled=Signal::derive(active) />
            <fieldset prop:disabled=active class="credentials">
                {move || match form.kind.get() {
                    CredentialKind::UserPassword => view! { <UserPasswordFields /> }.into_any(),
                    CredentialKind::DeviceCode => view! { <DeviceCodeFields /> }.into_any(),
                    CredentialKind::ApplicationCertificate => view! { <CertificateFields /> }.into_any(),
                }}
            </fieldset>
            <Show when=move || guided.waiting_for_device_code.get()>
                <p class="notice warning" role="status">
                    "The device code ran out during the run, so a new one was requested. Sign in with the new code shown above, then press Continue."
                </p>
            </Show>
            <div class="actions">
                <button
                    type="submit"
                    id="restore-selected"
                    prop:disabled=move || active() || selected() == 0
                >
                    {move || match selected() {
                        1 => "Restore 1 mailbox".to_string(),
                        count => format!("Restore {count} mailboxes"),
                    }}
                </button>
                <Show when=active>
                    <button type="button" class="secondary" on:click=cancel>"Cancel after this mailbox"</button>
                </Show>
                <ClearCredentialsButton disabled=Signal::derive(active) />
                <Show when=move || !active() && guided.run.with(|run| run.as_ref().is_some_and(|run| !run.is_complete()))>
                    <button type="button" class="secondary" on:click=resume>"Continue"</button>
                </Show>
            </div>
            </form>
            <RunResults />
        </section>
    }
}

#[component]
fn RunResults() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    let form = expect_context::<RestoreForm>();
    let now = expect_context::<ReadSignal<f64>>();

    // Set when a retry was refused because the credentials are incomplete, typically
    // because the last run used and dropped the password or certificate.
    let needs_credentials = RwSignal::new(false);
    let ready = move || {
        let ready = credentials_ready(form);
        needs_credentials.set(!ready);
        ready
    };

    let retry = move |id| {
        if !ready() {
            return;
        }
        guided.run.update(|run| {
            if let Some(run) = run.as_mut() {
                run.retry(id);
            }
        });
        continue_run(client.get_value(), guided, form);
    };
    let retry_failed = move |_| {
        if !ready() {
            return;
        }
        guided.run.update(|run| {
            if let Some(run) = run.as_mut() {
                run.retry_failed();
            }
        });
        continue_run(client.get_value(), guided, form);
    };
    let download_csv = move |_| {
        // The byte-order mark makes Excel read the file as UTF-8.
        let Some(origin) = guided.run_origin.get_value() else {
            return;
        };
        let text = guided.run.with(|run| {
            run.as_ref()
                .map(|run| format!("{UTF8_BOM}{}", export_csv(&origin, run.entries())))
        });
        if let Some(text) = text {
            download("restore-results.csv", "text/csv;charset=utf-8", &text);
        }
    };
    let download_json = move |_| {
        let Some(origin) = guided.run_origin.get_value() else {
            return;
        };
        let text = guided
            .run
            .with(|run| run.as_ref().map(|run| export_json(&origin, run.entries())));
        if let Some(text) = text {
            download("restore-results.json", "application/json", &text);
        }
    };

    let row = move |entry: BulkEntry| {
        let id = entry.mailbox.id;
        let (status_class, status) = match (&entry.status, entry.verdict()) {
            (MailboxStatus::Finished(_), Some(verdict)) => {
                (verdict.class_name(), verdict.headline().to_string())
            }
            (MailboxStatus::Running, _) => (
                "running",
                match entry.started_at_ms {
                    Some(started) => format!(
                        "Restoring · {}",
                        format_duration(((now.get() - started) / 1000.0) as i64)
                    ),
                    None => "Restoring".to_string(),
                },
            ),
            (MailboxStatus::Failed(_), _) => ("failed", "Request failed".to_string()),
            (status, _) => ("pending", status.label().to_string()),
        };
        let detail = match &entry.status {
            MailboxStatus::Failed(message) => Some(message.clone()),
            MailboxStatus::Finished(stats) => stats
                .cannot_continue_error
                .clone()
                .filter(|text| !text.trim().is_empty())
                .or_else(|| stats.exceptions.first().cloned())
                .or_else(|| stats.warnings.first().cloned()),
            _ => None,
        };
        let counts = entry.statistics().map(|s| {
            [
                s.created_items_count,
                s.merged_items_count,
                s.skipped_items_count,
                s.failed_items_count,
            ]
        });
        let cell = move |index: usize| counts.map(|c| c[index].to_string()).unwrap_or_default();
        let can_retry = entry.can_retry();
        view! {
            <tr class=format!("run-row {status_class}") data-mailbox=id.to_string() data-status=status_class>
                <td>
                    <span class="mailbox-name">{entry.mailbox.name.clone()}</span>
                    <span class="mailbox-email">{entry.mailbox.email.clone()}</span>
                    {detail.map(|text| view! { <span class="row-detail">{text}</span> })}
                </td>
                <td class="status">{status}</td>
                <td class="number" data-count="created">{cell(0)}</td>
                <td class="number" data-count="merged">{cell(1)}</td>
                <td class="number" data-count="skipped">{cell(2)}</td>
                <td class="number" data-count="failed">{cell(3)}</td>
                <td>
                    {can_retry.then(|| view! {
                        <button
                            type="button"
                            class="secondary"
                            prop:disabled=move || guided.run_active.get()
                            aria-label=format!("Retry {}", entry.mailbox.name)
                            on:click=move |_| retry(id)
                        >
                            "Retry"
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    view! {
        {move || guided.run.get().map(|run| {
            let totals = run.totals();
            let entries = run.entries().to_vec();
            let bars = chart_bars(&entries);
            let failed_count = entries.iter().filter(|e| e.can_retry()).count();
            let _ = verdict;
            view! {
                <p id="run-totals" class="run-totals" aria-live="polite">
                    {format!(
                        "{} of {} done · {} succeeded · {} with warnings · {} partial · {} failed{} · items: {} created, {} merged, {} skipped, {} failed",
                        totals.done(), entries.len(), totals.succeeded, totals.succeeded_with_warnings,
                        totals.partial, totals.failed,
                        if totals.cancelled > 0 { format!(" · {} cancelled", totals.cancelled) } else { String::new() },
                        totals.created_items, totals.merged_items, totals.skipped_items, totals.failed_items,
                    )}
                </p>
                <ResultsChart bars />
                <div class="table-scroll">
                    <table class="run-table">
                        <caption class="visually-hidden">"Restore results per mailbox"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Mailbox"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Created"</th>
                                <th scope="col">"Merged"</th>
                                <th scope="col">"Skipped"</th>
                                <th scope="col">"Failed"</th>
                                <th scope="col"><span class="visually-hidden">"Action"</span></th>
                            </tr>
                        </thead>
                        <tbody>{entries.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
                <Show when=move || needs_credentials.get()>
                    <p class="notice error" role="alert" id="retry-needs-credentials">
                        "Complete the credentials above before retrying. Passwords and certificates are cleared from the page once a run has used them."
                    </p>
                </Show>
                <div class="actions">
                    {(failed_count > 0).then(|| view! {
                        <button type="button" class="secondary" on:click=retry_failed prop:disabled=move || guided.run_active.get()>
                            {format!("Retry failed ({failed_count})")}
                        </button>
                    })}
                    <button type="button" class="secondary" on:click=download_csv>"Export CSV"</button>
                    <button type="button" class="secondary" on:click=download_json>"Export JSON"</button>
                </div>
            }
        })}
    }
}

/// Writes an SVG coordinate with two decimals, finer than a pixel at the chart's size.
fn svg_number(value: f64) -> String {
    format_fixed(value, 2)
}

/// Stacked bars of created, merged, skipped and failed items per mailbox.
#[component]
fn ResultsChart(bars: Vec<ChartBar>) -> impl IntoView {
    const BAR_HEIGHT: f64 = 18.0;
    const GAP: f64 = 8.0;
    const LABEL_WIDTH: f64 = 190.0;
    const BAR_WIDTH: f64 = 400.0;
    let height = bars.len() as f64 * (BAR_HEIGHT + GAP) + GAP;
    let segments = |bar: &ChartBar, row: usize| {
        let y = GAP + row as f64 * (BAR_HEIGHT + GAP);
        let mut x = LABEL_WIDTH;
        [
            ("created", bar.created),
            ("merged", bar.merged),
            ("skipped", bar.skipped),
            ("failed", bar.failed),
        ]
        .into_iter()
        .filter(|(_, fraction)| *fraction > 0.0)
        .map(|(class_name, fraction)| {
            let width = fraction * BAR_WIDTH;
            let start = x;
            x += width;
            view! {
                <rect class=format!("segment {class_name}") x=svg_number(start) y=svg_number(y)
                    width=svg_number(width) height=svg_number(BAR_HEIGHT)></rect>
            }
        })
        .collect_view()
    };

    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {} {}", svg_number(LABEL_WIDTH + BAR_WIDTH + 10.0), svg_number(height))
                role="img"
                aria-label="Items per mailbox: created, merged, skipped and failed"
            >
                {bars.iter().enumerate().map(|(row, bar)| {
                    let y = GAP + row as f64 * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.75;
                    view! {
                        <text x="0" y=svg_number(y) class="chart-label">{truncate(&bar.label, 28)}</text>
                        {segments(bar, row)}
                    }
                }).collect_view()}
            </svg>
            <figcaption class="legend">
                <span class="key created">"Created"</span>
                <span class="key merged">"Merged"</span>
                <span class="key skipped">"Skipped"</span>
                <span class="key failed">"Failed"</span>
            </figcaption>
        </figure>
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max_chars - 1).collect();
        short.push('…');
        short
    }
}

/// Offers text as a file download. Used for exports, which hold no secrets.
fn download(file_name: &str, mime_type: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

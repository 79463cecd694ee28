//! The restores made on this page and how each ended.

use leptos::prelude::*;
use restore_core::model::RestoreStatistics;
use restore_core::outcome::verdict;
use restore_core::time::format_duration;

use crate::state::{RestoreEnd, RestoreRecord, Restores};

#[component]
pub fn Results() -> impl IntoView {
    let restores = expect_context::<Restores>();
    view! {
        <Show when=move || restores.records.with(|records| !records.is_empty())>
            <section class="panel results" aria-labelledby="results-heading">
                <h2 id="results-heading">"Results"</h2>
                <ol class="records" reversed>
                    <For
                        each=move || restores.records.get().into_iter().rev()
                        key=|record| record.number
                        let:record
                    >
                        <RecordView record />
                    </For>
                </ol>
            </section>
        </Show>
    }
}

#[component]
fn RecordView(record: RestoreRecord) -> impl IntoView {
    let (class_name, headline) = match &record.end {
        RestoreEnd::Finished(statistics) => {
            let verdict = verdict(statistics);
            (verdict.class_name(), verdict.headline().to_string())
        }
        RestoreEnd::Started { .. } => ("warning", "Restore started on the server".to_string()),
        RestoreEnd::Error(_) => ("failed", "Restore request failed".to_string()),
    };

    let body = match record.end {
        RestoreEnd::Finished(statistics) => view! { <StatisticsView statistics /> }.into_any(),
        RestoreEnd::Started { session_id } => view! {
            <p>"The server runs this restore in session " <code>{session_id}</code> "; follow it in the Veeam console."</p>
        }
        .into_any(),
        RestoreEnd::Error(message) => view! { <p class="error-text">{message}</p> }.into_any(),
    };

    view! {
        <li class=format!("record {class_name}") data-verdict=class_name>
            <h3>{headline}</h3>
            <p class="meta">
                "Mailbox " <code>{record.mailbox_id}</code> " · session " <code>{record.session_id}</code>
                " · " {format_duration(record.duration_secs)}
            </p>
            {body}
        </li>
    }
}

#[component]
fn StatisticsView(statistics: RestoreStatistics) -> impl IntoView {
    let counts = [
        ("created", "Created", statistics.created_items_count),
        ("merged", "Merged", statistics.merged_items_count),
        ("skipped", "Skipped", statistics.skipped_items_count),
        ("failed", "Failed items", statistics.failed_items_count),
        (
            "failed-folders",
            "Failed folders",
            statistics.failed_folders_count,
        ),
    ];
    let list = |title: &'static str, class_name: &'static str, lines: Vec<String>| {
        (!lines.is_empty()).then(|| {
            view! {
                <div class=class_name>
                    <h4>{title}</h4>
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };

    view! {
        {statistics.cannot_continue_error.filter(|text| !text.trim().is_empty()).map(|text| view! {
            <p class="cannot-continue"><strong>"The restore could not continue: "</strong>{text}</p>
        })}
        <dl class="counts">
            {counts
                .into_iter()
                .map(|(key, label, value)| view! {
                    <div class=format!("count {key}") class:nonzero=value != 0>
                        <dt>{label}</dt>
                        <dd data-count=key>{value}</dd>
                    </div>
                })
                .collect_view()}
        </dl>
        {list("Exceptions", "exceptions", statistics.exceptions)}
        {list("Warnings", "warnings", statistics.warnings)}
    }
}

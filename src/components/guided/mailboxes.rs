//! Step 3: the session's mailboxes, loaded page by page, searched and selected.

use leptos::prelude::*;
use leptos::task::spawn_local;
use restore_core::browse::{mailboxes_loaded_text, Mailbox};
use restore_core::decimal::format_fixed;
use restore_core::error::Operation;
use restore_core::search::visible_window;
use web_sys::HtmlElement;

use crate::client::ApiClient;
use crate::guided::{
    focus_after_render, load_mailboxes, stop_session, Guided, MAILBOXES_HEADING, RUN_HEADING,
};

/// Height of one row of the list, in CSS pixels; the stylesheet uses the same value.
const ROW_PX: f64 = 44.0;
/// Height of the list's viewport, in CSS pixels.
const VIEWPORT_PX: f64 = 440.0;
/// Rows rendered above and below the viewport, so fast scrolling shows no gap.
const OVERSCAN_ROWS: usize = 6;

#[component]
pub fn MailboxStep() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    let stopping = RwSignal::new(false);

    let stop = move |_| {
        let confirmed = window()
            .confirm_with_message("Stop this restore session on the server? Its mailboxes can no longer be restored from it.")
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        stopping.set(true);
        spawn_local(async move {
            if let Err(error) = stop_session(&client.get_value(), guided).await {
                guided
                    .error
                    .set(Some(error.explain(&Operation::StopSession)));
            }
            stopping.set(false);
        });
    };

    // The indices of the loaded mailboxes that match the search.
    let matches = Memo::new(move |_| {
        guided.index_version.track();
        let query = guided.query.get();
        guided.index.with_value(|index| index.search(&query))
    });

    let session_label = move || {
        guided.session.with(|session| {
            session.as_ref().map(|s| {
                format!(
                    "{} ({})",
                    if s.name.is_empty() {
                        "Restore session"
                    } else {
                        &s.name
                    },
                    s.id
                )
            })
        })
    };

    view! {
        <section class="panel" aria-labelledby="mailboxes-heading">
            <h2 id=MAILBOXES_HEADING tabindex="-1">"3. Mailboxes"</h2>
            <div class="session-bar">
                <span class="meta">{session_label}</span>
                <button
                    type="button"
                    class="secondary"
                    id="stop-session"
                    on:click=stop
                    prop:disabled=move || stopping.get() || guided.run_active.get()
                >
                    "Stop session"
                </button>
            </div>
            <LoadProgress />
            <MailboxSearch matches />
            <MailboxList matches />
        </section>
    }
}

#[component]
fn LoadProgress() -> impl IntoView {
    let client = expect_context::<StoredValue<ApiClient, LocalStorage>>();
    let guided = expect_context::<Guided>();
    view! {
        {move || guided.load.get().map(|load| {
            let text = mailboxes_loaded_text(load.loaded, load.total_count);
            let (state, button) = match (load.running, load.complete) {
                (true, _) => ("Loading…", Some(("Stop loading", true))),
                (false, true) => ("All loaded.", None),
                (false, false) => ("Loading stopped.", Some(("Load the rest", false))),
            };
            view! {
                <div class="actions load-progress">
                    <progress
                        max=load.total_count.map(|total| total.to_string())
                        value=load.loaded.to_string()
                        aria-label="Mailboxes loaded"
                    ></progress>
                    <span id="mailbox-load-status" aria-live="polite">{text} " · " {state}</span>
                    {button.map(|(label, stops)| view! {
                        <button
                            type="button"
                            class="secondary"
                            on:click=move |_| {
                                if stops {
                                    guided.stop_loading.set(true);
                                } else {
                                    load_mailboxes(client.get_value(), guided);
                                }
                            }
                        >
                            {label}
                        </button>
                    })}
                </div>
            }
        })}
    }
}

#[component]
fn MailboxSearch(matches: Memo<Vec<usize>>) -> impl IntoView {
    let guided = expect_context::<Guided>();
    let select_shown = move |_| {
        let shown: Vec<_> = guided.mailboxes.with(|all| {
            matches.with(|indices| {
                indices
                    .iter()
                    .filter_map(|&i| all.get(i).map(|m| m.id))
                    .collect()
            })
        });
        guided.selected.update(|selected| selected.extend(shown));
        guided.save_location();
    };
    let clear = move |_| {
        guided.selected.update(|selected| selected.clear());
        guided.save_location();
    };

    view! {
        <div class="field">
            <label for="mailbox-search">"Search by name or e-mail"</label>
            <input
                id="mailbox-search"
                type="search"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || guided.query.get()
                on:input=move |ev| guided.query.set(event_target_value(&ev))
            />
        </div>
        <div class="actions">
            <span id="mailbox-match-count" aria-live="polite">
                {move || format!("{} shown · {} selected", matches.with(Vec::len), guided.selected.with(|s| s.len()))}
            </span>
            <button type="button" class="secondary" on:click=select_shown prop:disabled=move || guided.run_active.get()>
                "Select all shown"
            </button>
            <button type="button" class="secondary" on:click=clear prop:disabled=move || guided.run_active.get()>
                "Clear selection"
            </button>
            // Shown only when focused: lets a keyboard user pass the list's rows.
            <button type="button" class="secondary skip" on:click=move |_| focus_after_render(RUN_HEADING)>
                "Skip to restore"
            </button>
        </div>
    }
}

/// A list that renders only the rows in view, so tens of thousands of mailboxes stay
/// responsive.
#[component]
fn MailboxList(matches: Memo<Vec<usize>>) -> impl IntoView {
    let guided = expect_context::<Guided>();
    let scroll_top = RwSignal::new(0.0);

    // The rows in view with their positions in the filtered list.
    // The rows in view with their positions in the filtered list.
    // NOTE: the window is computed here rather than in a separate memo. With a memo in
    // between, a search that kept the number of matches left the old rows on screen
    // (seen with leptos 0.8.23).
    let visible = move || {
        let (range, indices) = matches.with(|indices| {
            let range = visible_window(
                scroll_top.get(),
                VIEWPORT_PX,
                ROW_PX,
                indices.len(),
                OVERSCAN_ROWS,
            );
            let shown = indices.get(range.clone()).unwrap_or_default().to_vec();
            (range, shown)
        });
        guided.mailboxes.with(|all| {
            indices
                .into_iter()
                .zip(range)
                .filter_map(|(index, position)| all.get(index).cloned().map(|m| (position, m)))
                .collect::<Vec<_>>()
        })
    };

    let row = move |position: usize, mailbox: Mailbox| {
        let id = mailbox.id;
        let checked = move || guided.selected.with(|selected| selected.contains(&id));
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            guided.selected.update(|selected| {
                if on {
                    selected.insert(id);
                } else {
                    selected.remove(&id);
                }
            });
            guided.save_location();
        };
        let checkbox_id = format!("mailbox-{id}");
        view! {
            <div class="mailbox-row" role="listitem" style=format!("transform: translateY({}px)", format_fixed(position as f64 * ROW_PX, 0))>
                <input
                    type="checkbox"
                    id=checkbox_id.clone()
                    prop:checked=checked
                    prop:disabled=move || guided.run_active.get()
                    on:change=toggle
                />
                <label for=checkbox_id>
                    <span class="mailbox-name">{mailbox.name}</span>
                    <span class="mailbox-email">{mailbox.email}</span>
                    {mailbox.is_archive.then(|| view! { <span class="badge">"Archive"</span> })}
                    {mailbox.is_public.then(|| view! { <span class="badge">"Public folder"</span> })}
                </label>
            </div>
        }
    };

    view! {
        <div
            class="mailbox-list"
            role="list"
            aria-label="Mailboxes"
            on:scroll=move |ev| {
                let list: HtmlElement = event_target(&ev);
                scroll_top.set(f64::from(list.scroll_top()));
            }
        >
            <div class="mailbox-list-inner" style=move || format!("height: {}px", format_fixed(matches.with(Vec::len) as f64 * ROW_PX, 0))>
                <For each=visible key=|(position, mailbox)| (*position, mailbox.id) let((position, mailbox))>
                    {row(position, mailbox)}
                </For>
            </div>
        </div>
    }
}

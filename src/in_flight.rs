//! The note of the restore in flight in the tab's `sessionStorage`
//! (`restore_core::in_flight`), which survives a reload of the tab and nothing else.

use leptos::logging::warn;
use leptos::prelude::window;
use restore_core::in_flight::{RestoreInFlight, STORAGE_KEY};
use restore_core::Uuid;

use crate::clock::now_ms;

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Notes that the page now waits for the restore of this mailbox.
pub fn note_restore(session_id: Uuid, mailbox_id: Uuid, mailbox_name: Option<String>) {
    let note = RestoreInFlight {
        session_id,
        mailbox_id,
        mailbox_name,
        started_at_ms: now_ms(),
    };
    let stored =
        storage().is_some_and(|storage| storage.set_item(STORAGE_KEY, &note.to_json()).is_ok());
    if !stored {
        // A reload would then not say which restore was running; the restore is unaffected.
        warn!("sessionStorage is not available; a reload during this restore will not name it");
    }
}

/// Removes the note once the response has arrived, or when the user has read it.
pub fn clear_note() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// Reads the note that a previous load of this tab left, if a restore was in flight.
pub fn previous_note() -> Option<RestoreInFlight> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    RestoreInFlight::from_json(&text)
}

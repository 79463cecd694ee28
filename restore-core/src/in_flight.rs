//! A note of the restore request in flight, so that a reloaded page can name the restore
//! that may still be running on the server.
//!
//! Leaving the page does not stop a synchronous restore on the server; it only loses the
//! response. The browser app keeps this note in the tab's `sessionStorage` while a restore
//! runs and removes it when the response arrives. The note contains IDs, a name and a
//! start time, never a credential.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::time::format_duration;

/// The `sessionStorage` key of the note.
pub const STORAGE_KEY: &str = "vb365-restore.in-flight";

/// The restore whose response the page is waiting for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreInFlight {
    pub session_id: Uuid,
    pub mailbox_id: Uuid,
    /// The mailbox's display name, when it was picked from the list.
    pub mailbox_name: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub started_at_ms: f64,
}

impl RestoreInFlight {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the note contains only plain data")
    }

    /// Reads a stored note. Anything unreadable counts as no note.
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// Explains, after a reload, that this restore may still be running and how to check.
    /// `now_ms` is the time of the reload.
    pub fn explain(&self, now_ms: f64) -> String {
        let mailbox = match &self.mailbox_name {
            Some(name) => format!("{name} ({})", self.mailbox_id),
            None => self.mailbox_id.to_string(),
        };
        let ago_secs = ((now_ms - self.started_at_ms) / 1000.0).round() as i64;
        format!(
            "This page was reloaded or left while it waited for the restore of mailbox \
             {mailbox}, started {} ago, so its result was not received. The restore may still \
             be running on the VB365 server, or may have finished. Check restore session {} \
             in the Veeam console before restoring this mailbox again.",
            format_duration(ago_secs),
            self.session_id,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(name: Option<&str>) -> RestoreInFlight {
        RestoreInFlight {
            session_id: Uuid::parse_str("1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01").unwrap(),
            mailbox_id: Uuid::parse_str("6f1d3c2a-8b4e-4d5f-9a6b-7c8d9e0f1a2b").unwrap(),
            mailbox_name: name.map(str::to_string),
            started_at_ms: 1_000_000.0,
        }
    }

    #[test]
    fn json_round_trip() {
        let original = note(Some("Adele Vance"));
        assert_eq!(
            RestoreInFlight::from_json(&original.to_json()),
            Some(original)
        );
    }

    #[test]
    fn unreadable_note_is_none() {
        assert_eq!(RestoreInFlight::from_json(""), None);
        assert_eq!(RestoreInFlight::from_json("{\"sessionId\":\"x\"}"), None);
    }

    #[test]
    fn explanation_names_session_and_mailbox() {
        let text = note(Some("Adele Vance")).explain(1_000_000.0 + 95_000.0);
        assert!(text.contains("started 1 min 35 s ago"));
        assert!(text.contains("Adele Vance (6f1d3c2a-8b4e-4d5f-9a6b-7c8d9e0f1a2b)"));
        assert!(text.contains("Check restore session 1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01"));
    }

    #[test]
    fn explanation_without_name_uses_id() {
        let text = note(None).explain(1_000_000.0);
        assert!(text.contains("mailbox 6f1d3c2a-8b4e-4d5f-9a6b-7c8d9e0f1a2b,"));
        assert!(text.contains("started 0 s ago"));
    }
}

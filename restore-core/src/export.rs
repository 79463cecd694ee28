//! The results of a multi-mailbox run as CSV and JSON files, and the bar segments of
//! its chart.
//!
//! An export contains mailbox names, addresses and IDs, statuses, statistics and
//! messages. [`BulkEntry`] contains no credential, so none can reach a file.

use serde::Serialize;
use uuid::Uuid;

use crate::bulk::{BulkEntry, MailboxStatus};
use crate::decimal::format_fixed;
use crate::outcome::Verdict;

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 17] = [
    "Mailbox name",
    "Email",
    "Mailbox ID",
    "Status",
    "Verdict",
    "Created items",
    "Merged items",
    "Skipped items",
    "Failed items",
    "Failed folders",
    "Warnings",
    "Exceptions",
    "Cannot-continue error",
    "Error",
    "Duration (s)",
    "Organization",
    "Restore session ID",
];

/// The UTF-8 byte order mark. [`export_csv`] does not write it, but Excel reads a CSV file
/// without it in the system's legacy code page, which garbles non-ASCII names, so prepend
/// it to a file meant for Excel.
pub const UTF8_BOM: &str = "\u{FEFF}";

/// The separator of the warnings and exceptions lists inside one CSV field.
const LIST_SEPARATOR: &str = "; ";

/// Where a run's mailboxes were restored from, written on every row so that a file read
/// later, or several files put together, still name the backup they concern.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOrigin {
    pub organization: String,
    pub restore_session_id: Uuid,
}

/// One mailbox of the export. It is also the JSON object, with camelCase names.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportRow {
    mailbox_name: String,
    email: String,
    mailbox_id: Uuid,
    status: &'static str,
    /// Set once the restore call has returned statistics.
    verdict: Option<&'static str>,
    created_items: Option<i64>,
    merged_items: Option<i64>,
    skipped_items: Option<i64>,
    failed_items: Option<i64>,
    failed_folders: Option<i64>,
    warnings: Vec<String>,
    exceptions: Vec<String>,
    cannot_continue_error: Option<String>,
    /// The message of a failed restore call.
    error: Option<String>,
    /// Rounded to a tenth of a second.
    duration_seconds: Option<f64>,
    organization: String,
    restore_session_id: Uuid,
}

impl ExportRow {
    fn new(origin: &RunOrigin, entry: &BulkEntry) -> Self {
        let stats = entry.statistics();
        let error = match &entry.status {
            MailboxStatus::Failed(message) => Some(message.clone()),
            _ => None,
        };
        Self {
            mailbox_name: entry.mailbox.name.clone(),
            email: entry.mailbox.email.clone(),
            mailbox_id: entry.mailbox.id,
            status: entry.status.label(),
            verdict: entry.verdict().map(verdict_name),
            created_items: stats.map(|s| s.created_items_count),
            merged_items: stats.map(|s| s.merged_items_count),
            skipped_items: stats.map(|s| s.skipped_items_count),
            failed_items: stats.map(|s| s.failed_items_count),
            failed_folders: stats.map(|s| s.failed_folders_count),
            warnings: stats.map(|s| s.warnings.clone()).unwrap_or_default(),
            exceptions: stats.map(|s| s.exceptions.clone()).unwrap_or_default(),
            cannot_continue_error: stats.and_then(|s| s.cannot_continue_error.clone()),
            error,
            duration_seconds: entry
                .duration_secs()
                .map(|secs| (secs * 10.0).round() / 10.0),
            organization: origin.organization.clone(),
            restore_session_id: origin.restore_session_id,
        }
    }

    fn csv_fields(&self) -> [String; 17] {
        let count = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
        [
            text_field(&self.mailbox_name),
            text_field(&self.email),
            self.mailbox_id.to_string(),
            self.status.to_string(),
            self.verdict.unwrap_or_default().to_string(),
            count(self.created_items),
            count(self.merged_items),
            count(self.skipped_items),
            count(self.failed_items),
            count(self.failed_folders),
            text_field(&self.warnings.join(LIST_SEPARATOR)),
            text_field(&self.exceptions.join(LIST_SEPARATOR)),
            text_field(self.cannot_continue_error.as_deref().unwrap_or_default()),
            text_field(self.error.as_deref().unwrap_or_default()),
            self.duration_seconds
                .map(|secs| format_fixed(secs, 1))
                .unwrap_or_default(),
            text_field(&self.organization),
            self.restore_session_id.to_string(),
        ]
    }
}

/// A stable name of a verdict for files, such as `succeeded_with_warnings`.
pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Succeeded => "succeeded",
        Verdict::SucceededWithWarnings => "succeeded_with_warnings",
        Verdict::Partial => "partial",
        Verdict::Failed => "failed",
    }
}

/// Writes the entries as CSV by RFC 4180: a header row, comma separators and CRLF line
/// ends, with quoted fields where needed. Counts of a mailbox without statistics are
/// empty.
///
/// Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
/// or carriage return) gets a leading `'`, as OWASP advises against CSV injection.
pub fn export_csv(origin: &RunOrigin, entries: &[BulkEntry]) -> String {
    let mut csv = String::new();
    push_record(&mut csv, CSV_HEADER.iter().map(|name| name.to_string()));
    for entry in entries {
        push_record(&mut csv, ExportRow::new(origin, entry).csv_fields());
    }
    csv
}

/// Writes the entries as a JSON array of objects with camelCase keys. A value that does
/// not apply (the counts of a failed call, the error of a finished one) is `null`.
pub fn export_json(origin: &RunOrigin, entries: &[BulkEntry]) -> String {
    let rows: Vec<ExportRow> = entries
        .iter()
        .map(|entry| ExportRow::new(origin, entry))
        .collect();
    serde_json::to_string_pretty(&rows).expect("export rows contain only plain data")
}

fn push_record(csv: &mut String, fields: impl IntoIterator<Item = String>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            csv.push(',');
        }
        csv.push_str(&quote_field(&field));
    }
    csv.push_str("\r\n");
}

/// Neutralises text that a spreadsheet would read as a formula.
fn text_field(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Quotes a field that contains a comma, a double quote, CR or LF, doubling its quotes.
fn quote_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// One mailbox's bar of the results chart: its item counts as fractions of the largest
/// total of any mailbox in the chart, so the longest bar has length 1.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    pub mailbox_id: Uuid,
    pub label: String,
    /// Created, merged, skipped and failed items together.
    pub total_items: i64,
    pub created: f64,
    pub merged: f64,
    pub skipped: f64,
    pub failed: f64,
}

/// Computes the stacked-bar segments of each entry, in entry order. Entries without
/// statistics get an empty bar, and when no entry has items every bar is empty.
/// Negative counts read as 0.
pub fn chart_bars(entries: &[BulkEntry]) -> Vec<ChartBar> {
    let counts: Vec<[i64; 4]> = entries
        .iter()
        .map(|entry| match entry.statistics() {
            Some(stats) => [
                stats.created_items_count.max(0),
                stats.merged_items_count.max(0),
                stats.skipped_items_count.max(0),
                stats.failed_items_count.max(0),
            ],
            None => [0; 4],
        })
        .collect();
    let largest = counts
        .iter()
        .map(|segments| segments.iter().sum::<i64>())
        .max()
        .unwrap_or(0);
    let fraction = |count: i64| {
        if largest == 0 {
            0.0
        } else {
            count as f64 / largest as f64
        }
    };

    entries
        .iter()
        .zip(counts)
        .map(|(entry, [created, merged, skipped, failed])| ChartBar {
            mailbox_id: entry.mailbox.id,
            label: entry.mailbox.name.clone(),
            total_items: created + merged + skipped + failed,
            created: fraction(created),
            merged: fraction(merged),
            skipped: fraction(skipped),
            failed: fraction(failed),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browse::Mailbox;
    use crate::bulk::BulkRun;
    use crate::model::RestoreStatistics;

    fn mailbox(n: u128, name: &str, email: &str) -> Mailbox {
        Mailbox {
            id: Uuid::from_u128(n),
            name: name.into(),
            email: email.into(),
            is_archive: false,
            is_public: false,
        }
    }

    fn entry(mailbox: Mailbox, status: MailboxStatus) -> BulkEntry {
        BulkEntry {
            mailbox,
            status,
            started_at_ms: Some(1_000.0),
            ended_at_ms: Some(43_460.0),
        }
    }

    fn finished(created: i64, merged: i64, skipped: i64, failed: i64) -> MailboxStatus {
        MailboxStatus::Finished(RestoreStatistics {
            created_items_count: created,
            merged_items_count: merged,
            skipped_items_count: skipped,
            failed_items_count: failed,
            ..RestoreStatistics::default()
        })
    }

    fn origin() -> RunOrigin {
        RunOrigin {
            organization: "Contoso".into(),
            restore_session_id: Uuid::from_u128(0xabc),
        }
    }

    fn csv_lines(csv: &str) -> Vec<&str> {
        csv.split_terminator("\r\n").collect()
    }

    #[test]
    fn csv_header_row() {
        let csv = export_csv(&origin(), &[]);
        assert_eq!(
            csv,
            "Mailbox name,Email,Mailbox ID,Status,Verdict,Created items,Merged items,\
             Skipped items,Failed items,Failed folders,Warnings,Exceptions,\
             Cannot-continue error,Error,Duration (s),Organization,Restore session ID\r\n"
        );
    }

    #[test]
    fn csv_finished_row() {
        let stats = RestoreStatistics {
            created_items_count: 10,
            merged_items_count: 2,
            skipped_items_count: 4,
            failed_items_count: 1,
            failed_folders_count: 1,
            warnings: vec!["w1".into(), "w2".into()],
            exceptions: vec!["failed to restore item".into()],
            cannot_continue_error: None,
        };
        let entries = [entry(
            mailbox(1, "Adele Vance", "adelev@contoso.com"),
            MailboxStatus::Finished(stats),
        )];
        let csv = export_csv(&origin(), &entries);
        assert_eq!(
            csv_lines(&csv)[1],
            "Adele Vance,adelev@contoso.com,00000000-0000-0000-0000-000000000001,Finished,\
             partial,10,2,4,1,1,w1; w2,failed to restore item,,,42.5,Contoso,\
             00000000-0000-0000-0000-000000000abc"
        );
    }

    #[test]
    fn csv_failed_row() {
        let entries = [entry(
            mailbox(2, "Bruno", "bruno@contoso.com"),
            MailboxStatus::Failed("HTTP 500: Restore session has expired.".into()),
        )];
        let csv = export_csv(&origin(), &entries);
        assert_eq!(
            csv_lines(&csv)[1],
            "Bruno,bruno@contoso.com,00000000-0000-0000-0000-000000000002,Failed,,,,,,,,,,\
             HTTP 500: Restore session has expired.,42.5,Contoso,\
             00000000-0000-0000-0000-000000000abc"
        );
    }

    #[test]
    fn csv_quotes_comma() {
        let entries = [entry(
            mailbox(3, "Vance, Adele", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        assert!(csv_lines(&export_csv(&origin(), &entries))[1].starts_with("\"Vance, Adele\",a@"));
    }

    #[test]
    fn csv_doubles_quotes() {
        let entries = [entry(
            mailbox(4, "Adele \"AV\" Vance", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        assert!(csv_lines(&export_csv(&origin(), &entries))[1]
            .starts_with("\"Adele \"\"AV\"\" Vance\","));
    }

    #[test]
    fn csv_quotes_newline() {
        let entries = [entry(
            mailbox(5, "Line\nBreak", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        assert!(export_csv(&origin(), &entries).contains("\r\n\"Line\nBreak\",a@contoso.com,"));
    }

    #[test]
    fn csv_guards_formula() {
        let entries = [entry(
            mailbox(6, "=cmd|' /C calc'!A0", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        assert!(csv_lines(&export_csv(&origin(), &entries))[1].starts_with("'=cmd|' /C calc'!A0,"));
    }

    #[test]
    fn csv_guards_every_trigger() {
        for trigger in ["+", "-", "@", "\t"] {
            let name = format!("{trigger}SUM(A1)");
            let entries = [entry(
                mailbox(7, &name, "a@contoso.com"),
                finished(0, 0, 0, 0),
            )];
            let csv = export_csv(&origin(), &entries);
            assert!(
                csv_lines(&csv)[1].starts_with(&format!("'{name},")),
                "{trigger:?}: {csv}"
            );
        }
    }

    #[test]
    fn csv_guards_carriage_return_and_quotes() {
        let entries = [entry(
            mailbox(8, "\r=1+1", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        assert!(export_csv(&origin(), &entries).contains("\r\n\"'\r=1+1\",a@contoso.com,"));
    }

    #[test]
    fn csv_guards_messages() {
        let entries = [entry(
            mailbox(9, "Chiara", "c@contoso.com"),
            MailboxStatus::Failed("-1 items, call =HYPERLINK()".into()),
        )];
        assert!(export_csv(&origin(), &entries).contains(",\"'-1 items, call =HYPERLINK()\","));
    }

    #[test]
    fn csv_keeps_non_latin() {
        let entries = [entry(
            mailbox(10, "田中 太郎", "tanaka@contoso.jp"),
            finished(1, 0, 0, 0),
        )];
        assert!(csv_lines(&export_csv(&origin(), &entries))[1]
            .starts_with("田中 太郎,tanaka@contoso.jp,"));
    }

    #[test]
    fn csv_pending_row_blank() {
        let pending = BulkEntry {
            mailbox: mailbox(11, "Dora", "dora@contoso.com"),
            status: MailboxStatus::Pending,
            started_at_ms: None,
            ended_at_ms: None,
        };
        assert_eq!(
            csv_lines(&export_csv(&origin(), &[pending]))[1],
            "Dora,dora@contoso.com,00000000-0000-0000-0000-00000000000b,Pending,,,,,,,,,,,,\
             Contoso,00000000-0000-0000-0000-000000000abc"
        );
    }

    #[test]
    fn json_finished_object() {
        let stats = RestoreStatistics {
            created_items_count: 3,
            cannot_continue_error: None,
            warnings: vec!["w".into()],
            ..RestoreStatistics::default()
        };
        let entries = [entry(
            mailbox(12, "Zoë \"Z\", Çelik", "zoe@contoso.com"),
            MailboxStatus::Finished(stats),
        )];
        let json: serde_json::Value =
            serde_json::from_str(&export_json(&origin(), &entries)).unwrap();
        let row = &json[0];
        assert_eq!(row["mailboxName"], "Zoë \"Z\", Çelik");
        assert_eq!(row["mailboxId"], "00000000-0000-0000-0000-00000000000c");
        assert_eq!(row["status"], "Finished");
        assert_eq!(row["verdict"], "succeeded_with_warnings");
        assert_eq!(row["createdItems"], 3);
        assert_eq!(row["warnings"], serde_json::json!(["w"]));
        assert_eq!(row["cannotContinueError"], serde_json::Value::Null);
        assert_eq!(row["error"], serde_json::Value::Null);
        assert_eq!(row["durationSeconds"], 42.5);
    }

    #[test]
    fn json_failed_object() {
        let entries = [entry(
            mailbox(13, "Bruno", "bruno@contoso.com"),
            MailboxStatus::Failed("HTTP 504".into()),
        )];
        let json: serde_json::Value =
            serde_json::from_str(&export_json(&origin(), &entries)).unwrap();
        assert_eq!(json[0]["error"], "HTTP 504");
        assert_eq!(json[0]["verdict"], serde_json::Value::Null);
        assert_eq!(json[0]["createdItems"], serde_json::Value::Null);
    }

    #[test]
    fn origin_on_every_row() {
        let entries = [
            entry(mailbox(1, "A", "a@contoso.com"), finished(1, 0, 0, 0)),
            entry(mailbox(2, "B", "b@contoso.com"), finished(0, 1, 0, 0)),
        ];
        let json: serde_json::Value =
            serde_json::from_str(&export_json(&origin(), &entries)).unwrap();
        for row in json.as_array().unwrap() {
            assert_eq!(row["organization"], "Contoso");
            assert_eq!(
                row["restoreSessionId"],
                "00000000-0000-0000-0000-000000000abc"
            );
        }
        let formula = RunOrigin {
            organization: "=HYPERLINK(\"x\")".into(),
            restore_session_id: Uuid::from_u128(1),
        };
        let csv = export_csv(&formula, &entries);
        assert!(csv_lines(&csv)[1].contains(",\"'=HYPERLINK(\"\"x\"\")\","));
    }

    #[test]
    fn json_empty_array() {
        assert_eq!(export_json(&origin(), &[]), "[]");
    }

    #[test]
    fn export_from_run() {
        let mut run = BulkRun::new([mailbox(14, "Adele", "a@contoso.com")]);
        let next = run.start_next(0.0).unwrap();
        run.finish(next.id, RestoreStatistics::default(), 2_000.0);
        let csv = export_csv(&origin(), run.entries());
        assert!(csv_lines(&csv)[1].contains(",Finished,succeeded,0,0,0,0,0,,,,,2.0,Contoso,"));
    }

    #[test]
    fn bars_relative_to_largest() {
        let entries = [
            entry(mailbox(1, "A", "a@contoso.com"), finished(50, 20, 20, 10)),
            entry(mailbox(2, "B", "b@contoso.com"), finished(10, 0, 10, 0)),
        ];
        let bars = chart_bars(&entries);
        assert_eq!(bars[0].total_items, 100);
        assert_eq!(bars[0].created, 0.5);
        assert_eq!(bars[0].merged, 0.2);
        assert_eq!(bars[0].skipped, 0.2);
        assert_eq!(bars[0].failed, 0.1);
        assert_eq!(bars[1].created, 0.1);
        assert_eq!(bars[1].skipped, 0.1);
        assert_eq!(bars[1].label, "B");
    }

    #[test]
    fn bars_without_statistics_empty() {
        let entries = [
            entry(mailbox(1, "A", "a@contoso.com"), finished(4, 0, 0, 0)),
            entry(
                mailbox(2, "B", "b@contoso.com"),
                MailboxStatus::Failed("x".into()),
            ),
        ];
        let bars = chart_bars(&entries);
        assert_eq!(bars[1].total_items, 0);
        assert_eq!(bars[1].created, 0.0);
    }

    #[test]
    fn bars_all_zero_no_nan() {
        let entries = [entry(
            mailbox(1, "A", "a@contoso.com"),
            finished(0, 0, 0, 0),
        )];
        let bars = chart_bars(&entries);
        assert_eq!(bars[0].created, 0.0);
        assert!(!bars[0].failed.is_nan());
    }

    #[test]
    fn bars_negative_counts_zero() {
        let entries = [entry(
            mailbox(1, "A", "a@contoso.com"),
            finished(-5, 5, 0, 0),
        )];
        let bars = chart_bars(&entries);
        assert_eq!(bars[0].created, 0.0);
        assert_eq!(bars[0].merged, 1.0);
    }
}

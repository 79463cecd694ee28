//! A run that restores several mailboxes one after another, as a state machine that the
//! view drives: it requests the next mailbox, sends the restore call, and reports the
//! outcome back.
//!
//! Mailboxes are restored one at a time because each v6/v7 restore call holds its
//! connection open until the mailbox is done. A failed mailbox is recorded and the run
//! continues with the next one.

use std::collections::HashSet;

use uuid::Uuid;

use crate::browse::Mailbox;
use crate::model::RestoreStatistics;
use crate::outcome::{verdict, Verdict};

/// The progress of one mailbox in the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxStatus {
    /// Waiting for its turn.
    Pending,
    /// Its restore call has been sent and has not returned.
    Running,
    /// The restore call returned statistics. They can still report a failure, so read
    /// the verdict from them.
    Finished(RestoreStatistics),
    /// The restore call failed, with the message shown to the user.
    Failed(String),
    /// The run was cancelled before this mailbox started.
    Cancelled,
}

impl MailboxStatus {
    /// A short English label, such as `Pending` or `Finished`.
    pub fn label(&self) -> &'static str {
        match self {
            MailboxStatus::Pending => "Pending",
            MailboxStatus::Running => "Running",
            MailboxStatus::Finished(_) => "Finished",
            MailboxStatus::Failed(_) => "Failed",
            MailboxStatus::Cancelled => "Cancelled",
        }
    }
}

/// One mailbox of the run and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkEntry {
    pub mailbox: Mailbox,
    pub status: MailboxStatus,
    /// When the last restore call of this mailbox started, in milliseconds since the Unix
    /// epoch.
    pub started_at_ms: Option<f64>,
    /// When that call returned or failed, in milliseconds since the Unix epoch.
    pub ended_at_ms: Option<f64>,
}

impl BulkEntry {
    /// The verdict of a finished restore, or `None` in every other status.
    pub fn verdict(&self) -> Option<Verdict> {
        match &self.status {
            MailboxStatus::Finished(stats) => Some(verdict(stats)),
            _ => None,
        }
    }

    /// The statistics of a finished restore.
    pub fn statistics(&self) -> Option<&RestoreStatistics> {
        match &self.status {
            MailboxStatus::Finished(stats) => Some(stats),
            _ => None,
        }
    }

    /// Seconds between the start and the end of the last restore call, when both are
    /// known.
    pub fn duration_secs(&self) -> Option<f64> {
        match (self.started_at_ms, self.ended_at_ms) {
            (Some(start), Some(end)) => Some(((end - start) / 1000.0).max(0.0)),
            _ => None,
        }
    }

    fn requeue(&mut self) {
        self.status = MailboxStatus::Pending;
        self.started_at_ms = None;
        self.ended_at_ms = None;
    }

    /// Whether [`BulkRun::retry`] accepts this entry: the call failed, the restore
    /// returned the verdict Failed (nothing was restored), or the run was cancelled before
    /// it. A partly failed restore is not retried, so restored items are not restored
    /// twice.
    pub fn can_retry(&self) -> bool {
        match &self.status {
            MailboxStatus::Failed(_) | MailboxStatus::Cancelled => true,
            MailboxStatus::Finished(stats) => verdict(stats) == Verdict::Failed,
            MailboxStatus::Pending | MailboxStatus::Running => false,
        }
    }
}

/// Sums over the run's mailboxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkTotals {
    pub created_items: i64,
    pub merged_items: i64,
    pub skipped_items: i64,
    pub failed_items: i64,
    pub failed_folders: i64,
    pub pending: usize,
    pub running: usize,
    /// Finished with [`Verdict::Succeeded`].
    pub succeeded: usize,
    /// Finished with [`Verdict::SucceededWithWarnings`].
    pub succeeded_with_warnings: usize,
    /// Finished with [`Verdict::Partial`].
    pub partial: usize,
    /// Finished with [`Verdict::Failed`], or the restore call failed.
    pub failed: usize,
    pub cancelled: usize,
}

impl BulkTotals {
    /// Mailboxes whose restore has ended, whatever the outcome.
    pub fn done(&self) -> usize {
        self.succeeded + self.succeeded_with_warnings + self.partial + self.failed
    }
}

/// A restore of several mailboxes, one at a time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BulkRun {
    entries: Vec<BulkEntry>,
    cancel_requested: bool,
}

impl BulkRun {
    /// Queues `mailboxes` in the given order. A mailbox whose ID repeats an earlier one is
    /// dropped, so no mailbox is restored twice.
    pub fn new(mailboxes: impl IntoIterator<Item = Mailbox>) -> Self {
        let mut seen = HashSet::new();
        let mut entries = Vec::new();
        for mailbox in mailboxes {
            if !seen.insert(mailbox.id) {
                continue;
            }
            entries.push(BulkEntry {
                mailbox,
                status: MailboxStatus::Pending,
                started_at_ms: None,
                ended_at_ms: None,
            });
        }
        Self {
            entries,
            cancel_requested: false,
        }
    }

    /// The mailboxes in queue order.
    pub fn entries(&self) -> &[BulkEntry] {
        &self.entries
    }

    pub fn entry(&self, mailbox_id: Uuid) -> Option<&BulkEntry> {
        self.entries
            .iter()
            .find(|entry| entry.mailbox.id == mailbox_id)
    }

    /// Marks the next pending mailbox as running and returns it, so the caller can send
    /// its restore call. Returns `None` while another mailbox is running, after
    /// [`Self::cancel`], or when no mailbox is pending.
    pub fn start_next(&mut self, now_ms: f64) -> Option<Mailbox> {
        if self.cancel_requested || self.running().is_some() {
            return None;
        }
        let entry = self
            .entries
            .iter_mut()
            .find(|entry| entry.status == MailboxStatus::Pending)?;
        entry.status = MailboxStatus::Running;
        entry.started_at_ms = Some(now_ms);
        entry.ended_at_ms = None;
        Some(entry.mailbox.clone())
    }

    /// The mailbox whose restore call is in flight.
    pub fn running(&self) -> Option<&BulkEntry> {
        self.entries
            .iter()
            .find(|entry| entry.status == MailboxStatus::Running)
    }

    /// Records the statistics of a returned restore call. Returns `false`, changing
    /// nothing, when that mailbox is not running.
    pub fn finish(&mut self, mailbox_id: Uuid, stats: RestoreStatistics, now_ms: f64) -> bool {
        self.end_running(mailbox_id, MailboxStatus::Finished(stats), now_ms)
    }

    /// Records a failed restore call with the message for the user. Returns `false`,
    /// changing nothing, when that mailbox is not running. The run continues with the
    /// next mailbox.
    pub fn fail(&mut self, mailbox_id: Uuid, message: impl Into<String>, now_ms: f64) -> bool {
        self.end_running(mailbox_id, MailboxStatus::Failed(message.into()), now_ms)
    }

    fn end_running(&mut self, mailbox_id: Uuid, status: MailboxStatus, now_ms: f64) -> bool {
        let Some(entry) = self
            .entries
            .iter_mut()
            .find(|entry| entry.mailbox.id == mailbox_id && entry.status == MailboxStatus::Running)
        else {
            return false;
        };
        entry.status = status;
        entry.ended_at_ms = Some(now_ms);
        true
    }

    /// Cancels the run between mailboxes: the running mailbox, if any, finishes and can
    /// still be reported, and every pending mailbox becomes cancelled.
    pub fn cancel(&mut self) {
        self.cancel_requested = true;
        for entry in &mut self.entries {
            if entry.status == MailboxStatus::Pending {
                entry.status = MailboxStatus::Cancelled;
            }
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel_requested
    }

    /// Puts one mailbox back in the queue when [`BulkEntry::can_retry`] allows it, and
    /// lifts a cancellation so the run can go on. Returns whether it was queued.
    pub fn retry(&mut self, mailbox_id: Uuid) -> bool {
        let Some(entry) = self
            .entries
            .iter_mut()
            .find(|entry| entry.mailbox.id == mailbox_id && entry.can_retry())
        else {
            return false;
        };
        entry.requeue();
        self.cancel_requested = false;
        true
    }

    /// Puts every mailbox whose restore call failed or whose verdict is Failed back in
    /// the queue, and lifts a cancellation if any was queued. Cancelled mailboxes stay
    /// cancelled. Returns how many were queued.
    pub fn retry_failed(&mut self) -> usize {
        let mut queued = 0;
        for entry in &mut self.entries {
            let failed = match &entry.status {
                MailboxStatus::Failed(_) => true,
                MailboxStatus::Finished(stats) => verdict(stats) == Verdict::Failed,
                _ => false,
            };
            if failed {
                entry.requeue();
                queued += 1;
            }
        }
        if queued > 0 {
            self.cancel_requested = false;
        }
        queued
    }

    /// Whether no mailbox is pending or running.
    pub fn is_complete(&self) -> bool {
        self.entries.iter().all(|entry| {
            !matches!(
                entry.status,
                MailboxStatus::Pending | MailboxStatus::Running
            )
        })
    }

    /// Sums the item counts of the finished restores and counts mailboxes by status and
    /// verdict.
    pub fn totals(&self) -> BulkTotals {
        let mut totals = BulkTotals::default();
        for entry in &self.entries {
            match &entry.status {
                MailboxStatus::Pending => totals.pending += 1,
                MailboxStatus::Running => totals.running += 1,
                MailboxStatus::Cancelled => totals.cancelled += 1,
                MailboxStatus::Failed(_) => totals.failed += 1,
                MailboxStatus::Finished(stats) => {
                    totals.created_items += stats.created_items_count;
                    totals.merged_items += stats.merged_items_count;
                    totals.skipped_items += stats.skipped_items_count;
                    totals.failed_items += stats.failed_items_count;
                    totals.failed_folders += stats.failed_folders_count;
                    match verdict(stats) {
                        Verdict::Succeeded => totals.succeeded += 1,
                        Verdict::SucceededWithWarnings => totals.succeeded_with_warnings += 1,
                        Verdict::Partial => totals.partial += 1,
                        Verdict::Failed => totals.failed += 1,
                    }
                }
            }
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(n: u128, name: &str) -> Mailbox {
        Mailbox {
            id: Uuid::from_u128(n),
            name: name.into(),
            email: format!("{}@contoso.com", name.to_lowercase()),
            is_archive: false,
            is_public: false,
        }
    }

    fn run_of_three() -> BulkRun {
        BulkRun::new([
            mailbox(1, "Adele"),
            mailbox(2, "Bruno"),
            mailbox(3, "Chiara"),
        ])
    }

    fn clean(created: i64) -> RestoreStatistics {
        RestoreStatistics {
            created_items_count: created,
            ..RestoreStatistics::default()
        }
    }

    fn cannot_continue() -> RestoreStatistics {
        RestoreStatistics {
            cannot_continue_error: Some("Cannot open user mailbox".into()),
            ..RestoreStatistics::default()
        }
    }

    #[test]
    fn runs_in_queue_order() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        assert_eq!(first.name, "Adele");
        assert!(run.finish(first.id, clean(1), 1000.0));
        let second = run.start_next(1000.0).unwrap();
        assert_eq!(second.name, "Bruno");
    }

    #[test]
    fn one_at_a_time() {
        let mut run = run_of_three();
        run.start_next(0.0).unwrap();
        assert_eq!(run.start_next(0.0), None);
    }

    #[test]
    fn failure_does_not_stop_run() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        assert!(run.fail(first.id, "HTTP 500: Restore session has expired.", 10.0));
        let second = run.start_next(10.0).unwrap();
        assert_eq!(second.name, "Bruno");
    }

    #[test]
    fn drains_to_complete() {
        let mut run = run_of_three();
        while let Some(next) = run.start_next(0.0) {
            run.finish(next.id, clean(2), 0.0);
        }
        assert!(run.is_complete());
        assert_eq!(run.totals().succeeded, 3);
        assert_eq!(run.totals().created_items, 6);
    }

    #[test]
    fn duplicates_dropped() {
        let run = BulkRun::new([mailbox(1, "Adele"), mailbox(1, "Adele again")]);
        assert_eq!(run.entries().len(), 1);
    }

    #[test]
    fn empty_run_is_complete() {
        let mut run = BulkRun::new([]);
        assert!(run.is_complete());
        assert_eq!(run.start_next(0.0), None);
    }

    #[test]
    fn cancel_lets_running_finish() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        run.cancel();
        assert_eq!(run.start_next(0.0), None);
        assert!(!run.is_complete());
        assert!(run.finish(first.id, clean(1), 5.0));
        assert!(run.is_complete());
        let totals = run.totals();
        assert_eq!(totals.succeeded, 1);
        assert_eq!(totals.cancelled, 2);
    }

    #[test]
    fn finish_requires_running() {
        let mut run = run_of_three();
        assert!(!run.finish(Uuid::from_u128(2), clean(1), 0.0));
        assert_eq!(
            run.entry(Uuid::from_u128(2)).unwrap().status,
            MailboxStatus::Pending
        );
    }

    #[test]
    fn finish_unknown_mailbox() {
        let mut run = run_of_three();
        run.start_next(0.0).unwrap();
        assert!(!run.fail(Uuid::from_u128(99), "x", 0.0));
    }

    #[test]
    fn retry_one_failed() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        run.fail(first.id, "timed out", 0.0);
        assert!(run.retry(first.id));
        assert_eq!(run.entry(first.id).unwrap().status, MailboxStatus::Pending);
        // The retried mailbox is first in queue order again.
        assert_eq!(run.start_next(0.0).unwrap().id, first.id);
    }

    #[test]
    fn retry_rejects_succeeded() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        run.finish(first.id, clean(1), 0.0);
        assert!(!run.retry(first.id));
    }

    #[test]
    fn retry_rejects_partial() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        let partial = RestoreStatistics {
            created_items_count: 5,
            failed_items_count: 1,
            ..RestoreStatistics::default()
        };
        run.finish(first.id, partial, 0.0);
        assert!(!run.retry(first.id));
    }

    #[test]
    fn retry_cancelled_resumes() {
        let mut run = run_of_three();
        run.cancel();
        assert!(run.retry(Uuid::from_u128(3)));
        assert!(!run.is_cancelled());
        assert_eq!(run.start_next(0.0).unwrap().name, "Chiara");
    }

    #[test]
    fn retry_failed_requeues_all() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        run.fail(first.id, "HTTP 500", 0.0);
        let second = run.start_next(0.0).unwrap();
        run.finish(second.id, cannot_continue(), 0.0);
        let third = run.start_next(0.0).unwrap();
        run.finish(third.id, clean(1), 0.0);

        assert_eq!(run.retry_failed(), 2);
        assert_eq!(run.totals().pending, 2);
        assert_eq!(run.totals().succeeded, 1);
    }

    #[test]
    fn retry_failed_keeps_cancelled() {
        let mut run = run_of_three();
        let first = run.start_next(0.0).unwrap();
        run.fail(first.id, "HTTP 500", 0.0);
        run.cancel();
        assert_eq!(run.retry_failed(), 1);
        assert_eq!(run.totals().cancelled, 2);
        assert!(!run.is_cancelled());
    }

    #[test]
    fn totals_by_verdict() {
        let mut run = BulkRun::new((1..=5).map(|n| mailbox(n, &format!("User{n}"))));
        let outcomes = [
            Ok(clean(10)),
            Ok(RestoreStatistics {
                merged_items_count: 3,
                warnings: vec!["Item was skipped".into()],
                ..RestoreStatistics::default()
            }),
            Ok(RestoreStatistics {
                created_items_count: 4,
                skipped_items_count: 2,
                failed_items_count: 1,
                failed_folders_count: 1,
                ..RestoreStatistics::default()
            }),
            Ok(cannot_continue()),
            Err("HTTP 504"),
        ];
        for outcome in outcomes {
            let next = run.start_next(0.0).unwrap();
            match outcome {
                Ok(stats) => run.finish(next.id, stats, 0.0),
                Err(message) => run.fail(next.id, message, 0.0),
            };
        }

        let totals = run.totals();
        assert_eq!(totals.created_items, 14);
        assert_eq!(totals.merged_items, 3);
        assert_eq!(totals.skipped_items, 2);
        assert_eq!(totals.failed_items, 1);
        assert_eq!(totals.failed_folders, 1);
        assert_eq!(totals.succeeded, 1);
        assert_eq!(totals.succeeded_with_warnings, 1);
        assert_eq!(totals.partial, 1);
        assert_eq!(totals.failed, 2);
        assert_eq!(totals.done(), 5);
    }

    #[test]
    fn duration_measured() {
        let mut run = run_of_three();
        let first = run.start_next(1_000.0).unwrap();
        run.finish(first.id, clean(1), 91_500.0);
        assert_eq!(run.entry(first.id).unwrap().duration_secs(), Some(90.5));
        assert_eq!(run.entry(Uuid::from_u128(2)).unwrap().duration_secs(), None);
    }

    #[test]
    fn status_labels() {
        assert_eq!(MailboxStatus::Pending.label(), "Pending");
        assert_eq!(MailboxStatus::Failed("x".into()).label(), "Failed");
    }
}

//! What a finished restore means for the administrator.
//!
//! A 200 from a synchronous restore only says the call ended. The statistics can still
//! report that nothing was restored (`cannotContinueError`) or that some items or folders
//! failed, so the verdict is read from them, never from the status code.

use crate::model::RestoreStatistics;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every item was restored or skipped as unchanged.
    Succeeded,
    /// Completed, with warnings that may need attention.
    SucceededWithWarnings,
    /// Completed, but some items or folders were not restored.
    Partial,
    /// The restore stopped: the mailbox was not restored.
    Failed,
}

impl Verdict {
    pub fn headline(self) -> &'static str {
        match self {
            Verdict::Succeeded => "Restore completed",
            Verdict::SucceededWithWarnings => "Restore completed with warnings",
            Verdict::Partial => "Restore partly failed",
            Verdict::Failed => "Restore failed",
        }
    }

    /// A CSS-friendly name of the verdict.
    pub fn class_name(self) -> &'static str {
        match self {
            Verdict::Succeeded => "succeeded",
            Verdict::SucceededWithWarnings => "warning",
            Verdict::Partial => "partial",
            Verdict::Failed => "failed",
        }
    }
}

/// Reads the verdict from the statistics of a finished restore.
pub fn verdict(stats: &RestoreStatistics) -> Verdict {
    let cannot_continue = stats
        .cannot_continue_error
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    if cannot_continue {
        return Verdict::Failed;
    }

    let something_failed = stats.failed_items_count > 0
        || stats.failed_folders_count > 0
        || !stats.exceptions.is_empty();
    if something_failed {
        let something_restored = stats.created_items_count > 0
            || stats.merged_items_count > 0
            || stats.skipped_items_count > 0;
        return if something_restored {
            Verdict::Partial
        } else {
            Verdict::Failed
        };
    }

    if stats.warnings.is_empty() {
        Verdict::Succeeded
    } else {
        Verdict::SucceededWithWarnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> RestoreStatistics {
        RestoreStatistics {
            created_items_count: 10,
            merged_items_count: 2,
            skipped_items_count: 5,
            ..RestoreStatistics::default()
        }
    }

    #[test]
    fn clean_restore_succeeds() {
        assert_eq!(verdict(&stats()), Verdict::Succeeded);
    }

    #[test]
    fn nothing_to_restore_succeeds() {
        assert_eq!(verdict(&RestoreStatistics::default()), Verdict::Succeeded);
    }

    #[test]
    fn warnings_are_not_plain_success() {
        let stats = RestoreStatistics {
            warnings: vec!["w".into()],
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::SucceededWithWarnings);
    }

    #[test]
    fn cannot_continue_fails() {
        let stats = RestoreStatistics {
            cannot_continue_error: Some("Cannot open user mailbox".into()),
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::Failed);
    }

    #[test]
    fn blank_cannot_continue_ignored() {
        let stats = RestoreStatistics {
            cannot_continue_error: Some("  ".into()),
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::Succeeded);
    }

    #[test]
    fn failed_items_are_partial() {
        let stats = RestoreStatistics {
            failed_items_count: 1,
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::Partial);
    }

    #[test]
    fn failed_folders_are_partial() {
        let stats = RestoreStatistics {
            failed_folders_count: 1,
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::Partial);
    }

    #[test]
    fn exceptions_are_partial() {
        let stats = RestoreStatistics {
            exceptions: vec!["e".into()],
            ..stats()
        };
        assert_eq!(verdict(&stats), Verdict::Partial);
    }

    #[test]
    fn only_failures_fail() {
        let stats = RestoreStatistics {
            failed_items_count: 4,
            ..RestoreStatistics::default()
        };
        assert_eq!(verdict(&stats), Verdict::Failed);
    }
}

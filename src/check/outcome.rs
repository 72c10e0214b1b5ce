//! What one check reports: its [`Outcome`], what happened to its alert ([`Delivery`]), and
//! the [`CheckReport`] the CLI and the scheduler read.

use serde::Serialize;

use crate::alert::Alert;
use crate::diff::ChangeSet;

/// How an alert was handled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Delivery {
    /// Mailed.
    Sent,
    /// No `[email]` section: the alert is for stdout and the store.
    Printed,
    /// Queued in the outbox; the send failed and will be retried.
    Queued {
        /// Why the send failed.
        error: String,
    },
    /// Queued; delivered after the check is recorded (or in the pass's digest).
    Deferred,
    /// `--dry-run`: nothing sent or stored.
    DryRun,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// First good fetch: the baseline was stored.
    New {
        /// The version stored.
        version: u32,
        /// Topic clauses found.
        clauses: usize,
    },
    /// No term change.
    Unchanged {
        /// `not modified`, `same content` or `no term change`.
        why: String,
        /// The version compared against.
        version: u32,
    },
    /// Topic clauses changed; an alert was made.
    Changed {
        /// Version compared against.
        from: u32,
        /// Version stored (equal to `from` on a dry run).
        to: u32,
        /// The changes.
        changes: ChangeSet,
        /// The alert.
        alert: Box<Alert>,
        /// What happened to it.
        delivery: Delivery,
    },
    /// The page collapsed; held, nothing stored.
    Anomaly {
        /// Why it counts as a collapse.
        reason: String,
        /// The version kept.
        version: u32,
        /// Checks in a row that saw it.
        seen: u32,
    },
    /// The check failed; nothing stored.
    Failed {
        /// What went wrong and what to do.
        reason: String,
    },
}

impl Outcome {
    /// The outcome word printed first on `check`'s lines.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::New { .. } => "new",
            Outcome::Unchanged { .. } => "unchanged",
            Outcome::Changed { .. } => "changed",
            Outcome::Anomaly { .. } => "anomaly",
            Outcome::Failed { .. } => "failed",
        }
    }
}

/// The report of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Watch name.
    pub watch: String,
    /// Watched URL.
    pub url: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Queued alerts delivered during this check other than the outcome's own (earlier
    /// changes, notices, or the alert of a change whose version could not be stored).
    pub redelivered: usize,
    /// Alerts delivered to stdout in this check (no `[email]`): the CLI prints them.
    #[serde(skip)]
    pub printed: Vec<Alert>,
    /// Alerts still waiting in the outbox after this check.
    pub pending_alerts: usize,
    /// Failed checks in a row, this one included.
    pub consecutive_failures: u32,
    /// `Retry-After` the server asked for (429/503), in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Duration in milliseconds.
    pub ms: u64,
}

//! The alert record: what a change, anomaly or failure notice says, as queued in a watch's
//! outbox and as delivered.
//!
//! Owns: [`Alert`], [`AlertKind`], the subject line and the topic list as it appears in
//! subjects and headers. A leaf of the mail side: `store` keeps alerts, `notify` mails them,
//! `render` writes their bodies. Must not: decide what is a change (`check`), send mail
//! (`notify`) or write files (`store`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::diff::ChangeSet;
use crate::extract::Topic;

/// What an alert reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Topic clauses changed.
    Change,
    /// The page collapsed and is held; no term change is reported.
    Anomaly,
    /// The watch failed several checks in a row.
    Failing,
    /// The watch works again after a failing notice.
    Recovered,
}

impl AlertKind {
    /// snake_case name, used in ids.
    pub fn word(self) -> &'static str {
        match self {
            AlertKind::Change => "change",
            AlertKind::Anomaly => "anomaly",
            AlertKind::Failing => "failing",
            AlertKind::Recovered => "recovered",
        }
    }
}

/// One alert, as queued in the outbox and as delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// File-safe id, derived from the change so that re-detecting it gives the same id.
    pub id: String,
    /// Stable `Message-ID`, the receiver's dedup key for a resend.
    pub message_id: String,
    /// Change or anomaly.
    pub kind: AlertKind,
    /// Watch name.
    pub watch: String,
    /// Watched URL.
    pub url: String,
    /// When the alert was created.
    pub created_at: DateTime<Utc>,
    /// When the page that triggered it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Version compared against.
    pub from_version: Option<u32>,
    /// Version stored for the new page.
    pub to_version: Option<u32>,
    /// Topics whose clauses changed (empty for an anomaly).
    pub topics: Vec<Topic>,
    /// The clause changes.
    pub changes: ChangeSet,
    /// Anomaly reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Delivery attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Error of the last failed attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Where it was delivered (`smtp` or `stdout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_via: Option<String>,
    /// `Message-ID` of the digest this alert was first sent in; a retry resends that digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_id: Option<String>,
}

/// Comma-separated snake_case topic list, as in the header and subject.
pub fn topic_list(topics: &[Topic]) -> String {
    topics
        .iter()
        .map(Topic::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Alert {
    /// The mail subject.
    pub fn subject(&self) -> String {
        match self.kind {
            AlertKind::Change => format!(
                "[clausewatch] {}: {} changed",
                self.watch,
                topic_list(&self.topics)
            ),
            AlertKind::Anomaly => format!(
                "[clausewatch] {}: page anomaly, terms held at version {}",
                self.watch,
                self.from_version.unwrap_or(0)
            ),
            AlertKind::Failing => format!("[clausewatch] {}: watch failing", self.watch),
            AlertKind::Recovered => format!("[clausewatch] {}: watch recovered", self.watch),
        }
    }
}

//! Review by hand: what a check did (one line per watch) and a watch's version history.
//!
//! Owns: the renderings that need the check outcome or the store's snapshots; clause diffs
//! and the HTML report are `render`'s. Must not: fetch, mail or write the store.

use serde::Serialize;

use crate::alert::topic_list;
use crate::check::{CheckReport, Delivery, Outcome};
use crate::diff::ChangeSet;
use crate::extract::Clause;
use crate::render::{counts, escape_controls};
use crate::store::{Snapshot, VersionReason, clause_line};

/// A clause for people: `[topics] text`, then its terms on an indented line if it states any.
/// Control characters are escaped ([`escape_controls`]).
pub fn clause_with_terms(c: &Clause) -> String {
    let mut out = clause_line(c);
    let terms = crate::diff::describe(&crate::extract::terms::parse_terms(&c.text));
    if !terms.is_empty() {
        out.push_str(&format!("\n    terms: {terms}"));
    }
    escape_controls(&out).into_owned()
}

/// One line per check: `<outcome> <name> …`, control characters escaped.
pub fn check_line(r: &CheckReport) -> String {
    let detail = match &r.outcome {
        Outcome::New { version, clauses } => {
            format!("baseline stored as version {version}, {clauses} clauses; no alert")
        }
        Outcome::Unchanged { why, version } => format!("{why} (version {version})"),
        Outcome::Changed {
            from,
            to,
            changes,
            delivery,
            ..
        } => {
            let d = match delivery {
                Delivery::Sent => "alert mailed".to_string(),
                Delivery::Printed => "alert recorded (no [email] configured)".to_string(),
                Delivery::Queued { error } => {
                    format!("alert queued in the outbox, will retry: {error}")
                }
                Delivery::Deferred => "alert queued for the digest".to_string(),
                Delivery::DryRun => "dry run: nothing sent or stored".to_string(),
            };
            format!(
                "{} changed: {} (version {from} -> {to}); {d}",
                topic_list(&changes.topics()),
                counts(changes)
            )
        }
        Outcome::Anomaly {
            reason,
            version,
            seen,
        } => format!(
            "page looks broken: {reason}; keeping version {version} (seen {seen} time{})",
            if *seen == 1 { "" } else { "s" }
        ),
        Outcome::Failed { reason } => reason.clone(),
    };
    let mut line = format!("{} {} {detail}", r.outcome.word(), r.watch);
    if r.redelivered > 0 {
        // Not "earlier": after a failed check this may be the check's own queued alert.
        line.push_str(&format!("; {} queued alert(s) delivered", r.redelivered));
    }
    if r.pending_alerts > 0 {
        line.push_str(&format!("; {} alert(s) pending", r.pending_alerts));
    }
    escape_controls(&line).into_owned()
}

/// One entry of a watch's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Version number.
    pub version: u32,
    /// Fetch time, RFC 3339 UTC.
    pub fetched_at: String,
    /// Clauses in the version.
    pub clauses: usize,
    /// Changes from the previous version (`None` for the first).
    pub changes: Option<ChangeSet>,
    /// Why the version was written (absent in versions written before it was recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<VersionReason>,
}

/// Builds the history from consecutive versions.
pub fn history(snapshots: &[Snapshot]) -> Vec<HistoryEntry> {
    snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| HistoryEntry {
            version: s.version,
            fetched_at: s
                .fetched_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            clauses: s.clauses.len(),
            changes: i
                .checked_sub(1)
                .map(|p| ChangeSet::between(&snapshots[p].clauses, &s.clauses)),
            reason: s.reason,
        })
        .collect()
}

/// One line per history entry, control characters escaped.
pub fn history_line(h: &HistoryEntry) -> String {
    let changed = |c: &ChangeSet| {
        format!(
            "{} changed: {} | {}",
            topic_list(&c.topics()),
            counts(c),
            crate::diff::term_summary(c).join(" | ")
        )
    };
    let what = match (&h.changes, h.reason) {
        (None, _) | (_, Some(VersionReason::Baseline)) => "baseline".to_string(),
        (Some(c), Some(r @ (VersionReason::RulesUpgrade | VersionReason::Rebaseline))) => {
            if c.is_empty() {
                r.describe().to_string()
            } else {
                format!(
                    "{}; differs from the previous version: {}",
                    r.describe(),
                    changed(c)
                )
            }
        }
        (Some(c), _) if c.is_empty() => "no clause change (re-baselined under new rules)".into(),
        (Some(c), _) => changed(c),
    };
    let line = format!(
        "v{:<4} {}  {:>3} clauses  {what}",
        h.version, h.fetched_at, h.clauses
    );
    escape_controls(&line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 9: after a failed check, an alert delivered in it may be the check's own (its
    /// version could not be stored): the line does not call it "earlier".
    #[test]
    fn check_line_words_delivered_queued_alerts_truthfully() {
        let r = CheckReport {
            watch: "deal".into(),
            url: "http://127.0.0.1/".into(),
            outcome: Outcome::Failed {
                reason: "store: disk full".into(),
            },
            redelivered: 1,
            printed: Vec::new(),
            pending_alerts: 0,
            consecutive_failures: 1,
            retry_after_secs: None,
            ms: 0,
        };
        let line = check_line(&r);
        assert!(line.contains("1 queued alert(s) delivered"), "{line}");
        assert!(!line.contains("earlier"), "{line}");
    }
}

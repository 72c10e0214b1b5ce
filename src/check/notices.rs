//! After each check: the fetch log, the watch state, and the "watch failing" / "watch
//! recovered" notices (one per failure streak, never one mail per failure).

use std::time::Instant;

use chrono::Utc;

use crate::alert::{Alert, AlertKind};
use crate::config::Watch;
use crate::diff::ChangeSet;
use crate::store::{self, FetchLogEntry, WatchState, WatchStore};

use super::{Context, Outcome, PreparedWatch};

/// Logs the fetch, updates the watch state, and queues one "failing" notice when the
/// failures in a row reach the threshold and one "recovered" notice when the watch works
/// again after such a notice (never one mail per failure). Returns the failures in a row.
pub(super) fn record_outcome(
    ctx: &Context,
    ws: &WatchStore,
    pw: &PreparedWatch,
    outcome: &Outcome,
    status: Option<u16>,
    retry_after_secs: Option<u64>,
    start: Instant,
) -> u32 {
    let (version, reason) = match outcome {
        Outcome::New { version, .. } | Outcome::Unchanged { version, .. } => (Some(*version), None),
        Outcome::Changed { to, .. } => (Some(*to), None),
        Outcome::Anomaly {
            version, reason, ..
        } => (Some(*version), Some(reason.clone())),
        Outcome::Failed { reason } => (None, Some(reason.clone())),
    };
    let entry = FetchLogEntry {
        time: Utc::now(),
        status,
        outcome: outcome.word().into(),
        version,
        reason,
        ms: start.elapsed().as_millis() as u64,
    };
    if let Err(e) = ws.log_fetch(&entry, ctx.retention.log_bytes) {
        tracing::warn!(error = %e, "cannot append to the fetch log");
    }
    let unsaved = ctx
        .unsaved_states
        .lock()
        .expect("state table lock")
        .get(&pw.watch.name)
        .cloned();
    let mut state = match (ws.state(), unsaved) {
        // A state kept in memory because it could not be written is newer than the file.
        (Ok(disk), Some(mem)) if mem.last_check >= disk.last_check => mem,
        (Ok(disk), _) => disk,
        (Err(e), mem) => {
            tracing::warn!(error = %e, "cannot read watch state");
            mem.unwrap_or_default()
        }
    };
    state.last_check = Some(entry.time);
    state.last_outcome = Some(entry.outcome);
    state.not_before = retry_after_secs
        .map(|s| crate::config::time_after(entry.time, std::time::Duration::from_secs(s)));
    let notice = if let Outcome::Failed { reason } = outcome {
        state.consecutive_failures += 1;
        if state.consecutive_failures == 1 {
            state.failing_since = Some(entry.time);
        }
        // `>=`: a notice that could not be queued at the threshold is tried again.
        (state.consecutive_failures >= ctx.failure_alert_after && !state.failure_notified)
            .then(|| (AlertKind::Failing, reason.clone()))
    } else {
        state.consecutive_failures = 0;
        state
            .failure_notified
            .then(|| (AlertKind::Recovered, "the watch works again".to_string()))
    };
    if let Some((kind, reason)) = notice {
        let mut alert = notice_alert(&pw.watch, kind, &state, reason);
        alert.fetched_at = entry.time;
        // The id comes from the streak's start, so a crash before the state is saved
        // re-queues the same notice (dropped as a duplicate), never a second one.
        match ws.queue_alert(&alert) {
            Ok(_) => {
                state.failure_notified = kind == AlertKind::Failing;
                if kind == AlertKind::Recovered {
                    state.failing_since = None;
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot queue the failure notice"),
        }
    }
    let mut unsaved = ctx.unsaved_states.lock().expect("state table lock");
    match ws.save_state(&state) {
        Ok(()) => {
            unsaved.remove(&pw.watch.name);
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot save watch state; keeping it in memory");
            unsaved.insert(pw.watch.name.clone(), state.clone());
        }
    }
    state.consecutive_failures
}

/// A "watch failing" or "watch recovered" notice; its id is derived from the failure
/// streak's start, so it is the same on every attempt to queue it.
fn notice_alert(watch: &Watch, kind: AlertKind, state: &WatchState, reason: String) -> Alert {
    let now = Utc::now();
    let word = kind.word();
    let streak = state
        .failing_since
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    let key = format!("{}|{word}|{streak}", watch.name);
    let hash = &store::sha256_hex(key.as_bytes())[..20];
    Alert {
        id: format!("{}-{word}-{hash}", watch.name),
        message_id: format!("<{hash}.{word}.{}@clausewatch>", watch.name),
        kind,
        watch: watch.name.clone(),
        url: watch.url.to_string(),
        created_at: now,
        fetched_at: now,
        from_version: None,
        to_version: None,
        topics: Vec::new(),
        changes: ChangeSet::default(),
        reason: Some(match kind {
            AlertKind::Failing => format!(
                "{} checks in a row failed; last error: {reason}",
                state.consecutive_failures
            ),
            _ => reason,
        }),
        attempts: 0,
        last_error: None,
        delivered_at: None,
        delivered_via: None,
        digest_id: None,
    }
}

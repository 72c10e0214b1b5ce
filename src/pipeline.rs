//! One check of one watch: fetch → extract → compare with the stored snapshot → alert → store.
//!
//! This is the product's core decision procedure, in one place:
//! - a failed fetch, a non-2xx status or a page without main text is `failed`: nothing is
//!   stored, no alert, the old snapshot stays;
//! - 304 or the same body bytes as last time is `unchanged` at almost no cost (no parse);
//! - the first good fetch is the baseline (`new`), never an alert;
//! - a page that suddenly collapses (most clauses or most main text gone at once) is an
//!   `anomaly`: held, not stored, validators not advanced; only when [`CONFIRM_COLLAPSE`]
//!   checks in a row see the same collapse is the removal believed and alerted;
//! - a stored snapshot made by other rules (extractor version, `select`, `topics`) is
//!   re-extracted from its raw page before comparing, so upgrades never alert;
//! - otherwise a difference in the topic clauses is `changed`: the alert is written to the
//!   outbox (fsynced) *before* the new version is stored, then sent; a failed send stays in
//!   the outbox and is retried at the start of the watch's next check.
//!
//! Must not: print (the CLI renders [`CheckReport`]s) or schedule (that is `schedule`).

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use crate::config::Watch;
use crate::diff::ChangeSet;
use crate::extract::{self, Clause, Extraction, Extractor, extractor_version};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::notify::{Alert, AlertKind, Mailer, NotifyError};
use crate::store::{
    self, AnomalyHold, FORMAT, FetchLogEntry, Snapshot, Store, StoreError, WatchState, WatchStore,
};

/// Checks in a row that must see the same collapsed page before its removals are believed.
pub const CONFIRM_COLLAPSE: u32 = 3;
/// Check of a persisting collapse at which one anomaly mail is sent.
pub const ANOMALY_MAIL_AT: u32 = 2;

/// Everything a check needs that outlives one check.
#[derive(Clone)]
pub struct Context {
    /// The snapshot store.
    pub store: Store,
    /// The shared HTTP client.
    pub fetcher: Fetcher,
    /// The mailer; `None` delivers alerts to stdout (the CLI prints them).
    pub mailer: Option<Mailer>,
    /// Check without sending mail or writing the store.
    pub dry_run: bool,
    /// Queue alerts without sending them; the caller sends one digest after the pass
    /// ([`deliver_digest`]).
    pub defer_delivery: bool,
    /// Failed checks in a row after which one "watch failing" notice is queued.
    pub failure_alert_after: u32,
    /// History kept per watch, applied after each new version.
    pub retention: store::Retention,
}

/// A watch with its extraction rules compiled once.
#[derive(Clone)]
pub struct PreparedWatch {
    /// The watch.
    pub watch: Watch,
    /// Its compiled rules.
    pub extractor: Arc<Extractor>,
}

impl PreparedWatch {
    /// Compiles a watch's rules.
    pub fn new(watch: Watch) -> Result<PreparedWatch, extract::ExtractError> {
        let extractor = Arc::new(Extractor::new(watch.extract_options())?);
        Ok(PreparedWatch { watch, extractor })
    }

    /// Prepares many watches, compiling each distinct set of extraction settings once:
    /// thousands of watches with the same settings share one compiled rule set.
    pub fn prepare_all(watches: Vec<Watch>) -> Result<Vec<PreparedWatch>, extract::ExtractError> {
        let mut compiled: std::collections::HashMap<String, Arc<Extractor>> =
            std::collections::HashMap::new();
        watches
            .into_iter()
            .map(|watch| {
                let key = settings_fingerprint(&watch);
                let extractor = match compiled.get(&key) {
                    Some(e) => e.clone(),
                    None => {
                        let e = Arc::new(Extractor::new(watch.extract_options())?);
                        compiled.insert(key, e.clone());
                        e
                    }
                };
                Ok(PreparedWatch { watch, extractor })
            })
            .collect()
    }

    /// Fingerprint of the settings that change extraction, stored with each snapshot.
    pub fn settings_fingerprint(&self) -> String {
        settings_fingerprint(&self.watch)
    }
}

/// Fingerprint of a watch's extraction settings.
pub fn settings_fingerprint(w: &Watch) -> String {
    let topics: Vec<&str> = w.topics.iter().map(|t| t.as_str()).collect();
    store::sha256_hex(
        format!(
            "select={:?};topics={};custom={:?}",
            w.select.as_deref().unwrap_or(""),
            topics.join(","),
            w.custom_topics
        )
        .as_bytes(),
    )[..16]
        .to_string()
}

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
    /// Other queued alerts (earlier changes, notices) delivered during this check.
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

/// Runs one check of one watch. Never panics on bad input; every problem is an outcome.
/// Alerts are delivered in one place, after the check is recorded: the new alert (if any)
/// and any left from earlier checks, one attempt each, so a dead mail server costs one
/// timeout per alert and check.
pub async fn check(ctx: &Context, pw: &PreparedWatch) -> CheckReport {
    let start = Instant::now();
    let ws = if ctx.dry_run {
        ctx.store.watch_read_only(&pw.watch.name)
    } else {
        ctx.store.watch(&pw.watch.name)
    };
    let mut report = CheckReport {
        watch: pw.watch.name.clone(),
        url: pw.watch.url.to_string(),
        outcome: Outcome::Failed {
            reason: String::new(),
        },
        redelivered: 0,
        printed: Vec::new(),
        pending_alerts: 0,
        consecutive_failures: 0,
        retry_after_secs: None,
        ms: 0,
    };
    let lock = if ctx.dry_run {
        Ok(None)
    } else {
        ws.lock().map(Some)
    };
    match lock {
        Err(e) => {
            report.outcome = Outcome::Failed {
                reason: e.to_string(),
            }
        }
        Ok(_lock) => {
            let mut status = None;
            report.outcome = match run(ctx, pw, &ws, &mut status).await {
                Ok(o) => o,
                Err(e) => {
                    if let CheckError::Status { retry_after: r, .. } = &e {
                        report.retry_after_secs = r.map(|d| d.as_secs());
                    }
                    Outcome::Failed {
                        reason: e.to_string(),
                    }
                }
            };
            if !ctx.dry_run {
                report.consecutive_failures = record(
                    ctx,
                    &ws,
                    pw,
                    &report.outcome,
                    status,
                    report.retry_after_secs,
                    start,
                );
                if !ctx.defer_delivery {
                    for (alert, delivery) in flush_outbox(ctx, &ws).await {
                        settle_report(&mut report, alert, delivery);
                    }
                }
                resolve_delivery(&mut report, &ws);
            }
            report.pending_alerts = ws.pending_alerts().map(|p| p.len()).unwrap_or(0);
        }
    }
    report.ms = start.elapsed().as_millis() as u64;
    report
}

/// Accounts one delivered or attempted alert in the report of its watch's check.
fn settle_report(report: &mut CheckReport, alert: Alert, result: Delivery) {
    match &mut report.outcome {
        Outcome::Changed {
            alert: ours,
            delivery,
            ..
        } if ours.id == alert.id => *delivery = result.clone(),
        _ if result == Delivery::Sent => report.redelivered += 1,
        _ => {}
    }
    if result == Delivery::Printed {
        report.printed.push(alert);
    }
}

/// A change whose alert was not attempted in this check: still queued (with its last
/// error), or already delivered by an earlier, interrupted check.
fn resolve_delivery(report: &mut CheckReport, ws: &WatchStore) {
    if let Outcome::Changed {
        alert, delivery, ..
    } = &mut report.outcome
        && *delivery == Delivery::Deferred
    {
        let pending = ws.pending_alerts().unwrap_or_default();
        match pending.iter().find(|a| a.id == alert.id) {
            // Queued for the pass's digest, or waiting after a failed send.
            Some(a) => {
                if let Some(error) = &a.last_error {
                    *delivery = Delivery::Queued {
                        error: error.clone(),
                    };
                }
            }
            None => *delivery = Delivery::Sent,
        }
    }
}

/// Tries every alert in the watch's outbox once, oldest first; returns each with the result.
pub async fn flush_outbox(ctx: &Context, ws: &WatchStore) -> Vec<(Alert, Delivery)> {
    let Ok(pending) = ws.pending_alerts() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for mut alert in pending {
        let d = deliver(ctx, ws, &mut alert).await;
        out.push((alert, d));
    }
    out
}

/// Sends every alert waiting in the outboxes of these watches as one digest mail, then
/// marks them delivered; on failure they stay queued. Updates the reports' delivery and
/// pending counts.
pub async fn deliver_digest(ctx: &Context, reports: &mut [CheckReport]) {
    let names: Vec<String> = reports.iter().map(|r| r.watch.clone()).collect();
    let results = send_digests(ctx, &names).await;
    for r in reports.iter_mut() {
        let name = r.watch.clone();
        for (alert, d) in results.iter().filter(|(a, _)| a.watch == name) {
            settle_report(r, alert.clone(), d.clone());
        }
        let ws = ctx.store.watch(&r.watch);
        resolve_delivery(r, &ws);
        r.pending_alerts = ws.pending_alerts().map(|p| p.len()).unwrap_or(0);
    }
}

/// Sends the queued alerts of these watches as digests: alerts first sent in a digest that
/// may have arrived go again in that digest (same Message-ID); the others form a new one.
/// Returns every alert tried, with its result.
pub async fn send_digests(ctx: &Context, watches: &[String]) -> Vec<(Alert, Delivery)> {
    let Some(mailer) = &ctx.mailer else {
        return Vec::new();
    };
    let mut batch = Vec::new();
    let mut locks = Vec::new();
    for name in watches {
        let ws = ctx.store.watch(name);
        // Lock first, then read: another process may deliver the same alerts meanwhile.
        match ws.lock() {
            Ok(lock) => {
                let pending = ws.pending_alerts().unwrap_or_default();
                if !pending.is_empty() {
                    locks.push(lock);
                    batch.extend(pending.into_iter().map(|a| (ws.clone(), a)));
                }
            }
            Err(e) => {
                tracing::warn!(watch = %name, error = %e, "alerts left for the next pass")
            }
        }
    }
    // Alerts keep the digest they were first sent in: a digest interrupted by a crash is
    // resent whole with the same Message-ID, so receivers can drop the duplicate. Alerts
    // not yet in a digest form a new one, recorded durably before the send; an alert whose
    // record cannot be written waits for the next pass rather than risk a second id.
    let mut groups: Vec<(String, Vec<(WatchStore, Alert)>)> = Vec::new();
    let mut fresh = Vec::new();
    for (ws, alert) in batch {
        match alert.digest_id.clone() {
            Some(id) => match groups.iter_mut().find(|(g, _)| *g == id) {
                Some((_, members)) => members.push((ws, alert)),
                None => groups.push((id, vec![(ws, alert)])),
            },
            None => fresh.push((ws, alert)),
        }
    }
    if !fresh.is_empty() {
        let ids: Vec<&str> = fresh.iter().map(|(_, a)| a.id.as_str()).collect();
        let id = match fresh.as_slice() {
            [(_, one)] => one.message_id.clone(),
            _ => format!(
                "<{}.digest@clausewatch>",
                &store::sha256_hex(ids.join("|").as_bytes())[..20]
            ),
        };
        let mut recorded = Vec::new();
        for (ws, mut alert) in fresh {
            alert.digest_id = Some(id.clone());
            match ws.update_pending(&alert) {
                Ok(()) => recorded.push((ws, alert)),
                Err(e) => {
                    tracing::warn!(watch = %alert.watch, error = %e, "alert left for the next pass")
                }
            }
        }
        if !recorded.is_empty() {
            groups.push((id, recorded));
        }
    }
    let mut results: Vec<(Alert, Delivery)> = Vec::new();
    for (digest_id, members) in groups {
        let alerts: Vec<Alert> = members.iter().map(|(_, a)| a.clone()).collect();
        let sent = mailer.send_digest(&alerts, &digest_id).await;
        for (ws, mut alert) in members {
            let d = settle(&ws, &mut alert, &sent, "smtp");
            results.push((alert, d));
        }
    }
    drop(locks);
    results
}

/// Delivers a queued alert and records the result in the store. An alert first sent inside
/// a digest is resent under that digest's Message-ID, so a receiver can drop the duplicate.
async fn deliver(ctx: &Context, ws: &WatchStore, alert: &mut Alert) -> Delivery {
    let Some(mailer) = &ctx.mailer else {
        return settle(ws, alert, &Ok(()), "stdout");
    };
    let sent = match alert.digest_id.clone() {
        Some(id) => mailer.send_digest(std::slice::from_ref(alert), &id).await,
        None => mailer.send(alert).await,
    };
    settle(ws, alert, &sent, "smtp")
}

/// Records one send attempt: delivered alerts move to `alerts/`, failed ones stay queued
/// with their error.
fn settle(
    ws: &WatchStore,
    alert: &mut Alert,
    sent: &Result<(), NotifyError>,
    via: &str,
) -> Delivery {
    match sent {
        Ok(()) => {
            if via == "smtp" {
                alert.attempts += 1;
            }
            alert.delivered_at = Some(Utc::now());
            alert.delivered_via = Some(via.into());
            alert.last_error = None;
            // A crash between the server's acceptance and this mark resends the same
            // Message-ID on the next check: at-least-once delivery.
            if let Err(e) = ws.mark_delivered(alert) {
                tracing::warn!(watch = %alert.watch, error = %e, "alert delivered but not marked; it may be resent with the same Message-ID");
            }
            if via == "smtp" {
                Delivery::Sent
            } else {
                Delivery::Printed
            }
        }
        Err(e) => {
            alert.attempts += 1;
            tracing::warn!(watch = %alert.watch, error = %e, "alert not delivered; kept in the outbox for retry");
            alert.last_error = Some(e.to_string());
            // The server refused: nothing arrived, so the next try may form a new digest
            // (or go alone) without risking a duplicate under another Message-ID.
            alert.digest_id = None;
            if let Err(e) = ws.update_pending(alert) {
                tracing::warn!(watch = %alert.watch, error = %e, "cannot record the failed attempt");
            }
            Delivery::Queued {
                error: e.to_string(),
            }
        }
    }
}

/// Logs the fetch, updates the watch state, and queues one "failing" notice when the
/// failures in a row reach the threshold and one "recovered" notice when the watch works
/// again after such a notice (never one mail per failure). Returns the failures in a row.
fn record(
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
    if let Err(e) = ws.log_fetch(&entry) {
        tracing::warn!(error = %e, "cannot append to the fetch log");
    }
    let mut state = match ws.state() {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read watch state");
            return 0;
        }
    };
    state.last_check = Some(entry.time);
    state.last_outcome = Some(entry.outcome);
    state.not_before = retry_after_secs.map(|s| entry.time + chrono::Duration::seconds(s as i64));
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
    if let Err(e) = ws.save_state(&state) {
        tracing::warn!(error = %e, "cannot save watch state");
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

/// Errors that end a check as `failed`.
#[derive(Debug, thiserror::Error)]
enum CheckError {
    #[error("fetch {url}: {source}")]
    Fetch { url: String, source: FetchError },
    #[error("HTTP {status} from {url}; the old snapshot is kept")]
    Status {
        status: u16,
        url: String,
        retry_after: Option<std::time::Duration>,
    },
    #[error(
        "{url} returned a page with no main text (empty or broken page); the old snapshot is kept"
    )]
    NoText { url: String },
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("extraction task failed: {0}")]
    Join(String),
}

async fn run(
    ctx: &Context,
    pw: &PreparedWatch,
    ws: &WatchStore,
    status: &mut Option<u16>,
) -> Result<Outcome, CheckError> {
    let watch = &pw.watch;
    let mut state = ws.state()?;
    let latest = ws.latest()?;
    let fingerprint = pw.settings_fingerprint();
    let same_rules = |s: &Snapshot| {
        s.extractor_version == extractor_version() && s.settings_fingerprint == fingerprint
    };
    // Validators advance only with a good page: a held or failed page is fetched in full.
    let validators = match (&latest, &state.anomaly) {
        (Some(s), None) if same_rules(s) => state.validators.clone(),
        _ => Validators::default(),
    };
    let fetched = fetch_page(ctx, pw, &validators, status).await?;
    if fetched.not_modified() {
        return match &latest {
            Some(s) => Ok(Outcome::Unchanged {
                why: "not modified".into(),
                version: s.version,
            }),
            None => Err(CheckError::Status {
                status: 304,
                url: watch.url.to_string(),
                retry_after: None,
            }),
        };
    }
    let content_hash = store::sha256_hex(&fetched.body);
    if let Some(s) = &latest
        && same_rules(s)
        && state.anomaly.is_none()
        && state.content_hash.as_deref() == Some(content_hash.as_str())
    {
        return Ok(Outcome::Unchanged {
            why: "same content".into(),
            version: s.version,
        });
    }

    let extraction =
        extract_blocking(pw, fetched.body.clone(), fetched.content_type.clone()).await?;
    if extraction.main_text_chars == 0 {
        return Err(CheckError::NoText {
            url: watch.url.to_string(),
        });
    }
    let next_version = latest.as_ref().map_or(1, |s| s.version + 1);
    let snapshot = new_snapshot(pw, next_version, &fetched, content_hash, &extraction);
    let (now, new_hash) = (snapshot.fetched_at, snapshot.clauses_hash.clone());
    let advance = |state: &mut WatchState| advance_state(state, &snapshot);

    let Some(old) = latest else {
        if !ctx.dry_run {
            ws.write_version(&snapshot, &fetched.body, false)?;
            advance(&mut state);
            ws.save_state(&state)?;
        }
        return Ok(Outcome::New {
            version: snapshot.version,
            clauses: snapshot.clauses.len(),
        });
    };

    // Compare with what the current rules make of the stored page, so that a new extractor
    // or edited settings never look like a change of the page.
    let (baseline, rules_changed) = if same_rules(&old) {
        (old.clauses.clone(), false)
    } else {
        let raw = ws.load_raw(old.version)?;
        let again = extract_blocking(pw, raw, old.content_type.clone()).await?;
        (again.clauses, true)
    };
    let changes = ChangeSet::between(&baseline, &extraction.clauses);
    if changes.is_empty() {
        if !ctx.dry_run {
            if rules_changed {
                // Re-baseline silently under the new rules.
                ws.write_version(&snapshot, &fetched.body, false)?;
            }
            advance(&mut state);
            ws.save_state(&state)?;
        }
        return Ok(Outcome::Unchanged {
            why: "no term change".into(),
            version: if rules_changed {
                snapshot.version
            } else {
                old.version
            },
        });
    }

    if let Some(reason) = collapse(&old, &baseline, &extraction, &changes) {
        let seen = match &state.anomaly {
            Some(h) if h.clauses_hash == new_hash => h.count + 1,
            _ => 1,
        };
        if seen < CONFIRM_COLLAPSE {
            if !ctx.dry_run {
                state.anomaly = Some(AnomalyHold {
                    since: state
                        .anomaly
                        .as_ref()
                        .filter(|_| seen > 1)
                        .map_or(now, |h| h.since),
                    count: seen,
                    clauses_hash: new_hash.clone(),
                    reason: reason.clone(),
                });
                ws.save_state(&state)?;
                if seen == ANOMALY_MAIL_AT {
                    let alert = make_alert(
                        watch,
                        AlertKind::Anomaly,
                        &old,
                        None,
                        &new_hash,
                        ChangeSet::default(),
                        Some(reason.clone()),
                    );
                    ws.queue_alert(&alert)?;
                }
            }
            return Ok(Outcome::Anomaly {
                reason,
                version: old.version,
                seen,
            });
        }
        tracing::info!(watch = %watch.name, "collapse confirmed {seen} times; reporting the removal");
    }

    let mut alert = make_alert(
        watch,
        AlertKind::Change,
        &old,
        Some(snapshot.version),
        &new_hash,
        changes.clone(),
        None,
    );
    alert.fetched_at = now;
    if ctx.dry_run {
        return Ok(Outcome::Changed {
            from: old.version,
            to: old.version,
            changes,
            alert: Box::new(alert),
            delivery: Delivery::DryRun,
        });
    }
    // The alert is durable before the snapshot advances: a crash or a dead mail server
    // after this point loses nothing. Re-detecting the same change gives the same id, so
    // it is never queued twice.
    ws.queue_alert(&alert)?;
    ws.write_version(&snapshot, &fetched.body, true)?;
    advance(&mut state);
    ws.save_state(&state)?;
    if let Err(e) = ws.gc(&ctx.retention, false) {
        tracing::warn!(watch = %watch.name, error = %e, "retention cleanup failed");
    }
    // Delivered by `check` after the check is recorded (or by the pass's digest).
    let delivery = Delivery::Deferred;
    Ok(Outcome::Changed {
        from: old.version,
        to: snapshot.version,
        changes,
        alert: Box::new(alert),
        delivery,
    })
}

/// Accepts the page as it is now as the new baseline, without an alert (`rebaseline`).
/// Fails, storing nothing, when the page cannot be fetched or has no main text.
pub async fn rebaseline(ctx: &Context, pw: &PreparedWatch) -> Result<Snapshot, String> {
    let ws = ctx.store.watch(&pw.watch.name);
    let _lock = ws.lock().map_err(|e| e.to_string())?;
    let inner = async {
        let fetched = fetch_page(ctx, pw, &Validators::default(), &mut None).await?;
        let extraction =
            extract_blocking(pw, fetched.body.clone(), fetched.content_type.clone()).await?;
        if extraction.main_text_chars == 0 {
            return Err(CheckError::NoText {
                url: pw.watch.url.to_string(),
            });
        }
        let version = ws.latest()?.map_or(1, |s| s.version + 1);
        let hash = store::sha256_hex(&fetched.body);
        let snapshot = new_snapshot(pw, version, &fetched, hash, &extraction);
        ws.write_version(&snapshot, &fetched.body, true)?;
        let mut state = ws.state()?;
        advance_state(&mut state, &snapshot);
        ws.save_state(&state)?;
        Ok(snapshot)
    };
    inner.await.map_err(|e: CheckError| e.to_string())
}

/// Fetches a watch's page: robots.txt first (unless the watch opts out), then the request.
/// A 2xx or 304 response is returned; other statuses and transport problems are errors.
async fn fetch_page(
    ctx: &Context,
    pw: &PreparedWatch,
    validators: &Validators,
    status: &mut Option<u16>,
) -> Result<Fetched, CheckError> {
    let url = &pw.watch.url;
    if pw.watch.robots && !ctx.fetcher.robots_allowed(url).await {
        return Err(CheckError::Fetch {
            url: url.to_string(),
            source: FetchError::RobotsDisallowed(url.host_str().unwrap_or("").into()),
        });
    }
    let fetched = ctx
        .fetcher
        .fetch(url, validators)
        .await
        .map_err(|source| CheckError::Fetch {
            url: url.to_string(),
            source,
        })?;
    *status = Some(fetched.status);
    if (200..300).contains(&fetched.status) || fetched.not_modified() {
        Ok(fetched)
    } else {
        Err(CheckError::Status {
            status: fetched.status,
            url: url.to_string(),
            retry_after: fetched.retry_after,
        })
    }
}

/// The version a good fetch would store; `content_hash` is the body's SHA-256.
fn new_snapshot(
    pw: &PreparedWatch,
    version: u32,
    fetched: &Fetched,
    content_hash: String,
    extraction: &Extraction,
) -> Snapshot {
    Snapshot {
        format: FORMAT,
        version,
        url: pw.watch.url.to_string(),
        fetched_at: Utc::now(),
        http_status: fetched.status,
        content_type: fetched.content_type.clone(),
        validators: fetched.validators.clone(),
        content_hash,
        clauses_hash: store::clauses_hash(&extraction.clauses),
        extractor_version: extractor_version().into(),
        settings_fingerprint: pw.settings_fingerprint(),
        main_text_chars: extraction.main_text_chars,
        title: extraction.title.clone(),
        clauses: extraction.clauses.clone(),
    }
}

/// A good page was seen: its validators and hash serve the next check's fast paths, and
/// any anomaly hold ends.
fn advance_state(state: &mut WatchState, seen: &Snapshot) {
    state.validators = seen.validators.clone();
    state.content_hash = Some(seen.content_hash.clone());
    state.anomaly = None;
}

async fn extract_blocking(
    pw: &PreparedWatch,
    body: Vec<u8>,
    content_type: Option<String>,
) -> Result<Extraction, CheckError> {
    let extractor = pw.extractor.clone();
    tokio::task::spawn_blocking(move || {
        let html = extract::charset::decode_html(&body, content_type.as_deref());
        extractor.extract(&html)
    })
    .await
    .map_err(|e| CheckError::Join(e.to_string()))
}

/// Whether a new page looks like a broken template rather than an edit: clauses lost and
/// nothing new in their place, with most of the clauses or most of the main text gone at
/// once. One clause of several removed is an ordinary edit and alerts at once; a rewrite
/// that removes many clauses but adds or rewords others is an edit too.
fn collapse(
    old: &Snapshot,
    baseline: &[Clause],
    new: &Extraction,
    changes: &ChangeSet,
) -> Option<String> {
    let lost = changes.removed.len();
    if lost == 0 || !changes.added.is_empty() || !changes.changed.is_empty() {
        return None;
    }
    let (old_n, new_n) = (baseline.len(), new.clauses.len());
    if old.main_text_chars >= 400 && new.main_text_chars * 3 < old.main_text_chars {
        return Some(format!(
            "main text fell from {} to {} characters",
            old.main_text_chars, new.main_text_chars
        ));
    }
    if old_n >= 3 && lost * 2 > old_n {
        return Some(format!(
            "{lost} of {old_n} clauses vanished at once ({new_n} left)"
        ));
    }
    None
}

fn make_alert(
    watch: &Watch,
    kind: AlertKind,
    old: &Snapshot,
    to_version: Option<u32>,
    new_clauses_hash: &str,
    changes: ChangeSet,
    reason: Option<String>,
) -> Alert {
    let kind_word = kind.word();
    let key = format!(
        "{}|{}|{}|{kind_word}",
        watch.name, old.version, new_clauses_hash
    );
    let hash = &store::sha256_hex(key.as_bytes())[..20];
    let id = format!("{}-v{}-{kind_word}-{hash}", watch.name, old.version);
    let now = Utc::now();
    Alert {
        message_id: format!("<{hash}.{kind_word}.{}@clausewatch>", watch.name),
        id,
        kind,
        watch: watch.name.clone(),
        url: watch.url.to_string(),
        created_at: now,
        fetched_at: now,
        from_version: Some(old.version),
        to_version,
        topics: if kind == AlertKind::Change {
            changes.topics()
        } else {
            Vec::new()
        },
        changes,
        reason,
        attempts: 0,
        last_error: None,
        delivered_at: None,
        delivered_via: None,
        digest_id: None,
    }
}

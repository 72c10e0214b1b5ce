//! One check of one watch: fetch → extract → compare with the stored snapshot → alert → store.
//!
//! The rooms: [`check_watch`] (this file) runs one check and hands its alerts to delivery;
//! `decide.rs` is the decision procedure below; `delivery.rs` sends queued alerts (alone or
//! as a pass's digest) and records each attempt; `notices.rs` logs each check and queues the
//! "failing"/"recovered" notices; `outcome.rs` holds the report types.
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

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;

use crate::config::{Retention, Watch};
use crate::extract::{self, Extractor};
use crate::fetch::Fetcher;
use crate::notify::Mailer;
use crate::store::{self, Store, WatchState};

mod decide;
mod delivery;
mod limits;
mod notices;
mod outcome;

pub use decide::{ANOMALY_MAIL_AT, CONFIRM_COLLAPSE, rebaseline};
pub use delivery::{deliver_digest, flush_outbox, send_digests};
pub use limits::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS};
pub use outcome::{CheckReport, Delivery, Outcome};

use decide::{CheckError, decide};
use delivery::{count_in_report, resolve_deferred};
use notices::record_outcome;

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
    pub retention: Retention,
    /// Watch states that could not be written (a full disk), by watch name: the newest
    /// state stays in memory, so failures keep being counted and the "watch failing"
    /// notice still fires in a long-running process.
    pub unsaved_states: Arc<std::sync::Mutex<std::collections::HashMap<String, WatchState>>>,
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

/// The message of a caught panic.
pub fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Test builds only: `CLAUSEWATCH_TEST_PANIC=<watch name>` makes that watch's checks panic,
/// so the fault tests can prove a panic stays inside its check.
fn inject_panic(pw: &PreparedWatch) {
    #[cfg(debug_assertions)]
    if std::env::var("CLAUSEWATCH_TEST_PANIC").is_ok_and(|name| name == pw.watch.name) {
        panic!("injected by CLAUSEWATCH_TEST_PANIC");
    }
    #[cfg(not(debug_assertions))]
    let _ = pw;
}

/// Runs one check of one watch. Never panics on bad input; every problem is an outcome. A
/// panic in the check itself (a bug) is caught and becomes a `failed` outcome, counted like
/// any failure, so one watch can never end a pass or a daemon loop.
/// Alerts are delivered in one place, after the check is recorded: the new alert (if any)
/// and any left from earlier checks, one attempt each, so a dead mail server costs one
/// timeout per alert and check.
pub async fn check_watch(ctx: &Context, pw: &PreparedWatch) -> CheckReport {
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
            let decided = AssertUnwindSafe(async {
                inject_panic(pw);
                decide(ctx, pw, &ws, &mut status).await
            })
            .catch_unwind()
            .await;
            report.outcome =
                match decided.unwrap_or_else(|p| Err(CheckError::Panic(panic_text(&p)))) {
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
                report.consecutive_failures = record_outcome(
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
                        count_in_report(&mut report, alert, delivery);
                    }
                }
                resolve_deferred(&mut report, &ws);
            }
            report.pending_alerts = ws.pending_alerts().map(|p| p.len()).unwrap_or(0);
        }
    }
    report.ms = start.elapsed().as_millis() as u64;
    report
}

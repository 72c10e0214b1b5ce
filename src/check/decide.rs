//! The decision procedure of one check (see the module doc of `check`): fetch, fast paths,
//! extract, compare with what today's rules make of the stored page, hold a collapse, queue
//! the alert before the new version is stored. Also [`rebaseline`], which accepts the page
//! as it is.

use chrono::Utc;

use crate::alert::{Alert, AlertKind};
use crate::config::Watch;
use crate::diff::ChangeSet;
use crate::extract::{self, Clause, Extraction, extractor_version};
use crate::fetch::{Credentials, FetchError, Fetched, Validators};
use crate::store::{
    self, AnomalyHold, FORMAT, Snapshot, StoreError, VersionReason, WatchState, WatchStore,
};

use super::{Context, Delivery, Outcome, PreparedWatch};

/// Checks in a row that must see the same collapsed page before its removals are believed.
pub const CONFIRM_COLLAPSE: u32 = 3;
/// Check of a persisting collapse at which one anomaly mail is sent.
pub const ANOMALY_MAIL_AT: u32 = 2;

/// Errors that end a check as `failed`.
#[derive(Debug, thiserror::Error)]
pub(super) enum CheckError {
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
    #[error("the page is too complex to read safely: {0}; the old snapshot is kept")]
    TooComplex(String),
    #[error("internal error (a bug in clausewatch; please report it): {0}")]
    Panic(String),
    #[error(
        "the password for HTTP Basic auth is not set: environment variable `{var}` (the watch's `password_env`) is missing or not UTF-8"
    )]
    Password { var: String },
}

pub(super) async fn decide(
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
        (Some(s), None) if same_rules(s) && seen_as_latest(&state, s) => state.validators.clone(),
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
        && seen_as_latest(&state, s)
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
    let advance = |state: &mut WatchState, version: u32| advance_state(state, &snapshot, version);

    let Some(old) = latest else {
        if !ctx.dry_run {
            ws.write_version(&snapshot, VersionReason::Baseline, &fetched.body, false)?;
            advance(&mut state, snapshot.version);
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
        (rules_baseline(pw, ws, &old).await?, true)
    };
    let changes = ChangeSet::between(&baseline, &extraction.clauses);
    if changes.is_empty() {
        let version = if rules_changed {
            snapshot.version
        } else {
            old.version
        };
        if !ctx.dry_run {
            if rules_changed {
                // Re-baseline silently under the new rules.
                ws.write_version(&snapshot, VersionReason::RulesUpgrade, &fetched.body, false)?;
            }
            advance(&mut state, version);
            ws.save_state(&state)?;
        }
        return Ok(Outcome::Unchanged {
            why: "no term change".into(),
            version,
        });
    }

    if let Some(reason) = collapse(&old, &baseline, &extraction, &changes)
        && let Some(held) = hold_collapse(ctx, ws, watch, &mut state, &old, &snapshot, reason)?
    {
        return Ok(held);
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
    store_change(ctx, ws, &mut state, &snapshot, &fetched.body, &alert)?;
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

/// Stores a change: the alert is durable before the snapshot advances, so a crash or a
/// dead mail server after this point loses nothing. Re-detecting the same change gives the
/// same id, so it is never queued twice. Then the retention policy runs.
fn store_change(
    ctx: &Context,
    ws: &WatchStore,
    state: &mut WatchState,
    snapshot: &Snapshot,
    body: &[u8],
    alert: &Alert,
) -> Result<(), CheckError> {
    ws.queue_alert(alert)?;
    ws.write_version(snapshot, VersionReason::Change, body, true)?;
    advance_state(state, snapshot, snapshot.version);
    ws.save_state(state)?;
    if let Err(e) = ws.gc(&ctx.retention, false) {
        tracing::warn!(watch = %alert.watch, error = %e, "retention cleanup failed");
    }
    Ok(())
}

/// A collapsed page is held, not believed: the hold is counted in the state (an anomaly
/// notice is queued at [`ANOMALY_MAIL_AT`]) and `Some(Outcome::Anomaly)` returned, until
/// [`CONFIRM_COLLAPSE`] checks in a row saw the same page (`seen_page`, not stored); then
/// `None`: the removal is reported.
fn hold_collapse(
    ctx: &Context,
    ws: &WatchStore,
    watch: &Watch,
    state: &mut WatchState,
    old: &Snapshot,
    seen_page: &Snapshot,
    reason: String,
) -> Result<Option<Outcome>, CheckError> {
    let (now, new_hash) = (seen_page.fetched_at, seen_page.clauses_hash.as_str());
    let seen = match &state.anomaly {
        Some(h) if h.clauses_hash == new_hash => h.count + 1,
        _ => 1,
    };
    if seen >= CONFIRM_COLLAPSE {
        tracing::info!(watch = %watch.name, "collapse confirmed {seen} times; reporting the removal");
        return Ok(None);
    }
    if !ctx.dry_run {
        state.anomaly = Some(AnomalyHold {
            since: state
                .anomaly
                .as_ref()
                .filter(|_| seen > 1)
                .map_or(now, |h| h.since),
            count: seen,
            clauses_hash: new_hash.to_string(),
            reason: reason.clone(),
        });
        ws.save_state(state)?;
        if seen == ANOMALY_MAIL_AT {
            let alert = make_alert(
                watch,
                AlertKind::Anomaly,
                old,
                None,
                new_hash,
                ChangeSet::default(),
                Some(reason.clone()),
            );
            ws.queue_alert(&alert)?;
        }
    }
    Ok(Some(Outcome::Anomaly {
        reason,
        version: old.version,
        seen,
    }))
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
        ws.write_version(&snapshot, VersionReason::Rebaseline, &fetched.body, true)?;
        let mut state = ws.state()?;
        advance_state(&mut state, &snapshot, snapshot.version);
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
    let robots_cache = ctx.store.robots_cache(ctx.dry_run);
    if pw.watch.robots && !ctx.fetcher.robots_allowed(url, &robots_cache).await {
        return Err(CheckError::Fetch {
            url: url.to_string(),
            source: FetchError::RobotsDisallowed(url.host_str().unwrap_or("").into()),
        });
    }
    let credentials = match &pw.watch.auth {
        None => None,
        Some(a) => Some(Credentials {
            username: a.username.clone(),
            password: std::env::var(&a.password_env).map_err(|_| CheckError::Password {
                var: a.password_env.clone(),
            })?,
        }),
    };
    let fetched = ctx
        .fetcher
        .fetch_as(url, validators, credentials.as_ref())
        .await
        .map_err(|source| CheckError::Fetch {
            url: url.to_string(),
            source,
        })?;
    *status = Some(fetched.status);
    // 206 Partial Content is a piece of a page, never the page: not compared, not stored.
    if (200..300).contains(&fetched.status) && fetched.status != 206 || fetched.not_modified() {
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
        reason: None,
    }
}

/// Whether the state's validators and hash (of the last good page) stand for version `s`:
/// that page was found equal to it. Not after the version it was found equal to was
/// quarantined, so the fast paths never compare against a version that is gone.
fn seen_as_latest(state: &WatchState, s: &Snapshot) -> bool {
    state.content_version == Some(s.version)
        || state.content_hash.as_deref() == Some(s.content_hash.as_str())
}

/// A good page was seen and found equal to stored `version`: its validators and hash
/// serve the next check's fast paths, and any anomaly hold ends.
fn advance_state(state: &mut WatchState, seen: &Snapshot, version: u32) {
    state.validators = seen.validators.clone();
    state.content_hash = Some(seen.content_hash.clone());
    state.content_version = Some(version);
    state.anomaly = None;
}

/// What today's rules make of a version stored under other rules: its raw page read again.
/// A raw page that cannot be read (corrupt, missing) is quarantined with a warning and the
/// stored clauses are used instead, kept to the watch's topics, so the watch goes on.
async fn rules_baseline(
    pw: &PreparedWatch,
    ws: &WatchStore,
    old: &Snapshot,
) -> Result<Vec<Clause>, CheckError> {
    match ws.load_raw(old.version) {
        Ok(raw) => Ok(extract_blocking(pw, raw, old.content_type.clone())
            .await?
            .clauses),
        Err(e) => {
            ws.quarantine_raw(old.version, &e.to_string())?;
            let topics = &pw.watch.topics;
            Ok(old
                .clauses
                .iter()
                .filter_map(|c| {
                    let mut c = c.clone();
                    c.topics.retain(|t| topics.contains(t));
                    (!c.topics.is_empty()).then_some(c)
                })
                .collect())
        }
    }
}

async fn extract_blocking(
    pw: &PreparedWatch,
    body: Vec<u8>,
    content_type: Option<String>,
) -> Result<Extraction, CheckError> {
    let extractor = pw.extractor.clone();
    tokio::task::spawn_blocking(move || {
        let html = extract::charset::decode_html(&body, content_type.as_deref());
        // Bounded work: a page over a fixed bound is refused before it is parsed.
        match super::limits::over_limit(&html) {
            Some(reason) => Err(CheckError::TooComplex(reason)),
            None => Ok(extractor.extract(&html)),
        }
    })
    .await
    .map_err(|e| CheckError::Join(e.to_string()))?
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

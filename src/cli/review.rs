//! Reading the store by hand: `diff`, `history`, `show`, `status`. Read-only: nothing
//! here fetches, mails or moves a file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::{EXIT_OK, checked_name, load, store_for};
use crate::diff::ChangeSet;
use crate::store::Store;
use crate::{render, report};

/// How `diff` shows its result.
pub(super) struct DiffArgs<'a> {
    pub(super) from: Option<u32>,
    pub(super) to: Option<u32>,
    pub(super) json: bool,
    pub(super) html: Option<&'a Path>,
    pub(super) side_by_side: bool,
    pub(super) color: bool,
}

pub(super) fn diff_cmd(path: &Path, name: &str, args: DiffArgs<'_>) -> anyhow::Result<u8> {
    let DiffArgs {
        from,
        to,
        json,
        html,
        side_by_side,
        color,
    } = args;
    let ws = store_for(path)?.watch_read_only(checked_name(name)?);
    let versions = ws.versions()?;
    let Some(&latest) = versions.last() else {
        bail!("watch `{name}` has no stored versions yet; run `clausewatch check` first");
    };
    let to = to.unwrap_or(latest);
    let from = match from {
        Some(f) => f,
        None => match versions.iter().rev().find(|&&v| v < to) {
            Some(&v) => v,
            None => {
                println!("{name} has only its baseline (version {to}); nothing to diff yet");
                return Ok(EXIT_OK);
            }
        },
    };
    let (a, b) = (ws.load(from)?, ws.load(to)?);
    let changes = ChangeSet::between(&a.clauses, &b.clauses);
    let time = |s: &crate::store::Snapshot| {
        s.fetched_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    if let Some(file) = html {
        let title = format!(
            "{name}: {} changed",
            crate::alert::topic_list(&changes.topics())
        );
        let meta = [
            ("Page", b.url.clone()),
            ("From", format!("version {from}, fetched {}", time(&a))),
            ("To", format!("version {to}, fetched {}", time(&b))),
        ];
        std::fs::write(file, render::html_report(&title, &meta, &changes))
            .with_context(|| format!("writing {}", file.display()))?;
        eprintln!("HTML report written to {}", file.display());
    }
    let mut out = anstream::stdout();
    if json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({
                "watch": name, "url": b.url, "from": from, "to": to,
                "from_fetched_at": a.fetched_at, "to_fetched_at": b.fetched_at,
                "to_reason": b.reason,
                "topics": changes.topics(), "changes": changes,
            }),
        )?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{name}: version {from} ({}) -> {to} ({})\n{}\n",
            a.fetched_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            b.fetched_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            b.url
        )?;
        if let Some(r) = b
            .reason
            .filter(|r| *r != crate::store::VersionReason::Change)
        {
            writeln!(
                out,
                "version {to} was written as: {}; no alert was sent for it\n",
                r.describe()
            )?;
        }
        if side_by_side {
            let width = terminal_width().saturating_sub(3) / 2;
            write!(
                out,
                "{}",
                render::render_side_by_side(&changes, width, color)
            )?;
        } else {
            write!(out, "{}", render::render_changes(&changes, color))?;
        }
    }
    Ok(EXIT_OK)
}

/// Columns available on stdout: `COLUMNS` when set, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

pub(super) fn history_cmd(path: &Path, name: &str, json: bool) -> anyhow::Result<u8> {
    let ws = store_for(path)?.watch_read_only(checked_name(name)?);
    // An unreadable version is named and skipped: the rest of the history still helps.
    let snapshots: Vec<_> = ws
        .versions()?
        .into_iter()
        .filter_map(|v| {
            ws.load(v)
                .map_err(|e| eprintln!("warning: skipping version {v}: {e}"))
                .ok()
        })
        .collect();
    if snapshots.is_empty() {
        bail!("watch `{name}` has no stored versions yet; run `clausewatch check` first");
    }
    let entries = report::history(&snapshots);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &entries)?;
        writeln!(out)?;
    } else {
        for e in &entries {
            writeln!(out, "{}", report::history_line(e))?;
        }
        let (logged, last) = ws.fetch_log_summary()?;
        if let Some(last) = last {
            writeln!(
                out,
                "{} fetches logged; last {} at {}",
                logged,
                last.outcome,
                last.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )?;
        }
    }
    Ok(EXIT_OK)
}

pub(super) fn show_cmd(
    path: &Path,
    name: &str,
    version: Option<u32>,
    json: bool,
) -> anyhow::Result<u8> {
    let ws = store_for(path)?.watch_read_only(checked_name(name)?);
    let snapshot = match version {
        Some(v) => ws.load(v)?,
        None => ws.latest()?.with_context(|| {
            format!("watch `{name}` has no stored versions yet; run `clausewatch check` first")
        })?,
    };
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = serde_json::to_value(&snapshot)?;
        v["clauses"] = snapshot.clauses.iter().map(render::clause_json).collect();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{name} version {} fetched {} from {}",
            snapshot.version,
            snapshot
                .fetched_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            snapshot.url
        )?;
        for c in &snapshot.clauses {
            writeln!(out, "{}", report::clause_with_terms(c))?;
        }
    }
    Ok(EXIT_OK)
}

pub(super) fn status_cmd(path: &Path, json: bool) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let store = Store::open(&wl.settings.snapshots)?;
    let mut rows = Vec::new();
    for w in &wl.watches {
        let ws = store.watch_read_only(&w.name);
        let state = ws.state()?;
        let next_due = state.last_check.map(|t| match &w.cron {
            Some(cron) => cron.find_next_occurrence(&t, false).unwrap_or(t),
            None => crate::config::time_after(t, w.interval),
        });
        rows.push(serde_json::json!({
            "watch": w.name,
            "url": w.url.as_str(),
            "versions": ws.versions()?.len(),
            "last_check": state.last_check,
            "last_outcome": state.last_outcome,
            "next_due": next_due,
            "consecutive_failures": state.consecutive_failures,
            "anomaly": state.anomaly,
            "pending_alerts": ws.pending_alerts()?.len(),
        }));
    }
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    for r in &rows {
        let s = |k: &str| r[k].as_str().unwrap_or("-").to_string();
        writeln!(
            out,
            "{:<28} last {} {:<9} next {}  versions {}  failures {}  pending alerts {}{}",
            s("watch"),
            s("last_check"),
            s("last_outcome"),
            s("next_due"),
            r["versions"],
            r["consecutive_failures"],
            r["pending_alerts"],
            if r["anomaly"].is_null() {
                ""
            } else {
                "  ANOMALY HELD"
            }
        )?;
    }
    Ok(EXIT_OK)
}

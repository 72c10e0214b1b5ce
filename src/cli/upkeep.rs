//! Looking after the store: `outbox` (list or retry queued alerts), `gc` (retention),
//! `rebaseline` (accept a page as it is, without an alert).

use std::io::Write;
use std::path::Path;

use super::{EXIT_OK, EXIT_WATCH_FAILED, context, load, prepare};
use crate::store::Store;

pub(super) async fn outbox_cmd(path: &Path, retry: bool, json: bool) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let ctx = context(&wl, false, true)?;
    if retry && ctx.defer_delivery {
        // Digest mode: retry as digests, so an interrupted digest goes again whole.
        let names: Vec<String> = wl.watches.iter().map(|w| w.name.clone()).collect();
        let results = crate::check::send_digests(&ctx, &names).await;
        let sent = results
            .iter()
            .filter(|(_, d)| *d == crate::check::Delivery::Sent)
            .count();
        eprintln!("{sent} alert(s) delivered");
    }
    let mut pending = Vec::new();
    for w in &wl.watches {
        let ws = ctx.store.watch(&w.name);
        if retry && !ctx.defer_delivery && !ws.pending_alerts()?.is_empty() {
            let Ok(_lock) = ws.lock() else {
                eprintln!("{}: locked by another clausewatch process; skipped", w.name);
                pending.extend(ws.pending_alerts()?);
                continue;
            };
            let sent = crate::check::flush_outbox(&ctx, &ws)
                .await
                .iter()
                .filter(|(_, d)| *d == crate::check::Delivery::Sent)
                .count();
            eprintln!("{}: {sent} alert(s) delivered", w.name);
        }
        pending.extend(ws.pending_alerts()?);
    }
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &pending)?;
        writeln!(out)?;
    } else if pending.is_empty() {
        writeln!(out, "outbox empty: every alert was delivered")?;
    } else {
        for a in &pending {
            writeln!(
                out,
                "pending {} {}  attempts {}  last error: {}",
                a.watch,
                a.subject(),
                a.attempts,
                a.last_error.as_deref().unwrap_or("-")
            )?;
        }
    }
    Ok(if pending.is_empty() {
        EXIT_OK
    } else {
        EXIT_WATCH_FAILED
    })
}

/// `rebaseline`: the page as it is now becomes the baseline, without an alert.
pub(super) async fn rebaseline_cmd(path: &Path, name: &str) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let ctx = context(&wl, false, false)?;
    let pw = prepare(&wl, &[name.to_string()])?.remove(0);
    match crate::check::rebaseline(&ctx, &pw).await {
        Ok(s) => {
            println!(
                "rebaselined {name}: version {} with {} clauses; no alert",
                s.version,
                s.clauses.len()
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            println!("failed {name} {e}");
            Ok(EXIT_WATCH_FAILED)
        }
    }
}

/// `gc`: applies the retention settings to every watch not locked by another process.
pub(super) fn gc_cmd(path: &Path, dry_run: bool) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let store = Store::open(&wl.settings.snapshots)?;
    let mut total = crate::store::GcReport::default();
    for w in &wl.watches {
        let ws = store.watch(&w.name);
        if !ws.exists() {
            continue;
        }
        let Ok(_lock) = ws.lock() else {
            eprintln!("{}: locked by another clausewatch process; skipped", w.name);
            continue;
        };
        let r = ws.gc(&wl.settings.retention, dry_run)?;
        total.versions += r.versions;
        total.raw_pages += r.raw_pages;
        total.alerts += r.alerts;
        total.bytes += r.bytes;
    }
    println!(
        "{}{} versions, {} raw pages, {} delivered alerts, {} KiB",
        if dry_run { "would remove " } else { "removed " },
        total.versions,
        total.raw_pages,
        total.alerts,
        total.bytes / 1024
    );
    Ok(EXIT_OK)
}

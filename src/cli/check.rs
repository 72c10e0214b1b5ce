//! `check` (one pass now) and `run` (the daemon until a signal).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::bail;
use tokio_util::sync::CancellationToken;

use super::{EXIT_OK, context, exit_code, load, prepare};
use crate::check::{CheckReport, Outcome};
use crate::{report, schedule};

pub(super) async fn check_cmd(
    path: &Path,
    only: &[String],
    json: bool,
    dry_run: bool,
    jobs: Option<usize>,
) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let ctx = context(&wl, dry_run, true)?;
    let watches = prepare(&wl, only)?;
    let jobs = jobs.unwrap_or(wl.settings.jobs);
    // A progress bar only for a person watching a long pass; never when piped or logged.
    let progress = if std::io::stderr().is_terminal() && watches.len() > 1 {
        let bar = indicatif::ProgressBar::new(watches.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} watches checked {msg}")
                .expect("valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut reports = schedule::check_all(&ctx, &watches, jobs, |r| {
        log_report(r);
        progress.inc(1);
    })
    .await;
    if ctx.defer_delivery {
        crate::check::deliver_digest(&ctx, &mut reports).await;
    }
    progress.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for r in &reports {
            writeln!(out, "{}", report::check_line(r))?;
            // Without [email], alerts and notices go to stdout (and the store).
            for alert in &r.printed {
                write!(out, "{}", printed_alert(alert))?;
            }
        }
    }
    Ok(exit_code(&reports))
}

/// An alert delivered to stdout (no `[email]`): subject and text body, indented, control
/// characters escaped.
fn printed_alert(alert: &crate::alert::Alert) -> String {
    let mut text = format!("    Subject: {}\n", alert.subject());
    for line in alert.text_body().lines() {
        text.push_str(&format!("    {line}\n"));
    }
    crate::render::escape_controls(&text).into_owned()
}

fn log_report(r: &CheckReport) {
    match &r.outcome {
        Outcome::Failed { reason } => tracing::warn!(watch = %r.watch, %reason, "check failed"),
        Outcome::Anomaly { reason, .. } => {
            tracing::warn!(watch = %r.watch, %reason, "page anomaly: terms held")
        }
        o => tracing::info!(watch = %r.watch, outcome = o.word(), ms = r.ms, "checked"),
    }
}

pub(super) async fn daemon_cmd(
    path: &Path,
    seed: u64,
    grace: std::time::Duration,
) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let ctx = context(&wl, false, false)?;
    let watches = prepare(&wl, &[])?;
    if watches.is_empty() {
        bail!("{} has no [[watch]]; add one to run", path.display());
    }
    let shutdown = CancellationToken::new();
    {
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutdown requested; finishing checks in flight");
            shutdown.cancel();
        });
    }
    tracing::info!(watches = watches.len(), "clausewatch daemon started");
    let on_report: Arc<dyn Fn(&CheckReport) + Send + Sync> = Arc::new(|r: &CheckReport| {
        log_report(r);
        // Without [email], the alert text goes to stdout, as `check` prints it.
        let mut text = format!("{}\n", report::check_line(r));
        for alert in &r.printed {
            text.push_str(&printed_alert(alert));
        }
        print!("{text}");
    });
    let daemon = schedule::run_daemon(
        ctx,
        watches,
        wl.settings.jobs,
        shutdown.clone(),
        seed,
        on_report,
    );
    tokio::pin!(daemon);
    tokio::select! {
        _ = &mut daemon => {}
        _ = shutdown.cancelled() => {
            if tokio::time::timeout(grace, &mut daemon).await.is_err() {
                tracing::warn!(?grace, "grace period over; exiting with checks still in flight");
            }
        }
    }
    tracing::info!("clausewatch daemon stopped");
    Ok(EXIT_OK)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

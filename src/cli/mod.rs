//! The command line: argument parsing (clap, `args.rs`), logging setup, and one function
//! per command: `check.rs` (check, run), `extract.rs`, `review.rs` (diff, history, show,
//! status), `upkeep.rs` (outbox, gc, rebaseline), `validate.rs`, `demo.rs`.
//!
//! Owns: what users type and see: stdout for command output (one JSON document with
//! `--json`), stderr for logs and diagnostics, and the exit codes below. Errors become
//! `anyhow` here, at the edge; everything underneath uses typed errors.
//!
//! Exit codes: 0 success; 1 the pass ran but a watch failed or an alert is waiting in the
//! outbox; 2 unusable watchlist, store or arguments; 3 no failure, but a page is held as an
//! anomaly.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context as _, bail};
use clap::{CommandFactory, Parser};

use crate::check::{CheckReport, Context, Outcome, PreparedWatch};
use crate::config::{self, Watchlist};
use crate::fetch::Fetcher;
use crate::notify::Mailer;
use crate::store::Store;

mod args;
mod check;
mod classify;
mod demo;
mod extract;
mod review;
mod upkeep;
mod validate;

pub use args::Cli;

use args::{ColorChoice, Command, LogFormat, OutboxAction};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the pass ran but some watch failed (or an alert waits in the outbox).
pub const EXIT_WATCH_FAILED: u8 = 1;
/// Exit code: unusable watchlist, store or arguments.
pub const EXIT_UNUSABLE: u8 = 2;
/// Exit code: no failure, but a page is held as an anomaly.
pub const EXIT_ANOMALY: u8 = 3;

/// Parses the command line and runs it; returns the process exit code.
pub fn main() -> u8 {
    let cli = Cli::parse();
    init_logging(&cli);
    match cli.color {
        ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
        ColorChoice::Auto => {}
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let code = match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<crate::fetch::FetchError>().is_some() {
                EXIT_WATCH_FAILED
            } else {
                EXIT_UNUSABLE
            }
        }
    };
    // Every command has finished its work here (the daemon after its grace period): an
    // extraction still running on a blocking thread must not hold the exit, as dropping the
    // runtime would.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Human => builder
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .init(),
    }
}

/// Whether stdout gets colors.
fn color_stdout(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    let color = color_stdout(cli.color);
    match cli.command {
        Command::Check {
            config,
            watches,
            json,
            dry_run,
            jobs,
        } => check::check_cmd(&config.config, &watches, json, dry_run, jobs).await,
        Command::Run {
            config,
            seed,
            grace,
        } => check::daemon_cmd(&config.config, seed, grace).await,
        Command::Extract {
            source,
            json,
            explain,
            text,
            select,
            topics,
        } => extract::extract_cmd(&source, json, explain, text, select, &topics).await,
        Command::Classify {
            texts,
            json,
            config,
            rules,
        } => classify::classify_cmd(&texts, json, config.as_deref(), rules.as_deref()),
        Command::Diff {
            name,
            config,
            from,
            to,
            json,
            html,
            side_by_side,
        } => review::diff_cmd(
            &config.config,
            &name,
            review::DiffArgs {
                from,
                to,
                json,
                html: html.as_deref(),
                side_by_side,
                color,
            },
        ),
        Command::History { name, config, json } => review::history_cmd(&config.config, &name, json),
        Command::Show {
            name,
            version,
            config,
            json,
        } => review::show_cmd(&config.config, &name, version, json),
        Command::Validate { config, json } => validate::validate_cmd(&config.config, json),
        Command::Rebaseline { name, config } => upkeep::rebaseline_cmd(&config.config, &name).await,
        Command::Status { config, json } => review::status_cmd(&config.config, json),
        Command::Gc { config, dry_run } => upkeep::gc_cmd(&config.config, dry_run),
        Command::Outbox {
            action,
            config,
            json,
        } => upkeep::outbox_cmd(&config.config, action == OutboxAction::Retry, json).await,
        Command::Demo { dir } => demo::demo_cmd(dir, color).await,
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "clausewatch",
                &mut std::io::stdout(),
            );
            Ok(EXIT_OK)
        }
    }
}

fn load(path: &Path) -> anyhow::Result<Watchlist> {
    Ok(config::load(path)?)
}

/// Builds the shared check context from a watchlist.
/// `defer_delivery` holds alerts for one digest mail per pass when `[email] mode` is digest.
pub fn context(wl: &Watchlist, dry_run: bool, defer_delivery: bool) -> anyhow::Result<Context> {
    let store = Store::open(&wl.settings.snapshots).with_context(|| {
        format!(
            "opening the snapshot store {} (settings.snapshots)",
            wl.settings.snapshots.display()
        )
    })?;
    Ok(Context {
        store,
        fetcher: fetcher(wl)?,
        mailer: match &wl.email {
            Some(e) if !dry_run => Some(Mailer::new(e)?),
            _ => None,
        },
        dry_run,
        defer_delivery: defer_delivery && wl.email.as_ref().is_some_and(|e| e.digest),
        failure_alert_after: wl.settings.failure_alert_after,
        retention: wl.settings.retention.clone(),
        unsaved_states: Default::default(),
    })
}

fn fetcher(wl: &Watchlist) -> anyhow::Result<Fetcher> {
    Ok(Fetcher::new(wl.settings.fetch_settings())?)
}

fn prepare(wl: &Watchlist, only: &[String]) -> anyhow::Result<Vec<PreparedWatch>> {
    for name in only {
        if !wl.watches.iter().any(|w| &w.name == name) {
            bail!(
                "no watch named `{name}` in {}; `clausewatch validate` lists the watches",
                wl.path.display()
            );
        }
    }
    let chosen = wl
        .watches
        .iter()
        .filter(|w| only.is_empty() || only.contains(&w.name))
        .cloned()
        .collect();
    Ok(PreparedWatch::prepare_all(chosen)?)
}

fn exit_code(reports: &[CheckReport]) -> u8 {
    if reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Failed { .. }) || r.pending_alerts > 0)
    {
        EXIT_WATCH_FAILED
    } else if reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Anomaly { .. }))
    {
        EXIT_ANOMALY
    } else {
        EXIT_OK
    }
}

/// A watch name typed on the command line, refused unless it names a folder inside the
/// store (`../x`, `/tmp/x` and reserved names never reach the file system).
fn checked_name(name: &str) -> anyhow::Result<&str> {
    config::validate_name(name).map_err(|m| anyhow::anyhow!("watch name {m}"))?;
    Ok(name)
}

fn store_for(path: &Path) -> anyhow::Result<Store> {
    let wl = load(path)?;
    Ok(Store::open(&wl.settings.snapshots)?)
}

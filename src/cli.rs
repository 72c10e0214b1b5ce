//! The command line: argument parsing (clap), logging setup, and one function per command.
//!
//! Owns: what users type and see: stdout for command output (one JSON document with
//! `--json`), stderr for logs and diagnostics, and the exit codes below. Errors become
//! `anyhow` here, at the edge; everything underneath uses typed errors.
//!
//! Exit codes: 0 success; 1 the pass ran but a watch failed or an alert is waiting in the
//! outbox; 2 unusable watchlist, store or arguments; 3 no failure, but a page is held as an
//! anomaly.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

use crate::config::{self, Watchlist};
use crate::diff::ChangeSet;
use crate::extract::{self, ExtractOptions, Extractor, Topic};
use crate::fetch::{FetchSettings, Fetcher, Validators};
use crate::notify::Mailer;
use crate::pipeline::{CheckReport, Context, Outcome, PreparedWatch};
use crate::store::Store;
use crate::{demo, report, schedule};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the pass ran but some watch failed (or an alert waits in the outbox).
pub const EXIT_WATCH_FAILED: u8 = 1;
/// Exit code: unusable watchlist, store or arguments.
pub const EXIT_UNUSABLE: u8 = 2;
/// Exit code: no failure, but a page is held as an anomaly.
pub const EXIT_ANOMALY: u8 = 3;

const AFTER_HELP: &str = "\
Exit codes: 0 ok; 1 a watch failed or an alert is queued for retry; 2 unusable watchlist,
store or arguments; 3 a page is held as an anomaly (broken page, terms kept).

Examples:
  clausewatch demo                         # the whole pipeline offline, in one command
  clausewatch validate                     # check watchlist.toml
  clausewatch check                        # check every watch now
  clausewatch extract page.html --json     # what would be stored for a page
  clausewatch diff microsoft-openai        # review the latest change";

/// Watches announcement pages and alerts by e-mail when exclusivity, cloud or revenue-share
/// terms change.
#[derive(Parser, Debug)]
#[command(name = "clausewatch", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    log_format: LogFormat,
    /// When to use colors: auto (terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum LogFormat {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
enum OutboxAction {
    /// List pending and failed alerts.
    List,
    /// Try to deliver every pending alert now.
    Retry,
}

#[derive(Args, Debug, Clone)]
struct ConfigArg {
    /// The watchlist file.
    #[arg(
        short,
        long,
        default_value = "watchlist.toml",
        env = "CLAUSEWATCH_CONFIG"
    )]
    config: PathBuf,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check every watch (or the named ones) once, now, then exit.
    #[command(after_help = "\
Prints one line per watch: <outcome> <name> <details>, outcome one of new, unchanged,
changed, anomaly, failed. Exit codes: 0 all checked; 1 some watch failed or an alert waits
in the outbox; 2 unusable watchlist or store; 3 a page is held as an anomaly.

Examples:
  clausewatch check
  clausewatch check --config /etc/clausewatch/watchlist.toml --watch microsoft-openai
  clausewatch check --json | jq '.[] | select(.outcome == \"changed\")'")]
    Check {
        #[command(flatten)]
        config: ConfigArg,
        /// Only this watch (repeatable).
        #[arg(short, long = "watch", value_name = "NAME")]
        watches: Vec<String>,
        /// Print a JSON array of reports instead of lines.
        #[arg(long)]
        json: bool,
        /// Fetch and compare, but send no mail and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Watches checked at once (default: settings.jobs).
        #[arg(short, long)]
        jobs: Option<usize>,
    },
    /// Run as a daemon: check each watch at its interval until SIGINT or SIGTERM.
    #[command(after_help = "\
The first check of every watch runs at start. On SIGINT/SIGTERM no new check starts;
checks in flight finish, then the process exits 0.

Examples:
  clausewatch run
  clausewatch run --config /etc/clausewatch/watchlist.toml --log-format json")]
    Run {
        #[command(flatten)]
        config: ConfigArg,
        /// Seed for the interval jitter (reproducible schedules).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// After SIGINT/SIGTERM, how long checks in flight may take before the process exits
        /// anyway (their writes are atomic, so nothing is half-written).
        #[arg(long, default_value = "30s", value_parser = parse_grace)]
        grace: std::time::Duration,
    },
    /// Show the clauses that would be stored for a page (URL or file).
    #[command(after_help = "\
Examples:
  clausewatch extract saved-page.html
  clausewatch extract https://example.com/news/deal --json
  clausewatch extract page.html --select 'article .body' --topic exclusivity
  clausewatch extract page.html --explain          # why each block and sentence counts or not")]
    Extract {
        /// An http(s) URL or a file path.
        source: String,
        /// Print {\"clauses\":[{\"topics\":[…],\"text\":\"…\",\"terms\":{…}}]}.
        #[arg(long)]
        json: bool,
        /// Show why each block was kept or dropped and which rule tagged each sentence.
        #[arg(long)]
        explain: bool,
        /// CSS selector of the article container (default: detected).
        #[arg(long)]
        select: Option<String>,
        /// Only these topics (repeatable; default all).
        #[arg(long = "topic", value_name = "TOPIC")]
        topics: Vec<String>,
    },
    /// Tag sentences with topics: each input line is one unit, and gives one output line.
    #[command(after_help = "\
Each TEXT (or, without TEXT, each line of stdin) is classified as one unit, never split into
sentences, and gives exactly one output line, in input order: its topics (`-` for none),
the rules that fired with the cue words that let them run, rules stopped by a veto, and the
terms read from it. Use it to see why a sentence is (not) a clause, and to try a custom
topic before adding it to the watchlist.

With --json, one object per line:
  {\"text\":…, \"topics\":[…], \"rules\":[{\"topic\",\"rule\",\"cues\"}], \"vetoed\":[…], \"terms\":{…}}

Examples:
  clausewatch classify 'Globex will be the sole cloud provider for Acme until 2030.'
  printf '%s\\n' 'Acme keeps 30% of every sale.' 'Exclusive: Acme hires a CFO.' | clausewatch classify --json
  clausewatch classify --config watchlist.toml < sentences.txt   # with its [topics.<name>]")]
    Classify {
        /// Texts to classify (default: one per line on stdin).
        texts: Vec<String>,
        /// Print one JSON object per input line.
        #[arg(long)]
        json: bool,
        /// Also apply this watchlist's custom topics (`[topics.<name>]`).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Use this rule file instead of the built-in rules (same format as
        /// src/extract/rules/builtin.toml), to try rule changes without a rebuild.
        #[arg(long, value_name = "FILE", hide = true)]
        rules: Option<PathBuf>,
    },
    /// Show a watch's latest change (or between two versions) as a clause diff.
    #[command(after_help = "\
Examples:
  clausewatch diff microsoft-openai
  clausewatch diff microsoft-openai --from 2 --to 5
  clausewatch diff microsoft-openai --side-by-side
  clausewatch diff microsoft-openai --json
  clausewatch diff microsoft-openai --html change.html   # to forward to a colleague")]
    Diff {
        /// The watch.
        name: String,
        #[command(flatten)]
        config: ConfigArg,
        /// Older version (default: the one before --to).
        #[arg(long)]
        from: Option<u32>,
        /// Newer version (default: the latest).
        #[arg(long)]
        to: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Also write a self-contained HTML report to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Old and new clause in two columns instead of inline marks.
        #[arg(long)]
        side_by_side: bool,
    },
    /// List a watch's stored versions with what changed in each.
    #[command(
        after_help = "Examples:\n  clausewatch history microsoft-openai\n  clausewatch history microsoft-openai --json"
    )]
    History {
        /// The watch.
        name: String,
        #[command(flatten)]
        config: ConfigArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a stored version's clauses (default: the latest).
    #[command(
        after_help = "Examples:\n  clausewatch show microsoft-openai\n  clausewatch show microsoft-openai 3 --json"
    )]
    Show {
        /// The watch.
        name: String,
        /// Version number.
        version: Option<u32>,
        #[command(flatten)]
        config: ConfigArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Accept the page as it is now as the new baseline of a watch, without an alert.
    #[command(after_help = "\
Use it after reviewing a change you do not want compared against, or to end an anomaly hold
at once. Examples:
  clausewatch rebaseline microsoft-openai")]
    Rebaseline {
        /// The watch.
        name: String,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Per watch: last check, outcome, next due, failures in a row, alerts waiting.
    #[command(after_help = "Examples:\n  clausewatch status\n  clausewatch status --json")]
    Status {
        #[command(flatten)]
        config: ConfigArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List alerts waiting in the outbox; `outbox retry` tries to send them now.
    #[command(after_help = "Examples:\n  clausewatch outbox\n  clausewatch outbox retry")]
    Outbox {
        /// `list` (default) or `retry`.
        #[arg(value_enum, default_value_t = OutboxAction::List)]
        action: OutboxAction,
        #[command(flatten)]
        config: ConfigArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply the retention settings (keep_versions, keep_raw_pages, keep_days) to every watch.
    #[command(after_help = "\
Never removes a watch's newest version, its raw page, or an alert not yet delivered.
Examples:
  clausewatch gc --dry-run
  clausewatch gc")]
    Gc {
        #[command(flatten)]
        config: ConfigArg,
        /// Report what would be removed, remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check the watchlist and print every problem with its line and key.
    #[command(
        after_help = "Examples:\n  clausewatch validate\n  clausewatch validate --config other.toml"
    )]
    Validate {
        #[command(flatten)]
        config: ConfigArg,
        /// Print {\"ok\":…,\"problems\":[{\"line\",\"key\",\"message\"}],\"watches\":[…]}.
        #[arg(long)]
        json: bool,
    },
    /// The whole pipeline offline: built-in pages, a loopback web server and mail sink.
    #[command(
        after_help = "Examples:\n  clausewatch demo\n  clausewatch demo --dir demo-state   # keep the snapshots to explore"
    )]
    Demo {
        /// Keep the demo's watchlist and snapshots in this folder (default: a temp folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  clausewatch completions bash > /etc/bash_completion.d/clausewatch"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

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
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<crate::fetch::FetchError>().is_some() {
                EXIT_WATCH_FAILED
            } else {
                EXIT_UNUSABLE
            }
        }
    }
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
        } => check(&config.config, &watches, json, dry_run, jobs).await,
        Command::Run {
            config,
            seed,
            grace,
        } => run(&config.config, seed, grace).await,
        Command::Extract {
            source,
            json,
            explain,
            select,
            topics,
        } => extract_cmd(&source, json, explain, select, &topics).await,
        Command::Classify {
            texts,
            json,
            config,
            rules,
        } => classify_cmd(&texts, json, config.as_deref(), rules.as_deref()),
        Command::Diff {
            name,
            config,
            from,
            to,
            json,
            html,
            side_by_side,
        } => diff_cmd(
            &config.config,
            &name,
            DiffArgs {
                from,
                to,
                json,
                html: html.as_deref(),
                side_by_side,
                color,
            },
        ),
        Command::History { name, config, json } => history_cmd(&config.config, &name, json),
        Command::Show {
            name,
            version,
            config,
            json,
        } => show_cmd(&config.config, &name, version, json),
        Command::Validate { config, json } => validate(&config.config, json),
        Command::Rebaseline { name, config } => {
            let wl = load(&config.config)?;
            let ctx = context(&wl, false, false)?;
            let pw = prepare(&wl, std::slice::from_ref(&name))?.remove(0);
            match crate::pipeline::rebaseline(&ctx, &pw).await {
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
        Command::Status { config, json } => status_cmd(&config.config, json),
        Command::Gc { config, dry_run } => {
            let wl = load(&config.config)?;
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
        Command::Outbox {
            action,
            config,
            json,
        } => outbox_cmd(&config.config, action == OutboxAction::Retry, json).await,
        Command::Demo { dir } => {
            let tmp;
            let dir = match dir {
                Some(d) => {
                    std::fs::create_dir_all(&d)
                        .with_context(|| format!("creating {}", d.display()))?;
                    d
                }
                None => {
                    tmp = tempfile::tempdir().context("creating a temp folder for the demo")?;
                    tmp.path().to_path_buf()
                }
            };
            let mut out = anstream::stdout();
            demo::run(&dir, color, &mut out).await?;
            Ok(EXIT_OK)
        }
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

async fn check(
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
        crate::pipeline::deliver_digest(&ctx, &mut reports).await;
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
                writeln!(out, "    Subject: {}", alert.subject())?;
                for line in alert.text_body().lines() {
                    writeln!(out, "    {line}")?;
                }
            }
        }
    }
    Ok(exit_code(&reports))
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

fn parse_grace(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("`{s}` is not a duration ({e})"))
}

async fn run(path: &Path, seed: u64, grace: std::time::Duration) -> anyhow::Result<u8> {
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
        println!("{}", report::check_line(r));
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

async fn extract_cmd(
    source: &str,
    json: bool,
    explain: bool,
    select: Option<String>,
    topics: &[String],
) -> anyhow::Result<u8> {
    let topics: Vec<Topic> = topics.iter().map(|t| Topic::new(t)).collect();
    if let Some(bad) = topics.iter().find(|t| !t.is_builtin()) {
        bail!(
            "unknown topic `{bad}`; known topics: {}",
            Topic::BUILTIN.join(", ")
        );
    }
    let extractor = Extractor::new(ExtractOptions {
        select,
        topics,
        custom: Vec::new(),
    })?;
    let html = if source.starts_with("http://") || source.starts_with("https://") {
        let url = url::Url::parse(source).with_context(|| format!("`{source}` is not a URL"))?;
        let fetcher = Fetcher::new(FetchSettings {
            user_agent: format!("clausewatch/{}", env!("CARGO_PKG_VERSION")),
            timeout: config::DEFAULT_TIMEOUT,
            max_body_bytes: config::DEFAULT_MAX_BODY_BYTES,
            hosts: crate::fetch::HostPolicy::default(),
        })?;
        let f = fetcher.fetch(&url, &Validators::default()).await?;
        if !(200..300).contains(&f.status) {
            eprintln!("error: {source} answered HTTP {}", f.status);
            return Ok(EXIT_WATCH_FAILED);
        }
        extract::charset::decode_html(&f.body, f.content_type.as_deref())
    } else {
        let bytes = std::fs::read(source)
            .with_context(|| format!("cannot read {source}; give a file path or an http(s) URL"))?;
        extract::charset::decode_html(&bytes, None)
    };
    if explain {
        let e = extractor.explain_page(&html);
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer(&mut out, &e)?;
            writeln!(out)?;
        } else {
            report::render_explanation(&e, &mut out)?;
        }
        return Ok(EXIT_OK);
    }
    let extraction = extractor.extract(&html);
    let mut out = std::io::stdout().lock();
    if json {
        let clauses: Vec<serde_json::Value> =
            extraction.clauses.iter().map(report::clause_json).collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({
                "clauses": clauses,
                "title": extraction.title,
                "main_text_chars": extraction.main_text_chars,
                "sentences": extraction.sentence_count,
                "extractor_version": extract::extractor_version(),
            }),
        )?;
        writeln!(out)?;
    } else {
        if extraction.main_text_chars == 0 {
            writeln!(out, "no main text found (empty or broken page?)")?;
        }
        for c in &extraction.clauses {
            writeln!(out, "{}", report::clause_with_terms(c))?;
        }
        writeln!(
            out,
            "-- {} clauses of {} sentences ({} characters of main text)",
            extraction.clauses.len(),
            extraction.sentence_count,
            extraction.main_text_chars
        )?;
    }
    Ok(EXIT_OK)
}

/// `clausewatch classify`: one output line per input text or stdin line, in order.
fn classify_cmd(
    texts: &[String],
    json: bool,
    config: Option<&Path>,
    rule_file: Option<&Path>,
) -> anyhow::Result<u8> {
    use std::io::BufRead;
    let custom = match config {
        Some(path) => load(path)?
            .watches
            .first()
            .map(|w| w.custom_topics.clone())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut rules = extract::topics::TopicRules::new(&custom).map_err(|(pattern, reason)| {
        anyhow::anyhow!("invalid topic pattern `{pattern}`: {reason}")
    })?;
    if let Some(path) = rule_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rule file {}", path.display()))?;
        let base = extract::topics::Builtin::parse(&text)
            .and_then(|b| b.validate().map(|()| b))
            .map_err(|e| anyhow::anyhow!("rule file {}: {e}", path.display()))?;
        // One rule file per process; it lives as long as the process.
        rules = rules.with_base(Box::leak(Box::new(base)));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut one = |text: &str| -> anyhow::Result<()> {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let explained = rules.explain_all(text);
        let mut topics: Vec<&str> = explained.hits.iter().map(|h| h.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        let terms = extract::terms::parse_terms(text);
        if json {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({
                    "text": text,
                    "topics": topics,
                    "rules": explained.hits,
                    "vetoed": explained.vetoed,
                    "terms": terms,
                }),
            )?;
            writeln!(out)?;
            return Ok(());
        }
        let rule = |h: &extract::topics::RuleHit| match h.cues.as_slice() {
            [] => h.rule.to_owned(),
            cues => format!("{} ({})", h.rule, cues.join(", ")),
        };
        let mut line = if topics.is_empty() {
            "-".to_owned()
        } else {
            topics.join(",")
        };
        let fired: Vec<String> = explained.hits.iter().map(rule).collect();
        if !fired.is_empty() {
            line.push_str(&format!("\trules: {}", fired.join("; ")));
        }
        let vetoed: Vec<&str> = explained.vetoed.iter().map(|v| v.rule).collect();
        if !vetoed.is_empty() {
            line.push_str(&format!("\tvetoed: {}", vetoed.join(", ")));
        }
        let described = crate::diff::describe(&terms);
        if !described.is_empty() {
            line.push_str(&format!("\tterms: {described}"));
        }
        writeln!(out, "{line}")?;
        Ok(())
    };
    if texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            one(&line.context("reading stdin")?)?;
        }
    } else {
        for t in texts {
            one(t)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn store_for(path: &Path) -> anyhow::Result<Store> {
    let wl = load(path)?;
    Ok(Store::open(&wl.settings.snapshots)?)
}

/// How `diff` shows its result.
struct DiffArgs<'a> {
    from: Option<u32>,
    to: Option<u32>,
    json: bool,
    html: Option<&'a Path>,
    side_by_side: bool,
    color: bool,
}

fn diff_cmd(path: &Path, name: &str, args: DiffArgs<'_>) -> anyhow::Result<u8> {
    let DiffArgs {
        from,
        to,
        json,
        html,
        side_by_side,
        color,
    } = args;
    let ws = store_for(path)?.watch_read_only(name);
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
            crate::notify::topic_list(&changes.topics())
        );
        let meta = [
            ("Page", b.url.clone()),
            ("From", format!("version {from}, fetched {}", time(&a))),
            ("To", format!("version {to}, fetched {}", time(&b))),
        ];
        std::fs::write(file, report::html_report(&title, &meta, &changes))
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
        if side_by_side {
            let width = terminal_width().saturating_sub(3) / 2;
            write!(
                out,
                "{}",
                report::render_side_by_side(&changes, width, color)
            )?;
        } else {
            write!(out, "{}", report::render_changes(&changes, color))?;
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

fn history_cmd(path: &Path, name: &str, json: bool) -> anyhow::Result<u8> {
    let ws = store_for(path)?.watch_read_only(name);
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
        let log = ws.fetch_log()?;
        if let Some(last) = log.last() {
            writeln!(
                out,
                "{} fetches logged; last {} at {}",
                log.len(),
                last.outcome,
                last.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            )?;
        }
    }
    Ok(EXIT_OK)
}

fn show_cmd(path: &Path, name: &str, version: Option<u32>, json: bool) -> anyhow::Result<u8> {
    let ws = store_for(path)?.watch_read_only(name);
    let snapshot = match version {
        Some(v) => ws.load(v)?,
        None => ws.latest()?.with_context(|| {
            format!("watch `{name}` has no stored versions yet; run `clausewatch check` first")
        })?,
    };
    let mut out = std::io::stdout().lock();
    if json {
        let mut v = serde_json::to_value(&snapshot)?;
        v["clauses"] = snapshot.clauses.iter().map(report::clause_json).collect();
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

fn status_cmd(path: &Path, json: bool) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let store = Store::open(&wl.settings.snapshots)?;
    let mut rows = Vec::new();
    for w in &wl.watches {
        let ws = store.watch_read_only(&w.name);
        let state = ws.state()?;
        let next_due = state.last_check.map(|t| match &w.cron {
            Some(cron) => cron.find_next_occurrence(&t, false).unwrap_or(t),
            None => t + chrono::Duration::from_std(w.interval).unwrap_or_default(),
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

async fn outbox_cmd(path: &Path, retry: bool, json: bool) -> anyhow::Result<u8> {
    let wl = load(path)?;
    let ctx = context(&wl, false, true)?;
    if retry && ctx.defer_delivery {
        // Digest mode: retry as digests, so an interrupted digest goes again whole.
        let names: Vec<String> = wl.watches.iter().map(|w| w.name.clone()).collect();
        let results = crate::pipeline::send_digests(&ctx, &names).await;
        let sent = results
            .iter()
            .filter(|(_, d)| *d == crate::pipeline::Delivery::Sent)
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
            let sent = crate::pipeline::flush_outbox(&ctx, &ws)
                .await
                .iter()
                .filter(|(_, d)| *d == crate::pipeline::Delivery::Sent)
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

fn validate(path: &Path, json: bool) -> anyhow::Result<u8> {
    if json {
        let v = match config::load(path) {
            Ok(wl) => serde_json::json!({
                "ok": true,
                "problems": [],
                "watches": wl.watches.iter().map(|w| serde_json::json!({
                    "name": w.name,
                    "url": w.url.as_str(),
                    "topics": w.topics,
                    "interval_secs": w.interval.as_secs(),
                    "cron": w.cron.as_ref().map(|c| c.pattern.to_string()),
                })).collect::<Vec<_>>(),
            }),
            Err(config::ConfigError::Invalid { problems, .. }) => serde_json::json!({
                "ok": false,
                "problems": problems.iter().map(|p| serde_json::json!({
                    "line": p.line, "key": p.key, "message": p.message,
                })).collect::<Vec<_>>(),
            }),
            Err(e) => return Err(e.into()),
        };
        println!("{v}");
        return Ok(if v["ok"] == true {
            EXIT_OK
        } else {
            EXIT_UNUSABLE
        });
    }
    let wl = load(path)?;
    println!(
        "{}: ok, {} watch{}, snapshots in {}, {}",
        path.display(),
        wl.watches.len(),
        if wl.watches.len() == 1 { "" } else { "es" },
        wl.settings.snapshots.display(),
        if wl.email.is_some() {
            "alerts by e-mail"
        } else {
            "no [email]: alerts printed and stored only"
        }
    );
    for w in &wl.watches {
        let topics: Vec<&str> = w.topics.iter().map(|t| t.as_str()).collect();
        let when = match &w.cron {
            Some(c) => format!("cron {}", c.pattern),
            None => format!("every {}", humantime::format_duration(w.interval)),
        };
        println!(
            "  {}  {}  {when}  topics {}",
            w.name,
            w.url,
            topics.join(",")
        );
    }
    Ok(EXIT_OK)
}

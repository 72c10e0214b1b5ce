//! The command line's shape: every command, argument and help text (clap derive). The
//! commands' bodies are in the sibling files, one function per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    pub(super) command: Command,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    pub(super) log_format: LogFormat,
    /// When to use colors: auto (terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(super) color: ColorChoice,
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(super) verbose: u8,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub(super) enum LogFormat {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
pub(super) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
pub(super) enum OutboxAction {
    /// List pending and failed alerts.
    List,
    /// Try to deliver every pending alert now.
    Retry,
}

#[derive(Args, Debug, Clone)]
pub(super) struct ConfigArg {
    /// The watchlist file.
    #[arg(
        short,
        long,
        default_value = "watchlist.toml",
        env = "CLAUSEWATCH_CONFIG"
    )]
    pub(super) config: PathBuf,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
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
  clausewatch extract page.html --explain          # why each block and sentence counts or not
  clausewatch extract page.html --text             # the main text clausewatch reads, block by block")]
    Extract {
        /// An http(s) URL or a file path.
        source: String,
        /// Print {\"clauses\":[{\"topics\":[…],\"text\":\"…\",\"terms\":{…}}]}.
        #[arg(long)]
        json: bool,
        /// Show why each block was kept or dropped and which rule tagged each sentence.
        #[arg(long, conflicts_with = "text")]
        explain: bool,
        /// Print the page's main text as clausewatch reads it: one block per paragraph,
        /// list item or heading, blocks separated by blank lines.
        #[arg(long, conflicts_with = "json")]
        text: bool,
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

pub(super) fn parse_grace(s: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("`{s}` is not a duration ({e})"))
}

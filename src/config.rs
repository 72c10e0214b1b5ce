//! The watchlist: `watchlist.toml` parsed, validated and resolved into a [`Watchlist`].
//!
//! Owns: the file format (serde structs with `deny_unknown_fields`), defaults, and validation
//! that reports *every* problem at once, each with its line and key. Relative paths resolve
//! against the watchlist file's folder. Must not: touch the network or the snapshot store.
//! Secrets are held by reference (`password_env`), never read from the file itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::extract::{CustomTopic, ExtractOptions, Topic};
use crate::fetch::{FetchSettings, HostOverride, HostPolicy};
use crate::store::Retention;

/// Default interval between two checks of a watch.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);
/// Default total timeout of one fetch (connect + headers + body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a page body, after decompression. Announcement pages are well under this;
/// the cap keeps a runaway or hostile server from exhausting memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default number of watches checked at the same time.
pub const DEFAULT_JOBS: usize = 8;

/// A problem found in a watchlist, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The key or section it concerns, e.g. `watch[2].url`.
    pub key: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// Why a watchlist cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read watchlist {path}: {source}; check the --config path")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file was read but has problems.
    #[error("{}", render_problems(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

fn render_problems(path: &Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "watchlist {} has {} problem{}:",
        path.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        match p.line {
            Some(line) => out.push_str(&format!(
                "\n  {}:{line}: {}: {}",
                path.display(),
                p.key,
                p.message
            )),
            None => out.push_str(&format!("\n  {}: {}: {}", path.display(), p.key, p.message)),
        }
    }
    out
}

/// The validated, resolved watchlist.
#[derive(Debug, Clone)]
pub struct Watchlist {
    /// The file it came from.
    pub path: PathBuf,
    /// Global settings.
    pub settings: Settings,
    /// Where alerts are mailed; `None` prints them and keeps them in the store only.
    pub email: Option<EmailConfig>,
    /// The watches, in file order.
    pub watches: Vec<Watch>,
}

/// `[settings]`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Snapshot store folder (absolute or relative to the working directory after resolution).
    pub snapshots: PathBuf,
    /// Default interval between checks.
    pub interval: Duration,
    /// Total timeout of one fetch.
    pub timeout: Duration,
    /// Body cap in bytes, after decompression.
    pub max_body_bytes: u64,
    /// User-Agent header sent with every request.
    pub user_agent: String,
    /// Watches checked concurrently.
    pub jobs: usize,
    /// Per-host politeness (spacing, concurrency, overrides from `[hosts."pattern"]`).
    pub hosts: HostPolicy,
    /// Whether robots.txt is respected by default.
    pub robots: bool,
    /// Failed checks in a row after which one "watch failing" mail is sent.
    pub failure_alert_after: u32,
    /// What each watch keeps of its history.
    pub retention: Retention,
}

impl Settings {
    /// The HTTP client settings.
    pub fn fetch_settings(&self) -> FetchSettings {
        FetchSettings {
            user_agent: self.user_agent.clone(),
            timeout: self.timeout,
            max_body_bytes: self.max_body_bytes,
            hosts: self.hosts.clone(),
        }
    }
}

/// `[email]`.
#[derive(Debug, Clone)]
pub struct EmailConfig {
    /// lettre SMTP URL: `smtp://host:port` (plain), `smtp://…?tls=required` (STARTTLS),
    /// `smtps://host:port` (implicit TLS). Never carries a password.
    pub smtp_url: String,
    /// SMTP user name, if the server wants authentication.
    pub username: Option<String>,
    /// Name of the environment variable that holds the SMTP password.
    pub password_env: Option<String>,
    /// Sender address.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// One mail per `check` pass listing every changed watch (true, the default), or one mail
    /// per watch.
    pub digest: bool,
}

/// One `[[watch]]`.
#[derive(Debug, Clone)]
pub struct Watch {
    /// Unique name; also the snapshot folder's name.
    pub name: String,
    /// The page.
    pub url: Url,
    /// Topics watched on this page.
    pub topics: Vec<Topic>,
    /// CSS selector of the article container, if the automatic detection should be overridden.
    pub select: Option<String>,
    /// Interval between checks.
    pub interval: Duration,
    /// Whether robots.txt is respected for this watch.
    pub robots: bool,
    /// Cron expression (UTC) that replaces `interval` in the daemon, e.g. `0 */6 * * *`.
    pub cron: Option<croner::Cron>,
    /// The watchlist's `[topics.<name>]` definitions, shared by every watch.
    pub custom_topics: Vec<CustomTopic>,
}

impl Watch {
    /// The extraction settings of this watch.
    pub fn extract_options(&self) -> ExtractOptions {
        ExtractOptions {
            select: self.select.clone(),
            topics: self.topics.clone(),
            custom: self.custom_topics.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWatchlist {
    #[serde(default)]
    settings: Option<RawSettings>,
    #[serde(default)]
    email: Option<Spanned<RawEmail>>,
    #[serde(default)]
    watch: Vec<Spanned<RawWatch>>,
    #[serde(default)]
    hosts: std::collections::BTreeMap<String, RawHost>,
    #[serde(default)]
    topics: std::collections::BTreeMap<String, Spanned<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    spacing: Option<Spanned<String>>,
    concurrency: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    snapshots: Option<String>,
    interval: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    max_body_bytes: Option<u64>,
    user_agent: Option<String>,
    jobs: Option<Spanned<usize>>,
    host_spacing: Option<Spanned<String>>,
    host_concurrency: Option<usize>,
    robots: Option<bool>,
    failure_alert_after: Option<u32>,
    keep_versions: Option<usize>,
    keep_raw_pages: Option<usize>,
    keep_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
    smtp_url: Spanned<String>,
    username: Option<String>,
    password_env: Option<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<Vec<String>>,
    mode: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWatch {
    name: Spanned<String>,
    url: Spanned<String>,
    topics: Option<Spanned<Vec<String>>>,
    select: Option<Spanned<String>>,
    interval: Option<Spanned<String>>,
    robots: Option<bool>,
    cron: Option<Spanned<String>>,
}

/// Loads and validates a watchlist file.
pub fn load(path: &Path) -> Result<Watchlist, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parses watchlist text; `path` names the file in messages and anchors relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Watchlist, ConfigError> {
    let invalid = |problems| ConfigError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let raw: RawWatchlist = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        invalid(vec![Problem {
            line,
            key: "toml".into(),
            message: format!(
                "{}; see the example watchlist.toml for the accepted keys",
                e.message().trim_end()
            ),
        }])
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut p = Problems {
        text,
        list: Vec::new(),
    };

    let rs = raw.settings.unwrap_or(RawSettings {
        snapshots: None,
        interval: None,
        timeout: None,
        max_body_bytes: None,
        user_agent: None,
        jobs: None,
        host_spacing: None,
        host_concurrency: None,
        robots: None,
        failure_alert_after: None,
        keep_versions: None,
        keep_raw_pages: None,
        keep_days: None,
    });
    let interval = p.duration(&rs.interval, "settings.interval", DEFAULT_INTERVAL);
    let timeout = p.duration(&rs.timeout, "settings.timeout", DEFAULT_TIMEOUT);
    let jobs = match &rs.jobs {
        Some(j) if *j.get_ref() == 0 => {
            p.add(
                Some(j.span()),
                "settings.jobs".into(),
                "must be at least 1".into(),
            );
            1
        }
        Some(j) => *j.get_ref(),
        None => DEFAULT_JOBS,
    };
    let defaults = HostPolicy::default();
    let host_spacing = p.spacing(&rs.host_spacing, "settings.host_spacing", defaults.spacing);
    let mut overrides = Vec::new();
    for (pattern, h) in raw.hosts {
        let spacing = h.spacing.is_some().then(|| {
            p.spacing(
                &h.spacing,
                &format!("hosts.\"{pattern}\".spacing"),
                host_spacing,
            )
        });
        overrides.push(HostOverride {
            pattern,
            spacing,
            concurrency: h.concurrency,
        });
    }
    let settings = Settings {
        snapshots: base.join(rs.snapshots.as_deref().unwrap_or("snapshots")),
        interval,
        timeout,
        max_body_bytes: rs.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
        user_agent: rs.user_agent.unwrap_or_else(default_user_agent),
        jobs,
        hosts: HostPolicy {
            spacing: host_spacing,
            concurrency: rs.host_concurrency.unwrap_or(defaults.concurrency),
            overrides,
        },
        robots: rs.robots.unwrap_or(true),
        failure_alert_after: rs.failure_alert_after.unwrap_or(3).max(1),
        retention: Retention {
            versions: rs.keep_versions,
            raw_pages: rs.keep_raw_pages.unwrap_or(Retention::default().raw_pages),
            max_age: rs.keep_days.map(|d| chrono::Duration::days(d.into())),
            ..Retention::default()
        },
    };

    let email = raw.email.map(|e| {
        let span = e.span();
        let e = e.into_inner();
        let url = e.smtp_url.get_ref();
        match Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "smtp" | "smtps") => {
                if u.password().is_some() {
                    p.add(
                        Some(e.smtp_url.span()),
                        "email.smtp_url".into(),
                        "must not contain a password; put it in an environment variable and name it in `password_env`".into(),
                    );
                }
            }
            _ => p.add(
                Some(e.smtp_url.span()),
                "email.smtp_url".into(),
                format!("`{url}` is not an smtp:// or smtps:// URL (e.g. smtp://127.0.0.1:2525)"),
            ),
        }
        if let Some(var) = &e.password_env
            && (var.get_ref().is_empty() || var.get_ref().contains('='))
        {
            p.add(
                Some(var.span()),
                "email.password_env".into(),
                "must be the name of an environment variable".into(),
            );
        }
        for (key, addr) in std::iter::once(("email.from", e.from.get_ref()))
            .chain(e.to.get_ref().iter().map(|a| ("email.to", a)))
        {
            if addr.parse::<lettre::Address>().is_err() {
                let span = if key == "email.from" {
                    e.from.span()
                } else {
                    e.to.span()
                };
                p.add(
                    Some(span),
                    key.into(),
                    format!("`{addr}` is not an e-mail address"),
                );
            }
        }
        if e.to.get_ref().is_empty() {
            p.add(
                Some(span),
                "email.to".into(),
                "needs at least one recipient".into(),
            );
        }
        let digest = match e.mode.as_ref().map(|m| m.get_ref().as_str()) {
            None | Some("digest") => true,
            Some("each") => false,
            Some(other) => {
                p.add(
                    e.mode.as_ref().map(Spanned::span),
                    "email.mode".into(),
                    format!("`{other}` is not a mode; use \"digest\" (one mail per pass) or \"each\" (one mail per watch)"),
                );
                true
            }
        };
        EmailConfig {
            digest,
            smtp_url: e.smtp_url.into_inner(),
            username: e.username,
            password_env: e.password_env.map(Spanned::into_inner),
            from: e.from.into_inner(),
            to: e.to.into_inner(),
        }
    });

    let mut custom_topics = Vec::new();
    for (name, t) in raw.topics {
        let span = t.span();
        let t = t.into_inner();
        let key = format!("topics.{name}");
        if Topic::new(&name).as_str() != name || name.is_empty() {
            p.add(
                Some(span.clone()),
                key.clone(),
                format!("topic names are snake_case (e.g. `board_seat`), not `{name}`"),
            );
        }
        for pat in t.patterns.iter().chain(&t.exclude) {
            if let Err(e) = regex::Regex::new(&format!("(?i){pat}")) {
                p.add(
                    Some(span.clone()),
                    key.clone(),
                    format!("`{pat}` is not a valid regular expression: {e}"),
                );
            }
        }
        custom_topics.push(CustomTopic {
            name,
            patterns: t.patterns,
            exclude: t.exclude,
        });
    }
    let known = |t: &Topic| t.is_builtin() || custom_topics.iter().any(|c| c.name == t.as_str());
    let mut all_topics = Topic::all();
    all_topics.extend(
        custom_topics
            .iter()
            .map(|c| Topic::new(&c.name))
            .filter(|t| !t.is_builtin()),
    );
    all_topics.sort();

    let mut watches: Vec<Watch> = Vec::new();
    for (i, w) in raw.watch.into_iter().enumerate() {
        let w = w.into_inner();
        let key = |k: &str| format!("watch[{}].{k}", i + 1);
        let name = w.name.get_ref().clone();
        if let Err(msg) = validate_name(&name) {
            p.add(Some(w.name.span()), key("name"), msg);
        } else if watches.iter().any(|x| x.name == name) {
            p.add(
                Some(w.name.span()),
                key("name"),
                format!("`{name}` is used by another watch; names must be unique"),
            );
        }
        let url = match Url::parse(w.url.get_ref()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Some(u),
            Ok(u) => {
                p.add(
                    Some(w.url.span()),
                    key("url"),
                    format!(
                        "scheme `{}` is not supported; use http or https",
                        u.scheme()
                    ),
                );
                None
            }
            Err(e) => {
                p.add(
                    Some(w.url.span()),
                    key("url"),
                    format!("`{}` is not a URL ({e})", w.url.get_ref()),
                );
                None
            }
        };
        let topics = match &w.topics {
            None => all_topics.clone(),
            Some(t) => {
                let mut out = Vec::new();
                for name in t.get_ref() {
                    let topic = Topic::new(name);
                    if known(&topic) {
                        out.push(topic);
                    } else {
                        let names: Vec<&str> = all_topics.iter().map(Topic::as_str).collect();
                        p.add(
                            Some(t.span()),
                            key("topics"),
                            format!(
                                "unknown topic `{name}`; known topics: {} (define others under [topics.<name>])",
                                names.join(", ")
                            ),
                        );
                    }
                }
                if t.get_ref().is_empty() {
                    p.add(
                        Some(t.span()),
                        key("topics"),
                        "is empty; leave it out to watch all topics".into(),
                    );
                }
                out.sort();
                out.dedup();
                out
            }
        };
        if let Some(sel) = &w.select
            && let Err(e) = scraper::Selector::parse(sel.get_ref())
        {
            p.add(
                Some(sel.span()),
                key("select"),
                format!("`{}` is not a valid CSS selector ({e})", sel.get_ref()),
            );
        }
        let interval = p.duration(&w.interval, &key("interval"), settings.interval);
        let cron = w.cron.as_ref().and_then(|c| {
            if w.interval.is_some() {
                p.add(
                    Some(c.span()),
                    key("cron"),
                    "set either `cron` or `interval`, not both".into(),
                );
            }
            match c.get_ref().parse::<croner::Cron>() {
                Ok(cron) => Some(cron),
                Err(e) => {
                    p.add(
                        Some(c.span()),
                        key("cron"),
                        format!(
                            "`{}` is not a cron expression ({e}); write e.g. \"*/30 * * * *\"",
                            c.get_ref()
                        ),
                    );
                    None
                }
            }
        });
        if let Some(url) = url {
            watches.push(Watch {
                name,
                url,
                topics,
                select: w.select.map(Spanned::into_inner),
                interval,
                robots: w.robots.unwrap_or(settings.robots),
                cron,
                custom_topics: custom_topics.clone(),
            });
        }
    }
    if p.list.is_empty() {
        Ok(Watchlist {
            path: path.to_path_buf(),
            settings,
            email,
            watches,
        })
    } else {
        Err(invalid(p.list))
    }
}

/// Collects problems, turning byte spans into line numbers.
struct Problems<'a> {
    text: &'a str,
    list: Vec<Problem>,
}

impl Problems<'_> {
    fn add(&mut self, span: Option<std::ops::Range<usize>>, key: String, message: String) {
        self.list.push(Problem {
            line: span.map(|s| line_of(self.text, s.start)),
            key,
            message,
        });
    }

    /// Like [`Self::duration`], but zero ("0s") is allowed: no spacing at all.
    fn spacing(&mut self, v: &Option<Spanned<String>>, key: &str, default: Duration) -> Duration {
        match v {
            Some(s) if humantime::parse_duration(s.get_ref()).is_ok_and(|d| d.is_zero()) => {
                Duration::ZERO
            }
            _ => self.duration(v, key, default),
        }
    }

    fn duration(&mut self, v: &Option<Spanned<String>>, key: &str, default: Duration) -> Duration {
        match v {
            None => default,
            Some(s) => parse_duration(s.get_ref()).unwrap_or_else(|msg| {
                self.add(Some(s.span()), key.into(), msg);
                default
            }),
        }
    }
}

fn default_user_agent() -> String {
    format!(
        "clausewatch/{} (+https://github.com/clausewatch/clausewatch)",
        env!("CARGO_PKG_VERSION")
    )
}

/// Parses a human duration such as `30m`, `1h`, `1h 30m`, `90s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    match humantime::parse_duration(s) {
        Ok(d) if d.is_zero() => Err("must be longer than zero".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(format!(
            "`{s}` is not a duration ({e}); write e.g. \"30m\", \"1h\" or \"90s\""
        )),
    }
}

/// A watch name must be usable as a folder name on every common file system.
pub fn validate_name(name: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() {
        Err("is empty".into())
    } else if name.len() > 100 {
        Err("is longer than 100 characters".into())
    } else if name.starts_with('.') || !name.chars().all(ok_char) {
        Err(format!(
            "`{name}` cannot be a folder name: use letters, digits, '-', '_' or '.', not starting with '.'"
        ))
    } else {
        Ok(())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        match parse(text, Path::new("w.toml")) {
            Err(ConfigError::Invalid { problems, .. }) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn minimal_watchlist_gets_defaults() {
        let w = parse(
            "[[watch]]\nname = \"a\"\nurl = \"https://example.com/x\"\n",
            Path::new("dir/w.toml"),
        )
        .unwrap();
        let mut all = Topic::all();
        all.sort();
        assert_eq!(w.watches[0].topics, all);
        assert_eq!(w.watches[0].interval, DEFAULT_INTERVAL);
        assert_eq!(w.settings.snapshots, Path::new("dir/snapshots"));
        assert!(w.email.is_none());
    }

    #[test]
    fn unknown_key_reports_its_line() {
        let p = problems("[[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ncolour = 1\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, Some(4));
        assert!(p[0].message.contains("colour"), "{}", p[0].message);
    }

    #[test]
    fn every_problem_is_reported_with_line_and_key() {
        let p = problems(
            "[settings]\ninterval = \"soon\"\n[[watch]]\nname = \"a/b\"\nurl = \"ftp://e.com\"\n\
             [[watch]]\nname = \"c\"\nurl = \"https://e.com\"\ntopics = [\"weather\"]\n",
        );
        let keys: Vec<_> = p.iter().map(|p| (p.key.as_str(), p.line)).collect();
        assert_eq!(
            keys,
            vec![
                ("settings.interval", Some(2)),
                ("watch[1].name", Some(4)),
                ("watch[1].url", Some(5)),
                ("watch[2].topics", Some(9)),
            ]
        );
    }

    #[test]
    fn duplicate_names_and_password_in_url_are_rejected() {
        let p = problems(
            "[email]\nsmtp_url = \"smtp://u:secret@h:25\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\n\
             [[watch]]\nname = \"a\"\nurl = \"https://e.com\"\n[[watch]]\nname = \"a\"\nurl = \"https://e.com\"\n",
        );
        assert!(p.iter().any(|p| p.key == "email.smtp_url"));
        assert!(
            p.iter()
                .any(|p| p.key == "watch[2].name" && p.line == Some(9))
        );
    }

    #[test]
    fn custom_topics_are_defined_validated_and_usable_per_watch() {
        let w = parse(
            "[topics.board_seat]\npatterns = ['board seat']\nexclude = ['former']\n\
             [[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ntopics = [\"board_seat\", \"cloud\"]\n\
             [[watch]]\nname = \"b\"\nurl = \"https://e.com\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
        assert_eq!(
            w.watches[0].topics,
            vec![Topic::new("board_seat"), Topic::new("cloud")]
        );
        assert_eq!(
            w.watches[1].topics.len(),
            4,
            "default: built-ins and custom topics"
        );
        let p = problems("[topics.Bad-Name]\npatterns = ['(']\n");
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|p| p.line == Some(1)));
    }

    #[test]
    fn cron_is_validated_and_exclusive_with_interval() {
        let w = parse(
            "[[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ncron = \"*/15 * * * *\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
        assert!(w.watches[0].cron.is_some());
        let p = problems(
            "[[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ncron = \"every tuesday\"\n\
             [[watch]]\nname = \"b\"\nurl = \"https://e.com\"\ninterval = \"1h\"\ncron = \"0 * * * *\"\n",
        );
        let keys: Vec<_> = p.iter().map(|p| (p.key.as_str(), p.line)).collect();
        assert_eq!(
            keys,
            vec![("watch[1].cron", Some(4)), ("watch[2].cron", Some(9))]
        );
    }

    #[test]
    fn names_must_be_folder_names() {
        assert!(validate_name("microsoft-openai_2").is_ok());
        for bad in ["", ".hidden", "a/b", "a b", "..", "x\\y"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}

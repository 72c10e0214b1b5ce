//! The watchlist: `watchlist.toml` parsed, validated and resolved into a [`Watchlist`].
//!
//! Owns: the file format (`raw.rs`: serde structs with `deny_unknown_fields`), defaults,
//! every setting type (`policy.rs`: fetch limits, host politeness, retention), and
//! validation (`sections.rs`, one function per section) that reports *every* problem of
//! every section at once, each with its line and key (`problems.rs`); only a TOML syntax
//! error stops the reading early. Relative paths resolve
//! against the watchlist file's folder. Must not: touch the network or the snapshot store.
//! Secrets are held by reference (`password_env`), never read from the file itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::DeTable;
use url::Url;

use crate::extract::{CustomTopic, ExtractOptions, Topic};

mod policy;
mod problems;
mod raw;
mod sections;

pub use policy::{
    FetchSettings, HostOverride, HostPolicy, MAX_CRON_GAP, MAX_HOST_SPACING, MAX_INTERVAL,
    MAX_TIMEOUT, Retention, time_after,
};
pub use problems::{ConfigError, Problem};

use problems::{Problems, line_of};

/// Default interval between two checks of a watch.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);
/// Default total timeout of one fetch (connect + headers + body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a page body, after decompression. Announcement pages are well under this;
/// the cap keeps a runaway or hostile server from exhausting memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Default number of watches checked at the same time.
pub const DEFAULT_JOBS: usize = 8;

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
    /// HTTP Basic credentials for the page, if it needs them: never in the URL.
    pub auth: Option<BasicAuth>,
}

/// HTTP Basic credentials of a watch, by reference: the password stays in the environment
/// until the request is made, and is never written or printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAuth {
    /// User name (`username`).
    pub username: String,
    /// Name of the environment variable holding the password (`password_env`).
    pub password_env: String,
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

/// Loads and validates a watchlist file.
pub fn load(path: &Path) -> Result<Watchlist, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parses watchlist text; `path` names the file in messages and anchors relative paths.
/// Every section is read and validated even when another has problems, so one run reports
/// them all; only a syntax error ends the reading at once.
pub fn parse(text: &str, path: &Path) -> Result<Watchlist, ConfigError> {
    let invalid = |problems| ConfigError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let doc = DeTable::parse(text).map_err(|e| {
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
    let mut p = Problems::new(text);
    let raw = sections::split(&mut p, doc.get_ref());
    let settings = sections::settings(&mut p, raw.settings, raw.hosts, &base);
    let email = raw.email.and_then(|e| sections::email(&mut p, e));
    let custom_topics = sections::topics(&mut p, raw.topics);
    let watches = sections::watches(&mut p, raw.watch, &settings, &custom_topics);
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

/// Names Windows reserves for devices, with or without an extension (`CON`, `nul.txt`).
const RESERVED_NAMES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A watch name must be usable as a folder name on every common file system, and name a
/// folder inside the store: letters, digits, `-`, `_` and `.`, not starting or ending with
/// `.`, not a reserved device name. (Two names that differ only in case are refused by the
/// watchlist's validation.)
pub fn validate_name(name: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    if name.is_empty() {
        Err("is empty".into())
    } else if name.len() > 100 {
        Err("is longer than 100 characters".into())
    } else if name.starts_with('.') || name.ends_with('.') || !name.chars().all(ok_char) {
        Err(format!(
            "`{}` cannot be a folder name: use letters, digits, '-', '_' or '.', not starting or ending with '.'",
            name.escape_debug()
        ))
    } else if RESERVED_NAMES.contains(&stem.as_str()) {
        Err(format!(
            "`{name}` is a reserved device name on Windows and cannot be a folder name; choose another"
        ))
    } else {
        Ok(())
    }
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

    /// Issue 8: key typos and wrong types in any section come out in one run, not one per
    /// run; each with its line and key.
    #[test]
    fn every_key_problem_of_every_section_is_reported_at_once() {
        let p = problems(
            "[settings]\nintervall = \"1h\"\njobs = \"four\"\n\
             [email]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\nmode = 3\n\
             [[watch]]\nname = \"a\"\nurl = \"https://e.com\"\nrobots = \"no\"\ncolour = 1\n\
             [[watch]]\nname = \"b\"\nurl = \"https://e.com\"\nintervall = \"2h\"\n\
             [hosts.\"e.com\"]\nconcurrency = \"x\"\n\
             [topics.board_seat]\npattern = ['board seat']\n",
        );
        let mut keys: Vec<_> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        keys.sort();
        assert_eq!(
            keys,
            vec![
                (Some(2), "settings.intervall"),
                (Some(3), "settings.jobs"),
                (Some(8), "email.mode"),
                (Some(12), "watch[1].robots"),
                (Some(13), "watch[1].colour"),
                (Some(17), "watch[2].intervall"),
                (Some(19), "hosts.\"e.com\".concurrency"),
                (Some(21), "topics.board_seat.pattern"),
            ],
            "{p:#?}"
        );
        assert!(p[0].message.contains("intervall"), "{}", p[0].message);
    }

    #[test]
    fn a_wrong_value_in_a_required_key_is_told_once_and_other_sections_still_read() {
        let p = problems(
            "[[watch]]\nname = 7\nurl = \"https://e.com\"\n\
             [[watch]]\nurl = \"https://e.com\"\n\
             [[watch]]\nname = \"c\"\nurl = \"ftp://e.com\"\n\
             unknown_section = 1\n",
        );
        let keys: Vec<_> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert!(keys.contains(&(Some(2), "watch[1].name")), "{p:#?}");
        assert!(
            p.iter().any(|p| p.key == "watch[2]"
                && p.line.is_some()
                && p.message.contains("missing field `name`")),
            "{p:#?}"
        );
        assert!(keys.contains(&(Some(8), "watch[3].url")), "{p:#?}");
        assert!(
            keys.contains(&(Some(9), "watch[3].unknown_section")),
            "{p:#?}"
        );
        assert_eq!(p.len(), 4, "{p:#?}");
    }

    /// Issue 9: durations have upper bounds, so no later time arithmetic can overflow.
    #[test]
    fn durations_have_upper_bounds() {
        let p = problems(
            "[settings]\ninterval = \"100000000y\"\ntimeout = \"11m\"\nhost_spacing = \"2h\"\n\
             [hosts.\"e.com\"]\nspacing = \"61m\"\n\
             [[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ninterval = \"366d\"\n\
             [[watch]]\nname = \"b\"\nurl = \"https://e.com\"\ncron = \"0 0 29 2 *\"\n",
        );
        let keys: Vec<_> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert_eq!(
            keys,
            vec![
                (Some(2), "settings.interval"),
                (Some(3), "settings.timeout"),
                (Some(4), "settings.host_spacing"),
                (Some(6), "hosts.\"e.com\".spacing"),
                (Some(10), "watch[1].interval"),
                (Some(14), "watch[2].cron"),
            ],
            "{p:#?}"
        );
        assert!(p[0].message.contains("365 days"), "{}", p[0].message);
        let ok = parse(
            "[settings]\ninterval = \"365d\"\ntimeout = \"10m\"\nhost_spacing = \"1h\"\n\
             [[watch]]\nname = \"a\"\nurl = \"https://e.com\"\ncron = \"0 0 1 1 *\"\n",
            Path::new("w.toml"),
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    /// Issue 9: input that must be refused, each with its line and key.
    #[test]
    fn unsafe_names_credentials_and_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("store-file");
        std::fs::write(&file, "").unwrap();
        let text = format!(
            "[settings]\nsnapshots = \"{}\"\nmax_body_bytes = 0\n\
             [[watch]]\nname = \"deal\"\nurl = \"https://e.com\"\n\
             [[watch]]\nname = \"Deal\"\nurl = \"https://e.com\"\n\
             [[watch]]\nname = \"NUL\"\nurl = \"https://u:hunter2@e.com/x\"\n\
             [[watch]]\nname = \"b\"\nurl = \"https://e.com\"\nusername = \"u\"\n",
            file.display()
        );
        let p = problems(&text);
        let keys: Vec<_> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert_eq!(
            keys,
            vec![
                (Some(2), "settings.snapshots"),
                (Some(3), "settings.max_body_bytes"),
                (Some(8), "watch[2].name"),
                (Some(11), "watch[3].name"),
                (Some(12), "watch[3].url"),
                (Some(16), "watch[4].username"),
            ],
            "{p:#?}"
        );
        let creds = &p[4].message;
        assert!(
            creds.contains("username") && creds.contains("password_env"),
            "{creds}"
        );
        assert!(
            p.iter().all(|p| !p.message.contains("hunter2")),
            "never printed"
        );
        let ok = parse(
            "[[watch]]\nname = \"a\"\nurl = \"https://e.com\"\nusername = \"u\"\npassword_env = \"PW\"\n",
            Path::new("w.toml"),
        )
        .unwrap();
        assert_eq!(
            ok.watches[0].auth,
            Some(BasicAuth {
                username: "u".into(),
                password_env: "PW".into()
            })
        );
    }

    #[test]
    fn names_must_be_folder_names() {
        assert!(validate_name("microsoft-openai_2").is_ok());
        for bad in [
            "", ".hidden", "a/b", "a b", "..", "x\\y", "CON", "nul", "Com1.txt", "lpt9", "a.",
            "../../x", "/tmp/x",
        ] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert!(validate_name("console").is_ok() && validate_name("a.b").is_ok());
    }
}

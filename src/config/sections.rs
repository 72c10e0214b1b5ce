//! One function per watchlist section, each reading its raw table through the shared
//! problems collector and validating it: `[settings]` with `[hosts."…"]`, `[email]`,
//! `[topics.<name>]` and every `[[watch]]`. A problem in one section never stops another.

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use url::Url;

use super::problems::Problems;
use super::raw::{RawEmail, RawHost, RawSettings, RawTopic, RawWatch};
use super::{
    BasicAuth, DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT,
    EmailConfig, HostOverride, HostPolicy, MAX_CRON_GAP, MAX_HOST_SPACING, MAX_INTERVAL,
    MAX_TIMEOUT, Retention, Settings, Watch, validate_name,
};
use crate::extract::{CustomTopic, Topic};

type Value<'i> = Spanned<DeValue<'i>>;

/// The top-level sections of a watchlist; an unknown one is a problem.
#[derive(Default)]
pub(super) struct Sections<'d, 'i> {
    pub(super) settings: Option<&'d Value<'i>>,
    pub(super) email: Option<&'d Value<'i>>,
    pub(super) watch: Option<&'d Value<'i>>,
    pub(super) hosts: Option<&'d Value<'i>>,
    pub(super) topics: Option<&'d Value<'i>>,
}

const SECTIONS: [&str; 5] = ["settings", "email", "watch", "hosts", "topics"];

/// Splits the document into its sections, reporting any unknown top-level key.
pub(super) fn split<'d, 'i>(p: &mut Problems<'_>, doc: &'d DeTable<'i>) -> Sections<'d, 'i> {
    let mut s = Sections::default();
    for (key, value) in doc {
        let slot = match key.get_ref().as_ref() {
            "settings" => &mut s.settings,
            "email" => &mut s.email,
            "watch" => &mut s.watch,
            "hosts" => &mut s.hosts,
            "topics" => &mut s.topics,
            other => {
                let expected: Vec<String> = SECTIONS.iter().map(|s| format!("`{s}`")).collect();
                p.add(
                    Some(key.span()),
                    other.to_string(),
                    format!(
                        "unknown field `{other}`, expected one of {}; see the example watchlist.toml for the accepted keys",
                        expected.join(", ")
                    ),
                );
                continue;
            }
        };
        *slot = Some(value);
    }
    s
}

/// The entries of a table of tables (`[hosts."…"]`, `[topics.<name>]`), sorted by name.
fn entries<'d, 'i>(
    p: &mut Problems<'_>,
    value: Option<&'d Value<'i>>,
    key: &str,
) -> Vec<(String, &'d Value<'i>)> {
    let Some(value) = value else {
        return Vec::new();
    };
    let DeValue::Table(table) = value.get_ref() else {
        p.add(
            Some(value.span()),
            key.into(),
            format!("must be a table; write it as [{key}.\"<name>\"]"),
        );
        return Vec::new();
    };
    let mut out: Vec<(String, &Value<'i>)> = table
        .iter()
        .map(|(k, v)| (k.get_ref().to_string(), v))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `[settings]` and the `[hosts."pattern"]` overrides; `base` anchors relative paths.
pub(super) fn settings(
    p: &mut Problems<'_>,
    raw: Option<&Value<'_>>,
    hosts: Option<&Value<'_>>,
    base: &Path,
) -> Settings {
    let rs: RawSettings = raw
        .and_then(|v| p.section(v, "settings"))
        .unwrap_or_default();
    let interval = p.duration(
        &rs.interval,
        "settings.interval",
        DEFAULT_INTERVAL,
        MAX_INTERVAL,
    );
    let timeout = p.duration(
        &rs.timeout,
        "settings.timeout",
        DEFAULT_TIMEOUT,
        MAX_TIMEOUT,
    );
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
    let host_spacing = p.spacing(
        &rs.host_spacing,
        "settings.host_spacing",
        defaults.spacing,
        MAX_HOST_SPACING,
    );
    let mut overrides = Vec::new();
    for (pattern, value) in entries(p, hosts, "hosts") {
        let key = format!("hosts.\"{pattern}\"");
        let Some(h) = p.section::<RawHost>(value, &key) else {
            continue;
        };
        let spacing = h.spacing.is_some().then(|| {
            let k = format!("{key}.spacing");
            p.spacing(&h.spacing, &k, host_spacing, MAX_HOST_SPACING)
        });
        overrides.push(HostOverride {
            pattern,
            spacing,
            concurrency: h.concurrency,
        });
    }
    let snapshots = base.join(rs.snapshots.as_ref().map_or("snapshots", |s| s.get_ref()));
    if let Some(s) = &rs.snapshots
        && snapshots.exists()
        && !snapshots.is_dir()
    {
        p.add(
            Some(s.span()),
            "settings.snapshots".into(),
            format!(
                "`{}` exists and is not a folder; name a folder (it is created if missing)",
                s.get_ref()
            ),
        );
    }
    let max_body_bytes = match &rs.max_body_bytes {
        Some(m) if *m.get_ref() == 0 => {
            p.add(
                Some(m.span()),
                "settings.max_body_bytes".into(),
                "must be at least 1 (no page fits in 0 bytes)".into(),
            );
            DEFAULT_MAX_BODY_BYTES
        }
        Some(m) => *m.get_ref(),
        None => DEFAULT_MAX_BODY_BYTES,
    };
    Settings {
        snapshots,
        interval,
        timeout,
        max_body_bytes,
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
    }
}

fn default_user_agent() -> String {
    format!(
        "clausewatch/{} (+https://github.com/clausewatch/clausewatch)",
        env!("CARGO_PKG_VERSION")
    )
}

/// `[email]`.
pub(super) fn email(p: &mut Problems<'_>, value: &Value<'_>) -> Option<EmailConfig> {
    let span = value.span();
    let e: RawEmail = p.section(value, "email")?;
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
    Some(EmailConfig {
        digest,
        smtp_url: e.smtp_url.into_inner(),
        username: e.username,
        password_env: e.password_env.map(Spanned::into_inner),
        from: e.from.into_inner(),
        to: e.to.into_inner(),
    })
}

/// `[topics.<name>]`: the watchlist's own topics, in name order.
pub(super) fn topics(p: &mut Problems<'_>, value: Option<&Value<'_>>) -> Vec<CustomTopic> {
    let mut custom_topics = Vec::new();
    for (name, value) in entries(p, value, "topics") {
        let span = value.span();
        let key = format!("topics.{name}");
        let Some(t) = p.section::<RawTopic>(value, &key) else {
            continue;
        };
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
    custom_topics
}

/// Every `[[watch]]`, in file order; a watch whose URL is unusable is left out (its
/// problems are reported).
pub(super) fn watches(
    p: &mut Problems<'_>,
    value: Option<&Value<'_>>,
    settings: &Settings,
    custom_topics: &[CustomTopic],
) -> Vec<Watch> {
    let Some(value) = value else {
        return Vec::new();
    };
    let DeValue::Array(list) = value.get_ref() else {
        p.add(
            Some(value.span()),
            "watch".into(),
            "must be a list of watches; write each one as [[watch]]".into(),
        );
        return Vec::new();
    };
    let mut all_topics = Topic::all();
    all_topics.extend(
        custom_topics
            .iter()
            .map(|c| Topic::new(&c.name))
            .filter(|t| !t.is_builtin()),
    );
    all_topics.sort();
    let ctx = WatchContext {
        settings,
        custom_topics,
        all_topics: &all_topics,
    };
    let mut watches: Vec<Watch> = Vec::new();
    for (i, value) in list.iter().enumerate() {
        let prefix = format!("watch[{}]", i + 1);
        if let Some(w) = p.section::<RawWatch>(value, &prefix)
            && let Some(w) = watch(p, &prefix, w, &ctx, &watches)
        {
            watches.push(w);
        }
    }
    watches
}

/// What every watch is validated against.
struct WatchContext<'a> {
    settings: &'a Settings,
    custom_topics: &'a [CustomTopic],
    /// Built-in and custom topics, sorted: the default of a watch without `topics`.
    all_topics: &'a [Topic],
}

/// One `[[watch]]`; `earlier` are the watches before it (names must be unique).
fn watch(
    p: &mut Problems<'_>,
    prefix: &str,
    w: RawWatch,
    ctx: &WatchContext<'_>,
    earlier: &[Watch],
) -> Option<Watch> {
    let key = |k: &str| format!("{prefix}.{k}");
    let name = w.name.get_ref().clone();
    if let Err(msg) = validate_name(&name) {
        p.add(Some(w.name.span()), key("name"), msg);
    } else if let Some(x) = earlier.iter().find(|x| x.name.eq_ignore_ascii_case(&name)) {
        let msg = if x.name == name {
            format!("`{name}` is used by another watch; names must be unique")
        } else {
            format!(
                "`{name}` and `{}` differ only in case, so they share a folder on case-insensitive file systems; names must be unique ignoring case",
                x.name
            )
        };
        p.add(Some(w.name.span()), key("name"), msg);
    }
    let url = watch_url(p, &w.url, &key("url"));
    let auth = watch_auth(p, &w, &key);
    let topics = watch_topics(p, w.topics.as_ref(), &key("topics"), ctx);
    if let Some(sel) = &w.select
        && let Err(e) = scraper::Selector::parse(sel.get_ref())
    {
        p.add(
            Some(sel.span()),
            key("select"),
            format!("`{}` is not a valid CSS selector ({e})", sel.get_ref()),
        );
    }
    let interval = p.duration(
        &w.interval,
        &key("interval"),
        ctx.settings.interval,
        MAX_INTERVAL,
    );
    let cron = w.cron.as_ref().and_then(|c| {
        if w.interval.is_some() {
            p.add(
                Some(c.span()),
                key("cron"),
                "set either `cron` or `interval`, not both".into(),
            );
        }
        match c.get_ref().parse::<croner::Cron>() {
            Ok(cron) => match cron_gap_problem(&cron) {
                None => Some(cron),
                Some(msg) => {
                    p.add(
                        Some(c.span()),
                        key("cron"),
                        format!("`{}` {msg}", c.get_ref()),
                    );
                    None
                }
            },
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
    Some(Watch {
        name,
        url: url?,
        topics,
        select: w.select.map(Spanned::into_inner),
        interval,
        robots: w.robots.unwrap_or(ctx.settings.robots),
        cron,
        custom_topics: ctx.custom_topics.to_vec(),
        auth,
    })
}

/// `username` + `password_env`: both or neither.
fn watch_auth(
    p: &mut Problems<'_>,
    w: &RawWatch,
    key: &dyn Fn(&str) -> String,
) -> Option<BasicAuth> {
    match (&w.username, &w.password_env) {
        (None, None) => None,
        (Some(u), Some(env)) => {
            let var = env.get_ref();
            if var.is_empty() || var.contains('=') || var.contains('\0') {
                p.add(
                    Some(env.span()),
                    key("password_env"),
                    "must be the name of an environment variable".into(),
                );
            }
            Some(BasicAuth {
                username: u.get_ref().clone(),
                password_env: var.clone(),
            })
        }
        (Some(u), None) => {
            p.add(
                Some(u.span()),
                key("username"),
                "needs `password_env`, the environment variable that holds the password".into(),
            );
            None
        }
        (None, Some(env)) => {
            p.add(
                Some(env.span()),
                key("password_env"),
                "needs `username`".into(),
            );
            None
        }
    }
}

/// Times of a cron expression looked at when checking its gaps: enough to see a yearly
/// pattern repeat, few enough to cost nothing.
const CRON_TIMES_CHECKED: usize = 6;

/// Why a cron expression cannot be scheduled: no time in the next [`MAX_CRON_GAP`], or two
/// of its next times further apart than that (e.g. only on 29 February).
fn cron_gap_problem(cron: &croner::Cron) -> Option<String> {
    let mut prev = chrono::Utc::now();
    for _ in 0..CRON_TIMES_CHECKED {
        let limit = super::time_after(prev, MAX_CRON_GAP);
        match cron.find_next_occurrence(&prev, false) {
            Ok(next) if next <= limit => prev = next,
            _ => {
                return Some(format!(
                    "leaves more than {} between two checks, the longest accepted gap",
                    super::problems::describe(MAX_CRON_GAP)
                ));
            }
        }
    }
    None
}

fn watch_url(p: &mut Problems<'_>, url: &Spanned<String>, key: &str) -> Option<Url> {
    match Url::parse(url.get_ref()) {
        // The URL itself is not repeated: it holds a secret.
        Ok(u) if !u.username().is_empty() || u.password().is_some() => {
            p.add(
                Some(url.span()),
                key.into(),
                "must not contain credentials (user:password@); set the watch's `username` and \
                 `password_env` (HTTP Basic auth, the password read from that environment \
                 variable) instead"
                    .into(),
            );
            None
        }
        Ok(u) if matches!(u.scheme(), "http" | "https") => Some(u),
        Ok(u) => {
            p.add(
                Some(url.span()),
                key.into(),
                format!(
                    "scheme `{}` is not supported; use http or https",
                    u.scheme()
                ),
            );
            None
        }
        Err(e) => {
            p.add(
                Some(url.span()),
                key.into(),
                format!("`{}` is not a URL ({e})", url.get_ref()),
            );
            None
        }
    }
}

fn watch_topics(
    p: &mut Problems<'_>,
    topics: Option<&Spanned<Vec<String>>>,
    key: &str,
    ctx: &WatchContext<'_>,
) -> Vec<Topic> {
    let Some(t) = topics else {
        return ctx.all_topics.to_vec();
    };
    let known =
        |t: &Topic| t.is_builtin() || ctx.custom_topics.iter().any(|c| c.name == t.as_str());
    let mut out = Vec::new();
    for name in t.get_ref() {
        let topic = Topic::new(name);
        if known(&topic) {
            out.push(topic);
        } else {
            let names: Vec<&str> = ctx.all_topics.iter().map(Topic::as_str).collect();
            p.add(
                Some(t.span()),
                key.into(),
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
            key.into(),
            "is empty; leave it out to watch all topics".into(),
        );
    }
    out.sort();
    out.dedup();
    out
}

//! The serde mirror of `watchlist.toml`, one struct per section, with `deny_unknown_fields`
//! and `Spanned` values so that every problem carries its line. Each section is read on
//! its own (see `problems.rs`), so a mistake in one never hides another.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopic {
    #[serde(default)]
    pub(super) patterns: Vec<String>,
    #[serde(default)]
    pub(super) exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHost {
    pub(super) spacing: Option<Spanned<String>>,
    pub(super) concurrency: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSettings {
    pub(super) snapshots: Option<Spanned<String>>,
    pub(super) interval: Option<Spanned<String>>,
    pub(super) timeout: Option<Spanned<String>>,
    pub(super) max_body_bytes: Option<Spanned<u64>>,
    pub(super) user_agent: Option<String>,
    pub(super) jobs: Option<Spanned<usize>>,
    pub(super) host_spacing: Option<Spanned<String>>,
    pub(super) host_concurrency: Option<usize>,
    pub(super) robots: Option<bool>,
    pub(super) failure_alert_after: Option<u32>,
    pub(super) keep_versions: Option<usize>,
    pub(super) keep_raw_pages: Option<usize>,
    pub(super) keep_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmail {
    pub(super) smtp_url: Spanned<String>,
    pub(super) username: Option<String>,
    pub(super) password_env: Option<Spanned<String>>,
    pub(super) from: Spanned<String>,
    pub(super) to: Spanned<Vec<String>>,
    pub(super) mode: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWatch {
    pub(super) name: Spanned<String>,
    pub(super) url: Spanned<String>,
    pub(super) topics: Option<Spanned<Vec<String>>>,
    pub(super) select: Option<Spanned<String>>,
    pub(super) interval: Option<Spanned<String>>,
    pub(super) robots: Option<bool>,
    pub(super) cron: Option<Spanned<String>>,
    pub(super) username: Option<Spanned<String>>,
    pub(super) password_env: Option<Spanned<String>>,
}

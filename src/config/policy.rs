//! Setting types that other modules act on: the HTTP client's limits and politeness
//! ([`FetchSettings`], [`HostPolicy`]) and what a watch keeps of its history ([`Retention`]).
//! They live here, at the bottom, so that `fetch` and `store` read settings without the
//! settings knowing either of them.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Longest `interval` of a watch.
pub const MAX_INTERVAL: Duration = Duration::from_secs(365 * 86_400);
/// Longest gap between two times of a watch's `cron`: a calendar year, so that a yearly
/// pattern passes in a leap year too.
pub const MAX_CRON_GAP: Duration = Duration::from_secs(366 * 86_400);
/// Longest `timeout` of one fetch.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest `host_spacing` (and `[hosts."…"] spacing`).
pub const MAX_HOST_SPACING: Duration = Duration::from_secs(3600);

/// `t + d`, saturating at the latest time chrono can represent instead of panicking: every
/// duration that comes from outside (a server's `Retry-After`, a watchlist interval) is
/// added to a time through this.
pub fn time_after(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// User-Agent header.
    pub user_agent: String,
    /// Total timeout of one request (connect, headers and body).
    pub timeout: Duration,
    /// Body cap after decompression.
    pub max_body_bytes: u64,
    /// Politeness per host: minimum spacing between request starts and concurrent requests.
    pub hosts: HostPolicy,
}

/// Per-host politeness limits.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    /// Default minimum time between two requests to one host.
    pub spacing: Duration,
    /// Default maximum concurrent requests to one host.
    pub concurrency: usize,
    /// Overrides by host pattern (`example.com`, `*.example.com`, `127.0.0.1`); the most
    /// specific match wins.
    pub overrides: Vec<HostOverride>,
}

/// Limits for hosts matching a pattern.
#[derive(Debug, Clone)]
pub struct HostOverride {
    /// `host` or `*.domain`.
    pub pattern: String,
    /// Minimum spacing, if set.
    pub spacing: Option<Duration>,
    /// Concurrency, if set.
    pub concurrency: Option<usize>,
}

impl Default for HostPolicy {
    fn default() -> Self {
        HostPolicy {
            spacing: Duration::from_secs(1),
            concurrency: 2,
            overrides: Vec::new(),
        }
    }
}

impl HostPolicy {
    /// Spacing and concurrency for a host. Loopback hosts are the user's own machine, so
    /// they get no spacing unless an override says otherwise.
    pub fn limits(&self, host: &str) -> (Duration, usize) {
        // The most specific pattern wins: an exact host, then the longest `*.domain`.
        let o = self
            .overrides
            .iter()
            .find(|o| o.pattern.eq_ignore_ascii_case(host))
            .or_else(|| {
                self.overrides
                    .iter()
                    .filter(|o| {
                        o.pattern.strip_prefix("*.").is_some_and(|domain| {
                            host.ends_with(&format!(".{domain}")) || host == domain
                        })
                    })
                    .max_by_key(|o| o.pattern.len())
            });
        let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "::1");
        let spacing = o.and_then(|o| o.spacing).unwrap_or(if loopback {
            Duration::ZERO
        } else {
            self.spacing
        });
        let concurrency =
            o.and_then(|o| o.concurrency)
                .unwrap_or(if loopback { 64 } else { self.concurrency });
        (spacing, concurrency.max(1))
    }
}

/// What to keep of a watch's history (`keep_*` settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// Versions kept, newest first; `None` keeps all. The newest is always kept.
    pub versions: Option<usize>,
    /// Versions whose raw page is kept (the newest always is: rule changes re-read it).
    pub raw_pages: usize,
    /// Versions older than this are removed (the newest is always kept).
    pub max_age: Option<chrono::Duration>,
    /// `fetch.log` is cut to its newer half beyond this size.
    pub log_bytes: u64,
    /// Delivered alerts kept, newest first.
    pub delivered_alerts: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            versions: None,
            raw_pages: 20,
            max_age: None,
            log_bytes: 1024 * 1024,
            delivered_alerts: 200,
        }
    }
}

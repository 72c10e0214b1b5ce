//! Fetching a page: one shared HTTP client, conditional GET, bounded bodies.
//!
//! Owns: the reqwest client (built once: rustls, gzip/brotli/deflate, timeouts, a redirect
//! policy that allows only http/https and at most [`MAX_REDIRECTS`] hops), conditional
//! requests from stored validators, and the body cap, enforced while streaming so a huge or
//! endless body never sits in memory. Must not: interpret the page or touch the store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use crate::config::FetchSettings;

/// Redirect hops followed before a fetch fails.
pub const MAX_REDIRECTS: usize = 10;

/// Per-host gate: a semaphore for concurrency and the earliest next start for spacing.
struct HostGate {
    permits: Arc<Semaphore>,
    next_start: Instant,
}

/// HTTP validators from the last stored fetch, sent back for a conditional GET.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` of the last stored page.
    pub etag: Option<String>,
    /// `Last-Modified` of the last stored page.
    pub last_modified: Option<String>,
}

/// A successful HTTP exchange (any status).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// Validators the server sent.
    pub validators: Validators,
    /// The body (empty for 304).
    pub body: Vec<u8>,
    /// `Retry-After` of a 429/503 answer.
    pub retry_after: Option<Duration>,
}

impl Fetched {
    /// Whether the server answered 304 Not Modified.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// What happens to a body longer than the cap.
#[derive(Debug, Clone, Copy)]
enum BodyLimit {
    /// The fetch fails ([`FetchError::TooLarge`]).
    Fail(u64),
    /// The body is cut at the cap and the rest never read.
    Truncate(u64),
}

/// HTTP Basic credentials for one request. The password is never printed (`Debug` hides it).
#[derive(Clone)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password, read from the environment just before the request.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// Why a fetch produced no usable response.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer within the timeout.
    #[error(
        "timed out after {0:?}; the server is slow or unreachable (raise settings.timeout if it is just slow)"
    )]
    Timeout(Duration),
    /// Connection refused, reset, DNS failure, TLS failure …
    #[error("connection failed: {0}")]
    Connect(String),
    /// Too many redirects, or a redirect to something other than http/https.
    #[error("redirect refused: {0}")]
    Redirect(String),
    /// The body is larger than the cap.
    #[error(
        "body larger than {limit} bytes; raise settings.max_body_bytes if the page is really that big"
    )]
    TooLarge {
        /// The cap.
        limit: u64,
    },
    /// robots.txt of the host disallows the URL.
    #[error(
        "robots.txt of {0} disallows this URL for clausewatch; set `robots = false` on the watch to override"
    )]
    RobotsDisallowed(String),
    /// Anything else reqwest reports.
    #[error("{0}")]
    Other(String),
}

/// How long a host's robots.txt is trusted before it is fetched again, in memory and in
/// the store's cache.
pub const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// Bytes of a robots.txt read and parsed; the rest is ignored, as major crawlers do (RFC 9309
/// asks for at least 500 KiB), so a hostile file costs bounded time and memory.
pub const ROBOTS_MAX_BYTES: u64 = 500 * 1024;

/// What a host's robots.txt says, as fetched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RobotsFile {
    /// A 2xx answer: its rules (at most [`ROBOTS_MAX_BYTES`]).
    Rules {
        /// The file's text, cut at the last line end within the cap.
        body: String,
    },
    /// A 4xx answer (or an unparsable file): no rules, everything allowed.
    AllowAll,
    /// A 5xx answer or no answer: everything disallowed for now (RFC 9309); never cached.
    Unavailable {
        /// Why.
        reason: String,
    },
}

/// Where robots.txt answers are kept between processes (the store implements it; `fetch`
/// does not know the store). Entries older than [`ROBOTS_TTL`] are fetched again.
pub trait RobotsCache: Send + Sync {
    /// The cached answer for an origin and when it was fetched.
    fn load(&self, origin: &str) -> Option<(chrono::DateTime<chrono::Utc>, RobotsFile)>;
    /// Keeps an answer (best effort).
    fn save(&self, origin: &str, fetched_at: chrono::DateTime<chrono::Utc>, file: &RobotsFile);
}

/// A parsed robots.txt; `None` allows everything.
type ParsedRobots = Option<Arc<texting_robots::Robot>>;

/// One slot per origin, so robots.txt of different hosts are fetched in parallel and each
/// only once per [`ROBOTS_TTL`].
type RobotsSlot = Arc<tokio::sync::Mutex<Option<(Instant, ParsedRobots)>>>;

/// The HTTP client, built once and shared by every watch.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    hosts: Arc<Mutex<HashMap<String, HostGate>>>,
    robots: Arc<Mutex<HashMap<String, RobotsSlot>>>,
}

impl Fetcher {
    /// Builds the client.
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            // `previous()` holds every URL requested so far, the first one included: at the
            // eleventh redirect it holds eleven.
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if !matches!(attempt.url().scheme(), "http" | "https") {
                let msg = format!("redirect to non-http URL {}", attempt.url());
                attempt.error(msg)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .redirect(policy)
            .build()
            .map_err(|e| FetchError::Other(e.to_string()))?;
        Ok(Fetcher {
            client,
            settings,
            hosts: Arc::default(),
            robots: Arc::default(),
        })
    }

    /// Waits for this host's turn (concurrency and spacing); the permit is held for the
    /// request's duration.
    async fn host_turn(&self, url: &Url) -> tokio::sync::OwnedSemaphorePermit {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let (spacing, concurrency) = self.settings.hosts.limits(&host);
        let permits = {
            let mut hosts = self.hosts.lock().expect("host table lock");
            let gate = hosts.entry(host.clone()).or_insert_with(|| HostGate {
                permits: Arc::new(Semaphore::new(concurrency)),
                next_start: Instant::now(),
            });
            gate.permits.clone()
        };
        let permit = permits.acquire_owned().await.expect("never closed");
        if !spacing.is_zero() {
            let start = {
                let mut hosts = self.hosts.lock().expect("host table lock");
                let gate = hosts.get_mut(&host).expect("inserted above");
                let start = gate.next_start.max(Instant::now());
                gate.next_start = start + spacing;
                start
            };
            tokio::time::sleep_until(start).await;
        }
        permit
    }

    /// Whether the host's robots.txt lets clausewatch fetch `url`. The answer is kept for
    /// [`ROBOTS_TTL`] in memory and in `cache`: a 2xx file's rules (its first
    /// [`ROBOTS_MAX_BYTES`]) or a 4xx (allow all). A 5xx answer or none at all disallows
    /// everything for now (RFC 9309) and is asked again at the next check.
    pub async fn robots_allowed(&self, url: &Url, cache: &dyn RobotsCache) -> bool {
        let origin = url.origin().ascii_serialization();
        let slot = self
            .robots
            .lock()
            .expect("robots table lock")
            .entry(origin.clone())
            .or_default()
            .clone();
        let mut slot = slot.lock().await;
        if let Some((_, robot)) = slot.as_ref().filter(|(at, _)| at.elapsed() < ROBOTS_TTL) {
            return robot.as_ref().is_none_or(|r| r.allowed(url.as_str()));
        }
        let now = chrono::Utc::now();
        let cached = cache.load(&origin).and_then(|(at, file)| {
            let age = (now - at).to_std().ok()?;
            (age < ROBOTS_TTL).then(|| (Instant::now().checked_sub(age), file))
        });
        let (since, file) = match cached {
            Some((since, file)) => (since.unwrap_or_else(Instant::now), file),
            None => {
                let file = self.fetch_robots(&origin).await;
                if !matches!(file, RobotsFile::Unavailable { .. }) {
                    cache.save(&origin, now, &file);
                }
                (Instant::now(), file)
            }
        };
        let robot = match &file {
            RobotsFile::Unavailable { reason } => {
                tracing::warn!(%origin, %reason, "robots.txt unavailable; disallowed for now");
                *slot = None;
                return false;
            }
            RobotsFile::AllowAll => None,
            RobotsFile::Rules { body } => {
                texting_robots::Robot::new("clausewatch", body.as_bytes())
                    .ok()
                    .map(Arc::new)
            }
        };
        let allowed = robot.as_ref().is_none_or(|r| r.allowed(url.as_str()));
        *slot = Some((since, robot));
        allowed
    }

    /// Fetches an origin's robots.txt, reading at most [`ROBOTS_MAX_BYTES`].
    pub async fn fetch_robots(&self, origin: &str) -> RobotsFile {
        let unavailable = |reason: String| RobotsFile::Unavailable { reason };
        let Ok(url) = Url::parse(&format!("{origin}/robots.txt")) else {
            return unavailable(format!("`{origin}` has no robots.txt URL"));
        };
        let limit = BodyLimit::Truncate(ROBOTS_MAX_BYTES);
        match self
            .fetch_limited(&url, &Validators::default(), None, limit)
            .await
        {
            Ok(f) if (200..300).contains(&f.status) => {
                let text = String::from_utf8_lossy(&f.body);
                // A line cut by the cap is dropped, not half-read.
                let body = match text.rfind('\n') {
                    Some(end) if f.body.len() as u64 >= ROBOTS_MAX_BYTES => &text[..=end],
                    _ => &text[..],
                };
                RobotsFile::Rules {
                    body: body.to_string(),
                }
            }
            Ok(f) if f.status >= 500 => unavailable(format!("HTTP {}", f.status)),
            Ok(_) => RobotsFile::AllowAll,
            Err(e) => unavailable(e.to_string()),
        }
    }

    /// GETs `url`, conditionally when validators are known. Non-2xx statuses are returned as
    /// [`Fetched`] (the caller decides); only transport problems are errors.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        self.fetch_as(url, validators, None).await
    }

    /// [`Self::fetch`] with HTTP Basic credentials (not sent on to another host when
    /// redirected: reqwest drops `Authorization` across origins).
    pub async fn fetch_as(
        &self,
        url: &Url,
        validators: &Validators,
        auth: Option<&Credentials>,
    ) -> Result<Fetched, FetchError> {
        let limit = BodyLimit::Fail(self.settings.max_body_bytes);
        self.fetch_limited(url, validators, auth, limit).await
    }

    async fn fetch_limited(
        &self,
        url: &Url,
        validators: &Validators,
        auth: Option<&Credentials>,
        limit: BodyLimit,
    ) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url.clone());
        if let Some(c) = auth {
            req = req.basic_auth(&c.username, Some(&c.password));
        }
        if let Some(etag) = &validators.etag {
            req = req.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm);
        }
        let _turn = self.host_turn(url).await;
        let resp = req.send().await.map_err(|e| self.classify(e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        // reqwest hands back redirects it will not follow (e.g. to `file:`) as plain 3xx.
        if resp.status().is_redirection() && status != 304 {
            let to = header(&headers, reqwest::header::LOCATION).unwrap_or_default();
            return Err(FetchError::Redirect(format!(
                "HTTP {status} to `{to}` not followed; only http and https redirects are"
            )));
        }
        let (limit, truncate) = match limit {
            BodyLimit::Fail(n) => (n, false),
            BodyLimit::Truncate(n) => (n, true),
        };
        if !truncate && resp.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                if truncate {
                    let room = (limit as usize).saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    break;
                }
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            content_type: header(&headers, CONTENT_TYPE),
            validators: Validators {
                etag: header(&headers, ETAG),
                last_modified: header(&headers, LAST_MODIFIED),
            },
            retry_after: header(&headers, reqwest::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(&v)),
            body,
        })
    }

    fn classify(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.settings.timeout)
        } else if e.is_redirect() {
            FetchError::Redirect(crate::error_chain(&e))
        } else if e.is_connect() {
            FetchError::Connect(crate::error_chain(&e))
        } else {
            FetchError::Other(crate::error_chain(&e))
        }
    }
}

/// Longest `Retry-After` honoured: a server that asks for more is checked again after a
/// day (and may then ask again), so one answer can never park a watch for years.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// `Retry-After`: delay in seconds, or an HTTP date; at most [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let secs = v.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
        .map(|d| d.min(MAX_RETRY_AFTER))
}

fn header(h: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{HostOverride, HostPolicy};

    #[test]
    fn host_limits_honor_overrides_and_spare_loopback() {
        let p = HostPolicy {
            overrides: vec![
                HostOverride {
                    pattern: "*.example.com".into(),
                    spacing: Some(Duration::from_secs(5)),
                    concurrency: None,
                },
                HostOverride {
                    pattern: "*.eu.example.com".into(),
                    spacing: Some(Duration::from_secs(7)),
                    concurrency: None,
                },
                HostOverride {
                    pattern: "fast.example.com".into(),
                    spacing: Some(Duration::ZERO),
                    concurrency: Some(9),
                },
            ],
            ..HostPolicy::default()
        };
        assert_eq!(p.limits("news.example.com"), (Duration::from_secs(5), 2));
        assert_eq!(p.limits("a.eu.example.com"), (Duration::from_secs(7), 2));
        assert_eq!(p.limits("fast.example.com"), (Duration::ZERO, 9));
        assert_eq!(p.limits("other.org"), (Duration::from_secs(1), 2));
        assert_eq!(p.limits("127.0.0.1"), (Duration::ZERO, 64));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("soon"), None);
        // Issue 9: absurd values are capped at a day instead of overflowing a time.
        for huge in [
            "10000000000000",
            "100000000000000000",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_retry_after(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
        let far = "Fri, 31 Dec 9999 23:59:59 +0000";
        assert_eq!(parse_retry_after(far), Some(MAX_RETRY_AFTER));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let d = parse_retry_after(&later).unwrap();
        assert!(
            d > Duration::from_secs(80) && d <= Duration::from_secs(90),
            "{d:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced() {
        let f = Fetcher::new(FetchSettings {
            user_agent: "t".into(),
            timeout: Duration::from_secs(5),
            max_body_bytes: 10,
            hosts: HostPolicy::default(),
        })
        .unwrap();
        let url = Url::parse("https://news.example.org/a").unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            drop(f.host_turn(&url).await);
        }
        // Three starts: at 0 s, 1 s and 2 s.
        assert_eq!(t0.elapsed(), Duration::from_secs(2));
        let other = Url::parse("https://other.example.net/").unwrap();
        let t1 = Instant::now();
        drop(f.host_turn(&other).await);
        assert_eq!(t1.elapsed(), Duration::ZERO, "other hosts do not wait");
    }
}

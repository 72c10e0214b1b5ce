//! Fetching a page: one shared HTTP client, conditional GET, bounded bodies.
//!
//! Owns: the reqwest client (built once: rustls, gzip/brotli/deflate, timeouts, a redirect
//! policy that allows only http/https and at most [`MAX_REDIRECTS`] hops), conditional
//! requests from stored validators, and the body cap, enforced while streaming so a huge or
//! endless body never sits in memory. Must not: interpret the page or touch the store.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

/// Redirect hops followed before a fetch fails.
pub const MAX_REDIRECTS: usize = 10;

/// Client settings.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// User-Agent header.
    pub user_agent: String,
    /// Total timeout of one request (connect, headers and body).
    pub timeout: Duration,
    /// Body cap after decompression.
    pub max_body_bytes: u64,
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
    /// URL after redirects.
    pub final_url: Url,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// Validators the server sent.
    pub validators: Validators,
    /// The body (empty for 304).
    pub body: Vec<u8>,
}

impl Fetched {
    /// Whether the server answered 304 Not Modified.
    pub fn not_modified(&self) -> bool {
        self.status == 304
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
    /// Anything else reqwest reports.
    #[error("{0}")]
    Other(String),
}

/// The HTTP client, built once and shared by every watch.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
}

impl Fetcher {
    /// Builds the client.
    pub fn new(settings: FetchSettings) -> Result<Fetcher, FetchError> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
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
        Ok(Fetcher { client, settings })
    }

    /// GETs `url`, conditionally when validators are known. Non-2xx statuses are returned as
    /// [`Fetched`] (the caller decides); only transport problems are errors.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut req = self.client.get(url.clone());
        if let Some(etag) = &validators.etag {
            req = req.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm);
        }
        let resp = req.send().await.map_err(|e| self.classify(e))?;
        let status = resp.status().as_u16();
        let final_url = resp.url().clone();
        let headers = resp.headers().clone();
        let limit = self.settings.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            final_url,
            content_type: header(&headers, CONTENT_TYPE),
            validators: Validators {
                etag: header(&headers, ETAG),
                last_modified: header(&headers, LAST_MODIFIED),
            },
            body,
        })
    }

    fn classify(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.settings.timeout)
        } else if e.is_redirect() {
            FetchError::Redirect(chain(&e))
        } else if e.is_connect() {
            FetchError::Connect(chain(&e))
        } else {
            FetchError::Other(chain(&e))
        }
    }
}

fn header(h: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

/// reqwest's top-level message hides the cause ("error sending request"); include the chain.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        src = s.source();
    }
    out
}

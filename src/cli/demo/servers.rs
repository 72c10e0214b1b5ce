//! Small real servers on 127.0.0.1 for `demo` and the test suites: an HTTP/1.1 page server
//! whose pages can be swapped while it runs, and an SMTP sink that keeps what it receives.
//!
//! They speak the real protocols over real TCP, so the product is exercised end to end
//! (reqwest and lettre on one side) without any internet access. Hand-written on purpose:
//! the fault tests need byte-level faults (truncated bodies, stalls, a connection dropped
//! after the mail's final dot). Private to the `demo` command; the tests include this same
//! file (`tests/support/mod.rs`), so it names nothing of the crate. Must not: be used for
//! anything but loopback; they bind 127.0.0.1 only.
// Each includer (the demo, the tests) uses a different part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A canned HTTP response.
#[derive(Debug, Clone)]
pub struct Page {
    /// Status code.
    pub status: u16,
    /// `Content-Type` header.
    pub content_type: String,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Delay before the response head is written (to simulate slow servers).
    pub delay: Duration,
    /// Extra response headers (`Location`, `Retry-After`, `Content-Encoding`, …).
    pub headers: Vec<(String, String)>,
    /// How the exchange goes wrong, if it does.
    pub fault: Fault,
}

/// Transport faults the page server can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// A well-behaved response.
    #[default]
    None,
    /// Read the request, then never answer.
    Hang,
    /// Read the request, then close the connection without a response.
    Reset,
    /// Send the head and this many body bytes, then stall forever.
    StallAfter(usize),
    /// Announce the full length but send only this many body bytes, then close.
    Truncate(usize),
}

impl Page {
    /// A 200 `text/html; charset=utf-8` page.
    pub fn html(body: impl Into<Vec<u8>>) -> Page {
        Page {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
            fault: Fault::None,
        }
    }

    /// An empty page with a status code.
    pub fn status(status: u16) -> Page {
        Page {
            status,
            content_type: "text/plain".into(),
            body: Vec::new(),
            delay: Duration::ZERO,
            headers: Vec::new(),
            fault: Fault::None,
        }
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Page {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a transport fault.
    pub fn fault(mut self, fault: Fault) -> Page {
        self.fault = fault;
        self
    }
}

#[derive(Default)]
struct HttpState {
    pages: HashMap<String, Page>,
    requests: usize,
    authorization: Option<String>,
}

/// An HTTP/1.1 server on 127.0.0.1 serving swappable pages, with ETag / `If-None-Match`.
#[derive(Clone)]
pub struct HttpServer {
    addr: SocketAddr,
    state: Arc<Mutex<HttpState>>,
}

impl HttpServer {
    /// Binds a free port and serves in a background task of the current runtime.
    pub async fn start() -> std::io::Result<HttpServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let server = HttpServer {
            addr: listener.local_addr()?,
            state: Arc::default(),
        };
        let state = server.state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve_http(stream, state).await;
                });
            }
        });
        Ok(server)
    }

    /// URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets (or replaces) the page served at `path`.
    pub fn set(&self, path: &str, page: Page) {
        self.state
            .lock()
            .expect("lock")
            .pages
            .insert(path.into(), page);
    }

    /// Requests served so far.
    pub fn requests(&self) -> usize {
        self.state.lock().expect("lock").requests
    }

    /// The `Authorization` header of the last request, if it had one.
    pub fn last_authorization(&self) -> Option<String> {
        self.state.lock().expect("lock").authorization.clone()
    }
}

async fn serve_http(stream: TcpStream, state: Arc<Mutex<HttpState>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    // Read the request head (bounded), line by line.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        let done = line == "\r\n" || line == "\n";
        head.push(line);
        if done {
            break;
        }
    }
    let path = head[0].split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = path.split('?').next().unwrap_or("/").to_string();
    let inm = head.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("if-none-match")
            .then(|| v.trim().to_string())
    });
    let authorization = head.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("authorization")
            .then(|| v.trim().to_string())
    });
    let page = {
        let mut s = state.lock().expect("lock");
        s.requests += 1;
        s.authorization = authorization;
        s.pages.get(&path).cloned()
    };
    let page = page.unwrap_or_else(|| Page::status(404));
    if !page.delay.is_zero() {
        tokio::time::sleep(page.delay).await;
    }
    match page.fault {
        Fault::Hang => {
            // Bounded so a test's server task cannot outlive the test by much.
            tokio::time::sleep(Duration::from_secs(300)).await;
            return Ok(());
        }
        Fault::Reset => return Ok(()),
        _ => {}
    }
    let etag = format!("\"{}\"", &sha256_hex(&page.body)[..16]);
    let mut stream = reader.into_inner();
    if page.status == 200 && page.fault == Fault::None && inm.as_deref() == Some(etag.as_str()) {
        let head =
            format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n");
        return stream.write_all(head.as_bytes()).await;
    }
    let extra: String = page
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: {etag}\r\n{extra}Connection: close\r\n\r\n",
        page.status,
        page.content_type,
        page.body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    match page.fault {
        Fault::StallAfter(n) => {
            stream
                .write_all(&page.body[..n.min(page.body.len())])
                .await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_secs(300)).await;
            Ok(())
        }
        Fault::Truncate(n) => {
            stream
                .write_all(&page.body[..n.min(page.body.len())])
                .await?;
            stream.shutdown().await
        }
        _ => {
            stream.write_all(&page.body).await?;
            stream.shutdown().await
        }
    }
}

/// A mail the sink received.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// `MAIL FROM` address.
    pub from: String,
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message as sent (headers and body), dot-unstuffed.
    pub data: String,
}

impl ReceivedMail {
    /// The value of a header (first occurrence, unfolded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let mut lines = head.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                let mut value = v.trim().to_string();
                while let Some(cont) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                    value.push(' ');
                    value.push_str(cont.trim());
                    lines.next();
                }
                return Some(value);
            }
        }
        None
    }
}

#[derive(Default)]
struct SmtpState {
    mails: Vec<ReceivedMail>,
    refuse: bool,
    drop_after_accept: bool,
}

/// An SMTP server on 127.0.0.1 that accepts every message and keeps it.
#[derive(Clone)]
pub struct SmtpSink {
    addr: SocketAddr,
    state: Arc<Mutex<SmtpState>>,
}

impl SmtpSink {
    /// Binds a free port and serves in a background task of the current runtime.
    pub async fn start() -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let sink = SmtpSink {
            addr: listener.local_addr()?,
            state: Arc::default(),
        };
        let state = sink.state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve_smtp(stream, state).await;
                });
            }
        });
        Ok(sink)
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Mails received so far.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.state.lock().expect("lock").mails.clone()
    }

    /// While set, every session is answered `421` (service not available).
    pub fn set_refuse(&self, refuse: bool) {
        self.state.lock().expect("lock").refuse = refuse;
    }

    /// While set, a message is kept (delivered) but the connection is dropped right after
    /// its final "." instead of answering `250`: the client cannot know it arrived.
    pub fn set_drop_after_accept(&self, drop: bool) {
        self.state.lock().expect("lock").drop_after_accept = drop;
    }
}

async fn serve_smtp(stream: TcpStream, state: Arc<Mutex<SmtpState>>) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    if state.lock().expect("lock").refuse {
        return w.write_all(b"421 sink closing, try later\r\n").await;
    }
    w.write_all(b"220 clausewatch-sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-clausewatch-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 ok\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = addr(&cmd[10..]);
            to.clear();
            b"250 ok\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(addr(&cmd[8..]));
            b"250 ok\r\n"
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            b"250 ok\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 end with .\r\n").await?;
            let mut data = String::new();
            let mut size = 0usize;
            loop {
                line.clear();
                let n = r.read_line(&mut line).await?;
                size += n;
                if n == 0 || size > 32 * 1024 * 1024 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let drop_now = {
                let mut s = state.lock().expect("lock");
                s.mails.push(ReceivedMail {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
                s.drop_after_accept
            };
            if drop_now {
                return Ok(());
            }
            b"250 queued\r\n"
        } else if upper.starts_with("QUIT") {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
}

fn addr(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or("");
    s.trim_matches(|c| c == '<' || c == '>').to_string()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

//! Shared test harness: our own announcement pages (invented companies) and a temp-dir
//! watchlist wired to loopback HTTP and SMTP servers.
#![allow(dead_code)]

// The demo's loopback servers, the one copy (private to the `demo` command in the crate).
#[path = "../../src/cli/demo/servers.rs"]
pub mod servers;

pub use servers::{HttpServer, Page, SmtpSink};

use std::path::{Path, PathBuf};

use clausewatch::check::{CheckReport, PreparedWatch};
use clausewatch::{check, cli, config, schedule};

/// Article paragraphs of the test deal, version 1.
pub const TERMS_V1: &[&str] = &[
    "REDWOOD CITY, Calif., Feb. 2, 2026 — Tessellate Labs Inc. and Brightwater Cloud today signed a five-year agreement under which Tessellate commits $8.5 billion to Brightwater compute capacity.",
    "Brightwater will be Tessellate's exclusive cloud provider for model training until Dec. 31, 2029.",
    "Brightwater will pay Tessellate a revenue share of 12 percent on sales of Tessellate models through its marketplace.",
    "Tessellate was founded in 2020 by former U.S. Navy engineers and has 400 employees.",
    "\"We wanted a partner that can grow with us,\" said Mr. Ada Okafor, Tessellate's chief executive.",
];

/// Boilerplate variant A: related stories, newsletter, cookie banner, footer, full of topic words.
pub const BOILERPLATE_A: [&str; 3] = [
    "Why exclusive cloud deals are getting shorter",
    "Inside the revenue-sharing math of model marketplaces",
    "We use cookies to show offers from our cloud partners.",
];

/// Boilerplate variant B: rotated teasers, other cookie text.
pub const BOILERPLATE_B: [&str; 3] = [
    "Right of first refusal clauses, explained",
    "A non-exclusive licence lets a lab sell through rival clouds",
    "This site uses cookies, including for exclusive partner offers.",
];

/// A realistic announcement page around `paragraphs`.
pub fn page(paragraphs: &[&str], boilerplate: [&str; 3], year: u32) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("      <p>{}</p>\n", html_escape(p)))
        .collect();
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Tessellate Labs and Brightwater Cloud sign compute agreement</title>
<script>var tags = ["cloud", "exclusive", "revenue share"];</script>
<style>.x {{ color: red; }}</style></head>
<body>
  <div class="cookie-banner"><p>{cookie}</p><button>Accept</button></div>
  <header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/cloud">Cloud</a></nav></header>
  <main>
    <article>
      <h1>Tessellate Labs and Brightwater Cloud sign compute agreement</h1>
{body}    </article>
    <aside class="related-stories"><h2>Related stories</h2><ul>
      <li><a href="/r1">{t1}</a><p>Analysts expect non-exclusive hosting deals and revenue share caps to spread across every cloud provider.</p></li>
      <li><a href="/r2">{t2}</a><p>Marketplaces keep a share of revenue on every model sold on their cloud.</p></li>
    </ul></aside>
    <div class="newsletter"><p>Get our exclusive analysis of cloud deals every week. Subscribe now.</p></div>
  </main>
  <footer><p>About us: we cover cloud partnerships and exclusive licensing. © {year} Example Media.</p></footer>
</body></html>
"#,
        cookie = boilerplate[2],
        t1 = boilerplate[0],
        t2 = boilerplate[1],
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Version 1 of the page.
pub fn page_v1() -> String {
    page(TERMS_V1, BOILERPLATE_A, 2026)
}

/// Paragraphs with one term edited: exclusive → non-exclusive, 2029 → 2031.
pub fn terms_exclusivity_edit() -> Vec<String> {
    TERMS_V1
        .iter()
        .map(|p| {
            p.replace("exclusive cloud provider", "non-exclusive cloud provider")
                .replace("2029", "2031")
        })
        .collect()
}

/// A loopback world: HTTP server, SMTP sink, temp dir with a watchlist.
pub struct World {
    pub http: HttpServer,
    pub smtp: SmtpSink,
    pub dir: tempfile::TempDir,
}

impl World {
    /// Topic alert mails received so far (non-empty `X-Clausewatch-Topics`); notices carry
    /// an empty header.
    pub fn topic_mails(&self) -> usize {
        self.smtp
            .mails()
            .iter()
            .filter(|m| {
                !m.header("X-Clausewatch-Topics")
                    .unwrap_or_default()
                    .is_empty()
            })
            .count()
    }

    pub async fn new() -> World {
        let http = HttpServer::start().await.unwrap();
        let smtp = SmtpSink::start().await.unwrap();
        http.set("/deal", Page::html(page_v1()));
        let world = World {
            http,
            smtp,
            dir: tempfile::tempdir().unwrap(),
        };
        world.write_watchlist("", &world.smtp.url());
        world
    }

    /// Writes `watchlist.toml` with extra `[settings]` lines and an SMTP URL.
    pub fn write_watchlist(&self, extra_settings: &str, smtp_url: &str) {
        std::fs::write(
            self.config(),
            format!(
                "[settings]\nsnapshots = \"snapshots\"\ntimeout = \"2s\"\n{extra_settings}\n\
                 [email]\nsmtp_url = \"{smtp_url}\"\nfrom = \"cw@test.example\"\nto = [\"analyst@test.example\"]\n\n\
                 [[watch]]\nname = \"deal\"\nurl = \"{}\"\n",
                self.http.url("/deal")
            ),
        )
        .unwrap();
    }

    /// One `check` pass through the library, as the binary runs it (digest included).
    pub async fn pass(&self) -> Vec<CheckReport> {
        let wl = config::load(&self.config()).unwrap();
        let ctx = cli::context(&wl, false, true).unwrap();
        let watches = PreparedWatch::prepare_all(wl.watches).unwrap();
        let mut reports = schedule::check_all(&ctx, &watches, 4, |_| {}).await;
        if ctx.defer_delivery {
            check::deliver_digest(&ctx, &mut reports).await;
        }
        reports
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("watchlist.toml")
    }

    pub fn snapshots(&self) -> PathBuf {
        self.dir.path().join("snapshots")
    }

    pub fn set_paragraphs(&self, paragraphs: &[String], boilerplate: [&str; 3]) {
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        self.http
            .set("/deal", Page::html(page(&refs, boilerplate, 2027)));
    }

    pub fn set(&self, page: Page) {
        self.http.set("/deal", page);
    }

    /// Names of the version folders, to prove a snapshot was not touched.
    pub fn versions(&self) -> Vec<String> {
        list(&self.snapshots().join("deal/versions"))
    }

    pub fn latest_clauses_txt(&self) -> String {
        let v = self.versions();
        std::fs::read_to_string(
            self.snapshots()
                .join("deal/versions")
                .join(v.last().unwrap())
                .join("clauses.txt"),
        )
        .unwrap()
    }
}

pub fn list(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

//! `clausewatch demo`: the whole pipeline offline, for a newcomer.
//!
//! Serves a built-in announcement page (invented companies, our own text) from a loopback
//! HTTP server, runs a check (baseline), edits a term on the page and rotates its
//! boilerplate, checks again, and shows the alert mail that reached a loopback SMTP sink and
//! the clause diff. Everything stays on 127.0.0.1; nothing is configured by the user.

mod servers;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::EXIT_OK;
use crate::{check, config, render, report, schedule, store};
use servers::{HttpServer, Page, SmtpSink};

/// The demo page before the edit.
const PAGE_V1: &str = include_str!("demo/page.html");

/// The publisher's edits between the two versions: one term (exclusive until 2028 →
/// non-exclusive until 2030) and boilerplate only (teasers, cookie text, footer year).
const EDITS: &[(&str, &str)] = &[
    (
        "Norvale's exclusive cloud provider for training its frontier models until the end of 2028.",
        "Norvale's non-exclusive cloud provider for training its frontier models until the end of 2030.",
    ),
    (
        "Why exclusive cloud deals for AI labs are getting shorter",
        "Right of first refusal clauses, explained",
    ),
    (
        "Analysts expect more non-exclusive hosting arrangements next year.",
        "An incumbent provider may match any competing capacity offer.",
    ),
    (
        "We use cookies to measure traffic and to show offers from our cloud partners.",
        "This site uses cookies. Some are essential; others help our exclusive partners show you offers.",
    ),
    ("© 2026 Norvale AI.", "© 2026-2027 Norvale AI."),
];

/// The demo page after the edit.
fn page_v2() -> String {
    EDITS.iter().fold(PAGE_V1.to_string(), |page, (from, to)| {
        page.replace(from, to)
    })
}

/// `demo`: runs the demo in `dir`, or in a temporary folder removed afterwards.
pub(super) async fn demo_cmd(dir: Option<PathBuf>, color: bool) -> anyhow::Result<u8> {
    let tmp;
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
            d
        }
        None => {
            tmp = tempfile::tempdir().context("creating a temp folder for the demo")?;
            tmp.path().to_path_buf()
        }
    };
    let mut out = anstream::stdout();
    run_demo(&dir, color, &mut out).await?;
    Ok(EXIT_OK)
}

/// Runs the demo, writing its narration to `out`. `dir` holds the watchlist and snapshots.
async fn run_demo(dir: &Path, color: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let http = HttpServer::start()
        .await
        .context("starting the demo web server")?;
    let smtp = SmtpSink::start()
        .await
        .context("starting the demo mail sink")?;
    http.set("/news/norvale-cumulus", Page::html(PAGE_V1));
    let watchlist = dir.join("watchlist.toml");
    std::fs::write(
        &watchlist,
        format!(
            "[settings]\nsnapshots = \"snapshots\"\n\n[email]\nsmtp_url = \"{}\"\n\
             from = \"clausewatch@demo.example\"\nto = [\"analyst@demo.example\"]\n\n\
             [[watch]]\nname = \"norvale-cumulus\"\nurl = \"{}\"\n",
            smtp.url(),
            http.url("/news/norvale-cumulus")
        ),
    )
    .with_context(|| format!("writing {}", watchlist.display()))?;
    let wl = config::load(&watchlist)?;
    let ctx = super::context(&wl, false, false)?;
    let watches: Vec<_> = wl
        .watches
        .iter()
        .cloned()
        .map(check::PreparedWatch::new)
        .collect::<Result<_, _>>()?;

    writeln!(
        out,
        "clausewatch demo: a page on {} and a mail sink on {} (both loopback only)\n",
        http.url("/"),
        smtp.url()
    )?;
    writeln!(
        out,
        "1. First check: the page's term clauses become the baseline."
    )?;
    for r in schedule::check_all(&ctx, &watches, 1, |_| {}).await {
        writeln!(out, "   {}", report::check_line(&r))?;
    }
    let latest = ctx.store.watch("norvale-cumulus").latest()?;
    if let Some(s) = latest {
        writeln!(out, "   Clauses stored:")?;
        for c in &s.clauses {
            writeln!(out, "     {}", store::clause_line(c))?;
        }
    }
    writeln!(
        out,
        "\n2. Same page, second check: nothing to report (the server answers 304)."
    )?;
    for r in schedule::check_all(&ctx, &watches, 1, |_| {}).await {
        writeln!(out, "   {}", report::check_line(&r))?;
    }
    writeln!(
        out,
        "\n3. The publisher edits one term and rotates the related stories, cookie text and footer."
    )?;
    http.set("/news/norvale-cumulus", Page::html(page_v2()));
    let reports = schedule::check_all(&ctx, &watches, 1, |_| {}).await;
    for r in &reports {
        writeln!(out, "   {}", report::check_line(r))?;
    }
    let mails = smtp.mails();
    writeln!(
        out,
        "\n4. The alert mail the analyst receives ({} mail(s) in the sink):\n",
        mails.len()
    )?;
    for m in &mails {
        for h in ["Subject", "X-Clausewatch-Topics", "Message-ID", "To"] {
            writeln!(out, "   {h}: {}", m.header(h).unwrap_or_default())?;
        }
        if let Some(check::Outcome::Changed { alert, .. }) = reports.first().map(|r| &r.outcome) {
            writeln!(out)?;
            for line in alert.text_body().lines() {
                writeln!(out, "   {line}")?;
            }
        }
    }
    writeln!(
        out,
        "\n5. The diff for review (`clausewatch diff norvale-cumulus`):\n"
    )?;
    let ws = ctx.store.watch("norvale-cumulus");
    let versions = ws.versions()?;
    if let [.., a, b] = versions.as_slice() {
        let changes = crate::diff::ChangeSet::between(&ws.load(*a)?.clauses, &ws.load(*b)?.clauses);
        for line in render::render_changes(&changes, color).lines() {
            writeln!(out, "   {line}")?;
        }
    }
    writeln!(
        out,
        "\nDone. Try it on your own pages: edit watchlist.toml, then `clausewatch check`."
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_edit_applies() {
        for (from, _) in super::EDITS {
            assert!(super::PAGE_V1.contains(from), "{from}");
        }
    }
}

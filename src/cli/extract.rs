//! `extract`: what clausewatch would store for a page (URL or file), with `--explain`.

use std::io::Write;

use anyhow::{Context as _, bail};

use super::{EXIT_OK, EXIT_WATCH_FAILED};
use crate::config::{self, FetchSettings, HostPolicy};
use crate::extract::{self, ExtractOptions, Extractor, Topic};
use crate::fetch::{Fetcher, Validators};
use crate::{render, report};

pub(super) async fn extract_cmd(
    source: &str,
    json: bool,
    explain: bool,
    text: bool,
    select: Option<String>,
    topics: &[String],
) -> anyhow::Result<u8> {
    let topics: Vec<Topic> = topics.iter().map(|t| Topic::new(t)).collect();
    if let Some(bad) = topics.iter().find(|t| !t.is_builtin()) {
        bail!(
            "unknown topic `{bad}`; known topics: {}",
            Topic::BUILTIN.join(", ")
        );
    }
    let extractor = Extractor::new(ExtractOptions {
        select,
        topics,
        custom: Vec::new(),
    })?;
    let html = if source.starts_with("http://") || source.starts_with("https://") {
        let url = url::Url::parse(source).with_context(|| format!("`{source}` is not a URL"))?;
        let fetcher = Fetcher::new(FetchSettings {
            user_agent: format!("clausewatch/{}", env!("CARGO_PKG_VERSION")),
            timeout: config::DEFAULT_TIMEOUT,
            max_body_bytes: config::DEFAULT_MAX_BODY_BYTES,
            hosts: HostPolicy::default(),
        })?;
        let f = fetcher.fetch(&url, &Validators::default()).await?;
        if !(200..300).contains(&f.status) {
            eprintln!("error: {source} answered HTTP {}", f.status);
            return Ok(EXIT_WATCH_FAILED);
        }
        extract::charset::decode_html(&f.body, f.content_type.as_deref())
    } else {
        let bytes = std::fs::read(source)
            .with_context(|| format!("cannot read {source}; give a file path or an http(s) URL"))?;
        extract::charset::decode_html(&bytes, None)
    };
    if text {
        let mut out = std::io::stdout().lock();
        for (i, block) in extractor.main_text(&html).iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "{}", block.text)?;
        }
        return Ok(EXIT_OK);
    }
    if explain {
        let e = extractor.explain_page(&html);
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer(&mut out, &e)?;
            writeln!(out)?;
        } else {
            render::render_explanation(&e, &mut out)?;
        }
        return Ok(EXIT_OK);
    }
    let extraction = extractor.extract(&html);
    let mut out = std::io::stdout().lock();
    if json {
        let clauses: Vec<serde_json::Value> =
            extraction.clauses.iter().map(render::clause_json).collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({
                "clauses": clauses,
                "title": extraction.title,
                "main_text_chars": extraction.main_text_chars,
                "sentences": extraction.sentence_count,
                "extractor_version": extract::extractor_version(),
            }),
        )?;
        writeln!(out)?;
    } else {
        if extraction.main_text_chars == 0 {
            writeln!(out, "no main text found (empty or broken page?)")?;
        }
        for c in &extraction.clauses {
            writeln!(out, "{}", report::clause_with_terms(c))?;
        }
        writeln!(
            out,
            "-- {} clauses of {} sentences ({} characters of main text)",
            extraction.clauses.len(),
            extraction.sentence_count,
            extraction.main_text_chars
        )?;
    }
    Ok(EXIT_OK)
}

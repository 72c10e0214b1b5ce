//! `classify`: topics, rules and terms of single sentences, one output line per input line.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use super::{EXIT_OK, load};
use crate::extract;

/// `clausewatch classify`: one output line per input text or stdin line, in order.
pub(super) fn classify_cmd(
    texts: &[String],
    json: bool,
    config: Option<&Path>,
    rule_file: Option<&Path>,
) -> anyhow::Result<u8> {
    use std::io::BufRead;
    let custom = match config {
        Some(path) => load(path)?
            .watches
            .first()
            .map(|w| w.custom_topics.clone())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut rules = extract::topics::TopicRules::new(&custom).map_err(|(pattern, reason)| {
        anyhow::anyhow!("invalid topic pattern `{pattern}`: {reason}")
    })?;
    if let Some(path) = rule_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rule file {}", path.display()))?;
        let base = extract::topics::Builtin::parse(&text)
            .and_then(|b| b.validate().map(|()| b))
            .map_err(|e| anyhow::anyhow!("rule file {}: {e}", path.display()))?;
        // One rule file per process; it lives as long as the process.
        rules = rules.with_base(Box::leak(Box::new(base)));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut one = |text: &str| -> anyhow::Result<()> {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let explained = rules.explain_all(text);
        let mut topics: Vec<&str> = explained.hits.iter().map(|h| h.topic.as_str()).collect();
        topics.sort_unstable();
        topics.dedup();
        let terms = extract::terms::parse_terms(text);
        if json {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({
                    "text": text,
                    "topics": topics,
                    "rules": explained.hits,
                    "vetoed": explained.vetoed,
                    "terms": terms,
                }),
            )?;
            writeln!(out)?;
            return Ok(());
        }
        let rule = |h: &extract::topics::RuleHit| match h.cues.as_slice() {
            [] => h.rule.to_owned(),
            cues => format!("{} ({})", h.rule, cues.join(", ")),
        };
        let mut line = if topics.is_empty() {
            "-".to_owned()
        } else {
            topics.join(",")
        };
        let fired: Vec<String> = explained.hits.iter().map(rule).collect();
        if !fired.is_empty() {
            line.push_str(&format!("\trules: {}", fired.join("; ")));
        }
        let vetoed: Vec<&str> = explained.vetoed.iter().map(|v| v.rule).collect();
        if !vetoed.is_empty() {
            line.push_str(&format!("\tvetoed: {}", vetoed.join(", ")));
        }
        let described = crate::diff::describe(&terms);
        if !described.is_empty() {
            line.push_str(&format!("\tterms: {described}"));
        }
        writeln!(out, "{line}")?;
        Ok(())
    };
    if texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            one(&line.context("reading stdin")?)?;
        }
    } else {
        for t in texts {
            one(t)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

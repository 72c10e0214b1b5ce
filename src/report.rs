//! Review by hand: rendering check outcomes, clause diffs and version histories for the
//! terminal (colored only when asked) and as JSON for scripts.
//!
//! Owns: every human-readable format except the alert mail (that is `notify`). Must not:
//! compute changes (that is `diff`) or read the store beyond what it is given.

use owo_colors::OwoColorize;
use serde::Serialize;

use crate::diff::{ChangeSet, SegmentKind, word_diff};
use crate::notify::topic_list;
use crate::pipeline::{CheckReport, Delivery, Outcome};
use crate::store::Snapshot;

/// A clause for scripts: topics, text and its structured terms.
pub fn clause_json(c: &crate::extract::Clause) -> serde_json::Value {
    serde_json::json!({
        "topics": c.topics,
        "text": c.text,
        "terms": crate::extract::terms::parse_terms(&c.text),
    })
}

/// A clause for people: `[topics] text`, then its terms on an indented line if it states any.
pub fn clause_with_terms(c: &crate::extract::Clause) -> String {
    let mut out = crate::store::clause_line(c);
    let terms = crate::diff::describe(&crate::extract::terms::parse_terms(&c.text));
    if !terms.is_empty() {
        out.push_str(&format!("\n    terms: {terms}"));
    }
    out
}

/// One line per check: `<outcome> <name> …`.
pub fn check_line(r: &CheckReport) -> String {
    let detail = match &r.outcome {
        Outcome::New { version, clauses } => {
            format!("baseline stored as version {version}, {clauses} clauses; no alert")
        }
        Outcome::Unchanged { why, version } => format!("{why} (version {version})"),
        Outcome::Changed {
            from,
            to,
            changes,
            delivery,
            ..
        } => {
            let d = match delivery {
                Delivery::Sent => "alert mailed".to_string(),
                Delivery::Printed => "alert recorded (no [email] configured)".to_string(),
                Delivery::Queued { error } => {
                    format!("alert queued in the outbox, will retry: {error}")
                }
                Delivery::Deferred => "alert queued for the digest".to_string(),
                Delivery::DryRun => "dry run: nothing sent or stored".to_string(),
            };
            format!(
                "{} changed: {} (version {from} -> {to}); {d}",
                topic_list(&changes.topics()),
                counts(changes)
            )
        }
        Outcome::Anomaly {
            reason,
            version,
            seen,
        } => format!(
            "page looks broken: {reason}; keeping version {version} (seen {seen} time{})",
            if *seen == 1 { "" } else { "s" }
        ),
        Outcome::Failed { reason } => reason.clone(),
    };
    let mut line = format!("{} {} {detail}", r.outcome.word(), r.watch);
    if r.redelivered > 0 {
        line.push_str(&format!("; {} earlier alert(s) delivered", r.redelivered));
    }
    if r.pending_alerts > 0 {
        line.push_str(&format!("; {} alert(s) pending", r.pending_alerts));
    }
    line
}

/// `+1 ~2 -0` style counts.
pub fn counts(c: &ChangeSet) -> String {
    format!(
        "+{} added, ~{} reworded, -{} removed",
        c.added.len(),
        c.changed.len(),
        c.removed.len()
    )
}

/// The head of every terminal diff: one `* topic: what changed` line per clause change, or
/// `no clause changes`.
fn summary_lines(c: &ChangeSet) -> String {
    if c.is_empty() {
        return "no clause changes\n".into();
    }
    crate::diff::term_summary(c)
        .iter()
        .map(|line| format!("* {line}\n"))
        .collect()
}

/// A clause diff for the terminal: reworded clauses with changed words marked, then added
/// and removed ones. `color` uses ANSI colors; otherwise `[-old-]{+new+}` markers.
pub fn render_changes(c: &ChangeSet, color: bool) -> String {
    let mut out = summary_lines(c);
    if c.is_empty() {
        return out;
    }
    out.push('\n');
    for ch in &c.changed {
        out.push_str(&format!("~ [{}] ", topic_list(&ch.new.topics)));
        let segments = word_diff(&ch.old.text, &ch.new.text);
        if color {
            for s in &segments {
                match s.kind {
                    SegmentKind::Equal => out.push_str(&s.text),
                    SegmentKind::Delete => out.push_str(&s.text.red().strikethrough().to_string()),
                    SegmentKind::Insert => out.push_str(&s.text.green().bold().to_string()),
                }
            }
        } else {
            out.push_str(&crate::diff::marked(&segments));
        }
        out.push('\n');
        if !color {
            out.push_str(&format!(
                "    old: {}\n    new: {}\n",
                ch.old.text, ch.new.text
            ));
        }
    }
    for a in &c.added {
        let line = format!("+ [{}] {}", topic_list(&a.topics), a.text);
        out.push_str(&if color {
            line.green().to_string()
        } else {
            line
        });
        out.push('\n');
    }
    for r in &c.removed {
        let line = format!("- [{}] {}", topic_list(&r.topics), r.text);
        out.push_str(&if color { line.red().to_string() } else { line });
        out.push('\n');
    }
    out
}

/// Side-by-side rendering for the terminal: each reworded clause as two columns (old | new)
/// of `width` characters each; added and removed clauses in their own column.
pub fn render_side_by_side(c: &ChangeSet, width: usize, color: bool) -> String {
    let width = width.max(20);
    let mut out = summary_lines(c);
    if c.is_empty() {
        return out;
    }
    let rule = format!("{}-+-{}\n", "-".repeat(width), "-".repeat(width));
    out.push_str(&format!("\n{:<width$} | {}\n{rule}", "old", "new"));
    let mut rows = |old: &str, new: &str, topics: &str| {
        out.push_str(&format!("[{topics}]\n"));
        let (l, r) = (wrap(old, width), wrap(new, width));
        for i in 0..l.len().max(r.len()) {
            let a = l.get(i).map_or("", String::as_str);
            let b = r.get(i).map_or("", String::as_str);
            let a = format!("{a:<width$}");
            if color {
                out.push_str(&format!("{} | {}\n", a.red(), b.green()));
            } else {
                out.push_str(&format!("{a} | {b}\n"));
            }
        }
        out.push_str(&rule);
    };
    for ch in &c.changed {
        rows(&ch.old.text, &ch.new.text, &topic_list(&ch.new.topics));
    }
    for a in &c.added {
        rows("", &a.text, &topic_list(&a.topics));
    }
    for r in &c.removed {
        rows(&r.text, "", &topic_list(&r.topics));
    }
    out
}

/// Greedy word wrap by characters; a word longer than the width is split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Human rendering of `extract --explain`: the container choice, what was dropped and why,
/// then every kept unit with each sentence's topics and rules (or why it is no clause).
pub fn render_explanation(
    e: &crate::extract::PageExplanation,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let containers = serde_json::to_value(&e.containers).unwrap_or_default();
    writeln!(out, "== main content")?;
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&containers).unwrap_or_default()
    )?;
    writeln!(
        out,
        "\n== dropped as boilerplate ({} of {} listed)",
        e.dropped.len(),
        e.dropped_total
    )?;
    for d in &e.dropped {
        writeln!(out, "- {}  [{}]  {}", d.path, d.reason, d.text)?;
    }
    writeln!(out, "\n== kept text")?;
    for u in &e.units {
        writeln!(
            out,
            "[{}]",
            serde_json::to_value(u.kind)
                .unwrap_or_default()
                .as_str()
                .unwrap_or("?")
        )?;
        for s in &u.sentences {
            let mut rules: Vec<String> = s
                .rules
                .iter()
                .map(|r| match r.cues.as_slice() {
                    [] => format!("{}:{}", r.topic, r.rule),
                    cues => format!("{}:{} ({})", r.topic, r.rule, cues.join(", ")),
                })
                .collect();
            rules.extend(s.vetoed.iter().map(|v| format!("vetoed {}", v.rule)));
            let verdict = match &s.skipped {
                None => format!("CLAUSE {}", topic_list(&s.topics)),
                Some(why) => format!(
                    "skipped: {}",
                    serde_json::to_value(why)
                        .unwrap_or_default()
                        .as_str()
                        .unwrap_or("?")
                ),
            };
            writeln!(
                out,
                "  {verdict}{}",
                if rules.is_empty() {
                    String::new()
                } else {
                    format!("  rules: {}", rules.join(", "))
                }
            )?;
            writeln!(out, "    {}", s.text)?;
        }
    }
    writeln!(
        out,
        "\n-- {} clauses of {} sentences ({} characters of main text)",
        e.clauses.len(),
        e.sentence_count,
        e.main_text_chars
    )
}

/// One entry of a watch's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// Version number.
    pub version: u32,
    /// Fetch time, RFC 3339 UTC.
    pub fetched_at: String,
    /// Clauses in the version.
    pub clauses: usize,
    /// Changes from the previous version (`None` for the first).
    pub changes: Option<ChangeSet>,
}

/// Builds the history from consecutive versions.
pub fn history(snapshots: &[Snapshot]) -> Vec<HistoryEntry> {
    snapshots
        .iter()
        .enumerate()
        .map(|(i, s)| HistoryEntry {
            version: s.version,
            fetched_at: s
                .fetched_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            clauses: s.clauses.len(),
            changes: i
                .checked_sub(1)
                .map(|p| ChangeSet::between(&snapshots[p].clauses, &s.clauses)),
        })
        .collect()
}

/// One line per history entry.
pub fn history_line(h: &HistoryEntry) -> String {
    let what = match &h.changes {
        None => "baseline".to_string(),
        Some(c) if c.is_empty() => "no clause change (re-baselined under new rules)".into(),
        Some(c) => format!(
            "{} changed: {} | {}",
            topic_list(&c.topics()),
            counts(c),
            crate::diff::term_summary(c).join(" | ")
        ),
    };
    format!(
        "v{:<4} {}  {:>3} clauses  {what}",
        h.version, h.fetched_at, h.clauses
    )
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The clause changes as HTML fragments (page text escaped): reworded clauses with `<del>`
/// and `<ins>` marks, then added and removed clauses.
pub fn html_changes(c: &ChangeSet) -> String {
    let mut b = String::new();
    for ch in &c.changed {
        b.push_str(&format!(
            "<div class=\"clause changed\"><h3>Reworded <span class=\"topics\">[{}]</span></h3><p>",
            esc(&topic_list(&ch.new.topics))
        ));
        for s in word_diff(&ch.old.text, &ch.new.text) {
            match s.kind {
                SegmentKind::Equal => b.push_str(&esc(&s.text)),
                SegmentKind::Delete => b.push_str(&format!(
                    "<del style=\"background:#fdd;color:#900;margin-right:.25em\">{}</del>",
                    esc(&s.text)
                )),
                SegmentKind::Insert => b.push_str(&format!(
                    "<ins style=\"background:#dfd;color:#060\">{}</ins>",
                    esc(&s.text)
                )),
            }
        }
        b.push_str(&format!(
            "</p><p class=\"old\"><b>Before:</b> {}</p><p class=\"new\"><b>After:</b> {}</p></div>",
            esc(&ch.old.text),
            esc(&ch.new.text)
        ));
    }
    for (title, list, color) in [("Added", &c.added, "#dfd"), ("Removed", &c.removed, "#fdd")] {
        for cl in list {
            b.push_str(&format!(
                "<div class=\"clause\"><h3>{title} <span class=\"topics\">[{}]</span></h3><p style=\"background:{color}\">{}</p></div>",
                esc(&topic_list(&cl.topics)),
                esc(&cl.text)
            ));
        }
    }
    b
}

/// The term-level summary as an HTML list (escaped), empty when there is nothing to say.
pub fn html_summary(c: &ChangeSet) -> String {
    let lines = crate::diff::term_summary(c);
    if lines.is_empty() {
        return String::new();
    }
    let mut b = String::from("<h3>What changed</h3><ul class=\"summary\">");
    for l in lines {
        b.push_str(&format!("<li>{}</li>", esc(&l)));
    }
    b.push_str("</ul>");
    b
}

/// A self-contained HTML report of a change, to open in a browser or forward.
pub fn html_report(title: &str, meta: &[(&str, String)], c: &ChangeSet) -> String {
    let mut b = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{0}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;color:#222}}\
         h1{{font-size:1.4em}} .clause{{border-left:4px solid #ccc;padding:0 1em;margin:1em 0}}\
         .changed{{border-color:#c90}} .topics{{color:#666;font-weight:normal}}\
         table{{border-collapse:collapse}} td{{padding:2px 12px 2px 0;vertical-align:top}}\
         </style></head><body><h1>{0}</h1><table>",
        esc(title)
    );
    for (k, v) in meta {
        b.push_str(&format!(
            "<tr><td><b>{}</b></td><td>{}</td></tr>",
            esc(k),
            esc(v)
        ));
    }
    b.push_str(&format!(
        "<tr><td><b>Changes</b></td><td>{}</td></tr></table>",
        esc(&counts(c))
    ));
    if c.is_empty() {
        b.push_str("<p>No clause changes.</p>");
    }
    b.push_str(&html_summary(c));
    b.push_str(&html_changes(c));
    b.push_str("</body></html>\n");
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangedClause;
    use crate::extract::{Clause, Topic};

    #[test]
    fn wrap_keeps_words_and_width() {
        let lines = wrap("Globex commits twelve billion dollars to Hooli", 14);
        assert!(lines.iter().all(|l| l.chars().count() <= 14), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Globex commits twelve billion dollars to Hooli"
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn plain_diff_marks_changed_words() {
        let c = |t: &str| Clause {
            topics: vec![Topic::new("cloud")],
            text: t.into(),
        };
        let cs = ChangeSet {
            changed: vec![ChangedClause {
                old: c("Globex commits $10 billion to Hooli Cloud."),
                new: c("Globex commits $12 billion to Hooli Cloud."),
            }],
            added: vec![c("Initech is added as a second provider.")],
            removed: vec![],
        };
        let out = render_changes(&cs, false);
        assert!(
            out.contains("~ [cloud] Globex commits [-$10-]{+$12+} billion"),
            "{out}"
        );
        assert!(out.contains("+ [cloud] Initech"), "{out}");
    }
}

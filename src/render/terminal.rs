//! Terminal renderings: clause diffs inline or side by side (ANSI colors only when asked),
//! `extract --explain`, clauses with their terms.

use std::borrow::Cow;

use owo_colors::OwoColorize;

use crate::alert::topic_list;
use crate::diff::{ChangeSet, SegmentKind, word_diff};

/// A clause for scripts: topics, text and its structured terms.
pub fn clause_json(c: &crate::extract::Clause) -> serde_json::Value {
    serde_json::json!({
        "topics": c.topics,
        "text": c.text,
        "terms": crate::extract::terms::parse_terms(&c.text),
    })
}

/// Text made safe for a terminal: C0 and C1 control characters and DEL, other than newline
/// and tab, are written as `\u{1b}`-style escapes instead of raw, so page text can never
/// retitle, clear or recolor the analyst's terminal. Applied to every human output, whether
/// or not stdout is a terminal.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A change set whose clause texts are [`escape_controls`]-ed, for the terminal renderings.
fn escaped(c: &ChangeSet) -> ChangeSet {
    let clause = |cl: &crate::extract::Clause| crate::extract::Clause {
        text: escape_controls(&cl.text).into_owned(),
        ..cl.clone()
    };
    ChangeSet {
        added: c.added.iter().map(clause).collect(),
        removed: c.removed.iter().map(clause).collect(),
        changed: c
            .changed
            .iter()
            .map(|ch| crate::diff::ChangedClause {
                old: clause(&ch.old),
                new: clause(&ch.new),
            })
            .collect(),
    }
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
    let c = &escaped(c);
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
    let c = &escaped(c);
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
/// Page text in it is [`escape_controls`]-ed.
pub fn render_explanation(
    e: &crate::extract::PageExplanation,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut raw = Vec::new();
    write_explanation(e, &mut raw)?;
    out.write_all(escape_controls(&String::from_utf8_lossy(&raw)).as_bytes())
}

fn write_explanation(
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

    #[test]
    fn control_characters_are_escaped_not_printed() {
        let hostile = "Acme \u{1b}]0;owned\u{7} signs\u{9b}31m\r\tnow\n";
        let shown = escape_controls(hostile);
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{shown:?}"
        );
        assert!(
            shown.contains("\\u{1b}") && shown.contains("\tnow\n"),
            "{shown:?}"
        );
        assert!(matches!(escape_controls("plain text"), Cow::Borrowed(_)));
    }
}

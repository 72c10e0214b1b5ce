//! HTML renderings of a change set: fragments for the alert mail and the self-contained
//! report of `diff --html`. Every piece of page text is escaped.

use crate::alert::topic_list;
use crate::diff::{ChangeSet, SegmentKind, word_diff};

use super::terminal::counts;

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

//! The alert mail's bodies: plain text and HTML, for one alert or a digest of several.
//! Pure: the same alert always renders to the same bytes (golden tests hold them).

use chrono::SecondsFormat;

use crate::alert::{Alert, AlertKind, topic_list};
use crate::diff::{marked, word_diff};

use super::html::{esc, html_changes, html_summary};

impl Alert {
    /// The plain-text body.
    pub fn text_body(&self) -> String {
        let mut b = String::new();
        let time = self.fetched_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        match self.kind {
            AlertKind::Change => {
                b.push_str(&format!(
                    "The deal terms on \"{}\" changed.\n\nChanged topics: {}\n",
                    self.watch,
                    topic_list(&self.topics)
                ));
            }
            AlertKind::Anomaly => {
                b.push_str(&format!(
                    "The page of \"{}\" looks broken (anomaly); no term change is reported.\n\n\
                     Reason: {}\nThe last good snapshot (version {}) is kept; if the page stays \
                     like this, the removal will be reported as a change.\n",
                    self.watch,
                    self.reason.as_deref().unwrap_or("collapsed page"),
                    self.from_version.unwrap_or(0),
                ));
            }
            AlertKind::Failing | AlertKind::Recovered => {
                b.push_str(&format!(
                    "{}\nNo term change is reported by this notice.\n\n{}\n",
                    self.subject(),
                    self.reason.as_deref().unwrap_or("")
                ));
            }
        }
        let summary = crate::diff::term_summary(&self.changes);
        if !summary.is_empty() {
            b.push_str("\nWhat changed:\n");
            for line in &summary {
                b.push_str(&format!("  * {line}\n"));
            }
            b.push('\n');
        }
        b.push_str(&format!("Page: {}\nFetched: {time}\n", self.url));
        if let (Some(from), Some(to)) = (self.from_version, self.to_version) {
            b.push_str(&format!("Versions: {from} -> {to}\n"));
        }
        for c in &self.changes.changed {
            b.push_str(&format!(
                "\nCHANGED [{}]\n  old: {}\n  new: {}\n  words: {}\n",
                topic_list(&c.new.topics),
                c.old.text,
                c.new.text,
                marked(&word_diff(&c.old.text, &c.new.text)),
            ));
        }
        for c in &self.changes.added {
            b.push_str(&format!(
                "\nADDED [{}]\n  new: {}\n",
                topic_list(&c.topics),
                c.text
            ));
        }
        for c in &self.changes.removed {
            b.push_str(&format!(
                "\nREMOVED [{}]\n  old: {}\n",
                topic_list(&c.topics),
                c.text
            ));
        }
        b.push_str(&format!(
            "\nReview: clausewatch diff {}\n-- \nclausewatch {} (Message-ID {})\n",
            self.watch,
            env!("CARGO_PKG_VERSION"),
            self.message_id
        ));
        b
    }

    /// The HTML body: the same content as the text body, every page text escaped.
    pub fn html_body(&self) -> String {
        let mut b = String::from(
            "<!doctype html><html><body style=\"font-family:sans-serif;max-width:760px\">",
        );
        b.push_str(&format!("<h2>{}</h2>", esc(&self.subject())));
        b.push_str(&format!(
            "<p>Page: <a href=\"{0}\">{0}</a><br>Fetched: {1}</p>",
            esc(&self.url),
            esc(&self.fetched_at.to_rfc3339_opts(SecondsFormat::Secs, true))
        ));
        if let Some(r) = &self.reason {
            b.push_str(&format!("<p>Reason: {}</p>", esc(r)));
        }
        b.push_str(&html_summary(&self.changes));
        b.push_str(&html_changes(&self.changes));
        b.push_str("</body></html>");
        b
    }
}

/// The plain-text body of a digest: each alert's subject and text body in turn.
pub fn digest_text(alerts: &[Alert]) -> String {
    let mut text = format!("{} alerts from one clausewatch pass.\n", alerts.len());
    for a in alerts {
        text.push_str(&format!("\n==== {} ====\n{}", a.subject(), a.text_body()));
    }
    text
}

/// The HTML body of a digest: each alert's subject, term summary and clause changes.
pub fn digest_html(alerts: &[Alert]) -> String {
    let mut html = String::from(
        "<!doctype html><html><body style=\"font-family:sans-serif;max-width:760px\">",
    );
    for a in alerts {
        html.push_str(&format!("<hr><h2>{}</h2>", esc(&a.subject())));
        html.push_str(&html_summary(&a.changes));
        html.push_str(&html_changes(&a.changes));
    }
    html.push_str("</body></html>");
    html
}

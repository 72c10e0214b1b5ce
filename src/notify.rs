//! Alerts: what a change or anomaly notice says, and delivering it by e-mail.
//!
//! Owns: the [`Alert`] record (what is queued in the outbox, so a retry after a restart sends
//! the same mail with the same `Message-ID`), the mail's subject, headers and body, and the
//! SMTP transport (lettre, rustls). Must not: decide whether something is a change (that is
//! `pipeline`) or write the store.
//!
//! Mail contract: subject `[clausewatch] <name>: <changed topics> changed`; header
//! `X-Clausewatch-Topics` lists the changed topics in snake_case, comma-separated, and is
//! present but empty on a mail that reports no term change (an anomaly notice).

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::EmailConfig;
use crate::diff::{ChangeSet, marked, word_diff};
use crate::extract::Topic;
use crate::report::esc;

/// SMTP timeout for connect and each command; a dead mail server must not stall a pass.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// What an alert reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Topic clauses changed.
    Change,
    /// The page collapsed and is held; no term change is reported.
    Anomaly,
    /// The watch failed several checks in a row.
    Failing,
    /// The watch works again after a failing notice.
    Recovered,
}

impl AlertKind {
    /// snake_case name, used in ids.
    pub fn word(self) -> &'static str {
        match self {
            AlertKind::Change => "change",
            AlertKind::Anomaly => "anomaly",
            AlertKind::Failing => "failing",
            AlertKind::Recovered => "recovered",
        }
    }
}

/// One alert, as queued in the outbox and as delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// File-safe id, derived from the change so that re-detecting it gives the same id.
    pub id: String,
    /// Stable `Message-ID`, the receiver's dedup key for a resend.
    pub message_id: String,
    /// Change or anomaly.
    pub kind: AlertKind,
    /// Watch name.
    pub watch: String,
    /// Watched URL.
    pub url: String,
    /// When the alert was created.
    pub created_at: DateTime<Utc>,
    /// When the page that triggered it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Version compared against.
    pub from_version: Option<u32>,
    /// Version stored for the new page.
    pub to_version: Option<u32>,
    /// Topics whose clauses changed (empty for an anomaly).
    pub topics: Vec<Topic>,
    /// The clause changes.
    pub changes: ChangeSet,
    /// Anomaly reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Delivery attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Error of the last failed attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    /// Where it was delivered (`smtp` or `stdout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_via: Option<String>,
    /// `Message-ID` of the digest this alert was first sent in; a retry resends that digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_id: Option<String>,
}

/// Comma-separated snake_case topic list, as in the header and subject.
pub fn topic_list(topics: &[Topic]) -> String {
    topics
        .iter()
        .map(Topic::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Alert {
    /// The mail subject.
    pub fn subject(&self) -> String {
        match self.kind {
            AlertKind::Change => format!(
                "[clausewatch] {}: {} changed",
                self.watch,
                topic_list(&self.topics)
            ),
            AlertKind::Anomaly => format!(
                "[clausewatch] {}: page anomaly, terms held at version {}",
                self.watch,
                self.from_version.unwrap_or(0)
            ),
            AlertKind::Failing => format!("[clausewatch] {}: watch failing", self.watch),
            AlertKind::Recovered => format!("[clausewatch] {}: watch recovered", self.watch),
        }
    }

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
        b.push_str(&crate::report::html_summary(&self.changes));
        b.push_str(&crate::report::html_changes(&self.changes));
        b.push_str("</body></html>");
        b
    }
}

/// The `X-Clausewatch-Topics` header.
#[derive(Debug, Clone)]
struct TopicsHeader(String);

impl Header for TopicsHeader {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Clausewatch-Topics")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(TopicsHeader(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Why a mail could not be built or sent.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The `[email]` settings cannot be used.
    #[error("email settings: {0}")]
    Config(String),
    /// The message could not be built.
    #[error("building the message: {0}")]
    Build(String),
    /// The SMTP server refused or was unreachable.
    #[error("sending via SMTP: {0}")]
    Send(String),
}

/// Sends alerts over SMTP.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl Mailer {
    /// Builds the transport from the `[email]` settings. The password is read from the
    /// environment variable named by `password_env`; it is never logged.
    pub fn new(cfg: &EmailConfig) -> Result<Mailer, NotifyError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&cfg.smtp_url)
            .map_err(|e| NotifyError::Config(format!("smtp_url `{}`: {e}", cfg.smtp_url)))?
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &cfg.username {
            let password = match &cfg.password_env {
                Some(var) => std::env::var(var).map_err(|_| {
                    NotifyError::Config(format!(
                        "environment variable {var} (email.password_env) is not set; export it with the SMTP password"
                    ))
                })?,
                None => String::new(),
            };
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        let parse = |a: &str| {
            a.parse::<Mailbox>()
                .map_err(|e| NotifyError::Config(format!("address `{a}`: {e}")))
        };
        Ok(Mailer {
            transport: builder.build(),
            from: parse(&cfg.from)?,
            to: cfg.to.iter().map(|a| parse(a)).collect::<Result<_, _>>()?,
        })
    }

    /// Builds the mail for an alert.
    pub fn message(&self, alert: &Alert) -> Result<Message, NotifyError> {
        self.compose(
            alert.subject(),
            &alert.message_id,
            &alert.topics,
            alert.created_at,
            alert.text_body(),
            alert.html_body(),
        )
    }

    /// Builds one mail for several alerts of one pass (a single alert gets its own mail).
    /// The topics header is the union of the changed topics; `message_id` is the digest's.
    pub fn digest_message(
        &self,
        alerts: &[Alert],
        message_id: &str,
    ) -> Result<Message, NotifyError> {
        if let [one] = alerts {
            let mut one = one.clone();
            one.message_id = message_id.to_string();
            return self.message(&one);
        }
        let mut topics: Vec<Topic> = alerts.iter().flat_map(|a| a.topics.clone()).collect();
        topics.sort();
        topics.dedup();
        let names: Vec<&str> = alerts.iter().map(|a| a.watch.as_str()).collect();
        let subject = if topics.is_empty() {
            format!(
                "[clausewatch] {} notices: {}",
                alerts.len(),
                names.join(", ")
            )
        } else {
            format!(
                "[clausewatch] {} watches: {} changed",
                alerts.len(),
                topic_list(&topics)
            )
        };
        let mut text = format!("{} alerts from one clausewatch pass.\n", alerts.len());
        let mut html = String::from(
            "<!doctype html><html><body style=\"font-family:sans-serif;max-width:760px\">",
        );
        for a in alerts {
            text.push_str(&format!("\n==== {} ====\n{}", a.subject(), a.text_body()));
            html.push_str(&format!("<hr><h2>{}</h2>", esc(&a.subject())));
            html.push_str(&crate::report::html_summary(&a.changes));
            html.push_str(&crate::report::html_changes(&a.changes));
        }
        html.push_str("</body></html>");
        let created = alerts
            .iter()
            .map(|a| a.created_at)
            .max()
            .unwrap_or_else(Utc::now);
        self.compose(subject, message_id, &topics, created, text, html)
    }

    /// The one place a mail is put together: headers, then a text and an HTML part.
    fn compose(
        &self,
        subject: String,
        message_id: &str,
        topics: &[Topic],
        date: DateTime<Utc>,
        text: String,
        html: String,
    ) -> Result<Message, NotifyError> {
        let mut b = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .message_id(Some(message_id.to_string()))
            .date(date.into())
            .header(TopicsHeader(topic_list(topics)));
        for to in &self.to {
            b = b.to(to.clone());
        }
        b.multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| NotifyError::Build(e.to_string()))
    }

    /// Sends several alerts as one digest mail.
    pub async fn send_digest(&self, alerts: &[Alert], message_id: &str) -> Result<(), NotifyError> {
        self.transmit(self.digest_message(alerts, message_id)?)
            .await
    }

    /// Sends one alert.
    pub async fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        self.transmit(self.message(alert)?).await
    }

    async fn transmit(&self, msg: Message) -> Result<(), NotifyError> {
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| NotifyError::Send(crate::error_chain(&e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangedClause;
    use crate::extract::Clause;

    fn alert() -> Alert {
        let clause = |t: &str| Clause {
            topics: vec![Topic::new("exclusivity")],
            text: t.into(),
        };
        Alert {
            id: "a1".into(),
            message_id: "<a1@clausewatch>".into(),
            kind: AlertKind::Change,
            watch: "acme".into(),
            url: "https://acme.example/news".into(),
            created_at: Utc::now(),
            fetched_at: Utc::now(),
            from_version: Some(1),
            to_version: Some(2),
            topics: vec![Topic::new("exclusivity")],
            changes: ChangeSet {
                changed: vec![ChangedClause {
                    old: clause("Acme has an exclusive licence <b>now</b>."),
                    new: clause("Acme has a non-exclusive licence <script>x</script>."),
                }],
                ..Default::default()
            },
            reason: None,
            attempts: 0,
            last_error: None,
            delivered_at: None,
            delivered_via: None,
            digest_id: None,
        }
    }

    #[test]
    fn subject_and_header_name_only_changed_topics() {
        let a = alert();
        assert_eq!(a.subject(), "[clausewatch] acme: exclusivity changed");
        let cfg = EmailConfig {
            smtp_url: "smtp://127.0.0.1:2525".into(),
            username: None,
            password_env: None,
            from: "cw@example.com".into(),
            to: vec!["an@example.com".into()],
            digest: true,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _g = rt.enter();
        let m = Mailer::new(&cfg).unwrap().message(&a).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(
            raw.contains("X-Clausewatch-Topics: exclusivity\r\n"),
            "{raw}"
        );
        assert!(raw.contains("Message-ID: <a1@clausewatch>"), "{raw}");
    }

    #[test]
    fn page_text_cannot_inject_markup_into_html() {
        let html = alert().html_body();
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>now"));
        assert!(html.contains("&lt;script&gt;"));
    }
}

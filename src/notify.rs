//! Mailing alerts: the message (headers, a text and an HTML part) and the SMTP transport.
//!
//! Owns: putting an [`Alert`] (or a digest of several) into a mail with its stable
//! `Message-ID` and topics header, and the lettre SMTP transport (rustls). The record itself
//! is `alert`'s, the bodies are `render`'s. Must not: decide whether something is a change
//! (that is `check`) or write the store.
//!
//! Mail contract: subject `[clausewatch] <name>: <changed topics> changed`; header
//! `X-Clausewatch-Topics` lists the changed topics in snake_case, comma-separated, and is
//! present but empty on a mail that reports no term change (an anomaly notice).

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::alert::{Alert, topic_list};
use crate::config::EmailConfig;
use crate::extract::Topic;
use crate::render::{digest_html, digest_text};

/// SMTP timeout for connect and each command; a dead mail server must not stall a pass.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

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
    #[error("sending via SMTP: {message}")]
    Send {
        /// What went wrong.
        message: String,
        /// The server answered with a 4xx/5xx reply: the mail was definitely not accepted.
        /// Otherwise (connection lost, timeout) it may have arrived.
        refused: bool,
    },
}

impl NotifyError {
    /// Whether the mail certainly did not arrive: it was never built or sent, or the server
    /// refused it with a 4xx/5xx reply.
    pub fn nothing_delivered(&self) -> bool {
        match self {
            NotifyError::Config(_) | NotifyError::Build(_) => true,
            NotifyError::Send { refused, .. } => *refused,
        }
    }
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
        let text = digest_text(alerts);
        let html = digest_html(alerts);
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
            .map_err(|e| NotifyError::Send {
                message: crate::error_chain(&e),
                refused: e.is_transient() || e.is_permanent(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::AlertKind;
    use crate::diff::{ChangeSet, ChangedClause};
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

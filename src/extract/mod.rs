//! Clause extraction: raw page bytes → the sentences (clauses) that state deal terms.
//!
//! Owns: charset decoding, main-content detection, sentence splitting and topic tagging.
//! Must not: do I/O, know about snapshots, watches or e-mail. Everything here is pure and
//! synchronous so a page is parsed once, on a blocking thread if it is large.
//!
//! Main types: [`Extractor`] (rules compiled once per watch), [`Extraction`] (what one page
//! yields), [`Clause`] (one sentence with its [`Topic`]s).

pub mod charset;
pub mod content;
pub mod sentences;
pub mod terms;
pub mod topics;

use serde::{Deserialize, Serialize};

/// Version of the extraction rules. Stored with every snapshot; bump it whenever a change to
/// this module can change the clauses produced for the same page.
pub const EXTRACTOR_VERSION: &str = "0.2.0";

/// Below this many characters of rendered body text, the JSON-LD `articleBody` (if any) is
/// used instead.
const MIN_RENDERED_BODY_CHARS: usize = 200;

/// Shorter units are never clauses.
const MIN_CLAUSE_WORDS: usize = 3;

/// A topic a clause is about, by its snake_case name (`exclusivity`, `cloud`, `revenue_share`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Topic(String);

impl Topic {
    /// Names of the built-in topics, in their canonical order.
    pub const BUILTIN: [&'static str; 3] = ["exclusivity", "cloud", "revenue_share"];

    /// A topic from its name; `Revenue-Share` and `revenue share` become `revenue_share`.
    pub fn new(name: &str) -> Topic {
        Topic(name.trim().to_lowercase().replace(['-', ' '], "_"))
    }

    /// All built-in topics.
    pub fn all() -> Vec<Topic> {
        Self::BUILTIN.iter().map(|n| Topic::new(n)).collect()
    }

    /// Whether this is one of the built-in topics.
    pub fn is_builtin(&self) -> bool {
        Self::BUILTIN.contains(&self.0.as_str())
    }

    /// The snake_case name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One sentence (or list item) of the main text that is about at least one watched topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// Topics, sorted and without duplicates; never empty.
    pub topics: Vec<Topic>,
    /// The visible text, whitespace collapsed.
    pub text: String,
}

/// Settings that change what is extracted from a page.
#[derive(Clone, Debug, Default)]
pub struct ExtractOptions {
    /// CSS selector for the article container; `None` detects the main content.
    pub select: Option<String>,
    /// Topics to keep; empty means all built-in topics.
    pub topics: Vec<Topic>,
    /// User-defined topics and additions to built-in ones (`[topics.<name>]`).
    pub custom: Vec<CustomTopic>,
}

/// A user-defined topic rule (`[topics.<name>]` in the watchlist): a sentence is about the
/// topic when one of `patterns` matches and none of `exclude` does. For a built-in name,
/// `patterns` add to the built-in rules and `exclude` vetoes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CustomTopic {
    /// snake_case topic name.
    pub name: String,
    /// Case-insensitive regular expressions; empty means the name itself, as words.
    pub patterns: Vec<String>,
    /// Case-insensitive regular expressions that veto the topic.
    pub exclude: Vec<String>,
}

/// What one page yields.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// Topic clauses in page order.
    pub clauses: Vec<Clause>,
    /// Characters of main text found (all sentences, topic or not). 0 means no main text.
    pub main_text_chars: usize,
    /// Number of sentences in the main text.
    pub sentence_count: usize,
    /// The page's `<title>` or first heading, if any.
    pub title: Option<String>,
}

/// Why extraction could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The `select` CSS selector does not parse.
    #[error("invalid CSS selector `{selector}`: {reason}; fix the `select` key")]
    BadSelector {
        /// The selector as given.
        selector: String,
        /// The parser's message.
        reason: String,
    },
    /// A custom topic pattern is not a valid regular expression.
    #[error("invalid topic pattern `{pattern}`: {reason}")]
    BadPattern {
        /// The pattern as given.
        pattern: String,
        /// The regex parser's message.
        reason: String,
    },
}

/// Extraction rules compiled once (selectors, patterns) and reused for every page of a watch.
pub struct Extractor {
    options: ExtractOptions,
    selector: Option<scraper::Selector>,
    rules: topics::TopicRules,
    wanted: Vec<Topic>,
}

impl Extractor {
    /// Compiles the rules for these options.
    pub fn new(options: ExtractOptions) -> Result<Extractor, ExtractError> {
        let selector = match options.select.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                Some(
                    scraper::Selector::parse(s).map_err(|e| ExtractError::BadSelector {
                        selector: s.to_owned(),
                        reason: e.to_string(),
                    })?,
                )
            }
        };
        let mut wanted: Vec<Topic> = if options.topics.is_empty() {
            Topic::all()
        } else {
            options.topics.clone()
        };
        wanted.retain(|t| !t.as_str().is_empty());
        wanted.sort();
        wanted.dedup();
        let mut custom: Vec<CustomTopic> = options.custom.clone();
        for t in wanted.iter().filter(|t| !t.is_builtin()) {
            if !custom.iter().any(|c| c.name == t.as_str()) {
                custom.push(CustomTopic {
                    name: t.as_str().to_owned(),
                    ..CustomTopic::default()
                });
            }
        }
        Ok(Extractor {
            options,
            selector,
            rules: topics::TopicRules::new(&custom).map_err(|(pattern, reason)| {
                ExtractError::BadPattern { pattern, reason }
            })?,
            wanted,
        })
    }

    /// The options this extractor was built with.
    pub fn options(&self) -> &ExtractOptions {
        &self.options
    }

    /// Extracts the topic clauses of a decoded HTML page.
    pub fn extract(&self, html: &str) -> Extraction {
        let doc = scraper::Html::parse_document(html);
        let title = content::title(&doc);
        let blocks = match &self.selector {
            Some(sel) => content::selected_blocks(&doc, sel),
            None => {
                let blocks = content::main_blocks(&doc);
                let body_chars: usize = blocks
                    .iter()
                    .filter(|b| b.kind != content::BlockKind::Heading)
                    .map(|b| b.text.len())
                    .sum();
                // Client-rendered pages may carry the article only as JSON-LD.
                if body_chars < MIN_RENDERED_BODY_CHARS {
                    let fallback = content::json_ld_blocks(&doc);
                    let fallback_chars: usize = fallback.iter().map(|b| b.text.len()).sum();
                    if fallback_chars > body_chars {
                        fallback
                    } else {
                        blocks
                    }
                } else {
                    blocks
                }
            }
        };
        let mut extraction = Extraction {
            title,
            ..Extraction::default()
        };
        for block in &blocks {
            extraction.main_text_chars += block.text.chars().count();
            let units = match block.kind {
                // Headlines and sub-headings describe the article; they are not clauses.
                content::BlockKind::Heading => continue,
                content::BlockKind::ListItem => vec![block.text.clone()],
                content::BlockKind::Paragraph => sentences::split_sentences(&block.text),
            };
            for unit in units {
                if content::is_boilerplate_sentence(&unit) {
                    continue;
                }
                extraction.sentence_count += 1;
                // A two-word fragment ("Exclusivity:" in a table cell) states no term.
                if unit.split_whitespace().count() < MIN_CLAUSE_WORDS {
                    continue;
                }
                let topics = self.topics_of(&unit);
                if !topics.is_empty() {
                    extraction.clauses.push(Clause { topics, text: unit });
                }
            }
        }
        extraction
    }

    /// The watched topics of one sentence, sorted and deduplicated (empty if none).
    pub fn topics_of(&self, sentence: &str) -> Vec<Topic> {
        self.rules
            .topics(sentence)
            .into_iter()
            .map(|n| Topic::new(&n))
            .filter(|t| self.wanted.contains(t))
            .collect()
    }

    /// Which rules fire on a sentence and for which topics (all topics, watched or not);
    /// for `clausewatch explain`-style diagnostics.
    pub fn explain(&self, sentence: &str) -> Vec<topics::RuleHit> {
        self.rules.explain(sentence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Acme picks Globex</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"exclusive cloud revenue share"}</script></head>
<body>
<div class="consent"><p>We use cookies; our partners get an exclusive share of revenue from the cloud.</p></div>
<header><nav><a href="/cloud">Cloud</a></nav></header>
<main><article>
<h1>Acme makes Globex its primary cloud provider</h1>
<div class="story-body">
<p>Acme, a maker of robot coyotes, said on Monday that it has named Globex its primary cloud provider. The deal runs for five years.</p>
<p>Acme will pay Globex a revenue share on every model sold through the Globex marketplace. Neither company gave a value.</p>
<p>Under the agreement, Globex is the exclusive reseller of Acme models in Europe.</p>
<p>Acme was founded in 2019 in Tucson, Arizona, by two former engineers.</p>
</div>
<div class="tags">Filed under: Exclusive, Clouds, Revenue-share</div>
</article>
<section class="related-stories"><h2>Related stories</h2>
<article><h3>Initech signs an exclusive cloud deal</h3><p>Initech will pay a revenue share to its exclusive cloud provider for ten years.</p></article>
</section>
<div class="newsletter-box"><p>Subscribers get exclusive analysis of every cloud deal and revenue share.</p></div>
</main>
<footer><p>About us: the exclusive source for cloud news. Copyright 2025.</p></footer>
<noscript>Enable JavaScript for exclusive cloud revenue-share coverage.</noscript>
</body></html>"#;

    fn extract(options: ExtractOptions, html: &str) -> Extraction {
        Extractor::new(options)
            .expect("valid options")
            .extract(html)
    }

    #[test]
    fn extracts_only_article_clauses() {
        let ex = extract(ExtractOptions::default(), PAGE);
        let got: Vec<(Vec<&str>, &str)> = ex
            .clauses
            .iter()
            .map(|c| {
                (
                    c.topics.iter().map(Topic::as_str).collect(),
                    c.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    vec!["cloud"],
                    "Acme, a maker of robot coyotes, said on Monday that it has named Globex its primary cloud provider."
                ),
                (
                    vec!["revenue_share"],
                    "Acme will pay Globex a revenue share on every model sold through the Globex marketplace."
                ),
                (
                    vec!["exclusivity"],
                    "Under the agreement, Globex is the exclusive reseller of Acme models in Europe."
                ),
            ]
        );
        assert_eq!(ex.sentence_count, 6);
        assert!(ex.main_text_chars > 300);
        assert_eq!(ex.title.as_deref(), Some("Acme picks Globex"));
    }

    #[test]
    fn topic_filter_keeps_only_watched_topics() {
        let options = ExtractOptions {
            select: None,
            topics: vec![Topic::new("Revenue-Share")],
            custom: Vec::new(),
        };
        let ex = extract(options, PAGE);
        assert_eq!(ex.clauses.len(), 1);
        assert_eq!(ex.clauses[0].topics, vec![Topic::new("revenue_share")]);
    }

    #[test]
    fn selector_wins_over_detection() {
        let options = ExtractOptions {
            select: Some("section.related-stories p".to_owned()),
            topics: Vec::new(),
            custom: Vec::new(),
        };
        let ex = extract(options, PAGE);
        assert_eq!(ex.clauses.len(), 1);
        assert_eq!(
            ex.clauses[0].topics,
            vec![
                Topic::new("cloud"),
                Topic::new("exclusivity"),
                Topic::new("revenue_share")
            ]
        );
    }

    #[test]
    fn bad_selector_is_an_error() {
        let options = ExtractOptions {
            select: Some("div[".to_owned()),
            topics: Vec::new(),
            custom: Vec::new(),
        };
        assert!(matches!(
            Extractor::new(options),
            Err(ExtractError::BadSelector { .. })
        ));
    }

    #[test]
    fn unrendered_template_has_no_main_text() {
        let html = PAGE.replace(
            &PAGE[PAGE.find("<div class=\"story-body\">").unwrap_or(0)
                ..PAGE.find("<div class=\"tags\">").unwrap_or(0)],
            "<div class=\"story-body\">{{ article.body | safe }}</div>",
        );
        let ex = extract(ExtractOptions::default(), &html);
        assert!(ex.clauses.is_empty());
        assert_eq!(ex.sentence_count, 0);
        assert!(ex.main_text_chars < 80, "{}", ex.main_text_chars);
    }

    #[test]
    fn empty_and_garbage_input() {
        for html in ["", "<", "<html>", "\u{0}\u{ffff}<p>x", "<p>exclusive</p>"] {
            let _ = extract(ExtractOptions::default(), html);
        }
    }
}

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
pub mod topics;

use serde::{Deserialize, Serialize};

/// Version of the extraction rules. Stored with every snapshot; bump it whenever a change to
/// this module can change the clauses produced for the same page.
pub const EXTRACTOR_VERSION: &str = "0.2.0";

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
        let custom: Vec<String> = wanted
            .iter()
            .filter(|t| !t.is_builtin())
            .map(|t| t.as_str().to_owned())
            .collect();
        Ok(Extractor {
            options,
            selector,
            rules: topics::TopicRules::new(&custom),
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
            None => content::main_blocks(&doc),
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

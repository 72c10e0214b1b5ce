//! Clause extraction: raw page bytes → the sentences (clauses) that state deal terms.
//!
//! Owns: charset decoding, main-content detection, sentence splitting and topic tagging.
//! Must not: do I/O, know about snapshots, watches or e-mail. Everything here is pure and
//! synchronous so a page is parsed once, on a blocking thread if it is large.
//!
//! Main types: [`Extractor`] (a watch's settings; the topic rules it uses are compiled once
//! per process, see [`topics`]), [`Extraction`] (what one page
//! yields), [`Clause`] (one sentence with its [`Topic`]s), [`PageExplanation`] (why a page
//! yields what it yields, for `clausewatch extract --explain`).
//!
//! [`Extractor::extract`] and [`Extractor::explain_page`] run the same code: the explaining
//! run passes a recorder down the same functions, so the two cannot disagree, and the plain
//! run formats nothing.

mod article;
pub mod charset;
pub mod content;
pub mod sentences;
pub mod terms;
pub mod topics;

use serde::{Deserialize, Serialize};

/// Version of the extraction engine, bumped by hand whenever a change to code in this
/// module (content detection, sentence splitting, normalisation, the rule engine) can
/// change the clauses produced for the same page. Changes to the rule data need no bump:
/// [`extractor_version`] includes a hash of it. The golden test `dev_pages_clauses_hash`
/// fails when the clauses of the dev pages change while the version does not.
pub const ENGINE_VERSION: &str = "0.8.0";

/// The extractor version stored with every snapshot: `<ENGINE_VERSION>+<rules hash>`, e.g.
/// `0.7.0+1a2b3c4d`. A stored page whose version differs is re-read with the current rules,
/// without an alert.
pub fn extractor_version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{ENGINE_VERSION}+{}", topics::rules_hash()));
    &VERSION
}

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

/// Why a page yields what it yields: the container chosen, what was dropped as boilerplate,
/// and the fate of every sentence of the kept text. Made by [`Extractor::explain_page`].
///
/// JSON shape (`serde_json`):
/// `{"extractor_version", "title", "containers": {"method": "detected"|"select"|"json_ld", ...},
/// "dropped": [{"path", "scope", "reason", "text"}], "dropped_total",
/// "units": [{"kind", "text", "sentences": [{"text", "topics", "rules", "skipped"?}]}],
/// "clauses", "main_text_chars", "sentence_count"}`.
#[derive(Debug, Clone, Serialize)]
pub struct PageExplanation {
    /// [`extractor_version`] of the rules that made this explanation.
    pub extractor_version: &'static str,
    /// The page's title, as in [`Extraction::title`].
    pub title: Option<String>,
    /// How the article text was found.
    pub containers: ContainerChoice,
    /// Elements and text blocks removed as boilerplate, in page order; at most 200 (see
    /// `dropped_total`). Scripts, styles and elements without text are not listed.
    pub dropped: Vec<DroppedElement>,
    /// How many entries `dropped` had before it was capped.
    pub dropped_total: usize,
    /// The kept text units (blocks), in page order.
    pub units: Vec<UnitExplanation>,
    /// The clauses, exactly as [`Extractor::extract`] returns them.
    pub clauses: Vec<Clause>,
    /// As [`Extraction::main_text_chars`].
    pub main_text_chars: usize,
    /// As [`Extraction::sentence_count`].
    pub sentence_count: usize,
}

/// How the article container was found.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ContainerChoice {
    /// The Readability port (`engine`) found the article; `restored` are the paths of the
    /// sibling elements beside it whose text was put back (term lists, callouts).
    Library {
        /// The library and its version.
        engine: &'static str,
        /// Elements restored beside the library's article, in page order.
        restored: Vec<String>,
    },
    /// Container scoring chose `chosen` (the best element and the siblings kept with it),
    /// because the library found no article.
    Detected {
        /// Why the library's article was not used.
        #[serde(skip_serializing_if = "Option::is_none")]
        library_failed: Option<String>,
        /// The chosen container(s), in page order; empty if the page has no paragraph text.
        chosen: Vec<ScoredContainer>,
        /// The best-scoring candidates not chosen (at most 3), best first.
        runners_up: Vec<ScoredContainer>,
    },
    /// The watch's `select` CSS selector was used.
    Select {
        /// The selector as given.
        selector: String,
        /// Paths of the outermost matching elements, in page order (at most 50).
        matched: Vec<String>,
        /// Number of outermost matching elements.
        matched_total: usize,
    },
    /// The rendered body had too little text; the JSON-LD `articleBody` was used instead.
    JsonLd {
        /// Characters of non-heading text in the detected container(s).
        rendered_body_chars: usize,
        /// Characters of text in the `articleBody` paragraphs kept.
        article_body_chars: usize,
        /// What container scoring had chosen.
        detected: Vec<ScoredContainer>,
    },
}

/// A candidate article container and its score.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredContainer {
    /// CSS-like path, e.g. `main > article > div.story-body`.
    pub path: String,
    /// Final score (paragraph score discounted by link density), rounded to 2 decimals.
    pub score: f64,
    /// Non-space characters of text inside, boilerplate excluded.
    pub text_chars: usize,
}

/// Whether a whole element or one text block was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropScope {
    /// The element and everything in it, before container scoring.
    Element,
    /// One text block of the chosen container (its `path` is the block's element).
    TextBlock,
}

/// One element or text block removed as boilerplate.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedElement {
    /// CSS-like path of the element, e.g. `main > section.related-stories`.
    pub path: String,
    /// Whole element or one text block.
    pub scope: DropScope,
    /// Why, e.g. `tag <aside>`, `class "related-stories" looks like related`, `role=dialog`,
    /// `heading "Related stories"`, `link-list`, `About section`, `forward-looking statements`.
    pub reason: String,
    /// The first 80 characters of its text, whitespace collapsed.
    pub text: String,
}

/// What kind of block a text unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Paragraph-like text, split into sentences.
    Paragraph,
    /// A list item: one sentence however long.
    ListItem,
    /// A heading: never a clause.
    Heading,
}

/// One kept text block and what became of its sentences.
#[derive(Debug, Clone, Serialize)]
pub struct UnitExplanation {
    /// Where the text came from.
    pub kind: UnitKind,
    /// The block's text, whitespace collapsed.
    pub text: String,
    /// Its sentences (one for a list item or heading), in order.
    pub sentences: Vec<SentenceExplanation>,
}

/// One sentence: its topics and the rules that fired, or why it was skipped.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceExplanation {
    /// The sentence.
    pub text: String,
    /// Watched topics; non-empty exactly when the sentence is a clause.
    pub topics: Vec<Topic>,
    /// Every rule that fired, watched topic or not (empty when skipped before the rules),
    /// with the cue words that let it run.
    pub rules: Vec<topics::RuleHit>,
    /// Rules whose patterns matched but a veto stopped (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vetoed: Vec<topics::Veto>,
    /// Why it is not a clause; absent for clauses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
}

/// Why a sentence is not a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SkipReason {
    /// Headings are never clauses.
    #[serde(rename = "heading")]
    Heading,
    /// Site furniture inside the article (cookie notice, "Read more", copyright...).
    #[serde(rename = "boilerplate_sentence")]
    BoilerplateSentence,
    /// Fewer than 3 words.
    #[serde(rename = "fewer_than_3_words")]
    TooShort,
    /// No topic rule fired.
    #[serde(rename = "no_topic_rule")]
    NoTopicRule,
    /// Rules fired only for topics this watch does not watch.
    #[serde(rename = "topic_not_watched")]
    TopicNotWatched,
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

/// A watch's extraction settings, ready to use: the `select` selector parsed, the topic
/// rules shared (built-in rules are compiled once per process, on first use; custom topics
/// once per distinct set). Cheap to build.
pub struct Extractor {
    options: ExtractOptions,
    selector: Option<scraper::Selector>,
    rules: topics::TopicRules,
    wanted: Vec<Topic>,
}

impl Extractor {
    /// Prepares these options (parses the selector, compiles custom topic patterns).
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
            rules: topics::TopicRules::new(&custom)
                .map_err(|(pattern, reason)| ExtractError::BadPattern { pattern, reason })?,
            wanted,
        })
    }

    /// The options this extractor was built with.
    pub fn options(&self) -> &ExtractOptions {
        &self.options
    }

    /// Extracts the topic clauses of a decoded HTML page.
    pub fn extract(&self, html: &str) -> Extraction {
        self.run(html, false).0
    }

    /// Explains the extraction of a decoded HTML page: the container(s) chosen (and the
    /// runners-up), every element and block dropped as boilerplate, and for every sentence of
    /// the kept text its topics and rules or why it was skipped. Its `clauses` are exactly
    /// those of [`Extractor::extract`] on the same page. Slower than `extract`; for
    /// diagnostics (`clausewatch extract --explain`).
    pub fn explain_page(&self, html: &str) -> PageExplanation {
        let (extraction, explanation) = self.run(html, true);
        let mut explanation = explanation.expect("explaining run returns an explanation");
        explanation.clauses = extraction.clauses;
        explanation
    }

    /// The one extraction procedure; with `explain`, it also records why.
    fn run(&self, html: &str, explain: bool) -> (Extraction, Option<PageExplanation>) {
        let doc = scraper::Html::parse_document(html);
        let title = content::title(&doc);
        let mut rec = explain.then(|| content::Recorder::new(&doc));
        let (blocks, json_ld) = self.main_blocks(&doc, html, rec.as_mut());
        let mut units: Option<Vec<UnitExplanation>> = explain.then(Vec::new);
        let mut extraction = Extraction {
            title,
            ..Extraction::default()
        };
        for block in &blocks {
            extraction.main_text_chars += block.text.chars().count();
            let mut unit_ex = units.is_some().then(|| UnitExplanation {
                kind: match block.kind {
                    content::BlockKind::Heading => UnitKind::Heading,
                    content::BlockKind::ListItem => UnitKind::ListItem,
                    content::BlockKind::Paragraph => UnitKind::Paragraph,
                },
                text: block.text.clone(),
                sentences: Vec::new(),
            });
            let pieces = match block.kind {
                // Headlines and sub-headings describe the article; they are not clauses.
                content::BlockKind::Heading => {
                    if let (Some(units), Some(mut u)) = (units.as_mut(), unit_ex) {
                        u.sentences.push(SentenceExplanation::skipped(
                            &block.text,
                            SkipReason::Heading,
                        ));
                        units.push(u);
                    }
                    continue;
                }
                content::BlockKind::ListItem => vec![block.text.clone()],
                content::BlockKind::Paragraph => sentences::split_sentences(&block.text),
            };
            for unit in pieces {
                if content::is_boilerplate_sentence(&unit) {
                    if let Some(u) = unit_ex.as_mut() {
                        u.sentences.push(SentenceExplanation::skipped(
                            &unit,
                            SkipReason::BoilerplateSentence,
                        ));
                    }
                    continue;
                }
                extraction.sentence_count += 1;
                // A two-word fragment ("Exclusivity:" in a table cell) states no term.
                if unit.split_whitespace().count() < MIN_CLAUSE_WORDS {
                    if let Some(u) = unit_ex.as_mut() {
                        u.sentences
                            .push(SentenceExplanation::skipped(&unit, SkipReason::TooShort));
                    }
                    continue;
                }
                let topics::Explained { hits, vetoed } = if unit_ex.is_some() {
                    self.rules.explain_all(&unit)
                } else {
                    topics::Explained {
                        hits: self.rules.explain(&unit),
                        vetoed: Vec::new(),
                    }
                };
                let topics = self.watched_topics(&hits);
                if let Some(u) = unit_ex.as_mut() {
                    let skipped = match (topics.is_empty(), hits.is_empty()) {
                        (false, _) => None,
                        (true, true) => Some(SkipReason::NoTopicRule),
                        (true, false) => Some(SkipReason::TopicNotWatched),
                    };
                    u.sentences.push(SentenceExplanation {
                        text: unit.clone(),
                        topics: topics.clone(),
                        rules: hits,
                        vetoed,
                        skipped,
                    });
                }
                if !topics.is_empty() {
                    extraction.clauses.push(Clause { topics, text: unit });
                }
            }
            if let (Some(units), Some(u)) = (units.as_mut(), unit_ex) {
                units.push(u);
            }
        }
        let explanation =
            rec.map(|rec| self.explanation(rec, json_ld, &extraction, units.unwrap_or_default()));
        (extraction, explanation)
    }

    /// What the recorder saw, as a [`PageExplanation`] (its `clauses` filled in by the caller).
    fn explanation(
        &self,
        mut rec: content::Recorder,
        json_ld: Option<(usize, usize)>,
        extraction: &Extraction,
        units: Vec<UnitExplanation>,
    ) -> PageExplanation {
        let (dropped, dropped_total) = rec.take_dropped();
        let containers = match (&self.options.select, &self.selector, json_ld) {
            (Some(selector), Some(_), _) => ContainerChoice::Select {
                selector: selector.trim().to_owned(),
                matched: std::mem::take(&mut rec.matched),
                matched_total: rec.matched_total,
            },
            (_, _, Some((rendered_body_chars, article_body_chars))) => ContainerChoice::JsonLd {
                rendered_body_chars,
                article_body_chars,
                detected: std::mem::take(&mut rec.chosen),
            },
            _ => match rec.library.take() {
                Some(restored) => ContainerChoice::Library {
                    engine: article::ENGINE,
                    restored,
                },
                None => ContainerChoice::Detected {
                    library_failed: rec.library_failed.take(),
                    chosen: std::mem::take(&mut rec.chosen),
                    runners_up: std::mem::take(&mut rec.runners_up),
                },
            },
        };
        PageExplanation {
            extractor_version: extractor_version(),
            title: extraction.title.clone(),
            containers,
            dropped,
            dropped_total,
            units,
            clauses: Vec::new(),
            main_text_chars: extraction.main_text_chars,
            sentence_count: extraction.sentence_count,
        }
    }

    /// The main text of a decoded HTML page, one block per paragraph, list item or heading,
    /// exactly as the clauses are read from it (`clausewatch extract --text`).
    pub fn main_text(&self, html: &str) -> Vec<content::Block> {
        let doc = scraper::Html::parse_document(html);
        self.main_blocks(&doc, html, None).0
    }

    /// The blocks of the article: the `select` matches, else the article found by the
    /// Readability port (else the hand-written scorer), else the JSON-LD `articleBody` when
    /// the rendered body has almost no text. With JSON-LD, also the (rendered, JSON-LD)
    /// character counts.
    fn main_blocks(
        &self,
        doc: &scraper::Html,
        html: &str,
        mut rec: Option<&mut content::Recorder>,
    ) -> (Vec<content::Block>, Option<(usize, usize)>) {
        let mut json_ld: Option<(usize, usize)> = None;
        let blocks = match &self.selector {
            Some(sel) => content::selected_blocks_traced(doc, sel, rec.as_deref_mut()),
            None => {
                let blocks = Self::detected_blocks(doc, html, rec.as_deref_mut());
                let body_chars: usize = blocks
                    .iter()
                    .filter(|b| b.kind != content::BlockKind::Heading)
                    .map(|b| b.text.len())
                    .sum();
                // Client-rendered pages may carry the article only as JSON-LD.
                if body_chars < MIN_RENDERED_BODY_CHARS {
                    let mark = rec.as_deref().map(content::Recorder::mark);
                    let fallback = content::json_ld_blocks_traced(doc, rec.as_deref_mut());
                    let fallback_chars: usize = fallback.iter().map(|b| b.text.len()).sum();
                    if fallback_chars > body_chars {
                        json_ld = Some((body_chars, fallback_chars));
                        fallback
                    } else {
                        if let (Some(rec), Some(mark)) = (rec, mark) {
                            rec.rewind(mark);
                        }
                        blocks
                    }
                } else {
                    blocks
                }
            }
        };
        (blocks, json_ld)
    }

    /// The article found by the Readability port plus the term boxes beside it; when the
    /// library finds nothing, the hand-written container scorer's choice.
    fn detected_blocks(
        doc: &scraper::Html,
        html: &str,
        mut rec: Option<&mut content::Recorder>,
    ) -> Vec<content::Block> {
        let mark = rec.as_deref().map(content::Recorder::mark);
        let why_not = match article::readable_fragment(html) {
            article::ArticleFragment::Found(fragment) => {
                let fragment = scraper::Html::parse_fragment(&fragment);
                match content::library_article_blocks(doc, &fragment, rec.as_deref_mut()) {
                    Ok((blocks, restored)) if !blocks.is_empty() => {
                        if let Some(rec) = rec {
                            rec.library = Some(restored);
                        }
                        return blocks;
                    }
                    Ok(_) => {
                        "the library's article has no text after boilerplate removal".to_owned()
                    }
                    Err(why) => why,
                }
            }
            article::ArticleFragment::NotFound(why) => why,
        };
        if let Some(rec) = rec.as_deref_mut() {
            // The hand-written scorer reports its own drops.
            if let Some(mark) = mark {
                rec.rewind(mark);
            }
            rec.library_failed = Some(why_not);
        }
        content::main_blocks_traced(doc, rec)
    }

    /// The watched topics of one sentence, sorted and deduplicated (empty if none).
    pub fn topics_of(&self, sentence: &str) -> Vec<Topic> {
        self.watched_topics(&self.rules.explain(sentence))
    }

    /// The watched topics among the topics of these rule hits, sorted and deduplicated.
    fn watched_topics(&self, hits: &[topics::RuleHit]) -> Vec<Topic> {
        let mut names: Vec<&str> = hits.iter().map(|h| h.topic.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(Topic::new)
            .filter(|t| self.wanted.contains(t))
            .collect()
    }

    /// Which rules fire on a sentence and for which topics (all topics, watched or not);
    /// for `clausewatch explain`-style diagnostics.
    pub fn explain(&self, sentence: &str) -> Vec<topics::RuleHit> {
        self.rules.explain(sentence)
    }
}

impl SentenceExplanation {
    fn skipped(text: &str, reason: SkipReason) -> SentenceExplanation {
        SentenceExplanation {
            text: text.to_owned(),
            topics: Vec::new(),
            rules: Vec::new(),
            vetoed: Vec::new(),
            skipped: Some(reason),
        }
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

    /// An invented press page with every kind of boilerplate the explanation names.
    const EXPLAIN_PAGE: &str = r#"<!doctype html><html><head><title>Globex and Acme extend their cloud pact</title></head>
<body>
<div role="dialog"><p>Accept all cookies to keep reading this exclusive cloud story.</p></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/cloud">Cloud</a></li></ul></nav>
<main>
<article>
<div class="article-body">
<h2>Terms of the deal</h2>
<p>Globex, a maker of anvils, said on Tuesday that Acme will remain its primary cloud provider until 2030. The companies did not say how much the deal is worth, or when it was signed.</p>
<p>Exclusivity:</p>
<ul><li>Acme will pay Globex a revenue share of 12 percent on anvils resold through Acme's store.</li><li>Globex keeps the right to buy from other suppliers, as before.</li></ul>
<p>Read more about anvil deals, cloud deals and more in our archive.</p>
<p>Globex stock rose 4 percent in early trading, and analysts, who follow the company, were pleased. Click here for the full market report.</p>
<div><h3>More from Globex</h3><p>Globex names a new chief cloud officer, and other news, in brief.</p></div>
<ul><li><a href="/a">Globex opens an anvil plant in Ohio</a></li><li><a href="/b">Acme hires a new finance chief</a></li></ul>
<h2>About Globex</h2>
<p>Globex is the exclusive maker of ACME-grade anvils, with cloud-based ordering.</p>
<h2>Forward-Looking Statements</h2>
<p>This release contains statements about future cloud revenue share, which may differ.</p>
</div>
</article>
<aside><p>Sponsored: exclusive cloud offers for anvil buyers.</p></aside>
</main>
</body></html>"#;

    fn explainer(options: ExtractOptions) -> Extractor {
        Extractor::new(options).expect("valid options")
    }

    #[test]
    fn explain_page_reports_container_drops_and_sentences() {
        let ex = explainer(ExtractOptions::default());
        let exp = ex.explain_page(EXPLAIN_PAGE);
        let ContainerChoice::Library { restored, .. } = &exp.containers else {
            panic!("expected the library's article, got {:?}", exp.containers);
        };
        assert!(restored.is_empty(), "{restored:?}");
        // Page chrome and widgets as the page walk prunes them, then the text blocks that
        // clausewatch's own layers remove from the library's article.
        let dropped: Vec<(DropScope, &str)> = exp
            .dropped
            .iter()
            .map(|d| (d.scope, d.reason.as_str()))
            .collect();
        assert_eq!(
            dropped,
            vec![
                (DropScope::Element, "role=dialog"),
                (DropScope::Element, "tag <nav>"),
                (DropScope::Element, "heading \"More from Globex\""),
                (DropScope::Element, "link-list"),
                (DropScope::Element, "tag <aside>"),
                (DropScope::TextBlock, "furniture \"Read more\""),
                (DropScope::TextBlock, "About section"),
                (DropScope::TextBlock, "inside About section"),
                (DropScope::TextBlock, "forward-looking statements"),
                (DropScope::TextBlock, "inside forward-looking statements"),
            ]
        );
        assert_eq!(
            exp.dropped[3].path,
            "main > article > div.article-body > ul"
        );
        assert_eq!(exp.dropped_total, exp.dropped.len());
        assert!(
            exp.dropped[2]
                .text
                .starts_with("More from Globex Globex names")
        );
        assert!(exp.dropped.iter().all(|d| d.text.chars().count() <= 81));

        let fates: Vec<(UnitKind, &str, Option<SkipReason>, Vec<&str>)> = exp
            .units
            .iter()
            .flat_map(|u| {
                u.sentences.iter().map(move |s| {
                    (
                        u.kind,
                        s.text.split(' ').next().unwrap_or_default(),
                        s.skipped,
                        s.rules.iter().map(|r| r.rule).collect(),
                    )
                })
            })
            .collect();
        assert_eq!(
            fates,
            vec![
                (
                    UnitKind::Heading,
                    "Terms",
                    Some(SkipReason::Heading),
                    vec![]
                ),
                (
                    UnitKind::Paragraph,
                    "Globex,",
                    None,
                    vec!["cloud.provider_role"]
                ),
                (
                    UnitKind::Paragraph,
                    "The",
                    Some(SkipReason::NoTopicRule),
                    vec![]
                ),
                (
                    UnitKind::Paragraph,
                    "Exclusivity:",
                    Some(SkipReason::TooShort),
                    vec![]
                ),
                (
                    UnitKind::ListItem,
                    "Acme",
                    None,
                    vec!["revenue_share.named"]
                ),
                (
                    UnitKind::ListItem,
                    "Globex",
                    Some(SkipReason::NoTopicRule),
                    vec![]
                ),
                (
                    UnitKind::Paragraph,
                    "Globex",
                    Some(SkipReason::NoTopicRule),
                    vec![]
                ),
                (
                    UnitKind::Paragraph,
                    "Click",
                    Some(SkipReason::BoilerplateSentence),
                    vec![]
                ),
            ]
        );

        let plain = ex.extract(EXPLAIN_PAGE);
        assert_eq!(exp.clauses, plain.clauses);
        assert_eq!(exp.clauses.len(), 2);
        assert_eq!(exp.sentence_count, plain.sentence_count);
        assert_eq!(exp.main_text_chars, plain.main_text_chars);
        assert_eq!(exp.title, plain.title);

        let json = serde_json::to_value(&exp).expect("serializes");
        assert_eq!(json["containers"]["method"], "library");
        assert_eq!(json["dropped"][5]["scope"], "text_block");
        assert_eq!(
            json["units"][2]["sentences"][0]["skipped"],
            "fewer_than_3_words"
        );
        assert!(json["units"][1]["sentences"][0].get("skipped").is_none());
    }

    #[test]
    fn explain_page_names_unwatched_topics() {
        let ex = explainer(ExtractOptions {
            topics: vec![Topic::new("cloud")],
            ..ExtractOptions::default()
        });
        let exp = ex.explain_page(EXPLAIN_PAGE);
        let share = exp
            .units
            .iter()
            .flat_map(|u| &u.sentences)
            .find(|s| s.text.contains("revenue share of 12 percent"))
            .expect("sentence kept");
        assert_eq!(share.skipped, Some(SkipReason::TopicNotWatched));
        assert!(share.topics.is_empty());
        assert_eq!(share.rules[0].topic, "revenue_share");
        assert_eq!(exp.clauses, ex.extract(EXPLAIN_PAGE).clauses);
    }

    #[test]
    fn explain_page_with_select_and_json_ld() {
        let ex = explainer(ExtractOptions {
            select: Some(" section.related-stories p ".to_owned()),
            ..ExtractOptions::default()
        });
        let exp = ex.explain_page(PAGE);
        let ContainerChoice::Select {
            selector,
            matched,
            matched_total,
        } = &exp.containers
        else {
            panic!("expected select, got {:?}", exp.containers);
        };
        assert_eq!(selector, "section.related-stories p");
        assert_eq!(
            matched,
            &vec!["main > section.related-stories > article > p".to_owned()]
        );
        assert_eq!(*matched_total, 1);
        assert_eq!(exp.clauses, ex.extract(PAGE).clauses);

        let client_rendered = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Acme has made Globex its exclusive cloud provider for five years, the companies said.\nGlobex will pay Acme a revenue share on every robot coyote sold in its stores, starting in May.\nForward-looking statements: this release contains forward-looking statements."}</script></head>
<body><div id="app"><p>Loading…</p></div></body></html>"#;
        let ex = explainer(ExtractOptions::default());
        let exp = ex.explain_page(client_rendered);
        let ContainerChoice::JsonLd {
            rendered_body_chars,
            article_body_chars,
            ..
        } = &exp.containers
        else {
            panic!("expected JSON-LD, got {:?}", exp.containers);
        };
        assert!(rendered_body_chars < article_body_chars);
        assert_eq!(exp.clauses.len(), 2);
        assert_eq!(exp.clauses, ex.extract(client_rendered).clauses);
        assert_eq!(exp.dropped.len(), 1, "{:?}", exp.dropped);
        assert_eq!(exp.dropped[0].path, "head > script");
        assert_eq!(exp.dropped[0].reason, "forward-looking statements");
    }

    #[test]
    fn explain_page_caps_dropped_list() {
        let mut html = String::from("<html><body><main><article class=\"story-body\">");
        html.push_str(
            "<p>Acme named Globex its primary cloud provider, for ten years, on Monday.</p>",
        );
        for i in 0..500 {
            html.push_str(&format!(
                "<aside><p>Teaser number {i} about anvils.</p></aside>"
            ));
        }
        html.push_str("</article></main></body></html>");
        // Through `select`, so that clausewatch's own layers see (and list) every aside.
        let ex = explainer(ExtractOptions {
            select: Some("main".to_owned()),
            ..ExtractOptions::default()
        });
        let exp = ex.explain_page(&html);
        assert_eq!(exp.dropped.len(), content::MAX_DROPPED);
        assert_eq!(exp.dropped_total, 500);
        assert_eq!(exp.dropped[0].text, "Teaser number 0 about anvils.");
        assert_eq!(exp.clauses, ex.extract(&html).clauses);
        assert_eq!(exp.clauses.len(), 1);
    }

    #[test]
    fn explain_page_agrees_with_extract_on_odd_input() {
        let ex = explainer(ExtractOptions::default());
        for html in [
            "",
            "<",
            "<html>",
            "\u{0}\u{ffff}<p>x",
            "<p>exclusive</p>",
            PAGE,
        ] {
            let exp = ex.explain_page(html);
            let plain = ex.extract(html);
            assert_eq!(exp.clauses, plain.clauses);
            assert_eq!(exp.sentence_count, plain.sentence_count);
        }
    }

    #[test]
    fn empty_and_garbage_input() {
        for html in ["", "<", "<html>", "\u{0}\u{ffff}<p>x", "<p>exclusive</p>"] {
            let _ = extract(ExtractOptions::default(), html);
        }
    }
}

//! Topic tagging: one sentence → the watched topics it states a deal term about.
//!
//! Owns the engine that runs the built-in topic rules (`exclusivity`, `cloud`,
//! `revenue_share`) and the user's custom topics. The rules themselves are data, in
//! `rules/builtin.toml` (embedded at build time): each rule names its topic, the cue words
//! it needs, the patterns that must all match, its vetoes, and the example sentences it
//! exists for. Must not: do I/O or know about pages; it sees one sentence at a time.
//!
//! Rules look at *views* of a normalised sentence (NFKC, lowercase, straight apostrophes,
//! ASCII hyphens, double quotes removed so that `its “primary” cloud provider` reads like
//! `its primary cloud provider`); the `exclusivity` and `revenue` views first mask the
//! known other senses of their words (the editorial "exclusive interview", revenue
//! concentration). A topic is assigned when any of its rules fires.
//!
//! Cost: the rule file is parsed and each rule compiled at most once per process, the first
//! time a sentence needs it, and shared by every watch whatever its `select` or `topics`.
//! An Aho-Corasick automaton over all rules' cue words (the *prefilter*) decides which rules
//! a sentence can fire at all, so a sentence without cues costs one scan, and a process
//! that never tags a sentence compiles no rule. Custom topics are compiled once per
//! distinct set. [`rules_hash`] identifies the rule data for the extractor version.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The built-in rule data, as shipped.
pub const BUILTIN_RULES_TOML: &str = include_str!("rules/builtin.toml");

/// A built-in topic name.
const TOPICS: [&str; 3] = ["exclusivity", "cloud", "revenue_share"];

/// Which text a pattern looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum View {
    /// Normalised lowercase text.
    Lower,
    /// Normalised lowercase text with editorial "exclusive" false friends removed.
    Exclusivity,
    /// Normalised lowercase text with revenue-concentration phrases masked.
    Revenue,
    /// Normalised text with its original case (product names such as "Bedrock").
    Cased,
}

/// The rule file, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    vocab: BTreeMap<String, String>,
    #[serde(default)]
    mask: Vec<MaskData>,
    post: PostData,
    rule: Vec<RuleData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaskData {
    view: View,
    pattern: String,
    #[serde(default)]
    replace: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PostData {
    cloud_party: String,
    cloud_party_strong: String,
    ip_licence: String,
}

/// One rule as written in the rule file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RuleData {
    /// `<topic>.<what>`, e.g. `cloud.provider_role`.
    pub name: String,
    /// The built-in topic the rule assigns.
    pub topic: String,
    view: View,
    /// Lowercase literals; the rule runs only on sentences containing one (empty: always).
    #[serde(default)]
    pub cues: Vec<String>,
    /// Patterns that must all match.
    pub all: Vec<String>,
    /// Vetoes: patterns none of which may match.
    #[serde(default)]
    pub none: Vec<String>,
    /// Sentences the rule exists for: the rule set must give them `topic`.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences in the rule's neighbourhood that must not get `topic`.
    #[serde(default)]
    pub counter: Vec<String>,
}

/// One rule, compiled.
struct CompiledRule {
    all: Vec<Regex>,
    none: Vec<Regex>,
}

/// The built-in rules: data parsed once, each rule compiled on first use.
pub struct Builtin {
    rules: Vec<RuleData>,
    compiled: Vec<OnceLock<CompiledRule>>,
    vocab: BTreeMap<String, String>,
    masks: Vec<(View, String, String)>,
    compiled_masks: OnceLock<Vec<(View, Regex, String)>>,
    post: PostData,
    compiled_post: OnceLock<[Regex; 3]>,
    /// Every distinct cue word, lowercase.
    cue_words: Vec<String>,
    /// For each cue word, the rules that need it.
    cue_rules: Vec<Vec<usize>>,
    /// Rules without cues: always run.
    always: Vec<usize>,
    prefilter: OnceLock<AhoCorasick>,
}

static BUILTIN: LazyLock<Builtin> =
    LazyLock::new(|| Builtin::parse(BUILTIN_RULES_TOML).expect("built-in rule file is valid"));

static RULES_HASH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(BUILTIN_RULES_TOML.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
});

/// Short hash (8 hex digits) of the built-in rule data; part of the extractor version.
pub fn rules_hash() -> &'static str {
    &RULES_HASH
}

/// The built-in rules of this process (parsed on first use, compiled rule by rule).
pub fn builtin() -> &'static Builtin {
    &BUILTIN
}

fn re(pattern: &str) -> Regex {
    Regex::new(&cheap_classes(pattern)).expect("valid built-in topic regex")
}

/// Rewrites `\w` as "ASCII word character or any non-ASCII character" and `\d` as ASCII
/// digits. Unicode `\w` has hundreds of ranges and made compiling the rules cost ~150 ms
/// per process; the normalised sentences the rules see keep non-ASCII characters only in
/// names and words (quotes and dashes are ASCII by then), so the narrower classes match the
/// same text. `\b` keeps its Unicode meaning.
///
/// Case-insensitive patterns (`(?i`) are left alone: case-folding the non-ASCII range costs
/// more than the Unicode class it replaces.
fn cheap_classes(pattern: &str) -> String {
    const WORD: &str = r"0-9A-Za-z_\x{80}-\x{10FFFF}";
    if pattern.contains("(?i") {
        return pattern.to_owned();
    }
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut in_class = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class > 0 => out.push_str(WORD),
                Some('w') => {
                    out.push('[');
                    out.push_str(WORD);
                    out.push(']');
                }
                Some('d') if in_class > 0 => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class += 1;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Replaces `{name}` with the vocabulary entry `name` (regex quantifiers such as `{0,3}`
/// are left alone: they do not start with a letter).
fn expand(pattern: &str, vocab: &BTreeMap<String, String>) -> Result<String, String> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| re(r"\{([a-z_]+)\}"));
    let mut missing = None;
    let out = PLACEHOLDER.replace_all(pattern, |c: &regex::Captures<'_>| match vocab.get(&c[1]) {
        Some(v) => v.clone(),
        None => {
            missing = Some(c[1].to_owned());
            String::new()
        }
    });
    match missing {
        Some(name) => Err(format!("unknown vocab entry `{{{name}}}` in `{pattern}`")),
        None => Ok(out.into_owned()),
    }
}

impl Builtin {
    /// Parses rule data in the format of `rules/builtin.toml` and checks it (names, topics,
    /// vocabulary references); compiles nothing.
    pub fn parse(text: &str) -> Result<Builtin, String> {
        let file: RuleFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut names = std::collections::HashSet::new();
        let mut cue_index: HashMap<String, usize> = HashMap::new();
        let mut cue_words = Vec::new();
        let mut cue_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, r) in file.rule.iter().enumerate() {
            if !names.insert(r.name.clone()) {
                return Err(format!("duplicate rule name `{}`", r.name));
            }
            if !TOPICS.contains(&r.topic.as_str()) || !r.name.starts_with(&format!("{}.", r.topic))
            {
                return Err(format!("rule `{}`: bad topic `{}`", r.name, r.topic));
            }
            if r.all.is_empty() {
                return Err(format!("rule `{}` has no pattern", r.name));
            }
            for p in r.all.iter().chain(&r.none) {
                expand(p, &file.vocab).map_err(|e| format!("rule `{}`: {e}", r.name))?;
            }
            if r.cues.is_empty() {
                always.push(i);
            }
            for cue in &r.cues {
                if cue.is_empty() || cue.to_lowercase() != *cue {
                    return Err(format!("rule `{}`: cue `{cue}` must be lowercase", r.name));
                }
                let k = *cue_index.entry(cue.clone()).or_insert_with(|| {
                    cue_words.push(cue.clone());
                    cue_rules.push(Vec::new());
                    cue_words.len() - 1
                });
                cue_rules[k].push(i);
            }
        }
        let masks = file
            .mask
            .iter()
            .map(|m| {
                Ok((
                    m.view,
                    expand(&m.pattern, &file.vocab)?,
                    m.replace.clone().unwrap_or_else(|| " ".to_owned()),
                ))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Builtin {
            compiled: file.rule.iter().map(|_| OnceLock::new()).collect(),
            rules: file.rule,
            vocab: file.vocab,
            masks,
            compiled_masks: OnceLock::new(),
            post: file.post,
            compiled_post: OnceLock::new(),
            cue_words,
            cue_rules,
            always,
            prefilter: OnceLock::new(),
        })
    }

    /// Compiles every pattern once to report the first invalid one (for rule files given on
    /// the command line; the built-in file is checked by the tests).
    pub fn validate(&self) -> Result<(), String> {
        let patterns = self.rules.iter().flat_map(|r| {
            r.all
                .iter()
                .chain(&r.none)
                .map(move |p| (r.name.as_str(), p.as_str()))
        });
        for (name, p) in patterns {
            let expanded = expand(p, &self.vocab)?;
            Regex::new(&cheap_classes(&expanded)).map_err(|e| format!("rule `{name}`: {e}"))?;
        }
        for (_, p, _) in &self.masks {
            Regex::new(&cheap_classes(p)).map_err(|e| format!("mask `{p}`: {e}"))?;
        }
        Ok(())
    }

    /// The rules as written, in file order.
    pub fn rules(&self) -> &[RuleData] {
        &self.rules
    }

    fn rule(&self, i: usize) -> &CompiledRule {
        self.compiled[i].get_or_init(|| {
            let r = &self.rules[i];
            let compile = |p: &String| re(&expand(p, &self.vocab).expect("checked at parse"));
            CompiledRule {
                all: r.all.iter().map(compile).collect(),
                none: r.none.iter().map(compile).collect(),
            }
        })
    }

    fn masks(&self) -> &[(View, Regex, String)] {
        self.compiled_masks.get_or_init(|| {
            self.masks
                .iter()
                .map(|(v, p, r)| (*v, re(p), r.clone()))
                .collect()
        })
    }

    fn post(&self) -> &[Regex; 3] {
        self.compiled_post.get_or_init(|| {
            let c = |p: &String| re(&expand(p, &self.vocab).expect("post patterns expand"));
            [
                c(&self.post.cloud_party),
                c(&self.post.cloud_party_strong),
                c(&self.post.ip_licence),
            ]
        })
    }

    fn prefilter(&self) -> &AhoCorasick {
        self.prefilter.get_or_init(|| {
            AhoCorasick::new(&self.cue_words).expect("cue words build an automaton")
        })
    }

    /// Indices of the rules a sentence can fire (its cues are present), in file order, and
    /// the cue words found. With `unfiltered`, every rule.
    fn candidates(&self, lower: &str, unfiltered: bool) -> (Vec<usize>, Vec<bool>) {
        let mut found = vec![false; self.cue_words.len()];
        for m in self.prefilter().find_overlapping_iter(lower) {
            found[m.pattern().as_usize()] = true;
        }
        if unfiltered {
            return ((0..self.rules.len()).collect(), found);
        }
        let mut run = vec![false; self.rules.len()];
        for &i in &self.always {
            run[i] = true;
        }
        for (k, rules) in self.cue_rules.iter().enumerate() {
            if found[k] {
                for &i in rules {
                    run[i] = true;
                }
            }
        }
        let idx = run
            .iter()
            .enumerate()
            .filter_map(|(i, &r)| r.then_some(i))
            .collect();
        (idx, found)
    }

    /// Compiles every rule, mask and post pattern now (tests, benchmarks).
    pub fn compile_all(&self) {
        for i in 0..self.rules.len() {
            self.rule(i);
        }
        self.masks();
        self.post();
        self.prefilter();
    }

    /// How many rules have been compiled so far in this process.
    pub fn compiled_count(&self) -> usize {
        self.compiled.iter().filter(|c| c.get().is_some()).count()
    }

    /// The built-in rule hits on one sentence (and the vetoed rules).
    fn explain(&'static self, views: &Views, unfiltered: bool) -> Explained {
        let (candidates, found) = self.candidates(&views.lower, unfiltered);
        let mut out = Explained::default();
        for i in candidates {
            let data: &'static RuleData = &self.rules[i];
            let rule = self.rule(i);
            let text = views.get(data.view);
            if !rule.all.iter().all(|r| r.is_match(text)) {
                continue;
            }
            let cues: Vec<&'static str> = data
                .cues
                .iter()
                .filter(|c| {
                    self.cue_words
                        .iter()
                        .position(|w| w == *c)
                        .is_some_and(|k| found[k])
                })
                .map(String::as_str)
                .collect();
            match rule.none.iter().position(|r| r.is_match(text)) {
                Some(v) => out.vetoed.push(Veto {
                    topic: data.topic.clone(),
                    rule: data.name.as_str(),
                    veto: Some(v),
                }),
                None => out.hits.push(RuleHit {
                    topic: data.topic.clone(),
                    rule: data.name.as_str(),
                    cues,
                }),
            }
        }
        // Exclusivity about a cloud party is a cloud term too ("Globex Cloud keeps sole
        // hosting rights", "Acme buys compute only from Globex, exclusively"). But an
        // exclusive licence to IP held by a company that also owns a cloud ("Microsoft's
        // exclusive license to Acme's models") says nothing about hosting.
        let exclusive = out.hits.iter().any(|h| h.topic == "exclusivity");
        let cloud = out.hits.iter().any(|h| h.topic == "cloud");
        if exclusive && !cloud {
            let [party, strong, ip] = self.post();
            if strong.is_match(&views.lower)
                || (party.is_match(&views.lower) && !ip.is_match(&views.lower))
            {
                out.hits.push(RuleHit {
                    topic: "cloud".to_owned(),
                    rule: "cloud.exclusive_cloud_party",
                    cues: Vec::new(),
                });
            }
        }
        out
    }
}

/// Why one topic was assigned: the rule that fired, and the cue words that let it run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleHit {
    /// The topic's snake_case name.
    pub topic: String,
    /// The rule's name, e.g. `cloud.provider_role`.
    pub rule: &'static str,
    /// The rule's cue words found in the sentence (empty for rules without cues).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<&'static str>,
}

/// A rule whose patterns all matched but a veto (a `none` pattern) stopped it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Veto {
    /// The topic the rule would have assigned.
    pub topic: String,
    /// The rule's name.
    pub rule: &'static str,
    /// Index of the veto pattern in the rule's `none` list; absent when a custom topic's
    /// `exclude` stopped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub veto: Option<usize>,
}

/// Everything the rules say about one sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Explained {
    /// Rules that fired, in rule order (custom topics last).
    pub hits: Vec<RuleHit>,
    /// Rules stopped by a veto (built-in `none` patterns or a custom topic's `exclude`).
    pub vetoed: Vec<Veto>,
}

/// The topic rules of one watch setting: the process-wide built-in rules plus that
/// setting's custom topics (compiled once per distinct set).
#[derive(Clone)]
pub struct TopicRules {
    base: &'static Builtin,
    custom: Arc<Vec<CompiledCustom>>,
}

/// A user-defined topic, compiled.
struct CompiledCustom {
    name: String,
    patterns: Vec<Regex>,
    exclude: Vec<Regex>,
    literal: bool,
}

type CustomCache = Mutex<HashMap<Vec<super::CustomTopic>, Arc<Vec<CompiledCustom>>>>;

/// Custom topic sets compiled so far in this process.
static CUSTOM_CACHE: LazyLock<CustomCache> = LazyLock::new(|| Mutex::new(HashMap::new()));

impl TopicRules {
    /// The built-in rules plus the user's `custom` topics. Built-in rules are compiled on
    /// first use; custom topics now, once per distinct set (errors name the bad pattern). A
    /// custom topic without patterns matches its own name as words.
    pub fn new(custom: &[super::CustomTopic]) -> Result<TopicRules, (String, String)> {
        let key: Vec<super::CustomTopic> = custom
            .iter()
            .filter(|c| !c.name.is_empty())
            .cloned()
            .collect();
        if let Some(found) = CUSTOM_CACHE
            .lock()
            .expect("custom topic cache is never poisoned")
            .get(&key)
        {
            return Ok(TopicRules {
                base: builtin(),
                custom: found.clone(),
            });
        }
        let compile =
            |p: &String| Regex::new(&format!("(?i){p}")).map_err(|e| (p.clone(), e.to_string()));
        let mut compiled = Vec::new();
        for c in &key {
            let literal = c.patterns.is_empty() && !TOPICS.contains(&c.name.as_str());
            let mut patterns = c
                .patterns
                .iter()
                .map(compile)
                .collect::<Result<Vec<_>, _>>()?;
            if literal {
                let words: Vec<String> = c
                    .name
                    .split(['_', ' ', '-'])
                    .filter(|w| !w.is_empty())
                    .map(regex::escape)
                    .collect();
                patterns.push(re(&format!(r"(?i)\b{}\b", words.join(r"[\s_-]+"))));
            }
            compiled.push(CompiledCustom {
                name: c.name.clone(),
                patterns,
                exclude: c
                    .exclude
                    .iter()
                    .map(compile)
                    .collect::<Result<Vec<_>, _>>()?,
                literal,
            });
        }
        let compiled = Arc::new(compiled);
        CUSTOM_CACHE
            .lock()
            .expect("custom topic cache is never poisoned")
            .insert(key, compiled.clone());
        Ok(TopicRules {
            base: builtin(),
            custom: compiled,
        })
    }

    /// These rules with another rule file in place of the built-in one (for trying rule
    /// changes without a rebuild: `clausewatch classify --rules FILE`).
    pub fn with_base(self, base: &'static Builtin) -> TopicRules {
        TopicRules { base, ..self }
    }

    /// The topics of one sentence (built-in and custom), sorted and without duplicates.
    pub fn topics(&self, sentence: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .explain(sentence)
            .into_iter()
            .map(|h| h.topic)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Every rule that fires on `sentence`, in rule order.
    pub fn explain(&self, sentence: &str) -> Vec<RuleHit> {
        self.explain_all(sentence).hits
    }

    /// The rules that fire on `sentence` and those a veto stopped.
    pub fn explain_all(&self, sentence: &str) -> Explained {
        self.run(sentence, false)
    }

    /// As [`TopicRules::explain_all`], but every built-in rule runs whatever the
    /// prefilter says; for the test that the prefilter never changes a result.
    pub fn explain_unfiltered(&self, sentence: &str) -> Explained {
        self.run(sentence, true)
    }

    fn run(&self, sentence: &str, unfiltered: bool) -> Explained {
        let base = self.base;
        let views = Views::new(sentence, base);
        let mut out = base.explain(&views, unfiltered);
        for c in self.custom.iter() {
            if c.exclude.iter().any(|r| r.is_match(&views.cased)) {
                // The user's exclusion vetoes built-in rules of that name as well.
                let (gone, kept): (Vec<RuleHit>, Vec<RuleHit>) =
                    out.hits.into_iter().partition(|h| h.topic == c.name);
                out.hits = kept;
                out.vetoed.extend(gone.into_iter().map(|h| Veto {
                    topic: h.topic,
                    rule: h.rule,
                    veto: None,
                }));
                continue;
            }
            if c.patterns.iter().any(|r| r.is_match(&views.cased)) {
                out.hits.push(RuleHit {
                    topic: c.name.clone(),
                    rule: if c.literal {
                        "custom.literal"
                    } else {
                        "custom.pattern"
                    },
                    cues: Vec::new(),
                });
            }
        }
        out
    }
}

/// The normalised forms of one sentence the rules look at.
struct Views {
    cased: String,
    lower: String,
    exclusivity: String,
    revenue: String,
}

impl Views {
    fn new(sentence: &str, base: &Builtin) -> Views {
        let cased = normalize(sentence);
        let mut lower = cased.to_lowercase();
        let mut exclusivity: Option<String> = None;
        let mut revenue: Option<String> = None;
        // Masks of the base view first, then those of the derived views, in file order.
        for (view, pattern, replace) in base.masks() {
            if matches!(view, View::Lower | View::Cased) {
                lower = pattern.replace_all(&lower, replace.as_str()).into_owned();
            }
        }
        for (view, pattern, replace) in base.masks() {
            let slot = match view {
                View::Exclusivity => &mut exclusivity,
                View::Revenue => &mut revenue,
                View::Lower | View::Cased => continue,
            };
            let t = slot.take().unwrap_or_else(|| lower.clone());
            *slot = Some(pattern.replace_all(&t, replace.as_str()).into_owned());
        }
        Views {
            exclusivity: exclusivity.unwrap_or_else(|| lower.clone()),
            revenue: revenue.unwrap_or_else(|| lower.clone()),
            cased,
            lower,
        }
    }

    fn get(&self, view: View) -> &str {
        match view {
            View::Lower => &self.lower,
            View::Exclusivity => &self.exclusivity,
            View::Revenue => &self.revenue,
            View::Cased => &self.cased,
        }
    }
}

/// The topics the built-in rules give one sentence; `parse_terms` uses it so that the
/// term kinds read from a clause never contradict its topics.
pub fn builtin_topics(sentence: &str) -> Vec<String> {
    static NONE: LazyLock<TopicRules> =
        LazyLock::new(|| TopicRules::new(&[]).expect("no custom topics, nothing to fail"));
    NONE.topics(sentence)
}

/// NFKC, straight apostrophes, ASCII hyphens, no double quotes, single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => {
                out.push('\'')
            }
            '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => {}
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => out.push('-'),
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    /// The built-in rules, without custom topics.
    static BUILTIN: std::sync::LazyLock<super::TopicRules> =
        std::sync::LazyLock::new(|| super::TopicRules::new(&[]).expect("built-in rules compile"));

    use crate::extract::terms::TermKind;

    /// Every example and counter-example of the rule file, with the rule it belongs to.
    fn rule_examples() -> Vec<(&'static RuleData, &'static str, bool)> {
        builtin()
            .rules()
            .iter()
            .flat_map(|r| {
                r.examples
                    .iter()
                    .map(move |e| (r, e.as_str(), true))
                    .chain(r.counter.iter().map(move |e| (r, e.as_str(), false)))
            })
            .collect()
    }

    #[test]
    fn every_rule_example_holds_against_the_whole_rule_set() {
        let mut wrong = Vec::new();
        for (rule, text, positive) in rule_examples() {
            let got = BUILTIN.topics(text);
            if got.contains(&rule.topic) != positive {
                wrong.push(format!(
                    "{} {}: {text:?} got {got:?} ({:?})",
                    if positive { "example" } else { "counter" },
                    rule.name,
                    BUILTIN
                        .explain(text)
                        .iter()
                        .map(|h| h.rule)
                        .collect::<Vec<_>>()
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn every_rule_has_an_example_that_it_fires_on() {
        let mut missing = Vec::new();
        for rule in builtin().rules() {
            if !rule
                .examples
                .iter()
                .any(|e| BUILTIN.explain(e).iter().any(|h| h.rule == rule.name))
            {
                missing.push(rule.name.as_str());
            }
        }
        assert!(
            missing.is_empty(),
            "rules without an example they fire on: {missing:?}"
        );
    }

    #[test]
    fn term_kinds_never_contradict_topics_on_rule_examples() {
        let mut wrong = Vec::new();
        for (_, text, _) in rule_examples() {
            let topics = BUILTIN.topics(text);
            // `parse_terms` reads kinds only for the clause's topics, so its kinds agree by
            // construction. The phrase-like kinds must agree even when read from any clause;
            // the single words ("exclusive", "72 chips") are what the topic rules disambiguate.
            let raw = crate::extract::terms::unfiltered_kinds(text)
                .into_iter()
                .filter(|k| {
                    matches!(
                        k,
                        TermKind::RevenueShare | TermKind::RightOfFirstRefusal | TermKind::FirstOn
                    )
                });
            let reconciled = crate::extract::terms::parse_terms(text).kinds.into_iter();
            for kind in raw.chain(reconciled) {
                if !topics.iter().any(|t| t == kind.topic()) {
                    wrong.push(format!("{text:?}: term {kind:?} but topics {topics:?}"));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} contradictions:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    /// Sentences for the prefilter test: the rule examples, this module's test sentences,
    /// and, when the evaluation corpus sits next to the repository (as in CI), its sentence
    /// set and the real pages' expected text, read at run time.
    fn many_sentences() -> Vec<String> {
        let mut out: Vec<String> = rule_examples()
            .iter()
            .map(|(_, t, _)| t.to_string())
            .collect();
        let own = include_str!("topics.rs");
        let quoted = Regex::new(r#""([A-Z][^"\\]{20,}[.?!])""#).expect("valid");
        out.extend(quoted.captures_iter(own).map(|c| c[1].to_owned()));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
        if let Ok(tsv) = std::fs::read_to_string(root.join("corpus/sentences/dev.tsv")) {
            out.extend(
                tsv.lines()
                    .skip(1)
                    .filter_map(|l| l.split('\t').nth(1))
                    .map(str::to_owned),
            );
        }
        let truth = root.join("real-pages/data/readability/ground-truth.json");
        if let Some(pages) = std::fs::read_to_string(truth)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.as_object().cloned())
        {
            for page in pages.values() {
                let body = page["articleBody"].as_str().unwrap_or_default();
                for para in body.split('\n') {
                    out.extend(crate::extract::sentences::split_sentences(para));
                }
            }
        }
        out
    }

    #[test]
    fn prefilter_never_changes_a_result() {
        let sentences = many_sentences();
        assert!(sentences.len() > 300, "{}", sentences.len());
        let mut differ = Vec::new();
        for s in &sentences {
            let filtered = BUILTIN.explain_all(s);
            let unfiltered = BUILTIN.explain_unfiltered(s);
            if filtered != unfiltered {
                differ.push(format!(
                    "{s:?}\n  filtered {filtered:?}\n  all {unfiltered:?}"
                ));
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ:\n{}",
            differ.len(),
            differ.join("\n")
        );
    }

    #[test]
    fn rules_compile_lazily_and_only_when_cued() {
        let rules: &'static Builtin = Box::leak(Box::new(
            Builtin::parse(BUILTIN_RULES_TOML).expect("valid rule file"),
        ));
        assert_eq!(rules.compiled_count(), 0, "parsing compiles nothing");
        let views = Views::new("The weather was fine and the team went home early.", rules);
        assert!(rules.explain(&views, false).hits.is_empty());
        let (candidates, _) = rules.candidates(&views.lower, false);
        assert_eq!(
            rules.compiled_count(),
            candidates.len(),
            "only cued rules compile"
        );
        assert!(
            candidates.len() < rules.rules().len() / 4,
            "{}",
            candidates.len()
        );
        rules.compile_all();
        assert_eq!(rules.compiled_count(), rules.rules().len());
    }

    #[test]
    fn vetoes_and_cues_are_explained() {
        let e = BUILTIN
            .explain_all("The student bought a gaming laptop with two Nvidia GPUs from a shop.");
        assert!(e.hits.is_empty(), "{e:?}");
        assert!(
            e.vetoed
                .iter()
                .any(|v| v.rule == "cloud.acquire_compute" && v.veto.is_some()),
            "{e:?}"
        );
        let e = BUILTIN.explain_all("Globex holds an exclusive licence to Acme's robots.");
        let hit = e
            .hits
            .iter()
            .find(|h| h.topic == "exclusivity")
            .expect("fires");
        assert!(hit.cues.contains(&"exclusiv"), "{hit:?}");
    }

    #[test]
    fn cheap_classes_keep_meaning() {
        assert_eq!(cheap_classes(r"\w+"), r"[0-9A-Za-z_\x{80}-\x{10FFFF}]+");
        assert_eq!(cheap_classes(r"[\w'-]"), r"[0-9A-Za-z_\x{80}-\x{10FFFF}'-]");
        assert_eq!(cheap_classes(r"\\w \d [^]\d]"), r"\\w [0-9] [^]0-9]");
        let w = re(r"^\w+$");
        assert!(w.is_match("Zürich_2") && !w.is_match("a b"));
    }

    #[test]
    fn rule_file_problems_are_reported() {
        let bad_vocab = "[vocab]\n[post]\ncloud_party='x'\ncloud_party_strong='x'\nip_licence='x'\n[[rule]]\nname='cloud.x'\ntopic='cloud'\nview='lower'\nall=['{nope}']\n";
        assert!(
            Builtin::parse(bad_vocab)
                .err()
                .unwrap_or_default()
                .contains("nope")
        );
        let bad_topic = bad_vocab
            .replace("{nope}", "x")
            .replace("topic='cloud'", "topic='weather'");
        assert!(Builtin::parse(&bad_topic).is_err());
        assert_eq!(rules_hash().len(), 8);
    }

    use super::*;

    fn t(s: &str) -> Vec<String> {
        TopicRules::new(&[])
            .expect("built-in rules compile")
            .topics(s)
    }

    fn has(s: &str, topic: &str) -> bool {
        t(s).iter().any(|x| x == topic)
    }

    #[test]
    fn capacity_schedules_and_payments() {
        for s in [
            "Globex intends to invest up to $2 billion in Acme as each gigawatt comes online.",
            "The first gigawatt is scheduled to be deployed in the second half of 2027 on Globex systems.",
            "Initech is building custom accelerators with Acme, with 3 gigawatts of racks to be deployed from late 2027.",
            "With the new campus, Acme and Globex's combined capacity reaches nearly 4 gigawatts.",
            "All of the capacity is targeted to be deployed before the end of 2027.",
            "The racks will use Initech networking gear and are expected to be fully deployed by the end of 2029.",
            "Acme agreed to prepay roughly 15% of the contract value for the GPU capacity.",
            "Acme is expected to pay Globex about $9 billion a year for the capacity, according to earlier reporting.",
            "Acme will be able to give public-sector customers API access regardless of the cloud provider.",
            "The next Acme models will be based on Globex's models and cloud technology, the statement said.",
            "Acme announced a joint venture with Globex to build up to $50 billion of AI infrastructure.",
        ] {
            assert!(has(s, "cloud"), "{s}");
        }
        for s in [
            "Analysts said most of the servers sold in 2023 will be replaced by 2030.",
            "Acme said it would pay its employees a bonus for the year.",
            "Acme is a company that builds on cloud technology for retailers.",
            "Globex's revenue reached $4 billion in 2027, up 30%.",
        ] {
            assert!(!has(s, "cloud"), "{s}");
        }
        // An exclusivity that scopes where models are offered is a hosting term too.
        let s = "The partnership is not exclusive, and Acme will continue to offer its models on other platforms.";
        assert!(has(s, "exclusivity") && has(s, "cloud"), "{s}");
    }

    #[test]
    fn exclusivity_positives() {
        for s in [
            "Globex becomes the exclusive reseller of Acme's models in Europe.",
            "The licence is non-exclusive and ends in 2030.",
            "Acme's exclusivity with Globex ends next year.",
            "Initech will be the sole supplier of chips to Acme.",
            "Globex holds a right of first refusal on new capacity contracts.",
            "New Acme models will launch first on Globex Cloud's platform.",
            "Globex, the only provider that may resell Acme software, welcomed the news.",
        ] {
            assert!(has(s, "exclusivity"), "{s}");
        }
    }

    #[test]
    fn exclusivity_false_friends() {
        for s in [
            "In an exclusive interview, Acme's chief discussed the quarter.",
            "Exclusive: Acme weighs a sale of its robot unit.",
            "Members get exclusive analysis every Friday.",
            "The two goals are mutually exclusive, the analyst said.",
            "Acme joins an exclusive club of trillion-dollar firms.",
        ] {
            assert!(!has(s, "exclusivity"), "{s}");
        }
    }

    #[test]
    fn exclusivity_about_a_cloud_is_also_cloud() {
        let got = t("Globex Cloud will be the exclusive host of the Acme chatbot.");
        assert_eq!(got, vec!["cloud", "exclusivity"]);
    }

    #[test]
    fn cloud_positives() {
        for s in [
            "From March, Globex Cloud is Acme's primary cloud provider for its robot fleet.",
            "Acme plans to train its next robot models on Globex's custom chips.",
            "Acme agreed to purchase $12 billion of Azure compute over six years.",
            "Under the contract Acme may tap as many as 400,000 GPUs in Ohio.",
            "Acme's robot models can now be found in Vertex AI.",
            "Globex signed a $4 billion cloud deal with Initech.",
            "The pact includes 2 gigawatts of capacity starting in 2027.",
            "Acme's search workloads will run on Azure from next month.",
            "Acme and Initech signed a seven-year, $9 billion agreement with cloud provider Globex.",
            "Customers can use Acme's models in Amazon Bedrock.",
        ] {
            assert!(has(s, "cloud"), "{s}");
        }
    }

    #[test]
    fn cloud_negatives() {
        for s in [
            "Globex is one of the largest cloud companies in the world.",
            "Cloud revenue rose 21% to $5.6 billion in the quarter.",
            "Every big cloud provider wants a piece of the robot market.",
            "Shares of Acme rose 4% after the announcement.",
            "In her capacity as board chair, she will lead the search.",
            "Analysts say the cloud market is getting more competitive.",
        ] {
            assert!(!has(s, "cloud"), "{s}");
        }
    }

    #[test]
    fn revenue_share_positives_and_negatives() {
        for s in [
            "Acme pays Globex a revenue share on every model sold.",
            "The profit-sharing agreement is capped at $92 billion.",
            "Globex collects a portion of Acme's licensing revenue until 2030.",
            "Acme will pay 20% of its revenue to Globex.",
            "Resellers keep their share of robot sales under the plan.",
        ] {
            assert!(has(s, "revenue_share"), "{s}");
        }
        for s in [
            "Last year Globex alone accounted for 48% of Acme's sales.",
            "Acme's revenue grew to $2 billion.",
            "Acme's market share rose to 30%.",
        ] {
            assert!(!has(s, "revenue_share"), "{s}");
        }
    }

    #[test]
    fn generalized_phrasings() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        let cloud = vec!["cloud".to_string()];
        let excl_cloud = vec!["cloud".to_string(), "exclusivity".to_string()];
        for s in [
            "Under the pact, Globex will deliver dedicated clusters of GB300 systems to Acme.",
            "Acme has contracted an incremental $9 billion of Azure services over six years.",
            "Acme's robot models are now available on all three of the biggest cloud services.",
            "Acme has selected Globex as its preferred cloud for training its next models.",
            "Acme will run its largest pre-training jobs on a dedicated Globex cluster in Utah.",
            "Acme has since signed compute contracts with Globex and Initech.",
            "Globex will build out dedicated infrastructure for Acme in two states.",
            "The two firms will tune future chips for Acme workloads.",
            "The Utah site could scale to 1.5 gigawatts within two years.",
            "Acme will pay Globex $12 billion for cloud capacity over five years.",
            "Globex remains Acme's primary cloud and training partner.",
        ] {
            assert_eq!(t(s), cloud, "{s}");
        }
        assert_eq!(
            t("Acme's robot models will be hosted exclusively on Globex for 90 days."),
            excl_cloud
        );
        assert_eq!(
            t("Other Acme products may be served on any cloud provider."),
            excl_cloud
        );
        // An exclusive IP licence held by a cloud's parent is not a hosting term.
        assert_eq!(
            t("Microsoft's license to Acme's models is non-exclusive after 2032."),
            vec!["exclusivity".to_string()]
        );
        for s in [
            "Revenue from the robot store will be split, with Globex keeping a larger part.",
            "Under the program, Globex keeps 15% of every dollar customers spend on Acme software.",
        ] {
            assert_eq!(t(s), vec!["revenue_share".to_string()], "{s}");
        }
        // False friends: self-descriptions, workforce training, debt for chips, commentary.
        for s in [
            "Globex, which rents out access to GPUs, is one of the so-called neoclouds.",
            "Globex is training two million workers on Azure skills this year.",
            "Globex will need debt to pay for the chips required to deliver the capacity.",
            "Analysts fret as long-dated compute commitments accelerate across the sector.",
            "Globex's share of cloud infrastructure spending was 22% last quarter.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn custom_topics_match_literally() {
        let rules = TopicRules::new(&[super::super::CustomTopic {
            name: "data_center".to_owned(),
            ..Default::default()
        }])
        .expect("compiles");
        assert!(
            rules
                .topics("Acme opens a data center in Ohio.")
                .contains(&"data_center".to_owned())
        );
        assert!(rules.topics("Acme opens an office.").is_empty());
    }
    #[test]
    fn only_provider_migration_and_committed_spend() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        assert_eq!(
            t(
                "Until 2031, Hooli Cloud will be the only cloud provider on which the joint product is sold."
            ),
            vec!["cloud".to_string(), "exclusivity".to_string()]
        );
        assert_eq!(
            t("Initech will migrate nearly all of its workloads to Globex Compute by 2029."),
            vec!["cloud".to_string()]
        );
        assert_eq!(
            t(
                "Acme has committed to spend at least $40 million on Hooli Platform services over four years."
            ),
            vec!["cloud".to_string()]
        );
        // Not a deal: moving offices, or committing to spend on marketing without an amount.
        assert!(t("Acme will move its headquarters to Denver next year.").is_empty());
        assert!(t("Acme committed to spend more on marketing.").is_empty());
    }

    #[test]
    fn ip_rights_with_a_term_or_scope_are_exclusivity() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        assert_eq!(
            t(
                "Globex's IP rights to Acme's models are extended through 2031 and now include later model generations."
            ),
            vec!["exclusivity".to_string()]
        );
        assert_eq!(
            t("Initech holds a licence to Acme's models until the partnership ends."),
            vec!["exclusivity".to_string()]
        );
        // Rights talk without a term or scope, or about people, is not a clause.
        assert!(t("Acme's lawyers discussed IP rights at a conference.").is_empty());
        assert!(t("Acme renewed its office lease through 2030.").is_empty());
    }

    #[test]
    fn a_product_spec_is_not_a_facility_deal() {
        let rules = &*BUILTIN;
        assert!(
            rules
                .topics("Each Globex rack holds 72 chips and ships in the spring.")
                .is_empty()
        );
    }

    #[test]
    fn custom_patterns_and_exclusions() {
        use super::super::CustomTopic;
        let rules = TopicRules::new(&[
            CustomTopic {
                name: "board_seat".into(),
                patterns: vec![r"\bboard (?:seat|observer)\b".into()],
                exclude: vec![r"\bformer\b".into()],
            },
            // Narrow a built-in topic: drop sentences about a named marketplace.
            CustomTopic {
                name: "cloud".into(),
                patterns: vec![r"\bAcmeStack\b".into()],
                exclude: vec![r"\bhooli marketplace\b".into()],
            },
        ])
        .expect("compiles");
        assert_eq!(
            rules.topics("Globex gains a board seat at Acme."),
            vec!["board_seat".to_string()]
        );
        assert!(
            rules
                .topics("A former board observer left Acme.")
                .is_empty()
        );
        assert_eq!(
            rules.topics("Acme will run its workloads on AcmeStack."),
            vec!["cloud".to_string()]
        );
        assert!(
            rules
                .topics("Acme named Globex its primary cloud provider via the Hooli Marketplace.")
                .is_empty()
        );
        assert!(
            TopicRules::new(&[CustomTopic {
                name: "x".into(),
                patterns: vec!["(unclosed".into()],
                exclude: vec![],
            }])
            .is_err()
        );
    }

    #[test]
    fn normalize_quotes_and_dashes() {
        assert_eq!(
            normalize("AWS\u{2019} \u{201c}primary\u{201d} \u{2014} x"),
            "AWS' primary - x"
        );
    }

    #[test]
    fn explain_names_rules() {
        let hits = TopicRules::new(&[])
            .expect("built-in rules compile")
            .explain("Acme's primary cloud provider is Globex.");
        assert!(hits.iter().any(|h| h.rule == "cloud.provider_role"));
    }
    #[test]
    fn more_relationship_phrasings() {
        for (s, topic) in [
            (
                "The licence is non-exclusive: Initech may also resell the models.",
                "exclusivity",
            ),
            (
                "Globex Cloud was the first cloud other than Acme's own site to offer the model.",
                "exclusivity",
            ),
            (
                "The first gigawatt is expected to come online in late 2027 on Globex's new systems.",
                "cloud",
            ),
            (
                "The contract runs for several years and covers Globex data center capacity.",
                "cloud",
            ),
            (
                "Shoppers who buy Acme's tools through the Globex Cloud Marketplace are billed monthly.",
                "cloud",
            ),
            (
                "We are happy to bring Acme Chat to Globex Cloud customers this spring.",
                "cloud",
            ),
            (
                "The deal would make Acme one of the biggest customers of Globex Cloud.",
                "cloud",
            ),
            (
                "The site in Lyon is a hall equipped with about 8,000 Initech GPUs.",
                "cloud",
            ),
            (
                "Globex will embed Acme models in Globex Cloud Applications next year.",
                "cloud",
            ),
        ] {
            assert!(has(s, topic), "{topic}: {s}");
        }
        for s in [
            "Exclusive: Acme weighs a sale of its robot unit.",
            "Reuters exclusive: Acme weighs a sale.",
            "Want exclusive early access to new releases on your cloud of choice?",
            "Sign up for exclusive updates on our launches.",
            "Acme is a cloud company at heart: we run our inference stack on our own racks.",
            "The outage hit shoppers in Ohio for several years of reports.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn facilities_workloads_and_worded_amounts() {
        for (s, topic) in [
            (
                "Globex will build the new facilities, which will be leased to Acme over several years.",
                "cloud",
            ),
            (
                "Acme has begun using part of the site for training and inference workloads.",
                "cloud",
            ),
            (
                "Globex Cloud is where most of Acme's assistant will be served from.",
                "cloud",
            ),
            (
                "By committing its largest training runs to Globex accelerators, Acme backs the chip.",
                "cloud",
            ),
            (
                "The campus will keep expanding through next year to serve Acme's workloads.",
                "cloud",
            ),
            (
                "Unlike rivals, Acme owns its hardware rather than renting it from a hyperscaler.",
                "cloud",
            ),
            (
                "The Initech platform runs on public clouds, with Globex Cloud as its main provider.",
                "cloud",
            ),
            (
                "Acme previously signed a deal of more than ten billion dollars with Globex Cloud for servers.",
                "cloud",
            ),
            (
                "The Lyon campus will house more than four hundred thousand Initech processors.",
                "cloud",
            ),
            (
                "A second site is meant to hold hundreds of thousands of Initech chips.",
                "cloud",
            ),
            (
                "Its models are trained and served on a mix of Globex accelerators and Initech GPUs.",
                "cloud",
            ),
            (
                "Acme also sells through Initech and the large cloud marketplaces.",
                "cloud",
            ),
            (
                "Acme can now sign capacity deals with other clouds without first offering the work to Globex.",
                "exclusivity",
            ),
        ] {
            assert!(has(s, topic), "{topic}: {s}");
        }
        for s in [
            "The office floors were leased to a law firm last spring.",
            "Acme uses the cafeteria for team lunches.",
            "The stadium will hold more than fifty thousand fans.",
            "Acme raised ten billion dollars from investors.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn shifts_spend_deployments_and_dedicated_capacity() {
        for s in [
            "The new capacity, roughly 800 megawatts, comes online in phases starting next spring.",
            "The inference side of the business will shift to Initech's data centers by year end.",
            "Acme is moving some of its inference to Globex Cloud, diversifying beyond Initech.",
            "Acme agreed to spend twelve billion dollars on Globex compute over five years.",
            "Acme will deploy Globex's chips in its own data centers starting next year.",
            "The models will be served from Globex's facilities in Ohio and Texas.",
            "The two firms agreed that Globex will operate the servers on Acme's behalf.",
            "Acme remains Globex's largest compute customer.",
            "Acme's agreement with Globex runs through 2030 and covers both training and inference.",
            "Globex will dedicate an entire data hall to Acme's workloads.",
        ] {
            assert!(has(s, "cloud"), "cloud: {s}");
        }
        for s in [
            "Acme will spend eighty billion dollars on new offices this year.",
            "Globex was Initech's largest customer before the deal.",
            "The agreement covers both marketing and sales.",
            "Acme moved its headquarters to Austin.",
            "Initech deployed its best salespeople in Europe.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn sources_tenants_and_hosting_providers() {
        for s in [
            "Globex Cloud is Acme's largest source of compute.",
            "Globex Cloud will host the service, the companies said.",
            "Globex will make thousands of GPUs available to Acme over the next year.",
            "The arrangement lets Acme draw on Globex Cloud capacity when demand spikes.",
            "The startup is one of the biggest renters of Initech GPUs in the world.",
            "Acme will be the anchor tenant of the new Globex data center in Texas.",
            "Acme's inference fleet is split between Globex Cloud and Initech Cloud.",
            "Acme is the first customer for Initech's new systems hosted by Globex Cloud.",
        ] {
            assert!(has(s, "cloud"), "cloud: {s}");
        }
        for s in [
            "Globex is Acme's largest source of revenue growth.",
            "The anchor tenant of the mall is a grocery chain.",
            "Acme drew on its experience in retail.",
            "The new office will be made available to staff in May.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }
}

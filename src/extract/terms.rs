//! Structured deal terms: one clause → what it states (kinds, parties, dates, money, shares).
//!
//! Owns the parsing of a single clause into [`Terms`] and the comparison of two [`Terms`]
//! into one-line human summaries ([`summarize_change`]), so an alert about a reworded clause
//! can say *what* moved ("until 2030 → 2032", "$15.9B → $22.4B") instead of only showing a
//! text diff. Everything here is pure and synchronous: no I/O, regexes compiled once.
//!
//! The model is deliberately shallow and inspectable: regular expressions over a lightly
//! normalised copy of the clause (typographic spaces, dashes and apostrophes made ASCII),
//! with the original case kept because party names and `first on <Platform>` depend on it.
//! Conventions worth knowing:
//! - "sole / only / single provider (partner, supplier…)" is [`TermKind::Exclusive`];
//!   "primary / preferred / main provider" is [`TermKind::PrimaryProvider`].
//! - "right of first offer / negotiation" count as [`TermKind::RightOfFirstRefusal`]; royalties
//!   count as [`TermKind::RevenueShare`].
//! - A plain "non-exclusive" licence is [`TermKind::NonExclusive`] but not `negated`;
//!   `negated` is reserved for clauses that end or deny an arrangement ("no longer
//!   exclusive", "ends the exclusivity", "will not renew the agreement").
//! - Money always needs a currency (symbol, ISO code or word): a bare "5 billion" is not money.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

/// Kinds of deal terms a clause can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// Exclusive rights, "exclusively on", or a sole/only provider.
    Exclusive,
    /// Explicitly non-exclusive, or exclusivity denied/ended.
    NonExclusive,
    /// Right of first refusal (also first offer / first negotiation).
    RightOfFirstRefusal,
    /// `first on <platform>`, `first to launch on <platform>`.
    FirstOn,
    /// Primary / preferred / main provider or partner.
    PrimaryProvider,
    /// Revenue or profit sharing, royalties, "N percent of revenue".
    RevenueShare,
    /// Compute or capacity commitments: committed spend, purchases of compute, gigawatts.
    CapacityCommitment,
}

impl TermKind {
    /// The built-in topic a clause stating this kind of term is about.
    pub fn topic(self) -> &'static str {
        match self {
            TermKind::Exclusive
            | TermKind::NonExclusive
            | TermKind::RightOfFirstRefusal
            | TermKind::FirstOn => "exclusivity",
            TermKind::PrimaryProvider | TermKind::CapacityCommitment => "cloud",
            TermKind::RevenueShare => "revenue_share",
        }
    }

    /// Short human label, as used in [`summarize_change`] ("revenue share").
    pub fn label(self) -> &'static str {
        match self {
            TermKind::Exclusive => "exclusive",
            TermKind::NonExclusive => "non-exclusive",
            TermKind::RightOfFirstRefusal => "right of first refusal",
            TermKind::FirstOn => "first on",
            TermKind::PrimaryProvider => "primary provider",
            TermKind::RevenueShare => "revenue share",
            TermKind::CapacityCommitment => "capacity commitment",
        }
    }
}

/// An amount of money, normalized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount in units of `currency` ("$1.5bn" → 1 500 000 000).
    pub amount: f64,
    /// ISO 4217 code: USD, EUR, GBP, JPY, INR, CNY, CHF, CAD, AUD, HKD, SGD, NZD.
    pub currency: String,
    /// The amount as written in the clause (after whitespace/dash normalisation).
    pub text: String,
}

/// Structured terms of one clause. Empty vectors / `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    /// Kinds of terms stated; sorted and deduplicated.
    pub kinds: Vec<TermKind>,
    /// Company/organisation names, in order of first appearance, deduplicated
    /// (case-insensitively, and "Acme Inc." counts as "Acme").
    pub parties: Vec<String>,
    /// End of the term: "2032", "Dec. 31, 2029", "AGI is declared", "the end of 2028".
    pub until: Option<String>,
    /// Length of the term: "seven years", "5 years", "18 months", "multi-year".
    pub duration: Option<String>,
    /// Amounts of money, in order of appearance.
    pub money: Vec<Money>,
    /// Percentages, in order of appearance ("20%" → 20.0).
    pub percentages: Vec<f64>,
    /// Capacity amounts as written: "4.5 gigawatts", "1 GW", "100,000 GPUs".
    pub capacity: Vec<String>,
    /// The amount or share is capped ("capped at", "a cap of", "up to a maximum of").
    pub capped: bool,
    /// The clause ends or denies the arrangement ("no longer exclusive", "ends the exclusivity").
    pub negated: bool,
}

impl Terms {
    /// Whether the clause stated no structured term at all.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
            && self.parties.is_empty()
            && self.until.is_none()
            && self.duration.is_none()
            && self.money.is_empty()
            && self.percentages.is_empty()
            && self.capacity.is_empty()
            && !self.capped
            && !self.negated
    }
}

// ---------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------

/// Spelled-out numbers up to ninety-nine (longest alternatives first).
const WORD_NUM: &str = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|eleven|twelve|zero|one|two|three|four|five|six|seven|eight|nine|ten)";

/// A number as written in amounts: "1,200", "1.5", "38".
const NUM: &str = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";

/// A scale word after an amount; single letters only when attached ("$38B", not "$38 B").
const SCALE: &str = r"(?:\s?-?\s?(?P<scale>(?i:thousand|million|billion|trillion|mln|bln|mn|bn|tn|crore|lakh))|(?P<sc1>(?i:k|m|b|t)))";

/// Resources a capacity commitment is about.
const RESOURCE: &str = r"(?:compute|computing|capacity|cloud|services|infrastructure|gpus?|tpus?|chips?|accelerators?|servers?|data\s?cent(?:er|re)s?|power|processors?)";

/// Qualifiers that may sit between a verb and an amount.
const QUALIFIER: &str = r"(?:about|around|roughly|approximately|nearly|almost|more\s+than|over|at\s+least|up\s+to|an\s+additional|another|a\s+further|an\s+incremental|some|a\s+total\s+of|an\s+estimated)";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in terms regex")
}

/// Money with a leading currency marker: "$250 billion", "US$38B", "€1.2bn", "USD 5 billion".
static MONEY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?P<cur>\b(?:US|U\.S\.|AU|A|CA|C|HK|SG|S|NZ)\$|\$|€|£|¥|₹|\b(?:Rs\.?|INR|USD|EUR|GBP|JPY|CNY|RMB|CHF|CAD|AUD)\s?)\s?{NUM}{SCALE}?\b"
    ))
});

/// Money with a trailing currency: "5 billion dollars", "300 million euros", "5bn USD".
static MONEY_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b{NUM}{SCALE}?\s?(?P<cur>(?i:dollars?|euros?|pounds?(?:\s+sterling)?|sterling|yen|rupees?|yuan|renminbi|swiss\s+francs?)\b|(?:USD|EUR|GBP|JPY|INR|CNY|RMB|CHF|CAD|AUD)\b)"
    ))
});

/// Percentages in digits: "20%", "20 percent", "12.5 per cent", "3 pct".
static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?P<num>\d+(?:\.\d+)?)\s?(?:%|percent\b|per\s?cent\b|pct\b|percentage\s+points?\b)")
});

/// Percentages in words: "twenty percent".
static PERCENT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?P<w>{WORD_NUM})[\s-](?:percent|per\s?cent)\b"
    ))
});

/// End of the term. The target group is what [`Terms::until`] reports.
static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";
    let year = r"(?:19|20)\d{2}\b";
    let target = format!(
        r"(?P<t>(?:the\s+)?(?:end|close)\s+of\s+(?:(?:fiscal|calendar|the)\s+)?(?:year\s+)?(?:FY\s?)?{year}|(?:the\s+)?(?:end|close)\s+of\s+the\s+(?:decade|term|contract)\b|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{year}|\d{{1,2}}\s+{month}\s+{year}|{month}\s+{year}|(?:Q[1-4]|H[12])\s+{year}|(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of\s+{year}|(?:fiscal(?:\s+year)?\s+|FY\s?){year}|(?:early|mid|late)[\s-]{year}|{year}|(?:AGI|artificial\s+general\s+intelligence)\s+(?:is|has\s+been|was|gets)\s+(?:\w+\s+)?(?:declared|achieved|reached|verified|attained|announced)\b|(?:the\s+)?(?:declaration|achievement|arrival|advent)\s+of\s+(?:AGI|artificial\s+general\s+intelligence)\b)"
    );
    re(&format!(
        r"(?i)\b(?:through|thru|until|till|until\s+at\s+least|through\s+at\s+least|expir(?:es|e|ing|y)(?:\s+(?:in|on|at))?|ends?\s+(?:in|on)|ending\s+(?:in|on)|(?:runs?|running|lasts?|lasting|extend(?:s|ed|ing)?)\s+(?:\w+\s+){{0,4}}?(?:to|into|through|until))\s+(?:at\s+least\s+)?{target}"
    ))
});

/// Length of the term, explicit: "for seven years", "over the next 5 years", "a term of 10 years".
static DURATION_FOR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:for|over|spanning|lasting|covering|term\s+of|period\s+of)\s+(?:(?:the|a|an)\s+)?(?:(?:next|following|initial|additional|further|period\s+of|term\s+of|another|coming)\s+)*(?P<n>\d{{1,3}}|{WORD_NUM}|several)\s+(?P<u>years?|months?)\b"
    ))
});

/// Length of the term, adjectival: "a five-year agreement", "18-month", "multi-year".
static DURATION_ADJ: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:(?P<multi>multi[\s-]?(?:year|decade))s?\b|(?P<n>\d{{1,3}}|{WORD_NUM})[\s-](?P<u>year|month)\b(?:[\s-]long\b)?|(?P<decade>decade[\s-]long)\b)"
    ))
});

/// Capacity amounts: power ("4.5 gigawatts", "1 GW") and accelerator counts.
static CAPACITY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:\d[\d,]*(?:\.\d+)?|{WORD_NUM})\s?-?\s?(?:gigawatts?|megawatts?|terawatts?|GW|MW|TW)\b|\b(?:(?:hundreds|tens)\s+of\s+thousands|millions|thousands|\d[\d,]*(?:\.\d+)?(?:\s+(?:million|thousand))?)\s+(?:of\s+)?(?:[A-Z][\w-]*\s+)?(?:GPUs|TPUs|chips|accelerators)\b"
    ))
});

/// Any "exclusive"-family word; classified by context afterwards.
static EXCLUSIVE_WORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bexclusiv(?:e|ely|ity|ities)\b"));

/// "sole provider", "only cloud partner", "single supplier": exclusivity by another name.
static SOLE_PROVIDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:sole|only|single)\s+(?:[\w-]+\s+){0,2}?(?:provider|partner|supplier|vendor|source|licensee|distributor|reseller|host)s?\b",
    )
});

/// Explicit non-exclusivity; not a negation by itself.
static NON_EXCLUSIVE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bnon[\s-]?exclusiv\w*"));

/// Exclusivity denied or ended: yields NonExclusive and sets `negated`.
static NEG_EXCLUSIVE: LazyLock<Regex> = LazyLock::new(|| {
    let excl = r"(?:exclusiv\w*|(?:sole|only|single)\s+(?:[\w-]+\s+){0,2}?(?:provider|partner|supplier|vendor|source|licensee|distributor|reseller|host)s?\b)";
    re(&format!(
        concat!(
            r"(?i)\b(?:no\s+longer|not|never|cease[sd]?\s+to|\w+n't)\s+(?:(?:be|been|being|remain|remains|serve\s+as|act\s+as|have|hold|retain|an?|the|its|their|any|longer|[\w-]+'s)\s+)*{excl}",
            r"|\b(?:no|without(?:\s+any|\s+an?)?)\s+{excl}",
            r"|\b(?:end|ends|ended|ending|terminat\w+|drop\w*|waiv\w+|relinquish\w*|remov\w+|scrap\w*|lift\w*|gave\s+up|give\s+up|gives\s+up|giving\s+up|los[et]\w*|forgo\w*|forego\w*|abandon\w*)\s+(?:(?:its|the|their|his|her|this|that|any|all)\s+)?(?:[\w-]+\s+)?exclusiv\w*",
            r"|\bexclusiv\w+\s+(?:has\s+|had\s+|was\s+|were\s+|is\s+)?(?:been\s+)?(?:ended|expired|lapsed|terminated|removed|dropped|lifted|waived|over)\b",
        ),
        excl = excl
    ))
});

/// Editorial uses of "exclusive" that state no deal term.
static EXCLUSIVE_FALSE_FRIEND: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bexclusive(?:ly)?\s*[:|]",
        r"|\bexclusive\s+(?:[\w-]+\s+)?(?:interviews?|analysis|analyses|reports?|reporting|story|stories|coverage|scoops?|footage|photos?|pictures?|videos?|previews?|look|conversations?|commentary|podcasts?|briefings?|webinars?|events?|offers?|discounts?|newsletters?|insights?|merchandise|giveaways?|perks?|club)\b",
        r"|\b(?:reported|told|said|revealed|confirmed)\s+(?:[\w-]+\s+){0,3}?(?:exclusively|in\s+an\s+exclusive)\b",
        r"|\bexclusively\s+(?:reported|revealed|told|obtained|seen|learned)\b",
        r"|\bmutually\s+exclusive\b|\bexclusive\s+of\b",
    ))
});

static ROFR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:right|rights)\s+of\s+first\s+(?:refusal|offer|negotiation)\b|\bfirst[\s-]+refusal\s+rights?\b|\bfirst\s+right\s+of\s+refusal\b|\bROF[RON]\b",
    )
});

/// "first on Hooli Cloud": the platform must be a capitalised name (case-sensitive tail).
static FIRST_ON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:\bfirst\s+(?:on|to\s+(?:launch|debut|ship|release|arrive|deploy|appear|be\s+(?:available|offered|released|launched))\s+on|(?:available|offered|released|launched)\s+on)|\b(?:launch\w*|available|debut\w*|releas\w*|arriv\w*|ship\w*|appear\w*)\s+first\s+on)\s+(?:the\s+)?[\p{Lu}]",
    )
});

static PRIMARY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:primary|preferred|main|principal)\s+(?:(?:cloud|compute|computing|training|infrastructure|ai|model|hosting|technology|inference|data|commercial|distribution|strategic|hardware|chip)\s+){0,2}(?:provider|partner|supplier|platform|vendor|host)s?\b|\bpreferred\s+cloud\b",
    )
});

/// Revenue sharing stated outright.
static REV_SHARE_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\brevenue[\s-]*shar\w*|\bprofit[\s-]*shar\w*|\broyalties\b|\broyalty(?:\s|$|[.,;:)])|\brevenues?\s+split\b|\bshar(?:e|es|ed|ing)\s+(?:(?:its|their|the|some|all|any|of|in)\s+){0,2}(?:revenues?|profits?|proceeds)\b",
    )
});

/// Revenue sharing by shape ("a portion of revenue", "20% of net sales"); ignored when the
/// clause talks about revenue concentration ("accounted for 40% of revenue").
static REV_SHARE_WEAK: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:portion|percentage|cut|share|slice|fraction|part|\d+(?:\.\d+)?\s?(?:%|percent|per\s?cent|pct)|{WORD_NUM}[\s-]percent)\s+(?:of|on)\s+(?:(?:the|its|their|all|any|net|gross|future|resulting|annual|[\w-]+'s)\s+)*(?:[\w-]+\s+)?(?:revenues?|profits?|sales|proceeds|income|earnings)\b"
    ))
});

static REV_CONCENTRATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:accounted|accounts|account|made\s+up|makes\s+up|represented|represents|comprised|comprises|contributed|contributes|grew|rose|fell|declined|increased|decreased|market\s+share)\b",
    )
});

static CAPACITY_COMMIT: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        concat!(
            r"(?i)\bcommit(?:s|ted|ting)?\s+(?:to\s+(?:spend(?:ing)?|buy(?:ing)?|purchas(?:e|ing)|invest(?:ing)?)\s+)?(?:{q}\s+)*(?:US\$|\$|€|£|¥|₹|\d)",
            r"|(?:US\$|\$|€|£|¥|₹)[\d.,]+\s*(?:[\w-]+\s+){{0,2}}(?:spend(?:ing)?\s+|purchase\s+|compute\s+|cloud\s+|capacity\s+)?commitments?\b",
            r"|\b(?:purchas\w*|buy\w*|bought|spend\w*|procur\w*|reserv\w*|leas\w*|rent\w*|secur\w*)\s+(?:{q}\s+)*(?:US\$|\$|€|£|¥|₹)[\d.,]+\s*(?:[\w-]+\s+){{0,2}}(?:of|in|worth\s+of|on)\s+(?:[\w-]+\s+){{0,3}}{r}",
            r"|\b(?:contract\w*|agree\w*|deal|commit\w*|pledg\w*)\s+to\s+(?:buy|purchase|spend|rent|lease|consume|use)\b[^.;]{{0,80}}?\b{r}",
            r"|\b(?:capacity|compute)\s+commitments?\b",
        ),
        q = QUALIFIER,
        r = RESOURCE
    ))
});

static CAPPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bcapped\b|\bcaps?\s+(?:at|of|on)\b|\b(?:a|the|an?\s+[\w-]+)\s+cap\b|\bcap\s+(?:the|its|their|it|at)\b|\bup\s+to\s+a\s+maximum\b|\ba\s+maximum\s+of\b|\bnot\s+to\s+exceed\b|\bceiling\s+(?:of|on)\b",
    )
});

static UNCAPPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\buncapped\b|\bno\s+(?:longer\s+)?(?:be\s+)?(?:capped|cap)\b|\bwithout\s+(?:a\s+|any\s+)?cap\b|\b(?:remov|lift|eliminat|scrap|drop)\w*\s+(?:the\s+|its\s+|a\s+|any\s+)?cap\b|\bcap\s+(?:was|is|has\s+been|will\s+be)\s+(?:removed|lifted|eliminated|scrapped|dropped)\b",
    )
});

/// Arrangements ended or denied, beyond exclusivity.
static NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bno\s+longer\s+(?:[\w-]+\s+){0,4}?(?:exclusiv\w*|sole|only|primary|preferred|shar\w*|pay\w*|partner\w*|provider|licens\w*|access|have|has|hold|receive\w*|run\w*|host\w*|use|uses|buy|purchase|requir\w*|bound|obligat\w*|commit\w*|entitled|rely|relies|depend\w*)\b",
        r"|\b(?:end|ends|ended|ending|terminat\w+|cancel\w*|scrap\w*|unwind\w*|dissolv\w+|exit\w*|wound\s+down|wind\w*\s+down)\s+(?:(?:its|the|their|this|that|a|an|all)\s+)?(?:[a-z-]+\s+){0,2}?(?:agreement|arrangement|deal|partnership|contract|pact|exclusivity|revenue[\s-]shar\w*|relationship|commitment|right\s+of\s+first\s+refusal)s?\b",
        r"|\bwithout\s+(?:any\s+|an?\s+)?(?:revenue[\s-]shar\w*|right\s+of\s+first\s+refusal)",
        r"|\bno\s+(?:revenue[\s-]shar\w*|right\s+of\s+first\s+refusal)",
        r"|\b(?:not|n't|never)\s+(?:to\s+|be\s+|been\s+)?(?:renew|extend)\w*\b",
        r"|\b(?:not|n't|never)\s+(?:[\w-]+\s+){0,2}?(?:shar\w+\s+(?:[\w-]+\s+)?(?:revenues?|profits?)|pay\w*\s+(?:[\w-]+\s+){0,2}?(?:revenues?|royalt\w+|a\s+share|a\s+portion|a\s+cut))\b",
    ))
});

/// Tokens for the party heuristic: words with inner `&`, `.`, `-`, `'` ("AT&T", "U.S.").
static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[\p{L}\p{N}][\p{L}\p{N}&.'\-]*"));

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

/// Parses the terms stated in one clause.
pub fn parse_terms(text: &str) -> Terms {
    let original = text;
    let text = normalize(text);
    let text = text.as_str();
    let mut terms = Terms {
        money: find_money(text),
        percentages: find_percentages(text),
        capacity: find_capacity(text),
        until: UNTIL
            .captures(text)
            .and_then(|c| c.name("t"))
            .map(|m| collapse_ws(m.as_str())),
        duration: find_duration(text),
        parties: find_parties(text),
        ..Terms::default()
    };

    // One vocabulary: a kind is only read from a clause the topic rules give its topic, so
    // "exclusive of taxes" (no exclusivity topic) never yields `exclusive`.
    let topics = super::topics::builtin_topics(original);
    let (kinds, negated) = find_kinds(text, !terms.capacity.is_empty(), &topics);
    terms.kinds = kinds;
    terms.negated = negated;
    terms.capped = is_capped(text);
    terms
}

/// The term kinds the patterns read from a clause as if it had every topic; for the test
/// that the two vocabularies agree.
#[doc(hidden)]
pub fn unfiltered_kinds(text: &str) -> Vec<TermKind> {
    let text = normalize(text);
    let all: Vec<String> = super::Topic::BUILTIN
        .iter()
        .map(|t| t.to_string())
        .collect();
    find_kinds(&text, !find_capacity(&text).is_empty(), &all).0
}

/// Typographic variants → ASCII so patterns stay simple; one char in, one char out.
fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{FF04}' => '$',
            c => c,
        })
        .collect()
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at).and_then(|s| s.chars().next_back())
}

fn find_money(text: &str) -> Vec<Money> {
    let mut found: Vec<(usize, usize, Money)> = Vec::new();
    for (regex, suffix) in [(&*MONEY_PREFIX, false), (&*MONEY_SUFFIX, true)] {
        for caps in regex.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            // "1,234" split by the leftmost-first engine, or "v1.5" — not an amount start.
            if suffix
                && char_before(text, whole.start())
                    .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
            {
                continue;
            }
            if let Some(money) = money_from(&caps, suffix) {
                found.push((whole.start(), whole.end(), money));
            }
        }
    }
    // A prefix match and a suffix match can cover the same words ("$5 billion dollars").
    found.sort_by_key(|(start, end, _)| (*start, std::cmp::Reverse(*end)));
    let mut out = Vec::new();
    let mut last_end = 0;
    for (start, end, money) in found {
        if start >= last_end {
            last_end = end;
            out.push(money);
        }
    }
    out
}

fn money_from(caps: &Captures<'_>, suffix: bool) -> Option<Money> {
    let num = caps.name("num")?.as_str();
    let scale_text = caps
        .name("scale")
        .or_else(|| caps.name("sc1"))
        .map(|m| m.as_str().to_ascii_lowercase());
    let value: f64 = num.replace(',', "").parse().ok()?;
    // "in 2020 dollars" is a price level, not an amount.
    if suffix && scale_text.is_none() && (1900.0..=2100.0).contains(&value) && !num.contains('.') {
        return None;
    }
    let scale = match scale_text.as_deref() {
        None => 1.0,
        Some("thousand" | "k") => 1e3,
        Some("million" | "mln" | "mn" | "m") => 1e6,
        Some("billion" | "bln" | "bn" | "b") => 1e9,
        Some("trillion" | "tn" | "t") => 1e12,
        Some("crore") => 1e7,
        Some("lakh") => 1e5,
        Some(_) => return None,
    };
    let amount = value * scale;
    if !amount.is_finite() {
        return None;
    }
    let currency = currency_code(caps.name("cur")?.as_str())?;
    Some(Money {
        amount,
        currency: currency.to_string(),
        text: collapse_ws(caps.get(0)?.as_str()),
    })
}

fn currency_code(marker: &str) -> Option<&'static str> {
    let m = collapse_ws(marker).to_ascii_lowercase();
    let code = match m.as_str() {
        "$" | "us$" | "u.s.$" | "usd" | "dollar" | "dollars" => "USD",
        "€" | "eur" | "euro" | "euros" => "EUR",
        "£" | "gbp" | "pound" | "pounds" | "sterling" | "pound sterling" | "pounds sterling" => {
            "GBP"
        }
        "¥" | "jpy" | "yen" => "JPY",
        "₹" | "inr" | "rs" | "rs." | "rupee" | "rupees" => "INR",
        "cny" | "rmb" | "yuan" | "renminbi" => "CNY",
        "chf" | "swiss franc" | "swiss francs" => "CHF",
        "c$" | "ca$" | "cad" => "CAD",
        "a$" | "au$" | "aud" => "AUD",
        "hk$" => "HKD",
        "s$" | "sg$" => "SGD",
        "nz$" => "NZD",
        _ => return None,
    };
    Some(code)
}

fn find_percentages(text: &str) -> Vec<f64> {
    let mut found: Vec<(usize, f64)> = Vec::new();
    for caps in PERCENT.captures_iter(text) {
        let (Some(whole), Some(num)) = (caps.get(0), caps.name("num")) else {
            continue;
        };
        // Part of a money amount or version string ("$5.20%" is not a thing, "v2.5%" neither).
        if char_before(text, whole.start()).is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥'))
        {
            continue;
        }
        if let Ok(v) = num.as_str().parse::<f64>()
            && v.is_finite()
        {
            found.push((whole.start(), v));
        }
    }
    for caps in PERCENT_WORDS.captures_iter(text) {
        if let (Some(whole), Some(w)) = (caps.get(0), caps.name("w"))
            && let Some(v) = word_number(w.as_str())
        {
            found.push((whole.start(), f64::from(v)));
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, v)| v).collect()
}

/// "seven" → 7, "twenty-five" → 25; `None` for anything else.
fn word_number(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let lower = word.to_ascii_lowercase();
    let mut parts = lower.split([' ', '-']).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() {
        return None;
    }
    if let Some(i) = UNITS.iter().position(|u| *u == first) {
        return second.is_none().then_some(i as u32);
    }
    let tens = TENS.iter().position(|t| *t == first)? as u32 * 10 + 20;
    match second {
        None => Some(tens),
        Some(s) => {
            let unit = UNITS[1..10].iter().position(|u| *u == s)? as u32 + 1;
            Some(tens + unit)
        }
    }
}

fn find_duration(text: &str) -> Option<String> {
    let from_for = DURATION_FOR.captures(text).and_then(|c| {
        let start = c.get(0)?.start();
        Some((
            start,
            duration_text(c.name("n")?.as_str(), c.name("u")?.as_str()),
        ))
    });
    let from_adj = DURATION_ADJ.captures(text).and_then(|c| {
        let start = c.get(0)?.start();
        let text = if let Some(m) = c.name("multi") {
            m.as_str()
                .to_ascii_lowercase()
                .replace(' ', "-")
                .replace("multiyear", "multi-year")
        } else if c.name("decade").is_some() {
            "a decade".to_string()
        } else {
            duration_text(c.name("n")?.as_str(), c.name("u")?.as_str())
        };
        Some((start, text))
    });
    // The earlier mention wins: the first duration in a clause is usually the deal's.
    match (from_for, from_adj) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|(_, t)| t),
    }
}

/// "five", "year" → "five years"; "1", "years" → "1 year".
fn duration_text(n: &str, unit: &str) -> String {
    let n = collapse_ws(&n.to_ascii_lowercase());
    let unit = unit.to_ascii_lowercase();
    let singular = unit.trim_end_matches('s');
    if n == "1" || n == "one" {
        format!("{n} {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

fn find_capacity(text: &str) -> Vec<String> {
    CAPACITY
        .find_iter(text)
        .filter(|m| {
            // "$10 million chips" is money, not capacity.
            !char_before(text, m.start())
                .is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥' | '.' | ','))
        })
        .map(|m| collapse_ws(m.as_str()))
        .collect()
}

/// The kinds of terms a clause states, read only for the topics the topic rules give it
/// (`topics`): one vocabulary, and a clause without, say, `exclusivity` never compiles or
/// runs the exclusivity patterns.
fn find_kinds(text: &str, has_capacity: bool, topics: &[String]) -> (Vec<TermKind>, bool) {
    let mut kinds = Vec::new();
    let mut negated = false;
    let has = |topic: &str| topics.iter().any(|t| t == topic);

    if has("exclusivity") {
        let spans = |r: &Regex| -> Vec<(usize, usize)> {
            r.find_iter(text).map(|m| (m.start(), m.end())).collect()
        };
        let neg_spans = spans(&NEG_EXCLUSIVE);
        let non_spans = spans(&NON_EXCLUSIVE);
        let friend_spans = spans(&EXCLUSIVE_FALSE_FRIEND);
        let inside =
            |spans: &[(usize, usize)], at: usize| spans.iter().any(|&(s, e)| s <= at && at < e);
        if !neg_spans.is_empty() {
            negated = true;
            kinds.push(TermKind::NonExclusive);
        }
        if !non_spans.is_empty() {
            kinds.push(TermKind::NonExclusive);
        }
        let positive = EXCLUSIVE_WORD
            .find_iter(text)
            .chain(SOLE_PROVIDER.find_iter(text))
            .any(|m| {
                let at = m.start();
                !inside(&neg_spans, at) && !inside(&non_spans, at) && !inside(&friend_spans, at)
            });
        if positive {
            kinds.push(TermKind::Exclusive);
        }
        if ROFR.is_match(text) {
            kinds.push(TermKind::RightOfFirstRefusal);
        }
        if FIRST_ON.is_match(text) {
            kinds.push(TermKind::FirstOn);
        }
    }
    if has("cloud") {
        if PRIMARY.is_match(text) {
            kinds.push(TermKind::PrimaryProvider);
        }
        if has_capacity || CAPACITY_COMMIT.is_match(text) {
            kinds.push(TermKind::CapacityCommitment);
        }
    }
    if has("revenue_share")
        && (REV_SHARE_STRONG.is_match(text)
            || (REV_SHARE_WEAK.is_match(text) && !REV_CONCENTRATION.is_match(text)))
    {
        kinds.push(TermKind::RevenueShare);
    }
    if !topics.is_empty() && NEGATION.is_match(text) {
        negated = true;
    }
    kinds.sort();
    kinds.dedup();
    (kinds, negated)
}

fn is_capped(text: &str) -> bool {
    if UNCAPPED.is_match(text) {
        return false;
    }
    CAPPED.find_iter(text).any(|m| {
        let matched = m.as_str().to_ascii_lowercase();
        let after = text[m.end()..].trim_start().to_ascii_lowercase();
        // Equity jargon, not a limit on the deal.
        !matched.contains("market") && !after.starts_with("table")
    })
}

// ---------------------------------------------------------------------------------------
// Parties
// ---------------------------------------------------------------------------------------

/// Words that never belong to a party name and split a run of capitalised words: function
/// words and sentence openers, months and weekdays, generic and hardware acronyms (AI, GPU,
/// U.S.), currency codes and units, and titles.
const STOP_WORDS: &str = "\
     the a an this that these those under but and or nor so yet in on at for with without by \
     from to of as if when where while whereas after before since until through during per \
     via into onto over it its it's we our they their them he she his her you your i my also \
     however meanwhile today yesterday tomorrow now then there here thus therefore moreover \
     furthermore additionally separately instead still earlier later last next each every \
     both all any some such other another more most not no never only just even what which \
     who whom whose why how according following including between among against about above \
     below across although though because unless whether is are was were be will would can \
     could should may might must shall do does did has have had let please note read see \
     click yes once upon overall finally previously currently initially together january \
     february march april june july august september october november december jan feb mar \
     apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday \
     sunday ai agi asi gpu gpus tpu tpus cpu cpus npu us u.s. u.s usa uk u.k. eu e.u. un usd \
     eur gbp jpy inr cny rmb chf cad aud gw mw tw gwh mwh rofr rofo llm llms api apis ipo sec \
     ftc doj fy pc r&d m&a esg saas iaas paas hpc ml am pm et pt gmt utc ok faq pdf html url \
     id tv nda mou loi kpi roi arr ebitda gaap vat gdp q&a rs rs. nasdaq nyse
     lse tsx hkex otc mr mr. mrs mrs. ms ms. dr \
     dr. prof prof. sir ceo cfo cto coo cio chief president chairman chairwoman chair founder \
     cofounder co-founder executive officer director vice vp svp evp head analyst analysts \
     spokesperson spokesman spokeswoman minister secretary senator governor professor";
static STOP: LazyLock<HashSet<&str>> = LazyLock::new(|| STOP_WORDS.split_whitespace().collect());

/// Titles after which the next capitalised run is a person, not a party.
const TITLES: &str = "\
     mr mr. mrs mrs. ms ms. dr dr. prof prof. sir ceo cfo cto coo cio chief president \
     chairman chairwoman founder cofounder co-founder executive officer director head analyst \
     spokesperson spokesman spokeswoman minister secretary professor";
static TITLE: LazyLock<HashSet<&str>> = LazyLock::new(|| TITLES.split_whitespace().collect());

/// Words that end a name but never start or form one ("Hooli Cloud", "Acme Inc.").
const TAIL_WORDS: &str = "\
     cloud ai services service web labs lab group technologies technology systems holdings \
     partners capital ventures networks platforms research company co co. corporation corp \
     corp. incorporated inc inc. limited ltd ltd. llc l.l.c. plc gmbh ag se sa nv n.v. bv lp \
     l.p. llp foundation bank energy computing infrastructure intelligence solutions software \
     semiconductor microsystems platform";
static TAIL: LazyLock<HashSet<&str>> = LazyLock::new(|| TAIL_WORDS.split_whitespace().collect());

/// Legal-form suffixes ignored when deduplicating parties.
const CORP_SUFFIXES: &str = "\
     inc inc. corp corp. corporation co co. llc l.l.c. ltd ltd. limited plc gmbh ag sa nv \
     n.v. lp l.p. llp incorporated";
static CORP: LazyLock<HashSet<&str>> = LazyLock::new(|| CORP_SUFFIXES.split_whitespace().collect());

/// Headline and deal vocabulary: kept inside a name, trimmed from its edges.
const EDGE_WORDS: &str = "\
     exclusive exclusivity exclusively deal deals agreement agreements partnership \
     partnerships contract contracts pact announces announced announce signs signed sign \
     expands expanded expand extends extended extend renews renewed launches launched strikes \
     inks unveils reaches new strategic multi-year multiyear revenue share sharing billion \
     million trillion percent capacity compute gigawatt gigawatts megawatts press release \
     statement news report update breaking official global worldwide annual first primary \
     preferred sole non-exclusive commitment investment invests invest terms amendment \
     amended definitive memorandum understanding letter intent filing form schedule exhibit \
     section article clause part item chapter phase series round term sheet plan program \
     initiative model models chips chip data center centers centre region regions dollars \
     euros right refusal provider partner supplier customers customer users editor \
     agreement's";
static EDGE: LazyLock<HashSet<&str>> = LazyLock::new(|| EDGE_WORDS.split_whitespace().collect());

/// Lowercase adjectives glued to a name with a hyphen.
const COMPOUND_TAILS: &str = "\
     style based backed owned led made powered funded built run only exclusive specific \
     related native hosted optimized optimised branded designed operated controlled";
static COMPOUND: LazyLock<HashSet<&str>> =
    LazyLock::new(|| COMPOUND_TAILS.split_whitespace().collect());

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Stop,
    Tail,
    Edge,
    Name,
}

struct Token<'a> {
    /// Display form: possessive and sentence-final period removed.
    word: &'a str,
    start: usize,
    end: usize,
    /// A possessive or hyphenated compound ends the run: "Acme's Azure", "Acme-backed Globex".
    ends_run: bool,
    ends_with_period: bool,
    class: Class,
    title: bool,
}

fn find_parties(text: &str) -> Vec<String> {
    let raw: Vec<(usize, usize)> = TOKEN
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    // Lowercase words elsewhere reveal that a sentence-initial capital is just grammar.
    let lower_words: HashSet<&str> = raw
        .iter()
        .map(|&(s, e)| &text[s..e])
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .map(|w| w.trim_end_matches(['.', '-', '\'']))
        .collect();

    let tokens: Vec<Token<'_>> = raw
        .iter()
        .map(|&(start, end)| make_token(text, start, end, &lower_words))
        .collect();

    let mut parties: Vec<String> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut after_title = false;
    for (i, t) in tokens.iter().enumerate() {
        let joins = group
            .last()
            .is_some_and(|&p| continues(text, &tokens[p], t));
        if t.class == Class::Stop {
            // "Bank of America": a lowercase "of" between two capitalised words.
            let connector = t.word == "of"
                && !group.is_empty()
                && joins
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| n.class != Class::Stop && continues(text, t, n));
            if connector {
                group.push(i);
                continue;
            }
            flush(&tokens, &mut group, after_title, &mut parties);
            after_title = t.title;
            continue;
        }
        if !joins && !group.is_empty() {
            flush(&tokens, &mut group, after_title, &mut parties);
            after_title = false;
        }
        group.push(i);
    }
    flush(&tokens, &mut group, after_title, &mut parties);
    parties
}

fn make_token<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    lower_words: &HashSet<&str>,
) -> Token<'a> {
    let raw = &text[start..end];
    let mut word = raw.trim_end_matches(['-', '\'']);
    // A trailing apostrophe is a plural possessive ("Amazon Web Services' models").
    let mut ends_run = raw.ends_with('\'');
    if let Some(w) = word.strip_suffix("'s").or_else(|| word.strip_suffix("'S")) {
        word = w;
        ends_run = true;
    }
    // "Acme-backed", "OpenAI-style": the name is the part before the adjective.
    if let Some((head, tail)) = word.rsplit_once('-')
        && COMPOUND.contains(tail)
    {
        word = head;
        ends_run = true;
    }
    let lower = word.to_lowercase();
    let keeps_period = CORP.contains(lower.as_str())
        || STOP.contains(lower.as_str())
        || TAIL.contains(lower.as_str())
        || word.matches('.').count() > 1;
    let ends_with_period = word.ends_with('.');
    if ends_with_period && !keeps_period {
        word = word.trim_end_matches('.');
    }
    let lower = word.to_lowercase();
    let sentence_initial = text[..start]
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | ';' | '"' | '(' | '[' | '\''));

    let first = word.chars().next();
    let capitalised = first.is_some_and(char::is_uppercase);
    // "xAI", "eBay": a lowercase start followed by a capital is a brand.
    let camel =
        first.is_some_and(char::is_lowercase) && word.chars().skip(1).any(char::is_uppercase);
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let class = if !(capitalised || camel)
        || word.chars().any(|c| c.is_ascii_digit())
        || letters < 2
        || STOP.contains(lower.as_str())
        || (sentence_initial && !camel && is_common_word(word, &lower, lower_words))
    {
        Class::Stop
    } else if TAIL.contains(lower.as_str()) {
        Class::Tail
    } else if EDGE.contains(lower.as_str()) {
        Class::Edge
    } else {
        Class::Name
    };
    Token {
        word,
        start,
        end,
        ends_run,
        ends_with_period,
        class,
        title: TITLE.contains(lower.as_str()),
    }
}

/// A sentence-initial capitalised word that is probably just a common word.
fn is_common_word(word: &str, lower: &str, lower_words: &HashSet<&str>) -> bool {
    let all_caps = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    if all_caps {
        return false;
    }
    lower_words.contains(lower)
        || lower.ends_with("ing")
        || lower.ends_with("ly")
        || lower.ends_with("ed")
}

/// Whether `next` continues the capitalised run that `prev` is in.
fn continues(text: &str, prev: &Token<'_>, next: &Token<'_>) -> bool {
    if prev.ends_run || (prev.ends_with_period && !is_corp_suffix(prev.word)) {
        return false;
    }
    let gap = &text[prev.end..next.start];
    if gap.is_empty() || gap.contains('\n') {
        return false;
    }
    let trimmed = gap.trim();
    trimmed.is_empty() || trimmed == "&" || (trimmed == "," && is_corp_suffix(next.word))
}

fn is_corp_suffix(word: &str) -> bool {
    CORP.contains(word.to_lowercase().as_str())
}

/// Turns a run of tokens into a party, if it still names something after trimming.
fn flush(tokens: &[Token<'_>], group: &mut Vec<usize>, person: bool, parties: &mut Vec<String>) {
    let members = std::mem::take(group);
    if person {
        return;
    }
    let mut lo = 0;
    let mut hi = members.len();
    // Leading deal words go ("Exclusive Acme"), leading "Bank" stays ("Bank of America").
    while lo < hi && matches!(tokens[members[lo]].class, Class::Edge | Class::Stop) {
        lo += 1;
    }
    while hi > lo && matches!(tokens[members[hi - 1]].class, Class::Edge | Class::Stop) {
        hi -= 1;
    }
    if lo >= hi
        || !members[lo..hi]
            .iter()
            .any(|&i| tokens[i].class == Class::Name)
    {
        return;
    }
    let name = members[lo..hi]
        .iter()
        .map(|&i| tokens[i].word)
        .collect::<Vec<_>>()
        .join(" ");
    let key = party_key(&name);
    if key.is_empty() || parties.iter().any(|p| party_key(p) == key) {
        return;
    }
    parties.push(name);
}

/// Comparison key: lowercase, legal-form suffix dropped ("Acme Inc." ~ "Acme").
fn party_key(name: &str) -> String {
    let mut words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.trim_end_matches(',').to_lowercase())
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| CORP.contains(w.as_str())) {
        words.pop();
    }
    words.join(" ")
}

// ---------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------

/// One-line human summaries of what changed between the old and new terms of a reworded
/// clause, most significant first, e.g. `["exclusive → non-exclusive", "until 2030 → 2032",
/// "$15.9B → $22.4B", "now capped", "20% → 15%", "+ Oracle", "- Azure"]`.
///
/// Order: exclusivity, negation, other kinds, end date, duration, money, cap, percentages,
/// capacity, parties. Empty when no structured term changed. Numbers, dates, negation and
/// parties are always significant.
pub fn summarize_change(old: &Terms, new: &Terms) -> Vec<String> {
    let mut out = Vec::new();

    let (old_ex, new_ex) = (exclusivity(old), exclusivity(new));
    let exclusivity_changed = old_ex != new_ex;
    match (old_ex, new_ex) {
        (Some(a), Some(b)) if a != b => out.push(format!("{a} → {b}")),
        (None, Some(b)) => out.push(format!("now {b}")),
        (Some(a), None) => out.push(format!("{a} dropped")),
        _ => {}
    }
    if old.negated != new.negated && !exclusivity_changed {
        out.push(if new.negated {
            "now ends the arrangement".to_string()
        } else {
            "no longer ends the arrangement".to_string()
        });
    }

    let other = |t: &Terms| -> Vec<TermKind> {
        t.kinds
            .iter()
            .copied()
            .filter(|k| !matches!(k, TermKind::Exclusive | TermKind::NonExclusive))
            .collect()
    };
    let (old_kinds, new_kinds) = (other(old), other(new));
    for k in &new_kinds {
        if !old_kinds.contains(k) {
            out.push(format!("{} added", k.label()));
        }
    }
    for k in &old_kinds {
        if !new_kinds.contains(k) {
            out.push(format!("{} dropped", k.label()));
        }
    }

    match (&old.until, &new.until) {
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => out.push(format!("until {a} → {b}")),
        (None, Some(b)) => out.push(format!("now until {b}")),
        (Some(a), None) => out.push(format!("until {a} dropped")),
        _ => {}
    }
    match (&old.duration, &new.duration) {
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => {
            out.push(format!("duration {a} → {b}"));
        }
        (None, Some(b)) => out.push(format!("now {b}")),
        (Some(a), None) => out.push(format!("duration {a} dropped")),
        _ => {}
    }

    diff_lists(
        &old.money,
        &new.money,
        |a, b| a.currency == b.currency && close(a.amount, b.amount),
        format_money,
        &mut out,
        Some(|m: &Money| m.text.clone()),
    );

    if old.capped != new.capped {
        out.push(
            if new.capped {
                "now capped"
            } else {
                "no longer capped"
            }
            .to_string(),
        );
    }

    diff_lists(
        &old.percentages,
        &new.percentages,
        |a, b| close(*a, *b),
        |p| format!("{}%", trim_number(*p)),
        &mut out,
        None::<fn(&f64) -> String>,
    );
    diff_lists(
        &old.capacity,
        &new.capacity,
        |a, b| a.eq_ignore_ascii_case(b),
        String::clone,
        &mut out,
        None::<fn(&String) -> String>,
    );

    let key_set = |t: &Terms| t.parties.iter().map(|p| party_key(p)).collect::<Vec<_>>();
    let (old_keys, new_keys) = (key_set(old), key_set(new));
    for (p, k) in new.parties.iter().zip(&new_keys) {
        if !old_keys.contains(k) {
            out.push(format!("+ {p}"));
        }
    }
    for (p, k) in old.parties.iter().zip(&old_keys) {
        if !new_keys.contains(k) {
            out.push(format!("- {p}"));
        }
    }
    out
}

/// The exclusivity a clause states, for [`summarize_change`].
fn exclusivity(t: &Terms) -> Option<&'static str> {
    let ex = t.kinds.contains(&TermKind::Exclusive);
    let non = t.kinds.contains(&TermKind::NonExclusive);
    match (ex, non) {
        (true, true) => Some("partly exclusive"),
        (false, true) => Some("non-exclusive"),
        (true, false) => Some("exclusive"),
        (false, false) => None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Pairs removed and added values: "a → b" when counts match, else "- a" / "+ b".
/// `fallback` renders a value when two different values format identically.
fn diff_lists<T>(
    old: &[T],
    new: &[T],
    same: impl Fn(&T, &T) -> bool,
    show: impl Fn(&T) -> String,
    out: &mut Vec<String>,
    fallback: Option<impl Fn(&T) -> String>,
) {
    let mut used = vec![false; new.len()];
    let mut removed = Vec::new();
    for o in old {
        match (0..new.len()).find(|&j| !used[j] && same(o, &new[j])) {
            Some(j) => used[j] = true,
            None => removed.push(o),
        }
    }
    let added: Vec<&T> = new
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(n, _)| n)
        .collect();
    if removed.len() == added.len() {
        for (a, b) in removed.into_iter().zip(added) {
            let (mut sa, mut sb) = (show(a), show(b));
            if sa == sb
                && let Some(f) = &fallback
            {
                (sa, sb) = (f(a), f(b));
            }
            out.push(format!("{sa} → {sb}"));
        }
    } else {
        out.extend(removed.into_iter().map(|a| format!("- {}", show(a))));
        out.extend(added.into_iter().map(|b| format!("+ {}", show(b))));
    }
}

/// "20" for 20.0, "12.5" for 12.5, at most two decimals.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Compact display of money: 250000000000 USD → "$250B", 1.2e9 EUR → "€1.2B",
/// 38e9 → "$38B", 4e6 → "$4M". Currencies without a symbol here print their code
/// ("CHF 5B").
pub fn format_money(m: &Money) -> String {
    const SCALES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];
    let amount = m.amount.abs();
    let mut number = trim_number(amount);
    for (i, (scale, suffix)) in SCALES.iter().enumerate() {
        if amount >= *scale {
            let scaled = amount / scale;
            // 999.999B rounds to "1000B"; show it as "1T" instead.
            number = if trim_number(scaled) == "1000" && i > 0 {
                format!("1{}", SCALES[i - 1].1)
            } else {
                format!("{}{suffix}", trim_number(scaled))
            };
            break;
        }
    }
    let sign = if m.amount < 0.0 { "-" } else { "" };
    match m.currency.as_str() {
        "USD" => format!("{sign}${number}"),
        "EUR" => format!("{sign}€{number}"),
        "GBP" => format!("{sign}£{number}"),
        "JPY" => format!("{sign}¥{number}"),
        "INR" => format!("{sign}₹{number}"),
        "CNY" => format!("{sign}CN¥{number}"),
        code => format!("{sign}{code} {number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TermKind> {
        parse_terms(text).kinds
    }

    fn usd(amount: f64) -> Money {
        Money {
            amount,
            currency: "USD".into(),
            text: String::new(),
        }
    }

    fn amounts(text: &str) -> Vec<(f64, String)> {
        parse_terms(text)
            .money
            .into_iter()
            .map(|m| (m.amount, m.currency))
            .collect()
    }

    // --- kinds -------------------------------------------------------------------------

    #[test]
    fn exclusive_forms() {
        use TermKind::*;
        assert_eq!(
            kinds("Acme holds exclusive rights to resell Globex models."),
            [Exclusive]
        );
        assert_eq!(
            kinds("Globex models will run exclusively on Hooli Cloud."),
            [Exclusive]
        );
        assert_eq!(
            kinds("The exclusivity covers all Initech workloads."),
            [Exclusive]
        );
        // "sole/only provider" is exclusivity by another name.
        assert_eq!(
            kinds("Hooli Cloud will be the sole provider of compute for Acme."),
            [Exclusive]
        );
        assert_eq!(
            kinds("Initech becomes the only cloud partner of Globex."),
            [Exclusive]
        );
    }

    #[test]
    fn non_exclusive_and_negation() {
        use TermKind::*;
        let t = parse_terms("Acme grants Globex a non-exclusive license to the models.");
        assert_eq!(t.kinds, [NonExclusive]);
        assert!(!t.negated, "a plain non-exclusive licence ends nothing");

        for text in [
            "Hooli Cloud is no longer exclusive to Acme.",
            "The arrangement will not be exclusive after 2030.",
            "Globex ends the exclusivity it granted Initech.",
            "Acme may now sell to others, without exclusivity.",
            "Initech won't be the exclusive reseller anymore.",
            "Acme will no longer be the sole provider of compute to Globex.",
            "The exclusivity has expired, the companies said.",
        ] {
            let t = parse_terms(text);
            assert!(t.negated, "{text}");
            assert!(t.kinds.contains(&NonExclusive), "{text}");
            assert!(!t.kinds.contains(&Exclusive), "{text}");
        }
    }

    #[test]
    fn negation_of_other_arrangements() {
        for text in [
            "Globex no longer shares revenue with Acme.",
            "Acme terminated the revenue-sharing agreement with Initech.",
            "The profit-sharing arrangement will not be renewed.",
            "Initech will not pay Acme a share of its sales.",
        ] {
            assert!(parse_terms(text).negated, "{text}");
        }
        for text in [
            "The agreement ends in 2030.",
            "Acme did not disclose the amount of the deal.",
            "The fiscal year ending in March was strong for Globex.",
        ] {
            assert!(!parse_terms(text).negated, "{text}");
        }
    }

    #[test]
    fn exclusive_false_friends() {
        for text in [
            "In an exclusive interview, Acme's chief talked about Globex.",
            "Exclusive: Globex weighs a deal with Initech.",
            "An exclusive analysis of Hooli Cloud pricing follows.",
            "The two options are mutually exclusive.",
            "Prices are exclusive of taxes.",
            "Globex exclusively reported the figures to investors.",
        ] {
            let k = kinds(text);
            assert!(!k.contains(&TermKind::Exclusive), "{text}: {k:?}");
        }
    }

    #[test]
    fn right_of_first_refusal() {
        for text in [
            "Acme keeps a right of first refusal on new Globex capacity.",
            "Initech holds a ROFR over future hosting.",
            "Globex gets a first right of refusal on any sale.",
        ] {
            assert!(
                kinds(text).contains(&TermKind::RightOfFirstRefusal),
                "{text}"
            );
        }
    }

    #[test]
    fn first_on() {
        for text in [
            "New Acme models will be available first on Hooli Cloud.",
            "Globex agents launch first on Initech Platform.",
            "Acme will be the first to launch on Hooli Cloud.",
            "Models are first on Hooli Cloud for 90 days.",
        ] {
            assert!(kinds(text).contains(&TermKind::FirstOn), "{text}");
        }
        // A capitalised platform must follow.
        assert!(
            !kinds("Acme will focus first on enterprise customers.").contains(&TermKind::FirstOn)
        );
    }

    #[test]
    fn primary_provider() {
        for text in [
            "Hooli Cloud is Acme's primary cloud provider.",
            "Initech remains the primary training partner of Globex.",
            "Globex named Hooli Cloud its preferred cloud.",
            "Acme is the main infrastructure supplier.",
        ] {
            assert!(kinds(text).contains(&TermKind::PrimaryProvider), "{text}");
        }
    }

    #[test]
    fn revenue_share() {
        for text in [
            "Acme pays Globex a revenue share on all resold seats.",
            "The revenue-sharing terms were updated.",
            "Initech receives a share of revenue from the app store.",
            "Globex keeps a portion of Acme's net revenue.",
            "The profit-sharing deal continues.",
            "Acme pays Initech 20 percent of revenue from the service.",
            "Globex would pay Acme 10 pct of sales.",
            "Globex shares its revenue with Initech.",
            "Royalties are owed on every unit.",
        ] {
            assert!(kinds(text).contains(&TermKind::RevenueShare), "{text}");
        }
        // Revenue concentration is not a share paid.
        assert!(
            !kinds("Acme accounted for 40% of Globex's revenue last year.")
                .contains(&TermKind::RevenueShare)
        );
    }

    #[test]
    fn capacity_commitment() {
        for text in [
            "Globex committed $30 billion to Hooli Cloud services.",
            "Acme commits to spend an additional €2bn on Initech compute.",
            "Globex will purchase $20 billion of cloud capacity from Initech.",
            "The deal covers 4.5 gigawatts of capacity.",
            "Acme signed a contract to buy GPUs from Initech.",
            "Globex made a $250 billion Azure commitment.",
        ] {
            assert!(
                kinds(text).contains(&TermKind::CapacityCommitment),
                "{text}"
            );
        }
        assert!(
            !kinds("Acme agreed to buy Initech for $3 billion.")
                .contains(&TermKind::CapacityCommitment)
        );
    }

    #[test]
    fn kinds_are_sorted_and_deduped() {
        let k = kinds(
            "Acme's exclusive, exclusive deal with Globex includes a revenue share and a \
             right of first refusal, exclusively.",
        );
        assert_eq!(
            k,
            [
                TermKind::Exclusive,
                TermKind::RightOfFirstRefusal,
                TermKind::RevenueShare
            ]
        );
    }

    // --- money -------------------------------------------------------------------------

    #[test]
    fn money_symbols_and_scales() {
        let cases: &[(&str, f64, &str)] = &[
            ("a $250 billion deal", 250e9, "USD"),
            ("worth €1.2bn", 1.2e9, "EUR"),
            ("up to $1.5 trillion", 1.5e12, "USD"),
            ("a US$38B contract", 38e9, "USD"),
            ("paid £300m", 300e6, "GBP"),
            ("raised $13bn", 13e9, "USD"),
            ("costs $1.5 bn", 1.5e9, "USD"),
            ("a $1.5-billion charge", 1.5e9, "USD"),
            ("$1,200 million over time", 1.2e9, "USD"),
            ("¥500 billion", 500e9, "JPY"),
            ("₹2,000 crore", 2e10, "INR"),
            ("$500k in fees", 500e3, "USD"),
            ("$4M", 4e6, "USD"),
            ("USD 5 billion", 5e9, "USD"),
            ("RMB 3 billion", 3e9, "CNY"),
            ("5 billion dollars", 5e9, "USD"),
            ("300 million euros", 300e6, "EUR"),
            ("2 billion yen", 2e9, "JPY"),
            ("$1.5 Trillion", 1.5e12, "USD"),
            ("$7 thousand", 7e3, "USD"),
            ("$2tn", 2e12, "USD"),
            ("C$3 billion", 3e9, "CAD"),
            ("$ 12 million", 12e6, "USD"),
        ];
        for &(text, amount, currency) in cases {
            let got = amounts(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert!(close(got[0].0, amount), "{text}: {got:?}");
            assert_eq!(got[0].1, currency, "{text}");
        }
    }

    #[test]
    fn money_keeps_text_and_order() {
        let t = parse_terms("Acme pays $5 billion dollars now and €2bn later.");
        let texts: Vec<&str> = t.money.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["$5 billion", "€2bn"]);
    }

    #[test]
    fn money_ignores_years_percentages_and_bare_numbers() {
        assert!(amounts("Through 2030, Acme grows 20% a year to 5 billion users.").is_empty());
        assert!(amounts("In 2020 dollars the deal is smaller.").is_empty());
        assert!(amounts("Acme sold 300 million units.").is_empty());
        assert!(amounts("Acme shipped 30 million GPUs.").is_empty());
    }

    #[test]
    fn format_money_compact() {
        let m = |amount: f64, currency: &str| Money {
            amount,
            currency: currency.into(),
            text: String::new(),
        };
        assert_eq!(format_money(&m(250e9, "USD")), "$250B");
        assert_eq!(format_money(&m(1.2e9, "EUR")), "€1.2B");
        assert_eq!(format_money(&m(38e9, "USD")), "$38B");
        assert_eq!(format_money(&m(4e6, "USD")), "$4M");
        assert_eq!(format_money(&m(1.5e12, "USD")), "$1.5T");
        assert_eq!(format_money(&m(300e6, "GBP")), "£300M");
        assert_eq!(format_money(&m(15.9e9, "USD")), "$15.9B");
        assert_eq!(format_money(&m(500.0, "USD")), "$500");
        assert_eq!(format_money(&m(999.999e9, "USD")), "$1T");
        assert_eq!(format_money(&m(5e9, "CHF")), "CHF 5B");
        assert_eq!(format_money(&m(3e9, "CNY")), "CN¥3B");
    }

    // --- percentages, capacity, cap ------------------------------------------------------

    #[test]
    fn percentages() {
        let p = |text: &str| parse_terms(text).percentages;
        assert_eq!(p("Acme pays 20% of sales."), [20.0]);
        assert_eq!(p("a 20 percent share"), [20.0]);
        assert_eq!(p("a 20 per cent share"), [20.0]);
        assert_eq!(p("roughly 50% of profits"), [50.0]);
        assert_eq!(p("12.5 percent, then 15%"), [12.5, 15.0]);
        assert_eq!(p("twenty-five percent of revenue"), [25.0]);
        assert_eq!(p("fifteen per cent"), [15.0]);
        assert!(p("Acme grew in 2025 and paid $20 billion.").is_empty());
    }

    #[test]
    fn capacity_amounts() {
        let c = |text: &str| parse_terms(text).capacity;
        assert_eq!(
            c("Globex gets 4.5 gigawatts of capacity."),
            ["4.5 gigawatts"]
        );
        assert_eq!(c("about 1 GW online"), ["1 GW"]);
        assert_eq!(c("a 500MW campus"), ["500MW"]);
        assert_eq!(c("two gigawatts of power"), ["two gigawatts"]);
        assert_eq!(
            c("hundreds of thousands of GPUs for Acme"),
            ["hundreds of thousands of GPUs"]
        );
        assert!(c("Acme's 2025 GWh usage fell.").is_empty());
    }

    #[test]
    fn caps() {
        for text in [
            "The revenue share is capped at $5 billion.",
            "Acme's payments are subject to a cap of 20%.",
            "Globex pays up to a maximum of €300m.",
            "Fees are not to exceed $10 million per year.",
        ] {
            assert!(parse_terms(text).capped, "{text}");
        }
        for text in [
            "Acme's market cap passed $3 trillion.",
            "The payments are uncapped.",
            "The cap was removed in the new agreement.",
            "Globex pays a share without a cap.",
        ] {
            assert!(!parse_terms(text).capped, "{text}");
        }
    }

    // --- until, duration ------------------------------------------------------------------

    #[test]
    fn until_forms() {
        let u = |text: &str| parse_terms(text).until;
        assert_eq!(u("The deal runs through 2032."), Some("2032".into()));
        assert_eq!(u("Exclusivity lasts until 2030."), Some("2030".into()));
        assert_eq!(
            u("Rights apply until AGI is declared by the board."),
            Some("AGI is declared".into())
        );
        assert_eq!(
            u("Rights apply until AGI is achieved."),
            Some("AGI is achieved".into())
        );
        assert_eq!(
            u("Terms hold through the end of 2028."),
            Some("the end of 2028".into())
        );
        assert_eq!(
            u("Acme pays until Dec. 31, 2029."),
            Some("Dec. 31, 2029".into())
        );
        assert_eq!(u("The contract expires in 2030."), Some("2030".into()));
        assert_eq!(u("The pact ends in 2030."), Some("2030".into()));
        assert_eq!(
            u("It expires on 30 June 2031."),
            Some("30 June 2031".into())
        );
        assert_eq!(u("It runs through at least 2031."), Some("2031".into()));
        assert_eq!(u("It was signed in 2024 by Acme."), None);
        assert_eq!(u("Acme routes traffic through 2 regions."), None);
    }

    #[test]
    fn duration_forms() {
        let d = |text: &str| parse_terms(text).duration;
        assert_eq!(
            d("Acme signed for seven years."),
            Some("seven years".into())
        );
        assert_eq!(d("a five-year agreement"), Some("five years".into()));
        assert_eq!(d("the seven-year deal"), Some("seven years".into()));
        assert_eq!(d("a multi-year partnership"), Some("multi-year".into()));
        assert_eq!(d("a multiyear partnership"), Some("multi-year".into()));
        assert_eq!(d("over the next 5 years"), Some("5 years".into()));
        assert_eq!(d("an 18-month pilot"), Some("18 months".into()));
        assert_eq!(d("for a term of 10 years"), Some("10 years".into()));
        assert_eq!(d("a one-year extension"), Some("one year".into()));
        assert_eq!(d("Acme was founded 20 years ago."), None);
    }

    // --- parties ----------------------------------------------------------------------

    #[test]
    fn parties_in_order_deduped() {
        let p = |text: &str| parse_terms(text).parties;
        assert_eq!(
            p("Under the deal, Acme will use Hooli Cloud and Acme pays Globex."),
            ["Acme", "Hooli Cloud", "Globex"]
        );
        assert_eq!(
            p(
                "The multi-year agreement between Bank of America and Amazon Web Services (AWS) expires."
            ),
            ["Bank of America", "Amazon Web Services", "AWS"]
        );
        assert_eq!(
            p("Initech Corp. and Globex, Inc. said Initech would pay Globex."),
            ["Initech Corp.", "Globex Inc."]
        );
        assert_eq!(
            p("Acme's Azure region hosts xAI and AT&T workloads."),
            ["Acme", "Azure", "xAI", "AT&T"]
        );
        assert_eq!(p("OpenAI-backed Globex grows."), ["OpenAI", "Globex"]);
        assert_eq!(
            p("Amazon Web Services' Globex unit"),
            ["Amazon Web Services", "Globex"]
        );
    }

    #[test]
    fn parties_skip_common_words_people_and_acronyms() {
        let p = |text: &str| parse_terms(text).parties;
        assert_eq!(
            p("But in March, the CEO said the AI GPU deal in the U.S. was done on Tuesday."),
            Vec::<String>::new()
        );
        assert_eq!(
            p("Acme (NASDAQ: ACME) CEO Jane Doe said Globex will pay."),
            ["Acme", "Globex"]
        );
        assert_eq!(
            p("Acme Signs Exclusive Multi-Year Deal With Hooli Cloud"),
            ["Acme", "Hooli Cloud"]
        );
        assert_eq!(p("Separately, Globex agreed."), ["Globex"]);
        assert_eq!(p("Exclusive: Initech wins."), ["Initech"]);
        assert_eq!(
            p("Cloud spending rose at Acme as cloud demand grew."),
            ["Acme"]
        );
        assert_eq!(
            p("Globex buys H100 and GB200 chips until Dec. 31, 2029."),
            ["Globex"]
        );
    }

    // --- whole clauses ------------------------------------------------------------------

    #[test]
    fn whole_clause() {
        let t = parse_terms(
            "Globex Inc. agreed to pay Acme 20% of revenue until AGI is declared, capped at \
             $92 billion, and will remain Acme's exclusive cloud provider.",
        );
        assert_eq!(t.kinds, [TermKind::Exclusive, TermKind::RevenueShare]);
        assert_eq!(t.parties, ["Globex Inc.", "Acme"]);
        assert_eq!(t.until.as_deref(), Some("AGI is declared"));
        assert_eq!(t.percentages, [20.0]);
        assert_eq!(t.money.len(), 1);
        assert!(close(t.money[0].amount, 92e9));
        assert!(t.capped);
        assert!(!t.negated);
        assert!(!t.is_empty());
    }

    #[test]
    fn empty_and_typography() {
        assert!(parse_terms("").is_empty());
        assert!(parse_terms("the weather was nice and sunny.").is_empty());
        // Non-breaking spaces, curly apostrophes and en dashes.
        let t = parse_terms(
            "Hooli\u{00A0}Cloud\u{2019}s $1.5\u{2013}billion deal runs until\u{00A0}2031.",
        );
        assert_eq!(t.parties, ["Hooli Cloud"]);
        assert_eq!(t.until.as_deref(), Some("2031"));
        assert!(close(t.money[0].amount, 1.5e9));
    }

    #[test]
    fn serde_round_trip_uses_snake_case() {
        let t = parse_terms("Acme holds a right of first refusal and a revenue share.");
        let json = serde_json::to_string(&t).expect("serialize");
        assert!(json.contains("\"right_of_first_refusal\""), "{json}");
        let back: Terms = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, t);
    }

    #[test]
    fn no_panics_on_odd_input() {
        let pieces = [
            "$",
            "€",
            "£",
            "¥",
            "US$",
            "1,",
            ",000",
            ".5",
            "bn",
            " billion",
            "%",
            " percent",
            "until ",
            "through ",
            "AGI is ",
            "Dec. ",
            "31, ",
            "2030",
            "-year",
            "multi-",
            "Acme",
            "'s",
            " Inc.",
            ", ",
            " of ",
            "exclusive",
            "non-",
            "no longer ",
            "cap",
            "GW",
            "🦀",
            "é",
            "\u{0301}",
            "\u{200B}",
            "\u{00A0}",
            "\u{2019}",
            "İ",
            "ß",
            "\n",
            "\t",
            "\"",
            "(",
            ")",
            "&",
            "-",
            "'",
            "ǅ",
            "𝔄𝔠𝔪𝔢",
            "٣",
            "١٢٣",
            "\u{FEFF}",
            "x",
        ];
        // Deterministic pseudo-random concatenations (xorshift).
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2_000 {
            let mut s = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let t = parse_terms(&s);
            let _ = summarize_change(&t, &Terms::default());
            for m in &t.money {
                assert!(m.amount.is_finite());
                let _ = format_money(m);
            }
        }
        let huge_number = format!("${} billion", "9".repeat(400));
        let t = parse_terms(&huge_number);
        assert!(t.money.iter().all(|m| m.amount.is_finite()));
    }

    #[test]
    fn long_input_is_fast_enough() {
        let sentence = "Acme will remain Globex's exclusive cloud provider through 2032, \
                        paying 20% of revenue capped at $5 billion over 4.5 GW. ";
        let text = sentence.repeat(2_000);
        let started = std::time::Instant::now();
        let t = parse_terms(&text);
        assert!(
            started.elapsed().as_secs() < 10,
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(t.parties, ["Acme", "Globex"]);
        assert_eq!(t.money.len(), 2_000);
    }

    // --- summarize_change ---------------------------------------------------------------

    #[test]
    fn change_negation_flip() {
        let old = parse_terms("Hooli Cloud is the exclusive provider for Acme.");
        let new = parse_terms("Hooli Cloud is no longer exclusive for Acme.");
        assert_eq!(summarize_change(&old, &new), ["exclusive → non-exclusive"]);
        assert_eq!(summarize_change(&new, &old), ["non-exclusive → exclusive"]);
    }

    #[test]
    fn change_negation_without_exclusivity() {
        let old = parse_terms("Globex shares revenue with Acme.");
        let new = parse_terms("Globex no longer shares revenue with Acme.");
        assert_eq!(summarize_change(&old, &new), ["now ends the arrangement"]);
    }

    #[test]
    fn change_year() {
        let old = parse_terms("Acme stays exclusive on Hooli Cloud through 2030.");
        let new = parse_terms("Acme stays exclusive on Hooli Cloud through 2032.");
        assert_eq!(summarize_change(&old, &new), ["until 2030 → 2032"]);
    }

    #[test]
    fn change_amount() {
        let old = parse_terms("Globex committed $15.9 billion to Initech.");
        let new = parse_terms("Globex committed $22.4 billion to Initech.");
        assert_eq!(summarize_change(&old, &new), ["$15.9B → $22.4B"]);
        // Same amount, different spelling: nothing to report.
        let same = parse_terms("Globex committed US$15.9bn to Initech.");
        assert!(summarize_change(&old, &same).is_empty());
    }

    #[test]
    fn change_amounts_that_format_alike_fall_back_to_text() {
        let mut old = Terms::default();
        let mut new = Terms::default();
        old.money.push(Money {
            text: "$1,000,001".into(),
            ..usd(1_000_001.0)
        });
        new.money.push(Money {
            text: "$1,000,002".into(),
            ..usd(1_000_002.0)
        });
        assert_eq!(summarize_change(&old, &new), ["$1,000,001 → $1,000,002"]);
    }

    #[test]
    fn change_cap_added_and_percentage() {
        let old = parse_terms("Acme pays Globex 20% of revenue.");
        let new = parse_terms("Acme pays Globex 15% of revenue, capped at a fixed amount.");
        assert_eq!(summarize_change(&old, &new), ["now capped", "20% → 15%"]);
    }

    #[test]
    fn change_parties() {
        let old = parse_terms("Acme runs its models on Azure.");
        let new = parse_terms("Acme runs its models on Oracle.");
        assert_eq!(summarize_change(&old, &new), ["+ Oracle", "- Azure"]);
    }

    #[test]
    fn change_kinds_duration_and_capacity() {
        let old = parse_terms("Acme signs a five-year deal with Globex for 1 GW.");
        let new = parse_terms(
            "Acme signs a seven-year deal with Globex for 2 GW and a right of first refusal.",
        );
        assert_eq!(
            summarize_change(&old, &new),
            [
                "right of first refusal added",
                "duration five years → seven years",
                "1 GW → 2 GW"
            ]
        );
    }

    #[test]
    fn change_counts_differ() {
        let old = parse_terms("Acme pays $5 billion.");
        let new = parse_terms("Acme pays $5 billion and then $2 billion and $1 billion.");
        assert_eq!(summarize_change(&old, &new), ["+ $2B", "+ $1B"]);
    }

    #[test]
    fn change_order_most_significant_first() {
        let old = parse_terms(
            "Globex remains Acme's exclusive partner on Azure until 2030 for $15.9 billion and 20% of revenue.",
        );
        let new = parse_terms(
            "Globex is no longer Acme's exclusive partner and Oracle hosts it until 2032 for \
             $22.4 billion and 15% of revenue, capped.",
        );
        assert_eq!(
            summarize_change(&old, &new),
            [
                "exclusive → non-exclusive",
                "until 2030 → 2032",
                "$15.9B → $22.4B",
                "now capped",
                "20% → 15%",
                "+ Oracle",
                "- Azure"
            ]
        );
    }

    #[test]
    fn nothing_changed_is_empty() {
        let a = parse_terms("Acme pays Globex 20% of revenue through 2030, capped at $5bn.");
        let b = parse_terms(
            "Through 2030, Acme will pay Globex 20 percent of revenue, with a cap of $5 billion.",
        );
        assert!(summarize_change(&a, &a).is_empty());
        assert!(
            summarize_change(&a, &b).is_empty(),
            "{:?}",
            summarize_change(&a, &b)
        );
        assert!(summarize_change(&Terms::default(), &Terms::default()).is_empty());
    }
}

//! Main-content detection: parsed HTML → the ordered text blocks of the article body.
//!
//! Owns: dropping invisible and boilerplate elements (navigation, cookie banners, newsletter
//! boxes, related-story teasers, share bars, tags, "About `<Company>`" sections, legal
//! notices...), choosing the article container and turning it into text blocks.
//!
//! Without a selector the container is chosen readability-style: every paragraph-like
//! element adds a score (text length, commas) to its parent and, decreasingly, to its
//! grandparents; the best-scoring element, discounted by its link density and adjusted by
//! class/id hints (`article-body`, `story-body`, `entry-content`...), wins. Siblings that
//! also carry substantial paragraphs are kept with it (split article bodies). With a
//! selector, the text of every matching element is used instead, still without scripts,
//! forms or boilerplate widgets inside it.
//!
//! Pages with (almost) no rendered body fall back to the JSON-LD `articleBody`, if any.
//! Unrendered template placeholders (`{{ body | safe }}`) are removed, so a broken page
//! yields little or no main text and the caller can flag it instead of alerting.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};

use super::{DropScope, DroppedElement, ScoredContainer};

/// Nesting deeper than this is flattened into plain text instead of recursing, so a hostile
/// page cannot overflow the stack.
const MAX_DEPTH: usize = 200;

/// What kind of element a block came from; it decides how the block becomes clauses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `h1`–`h6`: counted as main text, never a clause.
    Heading,
    /// Paragraph, quote, table cell or loose text: split into sentences.
    Paragraph,
    /// `li`: one unit however many sentences it has.
    ListItem,
}

/// One block of visible main text, whitespace collapsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Where the text came from.
    pub kind: BlockKind,
    /// The visible text.
    pub text: String,
}

/// Tags whose content is never visible article text.
fn is_invisible_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "canvas"
            | "button"
            | "input"
            | "select"
            | "option"
            | "textarea"
            | "label"
            | "iframe"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "picture"
            | "img"
            | "map"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "dialog"
            // AMP components whose text is a fallback or widget label, never article text.
            | "amp-ad"
            | "amp-embed"
            | "amp-sticky-ad"
            | "amp-analytics"
            | "amp-pixel"
            | "amp-consent"
            | "amp-social-share"
            | "amp-sidebar"
            | "amp-user-notification"
            | "amp-iframe"
            | "amp-video"
            | "amp-img"
    )
}

/// Page-chrome tags: navigation, page header/footer, side content.
fn is_chrome_tag(name: &str) -> bool {
    matches!(name, "nav" | "header" | "footer" | "aside" | "menu")
}

fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "pre"
            | "figure"
            | "figcaption"
            | "address"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "fieldset"
            | "body"
            | "html"
    ) || is_chrome_tag(name)
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Class/id/role/aria-label words that always mark a widget, never article text
/// (cookie banners, newsletter boxes, related-story lists, share bars, tag lists, tickers,
/// comments, press-wire "About"/contact boxes, ads, popups).
static STRONG_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Stems: also match compounds such as "jp-relatedposts", "newsletterbox",
        // "RelatedArticles_root__x1" (Next.js CSS modules, lowercased).
        r"(?:^|[^a-z0-9])(?:cookie|consent|gdpr|onetrust|newsletter|signup|sign-up|subscri|related|recommend|more-news|morenews|more-stories|read-more|readmore|also-read|read-next|up-next|teaser|sharing|sharedaddy|share-|sharebar|social|tagcloud|tag-list|taglist|ticker|breaking|breadcrumb|comment|disqus|boilerplate|about-us|about-company|about-the-company|media-contact|press-contact|advert|adslot|ad-slot|sponsor|promo|outbrain|taboola|modal|popup|pop-up|lightbox|paywall[-_](?:tout|prompt|message|banner|overlay|modal|promo|cta|offer|upsell|gate|notice|barrier|inline|meter|signup|subscribe)|byline|author-bio|author-box|disclaimer|forward-looking|safe-harbor|trending|most-popular|pagination|skip-link|render-error|error-message|recirc|keep-reading|more-coverage|more-from|more-in-|more-on-|more-articles|around-the-web|twitter-tweet|instagram-media|tiktok-embed|embed-social|inline-signup|company-info|press-boilerplate)",
        // Short words: whole tokens only.
        r"|(?:^|[^a-z0-9])(?:cmp|share|shares|tags|topics|keywords|contacts?|ad|ads|dfp|overlay|popular|pager|print-only|sr-only|visually-hidden|alert|embed|tweet|cta|call-to-action)(?:[^a-z0-9]|$)",
    ))
    .expect("valid regex")
});

/// Layout words that usually mark chrome, unless the same attribute also says "content".
static WEAK_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^a-z0-9])(?:footer|header|masthead|sidebar|side-bar|rail|right-rail|banner|nav|navbar|navigation|menu|widget|widgets|aside|complementary|about|site-info|legal|copyright|toolbar|utility)(?:[^a-z0-9]|$)",
    )
    .expect("valid regex")
});

/// Attribute words that mark the article body itself; they veto the boilerplate rules and
/// raise the container score.
static CONTENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^a-z0-9])(?:article-body|articlebody|article-content|article-text|articletext|story-body|storybody|story-content|story-text|post-body|post-content|postcontent|entry-content|entry-body|release-body|press-release|news-body|news-content|body-text|bodytext|main-content|maincontent|content-body|rich-text|richtext|prose|article|story|entry|post|content|main|body|text)(?:[^a-z0-9]|$)",
    )
    .expect("valid regex")
});

/// Attribute words of specific article-body containers (a subset of [`CONTENT_HINT`]).
static STRONG_CONTENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^a-z0-9])(?:article-body|articlebody|article-content|article-text|articletext|story-body|storybody|story-content|story-text|post-body|post-content|postcontent|entry-content|entry-body|release-body|news-body|news-content|body-text|bodytext|content-body|rich-text|richtext)(?:[^a-z0-9]|$)",
    )
    .expect("valid regex")
});

/// Attribute words of an article's summary box ("Key Points", "Key takeaways", "Story
/// highlights"): bullets written by the newsroom that sit beside the body, not inside it.
static SUMMARY_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"key-?points|key-?takeaways|takeaways|story-highlights|article-highlights|tl-?dr|summary-list|article-summary|story-summary|at-a-glance",
    )
    .expect("valid regex")
});

/// Roles of landmark/widget regions that are not the article.
fn is_boilerplate_role(role: &str) -> bool {
    matches!(
        role.trim().to_ascii_lowercase().as_str(),
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "dialog"
            | "alertdialog"
            | "alert"
            | "search"
            | "menu"
            | "menubar"
            | "toolbar"
            | "tablist"
            | "status"
            | "marquee"
            | "timer"
    )
}

/// Headings that open a widget rather than article text ("Related stories", "Sign up...").
static WIDGET_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:related|more (?:from|on|in|news|stories|coverage|like this|to read|headlines)|recommended|read (?:more|next|this next)|keep reading|what to read next|you (?:may|might) (?:also|like)|don'?t miss|in case you missed|most (?:read|popular|viewed|shared)|popular|trending|top stories|editor'?s picks|latest(?: news| stories| headlines)?\s*$|further reading|also (?:read|in|on)|around the web|from (?:our )?(?:partners|sponsors|around)|sponsored|promoted|sign up|subscribe|newsletter|get (?:our|the) \w+ (?:newsletter|in your inbox)|share (?:this|on)|follow us|tags|topics|comments|your privacy|cookie|we value your privacy)",
    )
    .expect("valid regex")
});

/// The lowercase class, id, role and aria-label of an element, joined by spaces.
fn hint_text(el: &scraper::node::Element) -> String {
    let mut s = String::new();
    for name in [
        "class",
        "id",
        "role",
        "aria-label",
        "itemprop",
        "data-component",
    ] {
        if let Some(v) = el.attr(name) {
            let v = v.to_lowercase();
            if name == "class" && is_atomic_class(&v) {
                // Generated atomic classes ("ab ac ad", Medium) say nothing: "ad" is not an
                // ad there. Keep only the longer, meaningful tokens.
                for token in v.split_whitespace().filter(|t| t.len() > 3) {
                    s.push_str(token);
                    s.push(' ');
                }
            } else {
                s.push_str(&v);
                s.push(' ');
            }
        }
    }
    s
}

/// Whether a class list is mostly generated one- to three-letter tokens (`"ab ac ad"`),
/// as minifying CSS-in-JS tools emit: at least three tokens, two thirds of them short.
fn is_atomic_class(class: &str) -> bool {
    let (mut total, mut short) = (0usize, 0usize);
    for token in class.split_whitespace() {
        total += 1;
        if token.len() <= 3 && token.chars().all(|c| c.is_ascii_alphanumeric()) {
            short += 1;
        }
    }
    total >= 3 && short * 3 >= total * 2
}

/// Why an element (and all it contains) is dropped before anything else happens. A plain
/// enum so the hot path allocates nothing; [`Prune::describe`] spells it out for explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prune {
    /// Never-visible tag (`script`, `form`, `iframe`...).
    InvisibleTag,
    /// Page chrome tag (`nav`, `header`, `footer`, `aside`, `menu`).
    ChromeTag,
    /// A `<form>`.
    Form,
    /// `hidden` or `aria-hidden="true"`.
    Hidden,
    /// Inline style hides it.
    StyleHidden,
    /// Landmark/widget `role`.
    Role,
    /// Class/id/role/aria-label word of [`STRONG_BOILERPLATE`].
    StrongHint,
    /// Layout word of [`WEAK_BOILERPLATE`] without a content word.
    WeakHint,
    /// First child is a widget heading ("Related stories").
    WidgetHeading,
    /// A list of links.
    LinkList,
}

/// Why an element (and all it contains) is dropped, or `None` if it is kept.
fn prune_reason(el: ElementRef<'_>) -> Option<Prune> {
    let value = el.value();
    let name = value.name();
    if matches!(name, "html" | "body") {
        return None;
    }
    if is_invisible_tag(name) {
        return Some(Prune::InvisibleTag);
    }
    // Search boxes and signup forms; but see [`Prune::is_markup_guess`].
    if name == "form" {
        return Some(Prune::Form);
    }
    if is_chrome_tag(name) {
        return Some(Prune::ChromeTag);
    }
    if value.attr("hidden").is_some()
        || value
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Some(Prune::Hidden);
    }
    if let Some(style) = value.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return Some(Prune::StyleHidden);
        }
    }
    if value.attr("role").is_some_and(is_boilerplate_role) {
        return Some(Prune::Role);
    }
    if value
        .attr("itemprop")
        .is_some_and(|v| v.eq_ignore_ascii_case("articlebody"))
    {
        return None;
    }
    let hints = hint_text(value);
    if !hints.is_empty() && !STRONG_CONTENT_HINT.is_match(&hints) {
        if STRONG_BOILERPLATE.is_match(&hints) && !is_hinted_story(el, &hints) {
            return Some(Prune::StrongHint);
        }
        if WEAK_BOILERPLATE.is_match(&hints) && !CONTENT_HINT.is_match(&hints) {
            return Some(Prune::WeakHint);
        }
    }
    // Untagged widgets: a section whose first heading reads "Related stories", "Sign up"...
    if matches!(name, "section" | "div" | "ul" | "ol") && starts_with_widget_heading(el) {
        return Some(Prune::WidgetHeading);
    }
    if matches!(name, "ul" | "ol") && is_link_list(el) {
        return Some(Prune::LinkList);
    }
    None
}

impl Prune {
    /// Whether the reason is a guess from markup words (class, id, role, `<form>`) rather
    /// than a page-chrome tag or a fact about visibility. Such a guess never drops
    /// the element holding most of the container's text: page-wide wrappers are named
    /// `elementor-widget-wrap`, `header-style-2` or `non-ad-column`, and ASP.NET pages wrap
    /// everything in a `<form>`.
    fn is_markup_guess(self) -> bool {
        match self {
            Prune::Form | Prune::Role | Prune::StrongHint | Prune::WeakHint => true,
            Prune::ChromeTag | Prune::InvisibleTag | Prune::Hidden | Prune::StyleHidden => false,
            Prune::WidgetHeading | Prune::LinkList => false,
        }
    }

    /// A human-readable reason: `tag <aside>`, `class "related-stories" looks like related`,
    /// `role=dialog`, `heading "Related stories"`, `link-list`...
    fn describe(self, el: ElementRef<'_>) -> String {
        let value = el.value();
        match self {
            Prune::InvisibleTag => format!("invisible tag <{}>", value.name()),
            Prune::ChromeTag | Prune::Form => format!("tag <{}>", value.name()),
            Prune::Hidden => {
                if value.attr("hidden").is_some() {
                    "hidden attribute".to_owned()
                } else {
                    "aria-hidden=true".to_owned()
                }
            }
            Prune::StyleHidden => "style hides it".to_owned(),
            Prune::Role => format!("role={}", value.attr("role").unwrap_or_default().trim()),
            Prune::StrongHint => hint_reason(value, &STRONG_BOILERPLATE, ""),
            Prune::WeakHint => hint_reason(value, &WEAK_BOILERPLATE, " (layout word)"),
            Prune::WidgetHeading => {
                let text: String = el
                    .child_elements()
                    .next()
                    .map(|h| h.text().take(8).collect())
                    .unwrap_or_default();
                format!("heading \"{}\"", snippet(&text, 60))
            }
            Prune::LinkList => "link-list".to_owned(),
        }
    }
}

/// `class "related-stories" looks like related`: the first hint attribute the pattern
/// matches, and the matched word.
fn hint_reason(el: &scraper::node::Element, pattern: &Regex, suffix: &str) -> String {
    for name in [
        "class",
        "id",
        "role",
        "aria-label",
        "itemprop",
        "data-component",
    ] {
        let Some(v) = el.attr(name) else {
            continue;
        };
        let mut lower = v.to_lowercase();
        lower.push(' ');
        if let Some(m) = pattern.find(&lower) {
            let word = m
                .as_str()
                .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
            return format!(
                "{name} \"{}\" looks like {word}{suffix}",
                snippet(v.trim(), 60)
            );
        }
    }
    format!("class/id words{suffix}")
}

/// Whether an element whose class also names a widget word is really the story: an
/// `<article>` (or a `post`/`story`/`entry`-classed box) holding several long, unlinked
/// paragraphs, as in `<article class="newsletter-post post">` (newsletter platforms name
/// the issue itself after the newsletter). Teaser cards and signup boxes hold short deks.
fn is_hinted_story(el: ElementRef<'_>, hints: &str) -> bool {
    (el.value().name() == "article" || CONTENT_HINT.is_match(hints)) && has_story_paragraphs(el)
}

/// Whether `el` holds at least three long, mostly unlinked paragraphs: story text, not a
/// widget (teaser cards and signup boxes hold short deks).
fn has_story_paragraphs(el: ElementRef<'_>) -> bool {
    let mut long = 0usize;
    for p in el.descendants().filter_map(ElementRef::wrap) {
        if p.value().name() != "p" {
            continue;
        }
        let mut chars = 0usize;
        let mut linked = 0usize;
        for node in p.descendants() {
            if let Node::Text(t) = node.value() {
                let n = t.chars().count();
                chars += n;
                if node
                    .ancestors()
                    .take_while(|a| a.id() != p.id())
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"))
                {
                    linked += n;
                }
            }
        }
        if chars >= 120 && linked * 3 < chars {
            long += 1;
            if long >= 3 {
                return true;
            }
        }
    }
    false
}

/// Non-space characters of text under `el`, outside scripts, styles and templates.
fn visible_chars(el: ElementRef<'_>) -> usize {
    el.descendants()
        .filter_map(|n| {
            let t = n.value().as_text()?;
            let hidden = n
                .parent()
                .and_then(|p| p.value().as_element())
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "template" | "noscript"));
            (!hidden).then(|| t.chars().filter(|c| !c.is_whitespace()).count())
        })
        .sum()
}

/// Whether `el` holds at least half of `total_chars` (and enough text to be an article).
fn holds_most_text(el: ElementRef<'_>, total_chars: usize) -> bool {
    total_chars >= 200 && visible_chars(el) * 2 >= total_chars
}

/// A list whose every item is mostly a link (headline teasers, "more stories"), as opposed
/// to an article's bullet points, which are mostly plain text.
fn is_link_list(list: ElementRef<'_>) -> bool {
    let mut items = 0;
    for li in list.child_elements().filter(|c| c.value().name() == "li") {
        items += 1;
        let mut total = 0usize;
        let mut linked = 0usize;
        for node in li.descendants() {
            if let Node::Text(t) = node.value() {
                let n = t.chars().filter(|c| !c.is_whitespace()).count();
                total += n;
                if node
                    .ancestors()
                    .take_while(|a| a.id() != li.id())
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"))
                {
                    linked += n;
                }
            }
        }
        if total == 0 || linked * 10 < total * 4 {
            return false;
        }
    }
    items >= 2
}

fn starts_with_widget_heading(el: ElementRef<'_>) -> bool {
    let Some(first) = el.child_elements().next() else {
        return false;
    };
    if !is_heading(first.value().name()) {
        return false;
    }
    let text: String = first.text().take(8).collect();
    WIDGET_HEADING.is_match(&text)
}

/// At most this many dropped elements/blocks are reported per page.
pub(crate) const MAX_DROPPED: usize = 200;

/// At most this many `select` matches are reported per page.
const MAX_MATCHES: usize = 50;

/// Collects what main-content detection decided, for [`super::Extractor::explain_page`].
///
/// Passed as `Option<&mut Recorder>` through the same functions that extract, so an
/// explanation cannot disagree with the extraction; with `None` nothing is formatted.
pub(crate) struct Recorder {
    /// Document position of every element, by its address (see [`node_addr`]).
    order: HashMap<usize, usize>,
    /// Elements already reported (the scoring walk and the emitting walk both prune).
    seen: HashSet<usize>,
    /// (document position, entry).
    dropped: Vec<(usize, DroppedElement)>,
    /// Chosen container(s), when detected.
    pub(crate) chosen: Vec<ScoredContainer>,
    /// Best candidates not chosen, when detected.
    pub(crate) runners_up: Vec<ScoredContainer>,
    /// Paths of the outermost `select` matches (capped).
    pub(crate) matched: Vec<String>,
    /// Number of outermost `select` matches.
    pub(crate) matched_total: usize,
    /// Paths restored beside the library's article, when the library found it.
    pub(crate) library: Option<Vec<String>>,
    /// Why the library's article was not used, when it was not.
    pub(crate) library_failed: Option<String>,
}

impl Recorder {
    /// A recorder for one parsed page.
    pub(crate) fn new(doc: &Html) -> Recorder {
        let order = doc
            .tree
            .root()
            .descendants()
            .filter_map(|n| n.value().as_element())
            .enumerate()
            .map(|(i, e)| (std::ptr::from_ref(e).addr(), i))
            .collect();
        Recorder {
            order,
            seen: HashSet::new(),
            dropped: Vec::new(),
            chosen: Vec::new(),
            runners_up: Vec::new(),
            matched: Vec::new(),
            matched_total: 0,
            library: None,
            library_failed: None,
        }
    }

    fn position(&self, el: ElementRef<'_>) -> usize {
        self.order
            .get(&node_addr(el))
            .copied()
            .unwrap_or(usize::MAX)
    }

    /// An element dropped with everything inside it. Scripts, styles and elements without
    /// text are not listed: they never hold article text.
    fn record_element(&mut self, el: ElementRef<'_>, reason: Prune) {
        if !self.seen.insert(node_addr(el)) {
            return;
        }
        if matches!(el.value().name(), "script" | "style" | "template") {
            return;
        }
        let text = element_snippet(el);
        if text.is_empty() {
            return;
        }
        let entry = DroppedElement {
            path: css_path(el),
            scope: DropScope::Element,
            reason: reason.describe(el),
            text,
        };
        self.dropped.push((self.position(el), entry));
    }

    /// One text block (taken from `origin`) dropped from the chosen container.
    fn record_block(&mut self, origin: ElementRef<'_>, reason: String, text: &str) {
        let entry = DroppedElement {
            path: css_path(origin),
            scope: DropScope::TextBlock,
            reason,
            text: snippet(text, SNIPPET_CHARS),
        };
        self.dropped.push((self.position(origin), entry));
    }

    fn record_match(&mut self, el: ElementRef<'_>) {
        self.matched_total += 1;
        if self.matched.len() < MAX_MATCHES {
            self.matched.push(css_path(el));
        }
    }

    fn record_containers(&mut self, cands: &[Candidate<'_>], roots: &[ElementRef<'_>]) {
        let scored = |c: &Candidate<'_>| ScoredContainer {
            path: css_path(c.el),
            score: (final_score(c) * 100.0).round() / 100.0,
            text_chars: c.text_chars,
        };
        let root_addrs: HashSet<usize> = roots.iter().map(|&r| node_addr(r)).collect();
        self.chosen = roots
            .iter()
            .filter_map(|&r| cands.iter().find(|c| c.el == r))
            .map(scored)
            .collect();
        let mut others: Vec<&Candidate<'_>> = cands
            .iter()
            .filter(|c| c.score > 0.0 && !root_addrs.contains(&node_addr(c.el)))
            .collect();
        others.sort_by(|a, b| final_score(b).total_cmp(&final_score(a)));
        self.runners_up = others.into_iter().take(3).map(scored).collect();
    }

    /// A position to [`Recorder::rewind`] to.
    pub(crate) fn mark(&self) -> usize {
        self.dropped.len()
    }

    /// Forgets what was recorded since `mark` (a fallback that was not used, or a choice
    /// that was refused), so that a later walk reports its own drops.
    pub(crate) fn rewind(&mut self, mark: usize) {
        self.dropped.truncate(mark);
        self.seen.clear();
    }

    /// The dropped entries in page order, capped at [`MAX_DROPPED`], and how many there were.
    pub(crate) fn take_dropped(&mut self) -> (Vec<DroppedElement>, usize) {
        let mut dropped = std::mem::take(&mut self.dropped);
        let total = dropped.len();
        dropped.sort_by_key(|(pos, _)| *pos);
        dropped.truncate(MAX_DROPPED);
        (dropped.into_iter().map(|(_, d)| d).collect(), total)
    }
}

/// Characters of text shown for a dropped element or block.
const SNIPPET_CHARS: usize = 80;

/// The first [`SNIPPET_CHARS`] characters of an element's text, whitespace collapsed, with
/// a space where a block element starts ("Related stories Initech signs...").
fn element_snippet(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    let mut shown = 0usize;
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => {
                raw.push_str(t);
                shown += t.chars().filter(|c| !c.is_whitespace()).count();
            }
            Node::Element(e) if is_block_tag(e.name()) || e.name() == "br" => raw.push(' '),
            _ => {}
        }
        // Enough once there is more text than shown (or a lot of whitespace).
        if shown > SNIPPET_CHARS || raw.len() > 4096 {
            break;
        }
    }
    snippet(&raw, SNIPPET_CHARS)
}

/// `text` with whitespace collapsed, cut to `max` characters (with `…` if cut).
fn snippet(text: &str, max: usize) -> String {
    let text = collapse_ws(text);
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

/// A short CSS-like path to an element below `<body>`: `main > article > div.story-body`
/// (tag, `#id`, up to two classes; at most five steps, `… >` when cut).
pub(crate) fn css_path(el: ElementRef<'_>) -> String {
    const MAX_STEPS: usize = 5;
    let mut steps: Vec<String> = Vec::new();
    let mut cut = false;
    for node in std::iter::once(*el).chain(el.ancestors()) {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        if matches!(e.name(), "html" | "body") && !steps.is_empty() {
            break;
        }
        if steps.len() == MAX_STEPS {
            cut = true;
            break;
        }
        let mut step = e.name().to_owned();
        if let Some(id) = e.id().filter(|id| id.len() <= 40) {
            step.push('#');
            step.push_str(id);
        }
        for class in e.classes().take(2) {
            step.push('.');
            step.push_str(class);
        }
        steps.push(step);
    }
    if cut {
        steps.push("…".to_owned());
    }
    steps.reverse();
    steps.join(" > ")
}

/// Score bookkeeping for one element during container selection.
struct Candidate<'a> {
    el: ElementRef<'a>,
    score: f64,
    text_chars: usize,
    link_chars: usize,
}

/// Text length, link-text length and comma count of an element, boilerplate excluded.
#[derive(Default, Clone, Copy)]
struct Stats {
    chars: usize,
    link_chars: usize,
    commas: usize,
}

/// Chooses the article container(s) and returns their blocks.
pub fn main_blocks(doc: &Html) -> Vec<Block> {
    main_blocks_traced(doc, None)
}

/// [`main_blocks`], reporting its decisions to `rec` if given.
pub(crate) fn main_blocks_traced(doc: &Html, mut rec: Option<&mut Recorder>) -> Vec<Block> {
    let root = body_of(doc);
    let mut cands: Vec<Candidate<'_>> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    score_walk(root, &mut cands, &mut stack, false, 0, rec.as_deref_mut());
    let best = cands
        .iter()
        .enumerate()
        .filter(|(_, c)| c.score > 0.0)
        .map(|(i, c)| (i, final_score(c)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let Some((best_idx, best_score)) = best else {
        return Vec::new();
    };
    let threshold = (best_score * 0.2).max(10.0);
    let by_addr: HashMap<usize, usize> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (node_addr(c.el), i))
        .collect();
    // Readability's sibling step: article bodies split over sibling containers.
    let joins = |sib: ElementRef<'_>| {
        by_addr
            .get(&node_addr(sib))
            .map(|&i| &cands[i])
            .is_some_and(|c| c.score > 0.0 && final_score(c) >= threshold && link_density(c) < 0.25)
    };
    let top = widen_top(cands[best_idx].el, best_idx, best_score, &cands, &joins);
    let mut roots = vec![top];
    if let Some(parent) = top.parent().and_then(ElementRef::wrap) {
        roots.clear();
        for sib in parent.child_elements() {
            // A summary box next to the body is story text even when it scores low.
            let summary =
                SUMMARY_BOX.is_match(&hint_text(sib.value())) && prune_reason(sib).is_none();
            if sib == top || joins(sib) || summary {
                roots.push(sib);
            }
        }
    }
    if let Some(rec) = rec.as_deref_mut() {
        rec.record_containers(&cands, &roots);
    }
    let mut out = Vec::new();
    for &r in &roots {
        emit_root(r, &mut out, Walk::Container, rec.as_deref_mut());
    }
    clean_blocks(out, rec)
}

/// How many comparable candidates outside the best one make their common ancestor the
/// article (readability's rule): entries of a live blog, cards of a split story.
const MIN_ALTERNATIVES: usize = 3;

/// Widens the best-scoring container when the story is spread over several elements:
/// an only child becomes its parent (so the sibling step sees the parent's siblings, as
/// with a story in consecutive `<section>`s), and an ancestor that holds at least
/// [`MIN_ALTERNATIVES`] other near-best candidates (≥ 75 %) replaces it, as with live-blog
/// entries that each carry their own wrapper. `<body>` is never chosen this way. `joins`
/// says whether a sibling would be merged by the sibling step.
fn widen_top<'a>(
    top: ElementRef<'a>,
    best_idx: usize,
    best_score: f64,
    cands: &[Candidate<'a>],
    joins: &dyn Fn(ElementRef<'_>) -> bool,
) -> ElementRef<'a> {
    let is_page_root = |e: ElementRef<'_>| matches!(e.value().name(), "body" | "html");
    let top_addr = node_addr(top);
    let top_ancestors: HashSet<usize> = top
        .ancestors()
        .filter_map(ElementRef::wrap)
        .map(node_addr)
        .collect();
    // Near-best candidates that are neither inside nor around the best one; the five best.
    let mut alternatives: Vec<(&Candidate<'a>, f64)> = cands
        .iter()
        .enumerate()
        .filter(|&(i, c)| i != best_idx && c.score > 0.0)
        .map(|(_, c)| (c, final_score(c)))
        .filter(|&(c, score)| {
            score >= best_score * 0.75
                && !top_ancestors.contains(&node_addr(c.el))
                && !c
                    .el
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| node_addr(a) == top_addr)
        })
        .collect();
    alternatives.sort_by(|a, b| b.1.total_cmp(&a.1));
    alternatives.truncate(5);
    if alternatives.len() >= MIN_ALTERNATIVES {
        let alt_ancestors: Vec<HashSet<usize>> = alternatives
            .iter()
            .map(|(c, _)| {
                c.el.ancestors()
                    .filter_map(ElementRef::wrap)
                    .map(node_addr)
                    .collect()
            })
            .collect();
        for anc in top.ancestors().filter_map(ElementRef::wrap) {
            if is_page_root(anc) {
                break;
            }
            let addr = node_addr(anc);
            if alt_ancestors.iter().filter(|a| a.contains(&addr)).count() >= MIN_ALTERNATIVES {
                return anc;
            }
        }
    }
    let mut climbed = top;
    while let Some(parent) = climbed.parent().and_then(ElementRef::wrap) {
        if is_page_root(parent) || parent.child_elements().nth(1).is_some() {
            break;
        }
        climbed = parent;
    }
    // Climbing only matters when the wrapper has story siblings to join.
    let has_story_sibling = climbed
        .parent()
        .and_then(ElementRef::wrap)
        .is_some_and(|p| p.child_elements().any(|sib| sib != climbed && joins(sib)));
    if has_story_sibling { climbed } else { top }
}

/// The blocks of every element matching `selector` (outermost matches only), in page order.
pub fn selected_blocks(doc: &Html, selector: &Selector) -> Vec<Block> {
    selected_blocks_traced(doc, selector, None)
}

/// [`selected_blocks`], reporting the matches and what was dropped to `rec` if given.
pub(crate) fn selected_blocks_traced(
    doc: &Html,
    selector: &Selector,
    mut rec: Option<&mut Recorder>,
) -> Vec<Block> {
    let mut out = Vec::new();
    // Matches come in document order, so a match nested in an earlier one is always inside
    // the last outermost match: checking that one keeps this linear.
    let mut last_root: Option<ElementRef<'_>> = None;
    for el in doc.select(selector) {
        let nested = last_root.is_some_and(|root| {
            el.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a == root)
        });
        if !nested {
            if let Some(rec) = rec.as_deref_mut() {
                rec.record_match(el);
            }
            emit_root(el, &mut out, Walk::Container, rec.as_deref_mut());
            last_root = Some(el);
        }
    }
    clean_blocks(out, rec)
}

/// An article the library found with less text than this is never refused: too little to
/// tell furniture from a short page.
const MIN_REFUSED_CHARS: usize = 200;

/// The blocks of the article the Readability port found (`fragment`, see `article.rs`), plus
/// the text blocks it left out beside it in the page (`doc`), through the same boilerplate
/// layers as a detected container.
///
/// Readability keeps the best container and the siblings that score as prose; a "Key terms"
/// list, an "At a glance" box or a term table next to the story scores as neither, and that
/// is exactly where announcements state their terms. So every block of the page that sits
/// inside the smallest element holding all of the library's article (found by text, as the
/// library rewrites its output) and survives the boilerplate rules is put back in page
/// order. Returns the blocks and the paths of the elements restored, or why the library's
/// article is refused.
pub(crate) fn library_article_blocks(
    doc: &Html,
    fragment: &Html,
    mut rec: Option<&mut Recorder>,
) -> Result<(Vec<Block>, Vec<String>), String> {
    let mut lib = Vec::new();
    emit_root(fragment.root_element(), &mut lib, Walk::Article, None);
    // The explanation speaks of the page, not of the library's rewritten copy: what the
    // page walk prunes, and the page's blocks that end up in neither part.
    let mut page = Vec::new();
    emit_root(body_of(doc), &mut page, Walk::Article, rec.as_deref_mut());
    // The same page without class and id hints: what is left is text outside asides,
    // footers and dialogs.
    let mut bare = Vec::new();
    emit_root(body_of(doc), &mut bare, Walk::Structure, None);
    let page_texts: HashSet<&str> = page.iter().map(|(b, _)| b.text.as_str()).collect();
    let bare_texts: HashSet<&str> = bare.iter().map(|(b, _)| b.text.as_str()).collect();
    // The library always picks something. When the article itself is gone (an unrendered
    // template), it picks the related-stories rail or the footer: an article that is mostly
    // text inside page furniture is refused.
    let (mut lib_chars, mut confirmed) = (0usize, 0usize);
    for (b, _) in lib.iter().filter(|(b, _)| b.kind != BlockKind::Heading) {
        lib_chars += b.text.len();
        let text = b.text.as_str();
        if page_texts.contains(text) || bare_texts.contains(text) {
            confirmed += b.text.len();
        }
    }
    if confirmed * 2 < lib_chars && lib_chars >= MIN_REFUSED_CHARS {
        return Err(format!(
            "the library's article is mostly page furniture ({confirmed} of {lib_chars} \
             characters are text outside the page's asides, footers and dialogs)"
        ));
    }
    // Readability may take a widget beside the story as a sibling of it (a newsletter box):
    // a block the page has only inside an element its widget rules drop is not article text.
    // Blocks the library rewrote (not found in the page at all) stay.
    // When such blocks are most of the article, the page's class names are what is wrong
    // (the story itself sits in `popup`-classed boxes), and nothing is dropped.
    let is_widget = |b: &Block| {
        let text = b.text.as_str();
        !page_texts.contains(text) && bare_texts.contains(text)
    };
    let widget_chars: usize = lib
        .iter()
        .filter(|(b, _)| is_widget(b))
        .map(|(b, _)| b.text.len())
        .sum();
    let lib = if widget_chars * 2 > lib_chars {
        lib
    } else {
        let mut taken = Vec::with_capacity(lib.len());
        for (b, origin) in lib {
            if !is_widget(&b) {
                taken.push((b, origin));
            } else if let Some(rec) = rec.as_deref_mut() {
                rec.record_block(origin, "widget beside the article".to_owned(), &b.text);
            }
        }
        taken
    };
    let restored = left_out_blocks(&lib, &page);
    let mut paths = Vec::new();
    if let Some(rec) = rec.as_deref_mut() {
        paths = restored.iter().map(|&i| css_path(page[i].1)).collect();
        paths.dedup();
        let kept: HashSet<&str> = lib.iter().map(|(b, _)| b.text.as_str()).collect();
        for (i, (b, origin)) in page.iter().enumerate() {
            if !kept.contains(b.text.as_str()) && restored.binary_search(&i).is_err() {
                rec.record_block(*origin, "outside the library's article".to_owned(), &b.text);
            }
        }
    }
    // Each restored block goes after the library block that precedes it in the page.
    let lib_pos: HashMap<&str, usize> = lib
        .iter()
        .enumerate()
        .map(|(i, (b, _))| (b.text.as_str(), i))
        .collect();
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); lib.len() + 1];
    let mut anchor = 0usize; // 0: before the first library block
    let mut next = restored.iter().peekable();
    for (i, (b, _)) in page.iter().enumerate() {
        if let Some(&pos) = lib_pos.get(b.text.as_str()) {
            anchor = pos + 1;
        }
        if next.peek() == Some(&&i) {
            after[anchor].push(i);
            next.next();
        }
    }
    let mut merged: Vec<(Block, ElementRef<'_>)> = Vec::with_capacity(lib.len() + restored.len());
    let page_block = |i: usize| (page[i].0.clone(), page[i].1);
    merged.extend(after[0].iter().map(|&i| page_block(i)));
    for (pos, entry) in lib.into_iter().enumerate() {
        merged.push(entry);
        merged.extend(after[pos + 1].iter().map(|&i| page_block(i)));
    }
    Ok((clean_blocks(merged, rec), paths))
}

/// Indexes (into `page`) of the blocks to restore, in page order: the blocks of the sibling
/// elements next to the article's container (the smallest element holding every page block
/// the library kept), walking away from it in both directions while the siblings read as
/// prose (at least one block of six words or more, little link text) or are headings
/// followed by such prose. The first sibling that is neither ends the walk on its side, so a
/// comment thread or a teaser grid after the story stops it. Pruned siblings (chrome,
/// widgets) hold no blocks and are stepped over.
fn left_out_blocks(
    lib: &[(Block, ElementRef<'_>)],
    page: &[(Block, ElementRef<'_>)],
) -> Vec<usize> {
    let kept: HashSet<&str> = lib.iter().map(|(b, _)| b.text.as_str()).collect();
    let matched: Vec<usize> = (0..page.len())
        .filter(|&i| kept.contains(page[i].0.text.as_str()))
        .collect();
    if matched.is_empty() || matched.len() * 2 < lib.len() {
        return Vec::new();
    }
    let Some(top) = common_ancestor(matched.iter().map(|&i| page[i].1)) else {
        return Vec::new();
    };
    let blocks_in = |el: ElementRef<'_>| -> Vec<usize> {
        (0..page.len())
            .filter(|&i| {
                let origin = page[i].1;
                origin == el || origin.ancestors().any(|a| a.id() == el.id())
            })
            .filter(|&i| !kept.contains(page[i].0.text.as_str()))
            .collect()
    };
    let mut out = Vec::new();
    // A box of terms is short beside its story; a sibling as long as the story is another
    // story (a live ticker, the next article), so the restored text stays within this.
    let budget: usize = lib.iter().map(|(b, _)| b.text.len()).sum::<usize>() / 2;
    let mut spent = 0usize;
    let mut top = top;
    // Climb through wrappers that hold nothing else (`div.post-body > section`): the first
    // level with other content is where the story's siblings are; climbing stops there.
    for _ in 0..MAX_RESTORE_LEVELS {
        if matches!(top.value().name(), "body" | "html") {
            break;
        }
        let Some(parent) = top.parent().and_then(ElementRef::wrap) else {
            break;
        };
        let siblings: Vec<ElementRef<'_>> = parent.child_elements().collect();
        let at = siblings.iter().position(|&c| c == top).unwrap_or(0);
        let after: Vec<ElementRef<'_>> = siblings[at + 1..].to_vec();
        let before: Vec<ElementRef<'_>> = siblings[..at].iter().rev().copied().collect();
        let mut edge = false;
        for side in [after, before] {
            let mut pending: Vec<usize> = Vec::new();
            for sib in side {
                let blocks = blocks_in(sib);
                if blocks.is_empty() {
                    continue;
                }
                edge = true;
                if blocks.iter().all(|&i| page[i].0.kind == BlockKind::Heading) {
                    pending.extend(blocks);
                    continue;
                }
                spent += blocks.iter().map(|&i| page[i].0.text.len()).sum::<usize>();
                if spent > budget || !is_prose(&blocks, page) {
                    break;
                }
                out.append(&mut pending);
                out.extend(blocks);
            }
        }
        if edge {
            break;
        }
        top = parent;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How many levels above the article's container [`left_out_blocks`] looks for siblings.
const MAX_RESTORE_LEVELS: usize = 3;

/// Whether these blocks read as article prose: most are sentences, and they are not mostly
/// link text (checked on the page, where links are known, by block origin).
fn is_prose(blocks: &[usize], page: &[(Block, ElementRef<'_>)]) -> bool {
    // Most text blocks are sentences: six words or more, ending like a sentence. Headline
    // lists and "happening now" tickers are not.
    let (mut texts, mut sentences) = (0usize, 0usize);
    for &i in blocks {
        let b = &page[i].0;
        if b.kind == BlockKind::Heading {
            continue;
        }
        texts += 1;
        let ends = b
            .text
            .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
        if b.text.split_whitespace().count() >= 6 && ends.ends_with(['.', '!', '?', ';', ':']) {
            sentences += 1;
        }
    }
    if sentences == 0 || sentences * 2 < texts {
        return false;
    }
    let (mut chars, mut linked) = (0usize, 0usize);
    for &i in blocks {
        let origin = page[i].1;
        let s = text_stats_of(origin);
        chars += s.chars;
        linked += s.link_chars;
    }
    linked * 4 < chars
}

/// Text and link-text characters under an element.
fn text_stats_of(el: ElementRef<'_>) -> Stats {
    let mut stats = Stats::default();
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            let in_link = node
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"));
            let s = text_stats(t, in_link);
            stats.chars += s.chars;
            stats.link_chars += s.link_chars;
        }
    }
    stats
}

/// The smallest element holding all of `els` (the element itself for one).
fn common_ancestor<'a>(mut els: impl Iterator<Item = ElementRef<'a>>) -> Option<ElementRef<'a>> {
    let first = els.next()?;
    let chain = |el: ElementRef<'a>| {
        let mut ids: Vec<ElementRef<'a>> = el.ancestors().filter_map(ElementRef::wrap).collect();
        ids.reverse();
        ids.push(el);
        ids
    };
    let mut common = chain(first);
    for el in els {
        let other = chain(el);
        let same = common
            .iter()
            .zip(&other)
            .take_while(|(a, b)| a.id() == b.id())
            .count();
        common.truncate(same);
    }
    common.pop()
}

/// The `articleBody` of a JSON-LD `Article`/`NewsArticle` block, as paragraph blocks.
///
/// Used as a fallback when the rendered page has (almost) no article text, as on
/// client-rendered pages whose HTML only carries structured data.
pub fn json_ld_blocks(doc: &Html) -> Vec<Block> {
    json_ld_blocks_traced(doc, None)
}

/// [`json_ld_blocks`], reporting dropped paragraphs to `rec` if given.
pub(crate) fn json_ld_blocks_traced(doc: &Html, rec: Option<&mut Recorder>) -> Vec<Block> {
    static LD: LazyLock<Selector> = LazyLock::new(|| {
        Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid selector")
    });
    let mut out = Vec::new();
    for script in doc.select(&LD) {
        let raw: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&raw) else {
            continue;
        };
        let mut bodies = Vec::new();
        find_article_bodies(&value, &mut bodies, 0);
        for body in bodies {
            // Some publishers put HTML in articleBody; reduce it to text first.
            let text = if body.contains('<') {
                Html::parse_fragment(body)
                    .root_element()
                    .text()
                    .collect::<String>()
            } else {
                body.to_owned()
            };
            for para in text.split(['\n', '\r']) {
                let para = collapse_ws(para);
                if !para.is_empty() {
                    out.push((
                        Block {
                            kind: BlockKind::Paragraph,
                            text: para,
                        },
                        script,
                    ));
                }
            }
        }
    }
    clean_blocks(out, rec)
}

fn find_article_bodies<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                if k == "articleBody"
                    && let Some(s) = child.as_str()
                {
                    out.push(s);
                } else {
                    find_article_bodies(child, out, depth + 1);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                find_article_bodies(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The page title: `<title>`, else the first `<h1>`.
pub fn title(doc: &Html) -> Option<String> {
    static TITLE: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("title").expect("valid selector"));
    static H1: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("h1").expect("valid selector"));
    for sel in [&*TITLE, &*H1] {
        if let Some(el) = doc.select(sel).next() {
            let t = collapse_ws(&el.text().collect::<String>());
            if !t.is_empty() {
                return Some(t);
            }
        }
    }
    None
}

fn body_of(doc: &Html) -> ElementRef<'_> {
    static BODY: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("body").expect("valid selector"));
    doc.select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element())
}

/// Identity of an element for lookups (its address in the parsed tree).
fn node_addr(el: ElementRef<'_>) -> usize {
    std::ptr::from_ref(el.value()).addr()
}

fn link_density(c: &Candidate<'_>) -> f64 {
    if c.text_chars == 0 {
        return 1.0;
    }
    c.link_chars as f64 / c.text_chars as f64
}

fn final_score(c: &Candidate<'_>) -> f64 {
    c.score * (1.0 - link_density(c))
}

/// Initial bias of a container from its tag and class/id words.
fn base_score(el: ElementRef<'_>) -> f64 {
    let value = el.value();
    let mut s: f64 = match value.name() {
        "article" | "main" => 10.0,
        "div" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" | "address" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    let hints = hint_text(value);
    if value
        .attr("itemprop")
        .is_some_and(|v| v.eq_ignore_ascii_case("articlebody"))
        || STRONG_CONTENT_HINT.is_match(&hints)
    {
        s += 30.0;
    } else if CONTENT_HINT.is_match(&hints) {
        s += 10.0;
    }
    s
}

/// Whether an element holds paragraph text: `p`, list items, quotes, cells, and `div`s
/// without block children (many CMSs use bare divs as paragraphs).
fn is_paragraph_like(el: ElementRef<'_>) -> bool {
    match el.value().name() {
        "p" | "li" | "blockquote" | "pre" | "td" | "dd" => true,
        "div" | "section" => !el.child_elements().any(|c| is_block_tag(c.value().name())),
        _ => false,
    }
}

/// Post-order walk computing text statistics and distributing paragraph scores upward.
fn score_walk<'a>(
    el: ElementRef<'a>,
    cands: &mut Vec<Candidate<'a>>,
    stack: &mut Vec<usize>,
    in_link: bool,
    depth: usize,
    mut rec: Option<&mut Recorder>,
) -> Stats {
    let idx = cands.len();
    cands.push(Candidate {
        el,
        score: 0.0,
        text_chars: 0,
        link_chars: 0,
    });
    let in_link = in_link || el.value().name() == "a";
    let mut stats = Stats::default();
    if depth >= MAX_DEPTH {
        let text: String = el.text().collect();
        stats = text_stats(&text, in_link);
    } else {
        stack.push(idx);
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    let s = text_stats(t, in_link);
                    stats.chars += s.chars;
                    stats.link_chars += s.link_chars;
                    stats.commas += s.commas;
                }
                Node::Element(_) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if let Some(reason) = prune_reason(c) {
                        if let Some(rec) = rec.as_deref_mut() {
                            rec.record_element(c, reason);
                        }
                    } else {
                        let s = score_walk(c, cands, stack, in_link, depth + 1, rec.as_deref_mut());
                        stats.chars += s.chars;
                        stats.link_chars += s.link_chars;
                        stats.commas += s.commas;
                    }
                }
                _ => {}
            }
        }
        stack.pop();
    }
    cands[idx].text_chars = stats.chars;
    cands[idx].link_chars = stats.link_chars;
    if stats.chars >= 25 && is_paragraph_like(el) {
        let density = stats.link_chars as f64 / stats.chars as f64;
        let content =
            (1.0 + stats.commas as f64 + (stats.chars as f64 / 100.0).min(3.0)) * (1.0 - density);
        for (level, &anc) in stack.iter().rev().take(3).enumerate() {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                _ => level as f64 * 3.0,
            };
            if cands[anc].score == 0.0 {
                cands[anc].score = base_score(cands[anc].el).max(0.1);
            }
            cands[anc].score += content / divider;
        }
    }
    stats
}

fn text_stats(t: &str, in_link: bool) -> Stats {
    let chars = t.chars().filter(|c| !c.is_whitespace()).count();
    Stats {
        chars,
        link_chars: if in_link { chars } else { 0 },
        commas: t.matches(',').count(),
    }
}

/// Accumulates inline text into blocks while walking a container.
struct Emitter<'a> {
    blocks: Vec<RawBlock<'a>>,
    cur: String,
    cur_link: usize,
    kind: BlockKind,
    /// The block element the current text belongs to (for explanations).
    origin: ElementRef<'a>,
    /// Characters of text in the whole container being walked; an element holding at least
    /// half of them is never dropped for a class, id or tag word (see [`holds_most_text`]).
    total_chars: usize,
    /// Inside the library's article, a class or id word alone does not drop a section that
    /// holds story paragraphs (`id="sharing-with-a-partner"` is a heading's anchor there).
    trust_story: bool,
    /// Class and id words drop nothing ([`Walk::Structure`]).
    trust_hints: bool,
}

struct RawBlock<'a> {
    kind: BlockKind,
    text: String,
    link_chars: usize,
    origin: ElementRef<'a>,
}

impl Emitter<'_> {
    fn flush(&mut self) {
        let text = collapse_ws(&self.cur);
        if !text.is_empty() {
            // An FAQ's question term ("<dt>Is the deal exclusive?</dt>") asks; its `<dd>`
            // answers. The question is a heading, not a statement of terms.
            let kind = if self.kind == BlockKind::ListItem
                && self.origin.value().name() == "dt"
                && text.ends_with('?')
            {
                BlockKind::Heading
            } else {
                self.kind
            };
            self.blocks.push(RawBlock {
                kind,
                text,
                link_chars: self.cur_link,
                origin: self.origin,
            });
        }
        self.cur.clear();
        self.cur_link = 0;
    }

    fn push_text(&mut self, t: &str, in_link: bool) {
        self.cur.push_str(t);
        if in_link {
            self.cur_link += t.chars().filter(|c| !c.is_whitespace()).count();
        }
    }
}

/// How [`emit_root`] walks a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    /// A container chosen here: blocks that are mostly link text are navigation or teasers.
    Container,
    /// The library's article (or the page, to compare with it): the library already judged
    /// link density, so a linked sentence ("Acme <a>grants Globex a licence</a> ...") is
    /// text, and a class or id word alone does not drop a section holding story paragraphs.
    Article,
    /// As `Article`, and class or id words drop nothing: only tags, roles and visibility
    /// count. Tells page furniture (`<aside>`, `<footer>`, dialogs) from text that only a
    /// class name made look like a widget.
    Structure,
}

/// A mostly-linked block of at least this many words is a sentence (see [`Walk::Article`]).
const MIN_LINKED_SENTENCE_WORDS: usize = 5;

/// Walks one container into raw blocks, each with the element it came from.
fn emit_root<'a>(
    root: ElementRef<'a>,
    out: &mut Vec<(Block, ElementRef<'a>)>,
    walk: Walk,
    mut rec: Option<&mut Recorder>,
) {
    let mut em = Emitter {
        blocks: Vec::new(),
        cur: String::new(),
        cur_link: 0,
        kind: BlockKind::Paragraph,
        origin: root,
        total_chars: visible_chars(root),
        trust_story: walk == Walk::Article,
        trust_hints: walk == Walk::Structure,
    };
    emit(root, &mut em, false, false, 0, rec.as_deref_mut());
    em.flush();
    for b in em.blocks {
        let chars = b.text.chars().filter(|c| !c.is_whitespace()).count();
        // Blocks that are mostly link text are navigation or teasers ("Read more: ...").
        let mostly_links = b.kind != BlockKind::Heading && chars > 0 && b.link_chars * 2 > chars;
        let sentence = b.text.split_whitespace().count() >= MIN_LINKED_SENTENCE_WORDS;
        if mostly_links && (walk == Walk::Container || !sentence) {
            if let Some(rec) = rec.as_deref_mut() {
                rec.record_block(b.origin, "mostly link text".to_owned(), &b.text);
            }
            continue;
        }
        out.push((
            Block {
                kind: b.kind,
                text: b.text,
            },
            b.origin,
        ));
    }
}

/// `atomic` is true inside a list item or heading: inner block boundaries become spaces
/// so the item stays one unit.
fn emit<'a>(
    el: ElementRef<'a>,
    em: &mut Emitter<'a>,
    in_link: bool,
    atomic: bool,
    depth: usize,
    mut rec: Option<&mut Recorder>,
) {
    let name = el.value().name();
    let in_link = in_link || name == "a";
    if depth >= MAX_DEPTH {
        let text: String = el.text().collect();
        em.push_text(&text, in_link);
        em.push_text(" ", false);
        return;
    }
    let block = is_block_tag(name);
    let saved_kind = em.kind;
    let saved_origin = em.origin;
    let mut child_atomic = atomic;
    if block {
        if atomic {
            if matches!(name, "ul" | "ol") {
                // A nested list ends the item's own text; its items are units of their own.
                em.flush();
                child_atomic = false;
            } else {
                em.push_text(" ", false);
            }
        } else {
            em.flush();
            em.origin = el;
            // A disclosure's `<summary>` is its label ("How big is the deal?").
            if is_heading(name) || name == "summary" {
                em.kind = BlockKind::Heading;
                child_atomic = true;
            } else if name == "li" || name == "dt" {
                em.kind = BlockKind::ListItem;
                child_atomic = true;
            } else {
                em.kind = BlockKind::Paragraph;
            }
        }
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => em.push_text(t, in_link),
            Node::Element(e) => {
                if e.name() == "br" {
                    if child_atomic
                        || is_soft_wrap(
                            &em.cur,
                            child.next_sibling().and_then(|n| n.value().as_text()),
                        )
                    {
                        em.push_text(" ", false);
                    } else {
                        em.flush();
                    }
                    continue;
                }
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                let reason = prune_reason(c).filter(|&r| {
                    let hint = matches!(r, Prune::StrongHint | Prune::WeakHint);
                    !(em.trust_hints && hint
                        || r.is_markup_guess() && holds_most_text(c, em.total_chars)
                        || em.trust_story
                            && matches!(r, Prune::StrongHint | Prune::WeakHint)
                            && has_story_paragraphs(c))
                });
                if let Some(reason) = reason {
                    if let Some(rec) = rec.as_deref_mut() {
                        rec.record_element(c, reason);
                    }
                } else {
                    emit(c, em, in_link, child_atomic, depth + 1, rec.as_deref_mut());
                }
            }
            _ => {}
        }
    }
    if block {
        if atomic && !matches!(name, "ul" | "ol") {
            em.push_text(" ", false);
        } else {
            em.flush();
        }
        em.kind = saved_kind;
        em.origin = saved_origin;
    }
}

/// Whether a `<br>` only wraps a line inside a sentence, as in PDF-to-HTML conversions: the
/// text before it ends in a lowercase letter or comma and the text after it starts with a
/// lowercase word. Address-style lines ("Jane Doe<br>Acme<br>press@acme.example") stay apart.
fn is_soft_wrap(before: &str, next: Option<&scraper::node::Text>) -> bool {
    let ends_mid_sentence = before
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c.is_lowercase() || c == ',');
    if !ends_mid_sentence {
        return false;
    }
    let Some(next) = next else {
        return false;
    };
    let word = next.split_whitespace().next().unwrap_or("");
    word.chars().next().is_some_and(char::is_lowercase)
        && word
            .trim_end_matches([',', '.', ';', ':'])
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '\u{2019}')
}

/// Lines that open a non-article section ("About Acme", "Forward-Looking Statements",
/// "Media contact"); everything up to the next ordinary heading is dropped.
static SECTION_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:forward[- ]looking\s+statements?|cautionary\s+(?:note|statement|language)|safe\s+harbor|media\s+(?:contacts?|inquiries|enquiries|relations)|press\s+(?:contacts?|inquiries|enquiries)|investor\s+(?:contacts?|relations)|contacts?\s*:?\s*$|for\s+(?:media|press|further)\s+(?:inquiries|information|enquiries)|notes?\s+to\s+editors?|editor'?s\s+notes?|disclaimer|related\s+(?:links|stories|articles|news|content)|additional\s+resources|follow\s+us|tags\s*:|topics\s*:|filed\s+under)",
    )
    .expect("valid regex")
});

/// Single blocks that are page furniture whatever their container.
static FURNITURE_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:tags?\s*:|topics?\s*:|filed\s+under|related\s*:|read\s+more\b|see\s+also\s*:|also\s+read\s*:|more\s*:|share\s+(?:this|on)\b|follow\s+us\b|sign\s+up\b|subscribe\b|advertisement$|sponsored\b|media\s+contacts?\b|press\s+contacts?\b|contacts?\s*:|source\s*:|source\s+\S+$|image\s*(?:credit|source)?\s*:|photo\s*(?:credit)?\s*:|credits?\s*:|copyright\b|©|\(c\)\s*\d{4}|all\s+rights\s+reserved|click\s+here\b|listen\s+to\s+this|this\s+(?:story|article)\s+(?:first\s+)?(?:appeared|was\s+originally)|please\s+(?:enable|refresh)|we\s+are\s+having\s+trouble|editor[\x{2019}']?s\s+note\s*:|disclosure\s*:|watch\s*:|watch\s+now\b|video\s*:|listen\s*:)",
    )
    .expect("valid regex")
});

/// Paragraphs that are legal or promotional boilerplate wherever they sit.
static BOILERPLATE_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)forward[- ]looking\s+statements|safe\s+harbor\s+provisions|private\s+securities\s+litigation\s+reform\s+act|we\s+(?:use|and\s+our\s+\d*\s*partners\s+(?:use|store))\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|(?:sign\s+up|subscribe)\s+(?:for|to|now|today)\s+(?:our|the)\b[^.]{0,40}\bnewsletter|delivered\s+(?:straight\s+)?to\s+your\s+inbox|join\s+our\s+(?:mailing|email)\s+list|enable\s+javascript",
    )
    .expect("valid regex")
});

/// Unrendered template markup (`{{ body | safe }}`, `{% block %}`, `<%= body %>`, `${body}`).
static TEMPLATE_PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|\$\{[^}]*\}|\[\[[^\]]*\]\]").expect("valid regex")
});

/// Drops placeholders, furniture lines and "About"/legal sections from the block list.
/// Each block comes with the element it was taken from, which `rec` (if given) reports.
fn clean_blocks(
    blocks: Vec<(Block, ElementRef<'_>)>,
    mut rec: Option<&mut Recorder>,
) -> Vec<Block> {
    let mut out = Vec::new();
    let mut skipping = false;
    // What opened the section being skipped; only tracked when explaining.
    let mut section = String::new();
    for (mut b, origin) in blocks {
        if TEMPLATE_PLACEHOLDER.is_match(&b.text) {
            let before = rec.is_some().then(|| b.text.clone());
            b.text = collapse_ws(&TEMPLATE_PLACEHOLDER.replace_all(&b.text, " "));
            if b.text.is_empty() {
                if let (Some(rec), Some(before)) = (rec.as_deref_mut(), before) {
                    rec.record_block(origin, "template placeholder".to_owned(), &before);
                }
                continue;
            }
        }
        let short = b.text.chars().count() <= 80;
        let opener = ((b.kind == BlockKind::Heading || short) && SECTION_OPENER.is_match(&b.text))
            || is_about_heading(&b);
        if opener {
            skipping = true;
            if let Some(rec) = rec.as_deref_mut() {
                section = match SECTION_OPENER.find(&b.text) {
                    Some(m) if b.kind == BlockKind::Heading || short => m
                        .as_str()
                        .trim_end_matches(|c: char| c == ':' || c.is_whitespace())
                        .to_lowercase(),
                    _ => "About section".to_owned(),
                };
                rec.record_block(origin, section.clone(), &b.text);
            }
            continue;
        }
        if skipping {
            if b.kind == BlockKind::Heading {
                skipping = false;
            } else {
                if let Some(rec) = rec.as_deref_mut() {
                    rec.record_block(origin, format!("inside {section}"), &b.text);
                }
                continue;
            }
        }
        if FURNITURE_BLOCK.is_match(&b.text) || BOILERPLATE_PARAGRAPH.is_match(&b.text) {
            if let Some(rec) = rec.as_deref_mut() {
                let reason = match FURNITURE_BLOCK.find(&b.text) {
                    Some(m) => format!("furniture \"{}\"", m.as_str().trim()),
                    None => BOILERPLATE_PARAGRAPH
                        .find(&b.text)
                        .map(|m| m.as_str().to_lowercase())
                        .unwrap_or_default(),
                };
                rec.record_block(origin, reason, &b.text);
            }
            continue;
        }
        out.push(b);
    }
    out
}

/// "About Acme Corp" / "About the Company": a heading, or a short label-like paragraph
/// (no final period, no number after "About", so "About 40% of..." is not one).
fn is_about_heading(b: &Block) -> bool {
    let Some(rest) = b.text.strip_prefix("About ") else {
        return false;
    };
    // Inline label: "About Acme Corp: Acme is ..." / "About Acme — Acme is ...".
    static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:the\s+)?\p{Lu}[^.:;\u{2014}]{0,60}?(?::|\s[\u{2014}-]\s)")
            .expect("valid regex")
    });
    if INLINE_LABEL.is_match(rest) && !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let starts_upper = rest
        .trim_start_matches("the ")
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    if b.kind == BlockKind::Heading {
        return starts_upper;
    }
    starts_upper && b.text.chars().count() <= 60 && !b.text.ends_with('.')
}

/// Whether a single sentence is site furniture (cookie notice, newsletter pitch, "enable
/// JavaScript") even though it sits inside the article container.
pub fn is_boilerplate_sentence(s: &str) -> bool {
    BOILERPLATE_PARAGRAPH.is_match(s) || FURNITURE_BLOCK.is_match(s)
}

/// Collapses runs of whitespace (including NBSP) to one space, drops invisible format and
/// control characters, and trims.
pub fn collapse_ws(s: &str) -> String {
    // Format and control characters change nothing a reader sees (bidi marks, zero-width
    // joiners, tag characters, ESC); inserted into a clause they would make it another text.
    static INVISIBLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]--\s]+").expect("valid regex")
    });
    let s = if s
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b"\t\n\r".contains(&b))
    {
        std::borrow::Cow::Borrowed(s)
    } else {
        INVISIBLE.replace_all(s, "")
    };
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        main_blocks(&Html::parse_document(html))
            .into_iter()
            .map(|b| b.text)
            .collect()
    }

    const PAGE: &str = r#"<html><head><title>Acme news</title><script>var x = "exclusive cloud";</script></head>
<body>
<div class="cookie-banner"><p>We use cookies to give you an exclusive experience, in the cloud, with partners.</p></div>
<nav><a href="/">Home</a> <a href="/cloud">Cloud</a></nav>
<div class="layout">
  <article>
    <h1>Acme and Globex sign a deal</h1>
    <div class="entry-content">
      <p>Acme said on Tuesday that it had signed a long agreement with Globex, its largest customer, covering several years.</p>
      <p>The companies, which have worked together since 2019, declined to give financial details, terms or dates.</p>
      <ul><li>First point, with <a href="/x">a link</a>. Second sentence here.</li><li>Another item, long enough to count.</li></ul>
      <p class="tags">Tags: Cloud, Exclusivity</p>
      <h2>About Acme</h2>
      <p>Acme is the exclusive provider of widgets, on a non-exclusive licence.</p>
    </div>
  </article>
  <section class="more-news"><h2>Related stories</h2>
    <p>Initech wins an exclusive cloud deal, with a revenue share, for three years, says a source.</p>
  </section>
  <div class="box"><h3>Related</h3><p>Another teaser about exclusive rights, cloud capacity, and revenue sharing.</p></div>
  <div class="newsletter"><p>Subscribers get exclusive analysis, every day, for free, in the cloud.</p></div>
</div>
<footer><p>Copyright Acme. All rights reserved, exclusively.</p></footer>
<noscript>Enable JavaScript for exclusive cloud content.</noscript>
</body></html>"#;

    #[test]
    fn picks_article_and_drops_boilerplate() {
        let t = texts(PAGE);
        assert_eq!(
            t,
            vec![
                "Acme said on Tuesday that it had signed a long agreement with Globex, its largest customer, covering several years.",
                "The companies, which have worked together since 2019, declined to give financial details, terms or dates.",
                "First point, with a link. Second sentence here.",
                "Another item, long enough to count.",
            ]
        );
    }

    #[test]
    fn list_item_with_paragraphs_is_one_block() {
        let html = "<body><div class=\"post-content\"><p>Intro text that is long enough, with commas, and more.</p><ul><li><p>One.</p><p>Two.</p></li></ul></div></body>";
        let blocks = main_blocks(&Html::parse_document(html));
        assert_eq!(blocks.last().map(|b| b.text.as_str()), Some("One. Two."));
        assert_eq!(blocks.last().map(|b| b.kind), Some(BlockKind::ListItem));
    }

    #[test]
    fn placeholder_body_yields_nothing() {
        let html = "<body><div class=\"story-body\">{{ page.body | safe }}</div></body>";
        assert!(texts(html).is_empty());
    }

    #[test]
    fn selector_uses_every_match() {
        let html = "<body><div class=\"a\"><p>One.</p></div><aside class=\"a\"><p>Two.</p><script>x</script></aside></body>";
        let sel = Selector::parse(".a").expect("selector");
        let t: Vec<String> = selected_blocks(&Html::parse_document(html), &sel)
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(t, vec!["One.", "Two."]);
    }

    #[test]
    fn json_ld_article_body_is_a_fallback() {
        let html = r#"<body><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","articleBody":"Acme signed.\nGlobex agreed."}]}</script></body>"#;
        let t: Vec<String> = json_ld_blocks(&Html::parse_document(html))
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(t, vec!["Acme signed.", "Globex agreed."]);
    }

    #[test]
    fn title_prefers_title_element() {
        let doc = Html::parse_document("<title> Acme \n news </title><h1>Other</h1>");
        assert_eq!(title(&doc).as_deref(), Some("Acme news"));
    }

    #[test]
    fn atomic_classes_are_not_ad_words() {
        // Minified class lists ("ab ac ad") must not read as "ad".
        let html = r#"<body><div class="ab ac ad"><article><p>Acme, a maker of anvils, said Globex will host its models, for years, in Ohio.</p>
<p>Globex, which sells rockets, will also resell Acme's models, the companies said.</p></article></div>
<div class="ad"><p>Buy anvils, rockets, and more, today, at a discount, from our partners.</p></div></body>"#;
        let t = texts(html);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].starts_with("Acme, a maker"));
    }

    #[test]
    fn live_blog_entries_are_one_article() {
        // Each entry has its own wrapper (time + body); the feed holding them is the story.
        let mut html = String::from("<body><div class=\"feed\">");
        for (i, text) in [
            "Acme says Globex will supply it with capacity, in Ohio, for five years.",
            "Globex shares rose, and analysts, who had expected less, were pleased.",
            "Acme adds that, from May, its models will run on Globex chips, too.",
            "Welcome to our live coverage of the Acme results, which are due soon.",
        ]
        .iter()
        .enumerate()
        {
            html.push_str(&format!(
                "<div class=\"entry\"><div class=\"stamp\">{i}:00</div><div class=\"entry-text\"><p>{i}:01 — {text}</p></div></div>"
            ));
        }
        html.push_str("</div><div class=\"side\"><p>Unrelated, short box, here.</p></div></body>");
        let t = texts(&html);
        assert_eq!(
            t.iter().filter(|b| b.contains(":01 — ")).count(),
            4,
            "{t:?}"
        );
        assert!(!t.iter().any(|b| b.starts_with("Unrelated")));
    }

    #[test]
    fn story_in_consecutive_sections() {
        let html = r#"<body><section class="hero"><div><h1>Acme and Globex</h1></div></section>
<section class="story"><div class="inner"><p>Acme said, on Monday, that Globex will be its primary cloud provider, for years.</p><p>The deal, which is large, covers training, inference and storage, in three regions.</p></div></section>
<section class="story"><div class="inner"><p>Acme models, meanwhile, stay available on other clouds, including Initech, the firm said.</p></div></section>
<section class="cta"><div class="inner"><p>Start free today, and get exclusive access, to our cloud, with a revenue share.</p></div></section></body>"#;
        let t = texts(html);
        assert!(
            t.iter().any(|b| b.starts_with("Acme models, meanwhile")),
            "{t:?}"
        );
        assert!(!t.iter().any(|b| b.starts_with("Start free")), "{t:?}");
    }

    #[test]
    fn faq_questions_are_headings() {
        let html = r#"<body><div class="entry-content"><p>Readers asked, so here is the answer, in short, with details.</p>
<details><summary>Is the deal exclusive?</summary><p>No, the licence is non-exclusive, and it ends in 2030.</p></details>
<dl><dt>Does Globex get exclusivity?</dt><dd>No, Acme may use any cloud provider.</dd><dt>Term</dt></dl>
<p>WATCH: Why exclusive cloud deals matter</p></div></body>"#;
        let blocks = main_blocks(&Html::parse_document(html));
        let kind = |start: &str| {
            blocks
                .iter()
                .find(|b| b.text.starts_with(start))
                .map(|b| b.kind)
        };
        assert_eq!(kind("Is the deal"), Some(BlockKind::Heading));
        assert_eq!(kind("Does Globex"), Some(BlockKind::Heading));
        assert_eq!(kind("Term"), Some(BlockKind::ListItem));
        assert_eq!(kind("No, Acme"), Some(BlockKind::Paragraph));
        assert_eq!(kind("WATCH"), None);
    }

    #[test]
    fn story_classed_after_its_newsletter_is_kept() {
        let paras = [
            "Acme said on Tuesday that Globex would host its models for five years, under a contract worth several billion dollars, the companies said.",
            "The agreement, which Initech had tried to win, covers training and inference, and it can be extended twice, according to a filing.",
            "Globex will build two data centers in Ohio for the work, and the first of them, near Columbus, should open in the spring of next year.",
        ];
        let html = format!(
            r#"<body><div class="main"><article class="newsletter-post post"><h1>Acme and Globex</h1>
<p>{}</p><p>{}</p><p>{}</p>
<div class="subscription-widget"><p>Subscribe to Initech Weekly for exclusive cloud analysis every morning of the week.</p></div>
</article><div class="newsletter-box"><p>Subscribe to our newsletter for exclusive analysis of every cloud deal, every day.</p></div></div></body>"#,
            paras[0], paras[1], paras[2]
        );
        let t = texts(&html);
        for p in paras {
            assert!(t.iter().any(|x| x == p), "{t:?}");
        }
        assert!(!t.iter().any(|x| x.contains("Subscribe")), "{t:?}");
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(collapse_ws("  a \n\t b\u{a0}c\u{ad}d "), "a b cd");
    }
    #[test]
    fn paywall_paragraphs_are_content_but_paywall_prompts_are_not() {
        let html = r#"<body><div class="body-copy fence-body">
<p class="paywall">Acme agreed to rent servers from Globex for six years, paying monthly, the firms said.</p>
<p class="paywall">The two firms, both based in Ohio, have worked together since 2019, a filing shows.</p></div>
<div class="paywall-inline-tout"><p>You have reached your free limit, so subscribe for full access, today.</p></div></body>"#;
        let t = texts(html);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].starts_with("Acme agreed"));
    }

    #[test]
    fn amp_ads_and_widgets_are_dropped() {
        let html = r#"<html amp><body><div class="amp-wp-article-content">
<p>Acme said on Monday that it will run its robot models on Globex hardware, starting in May.</p>
<amp-ad type="doubleclick" width="300" height="250"><div fallback>Exclusive offer: move your workloads to our cloud, today.</div></amp-ad>
<p>The companies, which met in 2021, gave no price, but said more would follow, later.</p>
<amp-social-share type="twitter"></amp-social-share></div></body></html>"#;
        let t = texts(html);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t.iter().all(|b| !b.contains("offer")));
    }

    #[test]
    fn key_points_box_beside_the_body_is_kept() {
        let html = r#"<body><div class="col">
<div class="RenderKeyPoints-keyPoints"><div class="KeyPoints-header">Key Points</div><div class="KeyPoints-list"><ul>
<li>Acme will rent Globex servers for five years.</li><li>Shares of Globex rose.</li></ul></div></div>
<div class="ArticleBody-articleBody"><div class="group">
<p>Acme said on Monday, in a filing, that it had signed a long agreement with Globex, its supplier.</p>
<p>The companies, which met in 2021, gave no price, but said more would follow, later this year.</p></div></div>
<div class="ProPromo"><p>Get more analysis, every day, with a pro subscription.</p></div></div></body>"#;
        let t = texts(html);
        assert_eq!(
            t.first().map(String::as_str),
            Some("Acme will rent Globex servers for five years.")
        );
        assert_eq!(t.len(), 4, "{t:?}");
    }

    #[test]
    fn mailing_list_pitch_is_boilerplate() {
        assert!(is_boilerplate_sentence(
            "Join our mailing list for updates on launches and partner programs."
        ));
        assert!(!is_boilerplate_sentence(
            "Acme will join Globex's partner list next year."
        ));
    }
    #[test]
    fn soft_line_wraps_inside_a_sentence_are_joined() {
        let html = r#"<body><div class="release-body"><p>Acme said on Monday that it will rent servers from<br>
Globex, and that the deal runs for several years.<br>The firms, which met in 2021, gave no price for<br>
it, a spokesperson said.</p><p>Contact: Jane Doe<br>press@acme.example</p></div></body>"#;
        let t = texts(html);
        // Before a capital the wrap is ambiguous (a name, or a new line): kept apart.
        assert_eq!(t[0], "Acme said on Monday that it will rent servers from");
        assert_eq!(
            t[2],
            "The firms, which met in 2021, gave no price for it, a spokesperson said."
        );
    }

    /// The library's pick is refused when it is the page's aside, and taken (with the term
    /// box beside it restored) when it is the story.
    #[test]
    fn library_article_in_an_aside_is_refused() {
        let card = "<div class=\"card\"><p>Another grower rents cloud capacity for its forecasting models, under an exclusive deal, in our long-running series on farm compute.</p></div>";
        let rail = format!(
            "<aside class=\"rail\"><h2>Deal tracker</h2>{}</aside>",
            card.repeat(4)
        );
        let story = "<p>Quillon Labs said on Thursday that it had signed a five-year agreement with Maraval Systems, a builder of data centres in northern Portugal, for two halls.</p>".repeat(3);
        let page = format!(
            "<html><body><main><article><div class=\"story\">{story}</div><div class=\"box\"><ul><li>Maraval is the sole provider of training capacity for Quillon in Europe until 2029.</li></ul></div></article></main>{rail}<footer><p>{}</p></footer></body></html>",
            "Legal notice of an invented publisher, for information only and not advice. "
                .repeat(8)
        );
        let doc = Html::parse_document(&page);
        let taken_rail = Html::parse_fragment(&format!("<div>{}</div>", card.repeat(4)));
        let refused = library_article_blocks(&doc, &taken_rail, None);
        assert!(refused.is_err(), "{refused:?}");
        let taken_story = Html::parse_fragment(&format!("<div class=\"story\">{story}</div>"));
        let (blocks, _) = library_article_blocks(&doc, &taken_story, None).expect("story taken");
        assert!(
            blocks.iter().any(|b| b.text.contains("sole provider")),
            "{blocks:?}"
        );
        assert!(
            !blocks.iter().any(|b| b.text.contains("farm compute")),
            "{blocks:?}"
        );
    }

    #[test]
    fn invisible_characters_are_not_text() {
        let plain = "Globex is the exclusive cloud provider of Acme.";
        for mark in [
            "\u{200e}",
            "\u{202e}",
            "\u{2066}",
            "\u{34f}",
            "\u{fe0f}",
            "\u{180e}",
            "\u{e0041}",
            "\u{1b}",
            "\u{ad}",
            "\u{200b}",
        ] {
            let marked = plain.replace("exclusive", &format!("excl{mark}usive"));
            assert_eq!(collapse_ws(&marked), plain, "{mark:?}");
        }
        assert_eq!(collapse_ws("a\u{a0}\t b\n"), "a b");
    }
}

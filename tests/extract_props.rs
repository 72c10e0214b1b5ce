//! Property tests of extraction: it never panics, whatever the bytes, content type or
//! markup, and the clauses it returns keep their invariants (at least one topic, topics
//! sorted and unique, non-empty trimmed text). `explain_page` must agree with `extract`.
//!
//! Inputs are arbitrary bytes and HTML-ish strings built from tags, attributes and invented
//! text fragments (nesting, unclosed and stray tags, entities, odd unicode). 256 cases per
//! property keep the suite fast in debug builds.

use std::sync::LazyLock;

use clausewatch::extract::charset::decode_html;
use clausewatch::extract::{ExtractOptions, Extraction, Extractor, Topic};
use proptest::prelude::*;

/// Default options: container detection and all built-in topics.
static DETECT: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new(ExtractOptions::default()).expect("default options"));

/// A `select` that matches often, nested matches included.
static SELECT: LazyLock<Extractor> = LazyLock::new(|| {
    Extractor::new(ExtractOptions {
        select: Some("article, div, p, li".to_owned()),
        ..ExtractOptions::default()
    })
    .expect("valid selector")
});

/// One watched topic plus a custom one.
static CUSTOM: LazyLock<Extractor> = LazyLock::new(|| {
    Extractor::new(ExtractOptions {
        topics: vec![Topic::new("cloud"), Topic::new("anvils")],
        ..ExtractOptions::default()
    })
    .expect("valid topics")
});

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The invariants every extraction keeps.
fn check(ex: &Extraction) -> Result<(), TestCaseError> {
    let mut sentences_with_text = 0;
    for c in &ex.clauses {
        prop_assert!(!c.topics.is_empty(), "clause without topic: {c:?}");
        prop_assert!(
            c.topics.windows(2).all(|w| w[0] < w[1]),
            "topics not sorted and unique: {c:?}"
        );
        prop_assert!(!c.text.trim().is_empty(), "empty clause: {c:?}");
        prop_assert_eq!(c.text.trim(), c.text.as_str(), "untrimmed clause");
        prop_assert!(
            c.text.split_whitespace().count() >= 3,
            "clause under 3 words: {c:?}"
        );
        sentences_with_text += 1;
    }
    prop_assert!(ex.sentence_count >= sentences_with_text);
    if ex.main_text_chars == 0 {
        prop_assert!(ex.clauses.is_empty());
    }
    Ok(())
}

/// Extracts with every extractor, checks invariants and that `explain_page` agrees.
fn check_all(html: &str) -> Result<(), TestCaseError> {
    for extractor in [&*DETECT, &*SELECT, &*CUSTOM] {
        let ex = extractor.extract(html);
        check(&ex)?;
        let explained = extractor.explain_page(html);
        prop_assert_eq!(&explained.clauses, &ex.clauses);
        prop_assert_eq!(explained.sentence_count, ex.sentence_count);
        prop_assert_eq!(explained.main_text_chars, ex.main_text_chars);
        prop_assert!(explained.dropped.len() <= 200);
        prop_assert!(explained.dropped.len() <= explained.dropped_total);
    }
    Ok(())
}

/// Content types: absent, ordinary, exotic, malformed.
fn content_type() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("text/html; charset=utf-8".to_owned()),
        Just("text/html; charset=windows-1252".to_owned()),
        Just("text/html; charset=\"Shift_JIS\"".to_owned()),
        Just("text/html;charset=utf-16le".to_owned()),
        Just("text/html; charset=iso-2022-jp".to_owned()),
        Just("text/html; charset=x-user-defined".to_owned()),
        Just("text/html; charset=".to_owned()),
        Just("charset=charset=charset".to_owned()),
        "[ -~]{0,40}",
        ".{0,20}",
    ])
}

/// Bytes, sometimes behind a BOM or a `<meta charset>`.
fn page_bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop_oneof![
        Just(Vec::new()),
        Just(vec![0xef, 0xbb, 0xbf]),
        Just(vec![0xff, 0xfe]),
        Just(vec![0xfe, 0xff]),
        Just(b"<meta charset=\"windows-1251\">".to_vec()),
        Just(b"<meta http-equiv=content-type content='text/html; charset=gb18030'>".to_vec()),
    ];
    (prefix, prop::collection::vec(any::<u8>(), 0..2048)).prop_map(|(mut p, rest)| {
        p.extend(rest);
        p
    })
}

const TAGS: &[&str] = &[
    "p",
    "div",
    "article",
    "main",
    "section",
    "aside",
    "nav",
    "header",
    "footer",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "a",
    "span",
    "b",
    "table",
    "tr",
    "td",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "select",
    "option",
    "iframe",
    "dialog",
    "form",
    "textarea",
    "title",
    "body",
    "html",
    "frameset",
    "plaintext",
];

const ATTRIBUTES: &[&str] = &[
    "",
    " class=\"article-body\"",
    " class=\"story-body content\"",
    " class=\"related-stories\"",
    " class=\"cookie-banner\"",
    " class=\"sidebar\"",
    " class=\"about\"",
    " class=\"\"",
    " id=\"main\"",
    " id=\"\u{1f600}\"",
    " role=\"dialog\"",
    " role=\" Navigation \"",
    " hidden",
    " aria-hidden=\"TRUE\"",
    " style=\"display : none\"",
    " style=\"visibility:hidden;\"",
    " itemprop=\"articleBody\"",
    " data-component=\"ShareBar\"",
    " href=\"/x\"",
    " type=\"application/ld+json\"",
    " class=\"a\" class=\"b\"",
    " class='unterminated",
];

const TEXTS: &[&str] = &[
    "Acme has named Globex its primary cloud provider for five years.",
    "Globex will pay Acme a revenue share of 12 percent on every anvil sold.",
    "Under the deal, Initech is the exclusive reseller of Acme products in Europe.",
    "Shares of Hooli rose 3 percent on Tuesday.",
    "Mr. Smith said: \"We are pleased.\" The deal closes in May.",
    "Related stories",
    "About Acme",
    "Forward-Looking Statements",
    "Read more",
    "Tags: cloud, exclusive",
    "We use cookies.",
    "Exclusivity:",
    "{{ article.body | safe }}",
    "{\"@type\":\"NewsArticle\",\"articleBody\":\"Acme picked Globex as its exclusive cloud provider, for ten years.\"}",
    "&amp; &lt;p&gt; &#x1F600; &#0; &#xD800; &nbsp;&nbsp; &bogus; &",
    "\u{200b}\u{ad}\u{feff}\u{2060}",
    "\u{202e}evitalcxe\u{202c} \u{5d0}\u{5d1} \u{627}\u{644}",
    "e\u{301}\u{301}\u{301} \u{1f469}\u{200d}\u{1f4bb} \u{fdfd} \u{fffd}",
    "\u{0}\u{1}\u{7f}\u{85}",
    "...!?… ... U.S. Inc. e.g. $1.5 billion.",
    "   \n\t  ",
    "<!-- comment",
    "<![CDATA[ x ]]>",
    "</div></p></li>",
    "<br><br/><hr>",
    "<",
    ">",
];

/// An HTML-ish fragment: text, or an element with attributes and children that may be
/// left unclosed.
fn fragment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => prop::sample::select(TEXTS).prop_map(str::to_owned),
        1 => "[a-zA-Z .,<>&;#/=\"'\u{a0}-\u{ff}\u{3000}-\u{3010}]{0,40}",
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        (
            prop::sample::select(TAGS),
            prop::sample::select(ATTRIBUTES),
            prop::collection::vec(inner, 0..6),
            any::<bool>(),
        )
            .prop_map(|(tag, attrs, children, close)| {
                let mut s = format!("<{tag}{attrs}>");
                for c in children {
                    s.push_str(&c);
                }
                if close {
                    s.push_str(&format!("</{tag}>"));
                }
                s
            })
    })
}

/// A page: optional doctype/head, then fragments, half the time interleaved with the
/// paragraphs of an article so that clauses are found and the rules run.
fn page() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(fragment(), 0..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(head, body, article, close)| {
            let mut s = String::new();
            if head {
                s.push_str("<!doctype html><html><head><title>Acme</title></head><body>");
            }
            if article {
                s.push_str("<main><article><div class=\"story-body\">");
            }
            for (i, f) in body.into_iter().enumerate() {
                if article {
                    s.push_str("<p>");
                    s.push_str(TEXTS[i % 3]);
                    s.push_str(
                        " Acme, Globex and Initech, all based in Ohio, declined to comment.</p>",
                    );
                }
                s.push_str(&f);
            }
            if article {
                s.push_str("</div></article></main>");
            }
            if close {
                s.push_str("</body></html>");
            }
            s
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in page_bytes(), ct in content_type()) {
        let html = decode_html(&bytes, ct.as_deref());
        check_all(&html)?;
    }

    #[test]
    fn html_ish_pages_never_panic(html in page()) {
        check_all(&html)?;
    }

    #[test]
    fn html_ish_bytes_in_any_encoding_never_panic(html in page(), ct in content_type()) {
        let html = decode_html(html.as_bytes(), ct.as_deref());
        check_all(&html)?;
    }
}

#[test]
fn deep_nesting_is_flattened_not_overflowed() {
    for tag in ["div", "li", "a", "section"] {
        let depth = 1_000;
        let mut html = String::with_capacity(depth * 12);
        for _ in 0..depth {
            html.push_str(&format!("<{tag} class=\"story-body\">"));
        }
        html.push_str("Acme has named Globex its primary cloud provider for five years.");
        check_all(&html).expect("invariants hold");
    }
}

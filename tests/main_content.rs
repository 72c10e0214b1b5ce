//! Main-content detection on small pages of our own, one per failure class seen on real
//! pages: article wrappers named like widgets, sibling sections holding the terms, news
//! lists and footers that outweigh a short article, captions, linked sentences.

use clausewatch::extract::{ExtractOptions, Extractor};

/// Four paragraphs of an invented announcement, long enough to be an article.
const STORY: &str = r#"
<h1>Quillon and Maraval sign a compute agreement</h1>
<p>Quillon Labs, a maker of weather models for farmers, said on Thursday that it had signed a five-year agreement with Maraval Systems, a builder of data centres in northern Portugal.</p>
<p>Under the agreement, Maraval will reserve two of its halls for Quillon's training runs, and Quillon will pay for the capacity in monthly instalments that rise as the halls come online.</p>
<p>The companies said the arrangement lets Quillon stop renting machines by the hour, which its chief executive described as expensive, unpredictable and slow to arrange at short notice.</p>
<p>Neither company disclosed the value of the contract, but a person familiar with the talks said it was worth several hundred million euros over its full term, including options to extend.</p>
"#;

const CHROME_TOP: &str = r#"<header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav></header>"#;

const CHROME_BOTTOM: &str = r#"
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/1">Orchard robots are coming</a></li><li><a href="/2">Rain insurance, explained</a></li></ul></aside>
<footer class="site-footer"><p>Copyright 2026 Field Notes Media. All rights reserved.</p><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>"#;

fn page(body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Quillon signs with Maraval</title></head><body>{CHROME_TOP}{body}{CHROME_BOTTOM}</body></html>"
    )
}

fn main_text(html: &str) -> String {
    let ex = Extractor::new(ExtractOptions::default()).expect("default rules compile");
    ex.main_text(html)
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn assert_story_kept(html: &str) {
    let text = main_text(html);
    for needle in [
        "signed a five-year agreement with Maraval Systems",
        "reserve two of its halls",
        "renting machines by the hour",
        "several hundred million euros",
    ] {
        assert!(text.contains(needle), "lost {needle:?}; kept:\n{text}");
    }
    assert!(!text.contains("Orchard robots"), "sidebar kept:\n{text}");
    assert!(
        !text.contains("All rights reserved"),
        "footer kept:\n{text}"
    );
}

#[test]
fn wrapper_named_like_a_widget_is_kept() {
    for (open, close) in [
        (
            r#"<div class="elementor-widget-wrap"><div class="elementor-element elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container">"#,
            "</div></div></div>",
        ),
        (r#"<div class="widget Blog" id="Blog1">"#, "</div>"),
        (
            r#"<div class="panel-two-col-sidebar-right-mix"><div class="panel-col">"#,
            "</div></div>",
        ),
        (r#"<div class="pg-right-rail-tall pg-wrapper">"#, "</div>"),
        (r#"<div class="non-ad-column-l">"#, "</div>"),
        (
            r#"<div class="header-style-header-2"><main>"#,
            "</main></div>",
        ),
        (
            r#"<form method="post" action="./story.aspx" id="aspnetForm"><div class="page">"#,
            "</div></form>",
        ),
    ] {
        assert_story_kept(&page(&format!("{open}{STORY}{close}")));
    }
}

#[test]
fn sibling_callout_and_term_list_are_article_text() {
    let body = format!(
        r#"<main><article>
<section id="background">{STORY}</section>
<div class="callout"><h3>At a glance</h3><p>Quillon gets two dedicated halls in Maraval's Évora campus from the spring of 2027.</p></div>
<h2>Key terms</h2>
<ul>
<li>Maraval is Quillon's sole provider of training capacity in Europe until the end of 2029.</li>
<li>Quillon pays Maraval eight percent of the revenue from models trained in the halls.</li>
<li>Either party may end the agreement after three years with twelve months' notice.</li>
</ul>
</article></main>"#
    );
    let text = main_text(&page(&body));
    for needle in [
        "two dedicated halls",
        "sole provider of training capacity",
        "eight percent of the revenue",
        "twelve months' notice",
        "signed a five-year agreement",
    ] {
        assert!(text.contains(needle), "lost {needle:?}; kept:\n{text}");
    }
}

#[test]
fn term_box_beside_the_story_wrapper_is_article_text() {
    // The story sits in a wrapper of its own; the terms are in a sibling box that holds no
    // paragraph the Readability scorer would count.
    let body = format!(
        r#"<main><article>
<div class="post-body"><section id="background">{STORY}</section></div>
<div class="terms-box"><h2>Key terms</h2><ul>
<li>Maraval is Quillon's sole provider of training capacity in Europe until the end of 2029.</li>
<li>Quillon pays Maraval eight percent of the revenue from models trained in the halls.</li>
</ul></div>
<div class="next-story"><h2>Next up</h2><p><a href="/x">Orchard robots are coming</a></p></div>
</article></main>"#
    );
    let text = main_text(&page(&body));
    assert!(
        text.contains("sole provider of training capacity"),
        "{text}"
    );
    assert!(text.contains("eight percent of the revenue"), "{text}");
    assert!(text.contains("Key terms"), "{text}");
    assert!(!text.contains("Orchard robots"), "{text}");
}

#[test]
fn term_table_and_definition_list_are_article_text() {
    let body = format!(
        r#"<article><div class="entry-content">{STORY}
<table><tr><th>Term</th><th>Detail</th></tr>
<tr><td>Length</td><td>The agreement runs for five years from the first hall's handover.</td></tr></table>
<dl><dt>Capacity</dt><dd>Two halls of about eighteen megawatts each are reserved for Quillon.</dd></dl>
</div></article>"#
    );
    let text = main_text(&page(&body));
    assert!(
        text.contains("runs for five years from the first hall"),
        "{text}"
    );
    assert!(text.contains("eighteen megawatts each"), "{text}");
}

#[test]
fn short_article_beats_a_long_news_list() {
    let mut list = String::from(r#"<div class="latest"><h2>Latest</h2><ul>"#);
    for i in 0..40 {
        list.push_str(&format!(
            r#"<li><a href="/n/{i}">Regional growers report a mixed harvest in district number {i}, officials say</a></li>"#
        ));
    }
    list.push_str("</ul></div>");
    let html = page(&format!("<main><article>{STORY}</article>{list}</main>"));
    assert_story_kept(&html);
    assert!(!main_text(&html).contains("mixed harvest"));
}

#[test]
fn caption_sentences_are_text() {
    let body = format!(
        r#"<article>{STORY}<figure><img src="hall.jpg" alt=""><figcaption>Maraval's second hall near Évora, which will be reserved for Quillon from 2027 under the new agreement.</figcaption></figure></article>"#
    );
    let text = main_text(&page(&body));
    assert!(text.contains("reserved for Quillon from 2027"), "{text}");
}

#[test]
fn linked_sentence_in_the_article_is_text() {
    let body = format!(
        r#"<article>{STORY}<p><a href="/filing">Quillon's filing says the halls are reserved for its exclusive use for the first three years of the term.</a></p></article>"#
    );
    let text = main_text(&page(&body));
    assert!(text.contains("reserved for its exclusive use"), "{text}");
}

#[test]
fn unrendered_story_yields_no_furniture() {
    // The story body did not render; the library's best guess is then the related-stories
    // rail, which must not become the article (its teasers would read as new terms).
    let mut rail = String::from(r#"<aside class="rail"><h2>Related stories</h2>"#);
    for i in 0..4 {
        rail.push_str(&format!(
            r#"<div class="card"><h3><a href="/s/{i}">Deal tracker, part {i}</a></h3><p>Another grower signs an exclusive deal to rent cloud capacity for its forecasting models, paying a share of its revenue, in part {i} of our series on farm compute.</p></div>"#
        ));
    }
    rail.push_str("</aside>");
    let body = format!(
        r#"<div class="layout"><main><article class="story"><h1>Quillon signs with Maraval</h1><div class="story-body">{{{{ story.body | safe }}}}</div></article></main>{rail}</div>"#
    );
    // Furniture around it, as on a real page: a consent dialog and a long legal footer.
    let html = format!(
        "<!doctype html><html><head><title>Q</title></head><body>{CHROME_TOP}{body}\
         <div role=\"dialog\"><p>{consent}</p></div><footer><p>{legal}</p></footer></body></html>",
        consent = "We and our partners store cookies to measure traffic and to personalise ads; you can change your choice at any time under privacy settings. ".repeat(3),
        legal = "Field Notes Media is a trading name of an invented publisher; its articles are for information only and are not advice of any kind. ".repeat(4),
    );
    let text = main_text(&html);
    for furniture in ["farm compute", "not advice", "privacy settings"] {
        assert!(
            !text.contains(furniture),
            "furniture taken as the article:\n{text}"
        );
    }
    let ex = Extractor::new(ExtractOptions::default()).expect("default rules compile");
    assert!(ex.extract(&html).clauses.is_empty());
}

#[test]
fn invisible_characters_inside_a_term_do_not_hide_it() {
    let plain = "Maraval will be Quillon's exclusive cloud provider for training until 2029.";
    let ex = Extractor::new(ExtractOptions::default()).expect("default rules compile");
    let clauses = |sentence: &str| {
        let html = page(&format!("<article>{STORY}<p>{sentence}</p></article>"));
        ex.extract(&html).clauses
    };
    let expected = clauses(plain);
    assert!(expected.iter().any(|c| c.text == plain), "{expected:?}");
    let marked = plain.replace("exclusive", "excl\u{200e}us\u{2066}ive");
    assert_eq!(clauses(&marked), expected);
}

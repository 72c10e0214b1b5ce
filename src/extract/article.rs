//! Article detection by a maintained Readability.js port (`dom_smoothie`).
//!
//! Owns: handing the decoded page to the library and returning the article it finds as an
//! HTML fragment (classes kept, so clausewatch's own boilerplate layers in `content.rs` can
//! still see "related", "newsletter" or "about" boxes inside it). Must not: decide what a
//! block or a clause is; that stays in `content.rs` and `mod.rs`.
//!
//! Why a library: on real pages nobody here wrote, the Readability port found the article
//! far more often than the hand-written scorer (see BENCHMARKS.md, "Main content"), at a
//! fraction of the CPU. The hand-written scorer stays as the fallback for pages the library
//! gives up on.

use dom_smoothie::{Config, Readability};

/// The library, as named in `extract --explain`.
pub(crate) const ENGINE: &str = "dom_smoothie 0.19 (Readability.js port)";

/// Pages with more elements than this are not given to the library (its work grows with the
/// element count); the caller falls back to the bounded hand-written scorer.
const MAX_ELEMENTS: usize = 200_000;

/// The article the library found, as an HTML fragment, or why there is none.
pub(crate) enum ArticleFragment {
    /// The article's HTML (the library's `content`, classes kept).
    Found(String),
    /// The library found no article (or refused the page); the reason, for `--explain`.
    NotFound(String),
}

/// Runs the Readability port over `html`.
pub(crate) fn readable_fragment(html: &str) -> ArticleFragment {
    let cfg = Config {
        keep_classes: true,
        max_elements_to_parse: MAX_ELEMENTS,
        // clausewatch reads JSON-LD itself (the `articleBody` fallback); metadata only.
        disable_json_ld: true,
        ..Config::default()
    };
    let mut readability = match Readability::new(html, None, Some(cfg)) {
        Ok(r) => r,
        Err(e) => return ArticleFragment::NotFound(e.to_string()),
    };
    match readability.parse() {
        Ok(article) => ArticleFragment::Found(article.content.to_string()),
        Err(e) => ArticleFragment::NotFound(e.to_string()),
    }
}

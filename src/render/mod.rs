//! Pure renderings of what changed, for people: clause diffs and term summaries for the
//! terminal, HTML fragments and reports, and the alert mail's bodies.
//!
//! Owns: every text, terminal and HTML format built from a [`ChangeSet`](crate::diff::ChangeSet),
//! a clause or an [`Alert`](crate::alert::Alert). Sits on top of `diff` and below `notify`
//! (which mails these bodies) and `report` (which adds check outcomes and history).
//! Must not: compute changes (`diff`), read the store, fetch or mail.

mod html;
mod mail;
mod terminal;

pub use html::{html_changes, html_report, html_summary};
pub use mail::{digest_html, digest_text};
pub use terminal::{
    clause_json, counts, escape_controls, render_changes, render_explanation, render_side_by_side,
};

//! clausewatch watches company announcement pages and tells an analyst, by e-mail, when the
//! *terms* of a deal change: the clauses about exclusivity, cloud and revenue share.
//!
//! The pipeline, one module per stage:
//! [`config`] (watchlist) → [`schedule`] (when) → [`check`] (one check of one watch:
//! [`fetch`] → [`extract`] → [`diff`] against [`store`] → [`alert`] → [`notify`]) →
//! [`report`] and [`render`] (review by hand). [`cli`] is the command line, with `demo`,
//! which runs everything offline against loopback servers.
#![warn(missing_docs)]

// Layer order, bottom to top (ARCHITECTURE.md, checked by tests/layers.rs): a module names
// only modules listed before it.
pub mod alert;
pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod extract;
pub mod fetch;
pub mod notify;
pub mod render;
pub mod report;
pub mod schedule;
pub mod store;

/// An error with its causes, `a: b: c`, skipping a cause whose text the message already
/// contains (reqwest's and lettre's top-level messages hide the useful part).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        src = s.source();
    }
    out
}

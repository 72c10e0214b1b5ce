//! clausewatch watches company announcement pages and tells an analyst, by e-mail, when the
//! *terms* of a deal change: the clauses about exclusivity, cloud and revenue share.
//!
//! The pipeline, one module per stage:
//! [`config`] (watchlist) → [`schedule`] (when) → [`fetch`] (HTTP) → [`extract`] (clauses)
//! → [`store`] (snapshots) and [`diff`] (what changed) → [`notify`] (alert mail) →
//! [`report`] (review by hand). [`pipeline`] holds one check's decisions; [`cli`] is the
//! command line; [`demo`] and [`loopback`] run everything offline.
#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod diff;
pub mod extract;
pub mod fetch;
pub mod loopback;
pub mod notify;
pub mod pipeline;
pub mod report;
pub mod schedule;
pub mod store;

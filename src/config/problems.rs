//! Problems found in a watchlist, collected over every section before any is reported:
//! [`Problem`] (line, key, message), [`ConfigError`], and the collector that turns byte
//! spans into lines and reads each section on its own so one mistake never hides another.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeValue, ValueDeserializer};

use super::parse_duration;

/// A problem found in a watchlist, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The key or section it concerns, e.g. `watch[2].url`.
    pub key: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// Why a watchlist cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read watchlist {path}: {source}; check the --config path")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file was read but has problems.
    #[error("{}", render_problems(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

fn render_problems(path: &Path, problems: &[Problem]) -> String {
    let mut out = format!(
        "watchlist {} has {} problem{}:",
        path.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        match p.line {
            Some(line) => out.push_str(&format!(
                "\n  {}:{line}: {}: {}",
                path.display(),
                p.key,
                p.message
            )),
            None => out.push_str(&format!("\n  {}: {}: {}", path.display(), p.key, p.message)),
        }
    }
    out
}

/// Collects problems, turning byte spans into line numbers.
pub(super) struct Problems<'a> {
    text: &'a str,
    pub(super) list: Vec<Problem>,
}

impl<'a> Problems<'a> {
    /// An empty collector over the watchlist's text.
    pub(super) fn new(text: &'a str) -> Self {
        Problems {
            text,
            list: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, span: Option<Range<usize>>, key: String, message: String) {
        self.list.push(Problem {
            line: span.map(|s| line_of(self.text, s.start)),
            key,
            message,
        });
    }

    /// Like [`Self::duration`], but zero ("0s") is allowed: no spacing at all.
    pub(super) fn spacing(
        &mut self,
        v: &Option<Spanned<String>>,
        key: &str,
        default: Duration,
        max: Duration,
    ) -> Duration {
        match v {
            Some(s) if humantime::parse_duration(s.get_ref()).is_ok_and(|d| d.is_zero()) => {
                Duration::ZERO
            }
            _ => self.duration(v, key, default, max),
        }
    }

    /// A duration key, at most `max`; `default` when absent or wrong (the problem is told).
    pub(super) fn duration(
        &mut self,
        v: &Option<Spanned<String>>,
        key: &str,
        default: Duration,
        max: Duration,
    ) -> Duration {
        let Some(s) = v else {
            return default;
        };
        let checked = parse_duration(s.get_ref()).and_then(|d| {
            if d > max {
                Err(format!(
                    "`{}` is longer than the largest accepted value, {}",
                    s.get_ref(),
                    describe(max)
                ))
            } else {
                Ok(d)
            }
        });
        checked.unwrap_or_else(|msg| {
            self.add(Some(s.span()), key.into(), msg);
            default
        })
    }
    /// Reads one section (a table, or any value) into `T`. A key that fails, unknown or of
    /// the wrong type, is reported with its line and dropped, and the rest is read again;
    /// so one run reports every key's problem. `None` when the section still cannot be
    /// read (a required key is missing or wrong), its problems reported.
    pub(super) fn section<T: DeserializeOwned>(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Option<T> {
        let mut value = value.clone();
        let mut dropped: Vec<String> = Vec::new();
        loop {
            let err = match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(v) => return Some(v),
                Err(e) => e,
            };
            let message = format!(
                "{}; see the example watchlist.toml for the accepted keys",
                err.message().trim_end()
            );
            let span = err.span().unwrap_or_else(|| value.span());
            let culprit = match value.get_mut() {
                DeValue::Table(table) => table
                    .iter()
                    .find(|(k, v)| contains(k.span(), &span) || contains(v.span(), &span))
                    .map(|(k, _)| k.clone()),
                _ => None,
            };
            match (culprit, value.get_mut()) {
                (Some(k), DeValue::Table(table)) => {
                    table.remove(&k);
                    let name = k.get_ref().to_string();
                    self.add(Some(span), format!("{key}.{name}"), message);
                    dropped.push(name);
                }
                _ => {
                    // A required key missing because it was dropped above is already told.
                    let told = dropped
                        .iter()
                        .any(|d| err.message().contains(&format!("missing field `{d}`")));
                    if !told {
                        self.add(Some(span), key.into(), message);
                    }
                    return None;
                }
            }
        }
    }
}

/// A duration limit in words: whole days as days, others as humantime writes them.
pub(super) fn describe(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{} days", s / 86_400),
        _ => humantime::format_duration(d).to_string(),
    }
}

fn contains(outer: Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.start < outer.end.max(outer.start + 1)
}

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

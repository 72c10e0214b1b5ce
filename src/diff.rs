//! Comparing two clause sets: what was added, removed or reworded, and which words changed.
//!
//! Owns: clause alignment and the [`ChangeSet`]. Clauses are compared by a normalized form
//! (Unicode NFKC, case, quote and dash styles, whitespace), so a moved clause, a re-indented
//! page or a switch from straight to curly quotes is no change. A removed and an added clause
//! that share most of their words are one *changed* clause, shown old → new with the changed
//! words marked. Must not: read the store or format for a particular output.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};
use unicode_normalization::UnicodeNormalization;

use crate::extract::terms::{Terms, format_money, parse_terms, summarize_change};
use crate::extract::{Clause, Topic};

/// Word-overlap (Jaccard) above which a removed and an added clause are one reworded clause.
/// Reworded deal sentences keep most of their words ("exclusive" → "non-exclusive", a year);
/// two different sentences on one topic rarely share half of them.
pub const REWORD_SIMILARITY: f64 = 0.5;

/// A clause reworded between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedClause {
    /// Before.
    pub old: Clause,
    /// After.
    pub new: Clause,
}

/// The difference between two versions' clause sets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Clauses only in the new version.
    pub added: Vec<Clause>,
    /// Clauses only in the old version.
    pub removed: Vec<Clause>,
    /// Clauses reworded.
    pub changed: Vec<ChangedClause>,
}

impl ChangeSet {
    /// Aligns `old` and `new` and returns what differs. Order is ignored.
    pub fn between(old: &[Clause], new: &[Clause]) -> ChangeSet {
        let old_norm: Vec<String> = old.iter().map(|c| normalize(&c.text)).collect();
        let new_norm: Vec<String> = new.iter().map(|c| normalize(&c.text)).collect();
        let removed = unmatched(old, &old_norm, &new_norm);
        let added = unmatched(new, &new_norm, &old_norm);

        // Pair rewordings greedily, most similar first.
        let words = |c: &Clause| -> HashSet<String> {
            normalize(&c.text)
                .split(|ch: char| !ch.is_alphanumeric() && ch != '.' && ch != '$' && ch != '%')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let rw: Vec<_> = removed.iter().map(|c| words(c)).collect();
        let aw: Vec<_> = added.iter().map(|c| words(c)).collect();
        let mut pairs = Vec::new();
        for (i, r) in rw.iter().enumerate() {
            for (j, a) in aw.iter().enumerate() {
                let inter = r.intersection(a).count() as f64;
                let union = r.union(a).count() as f64;
                let sim = if union == 0.0 { 0.0 } else { inter / union };
                if sim >= REWORD_SIMILARITY {
                    pairs.push((sim, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let (mut used_r, mut used_a) = (vec![false; removed.len()], vec![false; added.len()]);
        let mut changed = Vec::new();
        for (_, i, j) in pairs {
            if !used_r[i] && !used_a[j] {
                used_r[i] = true;
                used_a[j] = true;
                changed.push((
                    j,
                    ChangedClause {
                        old: removed[i].clone(),
                        new: added[j].clone(),
                    },
                ));
            }
        }
        changed.sort_by_key(|(j, _)| *j);
        ChangeSet {
            added: added
                .iter()
                .zip(&used_a)
                .filter(|(_, u)| !**u)
                .map(|(c, _)| (*c).clone())
                .collect(),
            removed: removed
                .iter()
                .zip(&used_r)
                .filter(|(_, u)| !**u)
                .map(|(c, _)| (*c).clone())
                .collect(),
            changed: changed.into_iter().map(|(_, c)| c).collect(),
        }
    }

    /// True when the clause sets are equivalent.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Number of clause-level changes.
    pub fn len(&self) -> usize {
        self.added.len() + self.removed.len() + self.changed.len()
    }

    /// Topics whose clauses changed, sorted: the topics of every added and removed clause and,
    /// for a reworded clause, its topics before and after.
    pub fn topics(&self) -> Vec<Topic> {
        let mut out: Vec<Topic> = self
            .added
            .iter()
            .chain(&self.removed)
            .chain(self.changed.iter().flat_map(|c| [&c.old, &c.new]))
            .flat_map(|c| c.topics.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The term-level summary of a change set, one line per clause change, led by its topics:
/// `exclusivity, cloud: exclusive → non-exclusive; until 2028 → 2030`,
/// `revenue_share: + revenue share; 12%`, `cloud: - $8.5B; five years`.
/// Numbers, dates, negation and parties come from [`crate::extract::terms`], so a one-word
/// flip is named however small the edit.
pub fn term_summary(c: &ChangeSet) -> Vec<String> {
    let topics = |cl: &Clause| {
        cl.topics
            .iter()
            .map(Topic::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    for ch in &c.changed {
        let what = summarize_change(&parse_terms(&ch.old.text), &parse_terms(&ch.new.text));
        let what = if what.is_empty() {
            "reworded, same terms".to_string()
        } else {
            what.join("; ")
        };
        out.push(format!("{}: {what}", topics(&ch.new)));
    }
    for (sign, list, fallback) in [
        ("+", &c.added, "new clause"),
        ("-", &c.removed, "clause removed"),
    ] {
        for cl in list {
            let d = describe(&parse_terms(&cl.text));
            let d = if d.is_empty() {
                fallback.to_string()
            } else {
                d
            };
            out.push(format!("{}: {sign} {d}", topics(cl)));
        }
    }
    out
}

/// A compact description of one clause's terms: `exclusive; until 2029; $8.5B; 12%`.
pub fn describe(t: &Terms) -> String {
    let mut parts: Vec<String> = t.kinds.iter().map(|k| k.label().to_string()).collect();
    if t.negated {
        parts.push("ended/denied".into());
    }
    if let Some(u) = &t.until {
        parts.push(format!("until {u}"));
    }
    if let Some(d) = &t.duration {
        parts.push(d.clone());
    }
    parts.extend(t.money.iter().map(format_money));
    parts.extend(t.percentages.iter().map(|p| format!("{p}%")));
    parts.extend(t.capacity.iter().cloned());
    if t.capped {
        parts.push("capped".into());
    }
    parts.join("; ")
}

/// The clauses of `from` left over after matching each against an equal (normalized) clause
/// of `against`, one for one: a multiset difference that keeps `from`'s order.
fn unmatched<'a>(
    from: &'a [Clause],
    from_norm: &[String],
    against_norm: &[String],
) -> Vec<&'a Clause> {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for n in against_norm {
        *left.entry(n.as_str()).or_default() += 1;
    }
    from.iter()
        .zip(from_norm)
        .filter(|(_, n)| match left.get_mut(n.as_str()) {
            Some(k) if *k > 0 => {
                *k -= 1;
                false
            }
            _ => true,
        })
        .map(|(c, _)| c)
        .collect()
}

/// Characters that change nothing a reader sees: Unicode format (Cf: bidi marks and
/// isolates, zero-width joiners, tag characters, U+180E) and control characters (Cc: ESC …),
/// whitespace aside, and the other default-ignorable code points (U+034F, variation
/// selectors). Inserting them into a clause is no change.
static INVISIBLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]--\s]+")
        .expect("valid pattern")
});

/// The comparison form of a clause text: NFKC, lowercase, one quote and one dash style,
/// invisible characters (format and control characters other than whitespace, and the
/// other default-ignorable code points) dropped, whitespace collapsed, outer punctuation
/// trimmed.
pub fn normalize(text: &str) -> String {
    let text = INVISIBLE.replace_all(text, "");
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.nfkc() {
        let ch = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{ad}' => continue,
            c => c,
        };
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(ch.to_lowercase());
    }
    out.trim_matches(|c: char| c.is_ascii_punctuation() && c != '$' && c != '%')
        .to_string()
}

/// A run of words in a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// `equal`, `delete` or `insert`.
    pub kind: SegmentKind,
    /// The text of the run, with its whitespace.
    pub text: String,
}

/// Kind of a [`Segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// In both.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// Word-level diff of two clause texts, adjacent runs of one kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => SegmentKind::Equal,
            ChangeTag::Delete => SegmentKind::Delete,
            ChangeTag::Insert => SegmentKind::Insert,
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => out.push(Segment {
                kind,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// Plain-text rendering of a word diff: `[-old-]{+new+}` around changed words.
pub fn marked(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s.kind {
            SegmentKind::Equal => out.push_str(&s.text),
            SegmentKind::Delete => {
                let t = s.text.trim_end();
                out.push_str(&format!("[-{t}-]{}", &s.text[t.len()..]));
            }
            SegmentKind::Insert => {
                let t = s.text.trim_end();
                out.push_str(&format!("{{+{t}+}}{}", &s.text[t.len()..]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str, topics: &[&str]) -> Clause {
        Clause {
            topics: topics.iter().map(|t| Topic::new(t)).collect(),
            text: text.into(),
        }
    }

    #[test]
    fn moved_and_restyled_clauses_are_no_change() {
        let old = [
            c("Globex will host Acme’s models on its cloud.", &["cloud"]),
            c("Acme holds an exclusive licence.", &["exclusivity"]),
        ];
        let new = [
            c("Acme  holds an exclusive licence", &["exclusivity"]),
            c("GLOBEX will host Acme's models on its cloud.", &["cloud"]),
        ];
        assert!(ChangeSet::between(&old, &new).is_empty());
    }

    #[test]
    fn negation_flip_is_one_changed_clause_with_marked_words() {
        let old = [c(
            "Acme holds an exclusive licence to the models until 2030.",
            &["exclusivity"],
        )];
        let new = [c(
            "Acme holds a non-exclusive licence to the models until 2032.",
            &["exclusivity"],
        )];
        let cs = ChangeSet::between(&old, &new);
        assert_eq!(cs.changed.len(), 1, "{cs:?}");
        assert!(cs.added.is_empty() && cs.removed.is_empty());
        assert_eq!(cs.topics(), vec![Topic::new("exclusivity")]);
        let m = marked(&word_diff(&cs.changed[0].old.text, &cs.changed[0].new.text));
        assert!(m.contains("{+non-exclusive+}"), "{m}");
        assert!(m.contains("[-2030.-]") && m.contains("{+2032.+}"), "{m}");
    }

    #[test]
    fn unrelated_sentences_are_added_and_removed() {
        let old = [c(
            "Initech pays Acme a share of revenue.",
            &["revenue_share"],
        )];
        let new = [c("Globex trains its models on Hooli chips.", &["cloud"])];
        let cs = ChangeSet::between(&old, &new);
        assert_eq!(
            (cs.added.len(), cs.removed.len(), cs.changed.len()),
            (1, 1, 0)
        );
        assert_eq!(
            cs.topics(),
            vec![Topic::new("cloud"), Topic::new("revenue_share")]
        );
    }

    #[test]
    fn duplicate_clause_counts() {
        let a = c("Same sentence here.", &["cloud"]);
        let cs = ChangeSet::between(std::slice::from_ref(&a), &[a.clone(), a.clone()]);
        assert_eq!(cs.added.len(), 1);
    }

    #[test]
    fn term_summary_names_the_changed_terms() {
        let old = [
            c(
                "Acme holds an exclusive licence to Globex models until 2030.",
                &["exclusivity"],
            ),
            c(
                "Hooli pays Acme a revenue share of 20 percent.",
                &["revenue_share"],
            ),
        ];
        let new = [
            c(
                "Acme holds a non-exclusive licence to Globex models until 2032.",
                &["exclusivity"],
            ),
            c(
                "Acme commits $4 billion to Globex compute over five years.",
                &["cloud"],
            ),
        ];
        let lines = term_summary(&ChangeSet::between(&old, &new));
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("exclusivity: "), "{lines:?}");
        assert!(
            lines[0].contains("non-exclusive") && lines[0].contains("2032"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("cloud: + ") && lines[1].contains("$4B"),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("revenue_share: - ") && lines[2].contains("20%"),
            "{lines:?}"
        );
    }

    /// Issue 9: invisible characters inserted into a clause are no change.
    #[test]
    fn normalize_ignores_invisible_characters() {
        let plain = "Brightwater will be the exclusive cloud provider.";
        for invisible in [
            "\u{200e}",
            "\u{202e}",
            "\u{2066}",
            "\u{2069}",
            "\u{34f}",
            "\u{fe0f}",
            "\u{180e}",
            "\u{e0041}",
            "\u{e007f}",
            "\u{1b}",
            "\u{7f}",
            "\u{9b}",
            "\u{200b}",
            "\u{ad}",
        ] {
            let text = plain.replace("exclusive", &format!("exclu{invisible}sive"));
            assert_eq!(normalize(&text), normalize(plain), "{invisible:?}");
        }
        // Whitespace controls still separate words.
        assert_eq!(normalize("a\tb\nc"), "a b c");
    }

    #[test]
    fn normalize_folds_styles() {
        assert_eq!(normalize("  “Exclusive” — deal… "), "exclusive\" - deal");
        assert_eq!(normalize("$1.5\u{a0}billion."), "$1.5 billion");
    }
}

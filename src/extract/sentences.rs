//! Sentence splitting for English news prose.
//!
//! Owns the paragraph → sentences step. A boundary is a `.`, `!`, `?` or `…` (optionally
//! followed by closing quotes/brackets) followed by whitespace and a token that can start a
//! sentence (capital letter, digit, opening quote or bracket). It is *not* a boundary after
//! titles and other abbreviations (`Mr.`, `Dr.`, `Sept.`, `No.`, `approx.`, `e.g.`), after
//! single initials (`J. Smith`), or inside numbers (`$1.5 billion`) — those never have a
//! space after the period. Company suffixes and dotted acronyms (`Inc.`, `Corp.`, `U.S.`)
//! end a sentence only when the next word is a typical sentence opener ("The", "It"...).

/// Abbreviations after which a period never ends a sentence (lowercase, without the dot).
const NEVER_END: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "messrs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "no", "nos", "vol", "vols", "fig",
    "figs", "p", "pp", "para", "ch", "sec", "art", "approx", "appx", "est", "vs", "v", "cf", "al",
    "ca", "c", "nr", "tel", "ext", "dept", "univ", "assn", "bros", "ave", "blvd", "rd", "mln",
    "bln", "mn", "bn", "e.g", "i.e",
];

/// Suffixes and acronyms that may or may not end a sentence.
const MAYBE_END: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "lp", "llp", "ag", "sa", "nv", "bv", "gmbh", "pty",
    "cos", "etc",
];

/// Words that typically open a new sentence; used to disambiguate `Inc.` / `U.S.`.
const OPENERS: &[&str] = &[
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "in",
    "on",
    "at",
    "as",
    "but",
    "and",
    "however",
    "meanwhile",
    "moreover",
    "also",
    "a",
    "an",
    "under",
    "according",
    "last",
    "next",
    "earlier",
    "later",
    "separately",
    "both",
    "shares",
    "its",
    "there",
    "while",
    "if",
    "when",
    "after",
    "before",
    "since",
    "for",
    "with",
    "what",
    "why",
    "how",
    "our",
    "his",
    "her",
    "their",
    "analysts",
    "financial",
    "terms",
];

/// Splits a paragraph into sentences. Whitespace inside sentences is kept as given.
pub fn split_sentences(text: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize; // byte offset of the current sentence
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        // Extend over repeated terminators and closing quotes/brackets.
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
            j += 1;
        }
        while j < chars.len()
            && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '›')
        {
            j += 1;
        }
        // Must be followed by whitespace.
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k == j || k >= chars.len() {
            i = j.max(i + 1);
            continue;
        }
        if !can_start_sentence(&chars, k) {
            i = k;
            continue;
        }
        if c == '.' && !period_ends_sentence(text, &chars, start, i, k) {
            i = k;
            continue;
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        push_trimmed(&mut out, text.get(start..end).unwrap_or_default());
        start = chars[k].0;
        i = k;
    }
    push_trimmed(&mut out, text.get(start..).unwrap_or_default());
    out
}

fn push_trimmed(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s.to_owned());
    }
}

/// Whether the character at `k` can open a sentence.
fn can_start_sentence(chars: &[(usize, char)], k: usize) -> bool {
    let mut k = k;
    // Skip opening quotes/brackets/dashes to look at the first letter.
    while k < chars.len()
        && matches!(
            chars[k].1,
            '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '¿' | '¡'
        )
    {
        k += 1;
    }
    chars.get(k).is_some_and(|(_, c)| {
        c.is_uppercase() || c.is_ascii_digit() || *c == '$' || *c == '€' || *c == '£'
    })
}

/// Decides whether the period at char index `dot` ends the sentence, given that the next
/// sentence would start at char index `next`.
fn period_ends_sentence(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    dot: usize,
    next: usize,
) -> bool {
    // The token before the period, back to whitespace or an opening bracket/quote.
    let dot_byte = chars[dot].0;
    let before = text.get(start..dot_byte).unwrap_or_default();
    let token = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '‘'))
        .next()
        .unwrap_or_default();
    if token.is_empty() {
        return true;
    }
    let lower = token.to_lowercase();
    // Single initial ("J. Smith", "Jane Q. Public").
    let letters: Vec<char> = token.chars().collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        return false;
    }
    if NEVER_END.contains(&lower.as_str()) {
        return false;
    }
    let next_word: String = chars[next..]
        .iter()
        .map(|(_, c)| *c)
        .skip_while(|c| !c.is_alphanumeric())
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let dotted_acronym = token.contains('.')
        && token
            .split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
    if MAYBE_END.contains(&lower.as_str()) || dotted_acronym {
        return OPENERS.contains(&next_word.as_str());
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split_sentences("Acme signed. Globex did not! Why? Nobody knows."),
            vec!["Acme signed.", "Globex did not!", "Why?", "Nobody knows."]
        );
    }

    #[test]
    fn keeps_abbreviations_money_and_initials() {
        let s = "Acme Inc. paid $1.5 billion to Globex Corp. in Sept. 2024, Mr. J. Smith said. \
                 The U.S. unit got approx. 3 GW, e.g. in Texas. It was No. 1 in the U.S. The end.";
        assert_eq!(
            split_sentences(s),
            vec![
                "Acme Inc. paid $1.5 billion to Globex Corp. in Sept. 2024, Mr. J. Smith said.",
                "The U.S. unit got approx. 3 GW, e.g. in Texas.",
                "It was No. 1 in the U.S.",
                "The end.",
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let s = "“We are thrilled.” Acme’s chief said. “It’s a big deal,” she added.";
        assert_eq!(
            split_sentences(s),
            vec![
                "“We are thrilled.”",
                "Acme’s chief said.",
                "“It’s a big deal,” she added."
            ]
        );
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(
            split_sentences("Pay approx. five bn. dollars."),
            vec!["Pay approx. five bn. dollars."]
        );
        assert_eq!(
            split_sentences("Version 2.0 ships."),
            vec!["Version 2.0 ships."]
        );
    }

    #[test]
    fn dateline_stays_in_first_sentence() {
        let s = "NEW YORK, Jan. 5, 2025 /Wire/ -- Acme Corp. today announced a deal. Terms were not disclosed.";
        assert_eq!(
            split_sentences(s),
            vec![
                "NEW YORK, Jan. 5, 2025 /Wire/ -- Acme Corp. today announced a deal.",
                "Terms were not disclosed."
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            ".",
            "...",
            " . . ",
            "é. É",
            "a.\u{201d}",
            "Inc.",
            "x. y",
            "…É",
        ] {
            let _ = split_sentences(s);
        }
    }
}

//! Fixed bounds on the work one page may cost, checked on the decoded HTML before it is
//! parsed: a page over a bound is `failed` with the reason, whatever the machine's load,
//! so a hostile page (100,000 nested `<div>`s, 200,000 attributes on one tag) can never
//! hold a check, a pass or a shutdown for minutes. The scan is one linear pass over the
//! text and allocates nothing per tag.
//!
//! The scan is deliberately simple (it is not an HTML parser): it counts start tags, the
//! nesting of elements that need an end tag, and the attributes of each tag, skipping
//! comments, doctypes and the raw text of `script`, `style`, `textarea` and `title`.
//! Elements whose end tag is optional (`p`, `li`, `td`, …) and void elements (`br`, `img`,
//! …) never count as nesting, so ordinary pages stay far below the bounds.

/// Most start tags a page may have. Long announcement pages have a few thousand.
pub const MAX_ELEMENTS: usize = 60_000;
/// Deepest nesting of elements that need an end tag. Real pages stay under 100.
pub const MAX_DEPTH: usize = 512;
/// Most attributes on one tag. Real tags have a handful.
pub const MAX_ATTRIBUTES: usize = 256;

/// Elements that never nest: void elements and those whose end tag may be left out.
const NO_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head",
    "body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// Why a page is over a bound, or `None`.
pub(super) fn over_limit(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let (mut i, mut elements, mut depth) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        match b.get(i) {
            Some(b'!') => i = skip_markup_declaration(b, i),
            Some(b'/') => {
                let (name, end) = tag_name(b, i + 1);
                if !NO_NESTING.contains(&name.as_str()) {
                    depth = depth.saturating_sub(1);
                }
                i = end;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, end) = tag_name(b, i);
                let (attributes, self_closing, end) = scan_attributes(b, end);
                elements += 1;
                if attributes > MAX_ATTRIBUTES {
                    return Some(format!(
                        "a <{name}> tag has {attributes} attributes, more than the {MAX_ATTRIBUTES} a page may have per tag"
                    ));
                }
                if elements > MAX_ELEMENTS {
                    return Some(format!("the page has more than {MAX_ELEMENTS} elements"));
                }
                i = end;
                if RAW_TEXT.contains(&name.as_str()) {
                    i = skip_raw_text(b, i, &name);
                } else if !self_closing && !NO_NESTING.contains(&name.as_str()) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(format!("elements are nested more than {MAX_DEPTH} deep"));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// A tag name, lowercased, and where it ends.
fn tag_name(b: &[u8], start: usize) -> (String, usize) {
    let end = b[start..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
        .map_or(b.len(), |p| start + p);
    let name = String::from_utf8_lossy(&b[start..end.min(start + 32)]).to_ascii_lowercase();
    (name, end)
}

/// Counts the attributes of a tag up to its `>`; a quote opens a value only right after
/// `=`, as in HTML. Returns the count, whether the tag closes itself (`/>`) and where it
/// ends.
fn scan_attributes(b: &[u8], mut i: usize) -> (usize, bool, usize) {
    let (mut count, mut in_token, mut after_eq, mut quote) = (0usize, false, false, None::<u8>);
    let mut last = 0u8;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == b'>' {
            return (count, last == b'/', i + 1);
        } else if c.is_ascii_whitespace() {
            // `a = 'x'`: still waiting for the value after `=`.
            in_token = after_eq;
        } else if c == b'=' {
            after_eq = true;
            in_token = true;
        } else if after_eq && (c == b'"' || c == b'\'') {
            quote = Some(c);
            after_eq = false;
        } else if after_eq {
            // An unquoted value.
            after_eq = false;
        } else if c == b'/' {
            in_token = false;
        } else if !in_token {
            count += 1;
            in_token = true;
        }
        if !c.is_ascii_whitespace() {
            last = c;
        }
        i += 1;
    }
    (count, false, b.len())
}

/// Skips `<!-- … -->` or `<!…>`; `i` is at the `!`.
fn skip_markup_declaration(b: &[u8], i: usize) -> usize {
    if b[i..].starts_with(b"!--") {
        find(b, i + 3, b"-->").map_or(b.len(), |p| p + 3)
    } else {
        b[i..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| i + p + 1)
    }
}

/// Skips the raw text of `name` up to its end tag.
fn skip_raw_text(b: &[u8], i: usize, name: &str) -> usize {
    let close = format!("</{name}");
    let mut at = i;
    while let Some(p) = find(b, at, b"</") {
        if b[p..]
            .get(..close.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(close.as_bytes()))
        {
            return p;
        }
        at = p + 2;
    }
    b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_is_within_the_bounds() {
        let mut page = String::from("<!doctype html><html><head><title>a < b</title>");
        page.push_str("<script>if (a<b) { x = '<div>'; }</script></head><body><ul>");
        for _ in 0..5_000 {
            page.push_str("<li><p>Item <br> <img src='x' alt=\"a > b\"> text");
            page.push_str("<a title=\"\" we\n 'll=\"\" href = 'x' class=a>it's</a>");
        }
        page.push_str("</ul><!-- <div><div><div> --></body></html>");
        assert_eq!(over_limit(&page), None);
    }

    #[test]
    fn hostile_markup_is_refused_with_the_reason() {
        let nested = "<div>".repeat(MAX_DEPTH + 1);
        assert!(over_limit(&nested).unwrap().contains("nested"));
        let wide = format!("<p {}>", "a=1 ".repeat(MAX_ATTRIBUTES + 1));
        assert!(over_limit(&wide).unwrap().contains("attributes"));
        let quoted = format!("<p {}>", "a = 'x' b=\"y\" ".repeat(MAX_ATTRIBUTES / 2 + 1));
        assert!(over_limit(&quoted).unwrap().contains("attributes"));
        let many = "<span></span>".repeat(MAX_ELEMENTS + 1);
        assert!(over_limit(&many).unwrap().contains("elements"));
    }
}

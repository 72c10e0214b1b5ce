//! Decoding page bytes to text: BOM, then HTTP `Content-Type` charset, then `<meta>`, then UTF-8.
//!
//! Owns the byte → `String` step only. The order follows the HTML standard's encoding
//! sniffing (simplified): a byte-order mark is authoritative, then the transport-level
//! declaration, then a `<meta charset>` / `<meta http-equiv="Content-Type">` in the first
//! bytes of the document. Undeclared pages that are not valid UTF-8 are decoded as
//! windows-1252, which is what browsers do for legacy Western pages.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes are scanned for a `<meta>` charset declaration. The standard says
/// 1024; real pages put long inline scripts before it, so be a little more generous.
const META_SCAN_BYTES: usize = 4096;

/// Decodes an HTML body. `content_type` is the HTTP header value, if any.
///
/// Never fails: undecodable bytes become U+FFFD.
pub fn decode_html(body: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(body) {
        let rest = body.get(bom_len..).unwrap_or_default();
        return encoding.decode_without_bom_handling(rest).0.into_owned();
    }
    // A UTF-16 declaration in the HTTP header is believed only when the bytes are UTF-16
    // (a `<meta>` cannot declare it: the standard reads such a page as UTF-8).
    if let Some(encoding) = content_type
        .filter(|ct| ct.to_ascii_lowercase().contains("utf-16"))
        .and_then(|_| utf16_by_nuls(body))
    {
        return encoding.decode_without_bom_handling(body).0.into_owned();
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| charset_from_meta(body));
    if let Some(encoding) = declared {
        return resolve_declared(encoding, body)
            .decode_without_bom_handling(body)
            .0
            .into_owned();
    }
    match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(_) => WINDOWS_1252
            .decode_without_bom_handling(body)
            .0
            .into_owned(),
    }
}

/// UTF-16 text without a BOM, mostly Latin script, has a NUL in every other byte: after the
/// character in little-endian, before it in big-endian.
fn utf16_by_nuls(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(1024) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let nul_at = |odd: bool| head.chunks(2).filter(|p| p[usize::from(odd)] == 0).count();
    if nul_at(true) * 10 >= pairs * 4 && nul_at(false) * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if nul_at(false) * 10 >= pairs * 4 && nul_at(true) * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Declarations are often wrong (a CMS template says one thing, the bytes another). When
/// they disagree with the bytes, the bytes win:
/// - a legacy declaration (single- or multi-byte, as a `gb2312` page saved as UTF-8) over
///   bytes that are valid UTF-8 with non-ASCII characters is UTF-8 (legacy text almost
///   never forms valid multi-byte UTF-8);
/// - a UTF-8 declaration over invalid bytes with no multi-byte UTF-8 sequence at all is
///   windows-1252 (the usual mislabel); otherwise the page is UTF-8 with a few bad bytes.
fn resolve_declared(declared: &'static Encoding, body: &[u8]) -> &'static Encoding {
    let has_multibyte = || body.utf8_chunks().any(|c| !c.valid().is_ascii());
    if declared == encoding_rs::UTF_8 {
        if std::str::from_utf8(body).is_err() && !has_multibyte() {
            return WINDOWS_1252;
        }
    } else if std::str::from_utf8(body).is_ok() && has_multibyte() {
        return encoding_rs::UTF_8;
    }
    declared
}

/// The encoding named by a `charset=` parameter of an HTTP `Content-Type` value.
pub fn charset_from_content_type(value: &str) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset")?;
    label_after_charset(lower.as_bytes().get(at + "charset".len()..)?)
}

/// The encoding declared by a `<meta>` tag near the start of the document.
pub fn charset_from_meta(body: &[u8]) -> Option<&'static Encoding> {
    let head = body.get(..body.len().min(META_SCAN_BYTES))?;
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower, b"<meta", from) {
        let end = find(&lower, b">", pos).unwrap_or(lower.len());
        let tag = &lower[pos..end];
        if let Some(at) = find(tag, b"charset", 0)
            && let Some(encoding) = label_after_charset(&tag[at + b"charset".len()..])
        {
            return Some(encoding);
        }
        from = end;
    }
    None
}

/// Parses `  = "label"` (the text after the word `charset`) into an encoding.
fn label_after_charset(rest: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while rest.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    if rest.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while rest
        .get(i)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
    {
        i += 1;
    }
    let start = i;
    while rest
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        i += 1;
    }
    let encoding = Encoding::for_label(rest.get(start..i)?)?;
    // A document that is ASCII-compatible enough to carry a <meta> cannot really be UTF-16;
    // the standard says to treat such a declaration as UTF-8.
    if encoding == UTF_16LE || encoding == UTF_16BE {
        return Some(UTF_8);
    }
    Some(encoding)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_win_when_the_declaration_is_wrong() {
        // UTF-8 bytes served as windows-1252: no mojibake.
        let utf8 = "<p>Acme’s “exclusive” deal — signed</p>".as_bytes();
        assert!(
            super::decode_html(utf8, Some("text/html; charset=windows-1252"))
                .contains("Acme’s “exclusive” deal — signed")
        );
        // windows-1252 bytes declared as UTF-8.
        let cp1252 = b"<p>Acme\x92s \x93exclusive\x94 deal \x97 signed</p>";
        assert!(
            super::decode_html(cp1252, Some("text/html; charset=utf-8"))
                .contains("Acme’s “exclusive” deal — signed")
        );
        // Real windows-1252 declared as such stays windows-1252.
        assert!(
            super::decode_html(cp1252, Some("text/html; charset=windows-1252")).contains("Acme’s")
        );
    }

    use super::*;

    #[test]
    fn windows_1252_declared_by_meta_charset() {
        let mut page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>".to_vec();
        page.extend_from_slice(b"\x93Acme\x94 \x97 Globex\x92s deal</p></body></html>");
        let text = decode_html(&page, None);
        assert!(text.contains("\u{201c}Acme\u{201d} \u{2014} Globex\u{2019}s deal"));
    }

    #[test]
    fn windows_1252_declared_by_http_equiv() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>caf\xe9</p>";
        assert!(decode_html(page, None).contains("caf\u{e9}"));
    }

    #[test]
    fn header_wins_over_meta_and_bom_wins_over_header() {
        let page = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        assert!(decode_html(page, Some("text/html; charset=ISO-8859-1")).contains("caf\u{e9}"));
        let bom = b"\xef\xbb\xbf<p>caf\xc3\xa9</p>";
        assert!(decode_html(bom, Some("text/html; charset=windows-1252")).contains("caf\u{e9}"));
    }

    #[test]
    fn undeclared_invalid_utf8_falls_back_to_windows_1252() {
        assert_eq!(decode_html(b"a\x96b", None), "a\u{2013}b");
        assert_eq!(decode_html("a\u{2013}b".as_bytes(), None), "a\u{2013}b");
    }

    #[test]
    fn garbage_labels_are_ignored() {
        assert_eq!(
            decode_html(b"<meta charset=\"bogus\">x", None),
            "<meta charset=\"bogus\">x"
        );
        assert!(charset_from_content_type("text/html; charset=").is_none());
        assert!(charset_from_meta(b"<meta").is_none());
    }

    #[test]
    fn multibyte_declaration_over_utf8_bytes_is_utf8() {
        let page = "<meta charset=\"gb2312\"><p>合同 — 独家</p>".as_bytes();
        assert!(decode_html(page, None).contains("合同 — 独家"));
        let gbk = b"<meta charset=\"gb2312\"><p>\xba\xcf\xcd\xac</p>";
        assert!(decode_html(gbk, None).contains("合同"));
    }

    #[test]
    fn utf16_header_is_believed_only_over_utf16_bytes() {
        let text = "<p>Acme signs with Globex</p>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let header = Some("text/html; charset=UTF-16");
        assert_eq!(decode_html(&le, header), text);
        assert_eq!(decode_html(&be, header), text);
        assert_eq!(decode_html(text.as_bytes(), header), text);
    }
}

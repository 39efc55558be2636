//! Text helpers shared by every stage: Unicode normalisation, slugs and alphabetical order.

pub mod collate;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Text in Unicode NFC, the form every stage compares and indexes.
/// Editors' tools may save decomposed (NFD) Vietnamese; it must match the same records.
pub fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_string(),
        _ => text.nfc().collect(),
    }
}

/// [`nfc`] of an owned string: no copy when it is already NFC (nearly always).
pub fn into_nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// An ASCII slug of a name: `Đà Nẵng` → `da-nang`.
pub fn slugify(name: &str) -> String {
    slug::slugify(nfc(name))
}

/// Whether an id has the form the format requires: lower-case ASCII letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let nfd = "đo\u{302}\u{301}i thoa\u{323}i";
        assert_eq!(nfc(nfd), "đối thoại");
        assert_eq!(nfc("đối thoại"), "đối thoại");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Đà Nẵng"), "da-nang");
        assert_eq!(slugify("Sở Xây dựng"), "so-xay-dung");
        assert_eq!(
            slugify("Bộ Tài nguyên và Môi trường"),
            "bo-tai-nguyen-va-moi-truong"
        );
        assert_eq!(slugify("  Quý II/2016 "), "quy-ii-2016");
    }

    #[test]
    fn html_escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">Đ & 'y'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Đ &amp; &#39;y&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("2018-000123"));
        assert!(is_valid_id("so-xay-dung"));
        assert!(!is_valid_id("So-Xay-Dung"));
        assert!(!is_valid_id("sở"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a_b"));
    }
}

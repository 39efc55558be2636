//! Text helpers shared by every stage: Unicode normalisation, slugs and alphabetical order.

pub mod collate;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Text in Unicode NFC, the form every stage compares and indexes.
/// Editors' tools may save decomposed (NFD) Vietnamese; it must match the same records.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc(text) {
        text.into()
    } else {
        text.nfc().collect::<String>().into()
    }
}

/// [`nfc`] of an owned string: no copy when it is already NFC (nearly always).
pub fn into_nfc(text: String) -> String {
    if is_nfc(text.as_str()) {
        text
    } else {
        text.nfc().collect()
    }
}

fn is_nfc(text: &str) -> bool {
    plainly_nfc(text) || is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Characters that are NFC on their own and never compose or reorder with a neighbour
/// (NFC_Quick_Check=Yes, combining class 0): ASCII and Latin up to U+02FF, the precomposed
/// Vietnamese letters (U+1E00–U+1EFF) and typographic dashes, quotes and ellipsis.
#[cfg(test)]
const PLAIN_RANGES: [std::ops::RangeInclusive<u32>; 3] =
    [0..=0x2FF, 0x1E00..=0x1EFF, 0x2010..=0x2027];

/// Whether a text has only `PLAIN_RANGES` characters, and so is NFC: a scan of its bytes that
/// Vietnamese text almost always passes, without the two table lookups a character of the
/// full check costs.
fn plainly_nfc(text: &str) -> bool {
    let b = text.as_bytes();
    // The text is UTF-8, so looking at lead bytes is enough: below 0xCC are ASCII,
    // continuation bytes and the leads of U+0080–U+02FF. Each byte is looked at with the two
    // after it, over slices of one length and without an early exit, which the compiler
    // turns into vector code; the last two bytes can only be fine below 0xCC.
    if b.len() < 3 {
        return b.iter().all(|&byte| byte < 0xCC);
    }
    let n = b.len() - 2;
    let outside = b[..n].iter().zip(&b[1..n + 1]).zip(&b[2..n + 2]).fold(
        false,
        |outside, ((&lead, &next), &after)| {
            // U+1E00–U+1EFF
            let vietnamese = (lead == 0xE1) & (next.wrapping_sub(0xB8) < 4);
            // U+2010–U+2027
            let typographic = (lead == 0xE2) & (next == 0x80) & (after.wrapping_sub(0x90) < 0x18);
            outside | ((lead >= 0xCC) & !vietnamese & !typographic)
        },
    );
    !outside && b[n..].iter().all(|&last| last < 0xCC)
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
    fn plain_ranges_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        for c in PLAIN_RANGES
            .iter()
            .flat_map(|r| r.clone())
            .filter_map(char::from_u32)
        {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            let alone = is_nfc_quick(std::iter::once(c));
            assert_eq!(alone, unicode_normalization::IsNormalized::Yes, "{c:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let in_ranges = PLAIN_RANGES.iter().any(|r| r.contains(&(c as u32)));
            assert_eq!(plainly_nfc(c.encode_utf8(&mut [0; 4])), in_ranges, "{c:?}");
        }
        assert!(plainly_nfc("Đà Nẵng – “hỏi đáp”…"));
        assert!(plainly_nfc(""));
        // Characters side by side, in and out of the ranges, at every place in a text.
        let samples = [
            'a', 'đ', 'ẵ', '“', '…', '\u{301}', '₫', '\u{2028}', 'Ω', '한',
        ];
        for x in samples {
            for y in samples {
                for z in samples {
                    let text = format!("{x}{y}{z}");
                    let expected = text
                        .chars()
                        .all(|c| PLAIN_RANGES.iter().any(|r| r.contains(&(c as u32))));
                    assert_eq!(plainly_nfc(&text), expected, "{text:?}");
                }
            }
        }
        assert!(
            !plainly_nfc("đo\u{302}\u{301}i"),
            "combining marks need the full check"
        );
        assert_eq!(nfc("Nă\u{303}ng"), "Nẵng");
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

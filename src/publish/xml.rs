//! The little XML writing the feeds and sitemaps need.

use jiff::civil::Date;
use std::fmt::Write;

/// Escapes text for XML content or a double- or single-quoted attribute. Characters XML 1.0
/// forbids (most C0 controls, U+FFFE, U+FFFF) are dropped: one stray control character in a
/// record must not make a whole feed unreadable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appended to `out`: the runs between the characters it replaces are copied
/// whole (feeds escape every answer's HTML), found by a table of the bytes that may start one
/// (a byte at a time through a `match`, the escaping was 3% of a build's instructions).
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while let Some(n) = bytes[i..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
        i += n;
        let (with, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            0..0x20 => ("", 1),
            // U+FFFE and U+FFFF.
            0xEF if bytes[i + 1..].starts_with(&[0xBF, 0xBE])
                || bytes[i + 1..].starts_with(&[0xBF, 0xBF]) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` is at an ASCII byte or a character's first byte: a boundary either way.
        out.push_str(&text[start..i]);
        out.push_str(with);
        i += len;
        start = i;
    }
    out.push_str(&text[start..]);
}

/// The bytes that [`escape_into`] replaces or drops, and 0xEF, which begins U+FFFE and U+FFFF
/// (and other characters, kept).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    let mut i = 0;
    let special = *b"&<>\"'";
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table[0xEF] = true;
    table
};

/// A date as an RFC 3339 timestamp at midnight UTC: records carry dates, not times.
pub fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Appends `<name>escaped text</name>`.
pub fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    let _ = write!(out, "{indent}<{name}>");
    escape_into(out, text);
    let _ = writeln!(out, "</{name}>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("a < b & \"c\" 'd' > e"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e"
        );
        assert_eq!(escape("x\u{0}\u{b}y\tz\n"), "xy\tz\n");
        assert_eq!(escape("Hỏi đáp"), "Hỏi đáp");
    }

    /// [`escape`] as first written, a character at a time.
    fn escape_spec(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn forbidden_characters_are_dropped_whole() {
        for text in [
            "\u{fffe}",
            "a\u{ffff}b",
            "\u{fffd}\u{fffe}\u{efbf}",
            "ế\u{ffff}",
            "\u{7f}",
        ] {
            assert_eq!(escape(text), escape_spec(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn escaping_runs_is_escaping_characters(
            text in "[a-cđộ&<>\"'\t\n\r\u{0}-\u{1f}\u{7f}\u{fffd}-\u{ffff}\u{effe}]{0,40}",
        ) {
            proptest::prop_assert_eq!(escape(&text), escape_spec(&text));
        }
    }

    #[test]
    fn dates_become_midnight_utc() {
        let d: Date = "2018-12-28".parse().unwrap();
        assert_eq!(timestamp(d), "2018-12-28T00:00:00Z");
    }
}

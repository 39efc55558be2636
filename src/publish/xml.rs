//! The little XML writing the feeds and sitemaps need.

use jiff::civil::Date;
use std::fmt::Write;

/// Escapes text for XML content or a double- or single-quoted attribute. Characters XML 1.0
/// forbids (most C0 controls, U+FFFE, U+FFFF) are dropped: one stray control character in a
/// record must not make a whole feed unreadable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
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

/// A date as an RFC 3339 timestamp at midnight UTC: records carry dates, not times.
pub fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Appends `<name>escaped text</name>`.
pub fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    let _ = writeln!(out, "{indent}<{name}>{}</{name}>", escape(text));
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

    #[test]
    fn dates_become_midnight_utc() {
        let d: Date = "2018-12-28".parse().unwrap();
        assert_eq!(timestamp(d), "2018-12-28T00:00:00Z");
    }
}

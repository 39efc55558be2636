//! Writing front matter and registry entries as YAML, by hand: the files stay in the order
//! and style editors know, and every string goes through one double-quoted escaper.

use std::fmt::Write as _;

/// A YAML double-quoted scalar that reads back as exactly `s`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            // Not printable in YAML: C0 and C1 controls, DEL, BOM, non-characters.
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An id as written in lists and references: bare when YAML cannot read it as anything but
/// text (`thue`, `so-xay-dung`), else quoted (`"2018"`, `"no"`).
pub fn id(s: &str) -> String {
    const SPECIAL: [&str; 11] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
    ];
    let bare = crate::text::is_valid_id(s)
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !SPECIAL.contains(&s);
    if bare { s.to_string() } else { quote(s) }
}

/// A flow list of ids: `[thue, ho-tich]`.
pub fn id_list(ids: &[String]) -> String {
    let items: Vec<String> = ids.iter().map(|s| id(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A flow list of quoted strings.
pub fn string_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", items.join(", "))
}

/// One registry entry (agency or topic) as a block-list item.
pub fn registry_entry(id_: &str, name: &str) -> String {
    format!("- id: {}\n  name: {}\n", id(id_), quote(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn read_back(s: &str) -> String {
        let map: BTreeMap<String, String> =
            crate::load::yaml::parse(&format!("v: {}\n", quote(s))).unwrap();
        map["v"].clone()
    }

    #[test]
    fn quotes_special_text() {
        for s in [
            "",
            "a\"b",
            "c:\\d",
            "line\nline",
            "# not a comment",
            "- x",
            "{a: b}",
            "no",
            "đ\u{85}\u{2028}\u{7f}\u{1b}\u{feff}",
        ] {
            assert_eq!(read_back(s), s);
        }
    }

    #[test]
    fn ids_are_bare_only_when_safe() {
        assert_eq!(id("so-xay-dung"), "so-xay-dung");
        assert_eq!(id("2018"), "\"2018\"");
        assert_eq!(id("no"), "\"no\"");
        assert_eq!(id_list(&["thue".into(), "123".into()]), "[thue, \"123\"]");
    }

    proptest! {
        #[test]
        fn any_string_round_trips(s in "\\PC*|[\\x00-\\x{ff}\\u{2028}\\u{feff}\"\\\\]*") {
            prop_assert_eq!(read_back(&s), s);
        }
    }
}

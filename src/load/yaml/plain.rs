//! An exact reader for the plain YAML that record front matter almost always is: one
//! `key: value` per line, where a value is a double-quoted text without escapes, a plain word
//! or date, or a one-line flow list or mapping of those. It gives the entries serde-saphyr
//! gives, or `None` as soon as anything is outside that subset, and then serde-saphyr reads
//! the text and its results and errors rule. The tests hold the two to the same answers.

use super::{Entry, located};
use serde_json::{Map, Value};

/// Front matter is under a kilobyte; this keeps far from serde-saphyr's budgets.
const MAX_TEXT: usize = 64 * 1024;
/// serde-saphyr looks 1,024 characters ahead for a key's `:`; ours stay far below.
const MAX_KEY: usize = 64;

/// The entries of `text`, or `None` if it is not plain front matter.
pub(super) fn read(text: &str) -> Option<Vec<Entry>> {
    if text.len() > MAX_TEXT || !text.chars().all(is_plain_char) {
        return None;
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(16);
    let mut start = 0;
    for line in text.split('\n') {
        let line_start = start;
        start += line.len() + 1;
        if line.bytes().all(|b| b == b' ') || line.starts_with('#') {
            continue;
        }
        let entry = read_line(line, line_start, text)?;
        // serde-saphyr reports a key written twice.
        if entries.iter().any(|(k, _)| k.value == entry.0.value) {
            return None;
        }
        entries.push(entry);
    }
    (!entries.is_empty()).then_some(entries)
}

/// YAML's printable characters and `\n`, less tabs, `\r`, NEL, the line and paragraph
/// separators and the byte-order mark, any of which could make serde-saphyr read otherwise.
fn is_plain_char(c: char) -> bool {
    match c {
        '\n' | ' '..='~' | '\u{10000}'.. => true,
        '\u{a0}'..='\u{d7ff}' => !matches!(c, '\u{2028}' | '\u{2029}'),
        '\u{e000}'..='\u{fffd}' => c != '\u{feff}',
        _ => false,
    }
}

/// One `key: value` line starting at `line_start` in `text`.
fn read_line(line: &str, line_start: usize, text: &str) -> Option<Entry> {
    let key = key(line)?;
    let after = line.get(key.len()..)?.strip_prefix(':')?;
    let value_text = after.trim_start_matches(' ');
    if value_text.len() == after.len() {
        return None;
    }
    let (value, len, rest) = block_value(value_text)?;
    if !rest.bytes().all(|b| b == b' ') {
        return None;
    }
    let value_at = line_start + (line.len() - value_text.len());
    Some(located(
        key.to_owned(),
        line_start,
        value,
        value_at,
        len,
        text,
    ))
}

/// The key `[a-z_][a-z0-9_]*` that `s` starts with, unless YAML could read it as other than
/// a text.
fn key(s: &str) -> Option<&str> {
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        .count();
    let key = s.get(..len)?;
    let starts_well = key.bytes().next().is_some_and(|b| !b.is_ascii_digit());
    (starts_well && len <= MAX_KEY && !is_reserved(key)).then_some(key)
}

/// A value after `key: `: the value, the length of its source as serde-saphyr gives it (a
/// collection's is its opening bracket) and the text after it.
fn block_value(s: &str) -> Option<(Value, usize, &str)> {
    match s.bytes().next()? {
        b'"' => {
            let (text, rest) = quoted(s)?;
            Some((Value::String(text), s.len() - rest.len(), rest))
        }
        b'[' => {
            let (items, rest) = sequence(s.get(1..)?)?;
            Some((Value::Array(items), 1, rest))
        }
        b'{' => {
            let (map, rest) = mapping(s.get(1..)?)?;
            Some((Value::Object(map), 1, rest))
        }
        _ => {
            let plain = s.trim_end_matches(' ');
            is_plain_text(plain, false).then(|| (Value::String(plain.to_owned()), plain.len(), ""))
        }
    }
}

/// `"text"` without escapes at the start of `s`: the text and what follows the quote.
fn quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let end = body.find(['"', '\\'])?;
    let rest = body.get(end..)?.strip_prefix('"')?;
    Some((body.get(..end)?.to_owned(), rest))
}

/// The items of a flow list after its `[`, and the text after its `]`.
fn sequence(s: &str) -> Option<(Vec<Value>, &str)> {
    let mut items = Vec::new();
    let mut s = s.trim_start_matches(' ');
    if let Some(rest) = s.strip_prefix(']') {
        return Some((items, rest));
    }
    loop {
        let (item, rest) = flow_scalar(s)?;
        items.push(Value::String(item));
        let rest = rest.trim_start_matches(' ');
        if let Some(rest) = rest.strip_prefix(']') {
            return Some((items, rest));
        }
        s = rest.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// The entries of a flow mapping after its `{`, and the text after its `}`.
fn mapping(s: &str) -> Option<(Map<String, Value>, &str)> {
    let mut map = Map::new();
    let mut s = s.trim_start_matches(' ');
    if let Some(rest) = s.strip_prefix('}') {
        return Some((map, rest));
    }
    loop {
        let key = key(s)?;
        let after = s.get(key.len()..)?.strip_prefix(':')?;
        let value_text = after.trim_start_matches(' ');
        if value_text.len() == after.len() {
            return None;
        }
        let (value, rest) = flow_scalar(value_text)?;
        if map.insert(key.to_owned(), Value::String(value)).is_some() {
            return None;
        }
        let rest = rest.trim_start_matches(' ');
        if let Some(rest) = rest.strip_prefix('}') {
            return Some((map, rest));
        }
        s = rest.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// A quoted or plain text inside a flow collection, and the text after it.
fn flow_scalar(s: &str) -> Option<(String, &str)> {
    if s.starts_with('"') {
        return quoted(s);
    }
    let end = s.find([',', ']', '}']).unwrap_or(s.len());
    let (plain, rest) = s.split_at_checked(end)?;
    let plain = plain.trim_end_matches(' ');
    is_plain_text(plain, true).then(|| (plain.to_owned(), rest))
}

/// Whether a plain scalar (trimmed) is surely a text to serde-saphyr: it starts with a
/// letter and is no null or boolean spelling, or it is a date, which stays a text.
fn is_plain_text(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() {
        return is_date_shape(s);
    }
    first.is_alphabetic() && !is_reserved(s) && has_no_indicator(s, in_flow)
}

/// No character that could end the scalar or start something else: quotes, comments and
/// flow punctuation anywhere; `:` only inside a block value and followed by a non-space.
fn has_no_indicator(s: &str, in_flow: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, c)| match c {
        b'"' | b'\'' | b'\\' | b'`' | b'#' | b'[' | b']' | b'{' | b'}' | b',' => false,
        b':' => !in_flow && b.get(i + 1).is_some_and(|n| *n != b' '),
        _ => true,
    })
}

/// `NNNN-NN-NN`, which serde-saphyr reads as a text whatever the digits.
fn is_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Null and YAML 1.1 boolean spellings (serde-saphyr reads `yes`, `No`, `ON`, `y` … as
/// booleans), in any case.
fn is_reserved(s: &str) -> bool {
    ["null", "true", "false", "yes", "no", "on", "off", "y", "n"]
        .iter()
        .any(|word| s.eq_ignore_ascii_case(word))
}

/// The benchmark generator, to check the reader on a generated archive.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../examples/generate/corpus.rs"]
mod corpus;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{RawMap, located_entries, parse};
    use proptest::prelude::*;
    use std::path::Path;

    /// Reads `text` both ways and fails if the fast reader gives other entries than
    /// serde-saphyr; returns whether the fast reader read it.
    fn agrees(text: &str) -> bool {
        let Some(fast) = read(text) else {
            return false;
        };
        let slow = parse::<RawMap>(text).map(|map| located_entries(map, text));
        assert_eq!(slow, Ok(fast), "the fast reader differs on {text:?}");
        true
    }

    const RECORD: &str = "id: \"2019-004269\"\n\
        title: \"Thời hạn sửa chữa, cải tạo nhà ở được tính thế nào?\"\n\
        asked: 2019-07-30\n\
        asker: {kind: organization, name: \"Hợp tác xã Hải Vân Xanh\"}\n\
        agency: so-xay-dung\n\
        topics: [xay-dung, chuyen-doi-so]\n\
        channel: letter\n\
        status: answered\n\
        answered: 2019-08-02\n";

    #[test]
    fn reads_plain_front_matter() {
        let long = "đ".repeat(3_000);
        let many_topics = vec!["chuyen-doi-so"; 300].join(", ");
        let comments = "# note\n".repeat(40);
        let accepted = [
            RECORD.to_string(),
            RECORD.trim_end().to_string(),
            format!("\n# a comment: [x]\n\n{RECORD}   \n#\n"),
            "title: Thời hạn sửa chữa   \nx:    a  b\n".into(),
            "source: https://example.gov.vn/a?b=c&d=e\nx: a:b\n".into(),
            "x: \"\"\nz: \"  a: b # c, [d] {e} 'f' \"  \n".into(),
            "topics: []\nasker: {}\nz: [ ]\n".into(),
            "topics: [ a ,b,\"\" , \"c, d\"]\n".into(),
            "asker: { kind: anonymous ,name: \"Ông A\" , place: phường Đông}\n".into(),
            "a: 0000-00-00\nb: 2019-02-30\nc: [2019-07-30]\nd: nulls\ne: Yes-no\nf: inf\n".into(),
            "_k9: Ω\nn_: nan\n".into(),
            format!("title: \"{long}\"\nplain: a{long}\n"),
            format!("topics: [{many_topics}]\nasker: {{name: \"{long}\"}}\n"),
            format!("{comments}id: a\n{comments}title: b\n{comments}"),
        ];
        for text in &accepted {
            assert!(agrees(text), "the fast reader declined {text:?}");
        }
    }

    /// Texts the reader must leave to serde-saphyr: other types, quoting, structure and
    /// characters it does not read, and errors.
    #[rustfmt::skip]
    const DECLINED: &[&str] = &[
        "", "\n", "# only a comment\n", "x: yes\n", "x: No\n", "x: ON\n", "x: y\n", "x: NULL\n",
        "x: ~\n", "x: true\n", "x: 123\n", "x: 0123\n", "x: 1.5\n", "x: .inf\n", "x: -a\n",
        "x: 2019-7-30\n", "x: 2019-07-30T10:00\n", "x: 'a'\n", "x: \"a\\\"b\"\n",
        "x: \"a\\nb\"\n", "x: \"a\n", "x:\n", "x: \n", "x:a\n", "x : a\n", "a: b\na: c\n",
        "x: a # c\n", "x: \"a\" # c\n", "x: \"a\"b\n", "x: a:\n", "x: a: b\n", "x: [a, [b]]\n",
        "x: [a,]\n", "x: [a: b]\n", "x: [a:b]\n", "x: [a\n", "x: [a] b\n", "x: [yes]\n",
        "x: [1]\n", "x: {a: b, a: c}\n", "x: {a: 1}\n", "x: {a:b}\n", "x: {\"a\": b}\n",
        "x: {a: b}c\n", "x: {y: b}\n", "x:\n  - a\n", "x:\n  y: z\n", "x: |\n  a\n",
        "x: >\n  a\n", "x: &a b\n", "x: *a\n", "x: !!str a\n", "x: a\n  b\n", " x: a\n",
        "X: a\n", "1x: a\n", "\"x\": a\n", "y: a\n", "null: a\n", "---\nx: a\n", "x: a\t\n",
        "x: a\r\n", "\u{feff}x: a\n", "x: a\u{85}b\n", "x: a\u{2028}b\n", "x: \"\u{1}\"\n",
        "x: `a`\n", "x: a'b\n", "x: a,b\n", "x: é]\n",
    ];

    #[test]
    fn declines_anything_else() {
        for text in DECLINED {
            assert!(read(text).is_none(), "the fast reader read {text:?}");
        }
        let long_key = format!("{}: a\n", "k".repeat(MAX_KEY + 1));
        let long_text = format!("x: \"{}\"\n", "a".repeat(MAX_TEXT));
        assert!(agrees(&long_key[1..]) && read(&long_key).is_none());
        assert!(read(&long_text).is_none());
    }

    /// Every record of the archive under `content`: how many the fast reader read, of all.
    fn read_archive(content: &Path) -> (usize, usize) {
        let (mut fast, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(content) {
            let entry = entry.expect("walk");
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let bytes = std::fs::read(entry.path()).expect("read");
            let text = crate::load::source::decode(bytes, "record").expect("UTF-8");
            let parts = crate::load::frontmatter::split(&text).expect("front matter");
            all += 1;
            fast += usize::from(agrees(&text[parts.front_matter]));
        }
        (fast, all)
    }

    #[test]
    fn reads_nearly_every_record_of_the_example_and_a_generated_archive() {
        let (fast, all) = read_archive(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        assert!(all > 50 && fast * 100 >= all * 95, "{fast} of {all}");
        let dir = tempfile::tempdir().expect("temporary folder");
        let options = corpus::Options {
            records: 2_000,
            seed: 5,
        };
        corpus::generate(options, dir.path()).expect("generate");
        let (fast, all) = read_archive(&dir.path().join("content"));
        assert!(all == 2_000 && fast * 100 >= all * 99, "{fast} of {all}");
    }

    /// Pieces that YAML reads as other than a text, or that end, break or bend a value.
    #[rustfmt::skip]
    const TRICKY: &[&str] = &[
        "yes", "No", "NULL", "null", "~", "true", "off", "y", "n", "123", "0123", "1.5", "-1",
        ".inf", "2019-07-30", "2019-7-30", "a:b", "a: b", "a:", "a #b", "a#b",
        "http://x.vn/a?b", "'q'", "\"", "\\", "\\n", "[a]", "{a: b}", ",", "&a", "*a", "!t",
        "|", ">", "-", "? ", "%", "@", "`", "\u{a0}", "\u{feff}", "\u{85}", "\u{2028}", "\t",
        "\r", "\n", "\n  ", "\n#", "e\u{301}", "\u{10348}", "\u{fffd}", "\u{7f}", "\u{1}",
        "\u{80}", "\u{9f}", "\u{fffe}", "\u{ffff}",
    ];

    /// Pieces of values: mostly what records hold, sometimes what YAML reads otherwise.
    fn word() -> impl Strategy<Value = String> {
        let tricky = prop::sample::select(TRICKY);
        prop_oneof![
            12 => "[a-zđơưĐÁ][a-z0-9đơư-]{0,6}( [a-zđ.]{1,5})?",
            2 => "2[0-9]{3}-[01][0-9]-[0-3][0-9]",
            1 => tricky.prop_map(str::to_string),
            1 => "[a-zđ0-9 :,#\\-\"'\\[\\]{}]{0,8}",
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 1..3).prop_map(|w| w.concat())
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => text(),
            2 => text().prop_map(|t| format!("\"{t}\"")),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        let tricky =
            prop::sample::select(vec!["y", "on", "null", "Key", "9k", "\"k\"", "a b", "-"]);
        prop_oneof![
            20 => "[a-z_][a-z0-9_]{0,7}",
            1 => tricky.prop_map(str::to_string),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        let separator = prop::sample::select(vec![", ", ", ", ",", " , "]);
        prop_oneof![
            4 => scalar(),
            2 => (prop::collection::vec(scalar(), 0..4), separator.clone())
                .prop_map(|(items, sep)| format!("[{}]", items.join(sep))),
            2 => (prop::collection::vec((key(), scalar()), 0..3), separator)
                .prop_map(|(entries, sep)| {
                    let entries: Vec<String> =
                        entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", entries.join(sep))
                }),
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let colon = prop_oneof![
            8 => Just(": "),
            2 => Just(":   "),
            1 => prop::sample::select(vec![":", " : ", ":\t", ":\n  "]),
        ];
        let after = prop_oneof![
            8 => Just(""),
            2 => Just("  "),
            1 => prop::sample::select(vec![" # c", "#", "\t", "\r", ":", "\n  x"]),
        ];
        let other = prop::sample::select(vec!["", "  ", "# c: [x]", "#", "  more", "- a", "---"]);
        prop_oneof![
            12 => (key(), colon, value(), after).prop_map(|(k, c, v, a)| format!("{k}{c}{v}{a}")),
            1 => other.prop_map(str::to_string),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8_192))]

        #[test]
        fn never_differs_from_serde_saphyr(
            lines in prop::collection::vec(line(), 1..8),
            newline in any::<bool>(),
        ) {
            let mut text = lines.join("\n");
            if newline {
                text.push('\n');
            }
            agrees(&text);
        }
    }
}

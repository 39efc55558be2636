//! The one place YAML is parsed. serde_yaml is archived; serde-saphyr is maintained, pure
//! safe Rust, never panics on malformed input and reports every error with its location.
//! Record front matter is nearly always plain enough for `plain`, an exact reader of a
//! small subset that serde-saphyr takes over from whenever it is unsure.

use super::fields::Located;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::HashMap;

mod plain;

/// A mapping as serde-saphyr reads it, each key and value with its location.
pub type RawMap = HashMap<Spanned<String>, Spanned<Value>>;

/// One entry of a mapping: the key and the value with their byte ranges in the parsed text.
pub type Entry = (Located<String>, Located<Value>);

/// A YAML error with its byte offset in the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset in the text given to [`parse`], where known.
    pub offset: Option<usize>,
    /// 1-based line and column in that text, where known.
    pub line_column: Option<(u32, u32)>,
}

/// Parses YAML text into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let location = e.location();
        YamlError {
            message: first_line(&e),
            offset: location
                .and_then(|l| l.span().byte_offset())
                .map(|o| o as usize),
            line_column: location.map(|l| (l.line() as u32, l.column() as u32)),
        }
    })
}

/// Parses a YAML mapping into its entries in written order, ranges relative to `text`.
/// Plain front matter is read by a small exact reader; anything it is not sure of goes to
/// serde-saphyr, which then also gives the errors.
pub fn parse_located_mapping(text: &str) -> Result<Vec<Entry>, YamlError> {
    match plain::read(text) {
        Some(entries) => Ok(entries),
        None => parse::<RawMap>(text).map(|map| located_entries(map, text)),
    }
}

/// The entries of a parsed mapping in written order, ranges relative to `text`.
pub fn located_entries(map: RawMap, text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = map
        .into_iter()
        .map(|(k, v)| {
            let key_at = offset(&k);
            let value_at = offset(&v);
            let value_len = v.referenced.span().byte_len().unwrap_or(0) as usize;
            located(k.value, key_at, v.value, value_at, value_len, text)
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    entries
}

fn offset<T>(s: &Spanned<T>) -> usize {
    s.referenced.span().byte_offset().unwrap_or(0) as usize
}

/// The one rule for the ranges of an entry, given where its key and value start and how long
/// the value's source is. A key's range is as long as the key; a list or mapping's reaches to
/// the end of its line at least (serde-saphyr gives only its opening bracket); a scalar's
/// stays on its first line.
fn located(
    key: String,
    key_at: usize,
    value: Value,
    value_at: usize,
    value_len: usize,
    text: &str,
) -> Entry {
    let key_span = key_at..key_at + key.len().max(1);
    let line_end = text
        .get(value_at.min(text.len())..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| value_at + i);
    let value_span = match value {
        Value::Array(_) | Value::Object(_) => value_at..line_end.max(value_at + value_len),
        _ => value_at..(value_at + value_len.max(1)).min(line_end.max(value_at + 1)),
    };
    (
        Located {
            value: key,
            span: key_span,
        },
        Located {
            value,
            span: value_span,
        },
    )
}

impl YamlError {
    /// Byte offset of the error in `text` (the text given to [`parse`]), from the line and
    /// column when the parser gave no offset.
    pub fn offset_in(&self, text: &str) -> usize {
        if let Some(offset) = self.offset {
            return offset.min(text.len());
        }
        let Some((line, column)) = self.line_column else {
            return 0;
        };
        let start = crate::diagnostics::line_start(text, line as usize);
        let col: usize = text[start..]
            .chars()
            .take_while(|c| *c != '\n')
            .take(column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        start + col
    }
}

/// The error's message without the snippet serde-saphyr renders itself (we render our own)
/// and without its "error: line 3 column 6:" prefix, whose numbers count from the start of
/// the front matter rather than the file; the diagnostic carries the real position.
fn first_line(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let line = full.lines().next().unwrap_or("invalid YAML").trim();
    let line = line.strip_prefix("error:").unwrap_or(line).trim_start();
    let without_position = line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(position, _)| position.contains("column"))
        .map_or(line, |(_, message)| message);
    let message = without_position.trim();
    // serde-saphyr suggests one of its own options here; an editor needs the key.
    match message.strip_prefix("duplicate mapping key: ") {
        Some(rest) => {
            let key = rest.split(',').next().unwrap_or(rest).trim();
            format!("the key `{key}` appears twice")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_position_of_syntax_errors() {
        let err = parse::<BTreeMap<String, String>>("a: b\nc: [d\n").unwrap_err();
        assert!(err.line_column.is_some(), "{err:?}");
    }

    #[test]
    fn messages_carry_no_position_of_their_own() {
        let text = "a: b\nc: \"d\ne: f\n";
        let err = parse::<BTreeMap<String, String>>(text).unwrap_err();
        assert!(!err.message.contains("line "), "{err:?}");
        assert!(err.offset_in(text) <= text.len());
    }

    #[test]
    fn offset_from_line_and_column() {
        let err = YamlError {
            message: String::new(),
            offset: None,
            line_column: Some((2, 3)),
        };
        assert_eq!(err.offset_in("ab\ncđe\n"), 3 + "cđ".len());
        assert_eq!(err.offset_in(""), 0);
    }

    #[test]
    fn rejects_duplicate_keys() {
        let err = parse::<BTreeMap<String, String>>("a: b\na: c\n").unwrap_err();
        assert_eq!(err.message, "the key `a` appears twice");
    }
}

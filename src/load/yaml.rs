//! The one place YAML is parsed. serde_yaml is archived; serde-saphyr is maintained, pure
//! safe Rust, never panics on malformed input and reports every error with its location.

use serde::de::DeserializeOwned;

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

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

/// The error's message without the snippet serde-saphyr renders itself (we render our own).
fn first_line(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    full.lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string()
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
    fn rejects_duplicate_keys() {
        assert!(parse::<BTreeMap<String, String>>("a: b\na: c\n").is_err());
    }
}

//! Problems found in a site's content, each with its file, line and column.
//!
//! The library only collects [`Diagnostic`]s; the CLI renders them (human, JSON or GitHub
//! annotations). Codes are stable and documented in `docs/problems.md`.

use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, such as `E0203`.
    pub code: &'static str,
    /// Path relative to the site root, `/`-separated.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based, counted in characters; 0 when the problem concerns the whole file.
    pub column: u32,
    pub message: String,
    /// A suggestion, such as "did you mean `so-xay-dung`?".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Byte range in the file that the problem points at, for snippets.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A problem at a byte range of `text`, the content of `file`.
    pub fn at_span(
        severity: Severity,
        code: &'static str,
        file: &str,
        text: &str,
        span: Range<usize>,
        message: String,
    ) -> Diagnostic {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = line_column(text, start);
        Diagnostic {
            severity,
            code,
            file: file.to_string(),
            line,
            column,
            message,
            help: None,
            span: Some(start..end),
        }
    }

    /// A problem at one byte offset, underlining the rest of the token there.
    pub fn at_offset(
        severity: Severity,
        code: &'static str,
        file: &str,
        text: &str,
        offset: usize,
        message: String,
    ) -> Diagnostic {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let end = text[offset..]
            .find(|c: char| c.is_whitespace())
            .map_or(text.len(), |n| offset + n.max(1).min(text.len() - offset));
        Diagnostic::at_span(severity, code, file, text, offset..end, message)
    }

    /// A problem with a whole file (unreadable, too large, missing).
    pub fn file_level(
        severity: Severity,
        code: &'static str,
        file: &str,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            file: file.to_string(),
            line: 0,
            column: 0,
            message,
            help: None,
            span: None,
        }
    }

    /// A problem at a known line and column, without a snippet.
    pub fn at_line(
        severity: Severity,
        code: &'static str,
        file: &str,
        line: u32,
        column: u32,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            line,
            column,
            ..Diagnostic::file_level(severity, code, file, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts problems by file, position and code, so output is stable across runs.
pub fn sort(problems: &mut [Diagnostic]) {
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

/// Byte offset of the start of a 1-based line (the end of the text past the last line).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "did you mean" for an unknown id: the closest known one, if close enough.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(wanted, k), k))
        .filter(|(d, k)| *d <= (k.len().max(wanted.len()) / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "a: đối\nb: x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, "a: đ".len()), (1, 5));
        assert_eq!(line_column(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(line_start(text, 2), 7 + "đối".len() - 3);
    }

    #[test]
    fn offset_inside_a_character_is_floored() {
        let d = Diagnostic::at_offset(Severity::Error, "E0001", "f", "đ x", 1, "m".into());
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn closest_ids() {
        let known = ["so-xay-dung", "so-y-te", "cong-an"];
        assert_eq!(closest("so-xay-dng", known), Some("so-xay-dung"));
        assert_eq!(closest("khac-hoan-toan", known), None);
    }
}

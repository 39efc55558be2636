//! Reading typed fields out of a YAML mapping, one problem per bad field, all at once.
//!
//! A mapping is parsed into located keys and values; each accessor checks one field and
//! records a diagnostic at the value's position when it has the wrong shape. Fields nobody
//! asked for are reported as unknown (a warning, so older versions read newer content).

use super::yaml::{self, Entry, RawMap};
use crate::diagnostics::{Diagnostic, Severity};
use jiff::civil::Date;
use serde_json::Value;
use std::ops::Range;

/// A value with the byte range it came from in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// One YAML mapping of one file.
pub struct Fields<'a> {
    file: &'a str,
    text: &'a str,
    /// Offset of the parsed YAML within `text`.
    base: usize,
    /// Where to report a missing field.
    anchor: Range<usize>,
    entries: Vec<Entry>,
    used: Vec<bool>,
    pub problems: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// The fields of a mapping serde-saphyr read from `text[base..]`.
    pub fn new(
        file: &'a str,
        text: &'a str,
        base: usize,
        anchor: Range<usize>,
        map: RawMap,
    ) -> Self {
        let entries = yaml::located_entries(map, text.get(base..).unwrap_or_default());
        Self::from_entries(file, text, base, anchor, entries)
    }

    /// The fields of a mapping's entries, whose ranges are relative to `text[base..]`.
    pub fn from_entries(
        file: &'a str,
        text: &'a str,
        base: usize,
        anchor: Range<usize>,
        mut entries: Vec<Entry>,
    ) -> Self {
        if base > 0 {
            for (k, v) in &mut entries {
                k.span = k.span.start + base..k.span.end + base;
                v.span = v.span.start + base..v.span.end + base;
            }
        }
        let used = vec![false; entries.len()];
        Fields {
            file,
            text,
            base,
            anchor,
            entries,
            used,
            problems: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let d = Diagnostic::at_span(Severity::Error, code, self.file, self.text, span, message);
        self.problems.push(d);
        self.problems.last_mut().expect("just pushed")
    }

    pub fn warning(&mut self, code: &'static str, span: Range<usize>, message: String) {
        let d = Diagnostic::at_span(Severity::Warning, code, self.file, self.text, span, message);
        self.problems.push(d);
    }

    /// The raw value of a field, marking it as known.
    pub fn take(&mut self, key: &str) -> Option<Located<Value>> {
        let i = self.entries.iter().position(|(k, _)| k.value == key)?;
        self.used[i] = true;
        Some(self.entries[i].1.clone())
    }

    /// Whether a field is present (null counts as absent).
    pub fn has(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|(k, v)| k.value == key && !v.value.is_null())
    }

    fn missing(&mut self, key: &str) {
        let anchor = self.anchor.clone();
        self.error("E0210", anchor, format!("missing required field `{key}`"));
    }

    /// A string field; numbers and booleans are refused so that `id: 0123` is not silently 123.
    pub fn string(&mut self, key: &str, required: bool) -> Option<Located<String>> {
        let Some(v) = self.take(key).filter(|v| !v.value.is_null()) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        match &v.value {
            Value::String(s) if s.trim().is_empty() && required => {
                self.error("E0211", v.span, format!("`{key}` must not be empty"));
                None
            }
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(Located {
                value: s.trim().to_string(),
                span: v.span,
            }),
            other => {
                let found = kind_of(other);
                self.error(
                    "E0212",
                    v.span,
                    format!("`{key}` must be a text, found {found}"),
                )
                .help = Some(format!("put the value in double quotes: {key}: \"…\""));
                None
            }
        }
    }

    /// Reports an id that is not of the form ids must have; returns whether it is valid.
    pub fn check_id(&mut self, id: &Located<String>) -> bool {
        if crate::text::is_valid_id(&id.value) {
            return true;
        }
        let message = format!(
            "id {:?} may hold only lower-case ASCII letters, digits and `-`",
            id.value
        );
        self.error("E0220", id.span.clone(), message).help =
            Some(format!("for example {:?}", crate::text::slugify(&id.value)));
        false
    }

    /// A date field, `YYYY-MM-DD`.
    pub fn date(&mut self, key: &str, required: bool) -> Option<Located<Date>> {
        let s = self.string(key, required)?;
        match parse_date(&s.value) {
            Ok(d) => Some(Located {
                value: d,
                span: s.span,
            }),
            Err(why) => {
                self.error("E0213", s.span, format!("`{key}`: {why}")).help = Some(
                    "write dates as YYYY-MM-DD, for example 2018-12-19 (or `unknown` for `asked` and `answered`)".into(),
                );
                None
            }
        }
    }

    /// A date field that may be `unknown` (portal exports often carry no dates): `None`
    /// inside when it is.
    pub fn date_or_unknown(&mut self, key: &str, required: bool) -> Option<Located<Option<Date>>> {
        if self
            .entries
            .iter()
            .any(|(k, v)| k.value == key && v.value == "unknown")
        {
            let s = self.string(key, required)?;
            return Some(Located {
                value: None,
                span: s.span,
            });
        }
        self.date(key, required).map(|d| Located {
            value: Some(d.value),
            span: d.span,
        })
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn strings(&mut self, key: &str) -> Vec<Located<String>> {
        let Some(v) = self.take(key).filter(|v| !v.value.is_null()) else {
            return Vec::new();
        };
        let items = match &v.value {
            Value::String(s) => {
                return vec![Located {
                    value: s.trim().to_string(),
                    span: v.span,
                }];
            }
            Value::Array(items) => items.clone(),
            other => {
                let found = kind_of(other);
                self.error(
                    "E0214",
                    v.span,
                    format!("`{key}` must be a list, found {found}"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        let mut cursor = v.span.start;
        for item in items {
            match item {
                Value::String(s) => {
                    let span = self
                        .find_after(cursor, v.span.end, &s)
                        .unwrap_or(v.span.clone());
                    cursor = span.end.max(cursor);
                    out.push(Located {
                        value: s.trim().to_string(),
                        span,
                    });
                }
                other => {
                    let found = kind_of(&other);
                    // A number or true/false is found by its text; a nested list or mapping
                    // is reported at the list.
                    let span = match &other {
                        Value::Number(_) | Value::Bool(_) => self
                            .find_after(cursor, v.span.end, &other.to_string())
                            .unwrap_or(v.span.clone()),
                        _ => v.span.clone(),
                    };
                    cursor = span.end.max(cursor);
                    self.error(
                        "E0214",
                        span,
                        format!("items of `{key}` must be texts, found {found}"),
                    );
                }
            }
        }
        out
    }

    /// A nested mapping, such as `asker`.
    pub fn mapping(&mut self, key: &str) -> Option<(Located<()>, serde_json::Map<String, Value>)> {
        let v = self.take(key).filter(|v| !v.value.is_null())?;
        match v.value {
            Value::Object(map) => Some((
                Located {
                    value: (),
                    span: v.span,
                },
                map,
            )),
            other => {
                let found = kind_of(&other);
                self.error(
                    "E0214",
                    v.span,
                    format!("`{key}` must be a mapping, found {found}"),
                );
                None
            }
        }
    }

    /// A boolean field.
    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let v = self.take(key).filter(|v| !v.value.is_null())?;
        match v.value {
            Value::Bool(b) => Some(b),
            other => {
                let found = kind_of(&other);
                self.error(
                    "E0214",
                    v.span,
                    format!("`{key}` must be true or false, found {found}"),
                );
                None
            }
        }
    }

    /// Warns about every field no accessor asked for, and returns the problems.
    pub fn finish(mut self, what: &str) -> Vec<Diagnostic> {
        let unknown: Vec<Located<String>> = self
            .entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|((k, _), _)| k.clone())
            .collect();
        for k in unknown {
            self.warning(
                "W0201",
                k.span,
                format!("unknown field `{}` in {what}; it is ignored", k.value),
            );
        }
        self.problems
    }

    /// Finds `needle` in the text between two offsets, for locating list items.
    fn find_after(&self, from: usize, to: usize, needle: &str) -> Option<Range<usize>> {
        let hay = self.text.get(from..to.min(self.text.len()))?;
        hay.find(needle).map(|i| from + i..from + i + needle.len())
    }

    pub fn base(&self) -> usize {
        self.base
    }
}

pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Parses `YYYY-MM-DD`, saying why a date is impossible.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("{s:?} is not a date of the form YYYY-MM-DD"));
    }
    let year: i16 = s[0..4]
        .parse()
        .map_err(|_| format!("{s:?} has an impossible year"))?;
    let month: i8 = s[5..7]
        .parse()
        .map_err(|_| format!("{s:?} has an impossible month"))?;
    let day: i8 = s[8..10]
        .parse()
        .map_err(|_| format!("{s:?} has an impossible day"))?;
    Date::new(year, month, day).map_err(|_| format!("{s} is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2018-12-19").unwrap(),
            jiff::civil::date(2018, 12, 19)
        );
        assert!(parse_date("2019-02-29").unwrap_err().contains("not a day"));
        assert!(parse_date("2018-13-01").is_err());
        assert!(parse_date("19/12/2018").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2018-1-01").is_err());
    }
}

//! A record's thread as written: the marker lines after the question (`<!-- answer -->`,
//! `<!-- forwarded to=… date=… -->`, `<!-- follow-up date=… -->`, `<!-- update date=… -->`),
//! each with its attributes and the text below it.
//!
//! Only the syntax is checked here (kinds, attributes, dates); references to agencies and the
//! order of the dates are checked against the registries in `model::thread`.

use super::fields::{Located, parse_date};
use crate::diagnostics::{Diagnostic, Severity, closest};
use jiff::civil::Date;
use std::ops::Range;

/// What an entry of a thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An answer; the last one is the current answer.
    Answer,
    /// The question handed to another agency.
    Forwarded,
    /// The asker's further question.
    FollowUp,
    /// A later correction or addition to the current answer.
    Update,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Answer, Kind::Forwarded, Kind::FollowUp, Kind::Update];

    /// The word of its marker, as written (`follow-up`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Answer => "answer",
            Kind::Forwarded => "forwarded",
            Kind::FollowUp => "follow-up",
            Kind::Update => "update",
        }
    }

    /// What the entry is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Forwarded => "forwarding",
            other => other.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The attributes its marker may carry.
    fn attributes(self) -> &'static [&'static str] {
        match self {
            Kind::Answer => &["agency", "date", "by"],
            Kind::Forwarded => &["to", "from", "date"],
            Kind::FollowUp => &["date"],
            Kind::Update => &["date", "agency"],
        }
    }
}

/// One entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySource {
    pub kind: Kind,
    /// The marker line, without its line break and surrounding spaces.
    pub marker: Range<usize>,
    /// The text below the marker, up to the next marker.
    pub body: Range<usize>,
    /// `date=`: `None` inside when written `unknown`.
    pub date: Option<Located<Option<Date>>>,
    /// `agency=` of an answer or update, `to=` of a forwarding.
    pub agency: Option<Located<String>>,
    /// `from=` of a forwarding.
    pub from: Option<Located<String>>,
    /// `by=` of an answer.
    pub by: Option<String>,
}

/// What a line that looks like a marker is: `None` for any other line, including HTML
/// comments that are plainly not markers (`<!-- ghi chú của biên tập viên -->`).
pub fn classify(line: &str) -> Option<Result<Kind, ()>> {
    let (word, rest) = marker_word(line)?;
    if let Some(kind) = Kind::parse(word) {
        return Some(Ok(kind));
    }
    // A misspelt kind (`<!-- anwser -->`) or a word with attributes is meant as a marker.
    let looks_meant = rest.contains('=') || closest(word, Kind::ALL.map(Kind::as_str)).is_some();
    looks_meant.then_some(Err(()))
}

/// The first word of a comment line and the rest of the comment.
fn marker_word(line: &str) -> Option<(&str, &str)> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let word = &inner[..end];
    let lower_word = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_');
    lower_word.then_some((word, &inner[end..]))
}

/// Reads the entries opened by the marker lines `markers` (ranges of `text` including their
/// line break); each entry's text runs to the next marker. Unknown kinds are reported and
/// their entries left out.
pub fn read(
    file: &str,
    text: &str,
    markers: &[Range<usize>],
) -> (Vec<EntrySource>, Vec<Diagnostic>) {
    let mut out = Vec::with_capacity(markers.len());
    let mut problems = Vec::new();
    for (i, line) in markers.iter().enumerate() {
        let body_end = markers.get(i + 1).map_or(text.len(), |m| m.start);
        let raw = &text[line.clone()];
        let lead = raw.len() - raw.trim_start().len();
        let marker = line.start + lead..line.start + lead + raw.trim().len();
        let mut p = Problems {
            file,
            text,
            list: &mut problems,
        };
        if let Some(entry) = entry(&mut p, marker, line.end..body_end) {
            out.push(entry);
        }
    }
    (out, problems)
}

struct Problems<'a> {
    file: &'a str,
    text: &'a str,
    list: &'a mut Vec<Diagnostic>,
}

impl Problems<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        self.list.push(Diagnostic::at_span(
            severity, code, self.file, self.text, span, message,
        ));
        self.list.last_mut().expect("just pushed")
    }
}

fn entry(p: &mut Problems, marker: Range<usize>, body: Range<usize>) -> Option<EntrySource> {
    let text = p.text;
    let line = &text[marker.clone()];
    // The word starts after `<!--` and the spaces that follow it.
    let after_open = marker.start + 4;
    let word_start = after_open
        + (text[after_open..marker.end].len() - text[after_open..marker.end].trim_start().len());
    let (word, _) = marker_word(line)?;
    let word_span = word_start..word_start + word.len();
    let Some(kind) = Kind::parse(word) else {
        let help = closest(word, Kind::ALL.map(Kind::as_str))
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(|| "use answer, forwarded, follow-up or update".into());
        p.push(
            Severity::Error,
            "E0280",
            word_span,
            format!("unknown kind of thread entry {word:?}"),
        )
        .help = Some(help);
        return None;
    };
    let mut e = EntrySource {
        kind,
        marker: marker.clone(),
        body,
        date: None,
        agency: None,
        from: None,
        by: None,
    };
    let attrs_end = marker.end - 3;
    let mut written = Vec::new();
    for attr in attributes(p, word_span.end, attrs_end) {
        let (name, value) = attr;
        written.push(name.value.clone());
        let known = kind.attributes().contains(&name.value.as_str());
        if !known {
            p.push(
                Severity::Warning,
                "W0284",
                name.span.clone(),
                format!(
                    "unknown attribute `{}` of `{}`; it is ignored",
                    name.value,
                    kind.as_str()
                ),
            )
            .help = Some(format!(
                "`{}` takes {}",
                kind.as_str(),
                kind.attributes()
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        let slot_taken = match name.value.as_str() {
            "date" => e.date.is_some(),
            "agency" | "to" => e.agency.is_some(),
            "from" => e.from.is_some(),
            _ => e.by.is_some(),
        };
        if slot_taken {
            p.push(
                Severity::Error,
                "E0281",
                name.span.clone(),
                format!("`{}` is written twice in this marker", name.value),
            );
            continue;
        }
        match name.value.as_str() {
            "date" => e.date = date(p, &value),
            "agency" | "to" => e.agency = Some(value),
            "from" => e.from = Some(value),
            _ => e.by = Some(value.value),
        }
    }
    let mut missing = Vec::new();
    // A value written but unreadable is reported already.
    let has = |name: &str| written.iter().any(|w| w == name);
    if kind != Kind::Answer && !has("date") {
        missing.push("date");
    }
    if kind == Kind::Forwarded && !has("to") {
        missing.insert(0, "to");
    }
    for m in missing {
        let example = match (kind, m) {
            (Kind::Forwarded, "to") => "<!-- forwarded to=so-xay-dung date=2019-01-03 -->",
            (Kind::Forwarded, _) => "<!-- forwarded to=… date=2019-01-03 -->",
            (Kind::FollowUp, _) => "<!-- follow-up date=2019-01-15 -->",
            _ => "<!-- update date=2021-07-01 -->",
        };
        p.push(
            Severity::Error,
            "E0283",
            marker.clone(),
            format!("`{}` needs `{m}=`", kind.as_str()),
        )
        .help = Some(format!("for example `{example}`"));
    }
    Some(e)
}

/// A `date=` value: a day or `unknown`.
fn date(p: &mut Problems, value: &Located<String>) -> Option<Located<Option<Date>>> {
    if value.value == "unknown" {
        return Some(Located {
            value: None,
            span: value.span.clone(),
        });
    }
    match parse_date(&value.value) {
        Ok(d) => Some(Located {
            value: Some(d),
            span: value.span.clone(),
        }),
        Err(why) => {
            p.push(
                Severity::Error,
                "E0282",
                value.span.clone(),
                format!("`date`: {why}"),
            )
            .help = Some("write dates as YYYY-MM-DD, for example 2019-01-12, or `unknown`".into());
            None
        }
    }
}

/// The `name=value` pairs of a marker between `from` and `to` (byte offsets of the file);
/// a malformed one is reported and reading stops there.
fn attributes(p: &mut Problems, from: usize, to: usize) -> Vec<(Located<String>, Located<String>)> {
    let text = p.text;
    let s = &text[from..to];
    let mut out = Vec::new();
    let mut i = 0;
    let b = s.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return out;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_lowercase() || b[i] == b'_' || b[i] == b'-') {
            i += 1;
        }
        if i == name_start || b.get(i) != Some(&b'=') {
            // At least the character here (which may be a space other than ASCII's).
            let here = s[i..].chars().next().map_or(0, char::len_utf8);
            let end = s[i..]
                .find(char::is_whitespace)
                .map_or(s.len(), |e| i + e)
                .max(i + here);
            p.push(
                Severity::Error,
                "E0281",
                from + name_start..from + end,
                format!("malformed attribute {:?}", &s[name_start..end]),
            )
            .help = Some("write attributes as name=value, with the value in double quotes when it holds a space: by=\"Giám đốc Sở\"".into());
            return out;
        }
        let name = Located {
            value: s[name_start..i].to_string(),
            span: from + name_start..from + i,
        };
        i += 1;
        let (value_range, next) = if b.get(i) == Some(&b'"') {
            match s[i + 1..].find('"') {
                Some(close) => (i + 1..i + 1 + close, i + close + 2),
                None => {
                    p.push(
                        Severity::Error,
                        "E0281",
                        from + i..to,
                        format!(
                            "the value of `{}` opens a quote that is not closed",
                            name.value
                        ),
                    );
                    return out;
                }
            }
        } else {
            let end = s[i..].find(char::is_whitespace).map_or(s.len(), |e| i + e);
            (i..end, end)
        };
        if value_range.is_empty() {
            p.push(
                Severity::Error,
                "E0281",
                name.span.clone(),
                format!("`{}` has no value", name.value),
            );
        } else {
            let value = Located {
                value: s[value_range.clone()].trim().to_string(),
                span: from + value_range.start..from + value_range.end,
            };
            out.push((name, value));
        }
        i = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Codes = Vec<(&'static str, u32, u32)>;

    fn entries(body: &str) -> (String, Vec<EntrySource>, Codes) {
        let text = format!("---\nid: a\n---\nHỏi?\n{body}");
        let parts = super::super::frontmatter::split(&text).unwrap();
        let (e, problems) = read("f.md", &text, &parts.markers);
        let codes = problems
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        (text, e, codes)
    }

    #[test]
    fn classifies_marker_lines() {
        assert_eq!(classify("<!-- answer -->"), Some(Ok(Kind::Answer)));
        assert_eq!(
            classify("  <!--follow-up date=2019-01-01-->  "),
            Some(Ok(Kind::FollowUp))
        );
        assert_eq!(classify("<!-- anwser -->"), Some(Err(())));
        assert_eq!(classify("<!-- reply date=2019-01-01 -->"), Some(Err(())));
        assert_eq!(classify("<!-- ghi chú của biên tập viên -->"), None);
        assert_eq!(classify("<!-- TODO -->"), None);
        assert_eq!(classify("text <!-- answer -->"), None);
    }

    #[test]
    fn reads_attributes() {
        let (text, e, problems) = entries(
            "<!-- forwarded to=so-xay-dung date=2019-01-03 -->\nVì sao.\n<!-- answer agency=so-xay-dung date=2019-01-12 by=\"Giám đốc Sở\" -->\nĐáp.\n<!-- update date=unknown -->\nSửa.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].kind, Kind::Forwarded);
        assert_eq!(e[0].agency.as_ref().unwrap().value, "so-xay-dung");
        assert_eq!(
            e[0].date.as_ref().unwrap().value,
            Some(jiff::civil::date(2019, 1, 3))
        );
        assert_eq!(text[e[0].body.clone()].trim(), "Vì sao.");
        assert_eq!(e[1].by.as_deref(), Some("Giám đốc Sở"));
        assert_eq!(
            text[e[1].marker.clone()].len(),
            "<!-- answer agency=so-xay-dung date=2019-01-12 by=\"Giám đốc Sở\" -->".len()
        );
        assert_eq!(e[2].date.as_ref().unwrap().value, None);
        assert_eq!(text[e[2].body.clone()].trim(), "Sửa.");
    }

    #[test]
    fn odd_characters_in_attributes_are_reported_not_fatal() {
        for body in [
            "<!-- answer \u{a0}date=2019-01-01 -->\nA\n",
            "<!-- answer đ -->\nA\n",
            "<!-- answer date=\u{a0} -->\nA\n",
            "<!-- forwarded to=\"đ date=2019 -->\nA\n",
        ] {
            let (_, e, problems) = entries(body);
            assert_eq!(e.len(), 1, "{body:?}");
            assert!(!problems.is_empty(), "{body:?}");
        }
    }

    #[test]
    fn reports_bad_markers_where_they_are() {
        let (_, e, problems) = entries(
            "<!-- anwser -->\nA\n<!-- follow-up -->\nB\n<!-- forwarded date=2019-02-30 colour=red -->\nC\n<!-- answer by=\"x -->\n<!-- update date=2019-01-01 date=2019-01-02 -->\n<!-- answer =x -->\n",
        );
        assert_eq!(e.len(), 5, "the unknown kind is left out");
        assert_eq!(
            problems,
            [
                ("E0280", 5, 6),
                ("E0283", 7, 1),
                ("E0282", 9, 21),
                ("W0284", 9, 32),
                ("E0283", 9, 1),
                ("E0281", 11, 16),
                ("E0281", 12, 29),
                ("E0281", 13, 13),
            ]
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever a marker line holds, reading it reports problems inside the line and
        /// never panics.
        #[test]
        fn any_marker_is_read_or_reported(kind in "(answer|forwarded|follow-up|update|anwser|x)", rest in "\\PC{0,40}") {
            let text = format!("---\nid: a\n---\nQ\n<!-- {kind} {rest} -->\nA\n");
            let parts = super::super::frontmatter::split(&text).unwrap();
            let (entries, problems) = read("f.md", &text, &parts.markers);
            prop_assert!(entries.len() <= parts.markers.len());
            for d in &problems {
                let span = d.span.clone().unwrap();
                prop_assert!(span.start >= parts.question.end && span.end <= text.len());
            }
        }
    }
}

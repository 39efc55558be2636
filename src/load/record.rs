//! One record file: front matter fields read and type-checked, body split and rendered.
//! References to agencies, topics and sessions are resolved later, in `model::validate`.

use super::fields::{Fields, Located, RawMap};
use super::frontmatter::{self, SplitError};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Asker, AskerKind, Status};
use jiff::civil::Date;
use std::ops::Range;

/// A record as read from its file, before references are resolved.
#[derive(Debug, Clone)]
pub struct RecordSource {
    /// Path relative to the site root.
    pub file: String,
    /// The decoded text of the file (positions refer to it).
    pub text: String,
    /// The opening `---` line, where file-wide problems point.
    pub head: Range<usize>,
    pub id: Option<Located<String>>,
    pub title: Option<Located<String>>,
    pub asked: Option<Located<Date>>,
    pub asker: Option<Asker>,
    pub agency: Option<Located<String>>,
    pub topics: Vec<Located<String>>,
    pub topics_span: Range<usize>,
    pub session: Option<Located<String>>,
    pub channel: Option<String>,
    pub status: Option<Located<Status>>,
    pub answered: Option<Located<Date>>,
    pub answered_by: Option<String>,
    pub source: Option<Located<String>>,
    pub aliases: Vec<Located<String>>,
    /// `privacy: reviewed` silences the personal-data warnings for this record.
    pub privacy_reviewed: bool,
    pub question: Range<usize>,
    pub answer: Option<Range<usize>>,
    pub marker: Option<Range<usize>>,
}

impl RecordSource {
    pub fn question_md(&self) -> &str {
        self.text[self.question.clone()].trim()
    }

    pub fn answer_md(&self) -> Option<&str> {
        self.answer.clone().map(|r| self.text[r].trim())
    }
}

/// Reads a record from its decoded text. Returns the record (if its front matter could be
/// read at all) and every problem found.
pub fn read(file: &str, text: String) -> (Option<RecordSource>, Vec<Diagnostic>) {
    let parts = match frontmatter::split(&text) {
        Ok(p) => p,
        Err(e) => {
            let (code, message, help) = match e {
                SplitError::NoFrontMatter => (
                    "E0201",
                    "the record does not start with front matter (a line `---`)",
                    "start the file with `---`, the fields, then another `---` line",
                ),
                SplitError::Unclosed => (
                    "E0202",
                    "the front matter is not closed by a line `---`",
                    "add a line `---` after the last field",
                ),
            };
            let d = Diagnostic::at_span(Severity::Error, code, file, &text, 0..3, message.into())
                .with_help(help);
            return (None, vec![d]);
        }
    };
    let yaml = &text[parts.front_matter.clone()];
    let base = parts.front_matter.start;
    let map: RawMap = if yaml.trim().is_empty() {
        RawMap::new()
    } else {
        match crate::load::yaml::parse::<RawMap>(yaml) {
            Ok(m) => m,
            Err(e) => {
                let at = base + e.offset.unwrap_or_else(|| offset_of(yaml, e.line_column));
                let d = Diagnostic::at_offset(
                    Severity::Error,
                    "E0203",
                    file,
                    &text,
                    at,
                    format!("invalid YAML in the front matter: {}", e.message),
                );
                return (None, vec![d]);
            }
        }
    };
    let head = 0..3;
    let mut f = Fields::new(file, &text, base, head.clone(), map);
    let record = fields_of(&mut f, file, head, &parts);
    let mut problems = f.finish("the front matter");
    for m in &parts.extra_markers {
        problems.push(Diagnostic::at_span(
            Severity::Warning,
            "W0202",
            file,
            &text,
            m.start..m.end.saturating_sub(1),
            format!(
                "a second `{}` line; it is kept as part of the answer",
                frontmatter::ANSWER_MARKER
            ),
        ));
    }
    let mut record = record;
    record.text = text;
    (Some(record), problems)
}

fn offset_of(yaml: &str, line_column: Option<(u32, u32)>) -> usize {
    let Some((line, column)) = line_column else {
        return 0;
    };
    let start = crate::diagnostics::line_start(yaml, line as usize);
    let col: usize = yaml[start..]
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    start + col
}

fn fields_of(
    f: &mut Fields,
    file: &str,
    head: Range<usize>,
    parts: &frontmatter::Parts,
) -> RecordSource {
    let id = f.string("id", true);
    if let Some(id) = &id
        && !crate::text::is_valid_id(&id.value)
    {
        f.error(
            "E0220",
            id.span.clone(),
            format!(
                "id {:?} may hold only lower-case ASCII letters, digits and `-`",
                id.value
            ),
        )
        .help = Some(format!("for example {:?}", crate::text::slugify(&id.value)));
    }
    let title = f.string("title", true);
    if let Some(t) = &title
        && t.value.contains('\n')
    {
        f.error("E0221", t.span.clone(), "`title` must be one line".into());
    }
    let asked = f.date("asked", true);
    let asker = asker(f);
    let agency = f.string("agency", false);
    let topics_span = f
        .take("topics")
        .map(|v| v.span)
        .unwrap_or_else(|| head.clone());
    let topics = f.strings("topics");
    let session = f.string("session", false);
    let channel = f.string("channel", false).map(|c| c.value);
    let status = f
        .string("status", false)
        .and_then(|s| match Status::parse(&s.value) {
            Some(st) => Some(Located {
                value: st,
                span: s.span,
            }),
            None => {
                f.error(
                    "E0222",
                    s.span,
                    format!(
                        "unknown status {:?}: use answered, pending, forwarded or declined",
                        s.value
                    ),
                );
                None
            }
        });
    let answered = f.date("answered", false);
    let answered_by = f.string("answered_by", false).map(|s| s.value);
    let source = f.string("source", false);
    let aliases = f.strings("aliases");
    let privacy_reviewed = match f.string("privacy", false) {
        Some(p) if p.value == "reviewed" => true,
        Some(p) => {
            f.error(
                "E0223",
                p.span,
                format!("`privacy` can only be `reviewed`, found {:?}", p.value),
            );
            false
        }
        None => false,
    };
    RecordSource {
        file: file.to_string(),
        text: String::new(),
        head,
        id,
        title,
        asked,
        asker,
        agency,
        topics,
        topics_span,
        session,
        channel,
        status,
        answered,
        answered_by,
        source,
        aliases,
        privacy_reviewed,
        question: parts.question.clone(),
        answer: parts.answer.clone(),
        marker: parts.marker.clone(),
    }
}

fn asker(f: &mut Fields) -> Option<Asker> {
    let (at, map) = f.mapping("asker")?;
    let text_of = |key: &str| {
        map.get(key)
            .and_then(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let kind = match map.get("kind").and_then(|v| v.as_str()) {
        Some(k) => {
            match AskerKind::parse(k) {
                Some(kind) => kind,
                None => {
                    f.error(
                    "E0224",
                    at.span,
                    format!("unknown asker kind {k:?}: use citizen, business, organization or anonymous"),
                );
                    return None;
                }
            }
        }
        None => {
            f.error("E0224", at.span, "`asker` needs a `kind`".into());
            return None;
        }
    };
    for key in map.keys() {
        if !matches!(key.as_str(), "kind" | "name" | "place") {
            f.warning(
                "W0201",
                at.span.clone(),
                format!("unknown field `asker.{key}`; it is ignored"),
            );
        }
    }
    Some(Asker {
        kind,
        name: text_of("name"),
        place: text_of("place"),
    })
}

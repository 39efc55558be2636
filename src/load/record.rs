//! One record file: front matter fields read and type-checked, body split and rendered.
//! References to agencies, topics and sessions are resolved later, in `model::validate`.

use super::fields::{Fields, Located};
use super::frontmatter::{self, SplitError};
use super::thread::{EntrySource, Kind};
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
    /// `None` inside when written `unknown`.
    pub asked: Option<Located<Option<Date>>>,
    pub asker: Option<Asker>,
    pub agency: Option<Located<String>>,
    pub topics: Vec<Located<String>>,
    pub topics_span: Range<usize>,
    pub session: Option<Located<String>>,
    pub channel: Option<String>,
    pub status: Option<Located<Status>>,
    /// `None` inside when written `unknown`.
    pub answered: Option<Located<Option<Date>>>,
    pub answered_by: Option<String>,
    pub source: Option<Located<String>>,
    pub aliases: Vec<Located<String>>,
    /// `privacy: reviewed` silences the personal-data warnings for this record.
    pub privacy_reviewed: bool,
    /// Fields that were written but could not be read (already reported), so that later
    /// checks do not report them again as missing.
    pub unreadable: Vec<&'static str>,
    pub question: Range<usize>,
    /// The thread after the question, in order (a plain `<!-- answer -->` is one entry).
    pub entries: Vec<EntrySource>,
}

impl RecordSource {
    /// `asked` when it is a known day.
    pub fn asked_day(&self) -> Option<Located<Date>> {
        known(&self.asked)
    }

    /// `answered` when it is a known day.
    pub fn answered_day(&self) -> Option<Located<Date>> {
        known(&self.answered)
    }

    pub fn question_md(&self) -> &str {
        self.text[self.question.clone()].trim()
    }

    /// The text of the last answer.
    pub fn answer_md(&self) -> Option<&str> {
        let last = self.entries.iter().rev().find(|e| e.kind == Kind::Answer)?;
        Some(self.text[last.body.clone()].trim())
    }
}

fn known(date: &Option<Located<Option<Date>>>) -> Option<Located<Date>> {
    let d = date.as_ref()?;
    Some(Located {
        value: d.value?,
        span: d.span.clone(),
    })
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
    let entries = if yaml.trim().is_empty() {
        Vec::new()
    } else {
        match crate::load::yaml::parse_located_mapping(yaml) {
            Ok(entries) => entries,
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
    let mut f = Fields::from_entries(file, &text, base, head.clone(), entries);
    let mut record = fields_of(&mut f, file, head, &parts);
    let mut problems = f.finish("the front matter");
    let (entries, found) = super::thread::read(file, &text, &parts.markers);
    record.entries = entries;
    problems.extend(found);
    crate::diagnostics::sort(&mut problems);
    record.text = text;
    (Some(record), problems)
}

impl RecordSource {
    /// Drops the question and answer once they have been read into the archive, keeping the
    /// front matter that later cross-file problems point into: at 100,000 records the bodies
    /// are 150 MB held twice otherwise. The body ranges become empty at the cut.
    pub fn keep_front_matter_only(&mut self) {
        let cut = self.question.start.min(self.text.len());
        self.text.truncate(cut);
        self.text.shrink_to_fit();
        self.question = cut..cut;
        self.entries = Vec::new();
    }
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
    if let Some(id) = &id {
        f.check_id(id);
    }
    let title = f.string("title", true);
    if let Some(t) = &title
        && t.value.contains('\n')
    {
        f.error("E0221", t.span.clone(), "`title` must be one line".into());
    }
    let asked = f.date_or_unknown("asked", true);
    let asker = asker(f);
    let mut unreadable = Vec::new();
    let (agency, bad) = noting(f, |f| f.string("agency", false));
    unreadable.extend(bad.then_some("agency"));
    let topics_span = f
        .take("topics")
        .map(|v| v.span)
        .unwrap_or_else(|| head.clone());
    let (topics, bad) = noting(f, |f| f.strings("topics"));
    unreadable.extend(bad.then_some("topics"));
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
    let (answered, bad) = noting(f, |f| f.date_or_unknown("answered", false));
    unreadable.extend(bad.then_some("answered"));
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
        unreadable,
        question: parts.question.clone(),
        entries: Vec::new(),
    }
}

/// Runs one field's reader and says whether it reported a problem.
fn noting<T>(f: &mut Fields, read: impl FnOnce(&mut Fields) -> T) -> (T, bool) {
    let before = f.problems.len();
    let value = read(f);
    (value, f.problems.len() > before)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(problems: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
        problems
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect()
    }

    #[test]
    fn reads_every_field() {
        let text = "---\nid: \"2018-0001\"\ntitle: Hỏi?\nasked: 2018-12-19\nasker: {kind: business, name: \"Công ty A\"}\nagency: so-xay-dung\ntopics: [xay-dung, thue]\nstatus: answered\nanswered: 2018-12-28\naliases: [/cu/1.html]\n---\nHỏi gì?\n\n<!-- answer -->\n\nĐáp.\n";
        let (r, problems) = read("content/a.md", text.to_string());
        assert!(problems.is_empty(), "{problems:?}");
        let r = r.unwrap();
        assert_eq!(r.id.as_ref().unwrap().value, "2018-0001");
        assert_eq!(
            r.asked.as_ref().unwrap().value,
            Some(jiff::civil::date(2018, 12, 19))
        );
        assert_eq!(r.asker.as_ref().unwrap().name.as_deref(), Some("Công ty A"));
        let topics: Vec<_> = r.topics.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(topics, ["xay-dung", "thue"]);
        // Each list item is located on its own.
        assert_eq!(&r.text[r.topics[1].span.clone()], "thue");
        assert_eq!(r.status.as_ref().unwrap().value, Status::Answered);
        assert_eq!(r.question_md(), "Hỏi gì?");
        assert_eq!(r.answer_md(), Some("Đáp."));
    }

    #[test]
    fn every_bad_field_is_reported_at_its_place() {
        let text =
            "---\nid: Bad_Id\ntitle: 12\nasked: 2019-02-30\ncolour: red\nstatus: done\n---\nQ\n";
        let (_, problems) = read("content/a.md", text.to_string());
        assert_eq!(
            codes(&problems),
            [
                ("E0220", 2, 5),
                ("E0212", 3, 8),
                ("E0213", 4, 8),
                ("W0201", 5, 1),
                ("E0222", 6, 9)
            ]
        );
    }

    #[test]
    fn dates_may_be_unknown_but_not_misspelt() {
        let base = "---\nid: a\ntitle: T\nasked: unknown\ntopics: [x]\nanswered: unknown\n";
        let (r, problems) = read("content/a.md", format!("{base}---\nQ\n"));
        assert!(problems.is_empty(), "{problems:?}");
        let r = r.unwrap();
        assert_eq!(r.asked.as_ref().map(|a| a.value), Some(None));
        assert!(r.asked_day().is_none() && r.answered_day().is_none());
        let (_, problems) = read(
            "content/a.md",
            "---\nid: a\ntitle: T\nasked: unknwon\ntopics: [x]\n---\nQ\n".to_string(),
        );
        assert_eq!(codes(&problems), [("E0213", 4, 8)]);
    }

    #[test]
    fn missing_fields_point_at_the_front_matter() {
        let (_, problems) = read("content/a.md", "---\ntopics: x\n---\nQ\n".to_string());
        let missing: Vec<_> = problems
            .iter()
            .filter(|d| d.code == "E0210")
            .map(|d| d.line)
            .collect();
        assert_eq!(missing, [1, 1, 1]);
    }

    #[test]
    fn yaml_syntax_error_is_located_in_the_file() {
        let (r, problems) = read(
            "content/a.md",
            "---\nid: a\ntopics: [a, b\n---\nQ\n".to_string(),
        );
        assert!(r.is_none());
        assert_eq!(problems[0].code, "E0203");
        assert!(problems[0].line >= 3, "{problems:?}");
    }

    #[test]
    fn missing_front_matter() {
        let (_, problems) = read("content/a.md", "Chỉ có chữ.\n".to_string());
        assert_eq!(codes(&problems), [("E0201", 1, 1)]);
        let (_, problems) = read("content/a.md", "---\nid: a\n".to_string());
        assert_eq!(codes(&problems), [("E0202", 1, 1)]);
    }
}

//! The archive model: every record with its references resolved, ready to publish.
//!
//! The loader (`crate::load`) turns files into raw front matter; `validate` turns that into
//! an [`Archive`] or a list of diagnostics. Everything downstream (pages, search, statistics,
//! feeds, exports) reads only these types.

pub mod privacy;
pub mod thread;
mod validate;

pub use validate::{
    MarkdownCache, check_one, load_and_validate, validate, validate_cached, validate_problems,
};

use jiff::civil::Date;
use serde::Serialize;

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Answered,
    Pending,
    Forwarded,
    Declined,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Answered,
        Status::Pending,
        Status::Forwarded,
        Status::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Pending => "pending",
            Status::Forwarded => "forwarded",
            Status::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Answered, forwarded and declined records carry a reply; pending ones do not.
    pub fn has_reply(self) -> bool {
        self != Status::Pending
    }
}

/// Who asked. A name is published only where the record gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asker {
    pub kind: AskerKind,
    pub name: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AskerKind {
    Citizen,
    Business,
    Organization,
    Anonymous,
}

impl AskerKind {
    pub const ALL: [AskerKind; 4] = [
        AskerKind::Citizen,
        AskerKind::Business,
        AskerKind::Organization,
        AskerKind::Anonymous,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AskerKind::Citizen => "citizen",
            AskerKind::Business => "business",
            AskerKind::Organization => "organization",
            AskerKind::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<AskerKind> {
        AskerKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Markdown as written and as published.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Text {
    pub markdown: String,
    /// Sanitised HTML.
    pub html: String,
    /// Plain text, for search, snippets, descriptions and feeds.
    pub plain: String,
}

/// Index of an agency in [`Archive::agencies`].
pub type AgencyIdx = usize;
/// Index of a topic in [`Archive::topics`].
pub type TopicIdx = usize;
/// Index of a session in [`Archive::sessions`].
pub type SessionIdx = usize;
/// Index of a record in [`Archive::records`].
pub type RecordIdx = usize;

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub title: String,
    /// `None` when unknown (portal exports often carry no dates).
    pub asked: Option<Date>,
    pub asker: Option<Asker>,
    pub agency: Option<AgencyIdx>,
    pub topics: Vec<TopicIdx>,
    pub session: Option<SessionIdx>,
    pub channel: Option<String>,
    pub status: Status,
    pub answered: Option<Date>,
    pub answered_by: Option<String>,
    pub source: Option<String>,
    pub aliases: Vec<String>,
    pub question: Text,
    pub answer: Option<Text>,
    /// The source file, relative to the site root, with `/` separators.
    pub file: String,
    /// Calendar days from `asked` to `answered`.
    pub days_to_answer: Option<i32>,
    /// The thread after the question, in order; a plain `<!-- answer -->` is one entry.
    /// `status`, `answered`, `answered_by` and `answer` are those of its current answer.
    pub entries: Vec<thread::Entry>,
    /// Every agency that took part: `agency`, then those of the thread in order.
    pub participants: Vec<AgencyIdx>,
}

#[cfg(test)]
impl Record {
    /// A record for tests: its id and title, nothing else known (pending, no dates, no
    /// agency, empty question); set what a test needs with `Record { .., ..Record::test(..) }`.
    pub(crate) fn test(id: &str, title: &str) -> Record {
        Record {
            id: id.into(),
            title: title.into(),
            asked: None,
            asker: None,
            agency: None,
            topics: Vec::new(),
            session: None,
            channel: None,
            status: Status::Pending,
            answered: None,
            answered_by: None,
            source: None,
            aliases: Vec::new(),
            question: Text::default(),
            answer: None,
            file: format!("{id}.md"),
            days_to_answer: None,
            entries: Vec::new(),
            participants: Vec::new(),
        }
    }

    /// [`Record::test`] answered, with these plain texts (no answer when `answer` is empty).
    pub(crate) fn test_answered(id: &str, title: &str, question: &str, answer: &str) -> Record {
        let text = |s: &str| Text {
            plain: s.into(),
            ..Text::default()
        };
        Record {
            status: Status::Answered,
            question: text(question),
            answer: (!answer.is_empty()).then(|| text(answer)),
            ..Record::test(id, title)
        }
    }
}

impl Record {
    /// The year asked; `None` when the date is unknown.
    pub fn year(&self) -> Option<i16> {
        self.asked.map(|d| d.year())
    }

    /// The latest change: the latest dated entry (or answer), else the question; `None`
    /// when no date of the record is known.
    pub fn updated(&self) -> Option<Date> {
        thread::latest(&self.entries)
            .max(self.answered)
            .max(self.asked)
    }

    /// The agency of the current answer (the record's `agency` unless the thread says
    /// otherwise).
    pub fn answering_agency(&self) -> Option<AgencyIdx> {
        thread::current_answer(&self.entries)
            .and_then(|c| self.entries[c].agency)
            .or(self.agency)
    }

    /// The text of an entry (the current answer's is the record's `answer`).
    pub fn entry_text(&self, i: usize) -> Option<&Text> {
        let e = self.entries.get(i)?;
        if Some(i) == thread::current_answer(&self.entries) {
            return self.answer.as_ref();
        }
        Some(&e.text)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub parent: Option<AgencyIdx>,
    pub children: Vec<AgencyIdx>,
    pub url: Option<String>,
    pub description: Option<String>,
    /// Records this agency alone (not its children) took part in, newest first: those put
    /// to it and those it forwarded, answered or updated in a thread.
    pub records: Vec<RecordIdx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Newest first.
    pub records: Vec<RecordIdx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub channel: Option<String>,
    pub description: Option<String>,
    /// Newest first.
    pub records: Vec<RecordIdx>,
}

/// The whole archive with every reference resolved.
///
/// Orders are deterministic: records newest first (asked date, then id descending; records
/// whose date is unknown after every dated one);
/// agencies, topics and sessions in the site language's alphabetical order (sessions by date).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Archive {
    pub records: Vec<Record>,
    pub agencies: Vec<Agency>,
    pub topics: Vec<Topic>,
    pub sessions: Vec<Session>,
    /// Years that have records, newest first, with their records (newest first). Records
    /// whose date is unknown are in no year.
    pub years: Vec<(i16, Vec<RecordIdx>)>,
    /// The site's abbreviations for search (`content/abbreviations.yaml`): short form, long
    /// forms, as written. Search adds them to its built-in table.
    pub abbreviations: Vec<(String, Vec<String>)>,
}

impl Archive {
    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn record(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.id == id)
    }

    /// An agency and all its descendants.
    pub fn agency_family(&self, idx: AgencyIdx) -> Vec<AgencyIdx> {
        let mut out = vec![idx];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.agencies[out[i]].children.iter().copied());
            i += 1;
        }
        out
    }
}

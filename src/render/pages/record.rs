//! A record's page: the question, the answer (or the thread as a timeline), its facts, its
//! related questions, a share box, and its neighbours in the agency.

use super::super::Renderer;
use super::super::views::{self, DateView, Link};
use crate::model::thread::{self, Kind};
use crate::model::{Record, RecordIdx};
use crate::publish::structured;
use serde::Serialize;
use tera::{Context, Value};

/// With the fields of the record's summary added (see its `Serialize`).
struct RecordView<'a> {
    question_html: &'a str,
    answer_html: Option<&'a str>,
    description: String,
    asker_kind: Option<&'static str>,
    asker_name: Option<&'a str>,
    asker_place: Option<&'a str>,
    session: Option<Link<'a>>,
    channel: Option<&'a str>,
    answered_by: Option<&'a str>,
    /// The agency of the current answer, when it is not the one the question went to
    /// (a forwarded question).
    answering_agency: Option<Link<'a>>,
    source: Option<&'a str>,
    parent_agency: Option<Link<'a>>,
    answer_plain: Option<&'a str>,
    /// The thread as a timeline; empty for a record with one answer or none.
    thread: Vec<EntryView<'a>>,
    /// When an update came after the current answer.
    updated: Option<DateView>,
    summary: views::SummaryFields<'a>,
}

/// How many fields a [`RecordView`] has besides its summary's.
const RECORD_FIELDS: usize = 15;

/// Written by hand so that the summary's fields go in beside the view's own, in the one map
/// Tera makes of the struct (serde's `flatten` wrote the summary field by field through a map
/// serialiser, and a map filled here was built again by `Value::from`).
impl Serialize for RecordView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Record", RECORD_FIELDS + views::SUMMARY_FIELDS)?;
        st.serialize_field("question_html", self.question_html)?;
        st.serialize_field("answer_html", &self.answer_html)?;
        st.serialize_field("description", &self.description)?;
        st.serialize_field("asker_kind", &self.asker_kind)?;
        st.serialize_field("asker_name", &self.asker_name)?;
        st.serialize_field("asker_place", &self.asker_place)?;
        st.serialize_field("session", &self.session)?;
        st.serialize_field("channel", &self.channel)?;
        st.serialize_field("answered_by", &self.answered_by)?;
        st.serialize_field("answering_agency", &self.answering_agency)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("parent_agency", &self.parent_agency)?;
        st.serialize_field("answer_plain", &self.answer_plain)?;
        st.serialize_field("thread", &self.thread)?;
        st.serialize_field("updated", &self.updated)?;
        self.summary.write(&mut st)?;
        st.end()
    }
}

/// An entry of the timeline: who, when, what.
#[derive(Serialize)]
struct EntryView<'a> {
    kind: &'static str,
    /// `None` when the date is unknown.
    date: Option<DateView>,
    /// Who answered or updated; where a forwarding went.
    agency: Option<Link<'a>>,
    /// Where a forwarding came from.
    from: Option<Link<'a>>,
    by: Option<&'a str>,
    html: &'a str,
    /// The current answer.
    current: bool,
}

/// The timeline, its links relative to the page (`root`: the way from it to the site root).
fn timeline<'a>(r: &'a Renderer, rec: &'a Record, root: &str) -> Vec<EntryView<'a>> {
    if !thread::is_thread(rec.entries.iter().map(|e| e.kind)) {
        return Vec::new();
    }
    let link = |ag: Option<usize>| ag.map(|i| views::agency_link(r.archive, i, root));
    let current = thread::current_answer(&rec.entries);
    rec.entries
        .iter()
        .enumerate()
        .map(|(i, e)| EntryView {
            kind: e.kind.as_str(),
            date: e.date.map(|d| DateView::new(d, r.config.language)),
            agency: link(e.agency),
            from: link(e.from).filter(|_| e.kind == Kind::Forwarded),
            by: e.by.as_deref(),
            html: rec.entry_text(i).map_or("", |t| t.html.as_str()),
            current: Some(i) == current,
        })
        .collect()
}

/// `root`: the way from the record's page to the site root (see `Renderer::root`).
pub(super) fn context(r: &Renderer, i: RecordIdx, rec: &Record, root: &str) -> Context {
    let a = r.archive;
    let current = thread::current_answer(&rec.entries).map(|c| &rec.entries[c]);
    let view = RecordView {
        question_html: &rec.question.html,
        answer_html: rec.answer.as_ref().map(|t| t.html.as_str()),
        description: views::excerpt(&rec.question.plain, 160),
        asker_kind: rec.asker.as_ref().map(|k| k.kind.as_str()),
        asker_name: rec.asker.as_ref().and_then(|k| k.name.as_deref()),
        asker_place: rec.asker.as_ref().and_then(|k| k.place.as_deref()),
        session: rec.session.map(|s| views::session_link(a, s, root)),
        channel: rec.channel.as_deref(),
        answered_by: rec.answered_by.as_deref(),
        answering_agency: current
            .and_then(|e| e.agency)
            .filter(|&ag| Some(ag) != rec.agency)
            .map(|ag| views::agency_link(a, ag, root)),
        source: rec.source.as_deref(),
        parent_agency: rec
            .agency
            .and_then(|ag| a.agencies[ag].parent)
            .map(|p| views::agency_link(a, p, root)),
        answer_plain: rec.answer.as_ref().map(|t| t.plain.as_str()),
        thread: timeline(r, rec, root),
        updated: thread::updated_after_answer(&rec.entries)
            .map(|d| DateView::new(d, r.config.language)),
        summary: r.summary_fields(i, root),
    };
    let mut ctx = Context::new();
    ctx.insert_value("record", Value::from_serializable(&view));
    ctx.insert("jsonld", &structured::record(a, rec, r.config));
    // Related questions (search::related), as the lines of a list.
    let related: Vec<Value> = r
        .related
        .of(i)
        .iter()
        .map(|&j| r.summary(j, root))
        .collect();
    ctx.insert_value("related", Value::from(related));
    let url = r.config.absolute(&crate::urls::record(&rec.id));
    ctx.insert("share_facebook", &crate::render::share::facebook(&url));
    // Neighbours in the same agency: its list is newest first, like the archive, so a
    // binary search by archive position finds the record without a scan.
    if let Some(ag) = rec.agency {
        let list = &a.agencies[ag].records;
        if let Ok(pos) = list.binary_search(&i) {
            if pos > 0 {
                ctx.insert_value("newer", r.summary(list[pos - 1], root));
            }
            if let Some(&j) = list.get(pos + 1) {
                ctx.insert_value("older", r.summary(j, root));
            }
        }
    }
    ctx
}

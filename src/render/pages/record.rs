//! A record's page: the question, the answer, its facts, its related questions, a share box,
//! and its neighbours in the agency.

use super::super::Renderer;
use super::super::views::{self, Link};
use crate::model::{Record, RecordIdx};
use crate::publish::structured;
use serde::Serialize;
use tera::{Context, Value};

#[derive(Serialize)]
struct RecordView<'a> {
    #[serde(flatten)]
    summary: Value,
    question_html: &'a str,
    answer_html: Option<&'a str>,
    description: String,
    asker_kind: Option<&'static str>,
    asker_name: Option<&'a str>,
    asker_place: Option<&'a str>,
    session: Option<Link<'a>>,
    channel: Option<&'a str>,
    answered_by: Option<&'a str>,
    source: Option<&'a str>,
    parent_agency: Option<Link<'a>>,
    answer_plain: Option<&'a str>,
}

pub(super) fn context(r: &Renderer, i: RecordIdx, rec: &Record, root: &str) -> Context {
    let a = r.archive;
    let view = RecordView {
        summary: r.summary(i, root),
        question_html: &rec.question.html,
        answer_html: rec.answer.as_ref().map(|t| t.html.as_str()),
        description: views::excerpt(&rec.question.plain, 160),
        asker_kind: rec.asker.as_ref().map(|k| k.kind.as_str()),
        asker_name: rec.asker.as_ref().and_then(|k| k.name.as_deref()),
        asker_place: rec.asker.as_ref().and_then(|k| k.place.as_deref()),
        session: rec.session.map(|s| views::session_link(a, s, root)),
        channel: rec.channel.as_deref(),
        answered_by: rec.answered_by.as_deref(),
        source: rec.source.as_deref(),
        parent_agency: rec
            .agency
            .and_then(|ag| a.agencies[ag].parent)
            .map(|p| views::agency_link(a, p, root)),
        answer_plain: rec.answer.as_ref().map(|t| t.plain.as_str()),
    };
    let mut ctx = Context::new();
    ctx.insert("record", &view);
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

//! The home page: the latest answers, the archive's counts and the ways into it.

use super::super::Renderer;
use super::super::views;
use super::indexes::{agency_links, topic_links, years_list};
use crate::Result;
use crate::model::{Archive, RecordIdx};
use serde::Serialize;
use tera::{Context, Value};

/// How many records the home page lists as latest answers.
const LATEST: usize = 10;

pub(super) fn render(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
) -> Result<()> {
    let a = r.archive;
    let root = r.root("");
    let mut ctx = Context::new();
    let latest: Vec<Value> = latest_answers(a, LATEST)
        .into_iter()
        .map(|i| r.summary(i, &root))
        .collect();
    ctx.insert_value("latest", Value::from(latest));
    ctx.insert("counts", &counts(r));
    ctx.insert("agencies", &agency_links(r, &root));
    ctx.insert("topics", &topic_links(r, &root));
    ctx.insert(
        "sessions",
        &(0..a.sessions.len())
            .map(|i| views::session_link(a, i, &root))
            .collect::<Vec<_>>(),
    );
    ctx.insert("years", &years_list(r, &root));
    page("", "index.html", ctx)
}

/// The `n` records answered last, newest first (ties: the later in the archive first), found
/// without sorting the archive: the home page is re-rendered after every edit in the preview.
pub(super) fn latest_answers(a: &Archive, n: usize) -> Vec<RecordIdx> {
    let mut answered: Vec<(jiff::civil::Date, RecordIdx)> = a
        .records
        .iter()
        .enumerate()
        .filter(|(_, rec)| rec.answer.is_some())
        .filter_map(|(i, rec)| rec.answered.map(|d| (d, i)))
        .collect();
    let newest_first =
        |x: &(jiff::civil::Date, RecordIdx), y: &(jiff::civil::Date, RecordIdx)| y.cmp(x);
    if answered.len() > n {
        answered.select_nth_unstable_by(n, newest_first);
        answered.truncate(n);
    }
    answered.sort_unstable_by(newest_first);
    answered.into_iter().map(|(_, i)| i).collect()
}

#[derive(Serialize)]
struct Counts {
    records: usize,
    answered: usize,
    pending: usize,
    agencies: usize,
    topics: usize,
    sessions: usize,
    years: usize,
}

fn counts(r: &Renderer) -> Counts {
    let a = r.archive;
    let answered = a
        .records
        .iter()
        .filter(|x| x.status == crate::model::Status::Answered)
        .count();
    let pending = a
        .records
        .iter()
        .filter(|x| x.status == crate::model::Status::Pending)
        .count();
    Counts {
        records: a.records.len(),
        answered,
        pending,
        agencies: a.agencies.len(),
        topics: a.topics.len(),
        sessions: a.sessions.len(),
        years: a.years.len(),
    }
}

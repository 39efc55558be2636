//! The public shape of `data/stats.json`: the figures without the page-only parts
//! (formatted text, chart geometry). Withheld figures are `null`, never left out.

use super::tally::{Counts, Figures};
use super::{AgencyFigures, DeadlineInfo, Stats};
use jiff::civil::Date;
use serde::Serialize;

#[derive(Serialize)]
struct JsonStats<'a> {
    generated: Date,
    deadline: &'a DeadlineInfo,
    min_records: usize,
    totals: JsonFigures<'a>,
    unassigned: Counts,
    agencies: Vec<JsonAgency<'a>>,
    families: Vec<JsonAgency<'a>>,
    topics: Vec<JsonNamed<'a>>,
    years: Vec<JsonYear<'a>>,
}

#[derive(Serialize)]
struct JsonFigures<'a> {
    #[serde(flatten)]
    counts: Counts,
    answered_share: Option<f64>,
    median_days: Option<f64>,
    p90_days: Option<i32>,
    on_time: usize,
    on_time_share: Option<f64>,
    late: usize,
    overdue: usize,
    first_response_median_days: Option<f64>,
    first_responses: usize,
    undated: usize,
    oldest_pending: Option<JsonPending<'a>>,
}

#[derive(Serialize)]
struct JsonPending<'a> {
    id: &'a str,
    asked: Date,
    days_waiting: i32,
}

#[derive(Serialize)]
struct JsonAgency<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<&'a [String]>,
    #[serde(flatten)]
    figures: JsonFigures<'a>,
}

#[derive(Serialize)]
struct JsonNamed<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(flatten)]
    figures: JsonFigures<'a>,
}

#[derive(Serialize)]
struct JsonYear<'a> {
    year: i16,
    #[serde(flatten)]
    figures: JsonFigures<'a>,
}

fn figures(f: &Figures) -> JsonFigures<'_> {
    JsonFigures {
        counts: f.counts,
        answered_share: f.answered_share,
        median_days: f.median_days,
        p90_days: f.p90_days,
        on_time: f.on_time,
        on_time_share: f.on_time_share,
        late: f.late,
        overdue: f.overdue,
        first_response_median_days: f.first_response_median_days,
        first_responses: f.first_responses,
        undated: f.undated,
        oldest_pending: f.oldest_pending.as_ref().map(|p| JsonPending {
            id: &p.id,
            asked: p.asked,
            days_waiting: p.days_waiting,
        }),
    }
}

fn agency(a: &AgencyFigures, family: bool) -> JsonAgency<'_> {
    JsonAgency {
        id: &a.id,
        name: &a.name,
        members: family.then_some(a.members.as_slice()),
        figures: figures(&a.figures),
    }
}

pub fn to_vec(stats: &Stats) -> serde_json::Result<Vec<u8>> {
    let doc = JsonStats {
        generated: stats.generated,
        deadline: &stats.deadline,
        min_records: stats.min_records,
        totals: figures(&stats.totals),
        unassigned: stats.unassigned,
        agencies: stats.agencies.iter().map(|a| agency(a, false)).collect(),
        families: stats.families.iter().map(|a| agency(a, true)).collect(),
        topics: stats
            .topics
            .iter()
            .map(|t| JsonNamed {
                id: &t.id,
                name: &t.name,
                figures: figures(&t.figures),
            })
            .collect(),
        years: stats
            .years
            .iter()
            .map(|y| JsonYear {
                year: y.year,
                figures: figures(&y.figures),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc)?;
    bytes.push(b'\n');
    Ok(bytes)
}

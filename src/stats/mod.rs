//! Accountability figures: what each agency answered, and how fast.
//!
//! [`compute`] counts every record once into its agency, topics, year and the site totals;
//! parents also get family figures (themselves plus all descendants). How each figure is
//! defined lives in [`tally`]; `docs/statistics.md` explains it for readers.

pub mod calendar;
pub mod charts;
pub mod format;
mod json;
pub mod tally;

use crate::config::{DayKind, SiteConfig};
use crate::model::{AgencyIdx, Archive, Record, TopicIdx};
use crate::publish::output::Output;
use crate::urls;
use calendar::DeadlineRule;
use charts::{BarChart, Row};
use format::Numbers;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tally::{Counts, Facts, FinishContext, Tally};

pub use tally::{Figures, FiguresText, PendingQuestion};

/// Where the figures are published.
pub const JSON_PATH: &str = "data/stats.json";

/// All figures of a site, as of `generated` (the build's "today").
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub generated: Date,
    pub generated_text: String,
    pub deadline: DeadlineInfo,
    /// Rates are withheld below this many records.
    pub min_records: usize,
    pub totals: Figures,
    /// Records without an agency (not yet assigned); counted in totals, topics and years.
    pub unassigned: Counts,
    /// In the archive's order (alphabetical).
    pub agencies: Vec<AgencyFigures>,
    /// One entry per agency that has children: it and all its descendants summed.
    pub families: Vec<AgencyFigures>,
    pub topics: Vec<TopicFigures>,
    /// Oldest year first.
    pub years: Vec<YearFigures>,
    pub rankings: Vec<Ranking>,
    pub charts: Charts,
    #[serde(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    agencies: HashMap<String, usize>,
    families: HashMap<String, usize>,
    topics: HashMap<String, usize>,
}

/// The deadline rule as configured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeadlineInfo {
    pub days: u32,
    pub kind: DayKind,
    pub holidays: Vec<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyFigures {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub path: String,
    /// Ids of the agencies counted: the agency itself, then its descendants for a family.
    pub members: Vec<String>,
    #[serde(flatten)]
    pub figures: Figures,
    /// Oldest year first.
    pub by_year: Vec<YearCount>,
    /// Most records first.
    pub by_topic: Vec<NamedCount>,
    pub rule: Rule,
}

/// The rules behind the figures, repeated on each page so that it can explain them.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rule {
    pub min_records: usize,
    pub deadline_days: u32,
    pub deadline_kind: DayKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicFigures {
    pub id: String,
    pub name: String,
    pub path: String,
    #[serde(flatten)]
    pub figures: Figures,
    /// Most records first; records without an agency are in `unassigned`.
    pub by_agency: Vec<NamedCount>,
    pub unassigned: Counts,
    pub by_year: Vec<YearCount>,
    pub rule: Rule,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: i16,
    pub path: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearCount {
    pub year: i16,
    pub path: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Counts of records of one agency or topic within another group.
#[derive(Debug, Clone, Serialize)]
pub struct NamedCount {
    pub id: String,
    pub name: String,
    pub path: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Agencies ordered on one figure.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    /// The figure's key: `records`, `answered_share`, `median_days`, `p90_days`,
    /// `on_time_share` or `overdue`.
    pub figure: &'static str,
    pub order: Order,
    pub rows: Vec<RankRow>,
    /// Agencies whose figure is withheld (too few records), in alphabetical order.
    pub withheld: Vec<AgencyRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    HighFirst,
    LowFirst,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankRow {
    /// Equal values share a rank; the next rank skips (1, 2, 2, 4).
    pub rank: usize,
    pub id: String,
    pub name: String,
    pub path: String,
    pub value: f64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgencyRef {
    pub id: String,
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Charts {
    pub answered_share: BarChart,
    pub median_days: BarChart,
    pub by_year: BarChart,
}

impl Stats {
    /// The figures of one agency's own records.
    pub fn agency(&self, id: &str) -> Option<&AgencyFigures> {
        self.index.agencies.get(id).map(|&i| &self.agencies[i])
    }

    /// The sum of an agency and its descendants; `None` for an agency without children.
    pub fn family(&self, id: &str) -> Option<&AgencyFigures> {
        self.index.families.get(id).map(|&i| &self.families[i])
    }

    pub fn topic(&self, id: &str) -> Option<&TopicFigures> {
        self.index.topics.get(id).map(|&i| &self.topics[i])
    }

    pub fn year(&self, year: i16) -> Option<&YearFigures> {
        self.years.iter().find(|y| y.year == year)
    }
}

/// Counts one group with its breakdowns.
#[derive(Debug, Clone, Default)]
struct Group {
    tally: Tally,
    years: BTreeMap<i16, Counts>,
    agencies: BTreeMap<AgencyIdx, Counts>,
    topics: BTreeMap<TopicIdx, Counts>,
    unassigned: Counts,
}

impl Group {
    /// A record of this group, with every figure it contributes.
    fn add(&mut self, facts: &Facts, record: &Record, topics: &[TopicIdx]) {
        self.tally.add_answer_time(facts);
        self.tally.add_first_response(facts);
        self.add_counts(facts, record, topics);
    }

    /// A record of this group, counted without its times (an agency's: they count for the
    /// agencies that responded).
    fn add_counts(&mut self, facts: &Facts, record: &Record, topics: &[TopicIdx]) {
        self.tally.add_counts(facts);
        if let Some(year) = record.year() {
            self.years.entry(year).or_default().add(facts.status);
        }
        match record.agency {
            Some(a) => self.agencies.entry(a).or_default().add(facts.status),
            None => self.unassigned.add(facts.status),
        }
        for &t in topics {
            self.topics.entry(t).or_default().add(facts.status);
        }
    }

    fn merge(&mut self, other: &Group) {
        self.tally.merge(&other.tally);
        merge_counts(&mut self.years, &other.years);
        merge_counts(&mut self.agencies, &other.agencies);
        merge_counts(&mut self.topics, &other.topics);
        self.unassigned.merge(&other.unassigned);
    }
}

fn merge_counts<K: Ord + Copy>(into: &mut BTreeMap<K, Counts>, from: &BTreeMap<K, Counts>) {
    for (k, c) in from {
        into.entry(*k).or_default().merge(c);
    }
}

/// Every group's running counts after one pass over the records.
struct Groups {
    totals: Group,
    agencies: Vec<Group>,
    topics: Vec<Group>,
    years: BTreeMap<i16, Group>,
}

fn count(archive: &Archive, rule: &DeadlineRule, today: Date) -> Groups {
    let mut groups = Groups {
        totals: Group::default(),
        agencies: vec![Group::default(); archive.agencies.len()],
        topics: vec![Group::default(); archive.topics.len()],
        years: BTreeMap::new(),
    };
    for (idx, record) in archive.records.iter().enumerate() {
        let facts = Facts::of(idx, record, rule, today);
        let mut topics: Vec<TopicIdx> = record.topics.clone();
        topics.sort_unstable();
        topics.dedup();
        groups.totals.add(&facts, record, &topics);
        if let Some(year) = record.year() {
            groups
                .years
                .entry(year)
                .or_default()
                .add(&facts, record, &topics);
        }
        // Counts for the agency the question was put to; the time to the first response for
        // the agency that gave it (the one that forwarded it, or answered), the time to the
        // final answer for the agency that answered.
        if let Some(group) = record.agency.and_then(|a| groups.agencies.get_mut(a)) {
            group.add_counts(&facts, record, &topics);
        }
        if let Some(group) = facts.answerer.and_then(|a| groups.agencies.get_mut(a)) {
            group.tally.add_answer_time(&facts);
        }
        if let Some(group) = facts.responder.and_then(|a| groups.agencies.get_mut(a)) {
            group.tally.add_first_response(&facts);
        }
        for &t in &topics {
            if let Some(group) = groups.topics.get_mut(t) {
                group.add(&facts, record, &topics);
            }
        }
    }
    groups
}

/// Computes every figure of the archive as of `today`.
pub fn compute(archive: &Archive, config: &SiteConfig, today: Date) -> Stats {
    let rule = DeadlineRule::from_config(&config.deadline);
    let ctx = FinishContext {
        records: &archive.records,
        today,
        min_records: config.stats.min_records,
        numbers: Numbers::new(config.language),
        rule: Rule {
            min_records: config.stats.min_records,
            deadline_days: config.deadline.days,
            deadline_kind: config.deadline.kind,
        },
    };
    let groups = count(archive, &rule, today);
    let families = family_groups(archive, &groups.agencies);
    let agencies: Vec<AgencyFigures> = groups
        .agencies
        .into_iter()
        .enumerate()
        .map(|(i, g)| agency_figures(archive, i, vec![i], g, &ctx))
        .collect();
    let families: Vec<AgencyFigures> = families
        .into_iter()
        .map(|(i, members, g)| agency_figures(archive, i, members, g, &ctx))
        .collect();
    let topics: Vec<TopicFigures> = groups
        .topics
        .into_iter()
        .enumerate()
        .map(|(i, g)| topic_figures(archive, i, g, &ctx))
        .collect();
    let years: Vec<YearFigures> = groups
        .years
        .into_iter()
        .map(|(year, g)| YearFigures {
            year,
            path: urls::year(year),
            figures: g.tally.finish(&ctx),
        })
        .collect();
    let rankings = rankings(&agencies, &ctx.numbers);
    let charts = charts(&rankings, &agencies, &years);
    let index = Index {
        agencies: positions(agencies.iter().map(|a| &a.id)),
        families: positions(families.iter().map(|a| &a.id)),
        topics: positions(topics.iter().map(|t| &t.id)),
    };
    Stats {
        generated: today,
        generated_text: ctx.numbers.date(today),
        deadline: DeadlineInfo {
            days: rule.days(),
            kind: rule.kind(),
            holidays: rule.holidays().collect(),
        },
        min_records: config.stats.min_records,
        unassigned: groups.totals.unassigned,
        totals: groups.totals.tally.finish(&ctx),
        agencies,
        families,
        topics,
        years,
        rankings,
        charts,
        index,
    }
}

fn positions<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}

/// For each agency with children: its index, the member indexes and the summed group.
fn family_groups(archive: &Archive, agencies: &[Group]) -> Vec<(AgencyIdx, Vec<AgencyIdx>, Group)> {
    (0..archive.agencies.len())
        .filter(|&i| !archive.agencies[i].children.is_empty())
        .map(|i| {
            let members = archive.agency_family(i);
            let mut sum = Group::default();
            for &m in &members {
                if let Some(group) = agencies.get(m) {
                    sum.merge(group);
                }
            }
            (i, members, sum)
        })
        .collect()
}

fn agency_figures(
    archive: &Archive,
    idx: AgencyIdx,
    members: Vec<AgencyIdx>,
    group: Group,
    ctx: &FinishContext<'_>,
) -> AgencyFigures {
    let agency = &archive.agencies[idx];
    AgencyFigures {
        id: agency.id.clone(),
        name: agency.name.clone(),
        short_name: agency.short_name.clone(),
        path: urls::agency(&agency.id),
        members: members
            .iter()
            .map(|&m| archive.agencies[m].id.clone())
            .collect(),
        by_year: year_counts(&group.years),
        by_topic: named_counts(&group.topics, |t| {
            let topic = &archive.topics[t];
            (topic.id.clone(), topic.name.clone(), urls::topic(&topic.id))
        }),
        figures: group.tally.finish(ctx),
        rule: ctx.rule,
    }
}

fn topic_figures(
    archive: &Archive,
    idx: TopicIdx,
    group: Group,
    ctx: &FinishContext<'_>,
) -> TopicFigures {
    let topic = &archive.topics[idx];
    TopicFigures {
        id: topic.id.clone(),
        name: topic.name.clone(),
        path: urls::topic(&topic.id),
        by_agency: named_counts(&group.agencies, |a| {
            let agency = &archive.agencies[a];
            (
                agency.id.clone(),
                agency.name.clone(),
                urls::agency(&agency.id),
            )
        }),
        unassigned: group.unassigned,
        by_year: year_counts(&group.years),
        figures: group.tally.finish(ctx),
        rule: ctx.rule,
    }
}

fn year_counts(years: &BTreeMap<i16, Counts>) -> Vec<YearCount> {
    years
        .iter()
        .map(|(&year, &counts)| YearCount {
            year,
            path: urls::year(year),
            counts,
        })
        .collect()
}

/// Most records first; ties keep the archive's (alphabetical) order.
fn named_counts(
    counts: &BTreeMap<usize, Counts>,
    describe: impl Fn(usize) -> (String, String, String),
) -> Vec<NamedCount> {
    let mut list: Vec<(usize, Counts)> = counts.iter().map(|(&i, &c)| (i, c)).collect();
    list.sort_by(|a, b| b.1.records.cmp(&a.1.records).then(a.0.cmp(&b.0)));
    list.into_iter()
        .map(|(i, counts)| {
            let (id, name, path) = describe(i);
            NamedCount {
                id,
                name,
                path,
                counts,
            }
        })
        .collect()
}

/// A ranked figure: its key, its order, and how to read it from an agency's figures.
struct RankedFigure {
    key: &'static str,
    order: Order,
    value: fn(&Figures) -> Option<f64>,
    text: fn(&Figures, &Numbers) -> Option<String>,
}

const RANKED: [RankedFigure; 6] = [
    RankedFigure {
        key: "records",
        order: Order::HighFirst,
        value: |f| Some(f.counts.records as f64),
        text: |f, _| Some(f.counts.records.to_string()),
    },
    RankedFigure {
        key: "answered_share",
        order: Order::HighFirst,
        value: |f| f.answered_share,
        text: |f, _| f.text.answered_share.clone(),
    },
    RankedFigure {
        key: "median_days",
        order: Order::LowFirst,
        value: |f| f.median_days,
        text: |f, _| f.text.median_days.clone(),
    },
    RankedFigure {
        key: "p90_days",
        order: Order::LowFirst,
        value: |f| f.p90_days.map(f64::from),
        text: |f, _| f.text.p90_days.clone(),
    },
    RankedFigure {
        key: "on_time_share",
        order: Order::HighFirst,
        value: |f| f.on_time_share,
        text: |f, _| f.text.on_time_share.clone(),
    },
    RankedFigure {
        key: "overdue",
        order: Order::HighFirst,
        value: |f| Some(f.overdue as f64),
        text: |f, _| Some(f.overdue.to_string()),
    },
];

fn rankings(agencies: &[AgencyFigures], numbers: &Numbers) -> Vec<Ranking> {
    RANKED
        .iter()
        .map(|figure| rank(agencies, figure, numbers))
        .collect()
}

fn rank(agencies: &[AgencyFigures], figure: &RankedFigure, numbers: &Numbers) -> Ranking {
    let mut rows = Vec::new();
    let mut withheld = Vec::new();
    for agency in agencies {
        let value = (figure.value)(&agency.figures);
        let text = (figure.text)(&agency.figures, numbers);
        match (value, text) {
            (Some(value), Some(text)) => rows.push(RankRow {
                rank: 0,
                id: agency.id.clone(),
                name: agency.name.clone(),
                path: agency.path.clone(),
                value,
                text,
            }),
            _ => withheld.push(AgencyRef {
                id: agency.id.clone(),
                name: agency.name.clone(),
                path: agency.path.clone(),
            }),
        }
    }
    // Stable: ties keep alphabetical order.
    rows.sort_by(|a, b| match figure.order {
        Order::HighFirst => b.value.total_cmp(&a.value),
        Order::LowFirst => a.value.total_cmp(&b.value),
    });
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].value == rows[i - 1].value {
            rows[i - 1].rank
        } else {
            i + 1
        };
    }
    Ranking {
        figure: figure.key,
        order: figure.order,
        rows,
        withheld,
    }
}

fn charts(rankings: &[Ranking], agencies: &[AgencyFigures], years: &[YearFigures]) -> Charts {
    let label = |id: &str| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.short_name.clone().unwrap_or_else(|| a.name.clone()))
            .unwrap_or_default()
    };
    let ranked_rows = |key: &str| -> Vec<Row> {
        rankings
            .iter()
            .find(|r| r.figure == key)
            .map(|r| {
                r.rows
                    .iter()
                    .map(|row| Row {
                        label: label(&row.id),
                        path: row.path.clone(),
                        value: row.value,
                        text: row.text.clone(),
                        part: None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let year_rows = years
        .iter()
        .map(|y| Row {
            label: y.year.to_string(),
            path: y.path.clone(),
            value: y.figures.counts.records as f64,
            text: y.figures.counts.records.to_string(),
            part: Some((
                y.figures.counts.answered as f64,
                y.figures.counts.answered.to_string(),
            )),
        })
        .collect();
    Charts {
        answered_share: BarChart::layout("answered_share", ranked_rows("answered_share"), 1.0),
        median_days: BarChart::layout("median_days", ranked_rows("median_days"), 0.0),
        by_year: BarChart::layout("by_year", year_rows, 0.0),
    }
}

/// Writes the figures to `data/stats.json`.
pub fn write_json(stats: &Stats, output: &Output) -> crate::Result<()> {
    let bytes = json::to_vec(stats)
        .map_err(|e| crate::Error::io(JSON_PATH, std::io::Error::other(e.to_string())))?;
    output
        .write(JSON_PATH, &bytes)
        .map_err(|e| crate::Error::io(JSON_PATH, e))
}

#[cfg(test)]
mod tests;

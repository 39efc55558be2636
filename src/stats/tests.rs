//! Figures over a small archive, every number worked out by hand in the comments.

use super::*;
use crate::config::{Deadline, Language};
use crate::model::{Agency, Record, Status, Text, Topic};
use jiff::civil::date;

fn record(
    id: &str,
    asked: Date,
    agency: Option<usize>,
    status: Status,
    answered: Option<Date>,
) -> Record {
    Record {
        asked: Some(asked),
        agency,
        topics: vec![usize::from(agency != Some(0))],
        status,
        answered,
        file: format!("content/{id}.md"),
        ..Record::test(id, &format!("Câu hỏi {id}"))
    }
}

fn agency(id: &str, parent: Option<usize>, children: Vec<usize>) -> Agency {
    Agency {
        id: id.into(),
        name: format!("Sở {id}"),
        short_name: None,
        parent,
        children,
        url: None,
        description: None,
        records: Vec::new(),
    }
}

fn topic(id: &str) -> Topic {
    Topic {
        id: id.into(),
        name: id.to_uppercase(),
        description: None,
        records: Vec::new(),
    }
}

const A: Option<usize> = Some(0);
const B: Option<usize> = Some(1);
const C: Option<usize> = Some(2);

/// Deadline: 3 working days; Wednesday 2 September 2026 is a holiday; today is 30 September.
fn fixture() -> (Archive, SiteConfig) {
    use Status::*;
    let d = date;
    let records = vec![
        // so-a: asked Tue 1/9, deadline Mon 7/9 (Thu, Fri, Mon; Wed is a holiday); answered on it.
        record("a1", d(2026, 9, 1), A, Answered, Some(d(2026, 9, 7))),
        record("a2", d(2026, 9, 7), A, Answered, Some(d(2026, 9, 9))),
        record("a3", d(2026, 9, 7), A, Answered, Some(d(2026, 9, 9))),
        // Thu 10/9 is due Tue 15/9: late.
        record("a4", d(2026, 9, 10), A, Answered, Some(d(2026, 9, 20))),
        // Due Thu 17/9, still pending on 30/9: overdue.
        record("a5", d(2026, 9, 14), A, Pending, None),
        // Due Thu 1/10: not yet overdue.
        record("a6", d(2026, 9, 28), A, Pending, None),
        record("a7", d(2026, 8, 3), A, Forwarded, None),
        record("a8", d(2026, 9, 21), A, Answered, Some(d(2026, 9, 21))),
        // Mon 3/8 is due Thu 6/8: late.
        record("a9", d(2026, 8, 3), A, Answered, Some(d(2026, 8, 15))),
        // so-b, child of so-a: two records only.
        record("b1", d(2026, 9, 1), B, Answered, Some(d(2026, 9, 3))),
        record("b2", d(2026, 9, 1), B, Declined, None),
        // so-c: six records, four answered in one day each.
        record("c1", d(2026, 6, 1), C, Answered, Some(d(2026, 6, 2))),
        record("c2", d(2026, 6, 1), C, Answered, Some(d(2026, 6, 2))),
        record("c3", d(2026, 6, 1), C, Answered, Some(d(2026, 6, 2))),
        record("c4", d(2026, 6, 1), C, Answered, Some(d(2026, 6, 2))),
        record("c5", d(2026, 6, 1), C, Declined, None),
        record("c6", d(2026, 6, 1), C, Declined, None),
        // Nobody's yet, asked last year.
        record("u1", d(2025, 12, 31), None, Pending, None),
    ];
    let archive = Archive {
        records,
        agencies: vec![
            agency("so-a", None, vec![1]),
            agency("so-b", Some(0), vec![]),
            agency("so-c", None, vec![]),
        ],
        topics: vec![topic("t1"), topic("t2")],
        sessions: Vec::new(),
        years: Vec::new(),
        abbreviations: Vec::new(),
    };
    let text = "title = \"T\"\nbase_url = \"https://example.gov.vn/\"\nlanguage = \"vi\"\n";
    let mut config = SiteConfig::parse(text, "site.toml").unwrap();
    config.deadline = Deadline {
        days: 3,
        kind: DayKind::Working,
        holidays: vec![date(2026, 9, 2)],
    };
    config.language = Language::Vi;
    (archive, config)
}

fn stats() -> Stats {
    let (archive, config) = fixture();
    compute(&archive, &config, date(2026, 9, 30))
}

#[test]
fn agency_figures_by_hand() {
    let stats = stats();
    let a = &stats.agency("so-a").unwrap().figures;
    let counts = Counts {
        records: 9,
        answered: 6,
        pending: 2,
        forwarded: 1,
        declined: 0,
    };
    assert_eq!(a.counts, counts);
    assert_eq!(a.answered_share, Some(0.6667));
    // Days: 6, 2, 2, 10, 0, 12 → sorted 0 2 2 6 10 12: median (2 + 6) / 2, p90 at rank 6.
    assert_eq!(a.median_days, Some(4.0));
    assert_eq!(a.p90_days, Some(12));
    // On time: a1 (on its deadline day), a2, a3, a8; late: a4, a9.
    assert_eq!((a.on_time, a.late, a.on_time_share), (4, 2, Some(0.6667)));
    assert_eq!(a.overdue, 1);
    let oldest = a.oldest_pending.as_ref().unwrap();
    assert_eq!((oldest.id.as_str(), oldest.days_waiting), ("a5", 16));
    assert_eq!(a.text.answered_share.as_deref(), Some("66,7%"));
    assert_eq!(a.text.median_days.as_deref(), Some("4"));
}

#[test]
fn rates_are_withheld_under_the_threshold() {
    let stats = stats();
    let b = &stats.agency("so-b").unwrap().figures;
    assert_eq!(b.counts.records, 2);
    assert_eq!(
        (b.answered_share, b.median_days, b.p90_days, b.on_time_share),
        (None, None, None, None)
    );
    assert_eq!(b.text.answered_share, None);
    // so-c has six records but only four answers: its share shows, its times do not.
    let c = &stats.agency("so-c").unwrap().figures;
    assert_eq!(c.answered_share, Some(0.6667));
    assert_eq!((c.median_days, c.on_time_share), (None, None));
    assert_eq!(c.on_time, 4);
}

#[test]
fn a_parent_sums_its_children() {
    let stats = stats();
    let family = stats.family("so-a").unwrap();
    assert_eq!(family.members, ["so-a", "so-b"]);
    let f = &family.figures;
    let counts = Counts {
        records: 11,
        answered: 7,
        pending: 2,
        forwarded: 1,
        declined: 1,
    };
    assert_eq!(f.counts, counts);
    // Days 0 2 2 2 6 10 12: median 2, p90 at rank ⌈6.3⌉ = 7.
    assert_eq!((f.median_days, f.p90_days), (Some(2.0), Some(12)));
    assert_eq!(f.on_time_share, Some(0.7143));
    assert!(stats.family("so-b").is_none());
    assert!(stats.family("so-c").is_none());
}

#[test]
fn totals_topics_and_years() {
    let stats = stats();
    assert_eq!(stats.totals.counts.records, 18);
    assert_eq!(stats.unassigned.pending, 1);
    assert_eq!(stats.totals.overdue, 2);
    let oldest = stats.totals.oldest_pending.as_ref().unwrap();
    assert_eq!((oldest.id.as_str(), oldest.days_waiting), ("u1", 273));
    assert_eq!(stats.topic("t1").unwrap().figures.counts.records, 9);
    let t2 = stats.topic("t2").unwrap();
    assert_eq!(t2.figures.counts.records, 9);
    assert_eq!(t2.unassigned.records, 1);
    assert_eq!(t2.by_agency[0].id, "so-c");
    let years: Vec<(i16, usize)> = stats
        .years
        .iter()
        .map(|y| (y.year, y.figures.counts.records))
        .collect();
    assert_eq!(years, [(2025, 1), (2026, 17)]);
    let a = stats.agency("so-a").unwrap();
    assert_eq!(a.by_topic.len(), 1);
    assert_eq!(a.by_year[0].counts.records, 9);
}

#[test]
fn rankings_share_ranks_on_ties() {
    let stats = stats();
    let ranking = |key: &str| stats.rankings.iter().find(|r| r.figure == key).unwrap();
    let share: Vec<(usize, &str)> = ranking("answered_share")
        .rows
        .iter()
        .map(|r| (r.rank, r.id.as_str()))
        .collect();
    assert_eq!(share, [(1, "so-a"), (1, "so-c")]);
    assert_eq!(ranking("answered_share").withheld[0].id, "so-b");
    let records: Vec<(usize, &str)> = ranking("records")
        .rows
        .iter()
        .map(|r| (r.rank, r.id.as_str()))
        .collect();
    assert_eq!(records, [(1, "so-a"), (2, "so-c"), (3, "so-b")]);
    let overdue: Vec<usize> = ranking("overdue").rows.iter().map(|r| r.rank).collect();
    assert_eq!(overdue, [1, 2, 2]);
    let median = ranking("median_days");
    assert_eq!(median.rows.len(), 1);
    assert_eq!(median.withheld.len(), 2);
    assert_eq!(stats.charts.answered_share.bars.len(), 2);
    assert_eq!(stats.charts.by_year.bars.len(), 2);
}

#[test]
fn json_has_nulls_where_withheld() {
    let stats = stats();
    let bytes = json::to_vec(&stats).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["generated"], "2026-09-30");
    assert_eq!(v["deadline"]["days"], 3);
    assert_eq!(v["deadline"]["kind"], "working");
    assert_eq!(v["deadline"]["holidays"][0], "2026-09-02");
    let b = &v["agencies"][1];
    assert_eq!(b["id"], "so-b");
    assert!(b["answered_share"].is_null());
    assert!(b["median_days"].is_null());
    assert_eq!(b["records"], 2);
    let a = &v["agencies"][0];
    assert_eq!(a["median_days"], 4.0);
    assert_eq!(a["on_time"], 4);
    assert!(a.get("text").is_none());
    assert_eq!(v["families"][0]["members"][1], "so-b");
}

/// The theme's statistics templates, under a stand-in base template.
fn theme() -> tera::Tera {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
    let mut tera = tera::Tera::new();
    let base = "<title>{% block title %}{% endblock title %}</title><main>{% block main %}{% endblock main %}</main>";
    let mut templates = vec![("base.html".to_string(), base.to_string())];
    for name in [
        "stats.html",
        "partials/stats-list.html",
        "partials/chart-bars.html",
        "partials/agency-figures.html",
        "partials/topic-figures.html",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        templates.push((name.to_string(), text));
    }
    tera.add_raw_templates(templates).unwrap();
    tera
}

fn context() -> tera::Context {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/i18n/vi.toml");
    let strings: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("t", &strings);
    ctx.insert("base", "/hoi-dap/");
    ctx.insert("site", &serde_json::json!({"title": "Hỏi đáp"}));
    ctx
}

#[test]
fn templates_render_the_figures() {
    let stats = stats();
    let tera = theme();
    let mut ctx = context();
    ctx.insert("stats", &stats);
    let page = tera.render("stats.html", &ctx).unwrap();
    if let Some(path) = std::env::var_os("HOIDAP_DUMP_STATS") {
        std::fs::write(path, &page).unwrap();
    }
    assert!(page.contains("<svg"), "{page}");
    assert!(page.contains("66,7%"));
    assert!(page.contains("Chưa xếp hạng (dưới 5 câu hỏi)"));

    let mut ctx = context();
    ctx.insert("figures", stats.agency("so-a").unwrap());
    ctx.insert("family_figures", stats.family("so-a").unwrap());
    let page = tera.render("partials/agency-figures.html", &ctx).unwrap();
    assert!(page.contains("<dd>9</dd>"), "{page}");
    assert!(page.contains("Cả khối"));
    assert!(page.contains("/hoi-dap/records/a5/"));

    let mut ctx = context();
    ctx.insert("figures", stats.agency("so-b").unwrap());
    let page = tera.render("partials/agency-figures.html", &ctx).unwrap();
    assert!(page.contains("chưa tính"), "{page}");
    assert!(!page.contains("Cả khối"));

    let mut ctx = context();
    ctx.insert("figures", stats.topic("t2").unwrap());
    let page = tera.render("partials/topic-figures.html", &ctx).unwrap();
    assert!(page.contains("Chưa giao cơ quan"), "{page}");
}

/// A question put to so-a, forwarded by it to so-b, answered by so-b; and one whose date is
/// unknown. Every threshold at 1 so that each figure shows.
#[test]
fn a_forwarding_counts_for_the_forwarder_and_the_answer_for_the_answerer() {
    use crate::model::thread::{Entry, Kind};
    let (mut archive, mut config) = fixture();
    config.stats.min_records = 1;
    let entry = |kind, day, agency, from| Entry {
        kind,
        date: Some(day),
        agency,
        from,
        by: None,
        text: Text::default(),
    };
    let mut forwarded = record(
        "f1",
        date(2026, 9, 1),
        A,
        Status::Answered,
        Some(date(2026, 9, 11)),
    );
    forwarded.entries = vec![
        entry(Kind::Forwarded, date(2026, 9, 2), B, A),
        entry(Kind::Answer, date(2026, 9, 11), B, None),
    ];
    let mut undated = record("x1", date(2026, 9, 1), C, Status::Answered, None);
    undated.asked = None;
    // Asked long ago, answered, followed up on 28/9: due again from the follow-up, not overdue.
    let mut again = record("p1", date(2026, 8, 3), C, Status::Pending, None);
    again.entries = vec![
        entry(Kind::Answer, date(2026, 8, 5), C, None),
        entry(Kind::FollowUp, date(2026, 9, 28), None, None),
    ];
    archive.records = vec![forwarded, undated, again];
    let stats = compute(&archive, &config, date(2026, 9, 30));

    let a = &stats.agency("so-a").unwrap().figures;
    assert_eq!(a.counts.records, 1, "the question counts where it was put");
    assert_eq!(
        (a.first_responses, a.first_response_median_days),
        (1, Some(1.0))
    );
    assert_eq!((a.timed, a.median_days), (0, None), "so-a gave no answer");
    let b = &stats.agency("so-b").unwrap().figures;
    assert_eq!(b.counts.records, 0);
    assert_eq!((b.timed, b.median_days), (1, Some(10.0)));
    assert_eq!(b.first_responses, 0);
    assert_eq!(
        b.on_time, 0,
        "due Mon 7/9 (3 working days, Wed 2/9 a holiday)"
    );

    let c = &stats.agency("so-c").unwrap().figures;
    assert_eq!((c.counts.records, c.undated, c.timed), (2, 1, 0));
    assert_eq!((c.counts.pending, c.overdue), (1, 0));
    assert_eq!(
        (c.first_responses, c.first_response_median_days),
        (1, Some(2.0))
    );
    let t = &stats.totals;
    assert_eq!((t.counts.records, t.undated, t.timed), (3, 1, 1));
    assert_eq!(t.first_response_median_days, Some(1.5));
    assert_eq!(t.median_days, Some(10.0));
    // No year for a record whose date is unknown.
    let years: Vec<i16> = stats.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2026]);
}

//! Which pages a site has, and the context each one gets.

use super::Renderer;
use super::views::{self, DateView, Link};
use crate::Result;
use crate::model::{Record, RecordIdx};
use crate::publish::{Output, feeds, structured};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;
use tera::{Context, Value};

/// How many records the home page lists as latest answers.
const LATEST: usize = 10;

/// Renders every page; returns the path of each page written (the sitemap lists them).
pub fn render_all(r: &Renderer, out: &Output) -> Result<Vec<String>> {
    let written = Mutex::new(Vec::new());
    let page = |path: &str, template: &str, ctx: Context| {
        r.page(out, path, template, ctx)?;
        if let Ok(mut list) = written.lock() {
            list.push(path.to_string());
        }
        Ok(())
    };
    let a = r.archive;
    a.records.par_iter().enumerate().try_for_each(|(i, rec)| {
        page(
            &urls::record(&rec.id),
            "record.html",
            record_context(r, i, rec),
        )
    })?;
    home(r, &page)?;
    page(urls::AGENCIES, "agencies.html", agencies_context(r))?;
    page(urls::TOPICS, "topics.html", topics_context(r))?;
    page(urls::SESSIONS, "sessions.html", sessions_context(r))?;
    page(urls::YEARS, "years.html", years_context(r))?;
    a.agencies.par_iter().enumerate().try_for_each(|(i, ag)| {
        let mut ctx = Context::new();
        ctx.insert("agency", &agency_view(r, ag));
        ctx.insert("feed", &feed_view(r, feeds::agency(a, i, r.config)));
        ctx.insert(
            "jsonld",
            &structured::agency_breadcrumbs(a, i, r.config, ui(r, "agencies")),
        );
        if let Some(f) = r.stats.agency(&ag.id) {
            ctx.insert("figures", f);
        }
        if let Some(f) = r.stats.family(&ag.id) {
            ctx.insert("family_figures", f);
        }
        paginated(
            r,
            &page,
            &urls::agency(&ag.id),
            "agency.html",
            &ag.records,
            ctx,
        )
    })?;
    a.topics.par_iter().enumerate().try_for_each(|(i, t)| {
        let mut ctx = Context::new();
        ctx.insert("feed", &feed_view(r, feeds::topic(a, i, r.config)));
        ctx.insert(
            "jsonld",
            &structured::topic_breadcrumbs(a, i, r.config, ui(r, "topics")),
        );
        ctx.insert(
            "topic",
            &NamedView {
                id: &t.id,
                name: &t.name,
                description: t.description.as_deref(),
                count: t.records.len(),
            },
        );
        if let Some(f) = r.stats.topic(&t.id) {
            ctx.insert("figures", f);
        }
        paginated(r, &page, &urls::topic(&t.id), "topic.html", &t.records, ctx)
    })?;
    a.sessions.par_iter().enumerate().try_for_each(|(i, s)| {
        let mut ctx = Context::new();
        ctx.insert("session", &session_view(r, s));
        ctx.insert("feed", &feed_view(r, feeds::session(a, i, r.config)));
        paginated(
            r,
            &page,
            &urls::session(&s.id),
            "session.html",
            &s.records,
            ctx,
        )
    })?;
    a.years.par_iter().try_for_each(|(year, records)| {
        let mut ctx = Context::new();
        ctx.insert("year", year);
        if let Some(f) = r.stats.year(*year) {
            ctx.insert("figures", f);
        }
        ctx.insert("min_records", &r.config.stats.min_records);
        paginated(r, &page, &urls::year(*year), "year.html", records, ctx)
    })?;
    if r.has_template("stats.html") {
        let mut ctx = Context::new();
        ctx.insert("stats", r.stats);
        page(urls::STATS, "stats.html", ctx)?;
    }
    if r.has_template("search.html") {
        page(urls::SEARCH, "search.html", search_context(r))?;
    }
    page("404.html", "404.html", Context::new())?;
    aliases(r, &page)?;
    Ok(written.into_inner().unwrap_or_default())
}

/// A feed as the pages that announce it see it.
#[derive(Serialize)]
struct FeedView {
    url: String,
    title: String,
}

fn feed_view(r: &Renderer, link: feeds::FeedLink) -> FeedView {
    FeedView {
        url: format!("{}{}", r.config.base_path(), link.path),
        title: link.title,
    }
}

/// A UI string of the site's language, or its key when the theme lacks it.
fn ui<'a>(r: &'a Renderer, key: &'a str) -> &'a str {
    r.t.get(key).map_or(key, String::as_str)
}

fn home(r: &Renderer, page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync)) -> Result<()> {
    let a = r.archive;
    let mut ctx = Context::new();
    let latest: Vec<Value> = a
        .records
        .iter()
        .enumerate()
        .filter(|(_, rec)| rec.answer.is_some() && rec.answered.is_some())
        .map(|(i, rec)| (rec.answered, i))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .rev()
        .take(LATEST)
        .map(|(_, i)| r.summaries[i].clone())
        .collect();
    ctx.insert_value("latest", Value::from(latest));
    ctx.insert("counts", &counts(r));
    ctx.insert("agencies", &agency_links(r));
    ctx.insert("topics", &topic_links(r));
    ctx.insert(
        "sessions",
        &a.sessions
            .iter()
            .enumerate()
            .map(|(i, _)| views::session_link(a, i, r.config.base_path()))
            .collect::<Vec<_>>(),
    );
    ctx.insert("years", &years_list(r));
    page("", "index.html", ctx)
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

#[derive(Serialize)]
struct CountedLink<'a> {
    #[serde(flatten)]
    link: Link<'a>,
    count: usize,
    depth: usize,
    short_name: Option<&'a str>,
}

fn agency_links<'a>(r: &'a Renderer) -> Vec<CountedLink<'a>> {
    let a = r.archive;
    // Parents first, each followed by its children, so the index reads as a tree.
    let mut order = Vec::new();
    fn visit(a: &crate::model::Archive, i: usize, depth: usize, order: &mut Vec<(usize, usize)>) {
        order.push((i, depth));
        for &c in &a.agencies[i].children {
            visit(a, c, depth + 1, order);
        }
    }
    for (i, ag) in a.agencies.iter().enumerate() {
        if ag.parent.is_none() {
            visit(a, i, 0, &mut order);
        }
    }
    order
        .into_iter()
        .map(|(i, depth)| CountedLink {
            link: views::agency_link(a, i, r.config.base_path()),
            count: a
                .agency_family(i)
                .iter()
                .map(|&j| a.agencies[j].records.len())
                .sum(),
            depth,
            short_name: a.agencies[i].short_name.as_deref(),
        })
        .collect()
}

fn topic_links<'a>(r: &'a Renderer) -> Vec<CountedLink<'a>> {
    let a = r.archive;
    (0..a.topics.len())
        .map(|i| CountedLink {
            link: views::topic_link(a, i, r.config.base_path()),
            count: a.topics[i].records.len(),
            depth: 0,
            short_name: None,
        })
        .collect()
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

fn years_list(r: &Renderer) -> Vec<YearLink> {
    r.archive
        .years
        .iter()
        .map(|(y, recs)| YearLink {
            year: *y,
            url: format!("{}{}", r.config.base_path(), urls::year(*y)),
            count: recs.len(),
        })
        .collect()
}

fn agencies_context(r: &Renderer) -> Context {
    let mut ctx = Context::new();
    ctx.insert("agencies", &agency_links(r));
    ctx
}

fn topics_context(r: &Renderer) -> Context {
    let mut ctx = Context::new();
    ctx.insert("topics", &topic_links(r));
    ctx
}

fn sessions_context(r: &Renderer) -> Context {
    let mut ctx = Context::new();
    let list: Vec<SessionView> = r
        .archive
        .sessions
        .iter()
        .map(|s| session_view(r, s))
        .collect();
    ctx.insert("sessions", &list);
    ctx
}

fn years_context(r: &Renderer) -> Context {
    let mut ctx = Context::new();
    ctx.insert("years", &years_list(r));
    ctx
}

fn search_context(r: &Renderer) -> Context {
    let mut ctx = Context::new();
    ctx.insert("agencies", &agency_links(r));
    ctx.insert("topics", &topic_links(r));
    ctx.insert("years", &years_list(r));
    ctx
}

#[derive(Serialize)]
struct NamedView<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    count: usize,
}

#[derive(Serialize)]
struct AgencyView<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    description: Option<&'a str>,
    url: Option<&'a str>,
    parent: Option<Link<'a>>,
    children: Vec<Link<'a>>,
    count: usize,
}

fn agency_view<'a>(r: &'a Renderer, ag: &'a crate::model::Agency) -> AgencyView<'a> {
    let base = r.config.base_path();
    AgencyView {
        id: &ag.id,
        name: &ag.name,
        short_name: ag.short_name.as_deref(),
        description: ag.description.as_deref(),
        url: ag.url.as_deref(),
        parent: ag.parent.map(|p| views::agency_link(r.archive, p, base)),
        children: ag
            .children
            .iter()
            .map(|&c| views::agency_link(r.archive, c, base))
            .collect(),
        count: ag.records.len(),
    }
}

#[derive(Serialize)]
struct SessionView<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    date: DateView,
    channel: Option<&'a str>,
    description: Option<&'a str>,
    count: usize,
}

fn session_view<'a>(r: &'a Renderer, s: &'a crate::model::Session) -> SessionView<'a> {
    SessionView {
        id: &s.id,
        title: &s.title,
        url: format!("{}{}", r.config.base_path(), urls::session(&s.id)),
        date: DateView::new(s.date, r.config.language),
        channel: s.channel.as_deref(),
        description: s.description.as_deref(),
        count: s.records.len(),
    }
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    /// Records on all pages.
    items: usize,
    first_item: usize,
    last_item: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    /// 0 marks a gap ("…").
    n: usize,
    url: String,
}

/// Renders a list over several pages of `paginate` records each.
fn paginated(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    base_path: &str,
    template: &str,
    records: &[RecordIdx],
    ctx: Context,
) -> Result<()> {
    let size = r.config.paginate;
    let total = records.len().div_ceil(size).max(1);
    let url = |n: usize| format!("{}{}", r.config.base_path(), urls::page(base_path, n));
    (1..=total).into_par_iter().try_for_each(|n| {
        let slice = &records[((n - 1) * size).min(records.len())..(n * size).min(records.len())];
        let mut ctx = ctx.clone();
        let list: Vec<Value> = slice.iter().map(|&i| r.summaries[i].clone()).collect();
        ctx.insert_value("records", Value::from(list));
        ctx.insert(
            "pagination",
            &Pagination {
                current: n,
                total,
                items: records.len(),
                first_item: (n - 1) * size + 1,
                last_item: (n - 1) * size + slice.len(),
                prev: (n > 1).then(|| url(n - 1)),
                next: (n < total).then(|| url(n + 1)),
                pages: window(n, total)
                    .into_iter()
                    .map(|k| PageLink {
                        n: k,
                        url: if k == 0 { String::new() } else { url(k) },
                    })
                    .collect(),
            },
        );
        page(&urls::page(base_path, n), template, ctx)
    })
}

/// Page numbers to show: first, last, and two either side of the current one; 0 for gaps.
fn window(current: usize, total: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for n in 1..=total {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == total || near {
            out.push(n);
        } else if out.last() != Some(&0) {
            out.push(0);
        }
    }
    out
}

#[derive(Serialize)]
struct RecordView<'a> {
    #[serde(flatten)]
    summary: &'a Value,
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

fn record_context(r: &Renderer, i: RecordIdx, rec: &Record) -> Context {
    let a = r.archive;
    let base = r.config.base_path();
    let view = RecordView {
        summary: &r.summaries[i],
        question_html: &rec.question.html,
        answer_html: rec.answer.as_ref().map(|t| t.html.as_str()),
        description: views::excerpt(&rec.question.plain, 160),
        asker_kind: rec.asker.as_ref().map(|k| k.kind.as_str()),
        asker_name: rec.asker.as_ref().and_then(|k| k.name.as_deref()),
        asker_place: rec.asker.as_ref().and_then(|k| k.place.as_deref()),
        session: rec.session.map(|s| views::session_link(a, s, base)),
        channel: rec.channel.as_deref(),
        answered_by: rec.answered_by.as_deref(),
        source: rec.source.as_deref(),
        parent_agency: rec
            .agency
            .and_then(|ag| a.agencies[ag].parent)
            .map(|p| views::agency_link(a, p, base)),
        answer_plain: rec.answer.as_ref().map(|t| t.plain.as_str()),
    };
    let mut ctx = Context::new();
    ctx.insert("record", &view);
    ctx.insert("jsonld", &structured::record(a, rec, r.config));
    // Neighbours in the same agency: its list is newest first, like the archive, so a
    // binary search by archive position finds the record without a scan.
    if let Some(ag) = rec.agency {
        let list = &a.agencies[ag].records;
        if let Ok(pos) = list.binary_search(&i) {
            if pos > 0 {
                ctx.insert_value("newer", r.summaries[list[pos - 1]].clone());
            }
            if let Some(&j) = list.get(pos + 1) {
                ctx.insert_value("older", r.summaries[j].clone());
            }
        }
    }
    ctx
}

fn aliases(r: &Renderer, page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync)) -> Result<()> {
    for rec in &r.archive.records {
        for alias in &rec.aliases {
            let mut ctx = Context::new();
            ctx.insert("target", &r.config.absolute(&urls::record(&rec.id)));
            ctx.insert("title", &rec.title);
            page(alias, "alias.html", ctx)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn pagination_window() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(5, 10), [1, 0, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(window(10, 10), [1, 0, 8, 9, 10]);
    }
}

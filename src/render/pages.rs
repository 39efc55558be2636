//! Which pages a site has, and the context each one gets.
//!
//! One code path renders them: a [`Selection`] says which. A full build selects everything;
//! the live preview selects the pages that show the records an edit changed.

use super::Renderer;
use super::views::{self, DateView, Link};
use crate::Result;
use crate::model::{AgencyIdx, Archive, Record, RecordIdx, SessionIdx, Status, TopicIdx};
use crate::publish::{Output, feeds, structured};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use tera::{Context, Value};

/// How many records the home page lists as latest answers.
const LATEST: usize = 10;

/// Which pages to render: every page, or those an edit of some records touches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Every page, the indexes, statistics, search and 404 pages included.
    all: bool,
    /// Record pages, by archive position.
    pub records: BTreeSet<RecordIdx>,
    /// Numbers (from 1) of the list pages to render, per agency, topic, session and year.
    pub agencies: BTreeMap<AgencyIdx, BTreeSet<usize>>,
    pub topics: BTreeMap<TopicIdx, BTreeSet<usize>>,
    pub sessions: BTreeMap<SessionIdx, BTreeSet<usize>>,
    pub years: BTreeMap<i16, BTreeSet<usize>>,
    pub home: bool,
    /// Records whose alias pages (which carry the title) are rendered.
    pub aliases: BTreeSet<RecordIdx>,
}

/// The pages of one list to render.
#[derive(Clone, Copy)]
enum Wanted<'a> {
    All,
    Some(&'a BTreeSet<usize>),
}

impl Wanted<'_> {
    fn has(self, n: usize) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Some(set) => set.contains(&n),
        }
    }
}

impl Selection {
    pub fn all() -> Selection {
        Selection {
            all: true,
            ..Selection::default()
        }
    }

    /// The pages that show the edited records, each given as its archive position and its
    /// new version; `archive` holds the old versions. `None` when an edit is structural (see
    /// [`same_place`]): then every page must be rendered again.
    pub fn for_edits(
        archive: &Archive,
        edits: &[(RecordIdx, &Record)],
        paginate: usize,
    ) -> Option<Selection> {
        let mut s = Selection::default();
        for &(i, new) in edits {
            let old = archive.records.get(i)?;
            if !same_place(old, new) {
                return None;
            }
            s.add_record(archive, i, paginate.max(1));
        }
        Some(s)
    }

    fn add_record(&mut self, a: &Archive, i: RecordIdx, size: usize) {
        let r = &a.records[i];
        self.records.insert(i);
        // The home page may list it among the latest answers.
        self.home = true;
        if !r.aliases.is_empty() {
            self.aliases.insert(i);
        }
        if let Some(ag) = r.agency {
            let list = &a.agencies[ag].records;
            if let Some(pos) = position(list, i) {
                self.agencies.entry(ag).or_default().insert(pos / size + 1);
                // Its neighbours in the agency link to it by its summary.
                self.records.extend(pos.checked_sub(1).map(|p| list[p]));
                self.records.extend(list.get(pos + 1).copied());
            }
        }
        for &t in &r.topics {
            if let Some(pos) = position(&a.topics[t].records, i) {
                self.topics.entry(t).or_default().insert(pos / size + 1);
            }
        }
        if let Some(ss) = r.session
            && let Some(pos) = position(&a.sessions[ss].records, i)
        {
            self.sessions.entry(ss).or_default().insert(pos / size + 1);
        }
        if let Some((year, list)) = a.years.iter().find(|(y, _)| *y == r.year())
            && let Some(pos) = position(list, i)
        {
            self.years.entry(*year).or_default().insert(pos / size + 1);
        }
    }

    fn list<'s, K: Ord>(
        &'s self,
        lists: &'s BTreeMap<K, BTreeSet<usize>>,
        key: &K,
    ) -> Option<Wanted<'s>> {
        if self.all {
            return Some(Wanted::All);
        }
        lists.get(key).map(Wanted::Some)
    }
}

/// Lists are in archive order (newest first), so a binary search finds a record.
fn position(list: &[RecordIdx], i: RecordIdx) -> Option<usize> {
    list.binary_search(&i).ok()
}

/// Whether a record's new version sits in the same lists at the same places and counts the
/// same in every figure and statistic, so that only the pages showing it change.
pub fn same_place(old: &Record, new: &Record) -> bool {
    old.id == new.id
        && old.file == new.file
        && old.asked == new.asked
        && old.agency == new.agency
        && old.topics == new.topics
        && old.session == new.session
        && old.status == new.status
        && old.answered == new.answered
        && old.days_to_answer == new.days_to_answer
        && old.aliases == new.aliases
        // The latest answers (home page, feeds) count only records with an answer text.
        && old.answer.is_some() == new.answer.is_some()
        // The statistics name the oldest pending question of each group by its title.
        && (old.title == new.title || old.status != Status::Pending)
}

/// Renders every page; returns the path of each page written (the sitemap lists them).
pub fn render_all(r: &Renderer, out: &Output) -> Result<Vec<String>> {
    render(r, out, &Selection::all())
}

/// Renders the selected pages; returns the path of each page written.
pub fn render(r: &Renderer, out: &Output, sel: &Selection) -> Result<Vec<String>> {
    let written = Mutex::new(Vec::new());
    let page = |path: &str, template: &str, ctx: Context| {
        r.page(out, path, template, ctx)?;
        if let Ok(mut list) = written.lock() {
            list.push(path.to_string());
        }
        Ok(())
    };
    let a = r.archive;
    let records: Vec<RecordIdx> = match sel.all {
        true => (0..a.records.len()).collect(),
        false => sel
            .records
            .iter()
            .copied()
            .filter(|&i| i < a.records.len())
            .collect(),
    };
    records.par_iter().try_for_each(|&i| {
        let rec = &a.records[i];
        page(
            &urls::record(&rec.id),
            "record.html",
            record_context(r, i, rec),
        )
    })?;
    if sel.all || sel.home {
        home(r, &page)?;
    }
    if sel.all {
        page(urls::AGENCIES, "agencies.html", agencies_context(r))?;
        page(urls::TOPICS, "topics.html", topics_context(r))?;
        page(urls::SESSIONS, "sessions.html", sessions_context(r))?;
        page(urls::YEARS, "years.html", years_context(r))?;
    }
    a.agencies.par_iter().enumerate().try_for_each(|(i, ag)| {
        let Some(wanted) = sel.list(&sel.agencies, &i) else {
            return Ok(());
        };
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
        let list = List {
            base_path: &urls::agency(&ag.id),
            template: "agency.html",
            records: &ag.records,
        };
        paginated(r, &page, &list, wanted, ctx)
    })?;
    a.topics.par_iter().enumerate().try_for_each(|(i, t)| {
        let Some(wanted) = sel.list(&sel.topics, &i) else {
            return Ok(());
        };
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
        let list = List {
            base_path: &urls::topic(&t.id),
            template: "topic.html",
            records: &t.records,
        };
        paginated(r, &page, &list, wanted, ctx)
    })?;
    a.sessions.par_iter().enumerate().try_for_each(|(i, s)| {
        let Some(wanted) = sel.list(&sel.sessions, &i) else {
            return Ok(());
        };
        let mut ctx = Context::new();
        ctx.insert("session", &session_view(r, s));
        ctx.insert("feed", &feed_view(r, feeds::session(a, i, r.config)));
        let list = List {
            base_path: &urls::session(&s.id),
            template: "session.html",
            records: &s.records,
        };
        paginated(r, &page, &list, wanted, ctx)
    })?;
    a.years.par_iter().try_for_each(|(year, records)| {
        let Some(wanted) = sel.list(&sel.years, year) else {
            return Ok(());
        };
        let mut ctx = Context::new();
        ctx.insert("year", year);
        if let Some(f) = r.stats.year(*year) {
            ctx.insert("figures", f);
        }
        ctx.insert("min_records", &r.config.stats.min_records);
        let list = List {
            base_path: &urls::year(*year),
            template: "year.html",
            records,
        };
        paginated(r, &page, &list, wanted, ctx)
    })?;
    if sel.all && r.has_template("stats.html") {
        let mut ctx = Context::new();
        ctx.insert("stats", r.stats);
        page(urls::STATS, "stats.html", ctx)?;
    }
    if sel.all && r.has_template("search.html") {
        page(urls::SEARCH, "search.html", search_context(r))?;
    }
    if sel.all {
        page("404.html", "404.html", Context::new())?;
    }
    aliases(r, &page, sel)?;
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
    let latest: Vec<Value> = latest_answers(a, LATEST)
        .into_iter()
        .map(|i| r.summary(i))
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

/// The `n` records answered last, newest first (ties: the later in the archive first), found
/// without sorting the archive: the home page is re-rendered after every edit in the preview.
fn latest_answers(a: &Archive, n: usize) -> Vec<RecordIdx> {
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

/// A paginated list: where it lives, its template and its records.
struct List<'a> {
    base_path: &'a str,
    template: &'a str,
    records: &'a [RecordIdx],
}

/// Renders the wanted pages of a list of `paginate` records a page.
fn paginated(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    list: &List,
    wanted: Wanted,
    ctx: Context,
) -> Result<()> {
    let records = list.records;
    let size = r.config.paginate;
    let total = records.len().div_ceil(size).max(1);
    let url = |n: usize| format!("{}{}", r.config.base_path(), urls::page(list.base_path, n));
    (1..=total)
        .into_par_iter()
        .filter(|&n| wanted.has(n))
        .try_for_each(|n| {
            let slice =
                &records[((n - 1) * size).min(records.len())..(n * size).min(records.len())];
            let mut ctx = ctx.clone();
            let shown: Vec<Value> = slice.iter().map(|&i| r.summary(i)).collect();
            ctx.insert_value("records", Value::from(shown));
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
            page(&urls::page(list.base_path, n), list.template, ctx)
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

fn record_context(r: &Renderer, i: RecordIdx, rec: &Record) -> Context {
    let a = r.archive;
    let base = r.config.base_path();
    let view = RecordView {
        summary: r.summary(i),
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
                ctx.insert_value("newer", r.summary(list[pos - 1]));
            }
            if let Some(&j) = list.get(pos + 1) {
                ctx.insert_value("older", r.summary(j));
            }
        }
    }
    ctx
}

fn aliases(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    sel: &Selection,
) -> Result<()> {
    let of_record = |rec: &Record| {
        rec.aliases.iter().try_for_each(|alias| {
            let mut ctx = Context::new();
            ctx.insert("target", &r.config.absolute(&urls::record(&rec.id)));
            ctx.insert("title", &rec.title);
            page(alias, "alias.html", ctx)
        })
    };
    // A preview edit names its few records; only a full build looks at them all.
    if sel.all {
        return r.archive.records.iter().try_for_each(of_record);
    }
    let mut named = sel.aliases.iter().filter_map(|&i| r.archive.records.get(i));
    named.try_for_each(of_record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::model::{Agency, Text, Topic};
    use std::collections::BTreeSet;

    #[test]
    fn pagination_window() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(5, 10), [1, 0, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(window(10, 10), [1, 0, 8, 9, 10]);
    }

    fn text(s: &str) -> Text {
        Text {
            markdown: s.into(),
            html: format!("<p>{s}</p>"),
            plain: s.into(),
        }
    }

    /// Record `n` of an archive in which records alternate between two agencies.
    fn record(n: usize) -> Record {
        let asked = jiff::civil::date(2020, 1, 1) - jiff::Span::new().days(n as i64);
        Record {
            id: format!("r{n:03}"),
            title: format!("Câu hỏi {n}"),
            asked,
            asker: None,
            agency: Some(n % 2),
            topics: vec![0],
            session: None,
            channel: None,
            status: Status::Answered,
            answered: Some(asked),
            answered_by: None,
            source: None,
            aliases: if n == 24 {
                vec!["cu/24.html".into()]
            } else {
                vec![]
            },
            question: text("Hỏi?"),
            answer: Some(text("Đáp.")),
            file: format!("content/records/r{n:03}.md"),
            days_to_answer: Some(0),
        }
    }

    /// 45 records, newest first, the lists filled in as validation fills them.
    fn archive() -> Archive {
        let named = |id: &str| Agency {
            id: id.into(),
            name: id.into(),
            short_name: None,
            parent: None,
            children: vec![],
            url: None,
            description: None,
            records: vec![],
        };
        let mut a = Archive {
            records: (0..45).map(record).collect(),
            agencies: vec![named("a"), named("b")],
            topics: vec![Topic {
                id: "t".into(),
                name: "t".into(),
                description: None,
                records: vec![],
            }],
            sessions: vec![],
            years: vec![],
            abbreviations: vec![],
        };
        for (i, r) in a.records.iter().enumerate() {
            a.agencies[i % 2].records.push(i);
            a.topics[0].records.push(i);
            match a.years.last_mut() {
                Some((y, list)) if *y == r.year() => list.push(i),
                _ => a.years.push((r.year(), vec![i])),
            }
        }
        a
    }

    fn pages(list: &[usize]) -> BTreeSet<usize> {
        list.iter().copied().collect()
    }

    #[test]
    fn an_answer_edit_selects_its_page_its_neighbours_its_list_pages_and_home() {
        let a = archive();
        let mut new = a.records[24].clone();
        new.answer = Some(text("Một câu trả lời khác."));
        let s = Selection::for_edits(&a, &[(24, &new)], 10).unwrap();
        // Agency "a" lists 0, 2, 4, ...: record 24 is its 13th, on page 2, between 22 and 26.
        assert_eq!(s.records, pages(&[22, 24, 26]));
        assert_eq!(s.agencies, BTreeMap::from([(0, pages(&[2]))]));
        assert_eq!(s.topics, BTreeMap::from([(0, pages(&[3]))]));
        // 2019 holds records 1 to 44: record 24 is its 24th.
        assert_eq!(s.years, BTreeMap::from([(2019, pages(&[3]))]));
        assert!(s.sessions.is_empty());
        assert!(s.home);
        assert_eq!(s.aliases, pages(&[24]));

        let mut first = a.records[0].clone();
        first.question = text("Hỏi lại?");
        let s = Selection::for_edits(&a, &[(0, &first)], 10).unwrap();
        assert_eq!(
            s.records,
            pages(&[0, 2]),
            "the newest has no newer neighbour"
        );
        assert!(s.aliases.is_empty());
    }

    #[test]
    fn latest_answers_are_the_newest_by_answer_date() {
        let mut a = archive();
        // Answered on the day asked, so newest first is archive order; make 30 the newest.
        a.records[30].answered = Some(jiff::civil::date(2021, 6, 1));
        a.records[1].answered = a.records[2].answered;
        a.records[5].answer = None;
        let got = latest_answers(&a, 6);
        assert_eq!(got, [30, 0, 2, 1, 3, 4]);
        assert_eq!(latest_answers(&a, 100).len(), 44);
    }

    #[test]
    fn structural_edits_select_nothing() {
        let a = archive();
        let edit = |f: &dyn Fn(&mut Record)| {
            let mut new = a.records[24].clone();
            f(&mut new);
            Selection::for_edits(&a, &[(24, &new)], 10)
        };
        assert!(edit(&|r| r.title = "Tiêu đề mới".into()).is_some());
        assert!(edit(&|r| r.source = Some("https://x.vn".into())).is_some());
        for structural in [
            &|r: &mut Record| r.agency = Some(1),
            &|r: &mut Record| r.topics = vec![],
            &|r: &mut Record| r.asked = jiff::civil::date(2030, 1, 1),
            &|r: &mut Record| r.status = Status::Declined,
            &|r: &mut Record| r.answered = None,
            &|r: &mut Record| r.answer = None,
            &|r: &mut Record| r.aliases.clear(),
            &|r: &mut Record| r.id = "khac".into(),
        ] as [&dyn Fn(&mut Record); 8]
        {
            assert!(edit(structural).is_none());
        }
        // The statistics name the oldest pending question by its title.
        let mut pending = a.clone();
        pending.records[24].status = Status::Pending;
        let mut new = pending.records[24].clone();
        new.title = "Tiêu đề mới".into();
        assert!(Selection::for_edits(&pending, &[(24, &new)], 10).is_none());
    }

    /// Renders a selection through the default theme; the files written, by path.
    fn rendered(a: &Archive, sel: &Selection) -> BTreeSet<String> {
        let config = SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.vn/\"\nlanguage = \"vi\"\npaginate = 10\n",
            "site.toml",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let theme = super::super::theme::resolve(dir.path(), &config).unwrap();
        let stats = crate::stats::compute(a, &config, jiff::civil::date(2021, 1, 1));
        let r = Renderer::new(a, &config, &stats, &theme).unwrap();
        let out = Output::in_place(dir.path()).unwrap();
        render(&r, &out, sel).unwrap();
        walkdir::WalkDir::new(dir.path())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::load::relative(dir.path(), e.path()))
            .collect()
    }

    #[test]
    fn a_selection_renders_only_its_pages() {
        let a = archive();
        let mut new = a.records[24].clone();
        new.answer = Some(text("Khác."));
        let sel = Selection::for_edits(&a, &[(24, &new)], 10).unwrap();
        let year = *sel.years.keys().next().unwrap();
        let year_page = sel.years[&year].first().unwrap();
        let expected: BTreeSet<String> = [
            "index.html".to_string(),
            "records/r022/index.html".into(),
            "records/r024/index.html".into(),
            "records/r026/index.html".into(),
            "agencies/a/page/2/index.html".into(),
            "topics/t/page/3/index.html".into(),
            crate::urls::file_for(&crate::urls::page(&crate::urls::year(year), *year_page)),
            "cu/24.html".into(),
        ]
        .into_iter()
        .collect();
        assert_eq!(rendered(&a, &sel), expected);
        let all = rendered(&a, &Selection::all());
        assert!(all.len() > 60 && all.is_superset(&expected), "{all:?}");
    }
}

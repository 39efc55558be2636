//! Which pages a site has, and the context each one gets: one file per page kind.
//!
//! One code path renders them: a [`Selection`] says which. A full build selects everything, in
//! two halves: the lists while the related questions are being found, then the record pages,
//! which show them. The live preview selects the pages that show the records an edit changed.

mod agency;
mod alias;
mod home;
mod indexes;
mod paginate;
mod record;
mod session;
mod topic;
mod year;

use super::Renderer;
use crate::Result;
use crate::model::{AgencyIdx, Archive, Record, RecordIdx, SessionIdx, Status, TopicIdx};
use crate::publish::{Output, feeds};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use tera::Context;

/// Which pages to render: every page, or those an edit of some records touches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Every page but the record pages: the lists, indexes, home, statistics, search, alias
    /// and 404 pages.
    every_list: bool,
    /// Every record page.
    every_record: bool,
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
    /// Every page (the build renders them in two halves: [`Selection::lists`] and
    /// [`Selection::records`]).
    #[cfg(test)]
    pub fn all() -> Selection {
        Selection {
            every_list: true,
            every_record: true,
            ..Selection::default()
        }
    }

    /// Every page that does not show related questions: all but the record pages.
    pub fn lists() -> Selection {
        Selection {
            every_list: true,
            ..Selection::default()
        }
    }

    /// Every record page.
    pub fn records() -> Selection {
        Selection {
            every_record: true,
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
        for &ag in &r.participants {
            let list = &a.agencies[ag].records;
            if let Some(pos) = position(list, i) {
                self.agencies.entry(ag).or_default().insert(pos / size + 1);
                // Its neighbours in its own agency link to it by its summary.
                if Some(ag) == r.agency {
                    self.records.extend(pos.checked_sub(1).map(|p| list[p]));
                    self.records.extend(list.get(pos + 1).copied());
                }
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
        if let Some((year, list)) = a.years.iter().find(|(y, _)| Some(*y) == r.year())
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
        if self.every_list {
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
        && old.participants == new.participants
        && same_thread(old, new)
        // The latest answers (home page, feeds) count only records with an answer text.
        && old.answer.is_some() == new.answer.is_some()
        // The statistics name the oldest pending question of each group by its title.
        && (old.title == new.title || old.status != Status::Pending)
}
/// Whether two versions of a record have threads of the same kinds, dates and agencies
/// (their texts may differ): the statistics, feeds and sitemap read only those.
fn same_thread(old: &Record, new: &Record) -> bool {
    old.entries.len() == new.entries.len()
        && old.entries.iter().zip(&new.entries).all(|(a, b)| {
            a.kind == b.kind && a.date == b.date && a.agency == b.agency && a.from == b.from
        })
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
    let records: Vec<RecordIdx> = match sel.every_record {
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
        let path = urls::record(&rec.id);
        page(
            &path,
            "record.html",
            record::context(r, i, rec, &r.root(&path)),
        )
    })?;
    if sel.every_list || sel.home {
        home::render(r, &page)?;
    }
    if sel.every_list {
        let agencies = indexes::agencies(r, &r.root(urls::AGENCIES));
        let topics = indexes::topics(r, &r.root(urls::TOPICS));
        let sessions = indexes::sessions(r, &r.root(urls::SESSIONS));
        let years = indexes::years(r, &r.root(urls::YEARS));
        page(urls::AGENCIES, "agencies.html", agencies)?;
        page(urls::TOPICS, "topics.html", topics)?;
        page(urls::SESSIONS, "sessions.html", sessions)?;
        page(urls::YEARS, "years.html", years)?;
    }
    agency::render(r, &page, sel)?;
    topic::render(r, &page, sel)?;
    session::render(r, &page, sel)?;
    year::render(r, &page, sel)?;
    if sel.every_list && r.has_template("stats.html") {
        let mut ctx = Context::new();
        ctx.insert("stats", r.stats);
        page(urls::STATS, "stats.html", ctx)?;
    }
    if sel.every_list && r.has_template("search.html") {
        let search = indexes::search(r, &r.root(urls::SEARCH));
        page(urls::SEARCH, "search.html", search)?;
    }
    if sel.every_list {
        page(urls::NOT_FOUND, "404.html", Context::new())?;
    }
    alias::render(r, &page, sel)?;
    Ok(written.into_inner().unwrap_or_default())
}

/// A feed as the pages that announce it see it.
#[derive(Serialize)]
struct FeedView {
    url: String,
    title: String,
}

/// `root`: the way from the page to the site root (see `Renderer::root`).
fn feed_view(link: feeds::FeedLink, root: &str) -> FeedView {
    FeedView {
        url: format!("{root}{}", link.path),
        title: link.title,
    }
}

/// A UI string of the site's language, or its key when the theme lacks it.
fn ui<'a>(r: &'a Renderer, key: &'a str) -> &'a str {
    r.t.get(key).map_or(key, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::model::{Agency, Text, Topic};
    use std::collections::BTreeSet;

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
            asked: Some(asked),
            agency: Some(n % 2),
            topics: vec![0],
            status: Status::Answered,
            answered: Some(asked),
            aliases: if n == 24 {
                vec!["cu/24.html".into()]
            } else {
                vec![]
            },
            question: text("Hỏi?"),
            answer: Some(text("Đáp.")),
            file: format!("content/records/r{n:03}.md"),
            days_to_answer: Some(0),
            participants: vec![n % 2],
            ..Record::test(&format!("r{n:03}"), &format!("Câu hỏi {n}"))
        }
    }

    fn followup() -> crate::model::thread::Entry {
        crate::model::thread::Entry {
            kind: crate::model::thread::Kind::FollowUp,
            date: Some(jiff::civil::date(2020, 6, 1)),
            agency: None,
            from: None,
            by: None,
            text: text("Hỏi thêm?"),
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
                Some((y, list)) if Some(*y) == r.year() => list.push(i),
                _ => a.years.push((r.year().unwrap(), vec![i])),
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
        let got = home::latest_answers(&a, 6);
        assert_eq!(got, [30, 0, 2, 1, 3, 4]);
        assert_eq!(home::latest_answers(&a, 100).len(), 44);
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
            &|r: &mut Record| r.asked = Some(jiff::civil::date(2030, 1, 1)),
            &|r: &mut Record| r.status = Status::Declined,
            &|r: &mut Record| r.answered = None,
            &|r: &mut Record| r.answer = None,
            &|r: &mut Record| r.aliases.clear(),
            &|r: &mut Record| r.id = "khac".into(),
            // A thread that gains an entry or an agency changes lists, feeds and figures.
            &|r: &mut Record| r.entries.push(followup()),
            &|r: &mut Record| r.participants.push(1),
        ] as [&dyn Fn(&mut Record); 10]
        {
            assert!(edit(structural).is_none());
        }
        // Only an entry's text changed: the pages showing the record.
        let mut threaded = a.clone();
        threaded.records[24].entries.push(followup());
        let mut new = threaded.records[24].clone();
        new.entries[0].text = text("Hỏi thêm, viết lại.");
        assert!(Selection::for_edits(&threaded, &[(24, &new)], 10).is_some());
        // The statistics name the oldest pending question by its title.
        let mut pending = a.clone();
        pending.records[24].status = Status::Pending;
        let mut new = pending.records[24].clone();
        new.title = "Tiêu đề mới".into();
        assert!(Selection::for_edits(&pending, &[(24, &new)], 10).is_none());
    }

    /// What a renderer of a test archive needs: a site with the default theme at `base_url`,
    /// its statistics, and a folder to write into.
    struct Site {
        config: SiteConfig,
        stats: crate::stats::Stats,
        theme: super::super::theme::ThemeFiles,
        dir: tempfile::TempDir,
    }

    impl Site {
        fn new(a: &Archive, base_url: &str, paginate: Option<usize>) -> Site {
            let mut toml = format!("title = \"T\"\nbase_url = \"{base_url}\"\nlanguage = \"vi\"\n");
            if let Some(n) = paginate {
                toml.push_str(&format!("paginate = {n}\n"));
            }
            let config = SiteConfig::parse(&toml, "site.toml").unwrap();
            let dir = tempfile::tempdir().unwrap();
            let theme = super::super::theme::resolve(dir.path(), &config).unwrap();
            let stats = crate::stats::compute(a, &config, jiff::civil::date(2021, 1, 1));
            Site {
                config,
                stats,
                theme,
                dir,
            }
        }

        fn renderer<'a>(&'a self, a: &'a Archive) -> Renderer<'a> {
            Renderer::new(a, &self.config, &self.stats, &self.theme).unwrap()
        }
    }

    /// Renders a selection through the default theme; the files written, by path.
    fn rendered(a: &Archive, sel: &Selection) -> BTreeSet<String> {
        let site = Site::new(a, "https://x.vn/", Some(10));
        let r = site.renderer(a);
        let dir = &site.dir;
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

    #[test]
    fn lists_and_records_split_every_page_between_them() {
        let a = archive();
        let lists = rendered(&a, &Selection::lists());
        let records = rendered(&a, &Selection::records());
        assert_eq!(records.len(), a.records.len(), "{records:?}");
        assert!(records.iter().all(|p| p.starts_with("records/")));
        assert!(lists.iter().all(|p| !records.contains(p)));
        // The alias page of record 24 redirects to it but is no record page.
        assert!(lists.contains("cu/24.html"), "{lists:?}");
        let both: BTreeSet<String> = lists.union(&records).cloned().collect();
        assert_eq!(both, rendered(&a, &Selection::all()));
    }

    #[test]
    fn summaries_link_from_the_page_that_shows_them() {
        let a = archive();
        let site = Site::new(&a, "https://x.vn/hd/", None);
        let r = site.renderer(&a);
        // Depths that list pages have (kept links) and one that none has (made on the spot).
        for path in ["", "agencies/a/", "agencies/a/page/2/", "a/b/c/d/e/"] {
            let root = r.root(path);
            let s = serde_json::to_value(r.summary(3, &root)).unwrap();
            assert_eq!(s["url"], format!("{root}records/r003/"), "{path}");
            assert_eq!(s["agency"]["url"], format!("{root}agencies/b/"), "{path}");
            assert_eq!(s["topics"][0]["url"], format!("{root}topics/t/"), "{path}");
        }
        assert_eq!(r.root("a/b/c/d/e/"), "../../../../../");
        assert_eq!(r.root(crate::urls::NOT_FOUND), "https://x.vn/hd/");
    }

    /// A record page's `record` holds its summary's fields, as the summary has them, beside
    /// the view's own.
    #[test]
    fn a_record_page_has_its_summary_fields() {
        let a = archive();
        let site = Site::new(&a, "https://x.vn/", None);
        let r = site.renderer(&a);
        let root = r.root("records/r024/");
        let ctx = record::context(&r, 24, &a.records[24], &root);
        let page = serde_json::to_value(ctx.get("record").unwrap()).unwrap();
        let summary = serde_json::to_value(r.summary(24, &root)).unwrap();
        let summary = summary.as_object().unwrap();
        assert_eq!(summary.len(), crate::render::views::SUMMARY_FIELDS);
        for (key, value) in summary {
            assert_eq!(&page[key], value, "{key}");
        }
        assert_eq!(page["question_html"], "<p>Hỏi?</p>");
        assert_eq!(page["answer_plain"], "Đáp.");
        assert_eq!(page["url"], "../../records/r024/");
        assert_eq!(page.as_object().unwrap().len(), 25);
    }

    /// A summary made from the parts kept the first time is the one made on the spot, at
    /// every depth, and so is one made when nothing is kept (the preview's renderer).
    #[test]
    fn kept_summaries_are_the_summaries_made_on_the_spot() {
        let mut a = archive();
        a.records[7].question = text("Một câu hỏi dài hơn,  có\nkhoảng trắng và <b>dấu</b>.");
        a.records[9].asked = None;
        let site = Site::new(&a, "https://x.vn/", None);
        let kept = site.renderer(&a);
        let mut none = site.renderer(&a);
        none.summaries = Default::default();
        let json = |r: &Renderer, i, root: &str| serde_json::to_value(r.summary(i, root)).unwrap();
        for root in ["", "../../", "../../../../", "../../../../../"] {
            for i in 0..a.records.len() {
                let first = json(&kept, i, root);
                assert_eq!(first, json(&kept, i, root), "{i} {root}");
                assert_eq!(first, json(&none, i, root), "{i} {root}");
            }
        }
        // Made straight into Tera's map, a summary is what serde makes of a `Summary`.
        for root in ["", "../../", "../../../../", "../../../../../"] {
            for i in 0..a.records.len() {
                let spec = crate::render::views::summary(
                    &kept.shared,
                    &kept.summaries,
                    &a,
                    i,
                    &a.records[i],
                    root,
                );
                let spec = tera::Value::from_serializable(&spec);
                assert_eq!(kept.summary(i, root), spec, "{i} {root}");
                assert_eq!(json(&kept, i, root), serde_json::to_value(&spec).unwrap());
            }
        }
        let s = json(&kept, 7, "../../");
        assert_eq!(
            s["excerpt"],
            "Một câu hỏi dài hơn, có khoảng trắng và <b>dấu</b>."
        );
        assert_eq!(s["asked"]["iso"], a.records[7].asked.unwrap().to_string());
        assert!(json(&kept, 9, "").get("asked").is_none_or(|v| v.is_null()));
    }
}

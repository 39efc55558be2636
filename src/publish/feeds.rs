//! Atom feeds of the latest answers: one for the site, one per agency, topic and session.
//!
//! Feeds are built from the data alone, so two builds of the same content write the same
//! bytes: entry ids are the records' absolute URLs (built from ids, never titles) and every
//! date is an answer date, never the time of the build.

use super::xml::{self, escape};
use crate::config::SiteConfig;
use crate::model::{Archive, Record, RecordIdx};
use crate::publish::Output;
use crate::render::views::excerpt;
use crate::{Error, Result, urls};
use rayon::prelude::*;
use serde::Serialize;
use std::fmt::Write;

/// Entries per feed.
pub const LIMIT: usize = 50;

/// A feed's place and name, for the feed itself and for the pages that announce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedLink {
    /// Path relative to the site root, such as `feeds/agencies/so-xay-dung.xml`.
    pub path: String,
    pub title: String,
    /// The HTML page the feed follows, as a site path.
    #[serde(skip)]
    pub page: String,
}

pub const SITE: &str = "feeds/atom.xml";

pub fn site(config: &SiteConfig) -> FeedLink {
    FeedLink {
        path: SITE.to_string(),
        title: config.title.clone(),
        page: String::new(),
    }
}

pub fn agency(archive: &Archive, idx: usize, config: &SiteConfig) -> FeedLink {
    let a = &archive.agencies[idx];
    FeedLink {
        path: format!("feeds/agencies/{}.xml", a.id),
        title: format!("{} – {}", a.name, config.title),
        page: urls::agency(&a.id),
    }
}

pub fn topic(archive: &Archive, idx: usize, config: &SiteConfig) -> FeedLink {
    let t = &archive.topics[idx];
    FeedLink {
        path: format!("feeds/topics/{}.xml", t.id),
        title: format!("{} – {}", t.name, config.title),
        page: urls::topic(&t.id),
    }
}

pub fn session(archive: &Archive, idx: usize, config: &SiteConfig) -> FeedLink {
    let s = &archive.sessions[idx];
    FeedLink {
        path: format!("feeds/sessions/{}.xml", s.id),
        title: format!("{} – {}", s.title, config.title),
        page: urls::session(&s.id),
    }
}

/// Writes every feed.
pub fn write(archive: &Archive, config: &SiteConfig, out: &Output) -> Result<()> {
    let all: Vec<RecordIdx> = (0..archive.records.len()).collect();
    let mut feeds: Vec<(FeedLink, &[RecordIdx])> = vec![(site(config), &all)];
    for (i, a) in archive.agencies.iter().enumerate() {
        feeds.push((agency(archive, i, config), &a.records));
    }
    for (i, t) in archive.topics.iter().enumerate() {
        feeds.push((topic(archive, i, config), &t.records));
    }
    for (i, s) in archive.sessions.iter().enumerate() {
        feeds.push((session(archive, i, config), &s.records));
    }
    let chosen: Vec<Vec<RecordIdx>> = feeds
        .par_iter()
        .map(|(_, records)| latest(archive, records, LIMIT))
        .collect();
    // A record among the latest answers of the site is often among those of its agency, topics
    // and session too (at 100,000 generated records, 6,000 entries were 3,836 records): each
    // entry is written once.
    let mut shown: Vec<RecordIdx> = chosen.iter().flatten().copied().collect();
    shown.sort_unstable();
    shown.dedup();
    let texts: Vec<String> = shown
        .par_iter()
        .map(|&i| {
            let mut text = String::new();
            entry(&mut text, archive, config, &archive.records[i]);
            text
        })
        .collect();
    feeds
        .par_iter()
        .zip(&chosen)
        .try_for_each(|((link, records), entries)| {
            let text = document(archive, config, link, records, entries, |out, i| {
                if let Ok(k) = shown.binary_search(&i) {
                    out.push_str(&texts[k]);
                }
            });
            out.write(&link.path, text.as_bytes())
                .map_err(|e| Error::io(&link.path, e))
        })
}

/// The newest answers among `records`: answer date, newest first; ties by id. Only the
/// `limit` kept are sorted: the site feed looks at every answered record, and the live preview
/// writes it after each edit.
pub fn latest(archive: &Archive, records: &[RecordIdx], limit: usize) -> Vec<RecordIdx> {
    let mut answered: Vec<RecordIdx> = records
        .iter()
        .copied()
        .filter(|&i| {
            let r = &archive.records[i];
            r.answer.is_some() && r.answered.is_some()
        })
        .collect();
    let key = |&i: &RecordIdx| {
        let r = &archive.records[i];
        (std::cmp::Reverse(r.answered), r.id.as_str())
    };
    let order = |a: &RecordIdx, b: &RecordIdx| key(a).cmp(&key(b));
    if answered.len() > limit {
        answered.select_nth_unstable_by(limit, order);
        answered.truncate(limit);
    }
    answered.sort_unstable_by(order);
    answered
}

/// One Atom document.
pub fn render(
    archive: &Archive,
    config: &SiteConfig,
    link: &FeedLink,
    records: &[RecordIdx],
) -> String {
    let entries = latest(archive, records, LIMIT);
    render_entries(archive, config, link, records, &entries)
}

/// One Atom document whose entries, [`latest`] of `records`, are already chosen.
pub fn render_entries(
    archive: &Archive,
    config: &SiteConfig,
    link: &FeedLink,
    records: &[RecordIdx],
    entries: &[RecordIdx],
) -> String {
    document(archive, config, link, records, entries, |out, i| {
        entry(out, archive, config, &archive.records[i])
    })
}

/// [`render_entries`], each entry written by `entry`.
fn document(
    archive: &Archive,
    config: &SiteConfig,
    link: &FeedLink,
    records: &[RecordIdx],
    entries: &[RecordIdx],
    entry: impl Fn(&mut String, RecordIdx),
) -> String {
    // Latest change of an entry (an answer, or an update after it), else newest question of
    // the group, else of the site: never the clock.
    let updated = entries
        .iter()
        .filter_map(|&i| archive.records[i].updated())
        .max()
        .or_else(|| records.first().and_then(|&i| archive.records[i].asked))
        .or_else(|| archive.records.first().and_then(|r| r.asked))
        .unwrap_or(jiff::civil::date(1970, 1, 1));
    let mut out = String::with_capacity(2048 + entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">",
        config.language.code(),
        escape(&config.base_url)
    );
    let self_url = config.absolute(&link.path);
    xml::element(&mut out, "  ", "id", &self_url);
    xml::element(&mut out, "  ", "title", &link.title);
    if !config.description.trim().is_empty() {
        xml::element(&mut out, "  ", "subtitle", &config.description);
    }
    xml::element(&mut out, "  ", "updated", &xml::timestamp(updated));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&self_url)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&config.absolute(&link.page))
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name><uri>{}</uri></author>",
        escape(&config.title),
        escape(&config.base_url)
    );
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">hoidap</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for &i in entries {
        entry(&mut out, i);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, archive: &Archive, config: &SiteConfig, r: &Record) {
    let (Some(answer), Some(answered)) = (&r.answer, r.answered) else {
        return;
    };
    let url = config.absolute(&urls::record(&r.id));
    let date = xml::timestamp(answered);
    let changed = xml::timestamp(r.updated().map_or(answered, |d| d.max(answered)));
    out.push_str("  <entry>\n");
    xml::element(out, "    ", "id", &url);
    xml::element(out, "    ", "title", &r.title);
    let _ = writeln!(
        out,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&url)
    );
    xml::element(out, "    ", "published", &date);
    xml::element(out, "    ", "updated", &changed);
    if let Some(a) = r.answering_agency().map(|a| &archive.agencies[a]) {
        let _ = writeln!(
            out,
            "    <author><name>{}</name><uri>{}</uri></author>",
            escape(&a.name),
            escape(&config.absolute(&urls::agency(&a.id)))
        );
    }
    let scheme = config.absolute(urls::TOPICS);
    for t in r.topics.iter().map(|&t| &archive.topics[t]) {
        let _ = writeln!(
            out,
            "    <category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
            escape(&t.id),
            escape(&t.name),
            escape(&scheme)
        );
    }
    out.push_str("    <summary type=\"text\">");
    xml::escape_into(out, &excerpt(&r.question.plain, 300));
    out.push_str("</summary>\n    <content type=\"html\">");
    xml::escape_into(out, &answer.html);
    out.push_str("</content>\n  </entry>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Agency, Status, Text, Topic};

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title = \"Hỏi & đáp\"\nbase_url = \"https://x.gov.vn/hd/\"\nlanguage = \"vi\"\n",
            "site.toml",
        )
        .unwrap()
    }

    fn record(id: &str, asked: &str, answered: Option<&str>) -> Record {
        Record {
            asked: Some(asked.parse().unwrap()),
            agency: Some(0),
            topics: vec![0],
            status: if answered.is_some() {
                Status::Answered
            } else {
                Status::Pending
            },
            answered: answered.map(|d| d.parse().unwrap()),
            question: Text {
                markdown: "Hỏi?".into(),
                html: "<p>Hỏi?</p>".into(),
                plain: "Hỏi?".into(),
            },
            answer: answered.map(|_| Text {
                markdown: "Đáp & xong".into(),
                html: "<p>Đáp &amp; xong</p>".into(),
                plain: "Đáp & xong".into(),
            }),
            file: format!("content/{id}.md"),
            ..Record::test(id, &format!("Câu hỏi <{id}>"))
        }
    }

    fn archive() -> Archive {
        Archive {
            records: vec![
                record("c", "2020-03-01", None),
                record("b", "2020-02-01", Some("2020-02-10")),
                record("a", "2020-01-01", Some("2020-02-10")),
                record("z", "2019-01-01", Some("2019-05-01")),
            ],
            agencies: vec![Agency {
                id: "so-a".into(),
                name: "Sở A".into(),
                short_name: None,
                parent: None,
                children: vec![],
                url: None,
                description: None,
                records: vec![0, 1, 2, 3],
            }],
            topics: vec![Topic {
                id: "t".into(),
                name: "Chủ đề".into(),
                description: None,
                records: vec![0, 1, 2, 3],
            }],
            sessions: vec![],
            years: vec![],
            abbreviations: vec![],
        }
    }

    #[test]
    fn latest_answers_newest_first_ties_by_id() {
        let a = archive();
        assert_eq!(latest(&a, &[0, 1, 2, 3], 50), [2, 1, 3]);
        assert_eq!(latest(&a, &[0, 1, 2, 3], 2), [2, 1]);
        assert!(latest(&a, &[0], 50).is_empty());
    }

    #[test]
    fn feed_is_escaped_and_dated_from_the_data() {
        let (a, c) = (archive(), config());
        let text = render(&a, &c, &agency(&a, 0, &c), &[0, 1, 2, 3]);
        assert!(text.contains("<title>Sở A – Hỏi &amp; đáp</title>"));
        assert!(text.contains("<updated>2020-02-10T00:00:00Z</updated>"));
        assert!(text.contains("<id>https://x.gov.vn/hd/records/a/</id>"));
        assert!(text.contains("<title>Câu hỏi &lt;a&gt;</title>"));
        assert!(
            text.contains("<content type=\"html\">&lt;p&gt;Đáp &amp;amp; xong&lt;/p&gt;</content>")
        );
        assert!(
            !text.contains("records/c/"),
            "pending records are not entries"
        );
        assert_eq!(text, render(&a, &c, &agency(&a, 0, &c), &[0, 1, 2, 3]));
    }

    /// Entries written once and shared by the feeds that show them make the feeds each made
    /// alone.
    #[test]
    fn written_feeds_are_the_feeds_rendered_one_by_one() {
        let (mut a, c) = (archive(), config());
        // Record "z" in its own second agency; its feed shares the entry with the site's.
        a.agencies.push(Agency {
            id: "so-b".into(),
            name: "Sở B".into(),
            records: vec![3],
            ..a.agencies[0].clone()
        });
        a.agencies[0].records = vec![0, 1, 2];
        let dir = tempfile::tempdir().unwrap();
        let out = Output::in_place(dir.path()).unwrap();
        write(&a, &c, &out).unwrap();
        let all: Vec<RecordIdx> = (0..a.records.len()).collect();
        let expected = [
            (site(&c), all.as_slice()),
            (agency(&a, 0, &c), &a.agencies[0].records),
            (agency(&a, 1, &c), &a.agencies[1].records),
            (topic(&a, 0, &c), &a.topics[0].records),
        ];
        for (link, records) in expected {
            let written = std::fs::read_to_string(dir.path().join(&link.path)).unwrap();
            assert_eq!(written, render(&a, &c, &link, records), "{}", link.path);
        }
    }

    #[test]
    fn empty_feed_takes_its_date_from_the_questions() {
        let (a, c) = (archive(), config());
        let text = render(&a, &c, &site(&c), &[0]);
        assert!(text.contains("<updated>2020-03-01T00:00:00Z</updated>"));
        assert!(!text.contains("<entry>"));
    }
}

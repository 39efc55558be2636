//! Atom feeds, parsed as a feed reader parses them (feed-rs): ids, dates, links, escaping,
//! limits and stability across builds, on the example archive and on a site made to break
//! them.

mod common;
mod publish_fixture;

use common::*;
use hoidap::model::{Archive, RecordIdx};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every feed file of a build, by relative path.
fn feeds(out: &Path) -> BTreeMap<String, feed_rs::model::Feed> {
    read_tree(out)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("feeds/") && rel.ends_with(".xml"))
        .map(|(rel, bytes)| {
            let feed = feed_rs::parser::parse(bytes.as_slice())
                .unwrap_or_else(|e| panic!("{rel} does not parse: {e}"));
            (rel, feed)
        })
        .collect()
}

/// An optional feed date as RFC 3339 (feed-rs keeps dates as chrono values).
macro_rules! day {
    ($d:expr) => {
        $d.as_ref().expect("a date").to_rfc3339()
    };
}

/// The records a feed follows, by the feed's path.
fn sources(a: &Archive) -> BTreeMap<String, Vec<RecordIdx>> {
    let mut out = BTreeMap::new();
    out.insert("feeds/atom.xml".to_string(), (0..a.records.len()).collect());
    for x in &a.agencies {
        out.insert(format!("feeds/agencies/{}.xml", x.id), x.records.clone());
    }
    for x in &a.topics {
        out.insert(format!("feeds/topics/{}.xml", x.id), x.records.clone());
    }
    for x in &a.sessions {
        out.insert(format!("feeds/sessions/{}.xml", x.id), x.records.clone());
    }
    out
}

/// Checks every feed of a build against the archive it came from.
fn check_feeds(root: &Path, out: &Path, base_url: &str) {
    let site = hoidap::build::load_site(root).unwrap();
    let a = &site.archive;
    let feeds = feeds(out);
    let expected = sources(a);
    assert_eq!(
        feeds.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one feed for the site and for each agency, topic and session"
    );
    for (rel, feed) in &feeds {
        let self_url = format!("{base_url}{rel}");
        assert_eq!(feed.id, self_url, "{rel}: the feed id is its own URL");
        let self_link = feed.links.iter().find(|l| l.rel.as_deref() == Some("self"));
        assert_eq!(self_link.map(|l| l.href.as_str()), Some(self_url.as_str()));
        let page = feed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("alternate"))
            .unwrap_or_else(|| panic!("{rel}: no alternate link"));
        assert!(page.href.starts_with(base_url), "{rel}: {}", page.href);
        assert!(
            out.join(file_of(&page.href[base_url.len()..])).is_file(),
            "{rel}: its page {} exists",
            page.href
        );
        assert!(feed.title.as_ref().is_some_and(|t| !t.content.is_empty()));
        assert!(!feed.authors.is_empty(), "{rel}: a feed-level author");

        // The entries are the newest answers of the group, newest first, ties by id.
        let mut want: Vec<&hoidap::model::Record> = expected[rel]
            .iter()
            .map(|&i| &a.records[i])
            .filter(|r| r.answer.is_some() && r.answered.is_some())
            .collect();
        want.sort_by(|x, y| y.answered.cmp(&x.answered).then(x.id.cmp(&y.id)));
        want.truncate(50);
        let got: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        let want_ids: Vec<String> = want
            .iter()
            .map(|r| format!("{base_url}records/{}/", r.id))
            .collect();
        assert_eq!(got, want_ids, "{rel}: entries");

        // Updated: the newest answer; never the time of the build.
        if let Some(first) = want.first() {
            assert_eq!(
                day!(feed.updated),
                format!("{}T00:00:00+00:00", first.answered.unwrap())
            );
        }
        for (e, r) in feed.entries.iter().zip(&want) {
            let date = format!("{}T00:00:00+00:00", r.answered.unwrap());
            assert_eq!(day!(e.updated), date, "{rel} {}", r.id);
            assert_eq!(day!(e.published), date);
            assert_eq!(
                e.title.as_ref().map(|t| t.content.as_str()),
                Some(r.title.as_str())
            );
            let link = &e.links[0].href;
            assert_eq!(link, &e.id, "the entry links to the record page");
            assert!(out.join(format!("records/{}/index.html", r.id)).is_file());
            let content = e.content.as_ref().expect("content");
            assert_eq!(content.content_type.to_string(), "text/html");
            assert_eq!(
                content.body.as_deref().map(str::trim),
                Some(r.answer.as_ref().unwrap().html.trim()),
                "{rel} {}: the answer HTML, unescaped once by the reader",
                r.id
            );
            if let Some(ag) = r.agency {
                assert_eq!(
                    e.authors[0].name.as_deref(),
                    Some(a.agencies[ag].name.as_str())
                );
            }
            let terms: BTreeSet<&str> = e.categories.iter().map(|c| c.term.as_str()).collect();
            let topics: BTreeSet<&str> =
                r.topics.iter().map(|&t| a.topics[t].id.as_str()).collect();
            assert_eq!(terms, topics);
        }
    }
}

fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn example_feeds_are_valid_and_complete() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    check_feeds(&repo_root(), out.path(), "https://hoidap.example.gov.vn/");
}

#[test]
fn feeds_survive_markup_limits_and_a_base_path() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    check_feeds(site.path(), out.path(), publish_fixture::BASE_URL);

    let all = feeds(out.path());
    let site_feed = &all["feeds/atom.xml"];
    assert_eq!(site_feed.entries.len(), 50, "at most 50 entries");
    assert_eq!(
        site_feed.title.as_ref().unwrap().content,
        "Hỏi & đáp <thử>",
        "names are escaped once, not twice"
    );
    // The forwarded record has an answer (the forwarding note) and is the newest.
    assert!(site_feed.entries[0].id.ends_with("/records/2025-0002/"));
    let empty = &all["feeds/agencies/so-c.xml"];
    assert!(empty.entries.is_empty());
    assert!(empty.updated.is_some(), "an empty feed still has a date");
    let a = &all["feeds/agencies/so-a.xml"];
    assert_eq!(
        a.title.as_ref().unwrap().content,
        "Sở \"A\" & <B> – Hỏi & đáp <thử>"
    );
}

#[test]
fn feeds_are_the_same_bytes_on_every_build() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    build_into(&repo_root(), first.path(), None);
    build_into(&repo_root(), second.path(), None);
    let pick = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        read_tree(dir)
            .into_iter()
            .filter(|(rel, _)| rel.starts_with("feeds/"))
            .collect()
    };
    let one = pick(first.path());
    assert!(one.len() > 10);
    assert_eq!(one, pick(second.path()));
}

#[test]
fn pages_announce_and_link_their_feeds() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    let site = hoidap::build::load_site(&repo_root()).unwrap();
    let announced = |rel: &str| -> Vec<String> {
        let html = read(out.path(), rel);
        html.split("<link rel=\"alternate\" type=\"application/atom+xml\"")
            .skip(1)
            .map(|s| {
                let start = s.find("href=\"").unwrap() + 6;
                s[start..start + s[start..].find('"').unwrap()].to_string()
            })
            .collect()
    };
    // Relative, like every link between the site's pages.
    for (rel, feed) in [
        ("index.html", "./feeds/atom.xml"),
        ("records/2014-0007/index.html", "../../feeds/atom.xml"),
        ("stats/index.html", "../feeds/atom.xml"),
    ] {
        assert_eq!(announced(rel), [feed], "{rel}");
    }
    let mut pages = vec![("index.html".to_string(), "./feeds/atom.xml".to_string())];
    for (kind, ids) in [
        (
            "agencies",
            site.archive
                .agencies
                .iter()
                .map(|x| &x.id)
                .collect::<Vec<_>>(),
        ),
        (
            "topics",
            site.archive.topics.iter().map(|x| &x.id).collect(),
        ),
        (
            "sessions",
            site.archive.sessions.iter().map(|x| &x.id).collect(),
        ),
    ] {
        for id in ids {
            let rel = format!("{kind}/{id}/index.html");
            let feed = format!("../../feeds/{kind}/{id}.xml");
            assert_eq!(
                announced(&rel),
                ["../../feeds/atom.xml", feed.as_str()],
                "{rel}"
            );
            pages.push((rel, feed));
        }
    }
    for (rel, feed) in pages {
        let html = read(out.path(), &rel);
        let visible = html
            .split("class=\"feed-link\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{rel}: no visible feed link"));
        assert!(
            visible.contains(&format!("href=\"{feed}\"")),
            "{rel}: the visible link goes to {feed}"
        );
        let file = feed.trim_start_matches("./").trim_start_matches("../../");
        assert!(out.path().join(file).is_file());
    }
}

//! The search page in a real browser: builds the example site, serves it on 127.0.0.1 and
//! drives Debian's headless `chromium` with playwright-core (tests/browser/search-browser.cjs).
//! Queries typed without diacritics, with a filter and as a phrase must show the hits that
//! `hoidap search` gives; typing, the URL, the back button, escaping and 320 px are checked too,
//! and so are corrected queries (Telex, typos) with their notice, and a phone's first screen
//! (390 x 844: one search box, folded filters, the first result on screen).
//!
//! Needs `node`, `chromium` (or `CHROMIUM=/path`) and `npm ci` in tests/browser. Without
//! them the test is reported as ignored, with what it needs, unless `HOIDAP_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), which makes anything missing a failure (see `common::browser`).

mod common;

use common::browser::{self, Needs, Test};
use common::copy_example_site;
use hoidap::build::{self, BuildOptions};
use hoidap::search::{self, Query};
use serde::Serialize;
use std::path::Path;

fn main() {
    browser::main(&[Test {
        name: "search_page_in_chromium",
        needs: Needs::Browser,
        run: search_page_in_chromium,
    }]);
}

#[derive(Serialize)]
struct Expectation {
    name: &'static str,
    url: String,
    ids: Vec<String>,
    total: usize,
    all_words: usize,
    corrected: Option<String>,
}

fn expect(root: &Path, name: &'static str, q: Query, url: &str) -> Expectation {
    let res = search::query(&search::index_dir(root), &Query { limit: 10, ..q }).unwrap();
    assert!(res.total > 0, "{name}: the example must have hits");
    Expectation {
        name,
        url: url.to_string(),
        ids: res.hits.into_iter().map(|h| h.id).collect(),
        total: res.total,
        all_words: res.all_words,
        corrected: res.corrected,
    }
}

/// A query string value, percent-encoded (every byte outside `A-Za-z0-9-._~`).
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn search_page_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    // A record writing `Ủy ban nhân dân` in full beside `bán` and `bận`: the page must mark the
    // long form of `ubnd` as a whole, and those syllables not (search-browser.cjs).
    let extra = root.join("content/records/extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("ubnd-xa.md"),
        "---\nid: \"ubnd-xa\"\ntitle: \"Bán đất công\"\nasked: 2024-05-02\n\
         agency: cuc-thue-thanh-pho\ntopics: [thue]\nstatus: pending\n---\n\
         Ủy ban nhân dân xã có được bán đất cho người dân không? Ủy ban đang bận.\n",
    )
    .unwrap();
    let site = build::load_site(&root).unwrap();
    let options = BuildOptions {
        // Served at the root of a local server.
        base_url: Some("http://127.0.0.1/".into()),
        ..BuildOptions::default()
    };
    let report = build::build(&site, &options).unwrap();
    // What `hoidap search` answers from (the build does not write it).
    search::write_index(&site.archive, &search::index_dir(&root)).unwrap();
    // A question pasted whole, narrowed to its agency.
    let pasted = &site.archive.records[7];
    let long = Query {
        text: format!("{} {}", pasted.title, pasted.question.plain),
        agency: pasted.agency.map(|a| site.archive.agencies[a].id.clone()),
        ..Query::default()
    };
    let long_url = format!(
        "search/?q={}&agency={}",
        percent(&long.text),
        long.agency.clone().unwrap_or_default()
    );

    let text = |t: &str| Query {
        text: t.into(),
        ..Query::default()
    };
    let expectations = vec![
        expect(
            &root,
            "no diacritics",
            text("giay phep xay dung"),
            "search/?q=giay+phep+xay+dung",
        ),
        expect(
            &root,
            "with a filter",
            Query {
                year: Some(2018),
                ..text("thue")
            },
            "search/?q=thue&year=2018",
        ),
        expect(
            &root,
            "a phrase",
            text("\"cấp phép xây dựng\""),
            "search/?q=%22c%E1%BA%A5p+ph%C3%A9p+x%C3%A2y+d%E1%BB%B1ng%22",
        ),
        expect(
            &root,
            "upper case",
            text("ĐỐI THOẠI"),
            "search/?q=%C4%90%E1%BB%90I+THO%E1%BA%A0I",
        ),
        // Telex typed with the input method off, and a typo: corrected, and said so.
        expect(&root, "telex", text("xaay dungwj"), "search/?q=xaay+dungwj"),
        expect(&root, "a typo", text("dnug"), "search/?q=dnug"),
        expect(&root, "a long question, filtered", long, &long_url),
        expect(&root, "an abbreviation", text("ubnd"), "search/?q=ubnd"),
    ];
    assert_eq!(
        expectations[4].corrected.as_deref(),
        Some("xây dựng"),
        "the command line corrects it"
    );
    let file = dir.path().join("expect.json");
    std::fs::write(&file, serde_json::to_vec(&expectations).unwrap()).unwrap();

    browser::run_checks(
        "search-browser.cjs",
        &[report.output.as_os_str(), file.as_os_str()],
    );
}

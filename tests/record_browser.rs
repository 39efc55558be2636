//! Record pages in a real browser: builds the example site, serves it on 127.0.0.1 and drives
//! Debian's headless `chromium` with playwright-core (tests/browser/record-browser.cjs): the
//! share button's copy-link fallback and its confirmation, the share sheet where there is one,
//! the layout at two widths, and axe-core over the home, a record and the search page.
//!
//! Needs `node`, `chromium` (or `CHROMIUM=/path`) and `npm ci` in tests/browser. Without
//! them the test is reported as ignored, with what it needs, unless `HOIDAP_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), which makes anything missing a failure (see `common::browser`).

mod common;

use common::browser::{self, Needs, Test};
use common::copy_example_site;
use hoidap::build::{self, BuildOptions};

fn main() {
    browser::main(&[Test {
        name: "record_page_in_chromium",
        needs: Needs::BrowserAndAxe,
        run: record_page_in_chromium,
    }]);
}

fn record_page_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    let site = build::load_site(&root).unwrap();
    // A record with related questions.
    let related = hoidap::search::related::Related::compute(&site.archive);
    let record = (0..site.archive.records.len())
        .find(|&i| related.of(i).len() >= 3)
        .map(|i| &site.archive.records[i])
        .expect("the example has a record with three related questions");
    let record_path = hoidap::urls::record(&record.id);
    let options = BuildOptions {
        // Served at the root of a local server.
        base_url: Some("http://127.0.0.1/".into()),
        ..BuildOptions::default()
    };
    let report = build::build(&site, &options).unwrap();
    let page =
        std::fs::read_to_string(report.output.join(&record_path).join("index.html")).unwrap();
    assert!(
        page.contains("class=\"related\""),
        "the record has related questions"
    );

    browser::run_checks(
        "record-browser.cjs",
        &[
            report.output.as_os_str(),
            std::ffi::OsStr::new(&record_path),
        ],
    );
}

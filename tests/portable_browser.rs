//! The built folder works wherever it is served. Builds the example for another address, with
//! a deep path (`https://example.org/deep/sub/path/`), serves the output at `/` and at
//! `/mirror/` of a local server and, in Debian's headless `chromium` driven by playwright-core
//! (tests/browser/portable.cjs), checks at both places that the style sheet applies, that a
//! link from the home page reaches a record page, that `search/?q=…` shows the hits
//! `hoidap search` gives, and that no request leaves the place or asks for a missing file.
//!
//! Needs `node`, `chromium` (or `CHROMIUM=/path`) and `npm ci` in tests/browser; without them
//! the test is reported as ignored, unless `HOIDAP_REQUIRE_BROWSER=1` (see `common::browser`).

mod common;

use common::browser::{self, Needs, Test};
use common::copy_example_site;
use hoidap::build::{self, BuildOptions};
use hoidap::search::{self, Query};

const BASE_URL: &str = "https://example.org/deep/sub/path/";

fn main() {
    browser::main(&[Test {
        name: "a_deep_base_url_site_works_at_any_path_in_chromium",
        needs: Needs::Browser,
        run: a_deep_base_url_site_works_at_any_path_in_chromium,
    }]);
}

fn a_deep_base_url_site_works_at_any_path_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    let site = build::load_site(&root).unwrap();
    let options = BuildOptions {
        base_url: Some(BASE_URL.into()),
        ..BuildOptions::default()
    };
    let report = build::build(&site, &options).unwrap();
    // The build writes only the static index; `hoidap search` makes the tantivy index itself.
    search::write_index(&site.archive, &search::index_dir(&root)).unwrap();

    let query = Query {
        text: "giay phep xay dung".into(),
        limit: 10,
        ..Query::default()
    };
    let hits = search::query(&search::index_dir(&root), &query).unwrap();
    assert!(hits.total > 0, "the example must have hits");
    let ids: Vec<String> = hits.hits.into_iter().map(|h| h.id).collect();
    let expected = serde_json::json!({
        "base_url": BASE_URL,
        "query": "search/?q=giay+phep+xay+dung",
        "ids": ids,
    });
    let file = dir.path().join("expect.json");
    std::fs::write(&file, expected.to_string()).unwrap();

    browser::run_checks(
        "portable.cjs",
        &[report.output.as_os_str(), file.as_os_str()],
    );
}

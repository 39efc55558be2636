//! Record pages in a real browser: builds the example site, serves it on 127.0.0.1 and drives
//! Debian's headless `chromium` with playwright-core (tests/browser/record-browser.cjs): the
//! share button's copy-link fallback and its confirmation, the share sheet where there is one,
//! the layout at two widths, and axe-core over the home, a record and the search page.
//!
//! Needs `node`, `chromium` (or `CHROMIUM=/path`) and `npm ci` in tests/browser. Without
//! them the test is skipped with a loud message, unless `HOIDAP_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), which makes anything missing a failure.

mod common;

use common::{copy_example_site, repo_root};
use hoidap::build::{self, BuildOptions};
use std::path::PathBuf;
use std::process::Command;

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// What is missing to run the browser, if anything.
fn missing() -> Vec<String> {
    let mut out = Vec::new();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        out.push("node".to_string());
    }
    if !chromium().exists() {
        out.push(format!("chromium at {}", chromium().display()));
    }
    for package in ["playwright-core", "axe-core"] {
        if !repo_root()
            .join("tests/browser/node_modules")
            .join(package)
            .exists()
        {
            out.push(format!("{package} (run `npm ci` in tests/browser)"));
        }
    }
    out
}

#[test]
fn record_page_in_chromium() {
    let missing = missing();
    if !missing.is_empty() {
        assert!(
            std::env::var("HOIDAP_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "HOIDAP_REQUIRE_BROWSER=1 but these are missing: {missing:?}"
        );
        eprintln!("\n*** SKIPPED: the browser test needs {missing:?} ***\n");
        return;
    }
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

    let out = Command::new("node")
        .arg(repo_root().join("tests/browser/record-browser.cjs"))
        .arg(&report.output)
        .arg(&record_path)
        .current_dir(repo_root().join("tests/browser"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

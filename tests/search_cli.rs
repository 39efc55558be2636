//! `hoidap search` from a site folder: uses the index `build` wrote, builds it itself when it
//! is missing or stale, prints JSON of the documented shape and a readable plain output.

mod common;

use common::copy_example_site;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    (dir, root)
}

fn hoidap(root: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_hoidap"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn indexed(out: &Output) -> bool {
    String::from_utf8_lossy(&out.stderr).contains("indexing")
}

#[test]
fn index_is_built_when_missing_or_stale_and_reused_after_build() {
    let (_dir, root) = example();
    assert!(indexed(&hoidap(&root, &["search", "thuế"])), "no index yet");
    assert!(
        !indexed(&hoidap(&root, &["search", "thuế"])),
        "fresh index reused"
    );

    // An edited record makes the index stale.
    let record = root.join("content/records/2018/2018-0005.md");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("hoàn thuế", "hoàn thuế gấp")).unwrap();
    assert!(
        indexed(&hoidap(&root, &["search", "thuế"])),
        "stale index rebuilt"
    );

    // After a build, search uses the index the build wrote.
    std::fs::write(&record, text).unwrap();
    hoidap(&root, &["build"]);
    assert!(
        !indexed(&hoidap(&root, &["search", "thuế"])),
        "build left a fresh index"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let (_dir, root) = example();
    let out = hoidap(&root, &["search", "--json", "--limit", "3", "nop thue"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 3);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for h in hits {
        let url = h["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://hoidap.example.gov.vn/records/"),
            "{url}"
        );
        assert!(url.ends_with(&format!("{}/", h["id"].as_str().unwrap())));
        assert!(!h["title"].as_str().unwrap().is_empty());
        assert!(h["score"].as_f64().unwrap() > 0.0);
        assert!(h["snippet"].as_str().unwrap().contains("<mark>"));
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn filters_and_plain_output() {
    let (_dir, root) = example();
    let out = hoidap(&root, &["search", "--json", "--year", "2018", "thue"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for h in v["hits"].as_array().unwrap() {
        assert!(h["id"].as_str().unwrap().starts_with("2018-"));
    }
    let out = hoidap(
        &root,
        &["search", "--status", "pending", "--limit", "2", "đường"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // Not a terminal: no colour codes, matches marked with asterisks.
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("  1. "), "{text}");
    assert!(text.contains('*'), "{text}");

    let bad = Command::new(env!("CARGO_BIN_EXE_hoidap"))
        .args(["search", "--status", "lost", "x", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

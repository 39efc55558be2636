//! `hoidap search` from a site folder: writes its tantivy index itself when it is missing,
//! stale or unreadable (the build does not write it), prints JSON of the documented shape and
//! a readable plain output.

mod common;

use common::{copy_example_site, hoidap_in as hoidap};
use std::path::PathBuf;
use std::process::{Command, Output};

fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    (dir, root)
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

    // The build does not write the tantivy index (the published site does not wait for it);
    // the next search does.
    std::fs::write(&record, text).unwrap();
    std::fs::remove_dir_all(root.join(".hoidap/search-index")).unwrap();
    hoidap(&root, &["build"]);
    assert!(!root.join(".hoidap/search-index").exists());
    assert!(root.join("public/search/index.json").exists());
    assert!(indexed(&hoidap(&root, &["search", "thuế"])));
}

/// In a freshly built site, `hoidap search` answers the same whatever happened to the tantivy
/// index: never written, deleted, damaged file by file, or replaced by rubbish with a fresh
/// stamp.
#[test]
fn search_answers_whatever_happens_to_the_tantivy_index() {
    let (_dir, root) = example();
    hoidap(&root, &["build"]);
    let index = root.join(".hoidap/search-index");
    let query = [
        "search",
        "--json",
        "--agency",
        "cuc-thue-thanh-pho",
        "hoan thue thu nhap",
    ];
    let first = hoidap(&root, &query);
    assert!(
        indexed(&first),
        "the build left no tantivy index: search writes it"
    );
    let want: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(want["total"].as_u64().unwrap() > 0);
    let same = |why: &str| {
        let out = hoidap(&root, &query);
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, want, "{why}");
    };
    same("fresh index");

    std::fs::remove_dir_all(&index).unwrap();
    same("deleted index");

    // Every file of the index overwritten with rubbish; the stamp kept, so it looks fresh.
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != "stamp") && path.is_file() {
            std::fs::write(&path, b"\x00garbage{").unwrap();
        }
    }
    same("damaged index");

    // Only tantivy's own metadata damaged.
    std::fs::write(index.join("meta.json"), b"{").unwrap();
    same("damaged metadata");

    // The folder replaced by a file.
    std::fs::remove_dir_all(&index).unwrap();
    std::fs::write(&index, b"not a folder").unwrap();
    same("a file instead of the index");
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

//! Parity of the two searches: the JavaScript client of the published site (run under Node)
//! must return the same top ten as `hoidap search --json` for at least 95% of the queries, and
//! the same first hit for all, over the example site and over a generated archive.
//!
//! Needs `node`. Without it the tests are reported as ignored, with what they need, unless
//! `HOIDAP_REQUIRE_BROWSER=1` (set by `.ci/run`), which makes a missing `node` a failure (see
//! `common::browser`).
//! The generated archive has 10,000 records (about 35 s in a debug build on 2 cores);
//! `HOIDAP_PARITY_RECORDS=N` changes that.

mod common;

use common::browser::{self, Needs, Test};
use common::copy_example_site;
use hoidap::build;
use hoidap::publish::Output;
use hoidap::search;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

// The benchmark corpus generator (`cargo run --example generate`), used here as a library.
#[allow(dead_code)]
#[path = "../examples/generate/corpus.rs"]
mod corpus;

fn main() {
    browser::main(&[
        Test {
            name: "example_site_js_and_cli_agree",
            needs: Needs::Node,
            run: example_site_js_and_cli_agree,
        },
        Test {
            name: "generated_archive_js_and_cli_agree",
            needs: Needs::Node,
            run: generated_archive_js_and_cli_agree,
        },
    ]);
}

/// Writes both indexes of the site at `root`: `public/search/` and `.hoidap/search-index`;
/// returns the output folder and long queries drawn from the records.
fn index_site(root: &Path) -> (PathBuf, Vec<Q>) {
    let site = build::load_site(root).expect("the site loads");
    let public = root.join("public");
    let out = Output::create(&public).unwrap();
    search::write_static(&site.archive, &out).unwrap();
    out.commit().unwrap();
    search::write_index(&site.archive, &search::index_dir(root)).unwrap();
    assert!(search::index_is_fresh(root), "the index is fresh");
    (public, long_queries(&site.archive))
}

/// Questions pasted whole (up to 64 syllables are used), with and without diacritics, some
/// filtered by the record's agency or year: twelve records spread over the archive.
fn long_queries(archive: &hoidap::model::Archive) -> Vec<Q> {
    let n = archive.records.len();
    let mut an = search::analysis::Analyzer::default();
    (0..12)
        .map(|i| {
            let r = &archive.records[i * n / 12];
            let text = format!("{} {}", r.title, r.question.plain);
            let mut x = q(&text);
            if i % 4 == 1 {
                x.q = an.fold(&text);
            }
            if i % 4 == 2 {
                x.agency = r.agency.map(|a| archive.agencies[a].id.clone());
            }
            if i % 4 == 3 {
                x.year = r.year().map(|y| y.to_string());
            }
            x
        })
        .collect()
}

#[derive(Debug, Clone, Default, serde::Serialize)]
struct Q {
    q: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
}

fn q(text: &str) -> Q {
    Q {
        q: text.into(),
        ..Q::default()
    }
}

/// At least 50 queries: with and without diacritics, one to five syllables, phrases, filters,
/// abbreviations (with long ones drawn from the records, see [`long_queries`]).
fn queries() -> Vec<Q> {
    let mut v: Vec<Q> = [
        // one syllable
        "thuế",
        "thue",
        "đường",
        "duong",
        "đất",
        "dat",
        "học",
        "nước",
        "ngập",
        "BHXH",
        // two
        "nộp thuế",
        "nop thue",
        "đối thoại",
        "doi thoai",
        "giấy phép",
        "giay phep",
        "xây dựng",
        "xay dung",
        "bảo hiểm",
        "bao hiem",
        "người dân",
        "của và",
        "hộ khẩu",
        "ho khau",
        "ĐỐI THOẠI",
        "đo\u{302}\u{301}i thoa\u{323}i",
        // three
        "cấp giấy phép",
        "cap giay phep",
        "quyết toán thuế",
        "quyet toan thue",
        "bảo hiểm xã hội",
        "bao hiem xa hoi",
        "thời hạn giải quyết",
        "thoi han giai quyet",
        // four
        "giải phóng mặt bằng",
        "giai phong mat bang",
        "đăng ký kinh doanh",
        "dang ky kinh doanh",
        "trợ cấp người có công",
        "tro cap nguoi co cong",
        // five
        "giấy chứng nhận quyền sử dụng",
        "giay chung nhan quyen su dung",
        "thủ tục cấp phép xây dựng",
        "thu tuc cap phep xay dung",
        "người dân được hỗ trợ bao nhiêu",
        // phrases and numbers
        "\"nộp thuế\"",
        "\"giay phep xay dung\"",
        "187/2016/TT-BTC",
        "năm 2020",
        // abbreviations, both ways
        "gplx",
        "giấy phép lái xe",
        "UBND",
        "ủy ban nhân dân",
        "bhxh tự nguyện",
        "đóng bảo hiểm xã hội",
    ]
    .into_iter()
    .map(q)
    .collect();
    let with = |text: &str, f: &dyn Fn(&mut Q)| {
        let mut x = q(text);
        f(&mut x);
        x
    };
    v.push(with("thuế", &|x| {
        x.agency = Some("cuc-thue-thanh-pho".into())
    }));
    v.push(with("xay dung", &|x| x.topic = Some("xay-dung".into())));
    v.push(with("đất", &|x| x.year = Some("2020".into())));
    v.push(with("nop thue", &|x| x.status = Some("answered".into())));
    v.push(with("giấy phép", &|x| x.status = Some("pending".into())));
    v.push(with("dat dai", &|x| {
        x.agency = Some("so-tai-nguyen-moi-truong".into());
        x.year = Some("2019".into());
    }));
    v.push(with("người dân", &|x| x.topic = Some("thue".into())));
    // A thread's record is found under every agency that took part (2021-0009: forwarded by
    // the city office, answered by the police).
    v.push(with("hộ khẩu", &|x| {
        x.agency = Some("cong-an-thanh-pho".into())
    }));
    v.push(with("ho khau", &|x| {
        x.agency = Some("van-phong-ubnd".into())
    }));
    v
}

#[derive(Debug, Deserialize)]
struct JsResult {
    total: usize,
    all_words: usize,
    ids: Vec<String>,
    bytes: u64,
}

#[derive(Debug, Deserialize)]
struct CliResult {
    total: usize,
    all_words: usize,
    hits: Vec<CliHit>,
}

#[derive(Debug, Deserialize)]
struct CliHit {
    id: String,
}

fn run_js(public: &Path, queries: &[Q], work: &Path) -> Vec<JsResult> {
    common::run_queries_js(public, &queries, work)
}

fn run_cli(root: &Path, x: &Q) -> CliResult {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hoidap"));
    cmd.arg("search").arg("--root").arg(root).arg("--json");
    for (flag, value) in [
        ("--agency", &x.agency),
        ("--topic", &x.topic),
        ("--year", &x.year),
        ("--status", &x.status),
    ] {
        if let Some(v) = value {
            cmd.arg(flag).arg(v);
        }
    }
    let out = cmd.arg("--").arg(&x.q).output().unwrap();
    assert!(
        out.status.success(),
        "hoidap search {:?} failed: {}",
        x.q,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn compare(name: &str, root: &Path, public: &Path, work: &Path, long: Vec<Q>) {
    let mut queries = queries();
    queries.extend(long);
    assert!(queries.len() >= 50);
    let js = run_js(public, &queries, work);
    assert_eq!(js.len(), queries.len());
    let mut same_top = 0;
    let mut first_differs = Vec::new();
    let mut max_bytes = 0;
    for (x, j) in queries.iter().zip(&js) {
        let cli = run_cli(root, x);
        let ids: Vec<&str> = cli.hits.iter().map(|h| h.id.as_str()).collect();
        let js_ids: Vec<&str> = j.ids.iter().map(String::as_str).collect();
        if ids == js_ids && cli.total == j.total && cli.all_words == j.all_words {
            same_top += 1;
        } else {
            eprintln!(
                "{name}: {x:?}\n  cli {}/{} {ids:?}\n  js  {}/{} {js_ids:?}",
                cli.all_words, cli.total, j.all_words, j.total
            );
        }
        if ids.first() != js_ids.first() {
            first_differs.push(x.q.clone());
        }
        max_bytes = max_bytes.max(j.bytes);
    }
    let share = same_top as f64 / queries.len() as f64;
    eprintln!(
        "{name}: same top ten for {same_top}/{} queries; largest cold download {max_bytes} bytes",
        queries.len()
    );
    assert!(
        share >= 0.95,
        "{name}: only {same_top}/{} queries agree",
        queries.len()
    );
    assert!(
        first_differs.is_empty(),
        "{name}: first hits differ for {first_differs:?}"
    );
}

fn example_site_js_and_cli_agree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example_site(&root);
    let (public, long) = index_site(&root);
    compare("example", &root, &public, dir.path(), long);
}

fn generated_archive_js_and_cli_agree() {
    let records: usize = std::env::var("HOIDAP_PARITY_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            3_000
        } else {
            10_000
        });
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    corpus::generate(corpus::Options { records, seed: 1 }, &root).unwrap();
    let (public, long) = index_site(&root);
    compare(
        &format!("generated {records}"),
        &root,
        &public,
        dir.path(),
        long,
    );
}

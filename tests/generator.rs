//! The benchmark corpus generator: deterministic, clean for `hoidap check`, and a build of its
//! output has exactly the pages its figures predict.

#[path = "../examples/generate/corpus.rs"]
mod corpus;

use hoidap::build::{self, BuildOptions};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("prefix");
            let bytes = std::fs::read(entry.path()).expect("read");
            out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    out
}

fn generate(records: usize, seed: u64, dir: &Path) -> corpus::Summary {
    corpus::generate(corpus::Options { records, seed }, dir).expect("generate")
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let summary = generate(300, 7, a.path());
    assert_eq!((summary.records, summary.files), (300, 304));
    generate(300, 7, b.path());
    generate(300, 8, c.path());
    let (ta, tb, tc) = (tree(a.path()), tree(b.path()), tree(c.path()));
    assert_eq!(ta.len(), 304, "site.toml, three registries and 300 records");
    assert!(ta == tb, "two runs with the same seed differ");
    assert!(ta != tc, "another seed gives the same archive");
}

#[test]
fn output_passes_check_and_has_the_promised_shape() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(1_000, 1, dir.path());
    let (site, problems) = build::check_site(dir.path()).expect("check");
    assert!(
        problems.is_empty(),
        "hoidap check found problems: {problems:#?}"
    );
    let site = site.expect("a clean site");
    let archive = &site.archive;
    assert_eq!(archive.records.len(), 1_000);
    assert_eq!(archive.agencies.len(), 40);
    assert_eq!(archive.topics.len(), 60);
    assert_eq!(archive.sessions.len(), 20);
    assert_eq!(archive.years.len(), 12);
    // About a tenth pending, and some of every other status.
    let [answered, pending, forwarded, declined] = summary.by_status;
    assert!((70..=130).contains(&pending), "{pending} pending");
    assert!(answered > 700 && forwarded > 10 && declined > 10);
    assert!(archive.agencies.iter().any(|a| a.parent.is_some()));
    // Every answered record has lists or links somewhere in the archive.
    let html: String = archive
        .records
        .iter()
        .filter_map(|r| r.answer.as_ref())
        .map(|t| t.html.as_str())
        .collect();
    assert!(html.contains("<ol>") && html.contains("<ul>") && html.contains("<a href="));
}

#[test]
fn a_build_of_2000_records_has_the_expected_pages() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(2_000, 3, dir.path());
    let site = build::load_site(dir.path()).expect("load");
    let out = dir.path().join("public");
    let report = build::build(
        &site,
        &BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::default()
        },
    )
    .expect("build");

    // A list of n records takes ceil(n / 20) pages, and at least one.
    let pages = |counts: &[usize]| -> usize {
        counts
            .iter()
            .map(|&n| n.div_ceil(corpus::PAGINATE).max(1))
            .sum()
    };
    let years: Vec<usize> = summary.by_year.iter().copied().filter(|&n| n > 0).collect();
    let lists = pages(&summary.by_agency)
        + pages(&summary.by_topic)
        + pages(&summary.by_session)
        + pages(&years);
    // Home; the agency, topic, session and year indexes; statistics; search; 404.
    let single = 1 + 4 + 1 + 1 + 1;
    assert_eq!(report.records, 2_000);
    assert_eq!(report.pages, 2_000 + lists + single);

    let record_pages = std::fs::read_dir(out.join("records"))
        .expect("records folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().join("index.html").is_file())
        })
        .count();
    assert_eq!(record_pages, 2_000);
    // The biggest topic is paginated to its last page and no further.
    let (top, &n) = summary
        .by_topic
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .expect("topics");
    let last = n.div_ceil(corpus::PAGINATE);
    let topic_dir = out.join("topics").join(corpus::TOPICS[top].id);
    assert!(topic_dir.join(format!("page/{last}/index.html")).is_file());
    assert!(
        !topic_dir
            .join(format!("page/{}/index.html", last + 1))
            .exists()
    );
}

/// The build makes related questions from its one analysis of the archive, in runs of records
/// merged into one vocabulary; they are the lists of analysing every text again
/// (`Related::compute`), on an archive of several runs. Pages and `records.json` show them.
#[test]
fn related_questions_from_the_builds_analysis_are_those_of_the_texts() {
    let dir = tempfile::tempdir().unwrap();
    generate(5_000, 5, dir.path());
    let site = build::load_site(dir.path()).expect("load");
    let archive = &site.archive;
    let expected = hoidap::search::related::Related::compute(archive);
    let mut analysis = hoidap::search::analyse(archive);
    let related = analysis.related(archive);
    assert_eq!(related, expected);
    let full = (0..archive.records.len())
        .filter(|&i| related.of(i).len() == 5)
        .count();
    assert!(full > 4_000, "{full} records with five related ones");

    let out = dir.path().join("public");
    build::build(
        &site,
        &BuildOptions {
            output: Some(out.clone()),
            ..BuildOptions::default()
        },
    )
    .expect("build");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/records.json")).unwrap()).unwrap();
    for (i, r) in json["records"].as_array().unwrap().iter().enumerate() {
        let shown: Vec<&str> = r["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let want: Vec<&str> = expected
            .of(i)
            .iter()
            .map(|&j| archive.records[j].id.as_str())
            .collect();
        assert_eq!(r["id"], archive.records[i].id.as_str());
        assert_eq!(shown, want, "{}", archive.records[i].id);
    }
}

//! Open data: every JSON file validates against the JSON Schema published beside it, and
//! the CSV round-trips through a CSV reader with the same records as the JSON.

mod common;
mod publish_fixture;

use common::*;
use serde_json::Value;
use std::path::Path;

fn json(out: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(out, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn check_schemas(out: &Path) {
    for name in ["records", "agencies", "topics", "sessions"] {
        let schema = json(out, &format!("data/{name}.schema.json"));
        assert!(
            jsonschema::meta::is_valid(&schema),
            "{name}.schema.json is a valid JSON Schema"
        );
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{name}.schema.json: {e}"));
        let data = json(out, &format!("data/{name}.json"));
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .take(10)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "data/{name}.json: {errors:#?}");
        assert_eq!(data["version"], 2);
    }
}

/// A broken document must fail, or the schema checks nothing.
#[test]
fn schemas_reject_what_they_should() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    let schema = json(out.path(), "data/records.schema.json");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good = json(out.path(), "data/records.json");
    assert!(validator.is_valid(&good));
    let mut bad = good.clone();
    bad["records"][0]["status"] = "lost".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["records"][0].as_object_mut().unwrap().remove("title");
    assert!(!validator.is_valid(&bad));
    let mut bad = good;
    bad["version"] = 1.into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn example_data_validates_against_its_schemas() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    check_schemas(out.path());
}

#[test]
fn tricky_data_validates_against_its_schemas() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    check_schemas(out.path());
}

/// Every record of the archive is in records.json, with its text and links.
#[test]
fn records_json_holds_the_archive() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let archive = hoidap::build::load_site(site.path()).unwrap().archive;
    let data = json(out.path(), "data/records.json");
    let list = data["records"].as_array().unwrap();
    assert_eq!(list.len(), archive.records.len());
    assert_eq!(data["site"]["base_url"], publish_fixture::BASE_URL);
    for (r, j) in archive.records.iter().zip(list) {
        assert_eq!(j["id"], r.id.as_str());
        assert_eq!(j["title"], r.title.as_str());
        assert_eq!(j["question"]["markdown"], r.question.markdown.as_str());
        assert_eq!(j["question"]["html"], r.question.html.as_str());
        assert_eq!(
            j["answer"]["markdown"].as_str(),
            r.answer.as_ref().map(|a| a.markdown.as_str())
        );
        let url = j["url"].as_str().unwrap();
        let rel = url.strip_prefix(publish_fixture::BASE_URL).unwrap();
        assert!(out.path().join(rel).join("index.html").is_file(), "{url}");
    }
    let fwd = list.iter().find(|j| j["id"] == "2025-0002").unwrap();
    assert_eq!(
        fwd["aliases"],
        serde_json::json!([
            "https://example.gov.vn/hoi-dap/cu/1.html",
            "https://example.gov.vn/hoi-dap/cu/hai/"
        ])
    );
    let agencies = json(out.path(), "data/agencies.json");
    let b = &agencies["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "so-b")
        .unwrap();
    assert_eq!(b["parent"], "so-a");
    let feed = b["feed"].as_str().unwrap();
    assert!(
        out.path()
            .join(feed.strip_prefix(publish_fixture::BASE_URL).unwrap())
            .is_file()
    );
}

fn check_csv(out: &Path) {
    let bytes = std::fs::read(out.join("data/records.csv")).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    let text = String::from_utf8(bytes).expect("UTF-8");
    // RFC 4180: every record ends in CRLF (line breaks inside quoted fields are kept as written).
    assert!(text.ends_with("\r\n"));
    assert!(text.split_once('\n').unwrap().0.ends_with('\r'));

    let data = json(out, "data/records.json");
    let records = data["records"].as_array().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, hoidap::publish::opendata::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), records.len(), "one row per record");
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    for (row, j) in rows.iter().zip(records) {
        let col = |name: &str| {
            let i = header.iter().position(|h| h == name).unwrap();
            row[i].to_string()
        };
        assert_eq!(col("id"), s(&j["id"]));
        assert_eq!(col("url"), s(&j["url"]));
        assert_eq!(col("title"), s(&j["title"]));
        assert_eq!(col("status"), s(&j["status"]));
        assert_eq!(col("asked"), s(&j["asked"]));
        assert_eq!(col("answered"), s(&j["answered"]));
        assert_eq!(
            col("days_to_answer"),
            j["days_to_answer"]
                .as_i64()
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
        assert_eq!(col("asker_kind"), s(&j["asker"]["kind"]));
        assert_eq!(col("asker_name"), s(&j["asker"]["name"]));
        assert_eq!(col("agency"), s(&j["agency"]));
        let topics: Vec<String> = j["topics"].as_array().unwrap().iter().map(s).collect();
        assert_eq!(col("topics"), topics.join(";"));
        assert_eq!(col("session"), s(&j["session"]));
        assert_eq!(col("source"), s(&j["source"]));
        assert_eq!(col("question"), s(&j["question"]["markdown"]));
        assert_eq!(col("answer"), s(&j["answer"]["markdown"]));
    }
}

#[test]
fn csv_round_trips_the_example() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    check_csv(out.path());
}

#[test]
fn csv_round_trips_quotes_commas_and_line_breaks() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    check_csv(out.path());
    let text = read(out.path(), "data/records.csv");
    assert!(text.contains("\"Câu hỏi 3: giá \"\"đất\"\", thuế & <phí>?\""));
}

#[test]
fn data_is_the_same_bytes_on_every_build() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    build_into(&repo_root(), one.path(), None);
    build_into(&repo_root(), two.path(), None);
    for name in [
        "records.json",
        "records.csv",
        "agencies.json",
        "topics.json",
        "sessions.json",
    ] {
        let rel = format!("data/{name}");
        assert_eq!(read(one.path(), &rel), read(two.path(), &rel), "{rel}");
    }
}

//! Accountability statistics over fixture sites whose figures are worked out by hand below.
//!
//! The main fixture: a 3-working-day deadline, Wednesday 2 September 2026 a holiday,
//! the build's "today" 30 September 2026, the default threshold of 5 records.
//!
//! | agency | records | answered (days)      | on time | other                               |
//! |--------|---------|----------------------|---------|-------------------------------------|
//! | so-a   | 9       | 6, 2, 2, 10, 0, 12   | 4 of 6  | 2 pending (1 overdue), 1 forwarded  |
//! | so-b   | 2       | 2                    | 1 of 1  | 1 declined; child of so-a           |
//! | so-c   | 6       | 1, 1, 1, 1           | 4 of 4  | 2 declined                          |
//! | none   | 1       |                      |         | 1 pending since 31/12/2025, overdue |
//!
//! so-a, sorted days 0 2 2 6 10 12: median (2 + 6) / 2 = 4 (even count), p90 nearest rank
//! ⌈0.9 × 6⌉ = 6 → 12; a1 asked Tue 1/9 is due Mon 7/9 (Thu 3, Fri 4, Mon 7: the holiday and
//! the weekend skipped) and answered that very day: on time. a2 and a3 tie at 2 days.
//! so-a's family (so-a + so-b): days 0 2 2 2 6 10 12, median 2, p90 rank 7 → 12, 5 of 7 on time.
//! so-b (2 records) is under the threshold: every rate withheld. so-c has 6 records but only
//! 4 answered: its share (4/6) shows and ties with so-a's (6/9); its times are withheld.

use hoidap::build::{self, BuildOptions};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const SITE: &str = r#"title = "Thử nghiệm thống kê"
base_url = "https://example.gov.vn/hoi-dap/"
language = "vi"
today = 2026-09-30

[deadline]
days = 3
kind = "working"
holidays = [2026-09-02]
"#;

const AGENCIES: &str = r#"- id: so-a
  name: "Sở A"
- id: so-b
  name: "Phòng B"
  parent: so-a
- id: so-c
  name: "Sở C"
"#;

const TOPICS: &str = r#"- id: chu-de-a
  name: "Chủ đề A"
- id: chu-de-b
  name: "Chủ đề B"
"#;

/// (id, asked, agency, status, answered)
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const RECORDS: [Row; 18] = [
    (
        "a1",
        "2026-09-01",
        Some("so-a"),
        "answered",
        Some("2026-09-07"),
    ),
    (
        "a2",
        "2026-09-07",
        Some("so-a"),
        "answered",
        Some("2026-09-09"),
    ),
    (
        "a3",
        "2026-09-07",
        Some("so-a"),
        "answered",
        Some("2026-09-09"),
    ),
    (
        "a4",
        "2026-09-10",
        Some("so-a"),
        "answered",
        Some("2026-09-20"),
    ),
    ("a5", "2026-09-14", Some("so-a"), "pending", None),
    ("a6", "2026-09-28", Some("so-a"), "pending", None),
    (
        "a7",
        "2026-08-03",
        Some("so-a"),
        "forwarded",
        Some("2026-08-04"),
    ),
    (
        "a8",
        "2026-09-21",
        Some("so-a"),
        "answered",
        Some("2026-09-21"),
    ),
    (
        "a9",
        "2026-08-03",
        Some("so-a"),
        "answered",
        Some("2026-08-15"),
    ),
    (
        "b1",
        "2026-09-01",
        Some("so-b"),
        "answered",
        Some("2026-09-03"),
    ),
    (
        "b2",
        "2026-09-01",
        Some("so-b"),
        "declined",
        Some("2026-09-02"),
    ),
    (
        "c1",
        "2026-06-01",
        Some("so-c"),
        "answered",
        Some("2026-06-02"),
    ),
    (
        "c2",
        "2026-06-01",
        Some("so-c"),
        "answered",
        Some("2026-06-02"),
    ),
    (
        "c3",
        "2026-06-01",
        Some("so-c"),
        "answered",
        Some("2026-06-02"),
    ),
    (
        "c4",
        "2026-06-01",
        Some("so-c"),
        "answered",
        Some("2026-06-02"),
    ),
    (
        "c5",
        "2026-06-01",
        Some("so-c"),
        "declined",
        Some("2026-06-03"),
    ),
    (
        "c6",
        "2026-06-01",
        Some("so-c"),
        "declined",
        Some("2026-06-03"),
    ),
    ("u1", "2025-12-31", None, "pending", None),
];

fn record_file(row: &Row) -> String {
    let (id, asked, agency, status, answered) = *row;
    let topic = if agency == Some("so-a") {
        "chu-de-a"
    } else {
        "chu-de-b"
    };
    let mut text = format!(
        "---\nid: \"{id}\"\ntitle: \"Câu hỏi {id}\"\nasked: {asked}\ntopics: [{topic}]\nstatus: {status}\n"
    );
    if let Some(agency) = agency {
        text.push_str(&format!("agency: {agency}\n"));
    }
    if let Some(day) = answered {
        text.push_str(&format!("answered: {day}\n"));
    }
    text.push_str("---\nNội dung câu hỏi.\n");
    if status != "pending" {
        text.push_str("\n<!-- answer -->\n\nNội dung trả lời.\n");
    }
    text
}

fn write_site(dir: &Path, site: &str, records: &[Row]) {
    fs::write(dir.join("site.toml"), site).unwrap();
    let content = dir.join("content");
    fs::create_dir_all(content.join("records")).unwrap();
    fs::write(content.join("agencies.yaml"), AGENCIES).unwrap();
    fs::write(content.join("topics.yaml"), TOPICS).unwrap();
    for row in records {
        fs::write(
            content.join("records").join(format!("{}.md", row.0)),
            record_file(row),
        )
        .unwrap();
    }
}

/// Builds a fixture site; returns the temporary folder (kept alive) and the output folder.
fn build_site(site: &str, records: &[Row]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), site, records);
    let loaded = build::load_site(dir.path()).unwrap();
    let out = dir.path().join("public");
    let options = BuildOptions {
        output: Some(out.clone()),
        ..BuildOptions::default()
    };
    build::build(&loaded, &options).unwrap();
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn stats_json(out: &Path) -> Value {
    serde_json::from_str(&read(out, "data/stats.json")).unwrap()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// The text of a page with tags removed and spaces collapsed, to assert on what a reader sees.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn stats_json_has_the_figures_computed_by_hand() {
    let (_dir, out) = build_site(SITE, &RECORDS);
    let json = stats_json(&out);
    assert_eq!(json["generated"], "2026-09-30");
    assert_eq!(json["deadline"]["days"], 3);
    assert_eq!(json["deadline"]["kind"], "working");
    assert_eq!(
        json["deadline"]["holidays"],
        serde_json::json!(["2026-09-02"])
    );

    let a = by_id(&json["agencies"], "so-a");
    assert_eq!(a["name"], "Sở A");
    let counts = [
        ("records", 9),
        ("answered", 6),
        ("pending", 2),
        ("forwarded", 1),
        ("declined", 0),
    ];
    for (key, n) in counts {
        assert_eq!(a[key], n, "so-a {key}");
    }
    assert_eq!(a["answered_share"], 0.6667);
    assert_eq!(
        a["median_days"], 4.0,
        "even count: mean of the two middle values"
    );
    assert_eq!(a["p90_days"], 12);
    assert_eq!(a["on_time"], 4, "a1 answered on its deadline day counts");
    assert_eq!(a["overdue"], 1);
    assert_eq!(a["oldest_pending"]["id"], "a5");
    assert_eq!(a["oldest_pending"]["days_waiting"], 16);

    let b = by_id(&json["agencies"], "so-b");
    assert_eq!(
        (b["records"].as_u64(), b["answered"].as_u64()),
        (Some(2), Some(1))
    );
    for key in ["answered_share", "median_days", "p90_days", "on_time_share"] {
        assert!(b[key].is_null(), "so-b {key} must be withheld: {b}");
    }

    let c = by_id(&json["agencies"], "so-c");
    assert_eq!(c["answered_share"], 0.6667);
    assert!(c["median_days"].is_null());
    assert!(c["p90_days"].is_null());
    assert_eq!(c["on_time"], 4);

    let family = by_id(&json["families"], "so-a");
    assert_eq!(family["members"], serde_json::json!(["so-a", "so-b"]));
    assert_eq!(family["records"], 11);
    assert_eq!(family["median_days"], 2.0);
    assert_eq!(family["p90_days"], 12);
    assert_eq!(family["on_time"], 5);

    assert_eq!(json["totals"]["records"], 18);
    assert_eq!(json["totals"]["overdue"], 2);
    assert_eq!(json["totals"]["oldest_pending"]["id"], "u1");
    assert_eq!(json["totals"]["oldest_pending"]["days_waiting"], 273);
    assert_eq!(json["unassigned"]["records"], 1);
    assert_eq!(by_id(&json["topics"], "chu-de-b")["records"], 9);
    let years: Vec<(i64, i64)> = json["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["records"].as_i64().unwrap()))
        .collect();
    assert_eq!(years, [(2025, 1), (2026, 17)]);
}

#[test]
fn pages_say_the_same_figures() {
    let (_dir, out) = build_site(SITE, &RECORDS);

    let a = visible_text(&read(&out, "agencies/so-a/index.html"));
    for expected in [
        "Câu hỏi nhận được 9",
        "Tỉ lệ đã trả lời 66,7%",
        "Thời gian trả lời (trung vị) 4 ngày",
        "Thời gian trả lời (phân vị 90) 12 ngày",
        "Trả lời đúng hạn 4 trên 6 (66,7%)",
        "Chưa trả lời, đã quá hạn 1",
        "Câu hỏi chờ lâu nhất: Câu hỏi a5 (gửi ngày 14/09/2026, đã chờ 16 ngày)",
        // The family: so-a with so-b.
        "Cả khối, kể cả các đơn vị trực thuộc",
        "Câu hỏi nhận được 11",
        "Thời gian trả lời (trung vị) 2 ngày",
        "Trả lời đúng hạn 5 trên 7 (71,4%)",
    ] {
        assert!(a.contains(expected), "so-a page lacks {expected:?}:\n{a}");
    }

    let b = visible_text(&read(&out, "agencies/so-b/index.html"));
    assert!(b.contains("Tỉ lệ đã trả lời chưa tính"), "{b}");
    assert!(
        b.contains("Tỉ lệ và số ngày chỉ được tính khi có từ 5 câu hỏi trở lên"),
        "{b}"
    );
    assert!(!b.contains("Cả khối"), "so-b has no children: {b}");
    assert!(!b.contains('%'), "no rate for so-b: {b}");

    let topic = visible_text(&read(&out, "topics/chu-de-b/index.html"));
    assert!(topic.contains("Câu hỏi nhận được 9"), "{topic}");
    assert!(topic.contains("Chưa giao cơ quan 1"), "{topic}");

    let stats = visible_text(&read(&out, "stats/index.html"));
    for expected in [
        // The tie: both 66,7%, both rank 1.
        "Tỉ lệ đã trả lời, từ cao đến thấp Hạng Cơ quan Giá trị 1 Sở A 66,7% 1 Sở C 66,7% Chưa xếp hạng (dưới 5 câu hỏi): Phòng B",
        "từ thấp đến cao (nhanh nhất trước) Hạng Cơ quan Giá trị 1 Sở A 4 Chưa xếp hạng (dưới 5 câu hỏi): Phòng B ; Sở C",
        "Hạn trả lời: 3 ngày làm việc",
        "trả lời đúng vào ngày hết hạn vẫn là đúng hạn",
        "phương pháp hạng gần nhất",
        "2026 17 11 64,7%",
    ] {
        assert!(
            stats.contains(expected),
            "stats page lacks {expected:?}:\n{stats}"
        );
    }
}

/// Every `<svg>…</svg>` of a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("unclosed svg") + start + "</svg>".len();
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

#[test]
fn charts_are_well_formed_svg_with_text_alternatives() {
    let (_dir, out) = build_site(SITE, &RECORDS);
    let page = read(&out, "stats/index.html");
    let charts = svgs(&page);
    assert_eq!(charts.len(), 3, "share, median and per-year charts");
    for svg in charts {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let labelled_by = root.attribute("aria-labelledby").expect("aria-labelledby");
        let ids: Vec<&str> = labelled_by.split_whitespace().collect();
        assert_eq!(ids.len(), 2);
        for (id, tag) in ids.iter().zip(["title", "desc"]) {
            let node = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(*id))
                .unwrap_or_else(|| panic!("no element #{id}"));
            assert_eq!(node.tag_name().name(), tag);
            assert!(
                node.text().is_some_and(|t| t.trim().len() > 10),
                "empty {tag}"
            );
        }
        // The same numbers follow in a table.
        let after = &page[page.find(svg).unwrap() + svg.len()..];
        let table = &after[..after.find("</table>").expect("a table after the chart")];
        assert!(
            table.trim_start().starts_with("<table"),
            "the table follows the chart"
        );
        let numbers: Vec<&str> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .filter_map(|n| n.text())
            .collect();
        for n in numbers.iter().skip(1).step_by(2) {
            let value = n.split(" (").next().unwrap_or(n);
            assert!(table.contains(value), "{value} missing from the table");
        }
    }
    assert!(page.contains("Tỉ lệ câu hỏi đã trả lời, theo cơ quan</title>"));
}

#[test]
fn the_threshold_and_the_deadline_kind_are_configurable() {
    let site = SITE
        .replace("kind = \"working\"", "kind = \"calendar\"")
        .replace(
            "today = 2026-09-30",
            "today = 2026-09-30\n[stats]\nmin_records = 2",
        );
    let (_dir, out) = build_site(&site, &RECORDS);
    let json = stats_json(&out);
    let b = by_id(&json["agencies"], "so-b");
    assert_eq!(b["answered_share"], 0.5, "2 records meet a threshold of 2");
    assert!(b["median_days"].is_null(), "one answer does not");
    // Calendar days: a1 is due 4/9 and answered 7/9, now late; a4 (10/9 → 13/9) answered 20/9, late.
    let a = by_id(&json["agencies"], "so-a");
    assert_eq!(a["on_time"], 3);
    assert_eq!(json["deadline"]["kind"], "calendar");
    let page = visible_text(&read(&out, "stats/index.html"));
    assert!(page.contains("Hạn trả lời: 3 ngày theo lịch"), "{page}");
}

#[test]
fn the_example_site_builds_its_statistics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = build::load_site(root).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(dir.path().join("public")),
        ..BuildOptions::default()
    };
    build::build(&site, &options).unwrap();
    let json = stats_json(&dir.path().join("public"));
    assert_eq!(json["generated"], "2026-11-28", "site.toml fixes today");
    let agencies = json["agencies"].as_array().unwrap();
    let total: u64 = agencies
        .iter()
        .map(|a| a["records"].as_u64().unwrap())
        .sum();
    let unassigned = json["unassigned"]["records"].as_u64().unwrap();
    assert_eq!(
        total + unassigned,
        json["totals"]["records"].as_u64().unwrap()
    );
    assert_eq!(json["totals"]["records"], site.archive.records.len());
}

#[test]
fn english_pages_use_a_decimal_point() {
    let site = SITE.replace("language = \"vi\"", "language = \"en\"");
    let (_dir, out) = build_site(&site, &RECORDS);
    let a = visible_text(&read(&out, "agencies/so-a/index.html"));
    assert!(a.contains("Share answered 66.7%"), "{a}");
    assert!(a.contains("Days to answer (median) 4 days"), "{a}");
    assert!(
        a.contains("asked on 14 September 2026, waiting for 16 days"),
        "{a}"
    );
    let stats = visible_text(&read(&out, "stats/index.html"));
    assert!(
        stats.contains("Not ranked (fewer than 5 questions): Phòng B"),
        "{stats}"
    );
}

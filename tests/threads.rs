//! Threads, from fixture content to every output: the record page's timeline and status, the
//! agency pages of every agency that took part, the sitemap, JSON-LD, Atom feeds and open data.
//! (The problems `check` reports for bad threads are in `bad_content.rs`.)

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = fixture_site("threads");
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    (site, out)
}

fn jsonld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn records_json(out: &Path) -> Value {
    serde_json::from_str(&read(out, "data/records.json")).unwrap()
}

#[test]
fn the_record_page_shows_the_thread_as_a_dated_timeline() {
    let (_site, out) = built();
    let html = read(out.path(), "records/2019-0001/index.html");
    let items: Vec<&str> = html.split("<li class=\"entry ").skip(1).collect();
    let kinds: Vec<&str> = items.iter().map(|i| i.split('"').next().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "entry-forwarded",
            "entry-answer",
            "entry-follow-up",
            "entry-answer current",
            "entry-update"
        ]
    );
    assert!(items[0].contains("<time datetime=\"2019-01-03\">3 tháng 1, 2019</time>"));
    assert!(items[0].contains("chuyển từ Văn phòng UBND đến Sở Xây dựng"));
    assert!(items[0].contains("chuyển câu hỏi đến Sở Xây dựng theo thẩm quyền"));
    assert!(items[1].contains("Giám đốc Sở Xây dựng"));
    assert!(items[3].contains("Câu trả lời hiện hành"));
    assert!(items[3].contains("Đơn đề nghị và giấy tờ"));
    assert!(items[4].contains("Sở Tài nguyên"));
    assert!(html.contains("Cập nhật ngày 1 tháng 7, 2021."));
    assert!(html.contains("status-answered"));

    // A follow-up after the answer: waiting again, the answer still shown.
    let waiting = read(out.path(), "records/2020-0001/index.html");
    assert!(waiting.contains("class=\"status status-pending\""));
    assert!(waiting.contains("Đã cử người kiểm tra."));
    assert!(!waiting.contains("Cập nhật ngày"));

    // One plain answer: no timeline, as before threads.
    let plain = read(out.path(), "records/2018-0001/index.html");
    assert!(!plain.contains("class=\"timeline\""));
    assert!(plain.contains("<p>Đáp.</p>"));
}

/// The text of a facts row of a record page: the `<dd>` after the `<dt>` labelled `label`.
fn fact<'a>(html: &'a str, label: &str) -> Option<&'a str> {
    let facts = &html[html.find("<dl class=\"facts\">")?..];
    let facts = &facts[..facts.find("</dl>")?];
    let dd = &facts[facts.find(&format!("<dt>{label}</dt><dd>"))? + label.len() + 13..];
    Some(&dd[..dd.find("</dd>")?])
}

#[test]
fn the_facts_name_who_answered_a_forwarded_question() {
    let (_site, out) = built();
    let html = read(out.path(), "records/2019-0001/index.html");
    let asked = fact(&html, "Cơ quan nhận câu hỏi").expect("the agency asked");
    assert!(asked.contains("agencies/van-phong/"), "{asked}");
    let answering = fact(&html, "Cơ quan trả lời").expect("the agency that answered");
    assert!(answering.contains("agencies/so-xay-dung/"), "{answering}");

    // Answered by the agency it went to: one row, labelled as before.
    let plain = read(out.path(), "records/2018-0001/index.html");
    assert!(fact(&plain, "Cơ quan nhận câu hỏi").is_none());
    assert!(fact(&plain, "Cơ quan trả lời").is_some());
}

#[test]
fn every_agency_that_took_part_lists_the_record() {
    let (_site, out) = built();
    let ids =
        |agency: &str| record_ids(&read(out.path(), &format!("agencies/{agency}/index.html")));
    assert!(ids("van-phong").contains(&"2019-0001".to_string()));
    assert!(ids("so-xay-dung").contains(&"2019-0001".to_string()));
    // The agency of an update took part too.
    assert_eq!(ids("so-tai-nguyen"), ["2019-0001"]);
    let feed = read(out.path(), "feeds/agencies/so-tai-nguyen.xml");
    assert!(feed.contains("records/2019-0001/"));
}

#[test]
fn sitemap_feeds_and_json_ld_carry_the_latest_change() {
    let (_site, out) = built();
    let sitemap = read(out.path(), "sitemap.xml");
    for (id, lastmod) in [
        ("2019-0001", "2021-07-01"),
        ("2020-0001", "2020-03-20"),
        ("2018-0001", "2018-05-03"),
    ] {
        let want = format!("records/{id}/</loc><lastmod>{lastmod}</lastmod>");
        assert!(sitemap.contains(&want), "{want} in {sitemap}");
    }

    let page = jsonld(&read(out.path(), "records/2019-0001/index.html"));
    assert_eq!(page["dateModified"], "2021-07-01");
    let answer = &page["mainEntity"]["acceptedAnswer"];
    assert_eq!(answer["dateCreated"], "2019-01-20");
    assert_eq!(
        answer["text"],
        "Đơn đề nghị và giấy tờ về quyền sử dụng đất."
    );
    assert_eq!(answer["author"]["name"], "Sở Xây dựng");
    let waiting = jsonld(&read(out.path(), "records/2020-0001/index.html"));
    assert!(waiting["mainEntity"].get("acceptedAnswer").is_none());
    assert_eq!(waiting["dateModified"], "2020-03-20");

    let feed = feed_rs::parser::parse(read(out.path(), "feeds/atom.xml").as_bytes()).unwrap();
    macro_rules! day {
        ($d:expr) => {
            $d.as_ref().expect("a date").to_rfc3339()[..10].to_string()
        };
    }
    assert_eq!(day!(feed.updated), "2021-07-01");
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("records/2019-0001/"))
        .unwrap();
    assert_eq!(day!(entry.published), "2019-01-20");
    assert_eq!(day!(entry.updated), "2021-07-01");
    assert_eq!(entry.authors[0].name.as_deref(), Some("Sở Xây dựng"));
}

#[test]
fn open_data_carries_the_entries() {
    let (_site, out) = built();
    let data = records_json(out.path());
    let r = data["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "2019-0001")
        .unwrap();
    assert_eq!(r["status"], "answered");
    assert_eq!(r["answered"], "2019-01-20");
    assert_eq!(r["answered_by"], Value::Null);
    assert_eq!(r["updated"], "2021-07-01");
    let entries = r["entries"].as_array().unwrap();
    let brief: Vec<(String, String, String, String)> = entries
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("-").to_string();
            (s("kind"), s("date"), s("from"), s("agency"))
        })
        .collect();
    let t = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        brief,
        [
            t("forwarded", "2019-01-03", "van-phong", "so-xay-dung"),
            t("answer", "2019-01-12", "-", "so-xay-dung"),
            t("follow-up", "2019-01-15", "-", "-"),
            t("answer", "2019-01-20", "-", "so-xay-dung"),
            t("update", "2021-07-01", "-", "so-tai-nguyen"),
        ]
    );
    assert_eq!(entries[1]["by"], "Giám đốc Sở Xây dựng");
    assert_eq!(
        entries[3]["text"],
        Value::Null,
        "the current answer's text is `answer`"
    );
    assert_eq!(
        r["answer"]["markdown"],
        "Đơn đề nghị và giấy tờ về quyền sử dụng đất."
    );
    assert_eq!(
        entries[1]["text"]["markdown"],
        "Mười lăm ngày kể từ khi nhận đủ hồ sơ."
    );
    assert_eq!(
        entries[4]["text"]["markdown"],
        "Nghị định mới thay thế nghị định dẫn ở trên."
    );

    let csv = read(out.path(), "data/records.csv");
    let row = csv.lines().find(|l| l.starts_with("2019-0001,")).unwrap();
    assert!(
        row.ends_with(",2021-07-01,forwarded 2019-01-03 van-phong>so-xay-dung;answer 2019-01-12 so-xay-dung;follow-up 2019-01-15 -;answer 2019-01-20 so-xay-dung;update 2021-07-01 so-tai-nguyen"),
        "{row}"
    );
}

#[test]
fn unknown_dates_are_published_last_and_left_out_of_the_figures() {
    let (_site, out) = built();
    let out = out.path();
    // After every dated record, in every list it belongs to; in no year.
    let ids = record_ids(&read(out, "agencies/so-xay-dung/index.html"));
    assert_eq!(ids.last().map(String::as_str), Some("cu-0001"), "{ids:?}");
    let years = read(out, "years/index.html");
    for y in ["2017", "2018", "2019", "2020"] {
        assert!(years.contains(&format!("years/{y}/")), "{y}");
    }
    let year_pages: Vec<String> = read_tree(out)
        .into_keys()
        .filter(|k| k.starts_with("years/") && k.ends_with("/index.html") && k.len() == 21)
        .collect();
    assert_eq!(year_pages.len(), 4, "{year_pages:?}");

    let page = read(out, "records/cu-0001/index.html");
    assert!(
        page.contains("Ngày hỏi</dt><dd>không rõ ngày</dd>"),
        "{page}"
    );
    assert!(page.contains("Ngày trả lời</dt><dd>không rõ ngày</dd>"));
    let ld = jsonld(&page);
    assert!(ld.get("dateModified").is_none());
    assert!(ld["mainEntity"].get("dateCreated").is_none());
    let answer = &ld["mainEntity"]["acceptedAnswer"];
    assert_eq!(answer["text"], "Đáp từ trang cũ.");
    assert!(answer.get("dateCreated").is_none());

    // A step of a thread may be undated too.
    let thread = read(out, "records/2017-0001/index.html");
    assert!(thread.contains("<span class=\"date-unknown\">không rõ ngày</span>"));

    let sitemap = read(out, "sitemap.xml");
    assert!(
        sitemap.contains("records/cu-0001/</loc></url>"),
        "no lastmod"
    );
    assert!(!read(out, "feeds/atom.xml").contains("cu-0001"));

    let data = records_json(out);
    let r = data["records"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(r["id"], "cu-0001");
    assert_eq!(
        (
            &r["asked"],
            &r["answered"],
            &r["updated"],
            &r["days_to_answer"]
        ),
        (&Value::Null, &Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(r["entries"][0]["date"], Value::Null);

    // Counted, and left out of every time figure, which says so.
    let stats: Value = serde_json::from_str(&read(out, "data/stats.json")).unwrap();
    assert_eq!(stats["totals"]["records"], 5);
    assert_eq!(stats["totals"]["undated"], 1);
    let agency = stats["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "so-xay-dung")
        .unwrap();
    assert_eq!(agency["undated"], 1);
    assert!(
        read(out, "agencies/so-xay-dung/index.html")
            .contains("1 câu hỏi không rõ ngày không được tính vào thời gian trả lời.")
    );
}

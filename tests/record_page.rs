//! Record pages beyond the question and answer: related questions (pages and records.json),
//! the share box, and the channels of site.toml on the home page and in the footer. Each
//! test builds a real site from the `small` fixture plus records written here.

mod common;

use common::{build_into, fixture_site, read, record_ids};
use std::path::Path;

/// Writes a record of agency `ubnd` and topic `dat-dai`.
fn write_record(root: &Path, id: &str, title: &str, question: &str, answer: &str) {
    let text = format!(
        "---\nid: \"{id}\"\ntitle: \"{title}\"\nasked: 2024-03-01\nagency: ubnd\ntopics: [dat-dai]\nanswered: 2024-03-05\n---\n{question}\n\n<!-- answer -->\n\n{answer}\n"
    );
    std::fs::write(root.join(format!("content/records/{id}.md")), text).unwrap();
}

/// The small fixture, seven near copies of one question and one more building-permit question.
fn site() -> tempfile::TempDir {
    let dir = fixture_site("small");
    for k in 1..=7 {
        write_record(
            dir.path(),
            &format!("ks-{k:02}"),
            "Đăng ký khai sinh cho con ở đâu?",
            // A word of its own (not a digit: the fixture's amounts have those).
            &format!("Vợ chồng tôi sinh cháu q{k}x, đăng ký khai sinh cho cháu ở đâu?"),
            "Tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ.",
        );
    }
    write_record(
        dir.path(),
        "xd-them",
        "Cap giay phep xay dung nha o bao lau?",
        "Xin giay phep xay dung nha o rieng le mat bao nhieu ngay?",
        "Khong qua 15 ngay ke tu ngay nhan du ho so.",
    );
    dir
}

/// The part of a page from `start` to the next `</section>`.
fn section<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let rest = &html[from..];
    Some(&rest[..rest.find("</section>")?])
}

#[test]
fn related_questions_are_on_the_page_and_in_records_json() {
    let dir = site();
    let out = dir.path().join("public");
    build_into(dir.path(), &out, None);

    let page = read(&out, "records/ks-01/index.html");
    let related = section(&page, "<section class=\"related\"").expect("a related section");
    assert!(related.contains("Câu hỏi liên quan"), "{related}");
    // Six candidates alike: five shown, by id, never the record itself.
    assert_eq!(
        record_ids(related),
        ["ks-02", "ks-03", "ks-04", "ks-05", "ks-06"]
    );
    assert!(related.contains("records/ks-02/\""), "{related}");

    // Diacritics fold: the question written without them is related to the one with them.
    let page = read(&out, "records/2023-0001/index.html");
    let related = section(&page, "<section class=\"related\"").expect("a related section");
    assert_eq!(
        record_ids(related).first().map(String::as_str),
        Some("xd-them")
    );

    let json: serde_json::Value = serde_json::from_str(&read(&out, "data/records.json")).unwrap();
    let records = json["records"].as_array().unwrap();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in records {
        let id = r["id"].as_str().unwrap();
        let list: Vec<&str> = r["related"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no related array"))
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert!(list.len() <= 5, "{id}: {list:?}");
        assert!(!list.contains(&id), "{id} is related to itself");
        assert!(list.iter().all(|x| ids.contains(x)), "{id}: {list:?}");
        // The page lists the same records in the same order.
        let page = read(&out, &format!("records/{id}/index.html"));
        let shown = section(&page, "<section class=\"related\"").map_or(Vec::new(), record_ids);
        assert_eq!(shown, list, "{id}");
    }
    let ks07 = records.iter().find(|r| r["id"] == "ks-07").unwrap();
    assert_eq!(
        ks07["related"],
        serde_json::json!(["ks-01", "ks-02", "ks-03", "ks-04", "ks-05"])
    );

    // The same content builds the same lists.
    let again = dir.path().join("again");
    build_into(dir.path(), &again, None);
    assert_eq!(
        read(&out, "data/records.json"),
        read(&again, "data/records.json")
    );
}

#[test]
fn the_heading_follows_the_language() {
    let dir = site();
    let toml = read(dir.path(), "site.toml").replace("language = \"vi\"", "language = \"en\"");
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let out = dir.path().join("public");
    build_into(dir.path(), &out, None);
    let page = read(&out, "records/ks-03/index.html");
    let related = section(&page, "<section class=\"related\"").unwrap();
    assert!(related.contains(">Related questions</h2>"), "{related}");
}

#[test]
fn record_pages_have_a_share_box_without_third_party_scripts() {
    let dir = site();
    let out = dir.path().join("public");
    build_into(
        dir.path(),
        &out,
        Some("https://hoidap.example.gov.vn/hoi-dap/"),
    );
    let page = read(&out, "records/ks-01/index.html");
    let share = section(&page, "<section class=\"share\"").expect("a share box");
    let url = "https://hoidap.example.gov.vn/hoi-dap/records/ks-01/";
    assert!(share.contains(&format!("data-url=\"{url}\"")), "{share}");
    assert!(
        share.contains("href=\"https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fhoidap.example.gov.vn%2Fhoi-dap%2Frecords%2Fks-01%2F\""),
        "{share}"
    );
    // Hidden until the script shows it; the status is a live region.
    assert!(share.contains(" hidden "), "{share}");
    assert!(share.contains("role=\"status\""), "{share}");
    assert!(page.contains("static/share.js\" defer></script>"));
    assert!(out.join("static/share.js").exists());
    // Every script of every page is the site's own.
    for (rel, bytes) in common::read_tree(&out) {
        if rel.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            for src in html.split("<script src=\"").skip(1) {
                let src = &src[..src.find('"').unwrap()];
                assert!(
                    src.ends_with(".js") && src.contains("static/") && !src.contains("//"),
                    "{rel}: {src}"
                );
            }
        }
    }
}

#[test]
fn channels_are_on_the_home_page_and_in_every_footer() {
    let dir = site();
    let channels = "\n[[channels]]\nname = \"Đường dây nóng 1022\"\nkind = \"hotline\"\nphone = \"0236 1022\"\nnote = \"Cả ngày nghỉ\"\n\n[[channels]]\nname = \"Cổng góp ý\"\nkind = \"web\"\nurl = \"https://gopy.example.gov.vn/\"\n";
    let toml = read(dir.path(), "site.toml") + channels;
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let out = dir.path().join("public");
    build_into(dir.path(), &out, None);

    let home = read(&out, "index.html");
    assert_eq!(
        home.matches("href=\"tel:02361022\">0236 1022</a>").count(),
        2
    );
    assert_eq!(
        home.matches("href=\"https://gopy.example.gov.vn/\"")
            .count(),
        2
    );
    let intro = section(&home, "<section class=\"intro\"").unwrap();
    assert!(intro.contains("Gửi câu hỏi"), "{intro}");
    assert!(intro.contains("Cả ngày nghỉ"), "{intro}");
    let record = read(&out, "records/2024-0001/index.html");
    let footer = &record[record.find("<footer").unwrap()..];
    assert!(footer.contains("href=\"tel:02361022\""), "{footer}");

    // Without channels, nothing is shown.
    let plain = fixture_site("small");
    let plain_out = plain.path().join("public");
    build_into(plain.path(), &plain_out, None);
    assert!(!read(&plain_out, "index.html").contains("class=\"channels\""));
}

#[test]
fn a_bad_channel_is_an_error_at_its_line() {
    let dir = fixture_site("small");
    let toml = read(dir.path(), "site.toml");
    let lines = toml.lines().count();
    let text = format!(
        "{toml}[[channels]]\nname = \"Zalo\"\nkind = \"social\"\n[[channels]]\nname = \"Gọi\"\nkind = \"hotline\"\nphone = \"abc\"\n"
    );
    std::fs::write(dir.path().join("site.toml"), text).unwrap();
    let (site, problems) = hoidap::build::check_site(dir.path()).unwrap();
    assert!(site.is_none());
    let got: Vec<(&str, u32, u32)> = problems
        .iter()
        .map(|d| (d.code, d.line, d.column))
        .collect();
    let first = lines as u32 + 1;
    assert_eq!(
        got,
        [("E0105", first + 2, 1), ("E0105", first + 6, 1)],
        "{problems:?}"
    );
    assert!(problems[0].message.contains("needs `url`"));
    assert!(problems[1].message.contains("telephone number"));
}

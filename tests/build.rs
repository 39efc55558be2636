//! `hoidap build` end to end: fixture sites and the example archive built into temporary
//! folders, with assertions on the pages written.

mod common;

use common::*;

#[test]
fn small_site_has_every_page() {
    let site = fixture_site("small");
    let out = tempfile::tempdir().unwrap();
    let report = build_into(site.path(), out.path(), None);
    assert_eq!(report.records, 5);
    let expected = [
        "index.html",
        "404.html",
        "agencies/index.html",
        "agencies/ubnd/index.html",
        "agencies/so-xay-dung/index.html",
        "agencies/cuc-thue/index.html",
        "topics/index.html",
        "topics/xay-dung/index.html",
        // Three records, two a page.
        "topics/xay-dung/page/2/index.html",
        "topics/thue/index.html",
        "topics/dat-dai/index.html",
        "sessions/index.html",
        "sessions/doi-thoai-2023/index.html",
        "years/index.html",
        "years/2023/index.html",
        "years/2024/index.html",
        "years/2024/page/2/index.html",
        "records/2023-0001/index.html",
        "records/2023-0002/index.html",
        "records/2024-0001/index.html",
        "records/2024-0002/index.html",
        "records/2024-0003/index.html",
        "cu/mon-bai.html",
        "static/style.css",
    ];
    for file in expected {
        assert!(out.path().join(file).is_file(), "missing {file}");
    }
    assert!(!out.path().join("topics/thue/page/2/index.html").exists());
    assert_eq!(
        broken_links(out.path(), "https://example.gov.vn/"),
        Vec::<String>::new()
    );
}

#[test]
fn lists_show_their_records_newest_first() {
    let site = fixture_site("small");
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let ids = |rel: &str| record_ids(&read(out.path(), rel));
    assert_eq!(
        ids("topics/xay-dung/index.html"),
        ["2024-0003", "2023-0002"]
    );
    assert_eq!(ids("topics/xay-dung/page/2/index.html"), ["2023-0001"]);
    assert_eq!(ids("years/2024/index.html"), ["2024-0002", "2024-0003"]);
    assert_eq!(ids("years/2024/page/2/index.html"), ["2024-0001"]);
    assert_eq!(
        ids("sessions/doi-thoai-2023/index.html"),
        ["2023-0002", "2023-0001"]
    );
    // The parent agency's own page lists only its own records.
    assert_eq!(ids("agencies/ubnd/index.html"), ["2023-0002"]);
    // Agencies in Vietnamese order: C (Cục Thuế), S (Sở Xây dựng), U (Ủy ban).
    let index = read(out.path(), "agencies/index.html");
    let pos = |name: &str| index.find(name).unwrap_or_else(|| panic!("{name} missing"));
    assert!(pos("Cục Thuế") < pos("Ủy ban nhân dân"));
    assert!(
        pos("Ủy ban nhân dân") < pos("Sở Xây dựng"),
        "a child follows its parent"
    );
}

#[test]
fn record_page_says_everything_about_the_record() {
    let site = fixture_site("small");
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let page = read(out.path(), "records/2023-0001/index.html");
    for needle in [
        "Cấp phép xây dựng nhà ở mất bao lâu?",
        "<strong>15 ngày</strong>",
        "Sở Xây dựng",
        "href=\"../../agencies/ubnd/\"", // the parent agency
        "href=\"../../topics/xay-dung/\"",
        "href=\"../../sessions/doi-thoai-2023/\"",
        "10 tháng 9, 2023",
        "21 tháng 9, 2023",
        "11 ngày",
        "status-answered",
    ] {
        assert!(page.contains(needle), "record page lacks {needle:?}");
    }
    // Previous/next within the same agency.
    assert!(page.contains("href=\"../../records/2024-0003/\""));
    let pending = read(out.path(), "records/2024-0002/index.html");
    assert!(pending.contains("status-pending"));
    assert!(pending.contains("Câu hỏi này chưa được trả lời."));
    let table = read(out.path(), "records/2024-0001/index.html");
    assert!(table.contains("<table>"));
    let alias = read(out.path(), "cu/mon-bai.html");
    assert!(alias.contains("url=../records/2024-0001/"));
}

#[test]
fn links_stay_relative_whatever_the_base_url() {
    let site = fixture_site("small");
    let out = tempfile::tempdir().unwrap();
    build_into(
        site.path(),
        out.path(),
        Some("https://example.gov.vn/hoi-dap"),
    );
    let home = read(out.path(), "index.html");
    assert!(home.contains("href=\"./static/style.css\""));
    assert!(home.contains("action=\"./search/\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.gov.vn/hoi-dap/\">"));
    let page = read(out.path(), "years/2024/page/2/index.html");
    assert!(page.contains("href=\"../../../../static/style.css\""));
    assert!(page.contains("href=\"../../../../records/2024-0001/\""));
    assert!(
        page.contains("href=\"../../../../years/2024/\" rel=\"prev\""),
        "page 1 of the list"
    );
    // The not-found page is served at any depth: its links are absolute.
    let not_found = read(out.path(), "404.html");
    assert!(not_found.contains("href=\"https://example.gov.vn/hoi-dap/static/style.css\""));
    assert!(not_found.contains("action=\"https://example.gov.vn/hoi-dap/search/\""));
    assert_eq!(
        absolute_links(out.path(), "https://example.gov.vn/hoi-dap/"),
        Vec::<String>::new()
    );
    assert_eq!(
        broken_links(out.path(), "https://example.gov.vn/hoi-dap/"),
        Vec::<String>::new()
    );
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = fixture_site("small");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Trang riêng của thành phố</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/logo.svg"), "<svg/>").unwrap();
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let page = read(out.path(), "404.html");
    assert!(page.contains("Trang riêng của thành phố"));
    assert!(
        page.contains("class=\"site-header\""),
        "the override still extends the theme's base"
    );
    assert_eq!(read(out.path(), "static/logo.svg"), "<svg/>");
}

#[test]
fn english_interface() {
    let site = fixture_site("small");
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        toml.replace("language = \"vi\"", "language = \"en\""),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let page = read(out.path(), "records/2023-0001/index.html");
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("10 September 2023"));
    assert!(page.contains("Answered"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture_site("small");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_into(site.path(), a.path(), None);
    build_into(site.path(), b.path(), None);
    let (ta, tb) = (read_tree(a.path()), read_tree(b.path()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn example_archive_builds_with_no_broken_link() {
    let out = tempfile::tempdir().unwrap();
    let site = hoidap::build::load_site(&repo_root()).unwrap();
    assert!(
        site.warnings.is_empty(),
        "the example content has warnings: {:?}",
        site.warnings
    );
    assert!(site.archive.records.len() >= 60);
    assert!(site.archive.agencies.len() >= 8);
    assert!(site.archive.topics.len() >= 12);
    assert!(site.archive.sessions.len() >= 3);
    let report = build_into(&repo_root(), out.path(), None);
    assert!(report.pages > 100);
    assert_eq!(
        broken_links(out.path(), "https://hoidap.example.gov.vn/"),
        Vec::<String>::new()
    );
    for r in &site.archive.records {
        assert!(
            out.path()
                .join(format!("records/{}/index.html", r.id))
                .is_file()
        );
    }
}

#[test]
fn the_cli_builds_and_prints_a_summary() {
    let site = fixture_site("small");
    let out = site.path().join("public");
    let run = hoidap_in(site.path(), &["build"]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.starts_with("built ") && said.contains("from 5 records"),
        "{said}"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn refuses_to_replace_the_site_itself() {
    let site = fixture_site("small");
    let s = hoidap::build::load_site(site.path()).unwrap();
    let options = hoidap::build::BuildOptions {
        output: Some(site.path().to_path_buf()),
        ..Default::default()
    };
    assert!(hoidap::build::build(&s, &options).is_err());
    assert!(site.path().join("site.toml").is_file());
}

#[test]
fn a_build_removes_the_search_indexes_that_killed_builds_left() {
    let site = fixture_site("small");
    let hoidap_dir = site.path().join(".hoidap");
    // Left by two builds killed while writing the index (no process has such an id), and
    // one being written by a build still running (pid 1 runs as long as the machine does).
    let dead = [
        ".search-index.tmp-999999999-0",
        ".search-index.tmp-999999999-3",
    ];
    for name in dead {
        std::fs::create_dir_all(hoidap_dir.join(name).join("segment")).unwrap();
        std::fs::write(hoidap_dir.join(name).join("segment/data"), "half").unwrap();
    }
    let running = hoidap_dir.join(".search-index.tmp-1-0");
    std::fs::create_dir_all(&running).unwrap();
    let unrelated = hoidap_dir.join("notes");
    std::fs::write(&unrelated, "mine").unwrap();
    hoidap_in(site.path(), &["build"]);
    for name in dead {
        assert!(!hoidap_dir.join(name).exists(), "{name} is left");
    }
    if cfg!(target_os = "linux") {
        assert!(running.is_dir(), "a running build's index was removed");
    }
    assert!(unrelated.is_file());
    // The build writes only the static index; `hoidap search` writes the tantivy one.
    assert!(site.path().join("public/search/index.json").is_file());
}

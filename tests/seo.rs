//! What search engines read: the sitemap lists every page and nothing else, robots.txt
//! points at it, every page has its head tags, JSON-LD parses and says what the record is,
//! and aliases redirect.

mod common;
mod publish_fixture;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// `<loc>` values of a sitemap file.
fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("sitemap is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn is_redirect(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"")
}

/// Site paths of the pages a visitor can land on: every HTML file but 404 and redirects.
fn landing_pages(out: &Path) -> BTreeSet<String> {
    read_tree(out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html") && rel != "404.html")
        .filter(|(_, bytes)| !is_redirect(&String::from_utf8_lossy(bytes)))
        .map(|(rel, _)| rel.strip_suffix("index.html").unwrap_or(&rel).to_string())
        .collect()
}

fn sitemap_paths(out: &Path, base_url: &str) -> BTreeSet<String> {
    let list = locs(&read(out, "sitemap.xml"));
    let mut paths = BTreeSet::new();
    for url in list {
        let path = url
            .strip_prefix(base_url)
            .expect("absolute URL on the site");
        assert!(paths.insert(path.to_string()), "{url} listed twice");
    }
    paths
}

#[test]
fn sitemap_lists_every_page_and_nothing_else() {
    let out = tempfile::tempdir().unwrap();
    let report = build_into(&repo_root(), out.path(), None);
    let base = "https://hoidap.example.gov.vn/";
    let pages = landing_pages(out.path());
    assert_eq!(sitemap_paths(out.path(), base), pages);
    // Only 404 and the two aliases of the example are left out.
    assert_eq!(pages.len(), report.pages - 3);
    let robots = read(out.path(), "robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml\n")),
        "{robots}"
    );
    assert!(robots.starts_with("User-agent: *\n"));
    // Record pages carry their last change.
    assert!(read(out.path(), "sitemap.xml").contains(
        "<loc>https://hoidap.example.gov.vn/records/2014-0007/</loc><lastmod>2014-08-05</lastmod>"
    ));
}

#[test]
fn sitemap_of_a_site_under_a_path() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let pages = landing_pages(out.path());
    assert!(
        pages.contains("topics/t1/page/3/"),
        "pagination pages are listed"
    );
    assert_eq!(sitemap_paths(out.path(), publish_fixture::BASE_URL), pages);
    assert!(
        !read(out.path(), "sitemap.xml").contains("/cu/"),
        "no redirects"
    );
}

/// The `content` of a `<meta>` with this name or property; panics unless exactly one.
fn meta(html: &str, key: &str) -> String {
    let found: Vec<&str> = [
        format!("<meta name=\"{key}\" content=\""),
        format!("<meta property=\"{key}\" content=\""),
    ]
    .iter()
    .flat_map(|open| html.split(open.as_str()).skip(1).collect::<Vec<_>>())
    .collect();
    assert_eq!(found.len(), 1, "one {key}");
    found[0][..found[0].find('"').unwrap()].to_string()
}

fn scripts(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| {
            let json = &s[..s.find("</script>").expect("closed")];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON-LD: {e}: {json}"))
        })
        .collect()
}

fn canonical(html: &str) -> String {
    let parts: Vec<&str> = html
        .split("<link rel=\"canonical\" href=\"")
        .skip(1)
        .collect();
    assert_eq!(parts.len(), 1, "one canonical link");
    parts[0][..parts[0].find('"').unwrap()].to_string()
}

#[test]
fn every_page_has_its_head_tags() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    let base = "https://hoidap.example.gov.vn/";
    for path in landing_pages(out.path()) {
        let rel = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.clone()
        };
        let html = read(out.path(), &rel);
        assert!(html.contains("<html lang=\"vi\">"), "{rel}: lang");
        assert_eq!(canonical(&html), format!("{base}{path}"), "{rel}");
        assert!(
            !meta(&html, "description").trim().is_empty(),
            "{rel}: description"
        );
        assert_eq!(meta(&html, "og:url"), format!("{base}{path}"), "{rel}");
        assert!(!meta(&html, "og:title").is_empty(), "{rel}");
        assert!(!meta(&html, "og:description").is_empty(), "{rel}");
        assert_eq!(meta(&html, "og:locale"), "vi_VN");
        assert_eq!(meta(&html, "twitter:card"), "summary");
        let kind = if path.starts_with("records/") {
            "article"
        } else {
            "website"
        };
        assert_eq!(meta(&html, "og:type"), kind, "{rel}");
    }
}

#[test]
fn record_pages_describe_the_question_from_the_question() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    let html = read(out.path(), "records/2014-0007/index.html");
    assert!(meta(&html, "description").starts_with("Gia đình tôi đang ở trên thửa đất"));
    assert!(meta(&html, "og:title").starts_with("Đất ông bà để lại"));
}

fn check_json_ld(root: &Path, out: &Path, base: &str) {
    let site = hoidap::build::load_site(root).unwrap();
    let a = &site.archive;
    for r in &a.records {
        let html = read(out, &format!("records/{}/index.html", r.id));
        let blocks = scripts(&html);
        assert_eq!(blocks.len(), 1, "{}: one JSON-LD block", r.id);
        let page = &blocks[0];
        let url = format!("{base}records/{}/", r.id);
        assert_eq!(page["@context"], "https://schema.org");
        assert_eq!(page["@type"], "WebPage");
        assert_eq!(page["url"], url.as_str());
        let q = &page["mainEntity"];
        assert_eq!(q["@type"], "Question");
        assert_eq!(q["name"], r.title.as_str());
        assert_eq!(q["text"], r.question.plain.as_str());
        assert_eq!(q["dateCreated"], r.asked.to_string());
        let answered = r.status == hoidap::model::Status::Answered;
        assert_eq!(q["answerCount"], if answered { 1 } else { 0 }, "{}", r.id);
        if answered {
            let ans = &q["acceptedAnswer"];
            assert_eq!(ans["@type"], "Answer");
            assert_eq!(ans["text"], r.answer.as_ref().unwrap().plain.as_str());
            assert_eq!(ans["dateCreated"], r.answered.unwrap().to_string());
            assert_eq!(ans["url"], url.as_str());
            let ag = &a.agencies[r.agency.unwrap()];
            assert_eq!(ans["author"]["@type"], "GovernmentOrganization");
            assert_eq!(ans["author"]["name"], ag.name.as_str());
            assert_eq!(ans["author"]["url"], format!("{base}agencies/{}/", ag.id));
        } else {
            assert!(q.get("acceptedAnswer").is_none(), "{}: no answer", r.id);
        }
    }
    let crumbs = |rel: &str| -> Vec<(String, String)> {
        let blocks = scripts(&read(out, rel));
        assert_eq!(blocks.len(), 1, "{rel}");
        assert_eq!(blocks[0]["@type"], "BreadcrumbList");
        blocks[0]["itemListElement"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, item)| {
                assert_eq!(item["@type"], "ListItem");
                assert_eq!(item["position"], i + 1);
                (
                    item["name"].as_str().unwrap().to_string(),
                    item["item"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    for ag in &a.agencies {
        let list = crumbs(&format!("agencies/{}/index.html", ag.id));
        assert_eq!(list[0].1, base);
        assert_eq!(list[1].1, format!("{base}agencies/"));
        assert_eq!(
            list.last().unwrap(),
            &(ag.name.clone(), format!("{base}agencies/{}/", ag.id))
        );
        for (_, url) in &list {
            assert!(
                out.join(format!("{}index.html", &url[base.len()..]))
                    .is_file(),
                "{url}"
            );
        }
    }
    for t in &a.topics {
        let list = crumbs(&format!("topics/{}/index.html", t.id));
        assert_eq!(list.len(), 3);
        assert_eq!(list[2], (t.name.clone(), format!("{base}topics/{}/", t.id)));
    }
}

#[test]
fn json_ld_of_the_example() {
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    check_json_ld(&repo_root(), out.path(), "https://hoidap.example.gov.vn/");
}

#[test]
fn json_ld_cannot_be_broken_out_of() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    check_json_ld(site.path(), out.path(), publish_fixture::BASE_URL);
    let html = read(out.path(), "records/2025-0001/index.html");
    let script = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap();
    let script = &script[..script.find("</script>").unwrap()];
    assert!(!script.contains('<'), "{script}");
    assert_eq!(scripts(&html)[0]["name"], publish_fixture::PENDING_TITLE);
    // The forwarded record replied, but it is not an answer to the question.
    let fwd = &scripts(&read(out.path(), "records/2025-0002/index.html"))[0];
    assert_eq!(fwd["mainEntity"]["answerCount"], 0);
}

#[test]
fn aliases_redirect_to_their_record() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let canonical_url = format!("{}records/2025-0002/", publish_fixture::BASE_URL);
    // Relative from where each alias is written, so that a copy of the site redirects
    // within itself; the canonical URL names the record absolutely.
    for (rel, target) in [
        ("cu/1.html", "../records/2025-0002/"),
        ("cu/hai/index.html", "../../records/2025-0002/"),
    ] {
        let html = read(out.path(), rel);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            )),
            "{rel}: {html}"
        );
        assert_eq!(canonical(&html), canonical_url, "{rel}");
        assert!(
            html.contains(&format!("<a href=\"{target}\">")),
            "{rel}: a link for people"
        );
    }
    assert!(out.path().join("records/2025-0002/index.html").is_file());

    // The example's aliases too.
    let out = tempfile::tempdir().unwrap();
    build_into(&repo_root(), out.path(), None);
    let html = read(out.path(), "hoi-dap/cu/10452.html");
    assert!(html.contains("url=../../records/2014-0007/\""));
    assert_eq!(
        canonical(&html),
        "https://hoidap.example.gov.vn/records/2014-0007/"
    );
}

#[test]
fn head_tags_are_escaped_once() {
    let site = tempfile::tempdir().unwrap();
    publish_fixture::write_site(site.path());
    let out = tempfile::tempdir().unwrap();
    build_into(site.path(), out.path(), None);
    let html = read(out.path(), "records/2024-0003/index.html");
    let title =
        "Câu hỏi 3: giá &quot;đất&quot;, thuế &amp; &lt;phí&gt;? · Hỏi &amp; đáp &lt;thử&gt;";
    assert!(html.contains(&format!("<title>{title}</title>")));
    assert_eq!(meta(&html, "og:title"), title);
    assert_eq!(meta(&html, "twitter:title"), title);
    assert!(
        meta(&html, "og:description")
            .starts_with("Câu hỏi có dấu phẩy, &quot;ngoặc kép&quot; &amp;")
    );
    let agency = read(out.path(), "agencies/so-a/index.html");
    assert!(agency.contains(
        "title=\"Sở &quot;A&quot; &amp; &lt;B&gt; – Hỏi &amp; đáp &lt;thử&gt;\" href=\"../../feeds/agencies/so-a.xml\""
    ));
}

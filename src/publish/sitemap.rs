//! `sitemap.xml` (a sitemap index over several files past 50,000 URLs, as the protocol
//! requires) and `robots.txt` pointing at it.

use super::xml::{self, escape};
use crate::config::SiteConfig;
use crate::model::Archive;
use crate::publish::Output;
use crate::{Error, Result, urls};
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;

pub const SITEMAP: &str = "sitemap.xml";

/// Writes the sitemap of `pages` (every page path the build wrote) and `robots.txt`.
pub fn write(pages: &[String], archive: &Archive, config: &SiteConfig, out: &Output) -> Result<()> {
    let entries = entries(pages, archive);
    for (path, text) in render(&entries, config, MAX_URLS) {
        out.write(&path, text.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
    }
    out.write("robots.txt", robots(config).as_bytes())
        .map_err(|e| Error::io("robots.txt", e))
}

/// The pages worth listing, sorted, with the date a record page last changed. Redirects
/// (aliases) and the 404 page are left out: a sitemap lists canonical pages only.
pub fn entries(pages: &[String], archive: &Archive) -> Vec<(String, Option<Date>)> {
    let aliases: HashSet<&str> = archive
        .records
        .iter()
        .flat_map(|r| r.aliases.iter().map(String::as_str))
        .collect();
    let dates: HashMap<String, Date> = archive
        .records
        .iter()
        .filter_map(|r| Some((urls::record(&r.id), r.updated()?)))
        .collect();
    let mut list: Vec<(String, Option<Date>)> = pages
        .iter()
        .filter(|p| (p.is_empty() || p.ends_with('/')) && !aliases.contains(p.as_str()))
        .map(|p| (p.clone(), dates.get(p).copied()))
        .collect();
    list.sort();
    list.dedup();
    list
}

/// The sitemap files: `sitemap.xml` alone, or `sitemap.xml` as an index of `sitemap-N.xml`
/// files of at most `max` URLs each. They sit at the site root because a sitemap may only
/// list URLs at or below its own folder.
pub fn render(
    entries: &[(String, Option<Date>)],
    config: &SiteConfig,
    max: usize,
) -> Vec<(String, String)> {
    let max = max.max(1);
    if entries.len() <= max {
        return vec![(SITEMAP.to_string(), urlset(entries, config))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(max).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        index.push_str("  <sitemap>\n");
        xml::element(&mut index, "    ", "loc", &config.absolute(&path));
        if let Some(d) = chunk.iter().filter_map(|(_, d)| *d).max() {
            xml::element(&mut index, "    ", "lastmod", &d.to_string());
        }
        index.push_str("  </sitemap>\n");
        files.push((path, urlset(chunk, config)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (SITEMAP.to_string(), index));
    files
}

fn urlset(entries: &[(String, Option<Date>)], config: &SiteConfig) -> String {
    let mut out = String::with_capacity(100 + entries.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, date) in entries {
        let _ = write!(out, "  <url><loc>{}</loc>", escape(&config.absolute(path)));
        if let Some(d) = date {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Crawlers read `robots.txt` only at the root of a host: on a site under a path it is
/// written all the same, for the host's own robots.txt to copy.
pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute(SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.gov.vn/hd/\"\nlanguage = \"vi\"\n",
            "site.toml",
        )
        .unwrap()
    }

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lists_pages_but_not_404_or_aliases() {
        let mut archive = Archive::default();
        let pages = paths(&[
            "records/a/",
            "",
            "404.html",
            "old/1.html",
            "old/2/",
            "topics/",
        ]);
        let mut r = crate::model::Record {
            asked: Some("2020-01-02".parse().unwrap()),
            aliases: paths(&["old/1.html", "old/2/"]),
            ..crate::model::Record::test("a", "t")
        };
        r.answered = Some("2020-02-03".parse().unwrap());
        archive.records.push(r);
        let list = entries(&pages, &archive);
        assert_eq!(
            list,
            [
                ("".to_string(), None),
                (
                    "records/a/".to_string(),
                    Some("2020-02-03".parse().unwrap())
                ),
                ("topics/".to_string(), None),
            ]
        );
        let files = render(&list, &config(), MAX_URLS);
        assert_eq!(files.len(), 1);
        assert!(files[0].1.contains(
            "<url><loc>https://x.gov.vn/hd/records/a/</loc><lastmod>2020-02-03</lastmod></url>"
        ));
    }

    #[test]
    fn past_the_limit_writes_an_index() {
        let list: Vec<(String, Option<Date>)> =
            (0..5).map(|i| (format!("records/{i}/"), None)).collect();
        let files = render(&list, &config(), 2);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://x.gov.vn/hd/sitemap-3.xml</loc>")
        );
        assert_eq!(files[3].1.matches("<url>").count(), 1);
    }

    #[test]
    fn robots_points_at_the_sitemap() {
        assert!(robots(&config()).contains("Sitemap: https://x.gov.vn/hd/sitemap.xml\n"));
    }
}

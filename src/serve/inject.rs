//! What the preview adds to served pages: the problems overlay, and search results rendered
//! on the server so the search page works with JavaScript turned off.

use crate::diagnostics::Diagnostic;
use crate::model::Archive;
use crate::search::{Query, Results};
use std::collections::{BTreeMap, HashMap};

pub const OVERLAY_ID: &str = "hoidap-problems";

/// The fixed box listing the problems, or `None` when there is nothing to show.
pub fn overlay(problems: &[Diagnostic], failure: Option<&str>) -> Option<String> {
    let errors: Vec<&Diagnostic> = problems.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() && failure.is_none() {
        return None;
    }
    let mut items = String::new();
    if let Some(f) = failure {
        items += &format!("<li>{}</li>", crate::text::escape_html(f));
    }
    for d in &errors {
        let place = if d.line == 0 {
            d.file.clone()
        } else {
            format!("{}:{}:{}", d.file, d.line, d.column)
        };
        items += &format!(
            "<li><code>{}</code> error[{}]: {}",
            crate::text::escape_html(&place),
            d.code,
            crate::text::escape_html(&d.message)
        );
        if let Some(h) = &d.help {
            items += &format!(" <em>({})</em>", crate::text::escape_html(h));
        }
        items += "</li>";
    }
    let count = errors.len() + usize::from(failure.is_some());
    Some(format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;z-index:2147483647;\
left:1rem;right:1rem;bottom:1rem;max-height:45vh;overflow:auto;background:#fff4f4;color:#3b0000;\
border:2px solid #c00;border-radius:6px;padding:.8rem 1rem;font:14px/1.45 system-ui,sans-serif;\
box-shadow:0 4px 18px rgba(0,0,0,.3)\"><strong>hoidap: {count} problem(s); the preview shows \
the last good build until they are fixed</strong><ul style=\"margin:.4rem 0 0;padding-left:1.2rem\">\
{items}</ul></div>"
    ))
}

/// Puts `html` just before the page's closing `</body>` (or at its end).
pub fn before_body_end(page: &mut String, html: &str) {
    let at = page
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(page.len());
    page.insert_str(at, html);
}

/// A page for when no build has succeeded yet.
pub fn placeholder(overlay: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>hoidap</title></head>\
<body><p>hoidap: the site has not been built yet.</p>{overlay}</body></html>"
    )
}

/// The search query of a request, when it has words.
pub fn query_of(params: &HashMap<String, String>) -> Option<Query> {
    let text = params.get("q").map(|q| q.trim()).unwrap_or_default();
    if text.is_empty() {
        return None;
    }
    let pick = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    Some(Query {
        text: text.to_string(),
        agency: pick("agency").map(str::to_string),
        topic: pick("topic").map(str::to_string),
        year: pick("year").and_then(|y| y.parse().ok()),
        status: pick("status").map(str::to_string),
        limit: 20,
    })
}

/// What a search hit shows besides its title, by record id. Taken at each full build: a
/// fast edit changes none of it, so the preview never shares the archive it patches.
#[derive(Debug, Default)]
pub struct HitFacts {
    by_id: HashMap<String, HitFact>,
}

#[derive(Debug)]
struct HitFact {
    agency: Option<String>,
    asked: String,
    status: &'static str,
}

impl HitFacts {
    pub fn of(archive: &Archive) -> HitFacts {
        let by_id = archive
            .records
            .iter()
            .map(|r| {
                let fact = HitFact {
                    agency: r
                        .agency
                        .and_then(|a| archive.agencies.get(a))
                        .map(|a| a.name.clone()),
                    asked: r.asked.map(|d| d.to_string()).unwrap_or_default(),
                    status: r.status.as_str(),
                };
                (r.id.clone(), fact)
            })
            .collect();
        HitFacts { by_id }
    }
}

/// Fills the static search page with the query and its results, as the script would.
pub fn search_results(
    page: &mut String,
    query: &Query,
    results: &Results,
    facts: Option<&HitFacts>,
    t: &BTreeMap<String, String>,
) {
    let tr = |k: &str, fallback: &str| t.get(k).cloned().unwrap_or_else(|| fallback.to_string());
    // Relative from the search page, like every link of the site (see `urls::root_of`).
    let root = crate::urls::root_of(crate::urls::SEARCH, "");
    let mut items = String::new();
    for h in &results.hits {
        let mut meta = Vec::new();
        if let Some(f) = facts.and_then(|f| f.by_id.get(&h.id)) {
            if let Some(a) = &f.agency {
                meta.push(crate::text::escape_html(a));
            }
            meta.push(if f.asked.is_empty() {
                crate::text::escape_html(&tr("date_unknown", "?"))
            } else {
                f.asked.clone()
            });
            meta.push(crate::text::escape_html(&tr(
                &format!("status_{}", f.status),
                f.status,
            )));
        }
        items += &format!(
            "<li class=\"search-hit\" data-record-id=\"{id}\"><h2><a href=\"{root}{path}\">{title}</a></h2>\
<p class=\"search-meta\">{meta}</p><p class=\"search-snippet\">{snippet}</p></li>",
            id = crate::text::escape_html(&h.id),
            path = crate::text::escape_html(&h.path),
            title = crate::text::escape_html(&h.title),
            meta = meta.join(" · "),
            snippet = h.snippet.to_html(),
        );
    }
    let status = if results.total == 0 {
        tr("search_none", "No results.")
    } else {
        // As the script writes it: those with all the words · those with some.
        let (all, some) = (results.all_words, results.total - results.all_words);
        let mut parts = Vec::new();
        if all > 0 {
            parts.push(tr("search_all", "{n} with all words").replace("{n}", &all.to_string()));
        }
        if some > 0 {
            parts.push(tr("search_some", "{n} with some").replace("{n}", &some.to_string()));
        }
        let mut s = parts.join(" · ");
        // One line on a phone: with both counts, the "more" button says there is more.
        if results.total > results.hits.len() && parts.len() < 2 {
            s.push(' ');
            s += &tr("search_shown", "(the first {k})")
                .replace("{k}", &results.hits.len().to_string());
        }
        s
    };
    if let Some(corrected) = &results.corrected {
        let (before, after) = tr("search_corrected", "Results for {q}")
            .split_once("{q}")
            .map(|(b, a)| (b.to_string(), a.to_string()))
            .unwrap_or_default();
        replace_once(
            page,
            "aria-live=\"polite\" hidden></p>",
            &format!(
                "aria-live=\"polite\">{}<strong>{}</strong>{}</p>",
                crate::text::escape_html(&before),
                crate::text::escape_html(corrected),
                crate::text::escape_html(&after)
            ),
        );
    }
    replace_once(
        page,
        "class=\"search-results\"></ol>",
        &format!("class=\"search-results\">{items}</ol>"),
    );
    replace_once(
        page,
        "aria-atomic=\"true\"></p>",
        &format!(
            "aria-atomic=\"true\">{}</p>",
            crate::text::escape_html(&status)
        ),
    );
    replace_once(
        page,
        "name=\"q\"",
        &format!(
            "name=\"q\" value=\"{}\"",
            crate::text::escape_html(&query.text)
        ),
    );
    let selected = [&query.agency, &query.topic, &query.status];
    let year = query.year.map(|y| y.to_string());
    for value in selected.into_iter().flatten().chain(year.as_ref()) {
        let option = format!("<option value=\"{}\">", crate::text::escape_html(value));
        let chosen = format!(
            "<option value=\"{}\" selected>",
            crate::text::escape_html(value)
        );
        replace_once(page, &option, &chosen);
    }
}

fn replace_once(page: &mut String, from: &str, to: &str) {
    if let Some(at) = page.find(from) {
        page.replace_range(at..at + from.len(), to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn the_overlay_lists_errors_escaped() {
        let d = Diagnostic::at_line(
            Severity::Error,
            "E0231",
            "content/a.md",
            3,
            9,
            "unknown agency \"<x>\"".into(),
        )
        .with_help("did you mean `so-y-te`?");
        let w = Diagnostic::file_level(Severity::Warning, "W0201", "content/b.md", "w".into());
        let html = overlay(&[d, w.clone()], None).unwrap();
        assert!(html.contains("content/a.md:3:9"), "{html}");
        assert!(html.contains("&quot;&lt;x&gt;&quot;"), "{html}");
        assert!(!html.contains("W0201"), "{html}");
        assert!(overlay(&[w], None).is_none());
        let mut page = "<html><body><p>x</p></body></html>".to_string();
        before_body_end(&mut page, "<i>o</i>");
        assert_eq!(page, "<html><body><p>x</p><i>o</i></body></html>");
    }

    #[test]
    fn queries_need_words() {
        let mut p = HashMap::new();
        p.insert("q".to_string(), "  ".to_string());
        assert!(query_of(&p).is_none());
        p.insert("q".to_string(), "đất đai".to_string());
        p.insert("year".to_string(), "2014".to_string());
        p.insert("agency".to_string(), String::new());
        let q = query_of(&p).unwrap();
        assert_eq!(
            (q.text.as_str(), q.year, q.agency),
            ("đất đai", Some(2014), None)
        );
    }

    #[test]
    fn results_fill_the_page() {
        let mut page = "<input name=\"q\"><p id=\"s\" aria-atomic=\"true\"></p>\
<select name=\"year\"><option value=\"2014\">2014</option></select>\
<ol id=\"search-results\" class=\"search-results\"></ol>"
            .to_string();
        let q = Query {
            text: "a\"b".into(),
            agency: None,
            topic: None,
            year: Some(2014),
            status: None,
            limit: 20,
        };
        search_results(&mut page, &q, &Results::default(), None, &BTreeMap::new());
        assert!(page.contains("value=\"a&quot;b\""), "{page}");
        assert!(page.contains("<option value=\"2014\" selected>"), "{page}");
        assert!(page.contains(">No results.</p>"), "{page}");
    }
}

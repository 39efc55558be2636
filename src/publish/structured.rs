//! JSON-LD for search engines: a record page is a `WebPage` about a `Question` with the
//! agency's `Answer`; agency and topic pages carry a `BreadcrumbList`.
//!
//! `QAPage` is left out on purpose: search engines reserve it for pages where users post
//! answers, which an official archive is not.

use crate::config::SiteConfig;
use crate::model::{Archive, Record, Status};
use crate::urls;
use serde::Serialize;
use serde_json::{Value, json};

/// JSON for a `<script type="application/ld+json">` element. Every `<` is written as
/// `\u003c` (valid only inside JSON strings, where it can appear), so no text of a record can
/// close the script or open a comment in it.
pub fn script_text(value: &impl Serialize) -> String {
    // Cannot fail: every key is a string. Record pages' JSON-LD holds the whole question and
    // answer, so the text is copied again only when it has a `<`.
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    }
}

// The record page's JSON-LD as types, each field where `serde_json::json!` (whose objects
// sort their keys) put it: the bytes are those of the `json!` version this replaced, which
// built every text into a value of its own before writing it (see the tests).

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "inLanguage")]
    in_language: &'static str,
    #[serde(rename = "isPartOf")]
    is_part_of: Named<'a>,
    #[serde(rename = "mainEntity")]
    main_entity: Question<'a>,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "acceptedAnswer", skip_serializing_if = "Option::is_none")]
    accepted_answer: Option<Answer<'a>>,
    #[serde(rename = "answerCount")]
    answer_count: u32,
    #[serde(rename = "dateCreated", skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    name: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Author<'a>>,
    #[serde(rename = "dateCreated", skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    text: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
    url: String,
}

/// The record page: a `WebPage` whose main entity is the question, modified on the latest
/// change of its thread. Only an answered record carries an `acceptedAnswer`, its current
/// (last) answer by the agency that gave it; a pending, forwarded or declined one counts no
/// answer.
pub fn record(archive: &Archive, r: &Record, config: &SiteConfig) -> String {
    let url = config.absolute(&urls::record(&r.id));
    let accepted = match (r.status, &r.answer) {
        (Status::Answered, Some(answer)) => Some(Answer {
            kind: "Answer",
            // An unknown agency or date is left out, not guessed.
            author: r.answering_agency().map(|a| {
                let a = &archive.agencies[a];
                Author {
                    kind: "GovernmentOrganization",
                    name: &a.name,
                    same_as: a.url.as_deref(),
                    url: config.absolute(&urls::agency(&a.id)),
                }
            }),
            date_created: r.answered.map(|d| d.to_string()),
            text: &answer.plain,
            url: &url,
        }),
        _ => None,
    };
    script_text(&WebPage {
        context: "https://schema.org",
        id: &url,
        kind: "WebPage",
        date_modified: r.updated().map(|d| d.to_string()),
        in_language: config.language.code(),
        is_part_of: Named {
            kind: "WebSite",
            name: &config.title,
            url: &config.base_url,
        },
        main_entity: Question {
            kind: "Question",
            answer_count: u32::from(accepted.is_some()),
            accepted_answer: accepted,
            date_created: r.asked.map(|d| d.to_string()),
            name: &r.title,
            text: &r.question.plain,
        },
        name: &r.title,
        url: &url,
    })
}

/// A `BreadcrumbList` from the home page through `trail` (name, site path).
pub fn breadcrumbs(config: &SiteConfig, trail: &[(&str, String)]) -> String {
    let items: Vec<Value> = std::iter::once((config.title.as_str(), String::new()))
        .chain(trail.iter().map(|(n, p)| (*n, p.clone())))
        .enumerate()
        .map(|(i, (name, path))| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": config.absolute(&path),
            })
        })
        .collect();
    script_text(&json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    }))
}

/// Home › Agencies › parents… › the agency.
pub fn agency_breadcrumbs(
    archive: &Archive,
    idx: usize,
    config: &SiteConfig,
    agencies: &str,
) -> String {
    let mut chain = vec![idx];
    // Parents are acyclic (checked on load); the bound only guards against a bad archive.
    while let Some(p) = archive.agencies[*chain.last().unwrap_or(&idx)].parent {
        if chain.len() > archive.agencies.len() {
            break;
        }
        chain.push(p);
    }
    let mut trail = vec![(agencies, urls::AGENCIES.to_string())];
    for &i in chain.iter().rev() {
        let a = &archive.agencies[i];
        trail.push((a.name.as_str(), urls::agency(&a.id)));
    }
    breadcrumbs(config, &trail)
}

/// Home › Topics › the topic.
pub fn topic_breadcrumbs(
    archive: &Archive,
    idx: usize,
    config: &SiteConfig,
    topics: &str,
) -> String {
    let t = &archive.topics[idx];
    breadcrumbs(
        config,
        &[
            (topics, urls::TOPICS.to_string()),
            (t.name.as_str(), urls::topic(&t.id)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Agency, Text};

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.gov.vn/\"\nlanguage = \"vi\"\n",
            "site.toml",
        )
        .unwrap()
    }

    fn archive(status: Status) -> Archive {
        let text = |s: &str| Text {
            markdown: s.into(),
            html: format!("<p>{s}</p>"),
            plain: s.into(),
        };
        let agency = |id: &str, parent| Agency {
            id: id.into(),
            name: format!("Sở {id}"),
            short_name: None,
            parent,
            children: vec![],
            url: Some("https://so.gov.vn/".into()),
            description: None,
            records: vec![0],
        };
        Archive {
            records: vec![Record {
                asked: Some("2020-01-01".parse().unwrap()),
                agency: Some(1),
                status,
                answered: (status == Status::Answered).then(|| "2020-01-05".parse().unwrap()),
                question: text("Câu hỏi </script>"),
                answer: (status == Status::Answered).then(|| text("Trả lời")),
                participants: vec![1],
                ..Record::test("r1", "Hỏi </script><!-- x")
            }],
            agencies: vec![agency("cha", None), agency("con", Some(0))],
            ..Archive::default()
        }
    }

    #[test]
    fn answered_record_has_an_accepted_answer_by_the_agency() {
        let a = archive(Status::Answered);
        let text = record(&a, &a.records[0], &config());
        assert!(!text.contains('<'), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let q = &v["mainEntity"];
        assert_eq!(v["@type"], "WebPage");
        assert_eq!(q["@type"], "Question");
        assert_eq!(q["name"], "Hỏi </script><!-- x");
        assert_eq!(q["answerCount"], 1);
        assert_eq!(q["dateCreated"], "2020-01-01");
        let ans = &q["acceptedAnswer"];
        assert_eq!(ans["dateCreated"], "2020-01-05");
        assert_eq!(ans["url"], "https://x.gov.vn/records/r1/");
        assert_eq!(ans["author"]["@type"], "GovernmentOrganization");
        assert_eq!(ans["author"]["name"], "Sở con");
    }

    #[test]
    fn pending_record_has_no_answer() {
        let a = archive(Status::Pending);
        let v: Value = serde_json::from_str(&record(&a, &a.records[0], &config())).unwrap();
        assert_eq!(v["mainEntity"]["answerCount"], 0);
        assert!(v["mainEntity"].get("acceptedAnswer").is_none());
    }

    /// The record page's JSON-LD as it was first written, with `json!` (objects sorted by
    /// key), and escaped afterwards: the typed version must give the same bytes.
    fn record_spec(archive: &Archive, r: &Record, config: &SiteConfig) -> String {
        let url = config.absolute(&urls::record(&r.id));
        let mut question = json!({
            "@type": "Question",
            "name": r.title,
            "text": r.question.plain,
            "answerCount": 0,
        });
        if let Some(asked) = r.asked {
            question["dateCreated"] = json!(asked.to_string());
        }
        if let (Status::Answered, Some(answer)) = (r.status, &r.answer) {
            let mut accepted = json!({"@type": "Answer", "text": answer.plain, "url": url});
            if let Some(date) = r.answered {
                accepted["dateCreated"] = json!(date.to_string());
            }
            if let Some(a) = r.answering_agency().map(|a| &archive.agencies[a]) {
                let mut author = json!({
                    "@type": "GovernmentOrganization",
                    "name": a.name,
                    "url": config.absolute(&urls::agency(&a.id)),
                });
                if let Some(site) = &a.url {
                    author["sameAs"] = json!(site);
                }
                accepted["author"] = author;
            }
            question["answerCount"] = json!(1);
            question["acceptedAnswer"] = accepted;
        }
        let mut page = json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": r.title,
            "inLanguage": config.language.code(),
            "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
            "mainEntity": question,
        });
        if let Some(day) = r.updated() {
            page["dateModified"] = json!(day.to_string());
        }
        page.to_string().replace('<', "\\u003c")
    }

    #[test]
    fn record_json_ld_is_the_json_of_its_first_version() {
        let config = config();
        let mut cases = Vec::new();
        for status in [Status::Answered, Status::Pending, Status::Declined] {
            let a = archive(status);
            cases.push(a.clone());
            // Unknown dates, no agency, an agency without a website, quotes, `<` and
            // control characters in the texts.
            let mut b = a.clone();
            let r = &mut b.records[0];
            r.asked = None;
            r.answered = None;
            r.agency = None;
            r.title = "\"<a>\" \\ \u{1}<<".into();
            r.question.plain = "<<\n\t</script>".into();
            cases.push(b);
            let mut c = a.clone();
            c.agencies[1].url = None;
            cases.push(c);
        }
        for a in &cases {
            let r = &a.records[0];
            assert_eq!(record(a, r, &config), record_spec(a, r, &config));
        }
    }

    #[test]
    fn agency_breadcrumbs_walk_the_parents() {
        let a = archive(Status::Answered);
        let v: Value =
            serde_json::from_str(&agency_breadcrumbs(&a, 1, &config(), "Cơ quan")).unwrap();
        let names: Vec<&str> = v["itemListElement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["T", "Cơ quan", "Sở cha", "Sở con"]);
        assert_eq!(
            v["itemListElement"][3]["item"],
            "https://x.gov.vn/agencies/con/"
        );
        assert_eq!(v["itemListElement"][3]["position"], 4);
    }
}

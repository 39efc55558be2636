//! Open data: the archive as JSON and CSV under `data/`, each JSON file with its JSON Schema
//! beside it. Field names are a promise to reusers: never rename one without raising
//! [`VERSION`] (see docs/open-data.md).

use super::feeds;
use crate::config::SiteConfig;
use crate::model::{Archive, Record, Text};
use crate::publish::Output;
use crate::{Error, Result, urls};
use serde::Serialize;

/// Major version of the open-data format, written in every JSON file.
pub const VERSION: u32 = 1;

/// The JSON files and their schemas, published as `data/<name>.json` and
/// `data/<name>.schema.json`.
pub const SCHEMAS: [(&str, &str); 4] = [
    ("records", include_str!("schemas/records.schema.json")),
    ("agencies", include_str!("schemas/agencies.schema.json")),
    ("topics", include_str!("schemas/topics.schema.json")),
    ("sessions", include_str!("schemas/sessions.schema.json")),
];

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "url",
    "title",
    "status",
    "asked",
    "answered",
    "days_to_answer",
    "asker_kind",
    "asker_name",
    "asker_place",
    "agency",
    "agency_name",
    "topics",
    "session",
    "channel",
    "answered_by",
    "source",
    "question",
    "answer",
];

pub fn write(archive: &Archive, config: &SiteConfig, out: &Output) -> Result<()> {
    let put = |rel: &str, bytes: &[u8]| out.write(rel, bytes).map_err(|e| Error::io(rel, e));
    put("data/records.json", &json(&records(archive, config))?)?;
    put("data/records.csv", &csv(archive, config)?)?;
    put("data/agencies.json", &json(&agencies(archive, config))?)?;
    put("data/topics.json", &json(&topics(archive, config))?)?;
    put("data/sessions.json", &json(&sessions(archive, config))?)?;
    for (name, schema) in SCHEMAS {
        put(&format!("data/{name}.schema.json"), schema.as_bytes())?;
    }
    Ok(())
}

fn json(value: &impl Serialize) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::io("data", std::io::Error::other(e)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[derive(Serialize)]
pub struct Records<'a> {
    version: u32,
    site: SiteInfo<'a>,
    records: Vec<RecordOut<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'static str,
}

#[derive(Serialize)]
struct RecordOut<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    status: &'static str,
    asked: String,
    answered: Option<String>,
    days_to_answer: Option<i32>,
    asker: Option<AskerOut<'a>>,
    agency: Option<&'a str>,
    topics: Vec<&'a str>,
    session: Option<&'a str>,
    channel: Option<&'a str>,
    answered_by: Option<&'a str>,
    source: Option<&'a str>,
    aliases: Vec<String>,
    question: TextOut<'a>,
    answer: Option<TextOut<'a>>,
}

#[derive(Serialize)]
struct AskerOut<'a> {
    kind: &'static str,
    name: Option<&'a str>,
    place: Option<&'a str>,
}

#[derive(Serialize)]
struct TextOut<'a> {
    markdown: &'a str,
    html: &'a str,
}

impl<'a> TextOut<'a> {
    fn new(t: &'a Text) -> TextOut<'a> {
        TextOut {
            markdown: &t.markdown,
            html: &t.html,
        }
    }
}

pub fn records<'a>(archive: &'a Archive, config: &'a SiteConfig) -> Records<'a> {
    Records {
        version: VERSION,
        site: SiteInfo {
            title: &config.title,
            base_url: &config.base_url,
            language: config.language.code(),
        },
        records: archive
            .records
            .iter()
            .map(|r| record(archive, config, r))
            .collect(),
    }
}

fn record<'a>(archive: &'a Archive, config: &SiteConfig, r: &'a Record) -> RecordOut<'a> {
    RecordOut {
        id: &r.id,
        url: config.absolute(&urls::record(&r.id)),
        title: &r.title,
        status: r.status.as_str(),
        asked: r.asked.to_string(),
        answered: r.answered.map(|d| d.to_string()),
        days_to_answer: r.days_to_answer,
        asker: r.asker.as_ref().map(|a| AskerOut {
            kind: a.kind.as_str(),
            name: a.name.as_deref(),
            place: a.place.as_deref(),
        }),
        agency: r.agency.map(|a| archive.agencies[a].id.as_str()),
        topics: r
            .topics
            .iter()
            .map(|&t| archive.topics[t].id.as_str())
            .collect(),
        session: r.session.map(|s| archive.sessions[s].id.as_str()),
        channel: r.channel.as_deref(),
        answered_by: r.answered_by.as_deref(),
        source: r.source.as_deref(),
        aliases: r.aliases.iter().map(|a| config.absolute(a)).collect(),
        question: TextOut::new(&r.question),
        answer: r.answer.as_ref().map(TextOut::new),
    }
}

/// One row per record, RFC 4180 (CRLF line ends, quotes doubled), UTF-8 without a byte-order
/// mark. Several topics are joined with `;` (ids never contain it).
pub fn csv(archive: &Archive, config: &SiteConfig) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::io("data/records.csv", std::io::Error::other(e));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(fail)?;
    for r in &archive.records {
        let o = record(archive, config, r);
        let opt = |s: Option<&str>| s.unwrap_or("").to_string();
        let asker = o.asker.as_ref();
        let row: [String; 19] = [
            o.id.to_string(),
            o.url,
            o.title.to_string(),
            o.status.to_string(),
            o.asked,
            o.answered.unwrap_or_default(),
            o.days_to_answer.map(|d| d.to_string()).unwrap_or_default(),
            opt(asker.map(|a| a.kind)),
            opt(asker.and_then(|a| a.name)),
            opt(asker.and_then(|a| a.place)),
            opt(o.agency),
            opt(r.agency.map(|a| archive.agencies[a].name.as_str())),
            o.topics.join(";"),
            opt(o.session),
            opt(o.channel),
            opt(o.answered_by),
            opt(o.source),
            o.question.markdown.to_string(),
            opt(o.answer.as_ref().map(|a| a.markdown)),
        ];
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| Error::io("data/records.csv", e.into_error()))
}

#[derive(Serialize)]
pub struct Agencies<'a> {
    version: u32,
    agencies: Vec<AgencyOut<'a>>,
}

#[derive(Serialize)]
struct AgencyOut<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    parent: Option<&'a str>,
    website: Option<&'a str>,
    description: Option<&'a str>,
    url: String,
    feed: String,
    records: usize,
}

pub fn agencies<'a>(archive: &'a Archive, config: &SiteConfig) -> Agencies<'a> {
    Agencies {
        version: VERSION,
        agencies: archive
            .agencies
            .iter()
            .enumerate()
            .map(|(i, a)| AgencyOut {
                id: &a.id,
                name: &a.name,
                short_name: a.short_name.as_deref(),
                parent: a.parent.map(|p| archive.agencies[p].id.as_str()),
                website: a.url.as_deref(),
                description: a.description.as_deref(),
                url: config.absolute(&urls::agency(&a.id)),
                feed: config.absolute(&feeds::agency(archive, i, config).path),
                records: a.records.len(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct Topics<'a> {
    version: u32,
    topics: Vec<TopicOut<'a>>,
}

#[derive(Serialize)]
struct TopicOut<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    url: String,
    feed: String,
    records: usize,
}

pub fn topics<'a>(archive: &'a Archive, config: &SiteConfig) -> Topics<'a> {
    Topics {
        version: VERSION,
        topics: archive
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| TopicOut {
                id: &t.id,
                name: &t.name,
                description: t.description.as_deref(),
                url: config.absolute(&urls::topic(&t.id)),
                feed: config.absolute(&feeds::topic(archive, i, config).path),
                records: t.records.len(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct Sessions<'a> {
    version: u32,
    sessions: Vec<SessionOut<'a>>,
}

#[derive(Serialize)]
struct SessionOut<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    channel: Option<&'a str>,
    description: Option<&'a str>,
    url: String,
    feed: String,
    records: usize,
}

pub fn sessions<'a>(archive: &'a Archive, config: &SiteConfig) -> Sessions<'a> {
    Sessions {
        version: VERSION,
        sessions: archive
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| SessionOut {
                id: &s.id,
                title: &s.title,
                date: s.date.to_string(),
                channel: s.channel.as_deref(),
                description: s.description.as_deref(),
                url: config.absolute(&urls::session(&s.id)),
                feed: config.absolute(&feeds::session(archive, i, config).path),
                records: s.records.len(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_json_with_the_current_version() {
        for (name, text) in SCHEMAS {
            let v: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["properties"]["version"]["const"], VERSION, "{name}");
        }
    }

    #[test]
    fn csv_header_matches_the_columns() {
        let config = SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.gov.vn/\"\nlanguage = \"vi\"\n",
            "site.toml",
        )
        .unwrap();
        let bytes = csv(&Archive::default(), &config).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{}\r\n", CSV_COLUMNS.join(","))
        );
    }
}

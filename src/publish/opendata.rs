//! Open data: the archive as JSON and CSV under `data/`, each JSON file with its JSON Schema
//! beside it. Field names are a promise to reusers: never rename one without raising
//! [`VERSION`] (see docs/open-data.md).

use super::feeds;
use crate::config::SiteConfig;
use crate::model::{Archive, Record, Text};
use crate::publish::Output;
use crate::search::related::Related;
use crate::{Error, Result, urls};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

/// Major version of the open-data format, written in every JSON file.
pub const VERSION: u32 = 2;

/// The JSON files and their schemas, published as `data/<name>.json` and
/// `data/<name>.schema.json`.
pub const SCHEMAS: [(&str, &str); 4] = [
    ("records", include_str!("schemas/records.schema.json")),
    ("agencies", include_str!("schemas/agencies.schema.json")),
    ("topics", include_str!("schemas/topics.schema.json")),
    ("sessions", include_str!("schemas/sessions.schema.json")),
];

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 21] = [
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
    "updated",
    "entries",
];

pub fn write(
    archive: &Archive,
    config: &SiteConfig,
    related: &Related,
    out: &Output,
) -> Result<()> {
    let put = |rel: &str, bytes: &[u8]| out.write(rel, bytes).map_err(|e| Error::io(rel, e));
    let (json_file, csv_file) = ("data/records.json", "data/records.csv");
    out.write_stream(json_file, |w| {
        write_records_json(archive, config, related, w)
    })
    .map_err(|e| Error::io(json_file, e))?;
    out.write_stream(csv_file, |w| write_records_csv(archive, config, w))
        .map_err(|e| Error::io(csv_file, e))?;
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

/// Records per batch of the streamed exports: enough to keep both cores busy, few enough
/// that a batch's text stays small whatever the archive's size.
const BATCH: usize = 4096;

/// Serialises the records a batch at a time, in parallel runs, and writes them in order. A
/// run is given the archive position of its first record.
fn stream_batches(
    records: &[Record],
    w: &mut dyn std::io::Write,
    run: impl Fn(usize, &[Record]) -> std::io::Result<Vec<u8>> + Sync,
) -> std::io::Result<()> {
    const RUN: usize = 256;
    for (b, batch) in records.chunks(BATCH).enumerate() {
        let parts = batch
            .par_chunks(RUN)
            .enumerate()
            .map(|(k, part)| run(b * BATCH + k * RUN, part))
            .collect::<std::io::Result<Vec<Vec<u8>>>>()?;
        parts.iter().try_for_each(|p| w.write_all(p))?;
    }
    Ok(())
}

/// `records.json`: the same bytes `serde_json::to_vec_pretty(&records(..))` gives, written a
/// batch of records at a time so that a large archive's export is never whole in memory.
fn write_records_json(
    archive: &Archive,
    config: &SiteConfig,
    related: &Related,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let head = Records {
        version: VERSION,
        site: site_info(config),
        records: Vec::new(),
    };
    let head = serde_json::to_vec_pretty(&head).map_err(std::io::Error::other)?;
    let open = head
        .strip_suffix(b"[]\n}")
        .ok_or_else(|| std::io::Error::other("unexpected JSON layout"))?;
    w.write_all(open)?;
    if archive.records.is_empty() {
        return w.write_all(b"[]\n}\n");
    }
    w.write_all(b"[\n    ")?;
    let first = &archive.records[0];
    stream_batches(&archive.records, w, |at, run| {
        let mut buf = Vec::new();
        for (k, r) in run.iter().enumerate() {
            if !std::ptr::eq(r, first) {
                buf.extend_from_slice(b",\n    ");
            }
            let out = RecordOut {
                related: related_ids(archive, related, at + k),
                ..record(archive, config, r)
            };
            // Nested two levels deep: every line but the first indented.
            let mut json = serde_json::Serializer::with_formatter(&mut buf, Nested::default());
            out.serialize(&mut json).map_err(std::io::Error::other)?;
        }
        Ok(buf)
    })?;
    w.write_all(b"\n  ]\n}\n")
}

/// serde_json's pretty layout (two spaces a level) for a value nested two levels deep: four
/// more spaces after every line break. Written as a formatter rather than a writer that looked
/// for the line breaks in everything written (most of the cost of `records.json` but the
/// escaping, at 100,000 records).
#[derive(Default)]
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    /// A line break and the indentation of the current level.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        let width = 4 + 2 * self.level;
        match SPACES.get(..width) {
            Some(spaces) => w.write_all(spaces),
            None => (0..width).try_for_each(|_| w.write_all(b" ")),
        }
    }

    /// The start of an array or object, one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// Its end, on a line of its own unless it was empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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
    asked: Option<String>,
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
    /// The latest change: the latest dated entry, else `asked`; `None` when no date is known.
    updated: Option<String>,
    entries: Vec<EntryOut<'a>>,
    /// Ids of the related records, most related first (JSON only).
    related: Vec<&'a str>,
}

/// An entry of a record's thread.
#[derive(Serialize)]
struct EntryOut<'a> {
    kind: &'static str,
    date: Option<String>,
    agency: Option<&'a str>,
    from: Option<&'a str>,
    by: Option<&'a str>,
    /// `None` for the current answer, whose text is the record's `answer` (written once).
    text: Option<TextOut<'a>>,
}

/// The ids of the records related to record `i`.
fn related_ids<'a>(archive: &'a Archive, related: &Related, i: usize) -> Vec<&'a str> {
    related
        .of(i)
        .iter()
        .map(|&j| archive.records[j].id.as_str())
        .collect()
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

fn site_info(config: &SiteConfig) -> SiteInfo<'_> {
    SiteInfo {
        title: &config.title,
        base_url: &config.base_url,
        language: config.language.code(),
    }
}

/// The whole `records.json` as one value: what the streamed export must equal (tests).
#[cfg(test)]
fn records<'a>(archive: &'a Archive, config: &'a SiteConfig, related: &Related) -> Records<'a> {
    Records {
        version: VERSION,
        site: site_info(config),
        records: archive
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| RecordOut {
                related: related_ids(archive, related, i),
                ..record(archive, config, r)
            })
            .collect(),
    }
}

fn record<'a>(archive: &'a Archive, config: &SiteConfig, r: &'a Record) -> RecordOut<'a> {
    let current = crate::model::thread::current_answer(&r.entries);
    RecordOut {
        id: &r.id,
        url: config.absolute(&urls::record(&r.id)),
        title: &r.title,
        status: r.status.as_str(),
        asked: r.asked.map(|d| d.to_string()),
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
        updated: r.updated().map(|d| d.to_string()),
        entries: r
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e, Some(i) == current))
            .map(|(e, is_current)| EntryOut {
                kind: e.kind.as_str(),
                date: e.date.map(|d| d.to_string()),
                agency: e.agency.map(|a| archive.agencies[a].id.as_str()),
                from: e.from.map(|a| archive.agencies[a].id.as_str()),
                by: e.by.as_deref(),
                text: (!is_current).then(|| TextOut::new(&e.text)),
            })
            .collect(),
        related: Vec::new(),
    }
}

/// The thread in one CSV cell: `kind date agency` per entry (a forwarding's agency written
/// `from>to`, an unknown date `unknown`, a missing agency `-`), entries joined with `;`.
fn entries_cell(o: &RecordOut) -> String {
    let mut cell = String::new();
    for (i, e) in o.entries.iter().enumerate() {
        if i > 0 {
            cell.push(';');
        }
        cell.push_str(e.kind);
        cell.push(' ');
        cell.push_str(e.date.as_deref().unwrap_or("unknown"));
        cell.push(' ');
        if let Some(from) = e.from {
            cell.push_str(from);
            cell.push('>');
        }
        cell.push_str(e.agency.unwrap_or("-"));
    }
    cell
}

/// One row per record, RFC 4180 (CRLF line ends, quotes doubled), UTF-8 without a byte-order
/// mark. Several topics are joined with `;` (ids never contain it).
#[cfg(test)]
fn csv(archive: &Archive, config: &SiteConfig) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_records_csv(archive, config, &mut out).map_err(|e| Error::io("data/records.csv", e))?;
    Ok(out)
}

fn write_records_csv(
    archive: &Archive,
    config: &SiteConfig,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let writer = || {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new())
    };
    let done = |w: csv::Writer<Vec<u8>>| w.into_inner().map_err(|e| e.into_error());
    let mut head = writer();
    head.write_record(CSV_COLUMNS)?;
    w.write_all(&done(head)?)?;
    stream_batches(&archive.records, w, |_, run| {
        let mut rows = writer();
        for r in run {
            rows.write_record(csv_row(archive, config, r).iter().map(|c| c.as_bytes()))?;
        }
        done(rows)
    })
}

/// A record's CSV row; the texts are borrowed from the archive, not copied (the question and
/// answer are most of a row).
fn csv_row<'a>(archive: &'a Archive, config: &SiteConfig, r: &'a Record) -> [Cow<'a, str>; 21] {
    let o = record(archive, config, r);
    let entries = entries_cell(&o);
    let opt = |s: Option<&'a str>| Cow::Borrowed(s.unwrap_or(""));
    let owned = |s: Option<String>| Cow::Owned(s.unwrap_or_default());
    let asker = o.asker.as_ref();
    [
        Cow::Borrowed(o.id),
        Cow::Owned(o.url),
        Cow::Borrowed(o.title),
        Cow::Borrowed(o.status),
        owned(o.asked),
        owned(o.answered),
        owned(o.days_to_answer.map(|d| d.to_string())),
        opt(asker.map(|a| a.kind)),
        opt(asker.and_then(|a| a.name)),
        opt(asker.and_then(|a| a.place)),
        opt(o.agency),
        opt(r.agency.map(|a| archive.agencies[a].name.as_str())),
        Cow::Owned(o.topics.join(";")),
        opt(o.session),
        opt(o.channel),
        opt(o.answered_by),
        opt(o.source),
        Cow::Borrowed(o.question.markdown),
        opt(o.answer.as_ref().map(|a| a.markdown)),
        owned(o.updated),
        Cow::Owned(entries),
    ]
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

    /// The nested layout is serde_json's pretty one with four more spaces after each line
    /// break, empty lists and maps and deep nesting included.
    #[test]
    fn nested_json_is_pretty_json_indented() {
        let deep = (0..40).fold(serde_json::json!("x\ny"), |v, _| serde_json::json!([v]));
        let value = serde_json::json!({
            "id": "a\"b", "n": 1, "none": null, "list": [], "map": {}, "deep": deep,
            "entries": [{"kind": "answer", "agencies": ["x", "y"]}, {"empty": {}}],
        });
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let mut nested = Vec::new();
        let mut json = serde_json::Serializer::with_formatter(&mut nested, Nested::default());
        value.serialize(&mut json).unwrap();
        assert_eq!(
            String::from_utf8(nested).unwrap(),
            pretty.replace('\n', "\n    ")
        );
    }

    #[test]
    fn schemas_are_json_with_the_current_version() {
        for (name, text) in SCHEMAS {
            let v: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["properties"]["version"]["const"], VERSION, "{name}");
        }
    }

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title = \"T\"\nbase_url = \"https://x.gov.vn/\"\nlanguage = \"vi\"\n",
            "site.toml",
        )
        .unwrap()
    }

    fn record(n: usize) -> Record {
        let text = |s: &str| Text {
            markdown: format!("{s} \"{n}\"\n\n- một\n- hai"),
            html: format!("<p>{s}</p>\n<ul><li>một</li></ul>"),
            plain: s.into(),
        };
        Record {
            asked: Some(jiff::civil::date(2024, 1, 2)),
            channel: Some("hotline".into()),
            status: crate::model::Status::Answered,
            answered: Some(jiff::civil::date(2024, 1, 9)),
            aliases: vec![format!("cu/{n}/")],
            question: text("Hỏi"),
            answer: n.is_multiple_of(2).then(|| text("Đáp")),
            file: format!("content/{n}.md"),
            days_to_answer: Some(5),
            ..Record::test(&format!("2024-{n:03}"), &format!("Câu hỏi số {n}?"))
        }
    }

    /// The export is streamed in parallel batches; its bytes must be those of the whole
    /// document serialised at once, at every size (none, one, and across batch edges).
    #[test]
    fn streamed_exports_equal_whole_serialisation() {
        let config = config();
        for n in [0, 1, 3, 257, BATCH + 1] {
            let archive = Archive {
                records: (0..n).map(record).collect(),
                ..Archive::default()
            };
            // Each record names two others, so a record given its neighbour's list shows.
            let related =
                Related::from_lists((0..n).map(|i| vec![(i + 1) % n, (i + 7) % n]).collect());
            let mut streamed = Vec::new();
            write_records_json(&archive, &config, &related, &mut streamed).unwrap();
            let whole = json(&records(&archive, &config, &related)).unwrap();
            let parsed: serde_json::Value = serde_json::from_slice(&whole).unwrap();
            if n > 0 {
                let last = &parsed["records"][n - 1];
                assert_eq!(last["id"], archive.records[n - 1].id);
                assert_eq!(last["related"][0], archive.records[0].id);
                assert_eq!(last["related"][1], archive.records[6 % n].id);
            }
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{n} records"
            );
            let rows = csv(&archive, &config).unwrap();
            let mut reader = ::csv::Reader::from_reader(rows.as_slice());
            assert_eq!(reader.records().count(), n, "{n} CSV rows");
        }
    }

    #[test]
    fn csv_header_matches_the_columns() {
        let config = config();
        let bytes = csv(&Archive::default(), &config).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("{}\r\n", CSV_COLUMNS.join(","))
        );
    }
}

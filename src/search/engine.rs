//! The tantivy index behind `hoidap search` (and the live preview): tantivy stores the
//! postings and the facets; ranking is [`scoring::rank`], the same as the static client's.
//! [`analyse`] is the one analysis of a record: its documents and the static index's
//! inversion ([`super::invert`]) are both made from it.

use super::abbrev::{Abbreviation, Abbreviations};
use super::analysis::Analyzer;
use super::encode::Posting;
use super::scoring::{self, Field, Plan, TermPostings, impact, record_parts};
use super::snippet::{Snippet, snippet};
use crate::model::Archive;
use crate::text::nfc;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tantivy::collector::Count;
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::query::AllQuery;
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{Token as TvToken, TokenStream, Tokenizer, WhitespaceTokenizer};
use tantivy::{DocAddress, DocSet, Index, IndexReader, TERMINATED, TantivyDocument, Term};

const META_FILE: &str = "hoidap-search.json";
/// Tantivy's indexing arena for both threads: more only means fewer, larger segments, and the
/// export reads them all anyway. (Tantivy asks at least 15 MB a thread.)
const WRITER_MEMORY: usize = 64_000_000;

fn search_err(e: impl std::fmt::Display) -> Error {
    Error::Search(e.to_string())
}

/// What the index knows besides tantivy's data: the averages BM25 normalises with.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    version: u32,
    records: u32,
    avg: [f64; 3],
    /// The abbreviation table the records were analysed with (folded).
    abbreviations: Vec<Abbreviation>,
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::Body => "body",
        Field::Exact => "exact",
        Field::Bigram => "bigram",
    }
}

const LENGTH_FIELDS: [&str; 3] = ["len_weighted", "len_body", "len_bigram"];

fn schema() -> Schema {
    let text = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let mut sb = Schema::builder();
    sb.add_u64_field("ord", FAST | STORED | INDEXED);
    sb.add_text_field("id", STRING | STORED);
    sb.add_text_field("title_text", STORED);
    sb.add_text_field("text", STORED);
    sb.add_text_field("body", text(WORDS));
    sb.add_text_field("title", text(WORDS));
    sb.add_text_field("exact", text(WORDS));
    sb.add_text_field("bigram", text(LINES));
    for f in ["agency", "topic", "year", "status"] {
        sb.add_text_field(f, STRING);
    }
    for f in LENGTH_FIELDS {
        sb.add_u64_field(f, FAST);
    }
    sb.build()
}

fn read_meta(dir: &Path) -> Result<Meta> {
    let meta_path = dir.join(META_FILE);
    let meta_text = std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
    let meta: Meta = serde_json::from_slice(&meta_text).map_err(search_err)?;
    if meta.version != super::static_index::FORMAT_VERSION {
        return Err(Error::Search(
            "the index was written by another version".into(),
        ));
    }
    Ok(meta)
}

/// The text fields receive [`Analyzer`]'s tokens already made, joined by spaces (bigrams,
/// which hold a space, by newlines); tantivy only splits them again. (Its pre-tokenized
/// values go through JSON inside tantivy, which cost more than the indexing itself.)
const WORDS: &str = "hoidap_words";
const LINES: &str = "hoidap_lines";

fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(WORDS, WhitespaceTokenizer::default());
    tokenizers.register(LINES, LineTokenizer::default());
}

/// Each line of the text is a token.
#[derive(Clone, Default)]
struct LineTokenizer {
    token: TvToken,
}

struct LineStream<'a> {
    lines: std::str::Split<'a, char>,
    offset: usize,
    token: &'a mut TvToken,
}

impl Tokenizer for LineTokenizer {
    type TokenStream<'a> = LineStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> LineStream<'a> {
        self.token.reset();
        LineStream {
            lines: text.split('\n'),
            offset: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for LineStream<'_> {
    fn advance(&mut self) -> bool {
        for line in self.lines.by_ref() {
            let from = self.offset;
            self.offset += line.len() + 1;
            if line.is_empty() {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(line);
            self.token.offset_from = from;
            self.token.offset_to = from + line.len();
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &TvToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TvToken {
        self.token
    }
}

fn field(schema: &Schema, name: &str) -> Result<tantivy::schema::Field> {
    schema.get_field(name).map_err(search_err)
}

/// Writes the index into `dir`, replacing what is there. It is written beside under a name
/// of its own, and `before_install` runs on it there (the stamp is written into it), so that
/// writers running at once never read each other's half-written index.
pub fn write(
    archive: &Archive,
    dir: &Path,
    before_install: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp_prefix = format!(
        ".{}.tmp-",
        dir.file_name()
            .map_or("index".into(), |n| n.to_string_lossy())
    );
    remove_leftovers(parent, &tmp_prefix);
    let tmp = parent.join(format!(
        "{tmp_prefix}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let written = fill(archive, &tmp).and_then(|meta| {
        let json = serde_json::to_vec(&meta).map_err(search_err)?;
        let meta_path = tmp.join(META_FILE);
        std::fs::write(&meta_path, json).map_err(|e| Error::io(meta_path, e))?;
        before_install(&tmp)?;
        install(&tmp, dir)
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    written
}

/// Removes the indexes that builds killed before installing theirs left in `parent`
/// (`{prefix}{pid}-{n}`, whose process is gone); those of builds still running stay.
pub(crate) fn remove_leftovers(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id().to_string();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid != me && !crate::publish::output::process_alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Renames a new index into place; the old one is moved aside first and then removed.
fn install(tmp: &Path, dir: &Path) -> Result<()> {
    let old = tmp.with_extension("old");
    let mut tries = 0;
    loop {
        let _ = std::fs::rename(dir, &old);
        match std::fs::rename(tmp, dir) {
            Ok(()) => break,
            // Another build installed its index in between: move that one aside too.
            Err(_) if tries < 3 => tries += 1,
            Err(e) => return Err(Error::io(dir, e)),
        }
        let _ = std::fs::remove_dir_all(&old);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// The fields of [`schema`], looked up once.
struct Fields {
    ord: tantivy::schema::Field,
    id: tantivy::schema::Field,
    title_text: tantivy::schema::Field,
    text: tantivy::schema::Field,
    body: tantivy::schema::Field,
    title: tantivy::schema::Field,
    exact: tantivy::schema::Field,
    bigram: tantivy::schema::Field,
    facets: [tantivy::schema::Field; 4],
    lens: [tantivy::schema::Field; 3],
}

impl Fields {
    fn of(schema: &Schema) -> Result<Fields> {
        let f = |name| field(schema, name);
        Ok(Fields {
            ord: f("ord")?,
            id: f("id")?,
            title_text: f("title_text")?,
            text: f("text")?,
            body: f("body")?,
            title: f("title")?,
            exact: f("exact")?,
            bigram: f("bigram")?,
            facets: [f("agency")?, f("topic")?, f("year")?, f("status")?],
            lens: [
                f(LENGTH_FIELDS[0])?,
                f(LENGTH_FIELDS[1])?,
                f(LENGTH_FIELDS[2])?,
            ],
        })
    }
}

fn fill(archive: &Archive, dir: &Path) -> Result<Meta> {
    let abbr = Abbreviations::new(&mut Analyzer::default(), &archive.abbreviations);
    let schema = schema();
    let index = Index::create_in_dir(dir, schema.clone()).map_err(search_err)?;
    register(&index);
    let fields = Fields::of(&schema)?;
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(2, WRITER_MEMORY)
        .map_err(search_err)?;
    // Queries read every segment anyway; merging them would only cost build time.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    // Documents are analysed on rayon's threads and handed to tantivy's; ordinals are
    // stored, so the order they arrive in does not matter.
    let totals = archive
        .records
        .par_iter()
        .enumerate()
        .map_init(Analyzer::default, |an, (o, r)| {
            let (doc, len) = document(&fields, archive, an, &abbr, o, r);
            writer.add_document(doc).map_err(search_err)?;
            Ok(len.map(u64::from))
        })
        .try_reduce(
            || [0u64; 3],
            |a, b| Ok([a[0] + b[0], a[1] + b[1], a[2] + b[2]]),
        )?;
    writer.commit().map_err(search_err)?;
    writer.wait_merging_threads().map_err(search_err)?;
    let n = archive.records.len().max(1) as f64;
    Ok(Meta {
        version: super::static_index::FORMAT_VERSION,
        records: archive.records.len() as u32,
        avg: totals.map(|t| t as f64 / n),
        abbreviations: abbr.list,
    })
}

fn push_token(text: &mut String, separator: char, token: &str) {
    if !text.is_empty() {
        text.push(separator);
    }
    text.push_str(token);
}

/// The pre-tokenized text fields of one record (see [`WORDS`]) and its three lengths: the
/// title-weighted number of syllables, the plain number, the number of bigrams. The one
/// analysis of a record: the tantivy document and the static index are both made from it.
#[derive(Default)]
pub struct Analysed {
    /// Folded syllables of all parts, and the short form of each abbreviation written long
    /// (after its part's syllables; not counted in the lengths).
    pub body: String,
    /// Folded syllables of the title, and its abbreviations' short forms.
    pub title: String,
    /// Syllables with their diacritics, where they have any.
    pub marked: String,
    /// Adjacent folded syllables within a part, one pair a line.
    pub grams: String,
    pub len: [u32; 3],
}

/// Analyses a record's NFC parts (title, question, answer) straight into its fields, with
/// the analyzer's borrowed tokens: nothing is allocated per token.
pub fn analyse(
    an: &mut Analyzer,
    abbr: &Abbreviations,
    parts: &[std::borrow::Cow<str>; 3],
) -> Analysed {
    let mut a = Analysed::default();
    let mut shorts: Vec<String> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let weight = if i == 0 { scoring::TITLE_WEIGHT } else { 1 };
        let start = a.body.len();
        // Where the part's previous folded syllable starts in `body`, which ends with it.
        let mut previous: Option<usize> = None;
        an.each_token(part, |t| {
            a.len[0] += weight;
            a.len[1] += 1;
            if let Some(p) = previous {
                a.len[2] += 1;
                push_token(&mut a.grams, '\n', &a.body[p..]);
                a.grams.push(' ');
                a.grams.push_str(t.folded);
            }
            if i == 0 {
                push_token(&mut a.title, ' ', t.folded);
            }
            // The exact field only ever answers syllables written with diacritics.
            if t.exact != t.folded {
                push_token(&mut a.marked, ' ', t.exact);
            }
            push_token(&mut a.body, ' ', t.folded);
            previous = Some(a.body.len() - t.folded.len());
        });
        if previous.is_some() {
            shorts.clear();
            let syllables: Vec<&str> = a.body[start..].trim_start().split(' ').collect();
            abbr.matches(&syllables, |_, _, short| shorts.push(short.to_string()));
            for short in &shorts {
                push_token(&mut a.body, ' ', short);
                if i == 0 {
                    push_token(&mut a.title, ' ', short);
                }
            }
        }
    }
    a
}

/// One record as a tantivy document, analysed once: every text field is pre-tokenized from
/// the same tokens. Returns it with the record's three lengths.
fn document(
    f: &Fields,
    archive: &Archive,
    an: &mut Analyzer,
    abbr: &Abbreviations,
    o: usize,
    r: &crate::model::Record,
) -> (TantivyDocument, [u32; 3]) {
    let parts = record_parts(r).map(nfc);
    let analysed = analyse(an, abbr, &parts);
    let len = analysed.len;
    (assemble(f, archive, o, r, &parts, analysed), len)
}

/// The document of record `r` at ordinal `o`, whose texts `parts` are analysed.
fn assemble(
    f: &Fields,
    archive: &Archive,
    o: usize,
    r: &crate::model::Record,
    parts: &[std::borrow::Cow<str>; 3],
    analysed: Analysed,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_u64(f.ord, o as u64);
    doc.add_text(f.id, &r.id);
    doc.add_text(f.title_text, &r.title);
    doc.add_text(f.text, format!("{}\n{}", parts[1], parts[2]));
    doc.add_text(f.body, analysed.body);
    doc.add_text(f.title, analysed.title);
    doc.add_text(f.exact, analysed.marked);
    doc.add_text(f.bigram, analysed.grams);
    for (slot, l) in analysed.len.iter().enumerate() {
        doc.add_u64(f.lens[slot], u64::from(*l));
    }
    let [agency, topic, year, status] = f.facets;
    // Under every agency that took part in its thread, as the agency pages (and the static
    // index's agency sets, made from them) list it.
    for &a in &r.participants {
        doc.add_text(agency, &archive.agencies[a].id);
    }
    for &t in &r.topics {
        doc.add_text(topic, &archive.topics[t].id);
    }
    if let Some(y) = r.year() {
        doc.add_text(year, y.to_string());
    }
    doc.add_text(status, r.status.as_str());
    doc
}

fn read_postings(
    seg: &tantivy::SegmentReader,
    f: tantivy::schema::Field,
    text: &str,
) -> Result<Option<tantivy::postings::SegmentPostings>> {
    let term = Term::from_field_text(f, text);
    seg.inverted_index(f)
        .map_err(search_err)?
        .read_postings(&term, IndexRecordOption::WithFreqs)
        .map_err(search_err)
}

/// How a segment's document ids map to what scoring needs.
struct DocValues<'a> {
    ord: &'a dyn Fn(tantivy::DocId) -> u32,
    /// The length of the field being scored.
    len: &'a dyn Fn(tantivy::DocId) -> u32,
}

/// Where a term is in one segment: what [`segment_impacts`] reads.
struct SegmentTerm<'a> {
    seg: &'a tantivy::SegmentReader,
    inverted: &'a tantivy::InvertedIndexReader,
    info: &'a tantivy::postings::TermInfo,
    text: &'a str,
}

/// The title field, whose frequencies count extra in the body field's (see [`impacts`]).
fn title_of(schema: &Schema, f: Field) -> Result<Option<tantivy::schema::Field>> {
    match f {
        Field::Body => field(schema, "title").map(Some),
        _ => Ok(None),
    }
}

/// Appends one segment's postings of a term, as (ordinal, impact); `title` as [`title_of`].
fn segment_impacts(
    at: &SegmentTerm,
    title: Option<tantivy::schema::Field>,
    docs: &DocValues,
    avg: f64,
    out: &mut Vec<Posting>,
) -> Result<()> {
    debug_assert!(
        at.seg.alive_bitset().is_none(),
        "no document is ever deleted"
    );
    let titles = match title {
        Some(title) => title_freqs(at.seg, title, at.text)?,
        None => Vec::new(),
    };
    let postings = at
        .inverted
        .read_postings_from_terminfo(at.info, IndexRecordOption::WithFreqs)
        .map_err(search_err)?;
    impacts(postings, &titles, docs, avg, out);
    Ok(())
}

/// A term's title frequencies in a segment, by document id (ascending).
fn title_freqs(
    seg: &tantivy::SegmentReader,
    title: tantivy::schema::Field,
    text: &str,
) -> Result<Vec<(tantivy::DocId, u32)>> {
    let mut out = Vec::new();
    if let Some(mut tp) = read_postings(seg, title, text)? {
        let mut doc = tp.doc();
        while doc != TERMINATED {
            out.push((doc, tp.term_freq()));
            doc = tp.advance();
        }
    }
    Ok(out)
}

/// Appends one segment's postings of a term, as (ordinal, impact). Body frequencies count
/// title syllables `TITLE_WEIGHT` times (the body field holds them once). The index is
/// always written whole, so no document in it is deleted.
fn impacts(
    mut postings: tantivy::postings::SegmentPostings,
    titles: &[(tantivy::DocId, u32)],
    docs: &DocValues,
    avg: f64,
    out: &mut Vec<Posting>,
) {
    let mut t = 0;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        while t < titles.len() && titles[t].0 < doc {
            t += 1;
        }
        let in_title = titles.get(t).filter(|x| x.0 == doc).map_or(0, |x| x.1);
        let tf = postings.term_freq() + in_title * (scoring::TITLE_WEIGHT - 1);
        out.push(((docs.ord)(doc), impact(tf, (docs.len)(doc), avg)));
        doc = postings.advance();
    }
}

/// The folded syllables of the body field with their numbers of records (what
/// `search/vocab.txt` publishes), merged over the segments.
fn vocabulary(
    inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>],
) -> Result<super::correct::Vocabulary> {
    let streams = inverted
        .iter()
        .map(|i| i.terms().stream().map_err(search_err))
        .collect::<Result<Vec<_>>>()?;
    let mut merger = tantivy::termdict::TermMerger::new(streams);
    let mut terms: Vec<(String, u32)> = Vec::new();
    while merger.advance() {
        if let Ok(term) = std::str::from_utf8(merger.key()) {
            let df = merger
                .current_segment_ords_and_term_infos()
                .map(|(_, info)| info.doc_freq)
                .sum();
            terms.push((term.to_string(), df));
        }
    }
    Ok(super::correct::Vocabulary::new(
        terms.iter().map(|(t, n)| (t.as_str(), *n)),
    ))
}

/// A search: the text and the filters (ids as in the content; all must match).
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub agency: Option<String>,
    pub topic: Option<String>,
    pub year: Option<i16>,
    pub status: Option<String>,
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// The page path, relative to the site root (`records/<id>/`).
    pub path: String,
    pub score: f64,
    pub snippet: Snippet,
}

#[derive(Debug, Clone, Default)]
pub struct Results {
    /// Records that hold at least one word of the query (under the filters).
    pub total: usize,
    /// Of those, the records that hold every word: they come first.
    pub all_words: usize,
    pub hits: Vec<Hit>,
    /// The query as searched instead, when syllables of it matched nothing and were
    /// corrected ([`super::correct`]).
    pub corrected: Option<String>,
}

/// An opened index, for several queries.
pub struct Searcher {
    reader: IndexReader,
    schema: Schema,
    meta: Meta,
    analyzer: Analyzer,
    abbr: Abbreviations,
}

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher> {
        let meta = read_meta(dir)?;
        let index = Index::open_in_dir(dir).map_err(search_err)?;
        register(&index);
        let reader = index.reader().map_err(search_err)?;
        let mut s = Searcher {
            schema: index.schema(),
            reader,
            analyzer: Analyzer::default(),
            abbr: Abbreviations::default(),
            meta,
        };
        // Only the abbreviations the archive has, as the static index keeps them.
        let mut kept = Vec::new();
        for a in &s.meta.abbreviations {
            if s.term_postings(Field::Body, &a.short)?.is_some() {
                kept.push(a.clone());
            }
        }
        s.abbr = Abbreviations::from_list(kept);
        Ok(s)
    }

    pub fn query(&mut self, q: &Query) -> Result<Results> {
        // Correction is the rewriting step in front of the one query analysis.
        let corrected = self.correct(&q.text)?.map(|r| r.text);
        let text = corrected.as_deref().unwrap_or(&q.text);
        let whole = scoring::plan(&mut self.analyzer, &self.abbr, text);
        let all = whole
            .features
            .iter()
            .map(|f| self.term_postings(f.field, &f.term))
            .collect::<Result<Vec<_>>>()?;
        let df = |i: usize| all[i].as_ref().map(|t| t.df);
        let (plan, kept) = scoring::prune(&whole, df, u64::from(self.meta.records));
        let terms: Vec<Option<TermPostings>> = kept.iter().map(|&i| all[i].clone()).collect();
        let allowed = self.allowed(q)?;
        let ranked = scoring::rank(&plan, &terms, allowed.as_deref());
        let total = ranked.hits.len();
        let top: Vec<(u32, u64)> = ranked.hits.into_iter().take(q.limit).collect();
        let hits = self.load_hits(&plan, &top)?;
        Ok(Results {
            total,
            all_words: ranked.all_words,
            hits,
            corrected,
        })
    }

    /// `text` with the syllables the archive lacks corrected ([`super::correct::rewrite`]),
    /// or `None` when every syllable is known or none could be corrected.
    pub fn correct(&mut self, text: &str) -> Result<Option<super::correct::Rewritten>> {
        let searcher = self.reader.searcher();
        let body = field(&self.schema, field_name(Field::Body))?;
        let inverted = searcher
            .segment_readers()
            .iter()
            .map(|s| s.inverted_index(body).map_err(search_err))
            .collect::<Result<Vec<_>>>()?;
        let exact = field(&self.schema, field_name(Field::Exact))?;
        let exact_inverted = searcher
            .segment_readers()
            .iter()
            .map(|s| s.inverted_index(exact).map_err(search_err))
            .collect::<Result<Vec<_>>>()?;
        let has = |inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>], term: Term| {
            for i in inverted {
                if i.get_term_info(&term).map_err(search_err)?.is_some() {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        let known = |folded: &str| has(&inverted, Term::from_field_text(body, folded));
        let written = |marked: &str| has(&exact_inverted, Term::from_field_text(exact, marked));
        super::correct::rewrite(&mut self.analyzer, text, known, written, || {
            vocabulary(&inverted)
        })
    }

    /// A term's postings over all segments, with the same impacts and cap as the static index.
    pub fn term_postings(&self, f: Field, text: &str) -> Result<Option<TermPostings>> {
        let searcher = self.reader.searcher();
        let main = field(&self.schema, field_name(f))?;
        let title = title_of(&self.schema, f)?;
        let slot = f.length_slot();
        let mut all = Vec::new();
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(main).map_err(search_err)?;
            let term = Term::from_field_text(main, text);
            let Some(info) = inverted.get_term_info(&term).map_err(search_err)? else {
                continue;
            };
            let ords = seg.fast_fields().u64("ord").map_err(search_err)?;
            let lens = seg
                .fast_fields()
                .u64(LENGTH_FIELDS[slot])
                .map_err(search_err)?;
            let docs = DocValues {
                ord: &|d| ords.first(d).unwrap_or(0) as u32,
                len: &|d| lens.first(d).unwrap_or(0) as u32,
            };
            let at = SegmentTerm {
                seg,
                inverted: &inverted,
                info: &info,
                text,
            };
            segment_impacts(&at, title, &docs, self.meta.avg[slot], &mut all)?;
        }
        if all.is_empty() {
            return Ok(None);
        }
        Ok(Some(TermPostings::of(u64::from(self.meta.records), f, all)))
    }

    /// The ordinals the filters allow, or `None` without filters.
    fn allowed(&self, q: &Query) -> Result<Option<Vec<bool>>> {
        let year = q.year.map(|y| y.to_string());
        let filters = [
            ("agency", q.agency.as_deref()),
            ("topic", q.topic.as_deref()),
            ("year", year.as_deref()),
            ("status", q.status.as_deref()),
        ];
        let mut allowed: Option<Vec<bool>> = None;
        for (name, value) in filters {
            let Some(value) = value else { continue };
            let set = self.ords_with(name, value)?;
            allowed = Some(match allowed {
                None => set,
                Some(prev) => prev.iter().zip(&set).map(|(a, b)| *a && *b).collect(),
            });
        }
        Ok(allowed)
    }

    fn ords_with(&self, name: &str, value: &str) -> Result<Vec<bool>> {
        let searcher = self.reader.searcher();
        let f = field(&self.schema, name)?;
        let term = Term::from_field_text(f, value);
        let mut set = vec![false; self.meta.records as usize];
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(f).map_err(search_err)?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(search_err)?
            else {
                continue;
            };
            let ords = seg.fast_fields().u64("ord").map_err(search_err)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let Some(slot) = ords.first(doc).and_then(|o| set.get_mut(o as usize)) {
                    *slot = true;
                }
                doc = postings.advance();
            }
        }
        Ok(set)
    }

    fn load_hits(&mut self, plan: &Plan, top: &[(u32, u64)]) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let mut addresses: Vec<Option<DocAddress>> = vec![None; top.len()];
        for (s, seg) in searcher.segment_readers().iter().enumerate() {
            let ords: Column<u64> = seg.fast_fields().u64("ord").map_err(search_err)?;
            for doc in 0..seg.max_doc() {
                let Some(o) = ords.first(doc) else { continue };
                if let Some(i) = top.iter().position(|t| u64::from(t.0) == o) {
                    addresses[i] = Some(DocAddress::new(s as u32, doc));
                }
            }
        }
        let f = |name| field(&self.schema, name);
        let (id, title, text) = (f("id")?, f("title_text")?, f("text")?);
        let mut hits = Vec::with_capacity(top.len());
        for (addr, &(_, score)) in addresses.into_iter().zip(top) {
            let Some(addr) = addr else { continue };
            let doc: TantivyDocument = searcher.doc(addr).map_err(search_err)?;
            let get = |fl| {
                doc.get_first(fl)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let id = get(id);
            let body = get(text);
            hits.push(Hit {
                path: crate::urls::record(&id),
                id,
                title: get(title),
                score: scoring::display_score(score),
                snippet: snippet(&mut self.analyzer, &body, &plan.marks),
            });
        }
        Ok(hits)
    }

    /// Records in the index.
    pub fn len(&self) -> Result<usize> {
        let searcher = self.reader.searcher();
        searcher.search(&AllQuery, &Count).map_err(search_err)
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::{Token, bigrams, exact_analyzer, folded_analyzer};
    use tantivy::Document;

    /// The analysis as tantivy's own analyzers give it, independent of [`Analyzer`].
    fn tantivy_tokens(text: &str) -> Vec<Token> {
        let (mut exact, mut folded) = (exact_analyzer(), folded_analyzer());
        let (mut exact, mut folded) = (exact.token_stream(text), folded.token_stream(text));
        let mut out = Vec::new();
        while exact.advance() && folded.advance() {
            let (e, f) = (exact.token(), folded.token());
            out.push(Token {
                exact: e.text.clone(),
                folded: f.text.clone(),
                from: e.offset_from,
                to: e.offset_to,
            });
        }
        assert!(!exact.advance() && !folded.advance());
        out
    }

    /// [`analyse`] as it was written before, over tantivy's analyzers: `Token`s and
    /// `format!`ed bigrams. The documents must not change.
    fn analysed_before(parts: &[std::borrow::Cow<str>; 3]) -> Analysed {
        let mut a = Analysed::default();
        for (i, part) in parts.iter().enumerate() {
            let toks = tantivy_tokens(part);
            let weight = if i == 0 { scoring::TITLE_WEIGHT } else { 1 };
            a.len[0] += weight * toks.len() as u32;
            a.len[1] += toks.len() as u32;
            for g in bigrams(&toks) {
                a.len[2] += 1;
                push_token(&mut a.grams, '\n', &g);
            }
            for t in &toks {
                if i == 0 {
                    push_token(&mut a.title, ' ', &t.folded);
                }
                if t.exact != t.folded {
                    push_token(&mut a.marked, ' ', &t.exact);
                }
                push_token(&mut a.body, ' ', &t.folded);
            }
        }
        a
    }

    /// The example site's records, and a few with odd texts: empty or one-syllable parts,
    /// letters whose lower case is longer, NFD text.
    fn records() -> Archive {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut archive = crate::build::load_site(root).unwrap().archive;
        assert!(archive.records.len() > 50);
        let odd = [
            ("", "", None),
            ("Thuế", "phí", Some("ĐÚNG")),
            (
                "İSTANBUL ß ǅ ﬁ ΣΑΣ",
                "đo\u{302}\u{301}i 😀 中文",
                Some(" ,. "),
            ),
        ];
        for (title, question, answer) in odd {
            let mut r = archive.records[0].clone();
            r.title = title.into();
            r.question.plain = question.into();
            r.answer = answer.map(|a| crate::model::Text {
                plain: a.into(),
                ..crate::model::Text::default()
            });
            archive.records.push(r);
        }
        archive
    }

    #[test]
    fn documents_are_what_they_were() {
        let archive = records();
        let schema = schema();
        let fields = Fields::of(&schema).unwrap();
        let mut an = Analyzer::default();
        for (o, r) in archive.records.iter().enumerate() {
            let (doc, len) = document(&fields, &archive, &mut an, &Abbreviations::default(), o, r);
            let parts = record_parts(r).map(nfc);
            let before = analysed_before(&parts);
            assert_eq!(len, before.len, "{}", r.id);
            let want = assemble(&fields, &archive, o, r, &parts, before);
            assert_eq!(doc.to_json(&schema), want.to_json(&schema), "{}", r.id);
        }
    }
}

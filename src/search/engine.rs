//! The tantivy index behind `hoidap search` (and the live preview): tantivy stores the
//! postings and the facets; ranking is [`scoring::rank`], the same as the static client's.

use super::analysis::{self, Analyzer, bigrams};
use super::scoring::{self, Field, Plan, TermPostings, cap, idf_q, impact, record_parts};
use super::snippet::{Snippet, snippet};
use crate::model::Archive;
use crate::text::nfc;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tantivy::collector::Count;
use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::query::AllQuery;
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{PreTokenizedString, Token as TvToken};
use tantivy::{DocAddress, DocSet, Index, IndexReader, TERMINATED, TantivyDocument, Term};

const META_FILE: &str = "hoidap-search.json";
const WRITER_MEMORY: usize = 200_000_000;

fn search_err(e: impl std::fmt::Display) -> Error {
    Error::Search(e.to_string())
}

/// What the index knows besides tantivy's data: the averages BM25 normalises with.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    version: u32,
    records: u32,
    avg: [f64; 3],
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
    sb.add_text_field("body", text(analysis::FOLDED));
    sb.add_text_field("title", text(analysis::FOLDED));
    sb.add_text_field("exact", text(analysis::EXACT));
    sb.add_text_field("bigram", text("raw"));
    for f in ["agency", "topic", "year", "status"] {
        sb.add_text_field(f, STRING);
    }
    for f in LENGTH_FIELDS {
        sb.add_u64_field(f, FAST);
    }
    sb.build()
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register(analysis::FOLDED, analysis::folded_analyzer());
    index
        .tokenizers()
        .register(analysis::EXACT, analysis::exact_analyzer());
}

fn field(schema: &Schema, name: &str) -> Result<tantivy::schema::Field> {
    schema.get_field(name).map_err(search_err)
}

/// Writes the index into `dir`, replacing what is there (written beside, then renamed).
pub fn write(archive: &Archive, dir: &Path) -> Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = parent.join(format!(
        ".{}.tmp-{}",
        dir.file_name()
            .map_or("index".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let meta = fill(archive, &tmp)?;
    let json = serde_json::to_vec(&meta).map_err(search_err)?;
    let meta_path = tmp.join(META_FILE);
    std::fs::write(&meta_path, json).map_err(|e| Error::io(meta_path, e))?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::rename(&tmp, dir).map_err(|e| Error::io(dir, e))
}

fn fill(archive: &Archive, dir: &Path) -> Result<Meta> {
    let schema = schema();
    let index = Index::create_in_dir(dir, schema.clone()).map_err(search_err)?;
    register(&index);
    let f = |name| field(&schema, name);
    let (ord, id, title_text, text) = (f("ord")?, f("id")?, f("title_text")?, f("text")?);
    let (body, title, exact, bigram) = (f("body")?, f("title")?, f("exact")?, f("bigram")?);
    let (agency, topic, year, status) = (f("agency")?, f("topic")?, f("year")?, f("status")?);
    let lens = [
        f(LENGTH_FIELDS[0])?,
        f(LENGTH_FIELDS[1])?,
        f(LENGTH_FIELDS[2])?,
    ];
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(2, WRITER_MEMORY)
        .map_err(search_err)?;
    // Queries read every segment anyway; merging them would only cost build time.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut an = Analyzer::default();
    let mut totals = [0u64; 3];
    for (o, r) in archive.records.iter().enumerate() {
        let parts = record_parts(r).map(nfc);
        let mut doc = TantivyDocument::new();
        doc.add_u64(ord, o as u64);
        doc.add_text(id, &r.id);
        doc.add_text(title_text, &r.title);
        doc.add_text(text, format!("{}\n{}", parts[1], parts[2]));
        doc.add_text(title, &parts[0]);
        let mut len = [0u32; 3];
        for (i, part) in parts.iter().enumerate() {
            doc.add_text(body, part);
            let toks = an.tokens_nfc(part);
            // The exact field only ever answers syllables written with diacritics; the
            // tokens come from the same analysis (hoidap_exact) already run for the bigrams.
            let marked = toks.iter().filter(|t| t.exact != t.folded);
            doc.add_pre_tokenized_text(
                exact,
                pre_tokenized(marked.map(|t| t.exact.clone()).collect()),
            );
            let weight = if i == 0 { scoring::TITLE_WEIGHT } else { 1 };
            len[0] += weight * toks.len() as u32;
            len[1] += toks.len() as u32;
            let grams: Vec<String> = bigrams(&toks).collect();
            len[2] += grams.len() as u32;
            doc.add_pre_tokenized_text(bigram, pre_tokenized(grams));
        }
        for (slot, l) in len.iter().enumerate() {
            doc.add_u64(lens[slot], u64::from(*l));
            totals[slot] += u64::from(*l);
        }
        if let Some(a) = r.agency {
            doc.add_text(agency, &archive.agencies[a].id);
        }
        for &t in &r.topics {
            doc.add_text(topic, &archive.topics[t].id);
        }
        doc.add_text(year, r.year().to_string());
        doc.add_text(status, r.status.as_str());
        writer.add_document(doc).map_err(search_err)?;
    }
    writer.commit().map_err(search_err)?;
    writer.wait_merging_threads().map_err(search_err)?;
    let n = archive.records.len().max(1) as f64;
    Ok(Meta {
        version: super::static_index::FORMAT_VERSION,
        records: archive.records.len() as u32,
        avg: totals.map(|t| t as f64 / n),
    })
}

fn pre_tokenized(grams: Vec<String>) -> PreTokenizedString {
    let tokens = grams
        .iter()
        .enumerate()
        .map(|(i, g)| TvToken {
            offset_from: 0,
            offset_to: 0,
            position: i,
            text: g.clone(),
            position_length: 1,
        })
        .collect();
    PreTokenizedString {
        text: String::new(),
        tokens,
    }
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
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// An opened index, for several queries.
pub struct Searcher {
    reader: IndexReader,
    schema: Schema,
    meta: Meta,
    analyzer: Analyzer,
}

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher> {
        let meta_path = dir.join(META_FILE);
        let meta_text = std::fs::read(&meta_path).map_err(|e| Error::io(&meta_path, e))?;
        let meta: Meta = serde_json::from_slice(&meta_text).map_err(search_err)?;
        if meta.version != super::static_index::FORMAT_VERSION {
            return Err(Error::Search(
                "the index was written by another version".into(),
            ));
        }
        let index = Index::open_in_dir(dir).map_err(search_err)?;
        register(&index);
        let reader = index.reader().map_err(search_err)?;
        Ok(Searcher {
            schema: index.schema(),
            reader,
            meta,
            analyzer: Analyzer::default(),
        })
    }

    pub fn query(&mut self, q: &Query) -> Result<Results> {
        let plan = scoring::plan(&mut self.analyzer, &q.text);
        let terms = plan
            .features
            .iter()
            .map(|f| self.term_postings(f.field, &f.term))
            .collect::<Result<Vec<_>>>()?;
        let allowed = self.allowed(q)?;
        let hits = scoring::rank(&plan, &terms, allowed.as_deref());
        let total = hits.len();
        let top: Vec<(u32, u64)> = hits.into_iter().take(q.limit).collect();
        let hits = self.load_hits(&plan, &top)?;
        Ok(Results { total, hits })
    }

    /// A term's postings over all segments, with the same impacts and cap as the static index.
    pub fn term_postings(&self, f: Field, text: &str) -> Result<Option<TermPostings>> {
        let searcher = self.reader.searcher();
        let main = field(&self.schema, field_name(f))?;
        let title = field(&self.schema, "title")?;
        let slot = f.length_slot();
        let mut all = Vec::new();
        for seg in searcher.segment_readers() {
            let Some(mut postings) = read_postings(seg, main, text)? else {
                continue;
            };
            // Body frequencies count title syllables TITLE_WEIGHT times (the body holds them once).
            let mut in_title = std::collections::HashMap::new();
            if f == Field::Body
                && let Some(mut tp) = read_postings(seg, title, text)?
            {
                let mut doc = tp.doc();
                while doc != TERMINATED {
                    in_title.insert(doc, tp.term_freq());
                    doc = tp.advance();
                }
            }
            let ords = seg.fast_fields().u64("ord").map_err(search_err)?;
            let lens = seg
                .fast_fields()
                .u64(LENGTH_FIELDS[slot])
                .map_err(search_err)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let ord = ords.first(doc).unwrap_or(0) as u32;
                let len = lens.first(doc).unwrap_or(0) as u32;
                let extra = in_title
                    .get(&doc)
                    .map_or(0, |t| t * (scoring::TITLE_WEIGHT - 1));
                let tf = postings.term_freq() + extra;
                all.push((ord, impact(tf, len, self.meta.avg[slot])));
                doc = postings.advance();
            }
        }
        if all.is_empty() {
            return Ok(None);
        }
        let df = all.len() as u64;
        Ok(Some(TermPostings {
            idf_q: idf_q(u64::from(self.meta.records), df),
            postings: cap(all),
        }))
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
                snippet: snippet(&mut self.analyzer, &body, &plan.words),
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

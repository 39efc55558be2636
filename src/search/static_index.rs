//! The static index under `search/` in the published site, read by `search.js`.
//!
//! Layout (all integers LEB128 varints unless said otherwise):
//! - `index.json`: counts, shard and pack numbers, facet values with their counts;
//! - `d/<shard>.bin`: a dictionary shard: the terms whose key hashes (FNV-1a) to it, each with
//!   its field, idf and either its postings inline (short lists) or their place in the pack;
//! - `p/<pack>.bin`: postings of the shards `s` with `s % packs == pack`, read with HTTP
//!   range requests so that a query downloads only its own terms' lists;
//! - `t/<n>.bin`: one JSON object per record (title, date, agency, status, excerpt) in a
//!   fixed slot of `SLOT` bytes (padded with spaces), `PER_FILE` records a file, so that a
//!   hit is one range read at a computed offset;
//! - `f/<facet>/<value>.bin`: the set of records of each agency, topic, year and status.

use super::analysis::Analyzer;
use super::encode::{Posting, encode_postings, encode_set, put_varint, shard_of};
use super::scoring::{Field, cap, doc_terms, idf_q, impact, record_parts};
use crate::model::Archive;
use crate::publish::Output;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Bytes per record in the `t/` files.
pub const SLOT: usize = 768;
/// Records per `t/` file.
pub const PER_FILE: usize = 8192;
/// Posting lists up to this many bytes live in the dictionary itself.
pub const INLINE: usize = 16;
/// Aim for dictionary shards about this size.
const SHARD_TARGET: usize = 1_000;
const MAX_SHARDS: usize = 1024;
/// Keep each pack under this size, so a host without range requests costs a bounded download.
const PACK_TARGET: usize = 8 << 20;
/// Characters of question and answer kept for snippets.
pub const EXCERPT_CHARS: usize = 600;
pub const FORMAT_VERSION: u32 = 2;

/// Every term of the archive with its document frequency and capped postings.
#[derive(Debug, Default)]
pub struct Inverted {
    pub n: u32,
    /// Average lengths: body, title, bigrams.
    pub avg: [f64; 3],
    pub terms: HashMap<(Field, String), (u32, Vec<Posting>)>,
}

/// Postings before their impacts are known: (ordinal, term frequency).
type RawPostings = HashMap<(Field, String), Vec<(u32, u32)>>;
/// Each record's lengths by ordinal, and the raw postings, of a part of the archive.
type Partial = (Vec<(u32, [u32; 3])>, RawPostings);

/// Analyses every record (in parallel) and inverts. Each record's terms go straight into
/// per-thread postings, so the term maps of all records are never in memory at once (at
/// 100,000 records they took gigabytes), and the inversion is not a serial loop.
pub fn invert(archive: &Archive) -> Inverted {
    let n = archive.records.len();
    let (lengths, raw): Partial = archive
        .records
        .par_iter()
        .enumerate()
        .with_min_len(256)
        .fold(
            || (Analyzer::default(), Vec::new(), RawPostings::new()),
            |(mut an, mut lengths, mut raw), (ord, r)| {
                let d = doc_terms(&mut an, record_parts(r));
                lengths.push((ord as u32, d.lengths));
                for (key, tf) in d.terms {
                    raw.entry(key).or_default().push((ord as u32, tf));
                }
                (an, lengths, raw)
            },
        )
        .map(|(_, lengths, raw)| (lengths, raw))
        .reduce(|| (Vec::new(), RawPostings::new()), merge);
    let mut by_ord = vec![[0u32; 3]; n];
    for (ord, l) in lengths {
        by_ord[ord as usize] = l;
    }
    let mut avg = [0.0; 3];
    for (slot, a) in avg.iter_mut().enumerate() {
        let total: u64 = by_ord.iter().map(|l| u64::from(l[slot])).sum();
        *a = total as f64 / n.max(1) as f64;
    }
    let terms = raw
        .into_par_iter()
        .map(|((field, term), list)| {
            let slot = field.length_slot();
            let postings: Vec<Posting> = list
                .into_iter()
                .map(|(ord, tf)| (ord, impact(tf, by_ord[ord as usize][slot], avg[slot])))
                .collect();
            let df = postings.len() as u32;
            // `cap` orders by ordinal, so the order postings were gathered in does not matter.
            ((field, term), (df, cap(postings)))
        })
        .collect();
    Inverted {
        n: n as u32,
        avg,
        terms,
    }
}

/// Joins two parts: the smaller map moves into the larger.
fn merge(a: Partial, b: Partial) -> Partial {
    let (mut lengths, mut big, small) = if a.1.len() >= b.1.len() {
        (a.0, a.1, b)
    } else {
        (b.0, b.1, a)
    };
    lengths.extend(small.0);
    for (key, list) in small.1 {
        big.entry(key).or_default().extend(list);
    }
    (lengths, big)
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    records: u32,
    shards: u32,
    packs: u32,
    inline: usize,
    slot: usize,
    per_file: usize,
}

#[derive(Serialize)]
struct DocLine<'a> {
    id: &'a str,
    title: &'a str,
    agency: &'a str,
    date: String,
    status: &'a str,
    text: &'a str,
}

type TermEntry<'a> = (&'a (Field, String), &'a (u32, Vec<Posting>));

/// Writes the whole static index into `search/` of the output.
pub fn write(archive: &Archive, out: &Output) -> Result<()> {
    let inv = invert(archive);
    let write = |rel: String, data: &[u8]| out.write(&rel, data).map_err(|e| Error::io(rel, e));

    let mut entries: Vec<TermEntry> = inv.terms.iter().collect();
    entries.sort_by(|a, b| a.0.1.cmp(&b.0.1).then(a.0.0.cmp(&b.0.0)));
    let encoded: Vec<Vec<u8>> = entries
        .par_iter()
        .map(|(_, (_, p))| encode_postings(p))
        .collect();
    let dict_bytes: usize = entries
        .iter()
        .zip(&encoded)
        .map(|(((_, t), _), e)| t.len() + 6 + if e.len() <= INLINE { e.len() } else { 4 })
        .sum();
    let shards = (dict_bytes / SHARD_TARGET)
        .clamp(1, MAX_SHARDS)
        .next_power_of_two() as u32;
    let shards = shards.min(MAX_SHARDS as u32);
    let pack_bytes: usize = encoded
        .iter()
        .filter(|e| e.len() > INLINE)
        .map(Vec::len)
        .sum();
    let packs = (pack_bytes.div_ceil(PACK_TARGET)).clamp(1, shards as usize) as u32;

    let mut dicts: Vec<Vec<u8>> = vec![Vec::new(); shards as usize];
    let mut counts = vec![0u64; shards as usize];
    let mut pack_data: Vec<Vec<u8>> = vec![Vec::new(); packs as usize];
    let mut an = Analyzer::default();
    for (((field, term), (df, _)), postings) in entries.iter().zip(&encoded) {
        let key = match field {
            Field::Exact => an.fold(term),
            _ => term.clone(),
        };
        let s = shard_of(&key, shards) as usize;
        let d = &mut dicts[s];
        counts[s] += 1;
        put_varint(d, term.len() as u64);
        d.extend_from_slice(term.as_bytes());
        d.push(*field as u8);
        put_varint(d, idf_q(u64::from(inv.n), u64::from(*df)));
        put_varint(d, postings.len() as u64);
        if postings.len() <= INLINE {
            d.extend_from_slice(postings);
        } else {
            let pack = &mut pack_data[s % packs as usize];
            put_varint(d, pack.len() as u64);
            pack.extend_from_slice(postings);
        }
    }
    for (s, (d, count)) in dicts.iter().zip(counts).enumerate() {
        let mut file = Vec::with_capacity(d.len() + 4);
        put_varint(&mut file, count);
        file.extend_from_slice(d);
        write(format!("search/d/{s}.bin"), &file)?;
    }
    for (p, data) in pack_data.iter().enumerate() {
        write(format!("search/p/{p}.bin"), data)?;
    }
    write_docs(archive, &write)?;
    write_facets(archive, &write)?;
    let manifest = Manifest {
        version: FORMAT_VERSION,
        records: inv.n,
        shards,
        packs,
        inline: INLINE,
        slot: SLOT,
        per_file: PER_FILE,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| Error::Search(e.to_string()))?;
    write("search/index.json".into(), &json)
}

fn write_docs(archive: &Archive, write: &dyn Fn(String, &[u8]) -> Result<()>) -> Result<()> {
    let slots: Vec<Vec<u8>> = archive
        .records
        .par_iter()
        .map(|r| {
            let [_, question, answer] = record_parts(r);
            let text: String = format!("{question}\n{answer}")
                .chars()
                .take(EXCERPT_CHARS)
                .collect();
            let agency = r.agency.map_or("", |a| {
                let a = &archive.agencies[a];
                a.short_name.as_deref().unwrap_or(&a.name)
            });
            let line = DocLine {
                id: &r.id,
                title: &r.title,
                agency,
                date: r.asked.to_string(),
                status: r.status.as_str(),
                text: &text,
            };
            fit_slot(line)
        })
        .collect();
    for (n, chunk) in slots.chunks(PER_FILE).enumerate() {
        write(format!("search/t/{n}.bin"), &chunk.concat())?;
    }
    Ok(())
}

/// The record as JSON in exactly `SLOT` bytes: the excerpt (then the title) cut to fit.
fn fit_slot(mut line: DocLine) -> Vec<u8> {
    let mut text_chars = line.text.chars().count();
    let mut title_chars = line.title.chars().count();
    loop {
        let mut v = serde_json::to_vec(&line).unwrap_or_default();
        if v.len() <= SLOT {
            v.resize(SLOT, b' ');
            return v;
        }
        let over = v.len() - SLOT;
        // Vietnamese takes one to three bytes a letter; cut at least what is over.
        if text_chars > 0 {
            text_chars = text_chars.saturating_sub(over.div_ceil(3).max(1));
            line.text = prefix(line.text, text_chars);
        } else if title_chars > 0 {
            title_chars = title_chars.saturating_sub(over.div_ceil(3).max(1));
            line.title = prefix(line.title, title_chars);
        } else {
            return vec![b' '; SLOT];
        }
    }
}

fn prefix(s: &str, chars: usize) -> &str {
    s.char_indices().nth(chars).map_or(s, |(i, _)| &s[..i])
}

fn write_facets(archive: &Archive, write: &dyn Fn(String, &[u8]) -> Result<()>) -> Result<()> {
    let n = archive.records.len() as u32;
    let facet = |kind: &str, id: &str, mut ords: Vec<u32>| {
        ords.sort_unstable();
        ords.dedup();
        write(format!("search/f/{kind}/{id}.bin"), &encode_set(&ords, n))
    };
    let ords = |list: &[usize]| list.iter().map(|&i| i as u32).collect::<Vec<u32>>();
    for a in &archive.agencies {
        facet("agency", &a.id, ords(&a.records))?;
    }
    for t in &archive.topics {
        facet("topic", &t.id, ords(&t.records))?;
    }
    for (y, list) in &archive.years {
        facet("year", &y.to_string(), ords(list))?;
    }
    for st in crate::model::Status::ALL {
        let list: Vec<u32> = (0..n)
            .filter(|&o| archive.records[o as usize].status == st)
            .collect();
        facet("status", st.as_str(), list)?;
    }
    Ok(())
}

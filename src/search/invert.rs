//! The inversion behind the static index, in memory: every record analysed once by
//! [`analyse`] (the analysis the tantivy index receives too), its terms counted, and each
//! term's postings weighed with the same impacts, idf and cap as [`super::engine`] computes
//! from tantivy's postings. The published site does not wait for tantivy.

use super::abbrev::Abbreviations;
use super::analysis::Analyzer;
use super::encode::{Posting, encode_postings, encode_set, get_varint, put_varint};
use super::engine::analyse;
use super::scoring::{Field, TITLE_WEIGHT, TermPostings, impact, record_parts};
use crate::model::Archive;
use crate::text::nfc;
use rayon::prelude::*;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Records analysed by one task: a few thousand, so that per-task maps stay small.
const CHUNK: usize = 2048;

/// One term of the archive, with what both searches know of it, encoded for the static index.
pub struct Term {
    pub term: String,
    pub field: Field,
    pub df: u64,
    pub idf_q: u64,
    /// The ranking postings ([`encode_postings`]).
    pub postings: Vec<u8>,
    /// The set of every record holding a capped term ([`encode_set`]); empty otherwise.
    pub members: Vec<u8>,
}

/// Every term of the archive, ordered by term then field.
pub struct Inverted {
    pub records: u32,
    pub terms: Vec<Term>,
}

/// A term's postings with raw frequencies while the archive is read: (ordinal gap, frequency)
/// varints, about two bytes a posting (a list of pairs would take eight, and the lists of a
/// 100,000-record archive hold tens of millions).
#[derive(Default)]
struct Acc {
    bytes: Vec<u8>,
    last: u32,
}

impl Acc {
    fn push(&mut self, ord: u32, tf: u32) {
        put_varint(&mut self.bytes, u64::from(ord - self.last));
        put_varint(&mut self.bytes, u64::from(tf));
        self.last = ord;
    }

    /// Appends a later run of the same term (whose first gap counts from ordinal 0).
    fn append(&mut self, other: Acc) {
        let mut pos = 0;
        let first = get_varint(&other.bytes, &mut pos).unwrap_or(0) as u32;
        put_varint(&mut self.bytes, u64::from(first - self.last));
        self.bytes.extend_from_slice(&other.bytes[pos..]);
        self.last = other.last;
    }

    fn decode(&self) -> Vec<(u32, u32)> {
        let (mut pos, mut ord, mut out) = (0, 0u32, Vec::new());
        while pos < self.bytes.len() {
            let (Some(gap), Some(tf)) = (
                get_varint(&self.bytes, &mut pos),
                get_varint(&self.bytes, &mut pos),
            ) else {
                break;
            };
            ord += gap as u32;
            out.push((ord, tf as u32));
        }
        out
    }
}

/// Postings with raw frequencies, per field, of a run of records in ordinal order.
#[derive(Default)]
struct Part {
    fields: [HashMap<String, Acc>; 3],
    lens: Vec<[u32; 3]>,
}

impl Part {
    fn push(&mut self, field: Field, ord: u32, counts: &[(&str, u32)]) {
        let map = &mut self.fields[field as usize];
        for &(term, tf) in counts {
            match map.get_mut(term) {
                Some(acc) => acc.push(ord, tf),
                None => {
                    let mut acc = Acc::default();
                    acc.push(ord, tf);
                    map.insert(term.to_string(), acc);
                }
            }
        }
    }
}

/// Distinct items of `items` with their counts, `weight` each.
fn count<'a>(items: impl Iterator<Item = &'a str>, weight: u32, out: &mut Vec<(&'a str, u32)>) {
    out.extend(items.filter(|s| !s.is_empty()).map(|s| (s, weight)));
}

fn merge_counts(v: &mut Vec<(&str, u32)>) {
    v.sort_unstable_by(|a, b| a.0.cmp(b.0));
    v.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 += next.1;
            true
        } else {
            false
        }
    });
}

fn analyse_chunk(archive: &Archive, abbr: &Abbreviations, first: usize, n: usize) -> Part {
    let mut an = Analyzer::default();
    let mut part = Part::default();
    for (i, r) in archive.records[first..first + n].iter().enumerate() {
        let mut counts: Vec<(&str, u32)> = Vec::new();
        let ord = (first + i) as u32;
        let parts = record_parts(r).map(nfc);
        let a = analyse(&mut an, abbr, &parts);
        part.lens.push(a.len);
        counts.clear();
        count(a.body.split(' '), 1, &mut counts);
        count(a.title.split(' '), TITLE_WEIGHT - 1, &mut counts);
        merge_counts(&mut counts);
        part.push(Field::Body, ord, &counts);
        counts.clear();
        count(a.marked.split(' '), 1, &mut counts);
        merge_counts(&mut counts);
        part.push(Field::Exact, ord, &counts);
        counts.clear();
        count(a.grams.split('\n'), 1, &mut counts);
        merge_counts(&mut counts);
        part.push(Field::Bigram, ord, &counts);
    }
    part
}

/// Inverts the archive: on all cores, a few chunks at a time merged in order, so that only
/// those chunks' maps exist beside the whole.
pub fn invert(archive: &Archive, abbr: &Abbreviations) -> Inverted {
    let n = archive.records.len();
    let mut all = Part::default();
    let batch = CHUNK * rayon::current_num_threads().max(1) * 2;
    for from in (0..n).step_by(batch) {
        let to = (from + batch).min(n);
        let parts: Vec<Part> = (from..to)
            .step_by(CHUNK)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| analyse_chunk(archive, abbr, first, CHUNK.min(to - first)))
            .collect();
        for part in parts {
            all.lens.extend(part.lens);
            for (into, from) in all.fields.iter_mut().zip(part.fields) {
                for (term, acc) in from {
                    match into.get_mut(&term) {
                        Some(a) => a.append(acc),
                        None => {
                            into.insert(term, acc);
                        }
                    }
                }
            }
        }
    }
    let records = n as u32;
    let total = all.lens.iter().fold([0u64; 3], |mut t, l| {
        for (s, v) in t.iter_mut().zip(l) {
            *s += u64::from(*v);
        }
        t
    });
    let avg = total.map(|t| t as f64 / n.max(1) as f64);
    let lens = &all.lens;
    let mut terms: Vec<Term> = Vec::new();
    for (f, map) in Field::ALL.into_iter().zip(all.fields) {
        let slot = f.length_slot();
        let mut made: Vec<Term> = map
            .into_par_iter()
            .map(|(term, acc)| {
                let postings: Vec<Posting> = acc
                    .decode()
                    .into_iter()
                    .map(|(ord, tf)| (ord, impact(tf, lens[ord as usize][slot], avg[slot])))
                    .collect();
                drop(acc);
                let data = TermPostings::of(u64::from(records), f, postings);
                Term {
                    df: data.df,
                    idf_q: data.idf_q,
                    postings: encode_postings(&data.postings),
                    members: data
                        .members
                        .as_ref()
                        .map_or_else(Vec::new, |m| encode_set(m, records)),
                    term,
                    field: f,
                }
            })
            .collect();
        terms.append(&mut made);
    }
    terms.par_sort_unstable_by(|a, b| a.term.cmp(&b.term).then(a.field.cmp(&b.field)));
    Inverted { records, terms }
}

//! The static index under `search/` in the published site, read by `search.js`.
//!
//! Layout (all integers LEB128 varints unless said otherwise):
//! - `index.json`: counts, shard and pack numbers, facet values with their counts;
//! - `d/<shard>.bin`: a dictionary shard: the terms whose key hashes (FNV-1a) to it, each with
//!   its field, idf and either its postings inline (short lists) or their place in the pack,
//!   and, for a term whose postings are capped, the place of its set of records in the pack;
//! - `p/<pack>.bin`: postings of the shards `s` with `s % packs == pack`, read with HTTP
//!   range requests so that a query downloads only its own terms' lists;
//! - `t/<n>.bin`: one JSON object per record (title, date, agency, status, excerpt) in a
//!   fixed slot of `SLOT` bytes (padded with spaces), `PER_FILE` records a file, so that a
//!   hit is one range read at a computed offset;
//! - `f/<facet>/<value>.bin`: the set of records of each agency, topic, year and status.

use super::abbrev::Abbreviation;
use super::analysis::Analyzer;
use super::encode::{encode_set, put_varint, shard_of};
use super::invert::Term;
use super::scoring::{Field, record_parts};
use crate::model::Archive;
use crate::publish::Output;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;

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
pub const FORMAT_VERSION: u32 = 3;

#[derive(Serialize)]
struct Manifest {
    version: u32,
    records: u32,
    shards: u32,
    packs: u32,
    inline: usize,
    slot: usize,
    per_file: usize,
    /// The abbreviations the archive has (folded): queries need them.
    abbreviations: Vec<Abbreviation>,
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

/// Writes the whole static index into `search/` of the output, from hoidap's own analysis
/// of the archive and its inversion ([`super::invert`]): the tantivy index is not needed.
pub fn write(archive: &Archive, analysis: super::invert::Analysis, out: &Output) -> Result<()> {
    let mut an = Analyzer::default();
    let (inverted, abbr) = analysis.invert();
    let n = inverted.records;
    let terms: Vec<(&Term, &[u8], &[u8])> = inverted
        .terms
        .iter()
        .map(|t| (t, t.postings.as_slice(), t.members.as_slice()))
        .collect();
    let write = |rel: String, data: &[u8]| out.write(&rel, data).map_err(|e| Error::io(rel, e));
    let dict_bytes: usize = terms
        .iter()
        .map(|(t, p, m)| {
            t.term.len()
                + 7
                + if p.len() <= INLINE { p.len() } else { 4 }
                + if m.is_empty() { 0 } else { 4 }
        })
        .sum();
    let shards = (dict_bytes / SHARD_TARGET)
        .clamp(1, MAX_SHARDS)
        .next_power_of_two() as u32;
    let shards = shards.min(MAX_SHARDS as u32);
    let pack_bytes: usize = terms
        .iter()
        .map(|(_, p, m)| m.len() + if p.len() > INLINE { p.len() } else { 0 })
        .sum();
    let packs = (pack_bytes.div_ceil(PACK_TARGET)).clamp(1, shards as usize) as u32;

    let mut dicts: Vec<Vec<u8>> = vec![Vec::new(); shards as usize];
    let mut counts = vec![0u64; shards as usize];
    let mut pack_data: Vec<Vec<u8>> = vec![Vec::new(); packs as usize];
    for (t, postings, members) in &terms {
        let key = match t.field {
            Field::Exact => an.fold(&t.term),
            _ => t.term.clone(),
        };
        let s = shard_of(&key, shards) as usize;
        let d = &mut dicts[s];
        counts[s] += 1;
        put_varint(d, t.term.len() as u64);
        d.extend_from_slice(t.term.as_bytes());
        d.push(t.field as u8);
        put_varint(d, t.df);
        put_varint(d, t.idf_q);
        put_varint(d, postings.len() as u64);
        let pack = &mut pack_data[s % packs as usize];
        if postings.len() <= INLINE {
            d.extend_from_slice(postings);
        } else {
            put_varint(d, pack.len() as u64);
            pack.extend_from_slice(postings);
        }
        put_varint(d, members.len() as u64);
        if !members.is_empty() {
            put_varint(d, pack.len() as u64);
            pack.extend_from_slice(members);
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
    let present = |short: &str| {
        inverted
            .terms
            .binary_search_by(|t| t.term.as_str().cmp(short).then(t.field.cmp(&Field::Body)))
            .is_ok()
    };
    // The vocabulary for correcting unknown syllables (`correct.rs`).
    let vocab = super::correct::Vocabulary::new(
        inverted
            .terms
            .iter()
            .filter(|t| t.field == Field::Body)
            .map(|t| (t.term.as_str(), t.df as u32)),
    );
    write(
        super::correct::VOCAB_FILE.into(),
        vocab.to_file().as_bytes(),
    )?;
    let manifest = Manifest {
        version: FORMAT_VERSION,
        records: n,
        shards,
        packs,
        inline: INLINE,
        slot: SLOT,
        per_file: PER_FILE,
        abbreviations: abbr.retain(present),
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| Error::Search(e.to_string()))?;
    write("search/index.json".into(), &json)
}

fn write_docs(archive: &Archive, write: &dyn Fn(String, &[u8]) -> Result<()>) -> Result<()> {
    // A file at a time, so that only one file's slots are in memory.
    for (n, chunk) in archive.records.chunks(PER_FILE).enumerate() {
        let slots: Vec<Vec<u8>> = chunk.par_iter().map(|r| doc_slot(archive, r)).collect();
        write(format!("search/t/{n}.bin"), &slots.concat())?;
    }
    Ok(())
}

fn doc_slot(archive: &Archive, r: &crate::model::Record) -> Vec<u8> {
    let [_, question, answer] = record_parts(r);
    let text: String = question
        .chars()
        .chain(std::iter::once('\n'))
        .chain(answer.chars())
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
        // Empty when unknown.
        date: r.asked.map(|d| d.to_string()).unwrap_or_default(),
        status: r.status.as_str(),
        text: &text,
    };
    fit_slot(line)
}

/// The record as JSON in exactly `SLOT` bytes: the excerpt cut to the longest prefix that
/// fits, else (absurdly long names) the title, then the agency, then the id. Serialised at
/// most twice, and always JSON: the client parses every slot it reads.
fn fit_slot(mut line: DocLine) -> Vec<u8> {
    let json = |line: &DocLine| serde_json::to_vec(line).unwrap_or_default();
    let mut v = json(&line);
    if v.len() > SLOT {
        // JSON's length is the sum of its characters' escaped lengths, so the first
        // serialisation says how much room each part has once the ones before it are gone.
        let mut len = v.len();
        for part in [
            &mut line.text,
            &mut line.title,
            &mut line.agency,
            &mut line.id,
        ] {
            let around = len - escaped_len(part);
            if around <= SLOT {
                *part = json_prefix(part, SLOT - around);
                break;
            }
            *part = "";
            len = around;
        }
        v = json(&line);
    }
    debug_assert!(v.len() <= SLOT, "a slot overflows: {} bytes", v.len());
    v.resize(SLOT, b' ');
    v
}

/// Bytes `serde_json` writes for `s` inside a string.
fn escaped_len(s: &str) -> usize {
    s.chars().map(json_len).sum()
}

/// The longest prefix of `s` whose JSON string escape takes at most `room` bytes.
fn json_prefix(s: &str, room: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += json_len(c);
        if used > room {
            return &s[..i];
        }
    }
    s
}

/// Bytes `serde_json` writes for a character inside a string.
fn json_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lengths_are_serde_jsons() {
        for c in (0..0x3000)
            .chain(0x1F600..0x1F650)
            .filter_map(char::from_u32)
        {
            let written = serde_json::to_string(&c.to_string()).unwrap().len() - 2;
            assert_eq!(json_len(c), written, "{c:?}");
        }
    }

    fn line<'a>(title: &'a str, text: &'a str) -> DocLine<'a> {
        DocLine {
            id: "2024-000001",
            title,
            agency: "Sở Xây dựng",
            date: "2024-03-01".into(),
            status: "answered",
            text,
        }
    }

    fn parsed(slot: &[u8]) -> serde_json::Value {
        assert_eq!(slot.len(), SLOT);
        serde_json::from_slice(slot).expect("a slot holds JSON")
    }

    /// Names too long for any slot are cut too: the client parses every slot.
    #[test]
    fn absurd_names_still_give_json() {
        let agency = "Sở ".repeat(400);
        let mut l = line("tiêu đề", "nội dung");
        l.agency = &agency;
        let v = parsed(&fit_slot(l));
        assert_eq!(v["title"], "");
        assert!(agency.starts_with(v["agency"].as_str().unwrap()));
        let id = "x".repeat(2000);
        let mut l = line("tiêu đề", "nội dung");
        l.id = &id;
        l.agency = &agency;
        let v = parsed(&fit_slot(l));
        assert_eq!(v["agency"], "");
        assert!(id.starts_with(v["id"].as_str().unwrap()));
    }

    proptest::proptest! {
        /// A slot keeps the longest excerpt that fits, then the longest title.
        #[test]
        fn slots_keep_the_longest_prefix_that_fits(
            title in "[a-zđộ \"\\\\\\n\\u{1}]{0,400}",
            text in "[a-zđộ \"\\\\\\n\\u{1}]{0,700}",
        ) {
            let v = parsed(&fit_slot(line(&title, &text)));
            let kept_title = v["title"].as_str().unwrap_or_default();
            let kept_text = v["text"].as_str().unwrap_or_default();
            proptest::prop_assert!(title.starts_with(kept_title));
            proptest::prop_assert!(text.starts_with(kept_text));
            if kept_title.len() < title.len() {
                proptest::prop_assert_eq!(kept_text, "");
            }
            let grown = |t: &str, s: &str| serde_json::to_vec(&line(t, s)).unwrap().len();
            if kept_title.len() == title.len()
                && let Some(next) = text[kept_text.len()..].chars().next()
            {
                let longer = &text[..kept_text.len() + next.len_utf8()];
                proptest::prop_assert!(grown(kept_title, longer) > SLOT);
            }
            if let Some(next) = title[kept_title.len()..].chars().next() {
                let longer = &title[..kept_title.len() + next.len_utf8()];
                proptest::prop_assert!(grown(longer, "") > SLOT);
            }
        }
    }
}

//! The build's one analysis of the archive, and the inversion behind the static index.
//!
//! Every record is analysed once, into numbered words: each run of records numbers the
//! distinct tokens it meets (lower case, and folded: the same terms as [`super::engine::analyse`]
//! gives the tantivy index), counts each record's terms by number into postings, and keeps
//! the folded syllables that related questions read ([`super::related::Syllables`]); the runs'
//! vocabularies are then merged into one. Both the static index and related questions are made
//! from that analysis: neither reads the texts again. Each term's postings are weighed with the
//! same impacts, idf and cap as [`super::engine`] computes from tantivy's postings, so the
//! published site does not wait for tantivy.

use super::abbrev::Abbreviations;
use super::analysis::Analyzer;
use super::encode::{Posting, encode_postings, encode_set, get_varint, put_varint};
use super::related::{self, Related, Syllables};
use super::scoring::{Field, TITLE_WEIGHT, TermPostings, impact, record_parts};
use crate::model::Archive;
use crate::text::nfc;
use rayon::prelude::*;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Records analysed by one task: a few thousand, so that per-task maps stay small.
const CHUNK: usize = 2048;
/// In [`Run::folded_of`]: not folded yet.
const UNKNOWN: u32 = u32::MAX;

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
    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn push(&mut self, ord: u32, tf: u32) {
        put_varint(&mut self.bytes, u64::from(ord - self.last));
        put_varint(&mut self.bytes, u64::from(tf));
        self.last = ord;
    }

    /// Appends a later run of the same term (whose first gap counts from ordinal 0).
    fn append(&mut self, other: Acc) {
        if self.bytes.is_empty() {
            *self = other;
            return;
        }
        // Grown by a quarter rather than doubled: these lists are most of the analysis's
        // memory, and each grows a run at a time.
        let need = other.bytes.len() + 10;
        if self.bytes.capacity() - self.bytes.len() < need {
            self.bytes.reserve_exact(need.max(self.bytes.len() / 4));
        }
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

/// Strings numbered in the order they are met.
#[derive(Default)]
struct Vocab {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Vocab {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        self.insert(s.into())
    }

    fn id_owned(&mut self, s: Box<str>) -> u32 {
        match self.ids.get(&s) {
            Some(&id) => id,
            None => self.insert(s),
        }
    }

    fn insert(&mut self, s: Box<str>) -> u32 {
        let id = self.names.len() as u32;
        self.names.push(s.clone());
        self.ids.insert(s, id);
        id
    }
}

/// One record's term frequencies by number, counted without sorting or hashing.
#[derive(Default)]
struct Counts {
    tf: Vec<u32>,
    touched: Vec<u32>,
}

impl Counts {
    fn add(&mut self, id: u32, weight: u32) {
        let i = id as usize;
        if i >= self.tf.len() {
            self.tf.resize(i + 1, 0);
        }
        if self.tf[i] == 0 {
            self.touched.push(id);
        }
        self.tf[i] += weight;
    }

    /// Adds the record's postings to `accs`, by number, and forgets the record.
    fn flush(&mut self, ord: u32, accs: &mut Vec<Acc>) {
        for &id in &self.touched {
            let i = id as usize;
            if i >= accs.len() {
                accs.resize_with(i + 1, Acc::default);
            }
            accs[i].push(ord, std::mem::take(&mut self.tf[i]));
        }
        self.touched.clear();
    }
}

/// Records analysed, numbered by one vocabulary: postings with raw frequencies by word (body
/// and exact fields) and by pair of words (bigram field), in ordinal order; the records'
/// lengths; related questions' syllables. A run of records has its own; the whole archive's
/// ([`Analysis`]) is the runs' merged.
#[derive(Default)]
struct Tables {
    words: Vocab,
    body: Vec<Acc>,
    exact: Vec<Acc>,
    pair_ids: HashMap<u64, u32>,
    pairs: Vec<(u32, u32)>,
    grams: Vec<Acc>,
    lens: Vec<[u32; 3]>,
    syllables: Syllables,
}

impl Tables {
    /// The number of the pair of words `a`, `b`, and whether it is new.
    fn pair(&mut self, a: u32, b: u32) -> (u32, bool) {
        let next = self.pairs.len() as u32;
        let id = *self
            .pair_ids
            .entry(u64::from(a) << 32 | u64::from(b))
            .or_insert(next);
        if id == next {
            self.pairs.push((a, b));
        }
        (id, id == next)
    }
}

/// A run of records analysed, with what its analysis keeps per word.
#[derive(Default)]
struct Run {
    tables: Tables,
    /// Word → the word it folds to ([`UNKNOWN`] until met as a token).
    folded_of: Vec<u32>,
    /// Folded word → whether an abbreviation's long form starts with it (0: not asked yet).
    starts_long: Vec<u8>,
}

impl Run {
    fn starts_long(&mut self, abbr: &Abbreviations, word: u32) -> bool {
        let i = word as usize;
        if i >= self.starts_long.len() {
            self.starts_long.resize(i + 1, 0);
        }
        if self.starts_long[i] == 0 {
            let starts = abbr.starts_long_form(&self.tables.words.names[i]);
            self.starts_long[i] = if starts { 2 } else { 1 };
        }
        self.starts_long[i] == 2
    }
}

/// Analyses records `first..first + n` once: what [`super::engine::analyse`] gives each
/// record, counted by number, and related questions' syllables.
fn analyse_run(archive: &Archive, abbr: &Abbreviations, first: usize, n: usize) -> Run {
    let (mut scan, mut folding) = (Analyzer::default(), Analyzer::default());
    let mut run = Run::default();
    let (mut body, mut exact, mut grams) =
        (Counts::default(), Counts::default(), Counts::default());
    let mut syllables: Vec<u32> = Vec::new();
    // The pair of each syllable of the text (but the first) with the one before it.
    let mut pairs: Vec<u32> = Vec::new();
    let mut shorts: Vec<String> = Vec::new();
    // Where the text's syllables start an abbreviation's long form.
    let mut starts: Vec<usize> = Vec::new();
    // Related questions' syllables of each text: its first word, then its pairs.
    let mut texts: [Vec<u32>; 3] = Default::default();
    for (i, r) in archive.records[first..first + n].iter().enumerate() {
        let ord = (first + i) as u32;
        let mut len = [0u32; 3];
        for (part, text) in record_parts(r).map(nfc).iter().enumerate() {
            let weight = if part == 0 { TITLE_WEIGHT } else { 1 };
            syllables.clear();
            let (words, folded_of) = (&mut run.tables.words, &mut run.folded_of);
            scan.each_exact(text, |token, _, _| {
                let id = words.id(token);
                if id as usize >= folded_of.len() {
                    folded_of.resize(id as usize + 1, UNKNOWN);
                }
                if folded_of[id as usize] == UNKNOWN {
                    folded_of[id as usize] = words.id(folding.fold_token(token));
                }
                let folded = folded_of[id as usize];
                // The exact field only ever answers syllables written with diacritics.
                if folded != id {
                    exact.add(id, 1);
                }
                syllables.push(folded);
            });
            pairs.clear();
            for (k, &w) in syllables.iter().enumerate() {
                body.add(w, weight);
                if k > 0 {
                    let (pair, _) = run.tables.pair(syllables[k - 1], w);
                    grams.add(pair, 1);
                    pairs.push(pair);
                }
            }
            let count = syllables.len() as u32;
            len[0] += weight * count;
            len[1] += count;
            len[2] += count.saturating_sub(1);
            // The short form of each abbreviation written long, in the body (and so in the
            // title's weight), not in the lengths.
            // Only where a syllable starts a long form (known per word, not hashed again
            // per syllable), in order of position as `Abbreviations::matches` finds them.
            starts.clear();
            for (k, &w) in syllables.iter().enumerate() {
                if run.starts_long(abbr, w) {
                    starts.push(k);
                }
            }
            if !starts.is_empty() {
                shorts.clear();
                let texts: Vec<&str> = syllables
                    .iter()
                    .map(|&w| &*run.tables.words.names[w as usize])
                    .collect();
                for &k in &starts {
                    abbr.matches_at(&texts, k, |_, _, short| shorts.push(short.to_string()));
                }
                for short in &shorts {
                    body.add(run.tables.words.id(short), weight);
                }
            }
            let keep = if part == 2 {
                syllables.len().min(related::ANSWER_TOKENS)
            } else {
                syllables.len()
            };
            texts[part].clear();
            if keep > 0 {
                texts[part].push(syllables[0]);
                texts[part].extend_from_slice(&pairs[..keep - 1]);
            }
        }
        let t = &mut run.tables;
        t.lens.push(len);
        t.syllables.push([&texts[0], &texts[1], &texts[2]]);
        body.flush(ord, &mut t.body);
        exact.flush(ord, &mut t.exact);
        grams.flush(ord, &mut t.grams);
    }
    run
}

/// The whole archive analysed once ([`analyse`]): postings with raw frequencies by term,
/// the records' lengths, and related questions' syllables, numbered by one vocabulary.
pub struct Analysis {
    abbreviations: Abbreviations,
    tables: Tables,
}

impl Tables {
    /// Adds the next run of records, renumbering its words and pairs into these.
    fn merge(&mut self, run: Tables) {
        let Tables {
            words,
            body,
            exact,
            pairs,
            grams,
            lens,
            syllables,
            ..
        } = run;
        let to: Vec<u32> = words
            .names
            .into_iter()
            .map(|w| self.words.id_owned(w))
            .collect();
        let size = self.words.names.len();
        for (accs, from) in [(&mut self.body, body), (&mut self.exact, exact)] {
            accs.resize_with(size, Acc::default);
            for (local, acc) in from.into_iter().enumerate() {
                if !acc.is_empty() {
                    accs[to[local] as usize].append(acc);
                }
            }
        }
        let mut grams = grams.into_iter();
        let to_pair: Vec<u32> = pairs
            .iter()
            .map(|&(a, b)| {
                let (id, new) = self.pair(to[a as usize], to[b as usize]);
                if new {
                    self.grams.push(Acc::default());
                }
                if let Some(acc) = grams.next().filter(|acc| !acc.is_empty()) {
                    self.grams[id as usize].append(acc);
                }
                id
            })
            .collect();
        self.lens.extend(lens);
        self.syllables.append(&syllables, &to, &to_pair);
    }
}

impl Analysis {
    /// Related questions, from the analysis's syllables (which it then forgets).
    pub fn related(&mut self, archive: &Archive) -> Related {
        let t = &mut self.tables;
        let syllables = std::mem::take(&mut t.syllables);
        Related::from_syllables(archive, &syllables, &t.words.names, &t.pairs)
    }

    /// The inversion: every term with its postings weighed and encoded, ordered by term then
    /// field; and the abbreviations the analysis used.
    pub fn invert(self) -> (Inverted, Abbreviations) {
        let Analysis {
            abbreviations,
            tables:
                Tables {
                    words,
                    body,
                    exact,
                    pairs,
                    grams,
                    lens,
                    ..
                },
        } = self;
        let names = words.names;
        let n = lens.len();
        let records = n as u32;
        let total = lens.iter().fold([0u64; 3], |mut t, l| {
            for (s, v) in t.iter_mut().zip(l) {
                *s += u64::from(*v);
            }
            t
        });
        let avg = total.map(|t| t as f64 / n.max(1) as f64);
        let lens = &lens;
        let term = |term: String, f: Field, acc: Acc| {
            let slot = f.length_slot();
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
        };
        let words_of = |f: Field, accs: Vec<Acc>| -> Vec<Term> {
            accs.into_par_iter()
                .enumerate()
                .filter(|(_, acc)| !acc.is_empty())
                .map(|(w, acc)| term(names[w].to_string(), f, acc))
                .collect()
        };
        let mut terms = words_of(Field::Body, body);
        terms.append(&mut words_of(Field::Exact, exact));
        terms.par_extend(grams.into_par_iter().enumerate().map(|(g, acc)| {
            let (a, b) = pairs[g];
            let (a, b) = (&names[a as usize], &names[b as usize]);
            let mut text = String::with_capacity(a.len() + 1 + b.len());
            text.push_str(a);
            text.push(' ');
            text.push_str(b);
            term(text, Field::Bigram, acc)
        }));
        terms.par_sort_unstable_by(|a, b| a.term.cmp(&b.term).then(a.field.cmp(&b.field)));
        (Inverted { records, terms }, abbreviations)
    }
}

/// Analyses the archive once, on all cores: a run of records per thread at a time, merged in
/// order (while the next ones are analysed), so that only those runs' maps exist beside the
/// whole.
pub fn analyse(archive: &Archive, abbreviations: Abbreviations) -> Analysis {
    let n = archive.records.len();
    let mut all = Tables {
        lens: Vec::with_capacity(n),
        ..Tables::default()
    };
    let abbr = &abbreviations;
    // A run per thread at a time, merged while the next ones are made.
    let batch = CHUNK * rayon::current_num_threads().max(1);
    let mut pending: Vec<Run> = Vec::new();
    for from in (0..n).step_by(batch) {
        let to = (from + batch).min(n);
        let (runs, ()) = rayon::join(
            || {
                (from..to)
                    .step_by(CHUNK)
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .map(|first| analyse_run(archive, abbr, first, CHUNK.min(to - first)))
                    .collect::<Vec<Run>>()
            },
            || {
                for run in std::mem::take(&mut pending) {
                    all.merge(run.tables);
                }
            },
        );
        pending = runs;
    }
    for run in pending {
        all.merge(run.tables);
    }
    // The maps that numbered words and pairs are of no use once every run is in.
    all.words.ids = HashMap::default();
    all.pair_ids = HashMap::default();
    Analysis {
        abbreviations,
        tables: all,
    }
}

/// Inverts the archive (its one analysis, then the inversion).
pub fn invert(archive: &Archive, abbr: &Abbreviations) -> Inverted {
    analyse(archive, abbr.clone()).invert().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Record;
    use std::collections::BTreeMap;

    fn record(id: &str, title: &str, question: &str, answer: &str) -> Record {
        Record::test_answered(id, title, question, answer)
    }

    type Postings = BTreeMap<(String, u8), Vec<(u32, u32)>>;

    /// What the inversion must hold, counted from [`super::super::engine::analyse`]'s texts
    /// (the tantivy index's fields): each term's (ordinal, frequency) list, and the lengths.
    fn expected(archive: &Archive, abbr: &Abbreviations) -> (Postings, Vec<[u32; 3]>) {
        let mut an = Analyzer::default();
        let mut postings = Postings::new();
        let mut lens = Vec::new();
        for (ord, r) in archive.records.iter().enumerate() {
            let parts = record_parts(r).map(nfc);
            let a = super::super::engine::analyse(&mut an, abbr, &parts);
            lens.push(a.len);
            let mut counts: BTreeMap<(String, u8), u32> = BTreeMap::new();
            let mut add = |text: &str, sep: char, field: Field, weight: u32| {
                for t in text.split(sep).filter(|t| !t.is_empty()) {
                    *counts.entry((t.to_string(), field as u8)).or_default() += weight;
                }
            };
            add(&a.body, ' ', Field::Body, 1);
            add(&a.title, ' ', Field::Body, TITLE_WEIGHT - 1);
            add(&a.marked, ' ', Field::Exact, 1);
            add(&a.grams, '\n', Field::Bigram, 1);
            for (key, tf) in counts {
                postings.entry(key).or_default().push((ord as u32, tf));
            }
        }
        (postings, lens)
    }

    fn found(analysis: Analysis) -> (Postings, Vec<[u32; 3]>) {
        let analysis = analysis.tables;
        let names = &analysis.words.names;
        let mut postings = Postings::new();
        for (field, accs) in [
            (Field::Body, &analysis.body),
            (Field::Exact, &analysis.exact),
        ] {
            for (w, acc) in accs.iter().enumerate().filter(|(_, a)| !a.is_empty()) {
                postings.insert((names[w].to_string(), field as u8), acc.decode());
            }
        }
        for (g, acc) in analysis.grams.iter().enumerate() {
            let (a, b) = analysis.pairs[g];
            let term = format!("{} {}", names[a as usize], names[b as usize]);
            postings.insert((term, Field::Bigram as u8), acc.decode());
        }
        (postings, analysis.lens)
    }

    /// Records enough for several runs of [`CHUNK`], so that runs are merged.
    fn archive(n: usize) -> Archive {
        let titles = [
            "Cấp đổi Giấy phép lái xe",
            "GPLX hết hạn",
            "Thuế thu nhập cá nhân",
            "ĐƯỜNG Nguyễn Huệ ngập",
            "",
        ];
        let questions = [
            "Ủy ban nhân dân xã có cấp giấy phép lái xe không? Thông tư 187/2016/TT-BTC",
            "Thue thu nhap ca nhan nop o dau, đường nào?",
            "Bảo hiểm xã hội và bảo hiểm y tế của người lao động: ß ﬁ İstanbul",
            "«Thuế», (phí) & lệ-phí! 10% thuế; 6.000.000 đồng",
        ];
        let records = (0..n)
            .map(|k| {
                let answer = questions[(k * 7) % questions.len()].repeat(k % 3);
                record(
                    &format!("r{k:05}"),
                    titles[k % titles.len()],
                    &format!("{} {k}", questions[k % questions.len()]),
                    &answer,
                )
            })
            .collect();
        Archive {
            records,
            abbreviations: vec![("VNeID".into(), vec!["đường nguyễn huệ".into()])],
            ..Archive::default()
        }
    }

    /// The one analysis counts, by number, exactly what the tantivy index's analysis writes.
    #[test]
    fn the_analysis_counts_what_engine_analyse_gives() {
        for n in [0, 1, 7, CHUNK * 5 + 3] {
            let archive = archive(n);
            let mut an = Analyzer::default();
            let abbr = Abbreviations::new(&mut an, &archive.abbreviations);
            let got = found(analyse(&archive, abbr.clone()));
            assert_eq!(got, expected(&archive, &abbr), "{n} records");
        }
    }

    /// Terms come out sorted by term then field, each once, with its df.
    #[test]
    fn terms_are_sorted_and_counted() {
        let archive = archive(50);
        let mut an = Analyzer::default();
        let abbr = Abbreviations::new(&mut an, &archive.abbreviations);
        let (expected, _) = expected(&archive, &abbr);
        let inverted = invert(&archive, &abbr);
        assert_eq!(inverted.records, 50);
        let keys: Vec<(String, u8)> = inverted
            .terms
            .iter()
            .map(|t| (t.term.clone(), t.field as u8))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        assert_eq!(keys, sorted);
        assert_eq!(keys.len(), expected.len());
        for t in &inverted.terms {
            let list = &expected[&(t.term.clone(), t.field as u8)];
            assert_eq!(t.df, list.len() as u64, "{}", t.term);
        }
        assert!(
            keys.iter()
                .any(|(t, f)| t == "gplx" && *f == Field::Body as u8)
        );
        assert!(
            keys.iter()
                .any(|(t, f)| t == "vneid" && *f == Field::Body as u8)
        );
        assert!(
            keys.iter()
                .any(|(t, f)| t == "đường" && *f == Field::Exact as u8)
        );
    }
}

//! Related questions: for each record, up to [`LIMIT`] other records that speak of the same
//! thing, found at build time with the search's own analysis (folded syllables, see
//! [`super::analysis`]), so that "thue" and "thuế" are one word here as in search.
//!
//! Each record is a vector of terms: its folded syllables and the bigrams of adjacent ones,
//! from the title (weight [`TITLE`]), the question ([`QUESTION`]) and the start of the answer
//! ([`ANSWER`], its first [`ANSWER_TOKENS`] tokens). A term weighs `(1 + ln f) · idf`, where
//! `f` is its weighted count in the record and `idf = ln(1 + N / df)`; vectors have length 1,
//! so two records' score is the cosine of their vectors, the vector of the record whose
//! related ones are sought being cut to its [`QUERY_TERMS`] heaviest terms (its rarest, most repeated
//! words: they decide what it is about, and they bound the work). Scores come from an inverted
//! index: a record meets only the records that share a term with it, never all pairs. Terms found
//! in one record alone meet nobody, and terms found in more than a [`COMMON`] share of the
//! records ("của", "được", "theo quy định") say little and would make the index quadratic:
//! neither has postings, though both count in a record's length.
//!
//! Order: score (highest first, to six decimals), then the number of shared agency and topics, then id. A
//! record below [`MIN_SCORE`] is not related: a record may have fewer than five, or none.
//! The result depends only on the records: the same archive gives the same lists.

use super::analysis::Analyzer;
use super::encode::{get_varint, put_varint};
use crate::model::{Archive, Record, RecordIdx};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Related records listed per record.
pub const LIMIT: usize = 5;
/// Weight of a term of the title.
const TITLE: f32 = 3.0;
/// Weight of a term of the question.
const QUESTION: f32 = 2.0;
/// Weight of a term of the answer.
const ANSWER: f32 = 1.0;
/// Tokens of the answer that count: its opening says what it is about; the rest is often
/// the text of a law, shared by many answers.
pub const ANSWER_TOKENS: usize = 300;
/// A term in more than this share of the records gets no postings.
const COMMON: f32 = 0.05;
/// Below this many records, no term counts as common (in a small archive every share is
/// large).
const COMMON_FLOOR: usize = 50;
/// Terms of a record that look for related ones: its heaviest (the rarest and most repeated).
const QUERY_TERMS: usize = 40;
/// Terms in more records than this get no postings whatever the archive's size: past it a term
/// tells little, and the work of a record's search grows with the archive (at 100,000 generated
/// records, 5% alone cost 40 s and 6 GB).
const COMMON_MAX: usize = 1000;
/// How many postings one record's search reads at most, its rarest terms first: the cost of the
/// whole computation stays linear in the archive's size.
const VISITS: usize = 8000;
/// The lowest cosine that makes two records related.
const MIN_SCORE: f32 = 0.1;

/// The related records of every record, by archive position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Related {
    lists: Vec<Vec<RecordIdx>>,
}

impl Related {
    /// The records related to record `i`, most related first; empty for a record the lists
    /// do not know (the preview's fast path keeps the lists of the last full build).
    pub fn of(&self, i: RecordIdx) -> &[RecordIdx] {
        self.lists.get(i).map_or(&[], Vec::as_slice)
    }

    /// The records that list any of `records` among their related ones, in archive order.
    pub fn listing(&self, records: &[RecordIdx]) -> Vec<RecordIdx> {
        (0..self.lists.len())
            .filter(|&i| self.lists[i].iter().any(|j| records.contains(j)))
            .collect()
    }

    /// Lists given as they are: record `i` is related to `lists[i]`.
    pub fn from_lists(lists: Vec<Vec<RecordIdx>>) -> Related {
        Related { lists }
    }

    /// Computes the related records of every record of the archive, analysing its texts.
    pub fn compute(archive: &Archive) -> Related {
        Related {
            lists: compute(&archive.records),
        }
    }

    /// The same lists as [`Related::compute`], from the records' syllables as the build's one
    /// analysis numbered them ([`super::invert::Analysis`]): `names` are its words and `pairs`
    /// its pairs of adjacent words, by number. Terms are counted by number, not by hash; their
    /// hashes only order them, as [`Related::compute`]'s do, so that every sum is made in the
    /// same order and the lists are the same (unless two terms' 64-bit hashes collide).
    pub fn from_syllables(
        archive: &Archive,
        syllables: &Syllables,
        names: &[Box<str>],
        pairs: &[(u32, u32)],
    ) -> Related {
        let records = &archive.records;
        let n = records.len();
        let h = hasher();
        // A term is a word (its number) or a pair (the number of words plus its number). Terms
        // are taken in the order of their hashes, as [`Related::compute`] takes them: each
        // term's rank in that order stands for it below.
        let first_pair = names.len() as u32;
        let hashes: Vec<Term> = names
            .par_iter()
            .map(|w| h.hash_one(&**w))
            .chain(
                pairs
                    .par_iter()
                    .map(|&(a, b)| h.hash_one((&*names[a as usize], &*names[b as usize]))),
            )
            .collect();
        let mut order: Vec<u32> = (0..hashes.len() as u32).collect();
        order.par_sort_unstable_by_key(|&t| (hashes[t as usize], t));
        let mut rank = vec![0u32; hashes.len()];
        for (r, &t) in order.iter().enumerate() {
            rank[t as usize] = r as u32;
        }
        drop(hashes);
        // Calls `f(term, weight)` for each term of record `i` (by number), as often as it occurs.
        // The tables below are by number too: a term's rank is looked up once per distinct term
        // of a record, to order them, not at every occurrence.
        let each_term = |i: RecordIdx, f: &mut dyn FnMut(u32, f32)| {
            let weights = [TITLE, QUESTION, ANSWER];
            syllables.each(i, |text, position, n| {
                let weight = weights[text];
                if position == 0 {
                    f(n, weight);
                } else {
                    f(pairs[n as usize].1, weight);
                    f(first_pair + n, weight);
                }
            });
        };
        // Counted per piece of the archive (a few per thread: each piece has its own table,
        // which threads sharing one would fight over), then summed. A term counts once per
        // record: `seen` holds the last record (plus one) that counted it.
        let pieces = 2 * rayon::current_num_threads().max(1);
        let df: Vec<u32> = (0..n)
            .into_par_iter()
            .with_min_len(n.div_ceil(pieces).max(1))
            .fold(
                || (vec![0u32; rank.len()], vec![0u32; rank.len()]),
                |(mut df, mut seen), i| {
                    let stamp = i as u32 + 1;
                    each_term(i, &mut |t, _| {
                        let t = t as usize;
                        if seen[t] != stamp {
                            seen[t] = stamp;
                            df[t] += 1;
                        }
                    });
                    (df, seen)
                },
            )
            .map(|(df, _)| df)
            .reduce_with(|mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            })
            .unwrap_or_default();
        let common = ((n as f32 * COMMON) as usize).clamp(COMMON_FLOOR, COMMON_MAX);
        // The terms with postings, numbered in the order of their hashes.
        let mut number = vec![u32::MAX; df.len()];
        let mut kept = 0;
        for &t in &order {
            let d = df[t as usize];
            if d >= 2 && d as usize <= common {
                number[t as usize] = kept;
                kept += 1;
            }
        }
        drop(order);
        // Each term's idf, and `1 + ln f` for the counts `f` most terms have, computed once
        // (the same values as computing them every time).
        let idf: Vec<f32> = df
            .par_iter()
            .map(|&d| (1.0 + n as f32 / d.max(1) as f32).ln())
            .collect();
        let damped: Vec<f32> = (0..256).map(|f| 1.0 + (f as f32).ln()).collect();
        // Each record's unit vector, reduced to the terms that have postings, by term number.
        let vectors: Vec<Vec<(u32, f32)>> = (0..n)
            .into_par_iter()
            .map(|i| {
                SCRATCH.with_borrow_mut(|scratch| {
                    // Each term once with its weights summed (`sums` is zero between records),
                    // then in the order of the terms' hashes.
                    let Scratch {
                        scores: sums,
                        touched: distinct,
                        ranked,
                        ..
                    } = scratch;
                    if sums.len() < rank.len() {
                        sums.resize(rank.len(), 0.0);
                    }
                    distinct.clear();
                    each_term(i, &mut |t, w| {
                        let sum = &mut sums[t as usize];
                        if *sum == 0.0 {
                            distinct.push(t);
                        }
                        *sum += w;
                    });
                    // By rank, then number: one sort of whole numbers.
                    ranked.clear();
                    ranked.extend(
                        distinct
                            .iter()
                            .map(|&t| (u64::from(rank[t as usize]) << 32) | u64::from(t)),
                    );
                    ranked.sort_unstable();
                    let mut norm = 0.0f32;
                    let mut vector = Vec::new();
                    for t in ranked.iter().map(|&r| r as u32) {
                        let w = std::mem::take(&mut sums[t as usize]);
                        // Weighted counts are whole numbers (the weights are).
                        let f = w as usize;
                        let damped = if f as f32 == w && f < damped.len() {
                            damped[f]
                        } else {
                            1.0 + w.ln()
                        };
                        let w = damped * idf[t as usize];
                        norm += w * w;
                        if number[t as usize] != u32::MAX {
                            vector.push((number[t as usize], w));
                        }
                    }
                    let norm = norm.sqrt();
                    for (_, w) in &mut vector {
                        *w /= norm;
                    }
                    vector
                })
            })
            .collect();
        drop((rank, df, idf, number));
        Related {
            lists: lists(records, vectors, kept as usize),
        }
    }
}

/// Every record's syllables as related questions read them (the title's, the question's and
/// the first [`ANSWER_TOKENS`] of the answer's), numbered: of each text, its first word, then
/// the pair each next syllable makes with the one before it (whose second word is that
/// syllable). Kept as varints (the first numbers, the most frequent words', are small): at
/// 100,000 records they are most of the memory the build's analysis holds.
#[derive(Debug, Default)]
pub struct Syllables {
    bytes: Vec<u8>,
    /// For each record, where its texts start in `bytes`, and how many syllables each has.
    records: Vec<(usize, [u32; 3])>,
}

impl Syllables {
    /// Adds the next record's three texts, each its first word then its pairs (or empty).
    pub fn push(&mut self, texts: [&[u32]; 3]) {
        let start = self.bytes.len();
        for &n in texts.iter().flat_map(|t| t.iter()) {
            put_varint(&mut self.bytes, u64::from(n));
        }
        self.records.push((start, texts.map(|t| t.len() as u32)));
    }

    /// Calls `f(text, position, number)` for each number of record `i`, in order: position 0
    /// holds a word, the others pairs.
    pub fn each(&self, i: usize, mut f: impl FnMut(usize, usize, u32)) {
        let (mut at, lens) = self.records[i];
        for (text, len) in lens.into_iter().enumerate() {
            for position in 0..len as usize {
                let n = get_varint(&self.bytes, &mut at).unwrap_or(0) as u32;
                f(text, position, n);
            }
        }
    }

    /// Appends the records of `other`, renumbering its words with `word` and its pairs with
    /// `pair`.
    pub fn append(&mut self, other: &Syllables, word: &[u32], pair: &[u32]) {
        let mut texts: [Vec<u32>; 3] = Default::default();
        for i in 0..other.records.len() {
            for t in &mut texts {
                t.clear();
            }
            other.each(i, |text, position, n| {
                let to = if position == 0 { word } else { pair };
                texts[text].push(to[n as usize]);
            });
            self.push([&texts[0], &texts[1], &texts[2]]);
        }
    }
}

/// A term: the hash of a folded syllable or of a pair of adjacent ones. A fixed hasher,
/// so the order of a record's terms (hence the order of its sums) is the same every build.
type Term = u64;

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::default()
}

/// A record's terms with their weighted counts, sorted by term.
fn counts(an: &mut Analyzer, r: &Record) -> Vec<(Term, f32)> {
    let h = hasher();
    let mut terms: Vec<(Term, f32)> = Vec::new();
    let mut field = |an: &mut Analyzer, text: &str, weight: f32, max: usize| {
        let mut previous: Option<String> = None;
        let mut n = 0;
        an.each_token(text, |t| {
            if n >= max {
                return;
            }
            n += 1;
            terms.push((h.hash_one(t.folded), weight));
            if let Some(p) = &previous {
                terms.push((h.hash_one((p.as_str(), t.folded)), weight));
            }
            let p = previous.get_or_insert_with(String::new);
            p.clear();
            p.push_str(t.folded);
        });
    };
    field(an, &r.title, TITLE, usize::MAX);
    field(an, &r.question.plain, QUESTION, usize::MAX);
    if let Some(answer) = &r.answer {
        field(an, &answer.plain, ANSWER, ANSWER_TOKENS);
    }
    merged(terms)
}

/// Terms with their weights summed per term, sorted by term.
fn merged(mut terms: Vec<(Term, f32)>) -> Vec<(Term, f32)> {
    terms.sort_unstable_by_key(|&(t, _)| t);
    let mut out: Vec<(Term, f32)> = Vec::with_capacity(terms.len());
    for (t, w) in terms {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => out.push((t, w)),
        }
    }
    out
}

fn compute(records: &[Record]) -> Vec<Vec<RecordIdx>> {
    compute_with(records, Analyzer::default, |an, i| counts(an, &records[i]))
}

/// The lists, from `terms(state, i)`: the terms of record `i` ([`counts`]), each thread with
/// its own `state` from `init`.
fn compute_with<S>(
    records: &[Record],
    init: impl Fn() -> S + Sync + Send,
    terms: impl Fn(&mut S, RecordIdx) -> Vec<(Term, f32)> + Sync + Send,
) -> Vec<Vec<RecordIdx>> {
    let n = records.len();
    // Terms are made twice (counting, then weighing) rather than keeping every term of
    // every record between the two passes.
    let df: HashMap<Term, u32, foldhash::fast::FixedState> = (0..n)
        .into_par_iter()
        .map_init(&init, &terms)
        .fold(
            || HashMap::with_hasher(hasher()),
            |mut df: HashMap<Term, u32, _>, terms| {
                for (t, _) in terms {
                    *df.entry(t).or_default() += 1;
                }
                df
            },
        )
        .reduce(
            || HashMap::with_hasher(hasher()),
            |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (t, c) in small {
                    *big.entry(t).or_default() += c;
                }
                big
            },
        );
    let common = ((n as f32 * COMMON) as usize).clamp(COMMON_FLOOR, COMMON_MAX);
    // The terms with postings, numbered in the order of their hashes (so the same every build).
    let mut kept: Vec<Term> = df
        .iter()
        .filter(|&(_, &d)| d >= 2 && d as usize <= common)
        .map(|(&t, _)| t)
        .collect();
    kept.sort_unstable();
    let mut ids: HashMap<Term, u32, _> = HashMap::with_hasher(hasher());
    ids.extend(kept.iter().enumerate().map(|(k, &t)| (t, k as u32)));
    let idf = |df: u32| (1.0 + n as f32 / df as f32).ln();
    // Each record's unit vector, reduced to the terms that have postings, by term number.
    let vectors: Vec<Vec<(u32, f32)>> = (0..n)
        .into_par_iter()
        .map_init(&init, |state, i| {
            let mut terms = terms(state, i);
            let mut norm = 0.0f32;
            for (t, w) in &mut terms {
                let d = df.get(t).copied().unwrap_or(1);
                *w = (1.0 + w.ln()) * idf(d);
                norm += *w * *w;
            }
            let norm = norm.sqrt();
            terms
                .into_iter()
                .filter_map(|(t, w)| ids.get(&t).map(|&k| (k, w / norm)))
                .collect::<Vec<(u32, f32)>>()
        })
        .collect();
    drop((df, ids));
    lists(records, vectors, kept.len())
}

thread_local! {
    /// One search's scores by record (all zero between searches), the records it touched and
    /// those it found: allocated once per thread, not once per record, and released once the
    /// lists are made ([`release_scratch`]). Making the vectors uses the first two as well (a
    /// record's weights by term, the terms it has) and `ranked`.
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch {
            scores: Vec::new(),
            touched: Vec::new(),
            found: Vec::new(),
            ranked: Vec::new(),
        })
    };
}

#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
    /// (score as compared, things shared, record).
    found: Vec<(i64, usize, RecordIdx)>,
    /// A record's distinct terms as (rank << 32 | number), to put them in the order of their
    /// hashes.
    ranked: Vec<u64>,
}

/// Frees every thread's [`SCRATCH`]: the tables are as long as the archive and the vocabulary,
/// and `serve` keeps its threads between builds.
fn release_scratch() {
    rayon::broadcast(|_| SCRATCH.take());
}

/// The lists, from each record's unit vector over the `terms` terms that have postings.
fn lists(records: &[Record], vectors: Vec<Vec<(u32, f32)>>, terms: usize) -> Vec<Vec<RecordIdx>> {
    let n = records.len();
    let mut sizes = vec![0usize; terms];
    for &(k, _) in vectors.iter().flatten() {
        sizes[k as usize] += 1;
    }
    let postings = Postings::new(&sizes, &vectors);
    // A record looks for others by its heaviest terms only, read rarest first (see VISITS).
    let queries: Vec<Vec<(u32, f32)>> = vectors
        .into_par_iter()
        .map(|terms| {
            let mut q = terms;
            if q.len() > QUERY_TERMS {
                let heaviest =
                    |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                q.select_nth_unstable_by(QUERY_TERMS, heaviest);
                q.truncate(QUERY_TERMS);
                q.sort_unstable_by_key(|&(k, _)| k);
                // Of length 1 again, so that the score stays a cosine (of the query's terms).
                let norm = q.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                for (_, w) in &mut q {
                    *w /= norm;
                }
            }
            q.sort_unstable_by_key(|&(k, _)| (sizes[k as usize], k));
            q
        })
        .collect();
    let lists = (0..n)
        .into_par_iter()
        .map(|i| {
            SCRATCH.with_borrow_mut(|scratch| search(i, &queries[i], &postings, records, scratch))
        })
        .collect();
    release_scratch();
    lists
}

/// Every term's postings (record, weight), by record, in one allocation: term `k`'s are
/// `list[starts[k]..starts[k + 1]]`.
struct Postings {
    starts: Vec<usize>,
    list: Vec<(u32, f32)>,
}

impl Postings {
    /// From each record's vector, `sizes[k]` being how many records have term `k`.
    fn new(sizes: &[usize], vectors: &[Vec<(u32, f32)>]) -> Postings {
        let mut starts = Vec::with_capacity(sizes.len() + 1);
        starts.push(0);
        let mut end = 0;
        for &s in sizes {
            end += s;
            starts.push(end);
        }
        let mut list = vec![(0, 0.0); end];
        let mut next = starts.clone();
        for (i, terms) in vectors.iter().enumerate() {
            for &(k, w) in terms {
                let at = &mut next[k as usize];
                list[*at] = (i as u32, w);
                *at += 1;
            }
        }
        Postings { starts, list }
    }

    fn of(&self, k: u32) -> &[(u32, f32)] {
        let k = k as usize;
        &self.list[self.starts[k]..self.starts[k + 1]]
    }
}

/// The records related to record `i`, from its query (its terms with their weights, rarest
/// first).
fn search(
    i: RecordIdx,
    query: &[(u32, f32)],
    postings: &Postings,
    records: &[Record],
    scratch: &mut Scratch,
) -> Vec<RecordIdx> {
    let Scratch {
        scores,
        touched,
        found,
        ..
    } = scratch;
    if scores.len() < records.len() {
        scores.resize(records.len(), 0.0);
    }
    let (mut visits, mut met) = (0, 0);
    for &(k, w) in query {
        let list = postings.of(k);
        visits += list.len();
        if visits > VISITS && visits > list.len() {
            break;
        }
        // Room for every posting, so that noting a record met for the first time
        // takes no branch (which the processor would mispredict half the time).
        if touched.len() < met + list.len() {
            touched.resize(met + list.len(), 0);
        }
        // The record itself is met too (it has every term it looks for), and left out below:
        // a test of each posting costs more.
        for &(j, wj) in list {
            let s = &mut scores[j as usize];
            touched[met] = j;
            met += usize::from(*s == 0.0);
            *s += w * wj;
        }
    }
    found.clear();
    // Rounded (a call to libm) only for the records that count: most met score below MIN_SCORE.
    found.extend(touched[..met].iter().filter_map(|&j| {
        let score = std::mem::take(&mut scores[j as usize]);
        (score >= MIN_SCORE && j as usize != i).then(|| (tie(score), 0, j as usize))
    }));
    if found.len() > LIMIT {
        // A record scoring below the LIMIT-th best cannot make the list whatever it shares: only
        // those that can are compared on what they share (reading a record met is a miss of the
        // cache, and most records met, a hundred or more, are above MIN_SCORE).
        found.select_nth_unstable_by(LIMIT - 1, |a, b| b.0.cmp(&a.0));
        let least = found[LIMIT - 1].0;
        found.retain(|f| f.0 >= least);
    }
    for f in found.iter_mut() {
        f.1 = shared(&records[i], &records[f.2]);
    }
    let order = |a: &(i64, usize, RecordIdx), b: &(i64, usize, RecordIdx)| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| records[a.2].id.cmp(&records[b.2].id))
    };
    if found.len() > LIMIT {
        found.select_nth_unstable_by(LIMIT, order);
        found.truncate(LIMIT);
    }
    found.sort_unstable_by(order);
    found.iter().map(|&(_, _, j)| j).collect()
}

/// A score as compared: to six decimals, so that records as alike as each other tie
/// exactly whatever the order of the floating-point sums that scored them.
fn tie(score: f32) -> i64 {
    (f64::from(score) * 1e6).round() as i64
}

/// How much two records share besides their words: 1 for the same agency, 1 per topic.
fn shared(a: &Record, b: &Record) -> usize {
    let agency = usize::from(a.agency.is_some() && a.agency == b.agency);
    agency + a.topics.iter().filter(|t| b.topics.contains(t)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, title: &str, question: &str, answer: &str) -> Record {
        Record {
            asked: Some(jiff::civil::date(2020, 1, 1)),
            ..Record::test_answered(id, title, question, answer)
        }
    }

    fn ids(records: &[Record], lists: &[Vec<RecordIdx>], i: usize) -> Vec<String> {
        lists[i].iter().map(|&j| records[j].id.clone()).collect()
    }

    fn archive() -> Vec<Record> {
        vec![
            record(
                "thue-1",
                "Nộp thuế đất nông nghiệp",
                "Gia đình tôi có đất nông nghiệp, có phải nộp thuế không?",
                "Theo Luật thuế sử dụng đất nông nghiệp, hộ gia đình được miễn thuế.",
            ),
            record(
                "thue-2",
                "Thue dat nong nghiep khi chuyen nhuong",
                "Chuyen nhuong dat nong nghiep thi nop thue the nao?",
                "",
            ),
            record(
                "xay-1",
                "Cấp giấy phép xây dựng nhà ở",
                "Xây nhà ở riêng lẻ có cần giấy phép xây dựng không?",
                "Nhà ở riêng lẻ tại đô thị phải có giấy phép xây dựng.",
            ),
            record(
                "xay-2",
                "Giấy phép xây dựng có thời hạn",
                "Thời hạn của giấy phép xây dựng là bao lâu?",
                "Giấy phép xây dựng hết hạn sau 12 tháng nếu chưa khởi công.",
            ),
            record(
                "hoc-1",
                "Tuyển sinh lớp một",
                "Con tôi sinh năm 2019, khi nào được vào lớp một?",
                "Trẻ sáu tuổi được tuyển sinh vào lớp một.",
            ),
            record("le", "Lễ hội", "Khi nào có pháo hoa?", ""),
        ]
    }

    #[test]
    fn records_meet_those_about_the_same_thing_folded_or_not() {
        let records = archive();
        let lists = compute(&records);
        assert_eq!(ids(&records, &lists, 0)[0], "thue-2", "diacritics fold");
        assert_eq!(ids(&records, &lists, 1)[0], "thue-1");
        assert_eq!(ids(&records, &lists, 2)[0], "xay-2");
        assert_eq!(ids(&records, &lists, 3)[0], "xay-1");
        assert!(
            lists[5].is_empty(),
            "nothing in common: {:?}",
            ids(&records, &lists, 5)
        );
    }

    #[test]
    fn never_itself_never_more_than_five_and_the_same_every_time() {
        // Twelve near copies: each has eleven candidates, all scoring alike.
        let records: Vec<Record> = (0..12)
            .map(|k| {
                record(
                    &format!("r{k:02}"),
                    "Đăng ký khai sinh cho con",
                    &format!("Đăng ký khai sinh cho con thứ {k} ở đâu?"),
                    "Tại ủy ban nhân dân xã nơi cư trú.",
                )
            })
            .collect();
        let lists = compute(&records);
        for (i, list) in lists.iter().enumerate() {
            assert_eq!(list.len(), LIMIT, "record {i}");
            assert!(!list.contains(&i), "record {i} lists itself");
            let mut unique = list.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), list.len(), "record {i} lists one twice");
        }
        for _ in 0..3 {
            assert_eq!(compute(&records), lists);
        }
        // Equal scores: ids decide, so reversing the archive gives the same ids.
        let reversed: Vec<Record> = records.iter().rev().cloned().collect();
        let again = compute(&reversed);
        for i in 0..records.len() {
            assert_eq!(
                ids(&records, &lists, i),
                ids(&reversed, &again, records.len() - 1 - i)
            );
        }
        assert_eq!(
            ids(&records, &lists, 0),
            ["r01", "r02", "r03", "r04", "r05"]
        );
    }

    #[test]
    fn shared_agency_and_topics_break_ties() {
        let mut records: Vec<Record> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| record(id, "Hộ chiếu", "Làm hộ chiếu ở đâu?", ""))
            .collect();
        records[3].topics = vec![1];
        records[0].topics = vec![1];
        records[2].agency = Some(0);
        records[0].agency = Some(0);
        let lists = compute(&records);
        assert_eq!(ids(&records, &lists, 0), ["c", "d", "b"]);
        assert_eq!(ids(&records, &lists, 1), ["a", "c", "d"]);
    }

    #[test]
    fn long_texts_still_meet_their_kin() {
        // Answers of hundreds of terms, each shared by two records: a query cut to its heaviest
        // terms is made of length 1 again, or the cosine of two long records, cut, would fall
        // under the threshold.
        let long = |seed: usize| {
            (0..300)
                .map(|k| format!("w{}x", seed * 1000 + k))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let records = vec![
            record("a", "Đổi giấy phép lái xe", "Đổi ở đâu?", &long(1)),
            record(
                "b",
                "Giấy phép lái xe hết hạn",
                "Làm lại thế nào?",
                &long(1),
            ),
            record("c", "Lệ phí trước bạ nhà đất", "Nộp khi nào?", &long(2)),
            record("d", "Trước bạ khi mua nhà", "Bao nhiêu tiền?", &long(2)),
        ];
        let lists = compute(&records);
        assert_eq!(ids(&records, &lists, 0), ["b"]);
        assert_eq!(ids(&records, &lists, 2), ["d"]);
        assert_eq!(ids(&records, &lists, 3), ["c"]);
    }

    /// A few hundred records of a small vocabulary, written with and without diacritics, with
    /// long answers: terms common enough to lose their postings, queries cut to their
    /// heaviest terms, and searches that stop at [`VISITS`].
    fn varied(n: usize) -> Vec<Record> {
        let heads = [
            "th", "ng", "đ", "ph", "kh", "tr", "gi", "b", "x", "h", "Đ", "d",
        ];
        let tails = [
            "uế", "ất", "ông", "iệp", "ấy", "ép", "ây", "ựng", "ai", "inh", "ue", "at",
        ];
        let words: Vec<String> = heads
            .iter()
            .flat_map(|h| tails.iter().map(move |t| format!("{h}{t}")))
            .chain(["2019", "TT-BTC", "của", "và"].map(String::from))
            .collect();
        let mut seed = 7u64;
        let mut next = |m: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % m
        };
        // Half the words of a text from its record's group of 12 words, half from all of them
        // (skewed: the first words much more frequent than the last).
        let mut text = |len: usize, group: usize| {
            (0..len)
                .map(|_| {
                    let w = if next(2) == 0 {
                        (group * 12 + next(12)) % words.len()
                    } else {
                        next(words.len()) * next(words.len()) / words.len()
                    };
                    words[w].as_str()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        (0..n)
            .map(|k| {
                let group = k % 13;
                let (title, question) = (text(6, group), text(40, group));
                let answer = text(k % 400, group);
                record(&format!("r{k:03}"), &title, &question, &answer)
            })
            .collect()
    }

    /// The build makes the lists from its one analysis of the archive: they are the lists of
    /// analysing the texts here.
    #[test]
    fn the_builds_analysis_gives_the_same_lists() {
        for records in [archive(), varied(40), varied(700)] {
            let expected = compute(&records);
            let full = expected.iter().filter(|list| list.len() == LIMIT).count();
            assert!(records.len() < 100 || full > records.len() / 2, "{full}");
            let archive = Archive {
                records,
                ..Archive::default()
            };
            let mut analysis = crate::search::analyse(&archive);
            assert_eq!(analysis.related(&archive).lists, expected);
        }
    }

    #[test]
    fn postings_hold_each_terms_records_in_order() {
        let vectors = vec![vec![(0, 0.5), (2, 0.5)], vec![(2, 0.25)], vec![(0, 1.0)]];
        let postings = Postings::new(&[2, 0, 2], &vectors);
        assert_eq!(postings.of(0), [(0, 0.5), (2, 1.0)]);
        assert!(postings.of(1).is_empty());
        assert_eq!(postings.of(2), [(0, 0.5), (1, 0.25)]);
    }

    #[test]
    fn the_scratch_tables_are_released_after_the_lists() {
        // A pool of its own: other tests' searches use the global one's threads meanwhile.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let held = pool.install(|| {
            let lists = compute(&varied(200));
            assert!(lists.iter().any(|list| !list.is_empty()));
            rayon::broadcast(|_| {
                SCRATCH.with_borrow(|s| {
                    s.scores.capacity() + s.touched.capacity() + s.found.capacity()
                })
            })
        });
        assert_eq!(held, [0, 0]);
    }

    #[test]
    fn listing_finds_the_records_that_show_one() {
        let related = Related::from_lists(vec![vec![1, 2], vec![0], vec![], vec![2, 1]]);
        assert_eq!(related.listing(&[2]), [0, 3]);
        assert_eq!(related.listing(&[0, 2]), [0, 1, 3]);
        assert!(related.listing(&[3]).is_empty());
    }

    #[test]
    fn empty_and_single_archives() {
        assert!(compute(&[]).is_empty());
        let one = vec![record("a", "Một", "Câu hỏi?", "")];
        assert_eq!(compute(&one), vec![Vec::<RecordIdx>::new()]);
        assert!(Related::default().of(3).is_empty());
    }
}

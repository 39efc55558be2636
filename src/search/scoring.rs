//! The ranking model shared by `hoidap search` (over tantivy) and the static client
//! (over the published index): BM25 per feature, quantised to integers so that both sides
//! compute bit-identical scores. `search.js` implements [`rank`] line for line.

use super::analysis::{Analyzer, Token, bigrams};
use super::encode::Posting;
use crate::model::Record;
use std::collections::HashMap;

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// A term keeps at most this many postings: those where it weighs most. Common syllables
/// (`của`, `và`, `người`) would otherwise be posting lists as long as the archive.
pub const CAP: usize = 600;

/// What a query term is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Folded syllables of title, question and answer; title syllables count
    /// `TITLE_WEIGHT` times (BM25F), which is the title boost.
    Body = 0,
    /// Syllables with their diacritics, only where they have any.
    Exact = 1,
    /// Adjacent folded syllables.
    Bigram = 2,
}

/// A syllable in the title counts as this many in the body.
pub const TITLE_WEIGHT: u32 = 3;

impl Field {
    pub const ALL: [Field; 3] = [Field::Body, Field::Exact, Field::Bigram];

    /// Integer weights: a syllable written with the query's diacritics adds half a match,
    /// and an adjacent pair counts like a word.
    pub fn boost(self) -> u64 {
        match self {
            Field::Body => 2,
            Field::Exact => 1,
            Field::Bigram => 2,
        }
    }

    /// Which length normalises this field: the title-weighted length, the plain length or
    /// the number of bigrams.
    pub fn length_slot(self) -> usize {
        self as usize
    }

    pub fn from_u8(v: u8) -> Option<Field> {
        Field::ALL.into_iter().find(|f| *f as u8 == v)
    }
}

/// Inverse document frequency, times 1000, rounded: an integer both sides agree on.
pub fn idf_q(n: u64, df: u64) -> u64 {
    let n = n as f64;
    let df = df as f64;
    (1000.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln()).round() as u64
}

/// BM25's term-frequency part, quantised to 1..=255 (255 is the saturation K1 + 1).
pub fn impact(tf: u32, len: u32, avg_len: f64) -> u8 {
    let tf = f64::from(tf);
    let norm = 1.0 - B + B * f64::from(len) / avg_len.max(1e-9);
    let w = tf * (K1 + 1.0) / (tf + K1 * norm);
    (w / (K1 + 1.0) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// Keeps the `CAP` postings with the highest impact (ties: lower ordinal), sorted by ordinal.
pub fn cap(mut postings: Vec<Posting>) -> Vec<Posting> {
    if postings.len() > CAP {
        postings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        postings.truncate(CAP);
    }
    postings.sort_unstable_by_key(|p| p.0);
    postings
}

/// The text parts of a record that search reads: title, question, answer.
pub fn record_parts(r: &Record) -> [&str; 3] {
    [
        r.title.as_str(),
        r.question.plain.as_str(),
        r.answer.as_ref().map_or("", |a| a.plain.as_str()),
    ]
}

/// One term of a query in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub field: Field,
    pub term: String,
    /// The folded form that picks the dictionary shard.
    pub shard_key: String,
}

/// A query analysed: the features that score and those a record must have (quoted phrases).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub features: Vec<Feature>,
    /// Indexes into `features` that every hit must match.
    pub required: Vec<usize>,
    /// Folded query syllables, for highlighting.
    pub words: Vec<String>,
}

/// At most this many syllables of a query are used.
pub const MAX_QUERY_TOKENS: usize = 12;

/// Analyses a query. Text in double quotes is a phrase: hits must hold its adjacent pairs.
pub fn plan(an: &mut Analyzer, query: &str) -> Plan {
    let mut p = Plan::default();
    let mut segments: Vec<(bool, Vec<Token>)> = Vec::new();
    let mut budget = MAX_QUERY_TOKENS;
    for (i, seg) in query.split('"').enumerate() {
        let mut toks = an.tokens(seg);
        toks.truncate(budget);
        budget -= toks.len();
        segments.push((i % 2 == 1, toks));
    }
    for (_, toks) in &segments {
        for t in toks {
            add(&mut p, Field::Body, &t.folded, &t.folded);
            if t.exact != t.folded {
                add(&mut p, Field::Exact, &t.exact, &t.folded);
            }
            if !p.words.contains(&t.folded) {
                p.words.push(t.folded.clone());
            }
        }
    }
    for (phrase, toks) in &segments {
        for g in bigrams(toks) {
            let i = add(&mut p, Field::Bigram, &g, &g);
            if *phrase && !p.required.contains(&i) {
                p.required.push(i);
            }
        }
        if *phrase && toks.len() == 1 {
            let i = add(&mut p, Field::Body, &toks[0].folded, &toks[0].folded);
            if !p.required.contains(&i) {
                p.required.push(i);
            }
        }
    }
    p
}

fn add(p: &mut Plan, field: Field, term: &str, shard_key: &str) -> usize {
    if let Some(i) = p
        .features
        .iter()
        .position(|f| f.field == field && f.term == term)
    {
        return i;
    }
    p.features.push(Feature {
        field,
        term: term.to_string(),
        shard_key: shard_key.to_string(),
    });
    p.features.len() - 1
}

/// A term's data as both indexes give it: its idf and its capped postings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermPostings {
    pub idf_q: u64,
    pub postings: Vec<Posting>,
}

/// Ranks documents: the sum over features of boost × idf × impact, restricted to the
/// `allowed` ordinals (filters) and to those matching every required feature.
/// Ties go to the lower ordinal (the newer record). Returns every hit, best first.
pub fn rank(
    plan: &Plan,
    terms: &[Option<TermPostings>],
    allowed: Option<&[bool]>,
) -> Vec<(u32, u64)> {
    let mut scores: HashMap<u32, u64> = HashMap::new();
    for (f, tp) in plan.features.iter().zip(terms) {
        let Some(tp) = tp else { continue };
        let w = f.field.boost() * tp.idf_q;
        for &(ord, q) in &tp.postings {
            *scores.entry(ord).or_default() += w * u64::from(q);
        }
    }
    let mut hits: Vec<(u32, u64)> = scores
        .into_iter()
        .filter(|(ord, _)| allowed.is_none_or(|a| a.get(*ord as usize).copied().unwrap_or(false)))
        .filter(|(ord, _)| {
            plan.required.iter().all(|&i| {
                terms
                    .get(i)
                    .and_then(Option::as_ref)
                    .is_some_and(|tp| tp.postings.binary_search_by_key(ord, |p| p.0).is_ok())
            })
        })
        .collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits
}

/// A score for people: the integer score scaled back to BM25's order of magnitude.
pub fn display_score(score: u64) -> f64 {
    (score as f64 / 255_000.0 * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_saturates_and_normalises() {
        assert!(impact(1, 10, 100.0) > impact(1, 1000, 100.0));
        assert!(impact(10, 100, 100.0) > impact(1, 100, 100.0));
        assert_eq!(impact(1000, 1, 100.0), 255);
        assert!(impact(1, 100_000, 1.0) >= 1);
    }

    #[test]
    fn rarer_terms_weigh_more() {
        assert!(idf_q(10_000, 3) > idf_q(10_000, 3_000));
        assert!(idf_q(10, 10) > 0);
    }

    #[test]
    fn cap_keeps_the_strongest() {
        let postings: Vec<Posting> = (0..(CAP as u32 + 10))
            .map(|o| (o, (o % 200 + 1) as u8))
            .collect();
        let kept = cap(postings);
        assert_eq!(kept.len(), CAP);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(kept.iter().all(|p| p.1 > 1));
    }

    #[test]
    fn plan_has_fields_bigrams_and_phrases() {
        let mut an = Analyzer::default();
        let p = plan(&mut an, "Đường \"nộp thuế\"");
        let terms: Vec<(Field, &str)> = p
            .features
            .iter()
            .map(|f| (f.field, f.term.as_str()))
            .collect();
        assert!(terms.contains(&(Field::Exact, "đường")));
        assert!(terms.contains(&(Field::Body, "duong")));
        assert!(terms.contains(&(Field::Bigram, "nop thue")));
        // Adjacent pairs across the quote are not made; inside it they are required.
        assert!(!terms.contains(&(Field::Bigram, "duong nop")));
        assert_eq!(p.required.len(), 1);
        assert_eq!(p.features[p.required[0]].term, "nop thue");
        assert_eq!(p.words, ["duong", "nop", "thue"]);
        let exact = p.features.iter().find(|f| f.field == Field::Exact).unwrap();
        assert_eq!(exact.shard_key, "duong");
    }

    #[test]
    fn rank_sums_and_breaks_ties_by_ordinal() {
        let mut an = Analyzer::default();
        let p = plan(&mut an, "thuế");
        let t = |postings: Vec<Posting>| {
            Some(TermPostings {
                idf_q: 100,
                postings,
            })
        };
        let mut terms = vec![None; p.features.len()];
        terms[0] = t(vec![(1, 10), (2, 10), (3, 5)]);
        terms[1] = t(vec![(3, 20)]);
        let hits = rank(&p, &terms, None);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), [3, 1, 2]);
        let allowed = [false, true, false, false];
        assert_eq!(rank(&p, &terms, Some(&allowed)).len(), 1);
    }
}

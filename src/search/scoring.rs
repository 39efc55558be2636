//! The ranking model shared by `hoidap search` (over tantivy) and the static client
//! (over the published index): BM25 per feature, quantised to integers so that both sides
//! compute bit-identical scores. `search.js` implements [`rank`] line for line.

use super::abbrev::Abbreviations;
use super::analysis::{Analyzer, Token, bigrams};
use super::encode::Posting;
use crate::model::Record;
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

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
        // Which postings are kept matters, not their order (by ordinal, below): a selection in
        // linear time rather than a sort of a common term's whole list.
        postings.select_nth_unstable_by(CAP - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
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

/// A query analysed: the features that score, those a record must have (quoted phrases),
/// and the words and adjacent pairs a record holds or misses (coordination).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub features: Vec<Feature>,
    /// Indexes into `features` that every hit must match.
    pub required: Vec<usize>,
    /// The query's distinct folded syllables: the words a record holds or misses.
    pub words: Vec<String>,
    /// For each of `words`, the features (indexes into `features`) whose records hold it:
    /// its body term, and the short form of an abbreviation whose long form it is part of
    /// in the query (`giấy phép lái xe` is held by a record that writes `GPLX`).
    pub holds: Vec<Vec<usize>>,
    /// For each distinct pair of adjacent syllables of the query, the features whose records
    /// hold it: its bigram term, and the short form of an abbreviation whose long form holds
    /// the pair in the query. Within "all words" and within "some words", records holding
    /// more of the pairs come first: they hold the query's words in its order.
    pub pairs: Vec<Vec<usize>>,
    /// Whether the pairs a record holds are counted from their sets (exactly), which a query
    /// of at most [`LONG_QUERY_WORDS`] words does; a longer one counts them from their ranking
    /// lists (a capped pair's 600 heaviest records), as the sets of its many pairs would be
    /// most of its download.
    pub pair_sets: bool,
    /// What to highlight, folded: the words, the short forms of the long forms in the query,
    /// and the long forms of the short forms in it, each as one mark of several syllables
    /// separated by spaces (highlighted only where they stand in a row).
    pub marks: Vec<String>,
}

/// At most this many syllables of a query are used (a question pasted whole).
pub const MAX_QUERY_TOKENS: usize = 64;

/// Analyses a query: the one place where a query's text becomes what is searched (a
/// rewriting step, such as corrections, goes in front of it). Text in double quotes is a
/// phrase: hits must hold its adjacent pairs. `search.js` has the same function, `plan`.
pub fn plan(an: &mut Analyzer, abbr: &Abbreviations, query: &str) -> Plan {
    let mut p = Plan::default();
    let mut segments: Vec<(bool, Vec<Token>)> = Vec::new();
    let mut budget = MAX_QUERY_TOKENS;
    for (i, seg) in query.split('"').enumerate() {
        let mut toks = an.tokens(seg);
        toks.truncate(budget);
        budget -= toks.len();
        segments.push((i % 2 == 1, toks));
    }
    // Long forms found in the query: (segment, first syllable, syllables, short form's feature).
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (s, (_, toks)) in segments.iter().enumerate() {
        for t in toks {
            let body = add(&mut p, Field::Body, &t.folded, &t.folded);
            if t.exact != t.folded {
                add(&mut p, Field::Exact, &t.exact, &t.folded);
            }
            if !p.words.contains(&t.folded) {
                p.words.push(t.folded.clone());
                p.holds.push(vec![body]);
                push_new(&mut p.marks, &t.folded);
            }
            if let Some(a) = abbr.list.iter().find(|a| a.short == t.folded) {
                for long in &a.long {
                    push_new(&mut p.marks, long);
                }
            }
        }
        let folded: Vec<&str> = toks.iter().map(|t| t.folded.as_str()).collect();
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        abbr.matches(&folded, |i, n, short| found.push((i, n, short.to_string())));
        for (i, n, short) in found {
            let f = add(&mut p, Field::Body, &short, &short);
            push_new(&mut p.marks, &short);
            for word in &folded[i..i + n] {
                if let Some(w) = p.words.iter().position(|x| x == word)
                    && !p.holds[w].contains(&f)
                {
                    p.holds[w].push(f);
                }
            }
            spans.push((s, i, n, f));
        }
    }
    for (s, (phrase, toks)) in segments.iter().enumerate() {
        for (k, g) in bigrams(toks).enumerate() {
            let i = add(&mut p, Field::Bigram, &g, &g);
            if *phrase && !p.required.contains(&i) {
                p.required.push(i);
            }
            let pair = match p.pairs.iter().position(|h| h[0] == i) {
                Some(at) => at,
                None => {
                    p.pairs.push(vec![i]);
                    p.pairs.len() - 1
                }
            };
            // Syllables k and k + 1 inside a long form: a record writing the short form
            // holds the pair.
            for &(_, _, _, f) in spans
                .iter()
                .filter(|&&(at, from, n, _)| at == s && from <= k && k + 1 < from + n)
            {
                if !p.pairs[pair].contains(&f) {
                    p.pairs[pair].push(f);
                }
            }
        }
        if *phrase && toks.len() == 1 {
            let i = add(&mut p, Field::Body, &toks[0].folded, &toks[0].folded);
            if !p.required.contains(&i) {
                p.required.push(i);
            }
        }
    }
    p.pair_sets = p.words.len() <= LONG_QUERY_WORDS;
    p
}

fn push_new(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
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

/// A query of more than this many words is long: its very common words are left out.
pub const LONG_QUERY_WORDS: usize = 8;
/// A word held by more than one record in this many is very common.
pub const COMMON_SHARE: u64 = 8;

/// The plan that is searched, once the archive's document frequencies of the query's
/// features are known (`df(i)` for `plan.features[i]`, `None` when no record holds it), and
/// which features of `plan` it keeps (by index). In a long query (more than
/// [`LONG_QUERY_WORDS`] words) the very common words (held by more than one record in
/// [`COMMON_SHARE`]) are left out, with their exact forms, and so are the adjacent pairs that
/// are themselves that common; but at least [`LONG_QUERY_WORDS`] words stay (the rarest of the
/// common ones make up the number), and a required feature (a quoted phrase) always stays. They would weigh almost nothing, yet their lists and sets would be most
/// of the download. Such a query is decided by its rarer words, wherever they stand.
pub fn prune(plan: &Plan, df: impl Fn(usize) -> Option<u64>, n: u64) -> (Plan, Vec<usize>) {
    let everything = || (plan.clone(), (0..plan.features.len()).collect());
    if plan.words.len() <= LONG_QUERY_WORDS {
        return everything();
    }
    let is_common = |i: usize| df(i).is_some_and(|d| d * COMMON_SHARE > n);
    let mut common: Vec<bool> = plan.holds.iter().map(|h| is_common(h[0])).collect();
    // At least LONG_QUERY_WORDS words are kept: the rarest of the common ones make up for
    // those missing (lowest df, then first in the query).
    let rare = common.iter().filter(|&&c| !c).count();
    if rare < LONG_QUERY_WORDS {
        let mut order: Vec<usize> = (0..common.len()).filter(|&w| common[w]).collect();
        order.sort_by_key(|&w| (df(plan.holds[w][0]).unwrap_or(0), w));
        for w in order.into_iter().take(LONG_QUERY_WORDS - rare) {
            common[w] = false;
        }
    }
    if !common.iter().any(|&c| c) {
        return everything();
    }
    let common_word = |word: &str| {
        plan.words
            .iter()
            .position(|w| w == word)
            .is_some_and(|w| common[w])
    };
    let kept: Vec<usize> = (0..plan.features.len())
        .filter(|&i| {
            let f = &plan.features[i];
            plan.required.contains(&i)
                || match f.field {
                    Field::Body | Field::Exact => !common_word(&f.shard_key),
                    Field::Bigram => !is_common(i),
                }
        })
        .collect();
    let at = |i: usize| kept.iter().position(|&k| k == i);
    let mut out = Plan {
        features: kept.iter().map(|&i| plan.features[i].clone()).collect(),
        required: plan.required.iter().filter_map(|&i| at(i)).collect(),
        marks: plan.marks.clone(),
        pair_sets: plan.pair_sets,
        ..Plan::default()
    };
    for (w, word) in plan.words.iter().enumerate() {
        if !common[w] {
            out.words.push(word.clone());
            out.holds
                .push(plan.holds[w].iter().filter_map(|&i| at(i)).collect());
        }
    }
    // A pair stays while its bigram does (a common pair, left out, would count for no one).
    for pair in &plan.pairs {
        if at(pair[0]).is_some() {
            out.pairs.push(pair.iter().filter_map(|&i| at(i)).collect());
        }
    }
    (out, kept)
}

/// A term's data as both indexes give it: its idf, its capped postings and, when the cap
/// cut them, every record that holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermPostings {
    /// Records holding the term.
    pub df: u64,
    pub idf_q: u64,
    pub postings: Vec<Posting>,
    /// Every record holding the term, sorted, when `postings` is capped (body and bigram
    /// terms only: exact terms are only a ranking signal). `None`: the postings are all.
    pub members: Option<Vec<u32>>,
}

impl TermPostings {
    /// A term's data from all its postings, in any order, in an archive of `n` records.
    pub fn of(n: u64, field: Field, all: Vec<Posting>) -> TermPostings {
        let df = all.len() as u64;
        let members = (all.len() > CAP && field != Field::Exact).then(|| {
            let mut m: Vec<u32> = all.iter().map(|p| p.0).collect();
            m.sort_unstable();
            m
        });
        TermPostings {
            df,
            idf_q: idf_q(n, df),
            postings: cap(all),
            members,
        }
    }

    fn holds(&self, ord: u32) -> bool {
        match &self.members {
            Some(m) => m.binary_search(&ord).is_ok(),
            None => self.postings.binary_search_by_key(&ord, |p| p.0).is_ok(),
        }
    }

    fn each_member(&self, mut f: impl FnMut(u32)) {
        match &self.members {
            Some(m) => m.iter().for_each(|&o| f(o)),
            None => self.postings.iter().for_each(|p| f(p.0)),
        }
    }
}

/// A ranked query: every hit, best first; the first `all_words` hold every word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub hits: Vec<(u32, u64)>,
    pub all_words: usize,
}

/// Ranks documents. A hit is a record that holds at least one word of the query (exactly:
/// every record, not only those in capped lists), is `allowed` by the filters and matches
/// every required feature. Records holding every word come first; within each group, those
/// holding more of the query's adjacent pairs (exactly, like the words), then the score
/// orders: the sum over features of boost × idf × impact. Ties go to the lower ordinal (the
/// newer record).
pub fn rank(plan: &Plan, terms: &[Option<TermPostings>], allowed: Option<&[bool]>) -> Ranked {
    let mut scores: HashMap<u32, u64> = HashMap::default();
    for (f, tp) in plan.features.iter().zip(terms) {
        let Some(tp) = tp else { continue };
        let w = f.field.boost() * tp.idf_q;
        for &(ord, q) in &tp.postings {
            *scores.entry(ord).or_default() += w * u64::from(q);
        }
    }
    // Words held by each record: (count, last word counted).
    let held = count_held(&plan.holds, terms, true);
    // Adjacent pairs held, among the records holding a word.
    let pairs = count_held(&plan.pairs, terms, plan.pair_sets);
    let words = plan.holds.len() as u32;
    let mut hits: Vec<(bool, u32, u32, u64)> = held
        .into_iter()
        .filter(|(ord, _)| allowed.is_none_or(|a| a.get(*ord as usize).copied().unwrap_or(false)))
        .filter(|(ord, _)| {
            plan.required.iter().all(|&i| {
                terms
                    .get(i)
                    .and_then(Option::as_ref)
                    .is_some_and(|tp| tp.holds(*ord))
            })
        })
        .map(|(ord, (count, _))| {
            let pairs = pairs.get(&ord).map_or(0, |p| p.0);
            let score = scores.get(&ord).copied().unwrap_or(0);
            (count == words, pairs, ord, score)
        })
        .collect();
    hits.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.3.cmp(&a.3))
            .then(a.2.cmp(&b.2))
    });
    Ranked {
        all_words: hits.iter().take_while(|h| h.0).count(),
        hits: hits.into_iter().map(|h| (h.2, h.3)).collect(),
    }
}

/// For each record, how many of the groups it holds (a record holds a group when it holds one
/// of the group's features), with the last group counted: `holds` and `pairs` of a [`Plan`].
/// From the features' sets, or with `sets` false from their ranking lists only.
fn count_held(
    groups: &[Vec<usize>],
    terms: &[Option<TermPostings>],
    sets: bool,
) -> HashMap<u32, (u32, u32)> {
    let mut held: HashMap<u32, (u32, u32)> = HashMap::default();
    for (g, features) in groups.iter().enumerate() {
        let g = g as u32;
        for &i in features {
            let Some(Some(tp)) = terms.get(i) else {
                continue;
            };
            let mut count = |ord: u32| {
                let e = held.entry(ord).or_insert((0, u32::MAX));
                if e.1 != g {
                    e.1 = g;
                    e.0 += 1;
                }
            };
            if sets {
                tp.each_member(count);
            } else {
                tp.postings.iter().for_each(|p| count(p.0));
            }
        }
    }
    held
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

    proptest::proptest! {
        /// The selection keeps what sorting by impact (ties: lower ordinal) and cutting kept.
        #[test]
        fn cap_keeps_what_a_sort_kept(impacts in proptest::collection::vec(1u8..6, 0..2000), shift in 0u32..1000) {
            let postings: Vec<Posting> = impacts
                .iter()
                .enumerate()
                .map(|(i, &q)| ((i as u32 * 7919 + shift) % 100_003, q))
                .collect();
            let mut sorted = postings.clone();
            sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            sorted.truncate(CAP);
            sorted.sort_by_key(|p| p.0);
            proptest::prop_assert_eq!(cap(postings), sorted);
        }
    }

    #[test]
    fn plan_has_fields_bigrams_and_phrases() {
        let mut an = Analyzer::default();
        let p = plan(&mut an, &Abbreviations::default(), "Đường \"nộp thuế\"");
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
        let p = plan(&mut an, &Abbreviations::default(), "thuế");
        let t = |postings: Vec<Posting>| {
            Some(TermPostings {
                df: 0,
                idf_q: 100,
                postings,
                members: None,
            })
        };
        let mut terms = vec![None; p.features.len()];
        terms[0] = t(vec![(1, 10), (2, 10), (3, 5)]);
        terms[1] = t(vec![(3, 20)]);
        let ranked = rank(&p, &terms, None);
        assert_eq!(
            ranked.hits.iter().map(|h| h.0).collect::<Vec<_>>(),
            [3, 1, 2]
        );
        assert_eq!(ranked.all_words, 3);
        let allowed = [false, true, false, false];
        assert_eq!(rank(&p, &terms, Some(&allowed)).hits.len(), 1);
    }

    /// A term's ranking postings, uncapped, for [`rank`].
    fn ranked_postings(postings: Vec<Posting>) -> Option<TermPostings> {
        Some(TermPostings {
            df: 0,
            idf_q: 1000,
            postings,
            members: None,
        })
    }

    #[test]
    fn records_holding_every_word_come_first() {
        let mut an = Analyzer::default();
        let p = plan(&mut an, &Abbreviations::default(), "nop thue tre");
        assert_eq!(p.words, ["nop", "thue", "tre"]);
        let t = ranked_postings;
        let mut terms = vec![None; p.features.len()];
        // Record 1 holds two words strongly, record 2 all three weakly.
        terms[0] = t(vec![(1, 255), (2, 1)]);
        terms[1] = t(vec![(1, 255), (2, 1)]);
        terms[2] = t(vec![(2, 1)]);
        let ranked = rank(&p, &terms, None);
        assert_eq!(ranked.hits.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(ranked.all_words, 1);
    }

    #[test]
    fn among_records_holding_every_word_those_holding_more_pairs_come_first() {
        let mut an = Analyzer::default();
        let p = plan(&mut an, &Abbreviations::default(), "nop thue tre");
        let pair = |g: &str| {
            p.features
                .iter()
                .position(|f| f.field == Field::Bigram && f.term == g)
                .unwrap()
        };
        let (nop_thue, thue_tre) = (pair("nop thue"), pair("thue tre"));
        assert_eq!(p.pairs, [vec![nop_thue], vec![thue_tre]]);
        let t = ranked_postings;
        let mut terms = vec![None; p.features.len()];
        // Records 1, 2 and 3 hold the three words; 1 strongly, apart; 2 weakly, in order;
        // 3 holds one pair; 4 both pairs but not every word.
        terms[0] = t(vec![(1, 255), (2, 1), (3, 1), (4, 1)]);
        terms[1] = t(vec![(1, 255), (2, 1), (3, 1), (4, 1)]);
        terms[2] = t(vec![(1, 255), (2, 1), (3, 1)]);
        terms[nop_thue] = t(vec![(2, 1), (3, 1), (4, 255)]);
        terms[thue_tre] = t(vec![(2, 1), (4, 255)]);
        let ranked = rank(&p, &terms, None);
        assert_eq!(
            ranked.hits.iter().map(|h| h.0).collect::<Vec<_>>(),
            [2, 3, 1, 4]
        );
        assert_eq!(ranked.all_words, 3);
    }

    #[test]
    fn a_long_query_counts_pairs_from_their_ranking_lists() {
        let mut an = Analyzer::default();
        let abbr = Abbreviations::default();
        // Record 1 holds the pair beyond its ranking list (in its set only), record 2 in it.
        let capped = |p: &Plan| {
            let g = p.pairs[0][0];
            let mut terms = vec![None; p.features.len()];
            for (w, h) in p.holds.iter().enumerate() {
                let postings = if w < 2 { vec![(1, 9), (2, 1)] } else { vec![] };
                terms[h[0]] = Some(TermPostings {
                    df: 2,
                    idf_q: 1000,
                    postings,
                    members: None,
                });
            }
            terms[g] = Some(TermPostings {
                df: 2,
                idf_q: 1,
                postings: vec![(2, 1)],
                members: Some(vec![1, 2]),
            });
            rank(p, &terms, None)
                .hits
                .iter()
                .map(|h| h.0)
                .collect::<Vec<_>>()
        };
        let short = plan(&mut an, &abbr, "nop thue");
        assert!(short.pair_sets);
        assert_eq!(capped(&short), [1, 2]);
        let long = plan(&mut an, &abbr, "nop thue a b c d e f g");
        assert!(long.words.len() > LONG_QUERY_WORDS && !long.pair_sets);
        assert_eq!(capped(&long), [2, 1]);
    }

    #[test]
    fn a_pair_inside_a_long_form_is_held_through_its_short_form() {
        let mut an = Analyzer::default();
        let abbr = Abbreviations::new(&mut an, &[]);
        let p = plan(&mut an, &abbr, "đổi giấy phép lái xe \"quá hạn\"");
        let gplx = p
            .features
            .iter()
            .position(|f| f.field == Field::Body && f.term == "gplx")
            .unwrap();
        let held: Vec<(&str, bool)> = p
            .pairs
            .iter()
            .map(|h| (p.features[h[0]].term.as_str(), h.contains(&gplx)))
            .collect();
        assert_eq!(
            held,
            [
                ("doi giay", false),
                ("giay phep", true),
                ("phep lai", true),
                ("lai xe", true),
                ("qua han", false),
            ]
        );
    }

    #[test]
    fn members_beyond_the_cap_are_hits() {
        let all: Vec<Posting> = (0..(CAP as u32 + 50))
            .map(|o| (o, (o % 7 + 1) as u8))
            .collect();
        let tp = TermPostings::of(10_000, Field::Body, all);
        assert_eq!(tp.postings.len(), CAP);
        assert_eq!(tp.members.as_ref().map(Vec::len), Some(CAP + 50));
        let mut an = Analyzer::default();
        let p = plan(&mut an, &Abbreviations::default(), "thue");
        let mut terms = vec![None; p.features.len()];
        terms[0] = Some(tp);
        let ranked = rank(&p, &terms, None);
        assert_eq!(ranked.hits.len(), CAP + 50);
        assert_eq!(ranked.all_words, CAP + 50);
        let allowed: Vec<bool> = (0..(CAP + 50)).map(|o| o % 100 == 0).collect();
        assert_eq!(rank(&p, &terms, Some(&allowed)).hits.len(), 7);
    }

    #[test]
    fn a_long_form_in_the_query_is_held_through_its_short_form() {
        let mut an = Analyzer::default();
        let abbr = Abbreviations::new(&mut an, &[]);
        let p = plan(&mut an, &abbr, "cấp đổi giấy phép lái xe");
        let gplx = p
            .features
            .iter()
            .position(|f| f.field == Field::Body && f.term == "gplx")
            .expect("the short form is looked up");
        let giay = p.words.iter().position(|w| w == "giay").unwrap();
        assert!(p.holds[giay].contains(&gplx));
        let cap_ = p.words.iter().position(|w| w == "cap").unwrap();
        assert!(!p.holds[cap_].contains(&gplx));
        assert!(p.marks.contains(&"gplx".to_string()));
        let q = plan(&mut an, &abbr, "gplx");
        assert_eq!(q.marks, ["gplx", "giay phep lai xe"]);
    }

    #[test]
    fn long_queries_leave_out_very_common_words() {
        let mut an = Analyzer::default();
        let abbr = Abbreviations::default();
        let text = "của người dân được và là hồ sơ \"thủ tục\" đất đai ở xã đền bù";
        let p = plan(&mut an, &abbr, text);
        assert!(p.words.len() > LONG_QUERY_WORDS);
        let common = [
            "cua",
            "nguoi",
            "dan",
            "duoc",
            "va",
            "la",
            "thu",
            "nguoi dan",
        ];
        let df = |i: usize| {
            let f = &p.features[i];
            Some(if common.contains(&f.term.as_str()) {
                500
            } else {
                10
            })
        };
        let (q, kept) = prune(&p, df, 1000);
        assert_eq!(q.features.len(), kept.len());
        assert!(!q.words.iter().any(|w| common.contains(&w.as_str())));
        assert_eq!(q.words.len(), p.words.len() - 7);
        assert_eq!(q.holds.len(), q.words.len());
        let terms: Vec<&str> = q.features.iter().map(|f| f.term.as_str()).collect();
        // The quoted pair stays required; a common pair goes, a rare one with a common
        // syllable stays.
        assert!(terms.contains(&"thu tuc"));
        assert!(!terms.contains(&"nguoi dan"));
        assert!(terms.contains(&"dan duoc"));
        assert!(terms.contains(&"ho so"));
        assert_eq!(q.features[q.required[0]].term, "thu tuc");
        // Pairs follow their bigrams: the common one is gone, the others point at them.
        assert_eq!(q.pairs.len(), p.pairs.len() - 1);
        assert!(q.pairs.iter().all(
            |h| q.features[h[0]].field == Field::Bigram && q.features[h[0]].term != "nguoi dan"
        ));
        // Short queries are searched whole; of a long one with nothing but common words,
        // the eight rarest stay.
        let short = plan(&mut an, &abbr, "của người dân");
        assert_eq!(prune(&short, |_| Some(900), 1000).0, short);
        let df = |i: usize| Some(900 - i as u64);
        let (q, _) = prune(&p, df, 1000);
        assert_eq!(q.words.len(), LONG_QUERY_WORDS);
        assert_eq!(q.words.last(), p.words.last());
    }

    #[test]
    fn queries_keep_sixty_four_syllables() {
        let mut an = Analyzer::default();
        let text: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let p = plan(&mut an, &Abbreviations::default(), &text.join(" "));
        assert_eq!(p.words.len(), MAX_QUERY_TOKENS);
        assert_eq!(p.words.last().map(String::as_str), Some("w63"));
    }
}

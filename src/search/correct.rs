//! Forgiveness: a query syllable that matches nothing in the archive is rewritten to the
//! syllable the reader most likely meant, before the query is planned.
//!
//! 1. Keystrokes typed with the input method off are decoded: Telex (`thuees` → `thuế`,
//!    `giaasy` → `giấy`, `dungwj` → `dựng`) and VNI (`thue61` → `thuế`). If the decoded
//!    syllable, folded, is in the archive, it is the answer (with its diacritics, so the exact
//!    field helps too).
//! 2. Otherwise the nearest syllables of the archive's vocabulary, one edit away (a letter
//!    swapped with its neighbour, added, changed or dropped), from the syllable as typed or
//!    as decoded. The kind of edit decides first, in that order: a swap or an added letter
//!    keeps every letter the reader typed. Then the syllable in more records, then the
//!    alphabet.
//!
//! The vocabulary is every folded syllable of the body field (letters `a`–`z` only) with its
//! number of records. The command line reads it from the tantivy index; the build writes it
//! to `search/vocab.txt` for the browser, which downloads it only when a syllable is unknown.
//! `themes/default/static/search-correct.js` implements the same steps; the parity test holds
//! them together.

use super::analysis::Analyzer;
use crate::text::nfc;
use std::collections::HashMap;

/// The published vocabulary, relative to the site's output.
pub const VOCAB_FILE: &str = "search/vocab.txt";
/// The first line of the vocabulary file.
const VOCAB_HEADER: &str = "hoidap-vocab 1";
/// Syllables shorter than this are not corrected by edit distance (one edit from a two-letter
/// syllable reaches too many others); decoding still applies.
pub const MIN_TYPO_LEN: usize = 3;

/// Folded syllables of the archive with the number of records that hold each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    terms: HashMap<String, u32>,
}

impl Vocabulary {
    /// From (folded syllable, records) pairs; anything not made of `a`–`z` is left out.
    pub fn new<'a>(terms: impl IntoIterator<Item = (&'a str, u32)>) -> Vocabulary {
        Vocabulary {
            terms: terms
                .into_iter()
                .filter(|(t, _)| in_vocabulary(t))
                .map(|(t, n)| (t.to_string(), n))
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn contains(&self, folded: &str) -> bool {
        self.terms.contains_key(folded)
    }

    /// The file the browser reads: a header line, then the syllables in byte order, one a
    /// line, each as the length of the prefix it shares with the previous one (a digit, at
    /// most 9), the rest of it, a space and its number of records.
    pub fn to_file(&self) -> String {
        let mut sorted: Vec<(&String, &u32)> = self.terms.iter().collect();
        sorted.sort();
        let mut out = String::from(VOCAB_HEADER);
        out.push('\n');
        let mut prev = "";
        for (term, n) in sorted {
            let shared = prev
                .bytes()
                .zip(term.bytes())
                .take_while(|(a, b)| a == b)
                .count()
                .min(9);
            out.push(char::from(b'0' + shared as u8));
            out.push_str(&term[shared..]);
            out.push(' ');
            out.push_str(&n.to_string());
            out.push('\n');
            prev = term;
        }
        out
    }

    /// Reads [`Vocabulary::to_file`]'s format; `Err` names the line that is wrong.
    pub fn from_file(text: &str) -> Result<Vocabulary, String> {
        let mut lines = text.lines();
        if lines.next() != Some(VOCAB_HEADER) {
            return Err(format!("line 1: expected {VOCAB_HEADER:?}"));
        }
        let mut terms = HashMap::new();
        let mut prev = String::new();
        for (i, line) in lines.enumerate() {
            let bad = || format!("line {}: {line:?} is not a vocabulary entry", i + 2);
            let (word, n) = line.split_once(' ').ok_or_else(bad)?;
            let shared = word
                .bytes()
                .next()
                .filter(u8::is_ascii_digit)
                .map(|d| usize::from(d - b'0'))
                .ok_or_else(bad)?;
            if shared > prev.len() || !in_vocabulary(&word[1..]) {
                return Err(bad());
            }
            let term = format!("{}{}", &prev[..shared], &word[1..]);
            let n: u32 = n.parse().map_err(|_| bad())?;
            terms.insert(term.clone(), n);
            prev = term;
        }
        Ok(Vocabulary { terms })
    }

    /// The syllable of the vocabulary nearest to `sources` (as [`nearest`] ranks them).
    fn nearest(&self, sources: &[String]) -> Option<&str> {
        let mut best: Option<(Edit, std::cmp::Reverse<u32>, &str)> = None;
        for (term, &n) in &self.terms {
            let Some(edit) = sources.iter().filter_map(|s| one_edit(s, term)).min() else {
                continue;
            };
            let key = (edit, std::cmp::Reverse(n), term.as_str());
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        best.map(|b| b.2)
    }
}

/// Whether a folded syllable can be in the vocabulary: letters `a`–`z` only.
fn in_vocabulary(folded: &str) -> bool {
    !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_lowercase())
}

/// One edit between what was typed and a syllable of the archive, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edit {
    /// Two neighbouring letters swapped (`dnug` → `dung`).
    Swap,
    /// A letter left out by the reader (`thu` → `thue`).
    Added,
    /// A letter typed wrong (`thuw` → `thue`).
    Changed,
    /// A letter typed too many (`thuee` → `thue`).
    Dropped,
}

/// The edit that turns `typed` into `word`, if exactly one does (Damerau distance 1,
/// adjacent swaps counted as one edit). Compares bytes: both are ASCII.
pub fn one_edit(typed: &str, word: &str) -> Option<Edit> {
    let (a, b) = (typed.as_bytes(), word.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (0, 0) => None,
        (la, lb) if la == lb => {
            if a[1..] == b[1..] {
                Some(Edit::Changed)
            } else if la >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..] {
                Some(Edit::Swap)
            } else {
                None
            }
        }
        (la, lb) if lb == la + 1 => (a == &b[1..]).then_some(Edit::Added),
        (la, lb) if la == lb + 1 => (&a[1..] == b).then_some(Edit::Dropped),
        _ => None,
    }
}

/// Whether `c` is a Vietnamese vowel letter (without tone).
fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// The tones, as the combining marks that write them.
const SAC: char = '\u{301}';
const HUYEN: char = '\u{300}';
const HOI: char = '\u{309}';
const NGA: char = '\u{303}';
const NANG: char = '\u{323}';

/// Letters of a syllable being decoded, and its tone.
#[derive(Default)]
struct Keys {
    letters: Vec<char>,
    tone: Option<char>,
    /// Whether a key did more than type its letter.
    changed: bool,
}

impl Keys {
    /// Index range of the last run of vowels (the nucleus while typing).
    fn nucleus(&self) -> Option<(usize, usize)> {
        let end = self.letters.iter().rposition(|&c| is_vowel(c))? + 1;
        let start = self.letters[..end]
            .iter()
            .rposition(|&c| !is_vowel(c))
            .map_or(0, |p| p + 1);
        Some((start, end))
    }

    /// Puts the mark of `key` (`a`, `e`, `o`: circumflex) on the nucleus's unmarked `key`.
    fn circumflex(&mut self, key: char) -> bool {
        let Some((s, e)) = self.nucleus() else {
            return false;
        };
        let marked = match key {
            'a' => 'â',
            'e' => 'ê',
            _ => 'ô',
        };
        match self.letters[s..e].iter().rposition(|&c| c == key) {
            Some(p) => {
                self.letters[s + p] = marked;
                self.changed = true;
                true
            }
            None => false,
        }
    }

    /// The horn or breve key (Telex `w`, VNI `7` and `8`): `uo` → `ươ`, else `u` → `ư`,
    /// `o` → `ơ`, `a` → `ă` (after the onset `qu`, its `u` is not the nucleus's).
    fn hook(&mut self, horn: bool, breve: bool) -> bool {
        let Some((mut s, e)) = self.nucleus() else {
            return false;
        };
        if s > 0 && self.letters[s - 1] == 'q' && e - s > 1 {
            s += 1;
        }
        let nuc: Vec<char> = self.letters[s..e].to_vec();
        let at = |c: char| nuc.iter().position(|&x| x == c).map(|p| s + p);
        let pair = |a: char, b: char| nuc.windows(2).position(|w| w == [a, b]);
        let mut done = false;
        if horn {
            if let Some(p) = pair('u', 'o') {
                self.letters[s + p] = 'ư';
                self.letters[s + p + 1] = 'ơ';
                done = true;
            } else if let Some(p) = at('u') {
                self.letters[p] = 'ư';
                done = true;
            } else if let Some(p) = at('o').filter(|_| !breve || pair('o', 'a').is_none()) {
                self.letters[p] = 'ơ';
                done = true;
            }
        }
        if !done
            && breve
            && let Some(p) = at('a')
        {
            self.letters[p] = 'ă';
            done = true;
        }
        self.changed |= done;
        done
    }

    fn has_vowel(&self) -> bool {
        self.letters.iter().any(|&c| is_vowel(c))
    }

    fn set_tone(&mut self, tone: char) -> bool {
        if !self.has_vowel() || self.tone == Some(tone) {
            return false;
        }
        self.tone = Some(tone);
        self.changed = true;
        true
    }

    fn finish(self) -> Option<String> {
        if !self.changed {
            return None;
        }
        syllable(&self.letters, self.tone)
    }
}

/// Decodes Telex keystrokes typed with the input method off: `aa ee oo` circumflex,
/// `w` horn or breve (alone: `ư`), `dd` `đ`, `s f r x j` the five tones, `z` no tone.
/// `None` unless a key did something and the result is a Vietnamese syllable.
pub fn telex(typed: &str) -> Option<String> {
    if !typed.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut k = Keys::default();
    for c in typed.chars() {
        let used = match c {
            'a' | 'e' | 'o' => k.circumflex(c),
            'w' => {
                if k.has_vowel() {
                    k.hook(true, true)
                } else {
                    k.letters.push('ư');
                    k.changed = true;
                    true
                }
            }
            'd' if k.letters.first() == Some(&'d') && k.letters.len() == 1 => {
                k.letters[0] = 'đ';
                k.changed = true;
                true
            }
            's' if k.has_vowel() => k.set_tone(SAC),
            'f' if k.has_vowel() => k.set_tone(HUYEN),
            'r' if k.has_vowel() => k.set_tone(HOI),
            'x' if k.has_vowel() => k.set_tone(NGA),
            'j' if k.has_vowel() => k.set_tone(NANG),
            'z' if k.has_vowel() => {
                k.tone = None;
                k.changed = true;
                true
            }
            _ => false,
        };
        if !used {
            if matches!(c, 'f' | 'j' | 'w' | 'z') || k.tone.is_some() && k.tone_key(c) {
                // A key that is no Vietnamese letter, or a tone typed twice.
                return None;
            }
            k.letters.push(c);
        }
    }
    k.finish()
}

impl Keys {
    /// Whether `c` is the Telex key of the current tone (typed twice, it would cancel).
    fn tone_key(&self, c: char) -> bool {
        let key = match self.tone {
            Some(SAC) => 's',
            Some(HUYEN) => 'f',
            Some(HOI) => 'r',
            Some(NGA) => 'x',
            Some(NANG) => 'j',
            _ => return false,
        };
        c == key
    }
}

/// Decodes VNI keystrokes typed with the input method off: `1`–`5` the tones (sắc, huyền,
/// hỏi, ngã, nặng), `6` circumflex, `7` horn, `8` breve, `9` `đ`. `None` unless the digits all
/// did something and the result is a Vietnamese syllable.
pub fn vni(typed: &str) -> Option<String> {
    if !typed
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        || !typed.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut k = Keys::default();
    for c in typed.chars() {
        let used = match c {
            '1' => k.set_tone(SAC),
            '2' => k.set_tone(HUYEN),
            '3' => k.set_tone(HOI),
            '4' => k.set_tone(NGA),
            '5' => k.set_tone(NANG),
            '6' => {
                let (s, e) = k.nucleus()?;
                let key = k.letters[s..e]
                    .iter()
                    .rev()
                    .find(|c| matches!(c, 'a' | 'e' | 'o'))
                    .copied();
                key.is_some_and(|key| k.circumflex(key))
            }
            '7' => k.hook(true, false),
            '8' => k.hook(false, true),
            '9' => {
                let first = k.letters.first() == Some(&'d');
                if first {
                    k.letters[0] = 'đ';
                    k.changed = true;
                }
                first
            }
            c if c.is_ascii_lowercase() => {
                k.letters.push(c);
                true
            }
            _ => false,
        };
        if !used {
            return None;
        }
    }
    k.finish()
}

/// Onsets, longest first.
const ONSETS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
];
/// The vowel groups of Vietnamese syllables (without tones).
const NUCLEI: [&str; 54] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oay", "oeo", "uây", "uôi",
    "uyê", "uya", "uyu", "ươi", "ươu", "yêu",
];
const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// The letters as a syllable with its tone written on the right vowel, NFC; `None` when
/// they are not onset + vowels + final. The tone goes on the vowel with a mark (`ơ` of
/// `ươ`, else the last marked one: `thuế`, `người`), else the only vowel, else the last
/// one before a final consonant (`hoàng`), else the middle of three (`ngoài`), else the
/// first of two (`hòa`, `thủy`, as the archive's administrative texts write them).
fn syllable(letters: &[char], tone: Option<char>) -> Option<String> {
    let word: String = letters.iter().collect();
    let mut onset = ONSETS
        .iter()
        .find(|o| word.starts_with(*o))
        .map_or(0, |o| o.chars().count());
    // `gi` and `qu` are onsets only before another vowel: `gì` is g + i.
    if matches!(&word[..], w if (w.starts_with("gi") || w.starts_with("qu")) && onset == 2)
        && !letters.get(2).is_some_and(|&c| is_vowel(c))
    {
        onset = 1;
    }
    let end = onset
        + letters[onset..]
            .iter()
            .take_while(|&&c| is_vowel(c))
            .count();
    let final_: String = letters[end..].iter().collect();
    let nuc = &letters[onset..end];
    let nucleus: String = nuc.iter().collect();
    if !NUCLEI.contains(&nucleus.as_str()) || !FINALS.contains(&final_.as_str()) {
        return None;
    }
    let marked = |c: char| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư');
    let at = if let Some(p) = nuc.iter().position(|&c| c == 'ơ') {
        p
    } else if let Some(p) = nuc.iter().rposition(|&c| marked(c)) {
        p
    } else if nuc.len() == 1 {
        0
    } else if !final_.is_empty() {
        nuc.len() - 1
    } else if nuc.len() == 3 {
        1
    } else {
        0
    };
    let mut out = String::new();
    for (i, &c) in letters.iter().enumerate() {
        out.push(c);
        if i == onset + at
            && let Some(t) = tone
        {
            out.push(t);
        }
    }
    Some(nfc(&out).into_owned())
}

/// What one syllable was searched as instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// As typed (lower case).
    pub typed: String,
    /// As searched: a decoded syllable with its diacritics, or a syllable of the archive.
    pub instead: String,
}

/// The replacement for one unknown syllable (`exact` as typed in lower case, `folded` its
/// folded form), or `None` when nothing in the vocabulary is near enough.
pub fn correct_syllable(
    an: &mut Analyzer,
    exact: &str,
    folded: &str,
    vocab: &Vocabulary,
) -> Option<String> {
    if !folded
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return None;
    }
    let decoded: Vec<String> = if exact == folded {
        [telex(folded), vni(folded)].into_iter().flatten().collect()
    } else {
        Vec::new()
    };
    for d in &decoded {
        if vocab.contains(&an.fold(d)) {
            return Some(d.clone());
        }
    }
    let mut sources: Vec<String> = Vec::new();
    if in_vocabulary(folded) {
        sources.push(folded.to_string());
    }
    for d in &decoded {
        let f = an.fold(d);
        if !sources.contains(&f) {
            sources.push(f);
        }
    }
    sources.retain(|s| s.len() >= MIN_TYPO_LEN);
    vocab.nearest(&sources).map(str::to_string)
}

/// A query with its unknown syllables replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The query as searched: the text typed, with each corrected syllable replaced in place
    /// (quotes and everything else kept), NFC.
    pub text: String,
    pub corrections: Vec<Correction>,
}

/// Rewrites the syllables of `query` whose folded form `known` says the archive lacks.
/// `vocabulary` is asked only if there is one. A decoded syllable that no record writes with
/// those diacritics (`written`: `daat` decodes to `dât`, which is no word) is searched folded
/// (`dat`), which finds what the reader meant (`đất`) and shows no made-up word. `None` when
/// nothing is changed.
pub fn rewrite<E>(
    an: &mut Analyzer,
    query: &str,
    mut known: impl FnMut(&str) -> Result<bool, E>,
    mut written: impl FnMut(&str) -> Result<bool, E>,
    vocabulary: impl FnOnce() -> Result<Vocabulary, E>,
) -> Result<Option<Rewritten>, E> {
    let text = nfc(query).into_owned();
    let tokens = an.tokens_nfc(&text);
    let mut unknown: Vec<&str> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for t in &tokens {
        if seen.contains(&t.folded.as_str()) {
            continue;
        }
        seen.push(&t.folded);
        if !known(&t.folded)? {
            unknown.push(&t.folded);
        }
    }
    if unknown.is_empty() {
        return Ok(None);
    }
    let vocab = vocabulary()?;
    let mut out = String::with_capacity(text.len());
    let mut corrections: Vec<Correction> = Vec::new();
    let mut at = 0;
    for t in tokens
        .iter()
        .filter(|t| unknown.contains(&t.folded.as_str()))
    {
        let instead = match corrections.iter().find(|c| c.typed == t.exact) {
            Some(c) => c.instead.clone(),
            None => {
                let Some(mut instead) = correct_syllable(an, &t.exact, &t.folded, &vocab) else {
                    continue;
                };
                let folded = an.fold(&instead);
                if folded != instead && !written(&instead)? {
                    instead = folded;
                }
                corrections.push(Correction {
                    typed: t.exact.clone(),
                    instead: instead.clone(),
                });
                instead
            }
        };
        out.push_str(&text[at..t.from]);
        out.push_str(&instead);
        at = t.to;
    }
    if corrections.is_empty() {
        return Ok(None);
    }
    out.push_str(&text[at..]);
    Ok(Some(Rewritten {
        text: out,
        corrections,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::new([
            ("thue", 120),
            ("giay", 80),
            ("gia", 300),
            ("giua", 90),
            ("xay", 40),
            ("dung", 200),
            ("nop", 60),
            ("phep", 70),
            ("nguoi", 500),
            ("dan", 400),
            ("hoa", 30),
            ("ngoai", 20),
            ("hoang", 5),
        ])
    }

    /// `query` rewritten over [`vocab`], where every record writes `dân` for `dan`.
    fn rewritten(query: &str) -> Option<String> {
        let v = vocab();
        rewrite::<()>(
            &mut Analyzer::default(),
            query,
            |f| Ok(v.contains(f)),
            |exact| Ok(exact != "dân" && !exact.starts_with("đ")),
            || Ok(v.clone()),
        )
        .unwrap()
        .map(|r| r.text)
    }

    #[test]
    fn a_decoded_syllable_no_record_writes_is_searched_folded() {
        assert_eq!(
            rewritten("daan").as_deref(),
            Some("dan"),
            "dân is unwritten"
        );
        assert_eq!(
            rewritten("ddans").as_deref(),
            Some("dan"),
            "đán is unwritten"
        );
        assert_eq!(rewritten("nguowif daan").as_deref(), Some("người dan"));
    }

    #[test]
    fn telex_keystrokes_decode_to_syllables() {
        assert_eq!(telex("thuees").as_deref(), Some("thuế"));
        assert_eq!(telex("giaays").as_deref(), Some("giấy"));
        assert_eq!(telex("giaasy").as_deref(), Some("giấy"));
        assert_eq!(telex("xaay").as_deref(), Some("xây"));
        assert_eq!(telex("dungwj").as_deref(), Some("dựng"));
        assert_eq!(telex("nguowif").as_deref(), Some("người"));
        assert_eq!(telex("nguoiwf").as_deref(), Some("người"));
        assert_eq!(telex("ddaan").as_deref(), Some("đân"));
        assert_eq!(telex("hoaf").as_deref(), Some("hòa"));
        assert_eq!(telex("hoangf").as_deref(), Some("hoàng"));
        assert_eq!(telex("ngoaif").as_deref(), Some("ngoài"));
        assert_eq!(telex("gif").as_deref(), Some("gì"));
        assert_eq!(telex("quys").as_deref(), Some("quý"));
        assert_eq!(telex("tw").as_deref(), Some("tư"));
        // Nothing decoded, a tone typed twice, or no syllable: no answer.
        assert_eq!(telex("thue"), None);
        assert_eq!(telex("class"), None);
        assert_eq!(telex("wifi"), None);
        assert_eq!(telex("thuế"), None);
    }

    #[test]
    fn vni_keystrokes_decode_to_syllables() {
        assert_eq!(vni("thue61").as_deref(), Some("thuế"));
        assert_eq!(vni("thu6e1"), None, "6 after u: no circumflex to put");
        assert_eq!(vni("gia6y1").as_deref(), Some("giấy"));
        assert_eq!(vni("d9u7o7ng2").as_deref(), Some("đường"));
        assert_eq!(vni("dung75").as_deref(), Some("dựng"));
        assert_eq!(vni("2016"), None);
        assert_eq!(vni("thue"), None);
        assert_eq!(vni("tt200"), None);
    }

    #[test]
    fn one_edit_finds_swaps_and_single_letters() {
        assert_eq!(one_edit("dnug", "dung"), Some(Edit::Swap));
        assert_eq!(one_edit("giya", "giay"), Some(Edit::Swap));
        assert_eq!(one_edit("giya", "gia"), Some(Edit::Dropped));
        assert_eq!(one_edit("thu", "thue"), Some(Edit::Added));
        assert_eq!(one_edit("thuw", "thue"), Some(Edit::Changed));
        assert_eq!(one_edit("thue", "thue"), None);
        assert_eq!(one_edit("abcd", "badc"), None);
        assert_eq!(one_edit("ab", "abcd"), None);
    }

    #[test]
    fn unknown_syllables_are_corrected_and_known_ones_kept() {
        assert_eq!(rewritten("thuees").as_deref(), Some("thuế"));
        assert_eq!(rewritten("thue61").as_deref(), Some("thuế"));
        assert_eq!(rewritten("giaays").as_deref(), Some("giấy"));
        assert_eq!(rewritten("giaasy").as_deref(), Some("giấy"));
        assert_eq!(rewritten("xaay dungwj").as_deref(), Some("xây dựng"));
        assert_eq!(rewritten("dnug").as_deref(), Some("dung"));
        // A swap keeps every letter typed: it wins over the more frequent `gia`.
        assert_eq!(rewritten("giya").as_deref(), Some("giay"));
        assert_eq!(
            rewritten("\"nop thuees\", giya?").as_deref(),
            Some("\"nop thuế\", giay?")
        );
        assert_eq!(rewritten("nop thue"), None, "every syllable is known");
        assert_eq!(rewritten("qzxv 2016"), None, "nothing near enough");
    }

    #[test]
    fn frequency_decides_between_edits_of_one_kind() {
        let v = Vocabulary::new([("thue", 10), ("thuc", 50)]);
        let mut an = Analyzer::default();
        assert_eq!(
            correct_syllable(&mut an, "thux", "thux", &v).as_deref(),
            Some("thuc")
        );
    }

    #[test]
    fn the_vocabulary_file_round_trips() {
        let v = vocab();
        let file = v.to_file();
        assert!(file.starts_with("hoidap-vocab 1\n0dan 400\n1ung 200\n0gia 300\n3y 80\n2ua 90\n"));
        assert_eq!(Vocabulary::from_file(&file).unwrap(), v);
        assert!(Vocabulary::from_file("nope").is_err());
        assert!(
            Vocabulary::from_file("hoidap-vocab 1\n5abc 3\n")
                .unwrap_err()
                .starts_with("line 2")
        );
        let filtered = Vocabulary::new([("2016", 5), ("thuế", 3), ("thue", 2)]);
        assert_eq!(filtered.len(), 1);
    }
}

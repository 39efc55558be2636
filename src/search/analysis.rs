//! The one text analysis of search: NFC, then tantivy's `SimpleTokenizer`, `LowerCaser` and
//! `AsciiFoldingFilter`. The JavaScript client (`search.js`) reimplements exactly this; the
//! parity tests keep the two together.
//!
//! Tokenizing and lower-casing are written out here as one pass over the text (they are most of the
//! indexing's analysis time); tests hold them equal to tantivy's. Folding is tantivy's own.

use crate::text::nfc;
use std::collections::HashMap;
use std::sync::LazyLock;
use tantivy::tokenizer::{AsciiFoldingFilter, RawTokenizer, TextAnalyzer, TokenStream};

/// A token in its two forms, with its byte range in the NFC text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower case, diacritics kept: `đường`.
    pub exact: String,
    /// Lower case, folded to ASCII: `duong`.
    pub folded: String,
    pub from: usize,
    pub to: usize,
}

/// A token lent to [`Analyzer::each_token`]'s callback: valid until the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    pub exact: &'a str,
    pub folded: &'a str,
    pub from: usize,
    pub to: usize,
}

impl TokenRef<'_> {
    pub fn to_token(self) -> Token {
        Token {
            exact: self.exact.to_string(),
            folded: self.folded.to_string(),
            from: self.from,
            to: self.to,
        }
    }
}

/// The folded analysis as one tantivy analyzer: what [`Analyzer`] must give.
#[cfg(test)]
pub fn folded_analyzer() -> TextAnalyzer {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The exact analysis as tantivy does it: what [`Analyzer::each_token`]'s `exact` must give.
#[cfg(test)]
pub fn exact_analyzer() -> TextAnalyzer {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Characters below this are looked up in [`CHARS`]: Latin (with all of Vietnamese), Greek,
/// Cyrillic and the punctuation of U+2000–U+206F (quotes, dashes, `…`), `₫` and the like.
const TABLE_END: u32 = 0x2200;
/// In a [`CHARS`] entry: the character is alphanumeric (a token character).
const ALPHANUMERIC: u32 = 1 << 31;
/// In a [`CHARS`] entry: its lower case is more than one character; std gives it.
const LOWER_IS_LONGER: u32 = 1 << 30;
/// In a [`CHARS`] entry: the bits of its lower case when that is one character.
const LOWER_BITS: u32 = 0x1F_FFFF;

/// What std says of each character below [`TABLE_END`], asked once: whether it is
/// alphanumeric and its lower case. Made from std, it agrees with std by construction, but
/// costs an indexed load instead of std's table searches.
static CHARS: LazyLock<Vec<u32>> = LazyLock::new(|| (0..TABLE_END).map(char_entry).collect());

fn char_entry(code: u32) -> u32 {
    let Some(c) = char::from_u32(code) else {
        return 0;
    };
    let mut lower = c.to_lowercase();
    let first = lower.next().map_or(code, u32::from);
    let mut entry = first;
    if c.is_alphanumeric() {
        entry |= ALPHANUMERIC;
    }
    if lower.next().is_some() {
        entry |= LOWER_IS_LONGER;
    }
    entry
}

/// Appends the lower case of `c` to `out` if `c` belongs in a token (is alphanumeric), as
/// tantivy's `SimpleTokenizer` and `LowerCaser` do: char by char, so with no final-sigma rule.
/// Returns whether it did.
#[inline]
fn push_lower(chars: &[u32], c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if !c.is_ascii_alphanumeric() {
            return false;
        }
        out.push(c.to_ascii_lowercase());
        return true;
    }
    let Some(&entry) = chars.get(c as usize) else {
        if !c.is_alphanumeric() {
            return false;
        }
        out.extend(c.to_lowercase());
        return true;
    };
    if entry & ALPHANUMERIC == 0 {
        return false;
    }
    match char::from_u32(entry & LOWER_BITS) {
        Some(lower) if entry & LOWER_IS_LONGER == 0 => out.push(lower),
        _ => out.extend(c.to_lowercase()),
    }
    true
}

/// Calls `f` with each token of `text` in lower case and its byte range, built in `exact`:
/// the maximal runs of alphanumeric characters, lower-cased char by char.
#[inline]
fn scan(exact: &mut String, text: &str, mut f: impl FnMut(&str, usize, usize)) {
    let chars: &[u32] = &CHARS;
    let mut from = None;
    exact.clear();
    for (at, c) in text.char_indices() {
        if push_lower(chars, c, exact) {
            from.get_or_insert(at);
        } else if let Some(start) = from.take() {
            f(exact, start, at);
            exact.clear();
        }
    }
    if let Some(start) = from {
        f(exact, start, text.len());
        exact.clear();
    }
}

/// Folds lower-case syllables with tantivy's `AsciiFoldingFilter`, remembering each.
#[derive(Clone)]
struct Folder {
    /// `AsciiFoldingFilter` over the whole input as one token.
    fold_one: TextAnalyzer,
    /// foldhash: keys are short syllables, where SipHash (std's) is slow; its seed is random
    /// per map, so odd content cannot choose collisions.
    folds: HashMap<String, String, foldhash::fast::RandomState>,
    /// The last folded syllable, when it is not ASCII.
    folded: String,
}

/// Folded syllables remembered per analyzer; a real archive has a few thousand.
const MAX_FOLDS: usize = 100_000;

impl Folder {
    /// The folded form of one lower-case token. Folding works letter by letter, so folding a
    /// token alone equals folding it inside its text (a unit test holds the two together).
    /// Allocates only for a syllable not seen before.
    fn fold<'a>(&'a mut self, exact: &'a str) -> &'a str {
        if exact.is_ascii() {
            return exact;
        }
        self.folded.clear();
        match self.folds.get(exact) {
            Some(folded) => self.folded.push_str(folded),
            None => self.remember(exact),
        }
        &self.folded
    }

    /// Folds `exact` into `self.folded` and remembers it.
    fn remember(&mut self, exact: &str) {
        let mut stream = self.fold_one.token_stream(exact);
        if stream.advance() {
            self.folded.push_str(&stream.token().text);
        }
        if self.folds.len() >= MAX_FOLDS {
            self.folds.clear();
        }
        self.folds.insert(exact.to_string(), self.folded.clone());
    }
}

/// The analysis, with a memory of folded syllables: a text is tokenized once (lower case,
/// diacritics kept) and each distinct syllable is folded once, which is what tantivy's
/// folded analyzer would give for it. Threads clone it (`TextAnalyzer` needs `&mut`).
#[derive(Clone)]
pub struct Analyzer {
    folder: Folder,
    /// The current token in lower case.
    exact: String,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            folder: Folder {
                fold_one: TextAnalyzer::builder(RawTokenizer::default())
                    .filter(AsciiFoldingFilter)
                    .build(),
                folds: HashMap::default(),
                folded: String::new(),
            },
            exact: String::new(),
        }
    }
}

impl Analyzer {
    /// Calls `f` with each token of `text`, which must already be NFC, in order. Tokens are
    /// the maximal runs of alphanumeric characters, lower-cased char by char, with their byte
    /// ranges in `text`: tantivy's `SimpleTokenizer` then `LowerCaser`. Once the analyzer's
    /// buffers have grown, only a syllable folded for the first time allocates.
    pub fn each_token(&mut self, text: &str, mut f: impl FnMut(TokenRef<'_>)) {
        let folder = &mut self.folder;
        scan(&mut self.exact, text, |exact, from, to| {
            f(TokenRef {
                exact,
                folded: folder.fold(exact),
                from,
                to,
            })
        });
    }

    /// [`Analyzer::each_token`] without the folding: `f` gets each token in lower case
    /// (diacritics kept) with its byte range. For a caller that remembers what each distinct
    /// token folds to ([`Analyzer::fold_token`]) and so looks every token up once.
    pub fn each_exact(&mut self, text: &str, f: impl FnMut(&str, usize, usize)) {
        scan(&mut self.exact, text, f);
    }

    /// The folded form of one lower-case token, as [`Analyzer::each_token`] gives it.
    pub fn fold_token<'a>(&'a mut self, exact: &'a str) -> &'a str {
        self.folder.fold(exact)
    }

    /// Tokens of `text`, which must already be NFC (see [`Analyzer::tokens`]).
    pub fn tokens_nfc(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.each_token(text, |t| out.push(t.to_token()));
        out
    }

    /// Tokens of any text: normalised to NFC first, so NFD input matches.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        self.tokens_nfc(&nfc(text))
    }

    /// The folded form of one word or phrase, tokens joined by a space.
    pub fn fold(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut first = true;
        self.each_token(&nfc(text), |t| {
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(t.folded);
        });
        out
    }
}

/// Bigrams of adjacent folded tokens: `nộp thuế đúng hạn` → `nop thue`, `thue dung`, `dung han`.
pub fn bigrams(tokens: &[Token]) -> impl Iterator<Item = String> + '_ {
    tokens
        .windows(2)
        .map(|w| format!("{} {}", w[0].folded, w[1].folded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(text: &str) -> Vec<String> {
        Analyzer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.folded)
            .collect()
    }

    fn exact(text: &str) -> Vec<String> {
        Analyzer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.exact)
            .collect()
    }

    #[test]
    fn vietnamese_folds_including_d_bar() {
        assert_eq!(folded("ĐỐI THOẠI"), ["doi", "thoai"]);
        assert_eq!(folded("đối thoại"), ["doi", "thoai"]);
        assert_eq!(folded("doi thoai"), ["doi", "thoai"]);
        assert_eq!(folded("Đường Nguyễn Huệ"), ["duong", "nguyen", "hue"]);
        assert_eq!(exact("ĐƯỜNG dương"), ["đường", "dương"]);
    }

    #[test]
    fn nfd_input_matches_nfc() {
        let nfd = "đo\u{302}\u{301}i thoa\u{323}i";
        assert_eq!(folded(nfd), ["doi", "thoai"]);
        assert_eq!(exact(nfd), ["đối", "thoại"]);
    }

    #[test]
    fn punctuation_splits_and_numbers_stay() {
        assert_eq!(folded("187/2016/TT-BTC"), ["187", "2016", "tt", "btc"]);
        assert_eq!(
            folded("«Thuế», (phí) & lệ-phí!"),
            ["thue", "phi", "le", "phi"]
        );
        assert_eq!(
            folded("10% thuế; 6.000.000 đồng"),
            ["10", "thue", "6", "000", "000", "dong"]
        );
        assert!(folded(" ,.;- ").is_empty());
    }

    /// The memo folds syllables one at a time; tantivy's folded analyzer folds whole texts.
    #[test]
    fn folding_a_syllable_alone_equals_folding_it_in_its_text() {
        let text = "ĐƯỜNG Nguyễn Huệ, quận Hải Châu: ß Æsir İstanbul ŉ ﬁ ǅ 10ᵗʰ";
        let mut whole = folded_analyzer();
        let mut stream = whole.token_stream(text);
        let mut expected = Vec::new();
        while stream.advance() {
            expected.push(stream.token().text.clone());
        }
        let mut an = Analyzer::default();
        for _ in 0..2 {
            assert_eq!(
                folded_with(&mut an, text),
                expected,
                "second pass uses the memo"
            );
        }
    }

    fn folded_with(an: &mut Analyzer, text: &str) -> Vec<String> {
        an.tokens(text).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn offsets_point_into_nfc_text() {
        let text = "Nộp thuế, đúng hạn";
        let toks = Analyzer::default().tokens(text);
        assert_eq!(&text[toks[1].from..toks[1].to], "thuế");
        assert_eq!(&text[toks[2].from..toks[2].to], "đúng");
    }

    #[test]
    fn bigrams_join_adjacent_folded_tokens() {
        let toks = Analyzer::default().tokens("Nộp thuế đúng hạn");
        let b: Vec<String> = bigrams(&toks).collect();
        assert_eq!(b, ["nop thue", "thue dung", "dung han"]);
    }

    /// The JavaScript client folds with NFD + removal of combining marks + this table; every
    /// Latin letter where that differs from tantivy's folding must be in `search.js`.
    #[test]
    fn javascript_fold_table_is_complete() {
        let js = include_str!("../../themes/default/static/search.js");
        let mut an = Analyzer::default();
        // Latin letters, and the superscript and subscript digits (`m²`, `CO₂`).
        let ranges = [
            0x00B2u32..0x00BA,
            0x00C0..0x0250,
            0x1E00..0x1F00,
            0x2070..0x20A0,
        ];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            if !c.is_alphanumeric() {
                continue;
            }
            let lower: String = c.to_lowercase().collect();
            let tantivy = an.fold(&lower);
            let simple = simple_fold(&lower);
            if tantivy != simple {
                let entry = format!("'{lower}':'{tantivy}'");
                assert!(js.contains(&entry), "search.js FOLD table lacks {entry}");
            }
        }
    }

    fn simple_fold(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        use unicode_normalization::char::is_combining_mark;
        s.nfd().filter(|c| !is_combining_mark(*c)).collect()
    }

    /// A token as text and byte range.
    type Spanned = (String, usize, usize);

    fn tantivy_tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<Spanned> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        out
    }

    /// [`Analyzer::each_token`]'s exact and folded tokens of `text`.
    fn our_tokens(an: &mut Analyzer, text: &str) -> (Vec<Spanned>, Vec<Spanned>) {
        let (mut exact, mut folded) = (Vec::new(), Vec::new());
        an.each_token(text, |t| {
            exact.push((t.exact.to_string(), t.from, t.to));
            folded.push((t.folded.to_string(), t.from, t.to));
        });
        (exact, folded)
    }

    /// Texts, offsets and folded forms are tantivy's, for any text (NFC or not).
    fn assert_same_as_tantivy(an: &mut Analyzer, text: &str) {
        let (exact, folded) = our_tokens(an, text);
        assert_eq!(exact, tantivy_tokens(exact_analyzer(), text), "{text:?}");
        assert_eq!(folded, tantivy_tokens(folded_analyzer(), text), "{text:?}");
    }

    #[test]
    fn tokens_and_offsets_are_tantivys() {
        let texts = [
            "ĐỐI THOẠI đối thoại, ĐƯỜNG Nguyễn Huệ: Quận Hải Châu",
            "Việt Nam ƯỚC MƠ ỹ Ỹ ỵ Ỵ ơ Ơ ư Ư đ Đ",
            "đo\u{302}\u{301}i thoa\u{323}i e\u{301} ι\u{345}",
            "187/2016/TT-BTC 10% 6.000.000đ x²³ ½ Ⅻ ⅻ ① ٣ ߁",
            "İstanbul İİ STRASSE ß ẞ ǅemal Ǆǆ ǈ ﬁnance ﬂ ﬓ",
            "ΣΑΣ σας ΌΣΟΣ ᾈ ῼ ΐ ПРИВЕТ Ա Ა Ꭰ",
            "Ⱥ Ⱦ ȿ \u{212a} \u{212b} \u{2126} \u{2160}\u{21ff}\u{2200}\u{2183} Ⓐ",
            "中文字符 日本語テキスト 한국어 ภาษาไทย العربية",
            "emoji 😀👍🏽 a😀b 1️⃣ 🇻🇳",
            "«Thuế», (phí) & lệ-phí! “trích” – dẫn… ₫10 §3 № 5",
            "\u{200b}zero\u{200d}width\u{a0}nbsp\u{feff}bom\u{ad}soft",
            "",
            "   \t\n\r ",
            "a",
            "Ä",
            "İ",
            ",",
        ];
        let mut an = Analyzer::default();
        for text in texts {
            assert_same_as_tantivy(&mut an, text);
        }
    }

    /// Every character is kept or not and lower-cased as std does, which is what
    /// `SimpleTokenizer` and `LowerCaser` ask of std.
    #[test]
    fn every_character_is_classified_and_lowered_as_std_does() {
        let chars: &[u32] = &CHARS;
        let mut out = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            out.clear();
            let kept = push_lower(chars, c, &mut out);
            let lower: String = if kept {
                c.to_lowercase().collect()
            } else {
                String::new()
            };
            assert_eq!((kept, &out), (c.is_alphanumeric(), &lower), "{c:?}");
        }
    }

    /// Every character, inside a word and between two, gives tantivy's tokens and offsets.
    #[test]
    fn every_character_inside_words_is_tokenized_as_tantivy_does() {
        let chars: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .collect();
        let mut an = Analyzer::default();
        for chunk in chars.chunks(8192) {
            let text: String = chunk.iter().map(|c| format!("a{c}b ")).collect();
            assert_same_as_tantivy(&mut an, &text);
        }
    }

    /// Characters where Latin and Vietnamese text lives, with separators among them.
    fn latin_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => proptest::char::range('a', 'z'),
            2 => proptest::char::range('A', 'Z'),
            1 => proptest::char::range('0', '9'),
            3 => proptest::char::range('\u{c0}', '\u{24f}'),
            3 => proptest::char::range('\u{1e00}', '\u{1eff}'),
            1 => proptest::char::range('\u{300}', '\u{36f}'),
            1 => proptest::char::range('\u{370}', '\u{2300}'),
            2 => proptest::sample::select(vec![' ', ',', '.', '-', '/', '\n', '“', '”', '…', '–']),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_048))]

        #[test]
        fn any_text_tokenizes_as_tantivy_does(text in any::<String>()) {
            assert_same_as_tantivy(&mut Analyzer::default(), &text);
        }

        #[test]
        fn latin_text_tokenizes_as_tantivy_does(chars in proptest::collection::vec(latin_char(), 0..60)) {
            let text: String = chars.into_iter().collect();
            assert_same_as_tantivy(&mut Analyzer::default(), &text);
            assert_same_as_tantivy(&mut Analyzer::default(), &nfc(&text));
        }
    }
}

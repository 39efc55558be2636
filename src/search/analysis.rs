//! The one text analysis of search: NFC, then tantivy's `SimpleTokenizer`, `LowerCaser` and
//! `AsciiFoldingFilter`. The JavaScript client (`search.js`) reimplements exactly this; the
//! parity tests keep the two together.

use crate::text::nfc;
use std::collections::HashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, SimpleTokenizer, TextAnalyzer, TokenStream,
};

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

/// The folded analysis as one tantivy analyzer: what [`Analyzer`] must give.
#[cfg(test)]
pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// The analysis, with a memory of folded syllables: a text is tokenized once (lower case,
/// diacritics kept) and each distinct syllable is folded once, which is what tantivy's
/// folded analyzer would give for it. Threads clone it (`TextAnalyzer` needs `&mut`).
#[derive(Clone)]
pub struct Analyzer {
    exact: TextAnalyzer,
    /// `AsciiFoldingFilter` over the whole input as one token.
    fold_one: TextAnalyzer,
    folds: HashMap<String, String>,
}

/// Folded syllables remembered per analyzer; a real archive has a few thousand.
const MAX_FOLDS: usize = 100_000;

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            exact: exact_analyzer(),
            fold_one: TextAnalyzer::builder(RawTokenizer::default())
                .filter(AsciiFoldingFilter)
                .build(),
            folds: HashMap::new(),
        }
    }
}

impl Analyzer {
    /// Tokens of `text`, which must already be NFC (see [`Analyzer::tokens`]).
    pub fn tokens_nfc(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        {
            let mut exact = self.exact.token_stream(text);
            while exact.advance() {
                let t = exact.token();
                out.push(Token {
                    exact: t.text.clone(),
                    folded: String::new(),
                    from: t.offset_from,
                    to: t.offset_to,
                });
            }
        }
        for tok in &mut out {
            tok.folded = self.fold_syllable(&tok.exact);
        }
        out
    }

    /// The folded form of one lower-case token. Folding works letter by letter, so folding a
    /// token alone equals folding it inside its text (a unit test holds the two together).
    fn fold_syllable(&mut self, exact: &str) -> String {
        if exact.is_ascii() {
            return exact.to_string();
        }
        if let Some(folded) = self.folds.get(exact) {
            return folded.clone();
        }
        let mut stream = self.fold_one.token_stream(exact);
        let folded = if stream.advance() {
            stream.token().text.clone()
        } else {
            String::new()
        };
        if self.folds.len() >= MAX_FOLDS {
            self.folds.clear();
        }
        self.folds.insert(exact.to_string(), folded.clone());
        folded
    }

    /// Tokens of any text: normalised to NFC first, so NFD input matches.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        self.tokens_nfc(&nfc(text))
    }

    /// The folded form of one word or phrase, tokens joined by a space.
    pub fn fold(&mut self, text: &str) -> String {
        let toks = self.tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| t.folded.as_str()).collect();
        words.join(" ")
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
        let ranges = [0x00C0u32..0x0250, 0x1E00..0x1F00];
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
}

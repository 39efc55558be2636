//! The one text analysis of search: NFC, then tantivy's `SimpleTokenizer`, `LowerCaser` and
//! `AsciiFoldingFilter`. The JavaScript client (`search.js`) reimplements exactly this; the
//! parity tests keep the two together.

use crate::text::nfc;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream,
};

/// Name of the folded analyzer registered in the tantivy index.
pub const FOLDED: &str = "hoidap_folded";
/// Name of the lower-case (diacritics kept) analyzer registered in the tantivy index.
pub const EXACT: &str = "hoidap_exact";

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

pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Both analyzers, kept together because `TextAnalyzer` needs `&mut` and threads clone it.
#[derive(Clone)]
pub struct Analyzer {
    folded: TextAnalyzer,
    exact: TextAnalyzer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            folded: folded_analyzer(),
            exact: exact_analyzer(),
        }
    }
}

impl Analyzer {
    /// Tokens of `text`, which must already be NFC (see [`Analyzer::tokens`]).
    pub fn tokens_nfc(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
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
        let mut folded = self.folded.token_stream(text);
        let mut i = 0;
        while folded.advance() {
            // Same tokenizer underneath, so the streams align one to one.
            if let Some(tok) = out.get_mut(i) {
                tok.folded.clone_from(&folded.token().text);
            }
            i += 1;
        }
        out
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

//! Alphabetical order of names in the site's language.
//!
//! Vietnamese orders letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, and
//! compares tones only when the letters are equal, in dictionary order: none, huyền (`à`),
//! hỏi (`ả`), ngã (`ã`), sắc (`á`), nặng (`ạ`). A full ICU collator would do this too, but
//! costs megabytes of data for one fixed 29-letter table, so the table is written here.

use crate::config::Language;
use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// A key that sorts strings in the language's order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    case: Vec<bool>,
}

pub fn sort_key(text: &str, language: Language) -> SortKey {
    let mut key = SortKey {
        letters: Vec::with_capacity(text.len()),
        tones: Vec::new(),
        case: Vec::new(),
    };
    for c in text.nfd() {
        match c {
            // Vowel modifiers make a different letter in Vietnamese (ă, â, ê, ô, ơ, ư).
            '\u{306}' | '\u{302}' | '\u{31b}' => {
                if let Some(last) = key.letters.last_mut() {
                    if language == Language::Vi {
                        *last += modifier_rank(c);
                    } else {
                        key.tones.push(modifier_rank(c) as u8 + 10);
                    }
                }
            }
            '\u{300}' | '\u{309}' | '\u{303}' | '\u{301}' | '\u{323}' => {
                if let Some(t) = key.tones.last_mut() {
                    *t = tone_rank(c);
                }
            }
            c if is_combining(c) => {}
            c => {
                key.letters.push(letter_rank(c));
                key.tones.push(0);
                key.case.push(c.is_uppercase());
            }
        }
    }
    key
}

/// Compares two strings in the language's order; equal keys fall back to the raw text so the
/// order is total and deterministic.
pub fn compare(a: &str, b: &str, language: Language) -> Ordering {
    sort_key(a, language)
        .cmp(&sort_key(b, language))
        .then_with(|| a.cmp(b))
}

fn letter_rank(c: char) -> u32 {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'đ' => rank_of('d') + 5,
        'a'..='z' => rank_of(lower),
        '0'..='9' => lower as u32,
        _ if lower.is_alphabetic() => 0x10000 + lower as u32,
        // Spaces and punctuation sort before letters and digits.
        _ => 1,
    }
}

/// Letters are spaced by 10 so that modified vowels and `đ` fit between them.
fn rank_of(c: char) -> u32 {
    1000 + (c as u32 - 'a' as u32) * 10
}

fn modifier_rank(c: char) -> u32 {
    match c {
        '\u{306}' => 1, // breve: ă after a
        '\u{302}' => 2, // circumflex: â after ă, ê after e, ô after o
        _ => 3,         // horn: ơ after ô, ư after u
    }
}

fn tone_rank(c: char) -> u8 {
    match c {
        '\u{300}' => 1, // huyền
        '\u{309}' => 2, // hỏi
        '\u{303}' => 3, // ngã
        '\u{301}' => 4, // sắc
        _ => 5,         // nặng
    }
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str], lang: Language) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(a, b, lang));
        v
    }

    #[test]
    fn vietnamese_alphabet() {
        let words = [
            "đ", "e", "ê", "d", "â", "b", "ă", "a", "c", "g", "ơ", "ô", "o", "ư", "u", "y",
        ];
        assert_eq!(
            sorted(&words, Language::Vi),
            [
                "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "o", "ô", "ơ", "u", "ư", "y"
            ]
        );
    }

    #[test]
    fn vietnamese_names() {
        let names = [
            "Sở Y tế",
            "Sở Giao thông vận tải",
            "Công an thành phố",
            "Cục Thuế",
            "Ủy ban nhân dân",
            "Đài phát thanh",
            "Dịch vụ",
        ];
        assert_eq!(
            sorted(&names, Language::Vi),
            [
                "Công an thành phố",
                "Cục Thuế",
                "Dịch vụ",
                "Đài phát thanh",
                "Sở Giao thông vận tải",
                "Sở Y tế",
                "Ủy ban nhân dân"
            ]
        );
    }

    #[test]
    fn tones_break_ties_in_dictionary_order() {
        let words = ["mạ", "má", "mã", "mả", "mà", "ma"];
        assert_eq!(
            sorted(&words, Language::Vi),
            ["ma", "mà", "mả", "mã", "má", "mạ"]
        );
    }

    #[test]
    fn decomposed_input_sorts_like_composed() {
        assert_eq!(
            sort_key("đo\u{302}\u{301}i", Language::Vi),
            sort_key("đối", Language::Vi)
        );
    }

    #[test]
    fn english_ignores_accents_first() {
        let words = ["Zeta", "Đà Nẵng", "apple", "Ân", "Bob"];
        assert_eq!(
            sorted(&words, Language::En),
            ["Ân", "apple", "Bob", "Đà Nẵng", "Zeta"]
        );
    }
}

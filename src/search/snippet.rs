//! Snippets: the stretch of a record's text holding most of the query's syllables, with the
//! matches marked. `search.js` builds them the same way from the published excerpt.

use super::analysis::{Analyzer, Token};

/// Characters a snippet spans at most.
pub const SNIPPET_CHARS: usize = 180;
/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 30;

/// A snippet: text and the byte ranges (into `text`) to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
}

impl Snippet {
    /// The snippet as HTML: text escaped, matches in `<mark>`.
    pub fn to_html(&self) -> String {
        self.render(crate::text::escape_html, "<mark>", "</mark>")
    }

    /// The snippet with matches wrapped in `open`/`close` (for a terminal).
    pub fn render(&self, esc: impl Fn(&str) -> String, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for &(from, to) in &self.marks {
            out.push_str(&esc(&self.text[at..from]));
            out.push_str(open);
            out.push_str(&esc(&self.text[from..to]));
            out.push_str(close);
            at = to;
        }
        out.push_str(&esc(&self.text[at..]));
        out
    }
}

/// Which tokens to mark: those whose folded form is a mark, and every syllable of a run that
/// spells a mark of several syllables (the long form of an abbreviation in the query, marked
/// only as a whole: `ubnd` marks `Ủy ban nhân dân`, not every `bán` or `dân`).
fn marked(toks: &[Token], marks: &[String]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    for m in marks {
        let syllables: Vec<&str> = m.split(' ').collect();
        let n = syllables.len();
        for i in 0..toks.len().saturating_sub(n - 1) {
            if syllables
                .iter()
                .zip(&toks[i..i + n])
                .all(|(s, t)| t.folded == *s)
            {
                out[i..i + n].fill(true);
            }
        }
    }
    out
}

/// Builds the snippet of `text` for the query's `marks` ([`super::scoring::Plan::marks`]:
/// folded syllables, and long forms of several syllables separated by spaces).
pub fn snippet(an: &mut Analyzer, text: &str, marks: &[String]) -> Snippet {
    let text = crate::text::nfc(text);
    let toks = an.tokens_nfc(&text);
    let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let char_at = |byte: usize| chars.partition_point(|&b| b < byte);
    let is_marked = marked(&toks, marks);
    let hits: Vec<usize> = (0..toks.len()).filter(|&i| is_marked[i]).collect();
    // The window starting at a match that covers the most distinct query words.
    let mut best: Option<(usize, usize)> = None;
    for (k, &i) in hits.iter().enumerate() {
        let start = char_at(toks[i].from);
        let mut seen: Vec<&str> = Vec::new();
        for &j in &hits[k..] {
            if char_at(toks[j].to) > start + SNIPPET_CHARS - LEAD_CHARS {
                break;
            }
            if !seen.contains(&toks[j].folded.as_str()) {
                seen.push(&toks[j].folded);
            }
        }
        if best.is_none_or(|(_, n)| seen.len() > n) {
            best = Some((i, seen.len()));
        }
    }
    let first_char = best.map_or(0, |(i, _)| char_at(toks[i].from).saturating_sub(LEAD_CHARS));
    // Start at a word boundary.
    let start_char = if first_char == 0 {
        0
    } else {
        toks.iter()
            .map(|t| char_at(t.from))
            .find(|&c| c >= first_char)
            .unwrap_or(first_char)
    };
    let end_char = (start_char + SNIPPET_CHARS).min(chars.len());
    let byte = |c: usize| chars.get(c).copied().unwrap_or(text.len());
    let (from, mut to) = (byte(start_char), byte(end_char));
    if to < text.len() {
        // End at a word boundary too.
        if let Some(t) = toks.iter().rev().find(|t| t.to <= to && t.from >= from) {
            to = t.to;
        }
    }
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < text.len() { "…" } else { "" };
    let body = text[from..to].replace(['\n', '\r', '\t'], " ");
    let marks = toks
        .iter()
        .zip(&is_marked)
        .filter(|(t, m)| **m && t.from >= from && t.to <= to)
        .map(|(t, _)| (t.from - from + lead.len(), t.to - from + lead.len()))
        .collect();
    Snippet {
        text: format!("{lead}{body}{tail}"),
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_folded_matches_and_escapes() {
        let mut an = Analyzer::default();
        let s = snippet(&mut an, "Nộp <thuế> ở đâu?", &["thue".into(), "dau".into()]);
        assert_eq!(
            s.to_html(),
            "Nộp &lt;<mark>thuế</mark>&gt; ở <mark>đâu</mark>?"
        );
    }

    #[test]
    fn long_text_is_cut_around_the_matches() {
        let mut an = Analyzer::default();
        let text = format!(
            "{} cấp phép xây dựng nhà ở {}",
            "lời mở đầu ".repeat(40),
            "đoạn cuối ".repeat(40)
        );
        let s = snippet(&mut an, &text, &["xay".into(), "dung".into()]);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(s.text.chars().count() <= SNIPPET_CHARS + 2);
        assert_eq!(s.marks.len(), 2);
        assert_eq!(&s.text[s.marks[0].0..s.marks[0].1], "xây");
    }

    #[test]
    fn a_long_form_is_marked_only_as_a_whole() {
        let mut an = Analyzer::default();
        let text = "Ủy ban nhân dân xã bán đất cho dân, Ủy ban bận.";
        let s = snippet(
            &mut an,
            text,
            &["ubnd".into(), "xa".into(), "uy ban nhan dan".into()],
        );
        assert_eq!(
            s.to_html(),
            "<mark>Ủy</mark> <mark>ban</mark> <mark>nhân</mark> <mark>dân</mark> <mark>xã</mark> \
             bán đất cho dân, Ủy ban bận."
        );
    }
}

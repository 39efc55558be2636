//! Splitting a record file into front matter, question and answer.

use std::ops::Range;

/// The parts of a record file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines.
    pub front_matter: Range<usize>,
    pub question: Range<usize>,
    /// After the `<!-- answer -->` line, if there is one.
    pub answer: Option<Range<usize>>,
    /// The marker line itself.
    pub marker: Option<Range<usize>>,
    /// Further marker lines, which are kept as part of the answer.
    pub extra_markers: Vec<Range<usize>>,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// No closing `---` line; the offset is the opening line.
    Unclosed,
}

pub const ANSWER_MARKER: &str = "<!-- answer -->";

/// Splits a record's text. Positions are byte offsets into `text`.
pub fn split(text: &str) -> Result<Parts, SplitError> {
    let mut lines = line_ranges(text);
    let first = lines.next().ok_or(SplitError::NoFrontMatter)?;
    if text[first.clone()].trim_end() != "---" {
        return Err(SplitError::NoFrontMatter);
    }
    let fm_start = first.end;
    let close = lines
        .by_ref()
        .find(|r| matches!(text[r.clone()].trim_end(), "---" | "..."))
        .ok_or(SplitError::Unclosed)?;
    let front_matter = fm_start..close.start;
    let body_start = close.end;
    let mut marker = None;
    let mut extra_markers = Vec::new();
    for r in lines {
        if text[r.clone()].trim() == ANSWER_MARKER {
            if marker.is_none() {
                marker = Some(r);
            } else {
                extra_markers.push(r);
            }
        }
    }
    let (question, answer) = match &marker {
        Some(m) => (body_start..m.start, Some(m.end..text.len())),
        None => (body_start..text.len(), None),
    };
    Ok(Parts {
        front_matter,
        question,
        answer,
        marker,
        extra_markers,
    })
}

/// Lines as byte ranges including their newline (SIMD `memchr`: std's search for `\n` was
/// 4% of `check`).
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let unterminated = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .chain(unterminated)
        .map(move |end| {
            let r = start..end;
            start = end;
            r
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_are_split_inclusive() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n",
            "\n\nđ",
            "---\nx: y\n---\nz",
        ] {
            let mut start = 0;
            let expected: Vec<_> = text
                .split_inclusive('\n')
                .map(|l| {
                    start += l.len();
                    start - l.len()..start
                })
                .collect();
            assert_eq!(line_ranges(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    const RECORD: &str = "---\nid: \"a\"\n---\nHỏi?\n\n<!-- answer -->\n\nĐáp.\n";

    #[test]
    fn splits_question_and_answer() {
        let p = split(RECORD).unwrap();
        assert_eq!(&RECORD[p.front_matter.clone()], "id: \"a\"\n");
        assert_eq!(RECORD[p.question.clone()].trim(), "Hỏi?");
        assert_eq!(RECORD[p.answer.clone().unwrap()].trim(), "Đáp.");
    }

    #[test]
    fn no_marker_means_no_answer() {
        let p = split("---\nid: a\n---\nChỉ có câu hỏi.\n").unwrap();
        assert!(p.answer.is_none());
    }

    #[test]
    fn marker_must_stand_alone_on_its_line() {
        let p = split("---\n---\nText <!-- answer --> inline\n").unwrap();
        assert!(p.answer.is_none());
        let p = split("---\n---\nQ\n  <!-- answer -->  \nA").unwrap();
        assert_eq!(
            p.answer.map(|r| r.start),
            Some("---\n---\nQ\n  <!-- answer -->  \n".len())
        );
    }

    #[test]
    fn second_marker_stays_in_the_answer() {
        let text = "---\n---\nQ\n<!-- answer -->\nA\n<!-- answer -->\nB\n";
        let p = split(text).unwrap();
        assert_eq!(p.extra_markers.len(), 1);
        assert!(text[p.answer.unwrap()].contains('B'));
    }

    #[test]
    fn errors() {
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
        assert_eq!(split("id: a\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::Unclosed));
        assert!(split("---\n---").is_ok());
    }
}

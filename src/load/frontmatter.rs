//! Splitting a record file into front matter, question and answer.

use std::ops::Range;

/// The parts of a record file, as byte ranges of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines.
    pub front_matter: Range<usize>,
    /// Up to the first marker line of the thread, if there is one.
    pub question: Range<usize>,
    /// The marker lines that open the entries of the thread (`<!-- answer -->`, …), with
    /// their line breaks, in order (see `load::thread`).
    pub markers: Vec<Range<usize>>,
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
    // Only comment lines are looked at closely.
    let markers: Vec<Range<usize>> = lines
        .filter(|r| {
            let line = text[r.clone()].trim_start().as_bytes();
            line.starts_with(b"<!--") && super::thread::classify(&text[r.clone()]).is_some()
        })
        .collect();
    let question = body_start..markers.first().map_or(text.len(), |m| m.start);
    Ok(Parts {
        front_matter,
        question,
        markers,
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
        assert_eq!(RECORD[p.markers[0].end..].trim(), "Đáp.");
    }

    #[test]
    fn no_marker_means_no_answer() {
        let p = split("---\nid: a\n---\nChỉ có câu hỏi.\n").unwrap();
        assert!(p.markers.is_empty());
    }

    #[test]
    fn marker_must_stand_alone_on_its_line() {
        let p = split("---\n---\nText <!-- answer --> inline\n").unwrap();
        assert!(p.markers.is_empty());
        let p = split("---\n---\nQ\n  <!-- answer -->  \nA").unwrap();
        assert_eq!(
            p.markers.first().map(|r| r.end),
            Some("---\n---\nQ\n  <!-- answer -->  \n".len())
        );
    }

    #[test]
    fn every_marker_line_opens_an_entry() {
        let text = "---\n---\nQ\n<!-- answer -->\nA\n<!-- ghi chú -->\n<!-- follow-up date=2019-01-01 -->\nB\n";
        let p = split(text).unwrap();
        assert_eq!(p.markers.len(), 2);
        assert_eq!(
            text[p.markers[1].clone()].trim(),
            "<!-- follow-up date=2019-01-01 -->"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
        assert_eq!(split("id: a\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::Unclosed));
        assert!(split("---\n---").is_ok());
    }
}

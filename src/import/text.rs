//! Spreadsheet cells to record text: plain text made safe as Markdown, list items that a
//! crawler glued together put back on their own lines, and a title from the question.
//!
//! What is rewritten is listed in `docs/import.md`; anything else is kept as it is.

/// Letters that Vietnamese legal texts use for lettered items: `a)`, `b)`, … `đ)`, … `y)`.
const ITEM_LETTERS: &str = "abcdđeghiklmnopqrstuvxy";

/// The longest title derived from a question, in characters.
pub const TITLE_MAX: usize = 160;

/// Line endings to `\n`, Unicode to NFC, surrounding blank space trimmed.
pub fn clean_cell(cell: &str) -> String {
    let text = cell.replace("\r\n", "\n").replace('\r', "\n");
    crate::text::nfc(text.trim()).into_owned()
}

/// A plain-text cell as Markdown that renders to the same words.
///
/// Tabs become spaces; glued list items are split (see [`unglue`]); each line break starts a new paragraph,
/// except between consecutive list items; characters Markdown would read as markup are
/// escaped with `\`.
pub fn plain_to_markdown(cell: &str) -> String {
    // A tab would count as the space after a list marker, or start a code block.
    let unglued = unglue(&clean_cell(cell).replace('\t', " "));
    let mut out = String::with_capacity(unglued.len() + 16);
    let mut previous: Option<ListKind> = None;
    for line in unglued.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let kind = list_kind(line);
        if !out.is_empty() {
            let same_list = kind.is_some() && kind == previous;
            out.push_str(if same_list { "\n" } else { "\n\n" });
        }
        out.push_str(&escape_line(line, kind));
        previous = kind;
    }
    out
}

/// Markdown cells are kept as they are, apart from line endings and NFC.
pub fn markdown_cell(cell: &str) -> String {
    clean_cell(cell)
}

/// Puts list items that were glued to the previous sentence back on a line of their own.
///
/// Only a marker directly after `;`, `:` or `.` (no space) and followed by a space and a
/// letter is split: bullets `- `, `+ `, `* `; lettered items `a) ` … `đ) `; numbered items
/// `1. ` to `99. ` followed by a capital letter (not after a digit and `.`, so `Điều
/// 10.115. Phần` stays whole).
pub fn unglue(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let glued = matches!(c, ';' | ':' | '.')
            && i > 0
            && !chars[i - 1].is_whitespace()
            && starts_item(&chars[i + 1..], c == '.' && chars[i - 1].is_ascii_digit());
        if glued {
            out.push('\n');
        }
    }
    out
}

/// Whether `rest` begins with a list marker, a space and a letter.
fn starts_item(rest: &[char], after_number: bool) -> bool {
    let letter_after =
        |n: usize| rest.get(n) == Some(&' ') && rest.get(n + 1).is_some_and(|c| c.is_alphabetic());
    match rest {
        ['-' | '+' | '*', ..] => letter_after(1),
        [l, ')', ..] if ITEM_LETTERS.contains(*l) => letter_after(2),
        [d, '.', ' ', u, ..] if d.is_ascii_digit() => !after_number && u.is_uppercase(),
        [d1, d2, '.', ' ', u, ..] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
            !after_number && u.is_uppercase()
        }
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet(char),
    Ordered,
}

/// Length of a list marker at the start of a line, with its space.
fn list_marker(line: &str) -> Option<(ListKind, usize)> {
    let b = line.as_bytes();
    match b {
        [m @ (b'-' | b'+' | b'*'), b' ', ..] => Some((ListKind::Bullet(*m as char), 2)),
        _ => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let ordered = (1..=2).contains(&digits)
                && matches!(b.get(digits), Some(b'.' | b')'))
                && b.get(digits + 1) == Some(&b' ');
            ordered.then_some((ListKind::Ordered, digits + 2))
        }
    }
}

fn list_kind(line: &str) -> Option<ListKind> {
    list_marker(line).map(|(k, _)| k)
}

/// Escapes one trimmed line; a list marker at its start is kept as a marker.
fn escape_line(line: &str, kind: Option<ListKind>) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let rest = match kind.and(list_marker(line)) {
        Some((_, n)) => {
            out.push_str(&line[..n]);
            &line[n..]
        }
        None => escape_line_start(line, &mut out),
    };
    escape_inline(rest, &mut out);
    out
}

/// Escapes what only means something at the start of a line (headings, quotes, rules,
/// `2018. ` which would start a list numbered 2018, a lone `1.`); returns the part left
/// to escape.
fn escape_line_start<'a>(line: &'a str, out: &mut String) -> &'a str {
    let rule = line.chars().all(|c| matches!(c, '-' | '=' | '+' | ' '));
    if rule || line.starts_with(['#', '>']) {
        out.push('\\');
        out.push_str(&line[..1]);
        return &line[1..];
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
    if marker
        && line
            .as_bytes()
            .get(digits + 1)
            .is_none_or(u8::is_ascii_whitespace)
    {
        out.push_str(&line[..digits]);
        out.push('\\');
        out.push_str(&line[digits..=digits]);
        return &line[digits + 1..];
    }
    line
}

/// Escapes inline markup: emphasis, code, links, HTML and entities.
fn escape_inline(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
            '*' | '`' | '[' | ']' | '~' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => looks_like_entity(&chars[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `&amp;`, `&#39;`, `&#x27;`: text Markdown would turn into another character.
fn looks_like_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

/// A title from the question: its first sentence (or line), at most [`TITLE_MAX`]
/// characters, cut at a word boundary with `…`.
pub fn title_from(question: &str) -> String {
    let text = clean_cell(question);
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut end = sentence_end(first_line, 0);
    // A short greeting such as "Xin chào." is no title: take the next sentence too.
    let first = first_line[..end].trim_end_matches(['"', '”', '’', ')']);
    if !first.ends_with('?') && first.chars().count() < 40 && end < first_line.len() {
        end = sentence_end(first_line, end);
    }
    let sentence = collapse_spaces(&first_line[..end]);
    truncate_words(&sentence, TITLE_MAX)
}

/// Byte offset just after the sentence that starts at `from`: after `?` or `!`, or after a
/// `.` that follows a letter and precedes a space (so `58/2012/NĐ-CP` or `4.800` do not end it).
fn sentence_end(line: &str, from: usize) -> usize {
    let mut prev: Option<char> = None;
    let mut iter = line[from..].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|(_, n)| *n);
        let end = match c {
            '?' | '!' => true,
            '.' => prev.is_some_and(char::is_alphabetic) && next.is_none_or(char::is_whitespace),
            _ => false,
        };
        // Skip a closing quote right after the sentence's end.
        if end {
            let mut stop = from + i + c.len_utf8();
            while let Some(&(j, q)) = iter.peek() {
                if !matches!(q, '"' | '”' | '’' | ')' | '?' | '!') {
                    break;
                }
                stop = from + j + q.len_utf8();
                iter.next();
            }
            return stop;
        }
        prev = Some(c);
    }
    line.len()
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters; a longer text is cut at the last space that leaves room for `…`.
fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    let cut = head.rfind(' ').filter(|&i| i > limit / 2).unwrap_or(limit);
    let head = head[..cut].trim_end_matches([' ', ',', ';', ':', '-', '–']);
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_bullets_become_list_lines() {
        let md = plain_to_markdown("Điều kiện:- Có hồ sơ;- Có lệ phí");
        assert_eq!(md, "Điều kiện:\n\n- Có hồ sơ;\n- Có lệ phí");
    }

    #[test]
    fn glued_letters_become_paragraphs() {
        let md = plain_to_markdown("như sau:a) Gửi hồ sơ;b) Nhận kết quả.đ) Cấp lại");
        assert_eq!(
            md,
            "như sau:\n\na) Gửi hồ sơ;\n\nb) Nhận kết quả.\n\nđ) Cấp lại"
        );
    }

    #[test]
    fn glued_numbers_need_a_capital_and_no_decimal() {
        assert_eq!(unglue("hồ sơ;2. Giấy phép"), "hồ sơ;\n2. Giấy phép");
        assert_eq!(unglue("lý do.2. Thành phần"), "lý do.\n2. Thành phần");
        assert_eq!(unglue("Điều 10.115. Phần 10"), "Điều 10.115. Phần 10");
        assert_eq!(unglue("khoản 1;2. và"), "khoản 1;2. và");
    }

    #[test]
    fn spaced_or_unknown_markers_are_kept() {
        for text in [
            "hồ sơ; b) Nhận",
            "Bộ Lao động - Thương binh",
            "a;f) b",
            "giá 5;-3 độ",
            "v.v.- 1",
        ] {
            assert_eq!(unglue(text), text);
        }
    }

    #[test]
    fn line_breaks_are_paragraphs_and_lists_stay_tight() {
        let md = plain_to_markdown("Hồ sơ gồm:\r\n1. Đơn\n2. Ảnh\nGhi chú");
        assert_eq!(md, "Hồ sơ gồm:\n\n1. Đơn\n2. Ảnh\n\nGhi chú");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            plain_to_markdown("a *b* `c` [d]"),
            "a \\*b\\* \\`c\\` \\[d\\]"
        );
        assert_eq!(
            plain_to_markdown("# 5 <b> &amp; x_y _z"),
            "\\# 5 \\<b> \\&amp; x_y \\_z"
        );
        assert_eq!(plain_to_markdown("<!-- answer -->"), "\\<!-- answer -->");
        assert_eq!(plain_to_markdown("2018. Năm"), "2018\\. Năm");
        assert_eq!(plain_to_markdown("---"), "\\---");
        assert_eq!(plain_to_markdown("> trích"), "\\> trích");
        assert_eq!(plain_to_markdown("-5 độ, 3 < 4"), "-5 độ, 3 < 4");
        assert_eq!(plain_to_markdown("* Lưu ý"), "* Lưu ý");
    }

    #[test]
    fn emails_and_urls_are_untouched() {
        let text = "Gửi về nguyen_van.a@example.gov.vn hoặc https://example.gov.vn/a_b?id=1";
        assert_eq!(plain_to_markdown(text), text);
    }

    fn words(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        /// Whatever a cell holds (lists aside), the published text shows the same words.
        #[test]
        fn escaped_text_renders_as_written(cell in r#"[a-zA-ZđĐê0-9 \t,.;:!?()'"*_`~\\\[\]<>&#=|{}^$%@/+\n-]{0,60}"#) {
            let spaced = cell.replace('\t', " ");
            let no_lists = spaced.lines().all(|l| list_kind(l.trim()).is_none());
            proptest::prop_assume!(no_lists && unglue(&spaced) == spaced);
            let rendered = crate::markdown::render(&plain_to_markdown(&cell), false);
            proptest::prop_assert_eq!(words(&rendered.plain), words(&cell));
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_from("Hồ sơ gồm những gì? Xin cảm ơn."),
            "Hồ sơ gồm những gì?"
        );
        assert_eq!(
            title_from("Xin chào. Tôi hỏi về thuế?"),
            "Xin chào. Tôi hỏi về thuế?"
        );
        assert_eq!(
            title_from("Theo Nghị định 58/2012/NĐ-CP, 4.800 xe thì sao"),
            "Theo Nghị định 58/2012/NĐ-CP, 4.800 xe thì sao"
        );
        assert_eq!(
            title_from("Đề nghị cho biết thời hạn \"Huân chương\"."),
            "Đề nghị cho biết thời hạn \"Huân chương\"."
        );
        let long = "từ ".repeat(100);
        let t = title_from(&long);
        assert!(t.chars().count() <= TITLE_MAX, "{t}");
        assert!(t.ends_with("từ…"), "{t}");
    }
}

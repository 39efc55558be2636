//! The privacy guard: warnings for personal data in published text (e-mail addresses,
//! Vietnamese phone numbers, CMND and CCCD numbers), each at its exact place in the file.
//!
//! The scan is deliberately conservative about numbers that are common in answers: dates,
//! legal document numbers (`187/2016/TT-BTC`), money (`3.000.000 đồng`) and hotline short
//! numbers (`1022`, `1900 1234`) are not reported. A record marked `privacy: reviewed` is not
//! scanned at all.

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::record::RecordSource;
use std::ops::Range;

/// What kind of personal data was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    Phone,
    NationalId,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Email => "W0270",
            Kind::Phone => "W0271",
            Kind::NationalId => "W0272",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Email => "an e-mail address",
            Kind::Phone => "a phone number",
            Kind::NationalId => "a national ID number (CMND/CCCD)",
        }
    }
}

/// One match, as a byte range of the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub range: Range<usize>,
}

/// Warnings for the title, the question, the answer and the asker's name of a record,
/// unless it is marked `privacy: reviewed`.
pub fn check(src: &RecordSource) -> Vec<Diagnostic> {
    if src.privacy_reviewed {
        return Vec::new();
    }
    let mut ranges: Vec<Range<usize>> = src.title.iter().map(|t| t.span.clone()).collect();
    ranges.push(src.question.clone());
    ranges.extend(src.entries.iter().map(|e| e.body.clone()));
    if let Some(name) = src.asker.as_ref().and_then(|a| a.name.as_deref()) {
        ranges.extend(locate_name(src, name));
    }
    ranges
        .into_iter()
        .filter_map(|r| src.text.get(r.clone()).map(|t| (r.start, t)))
        .flat_map(|(base, text)| scan(text).into_iter().map(move |f| (base, f)))
        .map(|(base, f)| warning(src, base, &f))
        .collect()
}

/// Where the asker's name is written in the front matter (after the `asker` key).
fn locate_name(src: &RecordSource, name: &str) -> Option<Range<usize>> {
    let head = src.text.get(..src.question.start)?;
    let from = head.find("asker")?;
    let at = from + head[from..].find(name)?;
    Some(at..at + name.len())
}

fn warning(src: &RecordSource, base: usize, f: &Finding) -> Diagnostic {
    let span = base + f.range.start..base + f.range.end;
    Diagnostic::at_span(
        Severity::Warning,
        f.kind.code(),
        &src.file,
        &src.text,
        span,
        format!(
            "this looks like {}, personal data that would be published",
            f.kind.describe()
        ),
    )
    .with_help("remove or mask it (for example 0912.xxx.xxx); if it may be published, add `privacy: reviewed` to the front matter")
}

/// Every e-mail address, phone number and ID number in `text`, in order.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut found = emails(text);
    found.extend(numbers(text));
    found.sort_by_key(|f| f.range.start);
    found
}

fn is_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

fn emails(text: &str) -> Vec<Finding> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && is_local_char(b[start - 1]) {
            start -= 1;
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < b.len() && is_domain_char(b[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        let tld = domain.rsplit('.').next().unwrap_or("");
        let valid = start < at
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.contains("..")
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic());
        if valid {
            out.push(Finding {
                kind: Kind::Email,
                range: start..end,
            });
        }
    }
    out
}

/// A run of digit groups joined by single separators, such as `+84 912.345.678`.
#[derive(Debug)]
struct Token {
    /// Byte ranges of the digit groups.
    groups: Vec<Range<usize>>,
    /// The separator before each group but the first.
    separators: Vec<&'static str>,
    plus: Option<usize>,
}

const SEPARATORS: [&str; 6] = [") ", ")", " ", "\u{a0}", ".", "-"];

fn numbers(text: &str) -> Vec<Finding> {
    tokens(text)
        .into_iter()
        // Dates, years, amounts and article numbers are most tokens: with fewer digits than the
        // shortest number `classify` accepts, none can match, and the checks below (two of
        // them lower-case the text around) are skipped.
        .filter(|t| t.groups.iter().map(ExactSizeIterator::len).sum::<usize>() >= MIN_DIGITS)
        .filter(|t| !touches_other_text(text, t) && !is_money(text, t) && !is_tax_code(text, t))
        .flat_map(|t| matches_in(text, &t))
        .collect()
}

fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let plus = (i > 0 && b[i - 1] == b'+').then(|| i - 1);
        let mut t = Token {
            groups: Vec::new(),
            separators: Vec::new(),
            plus,
        };
        loop {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            t.groups.push(start..i);
            let next = SEPARATORS.iter().find(|s| {
                text[i..].starts_with(**s) && b.get(i + s.len()).is_some_and(|c| c.is_ascii_digit())
            });
            match next {
                Some(s) => {
                    t.separators.push(s);
                    i += s.len();
                }
                None => break,
            }
        }
        out.push(t);
    }
    out
}

/// Digits glued to letters, `/` or `:` belong to something else: a document number
/// (`15/2021/NĐ-CP`), a date (`10/11/2019`), a time or a code (`QCVN 05:2013`).
fn touches_other_text(text: &str, t: &Token) -> bool {
    let start = t.plus.unwrap_or(t.groups[0].start);
    let end = t.groups.last().map_or(start, |g| g.end);
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let glued =
        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | ':' | '_'));
    // A trailing `.` or `-` ends a sentence or a range; one followed by a letter is glue.
    let glued_after = match after {
        Some('.' | '-' | ',') => text[end + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '/'),
        other => glued(other),
    };
    let glued_before = match before {
        Some('.' | '-' | ',') => text[..start - 1]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
        other => glued(other),
    };
    glued_before || glued_after
}

/// `3.000.000`, `1 200 000` or `150000000` followed by a currency: an amount, not a number
/// about a person.
fn is_money(text: &str, t: &Token) -> bool {
    let first = &text[t.groups[0].clone()];
    let grouped = t.groups.len() > 1
        && t.plus.is_none()
        && !first.starts_with('0')
        && first.len() <= 3
        && t.groups[1..].iter().all(|g| g.len() == 3)
        && t.separators
            .iter()
            .all(|s| matches!(*s, "." | " " | "\u{a0}"));
    let end = t.groups.last().map_or(0, |g| g.end);
    // Only the next few characters matter; lower-casing the rest would be quadratic.
    let after: String = text[end..].trim_start().chars().take(8).collect();
    let after = after.to_lowercase();
    let currency = [
        "đồng", "đ", "vnđ", "vnd", "usd", "triệu", "tỷ", "nghìn", "ngàn",
    ]
    .iter()
    .any(|c| {
        after.starts_with(c)
            && !after[c.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    });
    grouped || currency
}

/// A business's tax code (`Mã số thuế 0312345678`) looks like a mobile number but is public.
fn is_tax_code(text: &str, t: &Token) -> bool {
    let start = t.plus.unwrap_or(t.groups[0].start);
    let before = text[..start].trim_end_matches([' ', ':', '\u{a0}']);
    let from = before.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
    let before = before[from..].to_lowercase();
    let before = before.strip_suffix(" là").unwrap_or(&before);
    ["mã số thuế", "mst", "mã số doanh nghiệp"]
        .iter()
        .any(|label| before.ends_with(label))
}

/// The phone and ID numbers inside one token, trying the longest runs of groups first.
fn matches_in(text: &str, t: &Token) -> Vec<Finding> {
    let n = t.groups.len();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < n {
        // A phone number has at most five groups (`+84 236 3822 123`); longer runs of
        // groups are tables or lists of small numbers.
        for j in (i..n.min(i + MAX_GROUPS)).rev() {
            // A part of a token must be cut at spaces, not inside `2019-12-09`.
            let cut_ok = (i == 0 || is_space(t.separators[i - 1]))
                && (j + 1 == n || is_space(t.separators[j]));
            if !cut_ok {
                continue;
            }
            let digits: String = t.groups[i..=j].iter().map(|g| &text[g.clone()]).collect();
            let plus = i == 0 && t.plus.is_some();
            if let Some(kind) = classify(&digits, plus, j == i) {
                let start = if plus {
                    t.plus.unwrap_or(t.groups[i].start)
                } else {
                    t.groups[i].start
                };
                out.push(Finding {
                    kind,
                    range: start..t.groups[j].end,
                });
                i = j + 1;
                continue 'outer;
            }
        }
        i += 1;
    }
    out
}

const MAX_GROUPS: usize = 5;

/// The fewest digits of anything `classify` accepts: a 9-digit CMND number (a phone number
/// has 10 or 11 digits, or 11 or 12 written with `84`).
const MIN_DIGITS: usize = 9;

fn is_space(s: &str) -> bool {
    matches!(s, " " | "\u{a0}" | ") ")
}

/// Whether a run of digits is a Vietnamese phone number or, written as one group, an ID.
fn classify(digits: &str, plus: bool, one_group: bool) -> Option<Kind> {
    let national = match digits.strip_prefix("84") {
        Some(rest) if plus || rest.len() >= 9 => format!("0{rest}"),
        _ if plus => return None,
        _ => digits.to_string(),
    };
    let b = national.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b.starts_with(b"02");
    if mobile || landline {
        return Some(Kind::Phone);
    }
    if one_group && !plus && matches!(digits.len(), 9 | 12) {
        return Some(Kind::NationalId);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, &str)> {
        scan(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    #[test]
    fn nothing_shorter_than_min_digits_is_classified() {
        for len in 1..MIN_DIGITS {
            for start in ["84", "09", "02", "1", "0"] {
                let digits: String = start
                    .chars()
                    .chain(std::iter::repeat('9'))
                    .take(len)
                    .collect();
                for (plus, one_group) in [(false, true), (false, false), (true, true)] {
                    assert_eq!(classify(&digits, plus, one_group), None, "{digits}");
                }
            }
        }
        assert_eq!(classify("123456789", false, true), Some(Kind::NationalId));
    }

    #[test]
    fn mobile_numbers_in_every_spelling() {
        for phone in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "091 234 5678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "0353 123 456",
            "0789.123.456",
            "0567123456",
            "0868 123 456",
        ] {
            let text = format!("Gọi {phone} giúp tôi.");
            assert_eq!(found(&text), vec![(Kind::Phone, phone)], "{text}");
        }
    }

    #[test]
    fn landlines() {
        for phone in [
            "024 3825 1234",
            "02438251234",
            "0236 3822 123",
            "0236.3822.123",
            "+84 24 3825 1234",
            "+84 236 3822 123",
        ] {
            let text = format!("Liên hệ số {phone}.");
            assert_eq!(found(&text), vec![(Kind::Phone, phone)], "{text}");
        }
    }

    #[test]
    fn parenthesised_area_code() {
        let text = "Điện thoại (0236) 3822 123.";
        assert_eq!(found(text), vec![(Kind::Phone, "0236) 3822 123")]);
    }

    #[test]
    fn national_ids() {
        assert_eq!(
            found("CMND số 123456789 cấp năm 2010"),
            vec![(Kind::NationalId, "123456789")]
        );
        assert_eq!(
            found("CCCD: 001089012345."),
            vec![(Kind::NationalId, "001089012345")]
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            found("Gửi về nguyen.van.a@gmail.com."),
            vec![(Kind::Email, "nguyen.van.a@gmail.com")]
        );
        assert_eq!(
            found("<hotro+dan@so-xd.haivan.gov.vn>"),
            vec![(Kind::Email, "hotro+dan@so-xd.haivan.gov.vn")]
        );
        assert!(found("@user và a@b và x@localhost và @ 2019").is_empty());
    }

    #[test]
    fn numbers_that_are_not_personal() {
        for text in [
            "Thông tư số 187/2016/TT-BTC",
            "Nghị định 15/2021/NĐ-CP",
            "ngày 10/11/2019",
            "ngày 2019-12-09",
            "lệ phí 3.000.000 đồng",
            "mức phạt 150000000 đồng",
            "tổng 1.200.000.000.000",
            "1 200 000 000 đồng",
            "Tổng đài 1022",
            "Đường dây nóng 1900 1234 và 1800.5678",
            "QCVN 05:2013/BTNMT",
            "Công văn số 482/SLĐTBXH-VP",
            "năm 2023–2024, 4.800 xe",
            "https://example.gov.vn/tin/0912345678",
            "mã hồ sơ H12345678901",
            "năm 2019 0,912345678",
            "Công ty có mã số thuế 0312345678 và MST: 0401234567",
            "Mã số thuế là 0312345678.",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn only_the_number_right_after_a_tax_label_is_a_tax_code() {
        assert_eq!(
            found("MST 0312345678, ĐT 0912345678"),
            vec![(Kind::Phone, "0912345678")]
        );
    }

    #[test]
    fn many_numbers_scan_in_linear_time() {
        let text = "Mục 12 có 3.000.000 đồng; ".repeat(20_000);
        assert!(found(&text).is_empty());
        let text = "1 ".repeat(50_000);
        assert!(found(&text).is_empty());
        let text = format!("{} 0912 345 678", "1 2".repeat(1000));
        assert_eq!(found(&text), vec![(Kind::Phone, "0912 345 678")]);
    }

    #[test]
    fn a_date_next_to_a_phone_does_not_hide_it() {
        assert_eq!(
            found("ngày 2019-12-09 0912345678"),
            vec![(Kind::Phone, "0912345678")]
        );
    }

    #[test]
    fn positions_are_byte_ranges_of_the_text() {
        let text = "Ông Đặng: 0987 654 321 và dang@x.vn";
        let f = scan(text);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].range.start, "Ông Đặng: ".len());
        assert_eq!(&text[f[1].range.clone()], "dang@x.vn");
    }
}

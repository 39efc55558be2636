//! Reading cell values: dates, statuses, kinds of asker and lists.

use crate::model::{AskerKind, Status};
use jiff::civil::Date;

/// A date from a cell: `YYYY-MM-DD`, optionally followed by a time (`2025-05-28
/// 01:24:48.76`, `2025-05-28T01:24`), or the Vietnamese day-first `DD/MM/YYYY` (also with
/// `-` or `.` between, and an optional time after).
pub fn date(cell: &str) -> Result<Date, String> {
    let text = cell.trim();
    let head = text.split([' ', 'T']).next().unwrap_or("");
    let bad = || format!("{text:?} is not a date (write YYYY-MM-DD or DD/MM/YYYY)");
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |s: &str| {
        s.parse::<i16>()
            .ok()
            .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let (Some(x), Some(y), Some(z)) = (number(a), number(b), number(c)) else {
        return Err(bad());
    };
    let (year, month, day) = if a.len() == 4 {
        (x, y, z)
    } else if c.len() == 4 {
        (z, y, x)
    } else {
        return Err(bad());
    };
    let in_range = |v: i16| i8::try_from(v).ok();
    match (in_range(month), in_range(day)) {
        (Some(m), Some(d)) => {
            Date::new(year, m, d).map_err(|_| format!("{text:?} is not a day of the calendar"))
        }
        _ => Err(bad()),
    }
}

/// A status in English (as in the format) or in common Vietnamese wording.
pub fn status(cell: &str) -> Option<Status> {
    let key = normalise(cell);
    Status::parse(&key).or(match key.as_str() {
        "đã trả lời" | "đã giải đáp" | "trả lời" => Some(Status::Answered),
        "chờ trả lời" | "chưa trả lời" | "đang xử lý" | "đang giải quyết" => {
            Some(Status::Pending)
        }
        "đã chuyển" | "chuyển" | "chuyển cơ quan khác" => Some(Status::Forwarded),
        "từ chối" | "không trả lời" => Some(Status::Declined),
        _ => None,
    })
}

/// The kind of asker from one value: English, or the National Public Service Portal's
/// Vietnamese audience labels.
pub fn asker_kind(value: &str) -> Option<AskerKind> {
    let key = normalise(value);
    AskerKind::parse(&key).or(match key.as_str() {
        "công dân" | "người dân" | "cá nhân" => Some(AskerKind::Citizen),
        "doanh nghiệp" => Some(AskerKind::Business),
        "tổ chức" | "tổ chức khác" => Some(AskerKind::Organization),
        "ẩn danh" => Some(AskerKind::Anonymous),
        _ => None,
    })
}

/// Items of a list cell: a bracketed list (`['Công dân', 'Doanh nghiệp']` as Python writes
/// it, or `["a", "b"]`), else items separated by `;` or line breaks. Commas do not separate:
/// names may hold them.
pub fn list(cell: &str) -> Vec<String> {
    let text = cell.trim();
    let items: Vec<String> = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => bracketed(inner),
        None => text.split([';', '\n']).map(str::to_string).collect(),
    };
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Items of `'a', "b", c` with quotes removed; a quote inside may be escaped with `\`.
fn bracketed(inner: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => current.extend(chars.next()),
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') if current.trim().is_empty() => {
                current.clear();
                quote = Some(c);
            }
            (None, ',') => items.push(std::mem::take(&mut current)),
            (_, c) => current.push(c),
        }
    }
    items.push(current);
    items
}

/// Case-insensitive, NFC, spaces collapsed: the key names and labels are compared by.
pub fn normalise(text: &str) -> String {
    crate::text::nfc(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn dates() {
        assert_eq!(date("2025-05-28").unwrap(), d(2025, 5, 28));
        assert_eq!(date("2025-05-28 01:24:48.761611").unwrap(), d(2025, 5, 28));
        assert_eq!(date("2025-05-28T01:24:48Z").unwrap(), d(2025, 5, 28));
        assert_eq!(date("19/12/2018").unwrap(), d(2018, 12, 19));
        assert_eq!(date("1/2/2018").unwrap(), d(2018, 2, 1));
        assert_eq!(date("19.12.2018 08:00").unwrap(), d(2018, 12, 19));
        assert!(date("2019-02-29").unwrap_err().contains("calendar"));
        assert!(date("12/19/18").is_err());
        assert!(date("hôm qua").is_err());
        assert!(date("2018-300-01").is_err());
    }

    #[test]
    fn statuses_and_kinds() {
        assert_eq!(status("Answered"), Some(Status::Answered));
        assert_eq!(status("Đã trả lời"), Some(Status::Answered));
        assert_eq!(status("xyz"), None);
        assert_eq!(asker_kind("Công dân"), Some(AskerKind::Citizen));
        assert_eq!(asker_kind(" Tổ chức khác "), Some(AskerKind::Organization));
        assert_eq!(asker_kind("business"), Some(AskerKind::Business));
    }

    #[test]
    fn lists() {
        assert_eq!(
            list("['Công dân', 'Doanh nghiệp']"),
            ["Công dân", "Doanh nghiệp"]
        );
        assert_eq!(list("[]"), Vec::<String>::new());
        assert_eq!(list("[\"a, b\", 'c\\'d']"), ["a, b", "c'd"]);
        assert_eq!(list("Đất đai, nhà ở; Thuế"), ["Đất đai, nhà ở", "Thuế"]);
        assert_eq!(list("thue"), ["thue"]);
        assert_eq!(list(""), Vec::<String>::new());
    }
}

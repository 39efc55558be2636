//! Property tests over the record reader: on any text, and on valid records with random
//! damage, reading and validating never panics and every reported position lies inside the
//! file (a real line, a column on that line, a span on character boundaries).

use hoidap::config::SiteConfig;
use hoidap::diagnostics::Diagnostic;
use hoidap::load::{Content, frontmatter, record, registry, source};
use hoidap::model::privacy;
use proptest::prelude::*;

const RECORD: &str = "---
id: \"2019-0071\"
title: \"Đường Dương Vân Nga vẫn ngập, dự án thoát nước đến đâu?\"
asked: 2019-12-09
asker: {kind: citizen, name: \"Trương Công Định\", place: \"phường An Dương\"}
agency: so-xay-dung
topics: [xay-dung, moi-truong]
session: doi-thoai-2019
status: answered
answered: 2019-12-19
aliases: [/cu/71.html]
source: \"https://example.gov.vn/hoi-dap/71\"
---
Năm 2014 người dân đã phản ánh tình trạng ngập. Xin hỏi dự án đã triển khai đến đâu?
Gọi tôi: 0912 345 678.

<!-- answer -->

Dự án đã khởi công tháng 3/2019 theo Nghị định 15/2021/NĐ-CP, kinh phí 3.000.000 đồng.

<script>alert(1)</script>
";

const AGENCIES: &str = "- id: so-xay-dung\n  name: \"Sở Xây dựng\"\n- id: so-y-te\n  name: \"Sở Y tế\"\n  parent: so-xay-dung\n";
const TOPICS: &str =
    "- id: xay-dung\n  name: \"Xây dựng\"\n- id: moi-truong\n  name: \"Môi trường\"\n";
const SESSIONS: &str = "- id: doi-thoai-2019\n  title: \"Đối thoại 2019\"\n  date: 2019-12-19\n";

/// Asserts that a problem points inside `text`.
fn assert_inside(text: &str, d: &Diagnostic) {
    if let Some(span) = &d.span {
        assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{d:?}"
        );
    }
    if d.line == 0 {
        assert_eq!(d.column, 0, "{d:?}");
        return;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(d.line as usize <= lines.len(), "line past the end: {d:?}");
    let width = lines[d.line as usize - 1].chars().count();
    assert!(
        d.column >= 1 && d.column as usize <= width + 1,
        "column past the line ({width} characters): {d:?}"
    );
}

/// Reads a record, then validates it against small registries, checking every position.
/// Returns the codes validation reported.
fn read_and_validate(text: &str) -> Vec<&'static str> {
    let (found, problems) = record::read("content/a.md", text.to_string());
    for d in &problems {
        assert_eq!(d.file, "content/a.md");
        assert_inside(text, d);
    }
    let Some(found) = found else {
        return Vec::new();
    };
    assert_eq!(found.text, text);
    let mut content = Content::default();
    content.agencies = registry::agencies(AGENCIES, &mut content.problems);
    content.topics = registry::topics(TOPICS, &mut content.problems);
    content.sessions = registry::sessions(SESSIONS, &mut content.problems);
    assert!(content.problems.is_empty(), "{:?}", content.problems);
    content.records.push(found);
    let config = SiteConfig::parse(
        "title = \"t\"\nbase_url = \"https://x.example/\"\nlanguage = \"vi\"\n",
        "site.toml",
    )
    .unwrap();
    let (_, problems) = hoidap::model::validate(content, &config);
    for d in &problems {
        assert_eq!(d.file, "content/a.md", "{d:?}");
        assert_inside(text, d);
    }
    problems.iter().map(|d| d.code).collect()
}

/// The parts of a split lie inside the text, in order, on character boundaries.
fn check_split(text: &str) {
    let Ok(parts) = frontmatter::split(text) else {
        return;
    };
    let mut ranges = vec![parts.front_matter.clone(), parts.question.clone()];
    ranges.extend(parts.markers.iter().cloned());
    let mut at = 0;
    for r in &ranges {
        assert!(
            at <= r.start && r.start <= r.end && r.end <= text.len(),
            "{parts:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        at = r.end;
    }
    for m in &parts.markers {
        assert!(
            hoidap::load::thread::classify(&text[m.clone()]).is_some(),
            "{parts:?}"
        );
    }
}

/// Pieces that make front matter and bodies interesting to break.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("<!-- answer -->\n".to_string()),
        Just("<!-- follow-up date=2019-01-0".to_string()),
        Just("<!-- forwarded to=\"a b ".to_string()),
        Just(" -->\n".to_string()),
        Just("=\u{a0}".to_string()),
        Just("id: ".to_string()),
        Just("title: ".to_string()),
        Just("asked: 2019-02-30\n".to_string()),
        Just("topics: [".to_string()),
        Just("asker: {kind: ".to_string()),
        Just("status: answered\n".to_string()),
        Just("\"".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("đồng 0912.345.678 a@b.vn ".to_string()),
        "[a-zđơư0-9 :,\\-\"'\\[\\]{}#&*!|>%@\n\t]{0,12}",
    ]
}

fn assembled() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// A change to a valid record: cut, insert or repeat a piece of it.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize, usize),
    Insert(usize, String),
    RepeatLine(usize),
    SwapLines(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Damage::Cut(a, n)),
        (any::<usize>(), piece()).prop_map(|(a, s)| Damage::Insert(a, s)),
        any::<usize>().prop_map(Damage::RepeatLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, damage: &Damage) -> String {
    match damage {
        Damage::Cut(a, n) => {
            let start = boundary(text, *a);
            let end = boundary(text, (start + n).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Damage::Insert(a, s) => {
            let at = boundary(text, *a);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Damage::RepeatLine(a) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let i = a % lines.len();
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        Damage::SwapLines(a, b) => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text(text in any::<String>()) {
        check_split(&text);
        read_and_validate(&text);
    }

    #[test]
    fn assembled_text(text in assembled()) {
        check_split(&text);
        read_and_validate(&text);
    }

    #[test]
    fn damaged_records(damages in prop::collection::vec(damage(), 1..6)) {
        let text = damages.iter().fold(RECORD.to_string(), |t, d| apply(&t, d));
        check_split(&text);
        read_and_validate(&text);
    }

    #[test]
    fn privacy_findings_are_whole_numbers_and_addresses(
        text in "[0-9 .+()\\-@a-zđ/:,\u{a0}]{0,80}"
    ) {
        for f in privacy::scan(&text) {
            let found = &text[f.range.clone()];
            let digits = found.chars().filter(char::is_ascii_digit).count();
            match f.kind {
                privacy::Kind::Phone => prop_assert!((10..=12).contains(&digits), "{found:?}"),
                privacy::Kind::NationalId => prop_assert!(digits == 9 || digits == 12, "{found:?}"),
                privacy::Kind::Email => prop_assert!(found.contains('@'), "{found:?}"),
            }
            // Never the middle of a longer number.
            let before = text[..f.range.start].chars().next_back();
            let after = text[f.range.end..].chars().next();
            prop_assert!(!before.is_some_and(|c| c.is_ascii_digit()), "{text:?}: {found:?}");
            prop_assert!(!after.is_some_and(|c| c.is_ascii_digit()), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn any_bytes_through_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let valid = std::str::from_utf8(body).is_ok();
        match source::decode(bytes.clone(), "content/a.md") {
            Ok(text) => {
                prop_assert!(valid);
                read_and_validate(&text);
            }
            Err(d) => {
                prop_assert!(!valid);
                assert_eq!(d.code, "E0002");
                assert!(d.line >= 1 && d.column >= 1);
            }
        }
    }
}

#[test]
fn the_undamaged_record_reads_with_only_the_expected_warnings() {
    let (found, problems) = record::read("content/a.md", RECORD.to_string());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(found.is_some());
    // The phone number and the script are there on purpose.
    assert_eq!(read_and_validate(RECORD), ["W0271", "W0260"]);
}

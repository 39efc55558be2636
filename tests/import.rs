//! `hoidap import` on small spreadsheets with the quirks of real exports: a byte-order
//! mark, a Python-style list column, list items glued together by a crawler, an agency
//! named two ways, e-mail addresses, multi-line cells, `;` separators and day-first dates.

mod common;

use common::copy_dir;
use hoidap::import::{Field, Options, Outcome, Report, import};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// A copy of the fixture site in a temporary folder.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(FIXTURES).join("site"), dir.path());
    dir
}

fn pair(s: &str) -> (String, String) {
    let (a, b) = s.split_once('=').unwrap();
    (a.to_string(), b.to_string())
}

/// The recommended options for the portal's export.
fn portal(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        file: Path::new(FIXTURES).join("portal.csv"),
        map: [
            "question=cauHoi",
            "answer=cauTraLoi",
            "agency=boNganh",
            "source=link",
            "asker=phanLoai",
        ]
        .into_iter()
        .chain(["asked=lastUpdated", "answered=lastUpdated"])
        .map(pair)
        .collect(),
        set: vec![pair("topics=thu-tuc-hanh-chinh")],
        agency_aliases: vec!["Bộ Tài nguyên và Môi trường=Bộ Nông nghiệp và Môi trường".into()],
        ..Options::default()
    }
}

fn editor(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        file: Path::new(FIXTURES).join("editor.csv"),
        into: Some(PathBuf::from("content/records/2024")),
        ..Options::default()
    }
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `root` with its content.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(root) {
        let rel = entry
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        files.insert(rel, std::fs::read(&entry).unwrap());
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn counts(r: &Report) -> [usize; 4] {
    [r.created(), r.updated(), r.unchanged(), r.skipped()]
}

#[test]
fn portal_rows_become_records_with_expected_front_matter() {
    let dir = site();
    let report = import(&portal(dir.path())).unwrap();
    assert_eq!(counts(&report), [4, 0, 0, 1], "{report:#?}");
    let skipped = report.rows.iter().find(|r| r.row == 5).unwrap();
    assert_eq!(
        skipped.outcome,
        Outcome::Skipped("the question is empty".into())
    );

    let record = read(dir.path(), "content/imported/dichvucong-101.md");
    let expected = "---
id: \"dichvucong-101\"
title: \"Hồ sơ đăng ký biến động đất đai gồm những gì?\"
asked: 2025-05-28
asker: {kind: citizen}
agency: bo-nong-nghiep-va-moi-truong
topics: [thu-tuc-hanh-chinh]
status: answered
answered: 2025-05-28
source: \"https://dichvucong.example.gov.vn/p/home/cau-hoi.html?id=101&row_limit=1\"
---
Hồ sơ đăng ký biến động đất đai gồm những gì? Tôi ở xa, có nộp qua mạng được không?

<!-- answer -->

Hồ sơ đăng ký biến động gồm:

- Đơn đăng ký biến động theo mẫu;
- Bản gốc giấy chứng nhận đã cấp;
- Giấy tờ chứng minh nội dung biến động.Hồ sơ có thể nộp trực tuyến. Mọi vướng mắc xin gửi về hotro.datdai@example.gov.vn.
";
    assert_eq!(record, expected);

    // Several kinds of asker in one cell: no asker rather than a guess.
    let glued = read(dir.path(), "content/imported/dichvucong-102.md");
    assert!(!glued.contains("asker:"), "{glued}");
    assert!(
        glued.contains(
            "như sau:\n\na) Tổ chức, cá nhân nộp hồ sơ đến cơ quan tiếp nhận;\n\nb) Trong"
        ),
        "{glued}"
    );

    // A multi-line cell: lines become a list, markup characters are escaped.
    let multi = read(dir.path(), "content/imported/dichvucong-103.md");
    assert!(multi.contains("title: \"Tôi muốn hỏi về thủ tục cấp chứng chỉ hành nghề \\\"khám bệnh, chữa bệnh\\\" cho người nước ngoài?\""), "{multi}");
    assert!(
        multi.contains("hiện hành:\n\n1. Đơn đề nghị cấp chứng chỉ hành nghề;\n2. Bản sao"),
        "{multi}"
    );
    assert!(
        multi.contains(
            "* Lưu ý: văn bằng bằng tiếng nước ngoài phải được dịch \\*công chứng\\* sang"
        ),
        "{multi}"
    );

    // An existing agency found by its name.
    assert!(
        read(dir.path(), "content/imported/dichvucong-105.md").contains("agency: so-xay-dung\n")
    );
}

#[test]
fn new_agencies_are_appended_and_the_file_kept() {
    let dir = site();
    let before = read(dir.path(), "content/agencies.yaml");
    let report = import(&portal(dir.path())).unwrap();
    let after = read(dir.path(), "content/agencies.yaml");
    assert!(after.starts_with(&before), "{after}");
    assert_eq!(
        &after[before.len()..],
        "\n# Added by `hoidap import` from portal.csv.
- id: bo-nong-nghiep-va-moi-truong
  name: \"Bộ Nông nghiệp và Môi trường\"
- id: bo-y-te
  name: \"Bộ Y tế\"
"
    );
    let added: Vec<&str> = report.added.iter().map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(added, ["bo-nong-nghiep-va-moi-truong", "bo-y-te"]);
    // No topic was new.
    assert_eq!(
        read(dir.path(), "content/topics.yaml"),
        std::fs::read_to_string(Path::new(FIXTURES).join("site/content/topics.yaml")).unwrap()
    );
}

#[test]
fn agency_alias_is_honoured_from_flag_or_file_and_needed() {
    let dir = site();
    let mut options = portal(dir.path());
    options.agency_aliases.clear();
    import(&options).unwrap();
    let agencies = read(dir.path(), "content/agencies.yaml");
    assert!(
        agencies.contains("id: bo-tai-nguyen-va-moi-truong"),
        "{agencies}"
    );
    assert!(
        read(dir.path(), "content/imported/dichvucong-101.md")
            .contains("agency: bo-tai-nguyen-va-moi-truong\n")
    );

    let dir = site();
    let mut options = portal(dir.path());
    options.agency_aliases.clear();
    options.agency_alias_files = vec![Path::new(FIXTURES).join("aliases.txt")];
    import(&options).unwrap();
    assert!(!read(dir.path(), "content/agencies.yaml").contains("bo-tai-nguyen-va-moi-truong"));
    assert!(
        read(dir.path(), "content/imported/dichvucong-101.md")
            .contains("agency: bo-nong-nghiep-va-moi-truong\n")
    );
}

#[test]
fn second_import_changes_nothing() {
    let dir = site();
    import(&portal(dir.path())).unwrap();
    let first = snapshot(dir.path());
    let report = import(&portal(dir.path())).unwrap();
    assert_eq!(counts(&report), [0, 0, 4, 1], "{report:#?}");
    assert!(report.added.is_empty());
    assert_eq!(snapshot(dir.path()), first);
}

#[test]
fn dry_run_writes_nothing_but_reports_the_same() {
    let dir = site();
    let before = snapshot(dir.path());
    let mut options = portal(dir.path());
    options.dry_run = true;
    let report = import(&options).unwrap();
    assert_eq!(counts(&report), [4, 0, 0, 1]);
    assert_eq!(report.added.len(), 2);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn reimport_updates_owned_fields_and_keeps_hand_edits() {
    let dir = site();
    import(&portal(dir.path())).unwrap();
    let rel = "content/imported/dichvucong-105.md";
    let path = dir.path().join(rel);
    let original = read(dir.path(), rel);
    // An editor corrects the title, adds who signed the answer and marks the privacy review.
    let edited = original
        .replace("title: \"Doanh nghiệp", "title: \"Sửa tay: Doanh nghiệp")
        .replace("asked:", "privacy: reviewed\nasked:")
        .replace(
            "status: answered\n",
            "status: answered\nanswered_by: \"Chánh Văn phòng Sở\" # thêm tay\n",
        );
    std::fs::write(&path, &edited).unwrap();
    let report = import(&portal(dir.path())).unwrap();
    assert_eq!(counts(&report), [0, 1, 3, 1]);
    let updated = report
        .rows
        .iter()
        .find(|r| r.outcome == Outcome::Updated)
        .unwrap();
    assert_eq!(updated.file.as_deref(), Some(rel));
    let text = read(dir.path(), rel);
    assert!(text.contains("title: \"Doanh nghiệp cần"), "{text}");
    // Only the title changed back; the editor's fields stay where they were written.
    let restored = edited.replace("Sửa tay: ", "");
    assert_eq!(text, restored);
    // The kept field stays, so the next run is quiet.
    assert_eq!(counts(&import(&portal(dir.path())).unwrap()), [0, 0, 4, 1]);
}

#[test]
fn a_moved_record_is_found_by_its_source() {
    let dir = site();
    import(&portal(dir.path())).unwrap();
    let moved = dir.path().join("content/records/moved.md");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(
        dir.path().join("content/imported/dichvucong-103.md"),
        &moved,
    )
    .unwrap();
    let mut options = portal(dir.path());
    options.id_prefix = Some("dvc".into());
    let report = import(&options).unwrap();
    // Other rows get new ids under the new prefix; the moved one keeps its file and id.
    let row = report.rows.iter().find(|r| r.row == 4).unwrap();
    assert_eq!(row.file.as_deref(), Some("content/records/moved.md"));
    assert_eq!(row.outcome, Outcome::Unchanged);
    assert!(!dir.path().join("content/imported/dvc-103.md").exists());
}

#[test]
fn columns_named_like_fields_need_no_map() {
    let dir = site();
    let report = import(&editor(dir.path())).unwrap();
    assert_eq!(counts(&report), [2, 0, 0, 1], "{report:#?}");
    let bad = report.rows.iter().find(|r| r.row == 4).unwrap();
    assert!(
        matches!(&bad.outcome, Outcome::Skipped(why) if why.contains("asked") && why.contains("calendar")),
        "{bad:?}"
    );

    let record = read(dir.path(), "content/records/2024/2024-0001.md");
    assert!(
        record.starts_with(
            "---
id: \"2024-0001\"
title: \"Nhà tôi xây trên đất vườn có được cấp phép không?\"
asked: 2024-04-03
agency: so-xay-dung
topics: [dat-dai, xay-dung]
status: answered
answered: 2024-04-12
answered_by: \"Giám đốc Sở Xây dựng\"
---
"
        ),
        "{record}"
    );
    let pending = read(dir.path(), "content/records/2024/2024-0002.md");
    assert!(
        pending.contains("title: \"Chờ trả lời về thuế\"\n"),
        "{pending}"
    );
    assert!(
        pending.contains("topics: [thue]\nstatus: pending\n"),
        "{pending}"
    );
    assert!(!pending.contains("<!-- answer -->"));
    let topics = read(dir.path(), "content/topics.yaml");
    assert!(
        topics.ends_with(
            "- id: dat-dai\n  name: \"Đất đai\"\n- id: xay-dung\n  name: \"Xây dựng\"\n"
        ),
        "{topics}"
    );
    assert!(
        read(dir.path(), "content/agencies.yaml")
            .contains("- id: cuc-thue-thanh-pho\n  name: \"Cục Thuế thành phố\"\n")
    );
}

#[test]
fn usage_errors_are_reported_before_anything_is_written() {
    let dir = site();
    let before = snapshot(dir.path());
    let mut options = portal(dir.path());
    options.map.push(pair("answered_by=ky"));
    let err = import(&options).unwrap_err().to_string();
    assert!(err.contains("no column \"ky\""), "{err}");
    let mut options = portal(dir.path());
    options.set.push(pair("asked=hôm qua"));
    assert!(
        import(&options)
            .unwrap_err()
            .to_string()
            .contains("--set asked")
    );
    let mut options = portal(dir.path());
    options.map.push(pair("tieu_de=cauHoi"));
    assert!(
        import(&options)
            .unwrap_err()
            .to_string()
            .contains("not a field")
    );
    let mut options = portal(dir.path());
    options.into = Some("../elsewhere".into());
    assert!(import(&options).is_err());
    assert_eq!(snapshot(dir.path()), before);
    // An id-like value that does not exist is a typo, not a new entry.
    let mut options = portal(dir.path());
    options.set = vec![pair("topics=thu-tuc-hanh-chin")];
    let err = import(&options).unwrap_err().to_string();
    assert!(err.contains("did you mean thu-tuc-hanh-chinh?"), "{err}");
    let mut options = portal(dir.path());
    options.agency_aliases = vec!["Bộ Y tế=so-xay-dng".into()];
    let err = import(&options).unwrap_err().to_string();
    assert!(err.contains("did you mean so-xay-dung?"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
    // Not a site: nothing is created there.
    let empty = tempfile::tempdir().unwrap();
    let err = import(&portal(empty.path())).unwrap_err().to_string();
    assert!(err.contains("no site.toml"), "{err}");
    assert!(snapshot(empty.path()).is_empty());
}

#[test]
fn missing_required_fields_skip_rows_with_reasons() {
    let dir = site();
    let mut options = portal(dir.path());
    options.set.clear();
    options.map.retain(|(f, _)| f != "answered");
    let report = import(&options).unwrap();
    assert_eq!(report.skipped(), 5);
    let reasons: Vec<String> = report
        .rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Skipped(why) => Some(why.clone()),
            _ => None,
        })
        .collect();
    assert!(reasons[0].contains("--set topics="), "{reasons:?}");
    assert!(!dir.path().join("content/imported").exists());
}

/// Without a date column or `--set`, dates are written `unknown` (not a stand-in date that
/// would make every answer look same-day): the records check clean and are published.
#[test]
fn rows_without_dates_are_imported_with_unknown_dates() {
    let dir = site();
    let mut options = portal(dir.path());
    options.map.retain(|(f, _)| f != "answered" && f != "asked");
    let report = import(&options).unwrap();
    assert_eq!(counts(&report), [4, 0, 0, 1], "{report:#?}");
    let files: Vec<_> = walkdir::WalkDir::new(dir.path().join("content/imported"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(files.len(), 4);
    for text in &files {
        assert!(text.contains("\nasked: unknown\n"), "{text}");
        assert!(text.contains("\nanswered: unknown\n"), "{text}");
    }
    let (site, problems) = hoidap::build::check_site(dir.path()).unwrap();
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:#?}");
    let site = site.unwrap();
    let stats = hoidap::stats::compute(&site.archive, &site.config, jiff::civil::date(2025, 6, 1));
    assert_eq!(stats.totals.timed, 0);
    assert_eq!(stats.totals.median_days, None);
    assert!(stats.totals.undated >= 4, "{:?}", stats.totals);
}

#[test]
fn the_command_line_reports_rows_and_defaults() {
    let dir = site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoidap"))
        .arg("import")
        .arg(Path::new(FIXTURES).join("portal.csv"))
        .arg("--root")
        .arg(dir.path())
        .args([
            "--map",
            "question=cauHoi",
            "--map",
            "answer=cauTraLoi",
            "--map",
            "agency=boNganh",
        ])
        .args([
            "--map",
            "source=link",
            "--map",
            "asked=lastUpdated",
            "--set",
            "answered=2025-05-28",
        ])
        .args(["--set", "topics=thu-tuc-hanh-chinh", "--dry-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("default: answered = 2025-05-28 (used in 4 rows)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row 2: created content/imported/dichvucong-101.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row 5: skipped: the question is empty"),
        "{stdout}"
    );
    assert!(
        stdout.contains("5 rows: 4 created, 0 updated, 0 unchanged, 1 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("dry run: nothing was written"), "{stdout}");
    assert!(!dir.path().join("content/imported").exists());
}

#[test]
fn imported_sites_load_without_errors() {
    let dir = site();
    import(&portal(dir.path())).unwrap();
    import(&editor(dir.path())).unwrap();
    let site = match hoidap::build::load_site(dir.path()) {
        Ok(site) => site,
        Err(hoidap::Error::Content(problems)) => panic!("{problems:#?}"),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(site.archive.records.len(), 6);
    // The offices' e-mail addresses in the answers are warnings for an editor, not errors.
    let codes: Vec<&str> = site.warnings.iter().map(|w| w.code).collect();
    assert!(codes.contains(&"W0270"), "{codes:?}");
    let record = site.archive.record("dichvucong-101").unwrap();
    let answer = &record.answer.as_ref().unwrap().html;
    assert!(
        answer.contains("<li>Bản gốc giấy chứng nhận đã cấp;</li>"),
        "{answer}"
    );
    assert_eq!(
        site.archive.agencies[record.agency.unwrap()].name,
        "Bộ Nông nghiệp và Môi trường"
    );
    let starred = site.archive.record("dichvucong-103").unwrap();
    assert!(
        starred
            .answer
            .as_ref()
            .unwrap()
            .plain
            .contains("dịch *công chứng* sang")
    );
}

#[test]
fn defaults_fill_gaps_but_never_replace_existing_values() {
    let dir = site();
    let crawl = |date: &str| {
        let mut options = portal(dir.path());
        options.map.retain(|(f, _)| f != "asked" && f != "answered");
        options.set.push(pair(&format!("asked={date}")));
        options.set.push(pair(&format!("answered={date}")));
        options
    };
    let first = import(&crawl("2025-05-28")).unwrap();
    assert!(
        first
            .defaults_used
            .contains(&(Field::Asked, "2025-05-28".into(), 4)),
        "{:?}",
        first.defaults_used
    );
    // A later crawl of the same rows keeps the dates the records already have.
    let later = import(&crawl("2025-09-01")).unwrap();
    assert_eq!(counts(&later), [0, 0, 4, 1]);
    assert!(
        later
            .defaults_used
            .contains(&(Field::Asked, "2025-09-01".into(), 0)),
        "{:?}",
        later.defaults_used
    );
    assert!(read(dir.path(), "content/imported/dichvucong-101.md").contains("asked: 2025-05-28\n"));
}

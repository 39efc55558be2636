//! Bad content: every kind of problem an editor can make, each in a small fixture site,
//! reported with its exact file, line, column and code; all problems of a run together;
//! nothing published when there are errors, even when a build is killed.
//!
//! A fixture is `tests/fixtures/bad/_base` (a small valid site) with the files of
//! `tests/fixtures/bad/<case>/` laid over it.

mod common;

use common::copy_dir;
use hoidap::build::{self, BuildOptions, check_site};
use hoidap::diagnostics::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
const BIN: &str = env!("CARGO_BIN_EXE_hoidap");

/// The base site with one case's files laid over it, in a temporary folder.
fn site(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(FIXTURES).join("_base"), dir.path());
    if case != "_base" {
        copy_dir(&Path::new(FIXTURES).join(case), dir.path());
    }
    dir
}

fn check(root: &Path) -> Vec<Diagnostic> {
    let (site, problems) = check_site(root).unwrap();
    let has_errors = problems.iter().any(Diagnostic::is_error);
    assert_eq!(
        site.is_none(),
        has_errors,
        "a site is returned exactly when there are no errors"
    );
    problems
}

type Expected<'a> = &'a [(&'a str, u32, u32, &'a str)];

/// Checks a case and compares every problem's file, line, column and code, in order.
fn expect(case: &str, expected: Expected) -> Vec<Diagnostic> {
    let dir = site(case);
    let problems = check(dir.path());
    let got: Vec<(&str, u32, u32, &str)> = problems
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column, d.code))
        .collect();
    assert_eq!(got, expected, "case {case}: {problems:#?}");
    problems
}

fn only(case: &str, file: &str, line: u32, column: u32, code: &str) -> Diagnostic {
    expect(case, &[(file, line, column, code)]).remove(0)
}

const BAD: &str = "content/records/bad.md";

macro_rules! cases {
    ($($name:ident => [$($f:expr, $l:expr, $c:expr, $code:expr);* $(;)?];)*) => {
        $(
            #[test]
            fn $name() {
                expect(stringify!($name), &[$(($f, $l, $c, $code)),*]);
            }
        )*
    };
}

cases! {
    // Files
    not_utf8 => [BAD, 10, 3, "E0002"];
    too_large => [BAD, 0, 0, "E0005"];
    // site.toml
    site_toml_syntax => ["site.toml", 2, 43, "E0101"];
    site_toml_type => ["site.toml", 4, 12, "E0101"];
    site_toml_language => ["site.toml", 3, 12, "E0101"];
    site_toml_base_url => ["site.toml", 2, 1, "E0102"];
    site_toml_paginate => ["site.toml", 4, 1, "E0103"];
    site_toml_title => ["site.toml", 1, 1, "E0104"];
    site_toml_unknown_key => ["site.toml", 4, 1, "W0101"];
    // Front matter
    no_front_matter => [BAD, 1, 1, "E0201"];
    unclosed_front_matter => [BAD, 1, 1, "E0202"];
    yaml_syntax => [BAD, 3, 8, "E0203"];
    empty_front_matter => [
        BAD, 1, 1, "E0210"; BAD, 1, 1, "E0210"; BAD, 1, 1, "E0210";
        BAD, 1, 1, "E0234"; BAD, 1, 1, "E0247";
    ];
    missing_field => [BAD, 1, 1, "E0210"];
    empty_field => [BAD, 3, 8, "E0211"];
    not_a_text => [BAD, 2, 5, "E0212"];
    date_form => [BAD, 4, 8, "E0213"];
    // Only the field's own problem: not again as "no topic".
    wrong_shape => [BAD, 6, 9, "E0214"];
    agency_not_a_text => [BAD, 5, 9, "E0212"];
    // Each bad item at its own place; a nested mapping at the list.
    list_items_not_texts => [BAD, 6, 9, "E0214"; BAD, 6, 20, "E0214"; BAD, 6, 24, "E0214"];
    bad_id => [BAD, 2, 5, "E0220"];
    multiline_title => [BAD, 3, 8, "E0221"];
    bad_status => [BAD, 7, 9, "E0222"];
    bad_privacy_value => [BAD, 9, 10, "E0223"];
    bad_asker => [BAD, 9, 8, "E0224"];
    asker_without_kind => [BAD, 9, 8, "E0224"];
    asker_unknown_field => [BAD, 9, 8, "W0201"];
    unknown_field => [BAD, 9, 1, "W0201"];
    // Threads (a well-formed one, whether `status` and `answered` are written or not, has none)
    thread_ok => [];
    thread_ok_unstated => [];
    thread_unknown_kind => [BAD, 10, 6, "E0280"];
    thread_malformed_attribute => [BAD, 12, 35, "E0281"];
    thread_bad_date => [BAD, 14, 21, "E0282"];
    thread_missing_date => [BAD, 14, 1, "E0283"];
    thread_unknown_attribute => [BAD, 14, 32, "W0284"];
    thread_unknown_agency => [BAD, 10, 19, "E0285"];
    thread_before_question => [BAD, 10, 36, "E0286"];
    thread_before_entry_above => [BAD, 14, 21, "E0287"];
    thread_follow_up_first => [BAD, 10, 1, "E0288"];
    thread_status_disagrees => [BAD, 7, 9, "E0289"];
    thread_answered_disagrees => [BAD, 7, 11, "E0289"];
    // One answer with a date of its own: `answered` must agree with it too.
    answer_date_disagrees => [BAD, 7, 11, "E0289"];
    // References
    unknown_agency_far => [BAD, 5, 9, "E0231"];
    unknown_topic => [BAD, 6, 20, "E0232"];
    unknown_session => [BAD, 9, 10, "E0233"];
    no_topic => [BAD, 1, 1, "E0234"];
    // Status against the body
    answered_without_answer => [BAD, 7, 9, "E0240"];
    pending_with_answer => [BAD, 11, 1, "E0241"];
    declined_without_reason => [BAD, 7, 9, "W0242"];
    missing_answered_date => [BAD, 7, 9, "E0243"];
    answered_before_asked => [BAD, 8, 11, "E0244"];
    pending_with_answered_date => [BAD, 8, 11, "W0245"];
    missing_agency => [BAD, 6, 9, "E0246"];
    empty_question => [BAD, 1, 1, "E0247"];
    empty_answer => [BAD, 12, 1, "E0248"];
    // `hoidap new`'s line, in either language, wherever it was left.
    placeholder => [BAD, 12, 10, "W0249"; BAD, 16, 1, "W0249"];
    // Links
    alias_collision => ["content/records/b.md", 9, 25, "E0250"];
    alias_generated_page => [BAD, 9, 11, "E0250"];
    alias_not_a_path => [BAD, 9, 12, "E0250"; BAD, 9, 48, "E0250"];
    source_not_url => [BAD, 9, 9, "W0251"];
    unsafe_html => [BAD, 14, 5, "W0260"; BAD, 16, 1, "W0260"];
    unsafe_html_trusted => [];
    // Personal data
    privacy_email => [BAD, 10, 17, "W0270"];
    privacy_phone => [BAD, 14, 29, "W0271"; BAD, 14, 48, "W0271"];
    privacy_id => [BAD, 10, 16, "W0272"; BAD, 10, 45, "W0272"];
    privacy_asker_name => [BAD, 9, 35, "W0271"];
    privacy_title => [BAD, 3, 13, "W0271"];
    privacy_reviewed => [];
    privacy_not_triggered => [];
    // Registries
    registry_missing_name => ["content/topics.yaml", 3, 3, "E0210"];
    registry_duplicate => ["content/topics.yaml", 5, 7, "E0302"];
    registry_bad_id => ["content/topics.yaml", 3, 7, "E0220"; "content/topics.yaml", 5, 3, "W0201"];
    session_bad_date => ["content/sessions.yaml", 3, 9, "E0213"];
    own_parent => ["content/agencies.yaml", 3, 11, "E0304"];
    cyclic_parent => ["content/agencies.yaml", 9, 11, "E0304"];
    // Accepted silently
    bom_crlf => [];
    skipped_files => [];
    // Decomposed Vietnamese (as pasted from some systems) is read as composed (NFC); columns
    // count composed characters, as the snippet shows them.
    decomposed_unicode => [BAD, 6, 9, "E0231"; BAD, 11, 32, "W0271"];
    _base => [];
}

#[test]
fn impossible_date() {
    // Reported once, not again as a missing `answered` date.
    let problems = expect("impossible_date", &[(BAD, 8, 11, "E0213")]);
    assert!(
        problems[0]
            .message
            .contains("2019-02-30 is not a day of the calendar")
    );
}

#[test]
fn a_key_written_twice_is_named() {
    let d = only("duplicate_key", BAD, 9, 1, "E0203");
    assert!(
        d.message.ends_with("the key `title` appears twice"),
        "{}",
        d.message
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    // A record without an id comes first in file order: the message must still name the
    // file that has the id first, not the one at the same place among the records.
    let found = expect(
        "duplicate_id",
        &[
            ("content/records/0-nhap.md", 1, 1, "E0210"),
            ("content/records/b.md", 2, 5, "E0230"),
        ],
    );
    let d = &found[1];
    assert!(d.message.contains("content/records/a.md"), "{}", d.message);
    assert!(d.message.contains("\"bad-1\""), "{}", d.message);
}

#[test]
fn unknown_ids_suggest_the_closest() {
    let d = only("unknown_agency", BAD, 5, 9, "E0231");
    assert_eq!(d.help.as_deref(), Some("did you mean `so-xay-dung`?"));
    let d = only("unknown_parent", "content/agencies.yaml", 5, 11, "E0303");
    assert_eq!(d.help.as_deref(), Some("did you mean `ubnd`?"));
    // Nothing close: point at the registry instead of guessing.
    let dir = site("unknown_agency_far");
    let d = &check(dir.path())[0];
    assert!(d.help.as_deref().unwrap().contains("content/agencies.yaml"));
}

#[test]
fn not_utf8_gives_the_byte_offset() {
    let d = only("not_utf8", BAD, 10, 3, "E0002");
    let bytes = std::fs::read(Path::new(FIXTURES).join("not_utf8").join(BAD)).unwrap();
    let offset = bytes.iter().position(|&b| b == 0xE0).unwrap();
    assert!(
        d.message.contains(&format!("offset {offset}")),
        "{}",
        d.message
    );
}

#[test]
fn a_broken_registry_is_reported_once_not_at_every_reference() {
    let d = only("registry_yaml", "content/topics.yaml", 4, 10, "E0301");
    assert!(!d.message.contains("line "), "{}", d.message);
}

#[test]
fn a_missing_registry_is_unreadable() {
    let dir = site("_base");
    std::fs::remove_file(dir.path().join("content/agencies.yaml")).unwrap();
    let problems = check(dir.path());
    let got: Vec<_> = problems.iter().map(|d| (d.file.as_str(), d.code)).collect();
    assert_eq!(got, [("content/agencies.yaml", "E0003")], "{problems:#?}");
}

#[test]
fn a_missing_site_toml_is_reported() {
    let dir = site("_base");
    std::fs::remove_file(dir.path().join("site.toml")).unwrap();
    let problems = check(dir.path());
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].file.as_str(), problems[0].code),
        ("site.toml", "E0100")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let dir = site("_base");
    let records = dir.path().join("content/records");
    std::os::unix::fs::symlink(&records, records.join("loop")).unwrap();
    let problems = check(dir.path());
    let got: Vec<_> = problems
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column, d.code))
        .collect();
    assert_eq!(
        got,
        [("content/records/loop", 0, 0, "E0004")],
        "{problems:#?}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site("_base");
    let file = dir.path().join("content/records/ok.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&file).is_ok() {
        // Running as root: permissions cannot make a file unreadable.
        return;
    }
    let problems = check(dir.path());
    let got: Vec<_> = problems.iter().map(|d| (d.file.as_str(), d.code)).collect();
    assert_eq!(got, [("content/records/ok.md", "E0003")]);
}

#[cfg(unix)]
#[test]
fn a_dangling_link_is_reported() {
    let dir = site("_base");
    let records = dir.path().join("content/records");
    std::os::unix::fs::symlink(records.join("gone.md"), records.join("link.md")).unwrap();
    let problems = check(dir.path());
    let got: Vec<_> = problems.iter().map(|d| (d.file.as_str(), d.code)).collect();
    assert_eq!(got, [("content/records/link.md", "E0004")], "{problems:#?}");
}

#[test]
fn bom_and_crlf_keep_positions_right() {
    // The same mistake with and without BOM/CRLF is reported at the same place.
    let dir = site("bom_crlf");
    let file = dir.path().join(BAD);
    let text = std::fs::read(&file).unwrap();
    let broken = String::from_utf8(text)
        .unwrap()
        .replace("agency: so-xay-dung", "agency: so-xay-dng");
    std::fs::write(&file, broken).unwrap();
    let problems = check(dir.path());
    let got: Vec<_> = problems
        .iter()
        .map(|d| (d.line, d.column, d.code))
        .collect();
    assert_eq!(got, [(5, 9, "E0231")]);
}

/// Every problem of the `many` fixture, across files and stages, in one run.
const MANY: Expected = &[
    ("content/records/2019/a.md", 5, 9, "E0231"),
    ("content/records/2019/a.md", 8, 11, "E0244"),
    ("content/records/2019/a.md", 9, 1, "W0201"),
    ("content/records/2019/b.md", 2, 5, "E0230"),
    ("content/records/2019/b.md", 6, 20, "E0232"),
    ("content/records/2019/b.md", 12, 1, "E0248"),
    ("content/records/2019/c.md", 4, 8, "E0213"),
    ("content/records/2019/c.md", 7, 9, "E0222"),
    ("content/records/2020/d.md", 7, 9, "E0240"),
    ("content/records/2020/d.md", 10, 5, "W0271"),
    ("content/records/2020/e.md", 1, 1, "E0201"),
    ("content/records/2020/f.md", 4, 6, "E0203"),
    ("content/records/2020/g.md", 1, 1, "E0234"),
    ("content/records/2020/g.md", 2, 5, "E0220"),
    ("content/records/2020/g.md", 11, 1, "E0248"),
    ("content/records/2020/g.md", 13, 1, "W0260"),
    ("content/records/2020/h.md", 10, 3, "E0002"),
    ("content/topics.yaml", 5, 7, "E0302"),
    ("site.toml", 5, 1, "W0101"),
];

#[test]
fn many_problems_all_appear_in_one_run() {
    let problems = expect("many", MANY);
    let errors = problems.iter().filter(|d| d.is_error()).count();
    assert_eq!((errors, problems.len() - errors), (15, 4));
}

// ---- The command line ----------------------------------------------------------------

fn hoidap(args: &[&str], root: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn cli_expect(case: &str, expected: Expected) {
    let dir = site(case);
    let out = hoidap(&["check", "--format", "json"], dir.path());
    let has_errors = expected.iter().any(|e| e.3.starts_with('E'));
    assert_eq!(
        out.status.code(),
        Some(if has_errors { 1 } else { 0 }),
        "{case}"
    );
    let got: Vec<(String, u64, u64, String)> = json_lines(&out)
        .iter()
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
                v["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64, String)> = expected
        .iter()
        .map(|(f, l, c, code)| {
            (
                f.to_string(),
                u64::from(*l),
                u64::from(*c),
                code.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want, "{case}");
}

#[test]
fn cli_json_reports_the_same_positions() {
    cli_expect("unknown_agency", &[(BAD, 5, 9, "E0231")]);
    cli_expect("yaml_syntax", &[(BAD, 3, 8, "E0203")]);
    cli_expect("not_utf8", &[(BAD, 10, 3, "E0002")]);
    cli_expect("site_toml_syntax", &[("site.toml", 2, 43, "E0101")]);
    cli_expect(
        "privacy_phone",
        &[(BAD, 14, 29, "W0271"), (BAD, 14, 48, "W0271")],
    );
    cli_expect("many", MANY);
}

#[test]
fn cli_json_objects_have_every_field() {
    let dir = site("unknown_agency");
    let out = hoidap(&["check", "--format", "json"], dir.path());
    let v = &json_lines(&out)[0];
    assert_eq!(v["severity"], "error");
    assert_eq!(v["message"], "unknown agency \"so-xay-dng\"");
    assert_eq!(v["help"], "did you mean `so-xay-dung`?");
}

#[test]
fn a_placeholder_left_fails_check_deny_warnings() {
    let dir = site("placeholder");
    let out = hoidap(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "a warning only");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning[W0249]: the placeholder `hoidap new` wrote is still here"),
        "{stderr}"
    );
    assert!(stderr.contains("content/records/bad.md:12:10"), "{stderr}");
    let denied = hoidap(&["check", "--deny-warnings"], dir.path());
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn cli_exit_codes() {
    let clean = site("_base");
    assert_eq!(hoidap(&["check"], clean.path()).status.code(), Some(0));
    let warned = site("unknown_field");
    assert_eq!(hoidap(&["check"], warned.path()).status.code(), Some(0));
    let denied = hoidap(&["check", "--deny-warnings"], warned.path());
    assert_eq!(denied.status.code(), Some(1));
    assert_eq!(
        hoidap(&["check", "--deny-warnings"], clean.path())
            .status
            .code(),
        Some(0)
    );
    let bad = site("bad_status");
    assert_eq!(hoidap(&["check"], bad.path()).status.code(), Some(1));
    // Usage errors.
    let out = hoidap(&["check", "--format", "xml"], clean.path());
    assert_eq!(out.status.code(), Some(2));
    let out = hoidap(&["build", "--output"], clean.path());
    assert_eq!(out.status.code(), Some(2));
    // An output folder that would replace the content is refused before anything is written.
    let content = clean.path().join("content");
    let out = hoidap(
        &["build", "--output", content.to_str().unwrap()],
        clean.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(content.join("agencies.yaml").exists());
}

#[test]
fn cli_github_annotations() {
    let dir = site("many");
    let out = hoidap(&["check", "--format", "github"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), MANY.len());
    assert!(lines.contains(
        &"::error file=content/records/2019/a.md,line=5,col=9,title=hoidap E0231::unknown agency \"so-y-tee\" (did you mean `so-y-te`?)"
    ), "{stdout}");
    assert!(lines.contains(
        &"::warning file=site.toml,line=5,col=1,title=hoidap W0101::unknown setting `search_engine` in site.toml; it is ignored"
    ), "{stdout}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
    );
}

#[test]
fn cli_human_format_underlines_the_spot() {
    let dir = site("unknown_agency");
    let out = hoidap(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[E0231]: unknown agency \"so-xay-dng\""),
        "{stderr}"
    );
    assert!(stderr.contains("content/records/bad.md:5:9"), "{stderr}");
    assert!(stderr.contains("agency: so-xay-dng"), "{stderr}");
    // The underline sits under the id, and only under it.
    let source_line = stderr
        .lines()
        .position(|l| l.ends_with("agency: so-xay-dng"))
        .unwrap();
    let underline = stderr.lines().nth(source_line + 1).unwrap();
    let source = stderr.lines().nth(source_line).unwrap();
    let at = source.find("so-xay-dng").unwrap();
    assert_eq!(underline.find('^'), Some(at), "{stderr}");
    assert_eq!(
        underline.trim_end().len() - at,
        "so-xay-dng".len(),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `so-xay-dung`?"),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with("1 error, 0 warnings"),
        "{stderr}"
    );
    // Nothing on stdout, so that scripts can rely on it.
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_human_format_tells_errors_and_warnings_apart() {
    let dir = site("many");
    let out = hoidap(&["check"], dir.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("warning[W0201]"), "{stderr}");
    assert!(stderr.contains("error[E0230]"), "{stderr}");
    // A file that cannot be decoded has no snippet, only its position.
    assert!(
        stderr.contains("note: in content/records/2020/h.md:10:3"),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with("15 errors, 4 warnings"),
        "{stderr}"
    );
}

// ---- Nothing lost ----------------------------------------------------------------------

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn build_in_process(root: &Path) {
    let site = build::load_site(root).unwrap();
    let options = BuildOptions {
        ..BuildOptions::default()
    };
    build::build(&site, &options).unwrap();
}

/// Staging folders a build leaves beside `public/` when it does not finish.
fn staging_folders(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let dir = site("_base");
    build_in_process(dir.path());
    let public = dir.path().join("public");
    let before = snapshot(&public);
    assert!(before.len() > 5, "{:?}", before.keys());

    // Break the content; both the library and the command refuse to build.
    let bad = site("many");
    copy_dir(&bad.path().join("content"), &dir.path().join("content"));
    let err = build::load_site(dir.path()).unwrap_err();
    let hoidap::Error::Content(problems) = err else {
        panic!("expected content errors, got {err}");
    };
    assert_eq!(problems.iter().filter(|d| d.is_error()).count(), 15);
    let out = hoidap(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(snapshot(&public), before);
    assert!(staging_folders(dir.path()).is_empty());

    // Warnings with --deny-warnings refuse too.
    let warned = site("_base");
    build_in_process(warned.path());
    let before = snapshot(&warned.path().join("public"));
    std::fs::write(
        warned.path().join("content/records/ok.md"),
        std::fs::read_to_string(Path::new(FIXTURES).join("_base/content/records/ok.md"))
            .unwrap()
            .replace("status:", "colour: red\nstatus:"),
    )
    .unwrap();
    let out = hoidap(&["build", "--deny-warnings"], warned.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&warned.path().join("public")), before);
}

#[test]
fn a_fresh_site_with_errors_creates_no_output() {
    let dir = site("many");
    let out = hoidap(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error[E0231]"), "{stderr}");
    assert!(!dir.path().join("public").exists());
    // `build` reports in the same formats as `check`.
    let out = hoidap(&["build", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out).len(), MANY.len());
    assert!(!dir.path().join("public").exists());
    assert!(staging_folders(dir.path()).is_empty());
}

/// A site of `n` records, big enough that a build takes a while.
fn large_site(n: usize) -> tempfile::TempDir {
    let dir = site("_base");
    let template =
        std::fs::read_to_string(Path::new(FIXTURES).join("_base/content/records/ok.md")).unwrap();
    let paragraph = "Đoạn trả lời về thủ tục hành chính, hồ sơ, thời hạn và lệ phí. ".repeat(20);
    for i in 0..n {
        let year = 2014 + i % 10;
        let text = template
            .replace("\"ok-1\"", &format!("\"r-{i}\""))
            .replace("2019-03-", &format!("{year}-03-"))
            .replace("Trả lời.", &format!("Trả lời số {i}.\n\n{paragraph}"));
        let path = dir.path().join(format!("content/records/{year}/r-{i}.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn unsafe_html_is_not_published_unless_trusted() {
    let page = |case: &str| {
        let dir = site(case);
        build_in_process(dir.path());
        std::fs::read_to_string(dir.path().join("public/records/bad-1/index.html")).unwrap()
    };
    let html = page("unsafe_html");
    assert!(html.contains("tại đây"), "the rest of the answer is kept");
    for unsafe_part in ["<script>alert", "javascript:", "onclick"] {
        assert!(!html.contains(unsafe_part), "{unsafe_part} was published");
    }
    let html = page("unsafe_html_trusted");
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(html.contains("onclick=\"steal()\""));
}

#[test]
fn a_killed_build_leaves_the_previous_output_intact() {
    let dir = large_site(1500);
    build_in_process(dir.path());
    let public = dir.path().join("public");
    let before = snapshot(&public);

    // Change every page's content so that the next build would rewrite everything.
    let toml = dir.path().join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, settings.replace("Hỏi đáp thử", "Hỏi đáp đã đổi")).unwrap();

    let mut child = Command::new(BIN)
        .args(["build", "--root"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the build has written into its staging folder, then kill it at once (an
    // optimised build of these records takes about a tenth of a second: waiting longer let it
    // finish first).
    let mut killed_mid_way = false;
    for _ in 0..20_000 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if staging_folders(dir.path())
            .iter()
            .any(|f| std::fs::read_dir(dir.path().join(f)).is_ok_and(|mut d| d.next().is_some()))
        {
            child.kill().unwrap();
            killed_mid_way = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    // A build that finished would have exited with success.
    let status = child.wait().unwrap();
    assert!(
        killed_mid_way && !status.success(),
        "the build finished before it could be killed"
    );
    assert_eq!(snapshot(&public), before, "the previous output changed");
    assert!(
        !staging_folders(dir.path()).is_empty(),
        "the killed build left its staging folder"
    );

    // The next build replaces the output and cleans up.
    let out = hoidap(&["build"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(staging_folders(dir.path()).is_empty());
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("Hỏi đáp đã đổi"));
}

// ---- Documentation ---------------------------------------------------------------------

/// Every code the library or the command can report, read from the source (tests excluded).
fn codes_in_source() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut codes = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code_part = text.split("#[cfg(test)]").next().unwrap_or("");
            for (i, _) in code_part.match_indices('"') {
                let candidate = code_part.get(i + 1..i + 7).unwrap_or("");
                let b = candidate.as_bytes();
                if b.len() == 6
                    && matches!(b[0], b'E' | b'W')
                    && b[1..5].iter().all(u8::is_ascii_digit)
                    && b[5] == b'"'
                {
                    let rel = path.strip_prefix(&src).unwrap().display().to_string();
                    codes.entry(candidate[..5].to_string()).or_insert(rel);
                }
            }
        }
    }
    codes
}

#[test]
fn every_problem_code_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/problems.md"))
            .unwrap();
    let codes = codes_in_source();
    assert!(codes.len() > 40, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|(code, _)| !docs.contains(&format!("### {code}")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/problems.md: {missing:?}"
    );
    // And nothing documented that the source no longer reports.
    let stale: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .filter(|code| !codes.contains_key(*code))
        .collect();
    assert!(
        stale.is_empty(),
        "documented but not in the source: {stale:?}"
    );
}

#[test]
fn warnings_and_errors_are_told_apart_by_their_code() {
    for case in ["many", "privacy_phone", "unsafe_html"] {
        let dir = site(case);
        for d in check(dir.path()) {
            let expected = if d.code.starts_with('E') {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(d.severity, expected, "{d:?}");
        }
    }
}

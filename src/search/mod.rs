//! Search: one analysis feeding a static index split into small files (for the published
//! site's JavaScript client, written by `build`) and a tantivy index (for `hoidap search` and
//! the live preview, written by them when needed).
//! Both rank with [`scoring::rank`], so the command line and the website agree.
//! The design is explained in `docs/search.md`.

pub mod abbrev;
pub mod analysis;
pub mod correct;
pub mod encode;
pub mod engine;
pub mod invert;
pub mod related;
pub mod scoring;
pub mod snippet;
pub mod static_index;

pub use engine::{Hit, Query, Results, Searcher};

use crate::model::Archive;
use crate::publish::Output;
use crate::{Error, Result};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Where `build` writes the tantivy index, relative to the site root (outside the output).
pub const INDEX_DIR: &str = ".hoidap/search-index";
const STAMP_FILE: &str = "stamp";

/// The index folder of a site.
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(INDEX_DIR)
}

/// Writes (or replaces) the tantivy index in `dir`. When `dir` is a site's
/// `.hoidap/search-index`, it also records the content's stamp so `hoidap search` knows
/// the index is fresh. `hoidap build` does not call this: `search` and `serve` do, when the
/// index is missing, stale or unreadable.
pub fn write_index(archive: &Archive, dir: &Path) -> Result<()> {
    let root = dir
        .parent()
        .filter(|p| p.file_name().is_some_and(|n| n == ".hoidap"))
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    let stamp = root.as_deref().map(content_stamp);
    engine::write(archive, dir, |new| {
        if let Some(stamp) = stamp {
            let path = new.join(STAMP_FILE);
            std::fs::write(&path, stamp).map_err(|e| Error::io(path, e))?;
        }
        Ok(())
    })
}

/// Removes the temporary tantivy indexes that writers killed midway left beside the index of
/// the site at `root` (those of writers still running stay). `build` calls it, although it no
/// longer writes that index, so that a killed build's leftovers go with the next build.
pub fn remove_leftovers(root: &Path) {
    let dir = index_dir(root);
    if let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) {
        engine::remove_leftovers(parent, &format!(".{}.tmp-", name.to_string_lossy()));
    }
}

/// The build's one analysis of the archive (the same as the tantivy index's), from which the
/// static index and related questions are both made.
pub fn analyse(archive: &Archive) -> invert::Analysis {
    let mut an = analysis::Analyzer::default();
    let abbr = abbrev::Abbreviations::new(&mut an, &archive.abbreviations);
    invert::analyse(archive, abbr)
}

/// Writes the static index of the published site under `search/` in `out`, from hoidap's own
/// analysis (the same as the tantivy index's), without tantivy.
pub fn write_static(archive: &Archive, out: &Output) -> Result<()> {
    write_static_from(archive, analyse(archive), out)
}

/// [`write_static`] from the archive's analysis, already made.
pub fn write_static_from(
    archive: &Archive,
    analysis: invert::Analysis,
    out: &Output,
) -> Result<()> {
    static_index::write(archive, analysis, out)
}

/// Runs a query over the index in `dir`.
pub fn query(dir: &Path, q: &Query) -> Result<Results> {
    Searcher::open(dir)?.query(q)
}

/// Whether the index of the site at `root` exists and matches its content.
pub fn index_is_fresh(root: &Path) -> bool {
    let dir = index_dir(root);
    std::fs::read_to_string(dir.join(STAMP_FILE)).is_ok_and(|s| s == content_stamp(root))
}

/// A fingerprint of what the index is built from: the paths, sizes and modification times of
/// `site.toml` and every file under `content/`, and the index format.
pub fn content_stamp(root: &Path) -> String {
    let mut entries: Vec<(String, u64, u128)> = Vec::new();
    let mut add = |path: &Path| {
        if let Ok(m) = std::fs::metadata(path) {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let rel = path.strip_prefix(root).unwrap_or(path);
            entries.push((rel.to_string_lossy().into_owned(), m.len(), mtime));
        }
    };
    add(&root.join(crate::config::FILE_NAME));
    for entry in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        add(entry.path());
    }
    entries.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    static_index::FORMAT_VERSION.hash(&mut h);
    entries.hash(&mut h);
    format!("{:016x} {}", h.finish(), entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Record, Text};

    fn record(id: &str, title: &str, question: &str) -> Record {
        Record {
            asked: Some(jiff::civil::date(2020, 1, 1)),
            question: Text {
                plain: question.into(),
                ..Text::default()
            },
            ..Record::test(id, title)
        }
    }

    fn archive(records: Vec<Record>) -> Archive {
        Archive {
            records,
            ..Archive::default()
        }
    }

    fn ids(dir: &Path, text: &str) -> Vec<String> {
        let q = Query {
            text: text.into(),
            limit: 10,
            ..Query::default()
        };
        query(dir, &q)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn exact_diacritics_rank_above_folded_matches() {
        let dir = tempfile::tempdir().unwrap();
        let a = archive(vec![
            record(
                "a",
                "Hỏi về dương lịch",
                "Ngày dương lịch được tính thế nào?",
            ),
            record(
                "b",
                "Hỏi về đường phố",
                "Đường phố bị ngập thì làm thế nào?",
            ),
        ]);
        write_index(&a, dir.path()).unwrap();
        assert_eq!(ids(dir.path(), "đường"), ["b", "a"]);
        assert_eq!(ids(dir.path(), "dương"), ["a", "b"]);
        // NFD input is the same query.
        assert_eq!(ids(dir.path(), "đu\u{31b}o\u{31b}\u{300}ng"), ["b", "a"]);
    }

    #[test]
    fn adjacent_syllables_rank_above_scattered_ones() {
        let dir = tempfile::tempdir().unwrap();
        let a = archive(vec![
            record(
                "scattered",
                "Hỏi về hồ sơ",
                "Tôi nộp hồ sơ rồi, còn thuế thì sao?",
            ),
            record(
                "adjacent",
                "Hỏi về hồ sơ",
                "Tôi đã nộp thuế rồi, còn hồ sơ sao?",
            ),
        ]);
        write_index(&a, dir.path()).unwrap();
        assert_eq!(ids(dir.path(), "nop thue"), ["adjacent", "scattered"]);
        // A quoted phrase requires the adjacency.
        assert_eq!(ids(dir.path(), "\"nộp thuế\""), ["adjacent"]);
    }

    #[test]
    fn title_matches_rank_above_body_matches() {
        let dir = tempfile::tempdir().unwrap();
        let a = archive(vec![
            record(
                "body",
                "Hỏi về lệ phí",
                "Cấp giấy phép xây dựng mất bao lâu và tốn bao nhiêu?",
            ),
            record(
                "title",
                "Cấp giấy phép xây dựng",
                "Mất bao lâu và tốn bao nhiêu tiền lệ phí?",
            ),
        ]);
        write_index(&a, dir.path()).unwrap();
        assert_eq!(ids(dir.path(), "giay phep xay dung"), ["title", "body"]);
    }

    #[test]
    fn stamp_changes_with_the_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.toml"), "x").unwrap();
        let before = content_stamp(dir.path());
        assert_eq!(before, content_stamp(dir.path()));
        std::fs::write(dir.path().join("content/a.md"), "y").unwrap();
        assert_ne!(before, content_stamp(dir.path()));
        assert!(!index_is_fresh(dir.path()));
    }
}

//! Stage 1: read a site's content from disk.
//!
//! Every file is read and checked on its own (in parallel); problems are collected, never
//! thrown, so one run reports all of them. Cross-file checks (references, duplicates) belong
//! to `model::validate`.

pub mod fields;
pub mod frontmatter;
pub mod record;
pub mod registry;
pub mod source;
pub mod thread;
pub mod yaml;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Severity};
use rayon::prelude::*;
use record::RecordSource;
use registry::{AgencySource, SessionSource, TopicSource};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub records: Vec<RecordSource>,
    pub agencies: Vec<AgencySource>,
    pub topics: Vec<TopicSource>,
    pub sessions: Vec<SessionSource>,
    /// The site's abbreviations for search (`content/abbreviations.yaml`): short, long forms.
    pub abbreviations: Vec<(String, Vec<String>)>,
    /// Decoded text of the registries, by relative path, for locating later problems.
    pub registry_texts: HashMap<String, String>,
    pub problems: Vec<Diagnostic>,
}

/// Reads every registry and record under `root/content`.
pub fn load(root: &Path, config: &SiteConfig) -> Content {
    let (mut content, paths) = load_registries_only(root);
    let max_bytes = max_file_bytes(config);
    // Unzipped in parallel straight into their vectors, then the records kept in place: a
    // serial loop moving each record into a new vector was a tenth of the load at 100,000
    // records (most of it first touching that vector's memory).
    let (records, problems): (Vec<Option<RecordSource>>, Vec<Vec<Diagnostic>>) = paths
        .par_iter()
        .map(|(path, rel)| read_record(path, rel, max_bytes))
        .unzip();
    // `filter_map` collects in place (`flatten` would copy every record).
    #[allow(clippy::filter_map_identity)]
    let records = records.into_iter().filter_map(|r| r).collect();
    content.records = records;
    content.problems.extend(problems.into_iter().flatten());
    content
}

/// [`load`] without reading the records: the registries, and the record files to read with
/// [`read_record`] (absolute and site-relative paths, in the order `load` reads them). The
/// build checks each record as soon as it is read, so that the texts of all records are
/// never held at once.
pub fn load_registries_only(root: &Path) -> (Content, Vec<(PathBuf, String)>) {
    let mut content = Content::default();
    let (paths, walk_problems) = record_paths(root);
    content.problems.extend(walk_problems);
    load_registries(root, &mut content);
    (content, paths)
}

/// The size limit of a record file, in bytes (`[check] max_file_kb`).
pub fn max_file_bytes(config: &SiteConfig) -> u64 {
    config.check.max_file_kb * 1024
}

fn load_registries(root: &Path, content: &mut Content) {
    let files = [
        (registry::AGENCIES, true),
        (registry::TOPICS, true),
        (registry::SESSIONS, false),
        (registry::ABBREVIATIONS, false),
    ];
    for (rel, required) in files {
        let path = root.join(rel);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match source::decode(bytes, rel) {
                Ok(t) => t,
                Err(d) => {
                    content.problems.push(d);
                    continue;
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => continue,
            Err(e) => {
                content.problems.push(Diagnostic::file_level(
                    Severity::Error,
                    "E0003",
                    rel,
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        let problems = &mut content.problems;
        match rel {
            registry::AGENCIES => content.agencies = registry::agencies(&text, problems),
            registry::TOPICS => content.topics = registry::topics(&text, problems),
            registry::ABBREVIATIONS => {
                content.abbreviations = registry::abbreviations(&text, problems);
            }
            _ => content.sessions = registry::sessions(&text, problems),
        }
        content.registry_texts.insert(rel.to_string(), text);
    }
}

/// Every `*.md` under `content/`, skipping names that start with `_` or `.`, in a stable
/// order. Unreadable folders and symlink loops are reported, not fatal.
fn record_paths(root: &Path) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                let rel = relative(root, e.path());
                paths.push((e.into_path(), rel));
            }
            Ok(_) => {}
            Err(err) => {
                let rel = err
                    .path()
                    .map_or_else(|| CONTENT_DIR.to_string(), |p| relative(root, p));
                let message = if err.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it; it is skipped".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    )
                };
                problems.push(Diagnostic::file_level(
                    Severity::Error,
                    "E0004",
                    &rel,
                    message,
                ));
            }
        }
    }
    (paths, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') || n.starts_with('_'))
}

/// `/`-separated path relative to the site root.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and checks one record file (the live preview re-reads only the files that changed).
pub fn read_record(
    path: &Path,
    rel: &str,
    max_bytes: u64,
) -> (Option<RecordSource>, Vec<Diagnostic>) {
    let fail = |code, message: String| {
        (
            None,
            vec![Diagnostic::file_level(Severity::Error, code, rel, message)],
        )
    };
    // One open, one fstat and one read: the size limit is checked on the open file, and
    // reading stops at the size it gave (no second read to find the end: 100,000 system
    // calls fewer at 100,000 records; a file growing meanwhile is read again on its next save).
    let read = std::fs::File::open(path).and_then(|file| {
        let len = file.metadata()?.len();
        if len > max_bytes {
            return Ok(Err(len));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        std::io::Read::read_to_end(&mut std::io::Read::take(file, len), &mut bytes)?;
        Ok(Ok(bytes))
    });
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(len)) => {
            return fail(
                "E0005",
                format!(
                    "the file is {} KiB, over the limit of {} KiB (`[check] max_file_kb` in site.toml)",
                    len.div_ceil(1024),
                    max_bytes / 1024
                ),
            );
        }
        Err(e) => return fail("E0003", format!("cannot read the file: {e}")),
    };
    match source::decode(bytes, rel) {
        Ok(text) => record::read(rel, text),
        Err(d) => (None, vec![d]),
    }
}

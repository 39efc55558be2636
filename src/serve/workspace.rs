//! The site as the preview last read it: every record file's parse kept by path, so that a
//! change re-reads only the files it touched, and every record's rendered Markdown, so that
//! checking the whole site again renders only the texts that changed.

use crate::build::Site;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::load::record::RecordSource;
use crate::load::registry::{AgencySource, SessionSource, TopicSource};
use crate::load::{self, CONTENT_DIR, Content};
use crate::model::MarkdownCache;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What a batch of changed paths asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`, a registry or a folder under `content/` changed: read everything.
    pub full: bool,
    /// Record files changed (added, edited or removed), relative to the root.
    pub records: BTreeSet<String>,
    /// Templates, static files, translations or themes changed: render again.
    pub theme: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.full && !self.theme && self.records.is_empty()
    }

    /// Sorts changed paths (absolute, under `root`) by what they touch; others are ignored.
    pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match parts.first().map(String::as_str) {
                Some(crate::config::FILE_NAME) if parts.len() == 1 => changes.full = true,
                Some(CONTENT_DIR) => changes.content(&parts),
                Some("templates" | "static" | "i18n" | "themes") => changes.theme = true,
                _ => {}
            }
        }
        changes
    }

    fn content(&mut self, parts: &[String]) {
        let inside = &parts[1..];
        if inside
            .iter()
            .any(|p| p.starts_with('.') || p.starts_with('_'))
        {
            return;
        }
        let Some(name) = inside.last() else {
            self.full = true;
            return;
        };
        if name.ends_with(".md") {
            self.records.insert(parts.join("/"));
        } else if name.ends_with(".yaml") || name.ends_with(".yml") || !name.contains('.') {
            // A registry, or a folder created, renamed or removed.
            self.full = true;
        }
    }
}

/// The last read of the site.
#[derive(Debug, Default)]
pub struct Workspace {
    root: PathBuf,
    config: Option<SiteConfig>,
    config_problems: Vec<Diagnostic>,
    records: BTreeMap<String, FileRead>,
    agencies: Vec<AgencySource>,
    topics: Vec<TopicSource>,
    sessions: Vec<SessionSource>,
    abbreviations: Vec<(String, Vec<String>)>,
    registry_texts: HashMap<String, String>,
    /// Problems that are not a record's own (registries, unreadable folders).
    other_problems: Vec<Diagnostic>,
    markdown: MarkdownCache,
}

/// What reading a batch of changes found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// Everything was read again: `site.toml`, a registry or a folder changed, or nothing had
    /// been read yet.
    pub full: bool,
    /// Record files whose text changed (edited, added or removed), relative to the root.
    pub changed: Vec<String>,
    /// How many record files were read from disk.
    pub reread: usize,
}

/// What checking the whole site found.
#[derive(Debug)]
pub struct Refresh {
    /// The checked site, when the content has no errors.
    pub site: Option<Site>,
    /// Every problem, errors and warnings.
    pub problems: Vec<Diagnostic>,
}

impl Workspace {
    pub fn new(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            ..Workspace::default()
        }
    }

    /// Reads what a batch of changes touched.
    pub fn read(&mut self, changes: &Changes) -> Read {
        if changes.full || self.config.is_none() {
            let reread = self.read_all();
            return Read {
                full: true,
                changed: Vec::new(),
                reread,
            };
        }
        let (reread, changed) = self.read_records(&changes.records);
        Read {
            full: false,
            changed,
            reread,
        }
    }

    /// Checks the whole site as last read.
    pub fn check(&mut self) -> Refresh {
        let Some(config) = self.config.clone() else {
            return Refresh {
                site: None,
                problems: self.config_problems.clone(),
            };
        };
        let content = self.content();
        let (archive, problems) =
            crate::model::validate_cached(content, &config, Some(&mut self.markdown));
        let site = (!problems.iter().any(Diagnostic::is_error)).then(|| Site {
            root: self.root.clone(),
            config,
            archive,
            warnings: problems.clone(),
        });
        Refresh { site, problems }
    }

    /// A record file as last read: its parse (if its front matter could be read) and the
    /// problems reading it found; `None` for a file that is not there.
    pub fn record(&self, file: &str) -> Option<(Option<&RecordSource>, &[Diagnostic])> {
        self.records
            .get(file)
            .map(|(src, problems)| (src.as_ref(), problems.as_slice()))
    }

    /// Record files, readable or not.
    pub fn records(&self) -> usize {
        self.records.len()
    }

    fn read_all(&mut self) -> usize {
        self.records.clear();
        let config = match SiteConfig::load(&self.root) {
            Ok(c) => c,
            Err(problems) => {
                self.config = None;
                self.config_problems = problems;
                return 0;
            }
        };
        let content = load::load(&self.root, &config);
        self.config = Some(config);
        self.config_problems.clear();
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        self.other_problems.clear();
        for d in content.problems {
            if is_record_file(&d.file) {
                by_file.entry(d.file.clone()).or_default().push(d);
            } else {
                self.other_problems.push(d);
            }
        }
        for r in content.records {
            let problems = by_file.remove(&r.file).unwrap_or_default();
            self.records.insert(r.file.clone(), (Some(r), problems));
        }
        for (file, problems) in by_file {
            self.records.insert(file, (None, problems));
        }
        self.agencies = content.agencies;
        self.topics = content.topics;
        self.sessions = content.sessions;
        self.abbreviations = content.abbreviations;
        self.registry_texts = content.registry_texts;
        self.records.len()
    }

    /// Reads the given record files again; returns how many were read and those whose text
    /// (or reading problems) changed.
    fn read_records(&mut self, files: &BTreeSet<String>) -> (usize, Vec<String>) {
        let max_bytes = self
            .config
            .as_ref()
            .map_or(512, |c| c.check.max_file_kb)
            .saturating_mul(1024);
        let mut read = 0;
        let mut changed = Vec::new();
        for rel in files {
            let path = self.root.join(rel);
            let new = path
                .is_file()
                .then(|| load::read_record(&path, rel, max_bytes));
            read += usize::from(new.is_some());
            if !same_read(self.records.get(rel), new.as_ref()) {
                changed.push(rel.clone());
            }
            match new {
                Some(n) => self.records.insert(rel.clone(), n),
                None => self.records.remove(rel),
            };
        }
        (read, changed)
    }

    /// The content as the loader would have read it, from what is kept.
    fn content(&self) -> Content {
        let mut problems = self.other_problems.clone();
        let mut records = Vec::with_capacity(self.records.len());
        for (record, found) in self.records.values() {
            records.extend(record.clone());
            problems.extend(found.iter().cloned());
        }
        Content {
            records,
            agencies: self.agencies.clone(),
            topics: self.topics.clone(),
            sessions: self.sessions.clone(),
            abbreviations: self.abbreviations.clone(),
            registry_texts: self.registry_texts.clone(),
            problems,
        }
    }
}

/// A record file's parse and the problems reading it found.
type FileRead = (Option<RecordSource>, Vec<Diagnostic>);

/// Whether two reads of a file found the same: a save that changed nothing redoes nothing.
fn same_read(old: Option<&FileRead>, new: Option<&FileRead>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some((a, pa)), Some((b, pb))) => {
            pa == pb && a.as_ref().map(|s| &s.text) == b.as_ref().map(|s| &s.text)
        }
        _ => false,
    }
}

fn is_record_file(file: &str) -> bool {
    file.starts_with("content/") && file.ends_with(".md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_sorted_by_what_they_touch() {
        let root = Path::new("/site");
        let c = Changes::classify(
            root,
            [
                root.join("content/records/2020/a.md"),
                root.join("content/_drafts/b.md"),
                root.join("content/records/.a.md.swp"),
                root.join(".hoidap/serve/index.html"),
                root.join("public/index.html"),
            ],
        );
        assert_eq!(
            c.records.into_iter().collect::<Vec<_>>(),
            ["content/records/2020/a.md"]
        );
        assert!(!c.full && !c.theme);
        assert!(Changes::classify(root, [root.join("site.toml")]).full);
        assert!(Changes::classify(root, [root.join("content/agencies.yaml")]).full);
        assert!(Changes::classify(root, [root.join("content/records/2021")]).full);
        assert!(Changes::classify(root, [root.join("templates/base.html")]).theme);
        assert!(Changes::classify(root, [root.join("README.md")]).is_empty());
    }
}

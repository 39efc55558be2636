//! Records already in the site, found by id and by source URL, so that importing the same
//! rows again updates their files instead of adding copies.

use crate::load::frontmatter;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A record file already in `content/`.
#[derive(Debug, Clone)]
pub struct Existing {
    pub path: PathBuf,
    /// Relative to the site root, `/`-separated.
    pub rel: String,
    pub id: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Default)]
pub struct Index {
    pub files: Vec<Existing>,
    by_id: HashMap<String, usize>,
    by_source: HashMap<String, usize>,
    by_path: HashMap<PathBuf, usize>,
}

#[derive(Debug, Deserialize)]
struct Head {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    source: Option<serde_json::Value>,
}

impl Index {
    /// Reads the front matter of every record under `root/content`. Files that cannot be
    /// read as records are still indexed by path, so they are never overwritten blindly.
    pub fn scan(root: &Path) -> Index {
        let walker = walkdir::WalkDir::new(root.join(crate::load::CONTENT_DIR))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with(['.', '_']))
            });
        let paths: Vec<PathBuf> = walker
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(walkdir::DirEntry::into_path)
            .collect();
        // Only the front matter is kept; a file to update is read again.
        let files: Vec<Existing> = paths
            .into_par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let (id, source) = head(&text);
                let rel = crate::load::relative(root, &path);
                Existing {
                    path,
                    rel,
                    id,
                    source,
                }
            })
            .collect();
        let mut index = Index::default();
        for file in files {
            index.add(file);
        }
        index
    }

    fn add(&mut self, file: Existing) {
        let i = self.files.len();
        if let Some(id) = &file.id {
            self.by_id.entry(id.clone()).or_insert(i);
        }
        if let Some(source) = &file.source {
            self.by_source.entry(source.clone()).or_insert(i);
        }
        self.by_path.insert(file.path.clone(), i);
        self.files.push(file);
    }

    pub fn by_id(&self, id: &str) -> Option<&Existing> {
        self.by_id.get(id).map(|&i| &self.files[i])
    }

    pub fn by_source(&self, source: &str) -> Option<&Existing> {
        self.by_source.get(source).map(|&i| &self.files[i])
    }

    pub fn by_path(&self, path: &Path) -> Option<&Existing> {
        self.by_path.get(path).map(|&i| &self.files[i])
    }
}

/// The `id` and `source` of a record's front matter, where it has them.
fn head(text: &str) -> (Option<String>, Option<String>) {
    let head = front_matter(text).and_then(|fm| crate::load::yaml::parse::<Head>(fm).ok());
    match head {
        Some(h) => (h.id.map(scalar), h.source.map(scalar)),
        None => (None, None),
    }
}

fn scalar(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The YAML between the `---` lines, if the file has front matter.
pub fn front_matter(text: &str) -> Option<&str> {
    let text = text.trim_start_matches('\u{feff}');
    frontmatter::split(text).ok().map(|p| &text[p.front_matter])
}

/// The top-level fields of front matter as raw text chunks, in file order: `(key, lines)`.
/// A chunk runs from its `key:` line to the next line that starts another key, so nested
/// values, lists and comments travel with their field.
pub fn raw_fields(yaml: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in yaml.split_inclusive('\n') {
        match top_level_key(line) {
            Some(key) => fields.push((key.to_string(), line.to_string())),
            None => {
                if let Some((_, chunk)) = fields.last_mut() {
                    chunk.push_str(line);
                }
            }
        }
    }
    for (_, chunk) in &mut fields {
        if !chunk.ends_with('\n') {
            chunk.push('\n');
        }
    }
    fields
}

fn top_level_key(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (plain && key.as_bytes()[0].is_ascii_alphabetic()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_fields_keep_nested_values_and_comments() {
        let yaml = "id: \"a\"\ntopics:\n- thue\n  # note\nasker:\n  kind: citizen\nsession: s\n";
        let fields = raw_fields(yaml);
        let keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["id", "topics", "asker", "session"]);
        assert_eq!(fields[1].1, "topics:\n- thue\n  # note\n");
        assert_eq!(fields[2].1, "asker:\n  kind: citizen\n");
    }

    #[test]
    fn indexes_by_id_source_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("content/records");
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(
            records.join("a.md"),
            "---\nid: \"x-1\"\nsource: \"https://s/?id=1\"\n---\nQ\n",
        )
        .unwrap();
        std::fs::write(records.join("b.md"), "---\nid: 2019\n---\nQ\n").unwrap();
        std::fs::write(records.join("c.md"), "no front matter\n").unwrap();
        std::fs::write(records.join("_draft.md"), "---\nid: \"x-1\"\n---\n").unwrap();
        let index = Index::scan(dir.path());
        assert_eq!(index.files.len(), 3);
        assert_eq!(index.by_id("x-1").unwrap().rel, "content/records/a.md");
        assert_eq!(
            index.by_source("https://s/?id=1").unwrap().rel,
            "content/records/a.md"
        );
        assert!(index.by_id("2019").is_some());
        assert!(index.by_path(&records.join("c.md")).is_some());
    }
}

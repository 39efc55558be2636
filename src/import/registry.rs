//! The registries as the importer sees them: names to look up, entries to add.
//!
//! New entries are appended to the end of the file as text, so editors' comments, order and
//! layout stay as they were.

use super::frontmatter;
use super::values::normalise;
use crate::{Error, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct Entry {
    id: serde_json::Value,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    short_name: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

/// One registry file: its ids and the names that lead to them.
#[derive(Debug, Default)]
pub struct Registry {
    /// Path relative to the site root, `/`-separated.
    pub file: String,
    path: PathBuf,
    text: String,
    existed: bool,
    ids: Vec<String>,
    /// Normalised name, short name or id → id.
    by_name: HashMap<String, String>,
    /// Entries added in this run: (id, name).
    pub added: Vec<(String, String)>,
}

/// How a value was matched to an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Existing(String),
    Created(String),
}

impl Found {
    pub fn id(&self) -> &str {
        match self {
            Found::Existing(id) | Found::Created(id) => id,
        }
    }
}

impl Registry {
    /// Reads `root/rel`; a missing file is an empty registry.
    pub fn read(root: &Path, rel: &str) -> Result<Registry> {
        let path = root.join(rel);
        let (text, existed) = match std::fs::read_to_string(&path) {
            Ok(t) => (t, true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), false),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut registry = Registry {
            file: rel.to_string(),
            path,
            existed,
            ..Registry::default()
        };
        for entry in parse(rel, &text)? {
            let id = match entry.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            for name in [&entry.name, &entry.short_name, &entry.title]
                .into_iter()
                .flatten()
            {
                registry
                    .by_name
                    .entry(normalise(name))
                    .or_insert_with(|| id.clone());
            }
            registry.ids.push(id);
        }
        registry.text = text;
        Ok(registry)
    }

    /// The id a value names: an id, a name or short name (any case), or a name whose slug
    /// is an existing id. `None` if nothing matches.
    pub fn find(&self, value: &str) -> Option<String> {
        if self.ids.iter().any(|id| id == value) {
            return Some(value.to_string());
        }
        if let Some(id) = self.by_name.get(&normalise(value)) {
            return Some(id.clone());
        }
        let slug = crate::text::slugify(value);
        self.ids.iter().find(|id| **id == slug).cloned()
    }

    /// [`Registry::find`], or else the entry that [`Registry::add`] would create, with the
    /// slug of the name as id. A value written like an id (`so-xay-dng`) must exist: it is
    /// a typo more often than a name. `Err` says why nothing can be used.
    pub fn lookup(&self, value: &str) -> Result<Found, String> {
        if let Some(id) = self.find(value) {
            let created = self.added.iter().any(|(a, _)| *a == id);
            return Ok(if created {
                Found::Created(id)
            } else {
                Found::Existing(id)
            });
        }
        if crate::text::is_valid_id(value) {
            let hint = crate::diagnostics::closest(value, self.ids.iter().map(String::as_str))
                .map_or_else(String::new, |c| format!(" (did you mean {c}?)"));
            return Err(format!(
                "{value:?} is not an id in {}{hint}; write a name to have it added",
                self.file
            ));
        }
        let id = crate::text::slugify(value);
        if crate::text::is_valid_id(&id) {
            Ok(Found::Created(id))
        } else {
            Err(format!(
                "{value:?} has no letters or digits to make an id of"
            ))
        }
    }

    /// Adds the entry a [`Registry::lookup`] of `value` found to be new.
    pub fn add(&mut self, value: &str, found: &Found) {
        let Found::Created(id) = found else { return };
        if self.added.iter().any(|(a, _)| a == id) {
            return;
        }
        self.ids.push(id.clone());
        self.by_name.insert(normalise(value), id.clone());
        self.added.push((id.clone(), value.trim().to_string()));
    }

    #[cfg(test)]
    fn find_or_add(&mut self, value: &str) -> Option<Found> {
        let found = self.lookup(value).ok()?;
        self.add(value, &found);
        Some(found)
    }

    /// Appends the added entries to the file, after checking that the result still reads
    /// as the same list plus the new entries.
    pub fn write(&self, source_name: &str) -> Result<()> {
        if self.added.is_empty() {
            return Ok(());
        }
        let text = self.appended(source_name);
        let count = parse(&self.file, &text).map(|v| v.len()).unwrap_or(0);
        if count != self.ids.len() {
            let entries: String = self
                .added
                .iter()
                .map(|(id, name)| frontmatter::registry_entry(id, name))
                .collect();
            return Err(Error::Usage(format!(
                "{}: cannot append new entries to this file as it is written; add them by hand:\n{entries}",
                self.file
            )));
        }
        if !self.existed
            && let Some(dir) = self.path.parent()
        {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        super::write_file(&self.path, &text)
    }

    fn appended(&self, source_name: &str) -> String {
        let mut text = self.text.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if !text.trim().is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("# Added by `hoidap import` from {source_name}.\n"));
        for (id, name) in &self.added {
            text.push_str(&frontmatter::registry_entry(id, name));
        }
        text
    }
}

fn parse(file: &str, text: &str) -> Result<Vec<Entry>> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Vec::new());
    }
    crate::load::yaml::parse::<Vec<Entry>>(text).map_err(|e| {
        Error::Usage(format!(
            "{file}: cannot read it ({}); run `hoidap check` and fix it before importing",
            e.message
        ))
    })
}

/// The renamed-agency table: old name → new name (or id), compared without case.
#[derive(Debug, Default, Clone)]
pub struct Aliases(HashMap<String, String>);

impl Aliases {
    /// Adds `Old name=New name`.
    pub fn add(&mut self, pair: &str) -> Result<()> {
        let (old, new) = pair
            .split_once('=')
            .filter(|(o, n)| !o.trim().is_empty() && !n.trim().is_empty())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "agency alias {pair:?} is not of the form \"Old name=New name\""
                ))
            })?;
        self.0.insert(normalise(old), new.trim().to_string());
        Ok(())
    }

    /// Reads a file of `Old name=New name` lines; blank lines and `#` comments are skipped.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        for line in text
            .lines()
            .map(|l| l.trim().trim_start_matches('\u{feff}'))
        {
            if !line.is_empty() && !line.starts_with('#') {
                self.add(line)?;
            }
        }
        Ok(())
    }

    /// The new names (or ids) renamed agencies go to.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(String::as_str)
    }

    /// The current name of an agency, following chains of renames (at most a few steps).
    pub fn resolve<'a>(&'a self, name: &'a str) -> &'a str {
        let mut current = name;
        for _ in 0..8 {
            match self.0.get(&normalise(current)) {
                Some(next) if normalise(next) != normalise(current) => current = next,
                _ => break,
            }
        }
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(text: &str) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), text).unwrap();
        Registry::read(dir.path(), "a.yaml").unwrap()
    }

    #[test]
    fn finds_by_id_name_short_name_and_slug() {
        let r = registry("# c\n- id: so-y-te\n  name: \"Sở Y tế\"\n  short_name: SYT\n");
        assert_eq!(r.find("so-y-te").as_deref(), Some("so-y-te"));
        assert_eq!(r.find("sở  y TẾ").as_deref(), Some("so-y-te"));
        assert_eq!(r.find("syt").as_deref(), Some("so-y-te"));
        assert_eq!(r.find("Sở Y-tế").as_deref(), Some("so-y-te"));
        assert_eq!(r.find("Bộ Y tế"), None);
    }

    #[test]
    fn appends_new_entries_keeping_the_text() {
        let mut r = registry("# Các cơ quan\n- id: a\n  name: A # note\n");
        assert_eq!(
            r.find_or_add("Bộ Y tế"),
            Some(Found::Created("bo-y-te".into()))
        );
        assert_eq!(
            r.find_or_add("bộ y tế"),
            Some(Found::Created("bo-y-te".into()))
        );
        assert_eq!(r.find_or_add("A"), Some(Found::Existing("a".into())));
        assert_eq!(r.find_or_add("???"), None);
        assert!(
            r.lookup("bo-y-te-x")
                .unwrap_err()
                .contains("did you mean bo-y-te?")
        );
        let text = r.appended("x.csv");
        assert!(
            text.starts_with("# Các cơ quan\n- id: a\n  name: A # note\n\n# Added"),
            "{text}"
        );
        assert!(
            text.ends_with("- id: bo-y-te\n  name: \"Bộ Y tế\"\n"),
            "{text}"
        );
        assert_eq!(parse("a", &text).unwrap().len(), 2);
    }

    #[test]
    fn a_flow_list_is_refused_not_broken() {
        let mut r = registry("[]\n");
        r.find_or_add("Bộ Y tế");
        assert!(r.write("x.csv").is_err());
    }

    #[test]
    fn aliases_follow_renames() {
        let mut a = Aliases::default();
        a.add("Bộ Tài nguyên và Môi trường=Bộ Nông nghiệp và Môi trường")
            .unwrap();
        a.add("Bộ TN&MT = Bộ Tài nguyên và Môi trường").unwrap();
        assert_eq!(a.resolve("bộ tn&mt"), "Bộ Nông nghiệp và Môi trường");
        assert_eq!(a.resolve("Bộ Y tế"), "Bộ Y tế");
        assert!(a.add("no equals").is_err());
    }
}

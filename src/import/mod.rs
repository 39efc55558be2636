//! `hoidap import`: records from a spreadsheet saved as CSV.
//!
//! Columns are mapped to the fields of the format (plus `question` and `answer` for the
//! body); `--set` gives a value for rows whose cell is empty or for fields no column holds.
//! Each row becomes one record file with a stable id, so importing the same sheet again
//! updates those files instead of adding copies. Agencies and topics that do not exist yet
//! are appended to their registries. Nothing is written until every row has been read, and
//! nothing at all in a dry run.

mod existing;
pub mod frontmatter;
mod ids;
mod mapping;
mod record;
mod registry;
pub mod table;
pub mod text;
pub mod values;

use crate::model::Status;
use crate::{Error, Result};
use existing::Index;
use registry::{Aliases, Found, Registry};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use table::{Row, Table};

pub use mapping::Field;
use mapping::{Cells, Mapping, check_references, mapping};
use record::{Fields, record_text};

/// The folder new records go to, relative to the site root.
pub const DEFAULT_INTO: &str = "content/imported";

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// The spreadsheet.
    pub file: PathBuf,
    /// `(field, column)` pairs, as given with `--map`.
    pub map: Vec<(String, String)>,
    /// `(field, value)` pairs, as given with `--set`.
    pub set: Vec<(String, String)>,
    /// `Old name=New name` pairs.
    pub agency_aliases: Vec<String>,
    /// Files of `Old name=New name` lines.
    pub agency_alias_files: Vec<PathBuf>,
    /// Folder for new records, relative to the root; [`DEFAULT_INTO`] when `None`.
    pub into: Option<PathBuf>,
    /// Prefix of derived ids; the source URL's host name (or `q`) when `None`.
    pub id_prefix: Option<String>,
    /// The separator of the CSV; guessed from the header when `None`.
    pub delimiter: Option<u8>,
    /// Cells hold Markdown: keep them as they are.
    pub markdown: bool,
    pub dry_run: bool,
}

/// What happened to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Why the row was not imported.
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct RowReport {
    /// The row number a spreadsheet shows (the header is row 1).
    pub row: usize,
    pub id: Option<String>,
    /// The record file, relative to the site root.
    pub file: Option<String>,
    pub outcome: Outcome,
}

/// Everything an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub dry_run: bool,
    /// `(field, column)` used, including columns matched by name.
    pub columns: Vec<(Field, String)>,
    pub rows: Vec<RowReport>,
    /// `(field, value, rows)`: defaults from `--set` and how many imported rows took them.
    pub defaults_used: Vec<(Field, String, usize)>,
    /// `(file, id, name)` of registry entries added.
    pub added: Vec<(String, String, String)>,
    /// Things left out of rows that were imported, with how many rows each.
    pub notes: BTreeMap<String, usize>,
}

impl Report {
    pub fn count(&self, wanted: fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| wanted(&r.outcome)).count()
    }

    pub fn created(&self) -> usize {
        self.count(|o| *o == Outcome::Created)
    }

    pub fn updated(&self) -> usize {
        self.count(|o| *o == Outcome::Updated)
    }

    pub fn unchanged(&self) -> usize {
        self.count(|o| *o == Outcome::Unchanged)
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }
}

/// Imports `options.file` into the site at `options.root`.
pub fn import(options: &Options) -> Result<Report> {
    if !options.root.join("site.toml").is_file() {
        return Err(Error::Usage(format!(
            "{} has no site.toml: run the import in the site's folder or give it with --root",
            options.root.display()
        )));
    }
    let into = into_folder(options)?;
    let table = table::read(&options.file, options.delimiter)?;
    let mut importer = Importer::new(options, &table, into)?;
    for row in &table.rows {
        let report = importer.row(row);
        importer.report.rows.push(report);
    }
    importer.finish()
}

/// The folder for new records: inside `content/`, not hidden from the loader.
fn into_folder(options: &Options) -> Result<PathBuf> {
    let into = options
        .into
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INTO));
    let parts: Vec<Component> = into.components().collect();
    let inside = parts
        .first()
        .is_some_and(|c| c.as_os_str() == crate::load::CONTENT_DIR)
        && parts.iter().all(|c| match c {
            Component::Normal(n) => !n.to_str().is_some_and(|n| n.starts_with(['.', '_'])),
            _ => false,
        });
    if !inside {
        return Err(Error::Usage(format!(
            "--into {}: records must go in a folder under content/ whose name does not start with `_` or `.`",
            into.display()
        )));
    }
    Ok(into)
}

struct Importer<'a> {
    options: &'a Options,
    mapping: Mapping,
    into: PathBuf,
    agencies: Registry,
    topics: Registry,
    sessions: Registry,
    aliases: Aliases,
    index: Index,
    /// Ids taken in this run, with their row.
    seen: HashMap<String, usize>,
    defaults_used: HashMap<Field, usize>,
    writes: Vec<(PathBuf, String)>,
    report: Report,
}

impl<'a> Importer<'a> {
    fn new(options: &'a Options, table: &Table, into: PathBuf) -> Result<Importer<'a>> {
        let mapping = mapping(options, table)?;
        let mut aliases = Aliases::default();
        for pair in &options.agency_aliases {
            aliases.add(pair)?;
        }
        for file in &options.agency_alias_files {
            aliases.add_file(file)?;
        }
        let root = &options.root;
        let agencies = Registry::read(root, crate::load::registry::AGENCIES)?;
        let topics = Registry::read(root, crate::load::registry::TOPICS)?;
        let sessions = Registry::read(root, crate::load::registry::SESSIONS)?;
        check_references(&mapping, &aliases, &agencies, &topics, &sessions)?;
        let mut columns: Vec<(Field, String)> = mapping
            .columns
            .iter()
            .map(|(f, &c)| (*f, table.headers[c].clone()))
            .collect();
        columns.sort();
        Ok(Importer {
            options,
            into,
            agencies,
            topics,
            sessions,
            aliases,
            index: Index::scan(root),
            seen: HashMap::new(),
            defaults_used: HashMap::new(),
            writes: Vec::new(),
            report: Report {
                dry_run: options.dry_run,
                columns,
                ..Report::default()
            },
            mapping,
        })
    }

    fn row(&mut self, row: &Row) -> RowReport {
        match self.plan(row) {
            Ok(plan) => self.place(row, &plan),
            Err(reason) => RowReport {
                row: row.number,
                id: None,
                file: None,
                outcome: Outcome::Skipped(reason),
            },
        }
    }

    /// Reads and checks a row's fields; `Err` holds why the row is skipped.
    fn plan(&self, row: &Row) -> Result<Plan, String> {
        let mut cells = Cells {
            row,
            mapping: &self.mapping,
            used: Vec::new(),
            notes: Vec::new(),
        };
        let mut f = self.body_and_id(&mut cells)?;
        dates_and_status(&mut cells, &mut f)?;
        let found = self.agency_and_topics(&mut cells, &mut f)?;
        self.optional_fields(&mut cells, &mut f)?;
        let mut used = cells.used;
        used.sort();
        used.dedup();
        Ok(Plan {
            fields: f,
            used,
            found,
            notes: cells.notes,
        })
    }

    /// Question, answer, source, id and title.
    fn body_and_id(&self, cells: &mut Cells) -> Result<Fields, String> {
        let question = cells
            .value(Field::Question)
            .ok_or("the question is empty")?;
        let mut f = Fields {
            question: self.body(&question),
            ..Fields::default()
        };
        let marker = crate::load::frontmatter::ANSWER_MARKER;
        if f.question.lines().any(|l| l.trim() == marker) {
            return Err("the question holds a line `<!-- answer -->`, which would split it".into());
        }
        f.answer = cells
            .value(Field::Answer)
            .map(|a| self.body(&a))
            .filter(|a| !a.is_empty());
        f.source = cells.value(Field::Source);
        let prefix = self.options.id_prefix.as_deref();
        f.id = ids::record_id(
            prefix,
            cells.value(Field::Id),
            f.source.as_deref(),
            &question,
        )?;
        f.title = match cells.value(Field::Title) {
            Some(t) => t.split_whitespace().collect::<Vec<_>>().join(" "),
            None => text::title_from(&question),
        };
        Ok(f)
    }

    /// The agency (required when answered) and at least one topic; returns what the
    /// registries would gain, added only once the row is accepted.
    fn agency_and_topics(
        &self,
        cells: &mut Cells,
        f: &mut Fields,
    ) -> Result<Vec<(Field, String, Found)>, String> {
        let mut found = Vec::new();
        if let Some(name) = cells.value(Field::Agency) {
            let name = self.aliases.resolve(&name).to_string();
            let hit = self
                .agencies
                .lookup(&name)
                .map_err(|e| format!("agency {e}"))?;
            f.agency = Some(hit.id().to_string());
            found.push((Field::Agency, name, hit));
        } else if f.status == Some(Status::Answered) {
            return Err(
                "answered, but no agency: use --map agency=COLUMN or --set agency=ID".into(),
            );
        }
        for name in cells.list(Field::Topics) {
            let hit = self
                .topics
                .lookup(&name)
                .map_err(|e| format!("topic {e}"))?;
            if !f.topics.iter().any(|t| t == hit.id()) {
                f.topics.push(hit.id().to_string());
            }
            found.push((Field::Topics, name, hit));
        }
        if f.topics.is_empty() {
            return Err("no topic: use --map topics=COLUMN or --set topics=ID".into());
        }
        Ok(found)
    }

    /// Session, channel, signatory, asker and aliases.
    fn optional_fields(&self, cells: &mut Cells, f: &mut Fields) -> Result<(), String> {
        if let Some(s) = cells.value(Field::Session) {
            let id = self
                .sessions
                .find(&s)
                .ok_or_else(|| format!("session {s:?} is not in content/sessions.yaml"))?;
            f.session = Some(id);
        }
        f.channel = cells.value(Field::Channel);
        f.answered_by = cells.value(Field::AnsweredBy);
        let name = cells.value(Field::AskerName);
        let place = cells.value(Field::AskerPlace);
        f.asker = cells.asker_kind().map(|k| (k, name, place));
        f.aliases = cells.list(Field::Aliases);
        Ok(())
    }

    fn body(&self, cell: &str) -> String {
        if self.options.markdown {
            text::markdown_cell(cell)
        } else {
            text::plain_to_markdown(cell)
        }
    }

    /// The file a row goes to: the record with its id, else the one with its source (whose
    /// id is kept, so its links stay), else a new file. `Err` holds the reason to skip the
    /// row and the file concerned.
    fn target(&self, fields: &Fields) -> Result<Target, (String, Option<String>)> {
        let by_id = self.index.by_id(&fields.id);
        let by_source = fields
            .source
            .as_deref()
            .and_then(|s| self.index.by_source(s));
        let (id, found) = match (by_id, by_source) {
            (Some(e), _) => {
                if let (Some(theirs), Some(ours)) = (&e.source, &fields.source)
                    && theirs != ours
                {
                    let why = format!(
                        "id {} is already used by {} for another source ({theirs})",
                        fields.id, e.rel
                    );
                    return Err((why, Some(e.rel.clone())));
                }
                (fields.id.clone(), Some(e))
            }
            (None, Some(e)) => (e.id.clone().unwrap_or_else(|| fields.id.clone()), Some(e)),
            (None, None) => (fields.id.clone(), None),
        };
        if let Some(&first) = self.seen.get(&id) {
            return Err((format!("row {first} has the same id {id}"), None));
        }
        if let Some(e) = found {
            let old = std::fs::read_to_string(&e.path)
                .map_err(|err| (format!("cannot read {}: {err}", e.rel), Some(e.rel.clone())))?;
            return Ok(Target {
                id,
                path: e.path.clone(),
                rel: e.rel.clone(),
                old: Some(old),
            });
        }
        let path = self.options.root.join(&self.into).join(format!("{id}.md"));
        let rel = crate::load::relative(&self.options.root, &path);
        if self.index.by_path(&path).is_some() || path.exists() {
            return Err((format!("{rel} exists and holds another record"), Some(rel)));
        }
        Ok(Target {
            id,
            path,
            rel,
            old: None,
        })
    }

    /// Accepts a planned row: adds its registry entries, merges in the fields the import
    /// does not own, and queues the write.
    fn place(&mut self, row: &Row, plan: &Plan) -> RowReport {
        let target = match self.target(&plan.fields) {
            Ok(t) => t,
            Err((why, file)) => {
                return RowReport {
                    row: row.number,
                    id: Some(plan.fields.id.clone()),
                    file,
                    outcome: Outcome::Skipped(why),
                };
            }
        };
        self.seen.insert(target.id.clone(), row.number);
        for (field, name, hit) in &plan.found {
            match field {
                Field::Agency => self.agencies.add(name, hit),
                _ => self.topics.add(name, hit),
            }
        }
        for note in &plan.notes {
            *self.report.notes.entry(note.clone()).or_insert(0) += 1;
        }
        let kept = target
            .old
            .as_deref()
            .and_then(existing::front_matter)
            .map(existing::raw_fields)
            .unwrap_or_default();
        // A default fills a gap; it never replaces a value the record already has.
        let has = |key: &str| kept.iter().any(|(k, _)| k == key);
        let (kept_defaults, applied): (Vec<Field>, Vec<Field>) =
            plan.used.iter().partition(|f| has(f.key()));
        let mut owned = self.owned_keys();
        owned.retain(|key| !kept_defaults.iter().any(|f| f.key() == *key));
        for field in applied {
            *self.defaults_used.entry(field).or_insert(0) += 1;
        }
        let text = record_text(&plan.fields, &target.id, &owned, &kept);
        let outcome = match &target.old {
            Some(o) if *o == text => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        };
        if outcome != Outcome::Unchanged {
            self.writes.push((target.path, text));
        }
        RowReport {
            row: row.number,
            id: Some(target.id),
            file: Some(target.rel),
            outcome,
        }
    }

    /// Front matter keys this import writes; others in an existing file are kept.
    fn owned_keys(&self) -> Vec<&'static str> {
        let configured = |f: &Field| {
            self.mapping.columns.contains_key(f) || self.mapping.defaults.contains_key(f)
        };
        let mut keys = vec!["id", "title", "asked", "status"];
        keys.extend(Field::ALL.iter().filter(|f| configured(f)).map(|f| f.key()));
        keys
    }

    fn finish(mut self) -> Result<Report> {
        let source_name = self
            .options
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        for registry in [&self.agencies, &self.topics] {
            for (id, name) in &registry.added {
                self.report
                    .added
                    .push((registry.file.clone(), id.clone(), name.clone()));
            }
        }
        let mut defaults: Vec<(Field, String, usize)> = self
            .mapping
            .defaults
            .iter()
            .map(|(f, v)| {
                (
                    *f,
                    v.clone(),
                    self.defaults_used.get(f).copied().unwrap_or(0),
                )
            })
            .collect();
        defaults.sort();
        self.report.defaults_used = defaults;
        if self.options.dry_run {
            return Ok(self.report);
        }
        self.agencies.write(&source_name)?;
        self.topics.write(&source_name)?;
        for (path, text) in &self.writes {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            write_file(path, text)?;
        }
        Ok(self.report)
    }
}

/// The file a row goes to, and its text if it exists.
struct Target {
    id: String,
    path: PathBuf,
    rel: String,
    old: Option<String>,
}

/// A row's fields, read and checked, with what it adds to the registries.
struct Plan {
    fields: Fields,
    /// Fields that took their `--set` default.
    used: Vec<Field>,
    found: Vec<(Field, String, Found)>,
    notes: Vec<String>,
}

/// The asked date, the status, and the answered date. A date no column or `--set` gives is
/// written `unknown` (portal exports often carry none), so that the record is published and
/// left out of the delay figures, instead of a stand-in date that would distort them.
fn dates_and_status(cells: &mut Cells, f: &mut Fields) -> Result<(), String> {
    f.asked = match cells.value(Field::Asked) {
        Some(asked) => Some(values::date(&asked).map_err(|e| format!("asked: {e}"))?),
        None => None,
    };
    let status = match cells.value(Field::Status) {
        Some(s) => values::status(&s).ok_or_else(|| {
            format!("status {s:?} is not one of answered, pending, forwarded, declined")
        })?,
        None if f.answer.is_some() => Status::Answered,
        None => Status::Pending,
    };
    f.status = Some(status);
    if let Some(a) = cells.value(Field::Answered) {
        let answered = values::date(&a).map_err(|e| format!("answered: {e}"))?;
        if let Some(asked) = f.asked
            && answered < asked
        {
            return Err(format!("answered {answered} is before asked {asked}"));
        }
        f.answered = Some(answered);
    }
    Ok(())
}

/// Writes through a temporary file in the same folder, so a file is never half written.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    crate::publish::output::replace_file(path, text.as_bytes()).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_must_be_inside_content() {
        let with = |p: &str| Options {
            into: Some(p.into()),
            ..Options::default()
        };
        assert!(into_folder(&with("content/imported")).is_ok());
        assert!(into_folder(&with("content/_drafts")).is_err());
        assert!(into_folder(&with("../x")).is_err());
        assert!(into_folder(&with("records")).is_err());
        assert!(into_folder(&with("content/../x")).is_err());
    }
}

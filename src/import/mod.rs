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
mod registry;
pub mod table;
pub mod text;
pub mod values;

use crate::model::{AskerKind, Status};
use crate::{Error, Result};
use existing::Index;
use jiff::civil::Date;
use registry::{Aliases, Found, Registry};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use table::{Row, Table};

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

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Title,
    Asked,
    AskerKind,
    AskerName,
    AskerPlace,
    Agency,
    Topics,
    Session,
    Channel,
    Status,
    Answered,
    AnsweredBy,
    Source,
    Aliases,
    Question,
    Answer,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::Id,
        Field::Title,
        Field::Asked,
        Field::AskerKind,
        Field::AskerName,
        Field::AskerPlace,
        Field::Agency,
        Field::Topics,
        Field::Session,
        Field::Channel,
        Field::Status,
        Field::Answered,
        Field::AnsweredBy,
        Field::Source,
        Field::Aliases,
        Field::Question,
        Field::Answer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Asked => "asked",
            Field::AskerKind => "asker.kind",
            Field::AskerName => "asker.name",
            Field::AskerPlace => "asker.place",
            Field::Agency => "agency",
            Field::Topics => "topics",
            Field::Session => "session",
            Field::Channel => "channel",
            Field::Status => "status",
            Field::Answered => "answered",
            Field::AnsweredBy => "answered_by",
            Field::Source => "source",
            Field::Aliases => "aliases",
            Field::Question => "question",
            Field::Answer => "answer",
        }
    }

    /// A field by name; `asker` is `asker.kind`, `_` may stand for `.` and `topic` for `topics`.
    pub fn parse(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase().replace('.', "_");
        let name = match name.as_str() {
            "asker" => "asker_kind",
            "topic" => "topics",
            "alias" => "aliases",
            other => other,
        };
        Field::ALL
            .into_iter()
            .find(|f| f.name().replace('.', "_") == name)
    }

    /// The front matter key the field is written under.
    fn key(self) -> &'static str {
        match self {
            Field::AskerKind | Field::AskerName | Field::AskerPlace => "asker",
            other => other.name(),
        }
    }

    fn is_list(self) -> bool {
        matches!(self, Field::Topics | Field::Aliases | Field::AskerKind)
    }
}

/// Front matter keys in the order records are written.
const KEY_ORDER: [&str; 13] = [
    "id",
    "title",
    "asked",
    "asker",
    "agency",
    "topics",
    "session",
    "channel",
    "status",
    "answered",
    "answered_by",
    "source",
    "aliases",
];

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

/// Where a field's value comes from.
#[derive(Debug, Default)]
struct Mapping {
    columns: HashMap<Field, usize>,
    defaults: HashMap<Field, String>,
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

/// A row's fields, read and checked, before they are written as text.
#[derive(Debug, Default)]
struct Fields {
    id: String,
    title: String,
    asked: Option<Date>,
    asker: Option<(AskerKind, Option<String>, Option<String>)>,
    agency: Option<String>,
    topics: Vec<String>,
    session: Option<String>,
    channel: Option<String>,
    status: Option<Status>,
    answered: Option<Date>,
    answered_by: Option<String>,
    source: Option<String>,
    aliases: Vec<String>,
    question: String,
    answer: Option<String>,
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
        f.id = self.record_id(cells.value(Field::Id), f.source.as_deref(), &question)?;
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

    /// The record's id: the `id` cell (slugged), else the `id=` of the source URL, else a
    /// hash of the source URL, else a hash of the question.
    fn record_id(
        &self,
        cell: Option<String>,
        source: Option<&str>,
        question: &str,
    ) -> Result<String, String> {
        let prefix = self.options.id_prefix.as_deref().map(crate::text::slugify);
        let join = |prefix: Option<String>, rest: String| match prefix {
            Some(p) if !p.is_empty() => format!("{p}-{rest}"),
            _ => rest,
        };
        let id = if let Some(cell) = cell {
            let base = if crate::text::is_valid_id(&cell) {
                cell.clone()
            } else {
                crate::text::slugify(&cell)
            };
            if base.is_empty() {
                return Err(format!("id {cell:?} has no letters or digits"));
            }
            join(prefix, base)
        } else if let Some(url) = source {
            let prefix = prefix.or_else(|| host_label(url)).or(Some("import".into()));
            let rest = query_id(url).unwrap_or_else(|| hash(url));
            join(prefix, rest)
        } else {
            let words = question.split_whitespace().collect::<Vec<_>>().join(" ");
            join(prefix.or(Some("q".into())), hash(&crate::text::nfc(&words)))
        };
        Ok(id)
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

/// The cells of one row, through the mapping, noting which fields fell back to defaults.
struct Cells<'r> {
    row: &'r Row,
    mapping: &'r Mapping,
    used: Vec<Field>,
    notes: Vec<String>,
}

impl Cells<'_> {
    /// A field's cell, or else its `--set` value.
    fn value(&mut self, field: Field) -> Option<String> {
        let cell = self.mapping.columns.get(&field).map(|&c| self.row.cell(c));
        match cell.filter(|c| !c.is_empty()) {
            Some(c) => Some(c.to_string()),
            None => {
                let d = self.mapping.defaults.get(&field)?;
                self.used.push(field);
                Some(d.clone())
            }
        }
    }

    /// Items of a list field: a cell's list, or the `--set` value split on `,` and `;`.
    fn list(&mut self, field: Field) -> Vec<String> {
        let cell = self
            .mapping
            .columns
            .get(&field)
            .map_or("", |&c| self.row.cell(c));
        if !cell.is_empty() {
            return values::list(cell);
        }
        let Some(d) = self.mapping.defaults.get(&field) else {
            return Vec::new();
        };
        self.used.push(field);
        d.split([',', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// One kind of asker; a cell naming several kinds (or one not understood) gives none.
    fn asker_kind(&mut self) -> Option<AskerKind> {
        let mut kinds: Vec<AskerKind> = Vec::new();
        for item in self.list(Field::AskerKind) {
            match values::asker_kind(&item) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => {
                    let note =
                        format!("asker.kind: {item:?} is not a kind of asker; asker left out");
                    self.notes.push(note);
                    return None;
                }
            }
        }
        if kinds.len() > 1 {
            let note = "asker.kind: the cell names several kinds; asker left out";
            self.notes.push(note.to_string());
            return None;
        }
        kinds.pop()
    }
}

/// The asked date (required), the status, and the answered date (required when answered).
fn dates_and_status(cells: &mut Cells, f: &mut Fields) -> Result<(), String> {
    let asked = cells.value(Field::Asked).ok_or(
        "no date asked: map a column with --map asked=COLUMN or give one with --set asked=YYYY-MM-DD",
    )?;
    let asked = values::date(&asked).map_err(|e| format!("asked: {e}"))?;
    f.asked = Some(asked);
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
        if answered < asked {
            return Err(format!("answered {answered} is before asked {asked}"));
        }
        f.answered = Some(answered);
    }
    if status == Status::Answered && f.answered.is_none() {
        return Err("answered, but no date of the answer: use --map answered=COLUMN or --set answered=YYYY-MM-DD".into());
    }
    Ok(())
}

/// Builds the column mapping: `--map` pairs, then columns named like a field, then `--set`.
fn mapping(options: &Options, table: &Table) -> Result<Mapping> {
    let mut mapping = Mapping::default();
    for (name, column) in &options.map {
        let field = field(name)?;
        let wanted = values::normalise(column);
        let index = table
            .headers
            .iter()
            .position(|h| values::normalise(h) == wanted)
            .ok_or_else(|| {
                let known = table.headers.iter().map(String::as_str);
                let hint = crate::diagnostics::closest(column, known)
                    .map_or_else(String::new, |c| format!("; did you mean {c:?}?"));
                Error::Usage(format!(
                    "--map {name}={column}: the file has no column {column:?}{hint} (columns: {})",
                    table.headers.join(", ")
                ))
            })?;
        mapping.columns.insert(field, index);
    }
    for (index, header) in table.headers.iter().enumerate() {
        if let Some(field) = Field::parse(header)
            && !mapping.columns.contains_key(&field)
            && !mapping.columns.values().any(|&c| c == index)
        {
            mapping.columns.insert(field, index);
        }
    }
    for (name, value) in &options.set {
        let field = field(name)?;
        check_default(field, value)?;
        mapping.defaults.insert(field, value.trim().to_string());
    }
    if !mapping.columns.contains_key(&Field::Question) {
        return Err(Error::Usage(format!(
            "no column holds the question: use --map question=COLUMN (columns: {})",
            table.headers.join(", ")
        )));
    }
    Ok(mapping)
}

fn field(name: &str) -> Result<Field> {
    Field::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        Error::Usage(format!(
            "{name:?} is not a field; the fields are {}",
            names.join(", ")
        ))
    })
}

/// `--set` agencies, topics and sessions, and the targets of agency aliases, must be usable
/// before any row is read: a typo there would touch every row.
fn check_references(
    mapping: &Mapping,
    aliases: &Aliases,
    agencies: &Registry,
    topics: &Registry,
    sessions: &Registry,
) -> Result<()> {
    let usage = |what: &str, why: String| Err(Error::Usage(format!("{what}: {why}")));
    if let Some(agency) = mapping.defaults.get(&Field::Agency)
        && let Err(why) = agencies.lookup(aliases.resolve(agency))
    {
        return usage(&format!("--set agency={agency}"), why);
    }
    if let Some(list) = mapping.defaults.get(&Field::Topics) {
        for topic in list
            .split([',', ';'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Err(why) = topics.lookup(topic) {
                return usage(&format!("--set topics={list}"), why);
            }
        }
    }
    if let Some(session) = mapping.defaults.get(&Field::Session)
        && sessions.find(session).is_none()
    {
        return usage(
            &format!("--set session={session}"),
            "not in content/sessions.yaml".into(),
        );
    }
    for target in aliases.targets() {
        if let Err(why) = agencies.lookup(target) {
            return usage(&format!("--agency-alias …={target}"), why);
        }
    }
    Ok(())
}

/// `--set` values are checked once, before any row.
fn check_default(field: Field, value: &str) -> Result<()> {
    let bad = |why: String| {
        Err(Error::Usage(format!(
            "--set {}={value}: {why}",
            field.name()
        )))
    };
    match field {
        Field::Id | Field::Question => bad("this field must come from a column".into()),
        Field::Asked | Field::Answered => values::date(value).map(|_| ()).or_else(bad),
        Field::Status if values::status(value).is_none() => {
            bad("not one of answered, pending, forwarded, declined".into())
        }
        Field::AskerKind if values::asker_kind(value).is_none() => {
            bad("not one of citizen, business, organization, anonymous".into())
        }
        _ if value.trim().is_empty() && !field.is_list() => bad("the value is empty".into()),
        _ => Ok(()),
    }
}

/// The record file: front matter, then question and answer.
///
/// The front matter holds the fields this import owns, with this row's values, and the
/// other fields of the existing file as they were. Fields keep the existing file's order;
/// a field new to the file goes after the field that precedes it in the usual order.
fn record_text(f: &Fields, id: &str, owned: &[&str], existing: &[(String, String)]) -> String {
    let ours = our_fields(f, id);
    let line = |key: &str| ours.iter().find(|(k, _)| *k == key).map(|(_, l)| l.clone());
    // (key, text) in order; a key owned but without a value this time is dropped.
    let mut fields: Vec<(String, String)> = existing
        .iter()
        .filter_map(|(key, chunk)| {
            if owned.contains(&key.as_str()) {
                line(key).map(|l| (key.clone(), l))
            } else {
                Some((key.clone(), chunk.clone()))
            }
        })
        .collect();
    for (n, key) in KEY_ORDER.iter().enumerate() {
        let new = owned.contains(key) && !existing.iter().any(|(k, _)| k == key);
        if let Some(l) = line(key).filter(|_| new) {
            let after = fields
                .iter()
                .rposition(|(k, _)| KEY_ORDER[..n].contains(&k.as_str()))
                .map_or(0, |p| p + 1);
            fields.insert(after, (key.to_string(), l));
        }
    }
    let fm: String = fields.into_iter().map(|(_, text)| text).collect();
    let mut text = format!("---\n{fm}---\n{}\n", f.question);
    if let Some(answer) = &f.answer {
        let marker = crate::load::frontmatter::ANSWER_MARKER;
        text.push_str(&format!("\n{marker}\n\n{answer}\n"));
    }
    text
}

/// This row's front matter lines by key.
fn our_fields(f: &Fields, id: &str) -> Vec<(&'static str, String)> {
    use frontmatter::{id as bare, id_list, quote, string_list};
    let mut out = vec![
        ("id", format!("id: {}\n", quote(id))),
        ("title", format!("title: {}\n", quote(&f.title))),
    ];
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(v) = value {
            out.push((key, format!("{key}: {v}\n")));
        }
    };
    push("asked", f.asked.map(|d| d.to_string()));
    push(
        "asker",
        f.asker.as_ref().map(|(kind, name, place)| {
            let mut parts = vec![format!("kind: {}", kind.as_str())];
            parts.extend(name.as_deref().map(|n| format!("name: {}", quote(n))));
            parts.extend(place.as_deref().map(|p| format!("place: {}", quote(p))));
            format!("{{{}}}", parts.join(", "))
        }),
    );
    push("agency", f.agency.as_deref().map(bare));
    push("topics", Some(id_list(&f.topics)));
    push("session", f.session.as_deref().map(bare));
    push("channel", f.channel.as_deref().map(quote));
    push("status", f.status.map(|s| s.as_str().to_string()));
    push("answered", f.answered.map(|d| d.to_string()));
    push("answered_by", f.answered_by.as_deref().map(quote));
    push("source", f.source.as_deref().map(quote));
    push(
        "aliases",
        (!f.aliases.is_empty()).then(|| string_list(&f.aliases)),
    );
    out
}

/// The first label of a URL's host (`https://www.dichvucong.gov.vn/…` → `dichvucong`).
fn host_label(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let label = crate::text::slugify(host.split('.').next()?);
    (!label.is_empty()).then_some(label)
}

/// The value of an `id` query parameter, slugged.
fn query_id(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| crate::text::slugify(v))
        .filter(|v| !v.is_empty())
}

/// Ten hex digits of FNV-1a: stable across Rust versions and platforms, unlike std's hasher.
fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:010x}", h >> 24)
}

/// Writes through a temporary file in the same folder, so a file is never half written.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.import-tmp"));
    std::fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_by_name() {
        assert_eq!(Field::parse("asker"), Some(Field::AskerKind));
        assert_eq!(Field::parse("asker_name"), Some(Field::AskerName));
        assert_eq!(Field::parse("Answered_By"), Some(Field::AnsweredBy));
        assert_eq!(Field::parse("cauHoi"), None);
        for f in Field::ALL {
            assert_eq!(Field::parse(f.name()), Some(f));
        }
    }

    #[test]
    fn ids_from_urls() {
        let url = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-cau-hoi.html?id=15442&row_limit=1";
        assert_eq!(host_label(url).as_deref(), Some("dichvucong"));
        assert_eq!(query_id(url).as_deref(), Some("15442"));
        assert_eq!(
            query_id("https://a.vn/x?ID=Ab_1#top").as_deref(),
            Some("ab-1")
        );
        assert_eq!(query_id("https://a.vn/x"), None);
        assert_eq!(
            host_label("https://www.example.gov.vn/x").as_deref(),
            Some("example")
        );
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash(""), "cbf29ce484");
        assert_eq!(hash("a").len(), 10);
    }

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

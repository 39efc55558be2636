//! Which column (or `--set` value) fills which field, checked before any row is read.

use super::registry::{Aliases, Registry};
use super::table::{Row, Table};
use super::{Options, values};
use crate::model::AskerKind;
use crate::{Error, Result};
use std::collections::HashMap;

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
    pub(super) fn key(self) -> &'static str {
        match self {
            Field::AskerKind | Field::AskerName | Field::AskerPlace => "asker",
            other => other.name(),
        }
    }

    fn is_list(self) -> bool {
        matches!(self, Field::Topics | Field::Aliases | Field::AskerKind)
    }
}

/// Where a field's value comes from.
#[derive(Debug, Default)]
pub(super) struct Mapping {
    pub(super) columns: HashMap<Field, usize>,
    pub(super) defaults: HashMap<Field, String>,
}

/// The cells of one row, through the mapping, noting which fields fell back to defaults.
pub(super) struct Cells<'r> {
    pub(super) row: &'r Row,
    pub(super) mapping: &'r Mapping,
    pub(super) used: Vec<Field>,
    pub(super) notes: Vec<String>,
}

impl Cells<'_> {
    /// A field's cell, or else its `--set` value.
    pub(super) fn value(&mut self, field: Field) -> Option<String> {
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
    pub(super) fn list(&mut self, field: Field) -> Vec<String> {
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
    pub(super) fn asker_kind(&mut self) -> Option<AskerKind> {
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

/// Builds the column mapping: `--map` pairs, then columns named like a field, then `--set`.
pub(super) fn mapping(options: &Options, table: &Table) -> Result<Mapping> {
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
pub(super) fn check_references(
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
}

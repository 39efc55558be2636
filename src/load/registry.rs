//! The registries: `agencies.yaml`, `topics.yaml` and `sessions.yaml`, lists of entries.

use super::fields::{Fields, Located};
use super::yaml::RawMap;
use crate::diagnostics::{Diagnostic, Severity};
use jiff::civil::Date;
use serde_saphyr::Spanned;

#[derive(Debug, Clone)]
pub struct AgencySource {
    pub id: Located<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub parent: Option<Located<String>>,
    pub url: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TopicSource {
    pub id: Located<String>,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SessionSource {
    pub id: Located<String>,
    pub title: String,
    pub date: Date,
    pub channel: Option<String>,
    pub description: Option<String>,
}

pub const AGENCIES: &str = "content/agencies.yaml";
pub const TOPICS: &str = "content/topics.yaml";
pub const SESSIONS: &str = "content/sessions.yaml";
pub const ABBREVIATIONS: &str = "content/abbreviations.yaml";

/// Parses a registry into its entries' field readers; `what` names an entry in messages.
fn entries<'a>(file: &'a str, text: &'a str, problems: &mut Vec<Diagnostic>) -> Vec<Fields<'a>> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    match crate::load::yaml::parse::<Vec<Spanned<RawMap>>>(text) {
        Ok(items) => items
            .into_iter()
            .map(|item| {
                let at = item.referenced.span().byte_offset().unwrap_or(0) as usize;
                Fields::new(file, text, 0, at..at + 1, item.value)
            })
            .collect(),
        Err(e) => {
            let at = e.offset_in(text);
            problems.push(Diagnostic::at_offset(
                Severity::Error,
                "E0301",
                file,
                text,
                at,
                format!(
                    "invalid YAML: {} (the file must be a list of entries)",
                    e.message
                ),
            ));
            Vec::new()
        }
    }
}

fn checked_id(f: &mut Fields) -> Option<Located<String>> {
    let id = f.string("id", true)?;
    f.check_id(&id).then_some(id)
}

fn text(f: &mut Fields, key: &str) -> Option<String> {
    f.string(key, false).map(|s| s.value)
}

pub fn agencies(text_: &str, problems: &mut Vec<Diagnostic>) -> Vec<AgencySource> {
    let mut out = Vec::new();
    for mut f in entries(AGENCIES, text_, problems) {
        let id = checked_id(&mut f);
        let name = f.string("name", true);
        let short_name = text(&mut f, "short_name");
        let parent = f.string("parent", false);
        let url = text(&mut f, "url");
        let description = text(&mut f, "description");
        problems.extend(f.finish("an agency"));
        if let (Some(id), Some(name)) = (id, name) {
            out.push(AgencySource {
                id,
                name: name.value,
                short_name,
                parent,
                url,
                description,
            });
        }
    }
    out
}

pub fn topics(text_: &str, problems: &mut Vec<Diagnostic>) -> Vec<TopicSource> {
    let mut out = Vec::new();
    for mut f in entries(TOPICS, text_, problems) {
        let id = checked_id(&mut f);
        let name = f.string("name", true);
        let description = text(&mut f, "description");
        problems.extend(f.finish("a topic"));
        if let (Some(id), Some(name)) = (id, name) {
            out.push(TopicSource {
                id,
                name: name.value,
                description,
            });
        }
    }
    out
}

/// The site's abbreviations for search: `short` (one word) and `long` (one form of several
/// words, or a list of them). Returns (short, long forms).
pub fn abbreviations(text_: &str, problems: &mut Vec<Diagnostic>) -> Vec<(String, Vec<String>)> {
    let is_word = |s: &str| !s.is_empty() && s.chars().all(char::is_alphanumeric);
    let mut out = Vec::new();
    for mut f in entries(ABBREVIATIONS, text_, problems) {
        let short = f.string("short", true);
        let long = f.strings("long");
        if let Some(s) = &short
            && !is_word(&s.value)
        {
            f.error(
                "E0305",
                s.span.clone(),
                format!(
                    "`short` must be one word of letters and digits, found {:?}",
                    s.value
                ),
            );
        }
        if long.is_empty() && short.is_some() {
            let at = short.as_ref().map_or(0..0, |s| s.span.clone());
            f.error(
                "E0305",
                at,
                "an abbreviation needs `long`: its long form(s)".into(),
            );
        }
        for l in &long {
            if l.value
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
                < 2
            {
                f.error(
                    "E0305",
                    l.span.clone(),
                    format!("a long form has several words, found {:?}", l.value),
                );
            }
        }
        let fine = f.finish("an abbreviation");
        let bad = fine.iter().any(Diagnostic::is_error);
        problems.extend(fine);
        if let Some(short) = short
            && !bad
        {
            out.push((short.value, long.into_iter().map(|l| l.value).collect()));
        }
    }
    out
}

pub fn sessions(text_: &str, problems: &mut Vec<Diagnostic>) -> Vec<SessionSource> {
    let mut out = Vec::new();
    for mut f in entries(SESSIONS, text_, problems) {
        let id = checked_id(&mut f);
        let title = f.string("title", true);
        let date = f.date("date", true);
        let channel = text(&mut f, "channel");
        let description = text(&mut f, "description");
        problems.extend(f.finish("a session"));
        if let (Some(id), Some(title), Some(date)) = (id, title, date) {
            out.push(SessionSource {
                id,
                title: title.value,
                date: date.value,
                channel,
                description,
            });
        }
    }
    out
}

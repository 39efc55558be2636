//! `site.toml`: the site's settings.

use crate::diagnostics::{Diagnostic, Severity};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod channels;
pub use channels::{Channel, ChannelKind};

/// The interface language: UI strings, date formats and the order of names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Vi,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// How the answer deadline is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// Monday to Friday, less `holidays`.
    #[default]
    Working,
    Calendar,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Deadline {
    /// Days allowed for an answer.
    pub days: u32,
    pub kind: DayKind,
    /// Non-working days (`YYYY-MM-DD`) besides weekends. There is no built-in list: the official
    /// days off (Tết above all) are decided year by year, so each site lists them.
    #[serde(deserialize_with = "de_dates")]
    pub holidays: Vec<Date>,
}

impl Default for Deadline {
    fn default() -> Self {
        Deadline {
            days: 15,
            kind: DayKind::Working,
            holidays: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Stats {
    /// No rate is published for an agency or topic with fewer records than this.
    pub min_records: usize,
}

impl Default for Stats {
    fn default() -> Self {
        Stats { min_records: 5 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Check {
    /// Records larger than this many KiB are refused.
    pub max_file_kb: u64,
}

impl Default for Check {
    fn default() -> Self {
        Check { max_file_kb: 512 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: String,
    pub language: Language,
    #[serde(default)]
    pub description: String,
    /// Theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Records per list page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Publish raw HTML from Markdown unsanitised. Only for sites whose editors are trusted.
    #[serde(default)]
    pub trust_html: bool,
    /// The date the build counts as "today" (pending past deadline); defaults to the real date.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub today: Option<Date>,
    #[serde(default)]
    pub deadline: Deadline,
    #[serde(default)]
    pub stats: Stats,
    #[serde(default)]
    pub check: Check,
    /// Where citizens ask (`[[channels]]`), in the order written.
    #[serde(default)]
    pub channels: Vec<Channel>,
}

/// A date written as a TOML date (`2026-01-01`) or a string (`"2026-01-01"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum TomlDate {
    Toml(toml::value::Datetime),
    Text(String),
}

impl TomlDate {
    fn parse<E: serde::de::Error>(self) -> Result<Date, E> {
        let text = match self {
            TomlDate::Toml(d) => d.to_string(),
            TomlDate::Text(s) => s,
        };
        text.parse()
            .map_err(|_| E::custom(format!("expected a date YYYY-MM-DD, found {text:?}")))
    }
}

fn de_dates<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
    Vec::<TomlDate>::deserialize(d)?
        .into_iter()
        .map(TomlDate::parse)
        .collect()
}

fn de_opt_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    Option::<TomlDate>::deserialize(d)?
        .map(TomlDate::parse)
        .transpose()
}

fn default_theme() -> String {
    "default".into()
}

fn default_paginate() -> usize {
    20
}

pub const FILE_NAME: &str = "site.toml";

impl SiteConfig {
    /// Parses `site.toml`; every problem is returned as a located diagnostic.
    pub fn parse(text: &str, file: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| s.start).unwrap_or(0);
            vec![Diagnostic::at_offset(
                Severity::Error,
                "E0101",
                file,
                text,
                at,
                format!("site.toml: {}", e.message()),
            )]
        })?;
        let mut problems = Vec::new();
        let locate = |key: &str| offset_of_key(text, key);
        if let Err(msg) = normalise_base_url(&mut config.base_url) {
            problems.push(Diagnostic::at_offset(
                Severity::Error,
                "E0102",
                file,
                text,
                locate("base_url"),
                msg,
            ));
        }
        if config.paginate == 0 {
            problems.push(Diagnostic::at_offset(
                Severity::Error,
                "E0103",
                file,
                text,
                locate("paginate"),
                "`paginate` must be at least 1".into(),
            ));
        }
        if config.title.trim().is_empty() {
            problems.push(Diagnostic::at_offset(
                Severity::Error,
                "E0104",
                file,
                text,
                locate("title"),
                "`title` must not be empty".into(),
            ));
        }
        problems.extend(channels::check(&config.channels, text, file));
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Keys hoidap does not know: warnings, so that older versions read newer sites.
    pub fn unknown_keys(text: &str, file: &str) -> Vec<Diagnostic> {
        const TOP: &[&str] = &[
            "title",
            "base_url",
            "language",
            "description",
            "theme",
            "paginate",
            "trust_html",
            "today",
            "deadline",
            "stats",
            "check",
            "channels",
        ];
        const SECTIONS: &[(&str, &[&str])] = &[
            ("deadline", &["days", "kind", "holidays"]),
            ("stats", &["min_records"]),
            ("check", &["max_file_kb"]),
        ];
        let Ok(table) = text.parse::<toml::Table>() else {
            return Vec::new();
        };
        let mut unknown = Vec::new();
        let mut channel_keys = Vec::new();
        for (key, value) in &table {
            if key == "channels" {
                channel_keys = channels::unknown_keys(value, text, file);
            }
            if !TOP.contains(&key.as_str()) {
                unknown.push(key.clone());
            } else if let (Some((_, known)), Some(section)) = (
                SECTIONS.iter().find(|(name, _)| name == key),
                value.as_table(),
            ) {
                unknown.extend(
                    section
                        .keys()
                        .filter(|k| !known.contains(&k.as_str()))
                        .cloned(),
                );
            }
        }
        unknown
            .into_iter()
            .map(|key| {
                Diagnostic::at_offset(
                    Severity::Warning,
                    "W0101",
                    file,
                    text,
                    offset_of_key(text, &key),
                    format!("unknown setting `{key}` in site.toml; it is ignored"),
                )
            })
            .chain(channel_keys)
            .collect()
    }

    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::file_level(
                Severity::Error,
                "E0100",
                FILE_NAME,
                format!("cannot read site.toml: {e}"),
            )]
        })?;
        SiteConfig::parse(text.trim_start_matches('\u{feff}'), FILE_NAME)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// Replaces the base URL (for `--base-url` and the live preview).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let mut url = url.to_string();
        normalise_base_url(&mut url)?;
        self.base_url = url;
        Ok(())
    }

    /// The absolute URL of a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// Checks that a base URL is absolute and makes it end with `/`.
fn normalise_base_url(url: &mut String) -> Result<(), String> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url
            .split_once("://")
            .is_some_and(|(_, r)| !r.is_empty() && !r.starts_with('/'));
    if !ok {
        return Err(format!(
            "`base_url` must be an absolute http(s) URL such as https://example.gov.vn/hoi-dap/, not {url:?}"
        ));
    }
    if url.contains(['?', '#', ' ']) {
        return Err(format!(
            "`base_url` must not contain a query, fragment or space: {url:?}"
        ));
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(())
}

/// Byte offset of `key = ` at the start of a line, for locating semantic errors.
fn offset_of_key(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        "title = \"Hỏi đáp\"\nbase_url = \"https://example.gov.vn/hoi-dap\"\nlanguage = \"vi\"\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = SiteConfig::parse(MINIMAL, "site.toml").unwrap();
        assert_eq!(c.base_url, "https://example.gov.vn/hoi-dap/");
        assert_eq!(c.base_path(), "/hoi-dap/");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.deadline.days, 15);
        assert_eq!(
            c.absolute("records/a/"),
            "https://example.gov.vn/hoi-dap/records/a/"
        );
    }

    #[test]
    fn root_base_path() {
        let mut c = SiteConfig::parse(MINIMAL, "site.toml").unwrap();
        c.set_base_url("http://127.0.0.1:1111").unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn dates_as_toml_dates_or_strings() {
        let text = format!(
            "{MINIMAL}today = 2026-11-28\n[deadline]\nholidays = [2026-09-02, \"2026-09-03\"]\n"
        );
        let c = SiteConfig::parse(&text, "site.toml").unwrap();
        assert_eq!(c.today, Some(jiff::civil::date(2026, 11, 28)));
        assert_eq!(c.deadline.holidays.len(), 2);
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let text = format!("{MINIMAL}colour = \"red\"\n[deadline]\ndays = 10\nweekend = 2\n");
        assert!(SiteConfig::parse(&text, "site.toml").is_ok());
        let w = SiteConfig::unknown_keys(&text, "site.toml");
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].code, w[0].line), ("W0101", 4));
        assert_eq!(w[1].line, 7);
    }

    #[test]
    fn bad_values_are_located() {
        let text = "title = \"x\"\nlanguage = \"vi\"\nbase_url = \"/relative\"\npaginate = 0\n";
        let errs = SiteConfig::parse(text, "site.toml").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!((errs[0].line, errs[0].column), (3, 1));
        assert_eq!((errs[1].line, errs[1].column), (4, 1));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let text = "title = \"x\"\nlanguage = \"fr\"\nbase_url = \"https://a.b/\"\n";
        let errs = SiteConfig::parse(text, "site.toml").unwrap_err();
        assert_eq!(errs[0].code, "E0101");
        assert_eq!(errs[0].line, 2);
    }
}

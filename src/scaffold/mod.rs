//! Files the editors' commands write: a whole new site (`hoidap init`) and a new record
//! (`hoidap new`). Everything written here must pass `hoidap check` with no warnings.

mod files;
pub mod record;

use crate::config::{Language, SiteConfig};
use crate::{Error, Result};
use jiff::civil::Date;
use std::path::Path;

/// What `hoidap init` asks for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub language: Language,
    /// The site's title; a default in the site's language when `None`.
    pub title: Option<String>,
    /// The published address; a placeholder when `None`.
    pub base_url: Option<String>,
    /// The date the example record is asked and answered on.
    pub today: Date,
}

/// The placeholder address of a new site, to be replaced before publishing.
pub const PLACEHOLDER_BASE_URL: &str = "https://example.gov.vn/hoi-dap/";

/// Writes a new site into `dir`, which must be missing or empty. Returns the files
/// written, relative to `dir`, `/`-separated.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<String>> {
    refuse_non_empty(dir)?;
    let files = site_files(options)?;
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

fn refuse_non_empty(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{} is not empty: `hoidap init` only writes into a new or empty folder",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(Error::Usage(format!(
            "{} is a file, not a folder",
            dir.display()
        ))),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Every file of a new site, by relative path.
pub fn site_files(options: &InitOptions) -> Result<Vec<(String, String)>> {
    let text = files::texts(options.language);
    let title = match &options.title {
        Some(t) if t.trim().is_empty() => {
            return Err(Error::Usage("the title must not be empty".into()));
        }
        Some(t) if t.contains(['\n', '\r']) => {
            return Err(Error::Usage("the title must be one line".into()));
        }
        Some(t) => crate::text::nfc(t.trim()).into_owned(),
        None => text.title.to_string(),
    };
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| PLACEHOLDER_BASE_URL.to_string());
    let site_toml = text
        .site_toml
        .replace("{title}", &toml_string(&title))
        .replace("{base_url}", &toml_string(&base_url))
        .replace("{language}", options.language.code());
    SiteConfig::parse(&site_toml, crate::config::FILE_NAME).map_err(|problems| {
        let messages: Vec<String> = problems.into_iter().map(|d| d.message).collect();
        Error::Usage(messages.join("; "))
    })?;
    let year = options.today.year();
    let date = options.today.to_string();
    let fill = |s: &str| {
        s.replace("{year}", &year.to_string())
            .replace("{date}", &date)
    };
    let record_path = format!("content/records/{year}/{year}-0001.md");
    Ok(vec![
        ("site.toml".into(), site_toml),
        ("content/agencies.yaml".into(), text.agencies.to_string()),
        ("content/topics.yaml".into(), text.topics.to_string()),
        ("content/sessions.yaml".into(), fill(text.sessions)),
        (record_path, fill(text.record)),
        (".gitignore".into(), files::GITIGNORE.to_string()),
        (".github/workflows/hoidap.yml".into(), github_workflow()),
    ])
}

/// The GitHub workflow of a new site: it installs the release of this very version of
/// hoidap, from this crate's repository (docs/publishing.md shows it whole).
pub fn github_workflow() -> String {
    files::GITHUB_WORKFLOW
        .replace("{version}", env!("CARGO_PKG_VERSION"))
        .replace("{repository}", env!("CARGO_PKG_REPOSITORY"))
}

/// A TOML basic string, quoted and escaped.
pub fn toml_string(s: &str) -> String {
    quoted(s)
}

/// A YAML double-quoted scalar. Both YAML and TOML accept the same escapes for what this
/// writes: `\\`, `\"`, `\n`, `\t`, `\r` and `\uXXXX` for other control characters.
pub fn yaml_string(s: &str) -> String {
    quoted(s)
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(language: Language) -> InitOptions {
        InitOptions {
            language,
            title: None,
            base_url: None,
            today: jiff::civil::date(2026, 11, 28),
        }
    }

    #[test]
    fn quoting_escapes_what_yaml_and_toml_need() {
        assert_eq!(yaml_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(yaml_string("x\u{7}y"), r#""x\u0007y""#);
        let v: String = crate::load::yaml::parse(&yaml_string("Đất \"đai\": #1 \\")).unwrap();
        assert_eq!(v, "Đất \"đai\": #1 \\");
        let t: toml::Table =
            toml::from_str(&format!("k = {}", toml_string("a\"b\\c\u{1}"))).unwrap();
        assert_eq!(t["k"].as_str(), Some("a\"b\\c\u{1}"));
    }

    #[test]
    fn site_toml_takes_the_options() {
        let mut o = options(Language::En);
        o.title = Some("Q & \"A\"".into());
        o.base_url = Some("https://example.org/qa".into());
        let files = site_files(&o).unwrap();
        let config = SiteConfig::parse(&files[0].1, "site.toml").unwrap();
        assert_eq!(config.title, "Q & \"A\"");
        assert_eq!(config.base_url, "https://example.org/qa/");
        assert_eq!(config.language, Language::En);
        assert!(
            files
                .iter()
                .any(|(p, _)| p == "content/records/2026/2026-0001.md")
        );
    }

    #[test]
    fn the_commented_channels_work_once_uncommented() {
        for language in [Language::Vi, Language::En] {
            let files = site_files(&options(language)).unwrap();
            let text = &files[0].1;
            assert!(
                SiteConfig::parse(text, "site.toml")
                    .unwrap()
                    .channels
                    .is_empty()
            );
            let from = text.find("# [[channels]]").unwrap();
            let uncommented: String = text[..from].to_string()
                + &text[from..]
                    .lines()
                    .map(|l| l.trim_start_matches('#').trim_start())
                    .collect::<Vec<_>>()
                    .join("\n");
            let config = SiteConfig::parse(&uncommented, "site.toml").unwrap();
            assert_eq!(config.channels.len(), 2, "{language:?}");
            assert!(SiteConfig::unknown_keys(&uncommented, "site.toml").is_empty());
        }
    }

    #[test]
    fn bad_options_are_refused() {
        let mut o = options(Language::Vi);
        o.base_url = Some("example.org".into());
        assert!(matches!(site_files(&o), Err(Error::Usage(_))));
        let mut o = options(Language::Vi);
        o.title = Some("two\nlines".into());
        assert!(matches!(site_files(&o), Err(Error::Usage(_))));
    }

    #[test]
    fn init_refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "x").unwrap();
        let err = init(dir.path(), &options(Language::Vi)).unwrap_err();
        assert!(err.to_string().contains("not empty"), "{err}");
    }
}

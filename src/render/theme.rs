//! Finding templates, translations and static files: the site's own `templates/` and
//! `static/` win over its theme, and the default theme is built into the binary.

use crate::config::{Language, SiteConfig};
use crate::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// A theme's files, by path relative to the theme root (`templates/base.html`, `static/style.css`).
#[derive(Debug, Default)]
pub struct ThemeFiles {
    pub files: BTreeMap<String, Source>,
}

#[derive(Debug, Clone)]
pub enum Source {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl Source {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Source::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Source::Disk(p) => std::fs::read(p)
                .map(Into::into)
                .map_err(|e| Error::io(p, e)),
        }
    }

    pub fn text(&self) -> Result<String> {
        let bytes = self.bytes()?;
        String::from_utf8(bytes.into_owned()).map_err(|_| Error::Template {
            name: self.describe(),
            message: "not valid UTF-8".into(),
        })
    }

    fn describe(&self) -> String {
        match self {
            Source::Embedded(_) => "built-in theme file".into(),
            Source::Disk(p) => p.display().to_string(),
        }
    }
}

/// Collects the files of the site's theme, then lays the site's own overrides on top.
pub fn resolve(root: &Path, config: &SiteConfig) -> Result<ThemeFiles> {
    let mut theme = ThemeFiles::default();
    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        add_dir(&mut theme, &theme_dir, "")?;
    } else if config.theme == "default" {
        for (rel, bytes) in embedded::FILES {
            theme
                .files
                .insert((*rel).to_string(), Source::Embedded(bytes));
        }
    } else {
        return Err(Error::Usage(format!(
            "theme {:?} not found: expected a folder themes/{}/",
            config.theme, config.theme
        )));
    }
    for (dir, prefix) in [
        ("templates", "templates/"),
        ("static", "static/"),
        ("i18n", "i18n/"),
    ] {
        let site_dir = root.join(dir);
        if site_dir.is_dir() {
            add_dir(&mut theme, &site_dir, prefix)?;
        }
    }
    Ok(theme)
}

fn add_dir(theme: &mut ThemeFiles, dir: &Path, prefix: &str) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::load::relative(dir, entry.path());
        if rel.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        theme
            .files
            .insert(format!("{prefix}{rel}"), Source::Disk(entry.into_path()));
    }
    Ok(())
}

impl ThemeFiles {
    /// Templates by name (`base.html`, `partials/pagination.html`).
    pub fn templates(&self) -> Result<Vec<(String, String)>> {
        self.files
            .iter()
            .filter_map(|(rel, src)| rel.strip_prefix("templates/").map(|name| (name, src)))
            .map(|(name, src)| Ok((name.to_string(), src.text()?)))
            .collect()
    }

    /// Static files, by output path under `static/`.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &Source)> {
        self.files
            .iter()
            .filter(|(rel, _)| rel.starts_with("static/"))
            .map(|(rel, src)| (rel.as_str(), src))
    }

    /// UI strings for the language: `i18n/<lang>.toml`, a flat table of keys.
    pub fn translations(&self, language: Language) -> Result<BTreeMap<String, String>> {
        let rel = format!("i18n/{}.toml", language.code());
        let Some(src) = self.files.get(&rel) else {
            return Err(Error::Usage(format!(
                "the theme has no translations file {rel}"
            )));
        };
        toml::from_str(&src.text()?).map_err(|e| Error::Template {
            name: rel,
            message: e.to_string(),
        })
    }
}

//! `hoidap new`: a pending record with the next free id and its front matter filled in.

use super::yaml_string;
use crate::config::{Language, SiteConfig};
use crate::diagnostics::closest;
use crate::load;
use crate::{Error, Result};
use jiff::civil::Date;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The line `hoidap new` writes where the question goes, in Vietnamese and in English. A
/// record that still has it is not ready to publish (W0249).
pub const PLACEHOLDERS: [&str; 2] = [
    "Thay dòng này bằng nội dung câu hỏi.",
    "Replace this line with the question.",
];

/// What `hoidap new` asks for.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub title: String,
    pub agency: String,
    pub topics: Vec<String>,
    pub session: Option<String>,
    pub asked: Date,
}

/// Where the record was written.
#[derive(Debug, Clone)]
pub struct Written {
    pub id: String,
    /// Path relative to the site root, `/`-separated.
    pub file: String,
    pub path: PathBuf,
}

/// Writes a new pending record into the site at `root`, refusing unknown references.
pub fn write(root: &Path, new: &NewRecord) -> Result<Written> {
    let config = SiteConfig::load(root).map_err(|problems| {
        let first = problems.into_iter().next().map(|d| d.message);
        Error::Usage(first.unwrap_or_else(|| "cannot read site.toml".into()))
    })?;
    let title = one_line_title(&new.title)?;
    let content = load::load(root, &config);
    known(
        "agency",
        &new.agency,
        content.agencies.iter().map(|a| a.id.value.as_str()),
    )?;
    if new.topics.is_empty() {
        return Err(Error::Usage("give at least one --topic".into()));
    }
    for t in &new.topics {
        known(
            "topic",
            t,
            content.topics.iter().map(|x| x.id.value.as_str()),
        )?;
    }
    if let Some(s) = &new.session {
        known(
            "session",
            s,
            content.sessions.iter().map(|x| x.id.value.as_str()),
        )?;
    }
    let taken: HashSet<String> = content
        .records
        .iter()
        .filter_map(|r| r.id.as_ref().map(|i| i.value.clone()))
        .collect();
    let id = next_id(&taken, new.asked.year());
    let file = format!("{}/records/{}/{id}.md", load::CONTENT_DIR, new.asked.year());
    let path = root.join(&file);
    if path.exists() {
        return Err(Error::Usage(format!(
            "{file} already exists; it is left as it is"
        )));
    }
    let text = render(&id, &title, new, config.language);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(Written { id, file, path })
}

fn one_line_title(title: &str) -> Result<String> {
    let title = crate::text::nfc(title.trim()).into_owned();
    if title.is_empty() {
        return Err(Error::Usage("the title must not be empty".into()));
    }
    if title.contains(['\n', '\r']) {
        return Err(Error::Usage("the title must be one line".into()));
    }
    Ok(title)
}

/// Refuses an id that is not in its registry, suggesting the closest one.
fn known<'a>(what: &str, id: &str, ids: impl Iterator<Item = &'a str> + Clone) -> Result<()> {
    if ids.clone().any(|k| k == id) {
        return Ok(());
    }
    let registry = match what {
        "agency" => "agencies.yaml",
        "topic" => "topics.yaml",
        _ => "sessions.yaml",
    };
    let mut message = format!("unknown {what} {id:?}: it is not in content/{registry}");
    if let Some(near) = closest(id, ids) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    Err(Error::Usage(message))
}

/// The next free id: the archive's `YYYY-NNNN` scheme continued for `year` (same number
/// width as the widest such id, at least 4), or `YYYY-0001` when no id follows it.
pub fn next_id(taken: &HashSet<String>, year: i16) -> String {
    let scheme: Vec<(i16, &str)> = taken.iter().filter_map(|id| year_number(id)).collect();
    let width = scheme
        .iter()
        .map(|(_, n)| n.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let highest = scheme
        .iter()
        .filter(|(y, _)| *y == year)
        .filter_map(|(_, n)| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = highest + 1;
    loop {
        let id = format!("{year:04}-{n:0width$}");
        if !taken.contains(&id) {
            return id;
        }
        n += 1;
    }
}

fn year_number(id: &str) -> Option<(i16, &str)> {
    let (year, number) = id.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !digits(year) || !digits(number) || number.len() > 18 {
        return None;
    }
    Some((year.parse().ok()?, number))
}

fn render(id: &str, title: &str, new: &NewRecord, language: Language) -> String {
    // Quoted, so that an id such as `2024` or `no` stays a string.
    let topics: Vec<String> = new.topics.iter().map(|t| yaml_string(t)).collect();
    let mut out = String::from("---\n");
    out += &format!("id: {}\n", yaml_string(id));
    out += &format!("title: {}\n", yaml_string(title));
    out += &format!("asked: {}\n", new.asked);
    out += &format!("agency: {}\n", yaml_string(&new.agency));
    out += &format!("topics: [{}]\n", topics.join(", "));
    if let Some(s) = &new.session {
        out += &format!("session: {}\n", yaml_string(s));
    }
    out += "status: pending\n---\n";
    out += match language {
        Language::Vi => PLACEHOLDERS[0],
        Language::En => PLACEHOLDERS[1],
    };
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn next_id_continues_the_year() {
        let taken = ids(&["2014-0007", "2014-0041", "2015-0004"]);
        assert_eq!(next_id(&taken, 2014), "2014-0042");
        assert_eq!(next_id(&taken, 2026), "2026-0001");
    }

    #[test]
    fn next_id_keeps_the_width() {
        let taken = ids(&["2018-000123"]);
        assert_eq!(next_id(&taken, 2018), "2018-000124");
        assert_eq!(next_id(&taken, 2019), "2019-000001");
    }

    #[test]
    fn next_id_without_a_scheme() {
        let taken = ids(&["cap-phep-xay-dung", "abc-12"]);
        assert_eq!(next_id(&taken, 2026), "2026-0001");
        assert_eq!(next_id(&HashSet::new(), 2026), "2026-0001");
    }

    #[test]
    fn front_matter_is_quoted() {
        let new = NewRecord {
            title: String::new(),
            agency: "so-y-te".into(),
            topics: vec!["y-te".into(), "bao-hiem".into()],
            session: None,
            asked: jiff::civil::date(2026, 1, 2),
        };
        let text = render("2026-0001", "Hỏi \"gấp\": #1", &new, Language::Vi);
        assert!(text.contains("title: \"Hỏi \\\"gấp\\\": #1\"\n"), "{text}");
        assert!(
            text.contains("topics: [\"y-te\", \"bao-hiem\"]\n"),
            "{text}"
        );
        let (record, problems) = crate::load::record::read("r.md", text);
        assert!(problems.is_empty(), "{problems:?}");
        let record = record.unwrap();
        assert_eq!(record.title.unwrap().value, "Hỏi \"gấp\": #1");
        assert!(record.entries.is_empty());
    }

    #[test]
    fn unknown_ids_get_a_suggestion() {
        let err = known(
            "agency",
            "so-xay-dng",
            ["so-xay-dung", "so-y-te"].into_iter(),
        );
        let message = err.unwrap_err().to_string();
        assert!(message.contains("did you mean `so-xay-dung`?"), "{message}");
    }
}

//! What templates see: plain serialisable views of the archive, built once per build.
//! Lists hold only what a list shows, so a list page costs what it shows.

use super::dates;
use crate::config::{Language, SiteConfig};
use crate::model::{Archive, Record};
use crate::urls;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Link<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct DateView {
    pub iso: String,
    pub short: String,
    pub long: String,
}

impl DateView {
    pub fn new(date: jiff::civil::Date, language: Language) -> DateView {
        DateView {
            iso: date.to_string(),
            short: dates::short(date, language),
            long: dates::long(date, language),
        }
    }
}

/// A record as a line in a list.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub url: String,
    pub title: &'a str,
    pub status: &'static str,
    pub asked: DateView,
    pub answered: Option<DateView>,
    pub days_to_answer: Option<i32>,
    pub agency: Option<Link<'a>>,
    pub topics: Vec<Link<'a>>,
    pub excerpt: String,
}

pub fn summary<'a>(archive: &'a Archive, r: &'a Record, config: &SiteConfig) -> Summary<'a> {
    let base = config.base_path();
    Summary {
        id: &r.id,
        url: format!("{base}{}", urls::record(&r.id)),
        title: &r.title,
        status: r.status.as_str(),
        asked: DateView::new(r.asked, config.language),
        answered: r.answered.map(|d| DateView::new(d, config.language)),
        days_to_answer: r.days_to_answer,
        agency: r.agency.map(|a| agency_link(archive, a, base)),
        topics: r
            .topics
            .iter()
            .map(|&t| topic_link(archive, t, base))
            .collect(),
        excerpt: excerpt(&r.question.plain, 220),
    }
}

pub fn agency_link<'a>(archive: &'a Archive, idx: usize, base: &str) -> Link<'a> {
    let a = &archive.agencies[idx];
    Link {
        id: &a.id,
        name: &a.name,
        url: format!("{base}{}", urls::agency(&a.id)),
    }
}

pub fn topic_link<'a>(archive: &'a Archive, idx: usize, base: &str) -> Link<'a> {
    let t = &archive.topics[idx];
    Link {
        id: &t.id,
        name: &t.name,
        url: format!("{base}{}", urls::topic(&t.id)),
    }
}

pub fn session_link<'a>(archive: &'a Archive, idx: usize, base: &str) -> Link<'a> {
    let s = &archive.sessions[idx];
    Link {
        id: &s.id,
        name: &s.title,
        url: format!("{base}{}", urls::session(&s.id)),
    }
}

/// The first `max` characters of a text, cut at a word boundary.
pub fn excerpt(text: &str, max: usize) -> String {
    // Only the first `max` characters matter: join words until past them, not the whole text.
    let mut flat = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > max {
            break;
        }
        if !flat.is_empty() {
            flat.push(' ');
            chars += 1;
        }
        flat.push_str(word);
        chars += word.chars().count();
    }
    if chars <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("một hai  ba", 20), "một hai ba");
        assert_eq!(excerpt("một hai ba bốn", 9), "một hai…");
        assert_eq!(excerpt("một hai ba", 10), "một hai ba");
        assert_eq!(excerpt("một, hai ba", 6), "một…");
        assert_eq!(excerpt("mộthaiba", 3), "một…");
    }
}

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

/// The first `max` characters of a text, cut at a word boundary, with whitespace runs
/// collapsed to one space.
pub fn excerpt(text: &str, max: usize) -> String {
    // One pass that stops after `max + 1` characters: lists make about eight excerpts per
    // record, so this runs a million times at 100,000 records.
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut chars = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        let extra = usize::from(space);
        if chars + extra + 1 > max {
            // A space that still fits ends the last word: it is kept whole.
            let whole = space && chars < max;
            return cut(out, whole);
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
        chars += extra + 1;
    }
    out
}

/// A text longer than wanted: back to its last whole word, and an ellipsis.
fn cut(mut head: String, whole: bool) -> String {
    if !whole && let Some(at) = head.rfind(' ') {
        head.truncate(at);
    }
    let kept = head.trim_end_matches([',', '.', ';', ':']).len();
    head.truncate(kept);
    head.push('…');
    head
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
        assert_eq!(excerpt("  \n ", 5), "");
        assert_eq!(excerpt("một hai", 4), "một…");
        assert_eq!(excerpt(" một\n\nhai ", 7), "một hai");
    }

    /// The excerpt as first written: join all words, then cut.
    fn excerpt_by_joining(text: &str, max: usize) -> String {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= max {
            return flat;
        }
        let cut: String = flat.chars().take(max).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
    }

    proptest::proptest! {
        #[test]
        fn excerpts_equal_joining_then_cutting(
            text in "[a-cđộ ,.;:\n\t\u{a0}\u{3000}]{0,40}",
            max in 0usize..30,
        ) {
            proptest::prop_assert_eq!(excerpt(&text, max), excerpt_by_joining(&text, max));
        }
    }
}

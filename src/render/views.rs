//! What templates see: plain serialisable views of the archive, built once per build.
//! Lists hold only what a list shows, so a list page costs what it shows.

use super::dates;
use crate::config::{Language, SiteConfig};
use crate::model::{Archive, Record};
use crate::urls;
use serde::Serialize;
use std::collections::HashMap;
use tera::Value;

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

/// A record as a line in a list: the specification that [`SummaryFields`], which the pages
/// use, is tested against.
#[cfg(test)]
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub url: String,
    pub title: &'a str,
    pub status: &'static str,
    /// A [`DateView`], shared (see [`Shared`]); `None` when unknown.
    pub asked: Option<Value>,
    pub answered: Option<Value>,
    pub days_to_answer: Option<i32>,
    /// [`Link`]s, shared.
    pub agency: Option<Value>,
    pub topics: Vec<Value>,
    pub excerpt: Excerpt<'a>,
}

/// A summary's excerpt, written out of the question's text where it is serialised.
#[cfg(test)]
#[derive(Debug)]
pub struct Excerpt<'a> {
    text: &'a str,
    cut: Cut,
}

#[cfg(test)]
impl Serialize for Excerpt<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.cut.verbatim(self.text) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&self.cut.excerpt(self.text)),
        }
    }
}

/// What a record's summary shows alike on every page, found the first time a page shows the
/// record and kept for the others: a record is shown on about ten pages (its agency's,
/// topics', year's and session's lists, the record pages that list it as related or as a
/// neighbour), and finding where its excerpt ends cost as much as the rest of its summary.
/// A record keeps 72 bytes: its dates as values Tera shares (a clone is a count, not a copy)
/// and its excerpt as a [`Cut`] (kept as text, excerpts took 35 MB at 100,000 records; whole
/// summaries took 360 MB, see [`crate::render::Renderer::summary`]).
#[derive(Default)]
pub struct Summaries {
    /// By archive position; empty when nothing is kept (each made on the spot).
    kept: Vec<std::sync::OnceLock<Fixed>>,
}

/// The parts of a summary that do not depend on the page.
#[derive(Clone)]
struct Fixed {
    asked: Option<Value>,
    answered: Option<Value>,
    excerpt: Cut,
}

impl Fixed {
    fn new(shared: &Shared, r: &Record) -> Fixed {
        Fixed {
            asked: r.asked.map(|d| shared.date(d)),
            answered: r.answered.map(|d| shared.date(d)),
            excerpt: Cut::of(&r.question.plain, SUMMARY_EXCERPT),
        }
    }
}

/// The length of a summary's excerpt, in characters.
const SUMMARY_EXCERPT: usize = 220;

impl Summaries {
    /// Keeps the shared parts of the summaries of an archive of `records` records.
    pub fn new(records: usize) -> Summaries {
        Summaries {
            kept: (0..records).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// The fixed parts of the summary of the record at archive position `i`, which is `r`.
    #[cfg(test)]
    fn of(&self, shared: &Shared, i: usize, r: &Record) -> Fixed {
        self.fixed(shared, i, r).into_owned()
    }

    /// The same, borrowed when kept.
    fn fixed<'s>(&'s self, shared: &Shared, i: usize, r: &Record) -> std::borrow::Cow<'s, Fixed> {
        match self.kept.get(i) {
            Some(slot) => std::borrow::Cow::Borrowed(slot.get_or_init(|| Fixed::new(shared, r))),
            None => std::borrow::Cow::Owned(Fixed::new(shared, r)),
        }
    }
}

/// The parts of summaries that many records have in common, made once a build: every record
/// of an agency links to it, and a day is the date of many records. Tera clones a `Value`
/// inside a serialised struct instead of serialising it again.
#[derive(Default)]
pub struct Shared {
    /// Links to every agency and topic, by the root prefix of the pages that show them (their
    /// URLs are relative, see `urls::root_of`): one set for each depth a list page has.
    links: Vec<(String, Links)>,
    dates: HashMap<jiff::civil::Date, Value>,
    language: Language,
}

/// Links to every agency and topic, from pages at one depth.
#[derive(Default)]
struct Links {
    agencies: Vec<Value>,
    topics: Vec<Value>,
}

impl Links {
    fn new(archive: &Archive, root: &str) -> Links {
        Links {
            agencies: (0..archive.agencies.len())
                .map(|i| Value::from_serializable(&agency_link(archive, i, root)))
                .collect(),
            topics: (0..archive.topics.len())
                .map(|i| Value::from_serializable(&topic_link(archive, i, root)))
                .collect(),
        }
    }
}

/// The deepest pages that list records: `agencies/<id>/page/<n>/`.
const LIST_DEPTH: usize = 4;

impl Shared {
    pub fn new(archive: &Archive, config: &SiteConfig) -> Shared {
        let links = (0..=LIST_DEPTH)
            .map(|depth| {
                let root = urls::root_of(&"x/".repeat(depth), &config.base_url);
                let links = Links::new(archive, &root);
                (root, links)
            })
            .collect();
        let mut dates = HashMap::new();
        for r in &archive.records {
            for date in r.asked.into_iter().chain(r.answered) {
                dates.entry(date).or_insert_with(|| {
                    Value::from_serializable(&DateView::new(date, config.language))
                });
            }
        }
        Shared {
            links,
            dates,
            language: config.language,
        }
    }

    /// A date's view; every record's dates are there, any other is made on the spot.
    fn date(&self, date: jiff::civil::Date) -> Value {
        match self.dates.get(&date) {
            Some(v) => v.clone(),
            None => Value::from_serializable(&DateView::new(date, self.language)),
        }
    }
}

/// Agency and topic links as a page whose way to the site root is `root` shows them: shared
/// when a list page has that depth, else made on the spot.
struct LinksAt<'a> {
    links: Option<&'a Links>,
    archive: &'a Archive,
    root: &'a str,
}

impl<'a> LinksAt<'a> {
    fn new(shared: &'a Shared, archive: &'a Archive, root: &'a str) -> Self {
        let links = shared.links.iter().find(|(k, _)| k == root).map(|(_, l)| l);
        LinksAt {
            links,
            archive,
            root,
        }
    }

    fn agency(&self, a: usize) -> Option<Value> {
        match self.links {
            Some(l) => l.agencies.get(a).cloned(),
            None => (a < self.archive.agencies.len())
                .then(|| Value::from_serializable(&agency_link(self.archive, a, self.root))),
        }
    }

    fn topic(&self, t: usize) -> Option<Value> {
        match self.links {
            Some(l) => l.topics.get(t).cloned(),
            None => (t < self.archive.topics.len())
                .then(|| Value::from_serializable(&topic_link(self.archive, t, self.root))),
        }
    }
}

/// The summary of the record at archive position `i`, `r`, as a page whose way to the site
/// root is `root` shows it (the specification of [`SummaryFields`]).
#[cfg(test)]
pub fn summary<'a>(
    shared: &Shared,
    summaries: &Summaries,
    archive: &Archive,
    i: usize,
    r: &'a Record,
    root: &str,
) -> Summary<'a> {
    let at = LinksAt::new(shared, archive, root);
    let fixed = summaries.of(shared, i, r);
    Summary {
        id: &r.id,
        url: format!("{root}{}", urls::record(&r.id)),
        title: &r.title,
        status: r.status.as_str(),
        asked: fixed.asked,
        answered: fixed.answered,
        days_to_answer: r.days_to_answer,
        agency: r.agency.and_then(|a| at.agency(a)),
        topics: r.topics.iter().filter_map(|&t| at.topic(t)).collect(),
        excerpt: Excerpt {
            text: &r.question.plain,
            cut: fixed.excerpt,
        },
    }
}

/// The summary of the record at archive position `i`, `r`, as a page whose way to the site
/// root is `root` shows it, written by serde straight into the map Tera makes of a serialised
/// struct. A map made here first was built twice (`Value::from` of a map inserts every entry
/// again into a new one): this way a summary cost a third less, measured alone. Strings go in
/// as they are; the shared values (dates, links) are cloned by Tera. The tests check that it
/// is the map `Value::from_serializable` makes of `Summary`, a plain struct kept as its
/// specification.
pub struct SummaryFields<'a> {
    r: &'a Record,
    root: &'a str,
    fixed: std::borrow::Cow<'a, Fixed>,
    at: LinksAt<'a>,
}

impl<'a> SummaryFields<'a> {
    pub fn new(
        shared: &'a Shared,
        summaries: &'a Summaries,
        archive: &'a Archive,
        i: usize,
        r: &'a Record,
        root: &'a str,
    ) -> SummaryFields<'a> {
        SummaryFields {
            r,
            root,
            fixed: summaries.fixed(shared, i, r),
            at: LinksAt::new(shared, archive, root),
        }
    }

    /// Writes the summary's fields into a struct being serialised (so that a record's page
    /// can put them beside its own).
    pub fn write<S: serde::ser::SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        let r = self.r;
        let mut url = String::with_capacity(self.root.len() + r.id.len() + 9);
        url.push_str(self.root);
        urls::push_record(&mut url, &r.id);
        s.serialize_field("id", r.id.as_str())?;
        s.serialize_field("url", url.as_str())?;
        s.serialize_field("title", r.title.as_str())?;
        s.serialize_field("status", r.status.as_str())?;
        s.serialize_field("asked", &self.fixed.asked)?;
        s.serialize_field("answered", &self.fixed.answered)?;
        s.serialize_field("days_to_answer", &r.days_to_answer)?;
        s.serialize_field("agency", &r.agency.and_then(|a| self.at.agency(a)))?;
        s.serialize_field("topics", &Topics(self))?;
        match self.fixed.excerpt.verbatim(&r.question.plain) {
            Some(text) => s.serialize_field("excerpt", text),
            None => s.serialize_field("excerpt", &self.fixed.excerpt.excerpt(&r.question.plain)),
        }
    }
}

impl Serialize for SummaryFields<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Summary", SUMMARY_FIELDS)?;
        self.write(&mut st)?;
        st.end()
    }
}

/// A summary's topic links, as a list.
struct Topics<'s, 'a>(&'s SummaryFields<'a>);

impl Serialize for Topics<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let f = self.0;
        let mut seq = s.serialize_seq(Some(f.r.topics.len()))?;
        for &t in &f.r.topics {
            if let Some(link) = f.at.topic(t) {
                seq.serialize_element(&link)?;
            }
        }
        seq.end()
    }
}

/// How many fields a summary has.
pub const SUMMARY_FIELDS: usize = 10;

/// A link from a page whose way to the site root is `root` (so are the next two).
pub fn agency_link<'a>(archive: &'a Archive, idx: usize, root: &str) -> Link<'a> {
    let a = &archive.agencies[idx];
    Link {
        id: &a.id,
        name: &a.name,
        url: format!("{root}{}", urls::agency(&a.id)),
    }
}

pub fn topic_link<'a>(archive: &'a Archive, idx: usize, root: &str) -> Link<'a> {
    let t = &archive.topics[idx];
    Link {
        id: &t.id,
        name: &t.name,
        url: format!("{root}{}", urls::topic(&t.id)),
    }
}

pub fn session_link<'a>(archive: &'a Archive, idx: usize, root: &str) -> Link<'a> {
    let s = &archive.sessions[idx];
    Link {
        id: &s.id,
        name: &s.title,
        url: format!("{root}{}", urls::session(&s.id)),
    }
}

/// The first `max` characters of a text, cut at a word boundary, with whitespace runs
/// collapsed to one space.
pub fn excerpt(text: &str, max: usize) -> String {
    Cut::of(text, max).excerpt(text)
}

/// Where an excerpt of a text ends: the excerpt is the words of the text up to `end`, one
/// space between them, and an ellipsis when the text goes on. Small enough to keep for every
/// record where the excerpt's text was not (see [`Summaries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// The byte after the excerpt's last character.
    end: usize,
    /// Whether anything was left out.
    cut: bool,
    /// What stands between the words of the text up to `end`.
    gaps: Gaps,
}

/// The whitespace between the words of a text, when it is all of one easy kind (and none
/// comes before the first word): the excerpt is then the text as it stands, or with its line
/// breaks made spaces (paragraphs of plain text are lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gaps {
    Spaces,
    /// A space or a line break each, some of them line breaks.
    Lines,
    Other,
}

impl Gaps {
    /// These gaps and a gap of `gap` together.
    fn and(self, gap: &[u8]) -> Gaps {
        match (self, gap) {
            (Gaps::Spaces, b" ") => Gaps::Spaces,
            (Gaps::Spaces | Gaps::Lines, b" " | b"\n") => Gaps::Lines,
            _ => Gaps::Other,
        }
    }
}

impl Cut {
    /// Where the excerpt of at most `max` characters of `text` ends.
    pub fn of(text: &str, max: usize) -> Cut {
        // Word by word, stopping at the limit: lists make about eight excerpts per record, so
        // this ran a million times at 100,000 records before it was kept (`Summaries`).
        let (mut chars, mut end, mut gaps) = (0, 0, Gaps::Spaces);
        for word in text.split_whitespace() {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            // The gaps with the one before this word (or before the first).
            let with = match chars {
                0 if start > 0 => Gaps::Other,
                0 => gaps,
                _ => gaps.and(&text.as_bytes()[end..start]),
            };
            let space = usize::from(chars > 0);
            let n = word.chars().count();
            if chars + space + n <= max {
                gaps = with;
                chars += space + n;
                end = start + word.len();
                continue;
            }
            if chars == 0 {
                // One word longer than the limit: its start.
                gaps = with;
                end = start + word.char_indices().nth(max).map_or(word.len(), |(i, _)| i);
            }
            // No dangling punctuation (or space, after a lone comma) before the ellipsis.
            let dangling = |c: char| matches!(c, ',' | '.' | ';' | ':') || c.is_whitespace();
            end = text[..end].trim_end_matches(dangling).len();
            return Cut {
                end,
                cut: true,
                gaps,
            };
        }
        Cut {
            end,
            cut: false,
            gaps,
        }
    }

    /// The excerpt, when it is a slice of the text.
    fn verbatim(self, text: &str) -> Option<&str> {
        (self.gaps == Gaps::Spaces && !self.cut).then(|| &text[..self.end])
    }

    /// The excerpt of `text`, which this was found in.
    pub fn excerpt(self, text: &str) -> String {
        let kept = &text[..self.end];
        let mut out = String::with_capacity(self.end + 3);
        let mut join = |parts: &mut dyn Iterator<Item = &str>| {
            for (i, part) in parts.enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(part);
            }
        };
        match self.gaps {
            Gaps::Spaces => join(&mut std::iter::once(kept)),
            Gaps::Lines => join(&mut kept.split('\n')),
            Gaps::Other => join(&mut kept.split_whitespace()),
        }
        if self.cut {
            out.push('…');
        }
        out
    }
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
        assert_eq!(
            excerpt("một hai ba", 7),
            "một hai…",
            "a word ending at the limit stays"
        );
        assert_eq!(excerpt(" một\n\nhai ", 7), "một hai");
    }

    #[test]
    fn cuts_know_when_the_text_is_the_excerpt() {
        let gaps = |text: &str, max| Cut::of(text, max).gaps;
        assert_eq!(gaps("một hai ba", 20), Gaps::Spaces);
        assert_eq!(gaps("một hai ba", 5), Gaps::Spaces);
        assert_eq!(gaps("mộthaiba", 3), Gaps::Spaces);
        assert_eq!(gaps("một\nhai ba\nbốn", 20), Gaps::Lines);
        assert_eq!(
            gaps("một hai\nba", 7),
            Gaps::Spaces,
            "only the kept gaps count"
        );
        for other in [
            " một hai",
            "một  hai",
            "một\thai",
            "một\n\nhai",
            "một\u{a0}hai",
        ] {
            assert_eq!(gaps(other, 20), Gaps::Other, "{other:?}");
        }
        let cut = Cut::of("một hai ba", 20);
        assert_eq!(cut.verbatim("một hai ba"), Some("một hai ba"));
        assert_eq!(Cut::of("một hai ba", 5).verbatim("một hai ba"), None);
    }

    /// What an excerpt is, written plainly: every whole word that fits, else the start of
    /// the first word; an ellipsis when anything was left out.
    fn excerpt_spec(text: &str, max: usize) -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        let joined = words.join(" ");
        if joined.chars().count() <= max {
            return joined;
        }
        let mut kept = String::new();
        for word in &words {
            let longer = if kept.is_empty() {
                word.to_string()
            } else {
                format!("{kept} {word}")
            };
            if longer.chars().count() > max {
                break;
            }
            kept = longer;
        }
        if kept.is_empty() {
            kept = words[0].chars().take(max).collect();
        }
        format!("{}…", kept.trim_end_matches([',', '.', ';', ':', ' ']))
    }

    proptest::proptest! {
        #[test]
        fn excerpts_keep_every_whole_word_that_fits(
            text in "[a-cđộ ,.;:\n\t\u{a0}\u{3000}]{0,40}",
            max in 0usize..30,
        ) {
            proptest::prop_assert_eq!(excerpt(&text, max), excerpt_spec(&text, max));
            // A summary's excerpt, serialised from the cut, is the same text.
            let summary = Excerpt { text: &text, cut: Cut::of(&text, max) };
            let json = serde_json::to_value(&summary).unwrap();
            let spec = excerpt_spec(&text, max);
            proptest::prop_assert_eq!(json.as_str(), Some(spec.as_str()));
        }
    }
}

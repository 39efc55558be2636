//! Stage 2: turn what the loader read into an [`Archive`], checking everything that spans
//! more than one field or file: references, duplicates, dates, status against the body (and
//! against the thread, in `validate/thread_check.rs`).

mod thread_check;

use super::thread;
use super::{Agency, Archive, Record, Session, Status, Text, Topic};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Severity, closest};
use crate::load::fields::Located;
use crate::load::record::RecordSource;
use crate::load::registry;
use crate::load::{self, Content};
use crate::markdown;
use crate::text::collate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use thread_check::Thread;

/// Validates the loaded content. Returns the archive (built even when there are errors, for
/// tools that want to show as much as possible) and every problem found, sorted.
pub fn validate(mut content: Content, config: &SiteConfig) -> (Archive, Vec<Diagnostic>) {
    let records = Records::Read(std::mem::take(&mut content.records));
    validate_with(content, records, config, None, true)
}

/// [`validate`] for `hoidap check`: the same problems, but the archive's texts are left empty.
/// Each text is still rendered (its warnings need it), then dropped at once, so memory is
/// reused instead of growing by the rendered archive (800 MB at 100,000 records).
pub fn validate_problems(mut content: Content, config: &SiteConfig) -> (Archive, Vec<Diagnostic>) {
    let records = Records::Read(std::mem::take(&mut content.records));
    validate_with(content, records, config, None, false)
}

/// Rendered Markdown of every record file, kept between checks by the live preview so that a
/// check renders only the texts that changed. An entry is used only when the text is the same
/// (compared through a 128-bit hash of it), never because of a file date.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    by_file: HashMap<String, FileTexts>,
}

impl MarkdownCache {
    /// Record files with an entry.
    pub fn len(&self) -> usize {
        self.by_file.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_file.is_empty()
    }
}

/// The rendered question and thread entries of one file.
#[derive(Debug, Clone, Default)]
struct FileTexts {
    question: Option<Cached>,
    entries: Vec<Option<Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    key: u128,
    rendered: markdown::Rendered,
}

/// A hash of the Markdown and of how it is rendered.
fn text_key(markdown: &str, trust_html: bool) -> u128 {
    let half = |seed: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (seed, trust_html, markdown).hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// [`validate`], rendering Markdown only where `cache` has no entry for the same text, and
/// leaving in `cache` the texts of this check (entries of files gone are dropped).
pub fn validate_cached(
    mut content: Content,
    config: &SiteConfig,
    cache: Option<&mut MarkdownCache>,
) -> (Archive, Vec<Diagnostic>) {
    let records = Records::Read(std::mem::take(&mut content.records));
    validate_with(content, records, config, cache, true)
}

/// Where the records to check come from.
enum Records {
    /// Already read, their reading problems in the content's.
    Read(Vec<RecordSource>),
    /// To read, each checked as soon as it is read (see [`load_and_validate`]).
    Files(Vec<(PathBuf, String)>),
}

/// Loads and validates a site as [`crate::load::load`] then [`validate`] (or
/// [`validate_problems`] without `keep_texts`) would, with the same archive and problems, but
/// checks each record as soon as it is read, on the same thread: its text is dropped at once
/// instead of all records' texts being held until the check (168 MB at 100,000 records, a
/// sixth of `check`'s work in first touching that memory), and the read and the check of a
/// record share a cache. `hoidap check` uses it; the build, which keeps every rendered text
/// anyway, measured no better with it at 100,000 records and loads then validates.
pub fn load_and_validate(
    root: &Path,
    config: &SiteConfig,
    keep_texts: bool,
) -> (Archive, Vec<Diagnostic>) {
    let (content, paths) = load::load_registries_only(root);
    validate_with(content, Records::Files(paths), config, None, keep_texts)
}

fn validate_with(
    content: Content,
    records: Records,
    config: &SiteConfig,
    cache: Option<&mut MarkdownCache>,
    keep_texts: bool,
) -> (Archive, Vec<Diagnostic>) {
    let mut problems = content.problems;
    let broken = unreadable_registries(&problems);
    let texts = &content.registry_texts;
    // The registries' problems follow those of reading the records, as in `validate`.
    let mut registry_problems = Vec::new();
    let mut v = Validator {
        problems: &mut registry_problems,
        texts,
    };
    let mut agencies = v.agencies(&content.agencies, config);
    let topics = v.topics(&content.topics, config);
    let sessions = v.sessions(&content.sessions);
    let agency_ids = index_of(agencies.iter().map(|a| a.id.as_str()));
    let topic_ids = index_of(topics.iter().map(|t| t.id.as_str()));
    let session_ids = index_of(sessions.iter().map(|s| s.id.as_str()));
    let refs = Refs {
        agencies: &agency_ids,
        topics: &topic_ids,
        sessions: &session_ids,
        broken: &broken,
    };

    let kept = cache.as_deref().map(|c| &c.by_file);
    let keep = Keep {
        texts: keep_texts,
        cache: cache.is_some(),
    };
    let (sources, mut checked, mut found, rendered): CheckedFiles = match records {
        Records::Read(mut sources) => {
            problems.append(&mut registry_problems);
            sources.sort_by(|a, b| a.file.cmp(&b.file));
            // Unzipped in parallel straight into their vectors: the records are moved once
            // more only to drop duplicates, in place (a serial loop pushing each record into
            // a new vector was most of the serial part of validating 100,000 records).
            let (checked, (found, rendered)) = sources
                .par_iter_mut()
                .map(|src| {
                    let cached = kept.and_then(|k| k.get(&src.file));
                    let ((record, found), rendered) =
                        check_record(src, &refs, config, cached, keep);
                    src.keep_front_matter_only();
                    (record, (found, rendered))
                })
                .unzip();
            (sources, checked, found, rendered)
        }
        Records::Files(mut paths) => {
            // Sorted before reading, so that nothing large is moved to sort it after.
            paths.sort_by(|a, b| a.1.cmp(&b.1));
            let max_bytes = load::max_file_bytes(config);
            let (sources, read): (Vec<Option<RecordSource>>, Vec<_>) = paths
                .par_iter()
                .map(|(path, rel)| {
                    let (src, found) = load::read_record(path, rel, max_bytes);
                    match src {
                        Some(mut src) => {
                            let cached = kept.and_then(|k| k.get(&src.file));
                            let checked = check_record(&src, &refs, config, cached, keep);
                            src.keep_front_matter_only();
                            (Some(src), (Some(checked), found))
                        }
                        None => (None, (None, found)),
                    }
                })
                .unzip();
            let n = read.len();
            let (mut checked, mut found, mut rendered) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for (record, mut read_problems) in read {
                problems.append(&mut read_problems);
                if let Some(((record, record_problems), texts)) = record {
                    checked.push(record);
                    found.push(record_problems);
                    rendered.push(texts);
                }
            }
            problems.append(&mut registry_problems);
            // `filter_map` collects in place (`flatten` would copy every record).
            #[allow(clippy::filter_map_identity)]
            let sources = sources.into_iter().filter_map(|s| s).collect();
            (sources, checked, found, rendered)
        }
    };
    let mut texts = HashMap::with_capacity(if keep.cache { sources.len() } else { 0 });
    // Each id's first record, by its file's place in `sources` (keyed by the id as read,
    // which a record's id is a copy of: no second copy per record).
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(sources.len());
    for (k, (((record, found), rendered), src)) in checked
        .iter_mut()
        .zip(&mut found)
        .zip(rendered)
        .zip(&sources)
        .enumerate()
    {
        if keep.cache {
            texts.insert(src.file.clone(), rendered);
        }
        // A record is made only from a file whose id was read (`check_record`).
        if let (Some(r), Some(read_id)) = (&*record, src.id.as_ref().map(|i| i.value.as_str())) {
            if let Some(&first) = seen.get(read_id) {
                let id = src.id.as_ref().map_or(src.head.clone(), |i| i.span.clone());
                found.push(
                    Diagnostic::at_span(
                        Severity::Error,
                        "E0230",
                        &src.file,
                        &src.text,
                        id,
                        format!(
                            "duplicate id {:?}: {} has it too",
                            r.id, sources[first].file
                        ),
                    )
                    .with_help("every record needs its own id; its URL is built from it"),
                );
                *record = None;
            } else {
                seen.insert(read_id, k);
            }
        }
        problems.append(found);
    }
    drop(seen);
    // `filter_map` collects in place: the kept records are not copied to new memory.
    #[allow(clippy::filter_map_identity)]
    let mut records: Vec<Record> = checked.into_iter().filter_map(|r| r).collect();
    if let Some(c) = cache {
        c.by_file = texts;
    }
    check_aliases(&records, &sources, config, &mut problems);
    // What is left of the files (their front matter), freed on both cores.
    sources.into_par_iter().for_each(drop);

    // Stable, as `sort_by`, on both cores.
    records.par_sort_by(|a, b| b.asked.cmp(&a.asked).then_with(|| b.id.cmp(&a.id)));
    let mut topics = topics;
    let mut sessions = sessions;
    let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        // Listed by every agency that took part in its thread.
        for &a in &r.participants {
            agencies[a].records.push(i);
        }
        for &t in &r.topics {
            topics[t].records.push(i);
        }
        if let Some(s) = r.session {
            sessions[s].records.push(i);
        }
        match (years.last_mut(), r.year()) {
            (_, None) => {}
            (Some((y, list)), Some(year)) if *y == year => list.push(i),
            (_, Some(year)) => years.push((year, vec![i])),
        }
    }
    crate::diagnostics::sort(&mut problems);
    let archive = Archive {
        records,
        agencies,
        topics,
        sessions,
        years,
        abbreviations: content.abbreviations,
    };
    (archive, problems)
}

struct Refs<'a> {
    agencies: &'a HashMap<String, usize>,
    topics: &'a HashMap<String, usize>,
    sessions: &'a HashMap<String, usize>,
    /// Registries that could not be read: references to them are not reported as unknown.
    broken: &'a [&'static str],
}

/// A registry that could not be read would make every reference to it look unknown.
fn unreadable_registries(problems: &[Diagnostic]) -> Vec<&'static str> {
    [registry::AGENCIES, registry::TOPICS, registry::SESSIONS]
        .into_iter()
        .filter(|file| {
            problems
                .iter()
                .any(|d| d.file == *file && matches!(d.code, "E0002" | "E0003" | "E0301"))
        })
        .collect()
}

fn index_of<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.to_string(), i)).collect()
}

struct Validator<'a> {
    problems: &'a mut Vec<Diagnostic>,
    texts: &'a HashMap<String, String>,
}

impl Validator<'_> {
    fn error(
        &mut self,
        code: &'static str,
        file: &str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let text = self.texts.get(file).map_or("", String::as_str);
        self.problems.push(Diagnostic::at_span(
            Severity::Error,
            code,
            file,
            text,
            span,
            message,
        ));
        self.problems.last_mut().expect("just pushed")
    }

    /// Drops entries whose id was already used, reporting where.
    fn unique<'e, T>(
        &mut self,
        file: &str,
        entries: &'e [T],
        id: impl Fn(&T) -> &Located<String>,
    ) -> Vec<&'e T> {
        let mut seen: HashMap<&str, &Located<String>> = HashMap::new();
        let mut out = Vec::new();
        for e in entries {
            let this = id(e);
            if let Some(first) = seen.get(this.value.as_str()) {
                let (line, _) = crate::diagnostics::line_column(
                    self.texts.get(file).map_or("", String::as_str),
                    first.span.start,
                );
                self.error(
                    "E0302",
                    file,
                    this.span.clone(),
                    format!(
                        "duplicate id {:?}; it is first used on line {line}",
                        this.value
                    ),
                );
            } else {
                seen.insert(&this.value, this);
                out.push(e);
            }
        }
        out
    }

    fn agencies(&mut self, sources: &[registry::AgencySource], config: &SiteConfig) -> Vec<Agency> {
        let file = registry::AGENCIES;
        let mut list = self.unique(file, sources, |a| &a.id);
        list.sort_by(|a, b| {
            collate::compare(&a.name, &b.name, config.language)
                .then_with(|| a.id.value.cmp(&b.id.value))
        });
        let ids = index_of(list.iter().map(|a| a.id.value.as_str()));
        let mut agencies: Vec<Agency> = list
            .iter()
            .map(|a| Agency {
                id: a.id.value.clone(),
                name: a.name.clone(),
                short_name: a.short_name.clone(),
                parent: None,
                children: Vec::new(),
                url: a.url.clone(),
                description: a.description.clone(),
                records: Vec::new(),
            })
            .collect();
        for (i, a) in list.iter().enumerate() {
            let Some(parent) = &a.parent else { continue };
            match ids.get(&parent.value) {
                Some(&p) if p == i => {
                    self.error(
                        "E0304",
                        file,
                        parent.span.clone(),
                        format!("agency {:?} is its own parent", a.id.value),
                    );
                }
                Some(&p) => agencies[i].parent = Some(p),
                None => {
                    let help = closest(&parent.value, ids.keys().map(String::as_str))
                        .map(|c| format!("did you mean `{c}`?"));
                    self.error(
                        "E0303",
                        file,
                        parent.span.clone(),
                        format!("unknown parent agency {:?}", parent.value),
                    )
                    .help = help;
                }
            }
        }
        self.break_cycles(&mut agencies, &list);
        for i in 0..agencies.len() {
            if let Some(p) = agencies[i].parent {
                agencies[p].children.push(i);
            }
        }
        agencies
    }

    /// Reports and cuts `parent` chains that loop, so later stages can walk them safely.
    fn break_cycles(&mut self, agencies: &mut [Agency], list: &[&registry::AgencySource]) {
        for start in 0..agencies.len() {
            let mut seen = vec![start];
            let mut at = start;
            while let Some(p) = agencies[at].parent {
                if p == start {
                    let names: Vec<&str> = seen.iter().map(|&i| agencies[i].id.as_str()).collect();
                    let span = list[start].parent.as_ref().map_or(0..1, |p| p.span.clone());
                    self.error(
                        "E0304",
                        registry::AGENCIES,
                        span,
                        format!(
                            "agency parents form a cycle: {} → {}",
                            names.join(" → "),
                            agencies[start].id
                        ),
                    );
                    agencies[start].parent = None;
                    break;
                }
                if seen.contains(&p) {
                    break;
                }
                seen.push(p);
                at = p;
            }
        }
    }

    fn topics(&mut self, sources: &[registry::TopicSource], config: &SiteConfig) -> Vec<Topic> {
        let mut list = self.unique(registry::TOPICS, sources, |t| &t.id);
        list.sort_by(|a, b| {
            collate::compare(&a.name, &b.name, config.language)
                .then_with(|| a.id.value.cmp(&b.id.value))
        });
        list.iter()
            .map(|t| Topic {
                id: t.id.value.clone(),
                name: t.name.clone(),
                description: t.description.clone(),
                records: Vec::new(),
            })
            .collect()
    }

    fn sessions(&mut self, sources: &[registry::SessionSource]) -> Vec<Session> {
        let mut list = self.unique(registry::SESSIONS, sources, |s| &s.id);
        list.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.id.value.cmp(&b.id.value))
        });
        list.iter()
            .map(|s| Session {
                id: s.id.value.clone(),
                title: s.title.clone(),
                date: s.date,
                channel: s.channel.clone(),
                description: s.description.clone(),
                records: Vec::new(),
            })
            .collect()
    }
}

/// Checks one record file against the registries of a valid archive, exactly as [`validate`]
/// checks it, for an edit that leaves every other record as it was (the live preview). The
/// checks that span records (duplicate ids, aliases) are the caller's: they hold as long as
/// the record keeps its id and aliases.
pub fn check_one(
    src: &RecordSource,
    archive: &Archive,
    config: &SiteConfig,
) -> (Option<Record>, Vec<Diagnostic>) {
    let agencies = index_of(archive.agencies.iter().map(|a| a.id.as_str()));
    let topics = index_of(archive.topics.iter().map(|t| t.id.as_str()));
    let sessions = index_of(archive.sessions.iter().map(|s| s.id.as_str()));
    let refs = Refs {
        agencies: &agencies,
        topics: &topics,
        sessions: &sessions,
        broken: &[],
    };
    let keep = Keep {
        texts: true,
        cache: false,
    };
    check_record(src, &refs, config, None, keep).0
}

/// What checking a record keeps of its rendered texts.
#[derive(Debug, Clone, Copy)]
struct Keep {
    /// In the record (else its texts are left empty).
    texts: bool,
    /// For a [`MarkdownCache`].
    cache: bool,
}

type Checked = (Option<Record>, Vec<Diagnostic>);

/// The records' files in order, with what checking each found: the record, its problems and
/// its rendered texts, one vector each, aligned with the files (each filled in parallel).
type CheckedFiles = (
    Vec<RecordSource>,
    Vec<Option<Record>>,
    Vec<Vec<Diagnostic>>,
    Vec<FileTexts>,
);

/// Checks one record on its own and against the registries, and renders its Markdown (or
/// takes it from `cached` when the text is the same). Returns the texts rendered too.
fn check_record(
    src: &RecordSource,
    refs: &Refs,
    config: &SiteConfig,
    cached: Option<&FileTexts>,
    keep: Keep,
) -> (Checked, FileTexts) {
    let mut c = RecordCheck {
        src,
        broken: refs.broken,
        problems: Vec::new(),
        keep,
    };
    let mut texts = FileTexts::default();
    let agency = c.reference(
        &src.agency,
        refs.agencies,
        "E0231",
        "agency",
        "agencies.yaml",
    );
    let session = c.reference(
        &src.session,
        refs.sessions,
        "E0233",
        "session",
        "sessions.yaml",
    );
    let topics: Vec<usize> = src
        .topics
        .iter()
        .filter_map(|t| {
            c.reference(
                &Some(t.clone()),
                refs.topics,
                "E0232",
                "topic",
                "topics.yaml",
            )
        })
        .collect();
    if src.topics.is_empty() && !src.unreadable.contains(&"topics") {
        c.error(
            "E0234",
            src.topics_span.clone(),
            "a record needs at least one topic in `topics`".into(),
        );
    }
    let (question, blank) = c.render(
        src.question.clone(),
        config.trust_html,
        cached.and_then(|t| t.question.as_ref()),
        &mut texts.question,
    );
    if blank {
        c.error(
            "E0247",
            src.head.clone(),
            "the question is empty: write it after the front matter".into(),
        );
    }
    let thread = c.thread(src, refs, agency, config, cached, &mut texts);
    c.placeholders();
    c.problems.extend(super::privacy::check(src));
    let has_agency = agency.is_some() || thread.entries.iter().any(|e| e.agency.is_some());
    let status = c.status(&thread, has_agency);
    let days_to_answer = match (src.asked_day(), thread.answered) {
        (Some(asked), Some(answered)) => Some((answered - asked.value).get_days()),
        _ => None,
    };
    if let (Some(asked), Some(answered), Some(days)) =
        (src.asked_day(), src.answered_day(), days_to_answer)
        && days < 0
        && thread.answered == Some(answered.value)
    {
        c.error(
            "E0244",
            answered.span.clone(),
            format!(
                "answered on {} before it was asked on {}",
                answered.value, asked.value
            ),
        );
    }
    if let Some(s) = &src.source
        && !(s.value.starts_with("https://") || s.value.starts_with("http://"))
    {
        c.warning(
            "W0251",
            s.span.clone(),
            format!(
                "`source` should be an absolute http(s) URL, found {:?}",
                s.value
            ),
        );
    }
    let (Some(id), Some(title), Some(asked)) = (&src.id, &src.title, &src.asked) else {
        return ((None, c.problems), texts);
    };
    let record = Record {
        id: id.value.clone(),
        title: title.value.clone(),
        asked: asked.value,
        asker: src.asker.clone(),
        agency,
        topics,
        session,
        channel: src.channel.clone(),
        status,
        answered: thread.answered,
        answered_by: thread.answered_by,
        source: src.source.as_ref().map(|s| s.value.clone()),
        aliases: src
            .aliases
            .iter()
            .map(|a| crate::urls::alias_path(&a.value, config.base_path()))
            .collect(),
        question,
        answer: thread.answer,
        file: src.file.clone(),
        days_to_answer: days_to_answer.filter(|d| *d >= 0),
        participants: thread::participants(agency, &thread.entries),
        entries: thread.entries,
    };
    ((Some(record), c.problems), texts)
}

/// Searchers for the placeholders, made once: making one per text cost more than searching.
static PLACEHOLDER_FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| {
        crate::scaffold::record::PLACEHOLDERS
            .iter()
            .map(|p| memchr::memmem::Finder::new(p.as_bytes()))
            .collect()
    });

struct RecordCheck<'a> {
    src: &'a RecordSource,
    broken: &'a [&'static str],
    problems: Vec<Diagnostic>,
    keep: Keep,
}

impl RecordCheck<'_> {
    fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        self.problems.push(Diagnostic::at_span(
            Severity::Error,
            code,
            &self.src.file,
            &self.src.text,
            span,
            message,
        ));
        self.problems.last_mut().expect("just pushed")
    }

    /// W0249: the line `hoidap new` writes in place of the question, still in the question or
    /// the answer.
    fn placeholders(&mut self) {
        let src = self.src;
        // The question and every entry of the thread.
        let bodies = src.entries.iter().map(|e| &e.body);
        for range in std::iter::once(&src.question).chain(bodies) {
            let Some(text) = src.text.get(range.clone()) else {
                continue;
            };
            for (placeholder, finder) in crate::scaffold::record::PLACEHOLDERS
                .iter()
                .zip(PLACEHOLDER_FINDERS.iter())
            {
                for at in finder.find_iter(text.as_bytes()) {
                    let start = range.start + at;
                    self.problems.push(
                        Diagnostic::at_span(
                            Severity::Warning,
                            "W0249",
                            &src.file,
                            &src.text,
                            start..start + placeholder.len(),
                            "the placeholder `hoidap new` wrote is still here, and would be published"
                                .into(),
                        )
                        .with_help("replace this line with the question as it was asked"),
                    );
                }
            }
        }
    }

    fn warning(&mut self, code: &'static str, span: Range<usize>, message: String) {
        self.problems.push(Diagnostic::at_span(
            Severity::Warning,
            code,
            &self.src.file,
            &self.src.text,
            span,
            message,
        ));
    }

    fn reference(
        &mut self,
        field: &Option<Located<String>>,
        known: &HashMap<String, usize>,
        code: &'static str,
        what: &str,
        registry: &str,
    ) -> Option<usize> {
        let field = field.as_ref()?;
        if let Some(&i) = known.get(&field.value) {
            return Some(i);
        }
        if self.broken.iter().any(|b| b.ends_with(registry)) {
            return None;
        }
        let help = match closest(&field.value, known.keys().map(String::as_str)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("add it to content/{registry} or use one of its ids"),
        };
        self.error(
            code,
            field.span.clone(),
            format!("unknown {what} {:?}", field.value),
        )
        .help = Some(help);
        None
    }

    /// Renders a text, or takes it from `cached` when it is the same; `keep` receives it for
    /// the cache. Returns the text and whether it is blank.
    fn render(
        &mut self,
        range: Range<usize>,
        trust_html: bool,
        cached: Option<&Cached>,
        keep: &mut Option<Cached>,
    ) -> (Text, bool) {
        let md = &self.src.text[range.clone()];
        // Hashing the text costs as much as reading it: only when a cache is in use.
        let key = (cached.is_some() || self.keep.cache).then(|| text_key(md, trust_html));
        let r = match cached {
            Some(c) if Some(c.key) == key => c.rendered.clone(),
            // Only the problems are wanted: no HTML.
            _ if !self.keep.texts && !self.keep.cache => {
                markdown::render_unpublished(md, trust_html)
            }
            _ => markdown::render(md, trust_html),
        };
        for removed in &r.removed {
            let span = range.start + removed.start..range.start + removed.end;
            self.warning("W0260", span, "unsafe HTML removed: scripts, event handlers, styles and javascript: links are not published".into());
        }
        let blank = r.plain.trim().is_empty();
        if !self.keep.texts {
            return (Text::default(), blank);
        }
        let markdown = md.trim().to_string();
        let Some(key) = key.filter(|_| self.keep.cache) else {
            let text = Text {
                markdown,
                html: r.html,
                plain: r.plain,
            };
            return (text, blank);
        };
        let text = Text {
            markdown,
            html: r.html.clone(),
            plain: r.plain.clone(),
        };
        *keep = Some(Cached { key, rendered: r });
        (text, blank)
    }

    /// The record's status: as written, checked against the thread and dates, or derived.
    fn status(&mut self, t: &Thread, has_agency: bool) -> Status {
        let src = self.src;
        let has_answer = t.answer.is_some();
        let at = src
            .status
            .as_ref()
            .map_or(src.head.clone(), |s| s.span.clone());
        if t.is_thread {
            return self.thread_status(t, has_agency, at);
        }
        self.answered_agrees(t);
        let status = match &src.status {
            Some(s) => s.value,
            None if has_answer => Status::Answered,
            None => Status::Pending,
        };
        match status {
            Status::Answered if !has_answer => {
                self.error(
                    "E0240",
                    at.clone(),
                    "status is `answered` but the record has no answer".into(),
                )
                .help = Some(
                    "add a line `<!-- answer -->` followed by the answer, or set `status: pending`"
                        .into(),
                );
            }
            Status::Pending if has_answer => {
                let m = t.first_marker.clone().unwrap_or(at.clone());
                self.error(
                    "E0241",
                    m,
                    "status is `pending` but the record has an answer".into(),
                )
                .help =
                    Some("set `status: answered` (and `answered:`), or remove the answer".into());
            }
            Status::Forwarded | Status::Declined if !has_answer => {
                self.warning(
                    "W0242",
                    at.clone(),
                    format!(
                        "a {} record should say why, after a line `<!-- answer -->`",
                        status.as_str()
                    ),
                );
            }
            _ => {}
        }
        if status.has_reply() {
            if t.answered.is_none()
                && src.answered.is_none()
                && !src.unreadable.contains(&"answered")
            {
                self.error(
                    "E0243",
                    at.clone(),
                    format!(
                        "a record with status `{}` needs an `answered` date",
                        status.as_str()
                    ),
                );
            }
            if !has_agency && src.agency.is_none() && !src.unreadable.contains(&"agency") {
                self.error(
                    "E0246",
                    at,
                    format!(
                        "a record with status `{}` needs the `agency` that answered",
                        status.as_str()
                    ),
                );
            }
        } else if let Some(a) = &src.answered {
            self.warning(
                "W0245",
                a.span.clone(),
                "a pending record has an `answered` date; it is ignored".into(),
            );
        }
        status
    }
}

/// Whether the build writes a file at this path itself.
fn is_generated(file_path: &str) -> bool {
    const FOLDERS: [&str; 10] = [
        "records/",
        "agencies/",
        "topics/",
        "sessions/",
        "years/",
        "search/",
        "stats/",
        "data/",
        "feeds/",
        "static/",
    ];
    const FILES: [&str; 4] = ["index.html", "404.html", "sitemap.xml", "robots.txt"];
    let numbered_sitemap = file_path
        .strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    FOLDERS.iter().any(|f| file_path.starts_with(f))
        || FILES.contains(&file_path)
        || numbered_sitemap
}

/// Aliases must not collide with each other or with a page the site generates.
fn check_aliases(
    records: &[Record],
    sources: &[RecordSource],
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) {
    // Only the files that give aliases: most give none.
    let by_file: HashMap<&str, &RecordSource> = sources
        .iter()
        .filter(|s| !s.aliases.is_empty())
        .map(|s| (s.file.as_str(), s))
        .collect();
    if by_file.is_empty() {
        return;
    }
    let mut owners: HashMap<String, &str> = HashMap::new();
    for r in records {
        let Some(src) = by_file.get(r.file.as_str()) else {
            continue;
        };
        for alias in &src.aliases {
            let path = crate::urls::alias_path(&alias.value, config.base_path());
            let file_path = crate::urls::file_for(&path);
            let message = if path.is_empty() || path.contains("..") || path.contains("://") {
                Some(format!(
                    "alias {:?} must be a path on this site, such as /hoi-dap/cu/123.html",
                    alias.value
                ))
            } else if let Some(other) = owners.get(&file_path) {
                Some(format!(
                    "alias {:?} is also an alias of record {other:?}",
                    alias.value
                ))
            } else if is_generated(&file_path) {
                Some(format!(
                    "alias {:?} collides with a page the site generates",
                    alias.value
                ))
            } else {
                None
            };
            match message {
                Some(m) => problems.push(Diagnostic::at_span(
                    Severity::Error,
                    "E0250",
                    &src.file,
                    &src.text,
                    alias.span.clone(),
                    m,
                )),
                None => {
                    owners.insert(file_path, &r.id);
                }
            }
        }
    }
}

#[cfg(test)]
mod alias_tests {
    use super::is_generated;

    #[test]
    fn generated_paths() {
        for p in [
            "robots.txt",
            "sitemap.xml",
            "sitemap-3.xml",
            "records/a/index.html",
            "index.html",
        ] {
            assert!(is_generated(p), "{p}");
        }
        for p in ["cu/1.html", "sitemap-a.xml", "hoi-dap/index.html"] {
            assert!(!is_generated(p), "{p}");
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::load;
    use std::path::Path;

    #[test]
    fn the_markdown_cache_reuses_only_the_same_text() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = SiteConfig::load(root).unwrap();
        let json = |a: &Archive| serde_json::to_string(a).unwrap();
        let (plain, problems) = validate(load::load(root, &config), &config);
        let mut cache = MarkdownCache::default();
        let (first, p1) = validate_cached(load::load(root, &config), &config, Some(&mut cache));
        assert_eq!((json(&first), &p1), (json(&plain), &problems));
        assert_eq!(cache.len(), first.records.len());

        // An entry for the same text is taken as it is: marked, it shows.
        let file = first.records[0].file.clone();
        let entry = cache.by_file.get_mut(&file).unwrap();
        entry.question.as_mut().unwrap().rendered.html = "<p>kept</p>".into();
        let (second, p2) = validate_cached(load::load(root, &config), &config, Some(&mut cache));
        assert_eq!(second.records[0].question.html, "<p>kept</p>");
        assert_eq!(p2, problems);

        // A changed text is rendered again, whatever its file's date.
        let mut content = load::load(root, &config);
        let src = content.records.iter_mut().find(|r| r.file == file).unwrap();
        let body = src.text.match_indices("---\n").nth(1).unwrap().0 + 4;
        let text = format!("{}Xin chào. {}", &src.text[..body], &src.text[body..]);
        *src = load::record::read(&file, text).0.unwrap();
        let (third, _) = validate_cached(content, &config, Some(&mut cache));
        let html = &third.records[0].question.html;
        assert!(html.starts_with("<p>Xin chào. "), "{html}");
        assert_eq!(cache.len(), third.records.len());
    }
}

#[cfg(test)]
mod problems_only_tests {
    use super::*;
    use crate::load;
    use std::path::Path;

    /// `check`'s lean validation finds exactly what the full one finds, and keeps no texts.
    #[test]
    fn validate_problems_matches_validate() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        for root in [here.to_path_buf(), here.join("tests/fixtures/bad/many")] {
            let config = SiteConfig::load(&root).unwrap();
            let (full, expected) = validate(load::load(&root, &config), &config);
            let (lean, found) = validate_problems(load::load(&root, &config), &config);
            assert!(
                !expected.is_empty() || root == here,
                "{root:?} has problems to find"
            );
            assert_eq!(found, expected, "{root:?}");
            let ids = |a: &Archive| a.records.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&lean), ids(&full));
            assert!(full.records.iter().any(|r| !r.question.html.is_empty()));
            assert!(lean.records.iter().all(|r| r.question.html.is_empty()));
        }
    }

    /// Checking each record as it is read finds what loading everything then validating
    /// finds, in the same order, and builds the same archive, on every bad-content fixture.
    #[test]
    fn load_and_validate_matches_load_then_validate() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![here.to_path_buf()];
        for entry in std::fs::read_dir(here.join("tests/fixtures/bad")).unwrap() {
            let path = entry.unwrap().path();
            if path.join("site.toml").is_file() {
                roots.push(path);
            }
        }
        assert!(roots.len() > 10, "{roots:?}");
        for root in roots {
            let Ok(config) = SiteConfig::load(&root) else {
                continue;
            };
            for keep_texts in [true, false] {
                let content = load::load(&root, &config);
                let (expected, expected_problems) = if keep_texts {
                    validate(content, &config)
                } else {
                    validate_problems(content, &config)
                };
                let (found, problems) = load_and_validate(&root, &config, keep_texts);
                assert_eq!(problems, expected_problems, "{root:?}");
                assert_eq!(
                    format!("{:?}", found.records),
                    format!("{:?}", expected.records),
                    "{root:?}"
                );
                assert_eq!(found.years, expected.years, "{root:?}");
            }
        }
    }
}

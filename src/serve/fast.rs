//! The preview's fast path: when saved record files change only texts (not where a record is
//! listed, nor any count), check just those files, patch the kept site, and re-render in place
//! the pages and feeds that show them.
//!
//! What it leaves as of the last full build, because only a text changed and refreshing them
//! costs time in proportion to the whole archive: the static search index, the open-data
//! exports, the tantivy index behind `search/?q=`, and which records each record lists as
//! related (the pages that list an edited record are rendered again, with its new title). The
//! sitemap and the statistics depend on no text a fast edit may change.

use super::workspace::Workspace;
use crate::build::{Rendering, Site};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::{Record, RecordIdx};
use crate::publish::{Output, feeds};
use crate::render::Renderer;
use crate::render::pages::{self, Selection};
use crate::{Error, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// What the last full build's pages were rendered with, kept so that an edit re-renders a few
/// pages without parsing the templates or computing the statistics again.
pub struct Kept {
    /// Templates, shared values, the site's settings with the preview's address as
    /// `base_url`, and the statistics.
    rendering: Rendering,
    /// Archive position of each record file (a fast edit moves no record).
    positions: HashMap<String, RecordIdx>,
}

impl Kept {
    /// Keeps what the build of `site` for the preview rendered it with.
    pub fn new(site: &Site, rendering: Rendering) -> Kept {
        let positions = site
            .archive
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.file.clone(), i))
            .collect();
        Kept {
            rendering,
            positions,
        }
    }
}

/// An edit the fast path can show: the new records and the pages that show them.
pub struct Plan {
    edits: Vec<(RecordIdx, Record)>,
    selection: Selection,
    /// Every problem of the content after the edit (warnings only).
    pub problems: Vec<Diagnostic>,
}

impl Plan {
    pub fn records(&self) -> usize {
        self.edits.len()
    }
}

/// Why a change cannot take the fast path.
#[derive(Debug)]
pub enum Fallback {
    /// The changed files have errors, and only they do: every problem of the content, to
    /// report while the served pages stay as they are.
    Errors(Vec<Diagnostic>),
    /// The whole site must be checked and built again, for this reason.
    Rebuild(&'static str),
}

/// Checks the changed record files against the kept site, whose problems were `problems`.
pub fn plan(
    workspace: &Workspace,
    site: &Site,
    kept: &Kept,
    changed: &BTreeSet<String>,
    problems: &[Diagnostic],
) -> std::result::Result<Plan, Fallback> {
    let mut edits = Vec::with_capacity(changed.len());
    let mut found = Vec::new();
    for file in changed {
        let (Some((src, loaded)), Some(&i)) = (workspace.record(file), kept.positions.get(file))
        else {
            return Err(Fallback::Rebuild("a record file was added or removed"));
        };
        let old = &site.archive.records[i];
        let (record, checked) = match src {
            Some(src) => crate::model::check_one(src, &site.archive, &site.config),
            None => (None, Vec::new()),
        };
        found.extend(loaded.iter().cloned());
        found.extend(checked);
        match record {
            // Other records' problems (duplicate ids, aliases) depend on these two.
            Some(r) if r.id != old.id || r.aliases != old.aliases => {
                return Err(Fallback::Rebuild("a record's id or aliases changed"));
            }
            Some(r) => edits.push((i, r)),
            None if found.iter().any(Diagnostic::is_error) => {}
            None => return Err(Fallback::Rebuild("a record could not be read")),
        }
    }
    let errors = found.iter().any(Diagnostic::is_error);
    let mut all: Vec<Diagnostic> = problems
        .iter()
        .filter(|d| !changed.contains(&d.file))
        .cloned()
        .chain(found)
        .collect();
    crate::diagnostics::sort(&mut all);
    if errors {
        return Err(Fallback::Errors(all));
    }
    let shown: Vec<(RecordIdx, &Record)> = edits.iter().map(|(i, r)| (*i, r)).collect();
    let Some(mut selection) =
        Selection::for_edits(&site.archive, &shown, kept.rendering.config.paginate)
    else {
        return Err(Fallback::Rebuild(
            "a record moved between lists or changed a count",
        ));
    };
    // The pages that list an edited record among their related questions show its title.
    let edited: Vec<RecordIdx> = edits.iter().map(|(i, _)| *i).collect();
    selection
        .records
        .extend(kept.rendering.related.listing(&edited));
    Ok(Plan {
        edits,
        selection,
        problems: all,
    })
}

/// Puts the edited records into `site`, then re-renders into the served folder `dir` the
/// selected pages and the feeds that list an edited record. Returns the files written.
pub fn apply(plan: Plan, site: &mut Site, kept: &mut Kept, dir: &Path) -> Result<usize> {
    for (i, record) in plan.edits.iter().cloned() {
        if let Some(slot) = site.archive.records.get_mut(i) {
            *slot = record;
        }
    }
    let out = Output::in_place(dir).map_err(|e| Error::io(dir, e))?;
    // The renderer owns what it renders with; it is lent out of `kept` and given back.
    let kept = &mut kept.rendering;
    let renderer = Renderer {
        tera: std::mem::take(&mut kept.tera),
        archive: &site.archive,
        config: &kept.config,
        stats: &kept.stats,
        t: std::mem::take(&mut kept.t),
        shared: std::mem::take(&mut kept.shared),
        related: std::mem::take(&mut kept.related),
        // A few pages: each summary made on the spot, from the edited records.
        summaries: Default::default(),
    };
    let rendered = crate::build::timed("fast: pages", || {
        pages::render(&renderer, &out, &plan.selection)
    });
    let Renderer {
        tera,
        t,
        shared,
        related,
        ..
    } = renderer;
    (kept.tera, kept.t, kept.shared, kept.related) = (tera, t, shared, related);
    let edited: Vec<RecordIdx> = plan.edits.iter().map(|(i, _)| *i).collect();
    let feeds = crate::build::timed("fast: feeds", || {
        write_feeds(site, &kept.config, &edited, &out)
    })?;
    Ok(rendered?.len() + feeds)
}

/// Rewrites the feeds whose entries include an edited record; returns how many.
fn write_feeds(
    site: &Site,
    config: &SiteConfig,
    edited: &[RecordIdx],
    out: &Output,
) -> Result<usize> {
    let a = &site.archive;
    let all: Vec<RecordIdx> = (0..a.records.len()).collect();
    let mut lists: BTreeMap<String, (feeds::FeedLink, &[RecordIdx])> = BTreeMap::new();
    let mut add = |link: feeds::FeedLink, list| {
        lists.entry(link.path.clone()).or_insert((link, list));
    };
    for &i in edited {
        let r = &a.records[i];
        add(feeds::site(config), &all);
        // Every agency that took part in its thread lists it.
        for &ag in &r.participants {
            add(feeds::agency(a, ag, config), &a.agencies[ag].records);
        }
        for &t in &r.topics {
            add(feeds::topic(a, t, config), &a.topics[t].records);
        }
        if let Some(s) = r.session {
            add(feeds::session(a, s, config), &a.sessions[s].records);
        }
    }
    let mut written = 0;
    for (link, list) in lists.values() {
        let shown = feeds::latest(a, list, feeds::LIMIT);
        if !edited.iter().any(|i| shown.contains(i)) {
            continue;
        }
        let text = feeds::render_entries(a, config, link, list, &shown);
        out.write(&link.path, text.as_bytes())
            .map_err(|e| Error::io(&link.path, e))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text edit of a record rewrites the feed of every agency that took part in its thread,
    /// not only its own agency's.
    #[test]
    fn feeds_of_every_agency_of_a_thread_are_rewritten() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/threads");
        let site = crate::build::load_site(&root).unwrap();
        let i = site
            .archive
            .records
            .iter()
            .position(|r| r.id == "2019-0001")
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = Output::in_place(dir.path()).unwrap();
        let written = write_feeds(&site, &site.config, &[i], &out).unwrap();
        for feed in [
            "feeds/atom.xml",
            "feeds/agencies/van-phong.xml",
            "feeds/agencies/so-xay-dung.xml",
            "feeds/agencies/so-tai-nguyen.xml",
            "feeds/topics/xay-dung.xml",
        ] {
            assert!(dir.path().join(feed).is_file(), "{feed}");
        }
        assert_eq!(written, 5);
    }
}

//! The live preview behind `hoidap serve`: build into `.hoidap/serve/`, serve it on
//! 127.0.0.1 only, watch the site, rebuild on every change and reload open pages.
//!
//! A change re-reads only the record files it touched. When it changes only texts, just the
//! pages that show them are rendered again, in place (see `fast`); anything else (a record
//! moving between lists, a count, a registry, a template, `site.toml`) builds the whole site
//! again beside the served one and swaps it in.
//!
//! Content errors never stop the server: the last good build stays served, with a box
//! listing the problems on every page, until the files are fixed.

mod fast;
mod http;
pub mod inject;
pub mod workspace;

use crate::build::{self, BuildOptions, Site};
use crate::diagnostics::Diagnostic;
use crate::render::theme;
use crate::{Error, Result};
use axum::response::IntoResponse;
use http::{Shared, View};
use inject::HitFacts;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use workspace::{Changes, Read, Workspace};

pub use http::{Resolved, resolve};

/// Where the preview is built, inside the site (ignored by git through `.hoidap/`).
pub const SERVE_DIR: &str = ".hoidap/serve";

/// Folders whose changes rebuild the preview (besides `site.toml`).
const WATCHED: [&str; 5] = ["content", "templates", "static", "i18n", "themes"];

/// How long a burst of file events may last before it is rebuilt as one change: an editor's
/// save (write, or write beside and rename) takes a few milliseconds; a fast rebuild, tens.
const DEBOUNCE: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
}

/// What the preview tells the person running it.
#[derive(Debug)]
pub enum Event<'a> {
    /// Serving at this address.
    Listening { url: &'a str },
    /// Problems found by a rebuild (errors and warnings), for the terminal.
    Problems { problems: &'a [Diagnostic] },
    /// A rebuild is being served.
    Built {
        /// Files written: every page of a full build; pages and feeds of a fast one.
        pages: usize,
        records: usize,
        /// Record files read from disk for this build.
        reread: usize,
        /// Reading and checking the content.
        checked: Duration,
        /// From the change to the new build being served.
        elapsed: Duration,
        redone: Redone,
    },
    /// The content has errors: the last good build stays served.
    Kept { errors: usize },
    /// Something other than the content failed (a template, the disk, the watcher).
    Failed { message: String },
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redone {
    /// Every page, built beside the served folder and swapped in; why.
    Everything { why: &'static str },
    /// Only the pages and feeds that show these many changed records, written in place.
    Pages { records: usize },
}

/// Receives [`Event`]s; called from the watcher thread too.
pub type Reporter = Arc<dyn Fn(Event) + Send + Sync>;

/// Builds, serves and watches until interrupted (Ctrl-C).
pub fn run(options: &ServeOptions, report: Reporter) -> Result<()> {
    let root = std::fs::canonicalize(&options.root).map_err(|e| Error::io(&options.root, e))?;
    if !root.join(crate::config::FILE_NAME).is_file() {
        return Err(Error::Usage(format!(
            "{} has no site.toml: give the site folder with --root",
            root.display()
        )));
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        Error::Usage(format!(
            "cannot listen on 127.0.0.1:{}: {e} (try another --port)",
            options.port
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::io(&root, e))?
        .port();
    let url = format!("http://127.0.0.1:{port}/");

    let livereload = tower_livereload::LiveReloadLayer::new();
    let shared = Arc::new(Shared {
        out_dir: root.join(SERVE_DIR),
        index_dir: crate::search::index_dir(&root),
        view: RwLock::new(View::default()),
    });
    let mut preview = Preview {
        workspace: Workspace::new(&root),
        url: url.clone(),
        shared: shared.clone(),
        reloader: livereload.reloader(),
        report: report.clone(),
        last_problems: Vec::new(),
        current: None,
    };
    preview.first();
    watch(&root, preview, report.clone())?;

    let app = axum::Router::new()
        .fallback(handle)
        .with_state(shared)
        .layer(livereload);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&root, e))?;
    report(Event::Listening { url: &url });
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    });
    served.map_err(|e| Error::io(&root, e))
}

async fn handle(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let headers = request.headers().clone();
    match tokio::task::spawn_blocking(move || http::respond(&shared, &method, &uri, &headers)).await
    {
        Ok(response) => response,
        Err(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The rebuilding side: owns the kept content and swaps in each new build.
struct Preview {
    workspace: Workspace,
    url: String,
    shared: Arc<Shared>,
    reloader: tower_livereload::Reloader,
    report: Reporter,
    /// The problems last printed.
    last_problems: Vec<Diagnostic>,
    /// The site the served pages show, what a fast edit patches; none after a full check
    /// found errors or a build failed (files whose errors a fast check found wait in `dirty`).
    current: Option<Current>,
}

struct Current {
    site: Site,
    kept: fast::Kept,
    /// Record files changed since, whose errors keep them out of the served pages.
    dirty: BTreeSet<String>,
}

impl Preview {
    fn first(&mut self) {
        let started = Instant::now();
        let read = self.workspace.read(&Changes {
            full: true,
            ..Changes::default()
        });
        self.full(&read, started, "the first build");
    }

    fn rebuild(&mut self, changes: &Changes) {
        let started = Instant::now();
        let read = self.workspace.read(changes);
        let nothing = !read.full && !changes.theme && read.changed.is_empty();
        if nothing && self.current.is_some() {
            // Saved as it was, or a second event of the same save.
            return;
        }
        let why = if read.full {
            "site.toml, a registry or a folder changed"
        } else if changes.theme {
            "a template, static file or translation changed"
        } else {
            match self.fast(&read, started) {
                Ok(()) => return,
                Err(why) => why,
            }
        };
        self.full(&read, started, why);
    }

    /// Re-renders in place the pages that show the changed records, when that is enough.
    /// Files with errors are reported, and kept aside until they are fixed, without a full
    /// check as long as the error is theirs alone.
    fn fast(&mut self, read: &Read, started: Instant) -> std::result::Result<(), &'static str> {
        let Some(current) = self.current.as_mut() else {
            return Err("the last check found errors");
        };
        let changed: BTreeSet<String> =
            current.dirty.iter().chain(&read.changed).cloned().collect();
        let planned = fast::plan(
            &self.workspace,
            &current.site,
            &current.kept,
            &changed,
            &self.last_problems,
        );
        let mut plan = match planned {
            Ok(plan) => plan,
            Err(fast::Fallback::Rebuild(why)) => return Err(why),
            Err(fast::Fallback::Errors(problems)) => {
                current.dirty = changed;
                let errors = problems.iter().filter(|d| d.is_error()).count();
                self.show(inject::overlay(&problems, None), None);
                self.note(problems);
                (self.report)(Event::Kept { errors });
                return Ok(());
            }
        };
        let checked = started.elapsed();
        let site = &mut current.site;
        let records = plan.records();
        let problems = std::mem::take(&mut plan.problems);
        match fast::apply(plan, site, &mut current.kept, &self.shared.out_dir) {
            Ok(pages) => {
                current.dirty.clear();
                self.note(problems);
                self.show(None, None);
                (self.report)(Event::Built {
                    pages,
                    records: self.workspace.records(),
                    reread: read.reread,
                    checked,
                    elapsed: started.elapsed(),
                    redone: Redone::Pages { records },
                });
                Ok(())
            }
            Err(e) => {
                // Some pages may be new and some old: build everything again.
                self.current = None;
                (self.report)(Event::Failed {
                    message: format!("re-rendering the changed pages: {e}"),
                });
                Err("re-rendering the changed pages failed")
            }
        }
    }

    /// Checks the whole site and builds every page beside the served folder, then swaps.
    fn full(&mut self, read: &Read, started: Instant, why: &'static str) {
        self.current = None;
        let refresh = self.workspace.check();
        let checked = started.elapsed();
        self.note(refresh.problems.clone());
        let Some(site) = refresh.site else {
            let errors = refresh.problems.iter().filter(|d| d.is_error()).count();
            self.show(inject::overlay(&refresh.problems, None), None);
            (self.report)(Event::Kept { errors });
            return;
        };
        let options = BuildOptions {
            output: Some(self.shared.out_dir.clone()),
            base_url: Some(self.url.clone()),
            today: None,
        };
        match build::build_keeping(&site, &options) {
            Ok((built, rendering)) => {
                self.show(None, Some(&site));
                (self.report)(Event::Built {
                    pages: built.pages,
                    records: self.workspace.records(),
                    reread: read.reread,
                    checked,
                    elapsed: started.elapsed(),
                    redone: Redone::Everything { why },
                });
                // The no-script search of the preview reads the tantivy index, which the build
                // does not write: it is written here, once the new site is served.
                let index = crate::search::index_dir(&site.root);
                if let Err(e) = crate::search::write_index(&site.archive, &index) {
                    (self.report)(Event::Failed {
                        message: format!("the search index: {e}"),
                    });
                }
                self.keep(site, rendering);
            }
            Err(e) => {
                let message = format!("the build failed: {e}");
                self.show(inject::overlay(&[], Some(&message)), None);
                (self.report)(Event::Failed { message });
            }
        }
    }

    /// Prepares the fast path for edits of the site just built.
    fn keep(&mut self, site: Site, rendering: build::Rendering) {
        let kept = fast::Kept::new(&site, rendering);
        self.current = Some(Current {
            site,
            kept,
            dirty: BTreeSet::new(),
        });
    }

    /// Prints the problems when they are not those printed last: the same warnings after
    /// every save would bury what changed.
    fn note(&mut self, problems: Vec<Diagnostic>) {
        if problems != self.last_problems {
            (self.report)(Event::Problems {
                problems: &problems,
            });
            self.last_problems = problems;
        }
    }

    /// Replaces what requests see and reloads open pages. A `None` site keeps the last one.
    fn show(&self, overlay: Option<String>, site: Option<&Site>) {
        let t = site.and_then(translations).map(Arc::new);
        let facts = site.map(|s| Arc::new(HitFacts::of(&s.archive)));
        if let Ok(mut view) = self.shared.view.write() {
            view.overlay = overlay;
            if let Some(facts) = facts {
                view.facts = Some(facts);
            }
            if let Some(t) = t {
                view.t = t;
            }
        }
        self.reloader.reload();
    }
}

fn translations(site: &Site) -> Option<std::collections::BTreeMap<String, String>> {
    theme::resolve(&site.root, &site.config)
        .and_then(|th| th.translations(site.config.language))
        .ok()
}

/// Watches the site and rebuilds on every batch of changes, on a thread of its own that
/// lives as long as the process.
fn watch(root: &Path, mut preview: Preview, report: Reporter) -> Result<()> {
    let watch_err = |e: notify_debouncer_full::notify::Error| {
        Error::Usage(format!("cannot watch the site for changes: {e}"))
    };
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(watch_err)?;
    // The root itself only for site.toml and for watched folders created later.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(watch_err)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(watch_err)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // Saves that arrived during the last rebuild make one rebuild together.
            let mut paths: Vec<PathBuf> = Vec::new();
            for batch in std::iter::once(first).chain(rx.try_iter()) {
                match batch {
                    Ok(events) => paths.extend(
                        events
                            .iter()
                            .filter(|e| is_change(&e.kind))
                            .flat_map(|e| e.paths.iter().cloned()),
                    ),
                    Err(errors) => {
                        for e in errors {
                            report(Event::Failed {
                                message: format!("watching: {e}"),
                            });
                        }
                    }
                }
            }
            for p in &paths {
                let top = p.parent() == Some(root.as_path())
                    && p.file_name()
                        .is_some_and(|n| WATCHED.iter().any(|w| n == *w));
                if top && p.is_dir() {
                    let _ = debouncer.watch(p, RecursiveMode::Recursive);
                }
            }
            let changes = Changes::classify(&root, paths);
            if !changes.is_empty() {
                preview.rebuild(&changes);
            }
        }
    });
    Ok(())
}

/// Writes, creations, removals and renames; not the opens and reads of the build itself.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

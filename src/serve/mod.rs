//! The live preview behind `hoidap serve`: build into `.hoidap/serve/`, serve it on
//! 127.0.0.1 only, watch the site, rebuild on every change (re-reading only the record files that
//! changed; every page is rendered again) and reload open pages.
//!
//! Content errors never stop the server: the last good build stays served, with a box
//! listing the problems on every page, until the files are fixed.

mod http;
pub mod inject;
pub mod workspace;

use crate::build::{self, BuildOptions, Site};
use crate::diagnostics::Diagnostic;
use crate::render::theme;
use crate::{Error, Result};
use axum::response::IntoResponse;
use http::{Shared, View};
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use workspace::{Changes, Workspace};

pub use http::{Resolved, resolve};

/// Where the preview is built, inside the site (ignored by git through `.hoidap/`).
pub const SERVE_DIR: &str = ".hoidap/serve";

/// Folders whose changes rebuild the preview (besides `site.toml`).
const WATCHED: [&str; 5] = ["content", "templates", "static", "i18n", "themes"];

/// How long a burst of file events may last before it is rebuilt as one change.
const DEBOUNCE: Duration = Duration::from_millis(100);

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
    /// A build was swapped in.
    Built {
        pages: usize,
        records: usize,
        /// Record files read from disk for this build.
        reread: usize,
        /// Reading and checking the content.
        checked: Duration,
        /// From the change to the new build being served.
        elapsed: Duration,
    },
    /// The content has errors: the last good build stays served.
    Kept { errors: usize },
    /// Something other than the content failed (a template, the disk, the watcher).
    Failed { message: String },
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
        indexer: spawn_indexer(&root, report.clone()),
    };
    preview.rebuild(&Changes {
        full: true,
        ..Changes::default()
    });
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
    match tokio::task::spawn_blocking(move || http::respond(&shared, &method, &uri)).await {
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
    /// Sites whose search index is to be written.
    indexer: std::sync::mpsc::Sender<Arc<Site>>,
}

impl Preview {
    fn rebuild(&mut self, changes: &Changes) {
        let started = Instant::now();
        let refresh = self.workspace.refresh(changes);
        let checked = started.elapsed();
        // The same warnings after every save would bury what changed.
        if refresh.problems != self.last_problems {
            (self.report)(Event::Problems {
                problems: &refresh.problems,
            });
            self.last_problems = refresh.problems.clone();
        }
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
            // Written below, once the pages are served.
            skip_index: true,
        };
        match build::build(&site, &options) {
            Ok(built) => {
                let site = Arc::new(site);
                self.show(None, Some(site.clone()));
                (self.report)(Event::Built {
                    pages: built.pages,
                    records: refresh.records,
                    reread: refresh.reread,
                    checked,
                    elapsed: started.elapsed(),
                });
                // The index takes longer than the pages: written behind, newest content only.
                let _ = self.indexer.send(site);
            }
            Err(e) => {
                let message = format!("the build failed: {e}");
                self.show(inject::overlay(&[], Some(&message)), None);
                (self.report)(Event::Failed { message });
            }
        }
    }

    /// Replaces what requests see and reloads open pages. A `None` site keeps the last one.
    fn show(&self, overlay: Option<String>, site: Option<Arc<Site>>) {
        let t = site.as_deref().and_then(translations).map(Arc::new);
        if let Ok(mut view) = self.shared.view.write() {
            view.overlay = overlay;
            if let Some(site) = site {
                view.site = Some(site);
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

/// Writes the tantivy index of each site it is sent, skipping those a newer one replaced.
fn spawn_indexer(root: &Path, report: Reporter) -> std::sync::mpsc::Sender<Arc<Site>> {
    let (tx, rx) = std::sync::mpsc::channel::<Arc<Site>>();
    let dir = crate::search::index_dir(root);
    std::thread::spawn(move || {
        while let Ok(mut site) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                site = newer;
            }
            if let Err(e) = crate::search::write_index(&site.archive, &dir) {
                report(Event::Failed {
                    message: format!("search index: {e}"),
                });
            }
        }
    });
    tx
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

//! The whole pipeline: load → validate → render pages, search indexes, statistics, feeds
//! and exports → swap the new output in.

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::model::Archive;
use crate::publish::Output;
use crate::render::{Renderer, theme};
use crate::{Error, Result, load, model, publish, search, stats};
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A site whose content passed every check.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub archive: Archive,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and checks a site. Any error in the content fails with every problem found.
pub fn load_site(root: &Path) -> Result<Site> {
    let (site, problems) = check_site(root)?;
    match site {
        Some(site) => Ok(site),
        None => Err(Error::Content(problems)),
    }
}

/// Reads and checks a site, returning the site only when it has no errors, and every
/// problem (errors and warnings) either way.
pub fn check_site(root: &Path) -> Result<(Option<Site>, Vec<Diagnostic>)> {
    let (checked, problems) = checked(root, true);
    let site = checked
        .filter(|_| !problems.iter().any(Diagnostic::is_error))
        .map(|(config, archive)| Site {
            root: root.to_path_buf(),
            config,
            archive,
            warnings: problems.clone(),
        });
    Ok((site, problems))
}

/// What `hoidap check` reports: the number of records and every problem.
#[derive(Debug)]
pub struct CheckReport {
    pub records: usize,
    pub problems: Vec<Diagnostic>,
}

/// [`check_site`] without keeping the rendered archive (the same problems, less memory).
pub fn check_content(root: &Path) -> Result<CheckReport> {
    let (checked, problems) = checked(root, false);
    let records = match checked {
        Some((_, archive)) if !problems.iter().any(Diagnostic::is_error) => archive.records.len(),
        _ => 0,
    };
    Ok(CheckReport { records, problems })
}

/// The configuration and the archive (none when site.toml is unusable), with every problem
/// found, sorted. Without `keep_texts` the archive's texts are left empty, as in
/// [`model::validate_problems`].
fn checked(root: &Path, keep_texts: bool) -> (Option<(SiteConfig, Archive)>, Vec<Diagnostic>) {
    let config = match SiteConfig::load(root) {
        Ok(c) => c,
        Err(problems) => return (None, problems),
    };
    let (archive, mut problems) = if keep_texts {
        let content = timed("load", || load::load(root, &config));
        timed("validate", || model::validate(content, &config))
    } else {
        // `check` keeps no texts: each record is checked as soon as it is read, so its text
        // is dropped at once. (For the build, which keeps every rendered text, this measured
        // no better at 100,000 records, and its peak memory a little higher.)
        timed("load and validate", || {
            model::load_and_validate(root, &config, false)
        })
    };
    if let Ok(text) = std::fs::read_to_string(root.join(crate::config::FILE_NAME)) {
        problems.extend(SiteConfig::unknown_keys(&text, crate::config::FILE_NAME));
        crate::diagnostics::sort(&mut problems);
    }
    (Some((config, archive)), problems)
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder; `public/` in the site by default.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from site.toml.
    pub base_url: Option<String>,
    /// The day the build counts as today; site.toml's `today`, else the real date.
    pub today: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub records: usize,
    pub output: PathBuf,
    /// From the start of [`build`]: the site was loaded and checked before.
    pub elapsed: Duration,
}

/// What a build rendered its pages with: the live preview keeps it to render a few pages
/// again after an edit, exactly as the build would.
pub struct Rendering {
    pub tera: tera::Tera,
    /// The UI strings of the site's language.
    pub t: std::collections::BTreeMap<String, String>,
    pub shared: crate::render::views::Shared,
    /// The related records of each record.
    pub related: search::related::Related,
    /// The site's settings as built (with the build's base URL).
    pub config: SiteConfig,
    pub stats: stats::Stats,
}

/// Builds a checked site into its output folder, atomically.
pub fn build(site: &Site, options: &BuildOptions) -> Result<BuildReport> {
    build_keeping(site, options).map(|(report, _)| report)
}

/// [`build`], also returning what its pages were rendered with.
pub fn build_keeping(site: &Site, options: &BuildOptions) -> Result<(BuildReport, Rendering)> {
    let started = Instant::now();
    let mut config = site.config.clone();
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(Error::Usage)?;
    }
    let today = options
        .today
        .or(config.today)
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| site.root.join("public"));
    refuse_dangerous_output(&site.root, &target)?;

    let theme = theme::resolve(&site.root, &config)?;
    let stats = timed("stats", || stats::compute(&site.archive, &config, today));
    let mut renderer = Renderer::new(&site.archive, &config, &stats, &theme)?;
    let out = Output::create(&target).map_err(|e| Error::io(&target, e))?;
    search::remove_leftovers(&site.root);
    // The archive's one analysis for search gives the related questions, which only record
    // pages show: every other page is rendered meanwhile, on whatever core the analysis
    // leaves idle.
    let ((analysis, related), lists) = rayon::join(
        || {
            let mut analysis = timed("analysis", || search::analyse(&site.archive));
            let related = timed("related", || analysis.related(&site.archive));
            (analysis, related)
        },
        || {
            timed("list pages", || {
                crate::render::render_lists(&renderer, &out)
            })
        },
    );
    let mut pages = lists?;
    renderer.related = related;
    // Three independent strands; rayon shares the two cores among them. The static search
    // index is made from hoidap's own analysis (above): the tantivy index behind
    // `hoidap search` and the preview is not on the build's path (they write it when they
    // need it).
    let (records, (index, rest)) = rayon::join(
        || {
            timed("record pages", || {
                crate::render::render_records(&renderer, &out)
            })
        },
        || {
            rayon::join(
                || {
                    timed("static search", || {
                        search::write_static_from(&site.archive, analysis, &out)
                    })
                },
                || -> Result<()> {
                    stats::write_json(&stats, &out)?;
                    timed("feeds, exports", || {
                        publish::write_all(&site.archive, &config, &renderer.related, &out)
                    })?;
                    copy_static(&theme, &out)
                },
            )
        },
    );
    pages.extend(records?);
    index?;
    rest?;
    timed("sitemap", || {
        publish::sitemap::write(&pages, &site.archive, &config, &out)
    })?;
    let written = timed("commit", || out.commit()).map_err(|e| Error::io(&target, e))?;
    let report = BuildReport {
        pages: pages.len(),
        files: written.files,
        bytes: written.bytes,
        records: site.archive.records.len(),
        output: target,
        elapsed: started.elapsed(),
    };
    let Renderer {
        tera,
        t,
        shared,
        related,
        ..
    } = renderer;
    let rendering = Rendering {
        tera,
        t,
        shared,
        related,
        config,
        stats,
    };
    Ok((report, rendering))
}

/// Runs a stage, printing its wall time when `HOIDAP_TIMINGS` is set (for profiling).
pub fn timed<T>(label: &str, stage: impl FnOnce() -> T) -> T {
    if std::env::var_os("HOIDAP_TIMINGS").is_none() {
        return stage();
    }
    let started = Instant::now();
    let out = stage();
    eprintln!("timing: {label}: {:.3} s", started.elapsed().as_secs_f64());
    out
}

fn copy_static(theme: &theme::ThemeFiles, out: &Output) -> Result<()> {
    for (rel, src) in theme.statics() {
        out.write(rel, &src.bytes()?)
            .map_err(|e| Error::io(rel, e))?;
    }
    Ok(())
}

/// The output folder is replaced whole: never let that be the site itself or its content.
fn refuse_dangerous_output(root: &Path, target: &Path) -> Result<()> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, target) = (abs(root), abs(target));
    let content = root.join(load::CONTENT_DIR);
    if root.starts_with(&target)
        || content.starts_with(&target)
        || target.starts_with(&content)
        || target.join("site.toml").exists()
    {
        return Err(Error::Usage(format!(
            "refusing to use {} as the output folder: it would replace the site or its content",
            target.display()
        )));
    }
    Ok(())
}

//! Stage 3a: HTML pages from the archive, through the theme's Tera templates.
//!
//! Templates are parsed once; each page is rendered in parallel and written straight to the
//! output. List pages receive only the summaries they show, made as they are needed (see
//! `views`).

pub mod dates;
pub(crate) mod pages;
pub mod share;
pub mod theme;
pub mod views;

use crate::config::SiteConfig;
use crate::model::Archive;
use crate::publish::Output;
use crate::stats::Stats;
use crate::{Error, Result};
use tera::{Context, Tera, Value};

thread_local! {
    static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Everything a page needs, shared by all pages of a build.
pub struct Renderer<'a> {
    pub tera: Tera,
    pub archive: &'a Archive,
    pub config: &'a SiteConfig,
    pub stats: &'a Stats,
    /// The UI strings of the site's language (also `t` in templates).
    pub t: std::collections::BTreeMap<String, String>,
    /// Values many summaries share.
    pub shared: views::Shared,
    /// The related records of each record: none until the build has found them, which it
    /// does while the pages that show none are rendered.
    pub related: crate::search::related::Related,
    /// What summaries share across pages (nothing kept when made empty, as the preview's
    /// re-rendering of a few pages does).
    pub summaries: views::Summaries,
}

impl<'a> Renderer<'a> {
    pub fn new(
        archive: &'a Archive,
        config: &'a SiteConfig,
        stats: &'a Stats,
        theme: &theme::ThemeFiles,
    ) -> Result<Renderer<'a>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(theme.templates()?)
            .map_err(|e| template_error("theme", &e))?;
        let t = theme.translations(config.language)?;
        let global = tera.global_context();
        global.insert("site", &site_view(config));
        global.insert("t", &t);
        global.insert("lang", config.language.code());
        Ok(Renderer {
            shared: views::Shared::new(archive, config),
            summaries: views::Summaries::new(archive.records.len()),
            related: Default::default(),
            t,
            tera,
            archive,
            config,
            stats,
        })
    }

    /// A record's summary as list pages show it, on a page whose way to the site root is
    /// `root` (see [`Renderer::root`]). Made when needed rather than kept for every record
    /// (kept, the summaries of 100,000 records took 360 MB, a third of the build's peak);
    /// only its excerpt and dates are kept ([`views::Summaries`]).
    pub fn summary(&self, i: crate::model::RecordIdx, root: &str) -> Value {
        Value::from_serializable(&self.summary_fields(i, root))
    }

    /// The fields of a record's summary (see [`Renderer::summary`]), to serialise.
    pub fn summary_fields<'s>(
        &'s self,
        i: crate::model::RecordIdx,
        root: &'s str,
    ) -> views::SummaryFields<'s> {
        let record = &self.archive.records[i];
        views::SummaryFields::new(&self.shared, &self.summaries, self.archive, i, record, root)
    }

    /// The way from the page at `path` to the site root, which begins every link the page
    /// has to the site's own pages and files (`base` in templates): relative, so that the
    /// output works wherever it is served. See [`crate::urls::root_of`].
    pub fn root(&self, path: &str) -> String {
        crate::urls::root_of(path, &self.config.base_url)
    }

    /// Renders a template and writes it at a page path (`records/x/`) or file path.
    pub fn page(&self, out: &Output, path: &str, template: &str, mut ctx: Context) -> Result<()> {
        ctx.insert("page_path", path);
        ctx.insert("base", &self.root(path));
        if !ctx.contains_key("canonical") {
            ctx.insert("canonical", &self.config.absolute(path));
        }
        let file = crate::urls::file_for(path);
        // Rendered into a buffer each thread keeps: no UTF-8 check of the whole page (Tera
        // writes only strings) and no fresh memory per page.
        PAGE.with_borrow_mut(|html| {
            html.clear();
            self.tera
                .render_to(template, &ctx, &mut *html)
                .map_err(|e| template_error(template, &e))?;
            out.write(&file, html).map_err(|e| Error::io(&file, e))
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// Renders every page but the record pages: none of them shows related questions, so the
/// build renders them while it finds those.
pub fn render_lists(renderer: &Renderer, out: &Output) -> Result<Vec<String>> {
    pages::render(renderer, out, &pages::Selection::lists())
}

/// Renders every record page, with the related questions the renderer was given.
pub fn render_records(renderer: &Renderer, out: &Output) -> Result<Vec<String>> {
    pages::render(renderer, out, &pages::Selection::records())
}

#[derive(serde::Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    /// Where citizens ask (`[[channels]]` in site.toml).
    channels: Vec<ChannelView<'a>>,
}

#[derive(serde::Serialize)]
struct ChannelView<'a> {
    name: &'a str,
    kind: &'static str,
    url: Option<&'a str>,
    phone: Option<&'a str>,
    /// `tel:` link of the phone number.
    tel: Option<String>,
    note: Option<&'a str>,
}

fn site_view(config: &SiteConfig) -> SiteView<'_> {
    SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        base_path: config.base_path(),
        language: config.language.code(),
        channels: config
            .channels
            .iter()
            .map(|c| ChannelView {
                name: &c.name,
                kind: c.kind.as_str(),
                url: c.url.as_deref(),
                phone: c.phone.as_deref(),
                tel: c.tel(),
                note: c.note.as_deref(),
            })
            .collect(),
    }
}

/// Tera's errors nest their causes; show the whole chain.
pub fn template_error(name: &str, e: &tera::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template {
        name: name.to_string(),
        message,
    }
}

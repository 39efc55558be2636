//! A topic's pages: its records, a page at a time, with its figures and feed.

use super::super::Renderer;
use super::paginate::{List, paginated};
use super::{Selection, feed_view, ui};
use crate::Result;
use crate::publish::{feeds, structured};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub(super) fn render(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    sel: &Selection,
) -> Result<()> {
    let a = r.archive;
    a.topics.par_iter().enumerate().try_for_each(|(i, t)| {
        let Some(wanted) = sel.list(&sel.topics, &i) else {
            return Ok(());
        };
        let mut common = Context::new();
        common.insert(
            "jsonld",
            &structured::topic_breadcrumbs(a, i, r.config, ui(r, "topics")),
        );
        common.insert(
            "topic",
            &NamedView {
                id: &t.id,
                name: &t.name,
                description: t.description.as_deref(),
                count: t.records.len(),
            },
        );
        if let Some(f) = r.stats.topic(&t.id) {
            common.insert("figures", f);
        }
        let list = List {
            base_path: &urls::topic(&t.id),
            template: "topic.html",
            records: &t.records,
        };
        paginated(r, page, &list, wanted, |root| {
            let mut ctx = common.clone();
            ctx.insert("feed", &feed_view(feeds::topic(a, i, r.config), root));
            ctx
        })
    })
}

#[derive(Serialize)]
struct NamedView<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    count: usize,
}

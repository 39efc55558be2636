//! An agency's pages: its records, a page at a time, with its figures and feed.

use super::super::Renderer;
use super::super::views::{self, Link};
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
    a.agencies.par_iter().enumerate().try_for_each(|(i, ag)| {
        let Some(wanted) = sel.list(&sel.agencies, &i) else {
            return Ok(());
        };
        let mut common = Context::new();
        common.insert(
            "jsonld",
            &structured::agency_breadcrumbs(a, i, r.config, ui(r, "agencies")),
        );
        if let Some(f) = r.stats.agency(&ag.id) {
            common.insert("figures", f);
        }
        if let Some(f) = r.stats.family(&ag.id) {
            common.insert("family_figures", f);
        }
        let list = List {
            base_path: &urls::agency(&ag.id),
            template: "agency.html",
            records: &ag.records,
        };
        paginated(r, page, &list, wanted, |root| {
            let mut ctx = common.clone();
            ctx.insert("agency", &agency_view(r, ag, root));
            ctx.insert("feed", &feed_view(feeds::agency(a, i, r.config), root));
            ctx
        })
    })
}

#[derive(Serialize)]
struct AgencyView<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    description: Option<&'a str>,
    url: Option<&'a str>,
    parent: Option<Link<'a>>,
    children: Vec<Link<'a>>,
    count: usize,
}

fn agency_view<'a>(r: &'a Renderer, ag: &'a crate::model::Agency, root: &str) -> AgencyView<'a> {
    AgencyView {
        id: &ag.id,
        name: &ag.name,
        short_name: ag.short_name.as_deref(),
        description: ag.description.as_deref(),
        url: ag.url.as_deref(),
        parent: ag.parent.map(|p| views::agency_link(r.archive, p, root)),
        children: ag
            .children
            .iter()
            .map(|&c| views::agency_link(r.archive, c, root))
            .collect(),
        count: ag.records.len(),
    }
}

//! A year's pages: the questions asked that year, a page at a time, with its figures.

use super::super::Renderer;
use super::Selection;
use super::paginate::{List, paginated};
use crate::Result;
use crate::urls;
use rayon::prelude::*;
use tera::Context;

pub(super) fn render(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    sel: &Selection,
) -> Result<()> {
    r.archive.years.par_iter().try_for_each(|(year, records)| {
        let Some(wanted) = sel.list(&sel.years, year) else {
            return Ok(());
        };
        let mut ctx = Context::new();
        ctx.insert("year", year);
        if let Some(f) = r.stats.year(*year) {
            ctx.insert("figures", f);
        }
        ctx.insert("min_records", &r.config.stats.min_records);
        let list = List {
            base_path: &urls::year(*year),
            template: "year.html",
            records,
        };
        paginated(r, page, &list, wanted, |_| ctx.clone())
    })
}

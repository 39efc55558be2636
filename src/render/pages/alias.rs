//! Alias pages: a record's earlier URLs, each a redirect to the record.

use super::super::Renderer;
use super::Selection;
use crate::Result;
use crate::model::Record;
use crate::urls;
use tera::Context;

pub(super) fn render(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    sel: &Selection,
) -> Result<()> {
    let of_record = |rec: &Record| {
        rec.aliases.iter().try_for_each(|alias| {
            let mut ctx = Context::new();
            ctx.insert("target", &r.config.absolute(&urls::record(&rec.id)));
            ctx.insert("title", &rec.title);
            page(alias, "alias.html", ctx)
        })
    };
    // A preview edit names its few records; only a full build looks at them all.
    if sel.all {
        return r.archive.records.iter().try_for_each(of_record);
    }
    let mut named = sel.aliases.iter().filter_map(|&i| r.archive.records.get(i));
    named.try_for_each(of_record)
}

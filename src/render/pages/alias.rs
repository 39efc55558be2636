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
            // The way to the record from the alias, which is written inside the output
            // (see `urls::alias_path`), so a relative target always works; the canonical
            // URL names the record, absolutely.
            let record = urls::record(&rec.id);
            let mut ctx = Context::new();
            ctx.insert("target", &format!("{}{record}", r.root(alias)));
            ctx.insert("canonical", &r.config.absolute(&record));
            ctx.insert("title", &rec.title);
            page(alias, "alias.html", ctx)
        })
    };
    // A preview edit names its few records; only a full build looks at them all.
    if sel.every_list {
        return r.archive.records.iter().try_for_each(of_record);
    }
    let mut named = sel.aliases.iter().filter_map(|&i| r.archive.records.get(i));
    named.try_for_each(of_record)
}

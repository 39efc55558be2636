//! Paginated lists of record summaries, which the agency, topic, session and year pages share.

use super::super::Renderer;
use super::Wanted;
use crate::Result;
use crate::model::RecordIdx;
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    /// Records on all pages.
    items: usize,
    first_item: usize,
    last_item: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    /// 0 marks a gap ("…").
    n: usize,
    url: String,
}

/// A paginated list: where it lives, its template and its records.
pub(super) struct List<'a> {
    pub(super) base_path: &'a str,
    pub(super) template: &'a str,
    pub(super) records: &'a [RecordIdx],
}

/// Renders the wanted pages of a list of `paginate` records a page; `context` makes the rest
/// of a page's context from its way to the site root (page 1 and the others differ in depth).
pub(super) fn paginated(
    r: &Renderer,
    page: &(impl Fn(&str, &str, Context) -> Result<()> + Sync),
    list: &List,
    wanted: Wanted,
    context: impl Fn(&str) -> Context + Sync,
) -> Result<()> {
    let records = list.records;
    let size = r.config.paginate;
    let total = records.len().div_ceil(size).max(1);
    (1..=total)
        .into_par_iter()
        .filter(|&n| wanted.has(n))
        .try_for_each(|n| {
            let path = urls::page(list.base_path, n);
            let root = r.root(&path);
            let url = |k: usize| format!("{root}{}", urls::page(list.base_path, k));
            let slice =
                &records[((n - 1) * size).min(records.len())..(n * size).min(records.len())];
            let mut ctx = context(&root);
            let shown: Vec<Value> = slice.iter().map(|&i| r.summary(i, &root)).collect();
            ctx.insert_value("records", Value::from(shown));
            ctx.insert(
                "pagination",
                &Pagination {
                    current: n,
                    total,
                    items: records.len(),
                    first_item: (n - 1) * size + 1,
                    last_item: (n - 1) * size + slice.len(),
                    prev: (n > 1).then(|| url(n - 1)),
                    next: (n < total).then(|| url(n + 1)),
                    pages: window(n, total)
                        .into_iter()
                        .map(|k| PageLink {
                            n: k,
                            url: if k == 0 { String::new() } else { url(k) },
                        })
                        .collect(),
                },
            );
            page(&path, list.template, ctx)
        })
}

/// Page numbers to show: first, last, and two either side of the current one; 0 for gaps.
fn window(current: usize, total: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for n in 1..=total {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == total || near {
            out.push(n);
        } else if out.last() != Some(&0) {
            out.push(0);
        }
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_window() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(5, 10), [1, 0, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(window(10, 10), [1, 0, 8, 9, 10]);
    }
}

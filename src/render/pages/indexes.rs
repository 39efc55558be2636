//! The index pages (agencies, topics, sessions, years) and the search page, which offers the
//! same lists as filters.

use super::super::Renderer;
use super::super::views::{self, Link};
use super::session::{SessionView, session_view};
use crate::urls;
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
pub(super) struct CountedLink<'a> {
    #[serde(flatten)]
    link: Link<'a>,
    count: usize,
    depth: usize,
    short_name: Option<&'a str>,
}

pub(super) fn agency_links<'a>(r: &'a Renderer, root: &str) -> Vec<CountedLink<'a>> {
    let a = r.archive;
    // Parents first, each followed by its children, so the index reads as a tree.
    let mut order = Vec::new();
    fn visit(a: &crate::model::Archive, i: usize, depth: usize, order: &mut Vec<(usize, usize)>) {
        order.push((i, depth));
        for &c in &a.agencies[i].children {
            visit(a, c, depth + 1, order);
        }
    }
    for (i, ag) in a.agencies.iter().enumerate() {
        if ag.parent.is_none() {
            visit(a, i, 0, &mut order);
        }
    }
    order
        .into_iter()
        .map(|(i, depth)| CountedLink {
            link: views::agency_link(a, i, root),
            count: a
                .agency_family(i)
                .iter()
                .map(|&j| a.agencies[j].records.len())
                .sum(),
            depth,
            short_name: a.agencies[i].short_name.as_deref(),
        })
        .collect()
}

pub(super) fn topic_links<'a>(r: &'a Renderer, root: &str) -> Vec<CountedLink<'a>> {
    let a = r.archive;
    (0..a.topics.len())
        .map(|i| CountedLink {
            link: views::topic_link(a, i, root),
            count: a.topics[i].records.len(),
            depth: 0,
            short_name: None,
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

pub(super) fn years_list(r: &Renderer, root: &str) -> Vec<YearLink> {
    r.archive
        .years
        .iter()
        .map(|(y, recs)| YearLink {
            year: *y,
            url: format!("{root}{}", urls::year(*y)),
            count: recs.len(),
        })
        .collect()
}
pub(super) fn agencies(r: &Renderer, root: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("agencies", &agency_links(r, root));
    ctx
}

pub(super) fn topics(r: &Renderer, root: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("topics", &topic_links(r, root));
    ctx
}

pub(super) fn sessions(r: &Renderer, root: &str) -> Context {
    let mut ctx = Context::new();
    let list: Vec<SessionView> = r
        .archive
        .sessions
        .iter()
        .map(|s| session_view(r, s, root))
        .collect();
    ctx.insert("sessions", &list);
    ctx
}

pub(super) fn years(r: &Renderer, root: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("years", &years_list(r, root));
    ctx
}

pub(super) fn search(r: &Renderer, root: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("agencies", &agency_links(r, root));
    ctx.insert("topics", &topic_links(r, root));
    ctx.insert("years", &years_list(r, root));
    ctx
}

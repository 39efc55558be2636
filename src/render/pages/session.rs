//! A session's pages: the questions of one dialogue programme, a page at a time.

use super::super::Renderer;
use super::super::views::DateView;
use super::paginate::{List, paginated};
use super::{Selection, feed_view};
use crate::Result;
use crate::publish::feeds;
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
    a.sessions.par_iter().enumerate().try_for_each(|(i, s)| {
        let Some(wanted) = sel.list(&sel.sessions, &i) else {
            return Ok(());
        };
        let list = List {
            base_path: &urls::session(&s.id),
            template: "session.html",
            records: &s.records,
        };
        paginated(r, page, &list, wanted, |root| {
            let mut ctx = Context::new();
            ctx.insert("session", &session_view(r, s, root));
            ctx.insert("feed", &feed_view(feeds::session(a, i, r.config), root));
            ctx
        })
    })
}

#[derive(Serialize)]
pub(super) struct SessionView<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    date: DateView,
    channel: Option<&'a str>,
    description: Option<&'a str>,
    count: usize,
}

pub(super) fn session_view<'a>(
    r: &'a Renderer,
    s: &'a crate::model::Session,
    root: &str,
) -> SessionView<'a> {
    SessionView {
        id: &s.id,
        title: &s.title,
        url: format!("{root}{}", urls::session(&s.id)),
        date: DateView::new(s.date, r.config.language),
        channel: s.channel.as_deref(),
        description: s.description.as_deref(),
        count: s.records.len(),
    }
}

//! A record's fields as file text: front matter in the usual order, then the body.

use super::frontmatter;
use crate::model::{AskerKind, Status};
use jiff::civil::Date;

/// Front matter keys in the order records are written.
pub(super) const KEY_ORDER: [&str; 13] = [
    "id",
    "title",
    "asked",
    "asker",
    "agency",
    "topics",
    "session",
    "channel",
    "status",
    "answered",
    "answered_by",
    "source",
    "aliases",
];

/// A row's fields, read and checked, before they are written as text.
#[derive(Debug, Default)]
pub(super) struct Fields {
    pub(super) id: String,
    pub(super) title: String,
    /// `None`: unknown (written `unknown`).
    pub(super) asked: Option<Date>,
    pub(super) asker: Option<(AskerKind, Option<String>, Option<String>)>,
    pub(super) agency: Option<String>,
    pub(super) topics: Vec<String>,
    pub(super) session: Option<String>,
    pub(super) channel: Option<String>,
    pub(super) status: Option<Status>,
    /// `None` on a record with a reply: unknown (written `unknown`).
    pub(super) answered: Option<Date>,
    pub(super) answered_by: Option<String>,
    pub(super) source: Option<String>,
    pub(super) aliases: Vec<String>,
    pub(super) question: String,
    pub(super) answer: Option<String>,
}

/// The record file: front matter, then question and answer.
///
/// The front matter holds the fields this import owns, with this row's values, and the
/// other fields of the existing file as they were. Fields keep the existing file's order;
/// a field new to the file goes after the field that precedes it in the usual order.
pub(super) fn record_text(
    f: &Fields,
    id: &str,
    owned: &[&str],
    existing: &[(String, String)],
) -> String {
    let ours = our_fields(f, id);
    let line = |key: &str| ours.iter().find(|(k, _)| *k == key).map(|(_, l)| l.clone());
    // (key, text) in order; a key owned but without a value this time is dropped.
    let mut fields: Vec<(String, String)> = existing
        .iter()
        .filter_map(|(key, chunk)| {
            if owned.contains(&key.as_str()) {
                line(key).map(|l| (key.clone(), l))
            } else {
                Some((key.clone(), chunk.clone()))
            }
        })
        .collect();
    for (n, key) in KEY_ORDER.iter().enumerate() {
        // A reply's date is needed: `unknown` unless a column gives it, written only where
        // the file has no `answered` of its own (an editor may have filled it in).
        let needed = owned.contains(key) || *key == "answered";
        let new = needed && !existing.iter().any(|(k, _)| k == key);
        if let Some(l) = line(key).filter(|_| new) {
            let after = fields
                .iter()
                .rposition(|(k, _)| KEY_ORDER[..n].contains(&k.as_str()))
                .map_or(0, |p| p + 1);
            fields.insert(after, (key.to_string(), l));
        }
    }
    let fm: String = fields.into_iter().map(|(_, text)| text).collect();
    let mut text = format!("---\n{fm}---\n{}\n", f.question);
    if let Some(answer) = &f.answer {
        let marker = crate::load::frontmatter::ANSWER_MARKER;
        text.push_str(&format!("\n{marker}\n\n{answer}\n"));
    }
    text
}

/// This row's front matter lines by key.
pub(super) fn our_fields(f: &Fields, id: &str) -> Vec<(&'static str, String)> {
    use frontmatter::{id as bare, id_list, quote, string_list};
    let mut out = vec![
        ("id", format!("id: {}\n", quote(id))),
        ("title", format!("title: {}\n", quote(&f.title))),
    ];
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(v) = value {
            out.push((key, format!("{key}: {v}\n")));
        }
    };
    let day = |d: Option<Date>| d.map_or_else(|| "unknown".to_string(), |d| d.to_string());
    push("asked", Some(day(f.asked)));
    push(
        "asker",
        f.asker.as_ref().map(|(kind, name, place)| {
            let mut parts = vec![format!("kind: {}", kind.as_str())];
            parts.extend(name.as_deref().map(|n| format!("name: {}", quote(n))));
            parts.extend(place.as_deref().map(|p| format!("place: {}", quote(p))));
            format!("{{{}}}", parts.join(", "))
        }),
    );
    push("agency", f.agency.as_deref().map(bare));
    push("topics", Some(id_list(&f.topics)));
    push("session", f.session.as_deref().map(bare));
    push("channel", f.channel.as_deref().map(quote));
    push("status", f.status.map(|s| s.as_str().to_string()));
    let replied = f.status.is_some_and(Status::has_reply);
    push(
        "answered",
        (replied || f.answered.is_some()).then(|| day(f.answered)),
    );
    push("answered_by", f.answered_by.as_deref().map(quote));
    push("source", f.source.as_deref().map(quote));
    push(
        "aliases",
        (!f.aliases.is_empty()).then(|| string_list(&f.aliases)),
    );
    out
}

//! The thread of one record, checked against the registries and resolved: each entry's agency
//! and date, the order of the dates, and the status, current answer and dates that follow.

use super::{FileTexts, RecordCheck, Refs};
use crate::config::SiteConfig;
use crate::load::record::RecordSource;
use crate::model::thread::{self, Entry, Kind};
use crate::model::{Status, Text};
use std::ops::Range;

impl RecordCheck<'_> {
    /// `answered`, where written, agrees with a date on the last answer's marker.
    pub(super) fn answered_agrees(&mut self, t: &Thread) {
        let day = |d: Option<jiff::civil::Date>| d.map_or("unknown".to_string(), |d| d.to_string());
        if let (Some(written), true) = (&self.src.answered, t.current_date_written)
            && written.value != t.answered
        {
            self.error(
                "E0289",
                written.span.clone(),
                format!(
                    "`answered` is {} but the last answer of the thread is dated {}",
                    day(written.value),
                    day(t.answered)
                ),
            )
            .help =
                Some("leave `answered` out when the answers carry dates, or make it agree".into());
        }
    }

    /// Resolves and renders the thread: the agencies of its entries, their dates (an
    /// answer's defaults to `answered`), their order, and what its current answer is.
    pub(super) fn thread(
        &mut self,
        src: &RecordSource,
        refs: &Refs,
        agency: Option<usize>,
        config: &SiteConfig,
        cached: Option<&FileTexts>,
        texts: &mut FileTexts,
    ) -> Thread {
        let current = src.entries.iter().rposition(|e| e.kind == Kind::Answer);
        let mut entries = Vec::with_capacity(src.entries.len());
        let mut dates = Vec::with_capacity(src.entries.len());
        // The agency that holds the question, and that of the answer an update amends.
        let mut holder = agency;
        let mut answering = agency;
        texts.entries = vec![None; src.entries.len()];
        for (i, e) in src.entries.iter().enumerate() {
            let named =
                self.reference(&e.agency, refs.agencies, "E0285", "agency", "agencies.yaml");
            let from = self.reference(&e.from, refs.agencies, "E0285", "agency", "agencies.yaml");
            let (text, blank) = self.render(
                e.body.clone(),
                config.trust_html,
                cached
                    .and_then(|t| t.entries.get(i))
                    .and_then(Option::as_ref),
                &mut texts.entries[i],
            );
            if blank && e.kind != Kind::Forwarded {
                let what = match e.kind {
                    Kind::Answer => "answer",
                    Kind::FollowUp => "follow-up",
                    _ => "update",
                };
                self.error(
                    "E0248",
                    e.marker.clone(),
                    format!("the {what} after this marker is empty"),
                )
                .help = Some(match e.kind {
                    Kind::Answer => "write the answer below the marker, or remove the marker while the question is pending".into(),
                    _ => format!("write the {what} below the marker, or remove the marker"),
                });
            }
            let date = match (&e.date, e.kind) {
                (Some(d), _) => d.value,
                (None, Kind::Answer) => src.answered.as_ref().and_then(|a| a.value),
                (None, _) => None,
            };
            dates.push(date);
            let entry = match e.kind {
                Kind::Answer => {
                    let by = e.by.clone().or_else(|| {
                        (Some(i) == current)
                            .then(|| src.answered_by.clone())
                            .flatten()
                    });
                    let who = if e.agency.is_some() { named } else { holder };
                    answering = who;
                    Entry {
                        kind: e.kind,
                        date,
                        agency: who,
                        from: None,
                        by,
                        text,
                    }
                }
                Kind::Forwarded => {
                    let from = if e.from.is_some() { from } else { holder };
                    if e.agency.is_some() {
                        holder = named;
                    }
                    Entry {
                        kind: e.kind,
                        date,
                        agency: named,
                        from,
                        by: None,
                        text,
                    }
                }
                Kind::FollowUp => Entry {
                    kind: e.kind,
                    date,
                    agency: None,
                    from: None,
                    by: None,
                    text,
                },
                Kind::Update => {
                    let who = if e.agency.is_some() { named } else { answering };
                    Entry {
                        kind: e.kind,
                        date,
                        agency: who,
                        from: None,
                        by: None,
                        text,
                    }
                }
            };
            entries.push(entry);
        }
        let order = thread::check_order(
            &src.file,
            &src.text,
            src.asked_day().as_ref(),
            &src.entries,
            &dates,
        );
        self.problems.extend(order);
        let mut answer = None;
        let (mut answered, mut answered_by) = (None, src.answered_by.clone());
        if let Some(c) = current {
            answer = Some(std::mem::take(&mut entries[c].text));
            answered = entries[c].date;
            answered_by = entries[c].by.clone();
        }
        Thread {
            is_thread: thread::is_thread(src.entries.iter().map(|e| e.kind)),
            derived: thread::status(src.entries.iter().map(|e| e.kind)),
            current_date_written: current.and_then(|c| src.entries[c].date.as_ref()).is_some(),
            first_marker: src.entries.first().map(|e| e.marker.clone()),
            entries,
            answer,
            answered,
            answered_by,
        }
    }

    /// The status of a record with a thread: the thread's, which `status` and `answered`, when
    /// written, must agree with (a declining answer may be marked `declined`).
    pub(super) fn thread_status(
        &mut self,
        t: &Thread,
        has_agency: bool,
        at: Range<usize>,
    ) -> Status {
        let src = self.src;
        let derived = t.derived.unwrap_or(Status::Pending);
        let mut status = derived;
        if let Some(written) = &src.status {
            let agrees = written.value == derived
                || (written.value == Status::Declined && derived == Status::Answered);
            if agrees {
                status = written.value;
            } else {
                self.error(
                    "E0289",
                    written.span.clone(),
                    format!(
                        "status is `{}` but the thread says `{}`",
                        written.value.as_str(),
                        derived.as_str()
                    ),
                )
                .help = Some("the last entry of the thread decides: an answer makes it `answered`, a forwarding `forwarded`, a follow-up `pending`; leave `status` out or make it agree".into());
            }
        }
        self.answered_agrees(t);
        let dated = t.current_date_written || src.answered.is_some();
        if t.answer.is_some() && !dated && !src.unreadable.contains(&"answered") {
            let m = t
                .entries
                .iter()
                .zip(&src.entries)
                .rev()
                .find(|(e, _)| e.kind == Kind::Answer)
                .map_or(at.clone(), |(_, s)| s.marker.clone());
            self.error(
                "E0283",
                m,
                "the last answer needs a date: `date=` on its marker or the record's `answered`"
                    .into(),
            )
            .help = Some("for example `<!-- answer date=2019-01-12 -->`, or `date=unknown`".into());
        }
        let answerless = t
            .entries
            .iter()
            .any(|e| matches!(e.kind, Kind::Answer | Kind::Update) && e.agency.is_none());
        if answerless && !has_agency && !src.unreadable.contains(&"agency") {
            self.error(
                "E0246",
                at,
                "an answer of the thread has no agency: give the record an `agency` or the answer an `agency=`".into(),
            );
        }
        status
    }
}

/// A record's thread, resolved.
pub(super) struct Thread {
    pub(super) is_thread: bool,
    /// The status the thread implies.
    pub(super) derived: Option<Status>,
    /// Whether the current answer's date is written on its marker.
    pub(super) current_date_written: bool,
    pub(super) first_marker: Option<Range<usize>>,
    pub(super) entries: Vec<Entry>,
    /// The current answer's text, date and signature.
    pub(super) answer: Option<Text>,
    pub(super) answered: Option<jiff::civil::Date>,
    pub(super) answered_by: Option<String>,
}

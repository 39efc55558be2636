//! A record's thread: the answers, forwardings, follow-ups and updates after its question, in
//! order, with what follows from them (where the record stands, its current answer, the
//! agencies that took part, when it last changed).
//!
//! `load::thread` reads the markers; here the thread is resolved against the registries and
//! its order checked.

use super::{AgencyIdx, Status, Text};
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::fields::Located;
use crate::load::thread::EntrySource;
use jiff::civil::Date;
use serde::Serialize;
use std::ops::Range;

pub use crate::load::thread::Kind;

/// One entry of a thread.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub kind: Kind,
    /// `None` when unknown: written `unknown`, or an answer without a date of its own or the
    /// record's `answered`.
    pub date: Option<Date>,
    /// Who answered or updated; for a forwarding, the agency it went to.
    pub agency: Option<AgencyIdx>,
    /// For a forwarding, the agency that handed the question on.
    pub from: Option<AgencyIdx>,
    /// The official or office that signed an answer.
    pub by: Option<String>,
    /// The entry's text. Empty for the current answer, whose text is the record's `answer`
    /// (kept once: answers are most of an archive's text).
    pub text: Text,
}

/// Whether a thread is more than today's single answer: a record holding only one
/// `<!-- answer -->` means what it always meant (its `status` may say `forwarded` or
/// `declined`, the answer being the reason).
pub fn is_thread<K: Copy + Into<Kind>>(kinds: impl IntoIterator<Item = K>) -> bool {
    let mut answers = 0;
    for k in kinds {
        match k.into() {
            Kind::Answer => answers += 1,
            _ => return true,
        }
    }
    answers > 1
}

/// Where a thread leaves its record: its last entry other than an update decides. `None`
/// for a record without entries.
pub fn status<K: Copy + Into<Kind>>(kinds: impl DoubleEndedIterator<Item = K>) -> Option<Status> {
    kinds
        .rev()
        .map(Into::into)
        .find(|k| *k != Kind::Update)
        .map(|k| match k {
            Kind::Answer | Kind::Update => Status::Answered,
            Kind::Forwarded => Status::Forwarded,
            Kind::FollowUp => Status::Pending,
        })
}

/// The index of the current (last) answer.
pub fn current_answer(entries: &[Entry]) -> Option<usize> {
    entries.iter().rposition(|e| e.kind == Kind::Answer)
}

/// The first response: the first answer or forwarding.
pub fn first_response(entries: &[Entry]) -> Option<&Entry> {
    entries
        .iter()
        .find(|e| matches!(e.kind, Kind::Answer | Kind::Forwarded))
}

/// The latest known date of a thread, if any entry has one.
pub fn latest(entries: &[Entry]) -> Option<Date> {
    entries.iter().filter_map(|e| e.date).max()
}

/// Whether an update came after the current answer.
pub fn updated_after_answer(entries: &[Entry]) -> Option<Date> {
    let current = current_answer(entries)?;
    entries[current + 1..]
        .iter()
        .filter(|e| e.kind == Kind::Update)
        .filter_map(|e| e.date)
        .max()
}

/// Every agency that took part, in the order they appear, without repeats.
pub fn participants(agency: Option<AgencyIdx>, entries: &[Entry]) -> Vec<AgencyIdx> {
    let mut out: Vec<AgencyIdx> = Vec::new();
    let all = agency.into_iter().chain(
        entries
            .iter()
            .flat_map(|e| e.from.into_iter().chain(e.agency)),
    );
    for a in all {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// Checks the order of a thread whose entries are dated `dates` (after defaults): each
/// dated on or after the question and the dated entry above it; a follow-up only after an
/// answer. `date_spans` says where each date was written (`None`: taken from the record).
pub fn check_order(
    file: &str,
    text: &str,
    asked: Option<&Located<Date>>,
    entries: &[EntrySource],
    dates: &[Option<Date>],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut error = |code: &'static str, span: Range<usize>, message: String| {
        problems.push(Diagnostic::at_span(
            Severity::Error,
            code,
            file,
            text,
            span,
            message,
        ));
    };
    let mut previous: Option<(Date, &EntrySource)> = None;
    let mut answered = false;
    for (e, date) in entries.iter().zip(dates) {
        let at = e.date.as_ref().map_or(e.marker.clone(), |d| d.span.clone());
        if e.kind == crate::load::thread::Kind::FollowUp && !answered {
            error(
                "E0288",
                e.marker.clone(),
                "a follow-up before any answer: the asker follows up on an answer".into(),
            );
        }
        answered |= e.kind == crate::load::thread::Kind::Answer;
        let Some(date) = *date else { continue };
        // An answer dated by the record's `answered` is reported as E0244 instead.
        if let Some(asked) = asked
            && e.date.is_some()
            && date < asked.value
        {
            error(
                "E0286",
                at,
                format!(
                    "this {} is dated {date}, before the question was asked on {}",
                    e.kind.noun(),
                    asked.value
                ),
            );
        } else if let Some((before, above)) = previous
            && date < before
        {
            error(
                "E0287",
                at,
                format!(
                    "this {} is dated {date}, before the {} above it ({before})",
                    e.kind.noun(),
                    above.kind.noun()
                ),
            );
        }
        if previous.is_none_or(|(before, _)| date >= before) {
            previous = Some((date, e));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, day: Option<i8>) -> Entry {
        Entry {
            kind,
            date: day.map(|d| jiff::civil::date(2019, 1, d)),
            agency: None,
            from: None,
            by: None,
            text: Text::default(),
        }
    }

    #[test]
    fn the_last_entry_but_updates_decides_the_status() {
        use Kind::*;
        let kinds = |k: &[Kind]| status(k.iter().copied());
        assert_eq!(kinds(&[]), None);
        assert_eq!(kinds(&[Answer]), Some(Status::Answered));
        assert_eq!(kinds(&[Forwarded]), Some(Status::Forwarded));
        assert_eq!(kinds(&[Forwarded, Answer, FollowUp]), Some(Status::Pending));
        assert_eq!(
            kinds(&[Answer, FollowUp, Answer, Update]),
            Some(Status::Answered)
        );
        assert_eq!(kinds(&[Answer, Forwarded]), Some(Status::Forwarded));
        assert!(!is_thread([Answer]));
        assert!(is_thread([Answer, Answer]));
        assert!(is_thread([Forwarded]));
    }

    #[test]
    fn current_answer_first_response_and_updates() {
        let t = [
            entry(Kind::Forwarded, Some(3)),
            entry(Kind::Answer, Some(12)),
            entry(Kind::FollowUp, Some(15)),
            entry(Kind::Answer, Some(20)),
            entry(Kind::Update, None),
            entry(Kind::Update, Some(25)),
        ];
        assert_eq!(current_answer(&t), Some(3));
        assert_eq!(first_response(&t).unwrap().kind, Kind::Forwarded);
        assert_eq!(latest(&t), Some(jiff::civil::date(2019, 1, 25)));
        assert_eq!(
            updated_after_answer(&t),
            Some(jiff::civil::date(2019, 1, 25))
        );
        assert_eq!(updated_after_answer(&t[..4]), None);
    }

    #[test]
    fn participants_in_order_without_repeats() {
        let mut f = entry(Kind::Forwarded, Some(3));
        f.from = Some(0);
        f.agency = Some(2);
        let mut a = entry(Kind::Answer, Some(4));
        a.agency = Some(2);
        assert_eq!(participants(Some(0), &[f, a]), [0, 2]);
    }
}

//! Counting records into figures: the one place where every figure is defined.

use super::calendar::{DeadlineRule, days_between};
use super::format::Numbers;
use crate::model::thread::{self, Kind};
use crate::model::{AgencyIdx, Record, RecordIdx, Status};
use crate::urls;
use jiff::civil::Date;
use serde::Serialize;

/// How many records stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Questions received.
    pub records: usize,
    pub answered: usize,
    pub pending: usize,
    pub forwarded: usize,
    pub declined: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        self.records += 1;
        match status {
            Status::Answered => self.answered += 1,
            Status::Pending => self.pending += 1,
            Status::Forwarded => self.forwarded += 1,
            Status::Declined => self.declined += 1,
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        self.records += other.records;
        self.answered += other.answered;
        self.pending += other.pending;
        self.forwarded += other.forwarded;
        self.declined += other.declined;
    }
}

/// What one record contributes, worked out once and shared by every group it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub idx: RecordIdx,
    pub status: Status,
    /// `None` when unknown.
    pub asked: Option<Date>,
    /// Calendar days from asked to the final (current) answer, for answered records with
    /// both dates known.
    pub days: Option<i32>,
    /// Calendar days from asked to the first response: the first answer or forwarding.
    pub first_days: Option<i32>,
    /// Answered on or before the deadline day.
    pub on_time: bool,
    /// Still pending and the deadline is before today.
    pub overdue: bool,
    /// Left out of the time figures because a date they need is unknown.
    pub undated: bool,
    /// The agency whose answer the final-answer time measures.
    pub answerer: Option<AgencyIdx>,
    /// The agency that responded first (the one that forwarded, or answered).
    pub responder: Option<AgencyIdx>,
}

impl Facts {
    pub fn of(idx: RecordIdx, record: &Record, rule: &DeadlineRule, today: Date) -> Facts {
        let first = thread::first_response(&record.entries);
        let Some(asked) = record.asked else {
            // Nothing can be timed without the day the question came in.
            let timed = record.status != Status::Declined;
            return Facts {
                idx,
                status: record.status,
                asked: None,
                days: None,
                first_days: None,
                on_time: false,
                overdue: false,
                undated: timed,
                answerer: None,
                responder: None,
            };
        };
        let deadline = rule.deadline(asked);
        // A question waiting again after a follow-up is due counted from the follow-up.
        let waiting_since = match record.status {
            Status::Pending => record
                .entries
                .iter()
                .rev()
                .find(|e| e.kind == Kind::FollowUp)
                .and_then(|e| e.date)
                .map_or(asked, |d| d.max(asked)),
            _ => asked,
        };
        let answered = match (record.status, record.answered) {
            (Status::Answered, Some(day)) if day >= asked => Some(day),
            _ => None,
        };
        let unknown_answer = record.status == Status::Answered && record.answered.is_none();
        let first_day = first.and_then(|e| e.date).filter(|d| *d >= asked);
        let responder = first.and_then(|e| match e.kind {
            Kind::Forwarded => e.from,
            _ => e.agency,
        });
        Facts {
            idx,
            status: record.status,
            asked: Some(asked),
            days: answered.map(|day| days_between(asked, day)),
            first_days: first_day.map(|day| days_between(asked, day)),
            on_time: answered.is_some_and(|day| day <= deadline),
            overdue: record.status == Status::Pending && rule.deadline(waiting_since) < today,
            undated: unknown_answer,
            answerer: answered.and(record.answering_agency()),
            responder: first_day.and(responder.or(record.agency)),
        }
    }
}

/// Running totals of a group of records (an agency, a family, a topic, a year, the site).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub counts: Counts,
    days: Vec<i32>,
    first_days: Vec<i32>,
    on_time: usize,
    overdue: usize,
    undated: usize,
    /// The pending record asked first (ties: the smaller index, i.e. the larger id).
    oldest_pending: Option<(Date, RecordIdx)>,
}

impl Tally {
    /// A record of this group, with every figure it contributes.
    pub fn add(&mut self, facts: &Facts) {
        self.add_counts(facts);
        self.add_answer_time(facts);
        self.add_first_response(facts);
    }

    /// A record put to this group: its status, whether it is overdue or undated.
    pub fn add_counts(&mut self, facts: &Facts) {
        self.counts.add(facts.status);
        self.overdue += usize::from(facts.overdue);
        self.undated += usize::from(facts.undated);
        if facts.status == Status::Pending
            && let Some(asked) = facts.asked
        {
            self.note_pending(asked, facts.idx);
        }
    }

    /// The time to a final answer this group gave (an agency's, even for a question that was
    /// forwarded to it).
    pub fn add_answer_time(&mut self, facts: &Facts) {
        if let Some(days) = facts.days {
            self.days.push(days);
            self.on_time += usize::from(facts.on_time);
        }
    }

    /// The time to a first response this group gave (a forwarding or an answer).
    pub fn add_first_response(&mut self, facts: &Facts) {
        self.first_days.extend(facts.first_days);
    }

    pub fn merge(&mut self, other: &Tally) {
        self.counts.merge(&other.counts);
        self.days.extend_from_slice(&other.days);
        self.first_days.extend_from_slice(&other.first_days);
        self.on_time += other.on_time;
        self.overdue += other.overdue;
        self.undated += other.undated;
        if let Some((asked, idx)) = other.oldest_pending {
            self.note_pending(asked, idx);
        }
    }

    fn note_pending(&mut self, asked: Date, idx: RecordIdx) {
        let candidate = (asked, idx);
        if self.oldest_pending.is_none_or(|old| candidate < old) {
            self.oldest_pending = Some(candidate);
        }
    }

    /// The figures, with every rate withheld whose base has fewer than `min_records` records.
    pub fn finish(mut self, ctx: &FinishContext<'_>) -> Figures {
        self.days.sort_unstable();
        self.first_days.sort_unstable();
        let timed = self.days.len();
        let first_responses = self.first_days.len();
        let first_response_median_days = (first_responses >= ctx.min_records.max(1))
            .then(|| median(&self.first_days))
            .flatten();
        let enough_records = self.counts.records >= ctx.min_records.max(1);
        let enough_timed = timed >= ctx.min_records.max(1);
        let answered_share =
            enough_records.then(|| share(self.counts.answered, self.counts.records));
        let median_days = enough_timed.then(|| median(&self.days)).flatten();
        let p90_days = enough_timed.then(|| nearest_rank(&self.days, 90)).flatten();
        let on_time_share = enough_timed.then(|| share(self.on_time, timed));
        let text = FiguresText {
            answered_share: answered_share.map(|s| ctx.numbers.percent(s)),
            median_days: median_days.map(|d| ctx.numbers.decimal(d)),
            p90_days: p90_days.map(|d| ctx.numbers.decimal(f64::from(d))),
            on_time_share: on_time_share.map(|s| ctx.numbers.percent(s)),
            first_response_median_days: first_response_median_days.map(|d| ctx.numbers.decimal(d)),
        };
        Figures {
            counts: self.counts,
            answered_share,
            median_days,
            p90_days,
            timed,
            on_time: self.on_time,
            late: timed - self.on_time,
            on_time_share,
            overdue: self.overdue,
            first_responses,
            first_response_median_days,
            undated: self.undated,
            oldest_pending: self.oldest_pending.map(|(_, idx)| ctx.pending(idx)),
            text,
        }
    }
}

/// What finishing a tally needs from the whole build.
pub struct FinishContext<'a> {
    pub records: &'a [Record],
    pub today: Date,
    pub min_records: usize,
    pub numbers: Numbers,
    /// Repeated on each group's page.
    pub rule: super::Rule,
}

impl FinishContext<'_> {
    fn pending(&self, idx: RecordIdx) -> PendingQuestion {
        let record = &self.records[idx];
        PendingQuestion {
            id: record.id.clone(),
            title: record.title.clone(),
            path: urls::record(&record.id),
            // Only records asked on a known day are candidates.
            asked: record.asked.unwrap_or(self.today),
            asked_text: self.numbers.date(record.asked.unwrap_or(self.today)),
            days_waiting: record
                .asked
                .map_or(0, |asked| days_between(asked, self.today).max(0)),
        }
    }
}

/// The figures of a group of records. `None` means withheld (too few records) or no data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    #[serde(flatten)]
    pub counts: Counts,
    /// Answered records divided by records, rounded to 4 decimals.
    pub answered_share: Option<f64>,
    /// Median calendar days from asked to answered (mean of the two middle values when even).
    pub median_days: Option<f64>,
    /// 90th percentile of the same days, nearest-rank method.
    pub p90_days: Option<i32>,
    /// Answered records with an answer date: the base of the time figures.
    pub timed: usize,
    /// Answered on or before the deadline day.
    pub on_time: usize,
    /// Answered after the deadline day.
    pub late: usize,
    /// `on_time / timed`, rounded to 4 decimals.
    pub on_time_share: Option<f64>,
    /// Pending and past the deadline as of the build date.
    pub overdue: usize,
    /// Records with a first response (an answer or a forwarding) dated: the base of
    /// `first_response_median_days`.
    pub first_responses: usize,
    /// Median calendar days from asked to the first response.
    pub first_response_median_days: Option<f64>,
    /// Records left out of every time figure because a date they need is unknown.
    pub undated: usize,
    pub oldest_pending: Option<PendingQuestion>,
    /// The rates written for people, in the site's language; `None` where withheld.
    pub text: FiguresText,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FiguresText {
    pub answered_share: Option<String>,
    pub median_days: Option<String>,
    pub p90_days: Option<String>,
    pub on_time_share: Option<String>,
    pub first_response_median_days: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingQuestion {
    pub id: String,
    pub title: String,
    pub path: String,
    pub asked: Date,
    pub asked_text: String,
    /// Calendar days from asked to the build date.
    pub days_waiting: i32,
}

/// `part / whole`, rounded to 4 decimals so that equal fractions compare equal.
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    round4(part as f64 / whole as f64)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[i32]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    if n % 2 == 1 {
        Some(f64::from(sorted[mid]))
    } else {
        Some((f64::from(sorted[mid - 1]) + f64::from(sorted[mid])) / 2.0)
    }
}

/// The `p`th percentile of sorted values by the nearest-rank method: the value at rank
/// ⌈p/100 × n⌉ (1-based), always one of the observed values.
pub fn nearest_rank(sorted: &[i32], p: usize) -> Option<i32> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).clamp(1, n);
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4]), Some(4.0));
        assert_eq!(median(&[1, 3, 9]), Some(3.0));
        assert_eq!(median(&[1, 2, 5, 9]), Some(3.5));
        assert_eq!(median(&[2, 2, 2, 7]), Some(2.0));
    }

    #[test]
    fn p90_by_nearest_rank() {
        assert_eq!(nearest_rank(&[], 90), None);
        assert_eq!(nearest_rank(&[5], 90), Some(5));
        // n = 10: rank 9.
        let ten: Vec<i32> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        // n = 11: rank ⌈9.9⌉ = 10.
        let eleven: Vec<i32> = (1..=11).collect();
        assert_eq!(nearest_rank(&eleven, 90), Some(10));
        // n = 4: rank ⌈3.6⌉ = 4.
        assert_eq!(nearest_rank(&[1, 2, 3, 40], 90), Some(40));
        assert_eq!(nearest_rank(&[1, 2, 3, 40], 100), Some(40));
    }

    #[test]
    fn shares_are_rounded() {
        assert_eq!(share(2, 3), 0.6667);
        assert_eq!(share(4, 5), share(8, 10));
        assert_eq!(share(0, 0), 0.0);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn percentiles_lie_within_the_values(mut days in proptest::collection::vec(0i32..400, 1..60)) {
            days.sort_unstable();
            let (low, high) = (days[0], days[days.len() - 1]);
            let median = median(&days).unwrap();
            let p90 = nearest_rank(&days, 90).unwrap();
            prop_assert!(f64::from(low) <= median && median <= f64::from(high));
            prop_assert!(median <= f64::from(p90) && p90 <= high);
            prop_assert!(days.contains(&p90));
            // At least 90% of the values are at most p90.
            let within = days.iter().filter(|&&d| d <= p90).count();
            prop_assert!(within * 10 >= days.len() * 9);
        }
    }
}

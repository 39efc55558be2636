//! The answer deadline: a number of working or calendar days after the question was asked.
//!
//! Working days are Monday to Friday, less the site's `holidays`. There is no built-in
//! holiday list: Vietnam's official days off (Tết above all, and the swapped working days
//! around it) are decided each year, so a site lists the days that applied to it.

use crate::config::{DayKind, Deadline};
use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;

/// How a deadline is counted, ready to apply to many records.
#[derive(Debug, Clone)]
pub struct DeadlineRule {
    days: u32,
    kind: DayKind,
    holidays: BTreeSet<Date>,
}

impl DeadlineRule {
    pub fn new(days: u32, kind: DayKind, holidays: impl IntoIterator<Item = Date>) -> Self {
        DeadlineRule {
            days,
            kind,
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn from_config(deadline: &Deadline) -> Self {
        Self::new(
            deadline.days,
            deadline.kind,
            deadline.holidays.iter().copied(),
        )
    }

    pub fn days(&self) -> u32 {
        self.days
    }

    pub fn kind(&self) -> DayKind {
        self.kind
    }

    /// The holidays, sorted and without repeats.
    pub fn holidays(&self) -> impl Iterator<Item = Date> + '_ {
        self.holidays.iter().copied()
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&day)
    }

    /// The last day on which an answer to a question asked on `asked` is on time.
    ///
    /// Counting starts the day after `asked`: with 1 working day, a question asked on a
    /// Friday is due on Monday. Dates past the end of the calendar saturate.
    pub fn deadline(&self, asked: Date) -> Date {
        match self.kind {
            DayKind::Calendar => add_calendar_days(asked, self.days),
            DayKind::Working => self.add_working_days(asked, self.days),
        }
    }

    fn add_working_days(&self, asked: Date, days: u32) -> Date {
        let mut day = asked;
        let mut left = days;
        while left > 0 {
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => return day,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

fn add_calendar_days(asked: Date, days: u32) -> Date {
    let span = jiff::Span::new().try_days(i64::from(days));
    span.ok()
        .and_then(|span| asked.checked_add(span).ok())
        .unwrap_or(Date::MAX)
}

/// Calendar days from `from` to `to`; negative when `to` is earlier.
pub fn days_between(from: Date, to: Date) -> i32 {
    to.since(from).map_or(0, |span| span.get_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn working(days: u32, holidays: &[Date]) -> DeadlineRule {
        DeadlineRule::new(days, DayKind::Working, holidays.iter().copied())
    }

    #[test]
    fn working_days_skip_weekends() {
        // 2026-11-27 is a Friday.
        assert_eq!(
            working(1, &[]).deadline(date(2026, 11, 27)),
            date(2026, 11, 30)
        );
        assert_eq!(
            working(5, &[]).deadline(date(2026, 11, 27)),
            date(2026, 12, 4)
        );
        // Asked on a Saturday: Monday is the first working day.
        assert_eq!(
            working(1, &[]).deadline(date(2026, 11, 28)),
            date(2026, 11, 30)
        );
        assert_eq!(
            working(15, &[]).deadline(date(2026, 11, 2)),
            date(2026, 11, 23)
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // National Day 2026: Wednesday 2 and Thursday 3 September.
        let rule = working(3, &[date(2026, 9, 2), date(2026, 9, 3)]);
        assert_eq!(rule.deadline(date(2026, 9, 1)), date(2026, 9, 8));
        assert!(!rule.is_working_day(date(2026, 9, 2)));
        assert!(rule.is_working_day(date(2026, 9, 4)));
    }

    #[test]
    fn zero_days_is_the_same_day() {
        assert_eq!(
            working(0, &[]).deadline(date(2026, 11, 28)),
            date(2026, 11, 28)
        );
    }

    #[test]
    fn calendar_days_ignore_weekends_and_holidays() {
        let rule = DeadlineRule::new(15, DayKind::Calendar, [date(2026, 9, 2)]);
        assert_eq!(rule.deadline(date(2026, 9, 1)), date(2026, 9, 16));
        let huge = DeadlineRule::new(u32::MAX, DayKind::Calendar, []);
        assert_eq!(huge.deadline(date(2026, 1, 1)), Date::MAX);
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date(2026, 2, 27), date(2026, 3, 2)), 3);
        assert_eq!(days_between(date(2026, 3, 2), date(2026, 3, 2)), 0);
        assert_eq!(days_between(date(2026, 3, 2), date(2026, 3, 1)), -1);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn day(offset: i64) -> Date {
        date(2020, 1, 1)
            .checked_add(jiff::Span::new().days(offset))
            .unwrap()
    }

    proptest! {
        /// The deadline is the `days`-th working day after the asked date.
        #[test]
        fn deadline_counts_exactly_n_working_days(
            asked in 0i64..3000,
            days in 0u32..40,
            holidays in proptest::collection::vec(0i64..3100, 0..30),
        ) {
            let rule = DeadlineRule::new(days, DayKind::Working, holidays.into_iter().map(day));
            let asked = day(asked);
            let deadline = rule.deadline(asked);
            let mut counted = 0;
            let mut d = asked;
            while d < deadline {
                d = d.tomorrow().unwrap();
                counted += u32::from(rule.is_working_day(d));
            }
            prop_assert_eq!(counted, days);
            if days > 0 {
                prop_assert!(rule.is_working_day(deadline));
            }
        }
    }
}

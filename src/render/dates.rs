//! Dates written the way each interface language writes them.

use crate::config::Language;
use jiff::civil::Date;

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `19/12/2018` (vi) or `19 Dec 2018` (en).
pub fn short(date: Date, language: Language) -> String {
    match language {
        Language::Vi => format!("{:02}/{:02}/{}", date.day(), date.month(), date.year()),
        Language::En => format!(
            "{} {} {}",
            date.day(),
            &EN_MONTHS[(date.month() - 1) as usize][..3],
            date.year()
        ),
    }
}

/// `19 tháng 12, 2018` (vi) or `19 December 2018` (en).
pub fn long(date: Date, language: Language) -> String {
    match language {
        Language::Vi => format!("{} tháng {}, {}", date.day(), date.month(), date.year()),
        Language::En => format!(
            "{} {} {}",
            date.day(),
            EN_MONTHS[(date.month() - 1) as usize],
            date.year()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn vietnamese_and_english() {
        let d = date(2018, 12, 19);
        assert_eq!(short(d, Language::Vi), "19/12/2018");
        assert_eq!(long(d, Language::Vi), "19 tháng 12, 2018");
        assert_eq!(short(date(2019, 3, 5), Language::Vi), "05/03/2019");
        assert_eq!(short(d, Language::En), "19 Dec 2018");
        assert_eq!(long(d, Language::En), "19 December 2018");
    }
}

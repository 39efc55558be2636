//! Numbers and dates written for people in the site's language (Vietnamese uses a decimal comma).

use crate::config::Language;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy)]
pub struct Numbers {
    pub language: Language,
}

impl Numbers {
    pub fn new(language: Language) -> Numbers {
        Numbers { language }
    }

    /// A number with at most one decimal: `7`, `7,5` (vi) or `7.5` (en).
    pub fn decimal(&self, x: f64) -> String {
        let text = format!("{:.1}", (x * 10.0).round() / 10.0);
        let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
        match self.language {
            Language::Vi => text.replace('.', ","),
            Language::En => text,
        }
    }

    /// A share (0 to 1) as a percentage with at most one decimal: `66,7%`.
    pub fn percent(&self, share: f64) -> String {
        format!("{}%", self.decimal(share * 100.0))
    }

    /// `28/11/2026` (vi) or `28 November 2026` (en).
    pub fn date(&self, day: Date) -> String {
        match self.language {
            Language::Vi => crate::render::dates::short(day, self.language),
            Language::En => crate::render::dates::long(day, self.language),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn decimal_comma_in_vietnamese() {
        let vi = Numbers::new(Language::Vi);
        let en = Numbers::new(Language::En);
        assert_eq!(vi.decimal(7.5), "7,5");
        assert_eq!(en.decimal(7.5), "7.5");
        assert_eq!(vi.decimal(7.0), "7");
        assert_eq!(vi.percent(0.6667), "66,7%");
        assert_eq!(en.percent(1.0), "100%");
        assert_eq!(en.percent(0.0), "0%");
    }

    #[test]
    fn dates() {
        assert_eq!(
            Numbers::new(Language::Vi).date(date(2026, 3, 2)),
            "02/03/2026"
        );
        assert_eq!(
            Numbers::new(Language::En).date(date(2026, 3, 2)),
            "2 March 2026"
        );
    }
}

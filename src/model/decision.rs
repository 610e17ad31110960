//! The decision a round's results are published with (`[decision]` in the round file):
//! who issues it, its number and date, as the appendix's heading block cites them.
//! Whatever is not written is left as dots for the officer to fill in by hand.

/// A calendar date, checked when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date that exists in the Gregorian calendar, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year > 0 && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }
}

/// `[decision]`: every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The issuing body as written in a sentence: "Ủy ban nhân dân tỉnh Đắk Lắk".
    pub issuer: Option<String>,
    /// The decision's number and sign: "2345/QĐ-UBND".
    pub number: Option<String>,
    pub date: Option<Date>,
    /// The appendix's own number where the decision has several: "I", "02".
    pub appendix: Option<String>,
    /// The appendix's title; without it, made from the round's title.
    pub title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_dates_are_dates() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2026, 4, 31).is_none());
        assert!(Date::new(2026, 13, 1).is_none());
        assert!(Date::new(2026, 1, 0).is_none());
        assert!(Date::new(0, 1, 1).is_none());
    }
}

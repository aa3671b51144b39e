//! Numbers, dates and times as each language writes them: Indonesian with a decimal
//! comma, a thousands dot and times as 07.56 WIB; English with a decimal point, a
//! thousands comma and 07:56 WIB. Every number and time a page shows goes through here.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::i18n::Lang;
use crate::time::wib;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
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

impl Lang {
    fn decimal_mark(self) -> char {
        match self {
            Lang::Id => ',',
            Lang::En => '.',
        }
    }

    fn group_mark(self) -> char {
        match self {
            Lang::Id => '.',
            Lang::En => ',',
        }
    }

    /// `x` with at most `decimals` decimals (trailing zeros dropped) and grouped
    /// thousands: `1.234,5` in Indonesian, `1,234.5` in English.
    pub fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        let fixed = format!("{:.*}", decimals, x.abs());
        let (whole, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let frac = frac.trim_end_matches('0');
        let mut out = String::new();
        let negative = x < 0.0 && (whole != "0" || !frac.is_empty());
        if negative {
            out.push('-');
        }
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(self.group_mark());
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(self.decimal_mark());
            out.push_str(frac);
        }
        out
    }

    /// A number as a person typed or may type it back: every digit kept, the language's
    /// decimal mark, no grouping (`2,5`).
    pub fn typed_number(self, x: f64) -> String {
        x.to_string().replace('.', &self.decimal_mark().to_string())
    }

    /// The numbers inside a text written with a decimal point (`5 ± 0.01`), in this
    /// language's style.
    pub fn decimals_in(self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        for (i, &c) in chars.iter().enumerate() {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            out.push(if c == '.' && between_digits {
                self.decimal_mark()
            } else {
                c
            });
        }
        out
    }

    /// A date: `2 Desember 2026`, `2 December 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        let months = match self {
            Lang::Id => &MONTHS_ID,
            Lang::En => &MONTHS_EN,
        };
        let month = months[d.month0() as usize];
        format!("{} {month} {}", d.day(), d.year())
    }

    /// A time of day in Jakarta: `07.56 WIB`, `07:56 WIB`.
    pub fn clock(self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&wib());
        let sep = match self {
            Lang::Id => '.',
            Lang::En => ':',
        };
        format!("{}{sep}{} WIB", local.format("%H"), local.format("%M"))
    }

    /// A moment in Jakarta: `2 Desember 2026 07.56 WIB`.
    pub fn moment(self, at: DateTime<Utc>) -> String {
        let day = at.with_timezone(&wib()).date_naive();
        format!("{} {}", self.date(day), self.clock(at))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn numbers_in_both_styles() {
        assert_eq!(Lang::Id.number(0.333, 2), "0,33");
        assert_eq!(Lang::En.number(0.333, 2), "0.33");
        assert_eq!(Lang::Id.number(1234567.5, 1), "1.234.567,5");
        assert_eq!(Lang::En.number(1234567.5, 1), "1,234,567.5");
        assert_eq!(Lang::Id.number(1.0, 2), "1");
        assert_eq!(Lang::Id.number(-0.001, 2), "0");
        assert_eq!(Lang::Id.number(-12.25, 2), "-12,25");
        assert_eq!(Lang::Id.number(999.0, 0), "999");
        assert_eq!(Lang::Id.number(1000.0, 0), "1.000");
        assert_eq!(Lang::Id.number(f64::NAN, 2), "—");
        assert_eq!(Lang::Id.typed_number(2.5), "2,5");
        assert_eq!(Lang::Id.decimals_in("5 ± 0.01"), "5 ± 0,01");
        assert_eq!(Lang::Id.decimals_in("Dr. A. 3.5"), "Dr. A. 3,5");
        assert_eq!(Lang::En.decimals_in("5 ± 0.01"), "5 ± 0.01");
    }

    #[test]
    fn dates_and_times_in_jakarta() {
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 0, 56, 0).unwrap();
        assert_eq!(Lang::Id.clock(at), "07.56 WIB");
        assert_eq!(Lang::En.clock(at), "07:56 WIB");
        assert_eq!(Lang::Id.moment(at), "2 Desember 2026 07.56 WIB");
        assert_eq!(Lang::En.moment(at), "2 December 2026 07:56 WIB");
        // 17:30 UTC is already the next day in Jakarta.
        let late = Utc.with_ymd_and_hms(2026, 12, 31, 17, 30, 0).unwrap();
        assert_eq!(Lang::Id.moment(late), "1 Januari 2027 00.30 WIB");
    }
}

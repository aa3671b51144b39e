//! Time in Mahir: stored in UTC, shown and reckoned in Jakarta time (WIB, UTC+7, no DST).

use std::{
    ops::RangeInclusive,
    sync::atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::error::{AppError, AppResult, Code};

/// The years a date or time entered by a person may fall in (deadlines, due dates).
/// Stored times are compared by the database as text on SQLite, which is only right for
/// four-digit years; beyond that no deadline means anything anyway.
pub const YEARS: RangeInclusive<i32> = 2000..=2100;

/// 422 `invalid_date` on `field` unless `at` falls in [`YEARS`] (in Jakarta).
pub fn check_instant(at: DateTime<Utc>, field: &'static str) -> AppResult<()> {
    check_date(at.with_timezone(&wib()).date_naive(), field)
}

/// 422 `invalid_date` on `field` unless `d` falls in [`YEARS`].
pub fn check_date(d: NaiveDate, field: &'static str) -> AppResult<()> {
    if YEARS.contains(&d.year()) {
        Ok(())
    } else {
        Err(AppError::invalid(Code::InvalidDate, field))
    }
}

/// Western Indonesian Time, UTC+7 all year.
#[allow(clippy::unwrap_used)] // 7 hours is within ±24 h, so the offset always exists.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap()
}

/// When a row is written, for its `created_at`/`updated_at` stamp: the system clock.
/// Never used by a rule — rules (deadlines, due dates, sessions, tokens, throttling,
/// completion dates, NIP checks) take their time from the [`Clock`] in the state.
pub fn stamp() -> DateTime<Utc> {
    Utc::now()
}

/// The time deadlines are judged by: the system clock plus an offset, which only tests
/// move (there is no way to move it from outside the process).
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Now, as deadlines see it.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Today's date in Jakarta, as due dates see it.
    pub fn today_wib(&self) -> NaiveDate {
        self.now().with_timezone(&wib()).date_naive()
    }

    /// Moves this clock forward (tests of deadlines).
    pub fn advance(&self, by: std::time::Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// A UTC instant as Jakarta wall-clock time for files (CSV), e.g. `28-11-2026 18:05 WIB`;
/// pages use [`crate::web::i18n::Tr::moment`].
pub fn format_wib(at: DateTime<Utc>) -> String {
    format!("{} WIB", at.with_timezone(&wib()).format("%d-%m-%Y %H:%M"))
}

/// The calendar day in Jakarta of an instant.
pub fn date_wib(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&wib()).date_naive()
}

/// The calendar year in Jakarta of an instant (the JP year).
pub fn year_wib(at: DateTime<Utc>) -> i32 {
    at.with_timezone(&wib()).year()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn dates_are_bounded() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert!(check_date(d(2000, 1, 1), "d").is_ok());
        assert!(check_date(d(2100, 12, 31), "d").is_ok());
        assert!(check_date(d(1999, 12, 31), "d").is_err());
        assert!(check_date(d(10_000, 1, 1), "d").is_err());
        let late = Utc
            .with_ymd_and_hms(2100, 12, 31, 17, 0, 0)
            .single()
            .expect("valid");
        assert!(check_instant(late, "d").is_err(), "already 2101 in Jakarta");
    }

    #[test]
    fn new_year_follows_jakarta() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 31, 18, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(year_wib(at), 2027);
        assert_eq!(format_wib(at), "01-01-2027 01:00 WIB");
    }
}

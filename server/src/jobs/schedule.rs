//! The scheduled jobs: each is enqueued once per period (a minute, a day, a week, a month
//! in Asia/Jakarta) under the key of that period, so every replica may enqueue it and it
//! runs once. A replica that starts in the middle of a period enqueues that period's job
//! (a daily job missed while the service was down runs when it is back).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};

use super::model::JobKind;

/// How often a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// Every this many minutes (a divisor of 60).
    Minutes(u32),
    /// Every day at this hour and minute, Jakarta time.
    Day(u32, u32),
    /// Every week on this day at this hour and minute.
    Week(Weekday, u32, u32),
    /// Every month on the first at this hour and minute.
    Month(u32, u32),
}

/// The jobs that run by the calendar.
pub const SCHEDULE: &[(JobKind, Every)] = &[
    (JobKind::CloseOverdueAttempts, Every::Minutes(1)),
    (JobKind::Maintenance, Every::Minutes(10)),
    (JobKind::ReportSnapshot, Every::Minutes(1)),
    (JobKind::DueReminders, Every::Day(7, 0)),
    (JobKind::JpShortfall, Every::Month(8, 0)),
];

/// The period `now` falls in: its key and the instant its job is due.
pub fn period(every: Every, now: DateTime<Utc>) -> (String, DateTime<Utc>) {
    let wib = crate::time::wib();
    let local = now.with_timezone(&wib);
    let at = |date: NaiveDate, h: u32, m: u32| -> DateTime<Utc> {
        let time = NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        wib.from_local_datetime(&date.and_time(time))
            .single()
            .map_or(now, |t| t.with_timezone(&Utc))
    };
    match every {
        Every::Minutes(n) => {
            let n = n.clamp(1, 60);
            let minute = local.minute() - local.minute() % n;
            let start = at(local.date_naive(), local.hour(), minute);
            (
                start
                    .with_timezone(&wib)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string(),
                start,
            )
        }
        Every::Day(h, m) => {
            let date = local.date_naive();
            (date.to_string(), at(date, h, m))
        }
        Every::Week(day, h, m) => {
            let week = local.iso_week();
            let date = NaiveDate::from_isoywd_opt(week.year(), week.week(), day)
                .unwrap_or_else(|| local.date_naive());
            (
                format!("{}-W{:02}", week.year(), week.week()),
                at(date, h, m),
            )
        }
        Every::Month(h, m) => {
            let date = local
                .date_naive()
                .with_day(1)
                .unwrap_or_else(|| local.date_naive());
            (date.format("%Y-%m").to_string(), at(date, h, m))
        }
    }
}

/// The key a period's job is enqueued under.
pub fn once_key(kind: JobKind, period: &str) -> String {
    format!("schedule:{kind}:{period}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn periods_are_jakarta_calendar_periods() {
        // 23:30 UTC on the 7th is 06:30 WIB on the 8th.
        let now = utc("2026-12-07T23:30:41Z");
        let (key, due) = period(Every::Minutes(10), now);
        assert_eq!(key, "2026-12-08T06:30");
        assert_eq!(due, utc("2026-12-07T23:30:00Z"));
        let (key, due) = period(Every::Day(7, 0), now);
        assert_eq!(key, "2026-12-08");
        assert_eq!(due, utc("2026-12-08T00:00:00Z"), "07:00 WIB, still ahead");
        let (key, due) = period(Every::Week(Weekday::Mon, 7, 0), now);
        assert_eq!(key, "2026-W50");
        assert_eq!(
            due,
            utc("2026-12-07T00:00:00Z"),
            "Monday the 7th, 07:00 WIB"
        );
        let (key, due) = period(Every::Month(8, 0), now);
        assert_eq!(key, "2026-12");
        assert_eq!(due, utc("2026-12-01T01:00:00Z"));
        assert_eq!(
            once_key(JobKind::DueReminders, "2026-12-08"),
            "schedule:due_reminders:2026-12-08"
        );
    }

    #[test]
    fn a_minute_period_changes_every_minute() {
        let a = period(Every::Minutes(1), utc("2026-12-08T03:00:59Z")).0;
        let b = period(Every::Minutes(1), utc("2026-12-08T03:01:00Z")).0;
        assert_ne!(a, b);
    }
}

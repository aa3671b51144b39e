//! What a job is: its status, its kind (with how often and how long it may run), and the
//! retry delay.

use std::time::Duration;

use crate::vocab::str_enum;

str_enum! {
    /// Where a job is in its life.
    JobStatus {
        /// Waiting for its `run_at` and a free worker.
        Queued => "queued",
        /// Claimed by a worker (its lease says until when).
        Running => "running",
        /// Finished.
        Done => "done",
        /// Gave up after its last attempt (an admin may retry it).
        Failed => "failed",
        /// Stopped by an admin.
        Cancelled => "cancelled",
    }
}

str_enum! {
    /// What a job does. Every handler is idempotent: running a job twice (its process died
    /// after the work, before the job was marked done) does the work once.
    JobKind {
        /// Grades quiz attempts whose deadline passed (every minute).
        CloseOverdueAttempts => "close_overdue_attempts",
        /// Removes expired sessions, old login records, expired exports and old finished jobs.
        Maintenance => "maintenance",
        /// Tells the people an assignment reaches that a course was assigned to them.
        AssignmentNotices => "assignment_notices",
        /// Assignments due in seven days and those overdue (daily).
        DueReminders => "due_reminders",
        /// Employees short of the yearly JP target (monthly, from a configured month).
        JpShortfall => "jp_shortfall",
        /// Stores the current year's report numbers (every minute).
        ReportSnapshot => "report_snapshot",
        /// Mails one notification.
        Mail => "mail",
        /// Writes a report file (CSV or XLSX) into the material store.
        Export => "export",
    }
}

impl JobKind {
    /// Claimed before jobs of a higher number that are due as well: the minute's sweeps
    /// and the report numbers do not wait behind thousands of reminders' mail.
    pub fn priority(self) -> i16 {
        match self {
            JobKind::CloseOverdueAttempts => 0,
            JobKind::ReportSnapshot => 1,
            JobKind::Export => 2,
            JobKind::AssignmentNotices | JobKind::DueReminders | JobKind::JpShortfall => 4,
            JobKind::Mail => 5,
            JobKind::Maintenance => 8,
        }
    }

    /// Runs before the job is given up as failed.
    pub fn max_attempts(self) -> i32 {
        match self {
            // An SMTP outage of several hours delays mail and loses none.
            JobKind::Mail => 12,
            JobKind::Export => 3,
            _ => 5,
        }
    }
}

/// How long a claim lasts without being renewed: a running job's worker renews it every
/// third of this, so a job whose process died is claimed again within it.
pub const LEASE: Duration = Duration::from_secs(60);

/// The wait before run `attempts + 1` after a failure: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::from_secs((30u64 << exp).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(5), Duration::from_secs(480));
        assert_eq!(backoff(8), Duration::from_secs(3600));
        assert_eq!(backoff(40), Duration::from_secs(3600));
        assert_eq!(backoff(0), Duration::from_secs(30));
    }
}

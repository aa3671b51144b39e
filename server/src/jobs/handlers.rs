//! What each kind of job does (the handlers are idempotent: see [`JobKind`]).

use std::sync::atomic::{AtomicI32, Ordering};

use anyhow::Context;
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::JobKind;
use crate::{entities::jobs, state::AppState};

/// A running job's progress (0–100), read by the heartbeat that renews its lease.
#[derive(Debug, Default)]
pub struct Progress {
    /// The latest value not yet recorded, or -1.
    latest: AtomicI32,
}

impl Progress {
    /// Reports `done` of `total` (recorded at the next renewal).
    pub fn set(&self, done: u64, total: u64) {
        let percent = done
            .saturating_mul(100)
            .checked_div(total)
            .unwrap_or(0)
            .min(99);
        self.latest
            .store(i32::try_from(percent).unwrap_or(99) + 1, Ordering::Relaxed);
    }

    /// The progress reported since the last call, if any.
    pub fn take(&self) -> Option<i32> {
        match self.latest.swap(0, Ordering::Relaxed) {
            0 => None,
            n => Some(n - 1),
        }
    }
}

/// The payload's field `name` as a UUID.
fn uuid_field(payload: &Value, name: &str) -> anyhow::Result<Uuid> {
    payload
        .get(name)
        .and_then(Value::as_str)
        .and_then(|s| Uuid::try_parse(s).ok())
        .with_context(|| format!("payload has no `{name}`"))
}

/// Runs one job; its result (what it made, for its page and API) or why it failed.
pub async fn run(
    state: AppState,
    kind: JobKind,
    job: jobs::Model,
    progress: std::sync::Arc<Progress>,
) -> anyhow::Result<Option<Value>> {
    let payload: Value = serde_json::from_str(&job.payload).context("payload is not JSON")?;
    let db = state.db();
    let now = state.clock().now();
    Ok(match kind {
        JobKind::CloseOverdueAttempts => {
            let closed = crate::quizzes::attempts::close_overdue(db, now).await?;
            Some(json!({ "closed": closed }))
        }
        JobKind::Maintenance => {
            let sessions = crate::auth::session_store::delete_expired(db, now).await?;
            crate::auth::throttle::prune(db, now).await?;
            let exports = crate::reports::exports::remove_expired(&state, now).await?;
            let jobs = super::queue::prune(db, now - chrono::Duration::days(30)).await?;
            Some(json!({ "sessions": sessions, "exports": exports, "jobs": jobs }))
        }
        JobKind::AssignmentNotices => {
            let ids: Vec<Uuid> = serde_json::from_value(payload["assignments"].clone())
                .context("payload has no `assignments`")?;
            let sent = crate::notify::reminders::assignment_notices(db, now, &ids).await?;
            Some(json!({ "notices": sent }))
        }
        JobKind::DueReminders => {
            let sent = crate::notify::reminders::due_reminders(db, now).await?;
            Some(json!({ "notices": sent }))
        }
        JobKind::JpShortfall => {
            let config = state.config();
            let sent = crate::notify::reminders::jp_shortfall(
                db,
                now,
                config.learning.jp_target,
                config.jobs.jp_reminder_from_month,
            )
            .await?;
            Some(json!({ "notices": sent }))
        }
        JobKind::ReportSnapshot => Some(
            crate::reports::snapshot::refresh(db, now, state.config().learning.jp_target).await?,
        ),
        JobKind::Export => {
            Some(crate::reports::exports::run(&state, &job, &payload, &progress).await?)
        }
        JobKind::Mail => {
            let id = uuid_field(&payload, "notification")?;
            let done =
                crate::notify::deliver::send(db, state.mailer(), &state.config().base_url, id)
                    .await?;
            Some(match done {
                crate::notify::deliver::Delivered::Sent => json!({ "sent": true }),
                crate::notify::deliver::Delivered::Skipped(why) => {
                    json!({ "sent": false, "skipped": why })
                }
            })
        }
    })
}

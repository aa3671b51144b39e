//! The queue's rows: enqueue (once per key), claim (one worker per job, even across
//! replicas), renew, finish, fail with a retry, and the admin's retry and cancel.
//!
//! A claim is one `UPDATE … RETURNING` of the most urgent due job: on PostgreSQL its row is
//! chosen with `FOR UPDATE SKIP LOCKED`, so two replicas claiming at once take two jobs;
//! on SQLite the statement runs in the writer's turn, which is the lock. Every claim gets
//! a new `lease`, and only the worker holding it may renew or finish the run: a job whose
//! process died is claimed again once its lease lapses, and the old run (if it was only
//! slow) can no longer finish it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query},
};
use uuid::Uuid;

use super::model::{JobKind, JobStatus, LEASE, backoff};
use crate::{
    auth::principal::Principal,
    entities::jobs::{self, Column},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// What to do.
    pub kind: JobKind,
    /// Its input.
    pub payload: serde_json::Value,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Enqueued once per key (a period, an event).
    pub once_key: Option<String>,
    /// Who asked.
    pub created_by: Option<Uuid>,
}

impl NewJob {
    /// A job to run from `now`.
    pub fn new(kind: JobKind, payload: serde_json::Value, now: DateTime<Utc>) -> Self {
        Self {
            kind,
            payload,
            run_at: now,
            once_key: None,
            created_by: None,
        }
    }

    /// Enqueued at most once under `key`.
    pub fn once(mut self, key: impl Into<String>) -> Self {
        self.once_key = Some(key.into());
        self
    }

    /// Asked for by this user (who may then read its result).
    pub fn by(mut self, user: Uuid) -> Self {
        self.created_by = Some(user);
        self
    }
}

/// Enqueues a job, inside the caller's transaction when there is one (the job exists if
/// and only if the change that asked for it commits). A job whose key is taken is not
/// enqueued again: `None`.
pub async fn enqueue(db: &impl ConnectionTrait, job: NewJob) -> AppResult<Option<Uuid>> {
    let id = Uuid::now_v7();
    let at = stamp();
    let row = jobs::ActiveModel {
        id: Set(id),
        kind: Set(job.kind.as_str().to_owned()),
        payload: Set(job.payload.to_string()),
        status: Set(JobStatus::Queued),
        once_key: Set(job.once_key),
        priority: Set(job.kind.priority()),
        run_at: Set(job.run_at),
        attempts: Set(0),
        max_attempts: Set(job.kind.max_attempts()),
        lease: Set(None),
        locked_until: Set(None),
        progress: Set(0),
        last_error: Set(None),
        result: Set(None),
        created_by: Set(job.created_by),
        created_at: Set(at),
        updated_at: Set(at),
        finished_at: Set(None),
    };
    let inserted = jobs::Entity::insert(row)
        .on_conflict(OnConflict::column(Column::OnceKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok((inserted > 0).then_some(id))
}

/// Jobs a worker may claim at `now`: queued and due, or running with a lapsed lease.
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(Column::Status.eq(JobStatus::Queued))
                .add(Column::RunAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(Column::Status.eq(JobStatus::Running))
                .add(Column::LockedUntil.lt(now)),
        )
}

/// Claims the most urgent claimable job (by its kind's priority, then the oldest) for
/// one run, or `None` when there is none. A cheap read
/// first, so an idle queue takes no write turn.
pub async fn claim(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<Option<jobs::Model>> {
    let waiting = jobs::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(now))
        .limit(1)
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    if waiting.is_none() {
        return Ok(None);
    }
    let oldest = Query::select()
        .column(Column::Id)
        .from(jobs::Entity)
        .cond_where(claimable(now))
        .order_by(Column::Priority, sea_orm::Order::Asc)
        .order_by(Column::RunAt, sea_orm::Order::Asc)
        .order_by(Column::Id, sea_orm::Order::Asc)
        .limit(1)
        // PostgreSQL: a row another replica is claiming is skipped, not waited for.
        // SQLite has no row locks (and needs none: this runs in the writer's turn).
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let lease = Uuid::new_v4();
    let until = now + LEASE;
    let claimed = crate::db::in_write(db, async |txn| {
        Ok::<_, AppError>(
            jobs::Entity::update_many()
                .col_expr(Column::Status, Expr::value(JobStatus::Running.as_str()))
                .col_expr(
                    Column::Attempts,
                    Expr::col(Column::Attempts).add(Expr::value(1)),
                )
                .col_expr(Column::Lease, Expr::value(lease))
                .col_expr(Column::LockedUntil, Expr::value(until))
                .col_expr(Column::UpdatedAt, Expr::value(stamp()))
                .filter(Column::Id.in_subquery(oldest))
                .exec_with_returning(txn)
                .await?,
        )
    })
    .await?;
    Ok(claimed.into_iter().next())
}

/// The run holding `lease` on job `id`.
fn held(id: Uuid, lease: Uuid) -> Condition {
    Condition::all()
        .add(Column::Id.eq(id))
        .add(Column::Lease.eq(lease))
        .add(Column::Status.eq(JobStatus::Running))
}

/// Renews a run's lease (and records its progress); `false` when the run lost it (the job
/// was cancelled, or claimed again after the lease lapsed): the run must stop.
pub async fn renew(
    db: &DatabaseConnection,
    id: Uuid,
    lease: Uuid,
    now: DateTime<Utc>,
    progress: Option<i32>,
) -> AppResult<bool> {
    let mut update = jobs::Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(now + LEASE))
        .col_expr(Column::UpdatedAt, Expr::value(stamp()));
    if let Some(p) = progress {
        update = update.col_expr(Column::Progress, Expr::value(p.clamp(0, 99)));
    }
    let update = update.filter(held(id, lease));
    let changed =
        crate::db::in_write(db, async |txn| Ok::<_, AppError>(update.exec(txn).await?)).await?;
    Ok(changed.rows_affected > 0)
}

/// Marks a run done with what it made; `false` when the run had lost its lease (its work,
/// idempotent, is then someone else's to finish).
pub async fn finish(
    db: &DatabaseConnection,
    id: Uuid,
    lease: Uuid,
    now: DateTime<Utc>,
    result: Option<serde_json::Value>,
) -> AppResult<bool> {
    let update = jobs::Entity::update_many()
        .col_expr(Column::Status, Expr::value(JobStatus::Done.as_str()))
        .col_expr(Column::Progress, Expr::value(100))
        .col_expr(Column::Result, Expr::value(result.map(|r| r.to_string())))
        .col_expr(Column::Lease, Expr::value(Option::<Uuid>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::FinishedAt, Expr::value(now))
        .col_expr(Column::UpdatedAt, Expr::value(stamp()))
        .filter(held(id, lease));
    let changed =
        crate::db::in_write(db, async |txn| Ok::<_, AppError>(update.exec(txn).await?)).await?;
    Ok(changed.rows_affected > 0)
}

/// Records a failed run: queued again after [`backoff`], or failed for good after its
/// last attempt.
pub async fn fail(
    db: &DatabaseConnection,
    job: &jobs::Model,
    lease: Uuid,
    now: DateTime<Utc>,
    error: &str,
) -> AppResult<JobStatus> {
    let error: String = error.chars().take(2000).collect();
    let give_up = job.attempts >= job.max_attempts;
    let status = if give_up {
        JobStatus::Failed
    } else {
        JobStatus::Queued
    };
    let mut update = jobs::Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.as_str()))
        .col_expr(Column::LastError, Expr::value(error))
        .col_expr(Column::Lease, Expr::value(Option::<Uuid>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(stamp()));
    update = if give_up {
        update.col_expr(Column::FinishedAt, Expr::value(now))
    } else {
        update.col_expr(Column::RunAt, Expr::value(now + backoff(job.attempts)))
    };
    let update = update.filter(held(job.id, lease));
    crate::db::in_write(db, async |txn| Ok::<_, AppError>(update.exec(txn).await?)).await?;
    Ok(status)
}

/// A job the caller may see: admins every job, others only those they asked for (404
/// otherwise, as for anything outside one's scope).
pub async fn visible(db: &impl ConnectionTrait, p: &Principal, id: Uuid) -> AppResult<jobs::Model> {
    let job = jobs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.is_admin() || job.created_by == Some(p.user.id) {
        Ok(job)
    } else {
        Err(AppError::NotFound)
    }
}

/// One page of the queue for the admins' page, newest first, optionally of one status
/// and one kind.
pub async fn list(
    db: &impl ConnectionTrait,
    p: &Principal,
    status: Option<JobStatus>,
    kind: Option<&str>,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<jobs::Model>, u64)> {
    p.require_admin()?;
    let mut query = jobs::Entity::find();
    if let Some(s) = status {
        query = query.filter(Column::Status.eq(s));
    }
    if let Some(k) = kind {
        query = query.filter(Column::Kind.eq(k.trim()));
    }
    let pages = query
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .paginate(db, per_page);
    let total = pages.num_items().await?;
    let rows = pages.fetch_page(page.saturating_sub(1)).await?;
    Ok((rows, total))
}

/// How many jobs are in each status (the admins' page).
pub async fn counts(db: &impl ConnectionTrait) -> AppResult<Vec<(JobStatus, u64)>> {
    let rows: Vec<(JobStatus, i64)> = jobs::Entity::find()
        .select_only()
        .column(Column::Status)
        .column_as(Column::Id.count(), "n")
        .group_by(Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(JobStatus::ALL
        .iter()
        .map(|s| {
            let n = rows.iter().find(|(r, _)| r == s).map_or(0, |(_, n)| *n);
            (*s, u64::try_from(n).unwrap_or(0))
        })
        .collect())
}

/// An admin runs a failed or cancelled job again, from now, with its attempts reset.
pub async fn retry(
    db: &DatabaseConnection,
    p: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    p.require_admin()?;
    let update = jobs::Entity::update_many()
        .col_expr(Column::Status, Expr::value(JobStatus::Queued.as_str()))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::RunAt, Expr::value(now))
        .col_expr(
            Column::FinishedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(stamp()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in([JobStatus::Failed, JobStatus::Cancelled]));
    change_state(db, id, update, Code::JobNotRetryable).await
}

/// An admin cancels a job that has not finished: a queued one never runs, a running one
/// loses its lease (its worker stops at its next renewal and cannot finish it).
pub async fn cancel(
    db: &DatabaseConnection,
    p: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    p.require_admin()?;
    let update = jobs::Entity::update_many()
        .col_expr(Column::Status, Expr::value(JobStatus::Cancelled.as_str()))
        .col_expr(Column::Lease, Expr::value(Option::<Uuid>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::FinishedAt, Expr::value(now))
        .col_expr(Column::UpdatedAt, Expr::value(stamp()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in([JobStatus::Queued, JobStatus::Running, JobStatus::Failed]));
    change_state(db, id, update, Code::JobFinished).await
}

/// Runs an admin's state change: 404 for no such job, 409 `refusal` when its status does
/// not allow the change.
async fn change_state(
    db: &DatabaseConnection,
    id: Uuid,
    update: sea_orm::UpdateMany<jobs::Entity>,
    refusal: Code,
) -> AppResult<()> {
    crate::db::in_write(db, async |txn| {
        if jobs::Entity::find_by_id(id).one(txn).await?.is_none() {
            return Err(AppError::NotFound);
        }
        if update.exec(txn).await?.rows_affected == 0 {
            return Err(AppError::Conflict {
                code: refusal,
                detail: None,
            });
        }
        Ok(())
    })
    .await
}

/// Removes finished jobs older than `before` (their results' files are removed by their
/// kinds first).
pub async fn prune(db: &DatabaseConnection, before: DateTime<Utc>) -> AppResult<u64> {
    let delete = jobs::Entity::delete_many()
        .filter(Column::Status.is_in([JobStatus::Done, JobStatus::Cancelled, JobStatus::Failed]))
        .filter(Column::FinishedAt.lt(before));
    let done =
        crate::db::in_write(db, async |txn| Ok::<_, AppError>(delete.exec(txn).await?)).await?;
    Ok(done.rows_affected)
}

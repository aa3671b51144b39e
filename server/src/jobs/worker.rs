//! This replica's share of the queue: a few workers that claim and run jobs, and the
//! scheduler that enqueues each period's scheduled jobs.

use std::{collections::HashMap, sync::Arc, time::Duration};

use tokio::task::JoinSet;

use super::{
    handlers,
    model::{JobKind, JobStatus, LEASE},
    queue::{self, NewJob},
    schedule::{self, SCHEDULE},
};
use crate::{entities::jobs, state::AppState};

/// How long an idle worker waits before looking again.
const IDLE: Duration = Duration::from_millis(500);

/// Runs the workers (and the scheduler, when configured) until the task is aborted.
pub async fn run(state: AppState) {
    let rules = state.config().jobs;
    let mut tasks = JoinSet::new();
    for n in 0..rules.workers {
        tasks.spawn(work(state.clone(), n));
    }
    if rules.schedule {
        tasks.spawn(enqueue_scheduled(state.clone()));
    }
    while tasks.join_next().await.is_some() {}
}

/// One worker: claim, run, repeat; wait a little when the queue is idle.
async fn work(state: AppState, n: u32) {
    loop {
        match queue::claim(state.db(), state.clock().now()).await {
            Ok(Some(job)) => execute(&state, job).await,
            Ok(None) => tokio::time::sleep(IDLE).await,
            Err(e) => {
                tracing::warn!(worker = n, error = ?e, "claiming a job failed");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

/// Runs one claimed job: its handler beside a heartbeat that renews the lease; done,
/// retried later, or failed for good.
pub async fn execute(state: &AppState, job: jobs::Model) {
    let Some(lease) = job.lease else { return };
    let now = state.clock().now();
    let Some(kind) = JobKind::parse(&job.kind) else {
        give_up(state, &job, lease, "unknown job kind").await;
        return;
    };
    if job.attempts > job.max_attempts {
        // Its last run's process died: it has had every attempt it is allowed.
        give_up(state, &job, lease, "its last attempt did not finish").await;
        return;
    }
    let progress = Arc::new(handlers::Progress::default());
    let run = tokio::spawn(handlers::run(
        state.clone(),
        kind,
        job.clone(),
        progress.clone(),
    ));
    let abort = run.abort_handle();
    let heartbeat = async {
        loop {
            tokio::time::sleep(LEASE / 3).await;
            let renewed = queue::renew(
                state.db(),
                job.id,
                lease,
                state.clock().now(),
                progress.take(),
            )
            .await;
            if let Ok(false) = renewed {
                return;
            }
        }
    };
    let outcome = tokio::select! {
        outcome = run => outcome,
        () = heartbeat => {
            abort.abort();
            tracing::info!(job_id = %job.id, kind = %kind, "job lost its lease (cancelled or claimed again): stopped");
            return;
        }
    };
    let now_done = state.clock().now().max(now);
    match outcome {
        Ok(Ok(result)) => match queue::finish(state.db(), job.id, lease, now_done, result).await {
            Ok(true) => tracing::debug!(job_id = %job.id, kind = %kind, "job done"),
            Ok(false) => tracing::info!(job_id = %job.id, "job finished after losing its lease"),
            Err(e) => tracing::warn!(job_id = %job.id, error = ?e, "marking a job done failed"),
        },
        Ok(Err(e)) => failed(state, &job, lease, &format!("{e:#}")).await,
        Err(e) => failed(state, &job, lease, &format!("panicked: {e}")).await,
    }
}

async fn failed(state: &AppState, job: &jobs::Model, lease: uuid::Uuid, error: &str) {
    match queue::fail(state.db(), job, lease, state.clock().now(), error).await {
        Ok(JobStatus::Failed) => {
            tracing::error!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, error, "job failed for good");
        }
        Ok(_) => {
            tracing::warn!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, error, "job failed; it will be retried");
        }
        Err(e) => tracing::warn!(job_id = %job.id, error = ?e, "recording a failed job failed"),
    }
}

async fn give_up(state: &AppState, job: &jobs::Model, lease: uuid::Uuid, why: &str) {
    let mut last = job.clone();
    last.attempts = last.max_attempts;
    failed(state, &last, lease, why).await;
}

/// Enqueues each scheduled job once per period: checked every second, written only when
/// this replica sees a period it has not enqueued yet.
async fn enqueue_scheduled(state: AppState) {
    let mut seen: HashMap<JobKind, String> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = state.clock().now();
        for (kind, every) in SCHEDULE {
            let (period, due) = schedule::period(*every, now);
            if seen.get(kind) == Some(&period) {
                continue;
            }
            let job = NewJob {
                run_at: due,
                ..NewJob::new(*kind, serde_json::json!({ "period": period }), now)
            }
            .once(schedule::once_key(*kind, &period));
            match crate::db::in_write(state.db(), async |txn| queue::enqueue(txn, job).await).await
            {
                Ok(_) => {
                    seen.insert(*kind, period);
                }
                Err(e) => {
                    tracing::warn!(kind = %kind, error = ?e, "enqueueing a scheduled job failed")
                }
            }
        }
    }
}

//! `/api/v1/jobs`: one job's state (its owner and admins), the queue (admins), retry and
//! cancel (admins).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{model::JobStatus, queue};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    entities::jobs,
    error::{AppError, AppResult, Code},
    state::AppState,
    web::extract::{Id, PageQuery, Params},
};

/// A job.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobJson {
    /// Its id.
    pub id: Uuid,
    /// What it does.
    pub kind: String,
    /// `queued`, `running`, `done`, `failed` or `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: i32,
    /// Where what it made can be downloaded (until it expires), when it made a file.
    pub download_url: Option<String>,
    /// Runs begun so far, and how many it may have.
    pub attempts: i32,
    /// Runs it may have.
    pub max_attempts: i32,
    /// Why its last run failed.
    pub last_error: Option<String>,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// When it was enqueued.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it reported (counts, its file), for the queue's page.
    pub result: Option<serde_json::Value>,
}

impl JobJson {
    /// A job as the API shows it at `now` (a download link only while it lasts).
    pub fn of(j: jobs::Model, now: DateTime<Utc>) -> Self {
        let download_url = crate::reports::exports::file_of(&j, now)
            .map(|_| format!("/api/v1/jobs/{}/download", j.id));
        let result: Option<serde_json::Value> = j
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok());
        JobJson {
            id: j.id,
            kind: j.kind,
            status: j.status.as_str().to_owned(),
            progress: j.progress,
            download_url,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            last_error: j.last_error,
            run_at: j.run_at,
            created_at: j.created_at,
            finished_at: j.finished_at,
            result,
        }
    }
}

/// A page of jobs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobList {
    /// This page's jobs, newest first.
    pub items: Vec<JobJson>,
    /// Jobs in all.
    pub total: u64,
    /// The page, from 1.
    pub page: u64,
    /// Jobs per page.
    pub per_page: u64,
}

/// Filters of the queue.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct JobQuery {
    /// Only jobs in this status.
    pub status: Option<String>,
    /// Only jobs of this kind (`mail`, `export`, `report_snapshot`, …).
    pub kind: Option<String>,
    /// Page, from 1.
    pub page: Option<u64>,
    /// Jobs per page.
    pub per_page: Option<u64>,
}

impl JobQuery {
    /// The status asked for; 422 `invalid_status` for an unknown one.
    pub fn status(&self) -> AppResult<Option<JobStatus>> {
        match self.status.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => JobStatus::parse(s)
                .map(Some)
                .ok_or_else(|| AppError::invalid(Code::InvalidJobStatus, "status")),
        }
    }
}

/// A job's state: its owner (who asked for it) and admins; 404 for anyone else.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = JobJson), (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<JobJson>> {
    Ok(Json(JobJson::of(
        queue::visible(state.db(), &p, id).await?,
        state.clock().now(),
    )))
}

/// The file an export job made, while its link lasts (its owner and admins; 404
/// otherwise, and once the link expired).
#[utoipa::path(get, path = "/api/v1/jobs/{id}/download", tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, description = "The file (CSV or XLSX)"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<axum::response::Response> {
    crate::reports::exports::download(&state, &p, id).await
}

/// The queue, newest first (admins).
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs",
    security(("bearer" = [])),
    params(JobQuery),
    responses((status = 200, body = JobList), (status = 403, body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<JobQuery>,
) -> AppResult<Json<JobList>> {
    let paging = PageQuery {
        page: q.page,
        per_page: q.per_page,
    };
    let (rows, total) = queue::list(
        state.db(),
        &p,
        q.status()?,
        q.kind.as_deref().filter(|k| !k.trim().is_empty()),
        paging.page(),
        paging.per_page(),
    )
    .await?;
    let now = state.clock().now();
    Ok(Json(JobList {
        items: rows.into_iter().map(|j| JobJson::of(j, now)).collect(),
        total,
        page: paging.page(),
        per_page: paging.per_page(),
    }))
}

/// Run a failed or cancelled job again (admins); 409 `job_not_retryable` otherwise.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/retry", tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = JobJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<JobJson>> {
    queue::retry(state.db(), &p, id, state.clock().now()).await?;
    Ok(Json(JobJson::of(
        queue::visible(state.db(), &p, id).await?,
        state.clock().now(),
    )))
}

/// Cancel a job that has not finished (admins); 409 `job_finished` once it is done.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/cancel", tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = JobJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_job(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<(StatusCode, Json<JobJson>)> {
    queue::cancel(state.db(), &p, id, state.clock().now()).await?;
    let job = queue::visible(state.db(), &p, id).await?;
    Ok((StatusCode::OK, Json(JobJson::of(job, state.clock().now()))))
}

//! `/admin/jobs`: the queue for admins, by status, with retry and cancel.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    api::{JobJson, JobQuery},
    model::JobStatus,
    queue,
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    error::AppResult,
    state::AppState,
    web::{
        extract::{Id, Params},
        page::{PageCtx, Pager, render},
    },
};

/// Jobs per page.
const PER_PAGE: u64 = 50;

#[derive(Template)]
#[template(path = "jobs/queue.html")]
struct QueuePage {
    page: PageCtx,
    /// Each status with its count, written the reader's way.
    counts: Vec<(JobStatus, String)>,
    status: Option<JobStatus>,
    jobs: Vec<JobJson>,
    pager: Pager,
    changed: bool,
}

/// `GET /admin/jobs?status=`
pub async fn queue_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<JobQuery>,
) -> AppResult<Response> {
    p.require_admin()?;
    let status = q.status()?;
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = queue::list(state.db(), &p, status, None, page, PER_PAGE).await?;
    let base = status.map(|s| format!("status={s}&")).unwrap_or_default();
    let page_ctx = PageCtx::new(&ctx, "jobs.title");
    let counts = queue::counts(state.db())
        .await?
        .into_iter()
        .map(|(s, n)| (s, page_ctx.t.number(n as f64, 0)))
        .collect();
    render(&QueuePage {
        page: page_ctx,
        counts,
        status,
        jobs: rows
            .into_iter()
            .map(|j| JobJson::of(j, state.clock().now()))
            .collect(),
        pager: Pager::new(page, total, PER_PAGE, base),
        changed: q.page.is_none() && ctx.path.contains("changed"),
    })
}

/// The retry and cancel forms: the token and where to go back to.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    /// The status filter the page had.
    #[serde(default)]
    status: String,
}

fn back(form: &ActionForm) -> Response {
    let status = JobStatus::parse(form.status.trim())
        .map(|s| format!("status={s}&"))
        .unwrap_or_default();
    Redirect::to(&format!("/admin/jobs?{status}changed=1")).into_response()
}

/// `POST /admin/jobs/{id}/retry`
pub async fn retry(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    queue::retry(state.db(), &p, id, state.clock().now()).await?;
    Ok(back(&form))
}

/// `POST /admin/jobs/{id}/cancel`
pub async fn cancel(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    queue::cancel(state.db(), &p, id, state.clock().now()).await?;
    Ok(back(&form))
}

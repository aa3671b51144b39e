//! The job queue: work done outside requests, in the database so that nothing asked for
//! is lost and each job runs once across replicas. `queue` holds the rows' life (enqueue,
//! claim, renew, finish, retry), `worker` this replica's workers and scheduler,
//! `schedule` the calendar of scheduled jobs, `handlers` what each kind does.

pub mod api;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod queue;
pub mod schedule;
pub mod worker;

use axum::{
    Router,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The admins' page of the queue.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/admin/jobs", get(pages::queue_page))
        .route("/admin/jobs/{id}/retry", post(pages::retry))
        .route("/admin/jobs/{id}/cancel", post(pages::cancel))
}

/// The jobs API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_jobs))
        .routes(routes!(api::get_job))
        .routes(routes!(api::download))
        .routes(routes!(api::retry_job))
        .routes(routes!(api::cancel_job))
}

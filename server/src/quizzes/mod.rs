//! Quizzes: question banks with GIFT and Aiken import, quizzes as lessons, attempts with
//! server-side deadlines, and automatic grading.

pub mod api;
pub mod attempts;
pub mod bank;
pub mod essays;
pub mod grading;
pub mod model;
pub mod quiz;
pub mod results;
pub mod views;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The quiz API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::import))
        .routes(routes!(api::list))
        .routes(routes!(api::export))
        .routes(routes!(api::create_quiz))
        .routes(routes!(api::start_attempt))
        .routes(routes!(api::save_answer))
        .routes(routes!(api::submit_attempt))
        .routes(routes!(api::get_attempt))
        .routes(routes!(api::grading_queue))
        .routes(routes!(api::grade_answer))
        .routes(routes!(api::quiz_results))
}

/// Closes and grades every attempt whose deadline passed (each in its own transaction);
/// returns how many.
pub async fn close_overdue(state: &AppState) -> crate::error::AppResult<usize> {
    let now = state.clock().now();
    let due = attempts::overdue(state.db(), now).await?;
    for a in &due {
        let txn = crate::db::begin_write(state.db()).await?;
        let deadline = a.deadline.unwrap_or(now);
        attempts::finish(&txn, a.clone(), deadline).await?;
        txn.commit().await?;
    }
    Ok(due.len())
}

//! Quizzes: question banks with GIFT and Aiken import, quizzes as lessons, attempts with
//! server-side deadlines, and automatic grading.

pub mod answers;
pub mod api;
pub mod attempts;
pub mod bank;
pub mod essays;
pub mod form;
pub mod grading;
pub mod model;
pub mod outcome;
pub mod pages;
pub mod panel;
pub mod prepared;
pub mod quiz;
pub mod regrade;
pub mod results;
pub mod teach;
pub mod views;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The learner's and the instructor's quiz pages.
pub fn pages() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/quizzes/{id}/start", post(pages::start))
        .route("/attempts/{id}", get(pages::attempt).post(pages::answer))
        .route(
            "/teach/courses/{id}/questions",
            get(teach::questions)
                .post(teach::import)
                .layer(axum::extract::DefaultBodyLimit::max(bank::MAX_REQUEST)),
        )
        .route(
            "/teach/courses/{id}/questions/new",
            get(teach::new_question).post(teach::create),
        )
        .route("/teach/courses/{id}/questions.gift", get(teach::export))
        .route(
            "/teach/bank",
            get(teach::shared_questions)
                .post(teach::import_shared)
                .layer(axum::extract::DefaultBodyLimit::max(bank::MAX_REQUEST)),
        )
        .route(
            "/teach/bank/new",
            get(teach::new_shared).post(teach::create_shared),
        )
        .route("/teach/bank.gift", get(teach::export_shared))
        .route(
            "/teach/questions/{id}",
            get(teach::question).post(teach::correct),
        )
        .route("/teach/questions/{id}/form", post(teach::update))
        .route(
            "/teach/modules/{id}/quiz",
            get(teach::new_quiz).post(teach::create_quiz),
        )
        .route("/teach/quizzes/{id}", get(teach::quiz_page))
        .route(
            "/teach/quizzes/{id}/edit",
            get(teach::edit_quiz).post(teach::update_quiz),
        )
        .route("/teach/quizzes/{id}/results.csv", get(teach::results_csv))
        .route("/teach/courses/{id}/grading", get(teach::grading))
        .route(
            "/teach/attempts/{id}/answers/{question_id}/grade",
            post(teach::grade),
        )
}

/// The quiz API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // A question file may be larger than other bodies (see `bank::MAX_FILE`).
        .merge(
            OpenApiRouter::new()
                .routes(routes!(api::import))
                .routes(routes!(api::import_shared))
                .layer(axum::extract::DefaultBodyLimit::max(bank::MAX_REQUEST)),
        )
        .routes(routes!(api::list))
        .routes(routes!(api::export))
        .routes(routes!(api::list_shared))
        .routes(routes!(api::export_shared))
        .routes(routes!(api::create_quiz))
        .routes(routes!(api::update_quiz))
        .routes(routes!(api::start_attempt))
        .routes(routes!(api::save_answer))
        .routes(routes!(api::submit_attempt))
        .routes(routes!(api::get_attempt))
        .routes(routes!(api::grading_queue))
        .routes(routes!(api::grade_answer))
        .routes(routes!(api::quiz_results))
        .routes(routes!(api::correct_question))
        .routes(routes!(api::regrade_question))
}

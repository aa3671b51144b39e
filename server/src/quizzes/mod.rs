//! Quizzes: question banks with GIFT and Aiken import, quizzes as lessons, attempts with
//! server-side deadlines, and automatic grading.

pub mod api;
pub mod attempts;
pub mod bank;
pub mod essays;
pub mod form;
pub mod grading;
pub mod model;
pub mod pages;
pub mod panel;
pub mod quiz;
pub mod regrade;
pub mod results;
pub mod teach;
pub mod views;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::principal::Principal,
    courses::{access, enrolment},
    entities::{attempts as attempt_rows, quizzes},
    error::AppResult,
    state::AppState,
};

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
                .layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024)),
        )
        .route("/teach/courses/{id}/questions.gift", get(teach::export))
        .route(
            "/teach/bank",
            get(teach::shared_questions)
                .post(teach::import_shared)
                .layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024)),
        )
        .route("/teach/bank.gift", get(teach::export_shared))
        .route(
            "/teach/questions/{id}",
            get(teach::question).post(teach::correct),
        )
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
        .routes(routes!(api::import))
        .routes(routes!(api::list))
        .routes(routes!(api::export))
        .routes(routes!(api::import_shared))
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

/// Makes a quiz as the last lesson of module `module_id` (the course's editors).
pub async fn add_quiz(
    state: &AppState,
    p: &Principal,
    module_id: uuid::Uuid,
    input: &quiz::QuizInput,
) -> AppResult<quizzes::Model> {
    let txn = crate::db::begin_write(state.db()).await?;
    let module = crate::courses::authoring::module(&txn, module_id).await?;
    access::editable(&txn, p, module.course_id).await?;
    let made = quiz::create(&txn, &module, input).await?;
    txn.commit().await?;
    Ok(made)
}

/// Changes quiz `quiz_id` (the course's editors); see [`quiz::update`].
pub async fn change_quiz(
    state: &AppState,
    p: &Principal,
    quiz_id: uuid::Uuid,
    input: &quiz::QuizInput,
) -> AppResult<quizzes::Model> {
    let txn = crate::db::begin_write(state.db()).await?;
    let current = quiz::get(&txn, quiz_id).await?;
    access::editable(&txn, p, current.course_id).await?;
    let changed = quiz::update(&txn, current, input).await?;
    txn.commit().await?;
    Ok(changed)
}

/// Starts an attempt for the caller (enrolling them first where they may enrol themselves),
/// or returns the one in progress; `true` when it is new.
pub async fn start_attempt(
    state: &AppState,
    p: &Principal,
    quiz_id: uuid::Uuid,
) -> AppResult<(quizzes::Model, attempt_rows::Model, bool)> {
    let now = state.clock().now();
    // Reads first, so the write transaction is short when thousands start at once.
    let quiz = quiz::get(state.db(), quiz_id).await?;
    let course = access::course(state.db(), p, quiz.course_id).await?;
    let drawn = attempts::draw(state.db(), &quiz).await?;
    let txn = crate::db::begin_write(state.db()).await?;
    if !course.can_learn() {
        enrolment::enrol(&txn, p.user.id, &course).await?;
    }
    let (attempt, created) = attempts::start_drawn(&txn, now, p.user.id, &quiz, drawn).await?;
    txn.commit().await?;
    Ok((quiz, attempt, created))
}

/// Submits the caller's attempt (idempotent): the quiz and the questions are read first,
/// then the attempt is finished and graded in a short write transaction.
pub async fn submit_attempt(
    state: &AppState,
    user_id: uuid::Uuid,
    attempt_id: uuid::Uuid,
) -> AppResult<attempt_rows::Model> {
    let now = state.clock().now();
    let attempt = attempts::own(state.db(), user_id, attempt_id).await?;
    if attempt.state != attempts::IN_PROGRESS {
        return Ok(attempt);
    }
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let questions = attempts::questions_of(state.db(), &attempts::layout(&attempt)).await?;
    let at = attempt.deadline.map_or(now, |d| d.min(now));
    let txn = crate::db::begin_write(state.db()).await?;
    let done = attempts::finish_with(&txn, attempt, at, &quiz, &questions).await?;
    txn.commit().await?;
    Ok(done)
}

/// Closes and grades every attempt whose deadline passed (each in its own transaction);
/// returns how many.
pub async fn close_overdue(state: &AppState) -> AppResult<usize> {
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

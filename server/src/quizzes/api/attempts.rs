//! Attempts through the API: start, answer, submit, read.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::{
    answers, attempts,
    model::Response,
    quiz::{self},
    views::{self, AttemptJson},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    web::extract::{ApiJson, Id, Ids},
};

/// Start an attempt (201), or get back the one in progress (200). The deadline is set by
/// the server; no correctness data is included.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id")),
    responses(
        (status = 201, body = AttemptJson),
        (status = 200, description = "The attempt already in progress", body = AttemptJson),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`quiz_not_open`, `quiz_closed`, `attempts_exhausted`, or enrolment refused", body = ErrorBody),
    ))]
pub async fn start_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<(StatusCode, Json<AttemptJson>)> {
    let now = state.clock().now();
    let (quiz, attempt, created) =
        attempts::start_attempt(state.db(), state.clock().now(), &p, id).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json)))
}

/// A response to one question.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// `{"choices": [ids]}`, `{"value": bool}`, `{"text": "…"}`, `{"number": 1.5}` or
    /// `{"pairs": {"left id": "right id"}}`, as the question's type needs.
    #[schema(value_type = Object)]
    pub response: Response,
}

/// Whether an answer was written.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnswerSaved {
    /// False when the same response was already saved.
    pub saved: bool,
}

/// Save an answer (idempotent). After the deadline: 409 `attempt_deadline_passed`.
#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers/{question_id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body = AnswerBody,
    responses(
        (status = 200, body = AnswerSaved),
        (status = 404, description = "Not the caller's attempt, or not its question", body = ErrorBody),
        (status = 409, description = "`attempt_deadline_passed` or `attempt_finished`", body = ErrorBody),
        (status = 422, description = "`invalid_response`", body = ErrorBody),
    ))]
pub async fn save_answer(
    State(state): State<AppState>,
    Auth(p): Auth,
    Ids(id, question_id): Ids,
    ApiJson(body): ApiJson<AnswerBody>,
) -> AppResult<Json<AnswerSaved>> {
    let done = answers::save_answers(
        state.db(),
        state.clock().now(),
        p.user.id,
        id,
        &[(question_id, body.response)],
        false,
    )
    .await?;
    Ok(Json(AnswerSaved {
        saved: done.saved > 0,
    }))
}

/// Submit an attempt (idempotent) and get the result the review options allow.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id")),
    responses((status = 200, body = AttemptJson), (status = 404, body = ErrorBody)))]
pub async fn submit_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let attempt = attempts::submit_attempt(state.db(), now, p.user.id, id).await?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    Ok(Json(json))
}

/// An attempt of the caller's (anyone else's is 404); a timed-out one is closed first.
#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id")),
    responses((status = 200, body = AttemptJson), (status = 404, body = ErrorBody)))]
pub async fn get_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let attempt = attempts::current(state.db(), now, p.user.id, id).await?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    Ok(Json(json))
}

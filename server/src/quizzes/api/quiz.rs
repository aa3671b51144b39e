//! Quizzes through the API: create and change.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::super::quiz::{self, QuizInput};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    web::extract::{ApiJson, Id},
};

/// A quiz made.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuizCreated {
    /// Quiz id.
    pub id: Uuid,
    /// The lesson it is in its module.
    pub lesson_id: Uuid,
}

/// Create a quiz as the last lesson of a module (the course's instructors and admins).
#[utoipa::path(post, path = "/api/v1/modules/{id}/quizzes", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Module id")),
    request_body = QuizInput,
    responses(
        (status = 201, body = QuizCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_quiz` naming the field", body = ErrorBody),
    ))]
pub async fn create_quiz(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(input): ApiJson<QuizInput>,
) -> AppResult<(StatusCode, Json<QuizCreated>)> {
    let q = quiz::add_quiz(state.db(), &p, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(QuizCreated {
            id: q.id,
            lesson_id: q.lesson_id,
        }),
    ))
}

/// Change a quiz's settings, questions and title (the course's instructors and admins), with
/// the same body as creating it. Attempts already started keep their questions and
/// deadline; the pass mark and grading method apply to attempts graded from now on.
#[utoipa::path(put, path = "/api/v1/quizzes/{id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id")),
    request_body = QuizInput,
    responses(
        (status = 200, body = QuizCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_quiz` naming the field", body = ErrorBody),
    ))]
pub async fn update_quiz(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(input): ApiJson<QuizInput>,
) -> AppResult<Json<QuizCreated>> {
    let q = quiz::change_quiz(state.db(), &p, id, &input).await?;
    Ok(Json(QuizCreated {
        id: q.id,
        lesson_id: q.lesson_id,
    }))
}

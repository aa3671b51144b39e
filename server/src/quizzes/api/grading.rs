//! Hand grading through the API: the queue of essays and the grade.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::super::{
    essays,
    views::{self, AttemptJson},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    courses::access,
    error::AppResult,
    state::AppState,
    web::extract::{ApiJson, Id, Ids, PageQuery, Params},
};

/// An essay waiting for a mark.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PendingEssay {
    /// The attempt.
    pub attempt_id: Uuid,
    /// The question.
    pub question_id: Uuid,
    /// The quiz's title.
    pub quiz: String,
    /// The learner's name.
    pub learner: String,
    /// The question's title.
    pub question: String,
    /// What the learner wrote (plain text; show it escaped).
    pub text: String,
}

/// A page of the grading queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GradingQueue {
    /// Oldest attempt first.
    pub items: Vec<PendingEssay>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// The essays of the course's quizzes waiting for a mark (its instructors and admins).
#[utoipa::path(get, path = "/api/v1/courses/{id}/grading", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id"), PageQuery),
    responses((status = 200, body = GradingQueue), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn grading_queue(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<GradingQueue>> {
    let course = access::editable(state.db(), &p, id).await?.course;
    let (waiting, total) = q.slice(essays::queue(state.db(), course.id).await?);
    let items = waiting
        .into_iter()
        .map(|e| PendingEssay {
            attempt_id: e.attempt.id,
            question_id: e.question.id,
            quiz: e.quiz_title,
            learner: e.learner,
            question: e.question.title,
            text: e.text,
        })
        .collect();
    Ok(Json(GradingQueue {
        items,
        total,
        page: q.page(),
        per_page: q.per_page(),
    }))
}

/// A hand grade.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GradeBody {
    /// Share of the question's mark, 0–1.
    pub fraction: f64,
    /// Comment for the learner.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Grade an essay answer (the course's instructors and admins); the attempt's score and
/// pass are settled once no essay waits.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/answers/{question_id}/grade", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body = GradeBody,
    responses(
        (status = 200, body = AttemptJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`attempt_in_progress`", body = ErrorBody),
        (status = 422, description = "`invalid_hand_grade`", body = ErrorBody),
    ))]
pub async fn grade_answer(
    State(state): State<AppState>,
    Auth(p): Auth,
    Ids(id, question_id): Ids,
    ApiJson(body): ApiJson<GradeBody>,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let (quiz, graded) = essays::hand_grade(
        state.db(),
        state.clock().now(),
        &p,
        id,
        question_id,
        essays::Mark::Share(body.fraction),
        body.comment,
    )
    .await?;
    Ok(Json(
        views::attempt_json(state.db(), &quiz, &graded, now).await?,
    ))
}

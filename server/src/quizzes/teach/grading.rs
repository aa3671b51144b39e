//! The essay grading queue of a course and the hand-grade form.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::EntityTrait;
use serde::Deserialize;

use super::super::{
    essays::{self, Pending},
    quiz::{self},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    courses::access,
    entities::{attempts as attempt_rows, courses},
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::user_error,
        extract::{Id, Ids, Params},
        page::{PageCtx, render, render_status},
    },
};

use super::error_text;

#[derive(Template)]
#[template(path = "teach/grading.html")]
struct GradingPage {
    page: PageCtx,
    course: courses::Model,
    pending: Vec<Pending>,
    error: Option<String>,
    notice: Option<String>,
}

/// Query of the grading page.
#[derive(Debug, Deserialize, Default)]
pub struct GradingParams {
    #[serde(default)]
    graded: Option<String>,
}

async fn grading_page(
    state: &AppState,
    ctx: &Ctx,
    course: courses::Model,
    error: Option<String>,
    notice: Option<String>,
) -> AppResult<GradingPage> {
    Ok(GradingPage {
        page: PageCtx::new(ctx, "quizteach.grading"),
        pending: essays::queue(state.db(), course.id).await?,
        course,
        error,
        notice,
    })
}

/// `GET /teach/courses/{id}/grading`: essays waiting for a mark.
pub async fn grading(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<GradingParams>,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, id).await?.course;
    let notice = q.graded.map(|_| {
        PageCtx::new(&ctx, "quizteach.grading")
            .t
            .get("quizteach.graded")
            .to_owned()
    });
    render(&grading_page(&state, &ctx, course, None, notice).await?)
}

/// The hand-grade form: marks out of the question's mark, and a comment.
#[derive(Debug, Deserialize)]
pub struct GradeForm {
    #[serde(default)]
    marks: String,
    #[serde(default)]
    comment: String,
}

/// `POST /teach/attempts/{id}/answers/{question_id}/grade`
pub async fn grade(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Ids(id, question_id): Ids,
    CsrfForm(form): CsrfForm<GradeForm>,
) -> AppResult<Response> {
    let attempt = attempt_rows::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or(AppError::NotFound)?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let course = access::editable(state.db(), &p, quiz.course_id)
        .await?
        .course;
    // Text that is not a number is refused like a number out of range.
    let marks = form
        .marks
        .trim()
        .replace(',', ".")
        .parse()
        .unwrap_or(f64::NAN);
    let result = essays::hand_grade(
        state.db(),
        state.clock().now(),
        &p,
        attempt.id,
        question_id,
        essays::Mark::Marks(marks),
        Some(form.comment),
    )
    .await
    .map(drop);
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/teach/courses/{}/grading?graded=1", course.id)).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let text = error_text(&ctx, &e);
            render_status(
                e.status(),
                &grading_page(&state, &ctx, course, Some(text), None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

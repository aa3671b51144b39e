//! The essay grading queue of a course and the hand-grade form.

use std::collections::HashMap;

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
    /// The card a refusal is about (`attempt.question`) and its message.
    error: Option<(String, String)>,
    notice: Option<String>,
    /// What was typed on every card of a refused form, by card.
    typed: Typed,
}

/// Marks and comments typed on the grading page, by card key `attempt.question`.
#[derive(Debug, Default)]
struct Typed {
    marks: HashMap<String, String>,
    comments: HashMap<String, String>,
}

impl GradingPage {
    fn key(&self, e: &Pending) -> String {
        format!("{}.{}", e.attempt.id, e.question.id)
    }

    fn marks(&self, e: &Pending) -> &str {
        self.typed
            .marks
            .get(&self.key(e))
            .map_or("", String::as_str)
    }

    fn comment(&self, e: &Pending) -> &str {
        self.typed
            .comments
            .get(&self.key(e))
            .map_or("", String::as_str)
    }

    fn mark_of(&self, e: &Pending) -> String {
        self.page.t.number(e.question.mark, 2)
    }

    /// The refusal shown on this card, if it is the one refused.
    fn error_on(&self, e: &Pending) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(key, _)| *key == self.key(e))
            .map(|(_, m)| m.as_str())
    }
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
    error: Option<(String, String)>,
    notice: Option<String>,
    typed: Typed,
) -> AppResult<GradingPage> {
    Ok(GradingPage {
        page: PageCtx::new(ctx, "quizteach.grading"),
        pending: essays::queue(state.db(), course.id).await?,
        course,
        error,
        notice,
        typed,
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
    render(&grading_page(&state, &ctx, course, None, notice, Typed::default()).await?)
}

/// `POST /teach/attempts/{id}/answers/{question_id}/grade`: marks out of the question's
/// mark and a comment, as `marks`/`comment` or, from the grading page (one form over every
/// card, so a refusal keeps what was typed on all of them), as
/// `marks.{attempt}.{question}`/`comment.{attempt}.{question}`.
pub async fn grade(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Ids(id, question_id): Ids,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let key = format!("{id}.{question_id}");
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let typed_marks = field(&format!("marks.{key}"))
        .or_else(|| field("marks"))
        .unwrap_or_default();
    let comment = field(&format!("comment.{key}"))
        .or_else(|| field("comment"))
        .unwrap_or_default();
    let attempt = attempt_rows::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or(AppError::NotFound)?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let course = access::editable(state.db(), &p, quiz.course_id)
        .await?
        .course;
    // Text that is not a number is refused like a number out of range.
    let marks = typed_marks
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
        Some(comment.clone()),
    )
    .await
    .map(drop);
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/teach/courses/{}/grading?graded=1", course.id)).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let text = error_text(&ctx, &e);
            let mut typed = Typed::default();
            for (k, v) in &fields {
                if let Some(card) = k.strip_prefix("marks.") {
                    typed.marks.insert(card.to_owned(), v.clone());
                } else if let Some(card) = k.strip_prefix("comment.") {
                    typed.comments.insert(card.to_owned(), v.clone());
                }
            }
            typed.marks.insert(key.clone(), typed_marks);
            typed.comments.insert(key.clone(), comment);
            render_status(
                e.status(),
                &grading_page(&state, &ctx, course, Some((key, text)), None, typed).await?,
            )
        }
        Err(e) => Err(e),
    }
}

//! The lesson player with its progress, and material downloads.

use askama::Template;
use axum::{
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    courses::{
        authoring,
        model::LessonKind,
        progress::{LessonState, Report},
        views::{self, CourseDetail},
    },
    entities::{lessons, materials as material_rows},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::message,
        extract::{Id, Params},
        page::{PageCtx, render},
    },
};

#[derive(Template)]
#[template(path = "courses/lesson.html")]
struct LessonPage {
    page: PageCtx,
    d: CourseDetail,
    lesson: lessons::Model,
    kind: LessonKind,
    material: Option<material_rows::Model>,
    captions: Option<material_rows::Model>,
    state: LessonState,
    percent: i32,
    prev: Option<Uuid>,
    next: Option<Uuid>,
    preview: bool,
    completion: crate::courses::model::Completion,
    /// A quiz lesson's rules and the learner's attempts.
    quiz: Option<crate::quizzes::panel::Panel>,
    /// Why the quiz did not start (after a refused start).
    quiz_error: Option<String>,
}

/// Query of the lesson page: `error` after a refused quiz start.
#[derive(Debug, Deserialize, Default)]
pub struct LessonParams {
    #[serde(default)]
    error: Option<String>,
}

impl LessonPage {
    fn done(&self, id: &Uuid) -> bool {
        self.d.state(*id).completed
    }
}

/// `GET /lessons/{id}`: the player. Learners must be enrolled; editors preview.
pub async fn lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(params): Params<LessonParams>,
) -> AppResult<Response> {
    let db = state.db();
    let lesson_id = id;
    let course_id = match state.course_cache().course_of_lesson(lesson_id) {
        Some(c) => c,
        None => authoring::lesson(db, lesson_id).await?.course_id,
    };
    let d = views::detail(db, state.course_cache(), &p, course_id).await?;
    let lesson = d
        .lessons()
        .find(|l| l.id == lesson_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if !d.access.can_learn() {
        return Ok(Redirect::to(&format!("/courses/{}", d.access.course.id)).into_response());
    }
    let (prev, next) = d.neighbours(lesson.id);
    let (prev, next) = (prev.map(|l| l.id), next.map(|l| l.id));
    let material = lesson
        .material_id
        .and_then(|m| d.content.materials.get(&m).cloned());
    let captions = lesson
        .captions_material_id
        .and_then(|m| d.content.materials.get(&m).cloned());
    let quiz = if lesson.kind == LessonKind::Quiz {
        let quiz = crate::quizzes::quiz::of_lesson(db, lesson.id).await?;
        Some(crate::quizzes::panel::panel(db, quiz, p.user.id, state.clock().now()).await?)
    } else {
        None
    };
    // Only the refusals a start can give are shown; anything else in the query is ignored.
    let quiz_error = params
        .error
        .and_then(|c| c.parse::<Code>().ok())
        .filter(|c| {
            [
                Code::QuizNotOpen,
                Code::QuizClosed,
                Code::AttemptsExhausted,
                Code::QuizHasNoQuestions,
            ]
            .contains(c)
        })
        .map(|c| message(ctx.lang, c, None));
    render(&LessonPage {
        quiz,
        quiz_error,
        page: PageCtx::titled(&ctx, lesson.title.clone()),
        kind: lesson.kind,
        state: d.state(lesson.id),
        percent: d.percent(),
        preview: d.access.enrolment.is_none(),
        completion: crate::courses::progress::effective_completion(&lesson),
        material,
        captions,
        prev,
        next,
        lesson,
        d,
    })
}

/// The player's progress form (also sent by its script).
#[derive(Debug, Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    completed: Option<String>,
    #[serde(default)]
    seconds: Option<i32>,
    #[serde(default)]
    position: Option<i32>,
    #[serde(default)]
    duration: Option<i32>,
    /// Where to go afterwards: a lesson id, or empty to stay.
    #[serde(default)]
    next: String,
}

/// `POST /lessons/{id}/progress`: the script gets JSON, a plain form a redirect.
pub async fn progress(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ProgressForm>,
) -> AppResult<Response> {
    let report = Report {
        completed: form
            .completed
            .as_deref()
            .is_some_and(|v| v == "1" || v == "true"),
        seconds: form.seconds.unwrap_or(0),
        position: form.position,
        duration: form.duration,
        quiz_passed: false,
    };
    let wants_json = crate::web::extract::wants_json(&headers);
    let (lesson_id, s, percent) =
        crate::courses::progress::save_progress(state.db(), state.clock().now(), &p, id, report)
            .await?;
    if wants_json {
        return Ok(axum::Json(serde_json::json!({
            "lesson_id": lesson_id,
            "completed": s.completed,
            "seconds": s.seconds,
            "position": s.position,
            "course_progress_percent": percent,
        }))
        .into_response());
    }
    let to = match Uuid::parse_str(form.next.trim()) {
        Ok(next) => format!("/lessons/{next}"),
        Err(_) => format!("/lessons/{lesson_id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Material query: `?download=1` forces an attachment.
#[derive(Debug, Deserialize, Default)]
pub struct MaterialParams {
    #[serde(default)]
    download: Option<String>,
}

/// `GET /materials/{id}`
pub async fn material(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<MaterialParams>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let m = crate::courses::materials::material_for(state.db(), &p, id).await?;
    crate::web::download::material(&state, &m, &headers, q.download.is_some()).await
}

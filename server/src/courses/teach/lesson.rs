//! The lesson editor: a lesson's fields, its files and uploads with a progress bar.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::{CsrfForm, CsrfMultipart},
        principal::Principal,
    },
    courses::{access, authoring, editing, materials, model::LessonInput},
    entities::{courses, lessons, materials as material_rows},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::{FormErrors, user_error},
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

/// The lesson editor's fields.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct LessonForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    completion: String,
    #[serde(default)]
    watch_percent: String,
    #[serde(default)]
    required: Option<String>,
    /// `preview`: show the text rendered, store nothing.
    #[serde(default)]
    step: String,
}

impl LessonForm {
    /// Whether a field for `kinds` (space-separated lesson kinds) fits the chosen kind.
    fn fits(&self, kinds: &str) -> bool {
        kinds.split(' ').any(|k| k == self.kind)
    }
}

#[derive(Template)]
#[template(path = "teach/lesson_form.html")]
struct LessonFormPage {
    page: PageCtx,
    course: courses::Model,
    lesson: lessons::Model,
    form: LessonForm,
    errors: FormErrors,
    /// The text rendered as learners will see it, after "Preview".
    preview: Option<String>,
    kinds: &'static [&'static str],
    completions: &'static [&'static str],
    materials: Vec<material_rows::Model>,
    max_upload_mb: u64,
}

async fn lesson_form_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    lesson: lessons::Model,
    form: Option<LessonForm>,
    error: Option<&AppError>,
    preview: Option<String>,
) -> AppResult<LessonFormPage> {
    let db = state.db();
    let course = access::editable(db, p, lesson.course_id).await?.course;
    let materials = material_rows::Entity::find()
        .filter(material_rows::Column::CourseId.eq(course.id))
        .order_by_desc(material_rows::Column::CreatedAt)
        .all(db)
        .await?;
    let form = form.unwrap_or_else(|| LessonForm {
        title: lesson.title.clone(),
        kind: lesson.kind.to_string(),
        body: lesson.body_md.clone(),
        url: lesson.url.clone().unwrap_or_default(),
        completion: lesson.completion.to_string(),
        watch_percent: lesson.watch_percent.to_string(),
        required: lesson.required.then(|| "1".to_owned()),
        step: String::new(),
    });
    Ok(LessonFormPage {
        page: PageCtx::titled(ctx, lesson.title.clone()),
        course,
        lesson,
        form,
        errors: FormErrors::of(ctx, error),
        preview,
        kinds: crate::courses::model::FORM_KINDS,
        completions: crate::courses::model::FORM_COMPLETIONS,
        materials,
        max_upload_mb: state.materials().max_size() / (1024 * 1024),
    })
}

/// `GET /teach/lessons/{id}`
pub async fn lesson_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let l = authoring::lesson(state.db(), id).await?;
    // A quiz is edited on its own page.
    if l.kind == crate::courses::model::LessonKind::Quiz {
        access::editable(state.db(), &p, l.course_id).await?;
        let quiz = crate::quizzes::quiz::of_lesson(state.db(), l.id).await?;
        return Ok(Redirect::to(&format!("/teach/quizzes/{}", quiz.id)).into_response());
    }
    render(&lesson_form_page(&state, &ctx, &p, l, None, None, None).await?)
}

/// `POST /teach/lessons/{id}`
pub async fn update_lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<LessonForm>,
) -> AppResult<Response> {
    let l = authoring::lesson(state.db(), id).await?;
    if form.step == "preview" {
        access::editable(state.db(), &p, l.course_id).await?;
        let html = authoring::render_markdown(state.db(), l.course_id, &form.body).await?;
        return render(&lesson_form_page(&state, &ctx, &p, l, Some(form), None, Some(html)).await?);
    }
    let result = async {
        let watch_percent = match form.watch_percent.trim() {
            "" => None,
            s => Some(
                s.parse::<i32>()
                    .map_err(|_| AppError::invalid(Code::InvalidWatchPercent, "watch_percent"))?,
            ),
        };
        let input = LessonInput {
            title: form.title.clone(),
            kind: form.kind.clone(),
            body_md: form.body.clone(),
            url: form.url.clone(),
            completion: form.completion.clone(),
            watch_percent,
            required: form.required.is_some(),
        };
        editing::change_lesson(state.db(), &p, l.id, input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/teach/courses/{}", l.course_id)).into_response()),
        Err(e) if user_error(&e) => render_status(
            e.status(),
            &lesson_form_page(&state, &ctx, &p, l, Some(form), Some(&e), None).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `POST /teach/lessons/{id}/materials` (multipart: `_csrf` first, then `file`; see
/// [`CsrfMultipart`]). The
/// upload script asks for JSON; a plain form gets the editor back.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    headers: axum::http::HeaderMap,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> AppResult<Response> {
    let l = authoring::lesson(state.db(), id).await?;
    access::editable(state.db(), &p, l.course_id).await?;
    let wants_json = crate::web::extract::wants_json(&headers);
    let result = crate::web::extract::with_file(&mut multipart, "berkas", async |field, name| {
        materials::upload_to_lesson(&state, &p, &l, &name, Box::pin(field)).await
    })
    .await;
    match result {
        Ok(m) if wants_json => {
            Ok(axum::Json(crate::courses::json::MaterialJson::from(&m)).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/teach/lessons/{}", l.id)).into_response()),
        Err(e) if user_error(&e) && !wants_json => {
            let fresh = authoring::lesson(state.db(), l.id).await?;
            render_status(
                e.status(),
                &lesson_form_page(&state, &ctx, &p, fresh, None, Some(&e), None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

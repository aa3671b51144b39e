//! The outline editor: modules and lessons (add, rename, reorder, delete), the cover,
//! instructors, prerequisites and publishing.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
        principal::Principal,
    },
    courses::{
        access, authoring, editing,
        model::{LessonInput, Status},
        views::{self, CourseDetail},
    },
    entities::{courses, materials as material_rows},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::{message, user_error},
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "teach/outline.html")]
struct OutlinePage {
    page: PageCtx,
    d: CourseDetail,
    error: Option<String>,
    kinds: &'static [&'static str],
    other_courses: Vec<courses::Model>,
    images: Vec<material_rows::Model>,
    can_assign: bool,
}

async fn outline_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: Uuid,
    error: Option<String>,
) -> AppResult<OutlinePage> {
    let db = state.db();
    let access = access::editable(db, p, id).await?;
    let d = views::with_access(db, state.course_cache(), p, access).await?;
    let other_courses = courses::Entity::find()
        .filter(courses::Column::Id.ne(id))
        .filter(courses::Column::Status.ne(Status::Draft))
        .order_by_asc(courses::Column::Title)
        .all(db)
        .await?;
    let mut images: Vec<material_rows::Model> = d
        .content
        .materials
        .values()
        .filter(|m| m.content_type.starts_with("image/") && m.content_type != "image/svg+xml")
        .cloned()
        .collect();
    images.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(OutlinePage {
        can_assign: p.org_scope().is_ok(),
        images,
        page: PageCtx::titled(ctx, d.access.course.title.clone()),
        d,
        error,
        kinds: crate::courses::model::FORM_KINDS,
        other_courses,
    })
}

/// `GET /teach/courses/{id}`: the outline editor.
pub async fn outline(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    render(&outline_page(&state, &ctx, &p, id, None).await?)
}

/// Answers an outline change: success goes to `Some(address)` or back to the outline; a
/// user error re-shows the outline with its message.
async fn outline_result(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    course_id: Uuid,
    result: AppResult<Option<String>>,
) -> AppResult<Response> {
    match result {
        Ok(to) => {
            let to = to.unwrap_or_else(|| format!("/teach/courses/{course_id}"));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if user_error(&e) => {
            let msg = message(ctx.lang, e.code(), e.detail().as_deref());
            render_status(
                e.status(),
                &outline_page(state, ctx, p, course_id, Some(msg)).await?,
            )
        }
        Err(e) => Err(e),
    }
}

/// The status form.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /teach/courses/{id}/status`
pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    let status = Status::parse(&form.status).ok_or(AppError::BadRequest("status".into()))?;
    let result = editing::change_status(state.db(), &p, id, status).await;
    outline_result(&state, &ctx, &p, id, result.map(|_| None)).await
}

/// The cover form: a material id, or empty for none.
#[derive(Debug, Deserialize)]
pub struct CoverForm {
    #[serde(default)]
    material_id: String,
}

/// `POST /teach/courses/{id}/cover`
pub async fn set_cover(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<CoverForm>,
) -> AppResult<Response> {
    let result = async {
        let material = match form.material_id.trim() {
            "" => None,
            s => Some(
                Uuid::parse_str(s)
                    .map_err(|_| AppError::invalid(Code::InvalidCover, "material_id"))?,
            ),
        };
        editing::set_cover(state.db(), &p, id, material).await
    }
    .await;
    outline_result(&state, &ctx, &p, id, result.map(|()| None)).await
}

/// A title form.
#[derive(Debug, Deserialize)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
}

/// `POST /teach/courses/{id}/modules`
pub async fn add_module(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<TitleForm>,
) -> AppResult<Response> {
    let result = editing::add_module(state.db(), &p, id, &form.title).await;
    outline_result(&state, &ctx, &p, id, result.map(|_| None)).await
}

/// The instructor form.
#[derive(Debug, Deserialize)]
pub struct InstructorForm {
    #[serde(default)]
    username: String,
}

/// `POST /teach/courses/{id}/instructors`
pub async fn add_instructor(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<InstructorForm>,
) -> AppResult<Response> {
    let result = editing::add_instructor(state.db(), &p, id, &form.username).await;
    outline_result(&state, &ctx, &p, id, result.map(|()| None)).await
}

/// The prerequisite form.
#[derive(Debug, Deserialize)]
pub struct PrerequisiteForm {
    #[serde(default)]
    required_course_id: String,
    #[serde(default)]
    min_grade: String,
}

/// `POST /teach/courses/{id}/prerequisites`
pub async fn add_prerequisite(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<PrerequisiteForm>,
) -> AppResult<Response> {
    let result = async {
        let required = Uuid::parse_str(form.required_course_id.trim())
            .map_err(|_| AppError::invalid(Code::InvalidPrerequisite, "required_course_id"))?;
        let min = match form.min_grade.trim() {
            "" => None,
            s => Some(
                s.parse::<i32>()
                    .map_err(|_| AppError::invalid(Code::InvalidPrerequisite, "min_grade"))?,
            ),
        };
        editing::add_prerequisite(state.db(), &p, id, required, min).await
    }
    .await;
    outline_result(&state, &ctx, &p, id, result.map(|()| None)).await
}

/// `POST /teach/modules/{id}`: rename.
pub async fn rename_module(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<TitleForm>,
) -> AppResult<Response> {
    let m = authoring::module(state.db(), id).await?;
    let result = editing::rename_module(state.db(), &p, id, &form.title).await;
    outline_result(&state, &ctx, &p, m.course_id, result.map(|()| None)).await
}

/// A move form: `dir` is `up` or `down`.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    dir: String,
}

impl MoveForm {
    fn delta(&self) -> i32 {
        if self.dir == "up" { -1 } else { 1 }
    }
}

/// `POST /teach/modules/{id}/move`
pub async fn move_module(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<Response> {
    let m = authoring::module(state.db(), id).await?;
    let result = editing::move_module(state.db(), &p, id, form.delta()).await;
    outline_result(&state, &ctx, &p, m.course_id, result.map(|()| None)).await
}

/// `POST /teach/modules/{id}/delete`
pub async fn delete_module(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> AppResult<Response> {
    let m = authoring::module(state.db(), id).await?;
    let result = editing::delete_module(state.db(), &p, id).await;
    outline_result(&state, &ctx, &p, m.course_id, result.map(|()| None)).await
}

/// The new-lesson form.
#[derive(Debug, Deserialize)]
pub struct NewLessonForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    url: String,
}

/// `POST /teach/modules/{id}/lessons`: adds a lesson and opens its editor.
pub async fn add_lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<NewLessonForm>,
) -> AppResult<Response> {
    let m = authoring::module(state.db(), id).await?;
    let result = async {
        let input = LessonInput {
            title: form.title.clone(),
            kind: form.kind.clone(),
            url: form.url.clone(),
            required: true,
            ..Default::default()
        }
        .check()?;
        let l = editing::add_lesson(state.db(), &p, id, &input).await?;
        Ok(Some(format!("/teach/lessons/{}", l.id)))
    }
    .await;
    outline_result(&state, &ctx, &p, m.course_id, result).await
}

/// `POST /teach/lessons/{id}/move`
pub async fn move_lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<Response> {
    let l = authoring::lesson(state.db(), id).await?;
    let result = editing::move_lesson(state.db(), &p, id, form.delta()).await;
    outline_result(&state, &ctx, &p, l.course_id, result.map(|()| None)).await
}

/// `POST /teach/lessons/{id}/delete`
pub async fn delete_lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> AppResult<Response> {
    let l = authoring::lesson(state.db(), id).await?;
    let result = editing::delete_lesson(state.db(), &p, id).await;
    outline_result(&state, &ctx, &p, l.course_id, result.map(|()| None)).await
}

//! The authoring half of the courses API: the catalogue, courses, modules, lessons,
//! materials and publishing.

use axum::{
    Json,
    extract::{Multipart, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    access, authoring,
    catalogue::{self, CatalogueFilter},
    editing,
    json::{
        CourseJson, CourseList, CourseSummary, LessonJson, MaterialJson, course_json, lesson_json,
    },
    materials,
    model::{CourseInput, LessonInput, Status},
    views,
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    entities::modules,
    error::AppResult,
    state::AppState,
    web::extract::{ApiJson, Id, Params},
};

/// Catalogue filters.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CatalogueQuery {
    /// Category.
    pub category: Option<String>,
    /// Delivery form.
    pub delivery: Option<String>,
    /// Minimum JP.
    pub jp_min: Option<i32>,
    /// Maximum JP.
    pub jp_max: Option<i32>,
    /// Text in the title, code or summary.
    pub q: Option<String>,
    /// Page, from 1.
    pub page: Option<u64>,
    /// Courses per page, 1–200 (default 24).
    pub per_page: Option<u64>,
}

/// The catalogue: published courses.
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    security(("bearer" = [])),
    params(CatalogueQuery),
    responses((status = 200, body = CourseList), (status = 401, body = ErrorBody)))]
pub async fn list_courses(
    State(state): State<AppState>,
    Auth(_p): Auth,
    Params(q): Params<CatalogueQuery>,
) -> AppResult<Json<CourseList>> {
    let filter = CatalogueFilter::parse(
        q.category.as_deref(),
        q.delivery.as_deref(),
        q.jp_min,
        q.jp_max,
        q.q.as_deref(),
    )?;
    let page = q.page.unwrap_or(1).max(1);
    let per_page = q.per_page.unwrap_or(catalogue::PER_PAGE).clamp(1, 200);
    let (items, total) = catalogue::search(state.db(), &filter, page, per_page).await?;
    Ok(Json(CourseList {
        items: items.iter().map(CourseSummary::from).collect(),
        total,
        page,
        per_page,
    }))
}

/// A new course.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCourse {
    /// Short unique code (`A-Z 0-9 . _ -`).
    pub code: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary.
    #[serde(default)]
    pub summary: String,
    /// Description in Markdown.
    #[serde(default)]
    pub description_markdown: String,
    /// kepemimpinan, fungsional, teknis or lainnya.
    pub category: String,
    /// Learning hours (1–500).
    pub jp: i32,
    /// e_learning (default), classical or blended.
    #[serde(default)]
    pub delivery: Option<String>,
    /// self (default) or assigned.
    #[serde(default)]
    pub enrolment_mode: Option<String>,
    /// A classical or blended course's first session (RFC 3339, or `YYYY-MM-DDTHH:MM` in
    /// Jakarta time).
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Its last session's end, the same way.
    #[serde(default)]
    pub ends_at: Option<String>,
    /// Where it meets.
    #[serde(default)]
    pub venue: Option<String>,
}

/// Create a draft course (instructors and admins); the caller becomes its instructor.
#[utoipa::path(post, path = "/api/v1/courses", tag = "courses",
    security(("bearer" = [])),
    request_body = NewCourse,
    responses(
        (status = 201, body = CourseJson),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Code taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_course(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewCourse>,
) -> AppResult<(StatusCode, Json<CourseJson>)> {
    access::require_author(&p)?;
    let input = CourseInput {
        code: body.code,
        title: body.title,
        summary: body.summary,
        description_md: body.description_markdown,
        category: body.category,
        jp: body.jp.to_string(),
        delivery: body.delivery.unwrap_or_else(|| "e_learning".into()),
        enrolment: body.enrolment_mode.unwrap_or_else(|| "self".into()),
        starts_at: body.starts_at.unwrap_or_default(),
        ends_at: body.ends_at.unwrap_or_default(),
        venue: body.venue.unwrap_or_default(),
    }
    .check()?;
    let course = editing::add_course(state.db(), &p, &input).await?;
    let detail = views::detail(state.db(), state.course_cache(), &p, course.id).await?;
    Ok((StatusCode::CREATED, Json(course_json(&detail))))
}

/// A course with its modules and lessons (404 for a draft the caller does not edit).
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses((status = 200, body = CourseJson), (status = 404, body = ErrorBody)))]
pub async fn get_course(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<CourseJson>> {
    let detail = views::detail(state.db(), state.course_cache(), &p, id).await?;
    Ok(Json(course_json(&detail)))
}

/// A new module.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewModule {
    /// Title.
    pub title: String,
}

/// A module, without lessons.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModuleCreated {
    /// Module id.
    pub id: Uuid,
    /// Order within the course.
    pub position: i32,
    /// Title.
    pub title: String,
}

impl From<modules::Model> for ModuleCreated {
    fn from(m: modules::Model) -> Self {
        Self {
            id: m.id,
            position: m.position,
            title: m.title,
        }
    }
}

/// Append a module to a course (its instructors and admins).
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    request_body = NewModule,
    responses(
        (status = 201, body = ModuleCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_module(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<NewModule>,
) -> AppResult<(StatusCode, Json<ModuleCreated>)> {
    let m = editing::add_module(state.db(), &p, id, &body.title).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// A new lesson.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewLesson {
    /// Title.
    pub title: String,
    /// text, video, document or link.
    pub kind: String,
    /// Markdown: the lesson's text, or an introduction to its video, document or link.
    #[serde(default)]
    pub body_markdown: String,
    /// Link lessons: an http(s) URL.
    #[serde(default)]
    pub url: Option<String>,
    /// opened, watched (videos) or marked; default by kind.
    #[serde(default)]
    pub completion: Option<String>,
    /// For "watched": percent of the video (default 90).
    #[serde(default)]
    pub watch_percent: Option<i32>,
    /// Counts towards progress (default true).
    #[serde(default)]
    pub required: Option<bool>,
}

/// Append a lesson to a module.
#[utoipa::path(post, path = "/api/v1/modules/{id}/lessons", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Module id")),
    request_body = NewLesson,
    responses(
        (status = 201, body = LessonJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_lesson(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<NewLesson>,
) -> AppResult<(StatusCode, Json<LessonJson>)> {
    let input = LessonInput {
        title: body.title,
        kind: body.kind,
        body_md: body.body_markdown,
        url: body.url.unwrap_or_default(),
        completion: body.completion.unwrap_or_default(),
        watch_percent: body.watch_percent,
        required: body.required.unwrap_or(true),
    }
    .check()?;
    // A quiz lesson comes with its quiz: POST /api/v1/modules/{id}/quizzes.
    let lesson = editing::add_lesson(state.db(), &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(lesson_json(&lesson, None, true))))
}

/// The fields of a lesson a `PATCH` may change; those not sent stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LessonPatch {
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown: the lesson's text, or an introduction to its video, document or link.
    #[serde(default)]
    pub body_markdown: Option<String>,
}

/// Change a lesson's title or text (the course's editors). Searches find it under its new
/// words within about a second.
#[utoipa::path(patch, path = "/api/v1/lessons/{id}", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Lesson id")),
    request_body = LessonPatch,
    responses(
        (status = 200, body = LessonJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn patch_lesson(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<LessonPatch>,
) -> AppResult<Json<LessonJson>> {
    let lesson = crate::courses::authoring::lesson(state.db(), id).await?;
    let input = LessonInput {
        title: body.title.unwrap_or_else(|| lesson.title.clone()),
        kind: lesson.kind.as_str().to_owned(),
        body_md: body.body_markdown.unwrap_or_else(|| lesson.body_md.clone()),
        url: lesson.url.clone().unwrap_or_default(),
        completion: lesson.completion.as_str().to_owned(),
        watch_percent: Some(lesson.watch_percent),
        required: lesson.required,
    };
    let changed = editing::change_lesson(state.db(), &p, id, input).await?;
    Ok(Json(lesson_json(&changed, None, true)))
}

/// Upload a file to a lesson (multipart, field `file`). Video and PDF files become the
/// lesson's video or document, a WebVTT file a video's captions; images can be shown in
/// text lessons by file name.
#[utoipa::path(post, path = "/api/v1/lessons/{id}/materials", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Lesson id")),
    request_body(content_type = "multipart/form-data", description = "Field `file`"),
    responses(
        (status = 201, body = MaterialJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Too large, empty, or type does not match the name", body = ErrorBody),
    ))]
pub async fn upload_material(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    mut multipart: Multipart,
) -> AppResult<(StatusCode, Json<MaterialJson>)> {
    let lesson = authoring::lesson(state.db(), id).await?;
    access::editable(state.db(), &p, lesson.course_id).await?;
    let m = crate::web::extract::with_file(&mut multipart, "berkas", async |field, name| {
        materials::upload_to_lesson(&state, &p, &lesson, &name, Box::pin(field)).await
    })
    .await?;
    Ok((StatusCode::CREATED, Json(MaterialJson::from(&m))))
}

/// Stream a material; `Range` gives 206 with exactly those bytes, `If-None-Match` 304.
#[utoipa::path(get, path = "/api/v1/materials/{id}", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Material id")),
    responses(
        (status = 200, description = "The file"),
        (status = 206, description = "The requested range"),
        (status = 304, description = "Unchanged"),
        (status = 404, description = "No such material, or not enrolled", body = ErrorBody),
        (status = 416, description = "Range not satisfiable"),
    ))]
pub async fn get_material(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    headers: HeaderMap,
) -> AppResult<Response> {
    let m = super::materials::material_for(state.db(), &p, id).await?;
    crate::web::download::material(&state, &m, &headers, false).await
}

/// Publish a course (it needs at least one lesson).
#[utoipa::path(post, path = "/api/v1/courses/{id}/publish", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 200, body = CourseSummary),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "No lessons yet", body = ErrorBody),
    ))]
pub async fn publish_course(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<CourseSummary>> {
    let course = editing::change_status(state.db(), &p, id, Status::Published).await?;
    Ok(Json(CourseSummary::from(&course)))
}

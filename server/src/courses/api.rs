//! The courses API: catalogue, authoring, materials, enrolment, assignment and progress.

use axum::{
    Json,
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    access, authoring,
    catalogue::{self, CatalogueFilter},
    enrolment::{self, AssignTarget},
    materials,
    model::{CourseInput, LessonInput, Status},
    progress::Report,
    views::{self, CourseDetail},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    db::begin_write,
    entities::{courses, lessons, materials as material_rows, modules},
    error::{AppError, AppResult},
    state::AppState,
    web::extract::{ApiJson, Params, parse_id},
};

/// A course in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSummary {
    /// Course id.
    pub id: Uuid,
    /// Short code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// kepemimpinan, fungsional, teknis or lainnya.
    pub category: String,
    /// Learning hours.
    pub jp: i32,
    /// e_learning, classical or blended.
    pub delivery: String,
    /// draft, published or archived.
    pub status: String,
    /// self (anyone may enrol) or assigned (only those assigned).
    pub enrolment_mode: String,
}

impl From<&courses::Model> for CourseSummary {
    fn from(c: &courses::Model) -> Self {
        Self {
            id: c.id,
            code: c.code.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            category: c.category.clone(),
            jp: c.jp,
            delivery: c.delivery.clone(),
            status: c.status.clone(),
            enrolment_mode: c.enrolment.clone(),
        }
    }
}

/// A material's metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialJson {
    /// Material id; `GET /api/v1/materials/{id}` streams it.
    pub id: Uuid,
    /// File name as uploaded (last path segment).
    pub file_name: String,
    /// Type sniffed from the bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
}

impl From<&material_rows::Model> for MaterialJson {
    fn from(m: &material_rows::Model) -> Self {
        Self {
            id: m.id,
            file_name: m.file_name.clone(),
            content_type: m.content_type.clone(),
            size: m.size,
            sha256: m.sha256.clone(),
        }
    }
}

/// A lesson.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonJson {
    /// Lesson id.
    pub id: Uuid,
    /// Module id.
    pub module_id: Uuid,
    /// Order within the module, from 0.
    pub position: i32,
    /// Title.
    pub title: String,
    /// text, video, document or link.
    pub kind: String,
    /// opened, watched or marked.
    pub completion: String,
    /// For "watched": the share of the video to watch, in percent.
    pub watch_percent: i32,
    /// Counts towards course progress.
    pub required: bool,
    /// The Markdown rendered and sanitized (for those who may take the course).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Link lessons: the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Video and document lessons: the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub material: Option<MaterialJson>,
    /// Video lessons: WebVTT captions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captions: Option<MaterialJson>,
}

fn lesson_json(l: &lessons::Model, d: Option<&CourseDetail>, with_body: bool) -> LessonJson {
    let material = |id: Option<Uuid>| {
        id.and_then(|id| d.and_then(|d| d.content.materials.get(&id)))
            .map(MaterialJson::from)
    };
    LessonJson {
        id: l.id,
        module_id: l.module_id,
        position: l.position,
        title: l.title.clone(),
        kind: l.kind.clone(),
        completion: l.completion.clone(),
        watch_percent: l.watch_percent,
        required: l.required,
        body_html: with_body.then(|| l.body_html.clone()),
        url: l.url.clone(),
        material: if with_body {
            material(l.material_id)
        } else {
            None
        },
        captions: if with_body {
            material(l.captions_material_id)
        } else {
            None
        },
    }
}

/// A module with its lessons.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleJson {
    /// Module id.
    pub id: Uuid,
    /// Order within the course, from 0.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Lessons in order.
    pub lessons: Vec<LessonJson>,
}

/// A person, briefly.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonRef {
    /// User id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// A prerequisite.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrerequisiteJson {
    /// The course to complete first.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// Minimum final grade in percent, if any.
    pub min_grade: Option<i32>,
}

/// A course with its modules and lessons.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseJson {
    /// The course's fields.
    #[serde(flatten)]
    pub course: CourseSummary,
    /// Description, rendered and sanitized.
    pub description_html: String,
    /// Instructors.
    pub instructors: Vec<PersonRef>,
    /// Courses to complete first.
    pub prerequisites: Vec<PrerequisiteJson>,
    /// Modules in order.
    pub modules: Vec<ModuleJson>,
    /// Whether the caller may edit it.
    pub can_edit: bool,
    /// Whether the caller is enrolled.
    pub enrolled: bool,
}

fn course_json(d: &CourseDetail) -> CourseJson {
    let with_body = d.access.can_learn();
    CourseJson {
        course: CourseSummary::from(&d.access.course),
        description_html: d.content.description_html.clone(),
        instructors: d
            .content
            .instructors
            .iter()
            .map(|u| PersonRef {
                id: u.id,
                name: u.display_name.clone(),
            })
            .collect(),
        prerequisites: d
            .content
            .prerequisites
            .iter()
            .map(|(p, c)| PrerequisiteJson {
                course_id: c.id,
                title: c.title.clone(),
                min_grade: p.min_grade,
            })
            .collect(),
        modules: d
            .content
            .outline
            .iter()
            .map(|m| ModuleJson {
                id: m.module.id,
                position: m.module.position,
                title: m.module.title.clone(),
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| lesson_json(l, Some(d), with_body))
                    .collect(),
            })
            .collect(),
        can_edit: d.access.can_edit,
        enrolled: d.access.enrolment.is_some(),
    }
}

/// A page of courses.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    /// The courses.
    pub items: Vec<CourseSummary>,
    /// How many match in all.
    pub total: u64,
}

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
    let (items, total) = catalogue::search(state.db(), &filter, q.page.unwrap_or(1)).await?;
    Ok(Json(CourseList {
        items: items.iter().map(CourseSummary::from).collect(),
        total,
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
    }
    .check()?;
    let txn = begin_write(state.db()).await?;
    let course = authoring::create_course(&txn, p.user.id, &input).await?;
    let detail = views::detail(&txn, state.course_cache(), &p, course.id).await?;
    txn.commit().await?;
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
    Path(id): Path<String>,
) -> AppResult<Json<CourseJson>> {
    let detail = views::detail(state.db(), state.course_cache(), &p, parse_id(&id)?).await?;
    Ok(Json(course_json(&detail)))
}

/// A new module.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewModule {
    /// Title.
    pub title: String,
}

/// A module, without lessons.
#[derive(Debug, Serialize, ToSchema)]
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
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewModule>,
) -> AppResult<(StatusCode, Json<ModuleCreated>)> {
    let txn = begin_write(state.db()).await?;
    let course = access::editable(&txn, &p, parse_id(&id)?).await?.course;
    let m = authoring::create_module(&txn, course.id, &body.title).await?;
    txn.commit().await?;
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
    Path(id): Path<String>,
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
    let txn = begin_write(state.db()).await?;
    let module = authoring::module(&txn, parse_id(&id)?).await?;
    access::editable(&txn, &p, module.course_id).await?;
    let lesson = authoring::create_lesson(&txn, &module, &input).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(lesson_json(&lesson, None, true))))
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
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> AppResult<(StatusCode, Json<MaterialJson>)> {
    let lesson = authoring::lesson(state.db(), parse_id(&id)?).await?;
    access::editable(state.db(), &p, lesson.course_id).await?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("berkas").to_owned();
        let m = materials::upload(
            state.materials(),
            state.db(),
            lesson.course_id,
            Some(lesson.clone()),
            p.user.id,
            &name,
            Box::pin(field),
        )
        .await?;
        return Ok((StatusCode::CREATED, Json(MaterialJson::from(&m))));
    }
    Err(AppError::invalid("file_missing", "file"))
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
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let m = super::material_for(&state, &p, &id).await?;
    materials::serve(&state, &m, &headers, false).await
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
    Path(id): Path<String>,
) -> AppResult<Json<CourseSummary>> {
    let txn = begin_write(state.db()).await?;
    let course = access::editable(&txn, &p, parse_id(&id)?).await?.course;
    let course = authoring::set_status(&txn, course, Status::Published).await?;
    txn.commit().await?;
    Ok(Json(CourseSummary::from(&course)))
}

/// Whom to assign a course to: exactly one of `user_ids`, `unit_id`, `position_id`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAssignment {
    /// Users (ids as `/api/v1/me` gives them).
    #[serde(default)]
    pub user_ids: Option<Vec<Uuid>>,
    /// A unit: everyone in it and below it, including people who join later.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// A position: everyone holding it, including later holders.
    #[serde(default)]
    pub position_id: Option<Uuid>,
    /// Due date (YYYY-MM-DD, Jakarta), today or later.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

/// Assignments made.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentCreated {
    /// The first (for a unit or position: the only) assignment.
    pub id: Uuid,
    /// Every assignment made (one per user for `user_ids`).
    pub ids: Vec<Uuid>,
}

/// Assign a published course (admins; unit admins within their subtree).
#[utoipa::path(post, path = "/api/v1/courses/{id}/assignments", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    request_body = NewAssignment,
    responses(
        (status = 201, body = AssignmentCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Course not published", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_assignment(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewAssignment>,
) -> AppResult<(StatusCode, Json<AssignmentCreated>)> {
    let scope = p.org_scope()?;
    let target = match (body.user_ids, body.unit_id, body.position_id) {
        (Some(ids), None, None) => AssignTarget::Users(ids),
        (None, Some(u), None) => AssignTarget::Unit(u),
        (None, None, Some(pos)) => AssignTarget::Position(pos),
        _ => return Err(AppError::invalid("invalid_assignment_target", "user_ids")),
    };
    let txn = begin_write(state.db()).await?;
    let course = access::course(&txn, &p, parse_id(&id)?).await?.course;
    let ids = enrolment::assign(&txn, &scope, p.user.id, &course, &target, body.due_on).await?;
    txn.commit().await?;
    let first = ids.first().copied().ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(AssignmentCreated { id: first, ids }),
    ))
}

/// An enrolment.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentJson {
    /// Enrolment id.
    pub id: Uuid,
    /// Course id.
    pub course_id: Uuid,
    /// Percentage of required lessons done.
    pub progress_percent: i32,
    /// When every required lesson was done.
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Enrol in a course (self-enrolment courses, or assigned ones); idempotent.
#[utoipa::path(post, path = "/api/v1/courses/{id}/enrol", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 201, description = "Enrolled", body = EnrolmentJson),
        (status = 200, description = "Already enrolled", body = EnrolmentJson),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Assigned only, not open, or a prerequisite missing", body = ErrorBody),
    ))]
pub async fn enrol(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<EnrolmentJson>)> {
    let txn = begin_write(state.db()).await?;
    let access = access::course(&txn, &p, parse_id(&id)?).await?;
    let existed = access.enrolment.is_some();
    let e = enrolment::enrol(&txn, p.user.id, &access).await?;
    txn.commit().await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(EnrolmentJson {
            id: e.id,
            course_id: e.course_id,
            progress_percent: e.progress_percent,
            completed_at: e.completed_at,
        }),
    ))
}

/// A course on the caller's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCourseJson {
    /// The course.
    #[serde(flatten)]
    pub course: CourseSummary,
    /// Percentage of required lessons done.
    pub progress_percent: i32,
    /// Enrolled (started).
    pub enrolled: bool,
    /// Assigned to the caller.
    pub assigned: bool,
    /// Earliest due date of the assignments.
    pub due_on: Option<NaiveDate>,
    /// Past due and not completed.
    pub overdue: bool,
    /// Every required lesson done.
    pub completed: bool,
}

/// The caller's courses.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCourseList {
    /// Overdue first, then by due date.
    pub items: Vec<MyCourseJson>,
}

/// The caller's assigned and enrolled courses, each with its progress.
#[utoipa::path(get, path = "/api/v1/me/courses", tag = "courses",
    security(("bearer" = [])),
    responses((status = 200, body = MyCourseList), (status = 401, body = ErrorBody)))]
pub async fn my_courses(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<MyCourseList>> {
    let items = enrolment::my_courses(state.db(), p.user.id)
        .await?
        .into_iter()
        .map(|c| MyCourseJson {
            course: CourseSummary::from(&c.course),
            progress_percent: c.progress(),
            enrolled: c.enrolment.is_some(),
            assigned: c.assigned,
            due_on: c.due_on,
            overdue: c.overdue(),
            completed: c.completed(),
        })
        .collect();
    Ok(Json(MyCourseList { items }))
}

/// A progress report.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressBody {
    /// The learner marks the lesson done (counts for "marked"; "opened" lessons complete on
    /// any report; "watched" needs the seconds).
    #[serde(default)]
    pub completed: bool,
    /// Seconds spent since the previous report (0–3600).
    #[serde(default)]
    pub seconds: i32,
    /// Current video position, seconds.
    #[serde(default)]
    pub position: Option<i32>,
    /// The video's length, seconds (the player sends it once known).
    #[serde(default)]
    pub duration: Option<i32>,
}

/// A learner's state on one lesson.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonProgressJson {
    /// Lesson id.
    pub lesson_id: Uuid,
    /// Done by its rule.
    pub completed: bool,
    /// Seconds spent in all.
    pub seconds: i32,
    /// Last video position.
    pub position: i32,
}

/// The result of a progress report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressSaved {
    /// The lesson's state.
    #[serde(flatten)]
    pub lesson: LessonProgressJson,
    /// The course's progress after it.
    pub course_progress_percent: i32,
}

/// Record progress on a lesson (enrols an assigned learner on first use).
#[utoipa::path(post, path = "/api/v1/lessons/{id}/progress", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Lesson id")),
    request_body = ProgressBody,
    responses(
        (status = 200, body = ProgressSaved),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not enrolled and cannot enrol", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn record_progress(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProgressBody>,
) -> AppResult<Json<ProgressSaved>> {
    let report = Report {
        completed: body.completed,
        seconds: body.seconds,
        position: body.position,
        duration: body.duration,
    };
    let (lesson_id, s, percent) = super::save_progress(&state, &p, &id, report).await?;
    Ok(Json(ProgressSaved {
        lesson: LessonProgressJson {
            lesson_id,
            completed: s.completed,
            seconds: s.seconds,
            position: s.position,
        },
        course_progress_percent: percent,
    }))
}

/// A learner's progress in a course.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseProgressJson {
    /// Course id.
    pub course_id: Uuid,
    /// Percentage of required lessons done.
    pub progress_percent: i32,
    /// Every required lesson done.
    pub completed: bool,
    /// Where to continue.
    pub resume_lesson_id: Option<Uuid>,
    /// Each lesson's state, in reading order.
    pub lessons: Vec<LessonProgressJson>,
}

/// The caller's progress in a course.
#[utoipa::path(get, path = "/api/v1/courses/{id}/progress", tag = "courses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses((status = 200, body = CourseProgressJson), (status = 404, body = ErrorBody)))]
pub async fn course_progress(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<CourseProgressJson>> {
    let d = views::detail(state.db(), state.course_cache(), &p, parse_id(&id)?).await?;
    let lessons = d
        .lessons()
        .map(|l| {
            let s = d.state(l.id);
            LessonProgressJson {
                lesson_id: l.id,
                completed: s.completed,
                seconds: s.seconds,
                position: s.position,
            }
        })
        .collect();
    Ok(Json(CourseProgressJson {
        course_id: d.access.course.id,
        progress_percent: d.percent(),
        completed: d
            .access
            .enrolment
            .as_ref()
            .is_some_and(|e| e.completed_at.is_some()),
        resume_lesson_id: d.resume_lesson().map(|l| l.id),
        lessons,
    }))
}

//! The learning half of the courses API: assignments, enrolment, the caller's courses and
//! progress.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    access,
    enrolment::{self, AssignTarget},
    json::CourseSummary,
    progress::Report,
    views,
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    db::begin_write,
    error::{AppError, AppResult},
    state::AppState,
    web::extract::{ApiJson, parse_id},
};

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
        quiz_passed: false,
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

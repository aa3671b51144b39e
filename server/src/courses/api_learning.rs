//! The learning half of the courses API: assignments, enrolment, the caller's courses and
//! progress.

use axum::{Json, extract::State, http::StatusCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    enrolment::{self, AssignTarget},
    json::CourseSummary,
    progress::Report,
    views,
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::extract::{ApiJson, Id, PageQuery, Params},
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssignmentCreated {
    /// The first (for a unit or position: the only) assignment.
    pub id: Uuid,
    /// Every assignment made (one per user for `user_ids`).
    pub ids: Vec<Uuid>,
    /// Employees the target holds now (a unit or position also reaches people who join
    /// it later).
    pub reached: u64,
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
    Id(id): Id,
    ApiJson(body): ApiJson<NewAssignment>,
) -> AppResult<(StatusCode, Json<AssignmentCreated>)> {
    // Refused before the body is looked at: only admins and unit admins assign.
    p.org_scope()?;
    let target = match (body.user_ids, body.unit_id, body.position_id) {
        (Some(ids), None, None) => AssignTarget::Users(ids),
        (None, Some(u), None) => AssignTarget::Unit(u),
        (None, None, Some(pos)) => AssignTarget::Position(pos),
        _ => return Err(AppError::invalid(Code::InvalidAssignmentTarget, "user_ids")),
    };
    let made = enrolment::assign_course(
        state.db(),
        state.clock().now(),
        &p,
        id,
        &target,
        body.due_on,
    )
    .await?;
    let first = made.ids.first().copied().ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(AssignmentCreated {
            id: first,
            ids: made.ids,
            reached: made.reached,
        }),
    ))
}

/// Withdraw an assignment (admins; unit admins for targets within their subtree). The
/// learners' enrolments, progress and completions are kept.
#[utoipa::path(delete, path = "/api/v1/courses/{id}/assignments/{assignment_id}", tag = "courses",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Course id"),
        ("assignment_id" = Uuid, Path, description = "Assignment id"),
    ),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such assignment in the caller's scope", body = ErrorBody),
    ))]
pub async fn withdraw_assignment(
    State(state): State<AppState>,
    Auth(p): Auth,
    crate::web::extract::Ids(id, assignment_id): crate::web::extract::Ids,
) -> AppResult<StatusCode> {
    enrolment::withdraw(state.db(), &p, id, assignment_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An enrolment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    Id(id): Id,
) -> AppResult<(StatusCode, Json<EnrolmentJson>)> {
    let (e, new) = enrolment::enrol_me(state.db(), &p, id).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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

/// A page of the caller's courses.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MyCourseList {
    /// Overdue first, then by due date.
    pub items: Vec<MyCourseJson>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// The caller's assigned and enrolled courses, each with its progress.
#[utoipa::path(get, path = "/api/v1/me/courses", tag = "courses",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = MyCourseList), (status = 401, body = ErrorBody)))]
pub async fn my_courses(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<MyCourseList>> {
    let (mine, total) =
        q.slice(enrolment::my_courses(state.db(), &p, state.clock().today_wib()).await?);
    let items = mine
        .into_iter()
        .map(|c| MyCourseJson {
            course: CourseSummary::from(&c.course),
            progress_percent: c.progress(),
            enrolled: c.enrolment.is_some(),
            assigned: c.assigned,
            due_on: c.due_on,
            overdue: c.overdue,
            completed: c.completed(),
        })
        .collect();
    Ok(Json(MyCourseList {
        items,
        total,
        page: q.page(),
        per_page: q.per_page(),
    }))
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    Id(id): Id,
    ApiJson(body): ApiJson<ProgressBody>,
) -> AppResult<Json<ProgressSaved>> {
    let report = Report {
        completed: body.completed,
        seconds: body.seconds,
        position: body.position,
        duration: body.duration,
        quiz_passed: false,
    };
    let (lesson_id, s, percent) =
        super::progress::save_progress(state.db(), state.clock().now(), &p, id, report).await?;
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    Id(id): Id,
) -> AppResult<Json<CourseProgressJson>> {
    let d = views::detail(state.db(), state.course_cache(), &p, id).await?;
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

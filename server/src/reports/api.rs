//! `/api/v1/reports/units/{id}/…`: a unit's summary, its employees and its competency
//! gaps (admins, and unit admins within their subtree: 404 outside it).

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    employees::{self, EmployeeLine, Filter, Sort},
    facts::UnitFacts,
    summary::{self, Summary, ratio},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    web::extract::{Id, PageQuery, Params},
};

/// The year asked for.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The JP year (default: this year; other years are computed when asked).
    pub year: Option<i32>,
}

/// One JP band.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BandJson {
    /// `none`, `below_half`, `below_target`, `at_target`.
    pub band: String,
    /// Its JP range, e.g. `10–19`.
    pub range: String,
    /// Employees in it.
    pub count: u64,
}

/// A unit's numbers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FactsJson {
    /// Employees with an active account (the unit and below).
    pub headcount: u64,
    /// Assigned (employee, course) pairs of the year.
    pub assigned: u64,
    /// Of those, completed.
    pub completed: u64,
    /// `completed / assigned` (0–1), null when nothing is assigned.
    pub completion_rate: Option<f64>,
    /// Assigned, not completed, past the due date.
    pub overdue: u64,
    /// Share (0–1) of employees at the JP target this year; null without employees.
    pub jp_compliance_rate: Option<f64>,
    /// Mean score (per cent) of the attempts finished in the year.
    pub average_quiz_score: Option<f64>,
}

impl FactsJson {
    fn of(f: &UnitFacts) -> FactsJson {
        FactsJson {
            headcount: f.headcount,
            assigned: f.assigned,
            completed: f.completed,
            completion_rate: ratio(f.completed, f.assigned),
            overdue: f.overdue,
            jp_compliance_rate: ratio(f.at_target(), f.headcount),
            average_quiz_score: (f.quiz_count > 0).then(|| f.quiz_sum / f.quiz_count as f64),
        }
    }
}

/// A most-taken course.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TopCourseJson {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// Enrolments made in the year by employees of the unit.
    pub enrolments: u64,
}

/// A child unit's numbers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChildJson {
    /// The unit.
    pub unit_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its numbers (with everything below it).
    #[serde(flatten)]
    pub facts: FactsJson,
}

/// A unit's dashboard.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SummaryJson {
    /// The unit.
    pub unit_id: Uuid,
    /// Its name.
    pub name: String,
    /// The JP year.
    pub year: i32,
    /// When these numbers were computed (at most a minute before, for this year).
    pub computed_at: DateTime<Utc>,
    /// The unit's numbers (with everything below it).
    #[serde(flatten)]
    pub facts: FactsJson,
    /// The JP target per employee.
    pub jp_target: i32,
    /// Employees by JP band.
    pub jp_bands: Vec<BandJson>,
    /// The most-taken courses of the year.
    pub top_courses: Vec<TopCourseJson>,
    /// Each child unit.
    pub children: Vec<ChildJson>,
}

/// The JP bands' names and ranges for `target`.
pub fn bands(target: i32) -> [(&'static str, String); 4] {
    let half = (target + 1) / 2;
    [
        ("none", "0".to_owned()),
        ("below_half", format!("1–{}", (half - 1).max(1))),
        ("below_target", format!("{half}–{}", target - 1)),
        ("at_target", format!("≥ {target}")),
    ]
}

impl SummaryJson {
    /// The summary as the API shows it.
    pub fn of(s: &Summary, target: i32) -> SummaryJson {
        SummaryJson {
            unit_id: s.unit.id,
            name: s.unit.name.clone(),
            year: s.year,
            computed_at: s.computed_at,
            facts: FactsJson::of(&s.facts),
            jp_target: target,
            jp_bands: bands(target)
                .into_iter()
                .zip(s.facts.bands)
                .map(|((band, range), count)| BandJson {
                    band: band.to_owned(),
                    range,
                    count,
                })
                .collect(),
            top_courses: s
                .top_courses
                .iter()
                .map(|(id, title, n)| TopCourseJson {
                    course_id: *id,
                    title: title.clone(),
                    enrolments: *n,
                })
                .collect(),
            children: s
                .children
                .iter()
                .map(|(u, f)| ChildJson {
                    unit_id: u.id,
                    name: u.name.clone(),
                    facts: FactsJson::of(f),
                })
                .collect(),
        }
    }
}

/// A unit's summary: headcount, assignments, completion, overdue, JP compliance and
/// bands, quiz scores, the most-taken courses, and each child unit's numbers.
#[utoipa::path(get, path = "/api/v1/reports/units/{id}/summary", tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id"), YearQuery),
    responses((status = 200, body = SummaryJson), (status = 403, body = ErrorBody),
        (status = 404, description = "No such unit in the caller's scope", body = ErrorBody)))]
pub async fn unit_summary(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<YearQuery>,
) -> AppResult<Json<SummaryJson>> {
    let target = state.config().learning.jp_target;
    let s = summary::of_unit(state.db(), &p, id, q.year, state.clock().now(), target).await?;
    Ok(Json(SummaryJson::of(&s, target)))
}

/// The employee list's query.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct EmployeesQuery {
    /// `name` (default), `jp`, `-jp`, `overdue`, `-overdue`, `unit`.
    pub sort: Option<String>,
    /// `all` (default), `below_target`, `overdue`.
    pub filter: Option<String>,
    /// Page, from 1.
    pub page: Option<u64>,
    /// Employees per page.
    pub per_page: Option<u64>,
}

/// A page of employees.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmployeeList {
    /// This page's employees.
    pub items: Vec<EmployeeLine>,
    /// Employees in all.
    pub total: u64,
    /// The page, from 1.
    pub page: u64,
    /// Employees per page.
    pub per_page: u64,
}

/// The employees of a unit and below with this year's JP, assigned, completed and overdue
/// courses: filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/reports/units/{id}/employees", tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id"), EmployeesQuery),
    responses((status = 200, body = EmployeeList), (status = 404, body = ErrorBody),
        (status = 422, description = "Unknown sort or filter", body = ErrorBody)))]
pub async fn unit_employees(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<EmployeesQuery>,
) -> AppResult<Json<EmployeeList>> {
    let sort = Sort::parse(q.sort.as_deref().unwrap_or(""))?;
    let filter = Filter::parse(q.filter.as_deref().unwrap_or(""))?;
    let paging = PageQuery {
        page: q.page,
        per_page: q.per_page,
    };
    let unit = summary::unit_in_scope(state.db(), &p, id).await?;
    let (items, total) = employees::list(
        state.db(),
        &p,
        &unit,
        sort,
        filter,
        state.config().learning.jp_target,
        paging.page(),
        paging.per_page(),
    )
    .await?;
    Ok(Json(EmployeeList {
        items,
        total,
        page: paging.page(),
        per_page: paging.per_page(),
    }))
}

/// A heatmap cell.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GapCell {
    /// The unit (the unit itself or one of its children).
    pub unit_id: Uuid,
    /// The competency.
    pub competency_id: Uuid,
    /// Requirements (an employee and the level their position requires).
    pub required: u64,
    /// Of those, met.
    pub met: u64,
    /// `met / required` (0–1).
    pub share: Option<f64>,
}

/// A competency of the heatmap.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GapCompetency {
    /// Its id.
    pub id: Uuid,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// A unit of the heatmap.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GapUnit {
    /// Its id.
    pub unit_id: Uuid,
    /// Its name.
    pub name: String,
}

/// The competency gap heatmap of a unit: competency × child unit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GapsJson {
    /// The unit.
    pub unit_id: Uuid,
    /// The JP year.
    pub year: i32,
    /// When computed.
    pub computed_at: DateTime<Utc>,
    /// The competencies required in the unit, by code.
    pub competencies: Vec<GapCompetency>,
    /// The child units (columns).
    pub units: Vec<GapUnit>,
    /// Each (unit, competency) with requirements: the unit itself and each child.
    pub cells: Vec<GapCell>,
}

impl GapsJson {
    /// The heatmap of a summary.
    pub fn of(s: &Summary) -> GapsJson {
        let mut cells: Vec<GapCell> = s
            .gaps
            .cells
            .iter()
            .map(|((u, c), (r, m))| GapCell {
                unit_id: *u,
                competency_id: *c,
                required: *r,
                met: *m,
                share: ratio(*m, *r),
            })
            .collect();
        cells.sort_by_key(|c| (c.competency_id, c.unit_id));
        GapsJson {
            unit_id: s.unit.id,
            year: s.year,
            computed_at: s.computed_at,
            competencies: s
                .gaps
                .competencies
                .iter()
                .map(|(id, code, name)| GapCompetency {
                    id: *id,
                    code: code.clone(),
                    name: name.clone(),
                })
                .collect(),
            units: s
                .children
                .iter()
                .map(|(u, _)| GapUnit {
                    unit_id: u.id,
                    name: u.name.clone(),
                })
                .collect(),
            cells,
        }
    }
}

/// The competency gaps of a unit by child unit: the share of employees meeting each
/// competency level their positions require.
#[utoipa::path(get, path = "/api/v1/reports/units/{id}/gaps", tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id"), YearQuery),
    responses((status = 200, body = GapsJson), (status = 404, body = ErrorBody)))]
pub async fn unit_gaps(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<YearQuery>,
) -> AppResult<Json<GapsJson>> {
    let target = state.config().learning.jp_target;
    let s = summary::of_unit(state.db(), &p, id, q.year, state.clock().now(), target).await?;
    Ok(Json(GapsJson::of(&s)))
}

/// The job an export became.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExportJob {
    /// Follow it at `/api/v1/jobs/{job_id}`; its `download_url` appears when done.
    pub job_id: Uuid,
}

/// Export a unit's report as CSV or XLSX: kinds `employees`, `jp_compliance`,
/// `completions`, `gaps`, `overdue`. Runs as a job; its file can be downloaded for a day.
#[utoipa::path(post, path = "/api/v1/exports", tag = "reports",
    security(("bearer" = [])),
    request_body = crate::reports::exports::ExportRequest,
    responses((status = 202, body = ExportJob), (status = 404, body = ErrorBody),
        (status = 422, description = "Unknown kind or format", body = ErrorBody)))]
pub async fn create_export(
    State(state): State<AppState>,
    Auth(p): Auth,
    crate::web::extract::ApiJson(input): crate::web::extract::ApiJson<
        crate::reports::exports::ExportRequest,
    >,
) -> AppResult<(axum::http::StatusCode, Json<ExportJob>)> {
    let job_id =
        crate::reports::exports::request(state.db(), &p, state.clock().now(), &input).await?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(ExportJob { job_id })))
}

/// A course's report: enrolments and progress, completions, assignments and overdue,
/// each quiz's results and a post-test's mean gain. Its instructors and admins see every
/// learner; unit admins the learners of their subtree.
#[utoipa::path(get, path = "/api/v1/reports/courses/{id}", tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses((status = 200, body = crate::reports::course::CourseReport),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn course_report(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<crate::reports::course::CourseReport>> {
    Ok(Json(
        crate::reports::course::of_course(state.db(), &p, id, state.clock().today_wib()).await?,
    ))
}

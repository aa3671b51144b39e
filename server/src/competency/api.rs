//! `/api/v1/competencies`, position requirements, course awards, profiles, completion
//! records, recommendations and assessments.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    assessments::{self, AssessmentInput},
    dictionary::{self, CodeLevel, CompetencyInput, CompetencyPatch},
    external::{self, ExternalInput},
    json::{
        AssessmentJson, AwardsJson, CompetencyJson, CompetencyList, CompletionJson, CompletionList,
        ExternalJson, ExternalList, LeveledJson, ProfileJson, RecommendationList, RequirementsJson,
    },
    profile, records, requirements, scope,
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    time::year_wib,
    web::extract::{ApiJson, Id, PageQuery, Params},
};

/// Filters of the dictionary.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct DictionaryQuery {
    /// Include retired competencies.
    #[serde(default)]
    pub retired: bool,
    /// Page, from 1.
    pub page: Option<u64>,
    /// Items per page.
    pub per_page: Option<u64>,
}

/// The competency dictionary (anyone logged in).
#[utoipa::path(get, path = "/api/v1/competencies", tag = "competencies",
    security(("bearer" = [])),
    params(DictionaryQuery),
    responses((status = 200, body = CompetencyList), (status = 401, body = ErrorBody)))]
pub async fn list_competencies(
    State(state): State<AppState>,
    Auth(_p): Auth,
    Params(q): Params<DictionaryQuery>,
) -> AppResult<Json<CompetencyList>> {
    let paging = PageQuery {
        page: q.page,
        per_page: q.per_page,
    };
    let all = dictionary::list(state.db(), q.retired).await?;
    let (rows, total) = paging.slice(all);
    Ok(Json(CompetencyList {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page: paging.page(),
        per_page: paging.per_page(),
    }))
}

/// Add a competency to the dictionary (admins).
#[utoipa::path(post, path = "/api/v1/competencies", tag = "competencies",
    security(("bearer" = [])),
    request_body = CompetencyInput,
    responses(
        (status = 201, body = CompetencyJson),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Code taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_competency(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<CompetencyInput>,
) -> AppResult<(StatusCode, Json<CompetencyJson>)> {
    let c = dictionary::add_competency(state.db(), &p, &body).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One competency with its levels (anyone logged in).
#[utoipa::path(get, path = "/api/v1/competencies/{id}", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Competency id")),
    responses((status = 200, body = CompetencyJson), (status = 404, body = ErrorBody)))]
pub async fn get_competency(
    State(state): State<AppState>,
    Auth(_p): Auth,
    Id(id): Id,
) -> AppResult<Json<CompetencyJson>> {
    Ok(Json(dictionary::get(state.db(), id).await?.into()))
}

/// Change a competency, retire it or bring it back (admins): the fields sent change; its
/// code stays.
#[utoipa::path(patch, path = "/api/v1/competencies/{id}", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Competency id")),
    request_body = CompetencyPatch,
    responses(
        (status = 200, body = CompetencyJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn patch_competency(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<CompetencyPatch>,
) -> AppResult<Json<CompetencyJson>> {
    let c = dictionary::patch_competency(state.db(), &p, state.clock().now(), id, &body).await?;
    Ok(Json(c.into()))
}

/// What a position requires (admins).
#[utoipa::path(get, path = "/api/v1/positions/{id}/requirements", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Position id")),
    responses(
        (status = 200, body = RequirementsJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn get_requirements(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<RequirementsJson>> {
    let list = requirements::position_requirements(state.db(), &p, id).await?;
    Ok(Json(RequirementsJson {
        position_id: id,
        requirements: LeveledJson::list(list),
    }))
}

/// Replace what a position requires (admins).
#[utoipa::path(put, path = "/api/v1/positions/{id}/requirements", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Position id")),
    request_body = Vec<CodeLevel>,
    responses(
        (status = 200, body = RequirementsJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Unknown or retired code, a level outside 1–5, a code twice", body = ErrorBody),
    ))]
pub async fn put_requirements(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<Vec<CodeLevel>>,
) -> AppResult<Json<RequirementsJson>> {
    let list = requirements::set_position_requirements(state.db(), &p, id, &body).await?;
    Ok(Json(RequirementsJson {
        position_id: id,
        requirements: LeveledJson::list(list),
    }))
}

/// Replace what a course develops: each competency and the level a completion proves
/// (the course's editors).
#[utoipa::path(put, path = "/api/v1/courses/{id}/competencies", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Course id")),
    request_body = Vec<CodeLevel>,
    responses(
        (status = 200, body = AwardsJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn put_course_competencies(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<Vec<CodeLevel>>,
) -> AppResult<Json<AwardsJson>> {
    let list = requirements::set_course_competencies(state.db(), &p, id, &body).await?;
    Ok(Json(AwardsJson {
        course_id: id,
        competencies: LeveledJson::list(list),
    }))
}

/// The caller's competency profile: requirements, achieved levels, gaps, evidence, JP.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "competencies",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ProfileJson),
        (status = 404, description = "The account is not an employee", body = ErrorBody),
    ))]
pub async fn my_profile(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<ProfileJson>> {
    let year = year_wib(state.clock().now());
    let profile = profile::mine(state.db(), &p, state.config().learning, year).await?;
    Ok(Json(profile.into()))
}

/// An employee's competency profile (themself, their supervisor, a unit admin over them,
/// admins; 404 for anyone else).
#[utoipa::path(get, path = "/api/v1/employees/{id}/profile", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employee id")),
    responses((status = 200, body = ProfileJson), (status = 404, body = ErrorBody)))]
pub async fn employee_profile(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<ProfileJson>> {
    let year = year_wib(state.clock().now());
    let profile = profile::of_employee(state.db(), &p, state.config().learning, year, id).await?;
    Ok(Json(profile.into()))
}

async fn completions_of(
    state: &AppState,
    user_id: uuid::Uuid,
    q: &PageQuery,
) -> AppResult<Json<CompletionList>> {
    let (items, total) = records::page(state.db(), user_id, q.page(), q.per_page()).await?;
    Ok(Json(CompletionList {
        items: items.into_iter().map(Into::into).collect(),
        total,
        page: q.page(),
        per_page: q.per_page(),
    }))
}

/// The caller's completion records, newest first.
#[utoipa::path(get, path = "/api/v1/me/completions", tag = "competencies",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = CompletionList), (status = 401, body = ErrorBody)))]
pub async fn my_completions(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<CompletionList>> {
    completions_of(&state, p.user.id, &q).await
}

/// An employee's completion records (scoped like the profile).
#[utoipa::path(get, path = "/api/v1/employees/{id}/completions", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employee id"), PageQuery),
    responses((status = 200, body = CompletionList), (status = 404, body = ErrorBody)))]
pub async fn employee_completions(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<CompletionList>> {
    let (view, _) = scope::viewable(state.db(), &p, id).await?;
    completions_of(&state, view.user.id, &q).await
}

/// Why a record is reversed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReverseBody {
    /// Why, for the history (1–500 characters).
    pub reason: String,
}

/// Correct a completion record (admins): a reversing record with the negative JP, the
/// reason and its author; the original stays and no longer counts.
#[utoipa::path(post, path = "/api/v1/completions/{id}/reverse", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Completion record id")),
    request_body = ReverseBody,
    responses(
        (status = 201, description = "The reversing record", body = CompletionJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Reversed before, or a reversal itself", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn reverse_completion(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<ReverseBody>,
) -> AppResult<(StatusCode, Json<CompletionJson>)> {
    let r = records::reverse(state.db(), &p, id, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Courses that close the caller's competency gaps, ranked.
#[utoipa::path(get, path = "/api/v1/me/recommendations", tag = "competencies",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RecommendationList),
        (status = 404, description = "The account is not an employee", body = ErrorBody),
    ))]
pub async fn my_recommendations(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<RecommendationList>> {
    let year = year_wib(state.clock().now());
    let db = state.db();
    let profile = profile::mine(db, &p, state.config().learning, year).await?;
    let items = profile::recommendations(db, &p, &profile).await?;
    Ok(Json(RecommendationList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Record an assessment of an employee's competency (their supervisor, a unit admin over
/// them, admins).
#[utoipa::path(post, path = "/api/v1/employees/{id}/assessments", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employee id")),
    request_body = AssessmentInput,
    responses(
        (status = 201, body = AssessmentJson),
        (status = 403, description = "One's own assessment", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_assessment(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<AssessmentInput>,
) -> AppResult<(StatusCode, Json<AssessmentJson>)> {
    let today = state.clock().today_wib();
    let (a, c) = assessments::assess(state.db(), &p, today, id, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(AssessmentJson {
            id: a.id,
            employee_id: a.employee_id,
            code: c.code,
            level: a.level,
            note: a.note,
            assessed_on: a.assessed_on,
            assessor_id: a.assessor_id,
        }),
    ))
}

/// Record training done elsewhere (the caller, an employee): pending until a unit admin
/// or an admin verifies it.
#[utoipa::path(post, path = "/api/v1/me/external-training", tag = "competencies",
    security(("bearer" = [])),
    request_body = ExternalInput,
    responses(
        (status = 201, body = ExternalJson),
        (status = 404, description = "The account is not an employee", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn submit_external(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<ExternalInput>,
) -> AppResult<(StatusCode, Json<ExternalJson>)> {
    let row = external::submit(state.db(), &p, state.clock().today_wib(), &body).await?;
    Ok((StatusCode::CREATED, Json((row, Vec::new()).into())))
}

/// The caller's records of training done elsewhere, newest first, with the decisions.
#[utoipa::path(get, path = "/api/v1/me/external-training", tag = "competencies",
    security(("bearer" = [])),
    responses((status = 200, body = ExternalList), (status = 401, body = ErrorBody)))]
pub async fn my_external(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<ExternalList>> {
    let items = external::mine(state.db(), &p).await?;
    Ok(Json(ExternalList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// A decision on training done elsewhere.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    /// Verify (true) or reject (false).
    pub approved: bool,
    /// Why; required to reject.
    #[serde(default)]
    pub reason: String,
}

/// Verify or reject training done elsewhere (a unit admin over the employee, or an
/// admin; never one's own).
#[utoipa::path(post, path = "/api/v1/external-training/{id}/verify", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "External training id")),
    request_body = Decision,
    responses(
        (status = 200, body = ExternalJson),
        (status = 403, description = "One's own training", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "A rejection without a reason", body = ErrorBody),
    ))]
pub async fn verify_external(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    ApiJson(body): ApiJson<Decision>,
) -> AppResult<Json<ExternalJson>> {
    let db = state.db();
    let row =
        external::decide(db, &p, state.clock().now(), id, body.approved, &body.reason).await?;
    let mut with = external::with_decisions(db, vec![row]).await?;
    let one = with.pop().ok_or(crate::error::AppError::NotFound)?;
    Ok(Json(one.into()))
}

/// Pending trainings done elsewhere in the caller's scope (unit admins, admins).
#[utoipa::path(get, path = "/api/v1/external-training", tag = "competencies",
    security(("bearer" = [])),
    responses((status = 200, body = ExternalList), (status = 403, body = ErrorBody)))]
pub async fn pending_external(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<ExternalList>> {
    let db = state.db();
    let rows = external::pending_in_scope(db, &p).await?;
    let items = external::with_decisions(db, rows.into_iter().map(|(r, _, _)| r).collect()).await?;
    Ok(Json(ExternalList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Upload the evidence of one's own pending training done elsewhere (multipart, field
/// `file`): a PDF, JPEG or PNG of at most 10 MiB, its type read from the bytes. A new file
/// replaces the one before.
#[utoipa::path(post, path = "/api/v1/external-training/{id}/evidence", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "External training id")),
    request_body(content_type = "multipart/form-data", description = "Field `file`"),
    responses(
        (status = 200, body = ExternalJson),
        (status = 404, description = "Not one's own training", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, description = "Not a PDF, JPEG or PNG; too large; empty; no file", body = ErrorBody),
    ))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Json<ExternalJson>> {
    let row = crate::web::extract::with_file(&mut multipart, "bukti", async |field, name| {
        super::evidence_file::attach(&state, &p, id, &name, Box::pin(field)).await
    })
    .await?;
    let mut with = external::with_decisions(state.db(), vec![row]).await?;
    let one = with.pop().ok_or(crate::error::AppError::NotFound)?;
    Ok(Json(one.into()))
}

/// Download the evidence of training done elsewhere (the employee; a unit admin over
/// them; an admin), always as an attachment.
#[utoipa::path(get, path = "/api/v1/external-training/{id}/evidence", tag = "competencies",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "External training id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody),
    ))]
pub async fn get_evidence(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    headers: axum::http::HeaderMap,
) -> AppResult<axum::response::Response> {
    super::evidence_file::serve(&state, &p, id, &headers).await
}

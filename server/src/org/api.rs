//! `/api/v1/units` and `/api/v1/employees`.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    employees::{self, EmployeeInput, EmployeeView, ListFilter},
    units::{self, UnitInput},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    entities::units as unit_rows,
    error::AppResult,
    state::AppState,
    web::extract::{ApiJson, Id, PageQuery, Params},
};

/// A unit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitJson {
    /// Unit id.
    pub id: Uuid,
    /// Short code.
    pub code: String,
    /// Indonesian name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind: skpd, ukpd, biro, bidang, suku_dinas, upt, puskesmas, lainnya.
    pub kind: String,
    /// Parent unit.
    pub parent_id: Option<Uuid>,
}

impl From<unit_rows::Model> for UnitJson {
    fn from(u: unit_rows::Model) -> Self {
        Self {
            id: u.id,
            code: u.code,
            name: u.name,
            name_en: u.name_en,
            kind: u.kind.to_string(),
            parent_id: u.parent_id,
        }
    }
}

/// A unit, briefly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitRef {
    /// Unit id.
    pub id: Uuid,
    /// Short code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// A position, briefly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PositionRef {
    /// Position id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Kind, e.g. `jf_ahli_pertama`.
    pub kind: String,
}

/// An employee.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmployeeJson {
    /// Employee id.
    pub id: Uuid,
    /// The employee's user account.
    pub user_id: Uuid,
    /// 18-digit NIP.
    pub nip: String,
    /// DKI registration number.
    pub nrk: Option<String>,
    /// Full name.
    pub name: String,
    /// Login name.
    pub username: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Whether the account may log in.
    pub active: bool,
    /// Unit.
    pub unit: UnitRef,
    /// Position.
    pub position: Option<PositionRef>,
    /// Grade code, e.g. `III/b`.
    pub grade: Option<String>,
    /// Supervisor's employee id.
    pub supervisor_id: Option<Uuid>,
}

impl From<EmployeeView> for EmployeeJson {
    fn from(v: EmployeeView) -> Self {
        Self {
            id: v.employee.id,
            user_id: v.user.id,
            nip: v.employee.nip,
            nrk: v.employee.nrk,
            name: v.user.display_name,
            username: v.user.username,
            email: v.user.email,
            active: v.user.active,
            unit: UnitRef {
                id: v.unit.id,
                code: v.unit.code,
                name: v.unit.name,
            },
            position: v.position.map(|p| PositionRef {
                id: p.id,
                name: p.name,
                kind: p.kind.to_string(),
            }),
            grade: v.grade.map(|g| g.code),
            supervisor_id: v.employee.supervisor_id,
        }
    }
}

/// The employee record of a user as JSON, if they are one.
pub async fn employee_json_of_user(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Option<EmployeeJson>> {
    Ok(employees::of_user(db, user_id)
        .await?
        .map(EmployeeJson::from))
}

/// A new unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUnit {
    /// Short code, unique (`A-Z 0-9 . _ -`).
    pub code: String,
    /// Indonesian name.
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Kind: skpd, ukpd, biro, bidang, suku_dinas, upt, puskesmas, lainnya.
    pub kind: String,
    /// Parent unit; omit for a top-level unit (admins only).
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// A page of units.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitList {
    /// The units, parents before children.
    pub items: Vec<UnitJson>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// The units the caller may see (admins: all; unit admins: their subtree).
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = UnitList),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an admin or unit admin", body = ErrorBody),
    ))]
pub async fn list_units(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<UnitList>> {
    let scope = p.org_scope()?;
    let tree = units::as_tree(units::all(state.db(), &scope).await?);
    let (rows, total) = q.slice(tree);
    Ok(Json(UnitList {
        items: rows.into_iter().map(|r| r.unit.into()).collect(),
        total,
        page: q.page(),
        per_page: q.per_page(),
    }))
}

/// Create a unit.
#[utoipa::path(post, path = "/api/v1/units", tag = "organisation",
    security(("bearer" = [])),
    request_body = NewUnit,
    responses(
        (status = 201, body = UnitJson),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Code taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn create_unit(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewUnit>,
) -> AppResult<(StatusCode, Json<UnitJson>)> {
    let scope = p.org_scope()?;
    let input = UnitInput {
        code: body.code,
        name: body.name,
        name_en: body.name_en.unwrap_or_default(),
        kind: body.kind,
        parent_id: body.parent_id,
    };
    let unit = units::add_unit(state.db(), &scope, &input).await?;
    Ok((StatusCode::CREATED, Json(unit.into())))
}

/// A unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Unit id")),
    responses(
        (status = 200, body = UnitJson),
        (status = 404, description = "No such unit in the caller's scope", body = ErrorBody),
    ))]
pub async fn get_unit(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<UnitJson>> {
    let scope = p.org_scope()?;
    Ok(Json(units::get(state.db(), &scope, id).await?.into()))
}

/// A new employee.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewEmployee {
    /// 18-digit NIP.
    pub nip: String,
    /// Full name.
    pub name: String,
    /// Login name.
    pub username: String,
    /// Unit.
    pub unit_id: Uuid,
    /// Position in that unit.
    #[serde(default)]
    pub position_id: Option<Uuid>,
    /// Grade code such as `III/b`.
    #[serde(default)]
    pub grade: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// DKI registration number.
    #[serde(default)]
    pub nrk: Option<String>,
    /// Supervisor (employee id).
    #[serde(default)]
    pub supervisor_id: Option<Uuid>,
    /// Initial password; without one the account cannot log in until one is set.
    #[serde(default)]
    pub password: Option<String>,
}

/// Query of the employee list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EmployeeQuery {
    /// Only this unit and everything below it.
    pub unit_id: Option<Uuid>,
    /// Name, username or NIP contains this.
    pub q: Option<String>,
    /// 1-based page (default 1).
    pub page: Option<u64>,
    /// Rows per page (default 50, at most 200).
    pub per_page: Option<u64>,
}

/// A page of employees.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmployeeList {
    /// This page's employees, by name.
    pub items: Vec<EmployeeJson>,
    /// Employees matching in all pages.
    pub total: u64,
    /// This page.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

/// Employees the caller may see.
#[utoipa::path(get, path = "/api/v1/employees", tag = "organisation",
    security(("bearer" = [])),
    params(EmployeeQuery),
    responses(
        (status = 200, body = EmployeeList),
        (status = 403, body = ErrorBody),
    ))]
pub async fn list_employees(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<EmployeeQuery>,
) -> AppResult<Json<EmployeeList>> {
    let scope = p.org_scope()?;
    let filter = ListFilter {
        unit_id: q.unit_id,
        q: q.q,
        page: q.page.unwrap_or(1).max(1),
        per_page: q.per_page.unwrap_or(50).clamp(1, 200),
    };
    let (rows, total) = employees::list(state.db(), &scope, &filter).await?;
    Ok(Json(EmployeeList {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page: filter.page,
        per_page: filter.per_page,
    }))
}

/// Create an employee and their account (role learner).
#[utoipa::path(post, path = "/api/v1/employees", tag = "organisation",
    security(("bearer" = [])),
    request_body = NewEmployee,
    responses(
        (status = 201, body = EmployeeJson),
        (status = 403, body = ErrorBody),
        (status = 409, description = "NIP, NRK or username taken", body = ErrorBody),
        (status = 422, description = "Invalid input, e.g. code `invalid_nip`", body = ErrorBody),
    ))]
pub async fn create_employee(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(body): ApiJson<NewEmployee>,
) -> AppResult<(StatusCode, Json<EmployeeJson>)> {
    let scope = p.org_scope()?;
    let input = EmployeeInput {
        nip: body.nip,
        name: body.name,
        username: body.username,
        unit_id: Some(body.unit_id),
        position_id: body.position_id,
        grade: body.grade.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        nrk: body.nrk.unwrap_or_default(),
        supervisor_id: body.supervisor_id,
        password: body.password.unwrap_or_default(),
    };
    let created =
        employees::add_employee(state.db(), state.clock().today_wib(), &scope, &input).await?;
    let view = employees::get(state.db(), &scope, created.id).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// An employee.
#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "organisation",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employee id")),
    responses(
        (status = 200, body = EmployeeJson),
        (status = 404, description = "No such employee in the caller's scope", body = ErrorBody),
    ))]
pub async fn get_employee(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<EmployeeJson>> {
    let scope = p.org_scope()?;
    Ok(Json(employees::get(state.db(), &scope, id).await?.into()))
}

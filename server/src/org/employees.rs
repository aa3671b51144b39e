//! Employees: a user account plus NIP, unit, position, grade and supervisor; created,
//! edited, looked up and listed within the caller's [`OrgScope`].

use chrono::NaiveDate;
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{
    model::{Nip, parse_nrk},
    units,
};
use crate::{
    auth::{
        principal::{OrgScope, Role},
        service::{self as accounts, Email, NewUser, Username, duplicate_as, parse_display_name},
    },
    db::contains_text,
    entities::{employees, grades, positions, units as unit_rows, users},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// An employee as submitted, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct EmployeeInput {
    /// 18-digit NIP.
    pub nip: String,
    /// Full name.
    pub name: String,
    /// Login name (ignored when editing).
    pub username: String,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Position in that unit.
    pub position_id: Option<Uuid>,
    /// Grade code such as `III/b`.
    pub grade: String,
    /// E-mail address.
    pub email: String,
    /// DKI registration number.
    pub nrk: String,
    /// Supervisor (an employee).
    pub supervisor_id: Option<Uuid>,
    /// Initial password; without one the account cannot log in until one is set.
    pub password: String,
}

/// Everything a page or the API shows of an employee.
#[derive(Debug, Clone)]
pub struct EmployeeView {
    /// The employee row.
    pub employee: employees::Model,
    /// Their account.
    pub user: users::Model,
    /// Their unit.
    pub unit: unit_rows::Model,
    /// Their position.
    pub position: Option<positions::Model>,
    /// Their grade.
    pub grade: Option<grades::Model>,
    /// Their supervisor's name (filled in by [`get`] only).
    pub supervisor_name: Option<String>,
}

struct Checked {
    nip: Nip,
    name: String,
    unit: unit_rows::Model,
    position_id: Option<Uuid>,
    grade: Option<String>,
    email: Option<Email>,
    nrk: Option<String>,
    supervisor_id: Option<Uuid>,
}

async fn check(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: &OrgScope,
    input: &EmployeeInput,
    self_id: Option<Uuid>,
) -> AppResult<Checked> {
    let nip = Nip::parse(&input.nip, today)?;
    let name = parse_display_name(&input.name, "name")?;
    let unit_id = input
        .unit_id
        .ok_or(AppError::invalid(Code::InvalidUnit, "unit_id"))?;
    let unit = units::get(db, scope, unit_id)
        .await
        .map_err(|_| AppError::invalid(Code::InvalidUnit, "unit_id"))?;
    if let Some(pid) = input.position_id {
        let position = positions::Entity::find_by_id(pid).one(db).await?;
        if position.is_none_or(|p| p.unit_id != unit.id) {
            return Err(AppError::invalid(Code::InvalidPosition, "position_id"));
        }
    }
    let grade = match input.grade.trim() {
        "" => None,
        g => Some(
            grades::Entity::find_by_id(g.to_owned())
                .one(db)
                .await?
                .ok_or(AppError::invalid(Code::InvalidGrade, "grade"))?
                .code,
        ),
    };
    let email = match input.email.trim() {
        "" => None,
        e => Some(Email::parse(e)?),
    };
    let nrk = parse_nrk(&input.nrk)?;
    if let Some(sid) = input.supervisor_id {
        if Some(sid) == self_id {
            return Err(AppError::invalid(Code::InvalidSupervisor, "supervisor_id"));
        }
        let sup = employees::Entity::find_by_id(sid).one(db).await?;
        let Some(sup) = sup else {
            return Err(AppError::invalid(Code::InvalidSupervisor, "supervisor_id"));
        };
        let sup_unit = unit_rows::Entity::find_by_id(sup.unit_id).one(db).await?;
        if !sup_unit.is_some_and(|u| scope.contains(&u.path)) {
            return Err(AppError::invalid(Code::InvalidSupervisor, "supervisor_id"));
        }
    }
    Ok(Checked {
        nip,
        name,
        unit,
        position_id: input.position_id,
        grade,
        email,
        nrk,
        supervisor_id: input.supervisor_id,
    })
}

/// Creates the account (role learner) and the employee. Run inside a transaction.
/// Adds an employee (and their account) in the caller's scope: the one way for the API and
/// the employee form.
pub async fn add_employee(
    db: &sea_orm::DatabaseConnection,
    today: NaiveDate,
    scope: &OrgScope,
    input: &EmployeeInput,
) -> AppResult<employees::Model> {
    crate::db::in_write(db, async |txn| create(txn, today, scope, input).await).await
}

/// Changes an employee in the caller's scope: the one way for the employee form (and a
/// future API).
pub async fn change_employee(
    db: &sea_orm::DatabaseConnection,
    today: NaiveDate,
    scope: &OrgScope,
    id: Uuid,
    input: &EmployeeInput,
) -> AppResult<employees::Model> {
    crate::db::in_write(db, async |txn| update(txn, today, scope, id, input).await).await
}

/// Enables or disables an employee's account (admins, in their scope; not their own).
/// Disabling ends the account's sessions and tokens.
pub async fn set_employee_active(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    active: bool,
) -> AppResult<EmployeeView> {
    p.require_admin()?;
    let scope = p.org_scope()?;
    let e = get(db, &scope, id).await?;
    if e.user.id == p.user.id {
        return Err(AppError::invalid(Code::CannotDisableSelf, "active"));
    }
    crate::db::in_write(db, async |txn| {
        accounts::set_active(txn, e.user.id, active).await
    })
    .await?;
    Ok(e)
}

pub async fn create(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: &OrgScope,
    input: &EmployeeInput,
) -> AppResult<employees::Model> {
    let c = check(db, today, scope, input, None).await?;
    let username = Username::parse(&input.username)?;
    let password = Some(input.password.as_str()).filter(|p| !p.is_empty());
    let user = accounts::create_user(
        db,
        NewUser {
            username: &username,
            display_name: &c.name,
            email: c.email.as_ref(),
            password,
            roles: &[Role::Learner],
        },
    )
    .await?;
    let at = stamp();
    employees::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        nip: Set(c.nip.as_str().to_owned()),
        nrk: Set(c.nrk),
        unit_id: Set(c.unit.id),
        position_id: Set(c.position_id),
        grade_code: Set(c.grade),
        supervisor_id: Set(c.supervisor_id),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(map_duplicate)
}

/// Maps a unique violation on employees to the field's own code.
fn map_duplicate(e: sea_orm::DbErr) -> AppError {
    match duplicate_as(e, Code::Duplicate) {
        AppError::Conflict { detail, .. } => {
            let code = match detail.as_deref() {
                Some(d) if d.contains("nrk") => Code::NrkTaken,
                _ => Code::NipTaken,
            };
            AppError::Conflict { code, detail: None }
        }
        other => other,
    }
}

/// Edits an employee in scope (the username stays).
pub async fn update(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: &OrgScope,
    id: Uuid,
    input: &EmployeeInput,
) -> AppResult<employees::Model> {
    let existing = get(db, scope, id).await?;
    let c = check(db, today, scope, input, Some(id)).await?;
    users::ActiveModel {
        id: Set(existing.user.id),
        display_name: Set(c.name.clone()),
        email: Set(c.email.as_ref().map(|e| e.as_str().to_owned())),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .update(db)
    .await?;
    let mut active: employees::ActiveModel = existing.employee.into();
    active.nip = Set(c.nip.as_str().to_owned());
    active.nrk = Set(c.nrk);
    active.unit_id = Set(c.unit.id);
    active.position_id = Set(c.position_id);
    active.grade_code = Set(c.grade);
    active.supervisor_id = Set(c.supervisor_id);
    active.updated_at = Set(stamp());
    active.update(db).await.map_err(map_duplicate)
}

/// An employee in scope with everything shown about them, or 404.
pub async fn get(db: &impl ConnectionTrait, scope: &OrgScope, id: Uuid) -> AppResult<EmployeeView> {
    let mut view = views_where(db, Condition::all().add(employees::Column::Id.eq(id)))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    if !scope.contains(&view.unit.path) {
        return Err(AppError::NotFound);
    }
    if let Some(sid) = view.employee.supervisor_id {
        view.supervisor_name = employees::Entity::find_by_id(sid)
            .find_also_related(users::Entity)
            .one(db)
            .await?
            .and_then(|(_, u)| u)
            .map(|u| u.display_name);
    }
    Ok(view)
}

/// The employee record of a user, if they are one.
pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Option<EmployeeView>> {
    Ok(views_where(
        db,
        Condition::all().add(employees::Column::UserId.eq(user_id)),
    )
    .await?
    .pop())
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this unit and everything below it.
    pub unit_id: Option<Uuid>,
    /// Name, username or NIP contains this.
    pub q: Option<String>,
    /// 1-based page.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

/// A page of employees in scope, ordered by name, with the total count.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    filter: &ListFilter,
) -> AppResult<(Vec<EmployeeView>, u64)> {
    let unit_cond = match filter.unit_id {
        Some(uid) => {
            let unit = units::get(db, scope, uid).await?;
            Condition::all().add(unit_rows::Column::Path.starts_with(unit.path.as_str()))
        }
        None => scope.path_condition(unit_rows::Column::Path),
    };
    let mut query = employees::Entity::find()
        .inner_join(users::Entity)
        .inner_join(unit_rows::Entity)
        .filter(unit_cond)
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(employees::Column::Id);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().take(100).collect();
        query = query.filter(
            Condition::any()
                .add(contains_text(users::Column::DisplayName, &q))
                .add(contains_text(users::Column::Username, &q))
                .add(contains_text(employees::Column::Nip, &q)),
        );
    }
    let per_page = filter.per_page.clamp(1, 200);
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(filter.page.max(1) - 1).await?;
    Ok((views_of(db, rows).await?, total))
}

/// How many employees work in units in scope.
pub async fn count(db: &impl ConnectionTrait, scope: &OrgScope) -> AppResult<u64> {
    Ok(employees::Entity::find()
        .inner_join(unit_rows::Entity)
        .filter(scope.path_condition(unit_rows::Column::Path))
        .count(db)
        .await?)
}

/// Employees matching `condition` with their user, unit, position and grade, in one joined
/// query. Supervisor names are left empty; [`get`] fills in the one its page shows.
async fn views_where(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> AppResult<Vec<EmployeeView>> {
    let rows = employees::Entity::find()
        .find_also_related(users::Entity)
        .find_also_related(unit_rows::Entity)
        .find_also(employees::Entity, positions::Entity)
        .find_also(employees::Entity, grades::Entity)
        .filter(condition)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(employee, user, unit, position, grade)| {
            Some(EmployeeView {
                supervisor_name: None,
                user: user?,
                unit: unit?,
                position,
                grade,
                employee,
            })
        })
        .collect())
}

/// The views of these employees, in the same order.
async fn views_of(
    db: &impl ConnectionTrait,
    rows: Vec<employees::Model>,
) -> AppResult<Vec<EmployeeView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|e| e.id).collect();
    let mut by_id: HashMap<Uuid, EmployeeView> = views_where(
        db,
        Condition::all().add(employees::Column::Id.is_in(ids.clone())),
    )
    .await?
    .into_iter()
    .map(|v| (v.employee.id, v))
    .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Every grade, lowest first.
pub async fn grades(db: &impl ConnectionTrait) -> AppResult<Vec<grades::Model>> {
    Ok(grades::Entity::find()
        .order_by_asc(grades::Column::Rank)
        .all(db)
        .await?)
}

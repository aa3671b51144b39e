//! Whose competency profile, records and assessments a user may see: their own; their
//! direct reports' (as supervisor); everyone in a unit admin's subtree; everyone for an
//! admin. Anyone else gets 404, as if the employee did not exist.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    auth::principal::{OrgScope, Principal},
    entities::employees as employee_rows,
    error::{AppError, AppResult},
    org::employees::{self, EmployeeView},
};

/// How the viewer stands to the employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The employee themself.
    Own,
    /// Their direct supervisor.
    Supervisor,
    /// A unit admin over them, or an admin.
    Admin,
}

/// The employee `p` may see, with how they stand to them; 404 otherwise.
pub async fn viewable(
    db: &impl ConnectionTrait,
    p: &Principal,
    employee_id: Uuid,
) -> AppResult<(EmployeeView, Relation)> {
    let view = employees::get(db, &OrgScope::All, employee_id).await?;
    if let Ok(scope) = p.org_scope()
        && scope.contains(&view.unit.path)
    {
        return Ok((view, Relation::Admin));
    }
    if view.user.id == p.user.id {
        return Ok((view, Relation::Own));
    }
    if let Some(supervisor) = view.employee.supervisor_id {
        let mine = employee_rows::Entity::find()
            .filter(employee_rows::Column::UserId.eq(p.user.id))
            .one(db)
            .await?;
        if mine.is_some_and(|m| m.id == supervisor) {
            return Ok((view, Relation::Supervisor));
        }
    }
    Err(AppError::NotFound)
}

/// The employee record of `p`; 404 for an account that is not an employee.
pub async fn own(db: &impl ConnectionTrait, p: &Principal) -> AppResult<EmployeeView> {
    employees::of_user(db, p.user.id)
        .await?
        .ok_or(AppError::NotFound)
}

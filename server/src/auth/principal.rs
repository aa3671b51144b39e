//! Who is asking: the user with their roles and their place in the organisation, loaded
//! fresh on every request (one query) so a role taken away, an account disabled or a move
//! to another unit takes effect on the next one.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    entities::{employees, units, user_roles, users},
    error::{AppError, AppResult},
};

/// A role a user can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An employee who learns.
    Learner,
    /// Authors and teaches courses.
    Instructor,
    /// Monitors and manages one unit and everything below it.
    UnitAdmin,
    /// Everything, organisation-wide.
    Admin,
}

impl Role {
    /// Every role, most powerful last.
    pub const ALL: [Role; 4] = [
        Role::Learner,
        Role::Instructor,
        Role::UnitAdmin,
        Role::Admin,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Instructor => "instructor",
            Role::UnitAdmin => "unit_admin",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One role held, with the unit it is scoped to (unit admins).
#[derive(Debug, Clone)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The unit of a unit admin.
    pub unit_id: Option<Uuid>,
    /// That unit's materialised path, for subtree checks.
    pub unit_path: Option<String>,
}

/// Where an employee works: what assignments to a unit or a position reach.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Their unit.
    pub unit_id: Uuid,
    /// That unit's materialised path (the unit and every unit above it).
    pub unit_path: String,
    /// Their position.
    pub position_id: Option<Uuid>,
}

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user: users::Model,
    /// The roles it holds.
    pub grants: Vec<Grant>,
    /// The API token used, when the request came with one.
    pub token_id: Option<Uuid>,
    /// Their unit and position, when the user is an employee.
    pub placement: Option<Placement>,
}

/// The part of the organisation a user may see and manage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    /// Everything (admins).
    All,
    /// The subtrees under these unit paths (unit admins).
    Subtrees(Vec<String>),
}

impl OrgScope {
    /// Whether a unit with this materialised path lies in the scope.
    pub fn contains(&self, unit_path: &str) -> bool {
        match self {
            OrgScope::All => true,
            OrgScope::Subtrees(roots) => roots.iter().any(|r| unit_path.starts_with(r.as_str())),
        }
    }

    /// The SQL condition "a unit path column lies in the scope".
    pub fn path_condition(&self, path: impl ColumnTrait) -> Condition {
        match self {
            OrgScope::All => Condition::all(),
            OrgScope::Subtrees(roots) => roots
                .iter()
                .fold(Condition::any(), |c, r| c.add(path.starts_with(r.as_str()))),
        }
    }
}

impl Principal {
    /// Loads an active user and their roles; `None` when the account is gone or disabled.
    pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Option<Principal>> {
        // The account, its roles (a row each) and its employee record with the unit, in one
        // query; the paths of a unit admin's units in a second, for unit admins only.
        let rows = users::Entity::find_by_id(user_id)
            .find_also_related(user_roles::Entity)
            .find_also_related(employees::Entity)
            .find_also(employees::Entity, units::Entity)
            .all(db)
            .await?;
        let Some((user, _, employee, unit)) = rows.first().cloned() else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let roles = rows
            .into_iter()
            .filter_map(|(_, role, _, _)| role)
            .collect();
        let grants = grants_of(db, roles).await?;
        let placement = employee.map(|e| Placement {
            unit_id: e.unit_id,
            unit_path: unit.map(|u| u.path).unwrap_or_default(),
            position_id: e.position_id,
        });
        Ok(Some(Principal {
            user,
            grants,
            token_id: None,
            placement,
        }))
    }

    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the user is an admin.
    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// The roles held, each once, in [`Role::ALL`] order.
    pub fn roles(&self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| self.has(*r)).collect()
    }

    /// The organisation scope of an admin or unit admin; 403 for everyone else.
    pub fn org_scope(&self) -> AppResult<OrgScope> {
        if self.is_admin() {
            return Ok(OrgScope::All);
        }
        let roots: Vec<String> = self
            .grants
            .iter()
            .filter(|g| g.role == Role::UnitAdmin)
            .filter_map(|g| g.unit_path.clone())
            .collect();
        if roots.is_empty() {
            Err(AppError::Forbidden)
        } else {
            Ok(OrgScope::Subtrees(roots))
        }
    }

    /// 403 unless the user is an admin.
    pub fn require_admin(&self) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

async fn grants_of(
    db: &impl ConnectionTrait,
    rows: Vec<user_roles::Model>,
) -> AppResult<Vec<Grant>> {
    let unit_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.unit_id).collect();
    let paths: Vec<(Uuid, String)> = if unit_ids.is_empty() {
        Vec::new()
    } else {
        units::Entity::find()
            .filter(units::Column::Id.is_in(unit_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.path))
            .collect()
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let role = Role::parse(&r.role)?;
            let unit_path = r
                .unit_id
                .and_then(|id| paths.iter().find(|(u, _)| *u == id).map(|(_, p)| p.clone()));
            Some(Grant {
                role,
                unit_id: r.unit_id,
                unit_path,
            })
        })
        .collect())
}

//! Who is asking: the user with their roles and their place in the organisation, loaded
//! fresh on every request (one query) so a role taken away, an account disabled or a move
//! to another unit takes effect on the next one.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, FromQueryResult, Statement};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    entities::users,
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
    /// How many of their notifications are unread (the header's bell).
    pub unread_notifications: u64,
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

/// The account, each role it holds with the path of the role's unit, its employee
/// record's unit (with path) and position, and its unread notifications: everything [`Principal::load`] needs in one
/// statement, a row per role. Written out once rather than built per request, because this
/// runs on every request and building it through the query builder cost more than the
/// database took to answer it (`tests/bench/instructions.sh`). `$1` is a parameter on
/// both PostgreSQL and SQLite.
const LOAD: &str = "SELECT users.*, \
       user_roles.role AS grant_role, user_roles.unit_id AS grant_unit_id, \
       grant_units.path AS grant_unit_path, \
       employees.unit_id AS placement_unit_id, employees.position_id AS placement_position_id, \
       placement_units.path AS placement_unit_path, \
       (SELECT COUNT(*) FROM notifications \
         WHERE notifications.user_id = users.id AND notifications.read_at IS NULL) AS unread_notifications \
     FROM users \
     LEFT JOIN user_roles ON user_roles.user_id = users.id \
     LEFT JOIN units AS grant_units ON grant_units.id = user_roles.unit_id \
     LEFT JOIN employees ON employees.user_id = users.id \
     LEFT JOIN units AS placement_units ON placement_units.id = employees.unit_id \
     WHERE users.id = $1";

impl Principal {
    /// Loads an active user and their roles; `None` when the account is gone or disabled.
    pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Option<Principal>> {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                LOAD,
                [user_id.into()],
            ))
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let user = users::Model::from_query_result(first, "")?;
        if !user.active {
            return Ok(None);
        }
        let placement = match first.try_get::<Option<Uuid>>("", "placement_unit_id")? {
            Some(unit_id) => Some(Placement {
                unit_id,
                unit_path: first
                    .try_get::<Option<String>>("", "placement_unit_path")?
                    .unwrap_or_default(),
                position_id: first.try_get("", "placement_position_id")?,
            }),
            None => None,
        };
        let mut grants = Vec::new();
        for row in &rows {
            let Some(role) = row.try_get::<Option<String>>("", "grant_role")? else {
                continue;
            };
            // A role name this build does not know grants nothing.
            if let Some(role) = Role::parse(&role) {
                grants.push(Grant {
                    role,
                    unit_id: row.try_get("", "grant_unit_id")?,
                    unit_path: row.try_get("", "grant_unit_path")?,
                });
            }
        }
        let unread: i64 = first.try_get("", "unread_notifications")?;
        Ok(Some(Principal {
            user,
            grants,
            token_id: None,
            placement,
            unread_notifications: u64::try_from(unread).unwrap_or(0),
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

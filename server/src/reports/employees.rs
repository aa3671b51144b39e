//! The employee list of a unit's report: everyone in the unit and below it with their
//! JP, assigned, completed and overdue courses of the current year (from the snapshot),
//! filtered, sorted and paged by the database.

use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use crate::{
    auth::principal::Principal,
    entities::units,
    error::{AppError, AppResult, Code},
};

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By name (the default).
    Name,
    /// Least JP first (`jp`), most first (`-jp`).
    Jp(bool),
    /// Fewest overdue first (`overdue`), most first (`-overdue`).
    Overdue(bool),
    /// By unit, then name.
    Unit,
}

impl Sort {
    /// Parses `name`, `jp`, `-jp`, `overdue`, `-overdue`, `unit` (empty: by name).
    pub fn parse(s: &str) -> AppResult<Sort> {
        Ok(match s.trim() {
            "" | "name" => Sort::Name,
            "jp" => Sort::Jp(false),
            "-jp" => Sort::Jp(true),
            "overdue" => Sort::Overdue(false),
            "-overdue" => Sort::Overdue(true),
            "unit" => Sort::Unit,
            _ => return Err(AppError::invalid(Code::InvalidSort, "sort")),
        })
    }

    /// Its name in a query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Jp(false) => "jp",
            Sort::Jp(true) => "-jp",
            Sort::Overdue(false) => "overdue",
            Sort::Overdue(true) => "-overdue",
            Sort::Unit => "unit",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Name => "u.display_name, r.user_id",
            Sort::Jp(false) => "r.jp, u.display_name, r.user_id",
            Sort::Jp(true) => "r.jp DESC, u.display_name, r.user_id",
            Sort::Overdue(false) => "r.overdue, u.display_name, r.user_id",
            Sort::Overdue(true) => "r.overdue DESC, u.display_name, r.user_id",
            Sort::Unit => "n.name, u.display_name, r.user_id",
        }
    }
}

/// Which employees are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Everyone (the default).
    All,
    /// Short of the JP target.
    BelowTarget,
    /// With an overdue course.
    Overdue,
}

impl Filter {
    /// Parses `all`, `below_target`, `overdue` (empty: all).
    pub fn parse(s: &str) -> AppResult<Filter> {
        Ok(match s.trim() {
            "" | "all" => Filter::All,
            "below_target" => Filter::BelowTarget,
            "overdue" => Filter::Overdue,
            _ => return Err(AppError::invalid(Code::InvalidFilter, "filter")),
        })
    }

    /// Its name in a query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::BelowTarget => "below_target",
            Filter::Overdue => "overdue",
        }
    }
}

/// One employee's line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EmployeeLine {
    /// The account.
    pub user_id: Uuid,
    /// The employee record (their profile: `/employees/{employee_id}/profile`).
    pub employee_id: Uuid,
    /// Name.
    pub name: String,
    /// NIP.
    pub nip: String,
    /// Their unit.
    pub unit_id: Uuid,
    /// Its name.
    pub unit: String,
    /// Their position.
    pub position: Option<String>,
    /// JP counted this year.
    pub jp: i64,
    /// Whether they reached the JP target.
    pub at_target: bool,
    /// Courses assigned to them for the year.
    pub assigned: i32,
    /// Of those, completed.
    pub completed: i32,
    /// Of those, overdue.
    pub overdue: i32,
}

/// The snapshot's employees with their names, units and positions; `$1` the path prefix.
pub(super) const FROM: &str = " FROM report_employees r \
     JOIN employees e ON e.id = r.employee_id \
     JOIN users u ON u.id = r.user_id \
     JOIN units n ON n.id = r.unit_id \
     LEFT JOIN positions p ON p.id = e.position_id \
     WHERE r.unit_path LIKE $1";

/// The `LIKE` pattern of a unit's subtree (paths hold only hex digits and slashes).
pub fn subtree(unit: &units::Model) -> String {
    format!("{}%", unit.path.replace(['%', '_'], ""))
}

/// A page of the employees of `unit` (in the caller's scope) and their total.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &impl ConnectionTrait,
    p: &Principal,
    unit: &units::Model,
    sort: Sort,
    filter: Filter,
    target: i32,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<EmployeeLine>, u64)> {
    if !p.org_scope()?.contains(&unit.path) {
        return Err(AppError::NotFound);
    }
    let prefix = subtree(unit);
    let condition = match filter {
        Filter::All => "",
        Filter::BelowTarget => " AND r.jp < $2",
        Filter::Overdue => " AND r.overdue > 0",
    };
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = vec![prefix.into()];
    if filter == Filter::BelowTarget {
        values.push(i64::from(target).into());
    }
    let count = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT COUNT(*){FROM}{condition}"),
            values.clone(),
        ))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    let n = values.len();
    values.push(i64::try_from(per_page).unwrap_or(50).into());
    values.push(
        i64::try_from(page.saturating_sub(1) * per_page)
            .unwrap_or(0)
            .into(),
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT r.user_id, r.employee_id, u.display_name, e.nip, r.unit_id, n.name, p.name, \
                 r.jp, r.assigned, r.completed, r.overdue{FROM}{condition} ORDER BY {} LIMIT ${} OFFSET ${}",
                sort.order_by(),
                n + 1,
                n + 2
            ),
            values,
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let jp: i64 = row.try_get_by_index(7)?;
        out.push(EmployeeLine {
            user_id: row.try_get_by_index(0)?,
            employee_id: row.try_get_by_index(1)?,
            name: row.try_get_by_index(2)?,
            nip: row.try_get_by_index(3)?,
            unit_id: row.try_get_by_index(4)?,
            unit: row.try_get_by_index(5)?,
            position: row.try_get_by_index(6)?,
            jp,
            at_target: jp >= i64::from(target),
            assigned: row.try_get_by_index(8)?,
            completed: row.try_get_by_index(9)?,
            overdue: row.try_get_by_index(10)?,
        });
    }
    Ok((out, u64::try_from(count).unwrap_or(0)))
}

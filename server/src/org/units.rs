//! The unit tree and positions: create, edit (including moving a subtree), look up and
//! list, always within the caller's [`OrgScope`] (outside it a unit does not exist).

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, sea_query::Expr,
};
use uuid::Uuid;

use super::model::{parse_position_kind, parse_unit_code, parse_unit_kind};
use crate::{
    auth::{
        principal::OrgScope,
        service::{duplicate_as, parse_display_name},
    },
    entities::{positions, units},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// A unit as submitted by a form or the API, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    /// Short code, unique.
    pub code: String,
    /// Indonesian name.
    pub name: String,
    /// English name, optional.
    pub name_en: String,
    /// One of [`super::model::UnitKind`]'s names.
    pub kind: String,
    /// The parent unit; `None` for a top-level unit (admins only).
    pub parent_id: Option<Uuid>,
}

/// A unit in scope, or 404.
pub async fn get(db: &impl ConnectionTrait, scope: &OrgScope, id: Uuid) -> AppResult<units::Model> {
    let unit = units::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if scope.contains(&unit.path) {
        Ok(unit)
    } else {
        Err(AppError::NotFound)
    }
}

/// A unit by code, in scope.
pub async fn by_code(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    code: &str,
) -> AppResult<Option<units::Model>> {
    let unit = units::Entity::find()
        .filter(units::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?;
    Ok(unit.filter(|u| scope.contains(&u.path)))
}

/// Every unit in scope, ordered by path.
pub async fn all(db: &impl ConnectionTrait, scope: &OrgScope) -> AppResult<Vec<units::Model>> {
    Ok(units::Entity::find()
        .filter(scope.path_condition(units::Column::Path))
        .order_by_asc(units::Column::Path)
        .all(db)
        .await?)
}

/// How many units lie in scope.
pub async fn count(db: &impl ConnectionTrait, scope: &OrgScope) -> AppResult<u64> {
    Ok(units::Entity::find()
        .filter(scope.path_condition(units::Column::Path))
        .count(db)
        .await?)
}

/// One row of the tree as the admin page draws it.
#[derive(Debug, Clone)]
pub struct TreeRow {
    /// The unit.
    pub unit: units::Model,
    /// Depth below the scope's top (0 = top).
    pub depth: usize,
}

/// The units in scope as a depth-first list, siblings ordered by name.
pub fn as_tree(units: Vec<units::Model>) -> Vec<TreeRow> {
    let ids: std::collections::HashSet<Uuid> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<units::Model>> = HashMap::new();
    for u in units {
        // A unit whose parent lies outside the scope is a top of the visible forest.
        let key = u.parent_id.filter(|p| ids.contains(p));
        children.entry(key).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by_key(|u| u.name.to_lowercase());
    }
    let mut out = Vec::new();
    let mut stack: Vec<(units::Model, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|u| (u, 0))
        .collect();
    while let Some((unit, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(unit.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out.push(TreeRow { unit, depth });
    }
    out
}

struct CheckedUnit {
    code: String,
    name: String,
    name_en: Option<String>,
    kind: super::model::UnitKind,
}

fn check(input: &UnitInput) -> AppResult<CheckedUnit> {
    let name_en = input.name_en.trim();
    Ok(CheckedUnit {
        code: parse_unit_code(&input.code)?,
        name: parse_display_name(&input.name, "name")?,
        name_en: if name_en.is_empty() {
            None
        } else {
            Some(parse_display_name(name_en, "name_en")?)
        },
        kind: parse_unit_kind(&input.kind)?,
    })
}

/// Creates a unit under a parent in scope (top-level units: admins only).
/// Adds a unit in the caller's scope: the one way for the API and the unit form.
pub async fn add_unit(
    db: &sea_orm::DatabaseConnection,
    scope: &OrgScope,
    input: &UnitInput,
) -> AppResult<units::Model> {
    crate::db::in_write(db, async |txn| create(txn, scope, input).await).await
}

/// Changes a unit in the caller's scope: the one way for the unit form (and a future API).
pub async fn change_unit(
    db: &sea_orm::DatabaseConnection,
    scope: &OrgScope,
    id: Uuid,
    input: &UnitInput,
) -> AppResult<units::Model> {
    crate::db::in_write(db, async |txn| update(txn, scope, id, input).await).await
}

pub async fn create(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    input: &UnitInput,
) -> AppResult<units::Model> {
    let checked = check(input)?;
    let parent_path = match input.parent_id {
        Some(pid) => {
            get(db, scope, pid)
                .await
                .map_err(|_| AppError::invalid(Code::InvalidParent, "parent_id"))?
                .path
        }
        None if *scope == OrgScope::All => "/".to_owned(),
        None => return Err(AppError::invalid(Code::InvalidParent, "parent_id")),
    };
    let id = Uuid::now_v7();
    let at = stamp();
    units::ActiveModel {
        id: Set(id),
        code: Set(checked.code),
        name: Set(checked.name),
        name_en: Set(checked.name_en),
        kind: Set(checked.kind),
        parent_id: Set(input.parent_id),
        path: Set(format!("{parent_path}{}/", id.simple())),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(|e| duplicate_as(e, Code::UnitCodeTaken))
}

/// Edits a unit; a new parent moves the whole subtree. A unit cannot move below itself,
/// and a unit admin cannot move the top of their own scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    id: Uuid,
    input: &UnitInput,
) -> AppResult<units::Model> {
    let unit = get(db, scope, id).await?;
    let checked = check(input)?;
    let is_scope_top = match scope {
        OrgScope::All => false,
        OrgScope::Subtrees(roots) => roots.contains(&unit.path),
    };
    let mut new_path = unit.path.clone();
    if input.parent_id != unit.parent_id {
        if is_scope_top {
            return Err(AppError::invalid(Code::InvalidParent, "parent_id"));
        }
        let parent_path = match input.parent_id {
            Some(pid) => {
                let parent = get(db, scope, pid)
                    .await
                    .map_err(|_| AppError::invalid(Code::InvalidParent, "parent_id"))?;
                if parent.path.starts_with(&unit.path) {
                    return Err(AppError::invalid(Code::UnitCycle, "parent_id"));
                }
                parent.path
            }
            None if *scope == OrgScope::All => "/".to_owned(),
            None => return Err(AppError::invalid(Code::InvalidParent, "parent_id")),
        };
        new_path = format!("{parent_path}{}/", unit.id.simple());
    }
    let old_path = unit.path.clone();
    let mut active: units::ActiveModel = unit.into();
    active.code = Set(checked.code);
    active.name = Set(checked.name);
    active.name_en = Set(checked.name_en);
    active.kind = Set(checked.kind);
    active.parent_id = Set(input.parent_id);
    active.updated_at = Set(stamp());
    let updated = active
        .update(db)
        .await
        .map_err(|e| duplicate_as(e, Code::UnitCodeTaken))?;
    if new_path != old_path {
        // Rewrite the prefix of every path in the subtree, the unit's own included.
        let descendants = units::Entity::find()
            .filter(units::Column::Path.starts_with(old_path.as_str()))
            .all(db)
            .await?;
        for d in descendants {
            let path = format!("{new_path}{}", &d.path[old_path.len()..]);
            units::Entity::update_many()
                .col_expr(units::Column::Path, Expr::value(path))
                .filter(units::Column::Id.eq(d.id))
                .exec(db)
                .await?;
        }
        return units::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound);
    }
    Ok(updated)
}

/// The direct children of a unit.
pub async fn children(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Vec<units::Model>> {
    Ok(units::Entity::find()
        .filter(units::Column::ParentId.eq(id))
        .order_by_asc(units::Column::Name)
        .all(db)
        .await?)
}

/// The chain of units from the top of the scope down to `unit` (exclusive), for breadcrumbs.
pub async fn ancestors(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    unit: &units::Model,
) -> AppResult<Vec<units::Model>> {
    let ids: Vec<Uuid> = unit
        .path
        .trim_matches('/')
        .split('/')
        .filter_map(|s| Uuid::parse_str(s).ok())
        .filter(|id| *id != unit.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = units::Entity::find()
        .filter(units::Column::Id.is_in(ids))
        .all(db)
        .await?;
    found.retain(|u| scope.contains(&u.path));
    found.sort_by_key(|u| u.path.len());
    Ok(found)
}

/// The positions of a unit.
pub async fn positions_of(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
) -> AppResult<Vec<positions::Model>> {
    Ok(positions::Entity::find()
        .filter(positions::Column::UnitId.eq(unit_id))
        .order_by_asc(positions::Column::Name)
        .all(db)
        .await?)
}

/// Adds a position to a unit in the caller's scope (one write transaction).
pub async fn add_position(
    db: &sea_orm::DatabaseConnection,
    scope: &OrgScope,
    unit_id: Uuid,
    name: &str,
    kind: &str,
) -> AppResult<positions::Model> {
    crate::db::in_write(db, async |txn| {
        create_position(txn, scope, unit_id, name, kind).await
    })
    .await
}

/// Adds a position to a unit in scope, inside the caller's transaction.
pub async fn create_position(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    unit_id: Uuid,
    name: &str,
    kind: &str,
) -> AppResult<positions::Model> {
    let unit = get(db, scope, unit_id).await?;
    let name = parse_display_name(name, "name")?;
    let kind = parse_position_kind(kind)?;
    positions::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit.id),
        name: Set(name),
        kind: Set(kind),
        created_at: Set(stamp()),
    }
    .insert(db)
    .await
    .map_err(|e| duplicate_as(e, Code::PositionTaken))
}

//! Assignment: admins and unit admins give a course to people, to a unit with its subtree
//! or to a position. Assignments to a unit or a position are resolved when read, so people
//! who join later receive them too.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    auth::principal::OrgScope,
    courses::model::Status,
    entities::{assignments, courses, employees, positions, units},
    error::{AppError, AppResult, Code},
    jobs::{model::JobKind, queue::NewJob},
    time::stamp,
};

/// Whom a course is assigned to.
#[derive(Debug, Clone)]
pub enum AssignTarget {
    /// These users (employees).
    Users(Vec<Uuid>),
    /// Everyone in this unit and the units below it.
    Unit(Uuid),
    /// Everyone holding this position.
    Position(Uuid),
}

/// The unit ids on the path of a unit (itself and its ancestors).
fn path_ids(path: &str) -> Vec<Uuid> {
    path.split('/')
        .filter_map(|s| Uuid::try_parse(s).ok())
        .collect()
}

/// The courses assigned to a user, directly or through their unit (or a unit above it) or
/// their position, with the earliest due date of each (one query: the unit and position come
/// with the principal).
pub async fn assigned_to(
    db: &impl ConnectionTrait,
    p: &crate::auth::principal::Principal,
) -> AppResult<HashMap<Uuid, Option<NaiveDate>>> {
    let mut reach = Condition::any().add(assignments::Column::UserId.eq(p.user.id));
    if let Some(at) = &p.placement {
        reach = reach.add(assignments::Column::UnitId.is_in(path_ids(&at.unit_path)));
        if let Some(pos) = at.position_id {
            reach = reach.add(assignments::Column::PositionId.eq(pos));
        }
    }
    let mut due: HashMap<Uuid, Option<NaiveDate>> = HashMap::new();
    for a in assignments::Entity::find().filter(reach).all(db).await? {
        let slot = due.entry(a.course_id).or_insert(a.due_on);
        *slot = match (*slot, a.due_on) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
    Ok(due)
}

/// Whether a course reaches the user through one of its assignments `rows`, and the
/// earliest due date: `None` when none reaches them. No query: the user's unit and position
/// come with the principal.
pub fn assignment_among(
    rows: &[assignments::Model],
    p: &crate::auth::principal::Principal,
) -> Option<Option<NaiveDate>> {
    let units_on_path = p
        .placement
        .as_ref()
        .map(|at| path_ids(&at.unit_path))
        .unwrap_or_default();
    let position = p.placement.as_ref().and_then(|at| at.position_id);
    let mut found: Option<Option<NaiveDate>> = None;
    for a in rows {
        let reaches = a.user_id == Some(p.user.id)
            || a.unit_id.is_some_and(|u| units_on_path.contains(&u))
            || (a.position_id.is_some() && a.position_id == position);
        if reaches {
            found = Some(match (found.flatten(), a.due_on) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            });
        }
    }
    found
}

/// [`assignment_among`] the course's assignments as stored now (one query).
pub async fn assignment_of(
    db: &impl ConnectionTrait,
    p: &crate::auth::principal::Principal,
    course_id: Uuid,
) -> AppResult<Option<Option<NaiveDate>>> {
    let rows = assignments::Entity::find()
        .filter(assignments::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    Ok(assignment_among(&rows, p))
}

/// Assignments made, and how many employees they reach today.
#[derive(Debug, Clone)]
pub struct Assigned {
    /// The new assignment ids (one per person for a list of people).
    pub ids: Vec<Uuid>,
    /// Employees the target holds now (a unit or position also reaches people who join it
    /// later).
    pub reached: u64,
}

/// Assigns a course the caller may see to a target within the caller's organisation scope:
/// the one way for the API and the assignment page.
pub async fn assign_course(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    p: &crate::auth::principal::Principal,
    course_id: Uuid,
    target: &AssignTarget,
    due_on: Option<NaiveDate>,
) -> AppResult<Assigned> {
    let scope = p.org_scope()?;
    let today = crate::time::date_wib(now);
    crate::db::in_write(db, async |txn| {
        let course = crate::courses::access::course(txn, p, course_id)
            .await?
            .course;
        let ids = assign(txn, today, &scope, p.user.id, &course, target, due_on).await?;
        let reached = reach(txn, target).await?;
        // Everyone it reaches is told, by a job: a unit's assignment may reach thousands.
        crate::jobs::queue::enqueue(
            txn,
            NewJob::new(
                JobKind::AssignmentNotices,
                serde_json::json!({ "assignments": ids }),
                now,
            )
            .by(p.user.id),
        )
        .await?;
        // The course page shows the due date from its cached assignments.
        crate::courses::authoring::touch(txn, course.id).await?;
        Ok(Assigned { ids, reached })
    })
    .await
}

/// How many employees a target holds now.
pub async fn reach(db: &impl ConnectionTrait, target: &AssignTarget) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(match target {
        AssignTarget::Users(ids) => {
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            unique.len() as u64
        }
        AssignTarget::Unit(id) => {
            let Some(unit) = units::Entity::find_by_id(*id).one(db).await? else {
                return Ok(0);
            };
            employees::Entity::find()
                .inner_join(units::Entity)
                .filter(units::Column::Path.starts_with(unit.path.as_str()))
                .count(db)
                .await?
        }
        AssignTarget::Position(id) => {
            employees::Entity::find()
                .filter(employees::Column::PositionId.eq(*id))
                .count(db)
                .await?
        }
    })
}

/// Withdraws an assignment of a course whose target lies in the caller's scope: the one way
/// for the API and the assignment page. Only the obligation goes: enrolments, progress,
/// attempts and completions stay. An assignment outside the scope is not found.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    course_id: Uuid,
    assignment_id: Uuid,
) -> AppResult<()> {
    let scope = p.org_scope()?;
    crate::db::in_write(db, async |txn| {
        let a = assignments::Entity::find_by_id(assignment_id)
            .filter(assignments::Column::CourseId.eq(course_id))
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let unit = if let Some(id) = a.unit_id {
            units::Entity::find_by_id(id).one(txn).await?
        } else if let Some(id) = a.position_id {
            positions::Entity::find_by_id(id)
                .find_also_related(units::Entity)
                .one(txn)
                .await?
                .and_then(|(_, u)| u)
        } else {
            match a.user_id {
                Some(user) => employees::Entity::find()
                    .filter(employees::Column::UserId.eq(user))
                    .find_also_related(units::Entity)
                    .one(txn)
                    .await?
                    .and_then(|(_, u)| u),
                None => None,
            }
        };
        if !unit.is_some_and(|u| scope.contains(&u.path)) {
            return Err(AppError::NotFound);
        }
        assignments::Entity::delete_by_id(a.id).exec(txn).await?;
        crate::courses::authoring::touch(txn, course_id).await?;
        Ok(())
    })
    .await
}

/// Assigns a published course within the assigner's scope; returns the new assignment ids.
/// A due date before `today` (in Jakarta) is refused.
pub async fn assign(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: &OrgScope,
    by: Uuid,
    course: &courses::Model,
    target: &AssignTarget,
    due_on: Option<NaiveDate>,
) -> AppResult<Vec<Uuid>> {
    if course.status != Status::Published {
        return Err(AppError::Conflict {
            code: Code::CourseNotPublished,
            detail: None,
        });
    }
    if let Some(d) = due_on {
        crate::time::check_date(d, "due_on")?;
    }
    if due_on.is_some_and(|d| d < today) {
        return Err(AppError::invalid(Code::DueDatePast, "due_on"));
    }
    let rows: Vec<(Option<Uuid>, Option<Uuid>, Option<Uuid>)> = match target {
        AssignTarget::Users(ids) => {
            if ids.is_empty() || ids.len() > 1000 {
                return Err(AppError::invalid(Code::InvalidAssignees, "user_ids"));
            }
            let found = employees::Entity::find()
                .filter(employees::Column::UserId.is_in(ids.clone()))
                .find_also_related(units::Entity)
                .all(db)
                .await?;
            let in_scope = |id: &Uuid| {
                found.iter().any(|(e, u)| {
                    e.user_id == *id && u.as_ref().is_some_and(|u| scope.contains(&u.path))
                })
            };
            if !ids.iter().all(in_scope) {
                return Err(AppError::invalid(Code::InvalidAssignees, "user_ids"));
            }
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            unique
                .into_iter()
                .map(|id| (Some(id), None, None))
                .collect()
        }
        AssignTarget::Unit(id) => {
            crate::org::units::get(db, scope, *id)
                .await
                .map_err(|_| AppError::invalid(Code::InvalidUnit, "unit_id"))?;
            vec![(None, Some(*id), None)]
        }
        AssignTarget::Position(id) => {
            let unit = positions::Entity::find_by_id(*id)
                .find_also_related(units::Entity)
                .one(db)
                .await?
                .and_then(|(_, u)| u)
                .filter(|u| scope.contains(&u.path));
            if unit.is_none() {
                return Err(AppError::invalid(Code::InvalidPosition, "position_id"));
            }
            vec![(None, None, Some(*id))]
        }
    };
    let at = stamp();
    let mut ids = Vec::with_capacity(rows.len());
    for (user_id, unit_id, position_id) in rows {
        let id = Uuid::now_v7();
        assignments::ActiveModel {
            id: Set(id),
            course_id: Set(course.id),
            user_id: Set(user_id),
            unit_id: Set(unit_id),
            position_id: Set(position_id),
            due_on: Set(due_on),
            assigned_by: Set(by),
            created_at: Set(at),
        }
        .insert(db)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// An assignment as the assignment page lists it.
#[derive(Debug, Clone)]
pub struct AssignmentView {
    /// The assignment's id.
    pub id: Uuid,
    /// Employees its target holds now.
    pub reached: u64,
    /// `user`, `unit` or `position`.
    pub kind: &'static str,
    /// Whom it names: a person, a unit or a position (with its unit).
    pub target: String,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The assignments of a course whose target lies in `scope`, newest first (five queries,
/// and one count per unit or position assignment).
pub async fn assignments_in_scope(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    course_id: Uuid,
) -> AppResult<Vec<AssignmentView>> {
    let rows = assignments::Entity::find()
        .filter(assignments::Column::CourseId.eq(course_id))
        .order_by_desc(assignments::Column::CreatedAt)
        .all(db)
        .await?;
    let unit_ids: Vec<Uuid> = rows.iter().filter_map(|a| a.unit_id).collect();
    let units: HashMap<Uuid, units::Model> = units::Entity::find()
        .filter(units::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let position_ids: Vec<Uuid> = rows.iter().filter_map(|a| a.position_id).collect();
    let positions: HashMap<Uuid, (positions::Model, units::Model)> = positions::Entity::find()
        .filter(positions::Column::Id.is_in(position_ids))
        .find_also_related(units::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, u)| u.map(|u| (p.id, (p, u))))
        .collect();
    let user_ids: Vec<Uuid> = rows.iter().filter_map(|a| a.user_id).collect();
    let people: HashMap<Uuid, (String, units::Model)> = employees::Entity::find()
        .filter(employees::Column::UserId.is_in(user_ids))
        .find_also_related(units::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(e, u)| u.map(|u| (e.user_id, (e.nip, u))))
        .collect();
    let names: HashMap<Uuid, String> = crate::entities::users::Entity::find()
        .filter(
            crate::entities::users::Column::Id.is_in(people.keys().copied().collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let listed: Vec<(AssignmentView, Option<AssignTarget>)> = rows
        .into_iter()
        .filter_map(|a| {
            let (kind, target) = if let Some(id) = a.unit_id {
                let u = units.get(&id).filter(|u| scope.contains(&u.path))?;
                ("unit", u.name.clone())
            } else if let Some(id) = a.position_id {
                let (p, u) = positions
                    .get(&id)
                    .filter(|(_, u)| scope.contains(&u.path))?;
                ("position", format!("{} — {}", p.name, u.name))
            } else {
                let id = a.user_id?;
                let (nip, _) = people.get(&id).filter(|(_, u)| scope.contains(&u.path))?;
                let name = names.get(&id).cloned().unwrap_or_default();
                ("user", format!("{name} ({nip})"))
            };
            let reach = match (a.unit_id, a.position_id) {
                (Some(u), _) => Some(AssignTarget::Unit(u)),
                (None, Some(pos)) => Some(AssignTarget::Position(pos)),
                _ => None,
            };
            Some((
                AssignmentView {
                    id: a.id,
                    reached: 1,
                    kind,
                    target,
                    due_on: a.due_on,
                    created_at: a.created_at,
                },
                reach,
            ))
        })
        .collect();
    let mut out = Vec::with_capacity(listed.len());
    for (mut view, target) in listed {
        if let Some(target) = target {
            view.reached = reach(db, &target).await?;
        }
        out.push(view);
    }
    Ok(out)
}

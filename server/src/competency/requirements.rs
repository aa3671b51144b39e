//! What a position requires (competency and level) and what a course develops (the
//! competency and the level a completion proves). Each list is replaced as a whole.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::dictionary::{CodeLevel, resolve_levels};
use crate::{
    auth::principal::Principal,
    courses::{access, authoring},
    entities::{competencies, course_competencies, position_requirements, positions},
    error::{AppError, AppResult},
};

/// A competency with a level: a requirement of a position or an award of a course.
pub type Leveled = (competencies::Model, i16);

async fn with_competencies(
    db: &impl ConnectionTrait,
    pairs: Vec<(Uuid, i16)>,
) -> AppResult<Vec<Leveled>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = pairs.iter().map(|(id, _)| *id).collect();
    let by_id: HashMap<Uuid, competencies::Model> = competencies::Entity::find()
        .filter(competencies::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut out: Vec<Leveled> = pairs
        .into_iter()
        .filter_map(|(id, level)| by_id.get(&id).map(|c| (c.clone(), level)))
        .collect();
    out.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    Ok(out)
}

/// What a position requires, in code order.
pub async fn of_position(db: &impl ConnectionTrait, position_id: Uuid) -> AppResult<Vec<Leveled>> {
    let rows = position_requirements::Entity::find()
        .filter(position_requirements::Column::PositionId.eq(position_id))
        .all(db)
        .await?;
    with_competencies(
        db,
        rows.into_iter()
            .map(|r| (r.competency_id, r.level))
            .collect(),
    )
    .await
}

/// What a position requires as (competency id, level) pairs (one light query).
pub async fn levels_of_position(
    db: &impl ConnectionTrait,
    position_id: Uuid,
) -> AppResult<Vec<(Uuid, i16)>> {
    use sea_orm::QuerySelect;
    Ok(position_requirements::Entity::find()
        .select_only()
        .columns([
            position_requirements::Column::CompetencyId,
            position_requirements::Column::Level,
        ])
        .filter(position_requirements::Column::PositionId.eq(position_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// How many competencies each of these positions requires (positions without any are
/// absent).
pub async fn counts_of_positions(
    db: &impl ConnectionTrait,
    position_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, usize>> {
    use sea_orm::QuerySelect;
    let mut out: HashMap<Uuid, usize> = HashMap::new();
    for chunk in position_ids.chunks(500) {
        let ids: Vec<Uuid> = position_requirements::Entity::find()
            .select_only()
            .column(position_requirements::Column::PositionId)
            .filter(position_requirements::Column::PositionId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for id in ids {
            *out.entry(id).or_default() += 1;
        }
    }
    Ok(out)
}

/// What a course develops, in code order.
pub async fn of_course(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<Vec<Leveled>> {
    let rows = course_competencies::Entity::find()
        .filter(course_competencies::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    with_competencies(
        db,
        rows.into_iter()
            .map(|r| (r.competency_id, r.level))
            .collect(),
    )
    .await
}

/// What these courses develop, by course (one query for a catalogue page).
pub async fn of_courses(
    db: &impl ConnectionTrait,
    course_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Leveled>>> {
    if course_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = course_competencies::Entity::find()
        .filter(course_competencies::Column::CourseId.is_in(course_ids.to_vec()))
        .all(db)
        .await?;
    let all = with_competencies(
        db,
        rows.iter().map(|r| (r.competency_id, r.level)).collect(),
    )
    .await?;
    let by_id: HashMap<Uuid, competencies::Model> =
        all.into_iter().map(|(c, _)| (c.id, c)).collect();
    let mut out: HashMap<Uuid, Vec<Leveled>> = HashMap::new();
    for r in rows {
        if let Some(c) = by_id.get(&r.competency_id) {
            out.entry(r.course_id)
                .or_default()
                .push((c.clone(), r.level));
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    }
    Ok(out)
}

/// Replaces a position's requirements inside the caller's transaction (no permission
/// check: the demo and the CSV import call it).
pub async fn replace_position(
    db: &impl ConnectionTrait,
    position_id: Uuid,
    pairs: &[CodeLevel],
) -> AppResult<Vec<Leveled>> {
    positions::Entity::find_by_id(position_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let resolved = resolve_levels(db, pairs).await?;
    position_requirements::Entity::delete_many()
        .filter(position_requirements::Column::PositionId.eq(position_id))
        .exec(db)
        .await?;
    if !resolved.is_empty() {
        position_requirements::Entity::insert_many(resolved.iter().map(|(c, level)| {
            position_requirements::ActiveModel {
                position_id: Set(position_id),
                competency_id: Set(c.id),
                level: Set(*level),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    of_position(db, position_id).await
}

/// What a position requires (admins); 404 for no such position.
pub async fn position_requirements(
    db: &DatabaseConnection,
    p: &Principal,
    position_id: Uuid,
) -> AppResult<Vec<Leveled>> {
    p.require_admin()?;
    positions::Entity::find_by_id(position_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    of_position(db, position_id).await
}

/// Sets what a position requires (admins): the list replaces the one before.
pub async fn set_position_requirements(
    db: &DatabaseConnection,
    p: &Principal,
    position_id: Uuid,
    pairs: &[CodeLevel],
) -> AppResult<Vec<Leveled>> {
    p.require_admin()?;
    resolve_levels(db, pairs).await?;
    crate::db::in_write(db, async |txn| {
        replace_position(txn, position_id, pairs).await
    })
    .await
}

/// Replaces a course's awards inside the caller's transaction and bumps its revision
/// (its page shows them).
pub async fn replace_course(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    pairs: &[CodeLevel],
) -> AppResult<Vec<Leveled>> {
    let resolved = resolve_levels(db, pairs).await?;
    course_competencies::Entity::delete_many()
        .filter(course_competencies::Column::CourseId.eq(course_id))
        .exec(db)
        .await?;
    if !resolved.is_empty() {
        course_competencies::Entity::insert_many(resolved.iter().map(|(c, level)| {
            course_competencies::ActiveModel {
                course_id: Set(course_id),
                competency_id: Set(c.id),
                level: Set(*level),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    authoring::touch(db, course_id).await?;
    of_course(db, course_id).await
}

/// Sets what a course develops (its editors): the list replaces the one before. Earlier
/// completions keep the evidence they gave.
pub async fn set_course_competencies(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: Uuid,
    pairs: &[CodeLevel],
) -> AppResult<Vec<Leveled>> {
    access::editable(db, p, course_id).await?;
    resolve_levels(db, pairs).await?;
    crate::db::in_write(db, async |txn| {
        access::editable(txn, p, course_id).await?;
        replace_course(txn, course_id, pairs).await
    })
    .await
}

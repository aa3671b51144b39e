//! The outline: modules and their lessons, in order; adding, renaming, moving and deleting
//! modules, and moving lessons.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::course::touch;
use crate::{
    courses::model::parse_title,
    entities::{lessons, modules},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// A module with its lessons, both in order.
#[derive(Debug, Clone)]
pub struct ModuleOutline {
    /// The module.
    pub module: modules::Model,
    /// Its lessons.
    pub lessons: Vec<lessons::Model>,
}

/// The course's modules with their lessons, in order (two queries).
pub async fn outline(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<Vec<ModuleOutline>> {
    let modules = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .order_by_asc(modules::Column::Position)
        .all(db)
        .await?;
    let mut lessons_of: HashMap<Uuid, Vec<lessons::Model>> = HashMap::new();
    for l in lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?
    {
        lessons_of.entry(l.module_id).or_default().push(l);
    }
    Ok(modules
        .into_iter()
        .map(|m| ModuleOutline {
            lessons: lessons_of.remove(&m.id).unwrap_or_default(),
            module: m,
        })
        .collect())
}

/// A module by id.
pub async fn module(db: &impl ConnectionTrait, id: Uuid) -> AppResult<modules::Model> {
    modules::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A lesson by id.
pub async fn lesson(db: &impl ConnectionTrait, id: Uuid) -> AppResult<lessons::Model> {
    lessons::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Appends a module to a course.
pub async fn create_module(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    title: &str,
) -> AppResult<modules::Model> {
    let title = parse_title(title, "title")?;
    let position = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .count(db)
        .await? as i32;
    let m = modules::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(course_id),
        position: Set(position),
        title: Set(title),
        created_at: Set(stamp()),
    }
    .insert(db)
    .await?;
    touch(db, course_id).await?;
    Ok(m)
}

/// Renames a module.
pub async fn rename_module(
    db: &impl ConnectionTrait,
    m: modules::Model,
    title: &str,
) -> AppResult<()> {
    let title = parse_title(title, "title")?;
    let course_id = m.course_id;
    let mut am: modules::ActiveModel = m.into();
    am.title = Set(title);
    am.update(db).await?;
    touch(db, course_id).await
}

/// Deletes an empty module.
pub async fn delete_module(db: &impl ConnectionTrait, m: modules::Model) -> AppResult<()> {
    let lessons = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(m.id))
        .count(db)
        .await?;
    if lessons > 0 {
        return Err(AppError::Conflict {
            code: Code::ModuleNotEmpty,
            detail: None,
        });
    }
    let course_id = m.course_id;
    modules::Entity::delete_by_id(m.id).exec(db).await?;
    renumber_modules(db, course_id).await?;
    touch(db, course_id).await
}

async fn renumber_modules(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<()> {
    let all = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .order_by_asc(modules::Column::Position)
        .all(db)
        .await?;
    for (i, m) in all.into_iter().enumerate() {
        if m.position != i as i32 {
            let mut am: modules::ActiveModel = m.into();
            am.position = Set(i as i32);
            am.update(db).await?;
        }
    }
    Ok(())
}

/// Swaps item `i` with the one `delta` places away; `false` when that is past either end.
fn swap_with_neighbour<T>(all: &mut [T], i: usize, delta: i32) -> bool {
    match i.checked_add_signed(delta as isize) {
        Some(j) if j < all.len() => {
            all.swap(i, j);
            true
        }
        _ => false,
    }
}

/// Moves a module one place up (`-1`) or down (`+1`) by swapping with its neighbour.
pub async fn move_module(
    db: &impl ConnectionTrait,
    m: modules::Model,
    delta: i32,
) -> AppResult<()> {
    let course_id = m.course_id;
    let mut all = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(m.course_id))
        .order_by_asc(modules::Column::Position)
        .all(db)
        .await?;
    let Some(i) = all.iter().position(|x| x.id == m.id) else {
        return Err(AppError::NotFound);
    };
    if !swap_with_neighbour(&mut all, i, delta) {
        return Ok(());
    }
    for (pos, m) in all.into_iter().enumerate() {
        if m.position != pos as i32 {
            let mut am: modules::ActiveModel = m.into();
            am.position = Set(pos as i32);
            am.update(db).await?;
        }
    }
    touch(db, course_id).await
}

/// Moves a lesson one place up or down within its module.
pub async fn move_lesson(
    db: &impl ConnectionTrait,
    l: lessons::Model,
    delta: i32,
) -> AppResult<()> {
    let course_id = l.course_id;
    let mut all = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(l.module_id))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?;
    let Some(i) = all.iter().position(|x| x.id == l.id) else {
        return Err(AppError::NotFound);
    };
    if !swap_with_neighbour(&mut all, i, delta) {
        return Ok(());
    }
    for (pos, l) in all.into_iter().enumerate() {
        if l.position != pos as i32 {
            let mut am: lessons::ActiveModel = l.into();
            am.position = Set(pos as i32);
            am.update(db).await?;
        }
    }
    touch(db, course_id).await
}

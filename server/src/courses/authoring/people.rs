//! Who teaches a course and which courses must come before it.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::course::touch;
use crate::{
    auth::principal::Principal,
    courses::model::Status,
    entities::{course_instructors, course_prerequisites, courses, users},
    error::{AppError, AppResult, Code},
};

/// The course's instructors, by name.
pub async fn instructors(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> AppResult<Vec<users::Model>> {
    let ids: Vec<Uuid> = course_instructors::Entity::find()
        .filter(course_instructors::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .order_by_asc(users::Column::DisplayName)
        .all(db)
        .await?)
}

/// Adds an instructor by username (an active account).
pub async fn add_instructor(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    username: &str,
) -> AppResult<()> {
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(username.trim().to_lowercase()))
        .filter(users::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::invalid(Code::UnknownUser, "username"))?;
    let roles = crate::auth::principal::Principal::load(db, user.id)
        .await?
        .ok_or(AppError::invalid(Code::UnknownUser, "username"))?;
    if !(roles.is_admin() || roles.has(crate::auth::principal::Role::Instructor)) {
        return Err(AppError::invalid(Code::NotAnInstructor, "username"));
    }
    if crate::courses::access::teaches(db, user.id, course_id).await? {
        return Ok(());
    }
    course_instructors::ActiveModel {
        course_id: Set(course_id),
        user_id: Set(user.id),
    }
    .insert(db)
    .await?;
    touch(db, course_id).await
}

/// Makes `required` a prerequisite of `course`, with an optional minimum grade. The
/// required course must be one `p` may see (no one else's draft: its title would show to
/// learners), and a published course only takes a published prerequisite.
pub async fn add_prerequisite(
    db: &impl ConnectionTrait,
    p: &Principal,
    course_id: Uuid,
    required_id: Uuid,
    min_grade: Option<i32>,
) -> AppResult<()> {
    let refuse = || AppError::invalid(Code::InvalidPrerequisite, "required_course_id");
    if required_id == course_id || min_grade.is_some_and(|g| !(0..=100).contains(&g)) {
        return Err(refuse());
    }
    let required = match crate::courses::access::course(db, p, required_id).await {
        Ok(a) => a.course,
        Err(AppError::NotFound) => return Err(refuse()),
        Err(e) => return Err(e),
    };
    let course = courses::Entity::find_by_id(course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if course.status == Status::Published && required.status == Status::Draft {
        return Err(refuse());
    }
    course_prerequisites::Entity::delete_by_id((course_id, required_id))
        .exec(db)
        .await?;
    course_prerequisites::ActiveModel {
        course_id: Set(course_id),
        required_course_id: Set(required_id),
        min_grade: Set(min_grade),
    }
    .insert(db)
    .await?;
    touch(db, course_id).await
}

/// The prerequisites of a course with the required courses.
pub async fn prerequisites(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> AppResult<Vec<(course_prerequisites::Model, courses::Model)>> {
    let rows = course_prerequisites::Entity::find()
        .filter(course_prerequisites::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.required_course_id).collect();
    let courses: HashMap<Uuid, courses::Model> = courses::Entity::find()
        .filter(courses::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| courses.get(&r.required_course_id).cloned().map(|c| (r, c)))
        .collect())
}

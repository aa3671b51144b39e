//! Courses themselves: creating and changing one, its status (publishing checks the
//! prerequisites) and its cover; `touch` bumps the revision every cached page keys on.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::people::prerequisites;
use crate::{
    auth::service::duplicate_as,
    courses::model::{CheckedCourse, Status},
    entities::{course_instructors, courses, lessons, materials},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// Creates a draft course; its creator becomes its first instructor.
pub async fn create_course(
    db: &impl ConnectionTrait,
    author: Uuid,
    c: &CheckedCourse,
) -> AppResult<courses::Model> {
    let at = stamp();
    let course = courses::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(c.code.clone()),
        title: Set(c.title.clone()),
        summary: Set(c.summary.clone()),
        description_md: Set(c.description_md.clone()),
        category: Set(c.category),
        jp: Set(c.jp),
        delivery: Set(c.delivery),
        cover_material_id: Set(None),
        status: Set(Status::Draft),
        enrolment: Set(c.enrolment),
        revision: Set(0),
        starts_at: Set(c.starts_at),
        ends_at: Set(c.ends_at),
        venue: Set(c.venue.clone()),
        created_by: Set(author),
        published_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(|e| duplicate_as(e, Code::CourseCodeTaken))?;
    course_instructors::ActiveModel {
        course_id: Set(course.id),
        user_id: Set(author),
    }
    .insert(db)
    .await?;
    crate::search::feed::changed(db, course.id).await?;
    Ok(course)
}

/// Marks a course changed: every cached copy of its outline is stale from now on, and
/// every replica's search index reads the course again (the change feed, in the same
/// transaction).
pub async fn touch(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<()> {
    courses::Entity::update_many()
        .col_expr(
            courses::Column::Revision,
            Expr::col(courses::Column::Revision).add(1),
        )
        .col_expr(courses::Column::UpdatedAt, Expr::value(stamp()))
        .filter(courses::Column::Id.eq(course_id))
        .exec(db)
        .await?;
    crate::search::feed::changed(db, course_id).await
}

/// Replaces a course's editable fields.
pub async fn update_course(
    db: &impl ConnectionTrait,
    course: courses::Model,
    c: &CheckedCourse,
) -> AppResult<courses::Model> {
    let mut am: courses::ActiveModel = course.into();
    am.code = Set(c.code.clone());
    am.title = Set(c.title.clone());
    am.summary = Set(c.summary.clone());
    am.description_md = Set(c.description_md.clone());
    am.category = Set(c.category);
    am.jp = Set(c.jp);
    am.delivery = Set(c.delivery);
    am.enrolment = Set(c.enrolment);
    am.starts_at = Set(c.starts_at);
    am.ends_at = Set(c.ends_at);
    am.venue = Set(c.venue.clone());
    am.updated_at = Set(stamp());
    let course = am
        .update(db)
        .await
        .map_err(|e| duplicate_as(e, Code::CourseCodeTaken))?;
    touch(db, course.id).await?;
    Ok(course)
}

/// Publishes (a course needs at least one lesson) or archives a course.
pub async fn set_status(
    db: &impl ConnectionTrait,
    course: courses::Model,
    status: Status,
) -> AppResult<courses::Model> {
    if status == Status::Published {
        let drafts: Vec<String> = prerequisites(db, course.id)
            .await?
            .into_iter()
            .filter(|(_, c)| c.status == Status::Draft)
            .map(|(_, c)| c.title)
            .collect();
        if !drafts.is_empty() {
            return Err(AppError::Conflict {
                code: Code::PrerequisiteNotPublished,
                detail: Some(drafts.join(", ")),
            });
        }
        let lessons = lessons::Entity::find()
            .filter(lessons::Column::CourseId.eq(course.id))
            .count(db)
            .await?;
        if lessons == 0 {
            return Err(AppError::Conflict {
                code: Code::CourseHasNoLessons,
                detail: None,
            });
        }
    }
    let first_publish = course.published_at.is_none() && status == Status::Published;
    let mut am: courses::ActiveModel = course.into();
    am.status = Set(status);
    if first_publish {
        am.published_at = Set(Some(stamp()));
    }
    am.updated_at = Set(stamp());
    let course = am.update(db).await?;
    touch(db, course.id).await?;
    Ok(course)
}

/// Sets or clears a course's cover: an image among the course's own materials.
pub async fn set_cover(
    db: &impl ConnectionTrait,
    course: courses::Model,
    material_id: Option<Uuid>,
) -> AppResult<()> {
    if let Some(id) = material_id {
        let ok = materials::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|m| {
                m.course_id == course.id
                    && ["image/png", "image/jpeg", "image/gif", "image/webp"]
                        .contains(&m.content_type.as_str())
            });
        if !ok {
            return Err(AppError::invalid(Code::InvalidCover, "material_id"));
        }
    }
    let id = course.id;
    let mut am: courses::ActiveModel = course.into();
    am.cover_material_id = Set(material_id);
    am.update(db).await?;
    touch(db, id).await
}

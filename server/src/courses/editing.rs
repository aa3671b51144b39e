//! An author's actions on a course: add it, change it, publish or archive it, add a module.
//! Each is one function that checks the caller's rights, runs one write transaction and
//! bumps the course's revision, shared by the API and the pages.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    access, authoring,
    model::{CheckedCourse, CheckedLesson, LessonKind, Status},
};
use crate::{
    auth::principal::Principal,
    db::in_write,
    entities::{courses, lessons, modules},
    error::{AppError, AppResult, Code},
};

/// Adds a draft course (instructors and admins); its author becomes its first instructor.
pub async fn add_course(
    db: &DatabaseConnection,
    p: &Principal,
    input: &CheckedCourse,
) -> AppResult<courses::Model> {
    access::require_author(p)?;
    in_write(db, async |txn| {
        authoring::create_course(txn, p.user.id, input).await
    })
    .await
}

/// Changes a course's settings (its editors).
pub async fn change_course(
    db: &DatabaseConnection,
    p: &Principal,
    id: Uuid,
    input: &CheckedCourse,
) -> AppResult<courses::Model> {
    in_write(db, async |txn| {
        let course = access::editable(txn, p, id).await?.course;
        authoring::update_course(txn, course, input).await
    })
    .await
}

/// Publishes (a course needs a lesson), archives or drafts a course (its editors).
pub async fn change_status(
    db: &DatabaseConnection,
    p: &Principal,
    id: Uuid,
    status: Status,
) -> AppResult<courses::Model> {
    in_write(db, async |txn| {
        let course = access::editable(txn, p, id).await?.course;
        authoring::set_status(txn, course, status).await
    })
    .await
}

/// Appends a lesson to a module (the course's editors). A quiz lesson comes only with its
/// quiz (`quizzes::quiz::add_quiz`): 422 `invalid_lesson_kind` here. The Markdown body is
/// rendered before the write transaction.
pub async fn add_lesson(
    db: &DatabaseConnection,
    p: &Principal,
    module_id: Uuid,
    input: &CheckedLesson,
) -> AppResult<lessons::Model> {
    if input.kind == LessonKind::Quiz {
        return Err(AppError::invalid(Code::InvalidLessonKind, "kind"));
    }
    let module = authoring::module(db, module_id).await?;
    access::editable(db, p, module.course_id).await?;
    let body_html = authoring::render_markdown(db, module.course_id, &input.body_md).await?;
    in_write(db, async |txn| {
        let module = authoring::module(txn, module_id).await?;
        access::editable(txn, p, module.course_id).await?;
        authoring::create_lesson(txn, &module, input, body_html).await
    })
    .await
}

/// Appends a module to a course (its editors).
pub async fn add_module(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: Uuid,
    title: &str,
) -> AppResult<modules::Model> {
    in_write(db, async |txn| {
        access::editable(txn, p, course_id).await?;
        authoring::create_module(txn, course_id, title).await
    })
    .await
}

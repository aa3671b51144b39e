//! An author's actions on a course: add it, change it, publish or archive it, its cover,
//! instructors and prerequisites, and its modules and lessons (add, change, move, delete).
//! Each is one function that checks the caller's rights, runs one write transaction and
//! bumps the course's revision, shared by the API and the pages.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    access, authoring,
    model::{CheckedCourse, CheckedLesson, Completion, LessonInput, LessonKind, Status},
};
use crate::{
    auth::principal::Principal,
    db::{WriteTxn, in_write},
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

/// Renames a module (the course's editors).
pub async fn rename_module(
    db: &DatabaseConnection,
    p: &Principal,
    module_id: Uuid,
    title: &str,
) -> AppResult<()> {
    on_module(db, p, module_id, async |txn, module| {
        authoring::rename_module(txn, module, title).await
    })
    .await
}

/// Moves a module one place up (`delta` −1) or down (+1) (the course's editors).
pub async fn move_module(
    db: &DatabaseConnection,
    p: &Principal,
    module_id: Uuid,
    delta: i32,
) -> AppResult<()> {
    on_module(db, p, module_id, async |txn, module| {
        authoring::move_module(txn, module, delta).await
    })
    .await
}

/// Deletes an empty module (the course's editors); 409 `module_not_empty` otherwise.
pub async fn delete_module(
    db: &DatabaseConnection,
    p: &Principal,
    module_id: Uuid,
) -> AppResult<()> {
    on_module(db, p, module_id, async |txn, module| {
        authoring::delete_module(txn, module).await
    })
    .await
}

/// Changes a lesson (the course's editors). A quiz lesson stays a quiz, done when passed,
/// whatever `input` says; its questions and settings change through its quiz. The
/// Markdown body is rendered before the write transaction.
pub async fn change_lesson(
    db: &DatabaseConnection,
    p: &Principal,
    lesson_id: Uuid,
    input: LessonInput,
) -> AppResult<lessons::Model> {
    let lesson = authoring::lesson(db, lesson_id).await?;
    access::editable(db, p, lesson.course_id).await?;
    let input = if lesson.kind == LessonKind::Quiz {
        LessonInput {
            kind: LessonKind::Quiz.as_str().to_owned(),
            completion: Completion::Passed.as_str().to_owned(),
            ..input
        }
    } else {
        input
    }
    .check()?;
    let body_html = authoring::render_markdown(db, lesson.course_id, &input.body_md).await?;
    on_lesson(db, p, lesson_id, async |txn, lesson| {
        authoring::update_lesson(txn, lesson, &input, body_html).await
    })
    .await
}

/// Moves a lesson one place up or down within its module (the course's editors).
pub async fn move_lesson(
    db: &DatabaseConnection,
    p: &Principal,
    lesson_id: Uuid,
    delta: i32,
) -> AppResult<()> {
    on_lesson(db, p, lesson_id, async |txn, lesson| {
        authoring::move_lesson(txn, lesson, delta).await
    })
    .await
}

/// Deletes a lesson with its progress (the course's editors).
pub async fn delete_lesson(
    db: &DatabaseConnection,
    p: &Principal,
    lesson_id: Uuid,
) -> AppResult<()> {
    on_lesson(db, p, lesson_id, async |txn, lesson| {
        authoring::delete_lesson(txn, lesson).await
    })
    .await
}

/// Sets the course's cover to one of its images, or clears it (its editors).
pub async fn set_cover(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: Uuid,
    material_id: Option<Uuid>,
) -> AppResult<()> {
    in_write(db, async |txn| {
        let course = access::editable(txn, p, course_id).await?.course;
        authoring::set_cover(txn, course, material_id).await
    })
    .await
}

/// Adds an instructor to the course by username (its editors).
pub async fn add_instructor(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: Uuid,
    username: &str,
) -> AppResult<()> {
    in_write(db, async |txn| {
        access::editable(txn, p, course_id).await?;
        authoring::add_instructor(txn, course_id, username).await
    })
    .await
}

/// Makes `required_id` a prerequisite of the course, with an optional minimum grade (its
/// editors).
pub async fn add_prerequisite(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: Uuid,
    required_id: Uuid,
    min_grade: Option<i32>,
) -> AppResult<()> {
    in_write(db, async |txn| {
        access::editable(txn, p, course_id).await?;
        authoring::add_prerequisite(txn, p, course_id, required_id, min_grade).await
    })
    .await
}

/// Runs `change` on a module of a course `p` may edit, in one write transaction.
async fn on_module<T>(
    db: &DatabaseConnection,
    p: &Principal,
    module_id: Uuid,
    change: impl AsyncFnOnce(&WriteTxn, modules::Model) -> AppResult<T>,
) -> AppResult<T> {
    in_write(db, async |txn| {
        let module = authoring::module(txn, module_id).await?;
        access::editable(txn, p, module.course_id).await?;
        change(txn, module).await
    })
    .await
}

/// Runs `change` on a lesson of a course `p` may edit, in one write transaction.
async fn on_lesson<T>(
    db: &DatabaseConnection,
    p: &Principal,
    lesson_id: Uuid,
    change: impl AsyncFnOnce(&WriteTxn, lessons::Model) -> AppResult<T>,
) -> AppResult<T> {
    in_write(db, async |txn| {
        let lesson = authoring::lesson(txn, lesson_id).await?;
        access::editable(txn, p, lesson.course_id).await?;
        change(txn, lesson).await
    })
    .await
}

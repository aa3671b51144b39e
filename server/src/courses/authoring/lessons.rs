//! Lessons: their Markdown rendered once when saved (and again when a file its images
//! name arrives), created, changed and deleted.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::course::touch;
use crate::{
    courses::model::{CheckedLesson, LessonKind},
    entities::{lessons, materials, modules},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// The course's materials by file name, for resolving images in Markdown.
async fn material_names(
    db: &impl ConnectionTrait,
    course_id: Uuid,
) -> AppResult<HashMap<String, Uuid>> {
    Ok(materials::Entity::find()
        .filter(materials::Column::CourseId.eq(course_id))
        .order_by_asc(materials::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.file_name, m.id))
        .collect())
}

/// Markdown of a course to sanitized HTML, with images and links by file name pointing at
/// the course's materials; rendered off the request threads. Call it before a write
/// transaction begins and hand the result in.
pub async fn render_markdown(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    md: &str,
) -> AppResult<String> {
    if md.trim().is_empty() {
        return Ok(String::new());
    }
    let names = material_names(db, course_id).await?;
    crate::render::markdown(md.to_owned(), names).await
}

/// Appends a lesson to a module; `body_html` is its Markdown rendered by
/// [`render_markdown`].
pub async fn create_lesson(
    db: &impl ConnectionTrait,
    module: &modules::Model,
    l: &CheckedLesson,
    body_html: String,
) -> AppResult<lessons::Model> {
    let position = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module.id))
        .count(db)
        .await? as i32;
    let at = stamp();
    let lesson = lessons::ActiveModel {
        id: Set(Uuid::now_v7()),
        module_id: Set(module.id),
        course_id: Set(module.course_id),
        position: Set(position),
        title: Set(l.title.clone()),
        kind: Set(l.kind),
        body_md: Set(l.body_md.clone()),
        body_html: Set(body_html),
        url: Set(l.url.clone()),
        material_id: Set(None),
        captions_material_id: Set(None),
        completion: Set(l.completion),
        watch_percent: Set(l.watch_percent),
        duration_seconds: Set(None),
        required: Set(l.required),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await?;
    touch(db, module.course_id).await?;
    crate::courses::progress::recompute_course(db, module.course_id).await?;
    Ok(lesson)
}

/// Replaces a lesson's editable fields; `body_html` as for [`create_lesson`].
pub async fn update_lesson(
    db: &impl ConnectionTrait,
    lesson: lessons::Model,
    l: &CheckedLesson,
    body_html: String,
) -> AppResult<lessons::Model> {
    let mut am: lessons::ActiveModel = lesson.into();
    am.title = Set(l.title.clone());
    am.kind = Set(l.kind);
    am.body_md = Set(l.body_md.clone());
    am.body_html = Set(body_html);
    am.url = Set(l.url.clone());
    am.completion = Set(l.completion);
    am.watch_percent = Set(l.watch_percent);
    am.required = Set(l.required);
    am.updated_at = Set(stamp());
    let lesson = am.update(db).await?;
    touch(db, lesson.course_id).await?;
    crate::courses::progress::recompute_course(db, lesson.course_id).await?;
    Ok(lesson)
}

/// A lesson's body rendered anew, to be stored if the lesson did not change meanwhile.
#[derive(Debug, Clone)]
pub struct Rerendered {
    /// The lesson.
    pub lesson_id: Uuid,
    /// When the lesson was last changed, as it was read.
    pub seen_at: chrono::DateTime<chrono::Utc>,
    /// Its new HTML.
    pub body_html: String,
}

/// The lessons of a course whose Markdown names `file_name`, rendered as they will read
/// once the material `material_id` of that name exists (its images then resolve). Runs
/// before the upload's write transaction; [`store_rerendered`] writes the result.
pub async fn rerender_for_file(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    file_name: &str,
    material_id: Uuid,
) -> AppResult<Vec<Rerendered>> {
    let encoded =
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let named: Vec<lessons::Model> = lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|l| l.body_md.contains(file_name) || l.body_md.contains(&encoded))
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let mut names = material_names(db, course_id).await?;
    names.insert(file_name.to_owned(), material_id);
    let mut out = Vec::new();
    for l in named {
        let body_html = crate::render::markdown(l.body_md.clone(), names.clone()).await?;
        if body_html != l.body_html {
            out.push(Rerendered {
                lesson_id: l.id,
                seen_at: l.updated_at,
                body_html,
            });
        }
    }
    Ok(out)
}

/// Stores bodies from [`rerender_for_file`], each only where its lesson is unchanged since
/// (an edit in between rendered its own body).
pub async fn store_rerendered(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    rerendered: &[Rerendered],
) -> AppResult<()> {
    for r in rerendered {
        lessons::Entity::update_many()
            .col_expr(
                lessons::Column::BodyHtml,
                sea_orm::sea_query::Expr::value(r.body_html.clone()),
            )
            .filter(lessons::Column::Id.eq(r.lesson_id))
            .filter(lessons::Column::UpdatedAt.eq(r.seen_at))
            .exec(db)
            .await?;
    }
    touch(db, course_id).await
}

/// Deletes a lesson (its learners' progress on it goes with it).
pub async fn delete_lesson(db: &impl ConnectionTrait, l: lessons::Model) -> AppResult<()> {
    if l.kind == LessonKind::Quiz {
        let quiz_ids: Vec<Uuid> = crate::entities::quizzes::Entity::find()
            .filter(crate::entities::quizzes::Column::LessonId.eq(l.id))
            .all(db)
            .await?
            .into_iter()
            .map(|q| q.id)
            .collect();
        let attempts = crate::entities::attempts::Entity::find()
            .filter(crate::entities::attempts::Column::QuizId.is_in(quiz_ids))
            .count(db)
            .await?;
        if attempts > 0 {
            return Err(AppError::Conflict {
                code: Code::QuizHasAttempts,
                detail: None,
            });
        }
    }
    let module_id = l.module_id;
    let course_id = l.course_id;
    lessons::Entity::delete_by_id(l.id).exec(db).await?;
    let all = lessons::Entity::find()
        .filter(lessons::Column::ModuleId.eq(module_id))
        .order_by_asc(lessons::Column::Position)
        .all(db)
        .await?;
    for (i, l) in all.into_iter().enumerate() {
        if l.position != i as i32 {
            let mut am: lessons::ActiveModel = l.into();
            am.position = Set(i as i32);
            am.update(db).await?;
        }
    }
    touch(db, course_id).await?;
    crate::courses::progress::recompute_course(db, course_id).await
}

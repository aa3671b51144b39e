//! Authoring: creating and editing courses, their instructors and prerequisites, ordered
//! modules and lessons, publishing and archiving. Callers check [`super::access`] first.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::model::{CheckedCourse, CheckedLesson, LessonKind, Status, parse_title};
use crate::{
    auth::{principal::Principal, service::duplicate_as},
    entities::{
        course_instructors, course_prerequisites, courses, lessons, materials, modules, users,
    },
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
    Ok(course)
}

/// Marks a course changed: every cached copy of its outline is stale from now on.
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
    Ok(())
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
    if super::access::teaches(db, user.id, course_id).await? {
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
    let required = match super::access::course(db, p, required_id).await {
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
        completion: Set(l.completion.as_str().to_owned()),
        watch_percent: Set(l.watch_percent),
        duration_seconds: Set(None),
        required: Set(l.required),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await?;
    touch(db, module.course_id).await?;
    super::progress::recompute_course(db, module.course_id).await?;
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
    am.completion = Set(l.completion.as_str().to_owned());
    am.watch_percent = Set(l.watch_percent);
    am.required = Set(l.required);
    am.updated_at = Set(stamp());
    let lesson = am.update(db).await?;
    touch(db, lesson.course_id).await?;
    super::progress::recompute_course(db, lesson.course_id).await?;
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
    super::progress::recompute_course(db, course_id).await
}

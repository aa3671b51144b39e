//! The documents of a course as search indexes them, read from the database: the course
//! (title, summary, description), its modules, its lessons (title and text; a quiz's
//! questions never) and the text of its PDF documents.

use std::collections::HashMap;

use mahir_content::{
    markdown::to_plain_text,
    search::{Doc, Kind, Visibility, analyzer::detect_language},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::{
    courses::model::{LessonKind, Status},
    entities::{course_instructors, courses, lessons, material_texts, materials, modules},
    error::AppResult,
};

/// Every course's id.
pub async fn course_ids(db: &impl ConnectionTrait) -> AppResult<Vec<Uuid>> {
    Ok(courses::Entity::find()
        .select_only()
        .column(courses::Column::Id)
        .order_by_asc(courses::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// The documents of one course (none when it is gone).
pub async fn of_course(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<Vec<Doc>> {
    let Some(course) = courses::Entity::find_by_id(course_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let instructors: Vec<Uuid> = course_instructors::Entity::find()
        .select_only()
        .column(course_instructors::Column::UserId)
        .filter(course_instructors::Column::CourseId.eq(course_id))
        .into_tuple()
        .all(db)
        .await?;
    let modules = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let lessons = lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    let texts: Vec<(Uuid, Option<String>)> = material_texts::Entity::find()
        .select_only()
        .columns([
            material_texts::Column::MaterialId,
            material_texts::Column::Text,
        ])
        .filter(material_texts::Column::CourseId.eq(course_id))
        .filter(material_texts::Column::Text.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let names: HashMap<Uuid, String> = if texts.is_empty() {
        HashMap::new()
    } else {
        materials::Entity::find()
            .select_only()
            .columns([materials::Column::Id, materials::Column::FileName])
            .filter(materials::Column::Id.is_in(texts.iter().map(|(id, _)| *id)))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let documents = texts
        .into_iter()
        .filter_map(|(id, text)| Some((id, names.get(&id)?.clone(), text?)));
    let description = to_plain_text(&course.description_md);
    let base = Doc {
        kind: Kind::Course,
        id: course.id,
        course_id: course.id,
        lang: detect_language(&format!(
            "{} {} {description}",
            course.title, course.summary
        )),
        title: course.title.clone(),
        summary: course.summary.clone(),
        body: description,
        visibility: match course.status {
            Status::Draft => Visibility::Draft,
            Status::Published => Visibility::Published,
            Status::Archived => Visibility::Archived,
        },
        category: course.category.as_str().to_owned(),
        delivery: course.delivery.as_str().to_owned(),
        jp: u64::try_from(course.jp).unwrap_or(0),
        instructors,
    };
    let mut out = vec![base.clone()];
    for m in modules {
        out.push(Doc {
            kind: Kind::Module,
            id: m.id,
            lang: detect_language(&m.title),
            title: m.title,
            summary: String::new(),
            body: String::new(),
            ..base.clone()
        });
    }
    // A document's text is found under the lesson it belongs to.
    let lesson_of: HashMap<Uuid, &lessons::Model> = lessons
        .iter()
        .filter_map(|l| l.material_id.map(|m| (m, l)))
        .collect();
    for l in &lessons {
        let body = if l.kind == LessonKind::Quiz {
            String::new()
        } else {
            to_plain_text(&l.body_md)
        };
        out.push(Doc {
            kind: Kind::Lesson,
            id: l.id,
            lang: detect_language(&format!("{} {body}", l.title)),
            title: l.title.clone(),
            summary: String::new(),
            body,
            ..base.clone()
        });
    }
    for (id, file_name, text) in documents {
        let Some(lesson) = lesson_of.get(&id) else {
            continue;
        };
        out.push(Doc {
            kind: Kind::Document,
            // Found, it opens the lesson it belongs to.
            id: lesson.id,
            lang: detect_language(&text),
            title: format!("{} — {file_name}", lesson.title),
            summary: String::new(),
            body: text,
            ..base.clone()
        });
    }
    Ok(out)
}

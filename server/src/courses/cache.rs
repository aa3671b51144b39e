//! What a course page shows of a course that only its authors change (outline, materials,
//! instructors, prerequisites, rendered description), cached in each replica and keyed by
//! the course's revision, so a change anywhere is seen on the next request everywhere.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::authoring::{self, ModuleOutline};
use crate::{
    entities::{assignments, course_prerequisites, courses, materials, users},
    error::AppResult,
};

/// Courses kept at most; past it the cache starts over (a page load refills an entry).
const MAX_COURSES: usize = 4096;

/// The author-controlled content of one course at one revision.
#[derive(Debug)]
pub struct CourseContent {
    /// The revision and change time this content belongs to.
    key: (i32, DateTime<Utc>),
    /// Instructors, by name.
    pub instructors: Vec<users::Model>,
    /// Prerequisites with the required courses.
    pub prerequisites: Vec<(course_prerequisites::Model, courses::Model)>,
    /// Modules and lessons in order.
    pub outline: Vec<ModuleOutline>,
    /// The course's materials by id.
    pub materials: HashMap<Uuid, materials::Model>,
    /// The description rendered and sanitized.
    pub description_html: String,
    /// Its assignments (assigning and withdrawing bump the revision), for the due date
    /// its page shows a learner.
    pub assignments: Vec<assignments::Model>,
    /// The competencies it develops, with the level a completion proves (setting them
    /// bumps the revision).
    pub awards: Vec<crate::competency::requirements::Leveled>,
}

/// The per-replica cache of course content.
#[derive(Debug, Default)]
pub struct ContentCache {
    courses: RwLock<HashMap<Uuid, Arc<CourseContent>>>,
    lessons: RwLock<HashMap<Uuid, Uuid>>,
}

impl ContentCache {
    /// The content of `course` at its current revision, loaded on a miss.
    pub async fn content(
        &self,
        db: &impl ConnectionTrait,
        course: &courses::Model,
    ) -> AppResult<Arc<CourseContent>> {
        let key = (course.revision, course.updated_at);
        if let Ok(map) = self.courses.read()
            && let Some(c) = map.get(&course.id)
            && c.key == key
        {
            return Ok(c.clone());
        }
        let content = Arc::new(load(db, course, key).await?);
        if let (Ok(mut map), Ok(mut lessons)) = (self.courses.write(), self.lessons.write()) {
            if map.len() >= MAX_COURSES {
                map.clear();
                lessons.clear();
            }
            for l in content.outline.iter().flat_map(|m| m.lessons.iter()) {
                lessons.insert(l.id, course.id);
            }
            map.insert(course.id, content.clone());
        }
        Ok(content)
    }

    /// The course a lesson belongs to, if a page of that course was cached.
    pub fn course_of_lesson(&self, lesson_id: Uuid) -> Option<Uuid> {
        self.lessons.read().ok()?.get(&lesson_id).copied()
    }
}

async fn load(
    db: &impl ConnectionTrait,
    course: &courses::Model,
    key: (i32, DateTime<Utc>),
) -> AppResult<CourseContent> {
    let id = course.id;
    let materials = materials::Entity::find()
        .filter(materials::Column::CourseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    Ok(CourseContent {
        key,
        instructors: authoring::instructors(db, id).await?,
        prerequisites: authoring::prerequisites(db, id).await?,
        outline: authoring::outline(db, id).await?,
        description_html: authoring::render_markdown(db, id, &course.description_md).await?,
        materials,
        assignments: assignments::Entity::find()
            .filter(assignments::Column::CourseId.eq(id))
            .all(db)
            .await?,
        awards: crate::competency::requirements::of_course(db, id).await?,
    })
}

//! What a course page, the player and the API show of a course, loaded in a fixed number
//! of queries: the course, its instructors, prerequisites, outline, materials and the
//! viewer's progress.

use std::{collections::HashMap, sync::Arc};

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::{
    access::{self, CourseAccess},
    cache::{ContentCache, CourseContent},
    progress::{self, LessonState},
};
use crate::{
    auth::principal::Principal,
    entities::{courses, lessons},
    error::{AppError, AppResult},
};

/// A course with everything its page shows.
#[derive(Debug, Clone)]
pub struct CourseDetail {
    /// The course and the viewer's rights and enrolment.
    pub access: CourseAccess,
    /// Its author-controlled content (shared, cached).
    pub content: Arc<CourseContent>,
    /// The viewer's progress per lesson.
    pub states: HashMap<Uuid, LessonState>,
}

impl CourseDetail {
    /// The prerequisites this viewer may see: a draft one (made a draft again after it was
    /// named) only to the course's editors.
    pub fn visible_prerequisites(
        &self,
    ) -> Vec<&(
        crate::entities::course_prerequisites::Model,
        crate::entities::courses::Model,
    )> {
        self.content
            .prerequisites
            .iter()
            .filter(|(_, c)| self.access.can_edit || c.status != super::model::Status::Draft)
            .collect()
    }

    /// Every lesson in reading order.
    pub fn lessons(&self) -> impl Iterator<Item = &lessons::Model> {
        self.content.outline.iter().flat_map(|m| m.lessons.iter())
    }
    /// The viewer's state on a lesson.
    pub fn state(&self, lesson_id: Uuid) -> LessonState {
        self.states.get(&lesson_id).cloned().unwrap_or_default()
    }

    /// The viewer's progress in per cent ([`super::progress::percent`] of the loaded states);
    /// 0 for someone not enrolled, who has no progress.
    pub fn percent(&self) -> i32 {
        if self.access.enrolment.is_none() {
            return 0;
        }
        let required: Vec<_> = self.lessons().filter(|l| l.required).collect();
        let done = required
            .iter()
            .filter(|l| self.state(l.id).completed)
            .count();
        super::progress::percent(done, required.len())
    }

    /// Where to continue: the last lesson touched, else the first not completed, else the first.
    pub fn resume_lesson(&self) -> Option<&lessons::Model> {
        let last = self
            .access
            .enrolment
            .as_ref()
            .and_then(|e| e.last_lesson_id)
            .and_then(|id| self.lessons().find(|l| l.id == id));
        last.or_else(|| self.lessons().find(|l| !self.state(l.id).completed))
            .or_else(|| self.lessons().next())
    }

    /// The lessons before and after one, in reading order.
    pub fn neighbours(
        &self,
        lesson_id: Uuid,
    ) -> (Option<&lessons::Model>, Option<&lessons::Model>) {
        let all: Vec<&lessons::Model> = self.lessons().collect();
        let Some(i) = all.iter().position(|l| l.id == lesson_id) else {
            return (None, None);
        };
        (
            i.checked_sub(1).and_then(|j| all.get(j).copied()),
            all.get(i + 1).copied(),
        )
    }
}

/// Loads a course for `p` (404 rules of [`access::course`]): the course row, its cached
/// content, the viewer's enrolment and progress — three queries on a warm cache.
pub async fn detail(
    db: &impl ConnectionTrait,
    cache: &ContentCache,
    p: &Principal,
    id: Uuid,
) -> AppResult<CourseDetail> {
    let course = courses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let content = cache.content(db, &course).await?;
    let teaches = content.instructors.iter().any(|u| u.id == p.user.id);
    let enrolment = access::enrolment_of(db, p.user.id, id).await?;
    let access = access::decide(p, course, teaches, enrolment)?;
    finish(db, p, access, content).await
}

/// Loads the rest of a course's detail once access is known.
pub async fn with_access(
    db: &impl ConnectionTrait,
    cache: &ContentCache,
    p: &Principal,
    access: CourseAccess,
) -> AppResult<CourseDetail> {
    let content = cache.content(db, &access.course).await?;
    finish(db, p, access, content).await
}

async fn finish(
    db: &impl ConnectionTrait,
    p: &Principal,
    access: CourseAccess,
    content: Arc<CourseContent>,
) -> AppResult<CourseDetail> {
    let states = if access.enrolment.is_some() {
        progress::states(db, p.user.id, access.course.id).await?
    } else {
        HashMap::new()
    };
    Ok(CourseDetail {
        access,
        content,
        states,
    })
}

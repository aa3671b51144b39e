//! Enrolment: who takes which course, the learner's list of courses and the prerequisites
//! checked on enrolling. Assignments are in [`assign`].

mod assign;

pub use assign::{
    AssignTarget, Assigned, AssignmentView, assign, assign_course, assigned_to, assignment_among,
    assignment_of, assignments_in_scope, reach, withdraw,
};

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    access::CourseAccess,
    model::{EnrolmentMode, Status},
};
use crate::{
    entities::{course_prerequisites, courses, enrolments, lessons},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// A course on a learner's list, with where they stand.
#[derive(Debug, Clone)]
pub struct MyCourse {
    /// The course.
    pub course: courses::Model,
    /// The enrolment, once they started.
    pub enrolment: Option<enrolments::Model>,
    /// The earliest due date of the assignments that reach them.
    pub due_on: Option<NaiveDate>,
    /// Whether it is assigned (not only chosen).
    pub assigned: bool,
    /// Past its due date (in Jakarta, by the state's clock) and not completed.
    pub overdue: bool,
    /// Due within [`DUE_SOON_DAYS`] days and not completed.
    pub due_soon: bool,
    /// The lesson last opened, to continue with: its id and title.
    pub resume: Option<(Uuid, String)>,
}

/// How near a due date counts as soon, in days.
pub const DUE_SOON_DAYS: i64 = 14;

impl MyCourse {
    /// Percentage of required lessons done.
    pub fn progress(&self) -> i32 {
        self.enrolment.as_ref().map_or(0, |e| e.progress_percent)
    }

    /// Whether every required lesson is done.
    pub fn completed(&self) -> bool {
        self.enrolment
            .as_ref()
            .is_some_and(|e| e.completed_at.is_some())
    }
}

/// The courses a learner is enrolled in or assigned (published or, once enrolled, archived);
/// a course is overdue when its due date is before `today` (in Jakarta).
pub async fn my_courses(
    db: &impl ConnectionTrait,
    p: &crate::auth::principal::Principal,
    today: NaiveDate,
) -> AppResult<Vec<MyCourse>> {
    let user_id = p.user.id;
    let due = assigned_to(db, p).await?;
    let enrolled: HashMap<Uuid, enrolments::Model> = enrolments::Entity::find()
        .filter(enrolments::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.course_id, e))
        .collect();
    let ids: Vec<Uuid> = due.keys().chain(enrolled.keys()).copied().collect();
    let courses = courses::Entity::find()
        .filter(courses::Column::Id.is_in(ids))
        .filter(courses::Column::Status.ne(Status::Draft))
        .all(db)
        .await?;
    let mut list: Vec<MyCourse> = courses
        .into_iter()
        .filter_map(|course| {
            let enrolment = enrolled.get(&course.id).cloned();
            if enrolment.is_none() && course.status != Status::Published {
                return None;
            }
            let mut mine = MyCourse {
                due_on: due.get(&course.id).copied().flatten(),
                assigned: due.contains_key(&course.id),
                overdue: false,
                due_soon: false,
                resume: None,
                enrolment,
                course,
            };
            let open = !mine.completed();
            mine.overdue = open && mine.due_on.is_some_and(|d| d < today);
            mine.due_soon = open
                && !mine.overdue
                && mine
                    .due_on
                    .is_some_and(|d| (d - today).num_days() <= DUE_SOON_DAYS);
            Some(mine)
        })
        .collect();
    // Where each started course continues: the lesson last opened (one query).
    let last: Vec<Uuid> = list
        .iter()
        .filter_map(|c| c.enrolment.as_ref().and_then(|e| e.last_lesson_id))
        .collect();
    if !last.is_empty() {
        let titles: HashMap<Uuid, String> = lessons::Entity::find()
            .filter(lessons::Column::Id.is_in(last))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l.title))
            .collect();
        for c in &mut list {
            c.resume = c
                .enrolment
                .as_ref()
                .and_then(|e| e.last_lesson_id)
                .and_then(|id| titles.get(&id).map(|t| (id, t.clone())));
        }
    }
    // Overdue first, then by due date, then the most recently used.
    list.sort_by(|a, b| {
        (b.overdue, a.completed(), a.due_on.is_none(), a.due_on)
            .cmp(&(a.overdue, b.completed(), b.due_on.is_none(), b.due_on))
            .then_with(|| {
                let seen = |c: &MyCourse| c.enrolment.as_ref().map(|e| e.last_seen_at);
                seen(b).cmp(&seen(a))
            })
    });
    Ok(list)
}

/// `user_id`'s enrolments in the courses `ids`, by course (one query).
pub async fn enrolments_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, enrolments::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(enrolments::Entity::find()
        .filter(enrolments::Column::UserId.eq(user_id))
        .filter(enrolments::Column::CourseId.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.course_id, e))
        .collect())
}

/// Checks the prerequisites of a course for a user: each required course completed, with
/// at least its minimum grade. The first one missing is a 409 naming it.
pub async fn check_prerequisites(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    course_id: Uuid,
) -> AppResult<()> {
    let prereqs = course_prerequisites::Entity::find()
        .filter(course_prerequisites::Column::CourseId.eq(course_id))
        .all(db)
        .await?;
    for p in prereqs {
        let done = enrolments::Entity::find()
            .filter(enrolments::Column::UserId.eq(user_id))
            .filter(enrolments::Column::CourseId.eq(p.required_course_id))
            .one(db)
            .await?
            .filter(|e| e.completed_at.is_some())
            .filter(|e| match p.min_grade {
                None => true,
                Some(min) => e.grade_percent.is_some_and(|g| g >= min),
            });
        if done.is_none() {
            let title = courses::Entity::find_by_id(p.required_course_id)
                .one(db)
                .await?
                .map(|c| c.title)
                .unwrap_or_default();
            let detail = match p.min_grade {
                Some(min) => format!("{title} (≥ {min})"),
                None => title,
            };
            return Err(AppError::Conflict {
                code: Code::PrerequisiteMissing,
                detail: Some(detail),
            });
        }
    }
    Ok(())
}

/// Enrols the caller in a course (idempotent): the one way for the API and the course
/// page. Returns the enrolment and whether it is new. See [`enrol`] for the rules.
pub async fn enrol_me(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    course_id: Uuid,
) -> AppResult<(enrolments::Model, bool)> {
    crate::db::in_write(db, async |txn| {
        let access = super::access::course(txn, p, course_id).await?;
        let existed = access.enrolment.is_some();
        let e = enrol(txn, p, &access).await?;
        Ok((e, !existed))
    })
    .await
}

/// Enrols the user (idempotent): the course must be published, open to self-enrolment or
/// assigned to them, and its prerequisites met.
pub async fn enrol(
    db: &impl ConnectionTrait,
    p: &crate::auth::principal::Principal,
    access: &CourseAccess,
) -> AppResult<enrolments::Model> {
    let user_id = p.user.id;
    if let Some(e) = &access.enrolment {
        return Ok(e.clone());
    }
    let course = &access.course;
    if course.status != Status::Published {
        return Err(AppError::Conflict {
            code: Code::CourseNotOpen,
            detail: None,
        });
    }
    let assigned = assignment_of(db, p, course.id).await?.is_some();
    if !assigned && course.enrolment != EnrolmentMode::SelfEnrol {
        return Err(AppError::Conflict {
            code: Code::CourseAssignedOnly,
            detail: None,
        });
    }
    check_prerequisites(db, user_id, course.id).await?;
    let at = stamp();
    enrolments::Entity::insert(enrolments::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(course.id),
        user_id: Set(user_id),
        source: Set(if assigned { "assigned" } else { "self" }.to_owned()),
        progress_percent: Set(0),
        last_lesson_id: Set(None),
        grade_percent: Set(None),
        enrolled_at: Set(at),
        last_seen_at: Set(at),
        completed_at: Set(None),
    })
    .on_conflict_do_nothing_on([enrolments::Column::UserId, enrolments::Column::CourseId])
    .exec(db)
    .await?;
    enrolments::Entity::find()
        .filter(enrolments::Column::UserId.eq(user_id))
        .filter(enrolments::Column::CourseId.eq(course.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

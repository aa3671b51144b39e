//! Progress: per lesson (opened, seconds spent, video position, completed by the lesson's
//! rule) and per course (required lessons done), plus where to resume.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

use super::model::Completion;
use crate::{
    entities::{enrolments, lesson_progress, lessons},
    error::{AppError, AppResult},
    time::now,
};

/// One progress report from the player or the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report {
    /// The learner says the lesson is done (counts where the rule allows).
    pub completed: bool,
    /// Seconds spent since the previous report (0–3600).
    pub seconds: i32,
    /// Current video position in seconds.
    pub position: Option<i32>,
    /// The video's length in seconds, as the player measured it.
    pub duration: Option<i32>,
    /// The learner passed the lesson's quiz (set by the quiz engine, never by a client).
    pub quiz_passed: bool,
}

/// Where a learner stands on one lesson.
#[derive(Debug, Clone, Default)]
pub struct LessonState {
    /// Opened at least once.
    pub opened: bool,
    /// Done by its completion rule.
    pub completed: bool,
    /// Total seconds spent.
    pub seconds: i32,
    /// Last video position.
    pub position: i32,
}

impl From<&lesson_progress::Model> for LessonState {
    fn from(p: &lesson_progress::Model) -> Self {
        Self {
            opened: true,
            completed: p.completed_at.is_some(),
            seconds: p.seconds_spent,
            position: p.position_seconds,
        }
    }
}

/// A learner's lesson states in one course, by lesson id.
pub async fn states(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    course_id: Uuid,
) -> AppResult<HashMap<Uuid, LessonState>> {
    Ok(lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .iter()
        .map(|p| (p.lesson_id, LessonState::from(p)))
        .collect())
}

fn rule_met(lesson: &lessons::Model, row: &lesson_progress::Model, report: &Report) -> bool {
    match Completion::parse(&lesson.completion).unwrap_or(Completion::Marked) {
        Completion::Opened => true,
        Completion::Marked => report.completed,
        Completion::Passed => report.quiz_passed,
        // A length set on the lesson wins; otherwise this learner's player measured it, so a
        // wrong report can only ever affect the learner who sent it.
        Completion::Watched => lesson
            .duration_seconds
            .or(row.duration_seconds)
            .is_some_and(|d| {
                d > 0
                    && i64::from(row.seconds_spent) * 100
                        >= i64::from(lesson.watch_percent) * i64::from(d)
            }),
    }
}

/// Records a report for an enrolled learner and updates the course's progress; returns
/// the lesson's new state. Completion never goes back.
pub async fn record(
    db: &impl ConnectionTrait,
    enrolment: &enrolments::Model,
    lesson: &lessons::Model,
    report: Report,
) -> AppResult<LessonState> {
    if !(0..=3600).contains(&report.seconds)
        || report.position.is_some_and(|p| !(0..=86_400).contains(&p))
        || report.duration.is_some_and(|d| !(1..=86_400).contains(&d))
    {
        return Err(AppError::invalid("invalid_progress", "seconds"));
    }
    let at = now();
    let user_id = enrolment.user_id;
    lesson_progress::Entity::insert(lesson_progress::ActiveModel {
        user_id: Set(user_id),
        lesson_id: Set(lesson.id),
        course_id: Set(lesson.course_id),
        seconds_spent: Set(0),
        position_seconds: Set(0),
        max_position_seconds: Set(0),
        duration_seconds: Set(None),
        opened_at: Set(at),
        completed_at: Set(None),
        updated_at: Set(at),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    let row = lesson_progress::Entity::find_by_id((user_id, lesson.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;

    let mut updated = row.clone();
    if report.duration.is_some() {
        updated.duration_seconds = report.duration;
    }
    updated.seconds_spent = row.seconds_spent.saturating_add(report.seconds);
    if let Some(p) = report.position {
        updated.position_seconds = p;
        updated.max_position_seconds = row.max_position_seconds.max(p);
    }
    if updated.completed_at.is_none() && rule_met(lesson, &updated, &report) {
        updated.completed_at = Some(at);
    }
    updated.updated_at = at;
    let newly_completed = row.completed_at.is_none() && updated.completed_at.is_some();
    let mut am: lesson_progress::ActiveModel = row.into();
    am.seconds_spent = Set(updated.seconds_spent);
    am.position_seconds = Set(updated.position_seconds);
    am.max_position_seconds = Set(updated.max_position_seconds);
    am.duration_seconds = Set(updated.duration_seconds);
    am.completed_at = Set(updated.completed_at);
    am.updated_at = Set(at);
    let saved = am.update(db).await?;

    let mut e: enrolments::ActiveModel = enrolment.clone().into();
    e.last_lesson_id = Set(Some(lesson.id));
    e.last_seen_at = Set(at);
    if newly_completed || enrolment.completed_at.is_none() {
        let percent = course_percent(db, user_id, lesson.course_id).await?;
        e.progress_percent = Set(percent);
        if percent >= 100 && enrolment.completed_at.is_none() {
            e.completed_at = Set(Some(at));
        }
    }
    e.update(db).await?;
    Ok(LessonState::from(&saved))
}

/// Percentage of the course's required lessons the user has completed (100 when the course
/// has no required lessons).
pub async fn course_percent(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    course_id: Uuid,
) -> AppResult<i32> {
    let required: Vec<Uuid> = lessons::Entity::find()
        .filter(lessons::Column::CourseId.eq(course_id))
        .filter(lessons::Column::Required.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    if required.is_empty() {
        return Ok(100);
    }
    let done = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.is_in(required.clone()))
        .filter(lesson_progress::Column::CompletedAt.is_not_null())
        .count(db)
        .await?;
    Ok((done * 100 / required.len() as u64) as i32)
}

/// Recomputes the stored progress of everyone enrolled in a course after its required
/// lessons changed (one statement). A completion already reached stays.
pub async fn recompute_course(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<()> {
    let backend = db.get_database_backend();
    let (a, b) = (
        crate::db::placeholder(backend, 1),
        crate::db::placeholder(backend, 2),
    );
    let sql = format!(
        "UPDATE enrolments SET progress_percent = COALESCE(\
           (SELECT COUNT(*) FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id \
             WHERE lp.user_id = enrolments.user_id AND l.course_id = enrolments.course_id \
               AND l.required AND lp.completed_at IS NOT NULL) * 100 \
           / NULLIF((SELECT COUNT(*) FROM lessons WHERE course_id = {a} AND required), 0), 100) \
         WHERE course_id = {b}"
    );
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [course_id.into(), course_id.into()],
    ))
    .await?;
    Ok(())
}

//! Progress: per lesson (opened, seconds spent, video position, completed by the lesson's
//! rule) and per course (required lessons done), plus where to resume.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, TryInsertResult, sea_query::Expr,
};
use uuid::Uuid;

use super::model::Completion;
use crate::{
    entities::{enrolments, lesson_progress, lessons},
    error::{AppError, AppResult, Code},
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
    /// The video's length in seconds, as the player measured it (kept for the record;
    /// completion goes by the length the server read from the file).
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

/// The rule a lesson completes by, as it applies: "watched" needs the video's length as
/// the server read it from the file; a video of unknown length is marked done instead
/// (what a learner's player reports is never trusted for it).
pub fn effective_completion(lesson: &lessons::Model) -> Completion {
    match lesson.completion {
        Completion::Watched if lesson.duration_seconds.is_none_or(|d| d <= 0) => Completion::Marked,
        other => other,
    }
}

fn rule_met(lesson: &lessons::Model, row: &lesson_progress::Model, report: &Report) -> bool {
    match effective_completion(lesson) {
        Completion::Opened => true,
        Completion::Marked => report.completed,
        Completion::Passed => report.quiz_passed,
        Completion::Watched => lesson.duration_seconds.is_some_and(|d| {
            i64::from(row.seconds_spent) * 100 >= i64::from(lesson.watch_percent) * i64::from(d)
        }),
    }
}

/// The seconds a learner's first report on a lesson may credit (the player reports as
/// soon as the lesson opens, then every 30 seconds).
const FIRST_REPORT_SECONDS: i64 = 5;

/// The seconds of a report that count: never more than the time since the learner's
/// previous report on the lesson (a little for the first), so time cannot be claimed
/// faster than it passes.
fn credited(report_seconds: i32, previous: Option<DateTime<Utc>>, at: DateTime<Utc>) -> i32 {
    let bound = match previous {
        Some(p) => (at - p).num_seconds().max(0) + 1,
        None => FIRST_REPORT_SECONDS,
    };
    i32::try_from(i64::from(report_seconds).min(bound)).unwrap_or(0)
}

/// Records a report made at `at` for an enrolled learner and updates the course's
/// progress; returns the lesson's new state. Completion never goes back.
pub async fn record(
    db: &impl ConnectionTrait,
    enrolment: &enrolments::Model,
    lesson: &lessons::Model,
    report: Report,
    at: DateTime<Utc>,
) -> AppResult<LessonState> {
    if !(0..=3600).contains(&report.seconds)
        || report.position.is_some_and(|p| !(0..=86_400).contains(&p))
        || report.duration.is_some_and(|d| !(1..=86_400).contains(&d))
    {
        return Err(AppError::invalid(Code::InvalidProgress, "seconds"));
    }
    // Take the enrolment's row first: a concurrent report on the same course (another
    // tab, another replica) waits here and then reads what this one wrote, so the step
    // that completes the course is seen exactly once.
    let enrolment = &enrolments::Entity::update_many()
        .col_expr(enrolments::Column::LastSeenAt, Expr::value(at))
        .filter(enrolments::Column::Id.eq(enrolment.id))
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let user_id = enrolment.user_id;
    let first = lesson_progress::Entity::insert(lesson_progress::ActiveModel {
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
    .exec_without_returning(db)
    .await?;
    let first = matches!(first, TryInsertResult::Inserted(1));
    let row = lesson_progress::Entity::find_by_id((user_id, lesson.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;

    let mut updated = row.clone();
    if report.duration.is_some() {
        updated.duration_seconds = report.duration;
    }
    let previous = (!first).then_some(row.updated_at);
    updated.seconds_spent =
        row.seconds_spent
            .saturating_add(credited(report.seconds, previous, at));
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
    let e = e.update(db).await?;
    if enrolment.completed_at.is_none() && e.completed_at.is_some() {
        crate::competency::records::record_course_completion(db, &e, at).await?;
    }
    Ok(LessonState::from(&saved))
}

/// Records a progress report for `p` on a lesson, enrolling them first where they may
/// enrol (self-enrolment, or assigned): the one way for the API and the lesson page. An
/// editor previewing is refused with 409 `preview_not_recorded`. Returns the lesson id, its
/// new state and the course's progress.
pub async fn save_progress(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    p: &crate::auth::principal::Principal,
    lesson_id: Uuid,
    report: Report,
) -> AppResult<(Uuid, LessonState, i32)> {
    crate::db::in_write(db, async |txn| {
        let lesson = super::authoring::lesson(txn, lesson_id).await?;
        let access = super::access::course(txn, p, lesson.course_id).await?;
        let enrolment = match &access.enrolment {
            Some(e) => e.clone(),
            None if access.can_edit => {
                return Err(AppError::Conflict {
                    code: Code::PreviewNotRecorded,
                    detail: None,
                });
            }
            None => super::enrolment::enrol(txn, p, &access).await?,
        };
        let state = record(txn, &enrolment, &lesson, report, now).await?;
        let percent = course_percent(txn, p.user.id, lesson.course_id).await?;
        Ok((lesson.id, state, percent))
    })
    .await
}

/// A course's progress in per cent: the share of its required lessons done, rounded down.
/// A course with no required lessons is at 100 for everyone enrolled: nothing is left to
/// do. The one definition of course progress; [`recompute_course`] says the same in SQL,
/// and someone not enrolled has no progress at all (0, see `views::CourseDetail::percent`).
pub fn percent(done: usize, required: usize) -> i32 {
    if required == 0 {
        return 100;
    }
    let share = done.min(required) * 100 / required;
    i32::try_from(share).unwrap_or(100)
}

/// The stored progress of a user in a course, by [`percent`].
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
        return Ok(percent(0, 0));
    }
    let done = lesson_progress::Entity::find()
        .filter(lesson_progress::Column::UserId.eq(user_id))
        .filter(lesson_progress::Column::LessonId.is_in(required.clone()))
        .filter(lesson_progress::Column::CompletedAt.is_not_null())
        .count(db)
        .await?;
    Ok(percent(
        usize::try_from(done).unwrap_or(usize::MAX),
        required.len(),
    ))
}

/// Recomputes the stored progress of everyone enrolled in a course after its required
/// lessons changed (one statement, [`percent`] in SQL: integer division rounds down, and
/// no required lessons gives 100). A completion already reached stays.
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn course_percent_has_one_definition() {
        assert_eq!(percent(0, 0), 100, "nothing required: nothing left to do");
        assert_eq!(percent(0, 3), 0);
        assert_eq!(percent(1, 3), 33, "rounded down");
        assert_eq!(percent(2, 3), 66);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(4, 3), 100);
    }

    #[test]
    fn time_is_credited_no_faster_than_it_passes() {
        let t0 = Utc
            .with_ymd_and_hms(2026, 12, 1, 8, 0, 0)
            .single()
            .expect("t0");
        let later = |s| t0 + chrono::Duration::seconds(s);
        assert_eq!(credited(3600, None, t0), 5, "a first report");
        assert_eq!(credited(30, Some(t0), later(30)), 30);
        assert_eq!(credited(3600, Some(t0), later(30)), 31);
        assert_eq!(credited(3600, Some(t0), t0), 1);
        assert_eq!(
            credited(10, Some(later(5)), t0),
            1,
            "a clock that went back"
        );
    }
}

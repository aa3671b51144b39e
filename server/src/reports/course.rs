//! A course's report: enrolments and their progress, completions, assignments and
//! overdue ones, each quiz's results and, for a post-test, the learners' gain from its
//! pre-test. The course's instructors and admins see every learner; a unit admin sees the
//! learners of their subtree only.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::principal::Principal,
    courses::access,
    entities::{assignments, attempts, employees, enrolments, quizzes, units, users},
    error::AppResult,
    quizzes::attempts::FINISHED,
};

/// One quiz's results.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuizLine {
    /// The quiz.
    pub quiz_id: Uuid,
    /// Its title.
    pub title: String,
    /// Finished attempts.
    pub attempts: u64,
    /// Learners with a finished attempt.
    pub learners: u64,
    /// Mean score of the finished attempts, in per cent.
    pub average_score: Option<f64>,
    /// Share (0–1) of graded attempts that passed.
    pub pass_rate: Option<f64>,
    /// For a post-test: learners with both tests, and their mean points gained.
    pub gain_learners: Option<u64>,
    /// Mean points gained from the pre-test.
    pub average_gain: Option<f64>,
}

/// A course's report.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourseReport {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// Learners enrolled (within the viewer's scope).
    pub enrolments: u64,
    /// Enrolled learners by progress: 0 %, 1–49 %, 50–99 %, 100 %.
    pub progress: [u64; 4],
    /// Of the enrolled, completed.
    pub completed: u64,
    /// Employees the course's assignments reach now.
    pub assigned: u64,
    /// Of those, past the due date and not completed.
    pub overdue: u64,
    /// Each quiz of the course.
    pub quizzes: Vec<QuizLine>,
}

/// The progress band of a percent: 0, 1–49, 50–99, 100.
fn progress_band(percent: i32) -> usize {
    match percent {
        i32::MIN..=0 => 0,
        1..=49 => 1,
        50..=99 => 2,
        _ => 3,
    }
}

/// The report of a course: its editors and admins see everyone, a unit admin their
/// subtree's learners (404 for a course they cannot see, 403 for anyone else).
pub async fn of_course(
    db: &impl ConnectionTrait,
    p: &Principal,
    course_id: Uuid,
    today: NaiveDate,
) -> AppResult<CourseReport> {
    let found = access::course(db, p, course_id).await?;
    // Whose numbers: everyone for those who edit it, else the unit admin's subtree.
    let within: Option<HashSet<Uuid>> = if found.can_edit {
        None
    } else {
        let scope = p.org_scope()?;
        let ids: Vec<Uuid> = employees::Entity::find()
            .select_only()
            .column(employees::Column::UserId)
            .inner_join(units::Entity)
            .filter(scope.path_condition(units::Column::Path))
            .into_tuple()
            .all(db)
            .await?;
        Some(ids.into_iter().collect())
    };
    let counts = |u: &Uuid| within.as_ref().is_none_or(|w| w.contains(u));
    let course = found.course;
    let rows: Vec<(Uuid, i32, Option<chrono::DateTime<chrono::Utc>>)> = enrolments::Entity::find()
        .select_only()
        .column(enrolments::Column::UserId)
        .column(enrolments::Column::ProgressPercent)
        .column(enrolments::Column::CompletedAt)
        .filter(enrolments::Column::CourseId.eq(course.id))
        .into_tuple()
        .all(db)
        .await?;
    let mut progress = [0u64; 4];
    let mut completed_by: HashSet<Uuid> = HashSet::new();
    let mut enrolled = 0;
    for (user, percent, done) in &rows {
        if !counts(user) {
            continue;
        }
        enrolled += 1;
        progress[progress_band(if done.is_some() { 100 } else { *percent })] += 1;
        if done.is_some() {
            completed_by.insert(*user);
        }
    }
    // Assignments: the earliest due date of each person reached.
    let mut due: HashMap<Uuid, Option<NaiveDate>> = HashMap::new();
    for a in assignments::Entity::find()
        .filter(assignments::Column::CourseId.eq(course.id))
        .all(db)
        .await?
    {
        for user in crate::notify::reminders::reached_users(db, &a).await? {
            if !counts(&user) {
                continue;
            }
            let slot = due.entry(user).or_insert(a.due_on);
            *slot = match (*slot, a.due_on) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
    }
    let overdue = due
        .iter()
        .filter(|(u, d)| !completed_by.contains(*u) && d.is_some_and(|d| d < today))
        .count() as u64;

    let mut quiz_lines = Vec::new();
    let in_scope_names: Option<HashSet<String>> = match &within {
        None => None,
        Some(w) => Some(
            users::Entity::find()
                .filter(users::Column::Id.is_in(w.iter().copied().collect::<Vec<_>>()))
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.username)
                .collect(),
        ),
    };
    for quiz in quizzes::Entity::find()
        .filter(quizzes::Column::CourseId.eq(course.id))
        .all(db)
        .await?
    {
        let finished: Vec<(Uuid, Option<f64>, f64, Option<bool>)> = attempts::Entity::find()
            .select_only()
            .column(attempts::Column::UserId)
            .column(attempts::Column::Score)
            .column(attempts::Column::MaxScore)
            .column(attempts::Column::Passed)
            .filter(attempts::Column::QuizId.eq(quiz.id))
            .filter(attempts::Column::State.eq(FINISHED))
            .into_tuple()
            .all(db)
            .await?;
        let finished: Vec<_> = finished.into_iter().filter(|a| counts(&a.0)).collect();
        let scores: Vec<f64> = finished
            .iter()
            .filter(|a| a.2 > 0.0)
            .filter_map(|a| a.1.map(|s| s * 100.0 / a.2))
            .collect();
        let graded: Vec<bool> = finished.iter().filter_map(|a| a.3).collect();
        let learners: HashSet<Uuid> = finished.iter().map(|a| a.0).collect();
        let gain = crate::quizzes::results::gain(db, &quiz)
            .await?
            .map(|mut g| {
                if let Some(names) = &in_scope_names {
                    g.learners.retain(|l| names.contains(&l.username));
                }
                g
            });
        quiz_lines.push(QuizLine {
            quiz_id: quiz.id,
            title: quiz.title.clone(),
            attempts: finished.len() as u64,
            learners: learners.len() as u64,
            average_score: (!scores.is_empty())
                .then(|| scores.iter().sum::<f64>() / scores.len() as f64),
            pass_rate: (!graded.is_empty())
                .then(|| graded.iter().filter(|p| **p).count() as f64 / graded.len() as f64),
            gain_learners: gain.as_ref().map(|g| g.learners.len() as u64),
            average_gain: gain.as_ref().and_then(|g| g.mean_gain()),
        });
    }
    quiz_lines.sort_by(|a, b| a.title.cmp(&b.title));
    Ok(CourseReport {
        course_id: course.id,
        title: course.title,
        enrolments: enrolled,
        progress,
        completed: completed_by.len() as u64,
        assigned: due.len() as u64,
        overdue,
        quizzes: quiz_lines,
    })
}

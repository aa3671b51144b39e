//! Finishing an attempt exactly once — on submit, or by the server once the deadline
//! passed — grading it, and what that changes: the course grade and the lesson's completion.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::*;
use crate::{
    courses::{access, authoring, progress},
    db::placeholder,
    entities::{attempt_answers, attempts, questions, quizzes},
    error::{AppError, AppResult},
    quizzes::{
        grading,
        model::{QuestionKind, Response},
    },
};

/// Finishes and grades an attempt once: whoever flips it from in progress does the grading;
/// everyone else gets the graded attempt.
pub async fn finish(
    db: &impl ConnectionTrait,
    attempt: attempts::Model,
    at: DateTime<Utc>,
) -> AppResult<attempts::Model> {
    let quiz = crate::quizzes::quiz::get(db, attempt.quiz_id).await?;
    let questions = questions_of(db, &layout(&attempt)).await?;
    finish_with(db, attempt, at, &quiz, &questions).await
}

/// [`finish`] with the quiz and the attempt's questions read beforehand (outside the write
/// transaction); the answers are read after the flip, so every answer that landed counts.
pub async fn finish_with(
    db: &impl ConnectionTrait,
    attempt: attempts::Model,
    at: DateTime<Utc>,
    quiz: &quizzes::Model,
    questions: &HashMap<Uuid, questions::Model>,
) -> AppResult<attempts::Model> {
    let flipped = attempts::Entity::update_many()
        .col_expr(attempts::Column::State, FINISHED.into())
        .col_expr(attempts::Column::FinishedAt, at.into())
        .filter(attempts::Column::Id.eq(attempt.id))
        .filter(attempts::Column::State.eq(IN_PROGRESS))
        .exec(db)
        .await?
        .rows_affected;
    if flipped == 0 {
        return attempts::Entity::find_by_id(attempt.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound);
    }
    let slots = layout(&attempt);
    let answers: HashMap<Uuid, attempt_answers::Model> = attempt_answers::Entity::find()
        .filter(attempt_answers::Column::AttemptId.eq(attempt.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.question_id, a))
        .collect();
    let mut score = 0.0;
    let mut needs_grading = false;
    let mut fractions: Vec<(Uuid, f64)> = Vec::new();
    for slot in &slots {
        let Some(q) = questions.get(&slot.question_id) else {
            continue;
        };
        let Some(answer) = answers.get(&slot.question_id) else {
            continue;
        };
        let Ok(response) = serde_json::from_str::<Response>(&answer.response) else {
            continue;
        };
        match grading::grade(&data_of(q)?, &response) {
            Some(fraction) => {
                score += fraction * q.mark;
                fractions.push((q.id, fraction));
            }
            None => needs_grading = true,
        }
    }
    store_fractions(db, attempt.id, &fractions).await?;
    let passed = (!needs_grading).then(|| passes(score, attempt.max_score, quiz.pass_percent));
    let mut am: attempts::ActiveModel = attempt.into();
    am.state = Set(FINISHED.to_owned());
    am.finished_at = Set(Some(at));
    am.score = Set(Some(score));
    am.passed = Set(passed);
    am.needs_grading = Set(needs_grading);
    let finished = am.update(db).await?;
    follow_up(db, at, quiz, finished.user_id, passed).await?;
    Ok(finished)
}

/// Recomputes a finished attempt's score from its answers' fractions after a hand grade;
/// once no answered essay waits, decides the pass and completes the lesson when passed.
pub async fn settle(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    attempt: attempts::Model,
) -> AppResult<attempts::Model> {
    let slots = layout(&attempt);
    let questions = questions_of(db, &slots).await?;
    let answers = answers_of(db, attempt.id).await?;
    let mut score = 0.0;
    let mut waiting = false;
    for (question_id, answer) in &answers {
        let Some(q) = questions.get(question_id) else {
            continue;
        };
        match answer.fraction {
            Some(f) => score += f * q.mark,
            None if q.kind == QuestionKind::Essay => waiting = true,
            None => {}
        }
    }
    let quiz = crate::quizzes::quiz::get(db, attempt.quiz_id).await?;
    let passed = (!waiting).then(|| passes(score, attempt.max_score, quiz.pass_percent));
    let mut am: attempts::ActiveModel = attempt.into();
    am.score = Set(Some(score));
    am.passed = Set(passed);
    am.needs_grading = Set(waiting);
    let settled = am.update(db).await?;
    follow_up(db, now, &quiz, settled.user_id, passed).await?;
    Ok(settled)
}

/// Writes the graded fractions of an attempt's answers in one statement.
async fn store_fractions(
    db: &impl ConnectionTrait,
    attempt_id: Uuid,
    fractions: &[(Uuid, f64)],
) -> AppResult<()> {
    if fractions.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let mut n = 0;
    let mut p = || {
        n += 1;
        placeholder(backend, n)
    };
    let mut sql = String::from("UPDATE attempt_answers SET fraction = CASE question_id");
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(fractions.len() * 2 + 1);
    for (question_id, fraction) in fractions {
        sql.push_str(&format!(" WHEN {} THEN {}", p(), p()));
        values.push((*question_id).into());
        values.push((*fraction).into());
    }
    sql.push_str(&format!(" ELSE fraction END WHERE attempt_id = {}", p()));
    values.push(attempt_id.into());
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend, sql, values,
    ))
    .await?;
    Ok(())
}

fn passes(score: f64, max: f64, pass_percent: i32) -> bool {
    max > 0.0 && score * 100.0 >= f64::from(pass_percent) * max - 1e-9
}

/// The grade from attempt percentages (oldest first) by a grading method: `highest`,
/// `last` or `average`; none without attempts.
pub fn grade_by(method: &str, percents: &[f64]) -> Option<f64> {
    match method {
        _ if percents.is_empty() => None,
        "last" => percents.last().copied(),
        "average" => Some(percents.iter().sum::<f64>() / percents.len() as f64),
        _ => percents.iter().copied().reduce(f64::max),
    }
}

/// What a settled attempt changes beyond itself: the learner's course grade, and the quiz
/// lesson's completion once passed. A pre-test measures where learners start: it sets no
/// grade and is done once an attempt is settled, passed or not.
async fn follow_up(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    quiz: &quizzes::Model,
    user_id: Uuid,
    passed: Option<bool>,
) -> AppResult<()> {
    let pretest = crate::quizzes::quiz::is_pretest(db, quiz.id).await?;
    if !pretest {
        record_grade(db, quiz, user_id).await?;
    }
    if passed == Some(true) || (pretest && passed.is_some()) {
        complete_lesson(db, now, quiz, user_id).await?;
    }
    Ok(())
}

/// The learner's grade on a quiz in percent by its grading method (highest, last or
/// average of the finished attempts with a settled score), stored on their enrolment as the
/// course grade that prerequisites with a minimum grade read.
async fn record_grade(
    db: &impl ConnectionTrait,
    quiz: &quizzes::Model,
    user_id: Uuid,
) -> AppResult<Option<i32>> {
    let done: Vec<f64> = attempts::Entity::find()
        .filter(attempts::Column::QuizId.eq(quiz.id))
        .filter(attempts::Column::UserId.eq(user_id))
        .filter(attempts::Column::State.eq(FINISHED))
        .filter(attempts::Column::NeedsGrading.eq(false))
        .order_by_asc(attempts::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| a.max_score > 0.0)
        .filter_map(|a| a.score.map(|s| s * 100.0 / a.max_score))
        .collect();
    let Some(grade) = grade_by(&quiz.grading, &done) else {
        return Ok(None);
    };
    let percent = Some(grade.round().clamp(0.0, 100.0) as i32);
    if let Some(e) = access::enrolment_of(db, user_id, quiz.course_id).await? {
        let mut am: crate::entities::enrolments::ActiveModel = e.into();
        am.grade_percent = Set(percent);
        am.update(db).await?;
    }
    Ok(percent)
}

/// Marks the quiz's lesson done for a learner.
async fn complete_lesson(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    quiz: &quizzes::Model,
    user_id: Uuid,
) -> AppResult<()> {
    let Some(enrolment) = access::enrolment_of(db, user_id, quiz.course_id).await? else {
        return Ok(());
    };
    let lesson = authoring::lesson(db, quiz.lesson_id).await?;
    progress::record(
        db,
        &enrolment,
        &lesson,
        progress::Report {
            quiz_passed: true,
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(())
}

/// Submits the caller's attempt (idempotent): a finished attempt comes back as it is; one
/// past its deadline is graded as of the deadline, with what was saved by then. The quiz
/// and the questions are read first; the attempt is then finished and graded in a short
/// write transaction.
pub async fn submit_attempt(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    user_id: Uuid,
    attempt_id: Uuid,
) -> AppResult<attempts::Model> {
    let attempt = own(db, user_id, attempt_id).await?;
    if attempt.state != IN_PROGRESS {
        return Ok(attempt);
    }
    let quiz = crate::quizzes::quiz::get(db, attempt.quiz_id).await?;
    let questions = questions_of(db, &layout(&attempt)).await?;
    let at = attempt.deadline.map_or(now, |d| d.min(now));
    crate::db::in_write(db, async |txn| {
        finish_with(txn, attempt, at, &quiz, &questions).await
    })
    .await
}

/// Closes and grades every attempt whose deadline passed (each in its own transaction);
/// returns how many.
pub async fn close_overdue(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let due = overdue(db, now).await?;
    for a in &due {
        let deadline = a.deadline.unwrap_or(now);
        let a = a.clone();
        crate::db::in_write(db, async |txn| finish(txn, a, deadline).await).await?;
    }
    Ok(due.len())
}

//! Attempts: started with a server-set deadline, answered (see [`super::answers`]),
//! finished and graded exactly once — on submit, or by the server once the deadline passed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::QuestionKind;
use super::{
    grading,
    model::{QuestionData, Response},
};
use crate::{
    courses::{access, authoring, progress},
    db::placeholder,
    entities::{attempt_answers, attempts, question_tags, questions, quiz_questions, quizzes},
    error::{AppError, AppResult, Code},
};

/// An attempt still being answered.
pub const IN_PROGRESS: attempts::AttemptState = attempts::AttemptState::InProgress;
/// An attempt submitted or closed at its deadline, and graded.
pub const FINISHED: attempts::AttemptState = attempts::AttemptState::Finished;

/// One question of an attempt and the order its options (or right-hand items) appear in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// The question.
    pub question_id: Uuid,
    /// Its kind, so an answer's shape is checked without loading the question (absent in
    /// attempts started before slots carried it).
    #[serde(default, deserialize_with = "kind_or_none")]
    pub kind: Option<QuestionKind>,
    /// Option ids (matching: right item ids) in display order.
    #[serde(default)]
    pub order: Vec<String>,
}

/// The slots of an attempt.
pub fn layout(a: &attempts::Model) -> Vec<Slot> {
    serde_json::from_str(&a.layout).unwrap_or_default()
}

/// A slot's stored kind; anything unknown reads as absent, so the question is asked.
fn kind_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<QuestionKind>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    Ok(raw.as_deref().and_then(QuestionKind::parse))
}

pub(super) fn conflict(code: crate::error::Code) -> AppError {
    AppError::Conflict { code, detail: None }
}

/// The caller's own attempt; anyone else's is 404.
pub async fn own(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> AppResult<attempts::Model> {
    attempts::Entity::find_by_id(id)
        .filter(attempts::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The questions an attempt's slots name, by id.
pub async fn questions_of(
    db: &impl ConnectionTrait,
    slots: &[Slot],
) -> AppResult<HashMap<Uuid, questions::Model>> {
    let ids: Vec<Uuid> = slots.iter().map(|s| s.question_id).collect();
    Ok(questions::Entity::find()
        .filter(questions::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect())
}

/// A question's data, parsed.
pub fn data_of(q: &questions::Model) -> AppResult<QuestionData> {
    serde_json::from_str(&q.data).map_err(|e| AppError::Internal(e.into()))
}

async fn draw_questions(
    db: &impl ConnectionTrait,
    quiz: &quizzes::Model,
) -> AppResult<Vec<questions::Model>> {
    let fixed_ids: Vec<Uuid> = quiz_questions::Entity::find()
        .filter(quiz_questions::Column::QuizId.eq(quiz.id))
        .order_by_asc(quiz_questions::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.question_id)
        .collect();
    let mut by_id: HashMap<Uuid, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(fixed_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let mut chosen: Vec<questions::Model> =
        fixed_ids.iter().filter_map(|id| by_id.remove(id)).collect();
    if let Some(count) = quiz.random_count {
        let bank = if quiz.random_shared {
            questions::Column::CourseId.is_null()
        } else {
            questions::Column::CourseId.eq(quiz.course_id)
        };
        let mut pool = questions::Entity::find()
            .filter(bank)
            .filter(questions::Column::Id.is_not_in(fixed_ids.clone()));
        if let Some(c) = &quiz.random_category {
            pool = pool.filter(
                sea_orm::Condition::any()
                    .add(questions::Column::Category.eq(c.as_str()))
                    .add(questions::Column::Category.starts_with(format!("{c}/"))),
            );
        }
        let mut pool = pool.all(db).await?;
        if let Some(tag) = &quiz.random_tag {
            let tagged: Vec<Uuid> = question_tags::Entity::find()
                .filter(question_tags::Column::Tag.eq(tag.as_str()))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.question_id)
                .collect();
            pool.retain(|q| tagged.contains(&q.id));
        }
        pool.shuffle(&mut rand::rng());
        chosen.extend(pool.into_iter().take(usize::try_from(count).unwrap_or(0)));
    }
    Ok(chosen)
}

/// A new attempt's questions, drawn and ordered, ready to be stored.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    slots: Vec<Slot>,
    max_score: f64,
}

/// Draws the questions of a new attempt of `quiz` (reads only): fixed and random questions,
/// shuffled as the quiz says, and their option order.
pub async fn draw(db: &impl ConnectionTrait, quiz: &quizzes::Model) -> AppResult<Drawn> {
    let mut chosen = draw_questions(db, quiz).await?;
    // The generator is not Send: shuffle in a block with no await in it.
    let mut rng = rand::rng();
    if quiz.shuffle_questions {
        chosen.shuffle(&mut rng);
    }
    let mut drawn = Drawn::default();
    for q in &chosen {
        let mut order: Vec<String> = match data_of(q)? {
            QuestionData::SingleChoice { options } | QuestionData::MultipleChoice { options } => {
                options.into_iter().map(|o| o.id).collect()
            }
            QuestionData::Matching { pairs } => pairs.into_iter().map(|p| p.right_id).collect(),
            _ => Vec::new(),
        };
        // Matching items are always shuffled: in file order every pair would line up.
        if quiz.shuffle_options || q.kind == QuestionKind::Matching {
            order.shuffle(&mut rng);
        }
        drawn.max_score += q.mark;
        drawn.slots.push(Slot {
            question_id: q.id,
            kind: Some(q.kind),
            order,
        });
    }
    Ok(drawn)
}

/// Starts an attempt, or returns the caller's attempt in progress (`false`: not new).
pub async fn start(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    user_id: Uuid,
    quiz: &quizzes::Model,
) -> AppResult<(attempts::Model, bool)> {
    let drawn = draw(db, quiz).await?;
    start_drawn(db, now, user_id, quiz, drawn).await
}

/// [`start`] with the questions drawn beforehand (outside the write transaction).
pub async fn start_drawn(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    user_id: Uuid,
    quiz: &quizzes::Model,
    drawn: Drawn,
) -> AppResult<(attempts::Model, bool)> {
    let mine = attempts::Entity::find()
        .filter(attempts::Column::QuizId.eq(quiz.id))
        .filter(attempts::Column::UserId.eq(user_id))
        .order_by_asc(attempts::Column::Number)
        .all(db)
        .await?;
    let mut finished = 0;
    for a in &mine {
        if a.state == IN_PROGRESS {
            match a.deadline {
                Some(d) if d <= now => {
                    finish(db, a.clone(), d).await?;
                    finished += 1;
                }
                _ => return Ok((a.clone(), false)),
            }
        } else {
            finished += 1;
        }
    }
    if quiz.open_at.is_some_and(|o| now < o) {
        return Err(conflict(Code::QuizNotOpen));
    }
    if quiz.close_at.is_some_and(|c| now >= c) {
        return Err(conflict(Code::QuizClosed));
    }
    if quiz.max_attempts.is_some_and(|m| finished >= m) {
        return Err(conflict(Code::AttemptsExhausted));
    }
    if drawn.slots.is_empty() {
        return Err(conflict(Code::QuizHasNoQuestions));
    }
    let deadline = match (quiz.time_limit_seconds, quiz.close_at) {
        (Some(t), close) => {
            let d = now + chrono::Duration::seconds(i64::from(t));
            Some(close.map_or(d, |c| c.min(d)))
        }
        (None, close) => close,
    };
    let number = mine.iter().map(|a| a.number).max().unwrap_or(0) + 1;
    let layout = serde_json::to_string(&drawn.slots).map_err(|e| AppError::Internal(e.into()))?;
    let attempt = attempts::ActiveModel {
        id: Set(Uuid::now_v7()),
        quiz_id: Set(quiz.id),
        user_id: Set(user_id),
        number: Set(number),
        state: Set(IN_PROGRESS.to_owned()),
        started_at: Set(now),
        deadline: Set(deadline),
        finished_at: Set(None),
        score: Set(None),
        max_score: Set(drawn.max_score),
        passed: Set(None),
        needs_grading: Set(false),
        layout: Set(layout),
    }
    .insert(db)
    .await?;
    Ok((attempt, true))
}

/// Finishes and grades an attempt once: whoever flips it from in progress does the grading;
/// everyone else gets the graded attempt.
pub async fn finish(
    db: &impl ConnectionTrait,
    attempt: attempts::Model,
    at: DateTime<Utc>,
) -> AppResult<attempts::Model> {
    let quiz = super::quiz::get(db, attempt.quiz_id).await?;
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
    let quiz = super::quiz::get(db, attempt.quiz_id).await?;
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
    let pretest = super::quiz::is_pretest(db, quiz.id).await?;
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

/// Starts an attempt for the caller (enrolling them first where they may enrol themselves),
/// or returns the one in progress; `true` when it is new. The questions are drawn with
/// reads first, so the write transaction is short when thousands start at once.
pub async fn start_attempt(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    p: &crate::auth::principal::Principal,
    quiz_id: Uuid,
) -> AppResult<(quizzes::Model, attempts::Model, bool)> {
    let quiz = super::quiz::get(db, quiz_id).await?;
    let course = access::course(db, p, quiz.course_id).await?;
    let drawn = draw(db, &quiz).await?;
    let (attempt, created) = crate::db::in_write(db, async |txn| {
        if !course.can_learn() {
            crate::courses::enrolment::enrol(txn, p.user.id, &course).await?;
        }
        start_drawn(txn, now, p.user.id, &quiz, drawn).await
    })
    .await?;
    Ok((quiz, attempt, created))
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
    let quiz = super::quiz::get(db, attempt.quiz_id).await?;
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

/// The caller's attempt as it stands now: one still in progress past its deadline is
/// closed and graded first (as of the deadline), so nobody is shown a form that can no
/// longer save. The one way the API and the pages read an attempt.
pub async fn current(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<attempts::Model> {
    let attempt = own(db, user_id, id).await?;
    match attempt.deadline {
        Some(deadline) if attempt.state == IN_PROGRESS && now > deadline => {
            crate::db::in_write(db, async |txn| finish(txn, attempt, deadline).await).await
        }
        _ => Ok(attempt),
    }
}

/// The attempts in progress whose deadline has passed.
pub async fn overdue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> AppResult<Vec<attempts::Model>> {
    Ok(attempts::Entity::find()
        .filter(attempts::Column::State.eq(IN_PROGRESS))
        .filter(attempts::Column::Deadline.lt(now))
        .all(db)
        .await?)
}

/// The saved answers of an attempt, by question.
pub async fn answers_of(
    db: &impl ConnectionTrait,
    attempt_id: Uuid,
) -> AppResult<HashMap<Uuid, attempt_answers::Model>> {
    Ok(attempt_answers::Entity::find()
        .filter(attempt_answers::Column::AttemptId.eq(attempt_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.question_id, a))
        .collect())
}

//! Starting an attempt: questions drawn (fixed and random by category and tag) with reads
//! first, then one short write that numbers it and sets its deadline.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::*;
use crate::{
    courses::access,
    entities::{attempts, question_tags, questions, quiz_questions, quizzes},
    error::{AppError, AppResult, Code},
    quizzes::model::{QuestionData, QuestionKind},
};

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

/// Starts an attempt for the caller (enrolling them first where they may enrol themselves),
/// or returns the one in progress; `true` when it is new. The questions are drawn with
/// reads first, so the write transaction is short when thousands start at once.
pub async fn start_attempt(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    p: &crate::auth::principal::Principal,
    quiz_id: Uuid,
) -> AppResult<(quizzes::Model, attempts::Model, bool)> {
    let quiz = crate::quizzes::quiz::get(db, quiz_id).await?;
    let course = access::course(db, p, quiz.course_id).await?;
    let drawn = draw(db, &quiz).await?;
    let (attempt, created) = crate::db::in_write(db, async |txn| {
        if !course.can_learn() {
            crate::courses::enrolment::enrol(txn, p, &course).await?;
        }
        start_drawn(txn, now, p.user.id, &quiz, drawn).await
    })
    .await?;
    Ok((quiz, attempt, created))
}

//! Grading by hand: the queue of answered essays waiting in a course, and an instructor's
//! mark and comment, after which the attempt's score and pass are settled.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::notify::notices::{Notice, NoticeKind};

use super::model::QuestionKind;
use super::{
    attempts::{self, FINISHED},
    model::Response,
};
use crate::{
    auth::principal::Principal,
    courses::access,
    db::in_write,
    entities::{attempt_answers, attempts as attempt_rows, questions, quizzes, users},
    error::{AppError, AppResult, Code},
};

/// An essay answer waiting for a mark.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The attempt.
    pub attempt: attempt_rows::Model,
    /// The quiz.
    pub quiz_title: String,
    /// The learner's name.
    pub learner: String,
    /// The question.
    pub question: questions::Model,
    /// What the learner wrote.
    pub text: String,
}

/// The essays of a course's quizzes waiting for a mark, oldest attempt first.
pub async fn queue(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<Vec<Pending>> {
    let quizzes: HashMap<Uuid, quizzes::Model> = quizzes::Entity::find()
        .filter(quizzes::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let waiting = attempt_rows::Entity::find()
        .filter(attempt_rows::Column::QuizId.is_in(quizzes.keys().copied().collect::<Vec<_>>()))
        .filter(attempt_rows::Column::State.eq(FINISHED))
        .filter(attempt_rows::Column::NeedsGrading.eq(true))
        .order_by_asc(attempt_rows::Column::FinishedAt)
        .all(db)
        .await?;
    let names: HashMap<Uuid, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(waiting.iter().map(|a| a.user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut out = Vec::new();
    for attempt in waiting {
        let slots = attempts::layout(&attempt);
        let questions = attempts::questions_of(db, &slots).await?;
        for answer in attempts::answers_of(db, attempt.id).await?.into_values() {
            let Some(q) = questions.get(&answer.question_id) else {
                continue;
            };
            if q.kind != QuestionKind::Essay || answer.fraction.is_some() {
                continue;
            }
            let text = match serde_json::from_str::<Response>(&answer.response) {
                Ok(Response::Text { text }) => text,
                _ => String::new(),
            };
            out.push(Pending {
                quiz_title: quizzes
                    .get(&attempt.quiz_id)
                    .map(|z| z.title.clone())
                    .unwrap_or_default(),
                learner: names.get(&attempt.user_id).cloned().unwrap_or_default(),
                question: q.clone(),
                text,
                attempt: attempt.clone(),
            });
        }
    }
    Ok(out)
}

/// An instructor's mark for an answer, as given.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A share 0–1 of the question's mark (the API).
    Share(f64),
    /// Marks out of the question's mark (the grading page).
    Marks(f64),
}

/// Grades an answer by hand: the one way for the API and the grading page. The grader must
/// edit the quiz's course; a mark out of range is refused with 422 `invalid_hand_grade`
/// (its detail the largest mark allowed); the attempt's score and pass are then settled.
pub async fn hand_grade(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    grader: &Principal,
    attempt_id: Uuid,
    question_id: Uuid,
    mark: Mark,
    comment: Option<String>,
) -> AppResult<(quizzes::Model, attempt_rows::Model)> {
    in_write(db, async |txn| {
        let attempt = attempt_rows::Entity::find_by_id(attempt_id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let quiz = super::quiz::get(txn, attempt.quiz_id).await?;
        access::editable(txn, grader, quiz.course_id).await?;
        let question = questions::Entity::find_by_id(question_id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let (share, largest) = match mark {
            Mark::Share(share) => (share, 1.0),
            Mark::Marks(marks) if question.mark > 0.0 => (marks / question.mark, question.mark),
            Mark::Marks(_) => (f64::NAN, question.mark),
        };
        if !share.is_finite() || !(0.0..=1.0).contains(&share) {
            return Err(AppError::Invalid {
                code: Code::InvalidHandGrade,
                field: Some(match mark {
                    Mark::Share(_) => "fraction",
                    Mark::Marks(_) => "marks",
                }),
                detail: Some(largest.to_string()),
            });
        }
        let comment = comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        let graded = grade(
            txn,
            now,
            grader.user.id,
            attempt,
            question_id,
            share,
            comment,
        )
        .await?;
        if !graded.needs_grading {
            // Nothing waits any more: the learner hears of it once per attempt.
            let score = match graded.score {
                Some(s) if graded.max_score > 0.0 => {
                    format!("{:.0} %", s * 100.0 / graded.max_score)
                }
                _ => "–".to_owned(),
            };
            let notice = Notice::new(
                graded.user_id,
                NoticeKind::EssayGraded,
                format!("essay_graded:{}", graded.id),
            )
            .with("quiz", &quiz.title)
            .with("score", score)
            .link(format!("/attempts/{}", graded.id));
            crate::notify::notices::give(txn, now, vec![notice]).await?;
        }
        Ok((quiz, graded))
    })
    .await
}

/// Records an instructor's mark (a share 0–1 of the question's mark) and comment for an
/// essay, then settles the attempt's score and, once nothing waits, its pass.
async fn grade(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    grader: Uuid,
    attempt: attempt_rows::Model,
    question_id: Uuid,
    fraction: f64,
    comment: Option<String>,
) -> AppResult<attempt_rows::Model> {
    if !(0.0..=1.0).contains(&fraction) || !fraction.is_finite() {
        return Err(AppError::invalid(Code::InvalidHandGrade, "fraction"));
    }
    if attempt.state != FINISHED {
        return Err(AppError::Conflict {
            code: Code::AttemptInProgress,
            detail: None,
        });
    }
    let answer = attempt_answers::Entity::find_by_id((attempt.id, question_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut am: attempt_answers::ActiveModel = answer.into();
    am.fraction = Set(Some(fraction));
    am.comment = Set(comment.map(|c| c.chars().take(10_000).collect()));
    am.graded_by = Set(Some(grader));
    am.update(db).await?;
    attempts::settle(db, now, attempt).await
}

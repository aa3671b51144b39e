//! Reading attempts: the caller's own, as it stands now (closing it first when its
//! deadline passed), its questions and its saved answers.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::*;
use crate::{
    entities::{attempt_answers, attempts, questions},
    error::{AppError, AppResult},
    quizzes::model::QuestionData,
};

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

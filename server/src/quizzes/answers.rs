//! Saving a learner's answers: each checked with reads against its attempt and question,
//! then written with one conditional statement per answer, all in one write transaction
//! that on SQLite is a single call to the writer (`db::write_queries`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::model::QuestionKind;
use super::{
    attempts::{self, IN_PROGRESS, conflict, layout, own},
    model::Response,
};
use crate::{
    db::placeholder,
    entities::{attempt_answers, attempts as attempt_rows, questions},
    error::{AppError, AppResult, Code},
};

/// What [`save_answers`] did.
#[derive(Debug)]
pub struct Saved {
    /// How many answers were written (an answer equal to the one stored is not).
    pub saved: usize,
    /// The attempt, submitted and graded, when a submit was asked for.
    pub finished: Option<attempt_rows::Model>,
}

/// Saves a learner's answers to their attempt, then submits it when `submit` says so: the
/// one way for the API and the pages. Every answer is checked first (reads only): the
/// caller's attempt, in progress and within its deadline (else 409 `attempt_finished` or
/// `attempt_deadline_passed`, and nothing is saved), has the question (else 404), and the
/// response fits it (else 422 `invalid_response`). An empty response is stored only where it
/// clears an earlier answer. The writes then run in one write transaction, and a submit
/// follows as [`attempts::submit_attempt`].
pub async fn save_answers(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    user_id: Uuid,
    attempt_id: Uuid,
    given: &[(Uuid, Response)],
    submit: bool,
) -> AppResult<Saved> {
    let stored = if given.iter().any(|(_, r)| r.is_empty()) {
        attempts::answers_of(db, attempt_id).await?
    } else {
        Default::default()
    };
    // The attempt is read once, whatever the number of answers.
    let attempt = own(db, user_id, attempt_id).await?;
    let slots = layout(&attempt);
    let mut checked = Vec::with_capacity(given.len());
    for (question_id, response) in given {
        if response.is_empty() && !stored.contains_key(question_id) {
            continue;
        }
        checked.push(check_against(db, now, &attempt, &slots, *question_id, response).await?);
    }
    let backend = db.get_database_backend();
    let rows = crate::db::write_queries(
        db,
        checked
            .iter()
            .map(|a| answer_statement(backend, a))
            .collect(),
    )
    .await?;
    let written: std::collections::HashSet<Uuid> = rows
        .iter()
        .map(|r| r.try_get_by_index::<Uuid>(0))
        .collect::<Result<_, _>>()?;
    let mut saved = 0;
    for answer in &checked {
        if written.contains(&answer.question_id) {
            saved += 1;
        } else {
            unwritten(db, answer).await?;
        }
    }
    let finished = if submit {
        Some(attempts::submit_attempt(db, now, user_id, attempt_id).await?)
    } else {
        None
    };
    Ok(Saved { saved, finished })
}

/// Whether `response` has the shape a question of type `kind` needs.
fn fits(kind: QuestionKind, response: &Response) -> bool {
    use QuestionKind as K;
    matches!(
        (kind, response),
        (
            K::SingleChoice | K::MultipleChoice,
            Response::Choices { .. }
        ) | (K::TrueFalse, Response::Value { .. })
            | (K::ShortAnswer | K::Essay, Response::Text { .. })
            | (K::Numerical, Response::Number { .. })
            | (K::Matching, Response::Pairs { .. })
    )
}

/// An answer checked against its attempt, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedAnswer {
    user_id: Uuid,
    attempt_id: Uuid,
    question_id: Uuid,
    now: DateTime<Utc>,
    json: String,
}

/// Saves one answer on a connection the caller holds (the demo's loader); `false` when the
/// same response was already saved (nothing written).
pub async fn save(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    user_id: Uuid,
    attempt_id: Uuid,
    question_id: Uuid,
    response: &Response,
) -> AppResult<bool> {
    let checked = check_answer(db, now, user_id, attempt_id, question_id, response).await?;
    store_answer(db, &checked).await
}

/// Checks an answer (reads only): the caller's attempt, in progress and within its
/// deadline, has the question, and the response has the question's shape.
pub async fn check_answer(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    user_id: Uuid,
    attempt_id: Uuid,
    question_id: Uuid,
    response: &Response,
) -> AppResult<CheckedAnswer> {
    let attempt = own(db, user_id, attempt_id).await?;
    check_against(db, now, &attempt, &layout(&attempt), question_id, response).await
}

/// [`check_answer`] against the caller's attempt, already read, and its slots.
async fn check_against(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    attempt: &attempt_rows::Model,
    slots: &[attempts::Slot],
    question_id: Uuid,
    response: &Response,
) -> AppResult<CheckedAnswer> {
    if attempt.state != IN_PROGRESS {
        return Err(conflict(Code::AttemptFinished));
    }
    if let Some(d) = attempt.deadline
        && now > d
    {
        return Err(conflict(Code::AttemptDeadlinePassed));
    }
    let Some(slot) = slots.iter().find(|s| s.question_id == question_id) else {
        return Err(AppError::NotFound);
    };
    let kind = match slot.kind {
        Some(kind) => kind,
        None => {
            questions::Entity::find_by_id(question_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
                .kind
        }
    };
    if !fits(kind, response) {
        return Err(AppError::invalid(Code::InvalidResponse, "response"));
    }
    if let Response::Text { text } = response
        && text.len() > 50_000
    {
        return Err(AppError::invalid(Code::InvalidResponse, "response"));
    }
    let json = serde_json::to_string(response).map_err(|e| AppError::Internal(e.into()))?;
    Ok(CheckedAnswer {
        user_id: attempt.user_id,
        attempt_id: attempt.id,
        question_id,
        now,
        json,
    })
}

/// Stores a checked answer; `false` when the same response was already there.
pub async fn store_answer(db: &impl ConnectionTrait, a: &CheckedAnswer) -> AppResult<bool> {
    let written = db
        .query_one_raw(answer_statement(db.get_database_backend(), a))
        .await?
        .is_some();
    if !written {
        unwritten(db, a).await?;
    }
    Ok(written)
}

/// The statement that stores a checked answer, returning its question id when it wrote.
///
/// It only lands while the attempt is in progress and within its deadline, so it cannot
/// race a submit, and it writes nothing when the same response is stored already.
fn answer_statement(backend: sea_orm::DbBackend, a: &CheckedAnswer) -> sea_orm::Statement {
    let CheckedAnswer {
        attempt_id,
        question_id,
        now,
        ref json,
        ..
    } = *a;
    let p = |n: usize| placeholder(backend, n);
    // PostgreSQL: the attempt row is share-locked, so a submit flipping it waits for this
    // answer (and then grades it) or this answer waits for the submit (and is refused).
    // SQLite has one writer at a time, which gives the same order.
    let lock = if backend == sea_orm::DbBackend::Postgres {
        " FOR SHARE"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO attempt_answers (attempt_id, question_id, response, saved_at) \
         SELECT {a}, {q}, {r}, {t} WHERE EXISTS (SELECT 1 FROM attempts WHERE id = {a2} \
           AND state = 'in_progress' AND (deadline IS NULL OR deadline >= {t2}){lock}) \
         ON CONFLICT (attempt_id, question_id) DO UPDATE \
           SET response = excluded.response, saved_at = excluded.saved_at \
           WHERE attempt_answers.response <> excluded.response \
         RETURNING question_id",
        a = p(1),
        q = p(2),
        r = p(3),
        t = p(4),
        a2 = p(5),
        t2 = p(6),
    );
    sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [
            attempt_id.into(),
            question_id.into(),
            json.clone().into(),
            now.into(),
            attempt_id.into(),
            now.into(),
        ],
    )
}

/// For an answer its statement did not write: `Ok` when the same response is stored
/// (nothing to do), else why it could not be written (the attempt finished or timed out
/// meanwhile).
async fn unwritten(db: &impl ConnectionTrait, a: &CheckedAnswer) -> AppResult<()> {
    let CheckedAnswer {
        user_id,
        attempt_id,
        question_id,
        now,
        ref json,
    } = *a;
    let stored = attempt_answers::Entity::find_by_id((attempt_id, question_id))
        .one(db)
        .await?;
    if stored.is_some_and(|a| a.response == *json) {
        return Ok(());
    }
    let current = own(db, user_id, attempt_id).await?;
    if current.state != IN_PROGRESS {
        return Err(conflict(Code::AttemptFinished));
    }
    if current.deadline.is_some_and(|d| now > d) {
        return Err(conflict(Code::AttemptDeadlinePassed));
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "answer to {question_id} in attempt {attempt_id} was neither written nor present"
    )))
}

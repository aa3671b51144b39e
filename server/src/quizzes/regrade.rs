//! Correcting a question and regrading the attempts that answered it.
//!
//! A correction keeps the ids of options and matching items that are still there (found by
//! their text, else by their place), so responses already given keep pointing at the same
//! options; the question's version goes up. Regrading recomputes that question's share of
//! the mark in every finished attempt from the stored response, then the attempt's score,
//! pass, the learner's course grade and, on a pass, the lesson's completion.

use chrono::{DateTime, Utc};
use mahir_content::questions::Question;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::{
    attempts::{self, FINISHED},
    bank, grading,
    model::{ChoiceOption, Pair, QuestionData, Response},
    prepared::PreparedQuestion,
};
use crate::{
    entities::{
        attempt_answers, attempts as attempt_rows, question_competencies, question_tags, questions,
    },
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// The one question a correction gives, in GIFT or Aiken; anything else is refused with
/// `invalid_correction` and the reason.
pub fn parse_one(format: bank::Format, text: &str) -> AppResult<Question> {
    let refuse = |detail: String| AppError::Invalid {
        code: Code::InvalidCorrection,
        field: Some("text"),
        detail: Some(detail),
    };
    let mut parsed = bank::parse(format, text).map_err(|e| match e {
        AppError::Invalid {
            code: Code::InvalidQuestionFile,
            detail,
            ..
        } => refuse(detail.unwrap_or_default()),
        other => other,
    })?;
    if parsed.len() != 1 {
        return Err(refuse(format!(
            "one question expected, found {}",
            parsed.len()
        )));
    }
    Ok(parsed.remove(0))
}

/// Reuses `old` ids for options found again in `new`: same text first, then same place.
fn keep_option_ids(old: &[ChoiceOption], new: &mut [ChoiceOption]) {
    let mut used = vec![false; old.len()];
    let mut pending = Vec::new();
    for (i, o) in new.iter_mut().enumerate() {
        match old
            .iter()
            .enumerate()
            .find(|(j, p)| !used[*j] && p.text.trim() == o.text.trim())
        {
            Some((j, p)) => {
                used[j] = true;
                o.id = p.id.clone();
            }
            None => pending.push(i),
        }
    }
    for i in pending {
        if let Some(false) = used.get(i) {
            used[i] = true;
            new[i].id = old[i].id.clone();
        }
    }
}

/// The same for matching pairs, left and right items each by their own text.
fn keep_pair_ids(old: &[Pair], new: &mut [Pair]) {
    for (i, p) in new.iter_mut().enumerate() {
        let same_left = old
            .iter()
            .find(|o| !o.left.is_empty() && o.left.trim() == p.left.trim());
        if let Some(o) = same_left.or_else(|| old.get(i)) {
            p.left_id = o.left_id.clone();
        }
        let same_right = old.iter().find(|o| o.right.trim() == p.right.trim());
        if let Some(o) = same_right.or_else(|| old.get(i)) {
            p.right_id = o.right_id.clone();
        }
    }
    // Two items must never share an id after the carry-over.
    for side in [0, 1] {
        let ids: Vec<String> = new
            .iter()
            .map(|p| {
                if side == 0 {
                    p.left_id.clone()
                } else {
                    p.right_id.clone()
                }
            })
            .collect();
        for (i, p) in new.iter_mut().enumerate() {
            if ids[..i].contains(&ids[i]) {
                let fresh = super::model::random_id();
                if side == 0 {
                    p.left_id = fresh;
                } else {
                    p.right_id = fresh;
                }
            }
        }
    }
}

/// Replaces a question's text, answers, tags and competencies with `prepared` (its type
/// must stay the same) and bumps its version.
pub async fn correct(
    db: &impl ConnectionTrait,
    question: questions::Model,
    prepared: &PreparedQuestion,
) -> AppResult<questions::Model> {
    let parsed = &prepared.question;
    let old = attempts::data_of(&question)?;
    let mut new = prepared.data.clone();
    if new.type_name() != old.type_name() {
        return Err(AppError::Invalid {
            code: Code::QuestionKindChanged,
            field: Some("type"),
            detail: Some(format!("{} → {}", old.type_name(), new.type_name())),
        });
    }
    match (&old, &mut new) {
        (
            QuestionData::SingleChoice { options: o } | QuestionData::MultipleChoice { options: o },
            QuestionData::SingleChoice { options: n } | QuestionData::MultipleChoice { options: n },
        ) => keep_option_ids(o, n),
        (QuestionData::Matching { pairs: o }, QuestionData::Matching { pairs: n }) => {
            keep_pair_ids(o, n);
        }
        _ => {}
    }
    let json = serde_json::to_string(&new).map_err(|e| AppError::Internal(e.into()))?;
    let id = question.id;
    let version = question.version + 1;
    let mut am: questions::ActiveModel = question.into();
    if let Some(title) = parsed.title.as_ref().filter(|t| !t.trim().is_empty()) {
        am.title = Set(title.trim().chars().take(255).collect());
    }
    if let Some(category) = &parsed.category {
        am.category = Set(category.chars().take(255).collect());
    }
    am.text_md = Set(parsed.text.clone());
    am.text_html = Set(prepared.text_html.clone());
    am.fragments = Set(prepared.fragments.clone());
    am.general_feedback = Set(parsed.general_feedback.clone());
    am.data = Set(json);
    am.version = Set(version);
    am.updated_at = Set(stamp());
    let saved = am.update(db).await?;
    question_tags::Entity::delete_many()
        .filter(question_tags::Column::QuestionId.eq(id))
        .exec(db)
        .await?;
    question_competencies::Entity::delete_many()
        .filter(question_competencies::Column::QuestionId.eq(id))
        .exec(db)
        .await?;
    bank::store_marks(db, id, parsed).await?;
    Ok(saved)
}

/// Regrades `question` in every finished attempt that answered it; returns how many
/// attempts' scores changed. Hand-graded essays keep their marks.
pub async fn regrade(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    question: &questions::Model,
) -> AppResult<usize> {
    let data = attempts::data_of(question)?;
    if matches!(data, QuestionData::Essay) {
        return Ok(0);
    }
    let answers = attempt_answers::Entity::find()
        .filter(attempt_answers::Column::QuestionId.eq(question.id))
        .all(db)
        .await?;
    let mut changed = 0;
    for answer in answers {
        let Some(attempt) = attempt_rows::Entity::find_by_id(answer.attempt_id)
            .filter(attempt_rows::Column::State.eq(FINISHED))
            .one(db)
            .await?
        else {
            continue;
        };
        let fraction = serde_json::from_str::<Response>(&answer.response)
            .ok()
            .and_then(|r| grading::grade(&data, &r))
            .unwrap_or(0.0);
        if answer.fraction.is_some_and(|f| (f - fraction).abs() < 1e-9) {
            continue;
        }
        let mut am: attempt_answers::ActiveModel = answer.into();
        am.fraction = Set(Some(fraction));
        am.update(db).await?;
        attempts::settle(db, now, attempt).await?;
        changed += 1;
    }
    Ok(changed)
}

/// A question of a course the caller edits (admins: any, the shared bank included).
/// Corrects a question (its bank's editors) from one question written in `format`, and
/// regrades it in every finished attempt when `and_regrade` says so: the one way for the
/// API and the correction page. The text is parsed and rendered before the write
/// transaction; the rights are checked again inside it; the course's revision is bumped.
/// Returns the corrected question and, when regraded, how many attempts changed.
pub async fn correct_question(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    format: bank::Format,
    text: String,
    and_regrade: bool,
) -> AppResult<(questions::Model, Option<usize>)> {
    editable_question(db, p, id).await?;
    let prepared = super::prepared::prepare_one(format, text).await?;
    super::prepared::check_tags(db, std::slice::from_ref(&prepared)).await?;
    crate::db::in_write(db, async |txn| {
        let question = editable_question(txn, p, id).await?;
        let saved = correct(txn, question, &prepared).await?;
        let regraded = if and_regrade {
            Some(regrade(txn, now, &saved).await?)
        } else {
            None
        };
        if let Some(course) = saved.course_id {
            crate::courses::authoring::touch(txn, course).await?;
        }
        Ok((saved, regraded))
    })
    .await
}

/// Regrades a question in every finished attempt that answered it (its bank's editors);
/// returns how many attempts changed.
pub async fn regrade_question(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
    p: &crate::auth::principal::Principal,
    id: Uuid,
) -> AppResult<usize> {
    crate::db::in_write(db, async |txn| {
        let question = editable_question(txn, p, id).await?;
        regrade(txn, now, &question).await
    })
    .await
}

/// A question `p` may correct: one of a course they edit, or (admins) of the shared bank.
pub async fn editable_question(
    db: &impl ConnectionTrait,
    p: &crate::auth::principal::Principal,
    id: Uuid,
) -> AppResult<questions::Model> {
    let q = questions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match q.course_id {
        Some(course) => {
            crate::courses::access::editable(db, p, course).await?;
        }
        None if p.is_admin() => {}
        None => return Err(AppError::Forbidden),
    }
    Ok(q)
}

//! Attempts: started with a server-set deadline, answered (see [`super::answers`]),
//! finished and graded exactly once — on submit, or by the server once the deadline passed.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{entities::attempts, error::AppError, quizzes::model::QuestionKind};

mod finish;
mod read;
mod start;

pub use finish::*;
pub use read::*;
pub use start::*;

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

//! An attempt as the learner sees it: questions without any correctness data, the saved
//! responses, the time left by the server's clock, and only what the review options allow.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::QuestionKind;
use super::{
    attempts::{self, FINISHED, Slot},
    grading,
    model::{QuestionData, Response, tidy},
    quiz::{Reveal, review_of},
};
use crate::{
    entities::{attempt_answers, attempts as attempt_rows, questions, quizzes},
    error::AppResult,
};

/// An option or a matching item.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Item {
    /// Id to use in responses.
    pub id: String,
    /// Text, sanitized.
    pub text_html: String,
}

/// One question of an attempt.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptQuestion {
    /// Question id.
    pub id: Uuid,
    /// The question type.
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: QuestionKind,
    /// Question text, sanitized.
    pub text_html: String,
    /// Marks it is worth.
    pub mark: f64,
    /// Choice questions: the options in this attempt's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Item>>,
    /// Matching: the items to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<Vec<Item>>,
    /// Matching: the items to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<Vec<Item>>,
    /// The saved response, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub response: Option<Response>,
    /// Share of the mark earned (only when the review shows answers, and never for an essay
    /// still waiting for its instructor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<f64>,
    /// A finished attempt's essay answer that its instructor has not marked yet.
    #[serde(default)]
    pub awaiting_grading: bool,
    /// The authors' feedback on this response, and the grader's comment on an essay (only
    /// when the review shows feedback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Vec<String>>,
    /// The right answer in the shape of a response (only when the review shows answers):
    /// choices with positive weight, the true/false value, the matching pairs; short answer
    /// and numerical give it as text. None for essays.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub correct: Option<Response>,
}

/// An attempt.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptJson {
    /// Attempt id.
    pub id: Uuid,
    /// The quiz.
    pub quiz_id: Uuid,
    /// 1 for the first attempt.
    pub number: i32,
    /// in_progress or finished.
    pub state: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it closes, by the server's clock.
    pub deadline: Option<DateTime<Utc>>,
    /// Seconds left by the server's clock (in progress and timed only).
    pub remaining_seconds: Option<i64>,
    /// Score (finished, when the review shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Highest possible score (with the score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// Passed (with the score; none while an essay waits for grading, and none for a
    /// pre-test).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// A pre-test: it measures where the learner starts, with no pass or fail.
    #[serde(default)]
    pub pretest: bool,
    /// An essay waits for an instructor.
    pub needs_grading: bool,
    /// The questions in this attempt's order.
    pub questions: Vec<AttemptQuestion>,
}

/// Whether a part of a finished attempt that the quiz reveals `reveal` is shown at `now`.
pub fn allowed(reveal: Reveal, quiz: &quizzes::Model, finished: bool, now: DateTime<Utc>) -> bool {
    finished
        && match reveal {
            Reveal::Immediately => true,
            Reveal::AfterClose => quiz.close_at.is_some_and(|c| now >= c),
            Reveal::Never => false,
        }
}

/// A text rendered now (grader comments, and texts of questions stored before they were
/// kept rendered); bounded like every render.
fn md(text: &str) -> String {
    mahir_content::markdown::fragment_html(text)
}

fn feedback_for(
    data: &QuestionData,
    response: Option<&Response>,
    general: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (data, response) {
        (
            QuestionData::SingleChoice { options } | QuestionData::MultipleChoice { options },
            Some(Response::Choices { choices }),
        ) => {
            for o in options.iter().filter(|o| choices.contains(&o.id)) {
                out.extend(o.feedback.clone());
            }
        }
        (
            QuestionData::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            },
            Some(Response::Value { value }),
        ) => out.extend(if value == answer {
            feedback_right.clone()
        } else {
            feedback_wrong.clone()
        }),
        (QuestionData::ShortAnswer { answers }, Some(Response::Text { text })) => {
            out.extend(grading::best_text(answers, text).and_then(|a| a.feedback.clone()));
        }
        (QuestionData::Numerical { answers }, Some(Response::Number { number })) => {
            out.extend(grading::best_number(answers, *number).and_then(|a| a.feedback.clone()));
        }
        _ => {}
    }
    out.extend(general.map(str::to_owned));
    out
}

/// The right answer to show in a review.
fn correct_of(data: &QuestionData) -> Option<Response> {
    let best = |ws: &mut dyn Iterator<Item = f64>| ws.fold(f64::MIN, f64::max);
    match data {
        QuestionData::SingleChoice { options } | QuestionData::MultipleChoice { options } => {
            Some(Response::Choices {
                choices: options
                    .iter()
                    .filter(|o| o.weight > 0.0)
                    .map(|o| o.id.clone())
                    .collect(),
            })
        }
        QuestionData::TrueFalse { answer, .. } => Some(Response::Value { value: *answer }),
        QuestionData::ShortAnswer { answers } => {
            let top = best(&mut answers.iter().map(|a| a.weight));
            answers
                .iter()
                .find(|a| a.weight == top && a.weight > 0.0)
                .map(|a| Response::Text {
                    text: a.text.clone(),
                })
        }
        QuestionData::Numerical { answers } => {
            let top = best(&mut answers.iter().map(|a| a.weight));
            answers
                .iter()
                .find(|a| a.weight == top && a.weight > 0.0)
                .map(|a| Response::Text {
                    text: if a.min == a.max {
                        tidy(a.min).to_string()
                    } else {
                        let mid = tidy(f64::midpoint(a.min, a.max));
                        format!("{mid} ± {}", tidy((a.max - a.min) / 2.0))
                    },
                })
        }
        QuestionData::Matching { pairs } => Some(Response::Pairs {
            pairs: grading::real_pairs(pairs)
                .map(|p| (p.left_id.clone(), p.right_id.clone()))
                .collect(),
        }),
        QuestionData::Essay => None,
    }
}

fn question_json(
    q: &questions::Model,
    data: &QuestionData,
    slot: &Slot,
    answer: Option<&attempt_answers::Model>,
    finished: bool,
    show_answers: bool,
    show_feedback: bool,
) -> AttemptQuestion {
    // Rendered when the question was stored; a question stored before that was kept is
    // rendered here (bounded, like every render).
    let fragments = super::prepared::fragments_of(q);
    let html = |text: &str| fragments.get(text).cloned().unwrap_or_else(|| md(text));
    let item = |id: &str, text: &str| Item {
        id: id.to_owned(),
        text_html: html(text),
    };
    let (mut options, mut left, mut right) = (None, None, None);
    match data {
        QuestionData::SingleChoice { options: all }
        | QuestionData::MultipleChoice { options: all } => {
            let by_id: HashMap<&str, &str> = all
                .iter()
                .map(|o| (o.id.as_str(), o.text.as_str()))
                .collect();
            options = Some(
                slot.order
                    .iter()
                    .filter_map(|id| by_id.get(id.as_str()).map(|t| item(id, t)))
                    .collect(),
            );
        }
        QuestionData::Matching { pairs } => {
            left = Some(
                grading::real_pairs(pairs)
                    .map(|p| item(&p.left_id, &p.left))
                    .collect(),
            );
            let by_id: HashMap<&str, &str> = pairs
                .iter()
                .map(|p| (p.right_id.as_str(), p.right.as_str()))
                .collect();
            right = Some(
                slot.order
                    .iter()
                    .filter_map(|id| by_id.get(id.as_str()).map(|t| item(id, t)))
                    .collect(),
            );
        }
        _ => {}
    }
    let response: Option<Response> = answer.and_then(|a| serde_json::from_str(&a.response).ok());
    let awaiting_grading =
        finished && q.kind == QuestionKind::Essay && answer.is_some_and(|a| a.fraction.is_none());
    AttemptQuestion {
        id: q.id,
        kind: q.kind,
        text_html: q.text_html.clone(),
        mark: q.mark,
        options,
        left,
        right,
        awaiting_grading,
        fraction: if show_answers && !awaiting_grading {
            Some(answer.and_then(|a| a.fraction).unwrap_or(0.0))
        } else {
            None
        },
        feedback: show_feedback.then(|| {
            let mut all: Vec<String> =
                feedback_for(data, response.as_ref(), q.general_feedback.as_deref())
                    .iter()
                    .map(|f| html(f))
                    .collect();
            all.extend(answer.and_then(|a| a.comment.as_deref()).map(md));
            all
        }),
        correct: if show_answers { correct_of(data) } else { None },
        response,
    }
}

/// The attempt as its learner may see it at `now`.
pub async fn attempt_json(
    db: &impl sea_orm::ConnectionTrait,
    quiz: &quizzes::Model,
    attempt: &attempt_rows::Model,
    now: DateTime<Utc>,
) -> AppResult<AttemptJson> {
    let slots = attempts::layout(attempt);
    let questions = attempts::questions_of(db, &slots).await?;
    let answers = attempts::answers_of(db, attempt.id).await?;
    let finished = attempt.state == FINISHED;
    let review = review_of(quiz);
    let show_score = allowed(review.score, quiz, finished, now);
    let show_answers = allowed(review.answers, quiz, finished, now);
    let show_feedback = allowed(review.feedback, quiz, finished, now);
    let pretest = super::quiz::is_pretest(db, quiz.id).await?;
    let mut list = Vec::with_capacity(slots.len());
    for slot in &slots {
        if let Some(q) = questions.get(&slot.question_id) {
            let data = attempts::data_of(q)?;
            list.push(question_json(
                q,
                &data,
                slot,
                answers.get(&q.id),
                finished,
                show_answers,
                show_feedback,
            ));
        }
    }
    Ok(AttemptJson {
        id: attempt.id,
        quiz_id: attempt.quiz_id,
        number: attempt.number,
        state: attempt.state.as_str().to_owned(),
        started_at: attempt.started_at,
        deadline: attempt.deadline,
        remaining_seconds: (!finished)
            .then_some(attempt.deadline)
            .flatten()
            .map(|d| (d - now).num_seconds().max(0)),
        score: if show_score { attempt.score } else { None },
        max_score: show_score.then_some(attempt.max_score),
        passed: if show_score && !pretest {
            attempt.passed
        } else {
            None
        },
        pretest,
        needs_grading: attempt.needs_grading,
        questions: list,
    })
}

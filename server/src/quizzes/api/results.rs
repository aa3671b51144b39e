//! A quiz's results through the API (JSON or CSV).

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::super::{
    quiz::{self},
    results,
};
use super::bank::ImportQuery;
use crate::{
    auth::{api::ErrorBody, context::Auth},
    courses::access,
    error::AppResult,
    state::AppState,
    web::extract::{Id, Params},
};

/// One attempt in a quiz's results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultJson {
    /// Attempt id.
    pub attempt_id: Uuid,
    /// Learner's login name.
    pub username: String,
    /// Learner's name.
    pub name: String,
    /// Attempt number.
    pub number: i32,
    /// in_progress or finished.
    pub state: String,
    /// Score (none while in progress).
    pub score: Option<f64>,
    /// Highest possible score.
    pub max_score: f64,
    /// Passed (none while an essay waits).
    pub passed: Option<bool>,
}

/// Facility and discrimination of one question.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemJson {
    /// Question id.
    pub question_id: Uuid,
    /// Question title.
    pub title: String,
    /// Question type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Finished attempts that showed it.
    pub attempts: usize,
    /// Mean share of the mark earned, 0–1.
    pub facility: f64,
    /// Correlation with the score on the other questions, -1–1 (none without spread).
    pub discrimination: Option<f64>,
}

/// A quiz's results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultsJson {
    /// Every attempt, by learner name and number.
    pub attempts: Vec<ResultJson>,
    /// Item analysis over the finished attempts.
    pub items: Vec<ItemJson>,
    /// For a post-test: what learners gained since the pre-test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gain: Option<GainJson>,
}

/// One learner's gain.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LearnerGainJson {
    /// Login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// First pre-test attempt, percent.
    pub pre_percent: f64,
    /// Post-test grade by its grading method, percent.
    pub post_percent: f64,
    /// Points gained.
    pub gain: f64,
    /// (post − pre) / (100 − pre); none when the pre-test was full marks.
    pub normalised_gain: Option<f64>,
}

/// Learning gained from the pre-test to the post-test (Kirkpatrick level 2).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GainJson {
    /// The pre-test.
    pub pretest_id: Uuid,
    /// Learners with both results.
    pub learners: Vec<LearnerGainJson>,
    /// Mean pre-test percent.
    pub mean_pre_percent: Option<f64>,
    /// Mean post-test percent.
    pub mean_post_percent: Option<f64>,
    /// Mean gain in points.
    pub mean_gain: Option<f64>,
    /// Mean normalised gain.
    pub mean_normalised_gain: Option<f64>,
}

/// A quiz's results: each learner's attempts and scores, and item analysis (the course's
/// instructors and admins). `?format=csv` gives the attempts as CSV.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/results", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id"), ImportQuery),
    responses(
        (status = 200, body = ResultsJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn quiz_results(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<ImportQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let quiz = quiz::get(state.db(), id).await?;
    access::editable(state.db(), &p, quiz.course_id).await?;
    let rows = results::attempts_of(state.db(), &quiz).await?;
    if q.format.as_deref() == Some("csv") {
        return Ok(crate::web::download::csv(
            &results::csv_name(&quiz),
            results::to_csv(&rows),
        ));
    }
    let items = results::item_analysis(state.db(), &quiz)
        .await?
        .into_iter()
        .map(|i| ItemJson {
            question_id: i.question.id,
            title: i.question.title,
            kind: i.question.kind.to_string(),
            attempts: i.attempts,
            facility: i.facility,
            discrimination: i.discrimination,
        })
        .collect();
    let attempts = rows
        .into_iter()
        .map(|r| ResultJson {
            attempt_id: r.attempt.id,
            username: r.username,
            name: r.name,
            number: r.attempt.number,
            state: r.attempt.state.as_str().to_owned(),
            score: r.attempt.score,
            max_score: r.attempt.max_score,
            passed: r.attempt.passed,
        })
        .collect();
    let gain = results::gain(state.db(), &quiz).await?.map(|g| GainJson {
        pretest_id: g.pretest.id,
        mean_pre_percent: g.mean_pre(),
        mean_post_percent: g.mean_post(),
        mean_gain: g.mean_gain(),
        mean_normalised_gain: g.mean_normalised(),
        learners: g
            .learners
            .iter()
            .map(|l| LearnerGainJson {
                username: l.username.clone(),
                name: l.name.clone(),
                pre_percent: l.pre,
                post_percent: l.post,
                gain: l.gain(),
                normalised_gain: l.normalised(),
            })
            .collect(),
    });
    Ok(Json(ResultsJson {
        attempts,
        items,
        gain,
    })
    .into_response())
}

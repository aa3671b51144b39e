//! A quiz's page for its instructors: settings, attempts, item analysis, pre/post gain
//! and the results as CSV.

use askama::Template;
use axum::{extract::State, response::Response};
use serde::Deserialize;

use super::super::{
    quiz::{self, Reveal, Review},
    results::{self, Gain, ItemStats, ResultRow},
};
use crate::{
    auth::context::{Auth, Ctx},
    courses::access,
    entities::{attempts as attempt_rows, courses, quizzes},
    error::AppResult,
    state::AppState,
    web::{
        extract::{Id, Params},
        page::{PageCtx, render},
    },
};

#[derive(Template)]
#[template(path = "teach/quiz.html")]
struct QuizPage {
    page: PageCtx,
    course: courses::Model,
    quiz: quizzes::Model,
    review: Review,
    rows: Vec<ResultRow>,
    items: Vec<ItemStats>,
    gain: Option<Gain>,
    questions: usize,
    saved: bool,
    /// A pre-test shows scores without pass or fail.
    pretest: bool,
}

/// `?saved=1` after the settings were changed.
#[derive(Debug, Deserialize)]
pub struct SavedParams {
    #[serde(default)]
    saved: Option<String>,
}

impl QuizPage {
    fn outcome(&self, a: &attempt_rows::Model) -> crate::quizzes::outcome::Outcome {
        let passed = if self.pretest { None } else { a.passed };
        crate::quizzes::outcome::Outcome::of(a.needs_grading, passed)
    }

    fn percent(&self, a: &attempt_rows::Model) -> String {
        match a.score {
            Some(s) if a.max_score > 0.0 => {
                format!("{}%", self.page.t.number(s * 100.0 / a.max_score, 0))
            }
            _ => "—".into(),
        }
    }

    fn when(&self, a: &attempt_rows::Model) -> String {
        a.finished_at
            .map(|at| self.page.t.moment(&at))
            .unwrap_or_default()
    }

    fn pct(&self, x: Option<f64>) -> String {
        x.map_or("—".into(), |v| self.page.t.number(v, 0))
    }

    fn num(&self, x: &f64) -> String {
        self.page.t.number(*x, 0)
    }

    fn ratio(&self, x: Option<f64>) -> String {
        x.map_or("—".into(), |v| self.page.t.number(v, 2))
    }

    fn share(&self, x: &f64) -> String {
        format!("{}%", self.page.t.number(x * 100.0, 0))
    }

    fn corr(&self, x: &Option<f64>) -> String {
        x.map_or("—".into(), |v| self.page.t.number(v, 2))
    }

    fn reveal_name(&self, r: &Reveal) -> &'static str {
        match r {
            Reveal::Immediately => "review.immediately",
            Reveal::AfterClose => "review.after_close",
            Reveal::Never => "review.never",
        }
    }
}

/// `GET /teach/quizzes/{id}`: the quiz's settings and results.
pub async fn quiz_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<SavedParams>,
) -> AppResult<Response> {
    let quiz = quiz::get(state.db(), id).await?;
    let course = access::editable(state.db(), &p, quiz.course_id)
        .await?
        .course;
    let questions = quiz::question_ids(state.db(), quiz.id).await?.len()
        + usize::try_from(quiz.random_count.unwrap_or(0)).unwrap_or(0);
    render(&QuizPage {
        saved: q.saved.is_some(),
        page: PageCtx::titled(&ctx, quiz.title.clone()),
        review: quiz::review_of(&quiz),
        rows: results::attempts_of(state.db(), &quiz).await?,
        items: results::item_analysis(state.db(), &quiz).await?,
        gain: results::gain(state.db(), &quiz).await?,
        pretest: quiz::is_pretest(state.db(), quiz.id).await?,
        questions,
        course,
        quiz,
    })
}

/// `GET /teach/quizzes/{id}/results.csv`
pub async fn results_csv(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let quiz = quiz::get(state.db(), id).await?;
    access::editable(state.db(), &p, quiz.course_id).await?;
    let rows = results::attempts_of(state.db(), &quiz).await?;
    Ok(crate::web::download::csv(
        &results::csv_name(&quiz),
        results::to_csv(&rows),
    ))
}

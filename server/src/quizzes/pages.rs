//! The learner's quiz pages: start or resume from the lesson, answer on one page (a plain
//! form, which the autosave script posts one question at a time), submit, and the review.
//! Everything shown comes from [`views::attempt_json`], which holds back what the review
//! options do not allow yet.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response as HttpResponse},
};
use sea_orm::EntityTrait;
use serde::Deserialize;
use uuid::Uuid;

use super::model::QuestionKind;
use super::{
    answers,
    attempts::{self, FINISHED, IN_PROGRESS},
    form,
    model::Response,
    quiz,
    views::{self, AttemptJson, AttemptQuestion},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    entities::{attempts as attempt_rows, courses, quizzes},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        extract::{Id, Params, parse_id, wants_json},
        page::{PageCtx, render_status},
    },
};

/// `POST /quizzes/{id}/start`: starts (or resumes) an attempt and opens it. A refusal
/// (closed, attempts used up) goes back to the lesson with the reason.
pub async fn start(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> AppResult<HttpResponse> {
    let quiz_id = id;
    match attempts::start_attempt(state.db(), state.clock().now(), &p, quiz_id).await {
        Ok((_, attempt, _)) => {
            Ok(Redirect::to(&format!("/attempts/{}", attempt.id)).into_response())
        }
        Err(AppError::Conflict { code, .. }) => {
            let quiz = quiz::get(state.db(), quiz_id).await?;
            Ok(Redirect::to(&format!("/lessons/{}?error={code}", quiz.lesson_id)).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "quizzes/attempt.html")]
struct AttemptPage {
    page: PageCtx,
    quiz: quizzes::Model,
    course_id: Uuid,
    course_title: String,
    a: AttemptJson,
    /// Responses typed into a refused form, shown instead of the saved ones.
    typed: HashMap<Uuid, Response>,
    /// The question whose field did not fit, and what was typed there.
    unfit: Option<Unfit>,
    error: Option<String>,
    notice: Option<String>,
    deadline: Option<String>,
    answered: usize,
    /// The step before submitting: which questions are answered, then "submit now".
    review: bool,
}

/// A refused field: its question, its place in the attempt and what was typed.
#[derive(Debug)]
struct Unfit {
    question: Uuid,
    number: usize,
    raw: String,
}

impl AttemptPage {
    /// What the learner should type instead, said under the refused field.
    fn unfit_message(&self, q: &AttemptQuestion) -> &str {
        if q.kind == QuestionKind::Numerical {
            self.page.t.get("quiz.enter_number")
        } else {
            self.page.t.get("error.invalid_response")
        }
    }

    fn response<'a>(&'a self, q: &'a AttemptQuestion) -> Option<&'a Response> {
        answer_of(&self.typed, q)
    }

    fn is_answered(&self, q: &AttemptQuestion) -> bool {
        is_answered(&self.typed, q)
    }

    /// How many questions are still unanswered.
    fn unanswered(&self) -> usize {
        self.a.questions.len() - self.answered
    }

    fn chosen(&self, q: &AttemptQuestion, option: &str) -> bool {
        matches!(self.response(q), Some(Response::Choices { choices }) if choices.iter().any(|c| c == option))
    }

    fn is_value(&self, q: &AttemptQuestion, value: bool) -> bool {
        matches!(self.response(q), Some(Response::Value { value: v }) if *v == value)
    }

    fn text(&self, q: &AttemptQuestion) -> String {
        if let Some(u) = &self.unfit
            && u.question == q.id
        {
            return u.raw.clone();
        }
        match self.response(q) {
            Some(Response::Text { text }) => text.clone(),
            Some(Response::Number { number }) => self.page.t.lang.typed_number(*number),
            _ => String::new(),
        }
    }

    fn paired(&self, q: &AttemptQuestion, left: &str, right: &str) -> bool {
        matches!(self.response(q), Some(Response::Pairs { pairs }) if pairs.get(left).is_some_and(|r| r == right))
    }

    fn paired_any(&self, q: &AttemptQuestion, left: &str) -> bool {
        matches!(self.response(q), Some(Response::Pairs { pairs }) if pairs.contains_key(left))
    }

    fn right_choice(&self, q: &AttemptQuestion, option: &str) -> bool {
        matches!(&q.correct, Some(Response::Choices { choices }) if choices.iter().any(|c| c == option))
    }

    fn right_pair(&self, q: &AttemptQuestion, left: &str) -> String {
        let Some(Response::Pairs { pairs }) = &q.correct else {
            return String::new();
        };
        let right = pairs.get(left).and_then(|r| {
            q.right
                .as_ref()
                .and_then(|items| items.iter().find(|i| &i.id == r))
        });
        right.map(|i| i.text_html.clone()).unwrap_or_default()
    }

    fn right_text(&self, q: &AttemptQuestion) -> Option<String> {
        match &q.correct {
            Some(Response::Text { text }) if q.kind == QuestionKind::Numerical => {
                Some(self.page.t.lang.decimals_in(text))
            }
            Some(Response::Text { text }) => Some(text.clone()),
            Some(Response::Value { value }) => Some(
                self.page
                    .t
                    .get(if *value { "quiz.true" } else { "quiz.false" })
                    .to_owned(),
            ),
            _ => None,
        }
    }

    /// `pending` for an essay its instructor has not marked, else `right`, `partial` or
    /// `wrong` when the review shows marks.
    fn verdict(&self, q: &AttemptQuestion) -> &'static str {
        if q.awaiting_grading {
            return "pending";
        }
        match q.fraction {
            Some(f) if f >= 0.999 => "right",
            Some(f) if f > 0.0 => "partial",
            Some(_) => "wrong",
            None => "",
        }
    }

    fn is_unfit(&self, q: &AttemptQuestion) -> bool {
        self.unfit.as_ref().is_some_and(|u| u.question == q.id)
    }

    fn in_progress(&self) -> bool {
        self.a.state == IN_PROGRESS.as_str()
    }

    fn percent(&self) -> Option<i64> {
        match (self.a.score, self.a.max_score) {
            (Some(s), Some(m)) if m > 0.0 => Some((s * 100.0 / m).round() as i64),
            _ => None,
        }
    }

    fn marks(&self, q: &AttemptQuestion) -> String {
        let earned = q.fraction.unwrap_or(0.0) * q.mark;
        let t = &self.page.t;
        format!("{} / {}", t.number(earned, 2), t.number(q.mark, 2))
    }

    fn mark_of(&self, q: &AttemptQuestion) -> String {
        self.page.t.number(q.mark, 2)
    }

    fn outcome(&self) -> super::outcome::Outcome {
        super::outcome::Outcome::of(self.a.needs_grading, self.a.passed)
    }
}

/// Query of the attempt page.
#[derive(Debug, Deserialize, Default)]
pub struct AttemptParams {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    late: Option<String>,
    #[serde(default)]
    review: Option<String>,
}

/// The answer shown for `q`: what was typed into a refused form, else what is saved.
fn answer_of<'a>(
    typed: &'a HashMap<Uuid, Response>,
    q: &'a AttemptQuestion,
) -> Option<&'a Response> {
    typed.get(&q.id).or(q.response.as_ref())
}

fn is_answered(typed: &HashMap<Uuid, Response>, q: &AttemptQuestion) -> bool {
    answer_of(typed, q).is_some_and(|r| !r.is_empty())
}

async fn load(
    state: &AppState,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<(attempt_rows::Model, quizzes::Model)> {
    let attempt = attempts::current(state.db(), state.clock().now(), user_id, id).await?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    Ok((attempt, quiz))
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: &Ctx,
    attempt: &attempt_rows::Model,
    quiz: quizzes::Model,
    typed: HashMap<Uuid, Response>,
    unfit: Option<Unfit>,
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
    review: bool,
) -> AppResult<HttpResponse> {
    let now = state.clock().now();
    let a = views::attempt_json(state.db(), &quiz, attempt, now).await?;
    let course = courses::Entity::find_by_id(quiz.course_id)
        .one(state.db())
        .await?
        .ok_or(AppError::NotFound)?;
    let answered = a
        .questions
        .iter()
        .filter(|q| is_answered(&typed, q))
        .count();
    render_status(
        status,
        &AttemptPage {
            page: PageCtx::titled(ctx, quiz.title.clone()),
            deadline: a.deadline.map(|d| ctx.lang.moment(d)),
            course_id: course.id,
            course_title: course.title,
            quiz,
            a,
            typed,
            unfit,
            error,
            notice,
            answered,
            review: review && attempt.state == IN_PROGRESS,
        },
    )
}

/// `GET /attempts/{id}`: the form while in progress, the review once finished. A script
/// asking for JSON gets the state and the seconds left by the server's clock.
pub async fn attempt(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<AttemptParams>,
    headers: HeaderMap,
) -> AppResult<HttpResponse> {
    let (attempt, quiz) = load(&state, p.user.id, id).await?;
    if wants_json(&headers) {
        return Ok(Json(clock_json(&state, &attempt)).into_response());
    }
    let t = PageCtx::titled(&ctx, String::new()).t;
    let notice = if q.late.is_some() {
        Some(t.get("quiz.late").to_owned())
    } else if q.saved.is_some() && attempt.state == IN_PROGRESS {
        Some(t.get("quiz.saved").to_owned())
    } else {
        None
    };
    page(
        &state,
        &ctx,
        &attempt,
        quiz,
        HashMap::new(),
        None,
        None,
        notice,
        StatusCode::OK,
        q.review.is_some(),
    )
    .await
}

fn clock_json(state: &AppState, attempt: &attempt_rows::Model) -> serde_json::Value {
    let now = state.clock().now();
    serde_json::json!({
        "state": attempt.state.as_str(),
        "remaining_seconds": (attempt.state == IN_PROGRESS)
            .then_some(attempt.deadline)
            .flatten()
            .map(|d| (d - now).num_seconds().max(0)),
    })
}

/// `POST /attempts/{id}`: saves the answers in the form (or only `question`'s, from the
/// autosave script) and, with `action=submit`, submits the attempt. Unchanged answers are
/// not written again. A field that does not fit its question saves nothing and shows the
/// form again with the message.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    headers: HeaderMap,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let json = wants_json(&headers);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let submit = field("action") == Some("submit");
    // "Kumpulkan" first saves and shows what is still unanswered; the submit is a second step.
    let review = field("action") == Some("review");
    let only = match field("question").filter(|v| !v.is_empty()) {
        Some(q) => Some(parse_id(q)?),
        None => None,
    };
    let attempt_id = id;
    let (attempt, quiz) = load(&state, p.user.id, attempt_id).await?;
    if attempt.state == FINISHED {
        if json {
            return Err(AppError::Conflict {
                code: Code::AttemptFinished,
                detail: None,
            });
        }
        return Ok(Redirect::to(&format!("/attempts/{attempt_id}?late=1")).into_response());
    }
    let slots = attempts::layout(&attempt);
    let given = match form::responses(&slots, &fields, only) {
        Ok(given) => given,
        Err(form::Unfit(question)) => {
            if json {
                return Err(AppError::invalid(Code::InvalidResponse, "response"));
            }
            // Show what was typed, so nothing the learner wrote is lost with the refusal.
            let typed = slots
                .iter()
                .filter_map(|s| form::responses(&slots, &fields, Some(s.question_id)).ok())
                .flatten()
                .collect();
            let number = slots
                .iter()
                .position(|s| s.question_id == question)
                .map_or(0, |i| i + 1);
            let raw = fields
                .iter()
                .find(|(k, _)| *k == format!("q.{question}"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            return page(
                &state,
                &ctx,
                &attempt,
                quiz,
                typed,
                Some(Unfit {
                    question,
                    number,
                    raw,
                }),
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                false,
            )
            .await;
        }
    };
    let now = state.clock().now();
    let result =
        answers::save_answers(state.db(), now, p.user.id, attempt_id, &given, submit).await;
    let done = match result {
        Ok(done) => done,
        Err(AppError::Conflict { .. }) if !json => {
            return Ok(Redirect::to(&format!("/attempts/{attempt_id}?late=1")).into_response());
        }
        Err(e) => return Err(e),
    };
    if json {
        let current = match done.finished {
            Some(finished) => finished,
            None => attempts::own(state.db(), p.user.id, attempt_id).await?,
        };
        let mut body = clock_json(&state, &current);
        body["saved"] = serde_json::json!(done.saved);
        return Ok(Json(body).into_response());
    }
    let to = if submit {
        format!("/attempts/{attempt_id}")
    } else if review {
        format!("/attempts/{attempt_id}?review=1")
    } else {
        format!("/attempts/{attempt_id}?saved=1")
    };
    Ok(Redirect::to(&to).into_response())
}

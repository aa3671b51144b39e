//! The quiz form: a new quiz at the end of a module, or a quiz's settings changed.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{NaiveDateTime, TimeZone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::super::{
    bank::{self, BankQuestion},
    quiz::{self, QuizInput, RandomPick, Reveal, Review},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    courses::{access, authoring},
    entities::{courses, modules, quizzes},
    error::{AppError, AppResult, Code},
    state::AppState,
    time::wib,
    web::{
        errors::{FormErrors, user_error},
        extract::{Id, parse_id},
        page::{PageCtx, render, render_status},
    },
};

/// The quiz form's fields (times in WIB, as `datetime-local` gives them).
#[derive(Debug, Default, Clone)]
pub struct QuizForm {
    title: String,
    question_ids: Vec<String>,
    random_count: String,
    random_category: String,
    random_tag: String,
    random_shared: Option<String>,
    minutes: String,
    max_attempts: String,
    pass_percent: String,
    grading: String,
    shuffle: Option<String>,
    open_at: String,
    close_at: String,
    review_score: String,
    review_answers: String,
    review_feedback: String,
    pretest_id: String,
}

impl QuizForm {
    /// The form filled in with a quiz's settings (times in WIB).
    fn of(q: &quizzes::Model, question_ids: &[Uuid]) -> QuizForm {
        let review = quiz::review_of(q);
        let reveal = |r: Reveal| {
            match r {
                Reveal::Immediately => "immediately",
                Reveal::AfterClose => "after_close",
                Reveal::Never => "never",
            }
            .to_owned()
        };
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.with_timezone(&wib()).format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default()
        };
        let text = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        QuizForm {
            title: q.title.clone(),
            question_ids: question_ids.iter().map(Uuid::to_string).collect(),
            random_count: text(q.random_count),
            random_category: q.random_category.clone().unwrap_or_default(),
            random_tag: q.random_tag.clone().unwrap_or_default(),
            random_shared: q.random_shared.then(|| "1".to_owned()),
            // Whole minutes, rounded up.
            minutes: text(q.time_limit_seconds.map(|s| (s + 59) / 60)),
            max_attempts: text(q.max_attempts),
            pass_percent: q.pass_percent.to_string(),
            grading: q.grading.clone(),
            shuffle: q.shuffle_questions.then(|| "1".to_owned()),
            open_at: time(q.open_at),
            close_at: time(q.close_at),
            review_score: reveal(review.score),
            review_answers: reveal(review.answers),
            review_feedback: reveal(review.feedback),
            pretest_id: q.pair_quiz_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    fn chosen(&self, id: &Uuid) -> bool {
        self.question_ids.iter().any(|q| *q == id.to_string())
    }
}

impl QuizFormPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

fn number(v: &str, field: &'static str) -> AppResult<Option<i32>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(Code::InvalidQuiz, field))
}

fn wib_time(v: &str, field: &'static str) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::invalid(Code::InvalidQuiz, field))?;
    wib()
        .from_local_datetime(&local)
        .single()
        .map(|t| Some(t.with_timezone(&chrono::Utc)))
        .ok_or(AppError::invalid(Code::InvalidQuiz, field))
}

fn reveal(v: &str) -> Reveal {
    match v {
        "after_close" => Reveal::AfterClose,
        "never" => Reveal::Never,
        _ => Reveal::Immediately,
    }
}

impl QuizForm {
    fn input(&self) -> AppResult<QuizInput> {
        let mut ids = Vec::new();
        for q in &self.question_ids {
            ids.push(
                parse_id(q).map_err(|_| AppError::invalid(Code::InvalidQuiz, "question_ids"))?,
            );
        }
        let random = match number(&self.random_count, "random")? {
            Some(count) if count > 0 => Some(RandomPick {
                count,
                category: Some(self.random_category.trim().to_owned()).filter(|c| !c.is_empty()),
                tag: Some(self.random_tag.trim().to_owned()).filter(|t| !t.is_empty()),
                shared: self.random_shared.is_some(),
            }),
            _ => None,
        };
        Ok(QuizInput {
            title: self.title.clone(),
            question_ids: ids,
            random,
            time_limit_seconds: number(&self.minutes, "time_limit_seconds")?
                .map(|m| m.saturating_mul(60)),
            max_attempts: number(&self.max_attempts, "max_attempts")?,
            pass_percent: number(&self.pass_percent, "pass_percent")?,
            shuffle: Some(self.shuffle.is_some()),
            grading: Some(self.grading.clone()).filter(|g| !g.is_empty()),
            open_at: wib_time(&self.open_at, "open_at")?,
            close_at: wib_time(&self.close_at, "close_at")?,
            review: Some(Review {
                score: reveal(&self.review_score),
                answers: reveal(&self.review_answers),
                feedback: reveal(&self.review_feedback),
            }),
            pretest_id: match self.pretest_id.trim() {
                "" => None,
                v => Some(
                    parse_id(v).map_err(|_| AppError::invalid(Code::InvalidQuiz, "pretest_id"))?,
                ),
            },
        })
    }
}

#[derive(Template)]
#[template(path = "teach/quiz_form.html")]
struct QuizFormPage {
    page: PageCtx,
    course: courses::Model,
    module: modules::Model,
    items: Vec<BankQuestion>,
    /// The shared bank's questions.
    shared: Vec<BankQuestion>,
    categories: Vec<String>,
    tags: Vec<String>,
    pretests: Vec<quizzes::Model>,
    form: QuizForm,
    errors: FormErrors,
    /// The quiz being edited; none for a new one.
    editing: Option<quizzes::Model>,
}

/// Where the quiz form is: a new quiz at the end of a module, or a quiz being changed.
enum FormFor {
    New(Uuid),
    Edit(Box<quizzes::Model>),
}

async fn quiz_form_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    at: FormFor,
    form: QuizForm,
    error: Option<&AppError>,
) -> AppResult<QuizFormPage> {
    let (module_id, editing) = match at {
        FormFor::New(module) => (module, None),
        FormFor::Edit(q) => (
            authoring::lesson(state.db(), q.lesson_id).await?.module_id,
            Some(*q),
        ),
    };
    let module = authoring::module(state.db(), module_id).await?;
    let course = access::editable(state.db(), p, module.course_id)
        .await?
        .course;
    let items = bank::list(state.db(), Some(course.id)).await?;
    let shared = bank::list(state.db(), None).await?;
    let mut categories: Vec<String> = items
        .iter()
        .chain(&shared)
        .map(|b| b.question.category.clone())
        .collect();
    categories.sort();
    categories.dedup();
    let mut tags: Vec<String> = items
        .iter()
        .chain(&shared)
        .flat_map(|b| b.tags.clone())
        .collect();
    tags.sort();
    tags.dedup();
    let pretests = quizzes::Entity::find()
        .filter(quizzes::Column::CourseId.eq(course.id))
        .order_by_asc(quizzes::Column::CreatedAt)
        .all(state.db())
        .await?
        .into_iter()
        .filter(|q| editing.as_ref().is_none_or(|e| e.id != q.id))
        .collect();
    Ok(QuizFormPage {
        page: match &editing {
            Some(q) => PageCtx::titled(ctx, q.title.clone()),
            None => PageCtx::new(ctx, "quizteach.new_quiz"),
        },
        editing,
        errors: FormErrors::of(ctx, error).renamed(&[
            ("time_limit_seconds", "minutes"),
            ("random", "random_count"),
        ]),
        course,
        module,
        items,
        shared,
        categories,
        tags,
        pretests,
        form,
    })
}

/// `GET /teach/modules/{id}/quiz`: the form for a new quiz at the end of the module.
pub async fn new_quiz(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let form = QuizForm {
        pass_percent: "70".into(),
        grading: "highest".into(),
        shuffle: Some("1".into()),
        review_score: "immediately".into(),
        review_answers: "after_close".into(),
        review_feedback: "immediately".into(),
        ..Default::default()
    };
    render(&quiz_form_page(&state, &ctx, &p, FormFor::New(id), form, None).await?)
}

/// `POST /teach/modules/{id}/quiz`: makes the quiz (a lesson of the module) and opens it.
pub async fn create_quiz(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let module_id = id;
    let form = quiz_form_of(&form)?;
    let result = async { quiz::add_quiz(state.db(), &p, module_id, &form.input()?).await }.await;
    match result {
        Ok(q) => Ok(Redirect::to(&format!("/teach/quizzes/{}", q.id)).into_response()),
        Err(e) if user_error(&e) => render_status(
            e.status(),
            &quiz_form_page(&state, &ctx, &p, FormFor::New(module_id), form, Some(&e)).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `GET /teach/quizzes/{id}/edit`: the quiz's form, filled in with its settings.
pub async fn edit_quiz(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let q = quiz::get(state.db(), id).await?;
    access::editable(state.db(), &p, q.course_id).await?;
    let chosen = quiz::question_ids(state.db(), q.id).await?;
    let form = QuizForm::of(&q, &chosen);
    render(&quiz_form_page(&state, &ctx, &p, FormFor::Edit(Box::new(q)), form, None).await?)
}

/// `POST /teach/quizzes/{id}/edit`: saves the quiz's settings and goes back to it.
pub async fn update_quiz(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let current = quiz::get(state.db(), id).await?;
    access::editable(state.db(), &p, current.course_id).await?;
    let form = quiz_form_of(&form)?;
    let result =
        async { quiz::change_quiz(state.db(), &p, current.id, &form.input()?).await }.await;
    match result {
        Ok(q) => Ok(Redirect::to(&format!("/teach/quizzes/{}?saved=1", q.id)).into_response()),
        Err(e) if user_error(&e) => render_status(
            e.status(),
            &quiz_form_page(
                &state,
                &ctx,
                &p,
                FormFor::Edit(Box::new(current)),
                form,
                Some(&e),
            )
            .await?,
        ),
        Err(e) => Err(e),
    }
}

/// The quiz form from its fields (checkboxes repeat `question_ids`).
fn quiz_form_of(fields: &[(String, String)]) -> AppResult<QuizForm> {
    let mut form = QuizForm::default();
    for (k, v) in fields {
        let v = v.clone();
        match k.as_str() {
            "title" => form.title = v,
            "question_ids" => form.question_ids.push(v),
            "random_count" => form.random_count = v,
            "random_category" => form.random_category = v,
            "random_tag" => form.random_tag = v,
            "random_shared" => form.random_shared = Some(v),
            "minutes" => form.minutes = v,
            "max_attempts" => form.max_attempts = v,
            "pass_percent" => form.pass_percent = v,
            "grading" => form.grading = v,
            "shuffle" => form.shuffle = Some(v),
            "open_at" => form.open_at = v,
            "close_at" => form.close_at = v,
            "review_score" => form.review_score = v,
            "review_answers" => form.review_answers = v,
            "review_feedback" => form.review_feedback = v,
            "pretest_id" => form.pretest_id = v,
            _ => {}
        }
    }
    Ok(form)
}

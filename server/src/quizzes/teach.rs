//! The instructor's quiz pages: a course's question bank (import GIFT or Aiken from a file or
//! pasted text, export, correct a question and regrade it), a new quiz in a module, a quiz's
//! results (attempts, item analysis, pre/post gain, CSV) and the essay grading queue.

use askama::Template;
use axum::{
    extract::{Multipart, Path, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{NaiveDateTime, TimeZone};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    bank::{self, BankQuestion, Format},
    essays::{self, Pending},
    quiz::{self, QuizInput, RandomPick, Reveal, Review},
    regrade,
    results::{self, Gain, ItemStats, ResultRow},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::{self, CsrfForm},
    },
    courses::{
        access, authoring,
        teach::{form_error, user_error},
    },
    db::begin_write,
    entities::{attempts as attempt_rows, courses, modules, quizzes},
    error::{AppError, AppResult},
    state::AppState,
    time::{format_wib, wib},
    web::{
        errors::message,
        extract::{Params, parse_id},
        page::{PageCtx, render, render_status},
    },
};

fn error_text(ctx: &Ctx, e: &AppError) -> String {
    form_error(ctx, e).0
}

#[derive(Template)]
#[template(path = "teach/questions.html")]
struct BankPage {
    page: PageCtx,
    /// None: the shared bank.
    course: Option<courses::Model>,
    /// The bank page's address (the export adds `.gift`).
    base: String,
    /// Whether the caller may import here (the shared bank: admins only).
    can_import: bool,
    items: Vec<BankQuestion>,
    error: Option<String>,
    notice: Option<String>,
    text: String,
    format: String,
    waiting: usize,
}

/// Query of the bank page.
#[derive(Debug, Deserialize, Default)]
pub struct BankParams {
    #[serde(default)]
    imported: Option<usize>,
    #[serde(default)]
    regraded: Option<usize>,
    #[serde(default)]
    corrected: Option<String>,
}

/// Where a bank's page is: the course's, or `/teach/bank` for the shared one.
fn bank_base(course: Option<&courses::Model>) -> String {
    match course {
        Some(c) => format!("/teach/courses/{}/questions", c.id),
        None => "/teach/bank".to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn bank_page(
    state: &AppState,
    ctx: &Ctx,
    course: Option<courses::Model>,
    can_import: bool,
    error: Option<String>,
    notice: Option<String>,
    text: String,
    format: String,
) -> AppResult<BankPage> {
    let title = match &course {
        Some(c) => format!(
            "{} · {}",
            PageCtx::new(ctx, "quizteach.bank").title,
            c.title
        ),
        None => PageCtx::new(ctx, "quizteach.shared_bank").title,
    };
    let waiting = match &course {
        Some(c) => essays::queue(state.db(), c.id).await?.len(),
        None => 0,
    };
    Ok(BankPage {
        page: PageCtx::titled(ctx, title),
        items: bank::list(state.db(), course.as_ref().map(|c| c.id)).await?,
        base: bank_base(course.as_ref()),
        can_import,
        waiting,
        course,
        error,
        notice,
        text,
        format,
    })
}

/// `GET /teach/courses/{id}/questions`: the course's bank with the import form.
pub async fn questions(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    Params(q): Params<BankParams>,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    show_bank(&state, &ctx, Some(course), true, &q).await
}

/// `GET /teach/bank`: the shared bank (questions of no course, which every course's quizzes
/// may use); instructors read it, admins also import into it.
pub async fn shared_questions(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<BankParams>,
) -> AppResult<Response> {
    access::require_author(&p)?;
    show_bank(&state, &ctx, None, p.is_admin(), &q).await
}

async fn show_bank(
    state: &AppState,
    ctx: &Ctx,
    course: Option<courses::Model>,
    can_import: bool,
    q: &BankParams,
) -> AppResult<Response> {
    let t = PageCtx::new(ctx, "quizteach.bank").t;
    let notice = match (q.imported, &q.corrected, q.regraded) {
        (Some(n), _, _) => Some(t.fmt("quizteach.imported", "n", n)),
        (_, Some(_), Some(n)) => Some(t.fmt("quizteach.corrected_regraded", "n", n)),
        (_, Some(_), None) => Some(t.get("quizteach.corrected").to_owned()),
        _ => None,
    };
    render(
        &bank_page(
            state,
            ctx,
            course,
            can_import,
            None,
            notice,
            String::new(),
            "gift".into(),
        )
        .await?,
    )
}

/// `POST /teach/courses/{id}/questions` (multipart: `_csrf` first, then `format`, `text`
/// and/or `file`): imports a GIFT or Aiken file or pasted text; an error imports nothing
/// and shows the form again with the line and the reason.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    multipart: Multipart,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    import_into(&state, &ctx, &p, Some(course), multipart).await
}

/// `POST /teach/bank`: imports into the shared bank (admins), as [`import`] does.
pub async fn import_shared(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    multipart: Multipart,
) -> AppResult<Response> {
    p.require_admin()?;
    import_into(&state, &ctx, &p, None, multipart).await
}

async fn import_into(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    course: Option<courses::Model>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (mut verified, mut format, mut text, mut file) =
        (false, String::from("gift"), String::new(), String::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "_csrf" && !verified {
            return Err(AppError::Csrf);
        }
        // Over the route's body limit, or over the file limit: the form says so.
        let bytes = match field.bytes().await {
            Ok(b) => Some(b),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => None,
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        };
        let Some(bytes) = bytes.filter(|b| b.len() <= bank::MAX_FILE) else {
            let e = AppError::Invalid {
                code: "file_too_large",
                field: Some("file"),
                detail: Some("2 MiB".into()),
            };
            let page = bank_page(
                state,
                ctx,
                course,
                true,
                Some(error_text(ctx, &e)),
                None,
                String::new(),
                format,
            )
            .await?;
            return render_status(e.status(), &page);
        };
        let value = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "_csrf" => {
                csrf::verify(ctx, &value)?;
                verified = true;
            }
            "format" => format = value,
            "text" => text = value,
            "file" => file = value,
            _ => {}
        }
    }
    if !verified {
        return Err(AppError::Csrf);
    }
    let source = if file.trim().is_empty() { &text } else { &file };
    let result = match Format::parse(&format) {
        _ if source.trim().is_empty() => Err(AppError::invalid("question_file_empty", "text")),
        None => Err(AppError::invalid("invalid_question_file", "format")),
        Some(f) => {
            let txn = begin_write(state.db()).await?;
            match bank::import(&txn, course.as_ref().map(|c| c.id), p.user.id, f, source).await {
                Ok(n) => {
                    if let Some(c) = &course {
                        authoring::touch(&txn, c.id).await?;
                    }
                    txn.commit().await?;
                    Ok(n)
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(n) => Ok(
            Redirect::to(&format!("{}?imported={n}", bank_base(course.as_ref()))).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let keep = source.clone();
            let problem = Format::parse(&format)
                .filter(|_| e.code() == "invalid_question_file")
                .and_then(|f| bank::problem_text(ctx.lang, f, source));
            let text = match problem {
                Some(p) => message(ctx.lang, e.code(), Some(&p)),
                None => error_text(ctx, &e),
            };
            let page = bank_page(state, ctx, course, true, Some(text), None, keep, format).await?;
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

/// `GET /teach/bank.gift`: the shared bank as a GIFT file.
pub async fn export_shared(State(state): State<AppState>, Auth(p): Auth) -> AppResult<Response> {
    access::require_author(&p)?;
    let gift = bank::export_gift(state.db(), None).await?;
    Ok(super::api::gift_file(&bank::file_name(None), gift))
}

/// `GET /teach/courses/{id}/questions.gift`: the bank as a GIFT file.
pub async fn export(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    let gift = bank::export_gift(state.db(), Some(course.id)).await?;
    Ok(super::api::gift_file(&bank::file_name(Some(&course)), gift))
}

#[derive(Template)]
#[template(path = "teach/question.html")]
struct QuestionPage {
    page: PageCtx,
    /// None: a question of the shared bank.
    course: Option<courses::Model>,
    /// The bank page the question is in.
    base: String,
    question: crate::entities::questions::Model,
    text: String,
    error: Option<String>,
}

async fn editable_with_course(
    state: &AppState,
    p: &crate::auth::principal::Principal,
    id: &str,
) -> AppResult<(crate::entities::questions::Model, Option<courses::Model>)> {
    let q = regrade::editable_question(state.db(), p, parse_id(id)?).await?;
    let course = match q.course_id {
        Some(id) => Some(
            courses::Entity::find_by_id(id)
                .one(state.db())
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    Ok((q, course))
}

/// `GET /teach/questions/{id}`: the question as GIFT, to correct.
pub async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, &id).await?;
    let b = bank::list(state.db(), course.as_ref().map(|c| c.id))
        .await?
        .into_iter()
        .find(|b| b.question.id == question.id)
        .ok_or(AppError::NotFound)?;
    let data = super::attempts::data_of(&question)?;
    let mut one = bank::to_question(&b, &data);
    // The bank page shows the category; the correction keeps it unless the text sets one.
    one.category = None;
    let text = mahir_content::questions::gift::write(&[one])
        .trim_end()
        .to_owned();
    render(&QuestionPage {
        page: PageCtx::titled(&ctx, question.title.clone()),
        base: bank_base(course.as_ref()),
        course,
        question,
        text,
        error: None,
    })
}

/// The correction form.
#[derive(Debug, Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    regrade: Option<String>,
}

/// `POST /teach/questions/{id}`: corrects the question and, when asked, regrades it in every
/// finished attempt.
pub async fn correct(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CorrectForm>,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, &id).await?;
    let result = async {
        let parsed = regrade::parse_one(Format::Gift, &form.text)?;
        let one = &parsed;
        let txn = begin_write(state.db()).await?;
        let saved = regrade::correct(&txn, question.clone(), one).await?;
        let regraded = if form.regrade.is_some() {
            Some(regrade::regrade(&txn, &saved).await?)
        } else {
            None
        };
        if let Some(c) = &course {
            authoring::touch(&txn, c.id).await?;
        }
        txn.commit().await?;
        Ok(regraded)
    }
    .await;
    match result {
        Ok(regraded) => {
            let mut to = format!("{}?corrected=1", bank_base(course.as_ref()));
            if let Some(n) = regraded {
                to.push_str(&format!("&regraded={n}"));
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if user_error(&e) => render_status(
            e.status(),
            &QuestionPage {
                page: PageCtx::titled(&ctx, question.title.clone()),
                error: Some(
                    match (e.code() == "invalid_correction")
                        .then(|| regrade::problem_text(ctx.lang, Format::Gift, &form.text))
                        .flatten()
                    {
                        Some(p) => message(ctx.lang, e.code(), Some(&p)),
                        None => error_text(&ctx, &e),
                    },
                ),
                text: form.text,
                base: bank_base(course.as_ref()),
                course,
                question,
            },
        ),
        Err(e) => Err(e),
    }
}

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
        .map_err(|_| AppError::invalid("invalid_quiz", field))
}

fn wib_time(v: &str, field: &'static str) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::invalid("invalid_quiz", field))?;
    wib()
        .from_local_datetime(&local)
        .single()
        .map(|t| Some(t.with_timezone(&chrono::Utc)))
        .ok_or(AppError::invalid("invalid_quiz", field))
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
            ids.push(parse_id(q).map_err(|_| AppError::invalid("invalid_quiz", "question_ids"))?);
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
                v => {
                    Some(parse_id(v).map_err(|_| AppError::invalid("invalid_quiz", "pretest_id"))?)
                }
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
    error: Option<String>,
    error_field: String,
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
        error: error.map(|e| error_text(ctx, e)),
        error_field: match error {
            Some(AppError::Invalid { field: Some(f), .. }) => (*f).to_owned(),
            _ => String::new(),
        },
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
    Path(id): Path<String>,
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
    render(&quiz_form_page(&state, &ctx, &p, FormFor::New(parse_id(&id)?), form, None).await?)
}

/// `POST /teach/modules/{id}/quiz`: makes the quiz (a lesson of the module) and opens it.
pub async fn create_quiz(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let module_id = parse_id(&id)?;
    let form = quiz_form_of(&form)?;
    let result = async { super::add_quiz(&state, &p, module_id, &form.input()?).await }.await;
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
    Path(id): Path<String>,
) -> AppResult<Response> {
    let q = quiz::get(state.db(), parse_id(&id)?).await?;
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
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let current = quiz::get(state.db(), parse_id(&id)?).await?;
    access::editable(state.db(), &p, current.course_id).await?;
    let form = quiz_form_of(&form)?;
    let result = async { super::change_quiz(&state, &p, current.id, &form.input()?).await }.await;
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
}

/// `?saved=1` after the settings were changed.
#[derive(Debug, Deserialize)]
pub struct SavedParams {
    #[serde(default)]
    saved: Option<String>,
}

impl QuizPage {
    fn percent(&self, a: &attempt_rows::Model) -> String {
        match a.score {
            Some(s) if a.max_score > 0.0 => format!("{:.0}%", s * 100.0 / a.max_score),
            _ => "—".into(),
        }
    }

    fn when(&self, a: &attempt_rows::Model) -> String {
        a.finished_at.map(format_wib).unwrap_or_default()
    }

    fn pct(&self, x: Option<f64>) -> String {
        x.map_or("—".into(), |v| format!("{v:.0}"))
    }

    fn num(&self, x: &f64) -> String {
        format!("{x:.0}")
    }

    fn ratio(&self, x: Option<f64>) -> String {
        x.map_or("—".into(), |v| format!("{v:.2}"))
    }

    fn share(&self, x: &f64) -> String {
        format!("{:.0}%", x * 100.0)
    }

    fn corr(&self, x: &Option<f64>) -> String {
        x.map_or("—".into(), |v| format!("{v:.2}"))
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
    Path(id): Path<String>,
    Params(q): Params<SavedParams>,
) -> AppResult<Response> {
    let quiz = quiz::get(state.db(), parse_id(&id)?).await?;
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
        questions,
        course,
        quiz,
    })
}

/// `GET /teach/quizzes/{id}/results.csv`
pub async fn results_csv(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let quiz = quiz::get(state.db(), parse_id(&id)?).await?;
    access::editable(state.db(), &p, quiz.course_id).await?;
    let rows = results::attempts_of(state.db(), &quiz).await?;
    Ok(results::csv_download(&quiz, &rows))
}

#[derive(Template)]
#[template(path = "teach/grading.html")]
struct GradingPage {
    page: PageCtx,
    course: courses::Model,
    pending: Vec<Pending>,
    error: Option<String>,
    notice: Option<String>,
}

/// Query of the grading page.
#[derive(Debug, Deserialize, Default)]
pub struct GradingParams {
    #[serde(default)]
    graded: Option<String>,
}

async fn grading_page(
    state: &AppState,
    ctx: &Ctx,
    course: courses::Model,
    error: Option<String>,
    notice: Option<String>,
) -> AppResult<GradingPage> {
    Ok(GradingPage {
        page: PageCtx::new(ctx, "quizteach.grading"),
        pending: essays::queue(state.db(), course.id).await?,
        course,
        error,
        notice,
    })
}

/// `GET /teach/courses/{id}/grading`: essays waiting for a mark.
pub async fn grading(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    Params(q): Params<GradingParams>,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    let notice = q.graded.map(|_| {
        PageCtx::new(&ctx, "quizteach.grading")
            .t
            .get("quizteach.graded")
            .to_owned()
    });
    render(&grading_page(&state, &ctx, course, None, notice).await?)
}

/// The hand-grade form: marks out of the question's mark, and a comment.
#[derive(Debug, Deserialize)]
pub struct GradeForm {
    #[serde(default)]
    marks: String,
    #[serde(default)]
    comment: String,
}

/// `POST /teach/attempts/{id}/answers/{question_id}/grade`
pub async fn grade(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path((id, question_id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<GradeForm>,
) -> AppResult<Response> {
    let attempt = attempt_rows::Entity::find_by_id(parse_id(&id)?)
        .one(state.db())
        .await?
        .ok_or(AppError::NotFound)?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let course = access::editable(state.db(), &p, quiz.course_id)
        .await?
        .course;
    let question_id = parse_id(&question_id)?;
    let question = crate::entities::questions::Entity::find_by_id(question_id)
        .one(state.db())
        .await?
        .ok_or(AppError::NotFound)?;
    let result = async {
        let refuse = || AppError::Invalid {
            code: "invalid_marks",
            field: Some("marks"),
            detail: Some(question.mark.to_string()),
        };
        let marks: f64 = form
            .marks
            .trim()
            .replace(',', ".")
            .parse()
            .map_err(|_| refuse())?;
        if question.mark <= 0.0 || !(0.0..=question.mark).contains(&marks) {
            return Err(refuse());
        }
        let comment = Some(form.comment.trim().to_owned()).filter(|c| !c.is_empty());
        let txn = begin_write(state.db()).await?;
        essays::grade(
            &txn,
            p.user.id,
            attempt,
            question_id,
            marks / question.mark,
            comment,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/teach/courses/{}/grading?graded=1", course.id)).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let text = error_text(&ctx, &e);
            render_status(
                e.status(),
                &grading_page(&state, &ctx, course, Some(text), None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

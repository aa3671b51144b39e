//! The question editor's pages: a new question of any kind in a course's bank or the shared
//! one, and changing a question through the same form (its page, in `question`). The form
//! becomes a [`Draft`], the draft a question written as GIFT, and that text goes the one
//! way every question goes: `bank::import` for a new one, `regrade::correct_question` for
//! a change. "Preview" and "More rows" show the form again and store nothing.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    super::{
        bank::{self, Format},
        model::QuestionKind,
        regrade,
    },
    bank::bank_base,
    draft::{Draft, has_rows},
    question::{QuestionPage, editable_with_course},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
        principal::Principal,
    },
    courses::access,
    entities::courses,
    error::AppResult,
    state::AppState,
    web::{
        errors::{FormErrors, user_error},
        extract::{Id, Params},
        page::{PageCtx, render, render_status},
    },
};

/// What the editor shows besides the draft: whether it is a preview, its errors.
pub struct Editor {
    /// The question as typed.
    pub draft: Draft,
    /// Every refusal, each on its field.
    pub errors: FormErrors,
    /// The text rendered as the learner will see it, after "Preview".
    pub preview: Option<String>,
    /// Where the form posts.
    pub action: String,
    /// Whether the kind has option, answer or pair rows.
    pub rows: bool,
    /// Whether the question exists (its change may regrade finished attempts).
    pub existing: bool,
}

impl Editor {
    /// The editor for `draft`, posting to `action`.
    pub fn new(draft: Draft, action: String) -> Editor {
        Editor {
            rows: has_rows(draft.kind),
            draft,
            errors: FormErrors::default(),
            preview: None,
            existing: action.ends_with("/form"),
            action,
        }
    }

    /// The kind's name, as stored and in the `kind` field.
    pub fn kind(&self) -> &'static str {
        self.draft.kind.as_str()
    }

    /// Whether the question is of a kind with options weighted per row.
    pub fn choice(&self) -> bool {
        matches!(
            self.draft.kind,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }

    /// 200 for a preview or more rows, 422 when the form was refused.
    fn status(&self) -> axum::http::StatusCode {
        if self.errors.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Whether the kind is `name`.
    pub fn is(&self, name: &str) -> bool {
        self.kind() == name
    }
}

#[derive(Template)]
#[template(path = "teach/question_new.html")]
struct NewPage {
    page: PageCtx,
    /// None: the shared bank.
    course: Option<courses::Model>,
    base: String,
    editor: Editor,
}

/// The kinds a new question may be, in the order the bank page offers them.
pub const KINDS: [QuestionKind; 7] = [
    QuestionKind::SingleChoice,
    QuestionKind::MultipleChoice,
    QuestionKind::TrueFalse,
    QuestionKind::ShortAnswer,
    QuestionKind::Numerical,
    QuestionKind::Matching,
    QuestionKind::Essay,
];

/// Query of the new-question page.
#[derive(Debug, Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    kind: Option<String>,
}

fn kind_of(raw: Option<&str>) -> QuestionKind {
    raw.and_then(QuestionKind::parse)
        .unwrap_or(QuestionKind::SingleChoice)
}

async fn bank_of(
    state: &AppState,
    p: &Principal,
    course: Option<Uuid>,
) -> AppResult<Option<courses::Model>> {
    match course {
        Some(id) => Ok(Some(access::editable(state.db(), p, id).await?.course)),
        None => {
            p.require_admin()?;
            Ok(None)
        }
    }
}

fn new_page(ctx: &Ctx, course: Option<courses::Model>, editor: Editor) -> NewPage {
    let base = bank_base(course.as_ref());
    NewPage {
        page: PageCtx::new(ctx, "editor.new_title"),
        course,
        base,
        editor,
    }
}

async fn show_new(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    course: Option<Uuid>,
    q: &NewParams,
) -> AppResult<Response> {
    let course = bank_of(state, p, course).await?;
    let action = format!("{}/new", bank_base(course.as_ref()));
    let editor = Editor::new(Draft::blank(kind_of(q.kind.as_deref())), action);
    render(&new_page(ctx, course, editor))
}

/// `GET /teach/courses/{id}/questions/new?kind=`: the form for a new question of a kind.
pub async fn new_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<NewParams>,
) -> AppResult<Response> {
    show_new(&state, &ctx, &p, Some(id), &q).await
}

/// `GET /teach/bank/new?kind=`: the same for the shared bank (admins).
pub async fn new_shared(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<NewParams>,
) -> AppResult<Response> {
    show_new(&state, &ctx, &p, None, &q).await
}

/// What the submit button asked for.
enum Step {
    Save,
    Preview,
    MoreRows,
}

fn step_of(fields: &HashMap<String, String>) -> Step {
    match fields.get("step").map(String::as_str) {
        Some("preview") => Step::Preview,
        Some("more") => Step::MoreRows,
        _ => Step::Save,
    }
}

/// Handles "Preview" and "More rows" (shown again, nothing stored); for "Save", the question
/// as GIFT, or the editor showing every refusal.
fn submitted(
    ctx: &Ctx,
    kind: QuestionKind,
    fields: &HashMap<String, String>,
    action: String,
) -> Result<String, Box<Editor>> {
    let mut editor = Editor::new(Draft::read(kind, fields), action);
    let t = PageCtx::new(ctx, "editor.new_title").t;
    match step_of(fields) {
        Step::Preview => {
            editor.preview = Some(mahir_content::markdown::paragraph_html(&editor.draft.text));
            Err(Box::new(editor))
        }
        Step::MoreRows => {
            editor.draft.add_rows();
            Err(Box::new(editor))
        }
        Step::Save => match editor.draft.question(&t) {
            Ok(question) => Ok(mahir_content::questions::gift::write(&[question])),
            Err(errors) => {
                editor.errors = errors;
                Err(Box::new(editor))
            }
        },
    }
}

async fn create_in(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    course: Option<Uuid>,
    fields: HashMap<String, String>,
) -> AppResult<Response> {
    let course = bank_of(state, p, course).await?;
    let base = bank_base(course.as_ref());
    let kind = kind_of(fields.get("kind").map(String::as_str));
    let gift = match submitted(ctx, kind, &fields, format!("{base}/new")) {
        Ok(gift) => gift,
        Err(editor) => return render_status(editor.status(), &new_page(ctx, course, *editor)),
    };
    match bank::import(
        state.db(),
        p,
        course.as_ref().map(|c| c.id),
        Format::Gift,
        gift,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{base}?added=1")).into_response()),
        Err(e) if user_error(&e) => {
            let mut editor = Editor::new(Draft::read(kind, &fields), format!("{base}/new"));
            editor.errors = FormErrors::of(ctx, Some(&e));
            render_status(e.status(), &new_page(ctx, course, editor))
        }
        Err(e) => Err(e),
    }
}

/// `POST /teach/courses/{id}/questions/new`: adds the question to the course's bank.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    create_in(&state, &ctx, &p, Some(id), fields).await
}

/// `POST /teach/bank/new`: adds the question to the shared bank (admins).
pub async fn create_shared(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    create_in(&state, &ctx, &p, None, fields).await
}

/// `POST /teach/questions/{id}/form`: changes the question through the editor (its kind
/// stays) and, when asked, regrades it in every finished attempt.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, id).await?;
    let kind = question.kind;
    let action = format!("/teach/questions/{id}/form");
    let and_regrade = fields.contains_key("regrade");
    let shown = |editor: Editor| {
        QuestionPage::new(
            &state,
            &ctx,
            question.clone(),
            course.clone(),
            Some(editor),
            None,
        )
    };
    let gift = match submitted(&ctx, kind, &fields, action.clone()) {
        Ok(gift) => gift,
        Err(editor) => return render_status(editor.status(), &shown(*editor).await?),
    };
    match regrade::correct_question(
        state.db(),
        state.clock().now(),
        &p,
        id,
        Format::Gift,
        gift,
        and_regrade,
    )
    .await
    {
        Ok((_, regraded)) => Ok(Redirect::to(&super::question::corrected_url(
            course.as_ref(),
            regraded,
        ))
        .into_response()),
        Err(e) if user_error(&e) => {
            let mut editor = Editor::new(Draft::read(kind, &fields), action);
            editor.errors = FormErrors::of(&ctx, Some(&e));
            render_status(e.status(), &shown(editor).await?)
        }
        Err(e) => Err(e),
    }
}

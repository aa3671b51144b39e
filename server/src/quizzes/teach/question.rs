//! A question's page: changing it through the editor (see `editor`) or as GIFT text, and
//! regrading it in every finished attempt.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::EntityTrait;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    super::{
        bank::{self, Format},
        regrade,
    },
    bank::bank_base,
    draft::Draft,
    editor::Editor,
    error_text,
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    entities::courses,
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::{message, user_error},
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "teach/question.html")]
pub(super) struct QuestionPage {
    page: PageCtx,
    /// None: a question of the shared bank.
    course: Option<courses::Model>,
    /// The bank page the question is in.
    base: String,
    question: crate::entities::questions::Model,
    /// The form-based editor.
    editor: Editor,
    /// The question as GIFT, to correct as text.
    text: String,
    /// Why the GIFT correction was refused.
    error: Option<String>,
}

impl QuestionPage {
    /// The page of `question`: the editor (`None`: the stored question) and the GIFT form
    /// (`None`: the stored question as GIFT, else what was typed and why it was refused).
    pub(super) async fn new(
        state: &AppState,
        ctx: &Ctx,
        question: crate::entities::questions::Model,
        course: Option<courses::Model>,
        editor: Option<Editor>,
        gift: Option<(String, String)>,
    ) -> AppResult<QuestionPage> {
        let stored = stored(state, &question, course.as_ref()).await?;
        let editor = editor.unwrap_or_else(|| {
            Editor::new(
                Draft::of(&stored, question.kind),
                format!("/teach/questions/{}/form", question.id),
            )
        });
        let (text, error) = match gift {
            Some((text, error)) => (text, Some(error)),
            None => {
                // The bank page shows the category; the correction keeps it unless the
                // text sets one.
                let one = mahir_content::questions::Question {
                    category: None,
                    ..stored
                };
                let text = mahir_content::questions::gift::write(&[one])
                    .trim_end()
                    .to_owned();
                (text, None)
            }
        };
        Ok(QuestionPage {
            page: PageCtx::titled(ctx, question.title.clone()),
            base: bank_base(course.as_ref()),
            course,
            question,
            editor,
            text,
            error,
        })
    }
}

pub(super) async fn editable_with_course(
    state: &AppState,
    p: &crate::auth::principal::Principal,
    id: Uuid,
) -> AppResult<(crate::entities::questions::Model, Option<courses::Model>)> {
    let q = regrade::editable_question(state.db(), p, id).await?;
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

/// The stored question as a file's question (category, tags and competencies included).
async fn stored(
    state: &AppState,
    question: &crate::entities::questions::Model,
    course: Option<&courses::Model>,
) -> AppResult<mahir_content::questions::Question> {
    let b = bank::list(state.db(), course.map(|c| c.id))
        .await?
        .into_iter()
        .find(|b| b.question.id == question.id)
        .ok_or(AppError::NotFound)?;
    let data = super::super::attempts::data_of(question)?;
    Ok(bank::to_question(&b, &data))
}

/// Where a saved correction leads: the bank, saying so (and how many attempts changed).
pub(super) fn corrected_url(course: Option<&courses::Model>, regraded: Option<usize>) -> String {
    let mut to = format!("{}?corrected=1", bank_base(course));
    if let Some(n) = regraded {
        to.push_str(&format!("&regraded={n}"));
    }
    to
}

/// `GET /teach/questions/{id}`: the question in the editor and as GIFT, to change.
pub async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, id).await?;
    render(&QuestionPage::new(&state, &ctx, question, course, None, None).await?)
}

/// The correction form.
#[derive(Debug, Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    regrade: Option<String>,
}

/// `POST /teach/questions/{id}`: corrects the question from GIFT text and, when asked,
/// regrades it in every finished attempt.
pub async fn correct(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<CorrectForm>,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, id).await?;
    let result = regrade::correct_question(
        state.db(),
        state.clock().now(),
        &p,
        id,
        Format::Gift,
        form.text.clone(),
        form.regrade.is_some(),
    )
    .await;
    match result {
        Ok((_, regraded)) => {
            Ok(Redirect::to(&corrected_url(course.as_ref(), regraded)).into_response())
        }
        Err(e) if user_error(&e) => {
            let reason = match (e.code() == Code::InvalidCorrection)
                .then(|| super::problems::correction_problem(ctx.lang, Format::Gift, &form.text))
                .flatten()
            {
                Some(p) => message(ctx.lang, e.code(), Some(&p)),
                None => error_text(&ctx, &e),
            };
            let page = QuestionPage::new(
                &state,
                &ctx,
                question,
                course,
                None,
                Some((form.text, reason)),
            )
            .await?;
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

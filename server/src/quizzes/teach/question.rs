//! Correcting one question (written as GIFT) and regrading it in every finished attempt.

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

/// `GET /teach/questions/{id}`: the question as GIFT, to correct.
pub async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let (question, course) = editable_with_course(&state, &p, id).await?;
    let b = bank::list(state.db(), course.as_ref().map(|c| c.id))
        .await?
        .into_iter()
        .find(|b| b.question.id == question.id)
        .ok_or(AppError::NotFound)?;
    let data = super::super::attempts::data_of(&question)?;
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
                    match (e.code() == Code::InvalidCorrection)
                        .then(|| {
                            super::problems::correction_problem(ctx.lang, Format::Gift, &form.text)
                        })
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

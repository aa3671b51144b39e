//! A question bank's pages: the course's bank and the shared one, importing a GIFT or
//! Aiken file or pasted text, and the GIFT export.

use askama::Template;
use axum::{
    extract::{Multipart, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    super::{
        bank::{self, BankQuestion, Format},
        essays::{self},
    },
    error_text,
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfMultipart,
    },
    courses::access,
    entities::courses,
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::{message, user_error},
        extract::{Id, Params},
        page::{PageCtx, render, render_status},
    },
};

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
    /// The kinds a new question may be.
    kinds: [super::super::model::QuestionKind; 7],
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
    #[serde(default)]
    added: Option<String>,
}

/// Where a bank's page is: the course's, or `/teach/bank` for the shared one.
pub(super) fn bank_base(course: Option<&courses::Model>) -> String {
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
        kinds: super::editor::KINDS,
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
    Id(id): Id,
    Params(q): Params<BankParams>,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, id).await?.course;
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
        _ if q.added.is_some() => Some(t.get("editor.added").to_owned()),
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
/// and/or `file`; see [`CsrfMultipart`]): imports a GIFT or Aiken file or pasted text; an error imports nothing
/// and shows the form again with the line and the reason.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfMultipart(multipart): CsrfMultipart,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, id).await?.course;
    import_into(&state, &ctx, &p, Some(course), multipart).await
}

/// `POST /teach/bank`: imports into the shared bank (admins), as [`import`] does.
pub async fn import_shared(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfMultipart(multipart): CsrfMultipart,
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
    let (mut format, mut text, mut file) = (String::from("gift"), String::new(), String::new());
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        // Over the route's body limit, or over the file limit: the form says so.
        let bytes = match field.bytes().await {
            Ok(b) => Some(b),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => None,
            Err(e) => return Err(AppError::BadRequest(e.body_text())),
        };
        let Some(bytes) = bytes.filter(|b| b.len() <= bank::MAX_FILE) else {
            let e = AppError::Invalid {
                code: Code::FileTooLarge,
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
            "format" => format = value,
            "text" => text = value,
            "file" => file = value,
            _ => {}
        }
    }
    let source = if file.trim().is_empty() { &text } else { &file };
    let result = match Format::parse(&format) {
        None => Err(AppError::invalid(Code::InvalidQuestionFile, "format")),
        Some(f) => {
            bank::import(
                state.db(),
                p,
                course.as_ref().map(|c| c.id),
                f,
                source.clone(),
            )
            .await
        }
    };
    match result {
        Ok(n) => Ok(
            Redirect::to(&format!("{}?imported={n}", bank_base(course.as_ref()))).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let keep = source.clone();
            let problem = Format::parse(&format)
                .filter(|_| e.code() == Code::InvalidQuestionFile)
                .and_then(|f| super::problems::file_problem(ctx.lang, f, source));
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
    Ok(crate::web::download::gift(&bank::file_name(None), gift))
}

/// `GET /teach/courses/{id}/questions.gift`: the bank as a GIFT file.
pub async fn export(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let course = access::editable(state.db(), &p, id).await?.course;
    let gift = bank::export_gift(state.db(), Some(course.id)).await?;
    Ok(crate::web::download::gift(
        &bank::file_name(Some(&course)),
        gift,
    ))
}

//! The CSV import page of employees.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::super::import::{self, ImportOutcome};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfMultipart,
    },
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::message,
        page::{PageCtx, render, render_status},
    },
};

// ----- import -----

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    page: PageCtx,
    columns: &'static [&'static str],
    errors: Vec<ImportProblem>,
    imported: Option<usize>,
}

/// A problem of the file, worded for the reader.
struct ImportProblem {
    line: usize,
    message: String,
}

/// `GET /admin/import/template.csv`: the header and an example row, for a spreadsheet.
pub async fn import_template(Auth(p): Auth) -> AppResult<Response> {
    p.org_scope()?;
    Ok(crate::web::download::csv(
        "template-impor-pegawai.csv",
        import::template(),
    ))
}

/// `GET /admin/import`
pub async fn import_form(ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    p.org_scope()?;
    render(&ImportPage {
        page: PageCtx::new(&ctx, "org.import_title"),
        columns: &import::COLUMNS,
        errors: Vec::new(),
        imported: None,
    })
}

/// Largest CSV accepted by the upload page.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// `POST /admin/import` (multipart: `_csrf` first, then `file`; see [`CsrfMultipart`])
pub async fn import_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        if field.name() == Some("file") {
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| AppError::BadRequest(e.body_text()))?
            {
                if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Err(AppError::Invalid {
                        code: Code::FileTooLarge,
                        field: Some("file"),
                        detail: Some(format!("{} MiB", MAX_UPLOAD_BYTES / 1024 / 1024)),
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    let page = |errors, imported| ImportPage {
        page: PageCtx::new(&ctx, "org.import_title"),
        columns: &import::COLUMNS,
        errors,
        imported,
    };
    match import::import_csv(state.db(), state.clock().today_wib(), &scope, &bytes).await? {
        ImportOutcome::Imported(n) => {
            tracing::info!(rows = n, "employees imported");
            render(&page(Vec::new(), Some(n)))
        }
        ImportOutcome::Rejected(errors) => {
            let errors = errors
                .into_iter()
                .map(|e| ImportProblem {
                    line: e.line,
                    message: message(ctx.lang, e.problem.code, e.problem.detail.as_deref()),
                })
                .collect();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(errors, None))
        }
    }
}

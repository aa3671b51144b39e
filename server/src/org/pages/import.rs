//! The CSV import page of employees.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::super::import;
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfMultipart,
    },
    error::AppResult,
    state::AppState,
    web::{
        import::{ImportResult, upload},
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    page: PageCtx,
    columns: &'static [&'static str],
    result: ImportResult,
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
        result: ImportResult::default(),
    })
}

/// `POST /admin/import` (multipart: `_csrf` first, then `file`; see [`CsrfMultipart`])
pub async fn import_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let today = state.clock().today_wib();
    let result = upload(ctx.lang, &mut multipart, "employees", async |bytes| {
        import::import_csv(state.db(), today, &scope, &bytes).await
    })
    .await?;
    let status = if result.refused() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &ImportPage {
            page: PageCtx::new(&ctx, "org.import_title"),
            columns: &import::COLUMNS,
            result,
        },
    )
}

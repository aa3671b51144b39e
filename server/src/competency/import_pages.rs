//! The dictionary's and the position requirements' CSV files (admins): one page to
//! import either, their templates, and the exports.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::{dictionary, dictionary_csv, requirements_csv};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfMultipart,
    },
    error::AppResult,
    state::AppState,
    web::{
        download,
        import::{ImportResult, upload},
        page::{PageCtx, render_status},
    },
};

#[derive(Template)]
#[template(path = "competency/import.html")]
struct ImportPage {
    page: PageCtx,
    dictionary_columns: Vec<String>,
    requirement_columns: &'static [&'static str],
    /// The outcome of a dictionary upload just made.
    dictionary: Option<ImportResult>,
    /// The outcome of a requirements upload just made.
    requirements: Option<ImportResult>,
}

fn import_page(
    ctx: &Ctx,
    dictionary: Option<ImportResult>,
    requirements: Option<ImportResult>,
) -> AppResult<Response> {
    let refused = dictionary.as_ref().is_some_and(ImportResult::refused)
        || requirements.as_ref().is_some_and(ImportResult::refused);
    render_status(
        if refused {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &ImportPage {
            page: PageCtx::new(ctx, "dictionary.import_title"),
            dictionary_columns: dictionary_csv::columns(),
            requirement_columns: &requirements_csv::COLUMNS,
            dictionary,
            requirements,
        },
    )
}

/// `GET /admin/competencies/import`
pub async fn form(ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    p.require_admin()?;
    import_page(&ctx, None, None)
}

/// `POST /admin/competencies/import` (multipart: `_csrf`, then `file`)
pub async fn import_dictionary(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> AppResult<Response> {
    p.require_admin()?;
    let result = upload(ctx.lang, &mut multipart, "competencies", async |bytes| {
        dictionary_csv::import(state.db(), &p, &bytes).await
    })
    .await?;
    import_page(&ctx, Some(result), None)
}

/// `POST /admin/competencies/requirements/import` (multipart: `_csrf`, then `file`)
pub async fn import_requirements(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> AppResult<Response> {
    p.require_admin()?;
    let result = upload(
        ctx.lang,
        &mut multipart,
        "position requirements",
        async |bytes| requirements_csv::import(state.db(), &p, &bytes).await,
    )
    .await?;
    import_page(&ctx, None, Some(result))
}

/// `GET /admin/competencies/template.csv`
pub async fn dictionary_template(Auth(p): Auth) -> AppResult<Response> {
    p.require_admin()?;
    Ok(download::csv(
        "template-kamus-kompetensi.csv",
        dictionary_csv::template(),
    ))
}

/// `GET /admin/competencies/export.csv`: the whole dictionary, retired ones marked.
pub async fn dictionary_export(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Response> {
    p.require_admin()?;
    let items = dictionary::list(state.db(), true).await?;
    Ok(download::csv(
        "kamus-kompetensi.csv",
        dictionary_csv::export(&items),
    ))
}

/// `GET /admin/competencies/requirements/template.csv`
pub async fn requirements_template(Auth(p): Auth) -> AppResult<Response> {
    p.require_admin()?;
    Ok(download::csv(
        "template-persyaratan-jabatan.csv",
        requirements_csv::template(),
    ))
}

/// `GET /admin/competencies/requirements.csv`: every position's requirements.
pub async fn requirements_export(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Response> {
    Ok(download::csv(
        "persyaratan-jabatan.csv",
        requirements_csv::export(state.db(), &p).await?,
    ))
}

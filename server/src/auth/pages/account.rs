//! The account page: password, and the language (also for guests).

use std::net::SocketAddr;

use askama::Template;
use axum::{
    extract::{ConnectInfo, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use super::super::{
    context::{Auth, Ctx, keys},
    csrf::CsrfForm,
    service,
};
use crate::{
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        extract::Params,
        i18n::Lang,
        page::{PageCtx, render, render_status},
    },
};

use super::{safe_next, session_err};

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// `POST /language`: remembered on the account, or in the session for a guest.
pub async fn switch_language(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::parse(&form.lang).ok_or(AppError::invalid(Code::InvalidLanguage, "lang"))?;
    match &ctx.principal {
        Some(p) => {
            service::set_language(state.db(), p.user.id, lang).await?;
        }
        None => session
            .insert(keys::LANG, lang.code())
            .await
            .map_err(session_err)?,
    }
    Ok(Redirect::to(&safe_next(form.next.as_deref())).into_response())
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageCtx,
    username: String,
    display_name: String,
    email: String,
    roles: Vec<String>,
    /// Their place in the organisation: NIP, unit, position, grade.
    employee: Option<crate::org::employees::EmployeeView>,
    errors: crate::web::errors::FormErrors,
    saved: bool,
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    auth: &Auth,
    error: Option<&AppError>,
    saved: bool,
) -> AppResult<AccountPage> {
    let p = &auth.0;
    let t = crate::web::i18n::Tr { lang: ctx.lang };
    Ok(AccountPage {
        employee: crate::org::employees::of_user(state.db(), p.user.id).await?,
        page: PageCtx::new(ctx, "account.title"),
        username: p.user.username.clone(),
        display_name: p.user.display_name.clone(),
        email: p.user.email.clone().unwrap_or_default(),
        roles: p
            .roles()
            .into_iter()
            .map(|r| t.of("role", r.as_str()))
            .collect(),
        errors: crate::web::errors::FormErrors::of(ctx, error),
        saved,
    })
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /account`
pub async fn account(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    render(&account_page(&state, &ctx, &auth, None, q.saved.is_some()).await?)
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /account/password`: on success every other session of the user ends.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    session: Session,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> AppResult<Response> {
    let result = if form.new_password != form.confirm_password {
        Err(AppError::invalid(
            Code::PasswordMismatch,
            "confirm_password",
        ))
    } else {
        service::change_password(
            state.db(),
            state.clock().now(),
            &auth.0.user,
            &form.current_password,
            &form.new_password,
            &addr.ip().to_string(),
        )
        .await
    };
    match result {
        Ok(()) => {
            // This browser stays logged in under a fresh session id.
            session.cycle_id().await.map_err(session_err)?;
            session.save().await.map_err(session_err)?;
            Ok(Redirect::to("/account?saved=1").into_response())
        }
        Err(e @ AppError::Invalid { .. }) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &account_page(&state, &ctx, &auth, Some(&e), false).await?,
        ),
        Err(e) => Err(e),
    }
}

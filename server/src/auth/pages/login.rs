//! Logging in and out, and the one-time unlock link of a locked account.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    extract::{ConnectInfo, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use super::super::{
    context::{Ctx, keys},
    csrf::{CsrfForm, new_token},
    service,
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::message,
        extract::Params,
        i18n::Lang,
        page::{PageCtx, render, render_status},
    },
};

use super::{safe_next, session_err};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageCtx,
    username: String,
    next: String,
    error: Option<String>,
    /// The account is locked for this address: offer the unlock link.
    locked: bool,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`
pub async fn login_form(ctx: Ctx, Params(q): Params<NextQuery>) -> AppResult<Response> {
    if ctx.principal.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    render(&LoginPage {
        page: PageCtx::new(&ctx, "login.title"),
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        locked: false,
        notice: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /login`
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    session: Session,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let result = service::authenticate(
        state.db(),
        state.clock().now(),
        &form.username,
        &form.password,
        &addr.ip().to_string(),
    )
    .await;
    let user = match result {
        Ok(u) => u,
        Err(
            e @ (AppError::InvalidCredentials
            | AppError::TooManyRequests { .. }
            | AppError::AccountLocked { .. }),
        ) => {
            let mut res = render_status(
                e.status(),
                &LoginPage {
                    page: PageCtx::new(&ctx, "login.title"),
                    username: form.username.chars().take(64).collect(),
                    next: safe_next(form.next.as_deref()),
                    error: Some(message(ctx.lang, e.code(), None)),
                    locked: matches!(e, AppError::AccountLocked { .. }),
                    notice: None,
                },
            )?;
            if let AppError::TooManyRequests { retry_after }
            | AppError::AccountLocked { retry_after } = e
            {
                res.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after.into());
            }
            return Ok(res);
        }
        Err(e) => return Err(e),
    };
    // A new id at login: a session id planted before login is worthless afterwards.
    session.cycle_id().await.map_err(session_err)?;
    let now = state.clock().now().timestamp();
    session
        .insert(keys::USER, user.id)
        .await
        .map_err(session_err)?;
    session
        .insert(keys::LOGIN_AT, now)
        .await
        .map_err(session_err)?;
    session.insert(keys::SEEN, now).await.map_err(session_err)?;
    session
        .insert(keys::CSRF, new_token())
        .await
        .map_err(session_err)?;
    session
        .remove::<String>(keys::LANG)
        .await
        .map_err(session_err)?;
    tracing::info!(user_id = %user.id, "login");
    Ok(Redirect::to(&safe_next(form.next.as_deref())).into_response())
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage {
    page: PageCtx,
    /// The link being confirmed; none once a link was asked for.
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct UnlockRequest {
    #[serde(default)]
    username: String,
}

/// `POST /login/unlock`: sends a one-time login link to the account's e-mail address (in
/// the background, so the answer takes as long whether or not the account exists).
pub async fn unlock_request(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<UnlockRequest>,
) -> AppResult<Response> {
    let name = form.username.trim().to_lowercase();
    if !name.is_empty()
        && name.len() <= 64
        && let Some(link) =
            crate::auth::unlock::request(state.db(), state.clock().now(), &name).await?
    {
        let lang = Lang::parse(&link.user.language).unwrap_or_default();
        let t = crate::web::i18n::Tr { lang };
        let url = format!("{}/login/unlock/{}", state.config().base_url, link.token);
        let body = t
            .get("mail.unlock_body")
            .replace("{name}", &link.user.display_name)
            .replace("{username}", &link.user.username)
            .replace(
                "{minutes}",
                &crate::auth::unlock::LIFETIME_MINUTES.to_string(),
            )
            .replace("{link}", &url);
        let subject = t.get("mail.unlock_subject").to_owned();
        let mailer = state.mailer().clone();
        tokio::spawn(async move {
            let sent = mailer
                .send(&link.user.display_name, &link.email, &subject, body)
                .await;
            match sent {
                Ok(()) => tracing::info!(user_id = %link.user.id, "unlock link sent"),
                Err(e) => {
                    tracing::error!(user_id = %link.user.id, error = %e, "unlock link not sent")
                }
            }
        });
    }
    render(&UnlockPage {
        page: PageCtx::new(&ctx, "login.unlock_heading"),
        token: None,
    })
}

/// `GET /login/unlock/{token}`: asks to confirm (a link opened by a mail scanner changes
/// nothing).
pub async fn unlock_form(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> AppResult<Response> {
    crate::auth::unlock::check(state.db(), state.clock().now(), &token).await?;
    render(&UnlockPage {
        page: PageCtx::new(&ctx, "login.unlock_heading"),
        token: Some(token),
    })
}

/// `POST /login/unlock/{token}`: this address becomes known to the account; the login
/// form follows, with the username filled in.
pub async fn unlock_confirm(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    axum::extract::Path(token): axum::extract::Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let user = crate::auth::unlock::redeem(
        state.db(),
        state.clock().now(),
        &token,
        &addr.ip().to_string(),
    )
    .await?;
    let t = crate::web::i18n::Tr { lang: ctx.lang };
    render(&LoginPage {
        page: PageCtx::new(&ctx, "login.title"),
        username: user.username,
        next: "/".to_owned(),
        error: None,
        locked: false,
        notice: Some(t.get("login.unlocked").to_owned()),
    })
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /logout`
pub async fn logout(session: Session, CsrfForm(_): CsrfForm<Empty>) -> AppResult<Response> {
    session.flush().await.map_err(session_err)?;
    Ok(Redirect::to("/login").into_response())
}

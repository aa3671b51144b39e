//! `/notifications`: the list behind the header's bell, marking read, and which kinds
//! are also mailed.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::notices::{self, NoticeKind, NoticeView};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    error::AppResult,
    state::AppState,
    web::{
        extract::{Id, PageQuery, Params},
        page::{PageCtx, Pager, render},
    },
};

/// Notifications per page.
const PER_PAGE: u64 = 20;

#[derive(Template)]
#[template(path = "notify/list.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<NoticeView>,
    unread: u64,
    pager: Pager,
    mail: Vec<(NoticeKind, bool)>,
    has_address: bool,
    saved: bool,
}

/// `GET /notifications`
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Response> {
    let page = q.page();
    let (items, total, unread) = notices::mine(state.db(), &p.user, page, PER_PAGE).await?;
    render(&ListPage {
        page: PageCtx::new(&ctx, "notice.title"),
        items,
        unread,
        pager: Pager::new(page, total, PER_PAGE, String::new()),
        mail: notices::mail_settings(state.db(), p.user.id).await?,
        has_address: p
            .user
            .email
            .as_deref()
            .is_some_and(|e| !e.trim().is_empty()),
        saved: ctx.path.contains("saved"),
    })
}

/// The token only.
#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /notifications/{id}/read`: marks it read and opens where it leads.
pub async fn open(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    notices::mark_read(state.db(), p.user.id, Some(id), state.clock().now()).await?;
    let link = notices::link_of(state.db(), p.user.id, id)
        .await?
        .unwrap_or_else(|| "/notifications".to_owned());
    Ok(Redirect::to(&link).into_response())
}

/// `POST /notifications/read`
pub async fn read_all(
    State(state): State<AppState>,
    Auth(p): Auth,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    notices::mark_read(state.db(), p.user.id, None, state.clock().now()).await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// `POST /notifications/settings`: a `mail` field per kind ticked (checkboxes).
pub async fn save_settings(
    State(state): State<AppState>,
    Auth(p): Auth,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let kinds: Vec<NoticeKind> = fields
        .iter()
        .filter(|(name, _)| name == "mail")
        .filter_map(|(_, kind)| NoticeKind::parse(kind))
        .collect();
    notices::set_mail_settings(state.db(), p.user.id, &kinds).await?;
    Ok(Redirect::to("/notifications?saved=1#mail").into_response())
}

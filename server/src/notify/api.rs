//! `/api/v1/me/notifications`: the caller's notifications, marking them read.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::notices::{self, NoticeView};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    web::extract::{Id, PageQuery, Params},
};

/// A page of the caller's notifications.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeList {
    /// This page's notifications, newest first.
    pub items: Vec<NoticeView>,
    /// Notifications in all.
    pub total: u64,
    /// The page, from 1.
    pub page: u64,
    /// Notifications per page.
    pub per_page: u64,
    /// Unread ones in all.
    pub unread: u64,
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = NoticeList), (status = 401, body = ErrorBody)))]
pub async fn my_notifications(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<NoticeList>> {
    let (items, total, unread) = notices::mine(state.db(), &p.user, q.page(), q.per_page()).await?;
    Ok(Json(NoticeList {
        items,
        total,
        page: q.page(),
        per_page: q.per_page(),
        unread,
    }))
}

/// Mark one of the caller's notifications read (someone else's: 404).
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = "notifications",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Notification id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<StatusCode> {
    notices::mark_read(state.db(), p.user.id, Some(id), state.clock().now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark all the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn mark_all_read(State(state): State<AppState>, Auth(p): Auth) -> AppResult<StatusCode> {
    notices::mark_read(state.db(), p.user.id, None, state.clock().now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Telling people things: in-app notifications (`notices`: made by events, once per
//! recipient and event), the reminders found by the calendar (`reminders`), mail through
//! lettre (`mail`: SMTP or the `outbox/` directory) sent by the job queue (`deliver`), and
//! the pages and API of the bell.

pub mod api;
pub mod deliver;
pub mod mail;
pub mod notices;
pub mod pages;
pub mod reminders;

use axum::{
    Router,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The notifications page.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(pages::list))
        .route("/notifications/read", post(pages::read_all))
        .route("/notifications/settings", post(pages::save_settings))
        .route("/notifications/{id}/read", post(pages::open))
}

/// The notifications API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::my_notifications))
        .routes(routes!(api::mark_read))
        .routes(routes!(api::mark_all_read))
}

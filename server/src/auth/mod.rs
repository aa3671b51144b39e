//! Accounts, password hashing, sessions, CSRF, API tokens, roles and the permission
//! checks every handler calls.

pub mod api;
pub mod context;
pub mod csrf;
pub mod pages;
pub mod password;
pub mod principal;
pub mod service;
pub mod session_store;
pub mod throttle;
pub mod tokens;
pub mod unlock;

use axum::{
    Router,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The login, logout, account and language pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/login/unlock", post(pages::unlock_request))
        .route(
            "/login/unlock/{token}",
            get(pages::unlock_form).post(pages::unlock_confirm),
        )
        .route("/logout", post(pages::logout))
        .route("/language", post(pages::switch_language))
        .route("/account", get(pages::account))
        .route("/account/password", post(pages::change_password))
}

/// The token and current-user API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::create_token, api::delete_token))
        .routes(routes!(api::me))
}

//! `/api/v1/auth/token` and `/api/v1/me`: bearer tokens for API clients.

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{context::Auth, principal::Principal, tokens};
use crate::{
    error::{AppError, AppResult},
    org::api::EmployeeJson,
    state::AppState,
    web::extract::ApiJson,
};

/// Credentials for a new token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A user as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserJson {
    /// Use this id wherever the API asks for a user id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// Address for notifications.
    pub email: Option<String>,
    /// Interface language, `id` or `en`.
    pub language: String,
    /// Roles held: `learner`, `instructor`, `unit_admin`, `admin`.
    pub roles: Vec<String>,
    /// Units a unit admin manages (with everything below them).
    pub managed_unit_ids: Vec<Uuid>,
    /// The employee record, when the user is an employee.
    pub employee: Option<EmployeeJson>,
}

/// A token and its owner.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`; shown once, stored only hashed.
    pub token: String,
    /// The token's owner.
    pub user: UserJson,
}

/// The error body of every failed call.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_credentials`.
    pub code: String,
    /// Human-readable message in the user's language.
    pub message: String,
}

/// Builds the JSON view of a principal.
pub async fn user_json(state: &AppState, p: &Principal) -> AppResult<UserJson> {
    let employee = crate::org::api::employee_json_of_user(state.db(), p.user.id).await?;
    Ok(UserJson {
        id: p.user.id,
        username: p.user.username.clone(),
        display_name: p.user.display_name.clone(),
        email: p.user.email.clone(),
        language: p.user.language.clone(),
        roles: p.roles().iter().map(|r| r.as_str().to_owned()).collect(),
        managed_unit_ids: p.grants.iter().filter_map(|g| g.unit_id).collect(),
        employee,
    })
}

/// Exchange a username and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "A new token", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> AppResult<Json<TokenResponse>> {
    let (token, user) = tokens::log_in(
        state.db(),
        state.clock().now(),
        &req.username,
        &req.password,
        &addr.ip().to_string(),
        state.config().token_lifetime,
    )
    .await?;
    let principal = Principal::load(state.db(), user.id)
        .await?
        .ok_or(AppError::InvalidCredentials)?;
    Ok(Json(TokenResponse {
        token,
        user: user_json(&state, &principal).await?,
    }))
}

/// Revoke the token this request was made with.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid token", body = ErrorBody),
    ))]
pub async fn delete_token(State(state): State<AppState>, Auth(p): Auth) -> AppResult<StatusCode> {
    let id = p.token_id.ok_or(AppError::Unauthenticated)?;
    tokens::revoke(state.db(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The current user", body = UserJson),
        (status = 401, description = "No valid token", body = ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> AppResult<Json<UserJson>> {
    Ok(Json(user_json(&state, &p).await?))
}

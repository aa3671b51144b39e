//! API tokens for `/api/v1`: random bearer secrets, stored only as SHA-256 hashes.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{entities::api_tokens, error::AppResult};

/// Visible prefix so a leaked token is recognisable to secret scanners.
const PREFIX: &str = "mahir_";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a new token for `user_id`; the plain text is returned once and never stored.
pub async fn issue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    user_id: Uuid,
    lifetime: std::time::Duration,
) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let at = now;
    let lifetime = chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::days(30));
    api_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        token_hash: Set(digest(&token)),
        created_at: Set(at),
        last_used_at: Set(at),
        expires_at: Set(at + lifetime),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Checks a login (throttled, as [`super::service::authenticate`]) and issues a token for
/// it in one write transaction: the one way to log in through the API.
pub async fn log_in(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
    client_addr: &str,
    lifetime: std::time::Duration,
) -> AppResult<(String, crate::entities::users::Model)> {
    let user = super::service::authenticate(db, now, username, password, client_addr).await?;
    let token =
        crate::db::in_write(db, async |txn| issue(txn, now, user.id, lifetime).await).await?;
    Ok((token, user))
}

/// The unexpired token with this plain text, touching `last_used_at` at most once a minute
/// (in a write transaction).
pub async fn find(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    token: &str,
) -> AppResult<Option<api_tokens::Model>> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let found = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(digest(token)))
        .filter(api_tokens::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    if let Some(t) = &found
        && now - t.last_used_at > chrono::Duration::minutes(1)
    {
        let id = t.id;
        crate::db::in_write(db, async |txn| touch(txn, id, now).await).await?;
    }
    Ok(found)
}

async fn touch(db: &impl ConnectionTrait, id: Uuid, at: DateTime<Utc>) -> AppResult<()> {
    api_tokens::Entity::update_many()
        .col_expr(
            api_tokens::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(api_tokens::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes one token.
pub async fn revoke(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    api_tokens::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Revokes every token of a user (disabled account).
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<()> {
    api_tokens::Entity::delete_many()
        .filter(api_tokens::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

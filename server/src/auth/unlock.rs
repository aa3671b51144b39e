//! The way in for the owner of an account under attack: when many failed logins from
//! elsewhere lock an account for addresses it never used, its owner asks for a one-time
//! link by e-mail; confirming it from the new address makes that address known, and the
//! password is then checked as usual. Links are stored only as hashes, live 30 minutes
//! and work once; at most one is sent per account every 15 minutes.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{service, throttle};
use crate::{
    db::begin_write,
    entities::{unlock_links, users},
    error::{AppError, AppResult},
};

/// How long a link works.
pub const LIFETIME_MINUTES: i64 = 30;
/// At most one link per account in this time.
const RESEND_MINUTES: i64 = 15;

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A link to send: the account and the secret to put in the URL (never stored).
#[derive(Debug)]
pub struct NewLink {
    /// The account's owner.
    pub user: users::Model,
    /// Their address.
    pub email: String,
    /// The secret of `/login/unlock/{token}`.
    pub token: String,
}

/// Makes a link for `username` when the account exists, is active, has an e-mail address
/// and got no link in the last 15 minutes; `None` otherwise. The caller sends it and
/// answers the same either way, so nobody learns which accounts exist.
pub async fn request(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    username: &str,
) -> AppResult<Option<NewLink>> {
    let Some(user) = service::find_by_username(db, username).await? else {
        return Ok(None);
    };
    let Some(email) = user.email.clone().filter(|_| user.active) else {
        return Ok(None);
    };
    let txn = begin_write(db).await?;
    let recent = unlock_links::Entity::find()
        .filter(unlock_links::Column::UserId.eq(user.id))
        .filter(unlock_links::Column::CreatedAt.gt(now - Duration::minutes(RESEND_MINUTES)))
        .count(&txn)
        .await?;
    if recent > 0 {
        return Ok(None);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let at = now;
    unlock_links::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        token_hash: Set(digest(&token)),
        created_at: Set(at),
        expires_at: Set(at + Duration::minutes(LIFETIME_MINUTES)),
        used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(NewLink { user, email, token }))
}

/// The account of a link that still works; 404 otherwise.
pub async fn check(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    token: &str,
) -> AppResult<users::Model> {
    let link = live(db, now, token).await?;
    service::find_user(db, link.user_id).await
}

/// Uses a link from `addr`: the address becomes known to the account, so its owner can log
/// in from it while the account is locked elsewhere. Works once; 404 otherwise.
pub async fn redeem(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    token: &str,
    addr: &str,
) -> AppResult<users::Model> {
    let txn = begin_write(db).await?;
    let link = live(&txn, now, token).await?;
    let user = service::find_user(&txn, link.user_id).await?;
    let mut used: unlock_links::ActiveModel = link.into();
    used.used_at = Set(Some(now));
    used.update(&txn).await?;
    throttle::record_success(&txn, now, &user.username, addr).await?;
    txn.commit().await?;
    Ok(user)
}

async fn live(
    db: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    token: &str,
) -> AppResult<unlock_links::Model> {
    if token.len() != 43 {
        return Err(AppError::NotFound);
    }
    unlock_links::Entity::find()
        .filter(unlock_links::Column::TokenHash.eq(digest(token)))
        .filter(unlock_links::Column::UsedAt.is_null())
        .filter(unlock_links::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

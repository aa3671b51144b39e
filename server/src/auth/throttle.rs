//! Login throttling from the login-attempt log in the database (shared by every replica):
//! per account and address, per address across accounts, and per account from addresses
//! it has never logged in from, so an attacker cannot lock the real user out.

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use crate::{
    entities::login_attempts,
    error::{AppError, AppResult},
    time::now,
};

/// The window failures are counted in.
const WINDOW_MINUTES: i64 = 15;
/// Failures for one account from one address before it must wait.
const PER_ACCOUNT_AND_ADDR: u64 = 5;
/// Failures from one address, whatever the accounts, before it must wait.
const PER_ADDR: u64 = 20;
/// Failures for one account from everywhere before addresses it never used must wait.
const PER_ACCOUNT: u64 = 30;
/// How far back a successful login makes an address "known" for an account.
const KNOWN_ADDR_DAYS: i64 = 90;

/// Refuses with 429 when the attempt must wait.
pub async fn check(db: &impl ConnectionTrait, username: &str, addr: &str) -> AppResult<()> {
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let failures = || {
        login_attempts::Entity::find()
            .filter(login_attempts::Column::Succeeded.eq(false))
            .filter(login_attempts::Column::At.gt(since))
    };
    let retry = AppError::TooManyRequests {
        retry_after: (WINDOW_MINUTES * 60) as u64,
    };
    let pair = failures()
        .filter(login_attempts::Column::Username.eq(username))
        .filter(login_attempts::Column::ClientAddr.eq(addr))
        .count(db)
        .await?;
    if pair >= PER_ACCOUNT_AND_ADDR {
        return Err(retry);
    }
    let by_addr = failures()
        .filter(login_attempts::Column::ClientAddr.eq(addr))
        .count(db)
        .await?;
    if by_addr >= PER_ADDR {
        return Err(retry);
    }
    let by_account = failures()
        .filter(login_attempts::Column::Username.eq(username))
        .count(db)
        .await?;
    if by_account >= PER_ACCOUNT {
        let known = login_attempts::Entity::find()
            .filter(login_attempts::Column::Succeeded.eq(true))
            .filter(login_attempts::Column::Username.eq(username))
            .filter(login_attempts::Column::ClientAddr.eq(addr))
            .filter(login_attempts::Column::At.gt(now() - Duration::days(KNOWN_ADDR_DAYS)))
            .count(db)
            .await?;
        if known == 0 {
            return Err(retry);
        }
    }
    Ok(())
}

/// Records an attempt's outcome.
pub async fn record(
    db: &impl ConnectionTrait,
    username: &str,
    addr: &str,
    succeeded: bool,
) -> AppResult<()> {
    login_attempts::ActiveModel {
        username: Set(username.chars().take(64).collect()),
        client_addr: Set(addr.chars().take(64).collect()),
        succeeded: Set(succeeded),
        at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Forgets attempts older than the known-address horizon; run periodically.
pub async fn prune(db: &impl ConnectionTrait) -> AppResult<u64> {
    let res = login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::At.lt(now() - Duration::days(KNOWN_ADDR_DAYS)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

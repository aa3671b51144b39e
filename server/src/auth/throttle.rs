//! Login throttling from the login-attempt log in the database (shared by every replica):
//! per account and address, per address across accounts, and per account from addresses
//! it has never logged in from, so an attacker cannot lock the real user out.
//!
//! An attempt is written as a failure *before* its password is checked and counted with
//! every other, so parallel guesses get no more tries than sequential ones: of any number
//! of attempts racing for the last free try, only the ones that find themselves within the
//! limit go on (each counts itself and everything written before it). A refused attempt is
//! taken back; a correct password turns its row into a success.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};

use crate::{
    db::begin_write,
    entities::login_attempts,
    error::{AppError, AppResult},
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

/// An attempt that may go on to check its password; see [`settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "an attempt is settled once its password was checked"]
pub struct Attempt(i32);

/// Reserves an attempt for `username` from `addr`, or refuses with 429: `too_many_requests`
/// when this address must wait, `account_locked` when the account is under attack and
/// this address is not one it logged in from (its owner can unlock it by e-mail).
pub async fn reserve(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<Attempt> {
    let username: String = username.chars().take(64).collect();
    let addr: String = addr.chars().take(64).collect();
    // Committed before it is counted, so every other attempt counts it too.
    let txn = begin_write(db).await?;
    let id = write(&txn, now, &username, &addr, false).await?;
    txn.commit().await?;
    let verdict = judge(db, now, &username, &addr).await;
    if !matches!(verdict, Ok(())) {
        let txn = begin_write(db).await?;
        login_attempts::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
    }
    verdict.map(|()| Attempt(id))
}

/// Records how a reserved attempt ended: a success stops counting as a failure and makes
/// the address known for the account.
pub async fn settle(db: &DatabaseConnection, attempt: Attempt, succeeded: bool) -> AppResult<()> {
    if succeeded {
        let txn = begin_write(db).await?;
        login_attempts::Entity::update_many()
            .col_expr(
                login_attempts::Column::Succeeded,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(login_attempts::Column::Id.eq(attempt.0))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Whether an attempt from `addr` would be refused because the account is locked for
/// addresses it never used (the page then offers the unlock link).
pub async fn locked_for(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<bool> {
    Ok(account_failures(db, now, username).await? >= PER_ACCOUNT
        && !known(db, now, username, addr).await?)
}

async fn judge(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<()> {
    let retry = AppError::TooManyRequests {
        retry_after: (WINDOW_MINUTES * 60) as u64,
    };
    let pair = failures(now)
        .filter(login_attempts::Column::Username.eq(username))
        .filter(login_attempts::Column::ClientAddr.eq(addr))
        .count(db)
        .await?;
    if pair > PER_ACCOUNT_AND_ADDR {
        return Err(retry);
    }
    let by_addr = failures(now)
        .filter(login_attempts::Column::ClientAddr.eq(addr))
        .count(db)
        .await?;
    if by_addr > PER_ADDR {
        return Err(retry);
    }
    // This attempt's own row is one of the account's failures; it does not count against
    // its owner.
    if account_failures(db, now, username).await? > PER_ACCOUNT
        && !known(db, now, username, addr).await?
    {
        return Err(AppError::AccountLocked {
            retry_after: (WINDOW_MINUTES * 60) as u64,
        });
    }
    Ok(())
}

fn failures(now: DateTime<Utc>) -> sea_orm::Select<login_attempts::Entity> {
    login_attempts::Entity::find()
        .filter(login_attempts::Column::Succeeded.eq(false))
        .filter(login_attempts::Column::At.gt(now - Duration::minutes(WINDOW_MINUTES)))
}

async fn account_failures(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
) -> AppResult<u64> {
    Ok(failures(now)
        .filter(login_attempts::Column::Username.eq(username))
        .count(db)
        .await?)
}

async fn known(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<bool> {
    Ok(login_attempts::Entity::find()
        .filter(login_attempts::Column::Succeeded.eq(true))
        .filter(login_attempts::Column::Username.eq(username))
        .filter(login_attempts::Column::ClientAddr.eq(addr))
        .filter(login_attempts::Column::At.gt(now - Duration::days(KNOWN_ADDR_DAYS)))
        .count(db)
        .await?
        > 0)
}

async fn write(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
    succeeded: bool,
) -> AppResult<i32> {
    let row = login_attempts::ActiveModel {
        username: Set(username.chars().take(64).collect()),
        client_addr: Set(addr.chars().take(64).collect()),
        succeeded: Set(succeeded),
        at: Set(now),
        ..Default::default()
    };
    Ok(login_attempts::Entity::insert(row)
        .exec(db)
        .await?
        .last_insert_id)
}

/// Records a failed attempt without checking anything (tests and tools that simulate an
/// attack from elsewhere).
pub async fn record_failure(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<()> {
    write(db, now, username, addr, false).await.map(|_| ())
}

/// Makes `addr` a known address of `username`, as a successful login from it does: for
/// an unlock link used there, and for tests and tools.
pub async fn record_success(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    username: &str,
    addr: &str,
) -> AppResult<()> {
    write(db, now, username, addr, true).await.map(|_| ())
}

/// Forgets attempts older than the known-address horizon; run periodically.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<u64> {
    let res = login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::At.lt(now - Duration::days(KNOWN_ADDR_DAYS)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

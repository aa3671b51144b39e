//! Account rules: creating users, logging in, changing passwords and language, disabling
//! accounts and granting roles. Every function takes a connection so it can join a
//! caller's transaction.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use tokio::sync::{Semaphore, SemaphorePermit};
use uuid::Uuid;

use super::{password, principal::Role, session_store, throttle, tokens};
use crate::{
    entities::{user_roles, users},
    error::{AppError, AppResult, Code},
    time::stamp,
    web::i18n::Lang,
};

/// A username: 3–64 of `a-z 0-9 . _ -`, starting with a letter or digit; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Parses and normalises a username.
    pub fn parse(raw: &str) -> AppResult<Username> {
        let s = raw.trim().to_lowercase();
        let ok = (3..=64).contains(&s.len())
            && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if ok {
            Ok(Username(s))
        } else {
            Err(AppError::invalid(Code::InvalidUsername, "username"))
        }
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only (the mail server has the last word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an address like `nama@jakarta.go.id`.
    pub fn parse(raw: &str) -> AppResult<Email> {
        let s = raw.trim();
        let ok = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
            && s.matches('@').count() == 1;
        if ok {
            Ok(Email(s.to_owned()))
        } else {
            Err(AppError::invalid(Code::InvalidEmail, "email"))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: 1–200 characters of text, no control or hidden characters.
pub fn parse_display_name(raw: &str, field: &'static str) -> AppResult<String> {
    crate::text::single_line(raw, 200, Code::InvalidName, field)
}

/// What a new account needs.
#[derive(Debug)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a Username,
    /// Name shown in the interface.
    pub display_name: &'a str,
    /// Address for notifications.
    pub email: Option<&'a Email>,
    /// `None` leaves the account without a usable password until one is set.
    pub password: Option<&'a str>,
    /// Roles to grant (unit admin grants are made with [`grant_role`]).
    pub roles: &'a [Role],
}

/// Creates an account; a taken username is a 409 `duplicate`.
pub async fn create_user(db: &impl ConnectionTrait, new: NewUser<'_>) -> AppResult<users::Model> {
    let hash = match new.password {
        Some(p) => {
            password::check_policy(p).map_err(|e| AppError::invalid(e.code(), "password"))?;
            hash_blocking(p).await?
        }
        None => password::UNUSABLE.to_owned(),
    };
    let at = stamp();
    let user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(new.username.as_str().to_owned()),
        display_name: Set(new.display_name.to_owned()),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
        password_hash: Set(hash),
        active: Set(true),
        language: Set(Lang::Id.code().to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(|e| duplicate_as(e, Code::UsernameTaken))?;
    for role in new.roles {
        grant_role(db, user.id, *role, None).await?;
    }
    Ok(user)
}

/// Maps a unique violation to a 409 with a specific code.
pub fn duplicate_as(e: sea_orm::DbErr, code: crate::error::Code) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { detail, .. } => AppError::Conflict { code, detail },
        other => other,
    }
}

/// Grants a role (once); `unit_id` scopes a unit admin.
pub async fn grant_role(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    role: Role,
    unit_id: Option<Uuid>,
) -> AppResult<()> {
    let mut existing = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .filter(user_roles::Column::Role.eq(role.as_str()));
    existing = match unit_id {
        Some(u) => existing.filter(user_roles::Column::UnitId.eq(u)),
        None => existing.filter(user_roles::Column::UnitId.is_null()),
    };
    if existing.one(db).await?.is_some() {
        return Ok(());
    }
    user_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        unit_id: Set(unit_id),
        created_at: Set(stamp()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// At most one password hash per core at a time: each takes 19 MiB and tens of
/// milliseconds of CPU, so a burst of logins queues here instead of exhausting memory.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

async fn hashing_permit() -> AppResult<SemaphorePermit<'static>> {
    HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

async fn hash_blocking(password: &str) -> AppResult<String> {
    let p = password.to_owned();
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || password::hash(&p))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
}

async fn verify_blocking(password: &str, stored: Option<String>) -> AppResult<bool> {
    let p = password.to_owned();
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || password::verify(&p, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Checks a login: throttled per account and address (the attempt is counted before the
/// password is checked), the same answer for an unknown user, a wrong password and a
/// disabled account. Returns the user on success.
pub async fn authenticate(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
    client_addr: &str,
) -> AppResult<users::Model> {
    let name = username.trim().to_lowercase();
    if name.is_empty() || name.len() > 64 || password.len() > password::MAX_LEN * 4 {
        return Err(AppError::InvalidCredentials);
    }
    let attempt = throttle::reserve(db, now, &name, client_addr).await?;
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(name.as_str()))
        .one(db)
        .await?;
    let matches = verify_blocking(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let ok = matches && user.as_ref().is_some_and(|u| u.active);
    throttle::settle(db, attempt, ok).await?;
    match user {
        Some(u) if ok => Ok(u),
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Gives a user a new password (after checking the policy) and ends every session and API
/// token they have: whoever knew the old password is out. One write transaction.
pub async fn set_password(db: &DatabaseConnection, user_id: Uuid, new: &str) -> AppResult<()> {
    password::check_policy(new).map_err(|e| AppError::invalid(e.code(), "new_password"))?;
    // Hashed before the write begins: it takes tens of milliseconds.
    let hash = hash_blocking(new).await?;
    let txn = crate::db::begin_write(db).await?;
    users::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    session_store::end_user_sessions(&txn, user_id).await?;
    tokens::revoke_all(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the user's own password: the current one must be right, and checking it is
/// throttled like a login from `client_addr`. Every session and token ends.
pub async fn change_password(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    user: &users::Model,
    current: &str,
    new: &str,
    client_addr: &str,
) -> AppResult<()> {
    password::check_policy(new).map_err(|e| AppError::invalid(e.code(), "new_password"))?;
    let attempt = throttle::reserve(db, now, &user.username, client_addr).await?;
    let right = verify_blocking(current, Some(user.password_hash.clone())).await?;
    throttle::settle(db, attempt, right).await?;
    if !right {
        return Err(AppError::invalid(
            Code::WrongCurrentPassword,
            "current_password",
        ));
    }
    set_password(db, user.id, new).await
}

/// Remembers the user's interface language (one write transaction).
pub async fn set_language(db: &DatabaseConnection, user_id: Uuid, lang: Lang) -> AppResult<()> {
    crate::db::in_write(db, async |txn| store_language(txn, user_id, lang).await).await
}

async fn store_language(db: &impl ConnectionTrait, user_id: Uuid, lang: Lang) -> AppResult<()> {
    users::ActiveModel {
        id: Set(user_id),
        language: Set(lang.code().to_owned()),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Enables or disables an account; disabling ends its sessions and revokes its tokens.
pub async fn set_active(db: &impl ConnectionTrait, user_id: Uuid, active: bool) -> AppResult<()> {
    users::ActiveModel {
        id: Set(user_id),
        active: Set(active),
        updated_at: Set(stamp()),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(|e| match e {
        sea_orm::DbErr::RecordNotUpdated => AppError::NotFound,
        other => other.into(),
    })?;
    if !active {
        session_store::end_user_sessions(db, user_id).await?;
        tokens::revoke_all(db, user_id).await?;
    }
    Ok(())
}

/// A user by id.
pub async fn find_user(db: &impl ConnectionTrait, id: Uuid) -> AppResult<users::Model> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A user by username.
pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> AppResult<Option<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse(" Learner1 ").expect("ok").as_str(),
            "learner1"
        );
        assert!(Username::parse("budi.santoso-2").is_ok());
        for bad in [
            "ab",
            "-lead",
            "nama spasi",
            "x<y",
            "ümlaut",
            &"a".repeat(65),
        ] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(Email::parse("budi@jakarta.go.id").is_ok());
        for bad in [
            "budi", "budi@", "@x.id", "a b@x.id", "a@b", "a@@b.id", "a@.id",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}

//! The one error type services and handlers return: what went wrong, with a typed [`Code`],
//! free of HTTP. Each variant's doc says which status it becomes; `web::errors` maps it to
//! that status and renders the body (an HTML page or a JSON `{"error":{"code","message"}}`).

mod code;

use sea_orm::{DbErr, SqlErr};

pub use code::Code;

/// What went wrong with a request, as the client will be told.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request could not be read (malformed JSON, form or upload).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400: a query parameter is out of its range (e.g. `invalid_page`).
    #[error("bad parameter: {code}")]
    BadParameter {
        /// Stable machine-readable code; the message comes from the catalog `error.<code>`.
        code: Code,
    },
    /// 401: a page or call that needs a login was made without one. Pages redirect to login.
    #[error("not logged in")]
    Unauthenticated,
    /// 401: username or password (or token) is wrong. Never says which.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 403: logged in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// 403: a browser form without a valid CSRF token or with a foreign `Origin`.
    #[error("csrf check failed")]
    Csrf,
    /// 404: no such thing, or a thing the user may not know exists.
    #[error("not found")]
    NotFound,
    /// 409: the request conflicts with the current state (e.g. a duplicate username).
    #[error("conflict: {code}")]
    Conflict {
        /// Stable machine-readable code; the message comes from the catalog `error.<code>`.
        code: Code,
        /// Specifics appended to the message, e.g. the duplicate value.
        detail: Option<String>,
    },
    /// 422: the input is well-formed but not acceptable.
    #[error("invalid input: {code}")]
    Invalid {
        /// Stable machine-readable code; the message comes from the catalog `error.<code>`.
        code: Code,
        /// The form field or JSON key at fault.
        field: Option<&'static str>,
        /// Specifics appended to the message.
        detail: Option<String>,
    },
    /// 422: several fields are not acceptable at once, each an [`AppError::Invalid`] in the
    /// form's order; the first is what [`AppError::code`] reports. Made by [`Problems`].
    #[error("invalid input in {} fields", .0.len())]
    Fields(Vec<AppError>),
    /// 429: too many attempts; try again after this many seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until the next attempt may succeed.
        retry_after: u64,
    },
    /// 413: the request body is larger than the route accepts; nothing was read into use.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 503: a service the request needs (the object store, the database) cannot take it
    /// now; nothing changed. `code` says which (`storage_unavailable`, `database_busy`).
    #[error("unavailable: {code}")]
    Unavailable {
        /// Stable machine-readable code.
        code: Code,
    },
    /// 507: the disk or the object store is full; nothing changed (`storage_full`).
    #[error("storage full")]
    StorageFull,
    /// 429: the account had too many failed logins from elsewhere; from an address it
    /// never logged in from it must wait or be unlocked by its owner (`account_locked`).
    #[error("account locked")]
    AccountLocked {
        /// Seconds until the lock may lift.
        retry_after: u64,
    },
    /// 500: anything unexpected. Logged with its cause; the client sees only a request id.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 for one field.
    pub fn invalid(code: Code, field: &'static str) -> Self {
        Self::Invalid {
            code,
            field: Some(field),
            detail: None,
        }
    }

    /// The stable code clients see in `error.code`.
    pub fn code(&self) -> Code {
        match self {
            Self::BadRequest(_) => Code::BadRequest,
            Self::BadParameter { code } | Self::Unavailable { code } => *code,
            Self::PayloadTooLarge => Code::PayloadTooLarge,
            Self::StorageFull => Code::StorageFull,
            Self::Unauthenticated => Code::Unauthenticated,
            Self::InvalidCredentials => Code::InvalidCredentials,
            Self::Forbidden => Code::Forbidden,
            Self::Csrf => Code::CsrfFailed,
            Self::NotFound => Code::NotFound,
            Self::Conflict { code, .. } | Self::Invalid { code, .. } => *code,
            Self::Fields(all) => all.first().map_or(Code::InvalidBody, AppError::code),
            Self::TooManyRequests { .. } => Code::TooManyRequests,
            Self::AccountLocked { .. } => Code::AccountLocked,
            Self::Internal(_) => Code::Internal,
        }
    }

    /// Specifics that go after the catalog message.
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::BadRequest(d) => Some(d.clone()),
            Self::Conflict { detail, .. } | Self::Invalid { detail, .. } => detail.clone(),
            Self::Fields(all) => all.first().and_then(AppError::detail),
            _ => None,
        }
    }
}

/// Gathers every refusal while a form's fields are checked, so the form can say them all
/// at once instead of the first only.
#[derive(Debug, Default)]
pub struct Problems(Vec<AppError>);

impl Problems {
    /// The value of `checked`, or `None` with its refusal noted.
    pub fn take<T>(&mut self, checked: AppResult<T>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Ok when nothing was refused; else the one refusal, or all of them as
    /// [`AppError::Fields`].
    pub fn check(mut self) -> AppResult<()> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(AppError::Fields(self.0)),
        }
    }
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        // A full disk or an unreachable database is the environment, not a bug: a clear
        // error the client can retry, logged once here.
        match crate::db::fault(&e) {
            Some(crate::db::Fault::StorageFull) => {
                tracing::error!(error = %e, "database storage is full");
                return Self::StorageFull;
            }
            Some(crate::db::Fault::Unavailable) => {
                tracing::warn!(error = %e, "database unavailable");
                return Self::Unavailable {
                    code: Code::DatabaseUnavailable,
                };
            }
            None => {}
        }
        // Unique-constraint violations are user errors; the caller maps the rest via `unique`.
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = e.sql_err() {
            return Self::Conflict {
                code: Code::Duplicate,
                detail: Some(detail_of(&detail)),
            };
        }
        if matches!(e, DbErr::RecordNotFound(_)) {
            return Self::NotFound;
        }
        Self::Internal(anyhow::Error::new(e))
    }
}

/// The column named in a unique violation, without the database's own wording.
fn detail_of(message: &str) -> String {
    // SQLite: "UNIQUE constraint failed: users.username"; PostgreSQL: key (username)=(x).
    if let Some(rest) = message.split("failed: ").nth(1) {
        return rest
            .split(',')
            .next()
            .unwrap_or(rest)
            .rsplit('.')
            .next()
            .unwrap_or(rest)
            .trim()
            .to_owned();
    }
    if let Some(start) = message.find("Key (") {
        let rest = &message[start + 5..];
        if let Some(end) = rest.find(')') {
            return rest[..end].to_owned();
        }
    }
    // PostgreSQL without detail: constraint "users_username_key".
    if let Some(name) = message.split('"').nth(1)
        && let Some(stem) = name.strip_suffix("_key")
        && let Some((_, column)) = stem.split_once('_')
    {
        return column.to_owned();
    }
    "value".to_owned()
}

/// The result type of handlers and service functions.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::detail_of;

    #[test]
    fn unique_violation_names_the_column() {
        assert_eq!(
            detail_of("UNIQUE constraint failed: users.username"),
            "username"
        );
        assert_eq!(
            detail_of("duplicate key value violates unique constraint \"x\" Key (nip)=(1) exists"),
            "nip"
        );
        assert_eq!(
            detail_of("duplicate key value violates unique constraint \"employees_nip_key\""),
            "nip"
        );
    }
}

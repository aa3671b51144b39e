//! The login, logout, account and language-switch pages: [`login`] (logging in and out,
//! unlock links) and [`account`] (the account page, the password, the language).

mod account;
mod login;

pub use account::{account, change_password, switch_language};
pub use login::{login, login_form, logout, unlock_confirm, unlock_form, unlock_request};

use crate::error::AppError;

/// Where to go after login or a language switch: same-origin paths only.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && !n.starts_with("/login")
                && n.len() < 2000 =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(super) fn session_err(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!(e))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_same_origin_only() {
        assert_eq!(safe_next(Some("/admin/units?x=1")), "/admin/units?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "/login",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

//! Resolves who is asking and in which language, once per request: from the browser
//! session (pages) or from a bearer token (`/api/v1`), with idle and absolute timeouts.

use std::sync::Arc;

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::Response,
};
use tower_sessions::Session;
use uuid::Uuid;

use super::{principal::Principal, tokens};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    web::i18n::Lang,
};

/// Session keys, in one place.
pub mod keys {
    /// The logged-in user's id.
    pub const USER: &str = crate::auth::session_store::USER_KEY;
    /// Unix time of the login, for the absolute timeout.
    pub const LOGIN_AT: &str = "login_at";
    /// Unix time of the last request, for the idle timeout (refreshed once a minute).
    pub const SEEN: &str = "seen";
    /// The CSRF token of the session's forms.
    pub const CSRF: &str = "csrf";
    /// A guest's chosen language.
    pub const LANG: &str = "lang";
}

/// The request's context: who, which language, and the session's form token.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The logged-in user, if any.
    pub principal: Option<Arc<Principal>>,
    /// The language to answer in.
    pub lang: Lang,
    /// The CSRF token forms must carry (empty for API requests).
    pub csrf: String,
    /// The path of the request, for "back to where I was" links.
    pub path: String,
}

impl Ctx {
    /// The logged-in user, or 401.
    pub fn require(&self) -> AppResult<Arc<Principal>> {
        self.principal.clone().ok_or(AppError::Unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("context middleware not installed")))
    }
}

/// The logged-in user; 401 (or the login page) without one.
#[derive(Debug, Clone)]
pub struct Auth(pub Arc<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ctx::from_request_parts(parts, state)
            .await?
            .require()
            .map(Auth)
    }
}

/// Middleware: builds the [`Ctx`] and puts it in the request's extensions.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let mut new_guest_token = None;
    let ctx = if path.starts_with("/api/") {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .map(str::to_owned);
        from_token(&state, bearer.as_deref(), accept, path).await
    } else {
        match req.extensions().get::<Session>().cloned() {
            Some(session) => {
                let cookie = guest_token(req.headers());
                from_session(&state, &session, accept, path, cookie.as_deref())
                    .await
                    .map(|(ctx, minted)| {
                        new_guest_token = minted;
                        ctx
                    })
            }
            None => Ok(Ctx {
                principal: None,
                lang: accept,
                csrf: String::new(),
                path,
            }),
        }
    };
    match ctx {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx.clone());
            let mut res = next.run(req).await;
            if let Some(token) = new_guest_token {
                let secure = if state.config().secure_cookies() {
                    "; Secure"
                } else {
                    ""
                };
                let cookie =
                    format!("{GUEST_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}");
                if let Ok(v) = header::HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            // For the error renderer outside this middleware.
            res.extensions_mut().insert(ctx);
            res
        }
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

async fn from_token(
    state: &AppState,
    bearer: Option<&str>,
    accept: Lang,
    path: String,
) -> AppResult<Ctx> {
    let mut principal = None;
    if let Some(token) = bearer
        && let Some(t) = tokens::find(state.db(), state.clock().now(), token).await?
        && let Some(mut p) = Principal::load(state.db(), t.user_id).await?
    {
        p.token_id = Some(t.id);
        principal = Some(Arc::new(p));
    }
    let lang = principal
        .as_ref()
        .and_then(|p| Lang::parse(&p.user.language))
        .unwrap_or(accept);
    Ok(Ctx {
        principal,
        lang,
        csrf: String::new(),
        path,
    })
}

/// The cookie that carries a guest's form token. A guest's forms (login, unlock, language)
/// are checked against it, so merely visiting a page stores nothing on the server: a
/// session is written only once something is put in it (a login, a guest's language).
const GUEST_CSRF_COOKIE: &str = "mahir_csrf";

/// The guest form token sent back by the browser, if it has the shape of one.
fn guest_token(headers: &header::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == GUEST_CSRF_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The context of a browser request, and a new guest form token to set as a cookie when
/// the guest had none.
async fn from_session(
    state: &AppState,
    session: &Session,
    accept: Lang,
    path: String,
    guest_cookie: Option<&str>,
) -> AppResult<(Ctx, Option<String>)> {
    let store_err = |e: tower_sessions::session::Error| AppError::Internal(anyhow::anyhow!(e));
    let now = state.clock().now().timestamp();
    let mut principal = None;
    if let Some(user_id) = session.get::<Uuid>(keys::USER).await.map_err(store_err)? {
        let login_at = session
            .get::<i64>(keys::LOGIN_AT)
            .await
            .map_err(store_err)?;
        let seen = session.get::<i64>(keys::SEEN).await.map_err(store_err)?;
        let config = state.config();
        let absolute = config.session_absolute.as_secs() as i64;
        let idle = config.session_idle.as_secs() as i64;
        let expired = match (login_at, seen) {
            (Some(l), Some(s)) => now - l > absolute || now - s > idle,
            _ => true,
        };
        let loaded = if expired {
            None
        } else {
            Principal::load(state.db(), user_id).await?
        };
        match loaded {
            Some(p) => {
                if seen.is_some_and(|s| now - s >= 60) {
                    session.insert(keys::SEEN, now).await.map_err(store_err)?;
                }
                principal = Some(Arc::new(p));
            }
            None => {
                // Timed out, disabled or deleted: the session is over.
                session.flush().await.map_err(store_err)?;
            }
        }
    }
    let mut minted = None;
    let csrf = match session.get::<String>(keys::CSRF).await.map_err(store_err)? {
        Some(token) => token,
        // A logged-in session always has its own token (set at login).
        None if principal.is_some() => {
            let token = super::csrf::new_token();
            session
                .insert(keys::CSRF, &token)
                .await
                .map_err(store_err)?;
            token
        }
        None => match guest_cookie {
            Some(token) => token.to_owned(),
            None => {
                let token = super::csrf::new_token();
                minted = Some(token.clone());
                token
            }
        },
    };
    let lang = match &principal {
        Some(p) => Lang::parse(&p.user.language),
        None => session
            .get::<String>(keys::LANG)
            .await
            .map_err(store_err)?
            .and_then(|l| Lang::parse(&l)),
    }
    .unwrap_or(accept);
    Ok((
        Ctx {
            principal,
            lang,
            csrf,
            path,
        },
        minted,
    ))
}

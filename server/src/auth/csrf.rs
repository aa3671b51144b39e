//! CSRF defence for browser forms: a per-session token every state-changing form carries,
//! checked by [`CsrfForm`], plus a same-origin check of `Origin`/`Referer` on every
//! unsafe request outside `/api/` (which authenticates by bearer token, never by cookie).

use axum::{
    body::Bytes,
    extract::{FromRequest, Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::Rng;
use serde::{Deserialize, de::DeserializeOwned};

use super::context::Ctx;
use crate::{
    error::{AppError, Code},
    state::AppState,
};

/// A fresh random token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares in time independent of where the strings differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// The session's token as a page carries it: a fresh random mask and the token XOR the
/// mask, so no two pages hold the same bytes and a compressed page does not leak the token
/// by its length (BREACH).
pub fn masked(token: &str) -> String {
    let secret = token.as_bytes();
    let mut out = vec![0u8; secret.len() * 2];
    let (mask, hidden) = out.split_at_mut(secret.len());
    rand::rng().fill_bytes(mask);
    for ((h, m), s) in hidden.iter_mut().zip(mask.iter()).zip(secret) {
        *h = m ^ s;
    }
    URL_SAFE_NO_PAD.encode(out)
}

/// The token inside a [`masked`] one; `None` for anything else.
fn unmask(submitted: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(submitted.trim()).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (mask, hidden) = bytes.split_at(bytes.len() / 2);
    Some(mask.iter().zip(hidden).map(|(m, h)| m ^ h).collect())
}

/// 403 unless `submitted` is a masked form of the session's token.
pub fn verify(ctx: &Ctx, submitted: &str) -> Result<(), AppError> {
    let ok = !ctx.csrf.is_empty()
        && unmask(submitted).is_some_and(|token| constant_time_eq(ctx.csrf.as_bytes(), &token));
    if ok { Ok(()) } else { Err(AppError::Csrf) }
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A urlencoded form whose `_csrf` field was checked against the session.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = req
            .extensions()
            .get::<Ctx>()
            .cloned()
            .ok_or(AppError::Csrf)?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(e.body_text())
            }
        })?;
        let token: TokenField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        verify(&ctx, &token.csrf)?;
        if crate::text::urlencoded_has_nul(&bytes) {
            return Err(AppError::invalid(Code::InvalidText, "form"));
        }
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(CsrfForm(value))
    }
}

/// A multipart form whose first part is a valid `_csrf` token, checked before anything
/// else of the body is read: the rest (files included) is never read for a forged form.
/// A form without the token first is 403.
pub struct CsrfMultipart(pub axum::extract::Multipart);

impl<S> FromRequest<S> for CsrfMultipart
where
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = req
            .extensions()
            .get::<Ctx>()
            .cloned()
            .ok_or(AppError::Csrf)?;
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        let field = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?
            .ok_or(AppError::Csrf)?;
        if field.name() != Some("_csrf") {
            return Err(AppError::Csrf);
        }
        let token = field
            .text()
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        verify(&ctx, &token)?;
        Ok(CsrfMultipart(multipart))
    }
}

/// Middleware: refuses unsafe browser requests whose `Origin` (or, without it, `Referer`)
/// is not this site.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host_origin = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| (format!("http://{h}"), format!("https://{h}")));
    let base = state.config().base_url.as_str();
    let allowed = |origin: &str| {
        origin == base
            || host_origin
                .as_ref()
                .is_some_and(|(a, b)| origin == a || origin == b)
    };
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let ok = match origin {
        Some(o) => allowed(o),
        None => headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(origin_of)
            .is_some_and(|o| allowed(&o)),
    };
    if ok {
        next.run(req).await
    } else {
        AppError::Csrf.into_response()
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_tokens() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/admin/units?x=1").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert_ne!(new_token(), new_token());
    }

    #[test]
    fn masked_tokens_differ_and_unmask_to_the_secret() {
        let secret = new_token();
        let (a, b) = (masked(&secret), masked(&secret));
        assert_ne!(a, b);
        assert!(!a.contains(&secret));
        assert_eq!(unmask(&a).as_deref(), Some(secret.as_bytes()));
        assert_eq!(unmask(&b).as_deref(), Some(secret.as_bytes()));
        assert_ne!(unmask(&secret).as_deref(), Some(secret.as_bytes()));
        assert_eq!(unmask(""), None);
        assert_eq!(unmask("not base64!"), None);
    }
}

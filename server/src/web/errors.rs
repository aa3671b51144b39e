//! Renders every error response in one place: an HTML page with the right status (and a
//! request id for 500s), a redirect to the login page for a guest, or the JSON body
//! `{"error":{"code","message"}}` under `/api/`.

use askama::Template;
use axum::{
    Json,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

use super::{
    i18n::{Lang, Tr},
    page::{PageCtx, render_status},
};
use crate::{
    auth::context::Ctx,
    error::{AppError, Code},
};

impl AppError {
    /// The HTTP status this error becomes.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::BadParameter { .. } => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Invalid { .. } | Self::Fields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } | Self::AccountLocked { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let status = self.status();
        let mut response = status.into_response();
        match self {
            Self::TooManyRequests { retry_after } | Self::AccountLocked { retry_after } => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            Self::Unavailable { .. } | Self::StorageFull => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_LATER));
            }
            _ => {}
        }
        let field = match &self {
            Self::Invalid { field, .. } => *field,
            Self::Fields(all) => match all.first() {
                Some(Self::Invalid { field, .. }) => *field,
                _ => None,
            },
            _ => None,
        };
        let fields = match &self {
            Self::Fields(all) => all
                .iter()
                .map(|e| {
                    let field = match e {
                        Self::Invalid { field, .. } => *field,
                        _ => None,
                    };
                    (e.code(), e.detail(), field)
                })
                .collect(),
            _ => Vec::new(),
        };
        response.extensions_mut().insert(ErrorInfo {
            code: self.code(),
            detail: self.detail(),
            field,
            fields,
        });
        response
    }
}

/// Seconds a client is asked to wait after a 503 or 507.
const RETRY_LATER: u64 = 30;

/// What `web::errors` needs to render the body, carried in the response's extensions.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// See [`AppError::code`].
    pub code: Code,
    /// See [`AppError::detail`].
    pub detail: Option<String>,
    /// The field at fault, for 422.
    pub field: Option<&'static str>,
    /// Every refusal when several fields were refused at once (code, detail, field).
    pub fields: Vec<(Code, Option<String>, Option<&'static str>)>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageCtx,
    status: u16,
    heading: String,
    message: String,
    request_id: Option<String>,
}

/// The catalog message for an error code, with its detail: in place of `{detail}` where the
/// message has one, else in parentheses after it.
pub fn message(lang: Lang, code: Code, detail: Option<&str>) -> String {
    let t = Tr { lang };
    let key = format!("error.{code}");
    let catalog = lang.catalog();
    let base = if catalog.has(&key) {
        catalog.get(&key).to_owned()
    } else {
        t.get("error.generic").to_owned()
    };
    match detail {
        Some(d) if base.contains("{detail}") => base.replace("{detail}", d),
        Some(d) if !d.is_empty() => format!("{base} ({d})"),
        _ => base.replace("{detail}", "").trim().to_owned(),
    }
}

/// A refusal to show on a form: the message in the viewer's language, and the field it is
/// about (empty when it is about the whole form). The one way pages word an error.
pub fn form_error(ctx: &Ctx, e: &AppError) -> (String, String) {
    let field = match e {
        AppError::Invalid { field: Some(f), .. } => (*f).to_owned(),
        _ => String::new(),
    };
    (message(ctx.lang, e.code(), e.detail().as_deref()), field)
}

/// Every refusal of a form, each with the field it is about (empty for the whole form), in
/// the viewer's language: shown together at the top and each beside its field.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    /// (field, message) in the form's order.
    pub list: Vec<(String, String)>,
}

impl FormErrors {
    /// The refusals in `e` (none without one).
    pub fn of(ctx: &Ctx, e: Option<&AppError>) -> FormErrors {
        let each = |e: &AppError| {
            let (message, field) = form_error(ctx, e);
            (field, message)
        };
        let list = match e {
            None => Vec::new(),
            Some(AppError::Fields(all)) => all.iter().map(each).collect(),
            Some(e) => vec![each(e)],
        };
        FormErrors { list }
    }

    /// The same refusals with the fields some forms name differently (`(from, to)`: the
    /// service's field, the form's input id).
    pub fn renamed(mut self, names: &[(&str, &str)]) -> FormErrors {
        for (field, _) in &mut self.list {
            if let Some((_, to)) = names.iter().find(|(from, _)| from == field) {
                *field = (*to).to_owned();
            }
        }
        self
    }

    /// Nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The message for `field`, if it was refused.
    pub fn on(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The attributes a refused field's input carries (`aria-invalid`, and
    /// `aria-describedby` naming its message); empty for a field that is fine. `field` is
    /// one of our own ids, never user input.
    pub fn attrs(&self, field: &str) -> String {
        if self.on(field).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"{field}-error\"")
        } else {
            String::new()
        }
    }

    /// [`FormErrors::attrs`] for a field that also has a hint (`hint` is its id): the hint is
    /// described always, the message when there is one.
    pub fn attrs_with(&self, field: &str, hint: &str) -> String {
        if self.on(field).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"{hint} {field}-error\"")
        } else {
            format!(" aria-describedby=\"{hint}\"")
        }
    }
}

/// Whether an error is for the user to fix on the form (422, 409), shown in place with what
/// they typed, rather than as an error page.
pub fn user_error(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Invalid { .. } | AppError::Fields(_) | AppError::Conflict { .. }
    )
}

/// Middleware: turns responses that carry [`ErrorInfo`] into full error responses.
pub async fn render(req: Request, next: Next) -> Response {
    // Scripts on the pages ask for JSON too, and get their errors the API's way.
    let is_api = req.uri().path().starts_with("/api/") || super::extract::wants_json(req.headers());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let res = next.run(req).await;
    let (res, info) = match res.extensions().get::<ErrorInfo>().cloned() {
        Some(info) => (res, info),
        None => match plain_refusal(res).await {
            (res, Some(info)) => (res, info),
            (res, None) => return res,
        },
    };
    let status = res.status();
    // The context middleware runs inside this one and leaves its result on the response.
    let ctx = res.extensions().get::<Ctx>().cloned();
    let lang = ctx.as_ref().map(|c| c.lang).unwrap_or_default();
    let internal = status == StatusCode::INTERNAL_SERVER_ERROR;
    let text = message(
        lang,
        info.code,
        if internal {
            None
        } else {
            info.detail.as_deref()
        },
    );
    let mut out = if is_api {
        let mut body = json!({"error": {"code": info.code, "message": text}});
        if let Some(field) = info.field {
            body["error"]["field"] = json!(field);
        }
        if !info.fields.is_empty() {
            body["error"]["fields"] = info
                .fields
                .iter()
                .map(|(code, detail, field)| {
                    json!({"code": code, "field": field,
                           "message": message(lang, *code, detail.as_deref())})
                })
                .collect();
        }
        if internal {
            body["error"]["request_id"] = json!(request_id);
        }
        (status, Json(body)).into_response()
    } else if status == StatusCode::UNAUTHORIZED && info.code == Code::Unauthenticated {
        let next = utf8_percent_encode(&path_and_query, NEXT_URL);
        Redirect::to(&format!("/login?next={next}")).into_response()
    } else {
        let Some(ctx) = ctx else {
            return (status, text).into_response();
        };
        let t = Tr { lang };
        let heading_key = match status.as_u16() {
            403 => "error.heading_403",
            404 => "error.heading_404",
            429 => "error.heading_429",
            500 => "error.heading_500",
            _ => "error.heading_other",
        };
        let page = ErrorPage {
            page: PageCtx::new(&ctx, heading_key),
            status: status.as_u16(),
            heading: t.get(heading_key).to_owned(),
            message: text,
            request_id: if internal { request_id } else { None },
        };
        render_status(status, &page).unwrap_or_else(|_| (status, "error").into_response())
    };
    if let Some(retry) = res.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    out
}

/// axum's own refusals (a body over its limit, a wrong content type or method, a body that
/// is not text) come as plain text or empty: they get a code, and the text as the detail, so they are
/// rendered like every other error.
async fn plain_refusal(res: Response) -> (Response, Option<ErrorInfo>) {
    let code = match res.status() {
        StatusCode::BAD_REQUEST => Code::BadRequest,
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => Code::InvalidBody,
        // The request timeout (503) and a body that stopped coming (408).
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => Code::RequestTimeout,
        _ => return (res, None),
    };
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !plain {
        return (res, None);
    }
    let (parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .filter(|d| !d.is_empty());
    let res = Response::from_parts(parts, axum::body::Body::empty());
    (
        res,
        Some(ErrorInfo {
            code,
            detail,
            field: None,
            fields: Vec::new(),
        }),
    )
}

/// What stays literal in the `next=` address after login: unreserved characters and `/`.
const NEXT_URL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// The router's fallback: every unknown path is a 404.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A panic inside a handler becomes an opaque 500 with a request id.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

//! Extractors whose failures become Mahir's JSON errors instead of axum's plain text.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Query, Request, rejection::JsonRejection},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

use crate::{
    error::{AppError, Code},
    text,
};

/// A JSON body; a wrong shape is 422 `invalid_body`, a NUL character anywhere in it 422
/// `invalid_text`. Malformed JSON (400), a missing JSON content type (415) and a body
/// over the route's limit (413) are given their code by `web::errors`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected request with `Content-Type: application/json`",
            )
                .into_response());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if text::json_has_nul(&bytes) {
            return Err(AppError::invalid(Code::InvalidText, "body").into_response());
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::Invalid {
                code: Code::InvalidBody,
                field: None,
                detail: Some(e.body_text()),
            }
            .into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| {
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// A plain-text body (a question file); a NUL character is 422 `invalid_text`.
#[derive(Debug)]
pub struct TextBody(pub String);

impl<S: Send + Sync> FromRequest<S> for TextBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = String::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        text::refuse_nul(&body, "body").map_err(IntoResponse::into_response)?;
        Ok(TextBody(body))
    }
}

/// The highest page number a list accepts (beyond it every list is empty anyway).
pub const MAX_PAGE: u64 = 100_000;
/// The most rows a list gives on one page.
pub const MAX_PER_PAGE: u64 = 200;

/// Query parameters; bad ones are 400 with the reason. A NUL character is 422
/// `invalid_text`; `page` outside 1–[`MAX_PAGE`] or `per_page` outside
/// 1–[`MAX_PER_PAGE`] is 400 `invalid_page`, whatever the list.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if text::urlencoded_has_nul(query.as_bytes()) {
            return Err(AppError::invalid(Code::InvalidText, "query"));
        }
        check_paging(query)?;
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|e| AppError::BadRequest(e.body_text()))
    }
}

/// `page` and `per_page`, where present, are whole numbers in their ranges.
fn check_paging(query: &str) -> Result<(), AppError> {
    // A query that is not even key=value pairs is left to the list's own parser.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    for (key, value) in pairs {
        let max = match key.as_str() {
            "page" => MAX_PAGE,
            "per_page" => MAX_PER_PAGE,
            _ => continue,
        };
        if value.is_empty() {
            continue;
        }
        if !value.parse::<u64>().is_ok_and(|n| (1..=max).contains(&n)) {
            return Err(AppError::BadParameter {
                code: Code::InvalidPage,
            });
        }
    }
    Ok(())
}

/// The id in a route's one path parameter (`/courses/{id}`). A segment that is not a UUID
/// is 404, as no such thing would be.
#[derive(Debug, Clone, Copy)]
pub struct Id(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        parse_id(&raw).map(Id)
    }
}

/// The ids in a route's two path parameters (`/attempts/{id}/answers/{question_id}`), in
/// order; as [`Id`].
#[derive(Debug, Clone, Copy)]
pub struct Ids(pub uuid::Uuid, pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        Ok(Ids(parse_id(&a)?, parse_id(&b)?))
    }
}

/// Parses a path segment as a UUID; anything else is simply "not found".
pub fn parse_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

/// Whether the client asked for JSON (the pages' scripts do) rather than a page.
pub fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Default page size of a list endpoint.
pub const DEFAULT_PER_PAGE: u64 = 50;

/// `?page=&per_page=` of a list endpoint; with [`Params`], out of range is 400
/// `invalid_page`. Every list answers `{items, total, page, per_page}`.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page, from 1 (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

impl PageQuery {
    /// The page asked for, from 1.
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    /// The page size asked for.
    pub fn per_page(&self) -> u64 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }

    /// The asked page of a list held whole, and the list's length.
    pub fn slice<T>(&self, all: Vec<T>) -> (Vec<T>, u64) {
        let total = all.len() as u64;
        let skip = usize::try_from((self.page() - 1).saturating_mul(self.per_page()))
            .unwrap_or(usize::MAX);
        let take = usize::try_from(self.per_page()).unwrap_or(usize::MAX);
        (all.into_iter().skip(skip).take(take).collect(), total)
    }
}

/// Runs `upload` on the file part `file` of a multipart body, with the name it was sent
/// under (`default_name` when none; parts before it are skipped, none after it is read);
/// 422 `file_missing` when there is none. The one way the upload handlers find their file.
pub async fn with_file<T>(
    multipart: &mut axum::extract::Multipart,
    default_name: &str,
    upload: impl for<'f> AsyncFnOnce(axum::extract::multipart::Field<'f>, String) -> Result<T, AppError>,
) -> Result<T, AppError> {
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(default_name).to_owned();
            return upload(field, name).await;
        }
    }
    Err(AppError::invalid(Code::FileMissing, "file"))
}

//! Materials: uploads streamed into the object store and recorded per course, and
//! downloads streamed back with `Range`, `ETag` and safe `Content-Disposition`.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures_util::Stream;
use mahir_content::{
    sniff::is_inline_safe,
    store::{MaterialStore, PutError, StoreError},
};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

use super::{authoring, model::LessonKind};
use crate::{
    entities::{lessons, materials},
    error::{AppError, AppResult},
    state::AppState,
    time::now,
};

/// Longest file name kept.
const MAX_NAME: usize = 200;

/// A user-given file name reduced to its last path segment, without control characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "berkas".to_owned()
    } else {
        cleaned
    }
}

fn put_error(e: PutError) -> AppError {
    match e {
        PutError::TooLarge { max } => AppError::Invalid {
            code: "file_too_large",
            field: Some("file"),
            detail: Some(format!("{} MiB", max / (1024 * 1024))),
        },
        PutError::Empty => AppError::invalid("file_empty", "file"),
        PutError::TypeMismatch { declared, actual } => AppError::Invalid {
            code: "file_type_mismatch",
            field: Some("file"),
            detail: Some(format!(".{declared} ≠ {actual}")),
        },
        PutError::Body(e) => AppError::BadRequest(format!("upload interrupted: {e}")),
        PutError::Store(e) => AppError::Internal(anyhow::Error::new(e)),
    }
}

/// Bytes of materials a user has uploaded so far.
pub async fn used_by(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<u64> {
    let used: Option<i64> = materials::Entity::find()
        .select_only()
        .expr_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "used")
        .filter(materials::Column::UploadedBy.eq(user_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(u64::try_from(used.unwrap_or(0)).unwrap_or(0))
}

/// Streams an upload into the store and records it for the course. With a lesson, a video,
/// PDF or WebVTT file also becomes that lesson's video, document or captions. The file may
/// not exceed the store's size cap nor what is left of the uploader's `quota`.
#[allow(clippy::too_many_arguments)]
pub async fn upload<S, E>(
    store: &MaterialStore,
    db: &impl ConnectionTrait,
    quota: u64,
    course_id: Uuid,
    lesson: Option<lessons::Model>,
    uploaded_by: Uuid,
    file_name: &str,
    body: S,
) -> AppResult<materials::Model>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    let name = clean_file_name(file_name);
    let left = quota.saturating_sub(used_by(db, uploaded_by).await?);
    let quota_bound = left < store.max_size();
    if left == 0 {
        return Err(AppError::invalid("upload_quota_exceeded", "file"));
    }
    let stored = store
        .with_max_size(left.min(store.max_size()))
        .put(body, &name)
        .await
        .map_err(|e| match e {
            PutError::TooLarge { .. } if quota_bound => {
                AppError::invalid("upload_quota_exceeded", "file")
            }
            e => put_error(e),
        })?;
    let material = materials::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(course_id),
        storage_key: Set(stored.key.clone()),
        file_name: Set(name),
        content_type: Set(stored.content_type.clone()),
        size: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
        sha256: Set(stored.sha256.clone()),
        uploaded_by: Set(uploaded_by),
        created_at: Set(now()),
    }
    .insert(db)
    .await;
    let material = match material {
        Ok(m) => m,
        Err(e) => {
            // Nothing acknowledged refers to the bytes: remove them again.
            let _ = store.delete(&stored.key).await;
            return Err(e.into());
        }
    };
    if let Some(lesson) = lesson {
        attach(db, lesson, &material).await?;
    }
    authoring::rerender_lessons(db, course_id).await?;
    Ok(material)
}

/// Makes a material a lesson's main file or captions when its type fits the lesson.
async fn attach(
    db: &impl ConnectionTrait,
    lesson: lessons::Model,
    m: &materials::Model,
) -> AppResult<()> {
    let kind = LessonKind::parse(&lesson.kind);
    let ct = m.content_type.as_str();
    let mut am: lessons::ActiveModel = lesson.into();
    match kind {
        Some(LessonKind::Video) if ct.starts_with("video/") => {
            am.material_id = Set(Some(m.id));
            am.duration_seconds = Set(None);
        }
        Some(LessonKind::Video) if ct.starts_with("text/vtt") => {
            am.captions_material_id = Set(Some(m.id));
        }
        // Images go into a lesson's text; anything else becomes the document.
        Some(LessonKind::Document) if !ct.starts_with("image/") && !ct.starts_with("text/vtt") => {
            am.material_id = Set(Some(m.id));
        }
        _ => return Ok(()),
    }
    am.updated_at = Set(now());
    am.update(db).await?;
    Ok(())
}

/// A material by id.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<materials::Model> {
    materials::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Characters kept as they are in `filename*` (RFC 5987 attr-char).
const ATTR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition` per RFC 6266: an ASCII fallback name and the UTF-8 name.
pub fn disposition(inline: bool, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        fallback,
        utf8_percent_encode(name, ATTR)
    )
}

/// The single byte range a request asks for; `Ok(None)` means "the whole file" (no Range,
/// an `If-Range` that no longer matches, or several ranges).
fn requested_range(
    headers: &HeaderMap,
    etag: &str,
    size: u64,
) -> Result<Option<std::ops::Range<u64>>, ()> {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    if let Some(if_range) = headers.get(header::IF_RANGE)
        && if_range.as_bytes() != etag.as_bytes()
    {
        return Ok(None);
    }
    // A Range header that cannot be parsed is ignored; one that parses but lies outside
    // the file is unsatisfiable.
    let Ok(parsed) = http_range_header::parse_range_header(raw) else {
        return Ok(None);
    };
    let ranges = parsed.validate(size).map_err(|_| ())?;
    match ranges.as_slice() {
        [one] => Ok(Some(*one.start()..one.end() + 1)),
        _ => Ok(None),
    }
}

/// Streams a material: 304 for a matching `If-None-Match`, 206 for one satisfiable range,
/// 416 for an unsatisfiable one. HTML, SVG and other active types are always attachments
/// under a sandboxing CSP.
pub async fn serve(
    state: &AppState,
    m: &materials::Model,
    headers: &HeaderMap,
    download: bool,
) -> AppResult<Response> {
    let etag = format!("\"{}\"", m.sha256);
    let size = u64::try_from(m.size).unwrap_or(0);
    let inline = !download && is_inline_safe(&m.content_type);
    let mut common = HeaderMap::new();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(&mut common, header::ETAG, &etag);
    set(&mut common, header::CACHE_CONTROL, "private, max-age=86400");
    set(&mut common, header::ACCEPT_RANGES, "bytes");
    if !inline {
        set(
            &mut common,
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        );
    }
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        && inm.split(',').any(|t| t.trim() == etag || t.trim() == "*")
    {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    let Ok(range) = requested_range(headers, &etag, size) else {
        set(
            &mut common,
            header::CONTENT_RANGE,
            &format!("bytes */{size}"),
        );
        return Ok((StatusCode::RANGE_NOT_SATISFIABLE, common).into_response());
    };
    let fetched = match state.materials().get(&m.storage_key, range.clone()).await {
        Ok(f) => f,
        Err(StoreError::RangeNotSatisfiable { size }) => {
            set(
                &mut common,
                header::CONTENT_RANGE,
                &format!("bytes */{size}"),
            );
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, common).into_response());
        }
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::Internal(anyhow::Error::new(e))),
    };
    set(&mut common, header::CONTENT_TYPE, &m.content_type);
    set(
        &mut common,
        header::CONTENT_DISPOSITION,
        &disposition(inline, &m.file_name),
    );
    let len = fetched.range.end - fetched.range.start;
    set(&mut common, header::CONTENT_LENGTH, &len.to_string());
    let status = if range.is_some() {
        set(
            &mut common,
            header::CONTENT_RANGE,
            &format!(
                "bytes {}-{}/{}",
                fetched.range.start,
                fetched.range.end.saturating_sub(1),
                fetched.size
            ),
        );
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    Ok((status, common, Body::from_stream(fetched.body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_encoded() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\Materi 1.pdf"), "Materi 1.pdf");
        assert_eq!(clean_file_name(".."), "berkas");
        assert_eq!(
            disposition(false, "Modul \"ő\".pdf"),
            "attachment; filename=\"Modul ___.pdf\"; filename*=UTF-8''Modul%20%22%C5%91%22.pdf"
        );
    }
}

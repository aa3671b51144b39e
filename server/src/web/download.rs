//! File downloads: materials streamed from the store with `Range`, `ETag` and a safe
//! `Content-Disposition`, and files made by the server (question banks as GIFT, results as
//! CSV).

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use mahir_content::{sniff::is_inline_safe, store::StoreError};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::{
    courses::materials::store_error, entities::materials, error::AppResult, state::AppState,
};

/// The policy every material is served under: a sandbox with no resources of its own,
/// framed only by our pages (the lesson page shows a PDF in a frame).
const MATERIAL_CSP: &str = "sandbox; default-src 'none'; frame-ancestors 'self'";

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

/// `body` as a file download named `name` (RFC 6266 `Content-Disposition`).
pub fn attachment(name: &str, content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition(false, name)),
        ],
        body,
    )
        .into_response()
}

/// A GIFT file download.
pub fn gift(name: &str, text: String) -> Response {
    attachment(name, "text/plain; charset=utf-8", text)
}

/// A CSV file download.
pub fn csv(name: &str, text: String) -> Response {
    attachment(name, "text/csv; charset=utf-8", text)
}

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
/// 416 for an unsatisfiable one. Every material is under a sandboxing CSP; HTML, SVG and
/// other active types are also always attachments.
pub async fn material(
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
    // Whatever a file holds runs nowhere on our origin: PDFs shown inline too (their
    // viewer works in a sandbox), and active types are attachments besides.
    set(&mut common, header::CONTENT_SECURITY_POLICY, MATERIAL_CSP);
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
        Err(e) => return Err(store_error(e)),
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

/// A file Mahir made (an export) from the material store, whole, as an attachment.
pub async fn stored_file(
    state: &AppState,
    key: &str,
    name: &str,
    content_type: &str,
) -> AppResult<Response> {
    let fetched = state
        .materials()
        .get(key, None)
        .await
        .map_err(crate::courses::materials::store_error)?;
    let mut headers = HeaderMap::new();
    for (k, v) in [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_DISPOSITION, disposition(false, name)),
        (header::CONTENT_LENGTH, fetched.size.to_string()),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            headers.insert(k, v);
        }
    }
    Ok((StatusCode::OK, headers, Body::from_stream(fetched.body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded() {
        assert_eq!(
            disposition(false, "Modul \"ő\".pdf"),
            "attachment; filename=\"Modul ___.pdf\"; filename*=UTF-8''Modul%20%22%C5%91%22.pdf"
        );
    }
}

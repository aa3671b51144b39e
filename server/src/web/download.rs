//! File downloads made by the server (question banks as GIFT, results as CSV).

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// `body` as a file download named `name` (RFC 6266 `Content-Disposition`).
pub fn attachment(name: &str, content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                crate::courses::materials::disposition(false, name),
            ),
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

//! The CSS, JavaScript and images in `assets/`, compiled into the binary and served under
//! content-hashed names with a one-year cache lifetime.

use std::{collections::HashMap, sync::LazyLock};

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// One embedded file.
#[derive(Debug)]
struct Asset {
    /// Name with the content hash, e.g. `app.3f2a9c1d0b.css`.
    hashed: String,
    bytes: &'static [u8],
    content_type: &'static str,
}

/// (logical name, bytes, content type) of every embedded file.
const FILES: [(&str, &[u8], &str); 3] = [
    (
        "app.css",
        include_bytes!("../../../assets/css/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "app.js",
        include_bytes!("../../../assets/js/app.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "logo.svg",
        include_bytes!("../../../assets/img/logo.svg"),
        "image/svg+xml",
    ),
];

struct Table {
    by_logical: HashMap<&'static str, Asset>,
    by_hashed: HashMap<String, &'static str>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut by_logical = HashMap::new();
    let mut by_hashed = HashMap::new();
    for (name, bytes, content_type) in FILES {
        let digest = hex::encode(Sha256::digest(bytes));
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let hashed = format!("{stem}.{}.{ext}", &digest[..10]);
        by_hashed.insert(hashed.clone(), name);
        by_logical.insert(
            name,
            Asset {
                hashed,
                bytes,
                content_type,
            },
        );
    }
    Table {
        by_logical,
        by_hashed,
    }
});

/// The URL of an embedded file, e.g. `/assets/app.3f2a9c1d0b.css`.
pub fn url(name: &str) -> String {
    match TABLE.by_logical.get(name) {
        Some(a) => format!("/assets/{}", a.hashed),
        None => format!("/assets/{name}"),
    }
}

/// `GET /assets/{file}`: only hashed names are served, and they never change.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(asset) = TABLE
        .by_hashed
        .get(&file)
        .and_then(|logical| TABLE.by_logical.get(logical))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_carry_the_content_hash() {
        let u = super::url("app.css");
        assert!(
            u.starts_with("/assets/app.") && u.ends_with(".css") && u.len() > 20,
            "{u}"
        );
    }
}

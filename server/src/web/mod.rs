//! The web shell: layout and page context, message catalogs, embedded assets, error pages
//! and the extractors shared by every domain.

pub mod assets;
pub mod download;
pub mod errors;
pub mod extract;
pub mod format;
pub mod home;
pub mod i18n;
pub mod import;
pub mod page;
pub mod security;

/// Largest request body a route accepts unless it sets its own limit: JSON, forms and
/// every other small body (1 MiB).
pub const MAX_BODY: usize = 1024 * 1024;

//! The web shell: layout and page context, message catalogs, embedded assets, error pages
//! and the extractors shared by every domain.

pub mod assets;
pub mod errors;
pub mod extract;
pub mod home;
pub mod i18n;
pub mod page;
pub mod security;

//! The organisation admin pages, one file per feature: units and positions (`units`),
//! employees (`employees`) and the CSV import (`import`).

mod employees;
mod import;
mod units;

pub use employees::*;
pub use import::*;
pub use units::*;

use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The query of the unit and employee pages.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    page: Option<u64>,
    q: Option<String>,
    unit: Option<String>,
    parent: Option<String>,
}

/// Employees per page.
const PER_PAGE: u64 = 50;

/// An optional id from a form field: empty is none, anything but a UUID is 400.
fn opt_id(raw: &str) -> AppResult<Option<Uuid>> {
    match raw.trim() {
        "" => Ok(None),
        s => Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| AppError::BadRequest("malformed id".into())),
    }
}

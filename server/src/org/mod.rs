//! The organisation: units (a tree), positions, grades, employees (NIP), supervisor links
//! and the employee CSV import.

pub mod api;
pub mod employees;
pub mod import;
pub mod model;
pub mod pages;
pub mod units;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The admin pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/units",
            get(pages::units_index).post(pages::unit_create),
        )
        .route("/admin/units/new", get(pages::unit_new))
        .route(
            "/admin/units/{id}",
            get(pages::unit_show).post(pages::unit_update),
        )
        .route("/admin/units/{id}/edit", get(pages::unit_edit))
        .route("/admin/units/{id}/positions", post(pages::position_create))
        .route(
            "/admin/employees",
            get(pages::employees_index).post(pages::employee_create),
        )
        .route("/admin/employees/new", get(pages::employee_new))
        .route(
            "/admin/employees/{id}",
            get(pages::employee_show).post(pages::employee_update),
        )
        .route("/admin/employees/{id}/edit", get(pages::employee_edit))
        .route(
            "/admin/employees/{id}/active",
            post(pages::employee_set_active),
        )
        .route(
            "/admin/employees/{id}/password",
            post(pages::employee_set_password),
        )
        .route(
            "/admin/import",
            get(pages::import_form)
                .post(pages::import_upload)
                .layer(DefaultBodyLimit::max(
                    crate::web::import::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
        .route("/admin/import/template.csv", get(pages::import_template))
}

/// The organisation API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_units, api::create_unit))
        .routes(routes!(api::get_unit))
        .routes(routes!(api::list_employees, api::create_employee))
        .routes(routes!(api::get_employee))
}

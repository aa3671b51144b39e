//! Reports for admins and unit admins: a unit's dashboard with its subtree's numbers
//! (`facts`: one definition of every number, computed in one pass; `snapshot`: the job
//! that stores the current year's every minute; `summary`: a unit's numbers, its
//! children's and the competency gaps), the employee list (`employees`), charts drawn on
//! the server (`charts`), and their pages and API.

pub mod api;
pub mod charts;
pub mod course;
pub mod employees;
pub mod exports;
pub mod facts;
pub mod pages;
pub mod sheet;
pub mod snapshot;
pub mod summary;

use axum::{Router, routing::get};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The report pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/reports", get(pages::home))
        .route("/reports/units/{id}", get(pages::dashboard))
        .route("/reports/units/{id}/employees", get(pages::employee_list))
        .route(
            "/reports/units/{id}/exports",
            axum::routing::post(pages::export),
        )
        .route("/reports/courses/{id}", get(pages::course_report))
        .route("/jobs/{id}", get(pages::job))
        .route("/jobs/{id}/download", get(pages::job_download))
}

/// The reports API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::unit_summary))
        .routes(routes!(api::unit_employees))
        .routes(routes!(api::unit_gaps))
        .routes(routes!(api::create_export))
        .routes(routes!(api::course_report))
}

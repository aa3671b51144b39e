//! Competency management: the dictionary, what positions require and courses develop,
//! the immutable completion records with the JP ledger, evidence and achieved levels,
//! profiles with gaps and recommendations, and supervisors' assessments.

pub mod api;
pub mod assessments;
pub mod dictionary;
pub mod dictionary_csv;
pub mod dictionary_pages;
pub mod evidence;
pub mod evidence_file;
pub mod external;
pub mod history;
pub mod import_pages;
pub mod json;
pub mod level_slots;
pub mod model;
pub mod pages;
pub mod profile;
pub mod recommend;
pub mod records;
pub mod requirements;
pub mod requirements_csv;
pub mod requirements_pages;
pub mod scope;
mod standard;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The competency pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/profile", get(pages::my_profile))
        .route("/profile/history.csv", get(pages::my_history))
        .route(
            "/profile/external",
            get(pages::external_index).post(pages::external_create),
        )
        .route("/employees/{id}/profile", get(pages::employee_profile))
        .route("/employees/{id}/history.csv", get(pages::employee_history))
        .route("/employees/{id}/assessments", post(pages::assess))
        .route(
            "/employees/{id}/records/{record}/reverse",
            post(pages::reverse_record),
        )
        .route(
            "/profile/external/{id}/evidence",
            post(pages::evidence_upload).layer(DefaultBodyLimit::max(EVIDENCE_BODY_LIMIT)),
        )
        .route(
            "/external-training/{id}/evidence",
            get(pages::evidence_download),
        )
        .route(
            "/admin/competencies",
            get(dictionary_pages::index).post(dictionary_pages::create),
        )
        .route("/admin/competencies/new", get(dictionary_pages::new_form))
        .route(
            "/admin/competencies/{id}",
            get(dictionary_pages::edit_form).post(dictionary_pages::update),
        )
        .route(
            "/admin/competencies/{id}/retired",
            post(dictionary_pages::set_retired),
        )
        .route(
            "/admin/competencies/import",
            get(import_pages::form)
                .post(import_pages::import_dictionary)
                .layer(DefaultBodyLimit::max(CSV_BODY_LIMIT)),
        )
        .route(
            "/admin/competencies/requirements/import",
            post(import_pages::import_requirements).layer(DefaultBodyLimit::max(CSV_BODY_LIMIT)),
        )
        .route(
            "/admin/competencies/template.csv",
            get(import_pages::dictionary_template),
        )
        .route(
            "/admin/competencies/export.csv",
            get(import_pages::dictionary_export),
        )
        .route(
            "/admin/competencies/requirements/template.csv",
            get(import_pages::requirements_template),
        )
        .route(
            "/admin/competencies/requirements.csv",
            get(import_pages::requirements_export),
        )
        .route(
            "/admin/positions/{id}/requirements",
            get(requirements_pages::show).post(requirements_pages::save),
        )
        .route("/admin/verification", get(pages::verify_index))
        .route("/admin/verification/{id}", post(pages::verify_decide))
}

/// The competency API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_competencies, api::create_competency))
        .routes(routes!(api::get_competency, api::patch_competency))
        .routes(routes!(api::get_requirements, api::put_requirements))
        .routes(routes!(api::reverse_completion))
        .routes(routes!(api::put_course_competencies))
        .routes(routes!(api::my_profile))
        .routes(routes!(api::employee_profile))
        .routes(routes!(api::my_completions))
        .routes(routes!(api::employee_completions))
        .routes(routes!(api::my_recommendations))
        .routes(routes!(api::create_assessment))
        .routes(routes!(api::submit_external, api::my_external))
        .routes(routes!(api::verify_external))
        .routes(routes!(api::pending_external))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(api::upload_evidence, api::get_evidence))
                .layer(DefaultBodyLimit::max(EVIDENCE_BODY_LIMIT)),
        )
}

/// The body a CSV import may send: the file and the multipart around it.
const CSV_BODY_LIMIT: usize = crate::web::import::MAX_UPLOAD_BYTES + 64 * 1024;

/// The body an evidence upload may send: the file and the multipart around it.
const EVIDENCE_BODY_LIMIT: usize = evidence_file::MAX_BYTES as usize + 64 * 1024;

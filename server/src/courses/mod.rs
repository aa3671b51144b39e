//! Courses: authoring of courses, modules, lessons and materials; the catalogue;
//! enrolment and assignment; the learner's player with progress and resume.

pub mod access;
pub mod api;
pub mod api_learning;
pub mod authoring;
pub mod cache;
pub mod catalogue;
pub mod editing;
pub mod enrolment;
pub mod json;
pub mod materials;
pub mod model;
pub mod pages;
pub mod progress;
pub mod teach;
pub mod teaching;
pub mod views;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The learner's and the author's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/courses", get(pages::catalogue))
        .route("/courses/{id}", get(pages::course))
        .route("/courses/{id}/enrol", post(pages::enrol))
        .route(
            "/courses/{id}/assignments",
            get(pages::assign_form).post(pages::assign),
        )
        .route(
            "/courses/{id}/assignments/{assignment_id}/withdraw",
            axum::routing::post(pages::withdraw),
        )
        .route("/lessons/{id}", get(pages::lesson))
        .route("/lessons/{id}/progress", post(pages::progress))
        .route("/materials/{id}", get(pages::material))
        .route("/teach", get(teach::index).post(teach::create))
        .route("/teach/new", get(teach::new_form))
        .route(
            "/teach/courses/{id}",
            get(teach::outline).post(teach::update),
        )
        .route("/teach/courses/{id}/edit", get(teach::edit_form))
        .route(
            "/teach/courses/{id}/competencies",
            axum::routing::post(teach::save_awards),
        )
        .route("/teach/courses/{id}/status", post(teach::set_status))
        .route("/teach/courses/{id}/modules", post(teach::add_module))
        .route("/teach/courses/{id}/cover", post(teach::set_cover))
        .route(
            "/teach/courses/{id}/instructors",
            post(teach::add_instructor),
        )
        .route(
            "/teach/courses/{id}/prerequisites",
            post(teach::add_prerequisite),
        )
        .route("/teach/modules/{id}", post(teach::rename_module))
        .route("/teach/modules/{id}/move", post(teach::move_module))
        .route("/teach/modules/{id}/delete", post(teach::delete_module))
        .route("/teach/modules/{id}/lessons", post(teach::add_lesson))
        .route(
            "/teach/lessons/{id}",
            get(teach::lesson_form).post(teach::update_lesson),
        )
        .route("/teach/lessons/{id}/move", post(teach::move_lesson))
        .route("/teach/lessons/{id}/delete", post(teach::delete_lesson))
}

/// The upload page route: its body streams into the store under the store's cap, so it
/// has no body limit and no request timeout (only an idle timeout on the body).
pub fn upload_pages() -> Router<AppState> {
    Router::new().route(
        "/teach/lessons/{id}/materials",
        post(teach::upload).layer(DefaultBodyLimit::disable()),
    )
}

/// The courses API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_courses, api::create_course))
        .routes(routes!(api::get_course))
        .routes(routes!(api::create_module))
        .routes(routes!(api::create_lesson))
        .routes(routes!(api::patch_lesson))
        .routes(routes!(api::get_material))
        .routes(routes!(api::publish_course))
        .routes(routes!(api_learning::create_assignment))
        .routes(routes!(api_learning::withdraw_assignment))
        .routes(routes!(api_learning::enrol))
        .routes(routes!(api_learning::my_courses))
        .routes(routes!(api_learning::record_progress))
        .routes(routes!(api_learning::course_progress))
}

/// The upload API route (see [`upload_pages`]).
pub fn upload_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::upload_material))
        .layer(DefaultBodyLimit::disable())
}

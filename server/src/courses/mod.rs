//! Courses: authoring of courses, modules, lessons and materials; the catalogue;
//! enrolment and assignment; the learner's player with progress and resume.

pub mod access;
pub mod api;
pub mod api_learning;
pub mod authoring;
pub mod cache;
pub mod catalogue;
pub mod enrolment;
pub mod json;
pub mod materials;
pub mod model;
pub mod pages;
pub mod progress;
pub mod teach;
pub mod teach_lesson;
pub mod teaching;
pub mod views;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::principal::Principal,
    db::begin_write,
    entities::materials as material_rows,
    error::{AppError, AppResult},
    state::AppState,
    web::extract::parse_id,
};

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
            get(teach_lesson::lesson_form).post(teach_lesson::update_lesson),
        )
        .route("/teach/lessons/{id}/move", post(teach::move_lesson))
        .route("/teach/lessons/{id}/delete", post(teach::delete_lesson))
        .route(
            "/teach/lessons/{id}/materials",
            post(teach_lesson::upload).layer(DefaultBodyLimit::disable()),
        )
}

/// The courses API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_courses, api::create_course))
        .routes(routes!(api::get_course))
        .routes(routes!(api::create_module))
        .routes(routes!(api::create_lesson))
        .routes(routes!(api::upload_material))
        .routes(routes!(api::get_material))
        .routes(routes!(api::publish_course))
        .routes(routes!(api_learning::create_assignment))
        .routes(routes!(api_learning::enrol))
        .routes(routes!(api_learning::my_courses))
        .routes(routes!(api_learning::record_progress))
        .routes(routes!(api_learning::course_progress))
        .layer(DefaultBodyLimit::disable())
}

/// A material `p` may read: its course's editors, its enrolled learners, and for a
/// course's cover anyone who may see the course. Everyone else gets 404.
pub async fn material_for(
    state: &AppState,
    p: &Principal,
    raw_id: &str,
) -> AppResult<material_rows::Model> {
    let m = materials::get(state.db(), parse_id(raw_id)?).await?;
    let access = access::course(state.db(), p, m.course_id).await?;
    if access.can_learn() || access.course.cover_material_id == Some(m.id) {
        Ok(m)
    } else {
        Err(AppError::NotFound)
    }
}

/// Records a progress report for `p` on a lesson, enrolling them first where they may
/// enrol (self-enrolment, or assigned);
/// returns the lesson id, its new state and the course's progress.
pub async fn save_progress(
    state: &AppState,
    p: &Principal,
    raw_lesson_id: &str,
    report: progress::Report,
) -> AppResult<(uuid::Uuid, progress::LessonState, i32)> {
    let txn = begin_write(state.db()).await?;
    let lesson = authoring::lesson(&txn, parse_id(raw_lesson_id)?).await?;
    let access = access::course(&txn, p, lesson.course_id).await?;
    let enrolment = match &access.enrolment {
        Some(e) => e.clone(),
        None if access.can_edit => {
            return Err(AppError::Conflict {
                code: "preview_not_recorded",
                detail: None,
            });
        }
        None => enrolment::enrol(&txn, p.user.id, &access).await?,
    };
    let s = progress::record(&txn, &enrolment, &lesson, report).await?;
    let percent = progress::course_percent(&txn, p.user.id, lesson.course_id).await?;
    txn.commit().await?;
    Ok((lesson.id, s, percent))
}

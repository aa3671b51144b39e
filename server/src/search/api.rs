//! `GET /api/v1/search`.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::service::{self, Found, SearchInput};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    error::AppResult,
    state::AppState,
    web::extract::Params,
};

/// What to search for.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words, and "phrases" in double quotes.
    pub q: Option<String>,
    /// `kepemimpinan`, `fungsional`, `teknis` or `lainnya`.
    pub category: Option<String>,
    /// Least JP.
    pub jp_min: Option<i32>,
    /// Most JP.
    pub jp_max: Option<i32>,
    /// `e_learning`, `classical` or `blended`.
    pub delivery: Option<String>,
    /// Only the courses the caller is enrolled in.
    #[serde(default)]
    pub mine: bool,
    /// Page, from 1.
    pub page: Option<u64>,
    /// Hits per page, 1–50 (default 10).
    pub per_page: Option<u64>,
}

impl SearchQuery {
    /// The search it asks for.
    pub fn input(&self) -> SearchInput {
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        SearchInput {
            q: self.q.clone().unwrap_or_default(),
            category: nonempty(&self.category),
            delivery: nonempty(&self.delivery),
            jp_min: self.jp_min,
            jp_max: self.jp_max,
            mine: self.mine,
            page: self.page.unwrap_or(1),
            per_page: self.per_page.unwrap_or(service::PER_PAGE),
        }
    }
}

/// One hit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HitJson {
    /// `course`, `module`, `lesson` or `document` (a PDF's text; `id` is its lesson).
    pub kind: String,
    /// The course, module or lesson.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// A passage with the matches in `<mark>`; everything else is escaped HTML.
    pub snippet: String,
    /// Its course.
    pub course_id: Uuid,
}

/// What a search found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchJson {
    /// Hits in all.
    pub total: u64,
    /// This page's hits, best first.
    pub hits: Vec<HitJson>,
    /// The page, from 1.
    pub page: u64,
    /// Hits per page.
    pub per_page: u64,
    /// Found by the typo-tolerant second try.
    pub fuzzy: bool,
    /// The index is being rebuilt: hits may be missing until it is done.
    pub rebuilding: bool,
}

impl From<Found> for SearchJson {
    fn from(f: Found) -> Self {
        SearchJson {
            total: f.results.total as u64,
            hits: f
                .results
                .hits
                .into_iter()
                .map(|h| HitJson {
                    kind: h.kind.as_str().to_owned(),
                    id: h.id,
                    title: h.title,
                    snippet: h.snippet,
                    course_id: h.course_id,
                })
                .collect(),
            page: f.page,
            per_page: f.per_page,
            fuzzy: f.results.fuzzy,
            rebuilding: f.rebuilding,
        }
    }
}

/// Search courses and, in the courses the caller takes or teaches, their content.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, body = SearchJson),
        (status = 401, body = ErrorBody),
        (status = 422, description = "Unknown category or delivery form, JP out of range", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<SearchQuery>,
) -> AppResult<Json<SearchJson>> {
    Ok(Json(service::search(&state, &p, &q.input()).await?.into()))
}

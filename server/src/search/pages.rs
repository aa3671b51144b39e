//! The search pages: the results with their filters (a plain GET form, no script needed)
//! and the suggestions the header's search box shows as one types.

use askama::Template;
use axum::{Json, extract::State, http::StatusCode, response::Response};
use serde::{Deserialize, Serialize};

use super::{
    api::SearchQuery,
    service::{self, Found, SearchInput},
};
use crate::{
    auth::context::{Auth, Ctx},
    courses::model::{Category, Delivery},
    error::AppResult,
    state::AppState,
    web::{
        errors::{form_error, user_error},
        extract::Params,
        page::{PageCtx, Pager, render_status},
    },
};

/// The results page's form as typed (every value kept as text).
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    jp_min: String,
    #[serde(default)]
    jp_max: String,
    #[serde(default)]
    mine: String,
    page: Option<u64>,
}

impl SearchForm {
    fn input(&self) -> Result<SearchInput, String> {
        let number = |s: &str, field: &str| -> Result<Option<i32>, String> {
            match s.trim() {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| field.to_owned()),
            }
        };
        Ok(SearchInput {
            q: self.q.clone(),
            category: Some(self.category.clone()).filter(|s| !s.is_empty()),
            delivery: Some(self.delivery.clone()).filter(|s| !s.is_empty()),
            jp_min: number(&self.jp_min, "jp_min")?,
            jp_max: number(&self.jp_max, "jp_max")?,
            mine: !self.mine.is_empty(),
            page: self.page.unwrap_or(1),
            per_page: service::PER_PAGE,
        })
    }

    /// The query string of these filters, for the pager's links.
    fn base(&self) -> String {
        serde_urlencoded::to_string([
            ("q", self.q.as_str()),
            ("category", self.category.as_str()),
            ("delivery", self.delivery.as_str()),
            ("jp_min", self.jp_min.as_str()),
            ("jp_max", self.jp_max.as_str()),
            ("mine", self.mine.as_str()),
        ])
        .map(|s| format!("{s}&"))
        .unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct ResultsPage {
    page: PageCtx,
    form: SearchForm,
    found: Option<Found>,
    pager: Pager,
    error: Option<String>,
    categories: &'static [&'static str],
    deliveries: &'static [&'static str],
}

/// The page a hit opens: its course, or its lesson (a document's is the lesson it is in).
fn url_of(hit: &mahir_content::search::Hit) -> String {
    use mahir_content::search::Kind;
    match hit.kind {
        Kind::Course | Kind::Module => format!("/courses/{}", hit.course_id),
        Kind::Lesson | Kind::Document => format!("/lessons/{}", hit.id),
    }
}

impl ResultsPage {
    fn href(&self, hit: &mahir_content::search::Hit) -> String {
        url_of(hit)
    }
}

/// `GET /search`
pub async fn results(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(form): Params<SearchForm>,
) -> AppResult<Response> {
    let outcome = match form.input() {
        Ok(input) if input.q.trim().is_empty() => Ok(None),
        Ok(input) => service::search(&state, &p, &input).await.map(Some),
        Err(field) => Err(crate::error::AppError::invalid(
            crate::error::Code::InvalidJp,
            if field == "jp_min" {
                "jp_min"
            } else {
                "jp_max"
            },
        )),
    };
    let (found, error, status) = match outcome {
        Ok(found) => (found, None, StatusCode::OK),
        Err(e) if user_error(&e) => (None, Some(form_error(&ctx, &e).0), e.status()),
        Err(e) => return Err(e),
    };
    let pager = match &found {
        Some(f) => Pager::new(f.page, f.results.total as u64, f.per_page, form.base()),
        None => Pager::new(1, 0, service::PER_PAGE, String::new()),
    };
    let title = if form.q.trim().is_empty() {
        crate::web::i18n::Tr { lang: ctx.lang }
            .get("search.title")
            .to_owned()
    } else {
        crate::web::i18n::Tr { lang: ctx.lang }.fmt("search.title_for", "q", form.q.trim())
    };
    render_status(
        status,
        &ResultsPage {
            page: PageCtx::titled(&ctx, title),
            form,
            found,
            pager,
            error,
            categories: Category::NAMES,
            deliveries: Delivery::NAMES,
        },
    )
}

/// One suggestion.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    /// What it is (`course`, `lesson`, …).
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Where it opens.
    pub url: String,
}

/// The suggestions for what was typed so far.
#[derive(Debug, Serialize)]
pub struct Suggestions {
    /// At most six, best first.
    pub items: Vec<Suggestion>,
}

/// `GET /search/suggest?q=`: the best few hits for the header's search box.
pub async fn suggest(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<SearchQuery>,
) -> AppResult<Json<Suggestions>> {
    let mut input = q.input();
    input.page = 1;
    input.per_page = 6;
    if input.q.trim().chars().count() < 2 {
        return Ok(Json(Suggestions { items: Vec::new() }));
    }
    let found = service::search(&state, &p, &input).await?;
    Ok(Json(Suggestions {
        items: found
            .results
            .hits
            .into_iter()
            .map(|h| Suggestion {
                url: url_of(&h),
                kind: h.kind.as_str().to_owned(),
                title: h.title,
            })
            .collect(),
    }))
}

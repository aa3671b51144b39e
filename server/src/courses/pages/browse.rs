//! The catalogue: published courses by search, category and delivery form, in pages.

use askama::Template;
use axum::{extract::State, response::Response};
use serde::Deserialize;

use crate::{
    auth::context::{Auth, Ctx},
    courses::{
        catalogue::{self, CatalogueFilter, PER_PAGE},
        model::{Category, Delivery},
    },
    entities::courses,
    error::AppResult,
    state::AppState,
    web::{
        extract::Params,
        page::{PageCtx, Pager, render},
    },
};

/// Catalogue query string.
#[derive(Debug, Deserialize, Default)]
pub struct CatalogueParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    jp: String,
    #[serde(default)]
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "courses/catalogue.html")]
struct CataloguePage {
    page: PageCtx,
    courses: Vec<courses::Model>,
    pager: Pager,
    q: String,
    category: String,
    delivery: String,
    jp: String,
    categories: &'static [&'static str],
    deliveries: &'static [&'static str],
    /// The viewer's enrolments in the listed courses, by course.
    mine: std::collections::HashMap<uuid::Uuid, crate::entities::enrolments::Model>,
    /// The courses assigned to the viewer, with the earliest due date of each.
    assigned: std::collections::HashMap<uuid::Uuid, Option<chrono::NaiveDate>>,
    today: chrono::NaiveDate,
    /// What the listed courses develop, by course.
    awards: std::collections::HashMap<uuid::Uuid, Vec<crate::competency::requirements::Leveled>>,
}

impl CataloguePage {
    /// "Mengembangkan: …" for a listed course.
    fn develops(&self, course: &courses::Model) -> Option<String> {
        crate::competency::pages::develops(&self.page.t, self.awards.get(&course.id)?)
    }

    /// `completed`, `enrolled` or nothing: the viewer's standing in a listed course.
    fn standing(&self, course: &courses::Model) -> &'static str {
        match self.mine.get(&course.id) {
            Some(e) if e.completed_at.is_some() => "completed",
            Some(_) => "enrolled",
            None => "",
        }
    }

    /// A listed course's due date for the viewer (until completed), in the page's style,
    /// and whether it has passed.
    fn due(&self, course: &courses::Model) -> Option<(String, bool)> {
        if self.standing(course) == "completed" {
            return None;
        }
        let due = (*self.assigned.get(&course.id)?)?;
        Some((self.page.t.date(&due), due < self.today))
    }
}

/// JP bands offered as a filter: (value, min, max).
const JP_BANDS: [(&str, i32, i32); 3] = [("1-8", 1, 8), ("9-16", 9, 16), ("17-", 17, 500)];

/// `GET /courses`
pub async fn catalogue(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<CatalogueParams>,
) -> AppResult<Response> {
    let band = JP_BANDS.iter().find(|(v, _, _)| *v == q.jp);
    let filter = CatalogueFilter::parse(
        Some(&q.category),
        Some(&q.delivery),
        band.map(|b| b.1),
        band.map(|b| b.2),
        Some(&q.q),
    )
    .unwrap_or_default();
    let page = q.page.unwrap_or(1).max(1);
    let (courses, total) =
        catalogue::search(state.db(), &filter, page, catalogue::PER_PAGE).await?;
    let base = serde_urlencoded::to_string([
        ("q", q.q.as_str()),
        ("category", q.category.as_str()),
        ("delivery", q.delivery.as_str()),
        ("jp", q.jp.as_str()),
    ])
    .map(|s| format!("{s}&"))
    .unwrap_or_default();
    let ids: Vec<uuid::Uuid> = courses.iter().map(|c| c.id).collect();
    let mine = crate::courses::enrolment::enrolments_of(state.db(), p.user.id, &ids).await?;
    let assigned = crate::courses::enrolment::assigned_to(state.db(), &p).await?;
    let awards = crate::competency::requirements::of_courses(state.db(), &ids).await?;
    render(&CataloguePage {
        awards,
        mine,
        assigned,
        today: state.clock().today_wib(),
        page: PageCtx::new(&ctx, "courses.catalogue_title"),
        courses,
        pager: Pager::new(page, total, PER_PAGE, base),
        q: q.q,
        category: q.category,
        delivery: q.delivery,
        jp: q.jp,
        categories: Category::NAMES,
        deliveries: Delivery::NAMES,
    })
}

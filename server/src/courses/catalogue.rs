//! The catalogue: published courses, filtered by category, delivery form, JP and text.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::model::{Category, Delivery, Status};
use crate::{
    db::contains_text,
    entities::courses,
    error::{AppError, AppResult, Code},
};

/// Courses per catalogue page.
pub const PER_PAGE: u64 = 24;

/// Parsed catalogue filters.
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    /// Only this category.
    pub category: Option<Category>,
    /// Only this delivery form.
    pub delivery: Option<Delivery>,
    /// At least this many JP.
    pub jp_min: Option<i32>,
    /// At most this many JP.
    pub jp_max: Option<i32>,
    /// Text in the title, code or summary.
    pub text: Option<String>,
}

impl CatalogueFilter {
    /// Parses raw filter values; empty ones mean "any".
    pub fn parse(
        category: Option<&str>,
        delivery: Option<&str>,
        jp_min: Option<i32>,
        jp_max: Option<i32>,
        text: Option<&str>,
    ) -> AppResult<Self> {
        fn nonempty(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let category = match nonempty(category) {
            Some(c) => Some(
                Category::parse(c).ok_or(AppError::invalid(Code::InvalidCategory, "category"))?,
            ),
            None => None,
        };
        let delivery = match nonempty(delivery) {
            Some(d) => Some(
                Delivery::parse(d).ok_or(AppError::invalid(Code::InvalidDelivery, "delivery"))?,
            ),
            None => None,
        };
        let text = nonempty(text).map(|t| t.chars().take(100).collect());
        Ok(Self {
            category,
            delivery,
            jp_min,
            jp_max,
            text,
        })
    }
}

/// One page of published courses matching the filter, by title, with the total count.
pub async fn search(
    db: &impl ConnectionTrait,
    f: &CatalogueFilter,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<courses::Model>, u64)> {
    let mut cond = Condition::all().add(courses::Column::Status.eq(Status::Published));
    if let Some(c) = f.category {
        cond = cond.add(courses::Column::Category.eq(c));
    }
    if let Some(d) = f.delivery {
        cond = cond.add(courses::Column::Delivery.eq(d));
    }
    if let Some(min) = f.jp_min {
        cond = cond.add(courses::Column::Jp.gte(min));
    }
    if let Some(max) = f.jp_max {
        cond = cond.add(courses::Column::Jp.lte(max));
    }
    if let Some(t) = &f.text {
        cond = cond.add(
            Condition::any()
                .add(contains_text(courses::Column::Title, t))
                .add(contains_text(courses::Column::Code, t))
                .add(contains_text(courses::Column::Summary, t)),
        );
    }
    let pages = courses::Entity::find()
        .filter(cond)
        .order_by_asc(courses::Column::Title)
        .paginate(db, per_page);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(page.max(1) - 1).await?;
    Ok((items, total))
}

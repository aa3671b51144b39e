//! One search, as the API and the pages run it: the filters checked (the catalogue's
//! rules), the user's scope worked out, the index asked on a blocking thread.

use mahir_content::search::{Filters, Request, Results};

use super::scope;
use crate::{
    auth::principal::Principal,
    courses::catalogue::CatalogueFilter,
    error::{AppError, AppResult, Code},
    state::AppState,
};

/// A search as asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    /// What was typed.
    pub q: String,
    /// A category (`kepemimpinan`, `fungsional`, `teknis`, `lainnya`).
    pub category: Option<String>,
    /// A delivery form.
    pub delivery: Option<String>,
    /// Least JP.
    pub jp_min: Option<i32>,
    /// Most JP.
    pub jp_max: Option<i32>,
    /// Only the courses the user is enrolled in.
    pub mine: bool,
    /// Page, from 1.
    pub page: u64,
    /// Hits per page.
    pub per_page: u64,
}

/// Hits per page unless asked otherwise.
pub const PER_PAGE: u64 = 10;
/// Most hits per page.
pub const MAX_PER_PAGE: u64 = 50;

/// What a search found, with the page it is.
#[derive(Debug, Clone)]
pub struct Found {
    /// The index's answer.
    pub results: Results,
    /// The page, from 1.
    pub page: u64,
    /// Hits per page.
    pub per_page: u64,
    /// The index is being rebuilt: what it holds so far was searched.
    pub rebuilding: bool,
}

/// Runs a search for `p`.
pub async fn search(state: &AppState, p: &Principal, input: &SearchInput) -> AppResult<Found> {
    let checked = CatalogueFilter::parse(
        input.category.as_deref(),
        input.delivery.as_deref(),
        input.jp_min,
        input.jp_max,
        None,
    )?;
    for (v, field) in [(input.jp_min, "jp_min"), (input.jp_max, "jp_max")] {
        if v.is_some_and(|v| !(0..=1000).contains(&v)) {
            return Err(AppError::invalid(Code::InvalidJp, field));
        }
    }
    if let (Some(a), Some(b)) = (input.jp_min, input.jp_max)
        && a > b
    {
        return Err(AppError::invalid(Code::InvalidJp, "jp_max"));
    }
    crate::text::refuse_nul(&input.q, "q")?;
    let page = input.page.max(1);
    let per_page = input.per_page.clamp(1, MAX_PER_PAGE);
    let db = state.db();
    let scope = scope::of(db, p).await?;
    let courses = if input.mine {
        Some(scope::enrolled(db, p).await?)
    } else {
        None
    };
    let filters = Filters {
        category: checked.category.map(|c| c.as_str().to_owned()),
        delivery: checked.delivery.map(|d| d.as_str().to_owned()),
        jp_min: input.jp_min.and_then(|v| u64::try_from(v).ok()),
        jp_max: input.jp_max.and_then(|v| u64::try_from(v).ok()),
        courses,
    };
    let index = state.search().index().clone();
    let q = input.q.clone();
    let results = super::indexer::blocking(move || {
        index.search(
            &Request {
                q: &q,
                filters,
                page: usize::try_from(page).unwrap_or(usize::MAX),
                per_page: usize::try_from(per_page).unwrap_or(10),
            },
            &scope,
        )
    })
    .await?;
    Ok(Found {
        results,
        page,
        per_page,
        rebuilding: state.search().is_rebuilding(),
    })
}

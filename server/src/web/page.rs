//! What every page's layout needs, and rendering a template into a response.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{assets, i18n::Tr};
use crate::{
    auth::{context::Ctx, principal::Role},
    error::{AppError, AppResult},
};

/// The logged-in user as the navigation shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    /// Name in the header.
    pub display_name: String,
    /// Shows the organisation menu.
    pub manages_org: bool,
    /// Shows the administration menu.
    pub is_admin: bool,
    /// Shows the teaching menu (instructors and admins).
    pub is_author: bool,
}

/// The layout's context: language, user, form token and asset URLs.
#[derive(Debug, Clone)]
pub struct PageCtx {
    /// Message lookup in the request's language.
    pub t: Tr,
    /// The session's CSRF token, masked afresh for this page, for every form.
    pub csrf: String,
    /// The logged-in user, if any.
    pub user: Option<NavUser>,
    /// The request path, to come back to after switching language.
    pub path: String,
    /// The page's title, already translated.
    pub title: String,
    /// URL of the stylesheet.
    pub css: String,
    /// URL of the script.
    pub js: String,
    /// URL of the logo.
    pub logo: String,
}

impl PageCtx {
    /// The context of a page titled by catalog key `title_key`.
    pub fn new(ctx: &Ctx, title_key: &str) -> Self {
        let t = Tr { lang: ctx.lang };
        Self::titled(ctx, t.get(title_key).to_owned())
    }

    /// The context of a page with a title already built (e.g. a unit's name).
    pub fn titled(ctx: &Ctx, title: String) -> Self {
        let t = Tr { lang: ctx.lang };
        let user = ctx.principal.as_ref().map(|p| NavUser {
            display_name: p.user.display_name.clone(),
            manages_org: p.is_admin() || p.has(Role::UnitAdmin),
            is_admin: p.is_admin(),
            is_author: p.is_admin() || p.has(Role::Instructor),
        });
        Self {
            t,
            csrf: crate::auth::csrf::masked(&ctx.csrf),
            user,
            path: ctx.path.clone(),
            title,
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            logo: assets::url("logo.svg"),
        }
    }

    /// Whether the navigation item for `prefix` is the current page.
    pub fn current(&self, prefix: &str) -> bool {
        if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        }
    }
}

/// Renders a template as a 200 HTML response.
pub fn render(template: &impl Template) -> AppResult<Response> {
    render_status(StatusCode::OK, template)
}

/// Renders a template as an HTML response with `status` (a re-shown form is 422).
pub fn render_status(status: StatusCode, template: &impl Template) -> AppResult<Response> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

/// Pagination state for list templates.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Current page, 1-based.
    pub page: u64,
    /// Number of pages.
    pub pages: u64,
    /// Total rows.
    pub total: u64,
    /// Query string without `page`, e.g. `q=budi&`.
    pub base: String,
}

impl Pager {
    /// The pager of page `page` of `total` rows, `per_page` to a page.
    pub fn new(page: u64, total: u64, per_page: u64, base: String) -> Self {
        Self {
            page,
            pages: total.div_ceil(per_page.max(1)).max(1),
            total,
            base,
        }
    }
}

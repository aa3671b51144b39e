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
    /// Login name, in the account menu.
    pub username: String,
    /// Shows the organisation menu.
    pub manages_org: bool,
    /// Shows the administration menu.
    pub is_admin: bool,
    /// Shows the teaching menu (instructors and admins).
    pub is_author: bool,
    /// Has a competency profile (learners).
    pub is_learner: bool,
    /// Unread notifications (the bell's count).
    pub unread: u64,
}

/// How many main-menu items a phone shows before folding the rest into "Lainnya".
pub const PHONE_ITEMS: usize = 3;

/// The main menu, in order.
#[derive(Debug, Clone)]
pub struct Nav {
    /// Its items.
    pub items: Vec<NavItem>,
}

impl Nav {
    /// Whether some items fold into "Lainnya" on a phone.
    pub fn folds(&self) -> bool {
        self.items.iter().any(|i| !i.on_phone)
    }
}

/// One item of the main menu.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it leads.
    pub href: &'static str,
    /// Its label's catalog key.
    pub key: &'static str,
    /// The page shown is in this part of the site.
    pub current: bool,
    /// Shown in the bar on a phone (else under "Lainnya").
    pub on_phone: bool,
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
            username: p.user.username.clone(),
            manages_org: p.is_admin() || p.has(Role::UnitAdmin),
            is_admin: p.is_admin(),
            is_author: p.is_admin() || p.has(Role::Instructor),
            is_learner: p.has(Role::Learner),
            unread: p.unread_notifications,
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

    /// The main menu of the logged-in user, in order. On a phone the first
    /// [`PHONE_ITEMS`] show (the current page's item among them); the rest fold into
    /// "Lainnya".
    pub fn nav(&self) -> Nav {
        let Some(user) = &self.user else {
            return Nav { items: Vec::new() };
        };
        let mut items = vec![
            ("/", "nav.home", self.current("/")),
            (
                "/courses",
                "nav.courses",
                self.current("/courses") || self.current("/lessons") || self.current("/attempts"),
            ),
        ];
        if user.is_learner {
            items.push(("/profile", "nav.profile", self.current("/profile")));
        }
        if user.is_author {
            items.push(("/teach", "nav.teach", self.current("/teach")));
        }
        if user.manages_org {
            items.push(("/reports", "nav.reports", self.current("/reports")));
            items.push(("/admin/units", "nav.units", self.current("/admin/units")));
            items.push((
                "/admin/employees",
                "nav.employees",
                self.current("/admin/employees"),
            ));
            items.push(("/admin/import", "nav.import", self.current("/admin/import")));
            items.push((
                "/admin/verification",
                "nav.verify",
                self.current("/admin/verification"),
            ));
            if user.is_admin {
                items.push((
                    "/admin/competencies",
                    "nav.dictionary",
                    self.current("/admin/competencies"),
                ));
                items.push(("/admin/jobs", "nav.jobs", self.current("/admin/jobs")));
            }
        }
        let current = items.iter().position(|(_, _, c)| *c);
        let folds = items.len() > PHONE_ITEMS;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, (href, key, current_page))| {
                let on_phone = !folds
                    || match current {
                        Some(c) if c >= PHONE_ITEMS - 1 => i < PHONE_ITEMS - 1 || i == c,
                        _ => i < PHONE_ITEMS,
                    };
                NavItem {
                    href,
                    key,
                    current: current_page,
                    on_phone,
                }
            })
            .collect();
        Nav { items }
    }

    /// Initials for the account button, e.g. "BS" for Budi Santoso.
    pub fn initials(&self) -> String {
        let Some(user) = &self.user else {
            return String::new();
        };
        user.display_name
            .split_whitespace()
            .filter(|w| !w.ends_with('.'))
            .filter_map(|w| w.chars().next())
            .filter(|c| c.is_alphabetic())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect()
    }

    /// Whether the viewer is an admin.
    pub fn user_is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::{Lang, Tr};

    fn ctx(path: &str, org: bool) -> PageCtx {
        PageCtx {
            t: Tr { lang: Lang::Id },
            csrf: String::new(),
            user: Some(NavUser {
                display_name: "Dr. Hendra Gunawan".into(),
                username: "hendra".into(),
                manages_org: org,
                is_admin: org,
                is_author: true,
                is_learner: false,
                unread: 0,
            }),
            path: path.into(),
            title: String::new(),
            css: String::new(),
            js: String::new(),
            logo: String::new(),
        }
    }

    fn on_phone(page: &PageCtx) -> Vec<&'static str> {
        page.nav()
            .items
            .into_iter()
            .filter(|i| i.on_phone)
            .map(|i| i.href)
            .collect()
    }

    #[test]
    fn a_phone_shows_three_items_and_always_the_current_one() {
        assert_eq!(on_phone(&ctx("/", false)), ["/", "/courses", "/teach"]);
        assert_eq!(on_phone(&ctx("/", true)), ["/", "/courses", "/teach"]);
        assert_eq!(
            on_phone(&ctx("/admin/employees/1", true)),
            ["/", "/courses", "/admin/employees"]
        );
        assert_eq!(
            on_phone(&ctx("/teach/new", true)),
            ["/", "/courses", "/teach"]
        );
        assert_eq!(ctx("/", true).initials(), "HG");
    }
}

//! The role-aware home page: what a learner, an instructor and an (unit) admin each need
//! first, with empty states that say what will appear.

use askama::Template;
use axum::{extract::State, response::Response};
use sea_orm::{EntityTrait, PaginatorTrait};

use super::page::{PageCtx, render};
use crate::{
    auth::{
        context::{Auth, Ctx},
        principal::{OrgScope, Role},
    },
    error::AppResult,
    org::{employees, units},
    state::AppState,
};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageCtx,
    name: String,
    employee: Option<employees::EmployeeView>,
    is_learner: bool,
    is_instructor: bool,
    org: Option<OrgSummary>,
    jp_target: u32,
    year: i32,
}

struct OrgSummary {
    units: usize,
    employees: u64,
    all: bool,
}

/// `GET /`
pub async fn home(State(state): State<AppState>, ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    let db = state.db();
    let employee = employees::of_user(db, p.user.id).await?;
    let org = match p.org_scope() {
        Ok(scope) => {
            let all = scope == OrgScope::All;
            let unit_list = units::all(db, &scope).await?;
            let employees = if all {
                crate::entities::employees::Entity::find().count(db).await?
            } else {
                let filter = employees::ListFilter {
                    unit_id: None,
                    q: None,
                    page: 1,
                    per_page: 1,
                };
                employees::list(db, &scope, &filter).await?.1
            };
            Some(OrgSummary {
                units: unit_list.len(),
                employees,
                all,
            })
        }
        Err(_) => None,
    };
    render(&HomePage {
        page: PageCtx::new(&ctx, "home.title"),
        name: p.user.display_name.clone(),
        is_learner: p.has(Role::Learner),
        is_instructor: p.has(Role::Instructor),
        employee,
        org,
        jp_target: 20,
        year: crate::time::year_wib(crate::time::now()),
    })
}

//! The role-aware home page: what a learner, an instructor and an (unit) admin each need
//! first, with empty states that say what will appear.

use askama::Template;
use axum::{extract::State, response::Response};

use super::page::{PageCtx, render};
use crate::{
    auth::{
        context::{Auth, Ctx},
        principal::{OrgScope, Role},
    },
    courses::{
        enrolment::{self, MyCourse},
        teaching::{self, TaughtCourse},
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
    courses: Vec<MyCourse>,
    teaching: Vec<TaughtCourse>,
    is_instructor: bool,
    org: Option<OrgSummary>,
    /// Quiz attempts under way, to continue.
    unfinished: Vec<crate::quizzes::panel::Unfinished>,
    /// This year's JP (learners who are employees).
    jp: Option<crate::competency::records::YearJp>,
    /// Courses that close their gaps, the first few.
    recommendations: Vec<crate::competency::recommend::Recommendation>,
}

impl HomePage {
    fn due(&self, c: &MyCourse) -> Option<String> {
        c.due_on.map(|d| self.page.t.date(&d))
    }

    fn jp_percent(&self) -> i32 {
        self.jp.map_or(0, |j| j.percent())
    }

    fn overdue(&self) -> usize {
        self.courses.iter().filter(|c| c.overdue).count()
    }

    fn due_soon(&self) -> usize {
        self.courses.iter().filter(|c| c.due_soon).count()
    }
}

struct OrgSummary {
    units: u64,
    employees: u64,
    all: bool,
}

/// How many recommendations the home page shows (the profile shows them all).
const HOME_RECOMMENDATIONS: usize = 3;

/// `GET /`
pub async fn home(State(state): State<AppState>, ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    let db = state.db();
    let employee = employees::of_user(db, p.user.id).await?;
    let org = match p.org_scope() {
        Ok(scope) => Some(OrgSummary {
            units: units::count(db, &scope).await?,
            employees: employees::count(db, &scope).await?,
            all: scope == OrgScope::All,
        }),
        Err(_) => None,
    };
    let courses = enrolment::my_courses(db, &p, state.clock().today_wib()).await?;
    let teaching = if p.has(Role::Instructor) {
        teaching::taught_by(db, p.user.id, false).await?
    } else {
        Vec::new()
    };
    let (jp, recommendations) = match (&employee, p.has(Role::Learner)) {
        (Some(_), true) => {
            let year = crate::time::year_wib(state.clock().now());
            let profile =
                crate::competency::profile::mine(db, &p, state.config().learning, year).await?;
            let mut recs = crate::competency::profile::recommendations(db, &p, &profile).await?;
            recs.truncate(HOME_RECOMMENDATIONS);
            (Some(profile.this_year()), recs)
        }
        _ => (None, Vec::new()),
    };
    render(&HomePage {
        jp,
        recommendations,
        courses,
        teaching,
        page: PageCtx::new(&ctx, "home.title"),
        name: p.user.display_name.clone(),
        is_learner: p.has(Role::Learner),
        is_instructor: p.has(Role::Instructor),
        employee,
        org,
        unfinished: crate::quizzes::panel::unfinished(db, p.user.id, state.clock().now()).await?,
    })
}

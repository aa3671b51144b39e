//! The assignment page of admins and unit admins: a course to people (found by name or NIP,
//! or listed by NIP or username), a unit or a position, with a due date; the course's
//! assignments with how many people each reaches, and withdrawing one.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    courses::{
        access,
        enrolment::{self, AssignTarget},
    },
    entities::{courses, positions, units},
    error::{AppError, AppResult, Code},
    org,
    state::AppState,
    web::{
        errors::FormErrors,
        extract::{Id, Ids, Params},
        page::{PageCtx, render, render_status},
    },
};

/// People found by the search box, at most this many.
const FOUND: u64 = 20;

#[derive(Template)]
#[template(path = "courses/assign.html")]
struct AssignPage {
    page: PageCtx,
    course: courses::Model,
    units: Vec<org::units::TreeRow>,
    positions: Vec<(positions::Model, String)>,
    form: AssignForm,
    errors: FormErrors,
    /// After an assignment: (assignments made, people reached).
    done: Option<(usize, u64)>,
    /// After a withdrawal.
    withdrawn: bool,
    existing: Vec<enrolment::AssignmentView>,
    /// The search for people, and whom it found (in scope).
    q: String,
    found: Vec<org::employees::EmployeeView>,
}

impl AssignPage {
    fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| self.page.t.date(&d))
            .unwrap_or_else(|| "—".to_owned())
    }

    /// A count of people in the page's number style.
    fn count(&self, n: &u64) -> String {
        self.page.t.number(*n as f64, 0)
    }

    fn picked(&self, user: &Uuid) -> bool {
        self.form.user_ids.iter().any(|id| *id == user.to_string())
    }
}

/// Query of the assignment page.
#[derive(Debug, Deserialize, Default)]
pub struct AssignParams {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
}

/// The assignment form.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct AssignForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    position_id: String,
    #[serde(default)]
    usernames: String,
    #[serde(default)]
    due_on: String,
    /// People ticked in the search results.
    #[serde(default)]
    user_ids: Vec<String>,
}

impl AssignForm {
    /// The form as posted (ticked people come as repeated `user_id` fields).
    fn read(fields: Vec<(String, String)>) -> AssignForm {
        let mut form = AssignForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "target" => form.target = value,
                "unit_id" => form.unit_id = value,
                "position_id" => form.position_id = value,
                "usernames" => form.usernames = value,
                "due_on" => form.due_on = value,
                "user_id" if form.user_ids.len() < 1000 => form.user_ids.push(value),
                _ => {}
            }
        }
        form
    }
}

#[allow(clippy::too_many_arguments)]
async fn assign_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    form: AssignForm,
    error: Option<&AppError>,
    done: Option<(usize, u64)>,
    q: &AssignParams,
) -> AppResult<AssignPage> {
    let db = state.db();
    let scope = p.org_scope()?;
    let course = access::course(db, p, id).await?.course;
    let all_units = org::units::all(db, &scope).await?;
    let names: std::collections::HashMap<Uuid, String> =
        all_units.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut positions: Vec<(positions::Model, String)> = positions_in(db, &all_units)
        .await?
        .into_iter()
        .map(|pos| {
            let unit = names.get(&pos.unit_id).cloned().unwrap_or_default();
            (pos, unit)
        })
        .collect();
    positions.sort_by(|a, b| a.0.name.cmp(&b.0.name).then(a.1.cmp(&b.1)));
    let existing = enrolment::assignments_in_scope(db, &scope, course.id).await?;
    let search = q.q.clone().unwrap_or_default();
    let found = if search.trim().is_empty() {
        Vec::new()
    } else {
        let filter = org::employees::ListFilter {
            q: Some(search.clone()),
            page: 1,
            per_page: FOUND,
            ..Default::default()
        };
        org::employees::list(db, &scope, &filter).await?.0
    };
    Ok(AssignPage {
        existing,
        errors: FormErrors::of(ctx, error),
        withdrawn: q.withdrawn.is_some(),
        q: search,
        found,
        page: PageCtx::titled(ctx, course.title.clone()),
        units: org::units::as_tree(all_units),
        positions,
        course,
        form,
        done,
    })
}

async fn positions_in(
    db: &impl sea_orm::ConnectionTrait,
    units_in_scope: &[units::Model],
) -> AppResult<Vec<positions::Model>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: Vec<Uuid> = units_in_scope.iter().map(|u| u.id).collect();
    Ok(positions::Entity::find()
        .filter(positions::Column::UnitId.is_in(ids))
        .all(db)
        .await?)
}

/// `GET /courses/{id}/assignments?q=`: the form; `q` searches people by name, NIP or
/// username to tick.
pub async fn assign_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<AssignParams>,
) -> AppResult<Response> {
    let searching = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let form = AssignForm {
        target: if searching { "users" } else { "unit" }.into(),
        ..Default::default()
    };
    render(&assign_page(&state, &ctx, &p, id, form, None, None, &q).await?)
}

/// The people a form names: those ticked, then each NIP or username in the list (two
/// queries for the whole list). The first name that is neither is refused by name.
async fn people_of(state: &AppState, form: &AssignForm) -> AppResult<Vec<Uuid>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use std::collections::HashMap;
    let mut ids = Vec::new();
    for raw in &form.user_ids {
        ids.push(
            Uuid::parse_str(raw.trim())
                .map_err(|_| AppError::invalid(Code::InvalidAssignees, "usernames"))?,
        );
    }
    let names: Vec<&str> = form
        .usernames
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .take(1000)
        .collect();
    let is_nip = |n: &str| n.len() == 18 && n.bytes().all(|b| b.is_ascii_digit());
    let nips: Vec<String> = names
        .iter()
        .filter(|n| is_nip(n))
        .map(|n| (*n).to_owned())
        .collect();
    let by_nip: HashMap<String, Uuid> = crate::entities::employees::Entity::find()
        .filter(crate::entities::employees::Column::Nip.is_in(nips))
        .all(state.db())
        .await?
        .into_iter()
        .map(|e| (e.nip, e.user_id))
        .collect();
    // Usernames are stored lower-case (as `auth::service::find_by_username` looks them up).
    let logins: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let by_login: HashMap<String, Uuid> = crate::entities::users::Entity::find()
        .filter(crate::entities::users::Column::Username.is_in(logins))
        .all(state.db())
        .await?
        .into_iter()
        .map(|u| (u.username, u.id))
        .collect();
    for name in names {
        let id = by_nip
            .get(name)
            .or_else(|| by_login.get(&name.to_lowercase()))
            .copied();
        ids.push(id.ok_or(AppError::Invalid {
            code: Code::InvalidAssignees,
            field: Some("usernames"),
            detail: Some(name.to_owned()),
        })?);
    }
    if ids.is_empty() {
        return Err(AppError::invalid(Code::InvalidAssignees, "usernames"));
    }
    Ok(ids)
}

/// `POST /courses/{id}/assignments`
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    p.org_scope()?;
    let form = AssignForm::read(fields);
    let result = async {
        let due_on = match form.due_on.trim() {
            "" => None,
            s => Some(
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid(Code::InvalidDate, "due_on"))?,
            ),
        };
        let pick = |raw: &str, code, field| {
            Uuid::parse_str(raw.trim()).map_err(|_| AppError::invalid(code, field))
        };
        let target = match form.target.as_str() {
            "unit" => AssignTarget::Unit(pick(&form.unit_id, Code::InvalidUnit, "unit_id")?),
            "position" => AssignTarget::Position(pick(
                &form.position_id,
                Code::InvalidPosition,
                "position_id",
            )?),
            _ => AssignTarget::Users(people_of(&state, &form).await?),
        };
        enrolment::assign_course(state.db(), state.clock().now(), &p, id, &target, due_on).await
    }
    .await;
    let none = AssignParams::default();
    match result {
        Ok(made) => render(
            &assign_page(
                &state,
                &ctx,
                &p,
                id,
                AssignForm {
                    target: "unit".into(),
                    ..Default::default()
                },
                None,
                Some((made.ids.len(), made.reached)),
                &none,
            )
            .await?,
        ),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => render_status(
            e.status(),
            &assign_page(&state, &ctx, &p, id, form, Some(&e), None, &none).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `POST /courses/{id}/assignments/{assignment_id}/withdraw`: withdraws the assignment; the
/// learners keep their enrolment and progress.
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(p): Auth,
    Ids(id, assignment_id): Ids,
    CsrfForm(_): CsrfForm<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    enrolment::withdraw(state.db(), &p, id, assignment_id).await?;
    Ok(Redirect::to(&format!("/courses/{id}/assignments?withdrawn=1")).into_response())
}

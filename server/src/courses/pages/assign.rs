//! The assignment form of admins and unit admins: a course to people, a unit or a position,
//! with a due date.

use askama::Template;
use axum::{extract::State, response::Response};
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
        errors::message,
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "courses/assign.html")]
struct AssignPage {
    page: PageCtx,
    course: courses::Model,
    units: Vec<org::units::TreeRow>,
    positions: Vec<(positions::Model, String)>,
    form: AssignForm,
    error: Option<String>,
    done: Option<usize>,
    existing: Vec<enrolment::AssignmentView>,
}

impl AssignPage {
    fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| self.page.t.date(&d))
            .unwrap_or_else(|| "—".to_owned())
    }
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
}

async fn assign_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    form: AssignForm,
    error: Option<String>,
    done: Option<usize>,
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
    Ok(AssignPage {
        existing,
        page: PageCtx::titled(ctx, course.title.clone()),
        units: org::units::as_tree(all_units),
        positions,
        course,
        form,
        error,
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

/// `GET /courses/{id}/assignments`
pub async fn assign_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let form = AssignForm {
        target: "unit".into(),
        ..Default::default()
    };
    render(&assign_page(&state, &ctx, &p, id, form, None, None).await?)
}

/// `POST /courses/{id}/assignments`
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<AssignForm>,
) -> AppResult<Response> {
    p.org_scope()?;
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
            _ => {
                let mut ids = Vec::new();
                for name in form
                    .usernames
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                {
                    let user = crate::auth::service::find_by_username(state.db(), name)
                        .await?
                        .ok_or(AppError::Invalid {
                            code: Code::InvalidAssignees,
                            field: Some("usernames"),
                            detail: Some(name.to_owned()),
                        })?;
                    ids.push(user.id);
                }
                AssignTarget::Users(ids)
            }
        };
        let ids = enrolment::assign_course(
            state.db(),
            state.clock().today_wib(),
            &p,
            id,
            &target,
            due_on,
        )
        .await?;
        Ok::<usize, AppError>(ids.len())
    }
    .await;
    match result {
        Ok(n) => {
            render(&assign_page(&state, &ctx, &p, id, AssignForm::default(), None, Some(n)).await?)
        }
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let msg = message(ctx.lang, e.code(), e.detail().as_deref());
            render_status(
                e.status(),
                &assign_page(&state, &ctx, &p, id, form, Some(msg), None).await?,
            )
        }
        Err(e) => Err(e),
    }
}

//! The unit pages: the tree, a unit with its positions and people, the unit form.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::super::{
    employees::{self, EmployeeView, ListFilter},
    model::{PositionKind, UnitKind},
    units::{self, TreeRow, UnitInput},
};
use super::{ListQuery, PER_PAGE, opt_id};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
        principal::OrgScope,
    },
    entities::{positions, units as unit_rows},
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::{FormErrors, form_error},
        extract::{Id, Params},
        page::{PageCtx, Pager, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "admin/units.html")]
struct UnitsPage {
    page: PageCtx,
    rows: Vec<TreeRow>,
    can_create_top: bool,
}

/// `GET /admin/units`
pub async fn units_index(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let rows = units::as_tree(units::all(state.db(), &scope).await?);
    render(&UnitsPage {
        page: PageCtx::new(&ctx, "org.units_title"),
        rows,
        can_create_top: scope == OrgScope::All,
    })
}

#[derive(Template)]
#[template(path = "admin/unit.html")]
struct UnitPage {
    page: PageCtx,
    unit: unit_rows::Model,
    ancestors: Vec<unit_rows::Model>,
    children: Vec<unit_rows::Model>,
    positions: Vec<positions::Model>,
    /// How many competencies each position requires.
    requirement_counts: std::collections::HashMap<Uuid, usize>,
    people: Vec<EmployeeView>,
    pager: Pager,
    position_kinds: &'static [&'static str],
    error: Option<String>,
}

async fn unit_page(
    state: &AppState,
    ctx: &Ctx,
    scope: &OrgScope,
    id: Uuid,
    page: u64,
    error: Option<String>,
) -> AppResult<UnitPage> {
    let db = state.db();
    let unit = units::get(db, scope, id).await?;
    let filter = ListFilter {
        unit_id: Some(unit.id),
        q: None,
        page,
        per_page: PER_PAGE,
    };
    let (people, total) = employees::list(db, scope, &filter).await?;
    let positions = units::positions_of(db, unit.id).await?;
    let ids: Vec<Uuid> = positions.iter().map(|p| p.id).collect();
    Ok(UnitPage {
        requirement_counts: crate::competency::requirements::counts_of_positions(db, &ids).await?,
        page: PageCtx::titled(ctx, unit.name.clone()),
        ancestors: units::ancestors(db, scope, &unit).await?,
        children: units::children(db, unit.id).await?,
        positions,
        people,
        pager: Pager::new(page, total, PER_PAGE, String::new()),
        position_kinds: PositionKind::NAMES,
        error,
        unit,
    })
}

/// `GET /admin/units/{id}`
pub async fn unit_show(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<ListQuery>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let page = unit_page(&state, &ctx, &scope, id, q.page.unwrap_or(1).max(1), None).await?;
    render(&page)
}

#[derive(Template)]
#[template(path = "admin/unit_form.html")]
struct UnitFormPage {
    page: PageCtx,
    action: String,
    form: UnitFormData,
    parents: Vec<TreeRow>,
    can_be_top: bool,
    kinds: &'static [&'static str],
    errors: FormErrors,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitFormData {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
}

impl UnitFormData {
    fn input(&self) -> AppResult<UnitInput> {
        Ok(UnitInput {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            kind: self.kind.clone(),
            parent_id: opt_id(&self.parent_id)?,
        })
    }
}

async fn unit_form(
    state: &AppState,
    ctx: &Ctx,
    scope: &OrgScope,
    editing: Option<Uuid>,
    form: UnitFormData,
    error: Option<&AppError>,
) -> AppResult<UnitFormPage> {
    let mut parents = units::as_tree(units::all(state.db(), scope).await?);
    if let Some(id) = editing {
        // A unit cannot become its own descendant.
        if let Some(path) = parents
            .iter()
            .find(|r| r.unit.id == id)
            .map(|r| r.unit.path.clone())
        {
            parents.retain(|r| !r.unit.path.starts_with(&path));
        }
    }
    Ok(UnitFormPage {
        page: PageCtx::new(
            ctx,
            if editing.is_some() {
                "org.edit_unit"
            } else {
                "org.new_unit"
            },
        ),
        action: match editing {
            Some(id) => format!("/admin/units/{id}"),
            None => "/admin/units".to_owned(),
        },
        form,
        parents,
        can_be_top: *scope == OrgScope::All,
        kinds: UnitKind::NAMES,
        errors: FormErrors::of(ctx, error),
    })
}

/// `GET /admin/units/new?parent=`
pub async fn unit_new(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<ListQuery>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let form = UnitFormData {
        parent_id: q.parent.unwrap_or_default(),
        kind: "bidang".to_owned(),
        ..Default::default()
    };
    render(&unit_form(&state, &ctx, &scope, None, form, None).await?)
}

/// `POST /admin/units`
pub async fn unit_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(form): CsrfForm<UnitFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let result = match form.input() {
        Ok(input) => units::add_unit(state.db(), &scope, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(unit) => Ok(Redirect::to(&format!("/admin/units/{}", unit.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => render_status(
            e.status(),
            &unit_form(&state, &ctx, &scope, None, form, Some(&e)).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `GET /admin/units/{id}/edit`
pub async fn unit_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let unit = units::get(state.db(), &scope, id).await?;
    let form = UnitFormData {
        code: unit.code.clone(),
        name: unit.name.clone(),
        name_en: unit.name_en.clone().unwrap_or_default(),
        kind: unit.kind.to_string(),
        parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
    };
    render(&unit_form(&state, &ctx, &scope, Some(unit.id), form, None).await?)
}

/// `POST /admin/units/{id}`
pub async fn unit_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<UnitFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let result = match form.input() {
        Ok(input) => units::change_unit(state.db(), &scope, id, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(unit) => Ok(Redirect::to(&format!("/admin/units/{}", unit.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => render_status(
            e.status(),
            &unit_form(&state, &ctx, &scope, Some(id), form, Some(&e)).await?,
        ),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct PositionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

/// `POST /admin/units/{id}/positions`
pub async fn position_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<PositionForm>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let created = units::add_position(state.db(), &scope, id, &form.name, &form.kind).await;
    match created {
        Ok(_) => Ok(Redirect::to(&format!("/admin/units/{id}#positions")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let (msg, _) = form_error(&ctx, &e);
            let page = unit_page(&state, &ctx, &scope, id, 1, Some(msg)).await?;
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

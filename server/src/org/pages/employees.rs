//! The employee pages: the list, one employee, the form, activation and a new password.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    super::{
        employees::{self, EmployeeInput, EmployeeView, ListFilter},
        units::{self, TreeRow},
    },
    ListQuery, PER_PAGE, opt_id,
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
        principal::OrgScope,
        service as accounts,
    },
    entities::{employees as employee_rows, grades, positions},
    error::{AppError, AppResult, Code},
    state::AppState,
    web::{
        errors::{FormErrors, form_error},
        extract::{Id, Params},
        page::{PageCtx, Pager, render, render_status},
    },
};

// ----- employees -----

#[derive(Template)]
#[template(path = "admin/employees.html")]
struct EmployeesPage {
    page: PageCtx,
    people: Vec<EmployeeView>,
    pager: Pager,
    q: String,
}

/// `GET /admin/employees?q=&page=`
pub async fn employees_index(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<ListQuery>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let page = q.page.unwrap_or(1).max(1);
    let text = q.q.unwrap_or_default();
    let filter = ListFilter {
        unit_id: None,
        q: Some(text.clone()),
        page,
        per_page: PER_PAGE,
    };
    let (people, total) = employees::list(state.db(), &scope, &filter).await?;
    let base = if text.is_empty() {
        String::new()
    } else {
        // `q=…&`, encoded as a form would send it.
        serde_urlencoded::to_string([("q", &text)]).unwrap_or_default() + "&"
    };
    render(&EmployeesPage {
        page: PageCtx::new(&ctx, "org.employees_title"),
        people,
        pager: Pager::new(page, total, PER_PAGE, base),
        q: text,
    })
}

#[derive(Template)]
#[template(path = "admin/employee.html")]
struct EmployeePage {
    page: PageCtx,
    e: EmployeeView,
    is_admin: bool,
    roles: Vec<String>,
    notice: Option<String>,
    error: Option<String>,
}

async fn employee_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<EmployeePage> {
    let scope = p.org_scope()?;
    let e = employees::get(state.db(), &scope, id).await?;
    let grants = crate::auth::principal::Principal::load(state.db(), e.user.id)
        .await?
        .map(|pr| pr.roles())
        .unwrap_or_default();
    let t = crate::web::i18n::Tr { lang: ctx.lang };
    Ok(EmployeePage {
        page: PageCtx::titled(ctx, e.user.display_name.clone()),
        is_admin: p.is_admin(),
        roles: grants
            .into_iter()
            .map(|r| t.of("role", r.as_str()))
            .collect(),
        notice,
        error,
        e,
    })
}

#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    saved: Option<String>,
}

/// `GET /admin/employees/{id}`
pub async fn employee_show(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<NoticeQuery>,
) -> AppResult<Response> {
    let notice = q.saved.map(|_| {
        crate::web::i18n::Tr { lang: ctx.lang }
            .get("common.saved")
            .to_owned()
    });
    render(&employee_page(&state, &ctx, &p, id, notice, None).await?)
}

#[derive(Template)]
#[template(path = "admin/employee_form.html")]
struct EmployeeFormPage {
    page: PageCtx,
    action: String,
    editing: bool,
    form: EmployeeFormData,
    units: Vec<TreeRow>,
    positions: Vec<(String, Vec<positions::Model>)>,
    grades: Vec<grades::Model>,
    errors: FormErrors,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmployeeFormData {
    #[serde(default)]
    nip: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    position_id: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    nrk: String,
    #[serde(default)]
    supervisor_nip: String,
    #[serde(default)]
    password: String,
}

impl EmployeeFormData {
    async fn input(&self, state: &AppState) -> AppResult<EmployeeInput> {
        let supervisor_id = match self.supervisor_nip.replace(' ', "").as_str() {
            "" => None,
            nip => Some(
                employee_rows::Entity::find()
                    .filter(employee_rows::Column::Nip.eq(nip))
                    .one(state.db())
                    .await?
                    .ok_or(AppError::invalid(Code::InvalidSupervisor, "supervisor_nip"))?
                    .id,
            ),
        };
        Ok(EmployeeInput {
            nip: self.nip.clone(),
            name: self.name.clone(),
            username: self.username.clone(),
            unit_id: opt_id(&self.unit_id)?,
            position_id: opt_id(&self.position_id)?,
            grade: self.grade.clone(),
            email: self.email.clone(),
            nrk: self.nrk.clone(),
            supervisor_id,
            password: self.password.clone(),
        })
    }
}

async fn employee_form(
    state: &AppState,
    ctx: &Ctx,
    scope: &OrgScope,
    editing: Option<Uuid>,
    form: EmployeeFormData,
    error: Option<&AppError>,
) -> AppResult<EmployeeFormPage> {
    let db = state.db();
    let tree = units::as_tree(units::all(db, scope).await?);
    let unit_ids: Vec<Uuid> = tree.iter().map(|r| r.unit.id).collect();
    let all_positions = positions::Entity::find()
        .filter(positions::Column::UnitId.is_in(unit_ids))
        .all(db)
        .await?;
    let mut grouped: Vec<(String, Vec<positions::Model>)> = Vec::new();
    for row in &tree {
        let mut list: Vec<positions::Model> = all_positions
            .iter()
            .filter(|p| p.unit_id == row.unit.id)
            .cloned()
            .collect();
        if !list.is_empty() {
            list.sort_by(|a, b| a.name.cmp(&b.name));
            grouped.push((row.unit.name.clone(), list));
        }
    }
    Ok(EmployeeFormPage {
        page: PageCtx::new(
            ctx,
            if editing.is_some() {
                "org.edit_employee"
            } else {
                "org.new_employee"
            },
        ),
        action: match editing {
            Some(id) => format!("/admin/employees/{id}"),
            None => "/admin/employees".to_owned(),
        },
        editing: editing.is_some(),
        form,
        units: tree,
        positions: grouped,
        grades: employees::grades(db).await?,
        errors: FormErrors::of(ctx, error).renamed(&[("supervisor_id", "supervisor_nip")]),
    })
}

/// `GET /admin/employees/new?unit=`
pub async fn employee_new(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<ListQuery>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let form = EmployeeFormData {
        unit_id: q.unit.unwrap_or_default(),
        ..Default::default()
    };
    render(&employee_form(&state, &ctx, &scope, None, form, None).await?)
}

/// `POST /admin/employees`
pub async fn employee_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(form): CsrfForm<EmployeeFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let result = async {
        let input = form.input(&state).await?;
        employees::add_employee(state.db(), state.clock().today_wib(), &scope, &input).await
    }
    .await;
    match result {
        Ok(e) => Ok(Redirect::to(&format!("/admin/employees/{}?saved=1", e.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => render_status(
            e.status(),
            &employee_form(&state, &ctx, &scope, None, form, Some(&e)).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `GET /admin/employees/{id}/edit`
pub async fn employee_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let e = employees::get(state.db(), &scope, id).await?;
    let supervisor_nip = match e.employee.supervisor_id {
        Some(s) => employee_rows::Entity::find_by_id(s)
            .one(state.db())
            .await?
            .map(|s| s.nip)
            .unwrap_or_default(),
        None => String::new(),
    };
    let form = EmployeeFormData {
        nip: e.employee.nip.clone(),
        name: e.user.display_name.clone(),
        username: e.user.username.clone(),
        unit_id: e.unit.id.to_string(),
        position_id: e
            .employee
            .position_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
        grade: e.employee.grade_code.clone().unwrap_or_default(),
        email: e.user.email.clone().unwrap_or_default(),
        nrk: e.employee.nrk.clone().unwrap_or_default(),
        supervisor_nip,
        password: String::new(),
    };
    render(&employee_form(&state, &ctx, &scope, Some(e.employee.id), form, None).await?)
}

/// `POST /admin/employees/{id}`
pub async fn employee_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<EmployeeFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let result = async {
        let input = form.input(&state).await?;
        employees::change_employee(state.db(), state.clock().today_wib(), &scope, id, &input).await
    }
    .await;
    match result {
        Ok(e) => Ok(Redirect::to(&format!("/admin/employees/{}?saved=1", e.id)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => render_status(
            e.status(),
            &employee_form(&state, &ctx, &scope, Some(id), form, Some(&e)).await?,
        ),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: String,
}

/// `POST /admin/employees/{id}/active`: admins enable or disable the account; disabling
/// ends its sessions and tokens at once.
pub async fn employee_set_active(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> AppResult<Response> {
    let e = employees::set_employee_active(state.db(), &p, id, form.active == "true").await?;
    Ok(Redirect::to(&format!("/admin/employees/{}?saved=1", e.employee.id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SetPasswordForm {
    #[serde(default)]
    password: String,
}

/// `POST /admin/employees/{id}/password`: an admin sets a new password.
pub async fn employee_set_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<SetPasswordForm>,
) -> AppResult<Response> {
    p.require_admin()?;
    let scope = p.org_scope()?;
    let e = employees::get(state.db(), &scope, id).await?;
    match accounts::set_password(state.db(), e.user.id, &form.password).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/employees/{id}?saved=1")).into_response()),
        Err(err @ AppError::Invalid { .. }) => {
            let (msg, _) = form_error(&ctx, &err);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &employee_page(&state, &ctx, &p, id, None, Some(msg)).await?,
            )
        }
        Err(err) => Err(err),
    }
}

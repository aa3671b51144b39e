//! The organisation admin pages: the unit tree, a unit with its positions and people,
//! employee create/edit, and the CSV import.

use askama::Template;
use axum::{
    extract::{Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    employees::{self, EmployeeInput, EmployeeView, ListFilter},
    import::{self, ImportOutcome, RowError},
    model::{POSITION_KINDS, UNIT_KINDS},
    units::{self, TreeRow, UnitInput},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::{self, CsrfForm},
        principal::OrgScope,
        service as accounts,
    },
    db::begin_write,
    entities::{employees as employee_rows, grades, positions, units as unit_rows},
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::message,
        extract::{Params, parse_id},
        page::{PageCtx, Pager, render, render_status},
    },
};

const PER_PAGE: u64 = 50;

fn form_error(ctx: &Ctx, e: &AppError) -> (String, String) {
    let field = match e {
        AppError::Invalid { field: Some(f), .. } => (*f).to_owned(),
        _ => String::new(),
    };
    (message(ctx.lang, e.code(), e.detail().as_deref()), field)
}

fn opt_id(raw: &str) -> AppResult<Option<Uuid>> {
    match raw.trim() {
        "" => Ok(None),
        s => Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| AppError::BadRequest("malformed id".into())),
    }
}

// ----- units -----

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
    people: Vec<EmployeeView>,
    pager: Pager,
    position_kinds: &'static [&'static str],
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
    q: Option<String>,
    unit: Option<String>,
    parent: Option<String>,
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
    Ok(UnitPage {
        page: PageCtx::titled(ctx, unit.name.clone()),
        ancestors: units::ancestors(db, scope, &unit).await?,
        children: units::children(db, unit.id).await?,
        positions: units::positions_of(db, unit.id).await?,
        people,
        pager: Pager::new(page, total, PER_PAGE, String::new()),
        position_kinds: &POSITION_KINDS,
        error,
        unit,
    })
}

/// `GET /admin/units/{id}`
pub async fn unit_show(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    Params(q): Params<PageQuery>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let page = unit_page(
        &state,
        &ctx,
        &scope,
        parse_id(&id)?,
        q.page.unwrap_or(1).max(1),
        None,
    )
    .await?;
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
    error: Option<String>,
    error_field: String,
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
    let (error, error_field) = match error {
        Some(e) => {
            let (m, f) = form_error(ctx, e);
            (Some(m), f)
        }
        None => (None, String::new()),
    };
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
        kinds: &UNIT_KINDS,
        error,
        error_field,
    })
}

/// `GET /admin/units/new?parent=`
pub async fn unit_new(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
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
        Ok(input) => units::create(state.db(), &scope, &input).await,
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
    Path(id): Path<String>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let unit = units::get(state.db(), &scope, parse_id(&id)?).await?;
    let form = UnitFormData {
        code: unit.code.clone(),
        name: unit.name.clone(),
        name_en: unit.name_en.clone().unwrap_or_default(),
        kind: unit.kind.clone(),
        parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
    };
    render(&unit_form(&state, &ctx, &scope, Some(unit.id), form, None).await?)
}

/// `POST /admin/units/{id}`
pub async fn unit_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<UnitFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let id = parse_id(&id)?;
    let result = match form.input() {
        Ok(input) => {
            let txn = begin_write(state.db()).await?;
            let r = units::update(&txn, &scope, id, &input).await;
            if r.is_ok() {
                txn.commit().await?;
            }
            r
        }
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
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PositionForm>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let id = parse_id(&id)?;
    match units::create_position(state.db(), &scope, id, &form.name, &form.kind).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/units/{id}#positions")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let (msg, _) = form_error(&ctx, &e);
            let page = unit_page(&state, &ctx, &scope, id, 1, Some(msg)).await?;
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

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
    Params(q): Params<PageQuery>,
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
        format!("q={}&", form_urlencode(&text))
    };
    render(&EmployeesPage {
        page: PageCtx::new(&ctx, "org.employees_title"),
        people,
        pager: Pager::new(page, total, PER_PAGE, base),
        q: text,
    })
}

fn form_urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_owned())
        .unwrap_or_default()
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
    Path(id): Path<String>,
    Params(q): Params<NoticeQuery>,
) -> AppResult<Response> {
    let notice = q.saved.map(|_| {
        crate::web::i18n::Tr { lang: ctx.lang }
            .get("common.saved")
            .to_owned()
    });
    render(&employee_page(&state, &ctx, &p, parse_id(&id)?, notice, None).await?)
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
    error: Option<String>,
    error_field: String,
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
                    .ok_or(AppError::invalid("invalid_supervisor", "supervisor_nip"))?
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
    let (error, error_field) = match error {
        Some(e) => {
            let (m, f) = form_error(ctx, e);
            (Some(m), f)
        }
        None => (None, String::new()),
    };
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
        error,
        error_field,
    })
}

/// `GET /admin/employees/new?unit=`
pub async fn employee_new(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
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
        let txn = begin_write(state.db()).await?;
        let created = employees::create(&txn, &scope, &input).await?;
        txn.commit().await?;
        Ok::<_, AppError>(created)
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
    Path(id): Path<String>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let e = employees::get(state.db(), &scope, parse_id(&id)?).await?;
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
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EmployeeFormData>,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let id = parse_id(&id)?;
    let result = async {
        let input = form.input(&state).await?;
        let txn = begin_write(state.db()).await?;
        let updated = employees::update(&txn, &scope, id, &input).await?;
        txn.commit().await?;
        Ok::<_, AppError>(updated)
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
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> AppResult<Response> {
    p.require_admin()?;
    let scope = p.org_scope()?;
    let e = employees::get(state.db(), &scope, parse_id(&id)?).await?;
    if e.user.id == p.user.id {
        return Err(AppError::invalid("cannot_disable_self", "active"));
    }
    let txn = begin_write(state.db()).await?;
    accounts::set_active(&txn, e.user.id, form.active == "true").await?;
    txn.commit().await?;
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
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SetPasswordForm>,
) -> AppResult<Response> {
    p.require_admin()?;
    let scope = p.org_scope()?;
    let id = parse_id(&id)?;
    let e = employees::get(state.db(), &scope, id).await?;
    match accounts::set_password(state.db(), e.user.id, &form.password).await {
        Ok(()) => {
            crate::auth::session_store::end_user_sessions(state.db(), e.user.id).await?;
            Ok(Redirect::to(&format!("/admin/employees/{id}?saved=1")).into_response())
        }
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

// ----- import -----

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    page: PageCtx,
    columns: &'static [&'static str],
    errors: Vec<RowError>,
    imported: Option<usize>,
}

/// `GET /admin/import`
pub async fn import_form(ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    p.org_scope()?;
    render(&ImportPage {
        page: PageCtx::new(&ctx, "org.import_title"),
        columns: &import::COLUMNS,
        errors: Vec::new(),
        imported: None,
    })
}

/// Largest CSV accepted by the upload page.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// `POST /admin/import` (multipart: `_csrf`, `file`)
pub async fn import_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let scope = p.org_scope()?;
    let mut token = String::new();
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name() {
            Some("_csrf") => {
                token = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?;
            }
            Some("file") => {
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?
                {
                    if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                        return Err(AppError::Invalid {
                            code: "file_too_large",
                            field: Some("file"),
                            detail: Some(format!("{} MiB", MAX_UPLOAD_BYTES / 1024 / 1024)),
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    csrf::verify(&ctx, &token)?;
    let page = |errors, imported| ImportPage {
        page: PageCtx::new(&ctx, "org.import_title"),
        columns: &import::COLUMNS,
        errors,
        imported,
    };
    if std::str::from_utf8(&bytes).is_err() {
        let errors = vec![RowError {
            line: 1,
            message: message(ctx.lang, "csv_not_utf8", None),
        }];
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(errors, None));
    }
    let txn = begin_write(state.db()).await?;
    match import::import_csv(&txn, &scope, &bytes, ctx.lang).await? {
        ImportOutcome::Imported(n) => {
            txn.commit().await?;
            tracing::info!(rows = n, "employees imported");
            render(&page(Vec::new(), Some(n)))
        }
        ImportOutcome::Rejected(errors) => {
            txn.rollback().await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(errors, None))
        }
    }
}

//! The dictionary's admin pages: the list, a competency's form (new or existing, with its
//! five levels) and retiring or restoring one.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

use super::dictionary::{self, Competency, CompetencyInput, LevelText};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::{FormErrors, user_error},
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "competency/dictionary.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<Competency>,
}

/// `GET /admin/competencies`
pub async fn index(State(state): State<AppState>, ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    p.require_admin()?;
    render(&ListPage {
        page: PageCtx::new(&ctx, "dictionary.title"),
        items: dictionary::list(state.db(), true).await?,
    })
}

/// One level's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct LevelFields {
    description: String,
    description_en: String,
    indicators: String,
}

/// The competency form as typed.
#[derive(Debug, Clone, Default)]
pub struct CompetencyForm {
    code: String,
    kind: String,
    name: String,
    name_en: String,
    definition: String,
    definition_en: String,
    levels: Vec<LevelFields>,
}

impl CompetencyForm {
    fn from_fields(f: &HashMap<String, String>) -> Self {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        Self {
            code: get("code"),
            kind: get("kind"),
            name: get("name"),
            name_en: get("name_en"),
            definition: get("definition"),
            definition_en: get("definition_en"),
            levels: (1..=5)
                .map(|l| LevelFields {
                    description: get(&format!("level_{l}")),
                    description_en: get(&format!("level_{l}_en")),
                    indicators: get(&format!("indicators_{l}")),
                })
                .collect(),
        }
    }

    fn of(c: &Competency) -> Self {
        let mut levels = vec![LevelFields::default(); 5];
        for l in &c.levels {
            if let Some(slot) = usize::try_from(l.level - 1)
                .ok()
                .and_then(|i| levels.get_mut(i))
            {
                *slot = LevelFields {
                    description: l.description.clone(),
                    description_en: l.description_en.clone(),
                    indicators: l.indicators.clone(),
                };
            }
        }
        Self {
            code: c.row.code.clone(),
            kind: c.row.kind.as_str().to_owned(),
            name: c.row.name.clone(),
            name_en: c.row.name_en.clone(),
            definition: c.row.definition.clone(),
            definition_en: c.row.definition_en.clone(),
            levels,
        }
    }

    fn input(&self) -> CompetencyInput {
        CompetencyInput {
            code: self.code.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            definition: self.definition.clone(),
            definition_en: self.definition_en.clone(),
            levels: (1i16..)
                .zip(&self.levels)
                .filter(|(_, l)| {
                    !(l.description.trim().is_empty()
                        && l.description_en.trim().is_empty()
                        && l.indicators.trim().is_empty())
                })
                .map(|(level, l)| LevelText {
                    level,
                    description: l.description.clone(),
                    description_en: l.description_en.clone(),
                    indicators: l.indicators.lines().map(str::to_owned).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "competency/dictionary_form.html")]
struct FormPage {
    page: PageCtx,
    /// The competency edited (none for a new one), and whether it is retired.
    existing: Option<(Uuid, bool)>,
    form: CompetencyForm,
    errors: FormErrors,
    kinds: &'static [&'static str],
    saved: bool,
}

fn form_page(
    ctx: &Ctx,
    existing: Option<(Uuid, bool)>,
    form: CompetencyForm,
    error: Option<&AppError>,
    saved: bool,
) -> FormPage {
    FormPage {
        page: PageCtx::new(
            ctx,
            if existing.is_some() {
                "dictionary.edit"
            } else {
                "dictionary.new"
            },
        ),
        existing,
        form,
        errors: FormErrors::of(ctx, error),
        kinds: super::model::Kind::NAMES,
        saved,
    }
}

/// `GET /admin/competencies/new`
pub async fn new_form(ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    p.require_admin()?;
    let form = CompetencyForm {
        kind: "teknis".to_owned(),
        levels: vec![LevelFields::default(); 5],
        ..Default::default()
    };
    render(&form_page(&ctx, None, form, None, false))
}

/// `POST /admin/competencies`
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let form = CompetencyForm::from_fields(&fields);
    match dictionary::add_competency(state.db(), &p, &form.input()).await {
        Ok(c) => {
            Ok(Redirect::to(&format!("/admin/competencies/{}?saved=1", c.row.id)).into_response())
        }
        Err(e) if user_error(&e) => {
            render_status(e.status(), &form_page(&ctx, None, form, Some(&e), false))
        }
        Err(e) => Err(e),
    }
}

/// `?saved=1` after a save.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/competencies/{id}`
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    crate::web::extract::Params(q): crate::web::extract::Params<SavedQuery>,
) -> AppResult<Response> {
    p.require_admin()?;
    let c = dictionary::get(state.db(), id).await?;
    let existing = Some((c.row.id, c.row.retired_at.is_some()));
    render(&form_page(
        &ctx,
        existing,
        CompetencyForm::of(&c),
        None,
        q.saved.is_some(),
    ))
}

/// `POST /admin/competencies/{id}`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let form = CompetencyForm::from_fields(&fields);
    match dictionary::change_competency(state.db(), &p, id, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/competencies/{id}?saved=1")).into_response()),
        Err(e) if user_error(&e) => {
            let c = dictionary::get(state.db(), id).await?;
            let existing = Some((c.row.id, c.row.retired_at.is_some()));
            render_status(
                e.status(),
                &form_page(&ctx, existing, form, Some(&e), false),
            )
        }
        Err(e) => Err(e),
    }
}

/// The retire form.
#[derive(Debug, Deserialize)]
pub struct RetireForm {
    retired: String,
}

/// `POST /admin/competencies/{id}/retired`
pub async fn set_retired(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<RetireForm>,
) -> AppResult<Response> {
    dictionary::set_retired(state.db(), &p, state.clock().now(), id, form.retired == "1").await?;
    Ok(Redirect::to(&format!("/admin/competencies/{id}?saved=1")).into_response())
}

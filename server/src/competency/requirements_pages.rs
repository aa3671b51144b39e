//! The page of a position's requirements (admins): the competencies and levels it asks
//! for, edited as one list.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use std::collections::HashMap;
use uuid::Uuid;

use super::{level_slots::LevelSlots, requirements};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
        principal::OrgScope,
    },
    entities::{positions, units},
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::{form_error, user_error},
        extract::{Id, Params},
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "competency/requirements.html")]
struct RequirementsPage {
    page: PageCtx,
    position: positions::Model,
    unit: units::Model,
    s: LevelSlots,
}

async fn requirements_page(
    state: &AppState,
    ctx: &Ctx,
    id: Uuid,
    slots: Option<Vec<(String, String)>>,
) -> AppResult<RequirementsPage> {
    use sea_orm::EntityTrait;
    let db = state.db();
    let position = positions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = crate::org::units::get(db, &OrgScope::All, position.unit_id).await?;
    let slots = match slots {
        Some(s) => s,
        None => LevelSlots::of(&requirements::of_position(db, id).await?),
    };
    Ok(RequirementsPage {
        page: PageCtx::titled(
            ctx,
            format!(
                "{} — {}",
                position.name,
                crate::web::i18n::Tr { lang: ctx.lang }.unit(&unit)
            ),
        ),
        s: LevelSlots::load(db, "req", (2, "requirements.level"), slots).await?,
        position,
        unit,
    })
}

/// `?saved=1` after a save.
#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/positions/{id}/requirements`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    p.require_admin()?;
    let mut page = requirements_page(&state, &ctx, id, None).await?;
    page.s.saved = q.saved.is_some();
    render(&page)
}

/// `POST /admin/positions/{id}/requirements` (`req_code_N`, `req_level_N`; blank slots
/// are left out): the list replaces the one before.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let (slots, pairs) = LevelSlots::from_fields("req", &fields);
    match requirements::set_position_requirements(state.db(), &p, id, &pairs).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/positions/{id}/requirements?saved=1")).into_response(),
        ),
        Err(e) if user_error(&e) => {
            let mut page = requirements_page(&state, &ctx, id, Some(slots)).await?;
            page.s.error = Some(form_error(&ctx, &e).0);
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

//! The author's list of courses and the course form (new and edit).

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
    competency::level_slots::LevelSlots,
    courses::{
        access, editing,
        model::{Category, CourseInput, Delivery, EnrolmentMode, Status},
        teaching::{self, TaughtCourse},
    },
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::{FormErrors, user_error},
        extract::{Id, Params},
        page::{PageCtx, render, render_status},
    },
};

#[derive(Template)]
#[template(path = "teach/index.html")]
struct IndexPage {
    page: PageCtx,
    courses: Vec<TaughtCourse>,
}

/// `GET /teach`: the courses I teach (admins: all courses), with learner counts.
pub async fn index(State(state): State<AppState>, ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    access::require_author(&p)?;
    render(&IndexPage {
        page: PageCtx::new(&ctx, "teach.title"),
        courses: teaching::taught_by(state.db(), p.user.id, p.is_admin()).await?,
    })
}

/// The course form's fields.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct CourseForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    jp: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    enrolment: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    venue: String,
}

/// A moment as a `datetime-local` field shows it: Jakarta wall-clock time.
fn local_field(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| {
        at.with_timezone(&crate::time::wib())
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    })
    .unwrap_or_default()
}

impl CourseForm {
    /// Whether fields for `deliveries` (space-separated) fit the chosen delivery form.
    fn fits(&self, deliveries: &str) -> bool {
        deliveries.split(' ').any(|d| d == self.delivery)
    }

    fn input(&self) -> CourseInput {
        CourseInput {
            code: self.code.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            description_md: self.description.clone(),
            category: self.category.clone(),
            jp: self.jp.clone(),
            delivery: self.delivery.clone(),
            enrolment: self.enrolment.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            venue: self.venue.clone(),
        }
    }
}

impl CourseForm {
    /// The form filled in with a course as it is.
    fn of(c: &crate::entities::courses::Model) -> CourseForm {
        CourseForm {
            code: c.code.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            description: c.description_md.clone(),
            category: c.category.to_string(),
            jp: c.jp.to_string(),
            delivery: c.delivery.to_string(),
            enrolment: c.enrolment.to_string(),
            starts_at: local_field(c.starts_at),
            ends_at: local_field(c.ends_at),
            venue: c.venue.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "teach/course_form.html")]
struct CourseFormPage {
    page: PageCtx,
    action: String,
    cancel: String,
    form: CourseForm,
    errors: FormErrors,
    categories: &'static [&'static str],
    deliveries: &'static [&'static str],
    modes: &'static [&'static str],
    /// The competencies it develops (an existing course): the slots of their form, the
    /// dictionary to choose from, and the refusal of the last save.
    awards: Option<LevelSlots>,
}

/// The course form's section on what the course develops: slots named `award_…`, a
/// blank one offering level 2.
async fn awards_section(
    db: &impl sea_orm::ConnectionTrait,
    slots: Vec<(String, String)>,
) -> AppResult<LevelSlots> {
    LevelSlots::load(db, "award", (2, "teach.award_level"), slots).await
}

fn course_form_page(
    ctx: &Ctx,
    id: Option<Uuid>,
    form: CourseForm,
    error: Option<&AppError>,
) -> CourseFormPage {
    CourseFormPage {
        errors: FormErrors::of(ctx, error),
        page: PageCtx::new(
            ctx,
            if id.is_some() {
                "teach.edit_course"
            } else {
                "teach.new_course"
            },
        ),
        action: id.map_or("/teach".to_owned(), |id| format!("/teach/courses/{id}")),
        cancel: id.map_or("/teach".to_owned(), |id| format!("/teach/courses/{id}")),
        form,
        categories: Category::NAMES,
        deliveries: Delivery::NAMES,
        modes: EnrolmentMode::NAMES,
        awards: None,
    }
}

/// `GET /teach/new`
pub async fn new_form(ctx: Ctx, Auth(p): Auth) -> AppResult<Response> {
    access::require_author(&p)?;
    let form = CourseForm {
        category: "teknis".into(),
        delivery: "e_learning".into(),
        enrolment: "self".into(),
        jp: "2".into(),
        ..Default::default()
    };
    render(&course_form_page(&ctx, None, form, None))
}

/// `POST /teach`
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(form): CsrfForm<CourseForm>,
) -> AppResult<Response> {
    access::require_author(&p)?;
    let result = async {
        let input = form.input().check()?;
        editing::add_course(state.db(), &p, &input).await
    }
    .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/teach/courses/{}", c.id)).into_response()),
        Err(e) if user_error(&e) => {
            render_status(e.status(), &course_form_page(&ctx, None, form, Some(&e)))
        }
        Err(e) => Err(e),
    }
}

/// `GET /teach/courses/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    let c = access::editable(state.db(), &p, id).await?.course;
    let form = CourseForm::of(&c);
    let mut page = course_form_page(&ctx, Some(c.id), form, None);
    let current = crate::competency::requirements::of_course(state.db(), c.id).await?;
    let mut awards = awards_section(state.db(), LevelSlots::of(&current)).await?;
    awards.saved = q.saved.is_some();
    page.awards = Some(awards);
    render(&page)
}

/// `?saved=1` after the awards were saved.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `POST /teach/courses/{id}/competencies`: the course form's section on what the
/// course develops (`award_code_N`, `award_level_N`; blank slots are left out).
pub async fn save_awards(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(fields): CsrfForm<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let (slots, pairs) = LevelSlots::from_fields("award", &fields);
    match crate::competency::requirements::set_course_competencies(state.db(), &p, id, &pairs).await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/teach/courses/{id}/edit?saved=1#awards")).into_response())
        }
        Err(e) if user_error(&e) => {
            let c = access::editable(state.db(), &p, id).await?.course;
            let form = CourseForm::of(&c);
            let mut page = course_form_page(&ctx, Some(c.id), form, None);
            let mut awards = awards_section(state.db(), slots).await?;
            awards.error = Some(crate::web::errors::form_error(&ctx, &e).0);
            page.awards = Some(awards);
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

/// `POST /teach/courses/{id}`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<CourseForm>,
) -> AppResult<Response> {
    let result = async {
        // Only an editor learns whether the form was right.
        access::editable(state.db(), &p, id).await?;
        let input = form.input().check()?;
        editing::change_course(state.db(), &p, id, &input).await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/teach/courses/{id}")).into_response()),
        Err(e) if user_error(&e) => render_status(
            e.status(),
            &course_form_page(&ctx, Some(id), form, Some(&e)),
        ),
        Err(e) => Err(e),
    }
}

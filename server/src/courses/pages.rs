//! The learner's pages: the catalogue, a course, the lesson player with progress, material
//! downloads, and the assignment form of admins and unit admins.

use askama::Template;
use axum::{
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    access, authoring,
    catalogue::{self, CatalogueFilter, PER_PAGE},
    enrolment::{self, AssignTarget},
    materials,
    model::{Category, Delivery, EnrolmentMode, LessonKind, Status},
    progress::{LessonState, Report},
    views::{self, CourseDetail},
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    entities::{courses, lessons, materials as material_rows, positions, units},
    error::{AppError, AppResult, Code},
    org,
    state::AppState,
    web::{
        errors::message,
        extract::{Id, Params},
        page::{PageCtx, Pager, render, render_status},
    },
};

/// Catalogue query string.
#[derive(Debug, Deserialize, Default)]
pub struct CatalogueParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    jp: String,
    #[serde(default)]
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "courses/catalogue.html")]
struct CataloguePage {
    page: PageCtx,
    courses: Vec<courses::Model>,
    pager: Pager,
    q: String,
    category: String,
    delivery: String,
    jp: String,
    categories: &'static [&'static str],
    deliveries: &'static [&'static str],
}

/// JP bands offered as a filter: (value, min, max).
const JP_BANDS: [(&str, i32, i32); 3] = [("1-8", 1, 8), ("9-16", 9, 16), ("17-", 17, 500)];

/// `GET /courses`
pub async fn catalogue(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(_p): Auth,
    Params(q): Params<CatalogueParams>,
) -> AppResult<Response> {
    let band = JP_BANDS.iter().find(|(v, _, _)| *v == q.jp);
    let filter = CatalogueFilter::parse(
        Some(&q.category),
        Some(&q.delivery),
        band.map(|b| b.1),
        band.map(|b| b.2),
        Some(&q.q),
    )
    .unwrap_or_default();
    let page = q.page.unwrap_or(1).max(1);
    let (courses, total) =
        catalogue::search(state.db(), &filter, page, catalogue::PER_PAGE).await?;
    let base = serde_urlencoded::to_string([
        ("q", q.q.as_str()),
        ("category", q.category.as_str()),
        ("delivery", q.delivery.as_str()),
        ("jp", q.jp.as_str()),
    ])
    .map(|s| format!("{s}&"))
    .unwrap_or_default();
    render(&CataloguePage {
        page: PageCtx::new(&ctx, "courses.catalogue_title"),
        courses,
        pager: Pager::new(page, total, PER_PAGE, base),
        q: q.q,
        category: q.category,
        delivery: q.delivery,
        jp: q.jp,
        categories: Category::NAMES,
        deliveries: Delivery::NAMES,
    })
}

#[derive(Template)]
#[template(path = "courses/course.html")]
struct CoursePage {
    page: PageCtx,
    d: CourseDetail,
    description_html: String,
    percent: i32,
    resume: Option<Uuid>,
    can_enrol: bool,
    assigned: bool,
    can_assign: bool,
    error: Option<String>,
}

impl CoursePage {
    fn state(&self, id: &Uuid) -> LessonState {
        self.d.state(*id)
    }
}

async fn course_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    id: Uuid,
    error: Option<String>,
) -> AppResult<CoursePage> {
    let db = state.db();
    let d = views::detail(db, state.course_cache(), p, id).await?;
    // Only someone not yet enrolled needs to know whether the course is assigned to them.
    let assigned =
        d.access.enrolment.is_none() && enrolment::is_assigned(db, p.user.id, id).await?;
    let published = d.access.status() == Status::Published;
    let can_enrol = d.access.enrolment.is_none()
        && published
        && (assigned || d.access.course.enrolment == EnrolmentMode::SelfEnrol);
    let description_html = d.content.description_html.clone();
    Ok(CoursePage {
        page: PageCtx::titled(ctx, d.access.course.title.clone()),
        percent: d.percent(),
        resume: d.resume_lesson().map(|l| l.id),
        can_enrol,
        assigned,
        can_assign: published && p.org_scope().is_ok(),
        description_html,
        error,
        d,
    })
}

/// `GET /courses/{id}`
pub async fn course(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    render(&course_page(&state, &ctx, &p, id, None).await?)
}

/// `POST /courses/{id}/enrol`
pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> AppResult<Response> {
    match enrolment::enrol_me(state.db(), &p, id).await {
        Ok(_) => {
            let d = views::detail(state.db(), state.course_cache(), &p, id).await?;
            let to = d
                .resume_lesson()
                .map_or(format!("/courses/{id}"), |l| format!("/lessons/{}", l.id));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e @ AppError::Conflict { .. }) => {
            let msg = message(ctx.lang, e.code(), e.detail().as_deref());
            render_status(
                e.status(),
                &course_page(&state, &ctx, &p, id, Some(msg)).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "courses/lesson.html")]
struct LessonPage {
    page: PageCtx,
    d: CourseDetail,
    lesson: lessons::Model,
    kind: LessonKind,
    material: Option<material_rows::Model>,
    captions: Option<material_rows::Model>,
    state: LessonState,
    percent: i32,
    prev: Option<Uuid>,
    next: Option<Uuid>,
    preview: bool,
    completion: String,
    /// A quiz lesson's rules and the learner's attempts.
    quiz: Option<crate::quizzes::panel::Panel>,
    /// Why the quiz did not start (after a refused start).
    quiz_error: Option<String>,
}

/// Query of the lesson page: `error` after a refused quiz start.
#[derive(Debug, Deserialize, Default)]
pub struct LessonParams {
    #[serde(default)]
    error: Option<String>,
}

impl LessonPage {
    fn done(&self, id: &Uuid) -> bool {
        self.d.state(*id).completed
    }
}

/// `GET /lessons/{id}`: the player. Learners must be enrolled; editors preview.
pub async fn lesson(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(params): Params<LessonParams>,
) -> AppResult<Response> {
    let db = state.db();
    let lesson_id = id;
    let course_id = match state.course_cache().course_of_lesson(lesson_id) {
        Some(c) => c,
        None => authoring::lesson(db, lesson_id).await?.course_id,
    };
    let d = views::detail(db, state.course_cache(), &p, course_id).await?;
    let lesson = d
        .lessons()
        .find(|l| l.id == lesson_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if !d.access.can_learn() {
        return Ok(Redirect::to(&format!("/courses/{}", d.access.course.id)).into_response());
    }
    let (prev, next) = d.neighbours(lesson.id);
    let (prev, next) = (prev.map(|l| l.id), next.map(|l| l.id));
    let material = lesson
        .material_id
        .and_then(|m| d.content.materials.get(&m).cloned());
    let captions = lesson
        .captions_material_id
        .and_then(|m| d.content.materials.get(&m).cloned());
    let quiz = if lesson.kind == LessonKind::Quiz {
        let quiz = crate::quizzes::quiz::of_lesson(db, lesson.id).await?;
        Some(crate::quizzes::panel::panel(db, quiz, p.user.id, state.clock().now()).await?)
    } else {
        None
    };
    // Only the refusals a start can give are shown; anything else in the query is ignored.
    let quiz_error = params
        .error
        .and_then(|c| c.parse::<Code>().ok())
        .filter(|c| {
            [
                Code::QuizNotOpen,
                Code::QuizClosed,
                Code::AttemptsExhausted,
                Code::QuizHasNoQuestions,
            ]
            .contains(c)
        })
        .map(|c| message(ctx.lang, c, None));
    render(&LessonPage {
        quiz,
        quiz_error,
        page: PageCtx::titled(&ctx, lesson.title.clone()),
        kind: lesson.kind,
        state: d.state(lesson.id),
        percent: d.percent(),
        preview: d.access.enrolment.is_none(),
        completion: super::progress::effective_completion(&lesson)
            .as_str()
            .to_owned(),
        material,
        captions,
        prev,
        next,
        lesson,
        d,
    })
}

/// The player's progress form (also sent by its script).
#[derive(Debug, Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    completed: Option<String>,
    #[serde(default)]
    seconds: Option<i32>,
    #[serde(default)]
    position: Option<i32>,
    #[serde(default)]
    duration: Option<i32>,
    /// Where to go afterwards: a lesson id, or empty to stay.
    #[serde(default)]
    next: String,
}

/// `POST /lessons/{id}/progress`: the script gets JSON, a plain form a redirect.
pub async fn progress(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ProgressForm>,
) -> AppResult<Response> {
    let report = Report {
        completed: form
            .completed
            .as_deref()
            .is_some_and(|v| v == "1" || v == "true"),
        seconds: form.seconds.unwrap_or(0),
        position: form.position,
        duration: form.duration,
        quiz_passed: false,
    };
    let wants_json = crate::web::extract::wants_json(&headers);
    let (lesson_id, s, percent) =
        super::progress::save_progress(state.db(), state.clock().now(), &p, id, report).await?;
    if wants_json {
        return Ok(axum::Json(serde_json::json!({
            "lesson_id": lesson_id,
            "completed": s.completed,
            "seconds": s.seconds,
            "position": s.position,
            "course_progress_percent": percent,
        }))
        .into_response());
    }
    let to = match Uuid::parse_str(form.next.trim()) {
        Ok(next) => format!("/lessons/{next}"),
        Err(_) => format!("/lessons/{lesson_id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Material query: `?download=1` forces an attachment.
#[derive(Debug, Deserialize, Default)]
pub struct MaterialParams {
    #[serde(default)]
    download: Option<String>,
}

/// `GET /materials/{id}`
pub async fn material(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<MaterialParams>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let m = super::materials::material_for(state.db(), &p, id).await?;
    materials::serve(&state, &m, &headers, q.download.is_some()).await
}

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
        d.map(crate::time::format_date)
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

//! The competency pages: a person's profile (their own, or a report's for a supervisor,
//! a unit admin or an admin) with the assessment form, training done elsewhere, the
//! verification queue, and the training history as CSV.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    assessments::{self, AssessmentInput},
    dictionary::{self, Competency},
    external::{self, ExternalInput, WithDecisions},
    profile::{self, Profile, Row},
    recommend::Recommendation,
    scope::Relation,
};
use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    entities::external_trainings,
    error::{AppError, AppResult},
    state::AppState,
    time::year_wib,
    web::{
        errors::{FormErrors, user_error},
        extract::{Id, Params},
        page::{PageCtx, render, render_status},
    },
};

/// "Mengembangkan: Keamanan Informasi level 2, …" for a course's awards; `None` when it
/// awards none. One wording for the course page, the catalogue and the course form.
pub fn develops(
    t: &crate::web::i18n::Tr,
    awards: &[super::requirements::Leveled],
) -> Option<String> {
    if awards.is_empty() {
        return None;
    }
    let list: Vec<String> = awards
        .iter()
        .map(|(c, level)| {
            let name = match t.lang {
                crate::web::i18n::Lang::En if !c.name_en.is_empty() => &c.name_en,
                _ => &c.name,
            };
            t.fmt2("profile.develops_one", "name", name, "level", level)
        })
        .collect();
    Some(t.fmt("profile.develops", "list", list.join(", ")))
}

/// The assessment form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssessmentForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    assessed_on: String,
}

/// The form for training done elsewhere as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExternalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    end_on: String,
    #[serde(default)]
    jp: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    certificate_number: String,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

impl ExternalForm {
    fn input(&self) -> ExternalInput {
        ExternalInput {
            title: self.title.clone(),
            organiser: self.organiser.clone(),
            start_on: date(&self.start_on),
            end_on: date(&self.end_on),
            // A word in the JP field is refused as JP (0 is out of range).
            jp: self.jp.trim().parse().unwrap_or(0),
            category: self.category.clone(),
            certificate_number: self.certificate_number.clone(),
        }
    }
}

/// One bar of the profile's chart.
pub struct Bar {
    /// The competency's code.
    pub code: String,
    /// Top of the bar in the drawing.
    pub y: i32,
    /// Width of the achieved level.
    pub achieved: i32,
    /// Width of the required level (0: none).
    pub required: i32,
}

/// How many of the latest completion records the profile lists.
const RECENT_RECORDS: u64 = 10;

/// Width of one level in the chart.
const LEVEL_WIDTH: i32 = 40;
/// Height of one row of the chart.
const ROW_HEIGHT: i32 = 26;

#[derive(Template)]
#[template(path = "competency/profile.html")]
struct ProfilePage {
    page: PageCtx,
    profile: Profile,
    /// The latest completion records, newest first (all of them in the CSV).
    records: Vec<crate::entities::completion_records::Model>,

    recommendations: Vec<Recommendation>,
    externals: Vec<external_trainings::Model>,
    /// The viewer may correct records (admins).
    can_reverse: bool,
    /// A correction just refused: the record, the refusal and the reason typed.
    reverse_error: Option<(Uuid, String, String)>,
    /// The dictionary, for the assessment form.
    dictionary: Vec<Competency>,
    can_assess: bool,
    form: AssessmentForm,
    errors: FormErrors,
    saved: bool,
    today: String,
}

impl ProfilePage {
    fn own(&self) -> bool {
        self.profile.relation == Relation::Own
    }

    /// Whether the viewer may correct `r`: an admin, a record neither a reversal nor
    /// reversed among those listed.
    fn reversible(&self, r: &crate::entities::completion_records::Model) -> bool {
        self.can_reverse
            && r.reverses_id.is_none()
            && !self.records.iter().any(|x| x.reverses_id == Some(r.id))
    }

    /// The refusal of a correction of `r` just tried, and the reason typed.
    fn reverse_error_of(
        &self,
        r: &crate::entities::completion_records::Model,
    ) -> Option<&(Uuid, String, String)> {
        self.reverse_error.as_ref().filter(|(id, _, _)| *id == r.id)
    }

    fn more_records(&self) -> bool {
        self.records.len() as u64 >= RECENT_RECORDS
    }

    fn history_href(&self) -> String {
        if self.own() {
            "/profile/history.csv".to_owned()
        } else {
            format!("/employees/{}/history.csv", self.profile.view.employee.id)
        }
    }

    fn day(&self, r: &crate::entities::completion_records::Model) -> String {
        self.page.t.date(&crate::time::date_wib(r.completed_at))
    }

    fn status_class(&self, t: &external_trainings::Model) -> &'static str {
        status_class(t)
    }

    fn bars(&self) -> Vec<Bar> {
        self.profile
            .rows
            .iter()
            .zip(0..)
            .map(|(r, i)| Bar {
                code: r.competency.code.clone(),
                y: i * ROW_HEIGHT + 6,
                achieved: i32::from(r.achieved.unwrap_or(0)) * LEVEL_WIDTH,
                required: i32::from(r.required.unwrap_or(0)) * LEVEL_WIDTH,
            })
            .collect()
    }

    fn chart_height(&self) -> i32 {
        i32::try_from(self.profile.rows.len()).unwrap_or(0) * ROW_HEIGHT + 30
    }

    fn level_ticks(&self) -> Vec<(i32, i32)> {
        (0..=5).map(|l| (l, 70 + l * LEVEL_WIDTH)).collect()
    }

    fn name(&self, r: &Row) -> String {
        match self.page.t.lang {
            crate::web::i18n::Lang::En if !r.competency.name_en.is_empty() => {
                r.competency.name_en.clone()
            }
            _ => r.competency.name.clone(),
        }
    }

    fn level(&self, l: &Option<i16>) -> String {
        l.map_or_else(|| "—".to_owned(), |l| l.to_string())
    }

    fn percent(&self) -> i32 {
        self.profile.this_year().percent()
    }

    fn gaps(&self) -> usize {
        self.profile.rows.iter().filter(|r| r.gap > 0).count()
    }

    fn status_of(&self, t: &external_trainings::Model) -> String {
        self.page.t.of("external_status", t.status.as_str())
    }
}

#[allow(clippy::too_many_arguments)]
async fn profile_page(
    state: &AppState,
    ctx: &Ctx,
    viewer: &crate::auth::principal::Principal,
    profile: Profile,
    form: AssessmentForm,
    error: Option<&AppError>,
    saved: bool,
) -> AppResult<ProfilePage> {
    let db = state.db();
    let recommendations = profile::recommendations(db, viewer, &profile).await?;
    let records = super::records::latest(db, profile.view.user.id, RECENT_RECORDS).await?;
    let externals = external::rows_of_user(db, profile.view.user.id).await?;
    let can_assess = profile.relation != Relation::Own;
    let mut form = form;
    if form.code.is_empty()
        && let Some(first) = profile
            .rows
            .iter()
            .find(|r| r.gap > 0)
            .or(profile.rows.first())
    {
        form.code.clone_from(&first.competency.code);
    }
    let dictionary = if can_assess {
        dictionary::list(db, false).await?
    } else {
        Vec::new()
    };
    Ok(ProfilePage {
        page: PageCtx::titled(
            ctx,
            format!(
                "{} — {}",
                crate::web::i18n::Tr { lang: ctx.lang }.get("profile.title"),
                profile.view.user.display_name
            ),
        ),
        profile,
        records,
        recommendations,
        externals,
        dictionary,
        can_assess,
        can_reverse: viewer.is_admin() && can_assess,
        reverse_error: None,
        form,
        errors: FormErrors::of(ctx, error),
        saved,
        today: state.clock().today_wib().to_string(),
    })
}

/// The correction form of a record.
#[derive(Debug, Deserialize)]
pub struct ReverseForm {
    reason: String,
}

/// `POST /employees/{id}/records/{record}/reverse` (admins): the record is corrected by
/// a reversing record with this reason.
pub async fn reverse_record(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    axum::extract::Path((id, record)): axum::extract::Path<(Uuid, Uuid)>,
    CsrfForm(form): CsrfForm<ReverseForm>,
) -> AppResult<Response> {
    p.require_admin()?;
    let year = year_wib(state.clock().now());
    let profile = profile::of_employee(state.db(), &p, state.config().learning, year, id).await?;
    let owned = super::records::get(state.db(), record).await?;
    if owned.user_id != profile.view.user.id {
        return Err(AppError::NotFound);
    }
    match super::records::reverse(state.db(), &p, record, &form.reason).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/employees/{id}/profile?saved=1#h-records")).into_response())
        }
        Err(e) if user_error(&e) => {
            let mut page = profile_page(
                &state,
                &ctx,
                &p,
                profile,
                AssessmentForm::default(),
                None,
                false,
            )
            .await?;
            page.reverse_error = Some((
                record,
                crate::web::errors::form_error(&ctx, &e).0,
                form.reason,
            ));
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

/// `?saved=1` after a form.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /profile`
pub async fn my_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    let year = year_wib(state.clock().now());
    let profile = profile::mine(state.db(), &p, state.config().learning, year).await?;
    render(
        &profile_page(
            &state,
            &ctx,
            &p,
            profile,
            AssessmentForm::default(),
            None,
            q.saved.is_some(),
        )
        .await?,
    )
}

/// `GET /employees/{id}/profile`
pub async fn employee_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    let year = year_wib(state.clock().now());
    let profile = profile::of_employee(state.db(), &p, state.config().learning, year, id).await?;
    render(
        &profile_page(
            &state,
            &ctx,
            &p,
            profile,
            AssessmentForm::default(),
            None,
            q.saved.is_some(),
        )
        .await?,
    )
}

/// `POST /employees/{id}/assessments`
pub async fn assess(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<AssessmentForm>,
) -> AppResult<Response> {
    let input = AssessmentInput {
        code: form.code.clone(),
        level: form.level.trim().parse().unwrap_or(0),
        note: form.note.clone(),
        assessed_on: match form.assessed_on.trim() {
            "" => None,
            raw => Some(date(raw).ok_or(AppError::invalid(
                crate::error::Code::InvalidDate,
                "assessed_on",
            ))?),
        },
    };
    match assessments::assess(state.db(), &p, state.clock().today_wib(), id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/employees/{id}/profile?saved=1#assess")).into_response())
        }
        Err(e) if user_error(&e) => {
            let year = year_wib(state.clock().now());
            let profile =
                profile::of_employee(state.db(), &p, state.config().learning, year, id).await?;
            render_status(
                e.status(),
                &profile_page(&state, &ctx, &p, profile, form, Some(&e), false).await?,
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "competency/external.html")]
struct ExternalPage {
    page: PageCtx,
    items: Vec<WithDecisions>,
    form: ExternalForm,
    errors: FormErrors,
    saved: bool,
    today: String,
    /// The training whose evidence upload was refused, with the refusal.
    upload_error: Option<(Uuid, String)>,
}

/// The badge of a training's state.
fn status_class(t: &external_trainings::Model) -> &'static str {
    match t.status {
        super::model::ExternalStatus::Pending => "pending",
        super::model::ExternalStatus::Verified => "pass",
        super::model::ExternalStatus::Rejected => "fail",
    }
}

impl ExternalPage {
    fn status_class(&self, t: &external_trainings::Model) -> &'static str {
        status_class(t)
    }

    fn status_of(&self, t: &external_trainings::Model) -> String {
        self.page.t.of("external_status", t.status.as_str())
    }
}

async fn external_page(
    state: &AppState,
    ctx: &Ctx,
    p: &crate::auth::principal::Principal,
    form: ExternalForm,
    error: Option<&AppError>,
    saved: bool,
) -> AppResult<ExternalPage> {
    Ok(ExternalPage {
        page: PageCtx::new(ctx, "external.title"),
        items: external::mine(state.db(), p).await?,
        form,
        errors: FormErrors::of(ctx, error),
        saved,
        today: state.clock().today_wib().to_string(),
        upload_error: None,
    })
}

/// `GET /profile/external`
pub async fn external_index(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    let form = ExternalForm {
        category: "teknis".to_owned(),
        ..Default::default()
    };
    render(&external_page(&state, &ctx, &p, form, None, q.saved.is_some()).await?)
}

/// `POST /profile/external`
pub async fn external_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    CsrfForm(form): CsrfForm<ExternalForm>,
) -> AppResult<Response> {
    match external::submit(state.db(), &p, state.clock().today_wib(), &form.input()).await {
        Ok(_) => Ok(Redirect::to("/profile/external?saved=1").into_response()),
        Err(e) if user_error(&e) || matches!(e, AppError::Fields(_)) => render_status(
            e.status(),
            &external_page(&state, &ctx, &p, form, Some(&e), false).await?,
        ),
        Err(e) => Err(e),
    }
}

/// `POST /profile/external/{id}/evidence` (multipart: `_csrf` first, then `file`)
pub async fn evidence_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    crate::auth::csrf::CsrfMultipart(mut multipart): crate::auth::csrf::CsrfMultipart,
) -> AppResult<Response> {
    let result = crate::web::extract::with_file(&mut multipart, "bukti", async |field, name| {
        super::evidence_file::attach(&state, &p, id, &name, Box::pin(field)).await
    })
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/profile/external?saved=1").into_response()),
        Err(e) if user_error(&e) => {
            let mut page =
                external_page(&state, &ctx, &p, ExternalForm::default(), None, false).await?;
            page.upload_error = Some((id, crate::web::errors::form_error(&ctx, &e).0));
            render_status(e.status(), &page)
        }
        Err(e) => Err(e),
    }
}

/// `GET /external-training/{id}/evidence`
pub async fn evidence_download(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    super::evidence_file::serve(&state, &p, id, &headers).await
}

#[derive(Template)]
#[template(path = "competency/verify.html")]
struct VerifyPage {
    page: PageCtx,
    pending: Vec<(external_trainings::Model, String, String)>,
    /// The card whose decision was refused, with the refusal.
    failed: Option<(Uuid, String)>,
    /// What was typed in that card's reason box.
    reason: String,
    done: bool,
}

impl VerifyPage {
    fn dates(&self, t: &external_trainings::Model) -> String {
        if t.start_on == t.end_on {
            self.page.t.date(&t.start_on)
        } else {
            format!(
                "{} – {}",
                self.page.t.date(&t.start_on),
                self.page.t.date(&t.end_on)
            )
        }
    }
}

/// The decision form of one card.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `GET /admin/verification`
pub async fn verify_index(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Params(q): Params<SavedQuery>,
) -> AppResult<Response> {
    render(&VerifyPage {
        page: PageCtx::new(&ctx, "verify.title"),
        pending: external::pending_in_scope(state.db(), &p).await?,
        failed: None,
        reason: String::new(),
        done: q.saved.is_some(),
    })
}

/// `POST /admin/verification/{id}`
pub async fn verify_decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<Response> {
    let approved = form.decision == "verify";
    match external::decide(
        state.db(),
        &p,
        state.clock().now(),
        id,
        approved,
        &form.reason,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/verification?saved=1").into_response()),
        Err(e) if user_error(&e) => {
            let message = crate::web::errors::form_error(&ctx, &e).0;
            render_status(
                e.status(),
                &VerifyPage {
                    page: PageCtx::new(&ctx, "verify.title"),
                    pending: external::pending_in_scope(state.db(), &p).await?,
                    failed: Some((id, message)),
                    reason: form.reason,
                    done: false,
                },
            )
        }
        Err(e) => Err(e),
    }
}

/// `GET /profile/history.csv` and `GET /employees/{id}/history.csv`: the training
/// history shaped like the national HR system's (SIASN) riwayat diklat.
async fn history_csv(
    state: &AppState,
    view: &crate::org::employees::EmployeeView,
) -> AppResult<Response> {
    let records = super::records::all_of(state.db(), view.user.id).await?;
    let body = super::history::csv(
        &view.employee.nip,
        &records,
        state.config().learning.jp_minutes,
    );
    let name = format!("riwayat-diklat-{}.csv", view.employee.nip);
    Ok(crate::web::download::csv(&name, body))
}

/// `GET /profile/history.csv`
pub async fn my_history(State(state): State<AppState>, Auth(p): Auth) -> AppResult<Response> {
    let view = super::scope::own(state.db(), &p).await?;
    history_csv(&state, &view).await
}

/// `GET /employees/{id}/history.csv`
pub async fn employee_history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let (view, _) = super::scope::viewable(state.db(), &p, id).await?;
    history_csv(&state, &view).await
}

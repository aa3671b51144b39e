//! The report pages of admins and unit admins: a unit's dashboard (charts drawn as SVG
//! with their numbers in tables, the gap heatmap, the child units to drill into) and its
//! employee list.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    api::{EmployeesQuery, SummaryJson, YearQuery},
    charts::{self, Bar},
    employees::{self, EmployeeLine, Filter, Sort},
    summary::{self, Summary, ratio},
};
use crate::{
    auth::context::{Auth, Ctx},
    entities::units,
    error::AppResult,
    state::AppState,
    web::{
        extract::{Id, Params},
        i18n::Tr,
        page::{PageCtx, Pager, render},
    },
};

/// Employees per page.
const PER_PAGE: u64 = 50;

/// `GET /reports`: the viewer's top unit.
pub async fn home(State(state): State<AppState>, Auth(p): Auth) -> AppResult<Response> {
    let unit = summary::home_unit(state.db(), &p).await?;
    Ok(Redirect::to(&format!("/reports/units/{unit}")).into_response())
}

/// One heatmap row: a competency and its cells (the unit's own first).
struct HeatRow {
    code: String,
    name: String,
    /// (share in per cent, met, required), `None` where nobody has the requirement.
    cells: Vec<Option<(u32, u64, u64)>>,
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    s: SummaryJson,
    crumbs: Vec<units::Model>,
    years: Vec<i32>,
    completion_chart: String,
    bands_chart: String,
    courses_chart: String,
    heat_units: Vec<(uuid::Uuid, String)>,
    heat: Vec<HeatRow>,
}

fn percent(t: &Tr, r: Option<f64>) -> String {
    r.map_or_else(
        || "–".to_owned(),
        |r| format!("{} %", t.number(r * 100.0, 1)),
    )
}

fn dashboard_charts(t: &Tr, s: &Summary, json: &SummaryJson) -> (String, String, String) {
    let completion = charts::bars(
        "completion",
        t.get("reports.completion_chart"),
        &t.fmt2(
            "reports.completion_desc",
            "done",
            s.facts.completed,
            "all",
            s.facts.assigned,
        ),
        &[
            Bar {
                label: t.get("reports.completed").to_owned(),
                value: s.facts.completed as f64,
                shown: t.number(s.facts.completed as f64, 0),
            },
            Bar {
                label: t.get("reports.overdue").to_owned(),
                value: s.facts.overdue as f64,
                shown: t.number(s.facts.overdue as f64, 0),
            },
            Bar {
                label: t.get("reports.assigned").to_owned(),
                value: s.facts.assigned as f64,
                shown: t.number(s.facts.assigned as f64, 0),
            },
        ],
        s.facts.assigned as f64,
    );
    let band_bars: Vec<Bar> = json
        .jp_bands
        .iter()
        .map(|b| Bar {
            label: format!("{} JP", b.range),
            value: b.count as f64,
            shown: t.number(b.count as f64, 0),
        })
        .collect();
    let bands_chart = charts::bars(
        "bands",
        t.get("reports.bands_chart"),
        &band_bars
            .iter()
            .map(|b| format!("{}: {}", b.label, b.shown))
            .collect::<Vec<_>>()
            .join("; "),
        &band_bars,
        s.facts.headcount as f64,
    );
    let course_bars: Vec<Bar> = s
        .top_courses
        .iter()
        .take(5)
        .map(|(_, title, n)| Bar {
            label: title.clone(),
            value: *n as f64,
            shown: t.number(*n as f64, 0),
        })
        .collect();
    let courses_chart = charts::bars(
        "courses",
        t.get("reports.courses_chart"),
        &course_bars
            .iter()
            .map(|b| format!("{}: {}", b.label, b.shown))
            .collect::<Vec<_>>()
            .join("; "),
        &course_bars,
        0.0,
    );
    (completion, bands_chart, courses_chart)
}

/// `GET /reports/units/{id}?year=`
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<YearQuery>,
) -> AppResult<Response> {
    let target = state.config().learning.jp_target;
    let now = state.clock().now();
    let s = summary::of_unit(state.db(), &p, id, q.year, now, target).await?;
    let scope = p.org_scope()?;
    let crumbs: Vec<units::Model> = crate::org::units::ancestors(state.db(), &scope, &s.unit)
        .await?
        .into_iter()
        .filter(|u| scope.contains(&u.path))
        .collect();
    let t = Tr { lang: ctx.lang };
    let name = if s.unit.id == super::facts::ORGANISATION {
        t.get("reports.organisation").to_owned()
    } else {
        s.unit.name.clone()
    };
    let page = PageCtx::titled(&ctx, name.clone());
    let mut json = SummaryJson::of(&s, target);
    json.name = name;
    let (completion_chart, bands_chart, courses_chart) = dashboard_charts(&page.t, &s, &json);
    let mut heat_units = vec![(s.unit.id, page.t.get("reports.whole_unit").to_owned())];
    heat_units.extend(s.children.iter().map(|(u, _)| (u.id, u.name.clone())));
    let heat = s
        .gaps
        .competencies
        .iter()
        .map(|(c, code, name)| HeatRow {
            code: code.clone(),
            name: name.clone(),
            cells: heat_units
                .iter()
                .map(|(u, _)| {
                    s.gaps.cells.get(&(*u, *c)).map(|(r, m)| {
                        let share = ratio(*m, *r).unwrap_or(0.0);
                        ((share * 100.0).round() as u32, *m, *r)
                    })
                })
                .collect(),
        })
        .collect();
    let current = crate::time::year_wib(now);
    render(&DashboardPage {
        page,
        s: json,
        crumbs,
        years: (current - 4..=current).rev().collect(),
        completion_chart,
        bands_chart,
        courses_chart,
        heat_units,
        heat,
    })
}

#[derive(Template)]
#[template(path = "reports/employees.html")]
struct EmployeesPage {
    page: PageCtx,
    unit: units::Model,
    items: Vec<EmployeeLine>,
    pager: Pager,
    sort: &'static str,
    filter: &'static str,
    target: i32,
}

/// `GET /reports/units/{id}/employees?sort=&filter=&page=`
pub async fn employee_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<EmployeesQuery>,
) -> AppResult<Response> {
    let sort = Sort::parse(q.sort.as_deref().unwrap_or(""))?;
    let filter = Filter::parse(q.filter.as_deref().unwrap_or(""))?;
    let page = q.page.unwrap_or(1).max(1);
    let unit = summary::unit_in_scope(state.db(), &p, id).await?;
    let target = state.config().learning.jp_target;
    let (items, total) =
        employees::list(state.db(), &p, &unit, sort, filter, target, page, PER_PAGE).await?;
    let base = format!("sort={}&filter={}&", sort.as_str(), filter.as_str());
    render(&EmployeesPage {
        page: PageCtx::titled(&ctx, unit.name.clone()),
        unit,
        items,
        pager: Pager::new(page, total, PER_PAGE, base),
        sort: sort.as_str(),
        filter: filter.as_str(),
        target,
    })
}

/// What the dashboard's template writes.
impl DashboardPage {
    fn rate(&self, r: &Option<f64>) -> String {
        percent(&self.page.t, *r)
    }

    fn n(&self, x: &u64) -> String {
        self.page.t.number(*x as f64, 0)
    }

    fn band_name(&self, band: &str) -> String {
        self.page.t.of("jp_band", band)
    }

    fn quiz(&self) -> String {
        self.s.facts.average_quiz_score.map_or_else(
            || "–".to_owned(),
            |x| format!("{} %", self.page.t.number(x, 1)),
        )
    }
}

/// The export form.
#[derive(Debug, serde::Deserialize)]
pub struct ExportForm {
    kind: String,
    format: String,
}

/// `POST /reports/units/{id}/exports`: enqueues the export and shows its job.
pub async fn export(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    crate::auth::csrf::CsrfForm(form): crate::auth::csrf::CsrfForm<ExportForm>,
) -> AppResult<Response> {
    let input = super::exports::ExportRequest {
        kind: form.kind,
        unit_id: id,
        format: form.format,
    };
    let job = super::exports::request(state.db(), &p, state.clock().now(), &input).await?;
    Ok(Redirect::to(&format!("/jobs/{job}")).into_response())
}

/// `GET /jobs/{id}/download`: the export's file (its owner and admins).
pub async fn job_download(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    super::exports::download(&state, &p, id).await
}

#[derive(Template)]
#[template(path = "reports/job.html")]
struct JobPage {
    page: PageCtx,
    job: crate::jobs::api::JobJson,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `GET /jobs/{id}`: an export's progress and, when done, its download (its owner and
/// admins).
pub async fn job(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let row = crate::jobs::queue::visible(state.db(), &p, id).await?;
    let now = state.clock().now();
    let expires_at = crate::reports::exports::file_of(&row, now).and_then(|_| {
        row.result
            .as_deref()
            .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
            .and_then(|r| serde_json::from_value(r["expires_at"].clone()).ok())
    });
    render(&JobPage {
        page: PageCtx::new(&ctx, "job.title"),
        job: crate::jobs::api::JobJson::of(row, now),
        expires_at,
    })
}

#[derive(Template)]
#[template(path = "reports/course.html")]
struct CoursePage {
    page: PageCtx,
    r: super::course::CourseReport,
    chart: String,
    bands: [&'static str; 4],
}

impl CoursePage {
    fn rate(&self, r: &Option<f64>) -> String {
        percent(&self.page.t, *r)
    }

    fn score(&self, x: &Option<f64>) -> String {
        x.map_or_else(
            || "–".to_owned(),
            |x| format!("{} %", self.page.t.number(x, 1)),
        )
    }

    fn points(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "–".to_owned(), |x| format!("{:+.1}", x))
    }
}

/// `GET /reports/courses/{id}`
pub async fn course_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Response> {
    let r = super::course::of_course(state.db(), &p, id, state.clock().today_wib()).await?;
    let page = PageCtx::titled(&ctx, r.title.clone());
    let bands = ["0 %", "1–49 %", "50–99 %", "100 %"];
    let bars: Vec<Bar> = bands
        .iter()
        .zip(r.progress)
        .map(|(label, n)| Bar {
            label: (*label).to_owned(),
            value: n as f64,
            shown: page.t.number(n as f64, 0),
        })
        .collect();
    let chart = charts::bars(
        "progress",
        page.t.get("reports.progress_chart"),
        &bars
            .iter()
            .map(|b| format!("{}: {}", b.label, b.shown))
            .collect::<Vec<_>>()
            .join("; "),
        &bars,
        r.enrolments as f64,
    );
    render(&CoursePage {
        page,
        r,
        chart,
        bands,
    })
}

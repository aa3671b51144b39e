//! A course's page (outline, progress, enrolment) and enrolling from it.

use askama::Template;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use crate::{
    auth::{
        context::{Auth, Ctx},
        csrf::CsrfForm,
    },
    courses::{
        enrolment::{self},
        model::{EnrolmentMode, Status},
        progress::LessonState,
        views::{self, CourseDetail},
    },
    error::{AppError, AppResult},
    state::AppState,
    web::{
        errors::message,
        extract::Id,
        page::{PageCtx, render, render_status},
    },
};

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
    /// The earliest due date of the viewer's assignments of this course, until completed.
    due: Option<chrono::NaiveDate>,
    /// Whether that date has passed (in Jakarta).
    overdue: bool,
}

impl CoursePage {
    /// The day the viewer completed the course, in Jakarta, in the page's style.
    fn completed_on(&self) -> Option<String> {
        let at = self.d.access.enrolment.as_ref()?.completed_at?;
        Some(
            self.page
                .t
                .date(&at.with_timezone(&crate::time::wib()).date_naive()),
        )
    }

    /// The due date in the page's style.
    fn due_date(&self) -> String {
        self.due.map(|d| self.page.t.date(&d)).unwrap_or_default()
    }

    /// When a classical or blended course meets, in the page's style: one moment, or from
    /// one to the other (the day said once when both fall on it).
    fn schedule(&self) -> Option<String> {
        let c = &self.d.access.course;
        let lang = self.page.t.lang;
        let start = c.starts_at?;
        Some(match c.ends_at {
            None => lang.moment(start),
            Some(end) => {
                let day = |at: chrono::DateTime<chrono::Utc>| {
                    at.with_timezone(&crate::time::wib()).date_naive()
                };
                if day(start) == day(end) {
                    format!("{} – {}", lang.moment(start), lang.clock(end))
                } else {
                    format!("{} – {}", lang.moment(start), lang.moment(end))
                }
            }
        })
    }

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
    // Someone who completed the course needs no due date.
    let completed = d
        .access
        .enrolment
        .as_ref()
        .is_some_and(|e| e.completed_at.is_some());
    let assignment = if completed {
        None
    } else {
        enrolment::assignment_among(&d.content.assignments, p)
    };
    let assigned = d.access.enrolment.is_none() && assignment.is_some();
    let due = assignment.flatten();
    let overdue = due.is_some_and(|due| due < state.clock().today_wib());
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
        due,
        overdue,
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

//! The question banks through the API: import, list, export, correct and regrade.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::super::{
    bank::{self, Format},
    regrade,
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    courses::access,
    error::{AppError, AppResult},
    state::AppState,
    web::extract::{Id, PageQuery, Params, TextBody},
};

/// A format parameter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Import: `gift` (default) or `aiken`. Results: `csv` for a CSV file.
    pub format: Option<String>,
}

impl ImportQuery {
    /// The question file format asked for: GIFT unless `aiken`; anything else is a 400.
    fn file_format(&self) -> AppResult<Format> {
        match self.format.as_deref() {
            None | Some("") => Ok(Format::Gift),
            Some(f) => Format::parse(f).ok_or(AppError::BadRequest(format!("unknown format {f}"))),
        }
    }
}

/// How many questions were imported.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Imported {
    /// Questions added to the bank.
    pub imported: usize,
}

/// Import a GIFT or Aiken file (request body, `text/plain`) into the course's bank; a file
/// with an error imports nothing and the message names the line.
#[utoipa::path(post, path = "/api/v1/courses/{id}/questions/import", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id"), ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "The question file"),
    responses(
        (status = 200, body = Imported),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_question_file`: the message is `line L: reason`", body = ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<ImportQuery>,
    TextBody(body): TextBody,
) -> AppResult<Json<Imported>> {
    let format = q.file_format()?;
    let imported = bank::import(state.db(), &p, Some(id), format, body).await?;
    Ok(Json(Imported { imported }))
}

/// Import a GIFT or Aiken file into the shared bank (admins): questions of no course, which
/// every course's quizzes may use. Same body and errors as a course's import.
#[utoipa::path(post, path = "/api/v1/questions/import", tag = "quizzes",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "The question file"),
    responses(
        (status = 200, body = Imported),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`invalid_question_file`: the message is `line L: reason`", body = ErrorBody),
    ))]
pub async fn import_shared(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<ImportQuery>,
    TextBody(body): TextBody,
) -> AppResult<Json<Imported>> {
    let format = q.file_format()?;
    let imported = bank::import(state.db(), &p, None, format, body).await?;
    Ok(Json(Imported { imported }))
}

/// A competency tag.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompetencyJson {
    /// The competency's code, e.g. `M.03`.
    pub code: String,
    /// Level 1–5.
    pub level: i16,
}

/// A question of a bank, as its instructors see it (no answers).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuestionSummary {
    /// Question id.
    pub id: Uuid,
    /// single_choice, multiple_choice, true_false, short_answer, numerical, matching, essay.
    #[serde(rename = "type")]
    pub kind: String,
    /// Category path, e.g. `Keamanan/Dasar`.
    pub category: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The competencies it gives evidence of, with the level.
    pub competencies: Vec<CompetencyJson>,
    /// Title.
    pub title: String,
    /// Question text, sanitized.
    pub text_html: String,
}

/// A page of a bank's questions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuestionList {
    /// By category, then in import order.
    pub items: Vec<QuestionSummary>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// The course bank's questions (its instructors and admins).
#[utoipa::path(get, path = "/api/v1/courses/{id}/questions", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id"), PageQuery),
    responses(
        (status = 200, body = QuestionList),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<QuestionList>> {
    let course = access::editable(state.db(), &p, id).await?.course;
    Ok(Json(summaries(
        bank::list(state.db(), Some(course.id)).await?,
        q,
    )))
}

fn summaries(all: Vec<bank::BankQuestion>, q: PageQuery) -> QuestionList {
    let (page, total) = q.slice(all);
    let items = page
        .into_iter()
        .map(|b| QuestionSummary {
            id: b.question.id,
            kind: b.question.kind.to_string(),
            category: b.question.category,
            tags: b.tags,
            competencies: b
                .competencies
                .into_iter()
                .map(|(code, level)| CompetencyJson { code, level })
                .collect(),
            title: b.question.title,
            text_html: b.question.text_html,
        })
        .collect();
    QuestionList {
        items,
        total,
        page: q.page(),
        per_page: q.per_page(),
    }
}

/// The shared bank's questions (instructors and admins): any course's quiz may use them.
#[utoipa::path(get, path = "/api/v1/questions", tag = "quizzes",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = QuestionList),
        (status = 403, body = ErrorBody),
    ))]
pub async fn list_shared(
    State(state): State<AppState>,
    Auth(p): Auth,
    Params(q): Params<PageQuery>,
) -> AppResult<Json<QuestionList>> {
    access::require_author(&p)?;
    Ok(Json(summaries(bank::list(state.db(), None).await?, q)))
}

/// The course's bank as a GIFT file (its instructors and admins); importing it again gives
/// the same questions.
#[utoipa::path(get, path = "/api/v1/courses/{id}/questions/export", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 200, description = "The bank in GIFT", content_type = "text/plain"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<axum::response::Response> {
    let course = access::editable(state.db(), &p, id).await?.course;
    let text = bank::export_gift(state.db(), Some(course.id)).await?;
    Ok(crate::web::download::gift(
        &bank::file_name(Some(&course)),
        text,
    ))
}

/// The shared bank as a GIFT file (instructors and admins).
#[utoipa::path(get, path = "/api/v1/questions/export", tag = "quizzes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The shared bank in GIFT", content_type = "text/plain"),
        (status = 403, body = ErrorBody),
    ))]
pub async fn export_shared(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<axum::response::Response> {
    access::require_author(&p)?;
    let text = bank::export_gift(state.db(), None).await?;
    Ok(crate::web::download::gift(&bank::file_name(None), text))
}

/// Correct a question of a bank with one question in GIFT or Aiken (request body,
/// `text/plain`). The type must stay the same; options keep their ids where their text (or
/// place) is unchanged, so responses already given still count. Regrade afterwards to apply
/// it to finished attempts.
#[utoipa::path(put, path = "/api/v1/questions/{id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Question id"), ImportQuery),
    request_body(content = String, content_type = "text/plain", description = "One question"),
    responses(
        (status = 200, body = QuestionSummary),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_correction` (not one readable question), `question_kind_changed`", body = ErrorBody),
    ))]
pub async fn correct_question(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
    Params(q): Params<ImportQuery>,
    TextBody(body): TextBody,
) -> AppResult<Json<QuestionSummary>> {
    let format = q.file_format()?;
    let (saved, _) =
        regrade::correct_question(state.db(), state.clock().now(), &p, id, format, body, false)
            .await?;
    let labelled = bank::with_labels(state.db(), vec![saved]).await?;
    let summary = summaries(labelled, PageQuery::default()).items.pop();
    summary.map(Json).ok_or(AppError::NotFound)
}

/// How many attempts a regrade changed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Regraded {
    /// Finished attempts whose score changed.
    pub regraded: usize,
}

/// Regrade a question in every finished attempt that answered it, with its current answers;
/// scores, passes, course grades and completions follow. Hand-graded essays are left alone.
#[utoipa::path(post, path = "/api/v1/questions/{id}/regrade", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Question id")),
    responses(
        (status = 200, body = Regraded),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn regrade_question(
    State(state): State<AppState>,
    Auth(p): Auth,
    Id(id): Id,
) -> AppResult<Json<Regraded>> {
    let regraded = regrade::regrade_question(state.db(), state.clock().now(), &p, id).await?;
    Ok(Json(Regraded { regraded }))
}

//! The quiz API: question banks, quizzes, attempts.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use sea_orm::EntityTrait;

use super::{
    attempts,
    bank::{self, Format},
    essays,
    model::Response,
    quiz::{self, QuizInput},
    regrade, results,
    views::{self, AttemptJson},
};
use crate::{
    auth::{api::ErrorBody, context::Auth},
    courses::{access, authoring},
    db::begin_write,
    error::{AppError, AppResult},
    state::AppState,
    web::extract::{ApiJson, Params, parse_id},
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
#[derive(Debug, Serialize, ToSchema)]
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
    Path(id): Path<String>,
    Params(q): Params<ImportQuery>,
    body: String,
) -> AppResult<Json<Imported>> {
    let format = q.file_format()?;
    check_size(&body)?;
    let txn = begin_write(state.db()).await?;
    let course = access::editable(&txn, &p, parse_id(&id)?).await?.course;
    let imported = bank::import(&txn, Some(course.id), p.user.id, format, &body).await?;
    txn.commit().await?;
    Ok(Json(Imported { imported }))
}

fn check_size(body: &str) -> AppResult<()> {
    if body.len() > bank::MAX_FILE {
        return Err(AppError::Invalid {
            code: "file_too_large",
            field: None,
            detail: Some("2 MiB".into()),
        });
    }
    Ok(())
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
    body: String,
) -> AppResult<Json<Imported>> {
    p.require_admin()?;
    let format = q.file_format()?;
    check_size(&body)?;
    let txn = begin_write(state.db()).await?;
    let imported = bank::import(&txn, None, p.user.id, format, &body).await?;
    txn.commit().await?;
    Ok(Json(Imported { imported }))
}

/// A competency tag.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetencyJson {
    /// The competency's code, e.g. `M.03`.
    pub code: String,
    /// Level 1–5.
    pub level: i16,
}

/// A question of a bank, as its instructors see it (no answers).
#[derive(Debug, Serialize, ToSchema)]
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

/// A bank's questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionList {
    /// By category, then in import order.
    pub items: Vec<QuestionSummary>,
}

/// The course bank's questions (its instructors and admins).
#[utoipa::path(get, path = "/api/v1/courses/{id}/questions", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 200, body = QuestionList),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<QuestionList>> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    Ok(Json(summaries(
        bank::list(state.db(), Some(course.id)).await?,
    )))
}

fn summaries(items: Vec<bank::BankQuestion>) -> QuestionList {
    let items = items
        .into_iter()
        .map(|b| QuestionSummary {
            id: b.question.id,
            kind: b.question.kind,
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
    QuestionList { items }
}

/// The shared bank's questions (instructors and admins): any course's quiz may use them.
#[utoipa::path(get, path = "/api/v1/questions", tag = "quizzes",
    security(("bearer" = [])),
    responses(
        (status = 200, body = QuestionList),
        (status = 403, body = ErrorBody),
    ))]
pub async fn list_shared(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> AppResult<Json<QuestionList>> {
    access::require_author(&p)?;
    Ok(Json(summaries(bank::list(state.db(), None).await?)))
}

/// A quiz made.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuizCreated {
    /// Quiz id.
    pub id: Uuid,
    /// The lesson it is in its module.
    pub lesson_id: Uuid,
}

/// Create a quiz as the last lesson of a module (the course's instructors and admins).
#[utoipa::path(post, path = "/api/v1/modules/{id}/quizzes", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Module id")),
    request_body = QuizInput,
    responses(
        (status = 201, body = QuizCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_quiz` naming the field", body = ErrorBody),
    ))]
pub async fn create_quiz(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<QuizInput>,
) -> AppResult<(StatusCode, Json<QuizCreated>)> {
    let q = super::add_quiz(&state, &p, parse_id(&id)?, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(QuizCreated {
            id: q.id,
            lesson_id: q.lesson_id,
        }),
    ))
}

/// Change a quiz's settings, questions and title (the course's instructors and admins), with
/// the same body as creating it. Attempts already started keep their questions and
/// deadline; the pass mark and grading method apply to attempts graded from now on.
#[utoipa::path(put, path = "/api/v1/quizzes/{id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id")),
    request_body = QuizInput,
    responses(
        (status = 200, body = QuizCreated),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`invalid_quiz` naming the field", body = ErrorBody),
    ))]
pub async fn update_quiz(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<QuizInput>,
) -> AppResult<Json<QuizCreated>> {
    let q = super::change_quiz(&state, &p, parse_id(&id)?, &input).await?;
    Ok(Json(QuizCreated {
        id: q.id,
        lesson_id: q.lesson_id,
    }))
}

/// Start an attempt (201), or get back the one in progress (200). The deadline is set by
/// the server; no correctness data is included.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id")),
    responses(
        (status = 201, body = AttemptJson),
        (status = 200, description = "The attempt already in progress", body = AttemptJson),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`quiz_not_open`, `quiz_closed`, `attempts_exhausted`, or enrolment refused", body = ErrorBody),
    ))]
pub async fn start_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<AttemptJson>)> {
    let now = state.clock().now();
    let (quiz, attempt, created) = super::start_attempt(&state, &p, parse_id(&id)?).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json)))
}

/// A response to one question.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// `{"choices": [ids]}`, `{"value": bool}`, `{"text": "…"}`, `{"number": 1.5}` or
    /// `{"pairs": {"left id": "right id"}}`, as the question's type needs.
    #[schema(value_type = Object)]
    pub response: Response,
}

/// Whether an answer was written.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSaved {
    /// False when the same response was already saved.
    pub saved: bool,
}

/// Save an answer (idempotent). After the deadline: 409 `attempt_deadline_passed`.
#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers/{question_id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body = AnswerBody,
    responses(
        (status = 200, body = AnswerSaved),
        (status = 404, description = "Not the caller's attempt, or not its question", body = ErrorBody),
        (status = 409, description = "`attempt_deadline_passed` or `attempt_finished`", body = ErrorBody),
        (status = 422, description = "`invalid_response`", body = ErrorBody),
    ))]
pub async fn save_answer(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, question_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> AppResult<Json<AnswerSaved>> {
    let now = state.clock().now();
    let (attempt_id, question_id) = (parse_id(&id)?, parse_id(&question_id)?);
    // Checked with reads only; then one conditional write, in this process's turn to write.
    let checked = attempts::check_answer(
        state.db(),
        now,
        p.user.id,
        attempt_id,
        question_id,
        &body.response,
    )
    .await?;
    let _turn = crate::db::write_turn(state.db()).await?;
    let saved = attempts::store_answer(state.db(), &checked).await?;
    Ok(Json(AnswerSaved { saved }))
}

/// Submit an attempt (idempotent) and get the result the review options allow.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id")),
    responses((status = 200, body = AttemptJson), (status = 404, body = ErrorBody)))]
pub async fn submit_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let attempt = super::submit_attempt(&state, p.user.id, parse_id(&id)?).await?;
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    Ok(Json(json))
}

/// An attempt of the caller's (anyone else's is 404); a timed-out one is closed first.
#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id")),
    responses((status = 200, body = AttemptJson), (status = 404, body = ErrorBody)))]
pub async fn get_attempt(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let mut attempt = attempts::own(state.db(), p.user.id, parse_id(&id)?).await?;
    if attempt.state == attempts::IN_PROGRESS
        && let Some(d) = attempt.deadline
        && now > d
    {
        let txn = begin_write(state.db()).await?;
        attempt = attempts::finish(&txn, attempt, d).await?;
        txn.commit().await?;
    }
    let quiz = quiz::get(state.db(), attempt.quiz_id).await?;
    let json = views::attempt_json(state.db(), &quiz, &attempt, now).await?;
    Ok(Json(json))
}

/// An essay waiting for a mark.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingEssay {
    /// The attempt.
    pub attempt_id: Uuid,
    /// The question.
    pub question_id: Uuid,
    /// The quiz's title.
    pub quiz: String,
    /// The learner's name.
    pub learner: String,
    /// The question's title.
    pub question: String,
    /// What the learner wrote (plain text; show it escaped).
    pub text: String,
}

/// The grading queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradingQueue {
    /// Oldest attempt first.
    pub items: Vec<PendingEssay>,
}

/// The essays of the course's quizzes waiting for a mark (its instructors and admins).
#[utoipa::path(get, path = "/api/v1/courses/{id}/grading", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Course id")),
    responses((status = 200, body = GradingQueue), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn grading_queue(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> AppResult<Json<GradingQueue>> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    let items = essays::queue(state.db(), course.id)
        .await?
        .into_iter()
        .map(|e| PendingEssay {
            attempt_id: e.attempt.id,
            question_id: e.question.id,
            quiz: e.quiz_title,
            learner: e.learner,
            question: e.question.title,
            text: e.text,
        })
        .collect();
    Ok(Json(GradingQueue { items }))
}

/// A hand grade.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GradeBody {
    /// Share of the question's mark, 0–1.
    pub fraction: f64,
    /// Comment for the learner.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Grade an essay answer (the course's instructors and admins); the attempt's score and
/// pass are settled once no essay waits.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/answers/{question_id}/grade", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Attempt id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body = GradeBody,
    responses(
        (status = 200, body = AttemptJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`attempt_in_progress`", body = ErrorBody),
        (status = 422, description = "`invalid_hand_grade`", body = ErrorBody),
    ))]
pub async fn grade_answer(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, question_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<GradeBody>,
) -> AppResult<Json<AttemptJson>> {
    let now = state.clock().now();
    let txn = begin_write(state.db()).await?;
    let attempt = crate::entities::attempts::Entity::find_by_id(parse_id(&id)?)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let quiz = quiz::get(&txn, attempt.quiz_id).await?;
    access::editable(&txn, &p, quiz.course_id).await?;
    let graded = essays::grade(
        &txn,
        p.user.id,
        attempt,
        parse_id(&question_id)?,
        body.fraction,
        body.comment,
    )
    .await?;
    txn.commit().await?;
    Ok(Json(
        views::attempt_json(state.db(), &quiz, &graded, now).await?,
    ))
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
    Path(id): Path<String>,
) -> AppResult<axum::response::Response> {
    let course = access::editable(state.db(), &p, parse_id(&id)?)
        .await?
        .course;
    let text = bank::export_gift(state.db(), Some(course.id)).await?;
    Ok(gift_file(&bank::file_name(Some(&course)), text))
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
    Ok(gift_file(&bank::file_name(None), text))
}

/// A GIFT file download.
pub fn gift_file(name: &str, text: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                crate::courses::materials::disposition(false, name),
            ),
        ],
        text,
    )
        .into_response()
}

/// One attempt in a quiz's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultJson {
    /// Attempt id.
    pub attempt_id: Uuid,
    /// Learner's login name.
    pub username: String,
    /// Learner's name.
    pub name: String,
    /// Attempt number.
    pub number: i32,
    /// in_progress or finished.
    pub state: String,
    /// Score (none while in progress).
    pub score: Option<f64>,
    /// Highest possible score.
    pub max_score: f64,
    /// Passed (none while an essay waits).
    pub passed: Option<bool>,
}

/// Facility and discrimination of one question.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemJson {
    /// Question id.
    pub question_id: Uuid,
    /// Question title.
    pub title: String,
    /// Question type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Finished attempts that showed it.
    pub attempts: usize,
    /// Mean share of the mark earned, 0–1.
    pub facility: f64,
    /// Correlation with the score on the other questions, -1–1 (none without spread).
    pub discrimination: Option<f64>,
}

/// A quiz's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsJson {
    /// Every attempt, by learner name and number.
    pub attempts: Vec<ResultJson>,
    /// Item analysis over the finished attempts.
    pub items: Vec<ItemJson>,
    /// For a post-test: what learners gained since the pre-test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gain: Option<GainJson>,
}

/// One learner's gain.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearnerGainJson {
    /// Login name.
    pub username: String,
    /// Name.
    pub name: String,
    /// First pre-test attempt, percent.
    pub pre_percent: f64,
    /// Post-test grade by its grading method, percent.
    pub post_percent: f64,
    /// Points gained.
    pub gain: f64,
    /// (post − pre) / (100 − pre); none when the pre-test was full marks.
    pub normalised_gain: Option<f64>,
}

/// Learning gained from the pre-test to the post-test (Kirkpatrick level 2).
#[derive(Debug, Serialize, ToSchema)]
pub struct GainJson {
    /// The pre-test.
    pub pretest_id: Uuid,
    /// Learners with both results.
    pub learners: Vec<LearnerGainJson>,
    /// Mean pre-test percent.
    pub mean_pre_percent: Option<f64>,
    /// Mean post-test percent.
    pub mean_post_percent: Option<f64>,
    /// Mean gain in points.
    pub mean_gain: Option<f64>,
    /// Mean normalised gain.
    pub mean_normalised_gain: Option<f64>,
}

/// A quiz's results: each learner's attempts and scores, and item analysis (the course's
/// instructors and admins). `?format=csv` gives the attempts as CSV.
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/results", tag = "quizzes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Quiz id"), ImportQuery),
    responses(
        (status = 200, body = ResultsJson),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn quiz_results(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Params(q): Params<ImportQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let quiz = quiz::get(state.db(), parse_id(&id)?).await?;
    access::editable(state.db(), &p, quiz.course_id).await?;
    let rows = results::attempts_of(state.db(), &quiz).await?;
    if q.format.as_deref() == Some("csv") {
        return Ok(results::csv_download(&quiz, &rows));
    }
    let items = results::item_analysis(state.db(), &quiz)
        .await?
        .into_iter()
        .map(|i| ItemJson {
            question_id: i.question.id,
            title: i.question.title,
            kind: i.question.kind,
            attempts: i.attempts,
            facility: i.facility,
            discrimination: i.discrimination,
        })
        .collect();
    let attempts = rows
        .into_iter()
        .map(|r| ResultJson {
            attempt_id: r.attempt.id,
            username: r.username,
            name: r.name,
            number: r.attempt.number,
            state: r.attempt.state,
            score: r.attempt.score,
            max_score: r.attempt.max_score,
            passed: r.attempt.passed,
        })
        .collect();
    let gain = results::gain(state.db(), &quiz).await?.map(|g| GainJson {
        pretest_id: g.pretest.id,
        mean_pre_percent: g.mean_pre(),
        mean_post_percent: g.mean_post(),
        mean_gain: g.mean_gain(),
        mean_normalised_gain: g.mean_normalised(),
        learners: g
            .learners
            .iter()
            .map(|l| LearnerGainJson {
                username: l.username.clone(),
                name: l.name.clone(),
                pre_percent: l.pre,
                post_percent: l.post,
                gain: l.gain(),
                normalised_gain: l.normalised(),
            })
            .collect(),
    });
    Ok(Json(ResultsJson {
        attempts,
        items,
        gain,
    })
    .into_response())
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
    Path(id): Path<String>,
    Params(q): Params<ImportQuery>,
    body: String,
) -> AppResult<Json<QuestionSummary>> {
    let format = q.file_format()?;
    let parsed = regrade::parse_one(format, &body)?;
    let one = &parsed;
    let txn = begin_write(state.db()).await?;
    let question = regrade::editable_question(&txn, &p, parse_id(&id)?).await?;
    let saved = regrade::correct(&txn, question, one).await?;
    if let Some(course) = saved.course_id {
        authoring::touch(&txn, course).await?;
    }
    txn.commit().await?;
    Ok(Json(QuestionSummary {
        id: saved.id,
        kind: saved.kind,
        category: saved.category,
        tags: one.tags.clone(),
        competencies: one
            .competencies
            .iter()
            .map(|c| CompetencyJson {
                code: c.code.clone(),
                level: i16::from(c.level),
            })
            .collect(),
        title: saved.title,
        text_html: saved.text_html,
    }))
}

/// How many attempts a regrade changed.
#[derive(Debug, Serialize, ToSchema)]
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
    Path(id): Path<String>,
) -> AppResult<Json<Regraded>> {
    let txn = begin_write(state.db()).await?;
    let question = regrade::editable_question(&txn, &p, parse_id(&id)?).await?;
    let regraded = regrade::regrade(&txn, &question).await?;
    txn.commit().await?;
    Ok(Json(Regraded { regraded }))
}

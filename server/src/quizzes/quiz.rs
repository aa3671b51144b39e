//! Quizzes: settings checked and stored, each quiz also a lesson of its module whose
//! completion rule is "passed".

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    courses::{
        authoring,
        model::{LessonInput, LessonKind, parse_title},
    },
    entities::{lessons, modules, questions, quiz_questions, quizzes},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// When a part of the result is shown to the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reveal {
    /// As soon as the attempt is finished.
    Immediately,
    /// Once the quiz has closed (never, for a quiz without a closing time).
    AfterClose,
    /// Never.
    Never,
}

/// What learners see after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Review {
    /// The score and whether they passed.
    #[serde(default = "immediately")]
    pub score: Reveal,
    /// Which answers were right (per question marks).
    #[serde(default = "after_close")]
    pub answers: Reveal,
    /// The authors' feedback.
    #[serde(default = "immediately")]
    pub feedback: Reveal,
}

fn immediately() -> Reveal {
    Reveal::Immediately
}

fn after_close() -> Reveal {
    Reveal::AfterClose
}

impl Default for Review {
    fn default() -> Self {
        Self {
            score: Reveal::Immediately,
            answers: Reveal::AfterClose,
            feedback: Reveal::Immediately,
        }
    }
}

/// Random questions drawn for each attempt.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RandomPick {
    /// How many.
    pub count: i32,
    /// From this category (and its subcategories).
    #[serde(default)]
    pub category: Option<String>,
    /// Or from questions with this tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// From the shared bank instead of the course's (default false).
    #[serde(default)]
    pub shared: bool,
}

/// A quiz as submitted.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct QuizInput {
    /// Title (also the lesson's).
    pub title: String,
    /// Fixed questions from the course's bank, in order.
    #[serde(default)]
    pub question_ids: Vec<Uuid>,
    /// Random questions per attempt.
    #[serde(default)]
    pub random: Option<RandomPick>,
    /// Time allowed per attempt; none: untimed.
    #[serde(default)]
    pub time_limit_seconds: Option<i32>,
    /// Attempts allowed; none: unlimited.
    #[serde(default)]
    pub max_attempts: Option<i32>,
    /// Percent needed to pass (default 70).
    #[serde(default)]
    pub pass_percent: Option<i32>,
    /// Shuffle questions and options (default true).
    #[serde(default)]
    pub shuffle: Option<bool>,
    /// highest (default), last or average.
    #[serde(default)]
    pub grading: Option<String>,
    /// Opens at (none: at once).
    #[serde(default)]
    pub open_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Closes at (none: never).
    #[serde(default)]
    pub close_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What learners see after an attempt.
    #[serde(default)]
    pub review: Option<Review>,
    /// Makes this quiz the post-test of that pre-test (a quiz of the same course): the
    /// results then show each learner's gain. A pre-test's lesson is done once attempted.
    #[serde(default)]
    pub pretest_id: Option<Uuid>,
}

/// A [`QuizInput`] that passed [`check`].
struct Checked {
    title: String,
    question_ids: Vec<Uuid>,
    random: Option<RandomPick>,
    pass_percent: i32,
    grading: String,
    review: String,
}

/// Checks a quiz's settings against the course's bank and quizzes; `this` is the quiz
/// being edited, which cannot be its own pre-test.
async fn check(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    input: &QuizInput,
    this: Option<Uuid>,
) -> AppResult<Checked> {
    let title = parse_title(&input.title, "title")?;
    let bad = |field| AppError::invalid(Code::InvalidQuiz, field);
    if input
        .time_limit_seconds
        .is_some_and(|t| !(10..=86_400).contains(&t))
    {
        return Err(bad("time_limit_seconds"));
    }
    if input.max_attempts.is_some_and(|m| !(1..=100).contains(&m)) {
        return Err(bad("max_attempts"));
    }
    let pass_percent = input.pass_percent.unwrap_or(70);
    if !(0..=100).contains(&pass_percent) {
        return Err(bad("pass_percent"));
    }
    let grading = input.grading.clone().unwrap_or_else(|| "highest".into());
    if !["highest", "last", "average"].contains(&grading.as_str()) {
        return Err(bad("grading"));
    }
    if let Some(o) = input.open_at {
        crate::time::check_instant(o, "open_at")?;
    }
    if let Some(c) = input.close_at {
        crate::time::check_instant(c, "close_at")?;
    }
    if let (Some(o), Some(c)) = (input.open_at, input.close_at)
        && o >= c
    {
        return Err(bad("close_at"));
    }
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<Uuid> = input
        .question_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    // From the course's bank or the shared one.
    let found = questions::Entity::find()
        .filter(questions::Column::Id.is_in(ids.clone()))
        .filter(
            sea_orm::Condition::any()
                .add(questions::Column::CourseId.eq(course_id))
                .add(questions::Column::CourseId.is_null()),
        )
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(bad("question_ids"));
    }
    let random = match &input.random {
        Some(r) if r.count < 1 || r.count > 200 || (r.category.is_none() && r.tag.is_none()) => {
            return Err(bad("random"));
        }
        other => other.clone(),
    };
    if ids.is_empty() && random.is_none() {
        return Err(bad("question_ids"));
    }
    if let Some(pre) = input.pretest_id {
        // A pre-test of the same course, which is not itself a post-test; and a quiz that
        // is already a pre-test cannot become a post-test (no chains, no cycles).
        let found = quizzes::Entity::find_by_id(pre)
            .filter(quizzes::Column::CourseId.eq(course_id))
            .one(db)
            .await?;
        let is_pretest = match this {
            Some(id) => is_pretest(db, id).await?,
            None => false,
        };
        if Some(pre) == this || is_pretest || found.is_none_or(|q| q.pair_quiz_id.is_some()) {
            return Err(bad("pretest_id"));
        }
    }
    let review = serde_json::to_string(&input.review.unwrap_or_default())
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Checked {
        title,
        question_ids: ids,
        random,
        pass_percent,
        grading,
        review,
    })
}

/// Creates a quiz as the last lesson of `module`; the questions must be in the course's bank.
pub async fn create(
    db: &impl ConnectionTrait,
    module: &modules::Model,
    input: &QuizInput,
) -> AppResult<quizzes::Model> {
    let checked = check(db, module.course_id, input, None).await?;
    let lesson = authoring::create_lesson(
        db,
        module,
        &LessonInput {
            title: checked.title.clone(),
            kind: LessonKind::Quiz.as_str().into(),
            required: true,
            ..Default::default()
        }
        .check()?,
        // A quiz lesson has no text of its own.
        String::new(),
    )
    .await?;
    let at = stamp();
    let quiz = quizzes::ActiveModel {
        id: Set(Uuid::now_v7()),
        lesson_id: Set(lesson.id),
        course_id: Set(module.course_id),
        created_at: Set(at),
        ..settings(input, &checked, at)
    }
    .insert(db)
    .await?;
    set_questions(db, quiz.id, &checked.question_ids).await?;
    Ok(quiz)
}

/// Changes a quiz's settings, questions and title (the lesson's too). Attempts already
/// started keep their questions and deadline; the new settings apply to attempts started
/// from now on, and the pass mark and grading method to attempts graded from now on.
pub async fn update(
    db: &impl ConnectionTrait,
    quiz: quizzes::Model,
    input: &QuizInput,
) -> AppResult<quizzes::Model> {
    let checked = check(db, quiz.course_id, input, Some(quiz.id)).await?;
    let at = stamp();
    lessons::Entity::update_many()
        .col_expr(lessons::Column::Title, checked.title.clone().into())
        .col_expr(lessons::Column::UpdatedAt, at.into())
        .filter(lessons::Column::Id.eq(quiz.lesson_id))
        .exec(db)
        .await?;
    let updated = quizzes::ActiveModel {
        id: Unchanged(quiz.id),
        ..settings(input, &checked, at)
    }
    .update(db)
    .await?;
    quiz_questions::Entity::delete_many()
        .filter(quiz_questions::Column::QuizId.eq(quiz.id))
        .exec(db)
        .await?;
    set_questions(db, quiz.id, &checked.question_ids).await?;
    authoring::touch(db, quiz.course_id).await?;
    Ok(updated)
}

/// The settings columns of a quiz row.
fn settings(input: &QuizInput, checked: &Checked, at: DateTime<Utc>) -> quizzes::ActiveModel {
    let random = checked.random.as_ref();
    quizzes::ActiveModel {
        title: Set(checked.title.clone()),
        time_limit_seconds: Set(input.time_limit_seconds),
        open_at: Set(input.open_at),
        close_at: Set(input.close_at),
        max_attempts: Set(input.max_attempts),
        grading: Set(checked.grading.clone()),
        pass_percent: Set(checked.pass_percent),
        shuffle_questions: Set(input.shuffle.unwrap_or(true)),
        shuffle_options: Set(input.shuffle.unwrap_or(true)),
        random_count: Set(random.map(|r| r.count)),
        random_category: Set(random.and_then(|r| r.category.clone())),
        random_tag: Set(random.and_then(|r| r.tag.clone())),
        random_shared: Set(random.is_some_and(|r| r.shared)),
        review: Set(checked.review.clone()),
        pair_quiz_id: Set(input.pretest_id),
        updated_at: Set(at),
        ..Default::default()
    }
}

async fn set_questions(db: &impl ConnectionTrait, quiz_id: Uuid, ids: &[Uuid]) -> AppResult<()> {
    for (position, id) in ids.iter().enumerate() {
        quiz_questions::ActiveModel {
            quiz_id: Set(quiz_id),
            question_id: Set(*id),
            position: Set(position as i32),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Makes a quiz as the last lesson of module `module_id` (the course's editors): the one
/// way for the API and the quiz form.
pub async fn add_quiz(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    module_id: Uuid,
    input: &QuizInput,
) -> AppResult<quizzes::Model> {
    crate::db::in_write(db, async |txn| {
        let module = crate::courses::authoring::module(txn, module_id).await?;
        crate::courses::access::editable(txn, p, module.course_id).await?;
        create(txn, &module, input).await
    })
    .await
}

/// Changes quiz `quiz_id` (the course's editors); see [`update`]. The one way for the API
/// and the quiz form.
pub async fn change_quiz(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    quiz_id: Uuid,
    input: &QuizInput,
) -> AppResult<quizzes::Model> {
    crate::db::in_write(db, async |txn| {
        let current = get(txn, quiz_id).await?;
        crate::courses::access::editable(txn, p, current.course_id).await?;
        update(txn, current, input).await
    })
    .await
}

/// A quiz by id.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<quizzes::Model> {
    quizzes::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The quiz's fixed questions, in order.
pub async fn question_ids(db: &impl ConnectionTrait, quiz_id: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(quiz_questions::Entity::find()
        .filter(quiz_questions::Column::QuizId.eq(quiz_id))
        .order_by_asc(quiz_questions::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.question_id)
        .collect())
}

/// The review settings of a quiz.
pub fn review_of(quiz: &quizzes::Model) -> Review {
    serde_json::from_str(&quiz.review).unwrap_or_default()
}

/// The quiz that is lesson `lesson_id`.
pub async fn of_lesson(db: &impl ConnectionTrait, lesson_id: Uuid) -> AppResult<quizzes::Model> {
    quizzes::Entity::find()
        .filter(quizzes::Column::LessonId.eq(lesson_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether some quiz names `quiz_id` as its pre-test.
pub async fn is_pretest(db: &impl ConnectionTrait, quiz_id: Uuid) -> AppResult<bool> {
    Ok(quizzes::Entity::find()
        .filter(quizzes::Column::PairQuizId.eq(quiz_id))
        .one(db)
        .await?
        .is_some())
}

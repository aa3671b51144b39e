//! What the lesson page of a quiz shows its learner: the rules, their attempts so far (with
//! the score only where the review allows), and whether they can start or resume one.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{
    attempts::{FINISHED, IN_PROGRESS},
    quiz::review_of,
};
use crate::{
    entities::{attempts, quizzes},
    error::AppResult,
};

/// One past or current attempt.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// Attempt id.
    pub id: Uuid,
    /// 1 for the first.
    pub number: i32,
    /// Still being answered.
    pub in_progress: bool,
    /// When it was finished.
    pub finished: Option<DateTime<Utc>>,
    /// Score in percent, when the review shows it.
    pub percent: Option<i64>,
    /// Passed, when the review shows the score, nothing waits for grading and the quiz is
    /// not a pre-test.
    pub passed: Option<bool>,
    /// An essay waits for the instructor.
    pub needs_grading: bool,
}

impl AttemptRow {
    /// The badge beside the score.
    pub fn outcome(&self) -> super::outcome::Outcome {
        super::outcome::Outcome::of(self.needs_grading, self.passed)
    }
}

/// The quiz part of a lesson page.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The quiz.
    pub quiz: quizzes::Model,
    /// The learner's attempts, oldest first.
    pub attempts: Vec<AttemptRow>,
    /// The attempt in progress, to resume.
    pub resume: Option<Uuid>,
    /// Why a new attempt cannot start (the message key), if it cannot.
    pub blocked: Option<&'static str>,
    /// Opening time, when set.
    pub opens: Option<DateTime<Utc>>,
    /// Closing time, when set.
    pub closes: Option<DateTime<Utc>>,
}

impl Panel {
    /// Time limit in whole minutes.
    pub fn minutes(&self) -> Option<i32> {
        self.quiz.time_limit_seconds.map(|s| (s + 59) / 60)
    }

    /// Attempts left, when limited.
    pub fn left(&self) -> Option<i32> {
        let used = i32::try_from(self.attempts.iter().filter(|a| !a.in_progress).count())
            .unwrap_or(i32::MAX);
        self.quiz.max_attempts.map(|m| (m - used).max(0))
    }
}

/// Whether an attempt is still being answered at `now`. One past its deadline counts as
/// finished: the server closes it any moment.
fn under_way(a: &attempts::Model, now: DateTime<Utc>) -> bool {
    a.state == IN_PROGRESS && a.deadline.is_none_or(|d| d > now)
}

/// The panel of `quiz` for `user_id` at `now`.
pub async fn panel(
    db: &impl ConnectionTrait,
    quiz: quizzes::Model,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Panel> {
    let rows = attempts::Entity::find()
        .filter(attempts::Column::QuizId.eq(quiz.id))
        .filter(attempts::Column::UserId.eq(user_id))
        .order_by_asc(attempts::Column::Number)
        .all(db)
        .await?;
    let show = super::views::allowed(review_of(&quiz).score, &quiz, true, now);
    let judged = !super::quiz::is_pretest(db, quiz.id).await?;
    let live = |a: &attempts::Model| under_way(a, now);
    let list: Vec<AttemptRow> = rows
        .iter()
        .map(|a| AttemptRow {
            id: a.id,
            number: a.number,
            in_progress: live(a),
            finished: a.finished_at,
            percent: (show && a.state == FINISHED && a.max_score > 0.0)
                .then(|| a.score.map(|s| (s * 100.0 / a.max_score).round() as i64))
                .flatten(),
            passed: if show && judged { a.passed } else { None },
            needs_grading: a.needs_grading,
        })
        .collect();
    let resume = list.iter().find(|a| a.in_progress).map(|a| a.id);
    let used = list.iter().filter(|a| !a.in_progress).count();
    let blocked = if resume.is_some() {
        None
    } else if quiz.open_at.is_some_and(|o| now < o) {
        Some("error.quiz_not_open")
    } else if quiz.close_at.is_some_and(|c| now >= c) {
        Some("error.quiz_closed")
    } else if quiz
        .max_attempts
        .is_some_and(|m| used >= usize::try_from(m).unwrap_or(0))
    {
        Some("error.attempts_exhausted")
    } else {
        None
    };
    Ok(Panel {
        opens: quiz.open_at,
        closes: quiz.close_at,
        attempts: list,
        resume,
        blocked,
        quiz,
    })
}

/// An attempt its learner has not finished yet, for the home page.
#[derive(Debug, Clone)]
pub struct Unfinished {
    /// The attempt, to continue.
    pub attempt_id: Uuid,
    /// The quiz's title.
    pub quiz_title: String,
    /// When the server closes it, if it has a deadline.
    pub deadline: Option<DateTime<Utc>>,
}

/// The attempts `user_id` has under way at `now` (not past their deadline), oldest first.
pub async fn unfinished(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Vec<Unfinished>> {
    let rows: Vec<attempts::Model> = attempts::Entity::find()
        .filter(attempts::Column::UserId.eq(user_id))
        .filter(attempts::Column::State.eq(IN_PROGRESS))
        .order_by_asc(attempts::Column::StartedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| under_way(a, now))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let titles: std::collections::HashMap<Uuid, String> = quizzes::Entity::find()
        .filter(quizzes::Column::Id.is_in(rows.iter().map(|a| a.quiz_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q.title))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            titles.get(&a.quiz_id).map(|t| Unfinished {
                attempt_id: a.id,
                quiz_title: t.clone(),
                deadline: a.deadline,
            })
        })
        .collect())
}

//! A quiz's results for its instructors: every learner's attempts and scores, and item
//! analysis (facility and discrimination per question) over the finished attempts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::attempts::{self, FINISHED};
use crate::{
    entities::{attempt_answers, attempts as attempt_rows, questions, quizzes, users},
    error::AppResult,
};

/// One attempt as the results list it.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// The attempt.
    pub attempt: attempt_rows::Model,
    /// The learner's login name.
    pub username: String,
    /// The learner's name.
    pub name: String,
}

/// Facility and discrimination of one question.
#[derive(Debug, Clone)]
pub struct ItemStats {
    /// The question.
    pub question: questions::Model,
    /// Finished attempts that showed it.
    pub attempts: usize,
    /// Mean share of the mark earned (0–1): how easy it was.
    pub facility: f64,
    /// Correlation between the share earned here and the attempt's score on the other
    /// questions (-1–1): how well it separates stronger from weaker learners.
    pub discrimination: Option<f64>,
}

/// Every attempt of a quiz, by learner and number (three queries).
pub async fn attempts_of(
    db: &impl ConnectionTrait,
    quiz: &quizzes::Model,
) -> AppResult<Vec<ResultRow>> {
    let rows = attempt_rows::Entity::find()
        .filter(attempt_rows::Column::QuizId.eq(quiz.id))
        .order_by_asc(attempt_rows::Column::UserId)
        .order_by_asc(attempt_rows::Column::Number)
        .all(db)
        .await?;
    let people: HashMap<Uuid, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|a| a.user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: Vec<ResultRow> = rows
        .into_iter()
        .map(|attempt| {
            let u = people.get(&attempt.user_id);
            ResultRow {
                username: u.map(|u| u.username.clone()).unwrap_or_default(),
                name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                attempt,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.attempt.number.cmp(&b.attempt.number))
    });
    Ok(out)
}

fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return None;
    }
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Item analysis over the finished attempts of a quiz (questions in first-seen order).
pub async fn item_analysis(
    db: &impl ConnectionTrait,
    quiz: &quizzes::Model,
) -> AppResult<Vec<ItemStats>> {
    let finished = attempt_rows::Entity::find()
        .filter(attempt_rows::Column::QuizId.eq(quiz.id))
        .filter(attempt_rows::Column::State.eq(FINISHED))
        .all(db)
        .await?;
    let answers: Vec<attempt_answers::Model> = attempt_answers::Entity::find()
        .filter(
            attempt_answers::Column::AttemptId
                .is_in(finished.iter().map(|a| a.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let mut fraction: HashMap<(Uuid, Uuid), f64> = HashMap::new();
    for a in answers {
        fraction.insert((a.attempt_id, a.question_id), a.fraction.unwrap_or(0.0));
    }
    let mut order: Vec<Uuid> = Vec::new();
    let mut shown: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for a in &finished {
        for slot in attempts::layout(a) {
            if !shown.contains_key(&slot.question_id) {
                order.push(slot.question_id);
            }
            shown.entry(slot.question_id).or_default().push(a.id);
        }
    }
    let questions: HashMap<Uuid, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(order.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let score_of: HashMap<Uuid, f64> = finished
        .iter()
        .map(|a| (a.id, a.score.unwrap_or(0.0)))
        .collect();
    Ok(order
        .into_iter()
        .filter_map(|qid| {
            let question = questions.get(&qid)?.clone();
            let ids = shown.get(&qid)?;
            let xs: Vec<f64> = ids
                .iter()
                .map(|a| fraction.get(&(*a, qid)).copied().unwrap_or(0.0))
                .collect();
            let rest: Vec<f64> = ids
                .iter()
                .zip(&xs)
                .map(|(a, x)| score_of.get(a).copied().unwrap_or(0.0) - x * question.mark)
                .collect();
            Some(ItemStats {
                attempts: ids.len(),
                facility: xs.iter().sum::<f64>() / xs.len().max(1) as f64,
                discrimination: correlation(&xs, &rest),
                question,
            })
        })
        .collect())
}

/// One learner's pre-test and post-test results in percent.
#[derive(Debug, Clone)]
pub struct LearnerGain {
    /// The learner's name.
    pub name: String,
    /// The learner's login name.
    pub username: String,
    /// Their first settled pre-test attempt.
    pub pre: f64,
    /// Their post-test grade by the post-test's grading method.
    pub post: f64,
}

impl LearnerGain {
    /// Points gained.
    pub fn gain(&self) -> f64 {
        self.post - self.pre
    }

    /// Share of the possible gain achieved (Hake): (post − pre) / (100 − pre); none for a
    /// learner who had full marks before.
    pub fn normalised(&self) -> Option<f64> {
        (self.pre < 100.0).then(|| (self.post - self.pre) / (100.0 - self.pre))
    }
}

/// What learners gained from a pre-test to a post-test (Kirkpatrick level 2).
#[derive(Debug, Clone)]
pub struct Gain {
    /// The pre-test.
    pub pretest: quizzes::Model,
    /// Learners with both a pre-test and a post-test result, by name.
    pub learners: Vec<LearnerGain>,
}

impl Gain {
    fn mean(&self, f: impl Fn(&LearnerGain) -> Option<f64>) -> Option<f64> {
        let xs: Vec<f64> = self.learners.iter().filter_map(f).collect();
        (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
    }

    /// Mean pre-test percent.
    pub fn mean_pre(&self) -> Option<f64> {
        self.mean(|l| Some(l.pre))
    }

    /// Mean post-test percent.
    pub fn mean_post(&self) -> Option<f64> {
        self.mean(|l| Some(l.post))
    }

    /// Mean gain in points.
    pub fn mean_gain(&self) -> Option<f64> {
        self.mean(|l| Some(l.gain()))
    }

    /// Mean normalised gain.
    pub fn mean_normalised(&self) -> Option<f64> {
        self.mean(LearnerGain::normalised)
    }
}

/// Settled finished attempts' percentages per learner, oldest first.
async fn percents(db: &impl ConnectionTrait, quiz_id: Uuid) -> AppResult<HashMap<Uuid, Vec<f64>>> {
    let mut out: HashMap<Uuid, Vec<f64>> = HashMap::new();
    for a in attempt_rows::Entity::find()
        .filter(attempt_rows::Column::QuizId.eq(quiz_id))
        .filter(attempt_rows::Column::State.eq(FINISHED))
        .filter(attempt_rows::Column::NeedsGrading.eq(false))
        .order_by_asc(attempt_rows::Column::Number)
        .all(db)
        .await?
    {
        if let Some(score) = a.score.filter(|_| a.max_score > 0.0) {
            out.entry(a.user_id)
                .or_default()
                .push(score * 100.0 / a.max_score);
        }
    }
    Ok(out)
}

/// The gain from `quiz`'s pre-test to it, when it is a post-test.
pub async fn gain(db: &impl ConnectionTrait, quiz: &quizzes::Model) -> AppResult<Option<Gain>> {
    let Some(pre_id) = quiz.pair_quiz_id else {
        return Ok(None);
    };
    let Some(pretest) = quizzes::Entity::find_by_id(pre_id).one(db).await? else {
        return Ok(None);
    };
    let pre = percents(db, pre_id).await?;
    let post = percents(db, quiz.id).await?;
    let both: Vec<(Uuid, f64, f64)> = post
        .iter()
        .filter_map(|(user, ps)| {
            let first = pre.get(user)?.first().copied()?;
            Some((*user, first, attempts::grade_by(&quiz.grading, ps)?))
        })
        .collect();
    let people: HashMap<Uuid, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(both.iter().map(|b| b.0).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut learners: Vec<LearnerGain> = both
        .into_iter()
        .map(|(user, pre, post)| {
            let u = people.get(&user);
            LearnerGain {
                name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                username: u.map(|u| u.username.clone()).unwrap_or_default(),
                pre,
                post,
            }
        })
        .collect();
    learners.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(Gain { pretest, learners }))
}

/// The file name of a quiz's results as CSV.
pub fn csv_name(quiz: &quizzes::Model) -> String {
    format!("hasil-{}.csv", quiz.id)
}

/// The results as CSV: one line per attempt, cells guarded against spreadsheet formulas.
pub fn to_csv(rows: &[ResultRow]) -> String {
    let cell = |s: &str| mahir_content::spreadsheet::neutralise_cell(s).into_owned();
    let time = |t: Option<DateTime<Utc>>| t.map(crate::time::format_wib).unwrap_or_default();
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "username",
        "name",
        "attempt",
        "state",
        "started",
        "finished",
        "score",
        "max_score",
        "percent",
        "passed",
    ]);
    for r in rows {
        let a = &r.attempt;
        let percent = a
            .score
            .filter(|_| a.max_score > 0.0)
            .map(|s| format!("{:.1}", s * 100.0 / a.max_score))
            .unwrap_or_default();
        let _ = out.write_record([
            cell(&r.username),
            cell(&r.name),
            a.number.to_string(),
            a.state.as_str().to_owned(),
            time(Some(a.started_at)),
            time(a.finished_at),
            a.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            format!("{:.2}", a.max_score),
            percent,
            a.passed
                .map(|p| if p { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{LearnerGain, correlation};

    #[test]
    fn gain_and_normalised_gain() {
        let l = |pre, post| LearnerGain {
            name: String::new(),
            username: String::new(),
            pre,
            post,
        };
        assert_eq!(l(40.0, 70.0).gain(), 30.0);
        assert_eq!(l(40.0, 70.0).normalised(), Some(0.5));
        assert_eq!(l(80.0, 60.0).normalised(), Some(-1.0));
        assert_eq!(l(100.0, 100.0).normalised(), None);
    }

    #[test]
    fn correlation_of_perfectly_related_and_unrelated_series() {
        let c = correlation(&[0.0, 1.0, 1.0, 0.0], &[1.0, 3.0, 3.0, 1.0]);
        assert!(c.is_some_and(|c| (c - 1.0).abs() < 1e-9));
        assert_eq!(
            correlation(&[1.0, 1.0], &[0.0, 2.0]),
            None,
            "no spread: undefined"
        );
        assert_eq!(correlation(&[1.0], &[1.0]), None);
    }
}

//! Evidence of a competency level, from four sources: course completions (the level the
//! course awards), quiz questions tagged with the competency (a level counts once the
//! learner answered enough of its tagged questions correctly), supervisors' assessments
//! (the latest per competency) and, later, certificates. The achieved level is the highest
//! level with evidence.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    entities::{attempt_answers, attempts, competency_assessments, question_competencies, users},
    error::AppResult,
    quizzes::attempts::{FINISHED, layout},
    time::date_wib,
};

/// Where a piece of evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A course completed (its completion record).
    Course,
    /// Quiz questions tagged with the competency, answered correctly.
    Quiz,
    /// A supervisor's or unit admin's assessment.
    Assessment,
}

impl EvidenceSource {
    /// The stored name, as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Course => "course",
            Self::Quiz => "quiz",
            Self::Assessment => "assessment",
        }
    }
}

/// One piece of evidence of a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The competency.
    pub competency_id: Uuid,
    /// Where it comes from.
    pub source: EvidenceSource,
    /// The level it shows.
    pub level: i16,
    /// When (in Jakarta).
    pub date: NaiveDate,
    /// What it is: the course, the quiz questions, the assessor.
    pub title: String,
    /// The page to see it on.
    pub link: Option<String>,
    /// Quiz evidence: questions answered correctly and asked; an assessment's note.
    pub detail: Option<String>,
}

/// The awarded levels of a person's counted course completions (neither reversed nor a
/// reversal), with what the page shows of each: one statement, written out once like the
/// principal's (it runs on every profile; `$1` is a parameter on both databases).
const COURSE_EVIDENCE: &str = "SELECT e.competency_id, e.level, r.completed_at, r.title, r.course_id \
     FROM completion_evidence e JOIN completion_records r ON r.id = e.record_id \
     WHERE r.user_id = $1 AND r.reverses_id IS NULL \
       AND NOT EXISTS (SELECT 1 FROM completion_records x WHERE x.reverses_id = r.id)";

/// The evidence of a person's course completions: each counted record's awarded levels.
async fn from_courses(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<Evidence>> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            COURSE_EVIDENCE,
            [user_id.into()],
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            let completed_at: DateTime<Utc> = row.try_get("", "completed_at")?;
            let course_id: Option<Uuid> = row.try_get("", "course_id")?;
            Ok(Evidence {
                competency_id: row.try_get("", "competency_id")?,
                source: EvidenceSource::Course,
                level: row.try_get("", "level")?,
                date: date_wib(completed_at),
                title: row.try_get("", "title")?,
                link: course_id.map(|c| format!("/courses/{c}")),
                detail: None,
            })
        })
        .collect()
}

/// One tagged question a learner was asked in a finished attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The competency code of the tag.
    pub code: String,
    /// The level of the tag.
    pub level: i16,
    /// The question.
    pub question_id: Uuid,
    /// Answered fully correctly in at least one finished attempt.
    pub correct: bool,
    /// When that attempt (or the latest one asking it) finished.
    pub at: DateTime<Utc>,
}

/// A level reached through quiz questions: (code, level, correct, asked, when).
pub type QuizLevel = (String, i16, usize, usize, DateTime<Utc>);

/// The levels whose tagged questions the learner answered correctly in at least
/// `share_percent` per cent of the distinct questions asked (each question counted once,
/// correct when any finished attempt got it fully right).
pub fn levels_reached(asked: &[Asked], share_percent: i32) -> Vec<QuizLevel> {
    /// Per question: answered correctly once, and the latest time it was asked.
    type Seen = HashMap<Uuid, (bool, DateTime<Utc>)>;
    let mut by_level: HashMap<(String, i16), Seen> = HashMap::new();
    for a in asked {
        let q = by_level
            .entry((a.code.clone(), a.level))
            .or_default()
            .entry(a.question_id)
            .or_insert((false, a.at));
        q.0 |= a.correct;
        q.1 = q.1.max(a.at);
    }
    let mut out: Vec<QuizLevel> = by_level
        .into_iter()
        .filter_map(|((code, level), questions)| {
            let total = questions.len();
            let correct = questions.values().filter(|(c, _)| *c).count();
            let at = questions.values().map(|(_, at)| *at).max()?;
            let share = i64::try_from(correct).ok()? * 100;
            let needed = i64::from(share_percent) * i64::try_from(total).ok()?;
            (total > 0 && share >= needed).then_some((code, level, correct, total, at))
        })
        .collect();
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    out
}

/// A fraction that counts as fully correct (grading stores floats).
const CORRECT: f64 = 1.0 - 1e-9;

/// The tagged questions a learner was asked in their finished attempts.
async fn asked(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<Asked>> {
    let finished = attempts::Entity::find()
        .filter(attempts::Column::UserId.eq(user_id))
        .filter(attempts::Column::State.eq(FINISHED))
        .all(db)
        .await?;
    if finished.is_empty() {
        return Ok(Vec::new());
    }
    let mut slots: Vec<(Uuid, Uuid, DateTime<Utc>)> = Vec::new();
    for a in &finished {
        let at = a.finished_at.unwrap_or(a.started_at);
        slots.extend(layout(a).into_iter().map(|s| (a.id, s.question_id, at)));
    }
    let question_ids: HashSet<Uuid> = slots.iter().map(|(_, q, _)| *q).collect();
    let tags = question_competencies::Entity::find()
        .filter(question_competencies::Column::QuestionId.is_in(question_ids))
        .all(db)
        .await?;
    if tags.is_empty() {
        return Ok(Vec::new());
    }
    let mut tags_of: HashMap<Uuid, Vec<&question_competencies::Model>> = HashMap::new();
    for t in &tags {
        tags_of.entry(t.question_id).or_default().push(t);
    }
    let answers = attempt_answers::Entity::find()
        .filter(attempt_answers::Column::AttemptId.is_in(finished.iter().map(|a| a.id)))
        .filter(
            attempt_answers::Column::QuestionId.is_in(tags_of.keys().copied().collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let right: HashSet<(Uuid, Uuid)> = answers
        .iter()
        .filter(|a| a.fraction.is_some_and(|f| f >= CORRECT))
        .map(|a| (a.attempt_id, a.question_id))
        .collect();
    Ok(slots
        .into_iter()
        .flat_map(|(attempt, question, at)| {
            let correct = right.contains(&(attempt, question));
            tags_of
                .get(&question)
                .into_iter()
                .flatten()
                .map(move |t| Asked {
                    code: t.code.clone(),
                    level: t.level,
                    question_id: question,
                    correct,
                    at,
                })
        })
        .collect())
}

/// Every piece of evidence for a person, by competency id: their counted course
/// completions and tagged quiz answers (read here), and the latest of their
/// `assessments` per competency (newest first, with the assessors' `names`). `codes`
/// maps dictionary codes to competency ids (quiz tags name competencies by code; tags of
/// codes not in the dictionary give no evidence).
pub async fn of_person(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    assessments: &[competency_assessments::Model],
    names: &HashMap<Uuid, String>,
    codes: &HashMap<String, Uuid>,
    share_percent: i32,
) -> AppResult<HashMap<Uuid, Vec<Evidence>>> {
    let mut all = from_courses(db, user_id).await?;
    for (code, level, correct, total, at) in
        levels_reached(&asked(db, user_id).await?, share_percent)
    {
        if let Some(id) = codes.get(&code) {
            all.push(Evidence {
                competency_id: *id,
                source: EvidenceSource::Quiz,
                level,
                date: date_wib(at),
                title: code.clone(),
                link: None,
                detail: Some(format!("{correct}/{total}")),
            });
        }
    }
    all.extend(latest_assessments(assessments, names));
    let mut by: HashMap<Uuid, Vec<Evidence>> = HashMap::new();
    for e in all {
        by.entry(e.competency_id).or_default().push(e);
    }
    for list in by.values_mut() {
        list.sort_by(|a, b| b.date.cmp(&a.date).then(b.level.cmp(&a.level)));
    }
    Ok(by)
}

/// The latest assessment of each competency (of `all`, newest first), as evidence:
/// earlier ones are history, not evidence (an assessor's correction replaces their
/// earlier judgement).
fn latest_assessments(
    all: &[competency_assessments::Model],
    names: &HashMap<Uuid, String>,
) -> Vec<Evidence> {
    let mut seen = HashSet::new();
    all.iter()
        .filter(|a| seen.insert(a.competency_id))
        .map(|a| Evidence {
            competency_id: a.competency_id,
            source: EvidenceSource::Assessment,
            level: a.level,
            date: a.assessed_on,
            title: names.get(&a.assessor_id).cloned().unwrap_or_default(),
            link: None,
            detail: (!a.note.is_empty()).then(|| a.note.clone()),
        })
        .collect()
}

/// Display names of users, by id.
pub async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, String>> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The highest level with evidence, if any.
pub fn achieved(evidence: &[Evidence]) -> Option<i16> {
    evidence.iter().map(|e| e.level).max()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, minute, 0)
            .single()
            .expect("instant")
    }

    fn asked(level: i16, question: u128, correct: bool, minute: u32) -> Asked {
        Asked {
            code: "T.KI".into(),
            level,
            question_id: Uuid::from_u128(question),
            correct,
            at: at(minute),
        }
    }

    #[test]
    fn a_level_counts_from_its_share_of_correct_answers() {
        // (correct of 5 asked, share, counts)
        let table = [
            (4, 80, true),
            (3, 80, false),
            (5, 100, true),
            (4, 100, false),
            (1, 20, true),
            (0, 20, false),
            (4, 81, false),
            (4, 79, true),
        ];
        for (correct, share, counts) in table {
            let list: Vec<Asked> = (0..5u128).map(|q| asked(2, q, q < correct, 1)).collect();
            let reached = levels_reached(&list, share);
            assert_eq!(!reached.is_empty(), counts, "{correct}/5 at {share} %");
            if counts {
                assert_eq!(reached[0].2, usize::try_from(correct).expect("n"));
                assert_eq!(reached[0].3, 5);
            }
        }
    }

    #[test]
    fn each_question_counts_once_and_a_later_right_answer_counts() {
        let list = vec![
            asked(2, 1, false, 1),
            asked(2, 1, true, 5),
            asked(2, 1, false, 9),
            asked(2, 2, true, 2),
            asked(3, 3, false, 2),
        ];
        let reached = levels_reached(&list, 80);
        assert_eq!(reached.len(), 1, "level 3: 0 of 1");
        let (code, level, correct, total, when) = &reached[0];
        assert_eq!((code.as_str(), *level, *correct, *total), ("T.KI", 2, 2, 2));
        assert_eq!(*when, at(9), "the latest attempt asking them");
        assert!(levels_reached(&[], 80).is_empty());
    }
}

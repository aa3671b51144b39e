//! Recommendations: published courses that award a competency the person's position
//! requires above their achieved level, at a level that closes or narrows the gap, not
//! completed yet, that the person may take (open to them or assigned, prerequisites met);
//! ranked by the levels of gap they close, then by fewer JP, then by title.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    auth::principal::Principal,
    courses::{
        enrolment,
        model::{EnrolmentMode, Status},
    },
    error::AppResult,
};

/// A competency the person falls short in: its code, the required and achieved level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The competency's code.
    pub code: String,
    /// The level the position requires.
    pub required: i16,
    /// The level reached (0 for none).
    pub achieved: i16,
}

/// A course as a recommendation names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRef {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Its JP.
    pub jp: i32,
    /// Who may join it.
    pub enrolment: EnrolmentMode,
    /// Its life cycle.
    pub status: Status,
}

/// A course that could be recommended.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The course.
    pub course: CourseRef,
    /// What it awards: competency and level.
    pub awards: Vec<(Uuid, i16)>,
    /// The person may take it (open to them or assigned, prerequisites met).
    pub open: bool,
    /// The person completed it.
    pub completed: bool,
    /// The person is enrolled (to continue rather than enrol).
    pub enrolled: bool,
}

/// How far a course moves one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Closes {
    /// The competency's code.
    pub code: String,
    /// The level now.
    pub from: i16,
    /// The level after the course (never above the requirement).
    pub to: i16,
}

/// A recommended course.
#[derive(Debug, Clone)]
pub struct Recommendation {
    /// The course.
    pub course: CourseRef,
    /// The gaps it closes or narrows.
    pub closes: Vec<Closes>,
    /// Levels of gap closed in all.
    pub gain: i16,
    /// Enrolled already.
    pub enrolled: bool,
}

/// Ranks candidates against the shortfalls (by competency id): the rule of this module.
pub fn rank(
    shortfalls: &HashMap<Uuid, Shortfall>,
    candidates: Vec<Candidate>,
) -> Vec<Recommendation> {
    let mut out: Vec<Recommendation> = candidates
        .into_iter()
        .filter(|c| c.open && !c.completed && c.course.status == Status::Published)
        .filter_map(|c| {
            let mut closes: Vec<Closes> = c
                .awards
                .iter()
                .filter_map(|(id, level)| {
                    let s = shortfalls.get(id)?;
                    (*level > s.achieved && s.required > s.achieved).then(|| Closes {
                        code: s.code.clone(),
                        from: s.achieved,
                        to: (*level).min(s.required),
                    })
                })
                .collect();
            closes.sort_by(|a, b| a.code.cmp(&b.code));
            let gain: i16 = closes.iter().map(|x| x.to - x.from).sum();
            (gain > 0).then_some(Recommendation {
                course: c.course,
                closes,
                gain,
                enrolled: c.enrolled,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.gain
            .cmp(&a.gain)
            .then(a.course.jp.cmp(&b.course.jp))
            .then(a.course.title.cmp(&b.course.title))
    });
    out
}

/// The published courses that award one of the competencies, with the learner's
/// enrolment in each: one statement (the competency placeholders from `$2` on).
fn candidates_sql(n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("${}", i + 2)).collect();
    format!(
        "SELECT c.id, c.title, c.jp, c.enrolment, cc.competency_id, cc.level, \
                e.id AS enrolment_id, e.completed_at \
         FROM course_competencies cc JOIN courses c ON c.id = cc.course_id \
         LEFT JOIN enrolments e ON e.course_id = c.id AND e.user_id = $1 \
         WHERE c.status = 'published' AND cc.competency_id IN ({})",
        list.join(", ")
    )
}

/// The recommendations for `learner` (the principal of the person the profile is of).
pub async fn for_person(
    db: &impl ConnectionTrait,
    learner: &Principal,
    shortfalls: &HashMap<Uuid, Shortfall>,
) -> AppResult<Vec<Recommendation>> {
    if shortfalls.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = shortfalls.keys().copied().collect();
    let mut values: Vec<sea_orm::Value> = vec![learner.user.id.into()];
    values.extend(ids.iter().map(|id| sea_orm::Value::from(*id)));
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            candidates_sql(ids.len()),
            values,
        ))
        .await?;
    let mut by_course: HashMap<Uuid, Candidate> = HashMap::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let award = (row.try_get("", "competency_id")?, row.try_get("", "level")?);
        if let Some(c) = by_course.get_mut(&id) {
            c.awards.push(award);
            continue;
        }
        let enrolment: Option<Uuid> = row.try_get("", "enrolment_id")?;
        let completed: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "completed_at")?;
        let course = CourseRef {
            id,
            title: row.try_get("", "title")?,
            jp: row.try_get("", "jp")?,
            enrolment: row.try_get("", "enrolment")?,
            status: Status::Published,
        };
        by_course.insert(
            id,
            Candidate {
                course,
                awards: vec![award],
                open: false,
                completed: completed.is_some(),
                enrolled: enrolment.is_some(),
            },
        );
    }
    // Assignments matter only for an assigned-only course the learner has not joined.
    let needs_assignments = by_course
        .values()
        .any(|c| !c.enrolled && c.course.enrolment != EnrolmentMode::SelfEnrol);
    let assigned = if needs_assignments {
        enrolment::assigned_to(db, learner).await?
    } else {
        HashMap::new()
    };
    let mut candidates = Vec::with_capacity(by_course.len());
    for (_, mut c) in by_course {
        let reachable = c.enrolled
            || c.course.enrolment == EnrolmentMode::SelfEnrol
            || assigned.contains_key(&c.course.id);
        // Prerequisites are read only for a course that would otherwise be recommended.
        let gains = c.awards.iter().any(|(id, level)| {
            shortfalls
                .get(id)
                .is_some_and(|s| *level > s.achieved && s.required > s.achieved)
        });
        c.open = reachable
            && !c.completed
            && gains
            && (c.enrolled
                || enrolment::check_prerequisites(db, learner.user.id, c.course.id)
                    .await
                    .is_ok());
        candidates.push(c);
    }
    Ok(rank(shortfalls, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(title: &str, jp: i32) -> CourseRef {
        CourseRef {
            id: Uuid::now_v7(),
            title: title.to_owned(),
            jp,
            enrolment: EnrolmentMode::SelfEnrol,
            status: Status::Published,
        }
    }

    fn candidate(title: &str, jp: i32, awards: &[(u128, i16)]) -> Candidate {
        Candidate {
            course: course(title, jp),
            awards: awards
                .iter()
                .map(|(id, l)| (Uuid::from_u128(*id), *l))
                .collect(),
            open: true,
            completed: false,
            enrolled: false,
        }
    }

    fn shortfalls() -> HashMap<Uuid, Shortfall> {
        // KI: required 3, achieved 1. PD: required 2, none. M.05: required 2, achieved 2.
        [(1, "T.KI", 3, 1), (2, "T.PD", 2, 0), (3, "M.05", 2, 2)]
            .into_iter()
            .map(|(id, code, required, achieved)| {
                (
                    Uuid::from_u128(id),
                    Shortfall {
                        code: code.into(),
                        required,
                        achieved,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn ranking_rules() {
        let mut closed = candidate("closed", 1, &[(1, 3)]);
        closed.open = false;
        let mut done = candidate("done", 1, &[(1, 3)]);
        done.completed = true;
        let mut draft = candidate("draft", 1, &[(1, 3)]);
        draft.course.status = Status::Draft;
        // (candidate, expected gain or None when not recommended)
        let table = [
            (candidate("KI to 2", 10, &[(1, 2)]), Some(1)),
            (candidate("KI to 5 (capped at 3)", 10, &[(1, 5)]), Some(2)),
            (candidate("KI at 1 (no gain)", 1, &[(1, 1)]), None),
            (candidate("met already", 1, &[(3, 3)]), None),
            (candidate("unrelated", 1, &[(9, 3)]), None),
            (candidate("PD 2 + KI 2", 20, &[(2, 2), (1, 2)]), Some(3)),
            (candidate("PD 2, more JP", 12, &[(2, 2)]), Some(2)),
            (closed, None),
            (done, None),
            (draft, None),
        ];
        let expected: Vec<(String, i16)> = table
            .iter()
            .filter_map(|(c, g)| g.map(|g| (c.course.title.clone(), g)))
            .collect();
        let ranked = rank(&shortfalls(), table.into_iter().map(|(c, _)| c).collect());
        let got: Vec<(String, i16)> = ranked
            .iter()
            .map(|r| (r.course.title.clone(), r.gain))
            .collect();
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for e in &expected {
            assert!(got.contains(e), "{e:?} in {got:?}");
        }
        let order: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            order,
            [
                "PD 2 + KI 2",
                "KI to 5 (capped at 3)",
                "PD 2, more JP",
                "KI to 2"
            ],
            "by gain, then fewer JP, then title"
        );
        let both = &ranked[0].closes;
        assert_eq!(
            both,
            &vec![
                Closes {
                    code: "T.KI".into(),
                    from: 1,
                    to: 2
                },
                Closes {
                    code: "T.PD".into(),
                    from: 0,
                    to: 2
                }
            ]
        );
    }
}

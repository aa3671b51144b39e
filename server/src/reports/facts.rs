//! The numbers behind every report, computed in one pass over the organisation (or one
//! subtree) for one JP year: each employee's facts (JP, assigned courses, completed,
//! overdue, quiz scores, competency requirements met), rolled up into every unit above
//! them. The snapshot job stores them for the current year; other years are computed
//! when asked. One definition, so the dashboard, the employee list, the heatmap and the
//! exports cannot disagree.
//!
//! - **Headcount**: employees whose account is active.
//! - **Assigned**: (employee, course) pairs an assignment reaches (directly, through their
//!   unit or a unit above it, or their position) whose due date falls in the year, or,
//!   without a due date, whose assignment was made in the year (Jakarta time). A course
//!   assigned twice counts once, with the earliest due date.
//! - **Completed**: assigned pairs whose course the employee completed (at any time).
//! - **Overdue**: assigned pairs not completed whose due date is before today.
//! - **JP**: the year's counted JP (completion records, reversals subtracted); at the
//!   target when ≥ `jp_target`; bands 0, below half, below the target, at the target.
//! - **Quiz score**: the mean of finished attempts' scores in per cent, attempts
//!   finished in the year.
//! - **Most taken**: enrolments made in the year, by course.
//! - **Requirements met**: for each level a position requires, whether the employee's
//!   achieved level (completed courses' awards and the latest assessment) reaches it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::{
    entities::{competency_assessments, employees, position_requirements, units, users},
    error::AppResult,
};

/// One employee's facts for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeFacts {
    /// Their account.
    pub user_id: Uuid,
    /// Their employee record.
    pub employee_id: Uuid,
    /// Their unit.
    pub unit_id: Uuid,
    /// JP counted in the year.
    pub jp: i64,
    /// Courses assigned to them for the year.
    pub assigned: u32,
    /// Of those, completed.
    pub completed: u32,
    /// Of those, past their due date and not completed.
    pub overdue: u32,
}

/// A unit's facts: its own employees and everyone below it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitFacts {
    /// Employees with an active account.
    pub headcount: u64,
    /// Assigned (employee, course) pairs.
    pub assigned: u64,
    /// Of those, completed.
    pub completed: u64,
    /// Of those, overdue.
    pub overdue: u64,
    /// Employees by JP band: none, below half the target, below the target, at it.
    pub bands: [u64; 4],
    /// Sum of finished attempts' scores in per cent, and their number.
    pub quiz_sum: f64,
    /// Finished attempts.
    pub quiz_count: u64,
    /// Enrolments made in the year, by course.
    pub enrolments: HashMap<Uuid, u64>,
}

impl UnitFacts {
    /// Employees at the JP target.
    pub fn at_target(&self) -> u64 {
        self.bands[3]
    }
}

/// Everything computed for a year.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The JP year.
    pub year: i32,
    /// Each employee in the subtree.
    pub employees: Vec<EmployeeFacts>,
    /// Each unit in the subtree, rolled up.
    pub units: HashMap<Uuid, UnitFacts>,
    /// (unit, competency) → (requirements, met), rolled up.
    pub gaps: HashMap<(Uuid, Uuid), (u64, u64)>,
    /// Each unit's path.
    pub paths: HashMap<Uuid, String>,
    /// The overdue assignments: (user, course, due date).
    pub overdue: Vec<(Uuid, Uuid, NaiveDate)>,
}

/// The JP band of `jp` against `target`: 0 none, 1 below half, 2 below the target, 3 at it.
pub fn band(jp: i64, target: i32) -> usize {
    let target = i64::from(target.max(1));
    if jp <= 0 {
        0
    } else if jp * 2 < target {
        1
    } else if jp < target {
        2
    } else {
        3
    }
}

/// The id that stands for the whole organisation in the snapshot (the nil UUID).
pub const ORGANISATION: Uuid = Uuid::nil();

/// The unit ids on a path (the unit and every unit above it).
fn path_ids(path: &str) -> impl Iterator<Item = Uuid> + '_ {
    path.split('/').filter_map(|s| Uuid::try_parse(s).ok())
}

/// The units an employee of the unit at `path` counts in: the unit and those above it
/// within the computed subtree, and the whole organisation when everyone is computed.
fn counted_in(path: &str, known: &HashMap<Uuid, String>, everyone: bool) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = path_ids(path).filter(|u| known.contains_key(u)).collect();
    if everyone {
        ids.push(ORGANISATION);
    }
    ids
}

/// The (employee, course) pairs assignments reach for the year, with the earliest due
/// date: `$1`/`$2` the year's first day and the next year's, `$3`/`$4` its instants (an
/// assignment without a due date counts in the year it was made), `$5` the subtree's
/// path pattern. The `CROSS JOIN`s keep SQLite from scanning every employee per
/// assignment (it joins in the order written; PostgreSQL plans as it likes).
const PAIRS: &str = "WITH reach AS (        SELECT a.user_id, a.course_id, a.due_on FROM assignments a        WHERE a.user_id IS NOT NULL          AND ((a.due_on >= $1 AND a.due_on < $2) OR (a.due_on IS NULL AND a.created_at >= $3 AND a.created_at < $4))        UNION ALL        SELECT e.user_id, a.course_id, a.due_on FROM assignments a          CROSS JOIN units au CROSS JOIN units eu CROSS JOIN employees e        WHERE au.id = a.unit_id AND eu.path LIKE au.path || '%' AND e.unit_id = eu.id          AND ((a.due_on >= $1 AND a.due_on < $2) OR (a.due_on IS NULL AND a.created_at >= $3 AND a.created_at < $4))        UNION ALL        SELECT e.user_id, a.course_id, a.due_on FROM assignments a JOIN employees e ON e.position_id = a.position_id        WHERE a.position_id IS NOT NULL          AND ((a.due_on >= $1 AND a.due_on < $2) OR (a.due_on IS NULL AND a.created_at >= $3 AND a.created_at < $4))      ), pairs AS (        SELECT r.user_id, r.course_id, MIN(r.due_on) AS due FROM reach r          JOIN employees pe ON pe.user_id = r.user_id JOIN units pu ON pu.id = pe.unit_id          JOIN users ps ON ps.id = r.user_id        WHERE ps.active AND pu.path LIKE $5 GROUP BY r.user_id, r.course_id      )";

/// Computes the facts of the subtree at `root` (a unit path; `None`: everyone) for
/// `year`, judging "overdue" by `today`; the overdue pairs themselves only
/// `with_overdue` (an export of them).
pub async fn compute(
    db: &impl ConnectionTrait,
    root: Option<&str>,
    year: i32,
    today: NaiveDate,
    target: i32,
    with_overdue: bool,
) -> AppResult<Facts> {
    // The units and employees of the subtree.
    let mut unit_query = units::Entity::find();
    if let Some(r) = root {
        unit_query = unit_query.filter(units::Column::Path.starts_with(r));
    }
    let all_units = unit_query.all(db).await?;
    let path_of: HashMap<Uuid, String> = all_units.iter().map(|u| (u.id, u.path.clone())).collect();
    let mut people_query = employees::Entity::find()
        .select_only()
        .column(employees::Column::Id)
        .column(employees::Column::UserId)
        .column(employees::Column::UnitId)
        .column(employees::Column::PositionId)
        .inner_join(users::Entity)
        .filter(users::Column::Active.eq(true));
    if let Some(r) = root {
        people_query = people_query
            .inner_join(units::Entity)
            .filter(units::Column::Path.starts_with(r));
    }
    let people: Vec<(Uuid, Uuid, Uuid, Option<Uuid>)> = people_query.into_tuple().all(db).await?;
    let index: HashMap<Uuid, usize> = people.iter().enumerate().map(|(i, p)| (p.1, i)).collect();

    // Each person's assigned, completed and overdue courses, counted by the database.
    let (from, to) = year_bounds(year);
    let pattern = format!("{}%", root.unwrap_or("").replace(['%', '_'], ""));
    let duty_values = || -> Vec<sea_orm::Value> {
        vec![
            NaiveDate::from_ymd_opt(year, 1, 1).into(),
            NaiveDate::from_ymd_opt(year + 1, 1, 1).into(),
            from.into(),
            to.into(),
            pattern.clone().into(),
        ]
    };
    let mut duties: HashMap<Uuid, (u32, u32, u32)> = HashMap::new();
    let mut values = duty_values();
    values.push(today.into());
    for row in db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            format!(
                "{PAIRS} SELECT p.user_id, COUNT(*),                    SUM(CASE WHEN n.completed_at IS NOT NULL THEN 1 ELSE 0 END),                    SUM(CASE WHEN n.completed_at IS NULL AND p.due < $6 THEN 1 ELSE 0 END)                  FROM pairs p LEFT JOIN enrolments n ON n.user_id = p.user_id AND n.course_id = p.course_id                  GROUP BY p.user_id"
            ),
            values,
        ))
        .await?
    {
        let user: Uuid = row.try_get_by_index(0)?;
        let n = |i: usize| -> AppResult<u32> {
            Ok(u32::try_from(row.try_get_by_index::<Option<i64>>(i)?.unwrap_or(0)).unwrap_or(0))
        };
        duties.insert(user, (n(1)?, n(2)?, n(3)?));
    }
    let mut overdue_pairs = Vec::new();
    if with_overdue {
        let mut values = duty_values();
        values.push(today.into());
        for row in db
            .query_all_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                format!(
                    "{PAIRS} SELECT p.user_id, p.course_id, p.due FROM pairs p                      LEFT JOIN enrolments n ON n.user_id = p.user_id AND n.course_id = p.course_id                      WHERE n.completed_at IS NULL AND p.due < $6"
                ),
                values,
            ))
            .await?
        {
            overdue_pairs.push((
                row.try_get_by_index::<Uuid>(0)?,
                row.try_get_by_index::<Uuid>(1)?,
                row.try_get_by_index::<NaiveDate>(2)?,
            ));
        }
    }

    // JP, quiz scores and enrolments of the year.
    let jp = sums(
        db,
        "SELECT user_id, SUM(jp) FROM completion_records WHERE year = $1 GROUP BY user_id",
        year,
    )
    .await?;
    let quiz_rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT user_id, SUM(score * 100.0 / max_score) AS total, COUNT(*) AS n FROM attempts \
             WHERE state = 'finished' AND max_score > 0 AND score IS NOT NULL \
               AND finished_at >= $1 AND finished_at < $2 GROUP BY user_id",
            [from.into(), to.into()],
        ))
        .await?;
    let mut quiz: HashMap<Uuid, (f64, i64)> = HashMap::new();
    for row in quiz_rows {
        let user: Uuid = row.try_get_by_index(0)?;
        let total: Option<f64> = row.try_get_by_index(1)?;
        let n: i64 = row.try_get_by_index(2)?;
        quiz.insert(user, (total.unwrap_or(0.0), n));
    }
    let enrolled = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT e.unit_id, n.course_id, COUNT(*) FROM enrolments n              JOIN employees e ON e.user_id = n.user_id              WHERE n.enrolled_at >= $1 AND n.enrolled_at < $2 GROUP BY e.unit_id, n.course_id",
            [from.into(), to.into()],
        ))
        .await?;

    // Each person's facts, rolled up the tree.
    let mut facts = Facts {
        year,
        ..Facts::default()
    };
    facts.overdue = overdue_pairs
        .into_iter()
        .filter(|(u, _, _)| index.contains_key(u))
        .collect();
    for (employee_id, user_id, unit_id, _) in &people {
        let (assigned, completed, overdue) = duties.get(user_id).copied().unwrap_or((0, 0, 0));
        let jp = jp.get(user_id).copied().unwrap_or(0);
        let (quiz_sum, quiz_count) = quiz.get(user_id).copied().unwrap_or((0.0, 0));
        let Some(path) = path_of.get(unit_id) else {
            continue;
        };
        for unit in counted_in(path, &path_of, root.is_none()) {
            let u = facts.units.entry(unit).or_default();
            u.headcount += 1;
            u.assigned += u64::from(assigned);
            u.completed += u64::from(completed);
            u.overdue += u64::from(overdue);
            u.bands[band(jp, target)] += 1;
            u.quiz_sum += quiz_sum;
            u.quiz_count += u64::try_from(quiz_count).unwrap_or(0);
        }
        facts.employees.push(EmployeeFacts {
            user_id: *user_id,
            employee_id: *employee_id,
            unit_id: *unit_id,
            jp,
            assigned,
            completed,
            overdue,
        });
    }
    for row in enrolled {
        let unit: Uuid = row.try_get_by_index(0)?;
        let course: Uuid = row.try_get_by_index(1)?;
        let n: i64 = row.try_get_by_index(2)?;
        let Some(path) = path_of.get(&unit) else {
            continue;
        };
        for u in counted_in(path, &path_of, root.is_none()) {
            *facts
                .units
                .entry(u)
                .or_default()
                .enrolments
                .entry(course)
                .or_default() += u64::try_from(n).unwrap_or(0);
        }
    }
    for u in &all_units {
        facts.units.entry(u.id).or_default();
    }
    if root.is_none() {
        facts.units.entry(ORGANISATION).or_default();
    }
    facts.paths = path_of.clone();

    // Requirements met.
    let requirements = position_requirements::Entity::find().all(db).await?;
    if !requirements.is_empty() {
        let mut required: HashMap<Uuid, Vec<(Uuid, i16)>> = HashMap::new();
        for r in requirements {
            required
                .entry(r.position_id)
                .or_default()
                .push((r.competency_id, r.level));
        }
        let achieved = achieved_levels(db, &index, &people).await?;
        for (i, (_, _, unit_id, position)) in people.iter().enumerate() {
            let Some(needs) = position.and_then(|p| required.get(&p)) else {
                continue;
            };
            let Some(path) = path_of.get(unit_id) else {
                continue;
            };
            let units = counted_in(path, &path_of, root.is_none());
            for (competency, level) in needs {
                let met = achieved.get(&(i, *competency)).is_some_and(|a| a >= level);
                for unit in &units {
                    let cell = facts.gaps.entry((*unit, *competency)).or_default();
                    cell.0 += 1;
                    cell.1 += u64::from(met);
                }
            }
        }
    }
    Ok(facts)
}

/// The instants a Jakarta calendar year starts and ends.
pub fn year_bounds(year: i32) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    use chrono::TimeZone;
    let at = |y: i32| {
        crate::time::wib()
            .with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default()
    };
    (at(year), at(year + 1))
}

/// `user → sum` from a grouped statement with the year as `$1`.
async fn sums(db: &impl ConnectionTrait, sql: &str, year: i32) -> AppResult<HashMap<Uuid, i64>> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [year.into()],
        ))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let user: Uuid = row.try_get_by_index(0)?;
        let sum: Option<i64> = row.try_get_by_index(1)?;
        out.insert(user, sum.unwrap_or(0));
    }
    Ok(out)
}

/// (person, competency) → achieved level: the highest level awarded by a counted
/// completion (neither reversed nor a reversal) or given by the latest assessment.
async fn achieved_levels(
    db: &impl ConnectionTrait,
    index: &HashMap<Uuid, usize>,
    people: &[(Uuid, Uuid, Uuid, Option<Uuid>)],
) -> AppResult<HashMap<(usize, Uuid), i16>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT r.user_id, e.competency_id, MAX(e.level) \
             FROM completion_evidence e JOIN completion_records r ON r.id = e.record_id \
             WHERE r.reverses_id IS NULL \
               AND NOT EXISTS (SELECT 1 FROM completion_records x WHERE x.reverses_id = r.id) \
             GROUP BY r.user_id, e.competency_id",
        ))
        .await?;
    let mut out: HashMap<(usize, Uuid), i16> = HashMap::new();
    for row in rows {
        let user: Uuid = row.try_get_by_index(0)?;
        let competency: Uuid = row.try_get_by_index(1)?;
        let level: i16 = row.try_get_by_index(2)?;
        if let Some(i) = index.get(&user) {
            out.insert((*i, competency), level);
        }
    }
    let by_employee: HashMap<Uuid, usize> =
        people.iter().enumerate().map(|(i, p)| (p.0, i)).collect();
    let mut seen: HashSet<(usize, Uuid)> = HashSet::new();
    // Newest first: the first assessment of a competency is the latest.
    for a in competency_assessments::Entity::find()
        .order_by_desc(competency_assessments::Column::AssessedOn)
        .order_by_desc(competency_assessments::Column::CreatedAt)
        .all(db)
        .await?
    {
        let Some(i) = by_employee.get(&a.employee_id) else {
            continue;
        };
        if seen.insert((*i, a.competency_id)) {
            let slot = out.entry((*i, a.competency_id)).or_insert(a.level);
            *slot = (*slot).max(a.level);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_at_half_and_the_target() {
        assert_eq!(band(0, 20), 0);
        assert_eq!(band(-3, 20), 0);
        assert_eq!(band(9, 20), 1);
        assert_eq!(band(10, 20), 2);
        assert_eq!(band(19, 20), 2);
        assert_eq!(band(20, 20), 3);
        assert_eq!(band(45, 20), 3);
    }
}

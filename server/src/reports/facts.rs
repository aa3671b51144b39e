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

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::{
    entities::{
        assignments, competency_assessments, employees, enrolments, position_requirements, units,
        users,
    },
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

/// Computes the facts of the subtree at `root` (a unit path; `None`: everyone) for
/// `year`, judging "overdue" by `today`.
pub async fn compute(
    db: &impl ConnectionTrait,
    root: Option<&str>,
    year: i32,
    today: NaiveDate,
    target: i32,
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

    // Who each assignment reaches.
    let mut by_unit: HashMap<Uuid, Vec<usize>> = HashMap::new();
    let mut by_position: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (i, (_, _, unit, position)) in people.iter().enumerate() {
        by_unit.entry(*unit).or_default().push(i);
        if let Some(p) = position {
            by_position.entry(*p).or_default().push(i);
        }
    }
    let mut below: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for u in &all_units {
        for ancestor in path_ids(&u.path) {
            below.entry(ancestor).or_default().push(u.id);
        }
    }
    // (person, course) → earliest due date (None: no due date), for the year.
    let mut duties: HashMap<(usize, Uuid), Option<NaiveDate>> = HashMap::new();
    for a in assignments::Entity::find().all(db).await? {
        let in_year = match a.due_on {
            Some(d) => d.year() == year,
            None => crate::time::year_wib(a.created_at) == year,
        };
        if !in_year {
            continue;
        }
        let reached: Vec<usize> = if let Some(user) = a.user_id {
            index.get(&user).copied().into_iter().collect()
        } else if let Some(unit) = a.unit_id {
            below
                .get(&unit)
                .into_iter()
                .flatten()
                .flat_map(|u| by_unit.get(u).into_iter().flatten().copied())
                .collect()
        } else if let Some(position) = a.position_id {
            by_position.get(&position).cloned().unwrap_or_default()
        } else {
            Vec::new()
        };
        for person in reached {
            let slot = duties.entry((person, a.course_id)).or_insert(a.due_on);
            *slot = match (*slot, a.due_on) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
    }
    let assigned_courses: HashSet<Uuid> = duties.keys().map(|(_, c)| *c).collect();
    let mut done: HashSet<(usize, Uuid)> = HashSet::new();
    for course in &assigned_courses {
        let finished: Vec<Uuid> = enrolments::Entity::find()
            .select_only()
            .column(enrolments::Column::UserId)
            .filter(enrolments::Column::CourseId.eq(*course))
            .filter(enrolments::Column::CompletedAt.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        done.extend(
            finished
                .into_iter()
                .filter_map(|u| index.get(&u).map(|i| (*i, *course))),
        );
    }

    // JP, quiz scores and enrolments of the year.
    let jp = sums(
        db,
        "SELECT user_id, SUM(jp) FROM completion_records WHERE year = $1 GROUP BY user_id",
        year,
    )
    .await?;
    let (from, to) = year_bounds(year);
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
    let enrolled: Vec<(Uuid, Uuid)> = enrolments::Entity::find()
        .select_only()
        .column(enrolments::Column::UserId)
        .column(enrolments::Column::CourseId)
        .filter(enrolments::Column::EnrolledAt.gte(from))
        .filter(enrolments::Column::EnrolledAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;

    // Each person's facts, rolled up the tree.
    let mut facts = Facts {
        year,
        ..Facts::default()
    };
    let mut per_person: Vec<(u32, u32, u32)> = vec![(0, 0, 0); people.len()];
    for ((person, course), due) in &duties {
        let slot = &mut per_person[*person];
        slot.0 += 1;
        if done.contains(&(*person, *course)) {
            slot.1 += 1;
        } else if let Some(d) = due.filter(|d| *d < today) {
            slot.2 += 1;
            facts.overdue.push((people[*person].1, *course, d));
        }
    }
    for (i, (employee_id, user_id, unit_id, _)) in people.iter().enumerate() {
        let (assigned, completed, overdue) = per_person[i];
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
    for (user, course) in enrolled {
        let Some(i) = index.get(&user) else { continue };
        let Some(path) = path_of.get(&people[*i].2) else {
            continue;
        };
        for unit in counted_in(path, &path_of, root.is_none()) {
            *facts
                .units
                .entry(unit)
                .or_default()
                .enrolments
                .entry(course)
                .or_default() += 1;
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

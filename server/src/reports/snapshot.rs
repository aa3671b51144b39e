//! The `report_snapshot` job (every minute): the facts of the whole organisation for the
//! current JP year, stored so that dashboards, employee lists and exports read rows. Only
//! rows that changed are written, each table in write transactions of at most
//! [`BATCH`] rows, so the SQLite writer is never held for long.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::facts::{self, Facts, UnitFacts};
use crate::{
    entities::{report_employees, report_gaps, report_runs, report_units},
    error::{AppError, AppResult},
};

/// The name of the one snapshot row.
pub const CURRENT: &str = "current";

/// Rows written per transaction.
const BATCH: usize = 1000;

/// How many of the most-taken courses a unit keeps.
pub const TOP: usize = 10;

/// The most-taken courses of a unit: (course, enrolments), most first.
pub fn top_courses(u: &UnitFacts) -> Vec<(Uuid, u64)> {
    let mut top: Vec<(Uuid, u64)> = u.enrolments.iter().map(|(c, n)| (*c, *n)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(TOP);
    top
}

/// A unit's stored row.
pub fn unit_row(unit_id: Uuid, u: &UnitFacts) -> report_units::Model {
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    report_units::Model {
        unit_id,
        headcount: n(u.headcount),
        assigned: n(u.assigned),
        completed: n(u.completed),
        overdue: n(u.overdue),
        band_none: n(u.bands[0]),
        band_low: n(u.bands[1]),
        band_mid: n(u.bands[2]),
        band_target: n(u.bands[3]),
        quiz_sum: u.quiz_sum,
        quiz_count: n(u.quiz_count),
        top_courses: serde_json::to_string(&top_courses(u)).unwrap_or_else(|_| "[]".into()),
    }
}

/// A stored row back as facts (what the summary reads).
pub fn unit_facts(r: &report_units::Model) -> UnitFacts {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let top: Vec<(Uuid, u64)> = serde_json::from_str(&r.top_courses).unwrap_or_default();
    UnitFacts {
        headcount: n(r.headcount),
        assigned: n(r.assigned),
        completed: n(r.completed),
        overdue: n(r.overdue),
        bands: [
            n(r.band_none),
            n(r.band_low),
            n(r.band_mid),
            n(r.band_target),
        ],
        quiz_sum: r.quiz_sum,
        quiz_count: n(r.quiz_count),
        enrolments: top.into_iter().collect(),
    }
}

/// Computes the current year's facts and stores what changed; returns counts.
pub async fn refresh(db: &DatabaseConnection, now: DateTime<Utc>, target: i32) -> AppResult<Value> {
    let started = std::time::Instant::now();
    let year = crate::time::year_wib(now);
    let today = crate::time::date_wib(now);
    let facts = facts::compute(db, None, year, today, target, false).await?;
    let computed = started.elapsed().as_secs_f64();
    let stale_year = report_runs::Entity::find_by_id(CURRENT.to_owned())
        .one(db)
        .await?
        .is_none_or(|r| r.year != year);
    if stale_year {
        // A new year: start clean rather than compare with last year's numbers.
        crate::db::in_write(db, async |txn| {
            report_units::Entity::delete_many().exec(txn).await?;
            report_employees::Entity::delete_many().exec(txn).await?;
            report_gaps::Entity::delete_many().exec(txn).await?;
            Ok::<_, AppError>(())
        })
        .await?;
    }
    let units = store_units(db, &facts).await?;
    let employees = store_employees(db, &facts).await?;
    let gaps = store_gaps(db, &facts).await?;
    let run = report_runs::ActiveModel {
        name: Set(CURRENT.to_owned()),
        year: Set(year),
        computed_at: Set(now),
    };
    crate::db::in_write(db, async |txn| {
        report_runs::Entity::insert(run)
            .on_conflict(
                OnConflict::column(report_runs::Column::Name)
                    .update_columns([report_runs::Column::Year, report_runs::Column::ComputedAt])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(json!({
        "year": year,
        "employees": facts.employees.len(),
        "written": { "units": units, "employees": employees, "gaps": gaps },
        "compute_seconds": (computed * 1000.0).round() / 1000.0,
        "seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    }))
}

async fn store_units(db: &DatabaseConnection, facts: &Facts) -> AppResult<usize> {
    let old: HashMap<Uuid, report_units::Model> = report_units::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.unit_id, r))
        .collect();
    let changed: Vec<report_units::Model> = facts
        .units
        .iter()
        .map(|(id, u)| unit_row(*id, u))
        .filter(|r| old.get(&r.unit_id) != Some(r))
        .collect();
    let gone: Vec<Uuid> = old
        .keys()
        .filter(|k| !facts.units.contains_key(k))
        .copied()
        .collect();
    let written = changed.len();
    let rows: Vec<report_units::ActiveModel> = changed.into_iter().map(Into::into).collect();
    upsert(
        db,
        rows,
        OnConflict::column(report_units::Column::UnitId)
            .update_columns([
                report_units::Column::Headcount,
                report_units::Column::Assigned,
                report_units::Column::Completed,
                report_units::Column::Overdue,
                report_units::Column::BandNone,
                report_units::Column::BandLow,
                report_units::Column::BandMid,
                report_units::Column::BandTarget,
                report_units::Column::QuizSum,
                report_units::Column::QuizCount,
                report_units::Column::TopCourses,
            ])
            .to_owned(),
    )
    .await?;
    delete_keys::<report_units::Entity>(db, report_units::Column::UnitId, gone).await?;
    Ok(written)
}

async fn store_employees(db: &DatabaseConnection, facts: &Facts) -> AppResult<usize> {
    let old: HashMap<Uuid, report_employees::Model> = report_employees::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.user_id, r))
        .collect();
    let rows: Vec<report_employees::Model> = facts
        .employees
        .iter()
        .map(|e| report_employees::Model {
            user_id: e.user_id,
            employee_id: e.employee_id,
            unit_id: e.unit_id,
            unit_path: facts.paths.get(&e.unit_id).cloned().unwrap_or_default(),
            jp: e.jp,
            assigned: i32::try_from(e.assigned).unwrap_or(i32::MAX),
            completed: i32::try_from(e.completed).unwrap_or(i32::MAX),
            overdue: i32::try_from(e.overdue).unwrap_or(i32::MAX),
        })
        .collect();
    let present: std::collections::HashSet<Uuid> = rows.iter().map(|r| r.user_id).collect();
    let changed: Vec<report_employees::Model> = rows
        .into_iter()
        .filter(|r| old.get(&r.user_id) != Some(r))
        .collect();
    let gone: Vec<Uuid> = old
        .keys()
        .filter(|k| !present.contains(k))
        .copied()
        .collect();
    let written = changed.len();
    let rows: Vec<report_employees::ActiveModel> = changed.into_iter().map(Into::into).collect();
    upsert(
        db,
        rows,
        OnConflict::column(report_employees::Column::UserId)
            .update_columns([
                report_employees::Column::EmployeeId,
                report_employees::Column::UnitId,
                report_employees::Column::UnitPath,
                report_employees::Column::Jp,
                report_employees::Column::Assigned,
                report_employees::Column::Completed,
                report_employees::Column::Overdue,
            ])
            .to_owned(),
    )
    .await?;
    delete_keys::<report_employees::Entity>(db, report_employees::Column::UserId, gone).await?;
    Ok(written)
}

async fn store_gaps(db: &DatabaseConnection, facts: &Facts) -> AppResult<usize> {
    let old: HashMap<(Uuid, Uuid), (i64, i64)> = report_gaps::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| ((r.unit_id, r.competency_id), (r.required, r.met)))
        .collect();
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    let changed: Vec<report_gaps::Model> = facts
        .gaps
        .iter()
        .filter(|(k, (r, m))| old.get(k) != Some(&(n(*r), n(*m))))
        .map(|((unit, competency), (r, m))| report_gaps::Model {
            unit_id: *unit,
            competency_id: *competency,
            required: n(*r),
            met: n(*m),
        })
        .collect();
    let gone: Vec<(Uuid, Uuid)> = old
        .keys()
        .filter(|k| !facts.gaps.contains_key(k))
        .copied()
        .collect();
    let written = changed.len();
    let rows: Vec<report_gaps::ActiveModel> = changed.into_iter().map(Into::into).collect();
    upsert(
        db,
        rows,
        OnConflict::columns([
            report_gaps::Column::UnitId,
            report_gaps::Column::CompetencyId,
        ])
        .update_columns([report_gaps::Column::Required, report_gaps::Column::Met])
        .to_owned(),
    )
    .await?;
    for chunk in gone.chunks(BATCH) {
        let keys = chunk.to_vec();
        crate::db::in_write(db, async |txn| {
            for (unit, competency) in keys {
                report_gaps::Entity::delete_by_id((unit, competency))
                    .exec(txn)
                    .await?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    }
    Ok(written)
}

/// Inserts `rows`, updating those whose key is there (`conflict`), in write transactions
/// of [`BATCH`] rows.
async fn upsert<A>(db: &DatabaseConnection, rows: Vec<A>, conflict: OnConflict) -> AppResult<()>
where
    A: sea_orm::ActiveModelTrait + Send + Sync + Clone,
{
    for chunk in rows.chunks(BATCH) {
        let txn = crate::db::begin_write(db).await?;
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .on_conflict(conflict.clone())
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Deletes the rows whose `key` is among `ids`, in write transactions of [`BATCH`].
async fn delete_keys<E: EntityTrait>(
    db: &DatabaseConnection,
    key: E::Column,
    ids: Vec<Uuid>,
) -> AppResult<()> {
    for chunk in ids.chunks(BATCH) {
        let txn = crate::db::begin_write(db).await?;
        E::delete_many()
            .filter(key.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
    }
    Ok(())
}

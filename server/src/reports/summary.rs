//! A unit's dashboard numbers (the unit and everything below it), its children's, and
//! the competency gaps by child unit: read from the snapshot for the current year,
//! computed on request for another year.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{
    facts::{self, ORGANISATION, UnitFacts},
    snapshot::{self, CURRENT},
};
use crate::{
    auth::principal::Principal,
    entities::{competencies, courses, report_gaps, report_runs, report_units, units},
    error::{AppError, AppResult, Code},
};

/// The numbers of one unit and of each of its children.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The unit.
    pub unit: units::Model,
    /// The JP year.
    pub year: i32,
    /// When the numbers were computed.
    pub computed_at: DateTime<Utc>,
    /// The unit with everything below it.
    pub facts: UnitFacts,
    /// Each child unit with everything below it, by name.
    pub children: Vec<(units::Model, UnitFacts)>,
    /// The most-taken courses: (id, title, enrolments).
    pub top_courses: Vec<(Uuid, String, u64)>,
    /// The gaps: the competencies required in the unit and (unit → competency →
    /// (required, met)) for the unit itself and each child.
    pub gaps: Gaps,
}

/// The competency gap heatmap's data.
#[derive(Debug, Clone, Default)]
pub struct Gaps {
    /// Competencies some position in the unit requires: (id, code, name), by code.
    pub competencies: Vec<(Uuid, String, String)>,
    /// (unit, competency) → (requirements, met).
    pub cells: HashMap<(Uuid, Uuid), (u64, u64)>,
}

/// Years a report can be asked for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The summary of a unit in the caller's scope (404 outside it) for `year` (default:
/// the current one).
pub async fn of_unit(
    db: &impl ConnectionTrait,
    p: &Principal,
    unit_id: Uuid,
    year: Option<i32>,
    now: DateTime<Utc>,
    target: i32,
) -> AppResult<Summary> {
    let unit = unit_in_scope(db, p, unit_id).await?;
    let current = crate::time::year_wib(now);
    let year = year.unwrap_or(current);
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(Code::InvalidYear, "year"));
    }
    let children = if unit.id == ORGANISATION {
        units::Entity::find()
            .filter(units::Column::ParentId.is_null())
            .order_by_asc(units::Column::Name)
            .all(db)
            .await?
    } else {
        crate::org::units::children(db, unit.id).await?
    };
    let run = report_runs::Entity::find_by_id(CURRENT.to_owned())
        .one(db)
        .await?;
    let (computed_at, facts, child_facts, cells) = match run.filter(|r| r.year == year) {
        Some(run) => {
            let mut ids: Vec<Uuid> = children.iter().map(|c| c.id).collect();
            ids.push(unit.id);
            let rows: HashMap<Uuid, UnitFacts> = report_units::Entity::find()
                .filter(report_units::Column::UnitId.is_in(ids.clone()))
                .all(db)
                .await?
                .iter()
                .map(|r| (r.unit_id, snapshot::unit_facts(r)))
                .collect();
            let cells = report_gaps::Entity::find()
                .filter(report_gaps::Column::UnitId.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|g| {
                    let n = |x: i64| u64::try_from(x).unwrap_or(0);
                    ((g.unit_id, g.competency_id), (n(g.required), n(g.met)))
                })
                .collect();
            let own = rows.get(&unit.id).cloned().unwrap_or_default();
            (run.computed_at, own, rows, cells)
        }
        None => {
            let today = crate::time::date_wib(now);
            let root = (unit.id != ORGANISATION).then_some(unit.path.as_str());
            let f = facts::compute(db, root, year, today, target, false).await?;
            let own = f.units.get(&unit.id).cloned().unwrap_or_default();
            let mut top = own.clone();
            top.enrolments = snapshot::top_courses(&own).into_iter().collect();
            let cells: HashMap<(Uuid, Uuid), (u64, u64)> = f
                .gaps
                .into_iter()
                .filter(|((u, _), _)| *u == unit.id || children.iter().any(|c| c.id == *u))
                .collect();
            (now, top, f.units, cells)
        }
    };
    let top = snapshot::top_courses(&facts);
    let titles: HashMap<Uuid, String> = if top.is_empty() {
        HashMap::new()
    } else {
        courses::Entity::find()
            .filter(courses::Column::Id.is_in(top.iter().map(|(c, _)| *c)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect()
    };
    let top_courses = top
        .into_iter()
        .filter_map(|(c, n)| titles.get(&c).map(|t| (c, t.clone(), n)))
        .collect();
    let mut required: Vec<Uuid> = cells
        .keys()
        .filter(|(u, _)| *u == unit.id)
        .map(|(_, c)| *c)
        .collect();
    required.sort();
    required.dedup();
    let mut names: Vec<(Uuid, String, String)> = if required.is_empty() {
        Vec::new()
    } else {
        competencies::Entity::find()
            .filter(competencies::Column::Id.is_in(required))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.code, c.name))
            .collect()
    };
    names.sort_by(|a, b| a.1.cmp(&b.1));
    let children = children
        .into_iter()
        .map(|c| {
            let f = child_facts.get(&c.id).cloned().unwrap_or_default();
            (c, f)
        })
        .collect();
    Ok(Summary {
        unit,
        year,
        computed_at,
        facts,
        children,
        top_courses,
        gaps: Gaps {
            competencies: names,
            cells,
        },
    })
}

/// `part / whole` when there is a whole.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The unit a viewer's reports start at: the whole organisation for an admin, a unit
/// admin's own unit.
pub async fn home_unit(db: &impl ConnectionTrait, p: &Principal) -> AppResult<Uuid> {
    if p.is_admin() {
        return Ok(ORGANISATION);
    }
    let scope = p.org_scope()?;
    let all = crate::org::units::all(db, &scope).await?;
    all.iter()
        .min_by_key(|u| u.path.len())
        .map(|u| u.id)
        .ok_or(AppError::NotFound)
}

/// A unit in the caller's scope (404 outside it), or the whole organisation (the nil
/// id, admins only) as a unit with an empty path, named in the catalog's language of
/// the organisation (`reports.organisation`).
pub async fn unit_in_scope(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: Uuid,
) -> AppResult<units::Model> {
    let scope = p.org_scope()?;
    if id == ORGANISATION {
        if !p.is_admin() {
            return Err(AppError::NotFound);
        }
        let at = chrono::DateTime::<Utc>::UNIX_EPOCH;
        return Ok(units::Model {
            id,
            code: String::new(),
            name: crate::web::i18n::Tr {
                lang: crate::web::i18n::Lang::Id,
            }
            .get("reports.organisation")
            .to_owned(),
            name_en: None,
            kind: crate::org::model::UnitKind::ALL[0],
            parent_id: None,
            path: String::new(),
            created_at: at,
            updated_at: at,
        });
    }
    crate::org::units::get(db, &scope, id).await
}

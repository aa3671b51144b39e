//! Position requirements as a CSV file: one row per position and competency (unit code,
//! position name, competency code, level). Importing a file replaces the requirements of
//! every position it names with the file's rows; all rows or none.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    dictionary::{self, CodeLevel},
    requirements,
};
use crate::{
    auth::principal::{OrgScope, Principal},
    csv_import::{ImportOutcome, RowError, Table, all_or_nothing, rejected},
    entities::{competencies, position_requirements, positions, units},
    error::{AppError, AppResult, Code},
};

/// The columns, all required.
pub const COLUMNS: [&str; 4] = ["unit_code", "position", "code", "level"];

/// The template: the header and one example row (a demo unit and position).
pub fn template() -> String {
    crate::csv_import::write(
        &COLUMNS,
        [[
            "DISKOMINFOTIK",
            "Pranata Komputer Ahli Pertama",
            "T.KI",
            "3",
        ]],
    )
}

/// Every requirement of every position, by unit code, position and competency code, with
/// the unit's and the competency's names beside (the import does not read them).
pub async fn export(db: &sea_orm::DatabaseConnection, p: &Principal) -> AppResult<String> {
    p.require_admin()?;
    let rows = position_requirements::Entity::find().all(db).await?;
    let position_ids: Vec<Uuid> = {
        let mut v: Vec<Uuid> = rows.iter().map(|r| r.position_id).collect();
        v.sort();
        v.dedup();
        v
    };
    let mut positions_by_id: HashMap<Uuid, positions::Model> = HashMap::new();
    for chunk in position_ids.chunks(500) {
        for p in positions::Entity::find()
            .filter(positions::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            positions_by_id.insert(p.id, p);
        }
    }
    let units_by_id: HashMap<Uuid, units::Model> = crate::org::units::all(db, &OrgScope::All)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let competencies_by_id: HashMap<Uuid, competencies::Model> = competencies::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut lines: BTreeMap<(String, String, String), [String; 7]> = BTreeMap::new();
    for r in rows {
        let (Some(pos), Some(c)) = (
            positions_by_id.get(&r.position_id),
            competencies_by_id.get(&r.competency_id),
        ) else {
            continue;
        };
        let Some(unit) = units_by_id.get(&pos.unit_id) else {
            continue;
        };
        lines.insert(
            (unit.code.clone(), pos.name.clone(), c.code.clone()),
            [
                unit.code.clone(),
                pos.name.clone(),
                c.code.clone(),
                r.level.to_string(),
                unit.name.clone(),
                c.name.clone(),
                if c.retired_at.is_some() { "ya" } else { "" }.to_owned(),
            ],
        );
    }
    let mut header = COLUMNS.to_vec();
    header.extend(["unit_name", "competency_name", "retired"]);
    Ok(crate::csv_import::write(&header, lines.into_values()))
}

/// Checks and imports a requirements file (admins): each position the file names gets
/// exactly the file's rows for it as its requirements.
pub async fn import(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    bytes: &[u8],
) -> AppResult<ImportOutcome> {
    p.require_admin()?;
    let table = match Table::read(bytes, &COLUMNS) {
        Ok(t) => t,
        Err(errors) => return Ok(ImportOutcome::Rejected(errors)),
    };
    let mut errors = table.errors.clone();
    let units_by_code: HashMap<String, Uuid> = crate::org::units::all(db, &OrgScope::All)
        .await?
        .into_iter()
        .map(|u| (u.code, u.id))
        .collect();
    let mut codes: Vec<String> = table
        .records
        .iter()
        .filter_map(|r| super::model::parse_code(table.get(r, "code")).ok())
        .collect();
    codes.sort();
    codes.dedup();
    let mut known = HashMap::new();
    for chunk in codes.chunks(500) {
        known.extend(dictionary::by_codes(db, chunk).await?);
    }
    let mut positions_by_key: HashMap<(Uuid, String), Uuid> = HashMap::new();
    let wanted_units: Vec<Uuid> = {
        let mut v: Vec<Uuid> = table
            .records
            .iter()
            .filter_map(|r| units_by_code.get(&table.get(r, "unit_code").to_uppercase()))
            .copied()
            .collect();
        v.sort();
        v.dedup();
        v
    };
    for chunk in wanted_units.chunks(500) {
        for p in positions::Entity::find()
            .filter(positions::Column::UnitId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            positions_by_key.insert((p.unit_id, p.name), p.id);
        }
    }

    // Position → its rows, in file order; (position, competency) → first line.
    let mut lists: BTreeMap<Uuid, Vec<CodeLevel>> = BTreeMap::new();
    let mut seen: HashMap<(Uuid, String), usize> = HashMap::new();
    for record in &table.records {
        let line = record.line;
        let unit_code = table.get(record, "unit_code").to_uppercase();
        let position = table.get(record, "position");
        let mut position_id = None;
        match units_by_code.get(&unit_code) {
            None => errors.push(RowError::new(line, Code::CsvUnknownUnit, Some(&unit_code))),
            Some(unit) => match positions_by_key.get(&(*unit, position.to_owned())) {
                None => errors.push(RowError::new(
                    line,
                    Code::CsvUnknownPosition,
                    Some(position),
                )),
                Some(id) => position_id = Some(*id),
            },
        }
        let code = match super::model::parse_code(table.get(record, "code")) {
            Ok(code) if known.get(&code).is_some_and(|c| c.retired_at.is_none()) => Some(code),
            Ok(code) => {
                errors.push(RowError::new(line, Code::UnknownCompetency, Some(&code)));
                None
            }
            Err(e) => {
                errors.push(RowError::new(
                    line,
                    e.code(),
                    Some(table.get(record, "code")),
                ));
                None
            }
        };
        let raw_level = table.get(record, "level");
        let level = raw_level
            .parse::<i64>()
            .map_err(|_| AppError::invalid(Code::InvalidLevel, "level"))
            .and_then(|l| super::model::parse_level(l, "level"));
        if level.is_err() {
            errors.push(RowError::new(line, Code::InvalidLevel, Some(raw_level)));
        }
        if let (Some(position_id), Some(code), Ok(level)) = (position_id, code, level) {
            if let Some(first) = seen.insert((position_id, code.clone()), line) {
                errors.push(RowError::new(
                    line,
                    Code::CsvDuplicateInFile,
                    Some(&format!("{code}, {first}")),
                ));
            }
            lists.entry(position_id).or_default().push(CodeLevel {
                code,
                level: i64::from(level),
            });
        }
    }
    if let Some(outcome) = rejected(errors) {
        return Ok(outcome);
    }
    let count = seen.len();
    all_or_nothing(db, async |txn| {
        for (position_id, pairs) in &lists {
            requirements::replace_position(txn, *position_id, pairs).await?;
        }
        Ok(ImportOutcome::Imported(count))
    })
    .await
}

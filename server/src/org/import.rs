//! Employee CSV import: every row is checked, every problem reported with its row number,
//! and nothing is imported while any row is bad.

use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    employees::{self, EmployeeInput},
    units,
};
use crate::{
    auth::{principal::OrgScope, service::Username},
    entities::{employees as employee_rows, positions, users},
    error::{AppError, AppResult, Code},
};

/// The columns, in the order of the template file; the first four are required.
pub const COLUMNS: [&str; 9] = [
    "nip",
    "name",
    "username",
    "unit_code",
    "position",
    "grade",
    "email",
    "nrk",
    "supervisor_nip",
];

/// The template file offered for download: the header and one example row (a valid NIP,
/// a demo unit code) to overwrite.
pub fn template() -> String {
    format!(
        "{}\r\n199001012019031001,Contoh Pegawai,contoh.pegawai,DISKOMINFOTIK,Pranata Komputer Ahli Pertama,III/a,contoh.pegawai@jakarta.go.id,,\r\n",
        COLUMNS.join(",")
    )
}

pub use crate::csv_import::{ImportOutcome, MAX_ROWS, Problem, RowError};
use crate::csv_import::{Table, all_or_nothing, rejected};

struct Row {
    line: usize,
    input: EmployeeInput,
    supervisor_nip: String,
}

/// Checks and imports `bytes` (UTF-8 CSV with a header row) in one write transaction:
/// all rows or none. The one way for the import page and `mahir import-employees`.
pub async fn import_csv(
    db: &sea_orm::DatabaseConnection,
    today: NaiveDate,
    scope: &OrgScope,
    bytes: &[u8],
) -> AppResult<ImportOutcome> {
    let table = match Table::read(bytes, &COLUMNS[..4]) {
        Ok(t) => t,
        Err(errors) => return Ok(ImportOutcome::Rejected(errors)),
    };
    all_or_nothing(db, async |txn| import_rows(txn, today, scope, &table).await).await
}

/// Checks and imports the rows inside `db`, a transaction: any error after checking rolls
/// everything back.
async fn import_rows(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: &OrgScope,
    table: &Table,
) -> AppResult<ImportOutcome> {
    let msg = Problem::new;
    let mut errors = table.errors.clone();
    let units_in_scope: HashMap<String, (Uuid, String)> = units::all(db, scope)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), (u.id, u.path)))
        .collect();
    let grades: HashSet<String> = employees::grades(db)
        .await?
        .into_iter()
        .map(|g| g.code)
        .collect();
    let unit_ids: Vec<Uuid> = units_in_scope.values().map(|(id, _)| *id).collect();
    let mut positions_by_unit: HashMap<(Uuid, String), Uuid> = HashMap::new();
    for chunk in unit_ids.chunks(500) {
        for p in positions::Entity::find()
            .filter(positions::Column::UnitId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            positions_by_unit.insert((p.unit_id, p.name), p.id);
        }
    }

    let mut rows = Vec::new();
    for record in &table.records {
        let line = record.line;
        let get = |name: &str| table.get(record, name).to_owned();
        let unit_code = get("unit_code").to_uppercase();
        let mut input = EmployeeInput {
            nip: get("nip"),
            name: get("name"),
            username: get("username"),
            grade: get("grade"),
            email: get("email"),
            nrk: get("nrk"),
            ..Default::default()
        };
        let mut row_errors = Vec::new();
        match units_in_scope.get(&unit_code) {
            Some((id, _)) => input.unit_id = Some(*id),
            None => row_errors.push(msg(Code::CsvUnknownUnit, Some(&unit_code))),
        }
        let position = get("position");
        if let (Some(unit_id), false) = (input.unit_id, position.is_empty()) {
            match positions_by_unit.get(&(unit_id, position.clone())) {
                Some(id) => input.position_id = Some(*id),
                None => row_errors.push(msg(Code::CsvUnknownPosition, Some(&position))),
            }
        }
        if !input.grade.is_empty() && !grades.contains(&input.grade) {
            row_errors.push(msg(Code::InvalidGrade, Some(&input.grade)));
        }
        for problem in shape_errors(&input, today) {
            row_errors.push(msg(problem.code(), problem.detail().as_deref()));
        }
        for problem in row_errors {
            errors.push(RowError { line, problem });
        }
        rows.push(Row {
            line,
            input,
            supervisor_nip: get("supervisor_nip").replace(' ', ""),
        });
    }
    // Duplicates inside the file and against the database.
    let mut seen_nip = HashMap::new();
    let mut seen_user = HashMap::new();
    for row in &rows {
        let nip = row.input.nip.replace(' ', "");
        if let Some(first) = seen_nip.insert(nip.clone(), row.line) {
            errors.push(RowError {
                line: row.line,
                problem: msg(
                    Code::CsvDuplicateInFile,
                    Some(&format!("NIP {nip}, {first}")),
                ),
            });
        }
        let user = row.input.username.trim().to_lowercase();
        if let Some(first) = seen_user.insert(user.clone(), row.line) {
            errors.push(RowError {
                line: row.line,
                problem: msg(Code::CsvDuplicateInFile, Some(&format!("{user}, {first}"))),
            });
        }
    }
    // Every NIP the file names, as an employee or as a supervisor, looked up at once.
    let mut nips: Vec<String> = seen_nip.keys().cloned().collect();
    nips.extend(
        rows.iter()
            .map(|r| r.supervisor_nip.clone())
            .filter(|n| !n.is_empty()),
    );
    nips.sort();
    nips.dedup();
    let usernames: Vec<String> = seen_user.keys().cloned().collect();
    // Every NIP is unique across the organisation, so a taken one is refused wherever its
    // owner works (as the API does); a supervisor, though, must be someone this admin may
    // see: one outside their subtree is as unknown as one that does not exist.
    let units_in_reach: HashSet<Uuid> = unit_ids.iter().copied().collect();
    let mut existing_nips: HashMap<String, Uuid> = HashMap::new();
    let mut supervisors_in_scope: HashMap<String, Uuid> = HashMap::new();
    for chunk in nips.chunks(500) {
        for e in employee_rows::Entity::find()
            .filter(employee_rows::Column::Nip.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if units_in_reach.contains(&e.unit_id) {
                supervisors_in_scope.insert(e.nip.clone(), e.id);
            }
            existing_nips.insert(e.nip, e.id);
        }
    }
    let mut existing_users = HashSet::new();
    for chunk in usernames.chunks(500) {
        for u in users::Entity::find()
            .filter(users::Column::Username.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            existing_users.insert(u.username);
        }
    }
    for row in &rows {
        let nip = row.input.nip.replace(' ', "");
        if existing_nips.contains_key(&nip) {
            errors.push(RowError {
                line: row.line,
                problem: msg(Code::NipTaken, Some(&nip)),
            });
        }
        let user = row.input.username.trim().to_lowercase();
        if existing_users.contains(&user) {
            errors.push(RowError {
                line: row.line,
                problem: msg(Code::UsernameTaken, Some(&user)),
            });
        }
        if !row.supervisor_nip.is_empty()
            && !seen_nip.contains_key(&row.supervisor_nip)
            && !supervisors_in_scope.contains_key(&row.supervisor_nip)
        {
            errors.push(RowError {
                line: row.line,
                problem: msg(Code::CsvUnknownSupervisor, Some(&row.supervisor_nip)),
            });
        }
    }
    if let Some(outcome) = rejected(errors) {
        return Ok(outcome);
    }

    // Everything checks out: create, then link supervisors (they may be later rows).
    let mut ids_by_nip = supervisors_in_scope;
    for row in &rows {
        let created = employees::create(db, today, scope, &row.input)
            .await
            .map_err(|e| AppError::Invalid {
                code: Code::CsvRowFailed,
                field: None,
                detail: Some(format!("{}: {}", row.line, e.code())),
            })?;
        ids_by_nip.insert(created.nip.clone(), created.id);
    }
    for row in rows.iter().filter(|r| !r.supervisor_nip.is_empty()) {
        let nip = row.input.nip.replace(' ', "");
        if let (Some(sup), Some(id)) = (ids_by_nip.get(&row.supervisor_nip), ids_by_nip.get(&nip)) {
            employee_rows::Entity::update_many()
                .col_expr(
                    employee_rows::Column::SupervisorId,
                    sea_orm::sea_query::Expr::value(*sup),
                )
                .filter(employee_rows::Column::Id.eq(*id))
                .exec(db)
                .await?;
        }
    }
    Ok(ImportOutcome::Imported(rows.len()))
}

/// The checks that need no database: NIP, name, username, e-mail, NRK.
fn shape_errors(input: &EmployeeInput, today: NaiveDate) -> Vec<AppError> {
    let mut out = Vec::new();
    if let Err(e) = super::model::Nip::parse(&input.nip, today) {
        out.push(with_detail(e, &input.nip));
    }
    if let Err(e) = crate::auth::service::parse_display_name(&input.name, "name") {
        out.push(e);
    }
    if let Err(e) = Username::parse(&input.username) {
        out.push(with_detail(e, &input.username));
    }
    if !input.email.trim().is_empty()
        && let Err(e) = crate::auth::service::Email::parse(&input.email)
    {
        out.push(with_detail(e, &input.email));
    }
    if let Err(e) = super::model::parse_nrk(&input.nrk) {
        out.push(with_detail(e, &input.nrk));
    }
    out
}

fn with_detail(e: AppError, value: &str) -> AppError {
    match e {
        AppError::Invalid { code, field, .. } => AppError::Invalid {
            code,
            field,
            detail: Some(value.chars().take(60).collect()),
        },
        other => other,
    }
}

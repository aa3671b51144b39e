//! The dictionary as a CSV file: one competency per row, its five levels side by side
//! (description, English description, indicators one per line inside the cell). Import
//! adds the codes that are new and changes the ones there; all rows or none.

use std::collections::HashMap;

use super::dictionary::{self, Competency, CompetencyInput, LevelText};
use crate::{
    auth::principal::Principal,
    csv_import::{ImportOutcome, Problem, RowError, Table, all_or_nothing, rejected},
    error::{AppError, AppResult, Code},
};

/// The first columns; `code`, `kind` and `name` are required.
pub const HEAD: [&str; 6] = [
    "code",
    "kind",
    "name",
    "name_en",
    "definition",
    "definition_en",
];

/// The columns of one level: `level_N`, `level_N_en`, `indicators_N`.
fn level_columns(level: i16) -> [String; 3] {
    [
        format!("level_{level}"),
        format!("level_{level}_en"),
        format!("indicators_{level}"),
    ]
}

/// Every column of the file, in order.
pub fn columns() -> Vec<String> {
    let mut out: Vec<String> = HEAD.iter().map(|c| (*c).to_owned()).collect();
    for level in super::model::LEVELS {
        out.extend(level_columns(level));
    }
    out
}

/// The template: the header and one example row to overwrite.
pub fn template() -> String {
    let mut row: Vec<String> = vec![
        "T.CTH".into(),
        "teknis".into(),
        "Contoh Kompetensi Teknis".into(),
        "Example technical competency".into(),
        "Kemampuan yang dibutuhkan untuk …".into(),
        String::new(),
    ];
    for level in super::model::LEVELS {
        row.push(format!("Uraian level {level}"));
        row.push(String::new());
        row.push(format!(
            "Indikator pertama level {level}\nIndikator kedua level {level}"
        ));
    }
    let header = columns();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    crate::csv_import::write(&header, [row])
}

/// The whole dictionary, retired competencies too (marked in a last column `retired`,
/// which the import does not read).
pub fn export(items: &[Competency]) -> String {
    let mut header = columns();
    header.push("retired".into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = items.iter().map(|c| {
        let mut row = vec![
            c.row.code.clone(),
            c.row.kind.as_str().to_owned(),
            c.row.name.clone(),
            c.row.name_en.clone(),
            c.row.definition.clone(),
            c.row.definition_en.clone(),
        ];
        for level in super::model::LEVELS {
            match c.levels.iter().find(|l| l.level == level) {
                Some(l) => row.extend([
                    l.description.clone(),
                    l.description_en.clone(),
                    l.indicators.clone(),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        row.push(if c.row.retired_at.is_some() { "ya" } else { "" }.to_owned());
        row
    });
    crate::csv_import::write(&header, rows)
}

/// The levels of a row; `None` when the file has no level columns at all (a competency's
/// levels then stay as they are).
fn levels_of(table: &Table, record: &crate::csv_import::Record) -> Option<Vec<LevelText>> {
    let any = super::model::LEVELS
        .into_iter()
        .any(|l| level_columns(l).iter().any(|c| table.has(c)));
    if !any {
        return None;
    }
    Some(
        super::model::LEVELS
            .filter_map(|level| {
                let [d, en, ind] = level_columns(level).map(|c| table.get(record, &c).to_owned());
                (!(d.is_empty() && en.is_empty() && ind.is_empty())).then(|| LevelText {
                    level,
                    description: d,
                    description_en: en,
                    indicators: ind.lines().map(str::to_owned).collect(),
                })
            })
            .collect(),
    )
}

/// Checks and imports a dictionary file (admins): new codes are added, known ones changed
/// (kind, names, definitions, and the levels when the file has level columns); a retired
/// competency stays retired.
pub async fn import(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    bytes: &[u8],
) -> AppResult<ImportOutcome> {
    p.require_admin()?;
    let table = match Table::read(bytes, &HEAD[..3]) {
        Ok(t) => t,
        Err(errors) => return Ok(ImportOutcome::Rejected(errors)),
    };
    let mut errors = table.errors.clone();
    let mut rows: Vec<(usize, CompetencyInput, Option<Vec<LevelText>>)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in &table.records {
        let get = |c: &str| table.get(record, c).to_owned();
        let levels = levels_of(&table, record);
        let input = CompetencyInput {
            code: get("code"),
            kind: get("kind").to_lowercase(),
            name: get("name"),
            name_en: get("name_en"),
            definition: get("definition"),
            definition_en: get("definition_en"),
            levels: levels.clone().unwrap_or_default(),
        };
        match dictionary::validate(&input) {
            Ok(code) => {
                if let Some(first) = seen.insert(code.clone(), record.line) {
                    errors.push(RowError::new(
                        record.line,
                        Code::CsvDuplicateInFile,
                        Some(&format!("{code}, {first}")),
                    ));
                }
            }
            Err(AppError::Fields(all)) => errors.extend(all.iter().map(|e| RowError {
                line: record.line,
                problem: Problem::of(e),
            })),
            Err(e) => errors.push(RowError {
                line: record.line,
                problem: Problem::of(&e),
            }),
        }
        rows.push((record.line, input, levels));
    }
    if let Some(outcome) = rejected(errors) {
        return Ok(outcome);
    }
    all_or_nothing(db, async |txn| {
        let codes: Vec<String> = seen.keys().cloned().collect();
        let mut known = HashMap::new();
        for chunk in codes.chunks(500) {
            known.extend(dictionary::by_codes(txn, chunk).await?);
        }
        for (line, mut input, levels) in rows {
            input.code = super::model::parse_code(&input.code)?;
            let saved = match known.get(&input.code) {
                Some(existing) => {
                    if levels.is_none() {
                        input.levels = dictionary::get(txn, existing.id).await?.level_texts();
                    }
                    dictionary::update(txn, existing.id, &input).await
                }
                None => dictionary::create(txn, &input).await,
            };
            saved.map_err(|e| AppError::Invalid {
                code: Code::CsvRowFailed,
                field: None,
                detail: Some(format!("{line}: {}", e.code())),
            })?;
        }
        Ok(ImportOutcome::Imported(seen.len()))
    })
    .await
}

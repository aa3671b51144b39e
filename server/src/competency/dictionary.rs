//! The competency dictionary: competencies of three kinds, each with levels 1–5 (a
//! description and behaviour indicators). Admins add, change and retire them; a retired
//! competency keeps its evidence and is offered for nothing new. Nothing is deleted.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{Kind, parse_code, parse_level};
use crate::{
    auth::{principal::Principal, service::duplicate_as},
    entities::{competencies, competency_levels},
    error::{AppError, AppResult, Code, Problems},
    text::{refuse_nul, single_line},
    time::stamp,
};

/// One level of a competency as an admin writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LevelText {
    /// 1–5.
    pub level: i16,
    /// What the level means, in Indonesian.
    #[serde(default)]
    pub description: String,
    /// The same in English (optional).
    #[serde(default)]
    pub description_en: String,
    /// Behaviour indicators, one per item.
    #[serde(default)]
    pub indicators: Vec<String>,
}

/// A competency as an admin writes it (the API body, the form, a CSV row).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CompetencyInput {
    /// e.g. `T.KI`; fixed once created (question tags and files name it).
    pub code: String,
    /// `manajerial`, `sosial_kultural` or `teknis`.
    pub kind: String,
    /// Its name in Indonesian.
    pub name: String,
    /// Its name in English (optional).
    #[serde(default)]
    pub name_en: String,
    /// What it is, in Indonesian.
    #[serde(default)]
    pub definition: String,
    /// The same in English.
    #[serde(default)]
    pub definition_en: String,
    /// Levels 1–5 that are described (any subset, each once).
    #[serde(default)]
    pub levels: Vec<LevelText>,
}

/// A competency with its described levels.
#[derive(Debug, Clone)]
pub struct Competency {
    /// The row.
    pub row: competencies::Model,
    /// Its described levels, 1 to 5.
    pub levels: Vec<competency_levels::Model>,
}

impl Competency {
    /// Its levels as an admin writes them.
    pub fn level_texts(&self) -> Vec<LevelText> {
        self.levels
            .iter()
            .map(|l| LevelText {
                level: l.level,
                description: l.description.clone(),
                description_en: l.description_en.clone(),
                indicators: l
                    .indicators
                    .lines()
                    .filter(|i| !i.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }
}

/// A checked [`CompetencyInput`].
struct Checked {
    code: String,
    kind: Kind,
    name: String,
    name_en: String,
    definition: String,
    definition_en: String,
    levels: Vec<LevelText>,
}

const MAX_DEFINITION: usize = 4000;

fn long_text(raw: &str, field: &'static str) -> AppResult<String> {
    refuse_nul(raw, field)?;
    let s = raw.trim();
    if s.chars().count() > MAX_DEFINITION {
        return Err(AppError::invalid(Code::TextTooLong, field));
    }
    Ok(s.to_owned())
}

fn optional_name(raw: &str, field: &'static str) -> AppResult<String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        single_line(raw, 200, Code::InvalidName, field)
    }
}

/// Checks every field of `input` at once (the CSV import checks each row before saving
/// any); returns the code as it will be stored.
pub fn validate(input: &CompetencyInput) -> AppResult<String> {
    check(input).map(|c| c.code)
}

/// Checks every field at once.
fn check(input: &CompetencyInput) -> AppResult<Checked> {
    let mut problems = Problems::default();
    let code = problems.take(parse_code(&input.code));
    let kind = problems.take(
        Kind::parse(input.kind.trim())
            .ok_or_else(|| AppError::invalid(Code::InvalidCompetencyKind, "kind")),
    );
    let name = problems.take(single_line(&input.name, 200, Code::InvalidName, "name"));
    let name_en = problems.take(optional_name(&input.name_en, "name_en"));
    let definition = problems.take(long_text(&input.definition, "definition"));
    let definition_en = problems.take(long_text(&input.definition_en, "definition_en"));
    let mut levels: Vec<LevelText> = Vec::new();
    for l in &input.levels {
        let checked = parse_level(i64::from(l.level), "levels").and_then(|level| {
            if levels.iter().any(|x| x.level == level) {
                return Err(AppError::invalid(Code::InvalidLevel, "levels"));
            }
            let indicators = l
                .indicators
                .iter()
                .filter(|i| !i.trim().is_empty())
                .map(|i| single_line(i, 500, Code::TextTooLong, "levels"))
                .collect::<AppResult<Vec<_>>>();
            Ok(LevelText {
                level,
                description: long_text(&l.description, "levels")?,
                description_en: long_text(&l.description_en, "levels")?,
                indicators: indicators?,
            })
        });
        if let Some(l) = problems.take(checked) {
            levels.push(l);
        }
    }
    problems.check()?;
    levels.sort_by_key(|l| l.level);
    match (code, kind, name, name_en, definition, definition_en) {
        (
            Some(code),
            Some(kind),
            Some(name),
            Some(name_en),
            Some(definition),
            Some(definition_en),
        ) => Ok(Checked {
            code,
            kind,
            name,
            name_en,
            definition,
            definition_en,
            levels,
        }),
        _ => Err(AppError::invalid(Code::InvalidBody, "code")),
    }
}

async fn write_levels(
    db: &impl ConnectionTrait,
    competency_id: Uuid,
    levels: &[LevelText],
) -> AppResult<()> {
    competency_levels::Entity::delete_many()
        .filter(competency_levels::Column::CompetencyId.eq(competency_id))
        .exec(db)
        .await?;
    if levels.is_empty() {
        return Ok(());
    }
    competency_levels::Entity::insert_many(levels.iter().map(|l| competency_levels::ActiveModel {
        competency_id: Set(competency_id),
        level: Set(l.level),
        description: Set(l.description.clone()),
        description_en: Set(l.description_en.clone()),
        indicators: Set(l.indicators.join("\n")),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Creates a competency inside the caller's transaction (no permission check: the demo
/// and the CSV import call it); 409 `competency_code_taken` for a code in use.
pub async fn create(db: &impl ConnectionTrait, input: &CompetencyInput) -> AppResult<Competency> {
    let c = check(input)?;
    let at = stamp();
    let row = competencies::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(c.code),
        kind: Set(c.kind),
        name: Set(c.name),
        name_en: Set(c.name_en),
        definition: Set(c.definition),
        definition_en: Set(c.definition_en),
        retired_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map_err(|e| duplicate_as(e, Code::CompetencyCodeTaken))?;
    write_levels(db, row.id, &c.levels).await?;
    get(db, row.id).await
}

/// Changes a competency's kind, names, definition and levels inside the caller's
/// transaction; its code stays (422 `competency_code_fixed` when another is sent).
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    input: &CompetencyInput,
) -> AppResult<Competency> {
    let existing = get(db, id).await?;
    let mut input = input.clone();
    if input.code.trim().is_empty() {
        input.code.clone_from(&existing.row.code);
    }
    let c = check(&input)?;
    if c.code != existing.row.code {
        return Err(AppError::invalid(Code::CompetencyCodeFixed, "code"));
    }
    let mut am: competencies::ActiveModel = existing.row.into();
    am.kind = Set(c.kind);
    am.name = Set(c.name);
    am.name_en = Set(c.name_en);
    am.definition = Set(c.definition);
    am.definition_en = Set(c.definition_en);
    am.updated_at = Set(stamp());
    am.update(db).await?;
    write_levels(db, id, &c.levels).await?;
    get(db, id).await
}

/// Adds a competency (admins).
pub async fn add_competency(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    input: &CompetencyInput,
) -> AppResult<Competency> {
    p.require_admin()?;
    check(input)?;
    crate::db::in_write(db, async |txn| create(txn, input).await).await
}

/// Changes a competency (admins).
pub async fn change_competency(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    id: Uuid,
    input: &CompetencyInput,
) -> AppResult<Competency> {
    p.require_admin()?;
    crate::db::in_write(db, async |txn| update(txn, id, input).await).await
}

/// Retires a competency, or brings a retired one back (admins). A retired competency
/// keeps its evidence, requirements and awards; it can no longer be newly required,
/// awarded, assessed or tagged.
pub async fn set_retired(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    now: chrono::DateTime<chrono::Utc>,
    id: Uuid,
    retired: bool,
) -> AppResult<Competency> {
    let patch = CompetencyPatch {
        retired: Some(retired),
        ..Default::default()
    };
    patch_competency(db, p, now, id, &patch).await
}

/// Some fields of a competency (the API's `PATCH`): those sent change, the rest stay.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CompetencyPatch {
    /// `manajerial`, `sosial_kultural` or `teknis`.
    pub kind: Option<String>,
    /// Its name in Indonesian.
    pub name: Option<String>,
    /// Its name in English.
    pub name_en: Option<String>,
    /// What it is, in Indonesian.
    pub definition: Option<String>,
    /// The same in English.
    pub definition_en: Option<String>,
    /// Levels 1–5 that are described: the list replaces the one before.
    pub levels: Option<Vec<LevelText>>,
    /// Retire it (`true`) or bring it back (`false`).
    pub retired: Option<bool>,
}

/// Changes the fields of a competency that `patch` sends, and retires or restores it
/// (admins), in one transaction.
pub async fn patch_competency(
    db: &sea_orm::DatabaseConnection,
    p: &Principal,
    now: chrono::DateTime<chrono::Utc>,
    id: Uuid,
    patch: &CompetencyPatch,
) -> AppResult<Competency> {
    p.require_admin()?;
    crate::db::in_write(db, async |txn| {
        let existing = get(txn, id).await?;
        let edits = patch.kind.is_some()
            || patch.name.is_some()
            || patch.name_en.is_some()
            || patch.definition.is_some()
            || patch.definition_en.is_some()
            || patch.levels.is_some();
        if edits {
            let row = &existing.row;
            let pick = |v: &Option<String>, current: &str| v.clone().unwrap_or(current.to_owned());
            let input = CompetencyInput {
                code: row.code.clone(),
                kind: pick(&patch.kind, row.kind.as_str()),
                name: pick(&patch.name, &row.name),
                name_en: pick(&patch.name_en, &row.name_en),
                definition: pick(&patch.definition, &row.definition),
                definition_en: pick(&patch.definition_en, &row.definition_en),
                levels: patch
                    .levels
                    .clone()
                    .unwrap_or_else(|| existing.level_texts()),
            };
            update(txn, id, &input).await?;
        }
        if let Some(retired) = patch.retired
            && retired != existing.row.retired_at.is_some()
        {
            let mut am: competencies::ActiveModel = get(txn, id).await?.row.into();
            am.retired_at = Set(retired.then_some(now));
            am.updated_at = Set(stamp());
            am.update(txn).await?;
        }
        get(txn, id).await
    })
    .await
}

/// One competency with its levels; 404 when there is none.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Competency> {
    let row = competencies::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let levels = competency_levels::Entity::find()
        .filter(competency_levels::Column::CompetencyId.eq(id))
        .order_by_asc(competency_levels::Column::Level)
        .all(db)
        .await?;
    Ok(Competency { row, levels })
}

/// The whole dictionary in code order, with levels; retired ones only when asked for.
pub async fn list(db: &impl ConnectionTrait, with_retired: bool) -> AppResult<Vec<Competency>> {
    let mut q = competencies::Entity::find().order_by_asc(competencies::Column::Code);
    if !with_retired {
        q = q.filter(competencies::Column::RetiredAt.is_null());
    }
    let rows = q.all(db).await?;
    let mut levels: HashMap<Uuid, Vec<competency_levels::Model>> = HashMap::new();
    for l in competency_levels::Entity::find()
        .order_by_asc(competency_levels::Column::Level)
        .all(db)
        .await?
    {
        levels.entry(l.competency_id).or_default().push(l);
    }
    Ok(rows
        .into_iter()
        .map(|row| Competency {
            levels: levels.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// Every competency of the dictionary, retired ones too, by id: the short form (one
/// light query; profiles name their competencies with it).
pub async fn refs(
    db: &impl ConnectionTrait,
) -> AppResult<HashMap<Uuid, super::model::CompetencyRef>> {
    use sea_orm::QuerySelect;
    let rows: Vec<(Uuid, String, Kind, String, String)> = competencies::Entity::find()
        .select_only()
        .columns([
            competencies::Column::Id,
            competencies::Column::Code,
            competencies::Column::Kind,
            competencies::Column::Name,
            competencies::Column::NameEn,
        ])
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, code, kind, name, name_en)| {
            (
                id,
                super::model::CompetencyRef {
                    id,
                    code,
                    kind,
                    name,
                    name_en,
                },
            )
        })
        .collect())
}

/// The competencies with these codes, by code (codes not in the dictionary are absent).
pub async fn by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> AppResult<HashMap<String, competencies::Model>> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(competencies::Entity::find()
        .filter(competencies::Column::Code.is_in(codes.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code.clone(), c))
        .collect())
}

/// Checks a list of `{code, level}` pairs (requirements, awards) against the dictionary:
/// each code known and in use, each level 1–5, each code once. Returns (competency,
/// level) pairs; 422 `unknown_competency` naming the first unknown or retired code.
pub async fn resolve_levels(
    db: &impl ConnectionTrait,
    pairs: &[CodeLevel],
) -> AppResult<Vec<(competencies::Model, i16)>> {
    const MAX: usize = 200;
    if pairs.len() > MAX {
        return Err(AppError::invalid(Code::InvalidBody, "code"));
    }
    let codes: Vec<String> = pairs
        .iter()
        .map(|p| parse_code(&p.code))
        .collect::<AppResult<_>>()?;
    let known = by_codes(db, &codes).await?;
    let mut out: Vec<(competencies::Model, i16)> = Vec::with_capacity(pairs.len());
    for (code, pair) in codes.iter().zip(pairs) {
        let level = parse_level(pair.level, "level")?;
        let Some(c) = known.get(code).filter(|c| c.retired_at.is_none()) else {
            return Err(AppError::Invalid {
                code: Code::UnknownCompetency,
                field: Some("code"),
                detail: Some(code.clone()),
            });
        };
        if out.iter().any(|(x, _)| x.id == c.id) {
            return Err(AppError::Invalid {
                code: Code::DuplicateCompetency,
                field: Some("code"),
                detail: Some(code.clone()),
            });
        }
        out.push((c.clone(), level));
    }
    Ok(out)
}

/// A competency named by code with a level: the shape of requirements and awards.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CodeLevel {
    /// The competency's code.
    pub code: String,
    /// 1–5.
    pub level: i64,
}

/// Adds the standard competencies (M.01–M.08, SK.01) that the dictionary lacks; an
/// admin's edits to them stay. Run on every start (replicas starting together may race:
/// the one that loses finds them there).
pub async fn seed_standard(db: &sea_orm::DatabaseConnection) -> AppResult<()> {
    let codes: Vec<String> = super::standard::STANDARD
        .iter()
        .map(|s| s.code.to_owned())
        .collect();
    let present = by_codes(db, &codes).await?;
    for s in super::standard::STANDARD
        .iter()
        .filter(|s| !present.contains_key(s.code))
    {
        let input = CompetencyInput {
            code: s.code.to_owned(),
            kind: s.kind.to_owned(),
            name: s.name.to_owned(),
            name_en: s.name_en.to_owned(),
            definition: s.definition.to_owned(),
            definition_en: s.definition_en.to_owned(),
            levels: (1i16..)
                .zip(s.levels.iter())
                .map(
                    |(level, (description, description_en, indicators))| LevelText {
                        level,
                        description: (*description).to_owned(),
                        description_en: (*description_en).to_owned(),
                        indicators: indicators.iter().map(|i| (*i).to_owned()).collect(),
                    },
                )
                .collect(),
        };
        match crate::db::in_write(db, async |txn| create(txn, &input).await).await {
            Ok(_) => {}
            Err(e) if e.code() == Code::CompetencyCodeTaken => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

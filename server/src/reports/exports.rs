//! Exports of a unit's report as CSV or XLSX: asked for by admins and unit admins (within
//! their subtree), written by an `export` job row by row into a temporary file (constant
//! memory, see [`super::sheet`]), kept in the material store, downloadable by whoever
//! asked (and admins) for a day.

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, Statement, StreamTrait, Value as DbValue,
};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    employees::{FROM, subtree},
    facts::{self, band},
    sheet::{Cell, FileFormat, Sheet},
    snapshot::{self, CURRENT},
    summary,
};
use crate::{
    auth::principal::Principal,
    entities::{jobs, report_runs},
    error::{AppError, AppResult, Code},
    jobs::{
        handlers::Progress,
        model::JobKind,
        queue::{self, NewJob},
    },
    state::AppState,
    vocab::str_enum,
};

str_enum! {
    /// What an export holds.
    ExportKind {
        /// Every employee with JP, assigned, completed and overdue courses.
        Employees => "employees",
        /// Every employee's JP against the target and its band.
        JpCompliance => "jp_compliance",
        /// The year's completion records.
        Completions => "completions",
        /// Competency requirements met, by unit.
        Gaps => "gaps",
        /// Overdue assignments, one row each.
        Overdue => "overdue",
    }
}

/// How long an export's download link lasts.
pub const KEEP: chrono::Duration = chrono::Duration::hours(24);

/// An export asked for.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ExportRequest {
    /// `employees`, `jp_compliance`, `completions`, `gaps` or `overdue`.
    pub kind: String,
    /// The unit (with everything below it); the nil id for the whole organisation.
    pub unit_id: Uuid,
    /// `csv` or `xlsx`.
    pub format: String,
}

/// Enqueues an export of a unit in the caller's scope (404 outside it); the job's id.
pub async fn request(
    db: &DatabaseConnection,
    p: &Principal,
    now: DateTime<Utc>,
    input: &ExportRequest,
) -> AppResult<Uuid> {
    let kind = ExportKind::parse(input.kind.trim())
        .ok_or_else(|| AppError::invalid(Code::InvalidExportKind, "kind"))?;
    let format = FileFormat::parse(input.format.trim())
        .ok_or_else(|| AppError::invalid(Code::InvalidExportFormat, "format"))?;
    let unit = summary::unit_in_scope(db, p, input.unit_id).await?;
    let job = NewJob::new(
        JobKind::Export,
        json!({ "kind": kind, "unit_id": unit.id, "format": format }),
        now,
    )
    .by(p.user.id);
    crate::db::in_write(db, async |txn| queue::enqueue(txn, job).await)
        .await?
        .ok_or(AppError::NotFound)
}

/// The `export` job: writes the file and keeps it in the material store.
pub async fn run(
    state: &AppState,
    job: &jobs::Model,
    payload: &Value,
    progress: &Progress,
) -> anyhow::Result<Value> {
    let db = state.db();
    let kind = payload["kind"]
        .as_str()
        .and_then(ExportKind::parse)
        .ok_or_else(|| anyhow::anyhow!("payload has no export kind"))?;
    let format = payload["format"]
        .as_str()
        .and_then(FileFormat::parse)
        .ok_or_else(|| anyhow::anyhow!("payload has no format"))?;
    let unit_id: Uuid = serde_json::from_value(payload["unit_id"].clone())?;
    // Whoever asked must still be allowed to see the unit.
    let who = job
        .created_by
        .ok_or_else(|| anyhow::anyhow!("an export without its requester"))?;
    let p = Principal::load(db, who)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the requester's account is gone or disabled"))?;
    let unit = summary::unit_in_scope(db, &p, unit_id).await?;
    let now = state.clock().now();
    let target = state.config().learning.jp_target;
    let year = crate::time::year_wib(now);
    let fresh = report_runs::Entity::find_by_id(CURRENT.to_owned())
        .one(db)
        .await?
        .is_some_and(|r| {
            r.year == year
                && now.signed_duration_since(r.computed_at) < chrono::Duration::minutes(2)
        });
    if !fresh
        && matches!(
            kind,
            ExportKind::Employees | ExportKind::JpCompliance | ExportKind::Gaps
        )
    {
        snapshot::refresh(db, now, target).await?;
    }
    let t = crate::web::i18n::Tr {
        lang: crate::web::i18n::Lang::parse(&p.user.language).unwrap_or_default(),
    };
    let header: Vec<String> = columns(kind)
        .iter()
        .map(|c| t.get(&format!("export.{c}")).to_owned())
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut sheet = Sheet::create(format, kind.as_str(), &header)?;
    let pattern = subtree(&unit);
    match kind {
        ExportKind::Employees | ExportKind::JpCompliance => {
            let total = count(
                db,
                &format!("SELECT COUNT(*){FROM}"),
                vec![pattern.clone().into()],
            )
            .await?;
            let sql = format!(
                "SELECT e.nip, u.display_name, n.name, p.name, r.jp, r.assigned, r.completed, r.overdue{FROM} \
                 ORDER BY n.name, u.display_name, r.user_id"
            );
            let mut rows = db
                .stream_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    sql,
                    [pattern.into()],
                ))
                .await?;
            while let Some(row) = rows.next().await {
                let row = row?;
                let jp: i64 = row.try_get_by_index(4)?;
                let text = |i: usize| -> anyhow::Result<Cell> {
                    Ok(Cell::Text(
                        row.try_get_by_index::<Option<String>>(i)?
                            .unwrap_or_default(),
                    ))
                };
                let mut cells = vec![text(0)?, text(1)?, text(2)?, text(3)?, Cell::from(jp)];
                if kind == ExportKind::Employees {
                    cells.push(Cell::from(i64::from(row.try_get_by_index::<i32>(5)?)));
                    cells.push(Cell::from(i64::from(row.try_get_by_index::<i32>(6)?)));
                    cells.push(Cell::from(i64::from(row.try_get_by_index::<i32>(7)?)));
                } else {
                    cells.push(Cell::from(i64::from(target)));
                    cells.push(Cell::from((i64::from(target) - jp).max(0)));
                    let names = ["none", "below_half", "below_target", "at_target"];
                    cells.push(Cell::Text(t.of("jp_band", names[band(jp, target)])));
                }
                sheet.row(&cells)?;
                if sheet.rows() % 1000 == 0 {
                    progress.set(sheet.rows(), total);
                }
            }
        }
        ExportKind::Completions => {
            let from_where = " FROM completion_records c JOIN employees e ON e.user_id = c.user_id \
                 JOIN users u ON u.id = c.user_id JOIN units n ON n.id = e.unit_id \
                 WHERE c.year = $1 AND n.path LIKE $2";
            let values: Vec<DbValue> = vec![year.into(), pattern.into()];
            let total = count(db, &format!("SELECT COUNT(*){from_where}"), values.clone()).await?;
            let sql = format!(
                "SELECT e.nip, u.display_name, n.name, c.title, c.category, c.jp, c.completed_at, c.source{from_where} \
                 ORDER BY c.completed_at, c.id"
            );
            let mut rows = db
                .stream_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    sql,
                    values,
                ))
                .await?;
            while let Some(row) = rows.next().await {
                let row = row?;
                let text = |i: usize| -> anyhow::Result<String> {
                    Ok(row
                        .try_get_by_index::<Option<String>>(i)?
                        .unwrap_or_default())
                };
                let at: DateTime<Utc> = row.try_get_by_index(6)?;
                sheet.row(&[
                    Cell::Text(text(0)?),
                    Cell::Text(text(1)?),
                    Cell::Text(text(2)?),
                    Cell::Text(text(3)?),
                    Cell::Text(t.of("category", text(4)?)),
                    Cell::from(i64::from(row.try_get_by_index::<i32>(5)?)),
                    Cell::Text(crate::time::format_wib(at)),
                    Cell::Text(t.of("record_source", text(7)?)),
                ])?;
                if sheet.rows() % 1000 == 0 {
                    progress.set(sheet.rows(), total);
                }
            }
        }
        ExportKind::Gaps => {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    "SELECT n.name, k.code, k.name, g.required, g.met FROM report_gaps g \
                     JOIN units n ON n.id = g.unit_id JOIN competencies k ON k.id = g.competency_id \
                     WHERE n.path LIKE $1 ORDER BY n.path, k.code",
                    [pattern.into()],
                ))
                .await?;
            for row in rows {
                let required: i64 = row.try_get_by_index(3)?;
                let met: i64 = row.try_get_by_index(4)?;
                sheet.row(&[
                    Cell::Text(row.try_get_by_index(0)?),
                    Cell::Text(row.try_get_by_index(1)?),
                    Cell::Text(row.try_get_by_index(2)?),
                    Cell::from(required),
                    Cell::from(met),
                    Cell::Number(if required > 0 {
                        (met * 1000 / required) as f64 / 10.0
                    } else {
                        0.0
                    }),
                ])?;
            }
        }
        ExportKind::Overdue => {
            let today = crate::time::date_wib(now);
            let root = (unit.id != facts::ORGANISATION).then_some(unit.path.as_str());
            let f = facts::compute(db, root, year, today, target, true).await?;
            let total = f.overdue.len() as u64;
            let mut overdue = f.overdue;
            overdue.sort();
            let who = people(db, overdue.iter().map(|o| o.0)).await?;
            let titles = course_titles(db, overdue.iter().map(|o| o.1)).await?;
            for (user, course, due) in overdue {
                let (nip, name, unit_name) = who.get(&user).cloned().unwrap_or_default();
                sheet.row(&[
                    Cell::Text(nip),
                    Cell::Text(name),
                    Cell::Text(unit_name),
                    Cell::Text(titles.get(&course).cloned().unwrap_or_default()),
                    Cell::Text(due.format("%d-%m-%Y").to_string()),
                ])?;
                if sheet.rows() % 1000 == 0 {
                    progress.set(sheet.rows(), total);
                }
            }
        }
    }
    let rows = sheet.rows();
    let (path, dir) = tokio::task::spawn_blocking(move || sheet.finish()).await??;
    let name = format!(
        "{}-{}-{}.{}",
        t.get(&format!("export_file.{kind}")),
        if unit.code.is_empty() {
            "semua"
        } else {
            unit.code.as_str()
        },
        crate::time::date_wib(now).format("%Y%m%d"),
        format
    );
    let file = tokio::fs::File::open(&path).await?;
    let stored = state
        .materials()
        .put(tokio_util::io::ReaderStream::new(file), &name)
        .await
        .map_err(|e| anyhow::anyhow!("storing the export: {e}"))?;
    drop(dir);
    Ok(json!({
        "file": stored.key,
        "name": name,
        "content_type": stored.content_type,
        "size": stored.size,
        "rows": rows,
        "expires_at": now + KEEP,
    }))
}

/// The columns of each kind (their headings are `export.<column>` in the reader's
/// language).
pub fn columns(kind: ExportKind) -> &'static [&'static str] {
    match kind {
        ExportKind::Employees => &[
            "nip",
            "name",
            "unit",
            "position",
            "jp",
            "assigned",
            "completed",
            "overdue",
        ],
        ExportKind::JpCompliance => &[
            "nip", "name", "unit", "position", "jp", "target", "missing", "band",
        ],
        ExportKind::Completions => &[
            "nip",
            "name",
            "unit",
            "title",
            "category",
            "jp",
            "completed_at",
            "source",
        ],
        ExportKind::Gaps => &["unit", "code", "competency", "required", "met", "share"],
        ExportKind::Overdue => &["nip", "name", "unit", "course", "due_on"],
    }
}

async fn count(db: &impl ConnectionTrait, sql: &str, values: Vec<DbValue>) -> AppResult<u64> {
    let n: i64 = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// (NIP, name, unit name) of users.
async fn people(
    db: &impl ConnectionTrait,
    users: impl Iterator<Item = Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, (String, String, String)>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

    use crate::entities::{employees, units, users as u};
    let mut ids: Vec<Uuid> = users.collect();
    ids.sort();
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Uuid, String, String, String)> = employees::Entity::find()
            .select_only()
            .column(employees::Column::UserId)
            .column(employees::Column::Nip)
            .column(u::Column::DisplayName)
            .column(units::Column::Name)
            .inner_join(u::Entity)
            .inner_join(units::Entity)
            .filter(employees::Column::UserId.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(
            rows.into_iter()
                .map(|(id, nip, name, unit)| (id, (nip, name, unit))),
        );
    }
    Ok(out)
}

async fn course_titles(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(crate::entities::courses::Entity::find()
        .filter(crate::entities::courses::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect())
}

/// An export job's file while its link lasts: (store key, file name, content type).
pub fn file_of(job: &jobs::Model, now: DateTime<Utc>) -> Option<(String, String, String)> {
    let r: Value = serde_json::from_str(job.result.as_deref()?).ok()?;
    let expires: DateTime<Utc> = serde_json::from_value(r.get("expires_at")?.clone()).ok()?;
    if expires <= now {
        return None;
    }
    Some((
        r.get("file")?.as_str()?.to_owned(),
        r.get("name")?.as_str()?.to_owned(),
        r.get("content_type")?.as_str()?.to_owned(),
    ))
}

/// The file of export job `id` for the caller (its owner or an admin) while its link
/// lasts; 404 otherwise. The one download for the API and the page.
pub async fn download(
    state: &AppState,
    p: &Principal,
    id: Uuid,
) -> AppResult<axum::response::Response> {
    let job = queue::visible(state.db(), p, id).await?;
    let (key, name, content_type) = file_of(&job, state.clock().now()).ok_or(AppError::NotFound)?;
    crate::web::download::stored_file(state, &key, &name, &content_type).await
}

/// Removes the files of exports whose links expired (maintenance); how many.
pub async fn remove_expired(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let done = jobs::Entity::find()
        .filter(jobs::Column::Kind.eq(JobKind::Export.as_str()))
        .filter(jobs::Column::Status.eq(crate::jobs::model::JobStatus::Done))
        .filter(jobs::Column::FinishedAt.lt(now - KEEP))
        .filter(jobs::Column::Result.like("%\"file\"%"))
        .all(state.db())
        .await?;
    let mut removed = 0;
    for job in done {
        let Some(r) = job
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str::<Value>(r).ok())
        else {
            continue;
        };
        if let Some(key) = r.get("file").and_then(Value::as_str) {
            if let Err(e) = state.materials().delete(key).await {
                tracing::warn!(job_id = %job.id, error = %e, "removing an expired export failed");
                continue;
            }
            let mut kept = r.clone();
            if let Some(o) = kept.as_object_mut() {
                o.remove("file");
                o.insert("expired".into(), Value::Bool(true));
            }
            let update = jobs::Entity::update_many()
                .col_expr(
                    jobs::Column::Result,
                    sea_orm::sea_query::Expr::value(kept.to_string()),
                )
                .filter(jobs::Column::Id.eq(job.id));
            crate::db::in_write(state.db(), async |txn| {
                Ok::<_, AppError>(update.exec(txn).await?)
            })
            .await?;
            removed += 1;
        }
    }
    Ok(removed)
}

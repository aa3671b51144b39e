//! Training done elsewhere: an employee records it (title, organiser, dates, JP, category,
//! certificate number); a unit admin over them, or an admin, verifies or rejects it with a
//! reason. Only a verified one counts: verifying makes its completion record (source
//! `external`), in the same transaction as the decision. Every decision is kept.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::notify::notices::{Notice, NoticeKind};

use super::{model::ExternalStatus, model::Source, scope};
use crate::{
    auth::principal::Principal,
    courses::model::Category,
    entities::{
        completion_records, employees, external_training_decisions, external_trainings, units,
    },
    error::{AppError, AppResult, Code, Problems},
    text::single_line,
    time::{stamp, wib},
};

/// Training done elsewhere as the employee writes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ExternalInput {
    /// What the training was called.
    pub title: String,
    /// Who organised it.
    pub organiser: String,
    /// First day (YYYY-MM-DD).
    pub start_on: Option<NaiveDate>,
    /// Last day, not after today.
    pub end_on: Option<NaiveDate>,
    /// JP, 1–500.
    pub jp: i64,
    /// `kepemimpinan`, `fungsional`, `teknis` or `lainnya`.
    pub category: String,
    /// The certificate's number (optional).
    #[serde(default)]
    pub certificate_number: String,
}

struct Checked {
    title: String,
    organiser: String,
    start_on: NaiveDate,
    end_on: NaiveDate,
    jp: i32,
    category: Category,
    certificate_number: String,
}

fn check(input: &ExternalInput, today: NaiveDate) -> AppResult<Checked> {
    let mut problems = Problems::default();
    let title = problems.take(single_line(&input.title, 300, Code::InvalidTitle, "title"));
    let organiser = problems.take(single_line(
        &input.organiser,
        200,
        Code::InvalidName,
        "organiser",
    ));
    let date = |d: Option<NaiveDate>, field: &'static str| {
        let d = d.ok_or(AppError::invalid(Code::InvalidDate, field))?;
        crate::time::check_date(d, field)?;
        if d > today {
            return Err(AppError::invalid(Code::InvalidDate, field));
        }
        Ok(d)
    };
    let start_on = problems.take(date(input.start_on, "start_on"));
    let end_on = problems.take(date(input.end_on, "end_on"));
    let jp = problems.take(
        i32::try_from(input.jp)
            .ok()
            .filter(|j| (1..=500).contains(j))
            .ok_or(AppError::invalid(Code::InvalidJp, "jp")),
    );
    let category = problems.take(
        Category::parse(input.category.trim())
            .ok_or(AppError::invalid(Code::InvalidCategory, "category")),
    );
    let certificate_number = problems.take(match input.certificate_number.trim() {
        "" => Ok(String::new()),
        n => single_line(n, 100, Code::InvalidCertificateNumber, "certificate_number"),
    });
    if let (Some(s), Some(e)) = (start_on, end_on)
        && e < s
    {
        problems.take::<()>(Err(AppError::invalid(Code::ScheduleOrder, "end_on")));
    }
    problems.check()?;
    match (
        title,
        organiser,
        start_on,
        end_on,
        jp,
        category,
        certificate_number,
    ) {
        (
            Some(title),
            Some(organiser),
            Some(start_on),
            Some(end_on),
            Some(jp),
            Some(category),
            Some(certificate_number),
        ) => Ok(Checked {
            title,
            organiser,
            start_on,
            end_on,
            jp,
            category,
            certificate_number,
        }),
        _ => Err(AppError::invalid(Code::InvalidBody, "title")),
    }
}

/// Records training done elsewhere for the caller (an employee), pending verification.
pub async fn submit(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    input: &ExternalInput,
) -> AppResult<external_trainings::Model> {
    scope::own(db, p).await?;
    let c = check(input, today)?;
    let at = stamp();
    crate::db::in_write(db, async |txn| {
        Ok::<_, AppError>(
            external_trainings::ActiveModel {
                id: Set(Uuid::now_v7()),
                user_id: Set(p.user.id),
                title: Set(c.title.clone()),
                organiser: Set(c.organiser.clone()),
                start_on: Set(c.start_on),
                end_on: Set(c.end_on),
                jp: Set(c.jp),
                category: Set(c.category),
                certificate_number: Set(c.certificate_number.clone()),
                status: Set(ExternalStatus::Pending),
                evidence_key: Set(None),
                evidence_file_name: Set(None),
                evidence_content_type: Set(None),
                evidence_size: Set(None),
                evidence_sha256: Set(None),
                created_at: Set(at),
                updated_at: Set(at),
            }
            .insert(txn)
            .await?,
        )
    })
    .await
}

/// A training with the decisions made on it, oldest first.
pub type WithDecisions = (
    external_trainings::Model,
    Vec<external_training_decisions::Model>,
);

pub async fn with_decisions(
    db: &impl ConnectionTrait,
    rows: Vec<external_trainings::Model>,
) -> AppResult<Vec<WithDecisions>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut all = external_training_decisions::Entity::find()
        .filter(external_training_decisions::Column::ExternalTrainingId.is_in(ids))
        .order_by_asc(external_training_decisions::Column::DecidedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                all.drain(..).partition(|d| d.external_training_id == r.id);
            all = rest;
            (r, mine)
        })
        .collect())
}

/// The caller's own records of training done elsewhere, newest first.
pub async fn mine(db: &impl ConnectionTrait, p: &Principal) -> AppResult<Vec<WithDecisions>> {
    of_user(db, p.user.id).await
}

/// A person's records of training done elsewhere, newest first, without the decisions
/// (the profile shows their state).
pub async fn rows_of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Vec<external_trainings::Model>> {
    Ok(external_trainings::Entity::find()
        .filter(external_trainings::Column::UserId.eq(user_id))
        .order_by_desc(external_trainings::Column::CreatedAt)
        .all(db)
        .await?)
}

/// A person's records of training done elsewhere, newest first, with the decisions.
pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<WithDecisions>> {
    let rows = external_trainings::Entity::find()
        .filter(external_trainings::Column::UserId.eq(user_id))
        .order_by_desc(external_trainings::Column::CreatedAt)
        .all(db)
        .await?;
    with_decisions(db, rows).await
}

/// Pending records of the people in the caller's scope (unit admins: their subtree;
/// admins: everyone), oldest first, with the employee's name and unit.
pub async fn pending_in_scope(
    db: &impl ConnectionTrait,
    p: &Principal,
) -> AppResult<Vec<(external_trainings::Model, String, String)>> {
    let scope = p.org_scope()?;
    let rows = external_trainings::Entity::find()
        .filter(external_trainings::Column::Status.eq(ExternalStatus::Pending))
        .order_by_asc(external_trainings::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let Some(view) = crate::org::employees::of_user(db, r.user_id).await? else {
            continue;
        };
        if scope.contains(&view.unit.path) && view.user.id != p.user.id {
            out.push((r, view.user.display_name, view.unit.name));
        }
    }
    Ok(out)
}

/// The training for its employee or for someone who may decide on it; 404 for anyone
/// else.
pub async fn visible(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: Uuid,
) -> AppResult<external_trainings::Model> {
    let row = external_trainings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.user_id == p.user.id {
        return Ok(row);
    }
    decidable(db, p, id).await
}

/// The training and the employee it belongs to, for someone who may decide on it: a unit
/// admin over the employee or an admin, never the employee themself (403); 404 for
/// anyone who may not see it.
async fn decidable(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: Uuid,
) -> AppResult<external_trainings::Model> {
    let row = external_trainings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let employee = employees::Entity::find()
        .filter(employees::Column::UserId.eq(row.user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = units::Entity::find_by_id(employee.unit_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_scope = p.org_scope().is_ok_and(|s| s.contains(&unit.path));
    if row.user_id == p.user.id {
        return Err(if in_scope {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    if !in_scope {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Verifies (`approved`) or rejects a pending record with a reason (required to reject).
/// Verifying makes its completion record in the same transaction; 409
/// `external_not_pending` once decided.
pub async fn decide(
    db: &DatabaseConnection,
    p: &Principal,
    now: DateTime<Utc>,
    id: Uuid,
    approved: bool,
    reason: &str,
) -> AppResult<external_trainings::Model> {
    let reason = match reason.trim() {
        "" if approved => String::new(),
        r => single_line(r, 500, Code::InvalidReason, "reason")?,
    };
    crate::db::in_write(db, async |txn| {
        let row = decidable(txn, p, id).await?;
        // The status moves from pending once: a second decision at the same time finds
        // it moved and changes nothing.
        let status = if approved {
            ExternalStatus::Verified
        } else {
            ExternalStatus::Rejected
        };
        let moved = external_trainings::Entity::update_many()
            .col_expr(
                external_trainings::Column::Status,
                sea_orm::sea_query::Expr::value(status),
            )
            .col_expr(
                external_trainings::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(stamp()),
            )
            .filter(external_trainings::Column::Id.eq(row.id))
            .filter(external_trainings::Column::Status.eq(ExternalStatus::Pending))
            .exec(txn)
            .await?;
        if moved.rows_affected != 1 {
            return Err(AppError::Conflict {
                code: Code::ExternalNotPending,
                detail: None,
            });
        }
        external_training_decisions::ActiveModel {
            id: Set(Uuid::now_v7()),
            external_training_id: Set(row.id),
            approved: Set(approved),
            reason: Set(reason.clone()),
            decided_by: Set(p.user.id),
            decided_at: Set(now),
        }
        .insert(txn)
        .await?;
        if approved {
            record(txn, &row).await?;
        }
        let notice = if approved {
            Notice::new(
                row.user_id,
                NoticeKind::ExternalVerified,
                format!("external:{}", row.id),
            )
            .with("jp", row.jp)
        } else {
            Notice::new(
                row.user_id,
                NoticeKind::ExternalRejected,
                format!("external:{}", row.id),
            )
            .with("reason", &reason)
        };
        let notice = notice
            .with("training", &row.title)
            .link("/profile/external");
        crate::notify::notices::give(txn, now, vec![notice]).await?;
        external_trainings::Entity::find_by_id(row.id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The completion record of a verified training: completed on its last day (the JP year
/// is that day's year).
pub async fn record(db: &impl ConnectionTrait, t: &external_trainings::Model) -> AppResult<()> {
    let completed_at = t
        .end_on
        .and_hms_opt(12, 0, 0)
        .and_then(|at| at.and_local_timezone(wib()).single())
        .map(|at| at.with_timezone(&Utc))
        .ok_or(AppError::invalid(Code::InvalidDate, "end_on"))?;
    completion_records::Entity::insert(completion_records::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(t.user_id),
        course_id: Set(None),
        external_training_id: Set(Some(t.id)),
        source: Set(Source::External),
        title: Set(t.title.clone()),
        organiser: Set(t.organiser.clone()),
        category: Set(t.category),
        delivery: Set(String::new()),
        jp: Set(t.jp),
        score: Set(None),
        started_on: Set(Some(t.start_on)),
        completed_at: Set(completed_at),
        year: Set(chrono::Datelike::year(&t.end_on)),
        certificate_ref: Set(
            (!t.certificate_number.is_empty()).then(|| t.certificate_number.clone())
        ),
        reverses_id: Set(None),
        reason: Set(None),
        author_id: Set(None),
        once_key: Set(format!("external:{}", t.id)),
        created_at: Set(stamp()),
    })
    .on_conflict_do_nothing_on([completion_records::Column::OnceKey])
    .exec_without_returning(db)
    .await?;
    Ok(())
}

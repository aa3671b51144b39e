//! Supervisors' assessments: an employee's supervisor, or a unit admin over them (or an
//! admin), records the level they see in a competency, with a date and a note. Every
//! assessment is kept; the latest per competency is the one that counts as evidence.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    dictionary::{CodeLevel, resolve_levels},
    scope::{Relation, viewable},
};
use crate::{
    auth::principal::Principal,
    entities::{competencies, competency_assessments},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// An assessment as the API and the form send it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AssessmentInput {
    /// The competency's code.
    pub code: String,
    /// The assessed level, 1–5.
    pub level: i64,
    /// What the assessment rests on (optional, up to 2,000 characters).
    #[serde(default)]
    pub note: String,
    /// The day of the assessment (Jakarta); today when absent. Not in the future.
    #[serde(default)]
    pub assessed_on: Option<NaiveDate>,
}

/// An assessment with its competency.
pub type Assessment = (competency_assessments::Model, competencies::Model);

/// An assessment with its competency as profiles name it.
pub type AssessmentRef = (competency_assessments::Model, super::model::CompetencyRef);

const MAX_NOTE: usize = 2000;

/// Records an assessment of an employee by their supervisor or a unit admin over them.
/// The employee themself gets 403; anyone who may not see the employee, 404.
pub async fn assess(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    employee_id: Uuid,
    input: &AssessmentInput,
) -> AppResult<Assessment> {
    let (view, relation) = viewable(db, p, employee_id).await?;
    if relation == Relation::Own {
        return Err(AppError::Forbidden);
    }
    crate::text::refuse_nul(&input.note, "note")?;
    let note = input.note.trim().to_owned();
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::invalid(Code::TextTooLong, "note"));
    }
    let assessed_on = input.assessed_on.unwrap_or(today);
    if assessed_on > today {
        return Err(AppError::invalid(Code::InvalidDate, "assessed_on"));
    }
    crate::time::check_date(assessed_on, "assessed_on")?;
    let pair = [CodeLevel {
        code: input.code.clone(),
        level: input.level,
    }];
    let (competency, level) = resolve_levels(db, &pair)
        .await?
        .pop()
        .ok_or(AppError::invalid(Code::UnknownCompetency, "code"))?;
    let row = crate::db::in_write(db, async |txn| {
        Ok::<_, AppError>(
            competency_assessments::ActiveModel {
                id: Set(Uuid::now_v7()),
                employee_id: Set(view.employee.id),
                competency_id: Set(competency.id),
                level: Set(level),
                note: Set(note.clone()),
                assessed_on: Set(assessed_on),
                assessor_id: Set(p.user.id),
                created_at: Set(stamp()),
            }
            .insert(txn)
            .await?,
        )
    })
    .await?;
    Ok((row, competency))
}

/// Every assessment of an employee, newest first (the history; the latest per
/// competency is evidence).
pub async fn of_employee(
    db: &impl ConnectionTrait,
    employee_id: Uuid,
) -> AppResult<Vec<competency_assessments::Model>> {
    Ok(competency_assessments::Entity::find()
        .filter(competency_assessments::Column::EmployeeId.eq(employee_id))
        .order_by_desc(competency_assessments::Column::AssessedOn)
        .order_by_desc(competency_assessments::Column::CreatedAt)
        .all(db)
        .await?)
}

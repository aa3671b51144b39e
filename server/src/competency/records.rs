//! Completion records: one per course completed (made in the transaction of the step that
//! completes it) and one per verified training done elsewhere, never changed afterwards.
//! A correction is a reversing record (negative JP, a reason, its author). The JP ledger
//! and the course evidence of a profile read only these records.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TryInsertResult,
};
use serde::Serialize;
use uuid::Uuid;

use super::model::Source;
use crate::{
    courses::model::Category,
    entities::{completion_evidence, completion_records, course_competencies, courses, enrolments},
    error::{AppError, AppResult, Code},
    time::{stamp, year_wib},
};

/// The key that makes a course's completion record one of a kind per learner.
fn course_key(course_id: Uuid, user_id: Uuid) -> String {
    format!("course:{course_id}:{user_id}")
}

/// Makes the completion record of an enrolment that has just completed, with the course's
/// awards as its evidence, in the caller's transaction. Runs once per learner and course:
/// a second call (another tab, another replica) finds the record there and adds nothing.
/// Returns whether this call made it.
pub async fn record_course_completion(
    db: &impl ConnectionTrait,
    enrolment: &enrolments::Model,
    completed_at: DateTime<Utc>,
) -> AppResult<bool> {
    let course = courses::Entity::find_by_id(enrolment.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = Uuid::now_v7();
    let inserted = completion_records::Entity::insert(completion_records::ActiveModel {
        id: Set(id),
        user_id: Set(enrolment.user_id),
        course_id: Set(Some(course.id)),
        external_training_id: Set(None),
        source: Set(Source::Internal),
        title: Set(course.title.chars().take(300).collect()),
        organiser: Set(String::new()),
        category: Set(course.category),
        delivery: Set(course.delivery.as_str().to_owned()),
        jp: Set(course.jp),
        score: Set(enrolment.grade_percent),
        started_on: Set(Some(crate::time::date_wib(enrolment.enrolled_at))),
        completed_at: Set(completed_at),
        year: Set(year_wib(completed_at)),
        certificate_ref: Set(None),
        reverses_id: Set(None),
        reason: Set(None),
        author_id: Set(None),
        once_key: Set(course_key(course.id, enrolment.user_id)),
        created_at: Set(stamp()),
    })
    .on_conflict_do_nothing_on([completion_records::Column::OnceKey])
    .exec_without_returning(db)
    .await?;
    if !matches!(inserted, TryInsertResult::Inserted(1)) {
        return Ok(false);
    }
    let awards = course_competencies::Entity::find()
        .filter(course_competencies::Column::CourseId.eq(course.id))
        .all(db)
        .await?;
    if !awards.is_empty() {
        completion_evidence::Entity::insert_many(awards.iter().map(|a| {
            completion_evidence::ActiveModel {
                record_id: Set(id),
                competency_id: Set(a.competency_id),
                level: Set(a.level),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(true)
}

/// Reverses a record (admins): a record with the same year and category and the
/// negative JP, the reason and its author. The original stays as it was; its evidence no
/// longer counts. 409 `already_reversed` for a record reversed before or a reversal itself.
pub async fn reverse(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    record_id: Uuid,
    reason: &str,
) -> AppResult<completion_records::Model> {
    p.require_admin()?;
    let reason = crate::text::single_line(reason, 500, Code::InvalidReason, "reason")?;
    crate::db::in_write(db, async |txn| {
        let original = get(txn, record_id).await?;
        if original.reverses_id.is_some() {
            return Err(AppError::Conflict {
                code: Code::AlreadyReversed,
                detail: None,
            });
        }
        let reversal = completion_records::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(original.user_id),
            course_id: Set(original.course_id),
            external_training_id: Set(original.external_training_id),
            source: Set(original.source),
            title: Set(original.title.clone()),
            organiser: Set(original.organiser.clone()),
            category: Set(original.category),
            delivery: Set(original.delivery.clone()),
            jp: Set(-original.jp),
            score: Set(None),
            started_on: Set(original.started_on),
            completed_at: Set(original.completed_at),
            year: Set(original.year),
            certificate_ref: Set(None),
            reverses_id: Set(Some(original.id)),
            reason: Set(Some(reason.clone())),
            author_id: Set(Some(p.user.id)),
            once_key: Set(format!("reversal:{}", original.id)),
            created_at: Set(stamp()),
        };
        let inserted = completion_records::Entity::insert(reversal)
            .on_conflict_do_nothing_on([completion_records::Column::OnceKey])
            .exec_without_returning(txn)
            .await?;
        if !matches!(inserted, TryInsertResult::Inserted(1)) {
            return Err(AppError::Conflict {
                code: Code::AlreadyReversed,
                detail: None,
            });
        }
        completion_records::Entity::find()
            .filter(completion_records::Column::OnceKey.eq(format!("reversal:{}", original.id)))
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// One record; 404 when there is none.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<completion_records::Model> {
    completion_records::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A page of a person's records, newest first (reversals among them).
pub async fn page(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    page: u64,
    per_page: u64,
) -> AppResult<(Vec<completion_records::Model>, u64)> {
    let q = completion_records::Entity::find()
        .filter(completion_records::Column::UserId.eq(user_id))
        .order_by_desc(completion_records::Column::CompletedAt)
        .order_by_desc(completion_records::Column::CreatedAt);
    let total = q.clone().count(db).await?;
    let items = q
        .offset(page.saturating_sub(1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// A person's latest `n` records, newest first (one statement, no count).
pub async fn latest(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    n: u64,
) -> AppResult<Vec<completion_records::Model>> {
    Ok(completion_records::Entity::find()
        .filter(completion_records::Column::UserId.eq(user_id))
        .order_by_desc(completion_records::Column::CompletedAt)
        .order_by_desc(completion_records::Column::CreatedAt)
        .limit(n)
        .all(db)
        .await?)
}

/// Every record of a person, oldest first.
pub async fn all_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Vec<completion_records::Model>> {
    Ok(completion_records::Entity::find()
        .filter(completion_records::Column::UserId.eq(user_id))
        .order_by_asc(completion_records::Column::CompletedAt)
        .order_by_asc(completion_records::Column::CreatedAt)
        .all(db)
        .await?)
}

/// JP by category, in the order the ledger shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ByCategory {
    /// Leadership.
    pub kepemimpinan: i32,
    /// Functional.
    pub fungsional: i32,
    /// Technical.
    pub teknis: i32,
    /// Anything else.
    pub lainnya: i32,
}

impl ByCategory {
    fn add(&mut self, category: Category, jp: i32) {
        let slot = match category {
            Category::Leadership => &mut self.kepemimpinan,
            Category::Functional => &mut self.fungsional,
            Category::Technical => &mut self.teknis,
            Category::Other => &mut self.lainnya,
        };
        *slot += jp;
    }

    /// The categories with their JP, in display order.
    pub fn rows(&self) -> [(Category, i32); 4] {
        [
            (Category::Leadership, self.kepemimpinan),
            (Category::Functional, self.fungsional),
            (Category::Technical, self.teknis),
            (Category::Other, self.lainnya),
        ]
    }
}

/// A person's JP in one calendar year (Asia/Jakarta) against the yearly target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct YearJp {
    /// The year.
    pub year: i32,
    /// JP counted (reversals subtracted).
    pub total: i32,
    /// The yearly target (setting `jp_target`).
    pub target: i32,
    /// JP by category.
    pub by_category: ByCategory,
}

impl YearJp {
    /// The share of the target reached, 0–100.
    pub fn percent(&self) -> i32 {
        if self.target <= 0 {
            return 100;
        }
        (self.total.max(0).saturating_mul(100) / self.target).min(100)
    }

    /// JP still missing to the target.
    pub fn missing(&self) -> i32 {
        (self.target - self.total).max(0)
    }
}

/// The JP ledger of a person summed by the database: each year with records, newest
/// first, `current` always among them.
pub async fn ledger_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    current: i32,
    target: i32,
) -> AppResult<Vec<YearJp>> {
    let rows: Vec<(i32, Category, i64)> = completion_records::Entity::find()
        .select_only()
        .column(completion_records::Column::Year)
        .column(completion_records::Column::Category)
        .column_as(
            sea_orm::sea_query::Expr::cust("CAST(SUM(jp) AS BIGINT)"),
            "jp",
        )
        .filter(completion_records::Column::UserId.eq(user_id))
        .group_by(completion_records::Column::Year)
        .group_by(completion_records::Column::Category)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ledger_from(&rows, current, target))
}

/// The ledger from (year, category, JP) sums: each year with records, newest first, and
/// `current` always present (0 when nothing was completed in it yet).
pub fn ledger_from(sums: &[(i32, Category, i64)], current: i32, target: i32) -> Vec<YearJp> {
    let mut years: BTreeMap<i32, ByCategory> = BTreeMap::new();
    years.entry(current).or_default();
    for (year, category, jp) in sums {
        years
            .entry(*year)
            .or_default()
            .add(*category, i32::try_from(*jp).unwrap_or(i32::MAX));
    }
    years
        .into_iter()
        .rev()
        .map(|(year, by_category)| YearJp {
            year,
            total: by_category.rows().iter().map(|(_, jp)| jp).sum(),
            target,
            by_category,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn record(year: i32, category: Category, jp: i32) -> completion_records::Model {
        let at = Utc
            .with_ymd_and_hms(year, 6, 1, 0, 0, 0)
            .single()
            .expect("date");
        completion_records::Model {
            id: Uuid::now_v7(),
            user_id: Uuid::nil(),
            course_id: None,
            external_training_id: None,
            source: Source::Internal,
            title: String::new(),
            organiser: String::new(),
            category,
            delivery: String::new(),
            jp,
            score: None,
            started_on: None,
            completed_at: at,
            year,
            certificate_ref: None,
            reverses_id: None,
            reason: None,
            author_id: None,
            once_key: String::new(),
            created_at: at,
        }
    }

    #[test]
    fn the_ledger_sums_by_year_and_category_and_subtracts_reversals() {
        let records = [
            record(2025, Category::Technical, 10),
            record(2026, Category::Technical, 10),
            record(2026, Category::Leadership, 8),
            record(2026, Category::Technical, -10),
            record(2026, Category::Other, 4),
        ];
        let sums: Vec<(i32, Category, i64)> = records
            .iter()
            .map(|r| (r.year, r.category, i64::from(r.jp)))
            .collect();
        let ledger = ledger_from(&sums, 2026, 20);
        assert_eq!(ledger.len(), 2);
        let now = ledger[0];
        assert_eq!((now.year, now.total, now.target), (2026, 12, 20));
        assert_eq!(now.by_category.kepemimpinan, 8);
        assert_eq!(now.by_category.teknis, 0);
        assert_eq!(now.by_category.lainnya, 4);
        assert_eq!((now.percent(), now.missing()), (60, 8));
        assert_eq!(ledger[1].total, 10);
        let empty = ledger_from(&[], 2027, 20);
        assert_eq!(
            (empty[0].year, empty[0].total, empty[0].percent()),
            (2027, 0, 0)
        );
        let over = YearJp {
            total: 30,
            ..empty[0]
        };
        assert_eq!((over.percent(), over.missing()), (100, 0));
    }

    #[test]
    fn the_jp_year_is_the_year_in_jakarta() {
        let at = |h, m| {
            Utc.with_ymd_and_hms(2026, 12, 31, h, m, 0)
                .single()
                .expect("instant")
        };
        assert_eq!(year_wib(at(16, 30)), 2026, "23.30 WIB");
        assert_eq!(year_wib(at(16, 59)), 2026, "23.59 WIB");
        assert_eq!(year_wib(at(17, 0)), 2027, "00.00 WIB");
        assert_eq!(year_wib(at(17, 30)), 2027, "00.30 WIB");
    }
}

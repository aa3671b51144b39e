//! The events found by the calendar and by assignments: a course assigned, due in seven
//! days, overdue, and the monthly JP shortfall. Each is a job handler; each notice has
//! its event key, so a job run twice notifies nobody twice.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::notices::{Notice, NoticeKind, give};
use crate::{
    entities::{assignments, completion_records, courses, employees, enrolments, units, users},
    error::AppResult,
};

/// How many notices one write transaction records.
const BATCH: usize = 500;

/// The active users an assignment reaches today.
pub async fn reached_users(
    db: &impl ConnectionTrait,
    a: &assignments::Model,
) -> AppResult<Vec<Uuid>> {
    let mut query = employees::Entity::find()
        .select_only()
        .column(employees::Column::UserId)
        .inner_join(users::Entity)
        .filter(users::Column::Active.eq(true));
    if let Some(user) = a.user_id {
        query = query.filter(employees::Column::UserId.eq(user));
    } else if let Some(unit) = a.unit_id {
        let Some(unit) = units::Entity::find_by_id(unit).one(db).await? else {
            return Ok(Vec::new());
        };
        query = query
            .inner_join(units::Entity)
            .filter(units::Column::Path.starts_with(unit.path.as_str()));
    } else if let Some(position) = a.position_id {
        query = query.filter(employees::Column::PositionId.eq(position));
    } else {
        return Ok(Vec::new());
    }
    Ok(query.into_tuple::<Uuid>().all(db).await?)
}

/// Of `users`, those who completed `course_id`.
async fn completed(
    db: &impl ConnectionTrait,
    course_id: Uuid,
    users: &[Uuid],
) -> AppResult<HashSet<Uuid>> {
    let mut done = HashSet::new();
    for chunk in users.chunks(BATCH) {
        let rows: Vec<Uuid> = enrolments::Entity::find()
            .select_only()
            .column(enrolments::Column::UserId)
            .filter(enrolments::Column::CourseId.eq(course_id))
            .filter(enrolments::Column::UserId.is_in(chunk.to_vec()))
            .filter(enrolments::Column::CompletedAt.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        done.extend(rows);
    }
    Ok(done)
}

/// Records notices in batches, each batch in its own write transaction.
async fn give_all(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    notices: Vec<Notice>,
) -> AppResult<u64> {
    let mut new = 0;
    let mut rest = notices;
    while !rest.is_empty() {
        let batch: Vec<Notice> = rest.drain(..rest.len().min(BATCH)).collect();
        new += crate::db::in_write(db, async |txn| give(txn, now, batch).await).await?;
    }
    Ok(new)
}

/// Tells everyone the assignments reach that the course was assigned to them.
pub async fn assignment_notices(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    assignment_ids: &[Uuid],
) -> AppResult<u64> {
    let mut new = 0;
    for id in assignment_ids {
        let Some(a) = assignments::Entity::find_by_id(*id).one(db).await? else {
            continue;
        };
        let Some(course) = courses::Entity::find_by_id(a.course_id).one(db).await? else {
            continue;
        };
        let reached = reached_users(db, &a).await?;
        let notices = reached
            .into_iter()
            .map(|user| {
                let n = Notice::new(
                    user,
                    NoticeKind::CourseAssigned,
                    format!("course_assigned:{}", a.id),
                )
                .with("course", &course.title)
                .link(format!("/courses/{}", course.id));
                match a.due_on {
                    Some(d) => n.with("due_on", d),
                    None => n,
                }
            })
            .collect();
        new += give_all(db, now, notices).await?;
    }
    Ok(new)
}

/// Reminds people of assigned courses due in seven days, and tells them once when one is
/// overdue (assignments due in the last 30 days), unless they completed it.
pub async fn due_reminders(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<u64> {
    let today = crate::time::date_wib(now);
    let in_a_week = today + Days::new(7);
    let month_ago = today - Days::new(30);
    let due = assignments::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(assignments::Column::DueOn.eq(in_a_week))
                .add(
                    sea_orm::Condition::all()
                        .add(assignments::Column::DueOn.lt(today))
                        .add(assignments::Column::DueOn.gte(month_ago)),
                ),
        )
        .all(db)
        .await?;
    let mut titles: HashMap<Uuid, String> = HashMap::new();
    let mut new = 0;
    for a in due {
        let Some(due_on) = a.due_on else { continue };
        if !titles.contains_key(&a.course_id) {
            let Some(c) = courses::Entity::find_by_id(a.course_id).one(db).await? else {
                continue;
            };
            titles.insert(c.id, c.title);
        }
        let title = titles.get(&a.course_id).cloned().unwrap_or_default();
        let reached = reached_users(db, &a).await?;
        let done = completed(db, a.course_id, &reached).await?;
        let (kind, event) = if due_on == in_a_week {
            (NoticeKind::DueSoon, format!("due_soon:{}", a.id))
        } else {
            (NoticeKind::Overdue, format!("overdue:{}", a.id))
        };
        let notices = reached
            .into_iter()
            .filter(|u| !done.contains(u))
            .map(|user| {
                Notice::new(user, kind, event.clone())
                    .with("course", &title)
                    .with("due_on", due_on)
                    .link(format!("/courses/{}", a.course_id))
            })
            .collect();
        new += give_all(db, now, notices).await?;
    }
    Ok(new)
}

/// From the configured month on, tells each active employee still short of the year's JP
/// target how many JP they have and need (once a month).
pub async fn jp_shortfall(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    target: i32,
    from_month: u32,
) -> AppResult<u64> {
    let local = now.with_timezone(&crate::time::wib());
    if local.month() < from_month {
        return Ok(0);
    }
    let year = local.year();
    let sums: Vec<(Uuid, Option<i64>)> = completion_records::Entity::find()
        .select_only()
        .column(completion_records::Column::UserId)
        .column_as(completion_records::Column::Jp.sum(), "jp")
        .filter(completion_records::Column::Year.eq(year))
        .group_by(completion_records::Column::UserId)
        .into_tuple()
        .all(db)
        .await?;
    let jp: HashMap<Uuid, i64> = sums.into_iter().map(|(u, j)| (u, j.unwrap_or(0))).collect();
    let people: Vec<Uuid> = employees::Entity::find()
        .select_only()
        .column(employees::Column::UserId)
        .inner_join(users::Entity)
        .filter(users::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let month = format!("{year}-{:02}", local.month());
    let notices = people
        .into_iter()
        .filter_map(|user| {
            let have = jp.get(&user).copied().unwrap_or(0);
            (have < i64::from(target)).then(|| {
                Notice::new(
                    user,
                    NoticeKind::JpShortfall,
                    format!("jp_shortfall:{month}"),
                )
                .with("jp", have)
                .with("target", target)
                .with("missing", i64::from(target) - have)
                .with("year", year)
                .link("/profile")
            })
        })
        .collect();
    give_all(db, now, notices).await
}

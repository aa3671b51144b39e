//! The change feed: a row per change of a course's searchable content, written in the
//! transaction of the change itself, so an index that follows the feed misses nothing
//! that was committed. Rows are read by id; a row that commits after a later one (two
//! writers on PostgreSQL) is caught by reading the last few seconds again.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::{entities::search_changes, error::AppResult, time::stamp};

/// Records that the searchable content of `course_id` changed (inside the caller's
/// transaction).
pub async fn changed(db: &impl ConnectionTrait, course_id: Uuid) -> AppResult<()> {
    search_changes::Entity::insert(search_changes::ActiveModel {
        course_id: Set(course_id),
        created_at: Set(stamp()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The id of the last change (0 when there is none).
pub async fn last(db: &impl ConnectionTrait) -> AppResult<i64> {
    let id: Option<i64> = search_changes::Entity::find()
        .select_only()
        .column(search_changes::Column::Id)
        .order_by_desc(search_changes::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Most changes read at once.
pub const BATCH: u64 = 5_000;

/// Changes after `position`, and those written since `recent` (whatever their id), in id
/// order: (id, course).
pub async fn since(
    db: &impl ConnectionTrait,
    position: i64,
    recent: DateTime<Utc>,
) -> AppResult<Vec<(i64, Uuid)>> {
    Ok(search_changes::Entity::find()
        .select_only()
        .columns([search_changes::Column::Id, search_changes::Column::CourseId])
        .filter(
            sea_orm::Condition::any()
                .add(search_changes::Column::Id.gt(position))
                .add(search_changes::Column::CreatedAt.gte(recent)),
        )
        .order_by_asc(search_changes::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?)
}

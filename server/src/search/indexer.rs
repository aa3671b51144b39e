//! The indexer of one replica: builds the index from the database when it has none (or a
//! rebuild did not finish), then follows the change feed from the position of its last
//! commit, reading each changed course again and committing about every second.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
    time::{Duration, Instant},
};

use mahir_content::search::SearchIndex;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{Search, docs, feed};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// How often the feed is read.
pub const TICK: Duration = Duration::from_millis(750);
/// Changes written this recently are read again whatever their id: on PostgreSQL a change
/// may commit after one with a higher id.
const LOOKBACK: Duration = Duration::from_secs(10);
/// A rebuild makes what it has indexed visible every this many courses.
const REBUILD_COMMIT_EVERY: usize = 200;

/// Runs index work on a blocking thread (tokenizing, merging and searching are CPU work).
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, mahir_content::search::SearchError> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("search task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))
}

async fn reindex_course(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    course_id: Uuid,
) -> AppResult<usize> {
    let documents = docs::of_course(db, course_id).await?;
    let n = documents.len();
    let index = index.clone();
    blocking(move || index.replace_course(course_id, &documents)).await?;
    Ok(n)
}

/// Builds `search`'s index anew from the database; returns the documents indexed.
pub async fn rebuild(db: &DatabaseConnection, search: &Search) -> AppResult<usize> {
    search.set_rebuilding(true);
    let result = async {
        let started = Instant::now();
        // Changes after this position are applied by following the feed afterwards.
        let position = feed::last(db).await?;
        let index = search.index().clone();
        {
            let index = index.clone();
            blocking(move || index.clear()).await?;
        }
        let ids = docs::course_ids(db).await?;
        let mut documents = 0;
        for (i, id) in ids.iter().enumerate() {
            documents += reindex_course(db, &index, *id).await?;
            if (i + 1) % REBUILD_COMMIT_EVERY == 0 {
                let index = index.clone();
                blocking(move || index.commit_partial()).await?;
            }
        }
        let at = u64::try_from(position).unwrap_or(0);
        blocking(move || index.commit(at)).await?;
        tracing::info!(
            courses = ids.len(),
            documents,
            ms = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
        Ok(documents)
    }
    .await;
    search.set_rebuilding(false);
    result
}

/// Follows the feed: applies what changed since the index's position.
pub struct Follower {
    /// Ids at or below the position applied lately, with when.
    applied: BTreeMap<i64, Instant>,
}

impl Default for Follower {
    fn default() -> Self {
        Self::new()
    }
}

impl Follower {
    /// A follower that has applied nothing yet.
    pub fn new() -> Follower {
        Follower {
            applied: BTreeMap::new(),
        }
    }

    /// Applies the changes not yet applied; returns how many courses were read again.
    pub async fn catch_up(&mut self, db: &DatabaseConnection, search: &Search) -> AppResult<usize> {
        let index = search.index().clone();
        let position = index
            .position()
            .and_then(|p| i64::try_from(p).ok())
            .unwrap_or(0);
        let recent = chrono::Utc::now()
            - chrono::Duration::from_std(LOOKBACK).unwrap_or(chrono::Duration::seconds(10));
        let rows = feed::since(db, position, recent).await?;
        let fresh: Vec<(i64, Uuid)> = rows
            .into_iter()
            .filter(|(id, _)| *id > position || !self.applied.contains_key(id))
            .collect();
        let now = Instant::now();
        self.applied
            .retain(|_, at| now.duration_since(*at) < LOOKBACK * 2);
        if fresh.is_empty() {
            return Ok(0);
        }
        let courses: BTreeSet<Uuid> = fresh.iter().map(|(_, c)| *c).collect();
        for c in &courses {
            reindex_course(db, &index, *c).await?;
        }
        let top = fresh.iter().map(|(id, _)| *id).max().unwrap_or(position);
        let at = u64::try_from(top.max(position)).unwrap_or(0);
        blocking(move || index.commit(at)).await?;
        for (id, _) in fresh {
            self.applied.insert(id, now);
        }
        Ok(courses.len())
    }
}

/// The indexer task of this replica.
pub async fn run(state: AppState) {
    let search = state.search().clone();
    if search.index().position().is_none()
        && let Err(e) = rebuild(state.db(), &search).await
    {
        tracing::error!(error = %e, "search index rebuild failed; following the feed");
    }
    let mut follower = Follower::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = follower.catch_up(state.db(), &search).await {
            tracing::warn!(error = %e, "search index could not follow the change feed");
        }
    }
}

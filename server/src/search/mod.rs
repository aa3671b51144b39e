//! Search: every replica keeps its own tantivy index of the courses and their content
//! (`mahir_content::search`), derived from the database. Changes reach it through the
//! change feed (`feed`), written in the same transaction as each change and followed by
//! the replica's indexer (`indexer`), which commits about every second and records the
//! last change applied in the commit; what a user may find is decided per search
//! (`scope`).

pub mod api;
pub mod docs;
pub mod feed;
pub mod indexer;
pub mod pages;
pub mod scope;
pub mod service;

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use axum::{Router, routing::get};
use mahir_content::search::{Opened, SearchIndex};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// This replica's index and whether it is being rebuilt.
pub struct Search {
    index: Arc<SearchIndex>,
    rebuilding: AtomicBool,
    opened: Opened,
}

impl Search {
    /// Opens the index in `dir` (created when missing, replaced when damaged). When it
    /// cannot be opened at all (another process holds it), this replica searches an index
    /// in memory, built from the database like any new one.
    pub fn open(dir: &Path) -> Search {
        let (index, opened) = match SearchIndex::open(dir) {
            Ok(pair) => pair,
            Err(e) => {
                tracing::error!(dir = %dir.display(), error = %e, "search index cannot be opened; using one in memory");
                match SearchIndex::in_memory() {
                    Ok(i) => (i, Opened::Created),
                    Err(e) => panic!("an in-memory search index failed: {e}"),
                }
            }
        };
        Search::with(index, opened)
    }

    /// Opens the index in `dir`, failing when it cannot (`mahir reindex`, which must not
    /// build an index nobody will read).
    pub fn open_strict(dir: &Path) -> Result<Search, mahir_content::search::SearchError> {
        let (index, opened) = SearchIndex::open(dir)?;
        Ok(Search::with(index, opened))
    }

    fn with(index: SearchIndex, opened: Opened) -> Search {
        match &opened {
            Opened::Existing(p) => tracing::info!(position = ?p, "search index opened"),
            Opened::Created => tracing::info!("search index created"),
            Opened::Replaced(why) => {
                tracing::warn!(reason = %why, "search index unreadable; building a new one");
            }
        }
        Search {
            index: Arc::new(index),
            rebuilding: AtomicBool::new(false),
            opened,
        }
    }

    /// The index.
    pub fn index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    /// How the index was found on start.
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    /// Whether a rebuild is under way (searches answer from what is indexed so far).
    pub fn is_rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::Relaxed)
    }

    fn set_rebuilding(&self, on: bool) {
        self.rebuilding.store(on, Ordering::Relaxed);
    }
}

/// The search pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/search", get(pages::results))
        .route("/search/suggest", get(pages::suggest))
}

/// The search API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::search))
}

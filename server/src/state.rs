//! The application state every handler receives: cheap to clone, `Arc` inside.

use std::sync::Arc;

use mahir_content::store::MaterialStore;

use crate::{courses::cache::ContentCache, notify::mail::Mailer, time::Clock};
use sea_orm::DatabaseConnection;

use crate::config::Config;

/// Shared state of one running Mahir.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    /// The database: the one source of truth, sessions included.
    db: DatabaseConnection,
    /// The configuration the app was built from.
    config: Config,
    /// Where material bytes live.
    materials: MaterialStore,
    /// Course outlines and other author-controlled content, by revision.
    course_cache: ContentCache,
    /// The one clock every rule with time in it reads (tests move it).
    clock: Arc<Clock>,
    /// Outgoing mail.
    mailer: Mailer,
    /// This replica's search index.
    search: Arc<crate::search::Search>,
}

impl AppState {
    /// Bundles the parts built at start.
    pub fn new(
        db: DatabaseConnection,
        config: Config,
        materials: MaterialStore,
        mailer: Mailer,
        search: crate::search::Search,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                config,
                materials,
                course_cache: ContentCache::default(),
                clock: Arc::default(),
                mailer,
                search: Arc::new(search),
            }),
        }
    }

    /// This replica's search index.
    pub fn search(&self) -> &Arc<crate::search::Search> {
        &self.inner.search
    }

    /// Outgoing mail.
    pub fn mailer(&self) -> &Mailer {
        &self.inner.mailer
    }

    /// The one clock: deadlines, sessions, tokens, login throttling and unlock links read
    /// it; tests move it forward instead of sleeping.
    pub fn clock(&self) -> &Arc<Clock> {
        &self.inner.clock
    }

    /// The per-replica cache of course content.
    pub fn course_cache(&self) -> &ContentCache {
        &self.inner.course_cache
    }

    /// The object store of course materials.
    pub fn materials(&self) -> &MaterialStore {
        &self.inner.materials
    }

    /// The database connection pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

//! The application state every handler receives: cheap to clone, `Arc` inside.

use std::sync::Arc;

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
}

impl AppState {
    /// Bundles the parts built at start.
    pub fn new(db: DatabaseConnection, config: Config) -> Self {
        Self {
            inner: Arc::new(Inner { db, config }),
        }
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

//! The database connection: SQLite (WAL, `synchronous=FULL`, foreign keys, long busy timeout)
//! or PostgreSQL, chosen by the URL; write transactions that queue instead of failing.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, LazyLock},
    time::Duration,
};

use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Opens the database named by `url` with Mahir's settings.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(sqlite_options);
    Database::connect(options).await
}

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // A writer waits for the one before it rather than failing with "database is locked".
        .busy_timeout(Duration::from_secs(60))
}

/// A write transaction (see [`begin_write`]): use it as a connection, then `commit`.
/// Dropped without a commit, it rolls back.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    /// SQLite: this process's turn to write to the file, held until commit or drop.
    _turn: Option<OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for WriteTxn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTxn").finish_non_exhaustive()
    }
}

impl WriteTxn {
    /// Commits (and gives the next writer its turn).
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    /// Rolls back (and gives the next writer its turn).
    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.txn.is_mock_connection()
    }
}

/// One queue of writers per SQLite file in this process.
static SQLITE_WRITERS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> =
    LazyLock::new(Default::default);

/// How long a writer waits for its turn before giving up (a writer that waits for itself
/// would otherwise wait forever).
const TURN_TIMEOUT: Duration = Duration::from_secs(60);

/// SQLite: waits for this process's turn to write to the database file (in arrival order);
/// a single write statement run on the pool while holding it needs no transaction.
/// PostgreSQL: no turn is needed.
pub async fn write_turn(db: &DatabaseConnection) -> Result<Option<OwnedMutexGuard<()>>, DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let queue = SQLITE_WRITERS
        .lock()
        .map_err(|_| DbErr::Custom("writer queue poisoned".into()))?
        .entry(file)
        .or_default()
        .clone();
    tokio::time::timeout(TURN_TIMEOUT, queue.lock_owned())
        .await
        .map(Some)
        .map_err(|_| DbErr::Custom("timed out waiting to write".into()))
}

/// Starts a transaction that will write. On SQLite, writers first queue in this process
/// (in arrival order, holding no connection while they wait) and then take the write lock
/// at `BEGIN` (`BEGIN IMMEDIATE`), so they neither fail with "database is locked" nor sleep
/// in SQLite's busy handler while the lock is free. On PostgreSQL it is a read-write
/// transaction; rows lock as they are written.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let turn = write_turn(db).await?;
            let txn = db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            Ok(WriteTxn { txn, _turn: turn })
        }
        _ => Ok(WriteTxn {
            txn: db
                .begin_with_options(TransactionOptions {
                    access_mode: Some(AccessMode::ReadWrite),
                    ..Default::default()
                })
                .await?,
            _turn: None,
        }),
    }
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &impl ConnectionTrait) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// "`column` contains `text`", case-insensitively on SQLite and PostgreSQL alike, with `%`,
/// `_` and `\` in the text matched as themselves rather than as wildcards.
pub fn contains_text(column: impl sea_orm::ColumnTrait, text: &str) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col(column.as_column_ref())))
        .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// The `n`-th (1-based) bind placeholder of a hand-written statement for this backend.
pub fn placeholder(backend: sea_orm::DatabaseBackend, n: usize) -> String {
    match backend {
        sea_orm::DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

//! The database connection: SQLite (WAL, `synchronous=FULL`, foreign keys, long busy timeout)
//! or PostgreSQL, chosen by the URL; write transactions that queue instead of failing.

use std::time::Duration;

use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};

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

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing
/// when a read would later be upgraded to a write.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = match db.get_database_backend() {
        DbBackend::Sqlite => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        },
        _ => TransactionOptions {
            access_mode: Some(AccessMode::ReadWrite),
            ..Default::default()
        },
    };
    db.begin_with_options(options).await
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

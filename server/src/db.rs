//! The database connection: SQLite (WAL, `synchronous=FULL`, foreign keys, long busy timeout)
//! or PostgreSQL, chosen by the URL; write transactions that queue instead of failing.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, LazyLock,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, ExecResult, QueryResult, Statement, TransactionOptions, TransactionTrait,
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
    if url.starts_with("sqlite:") {
        // A SQLite connection lives in this process and cannot hang up: the pool's ping
        // before every statement was a second round trip to its thread for nothing.
        options.test_before_acquire(false);
    } else {
        // A PostgreSQL connection can die with its server: the pool tests one that sat
        // idle for a while, not every one before every statement.
        options.test_before_acquire_if_idle_for(Duration::from_secs(10));
    }
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
    inner: Inner,
}

enum Inner {
    /// SQLite: this process's writer connection, and the turn that lends it (held until
    /// commit, rollback or drop). `BEGIN IMMEDIATE` is sent with the transaction's first
    /// statement (`begun` says whether it was), saving a round trip to the connection's
    /// thread while the turn is held.
    Sqlite {
        conn: DatabaseConnection,
        turn: Option<OwnedMutexGuard<Writer>>,
        begun: AtomicBool,
    },
    /// PostgreSQL: a read-write transaction from the pool.
    Postgres(DatabaseTransaction),
    /// Committed or rolled back.
    Done,
}

impl std::fmt::Debug for WriteTxn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTxn").finish_non_exhaustive()
    }
}

impl WriteTxn {
    /// Commits (and gives the next writer its turn). On SQLite a failed `COMMIT` (a full
    /// disk) is rolled back, so the writer connection is clean for the next writer.
    pub async fn commit(mut self) -> Result<(), DbErr> {
        match std::mem::replace(&mut self.inner, Inner::Done) {
            Inner::Done => Ok(()),
            Inner::Postgres(txn) => txn.commit().await,
            Inner::Sqlite { conn, turn, begun } => {
                if !begun.into_inner() {
                    return Ok(());
                }
                let result = conn.execute_unprepared("COMMIT").await.map(drop);
                if result.is_err() {
                    // SQLite may have rolled back by itself; either way nothing is open after.
                    let _ = conn.execute_unprepared("ROLLBACK").await;
                }
                drop(turn);
                result
            }
        }
    }

    /// Rolls back (and gives the next writer its turn).
    pub async fn rollback(mut self) -> Result<(), DbErr> {
        match std::mem::replace(&mut self.inner, Inner::Done) {
            Inner::Done => Ok(()),
            Inner::Postgres(txn) => txn.rollback().await,
            Inner::Sqlite { conn, turn, begun } => {
                if !begun.into_inner() {
                    return Ok(());
                }
                let result = conn.execute_unprepared("ROLLBACK").await.map(drop);
                drop(turn);
                result
            }
        }
    }
}

impl Drop for WriteTxn {
    fn drop(&mut self) {
        // Dropped without commit or rollback (an error, a cancelled request): SQLite rolls
        // back on the writer connection before the turn passes to the next writer.
        if let Inner::Sqlite { conn, turn, begun } = &mut self.inner
            && let Some(turn) = turn.take()
            && *begun.get_mut()
        {
            let conn = conn.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = conn.execute_unprepared("ROLLBACK").await;
                    drop(turn);
                });
            }
        }
    }
}

/// Runs `$body` with `$c` bound to the connection a [`WriteTxn`] runs on, after opening
/// the SQLite transaction if this is its first statement.
macro_rules! on_conn {
    ($txn:expr, $c:ident => $body:expr) => {
        match &$txn.inner {
            Inner::Sqlite {
                conn: $c, begun, ..
            } => {
                if !begun.load(Ordering::Acquire) {
                    begin_immediate($c).await?;
                    begun.store(true, Ordering::Release);
                }
                $body
            }
            Inner::Postgres($c) => $body,
            Inner::Done => Err(DbErr::Custom("the transaction has ended".into())),
        }
    };
}

/// Runs a query in a [`WriteTxn`]: on SQLite, the transaction's first statement goes with
/// its `BEGIN IMMEDIATE` in one round trip (a query's rows are its own; an `execute`'s
/// count of changed rows would not be, so executes send `BEGIN` alone).
macro_rules! query_on_conn {
    ($txn:expr, $stmt:ident, $c:ident => $body:expr) => {
        match &$txn.inner {
            Inner::Sqlite {
                conn: $c, begun, ..
            } => {
                if begun.load(Ordering::Acquire) {
                    $body
                } else {
                    let first = Statement {
                        sql: format!("BEGIN IMMEDIATE; {}", $stmt.sql),
                        ..$stmt
                    };
                    let retry = first.clone();
                    let $stmt = first;
                    let mut result = $body;
                    if result.as_ref().is_err_and(left_open) {
                        // A transaction left open (a cancelled request's, not yet rolled
                        // back): nothing of this statement ran. Roll that one back, retry.
                        let _ = $c.execute_unprepared("ROLLBACK").await;
                        let $stmt = retry;
                        result = $body;
                    }
                    match &result {
                        // Whether the statement or the `BEGIN` failed, nothing is kept open:
                        // the transaction starts again with the next statement.
                        Err(_) => {
                            let _ = $c.execute_unprepared("ROLLBACK").await;
                        }
                        Ok(_) => begun.store(true, Ordering::Release),
                    }
                    result
                }
            }
            Inner::Postgres($c) => $body,
            Inner::Done => Err(DbErr::Custom("the transaction has ended".into())),
        }
    };
}

/// Whether `BEGIN` failed because a transaction was still open on the connection.
fn left_open(e: &DbErr) -> bool {
    e.to_string().contains("within a transaction")
}

/// `BEGIN IMMEDIATE` on the writer connection; whatever was left open (it never should be)
/// is rolled back first, once.
async fn begin_immediate(conn: &DatabaseConnection) -> Result<(), DbErr> {
    if let Err(e) = conn.execute_unprepared("BEGIN IMMEDIATE").await {
        let _ = conn.execute_unprepared("ROLLBACK").await;
        if conn.execute_unprepared("BEGIN IMMEDIATE").await.is_err() {
            return Err(e);
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        match &self.inner {
            Inner::Postgres(_) => DbBackend::Postgres,
            _ => DbBackend::Sqlite,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        on_conn!(self, c => c.execute_raw(stmt).await)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        on_conn!(self, c => c.execute_unprepared(sql).await)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        query_on_conn!(self, stmt, c => c.query_one_raw(stmt).await)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        query_on_conn!(self, stmt, c => c.query_all_raw(stmt).await)
    }

    fn support_returning(&self) -> bool {
        match &self.inner {
            Inner::Sqlite { conn, .. } => conn.support_returning(),
            Inner::Postgres(txn) => txn.support_returning(),
            Inner::Done => false,
        }
    }

    fn is_mock_connection(&self) -> bool {
        false
    }
}

/// A SQLite file's writer in this process: the turn to write, and the one connection
/// writes run on. Transactions on it are plain `BEGIN IMMEDIATE` / `COMMIT` / `ROLLBACK`
/// statements rather than the driver's transactions: the driver counts its own nesting,
/// and after a `COMMIT` that failed (SQLite then rolls back by itself) it would go on
/// believing a transaction was open, turning every later `BEGIN` on that connection into a
/// savepoint of a transaction that no longer exists.
#[derive(Default)]
pub struct Writer {
    conn: Option<DatabaseConnection>,
}

/// One writer per SQLite file in this process.
static SQLITE_WRITERS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Arc<Mutex<Writer>>>>> =
    LazyLock::new(Default::default);

/// How long a writer waits for its turn before giving up (a writer that waits for itself
/// would otherwise wait forever).
const TURN_TIMEOUT: Duration = Duration::from_secs(60);

/// SQLite: waits for this process's turn to write to the database file (in arrival order).
/// PostgreSQL: no turn is needed.
async fn write_turn(db: &DatabaseConnection) -> Result<Option<OwnedMutexGuard<Writer>>, DbErr> {
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
        .map_err(|_| DbErr::Custom(TURN_TIMED_OUT.into()))
}

/// The writer connection of the SQLite file behind `db`, opened with the same settings.
async fn writer_connection(db: &DatabaseConnection) -> Result<DatabaseConnection, DbErr> {
    let options = (*db.get_sqlite_connection_pool().connect_options()).clone();
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(30))
        // In-process: nothing to ping (see `connect`).
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(Arc::new(e))))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Starts a transaction that will write. On SQLite, writers first queue in this process
/// (in arrival order, holding no connection while they wait) and then take the write lock
/// at `BEGIN IMMEDIATE` (sent with the first statement) on the process's writer connection, so they neither fail with
/// "database is locked" nor sleep in SQLite's busy handler while the lock is free. On
/// PostgreSQL it is a read-write transaction; rows lock as they are written.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let Some(mut turn) = write_turn(db).await? else {
                return Err(DbErr::Custom("no writer for this database".into()));
            };
            let conn = match &turn.conn {
                Some(c) => c.clone(),
                None => {
                    let c = writer_connection(db).await?;
                    turn.conn = Some(c.clone());
                    c
                }
            };
            Ok(WriteTxn {
                inner: Inner::Sqlite {
                    conn,
                    turn: Some(turn),
                    begun: AtomicBool::new(false),
                },
            })
        }
        _ => Ok(WriteTxn {
            inner: Inner::Postgres(
                db.begin_with_options(TransactionOptions {
                    access_mode: Some(AccessMode::ReadWrite),
                    ..Default::default()
                })
                .await?,
            ),
        }),
    }
}

/// Runs `f` in a write transaction (see [`begin_write`]) and commits it; an error from `f`
/// rolls it back. On SQLite every write must run this way: a statement run alone reports
/// success even when its own commit then fails (a full disk), while `COMMIT` never does.
pub async fn in_write<T, E: From<DbErr>>(
    db: &DatabaseConnection,
    f: impl AsyncFnOnce(&WriteTxn) -> Result<T, E>,
) -> Result<T, E> {
    let txn = begin_write(db).await?;
    let out = f(&txn).await?;
    txn.commit().await?;
    Ok(out)
}

/// Runs `stmts` — queries that write, such as `INSERT … RETURNING` — as one write
/// transaction, and returns every row they return. On SQLite the whole transaction
/// (`BEGIN IMMEDIATE`, the statements, `COMMIT`) is one call to the writer connection's
/// thread, so the writer's turn is held for one round trip instead of three: for hot paths
/// whose writes are known before the transaction (saving answers). On PostgreSQL a single
/// statement runs alone (it is its own transaction there). A failure anywhere, `COMMIT`
/// included, is reported and leaves nothing written.
pub async fn write_queries(
    db: &DatabaseConnection,
    mut stmts: Vec<Statement>,
) -> Result<Vec<QueryResult>, DbErr> {
    if stmts.is_empty() {
        return Ok(Vec::new());
    }
    if stmts.len() == 1
        && db.get_database_backend() == DbBackend::Postgres
        && let Some(stmt) = stmts.pop()
    {
        // One statement is its own transaction on PostgreSQL, whose failed commit is
        // reported by the statement itself: no BEGIN and COMMIT round trips.
        return db.query_all_raw(stmt).await;
    }
    let mut txn = begin_write(db).await?;
    let Inner::Sqlite { conn, begun, .. } = &mut txn.inner else {
        let mut rows = Vec::new();
        for stmt in stmts {
            rows.extend(txn.query_all_raw(stmt).await?);
        }
        txn.commit().await?;
        return Ok(rows);
    };
    let mut sql = String::from("BEGIN IMMEDIATE");
    let mut values = Vec::new();
    for stmt in stmts {
        sql.push_str("; ");
        sql.push_str(&stmt.sql);
        values.extend(stmt.values.map(|v| v.0).unwrap_or_default());
    }
    sql.push_str("; COMMIT");
    let batch = Statement {
        sql,
        values: Some(sea_orm::Values(values)),
        db_backend: DbBackend::Sqlite,
    };
    // Dropped while the batch runs (a cancelled request), the transaction rolls back.
    *begun.get_mut() = true;
    let conn = conn.clone();
    let mut result = conn.query_all_raw(batch.clone()).await;
    if result.as_ref().is_err_and(left_open) {
        let _ = conn.execute_unprepared("ROLLBACK").await;
        result = conn.query_all_raw(batch).await;
    }
    match result {
        Ok(rows) => {
            // Committed by the batch itself.
            if let Inner::Sqlite { turn, .. } = std::mem::replace(&mut txn.inner, Inner::Done) {
                drop(turn);
            }
            Ok(rows)
        }
        Err(e) => {
            // Whichever statement failed, nothing of the batch stays.
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

/// A database failure that comes from the environment rather than from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The disk under the database is full (SQLite `SQLITE_FULL`, PostgreSQL 53100).
    StorageFull,
    /// The database cannot be reached, or no writer turn or connection came in time.
    Unavailable,
}

/// The message of the error [`write_turn`] gives up with.
const TURN_TIMED_OUT: &str = "timed out waiting to write";

/// Classifies a database error as an environmental [`Fault`], if it is one.
pub fn fault(e: &DbErr) -> Option<Fault> {
    use sea_orm::{RuntimeErr, sqlx};
    let sqlx_error = match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return Some(Fault::Unavailable),
        DbErr::Custom(m) if m == TURN_TIMED_OUT => return Some(Fault::Unavailable),
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    match &**sqlx_error {
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            // SQLite reports its primary code (13 = SQLITE_FULL) in the low byte.
            let sqlite_full = code.parse::<i32>().is_ok_and(|c| c & 0xff == 13);
            (sqlite_full || code == "53100").then_some(Fault::StorageFull)
        }
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(Fault::Unavailable),
        _ => None,
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

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

    /// Why every SQLite write runs in a transaction: an `INSERT … RETURNING` run alone
    /// reports its row even when the commit that follows fails (here a deferred foreign
    /// key; in production a full disk), and the row is not there. In a transaction the
    /// failure comes from `COMMIT`.
    #[tokio::test]
    async fn a_failed_commit_is_reported_only_by_a_transaction() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = super::connect(&url, 1).await.expect("connect");
        for sql in [
            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER \
             REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
        ] {
            db.execute_unprepared(sql).await.expect("schema");
        }
        let insert = || {
            Statement::from_string(
                DbBackend::Sqlite,
                "INSERT INTO child (parent_id) VALUES (99) RETURNING id",
            )
        };
        let count = async || -> i64 {
            db.query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT COUNT(*) FROM child",
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index(0)
            .expect("n")
        };
        // Alone: "success", and nothing stored (the driver's behaviour guarded against).
        let alone = db.query_one_raw(insert()).await;
        assert!(matches!(alone, Ok(Some(_))));
        assert_eq!(count().await, 0);
        // In a write transaction: the failure is reported.
        let result = super::in_write(&db, async |txn| {
            txn.query_one_raw(insert()).await.map(|_| ())
        })
        .await;
        assert!(
            matches!(result, Err(DbErr::Exec(_) | DbErr::Query(_))),
            "{result:?}"
        );
        assert_eq!(count().await, 0);
    }
    async fn fresh() -> (tempfile::TempDir, sea_orm::DatabaseConnection) {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = super::connect(&url, 2).await.expect("connect");
        for sql in [
            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER \
             REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
        ] {
            db.execute_unprepared(sql).await.expect("schema");
        }
        (dir, db)
    }

    fn stmt(sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    }

    /// Inserts a child of `parent`, returning its id.
    fn child(parent: i64) -> Statement {
        stmt(
            "INSERT INTO child (parent_id) VALUES (?) RETURNING id",
            vec![parent.into()],
        )
    }

    async fn children(db: &sea_orm::DatabaseConnection) -> i64 {
        db.query_one_raw(stmt("SELECT COUNT(*) FROM child", vec![]))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index(0)
            .expect("n")
    }

    /// A batch is one transaction: its rows come back, and a failure at `COMMIT` (here a
    /// deferred foreign key; in production a full disk) is reported and leaves nothing,
    /// and the writer is clean for the next one.
    #[tokio::test]
    async fn a_batch_of_writes_commits_whole_or_not_at_all() {
        let (_dir, db) = fresh().await;
        let rows = super::write_queries(
            &db,
            vec![
                stmt(
                    "INSERT INTO parent (id) VALUES (?) RETURNING id",
                    vec![1.into()],
                ),
                stmt(
                    "INSERT INTO child (parent_id) VALUES (?) RETURNING parent_id",
                    vec![1.into()],
                ),
            ],
        )
        .await
        .expect("batch");
        let got: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get_by_index(0).expect("id"))
            .collect();
        assert_eq!(
            got,
            [1, 1],
            "each statement's rows, its values bound in order"
        );
        let failed = super::write_queries(&db, vec![child(1), child(99)]).await;
        assert!(failed.is_err(), "the commit's failure is reported");
        assert_eq!(children(&db).await, 1, "nothing of the failed batch stays");
        // A statement that fails midway leaves nothing open either.
        let failed = super::write_queries(
            &db,
            vec![
                child(1),
                stmt(
                    "INSERT INTO nowhere (x) VALUES (?) RETURNING x",
                    vec![1.into()],
                ),
            ],
        )
        .await;
        assert!(failed.is_err());
        assert_eq!(children(&db).await, 1);
        super::in_write(&db, async |txn| {
            txn.execute_raw(stmt(
                "INSERT INTO child (parent_id) VALUES (?)",
                vec![1.into()],
            ))
            .await
        })
        .await
        .expect("the next writer writes");
        assert_eq!(children(&db).await, 2);
    }

    /// `BEGIN IMMEDIATE` goes with a transaction's first query: a first query that fails
    /// leaves no transaction open, and what follows in the same transaction still commits
    /// or rolls back as one.
    #[tokio::test]
    async fn the_first_query_carries_the_begin() {
        let (_dir, db) = fresh().await;
        let txn = super::begin_write(&db).await.expect("begin");
        assert!(
            txn.query_one_raw(stmt("SELECT x FROM nowhere", vec![]))
                .await
                .is_err()
        );
        txn.query_one_raw(stmt(
            "INSERT INTO parent (id) VALUES (7) RETURNING id",
            vec![],
        ))
        .await
        .expect("insert");
        txn.query_one_raw(stmt(
            "INSERT INTO parent (id) VALUES (8) RETURNING id",
            vec![],
        ))
        .await
        .expect("insert");
        txn.rollback().await.expect("rollback");
        let parents: i64 = db
            .query_one_raw(stmt("SELECT COUNT(*) FROM parent", vec![]))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index(0)
            .expect("n");
        assert_eq!(parents, 0, "both inserts were one transaction, rolled back");
        // A transaction that never ran a statement sends nothing and commits.
        super::begin_write(&db)
            .await
            .expect("begin")
            .commit()
            .await
            .expect("commit");
    }
}

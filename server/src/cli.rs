//! The `mahir` command line: `serve` (the default), `migrate`, `demo`, `create-admin` and
//! `import-employees`.

use std::{io::BufRead, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use mahir_migrations::{Migrator, MigratorTrait};
use tracing_subscriber::EnvFilter;

use crate::{
    auth::{
        principal::{OrgScope, Role},
        service as accounts,
    },
    config::{Config, LogFormat},
    db, demo,
    org::import::{ImportOutcome, import_csv},
    web::i18n::Lang,
};

/// Mahir: learning platform with competency management.
#[derive(Debug, Parser)]
#[command(name = "mahir", version, about)]
pub struct Cli {
    /// Configuration file (default: `mahir.toml` in the working directory, if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (migrates first; loads the demo on a fresh database).
    Serve,
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo organisation.
    Demo {
        /// Instead, build an organisation of this many employees for benchmarks (about
        /// 1,000 units, 500 courses, 43 enrolments per employee over two years).
        #[arg(long, value_name = "EMPLOYEES")]
        scale: Option<usize>,
    },
    /// Create an administrator; the password is read from standard input.
    CreateAdmin {
        /// Login name of the new administrator.
        #[arg(long)]
        username: String,
    },
    /// Import employees from a CSV file (all rows or none).
    ImportEmployees {
        /// The CSV file.
        file: PathBuf,
    },
    /// Build this replica's search index anew from the database (with the server of this
    /// data directory stopped: it holds the index while it runs).
    Reindex,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let config = match Config::load(cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mahir: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mahir: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate(&config).await,
            Command::Demo { scale: None } => load_demo(&config).await,
            Command::Demo { scale: Some(n) } => load_scale(&config, n).await,
            Command::CreateAdmin { username } => create_admin(&config, &username).await,
            Command::ImportEmployees { file } => import(&config, &file).await,
            Command::Reindex => reindex(&config).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mahir: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("MAHIR_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn connect(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    let conn = db::connect(&config.database_url, config.database_max_connections).await?;
    Migrator::up(&conn, None).await?;
    // As the server does on start: the demo and imports name the standard competencies.
    crate::competency::dictionary::seed_standard(&conn).await?;
    Ok(conn)
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let base_url = config.base_url.clone();
    let demo_password = config.demo_password.clone();
    let app = crate::build(config).await?;
    if demo::is_empty(app.state().db()).await? {
        let password = demo_password.unwrap_or_else(demo::random_password);
        let txn = db::begin_write(app.state().db()).await?;
        let logins = demo::load(&txn, app.state().materials(), &password).await?;
        txn.commit().await?;
        demo::print_logins(&base_url, &logins);
    }
    tracing::info!(address = %app.local_addr()?, "Mahir is listening");
    println!("  Mahir berjalan di {base_url}");
    app.run().await?;
    Ok(ExitCode::SUCCESS)
}

async fn reindex(config: &Config) -> anyhow::Result<ExitCode> {
    let conn = connect(config).await?;
    let search = crate::search::Search::open_strict(&config.search_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot open the search index in {} ({e}); is the server running? Stop it, or \
             delete the directory and start the server, which rebuilds it",
            config.search_dir.display()
        )
    })?;
    let documents = crate::search::indexer::rebuild(&conn, &search).await?;
    println!(
        "search index rebuilt: {documents} documents in {}",
        config.search_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    connect(config).await?;
    println!("database is up to date");
    Ok(ExitCode::SUCCESS)
}

async fn load_demo(config: &Config) -> anyhow::Result<ExitCode> {
    let conn = connect(config).await?;
    if accounts::find_by_username(&conn, "admin").await?.is_some() {
        eprintln!("mahir: the demo organisation (or an account named admin) is already there");
        return Ok(ExitCode::FAILURE);
    }
    let password = config
        .demo_password
        .clone()
        .unwrap_or_else(demo::random_password);
    let store = mahir_content::store::MaterialStore::from_url(
        &config.storage_url,
        config.max_upload_bytes,
    )?;
    let txn = db::begin_write(&conn).await?;
    let logins = demo::load(&txn, &store, &password).await?;
    txn.commit().await?;
    demo::print_logins(&config.base_url, &logins);
    Ok(ExitCode::SUCCESS)
}

async fn load_scale(config: &Config, people: usize) -> anyhow::Result<ExitCode> {
    let conn = connect(config).await?;
    if !demo::is_empty(&conn).await? {
        eprintln!("mahir: the database is not empty; the scale organisation needs an empty one");
        return Ok(ExitCode::FAILURE);
    }
    let password = config
        .demo_password
        .clone()
        .unwrap_or_else(demo::random_password);
    let built = demo::scale::build(&conn, people, &password).await?;
    for (table, n) in &built.rows {
        println!("{table:>24} {n:>10}");
    }
    println!(
        "built in {:.1} s; log in as admin or unitadmin with {password}",
        built.seconds
    );
    Ok(ExitCode::SUCCESS)
}

async fn create_admin(config: &Config, username: &str) -> anyhow::Result<ExitCode> {
    let conn = connect(config).await?;
    let name = accounts::Username::parse(username).map_err(|_| {
        anyhow::anyhow!("`{username}` is not a valid username (3–64 of a-z 0-9 . _ -)")
    })?;
    eprintln!("password for {}: ", name.as_str());
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']);
    let created = db::in_write(&conn, async |txn| {
        accounts::create_user(
            txn,
            accounts::NewUser {
                username: &name,
                display_name: name.as_str(),
                email: None,
                password: Some(password),
                roles: &[Role::Admin],
            },
        )
        .await
    })
    .await;
    match created {
        Ok(u) => {
            println!("created administrator {} ({})", u.username, u.id);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "mahir: {}",
                crate::web::errors::message(Lang::En, e.code(), e.detail().as_deref())
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn import(config: &Config, file: &PathBuf) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let conn = connect(config).await?;
    match import_csv(
        &conn,
        crate::time::Clock::default().today_wib(),
        &OrgScope::All,
        &bytes,
    )
    .await?
    {
        ImportOutcome::Imported(n) => {
            println!("imported {n} employees");
            Ok(ExitCode::SUCCESS)
        }
        ImportOutcome::Rejected(errors) => {
            for e in &errors {
                let text = crate::web::errors::message(
                    Lang::En,
                    e.problem.code,
                    e.problem.detail.as_deref(),
                );
                eprintln!("{}:{}: {}", file.display(), e.line, text);
            }
            eprintln!("nothing imported: {} problem(s)", errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

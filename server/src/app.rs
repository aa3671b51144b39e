//! Builds the application from a [`Config`]: database, migrations, demo data on a fresh
//! database, the router with its layers, and the bound listener.

use std::{future::Future, net::SocketAddr, time::Duration};

use axum::{
    Json, Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, Request, StatusCode},
    middleware,
    routing::get,
};
use mahir_migrations::{Migrator, MigratorTrait};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{
        CompressionLayer,
        predicate::{Predicate, SizeAbove},
    },
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
    trace::TraceLayer,
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::{
    auth::{self, session_store::DbSessionStore},
    config::Config,
    courses, ops, org, quizzes,
    state::AppState,
    web,
};

/// A built application, bound to its address and ready to serve.
pub struct App {
    listener: TcpListener,
    /// The separate address for `/metrics`, when configured.
    metrics_listener: Option<TcpListener>,
    router: Router,
    state: AppState,
}

impl App {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The state, for tests and commands that work beside the server.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The address `/metrics` is served on when it has its own.
    pub fn metrics_addr(&self) -> Option<std::io::Result<SocketAddr>> {
        self.metrics_listener.as_ref().map(TcpListener::local_addr)
    }

    /// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight (up to the
    /// shutdown deadline).
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then stops as [`App::run`] does.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> std::io::Result<()> {
        let config = self.state.config();
        let timing = crate::serve::Timing {
            header_timeout: config.header_timeout,
            shutdown_timeout: config.shutdown_timeout,
        };
        let jobs = tokio::spawn(crate::jobs::worker::run(self.state.clone()));
        let indexer = tokio::spawn(crate::search::indexer::run(self.state.clone()));
        let stop = tokio_util::sync::CancellationToken::new();
        let metrics = self.metrics_listener.map(|listener| {
            let router = ops::metrics_router().with_state(self.state.clone());
            let stop = stop.clone();
            tokio::spawn(crate::serve::serve(listener, router, timing, async move {
                stop.cancelled().await;
            }))
        });
        crate::serve::serve(self.listener, self.router, timing, shutdown).await;
        stop.cancel();
        if let Some(m) = metrics {
            let _ = m.await;
        }
        jobs.abort();
        indexer.abort();
        tracing::info!("stopped");
        Ok(())
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mahir API", description = "Learning platform with competency management"),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Tokens and the current user"),
        (name = "organisation", description = "Units and employees"),
        (name = "courses", description = "Courses, materials, enrolment, assignment and progress"),
        (name = "quizzes", description = "Question banks, quizzes and attempts"),
        (name = "competencies", description = "The competency dictionary, requirements, awards, profiles, completion records and JP"),
        (name = "search", description = "Search of courses and their content"),
        (name = "notifications", description = "The caller's notifications"),
        (name = "jobs", description = "The job queue: exports and scheduled work"),
        (name = "reports", description = "Unit dashboards, employee lists and competency gaps"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// An upload whose body sends nothing for this long is abandoned (408).
const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The `/api/v1` routes: those answered within the request timeout, the uploads (whose
/// bodies stream for as long as they keep coming), and the OpenAPI document of both.
fn api() -> (Router<AppState>, Router<AppState>) {
    let (timed, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::api())
        .merge(org::api())
        .merge(courses::api())
        .merge(quizzes::api())
        .merge(crate::competency::api())
        .merge(crate::search::api())
        .merge(crate::notify::api())
        .merge(crate::jobs::api())
        .merge(crate::reports::api())
        .split_for_parts();
    let (uploads, upload_doc) = courses::upload_api().split_for_parts();
    doc.merge(upload_doc);
    let timed = timed.route(
        "/api/v1/openapi.json",
        get(move || async move { Json(doc) }),
    );
    (timed, uploads)
}

/// Connects to the database, migrates it, and builds the router around `state`.
pub async fn build(config: Config) -> anyhow::Result<App> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data directory {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let db = crate::db::connect(&config.database_url, config.database_max_connections).await?;
    Migrator::up(&db, None).await?;
    crate::competency::dictionary::seed_standard(&db).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let metrics_listener = match config.metrics_listen {
        Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("configuration key `metrics_listen`: cannot listen on {addr}: {e}")
        })?),
        None => None,
    };
    let materials =
        mahir_content::store::MaterialStore::from_url(&config.storage_url, config.max_upload_bytes)
            .map_err(|e| {
                anyhow::anyhow!("configuration key `storage_url` / MAHIR_STORAGE_URL: {e}")
            })?;
    let mailer = crate::notify::mail::Mailer::from_config(&config)?;
    let search = crate::search::Search::open(&config.search_dir);
    let state = AppState::new(db, config, materials, mailer, search);
    ops::init_metrics();
    let router = router(state.clone());
    Ok(App {
        listener,
        metrics_listener,
        router,
        state,
    })
}

/// The whole router with its layers.
pub fn router(state: AppState) -> Router {
    let config = state.config();
    let idle = time::Duration::seconds(config.session_idle.as_secs() as i64);
    let sessions = SessionManagerLayer::new(DbSessionStore::new(
        state.db().clone(),
        state.clock().clone(),
    ))
    .with_name("mahir_session")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(config.secure_cookies())
    .with_expiry(Expiry::OnInactivity(idle));

    // Every request but an upload's must be answered in time; an upload's body streams
    // for as long as it keeps coming.
    let (api, upload_api) = api();
    let timed = Router::new()
        .route("/", get(web::home::home))
        .merge(auth::pages())
        .merge(org::pages())
        .merge(crate::competency::pages())
        .merge(crate::search::pages())
        .merge(crate::notify::pages())
        .merge(crate::jobs::pages())
        .merge(crate::reports::pages())
        .merge(courses::pages())
        .merge(quizzes::pages())
        .merge(api)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ));
    // An upload's body that stops coming is dropped; every other body is read within
    // the request timeout.
    let uploads = Router::new()
        .merge(courses::upload_pages())
        .merge(upload_api)
        .layer(RequestBodyTimeoutLayer::new(BODY_IDLE_TIMEOUT));
    let app = timed
        .merge(uploads)
        .fallback(web::errors::not_found)
        // Every body is small unless its route says otherwise (uploads, question files,
        // employee files); a larger one is refused with 413 before it is read.
        .layer(DefaultBodyLimit::max(web::MAX_BODY))
        .layer(CatchPanicLayer::custom(web::errors::panic_response))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::same_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::context::resolve,
        ))
        .layer(middleware::from_fn(web::errors::render))
        .layer(sessions);

    let request_id = HeaderName::from_static("x-request-id");
    let ops = if config.metrics_listen.is_some() {
        ops::router()
    } else {
        ops::router().merge(ops::metrics_router())
    };
    Router::new()
        .merge(ops)
        .route("/assets/{file}", get(web::assets::serve))
        .merge(app)
        .layer(middleware::from_fn(web::security::headers))
        .layer(middleware::from_fn(ops::track))
        .layer(CompressionLayer::new().compress_when(SizeAbove::new(256).and(compressible)))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                    }),
                )
                .layer(PropagateRequestIdLayer::new(request_id)),
        )
}

/// Whether a response is worth compressing: text, JSON, scripts and SVG. Materials (served
/// with `Accept-Ranges`) keep their bytes as stored, so ranges and lengths stay true.
fn compressible(
    _status: StatusCode,
    _version: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _extensions: &axum::http::Extensions,
) -> bool {
    if headers.contains_key(axum::http::header::ACCEPT_RANGES)
        || headers.contains_key(axum::http::header::CONTENT_RANGE)
    {
        return false;
    }
    let Some(kind) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let kind = kind.split(';').next().unwrap_or("").trim();
    kind.starts_with("text/")
        || matches!(
            kind,
            "application/json" | "application/javascript" | "image/svg+xml"
        )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

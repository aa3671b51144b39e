//! Test support for Mahir's end-to-end tests: [`TestApp`] starts the real application on
//! port 0 with its own database (a fresh SQLite file, or a fresh PostgreSQL database when
//! `MAHIR_TEST_DATABASE_URL` is set) and the demo organisation loaded.

use std::time::Duration;

use mahir::error::Code;
use reqwest::{Client, Method, Response, StatusCode, header};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::Value;

/// The password of every demo account in tests.
pub const PASSWORD: &str = "sandi-uji-yang-panjang";

/// A running Mahir with the demo organisation.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The app's database, for checks behind the HTTP surface.
    pub db: DatabaseConnection,
    /// The running app's state (its clock, for deadline tests).
    pub state: mahir::AppState,
    /// The app's data directory (materials under `objects/`).
    pub data_dir: std::path::PathBuf,
    /// The database it runs on.
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// Options for [`TestApp::spawn_with`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Idle session timeout (default: the app's).
    pub session_idle: Option<Duration>,
    /// Absolute session timeout (default: the app's).
    pub session_absolute: Option<Duration>,
    /// Largest material accepted (default: the app's).
    pub max_upload_bytes: Option<u64>,
    /// Upload quota per user (default: the app's).
    pub upload_quota_bytes: Option<u64>,
    /// `MAHIR_METRICS_ALLOW` (default: the app's, this machine only).
    pub metrics_allow: Option<String>,
    /// Time for a request's headers (default: the app's).
    pub header_timeout: Option<Duration>,
    /// Time for requests in flight after shutdown (default: the app's).
    pub shutdown_timeout: Option<Duration>,
    /// The data directory (SQLite database, materials, outbox); default: a new temporary
    /// directory.
    pub data_dir: Option<std::path::PathBuf>,
    /// What is loaded before the test (default: the whole demo).
    pub fixture: Fixture,
    /// Enqueue the scheduled jobs (default off, so no reminder surprises a test; the
    /// workers run either way).
    pub schedule: bool,
    /// `MAHIR_SMTP_URL` (default: none, mail goes to the outbox).
    pub smtp_url: Option<String>,
}

/// The data a test app starts with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fixture {
    /// The demo organisation with its courses, quizzes and learners' progress.
    #[default]
    Demo,
    /// The demo organisation only (units, positions, the demo accounts): no courses.
    Organisation,
}

impl TestApp {
    /// Starts an app with default options.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    /// Starts an app with the demo organisation and no courses ([`Fixture::Organisation`]).
    pub async fn spawn_organisation() -> TestApp {
        Self::spawn_with(Options {
            fixture: Fixture::Organisation,
            ..Options::default()
        })
        .await
    }

    /// Starts an app.
    pub async fn spawn_with(options: Options) -> TestApp {
        let data_dir = options.data_dir.clone();
        let (app, dir) = Self::build(options).await;
        let addr = app.local_addr().expect("bound");
        let db = app.state().db().clone();
        let state = app.state().clone();
        let database_url = state.config().database_url.clone();
        tokio::spawn(app.run());
        TestApp {
            base: format!("http://127.0.0.1:{}", addr.port()),
            db,
            state,
            data_dir: data_dir.unwrap_or_else(|| dir.path().to_path_buf()),
            database_url,
            _dir: dir,
        }
    }

    /// A second replica of this app: another server on the same database and data
    /// directory, with its own connections, caches and clock.
    pub async fn replica(&self) -> TestApp {
        self.replica_with(&Options::default()).await
    }

    /// A second replica with these options (its schedule, its SMTP server).
    pub async fn replica_with(&self, options: &Options) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Self::config_on(&self.data_dir, options, self.database_url.clone());
        // Every replica keeps its own search index.
        config.search_dir = dir.path().join("search");
        let app = mahir::build(config).await.expect("replica builds");
        let addr = app.local_addr().expect("bound");
        let db = app.state().db().clone();
        let state = app.state().clone();
        tokio::spawn(app.run());
        TestApp {
            base: format!("http://127.0.0.1:{}", addr.port()),
            db,
            state,
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            _dir: dir,
        }
    }

    /// Builds an app with the demo organisation loaded, without serving it: for tests
    /// that run it (and stop it) themselves. Keep the directory as long as the app.
    pub async fn build(options: Options) -> (mahir::App, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = options.data_dir.clone();
        let config = Self::config(data_dir.as_deref().unwrap_or(dir.path()), &options).await;
        let app = mahir::build(config).await.expect("app builds");
        let db = app.state().db().clone();
        let txn = mahir::db::begin_write(&db).await.expect("begin");
        match options.fixture {
            Fixture::Demo => mahir::demo::load(&txn, app.state().materials(), PASSWORD).await,
            Fixture::Organisation => mahir::demo::load_organisation(&txn, PASSWORD).await,
        }
        .expect("demo loads");
        txn.commit().await.expect("commit");
        (app, dir)
    }

    /// The configuration of a test app with its data in `dir`: a fresh SQLite file, or a
    /// fresh PostgreSQL database when `MAHIR_TEST_DATABASE_URL` is set.
    pub async fn config(dir: &std::path::Path, options: &Options) -> mahir::Config {
        let database_url = match std::env::var("MAHIR_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => fresh_postgres(&url).await,
            _ => format!("sqlite://{}?mode=rwc", dir.join("mahir.db").display()),
        };
        Self::config_on(dir, options, database_url)
    }

    /// The configuration of a test app with its data in `dir` on this database.
    pub fn config_on(
        dir: &std::path::Path,
        options: &Options,
        database_url: String,
    ) -> mahir::Config {
        let data_dir = dir.to_string_lossy().into_owned();
        let env = |key: &str| -> Option<String> {
            match key {
                "MAHIR_LISTEN" => Some("127.0.0.1:0".into()),
                "MAHIR_DATA_DIR" => Some(data_dir.clone()),
                "MAHIR_DATABASE_URL" => Some(database_url.clone()),
                "MAHIR_DATABASE_MAX_CONNECTIONS" => Some("8".into()),
                "MAHIR_METRICS_ALLOW" => options.metrics_allow.clone(),
                "MAHIR_JOB_SCHEDULE" => Some(if options.schedule { "on" } else { "off" }.into()),
                "MAHIR_SMTP_URL" => options.smtp_url.clone(),
                _ => None,
            }
        };
        let mut config = mahir::Config::from_sources(None, env).expect("test config");
        if let Some(d) = options.session_idle {
            config.session_idle = d;
        }
        if let Some(d) = options.session_absolute {
            config.session_absolute = d;
        }
        if let Some(n) = options.max_upload_bytes {
            config.max_upload_bytes = n;
        }
        if let Some(n) = options.upload_quota_bytes {
            config.upload_quota_bytes = n;
        }
        if let Some(d) = options.header_timeout {
            config.header_timeout = d;
        }
        if let Some(d) = options.shutdown_timeout {
            config.shutdown_timeout = d;
        }
        config
    }

    /// A browser-like client: cookies kept, redirects not followed, same-origin `Origin`.
    pub fn client(&self) -> Client {
        self.client_with_lang("id")
    }

    /// A browser-like client sending this `Accept-Language`.
    pub fn client_with_lang(&self, lang: &str) -> Client {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::ORIGIN, self.base.parse().expect("origin"));
        headers.insert(header::ACCEPT_LANGUAGE, lang.parse().expect("lang"));
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client")
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The CSRF token on the page at `path`.
    pub async fn csrf(&self, client: &Client, path: &str) -> String {
        let body = client
            .get(self.url(path))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        extract_csrf(&body).unwrap_or_else(|| panic!("no CSRF token on {path}"))
    }

    /// Submits a form with the session's CSRF token (taken from `/login` or `/account`).
    pub async fn post_form(
        &self,
        client: &Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let token_page = if self.is_logged_in(client).await {
            "/account"
        } else {
            "/login"
        };
        let token = self.csrf(client, token_page).await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .expect("post")
    }

    /// Uploads `bytes` as the file part `file` of a multipart form to `path`, the
    /// session's CSRF token first (as the upload pages send it).
    pub async fn upload_file(
        &self,
        client: &Client,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let token = self.csrf(client, "/account").await;
        let form = reqwest::multipart::Form::new().text("_csrf", token).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
        );
        client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .expect("post")
    }

    async fn is_logged_in(&self, client: &Client) -> bool {
        client
            .get(self.url("/account"))
            .send()
            .await
            .map(|r| r.status() == StatusCode::OK)
            .unwrap_or(false)
    }

    /// Logs `username` in through the login form; returns the response to the POST.
    pub async fn login_with(&self, client: &Client, username: &str, password: &str) -> Response {
        let token = self.csrf(client, "/login").await;
        client
            .post(self.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login")
    }

    /// A client logged in as a demo user.
    pub async fn login(&self, username: &str) -> Client {
        let client = self.client();
        let res = self.login_with(&client, username, PASSWORD).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "login of {username} failed"
        );
        client
    }

    /// The body of a GET by `client`.
    pub async fn page(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let res = client.get(self.url(path)).send().await.expect("get");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    /// A bearer token for a demo user.
    pub async fn token(&self, username: &str) -> String {
        self.token_with(username, PASSWORD).await
    }

    /// A bearer token for any user.
    pub async fn token_with(&self, username: &str, password: &str) -> String {
        let res = Client::new()
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("token");
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.expect("json");
        body["token"].as_str().expect("token string").to_owned()
    }

    /// An API call with a bearer token; returns status and JSON body (Null if empty).
    pub async fn api(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Client::new()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("api call");
        let status = res.status();
        let text = res.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, json)
    }

    /// A typed API call: the body read into the server's own response struct `T`, or the
    /// refusal the server sent. A body that fits neither panics, naming the path.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<T, Refusal> {
        let (status, json) = self.api(method, token, path, body).await;
        if status.is_success() {
            return Ok(serde_json::from_value(json.clone())
                .unwrap_or_else(|e| panic!("{path}: {e} in {json}")));
        }
        let body: ErrorBody = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{path} ({status}): {e} in {json}"));
        Err(Refusal {
            status,
            code: body.error.code,
            field: body.error.field,
            message: body.error.message,
        })
    }

    /// A typed GET that must succeed.
    pub async fn get<T: DeserializeOwned>(&self, token: &str, path: &str) -> T {
        self.call(Method::GET, token, path, None)
            .await
            .unwrap_or_else(|r| panic!("GET {path}: {r:?}"))
    }

    /// A typed call that must be refused; returns the refusal.
    pub async fn refused(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> Refusal {
        match self.call::<Value>(method, token, path, body).await {
            Ok(v) => panic!("{path} was accepted: {v}"),
            Err(r) => r,
        }
    }

    /// The id of the unit with this code, read through the API as the admin.
    pub async fn unit_id(&self, code: &str) -> String {
        let admin = self.token("admin").await;
        let units: mahir::org::api::UnitList = self.get(&admin, "/api/v1/units?per_page=200").await;
        units
            .items
            .into_iter()
            .find(|u| u.code == code)
            .map(|u| u.id.to_string())
            .unwrap_or_else(|| panic!("no unit {code}"))
    }

    /// The first column of the first row of `sql`.
    async fn scalar<T: sea_orm::TryGetable>(&self, sql: &str) -> T {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned()))
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no row for {sql}"));
        row.try_get_by_index::<T>(0)
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
    }

    /// Runs a query for one id (the first column of the first row).
    pub async fn id_of(&self, sql: &str) -> String {
        self.scalar::<uuid::Uuid>(sql).await.to_string()
    }

    /// Runs a query for one text.
    pub async fn text_of(&self, sql: &str) -> String {
        self.scalar::<String>(sql).await
    }

    /// Runs a scalar count query.
    pub async fn count(&self, sql: &str) -> i64 {
        self.scalar(sql).await
    }
}

/// A refusal as the API sends it: `{"error":{"code","message","field"}}` and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error code, typed: a code the server does not know fails to read.
    pub code: Code,
    /// The field at fault, for 422.
    pub field: Option<String>,
    /// The message in the caller's language.
    pub message: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
struct ErrorFields {
    code: Code,
    message: String,
    #[serde(default)]
    field: Option<String>,
}

/// The last path segment of a redirect's `Location`, e.g. the id of a created thing.
pub fn location_id(res: &Response) -> String {
    res.headers()["location"]
        .to_str()
        .expect("location")
        .rsplit('/')
        .next()
        .expect("segment")
        .split('?')
        .next()
        .expect("id")
        .to_owned()
}

/// The `id` of every item of a list response (`{"items": [{"id": …}, …]}`).
pub fn ids(list: &Value) -> Vec<Value> {
    list["items"]
        .as_array()
        .map(|items| items.iter().map(|i| i["id"].clone()).collect())
        .unwrap_or_default()
}

/// A small RAM disk for a test of a full disk (mounting needs root, as in CI); unmounted
/// when dropped.
pub struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `mebibytes`; `None` where that is not allowed (not root).
    pub fn mount(mebibytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mebibytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    /// Where it is mounted.
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Fills the disk to the last byte with a file; returns its path.
    pub fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// How many files there are below `dir` (materials in a local store).
pub fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() { count_files(&p) } else { 1 }
            })
            .sum()
    })
}

/// The first `_csrf` value in a page.
pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The text of a page's first alert (`role="alert"`): the error a form was refused with.
pub fn alert(html: &str) -> Option<String> {
    let at = html.find("role=\"alert\"")?;
    let start = at + html[at..].find('>')? + 1;
    let end = start
        + html[start..]
            .find("</div>")
            .or_else(|| html[start..].find('<'))?;
    // The text without its tags (a summary links each refusal to its field).
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(
        text.replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .trim()
            .to_owned(),
    )
}

/// Creates an empty PostgreSQL database next to the one in `url` and returns its URL.
pub async fn fresh_postgres(url: &str) -> String {
    let admin = sea_orm::Database::connect(url)
        .await
        .expect("connect to PostgreSQL");
    let name = format!("mahir_t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let (base, _) = url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
}

/// A real SMTP server on 127.0.0.1 (`tests/smtp/sink.py`, on Python's aiosmtpd) that
/// writes every message it accepts into its directory; stopped when dropped.
pub struct SmtpSink {
    /// Its port.
    pub port: u16,
    /// Where the messages land, one `.eml` file each.
    pub dir: std::path::PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        Self::start_on(port)
    }

    /// Starts a sink on `port` (e.g. after an outage), and waits until it listens.
    pub fn start_on(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().expect("temp dir");
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py");
        let mut child = std::process::Command::new("python3")
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs tests/smtp/sink.py (pip install aiosmtpd)");
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            use std::io::BufRead;
            let _ = std::io::BufReader::new(out).read_line(&mut line);
        }
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink did not start (is aiosmtpd installed?)"
        );
        SmtpSink {
            port,
            dir: dir.path().to_path_buf(),
            child,
            _dir: dir,
        }
    }

    /// `smtp://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, each whole.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "eml")
                    && let Ok(text) = std::fs::read_to_string(&p)
                {
                    out.push(text);
                }
            }
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 100 ms until it holds or `within` passes; whether it held.
pub async fn until(within: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() > within {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

//! The fault scenario: Mahir's release binary under a storm of quiz answers is killed with
//! SIGKILL again and again, on SQLite and on PostgreSQL, and every answer it acknowledged
//! must be in the database afterwards; then the same storm runs with the data directory's
//! disk full (a tmpfs; needs root) and every answer is either refused with a clear error
//! or kept, and all works again once space returns. Also: an edit answered just before a
//! kill is searchable after the restart. Prints the numbers; exits non-zero on a lost
//! answer or a lost edit.
//!
//! cargo build --release && cargo run --release -p mahir-tests --bin fault
//! Options (environment): BINARY (target/release/mahir), KILLS (5), LEARNERS (60),
//! POSTGRES (postgres://postgres@127.0.0.1:5432/test; empty skips PostgreSQL), SKIP_DISK.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const PASSWORD: &str = "sandi-uji-kegagalan";
const QUESTIONS: usize = 20;

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_owned())
}

/// One Mahir process, restartable.
struct Server {
    binary: PathBuf,
    env: Vec<(String, String)>,
    base: String,
    child: Option<Child>,
}

impl Server {
    async fn start(
        binary: &Path,
        data_dir: &Path,
        database_url: Option<&str>,
        port: u16,
    ) -> Server {
        let mut env = vec![
            ("MAHIR_DATA_DIR".to_owned(), data_dir.display().to_string()),
            ("MAHIR_LISTEN".to_owned(), format!("127.0.0.1:{port}")),
            ("MAHIR_DEMO_PASSWORD".to_owned(), PASSWORD.to_owned()),
            ("MAHIR_LOG".to_owned(), "error".to_owned()),
        ];
        if let Some(url) = database_url {
            env.push(("MAHIR_DATABASE_URL".to_owned(), url.to_owned()));
        }
        let mut s = Server {
            binary: binary.to_owned(),
            env,
            base: format!("http://127.0.0.1:{port}"),
            child: None,
        };
        s.spawn().await;
        s
    }

    async fn spawn(&mut self) {
        let child = Command::new(&self.binary)
            .arg("serve")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mahir");
        self.child = Some(child);
        for _ in 0..600 {
            if let Ok(r) = reqwest::get(format!("{}/healthz", self.base)).await
                && r.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("mahir did not come up");
    }

    /// SIGKILL, then start again.
    async fn kill_and_restart(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.spawn().await;
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn call(
    client: &reqwest::Client,
    method: Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Result<(StatusCode, Value), reqwest::Error> {
    let mut req = client.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await?;
    let status = res.status();
    let text = res.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

async fn token(base: &str, username: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("token");
    let body: Value = res.json().await.expect("json");
    body["token"].as_str().expect("token").to_owned()
}

/// A published course with a quiz of [`QUESTIONS`] single-choice questions and many
/// attempts allowed; returns the quiz id.
async fn quiz(base: &str) -> String {
    let client = reqwest::Client::new();
    let teacher = token(base, "instructor").await;
    let u = |p: &str| format!("{base}{p}");
    let (_, course) = call(
        &client,
        Method::POST,
        u("/api/v1/courses"),
        &teacher,
        Some(json!({"code": "GAGAL", "title": "Uji kegagalan", "category": "teknis", "jp": 1})),
    )
    .await
    .expect("course");
    let course = course["id"].as_str().expect("course id").to_owned();
    let (_, module) = call(
        &client,
        Method::POST,
        u(&format!("/api/v1/courses/{course}/modules")),
        &teacher,
        Some(json!({"title": "Ujian"})),
    )
    .await
    .expect("module");
    let module = module["id"].as_str().expect("module id").to_owned();
    let gift: String = (1..=QUESTIONS)
        .map(|i| format!("::S{i}::Soal {i}? {{=a{i} ~b{i} ~c{i} ~d{i}}}\n\n"))
        .collect();
    let res = client
        .post(u(&format!("/api/v1/courses/{course}/questions/import")))
        .bearer_auth(&teacher)
        .header("content-type", "text/plain")
        .body(gift)
        .send()
        .await
        .expect("import");
    assert_eq!(res.status(), StatusCode::OK, "import");
    let (_, bank) = call(
        &client,
        Method::GET,
        u(&format!("/api/v1/courses/{course}/questions")),
        &teacher,
        None,
    )
    .await
    .expect("bank");
    let ids = mahir_tests::ids(&bank);
    let (status, quiz) = call(
        &client,
        Method::POST,
        u(&format!("/api/v1/modules/{module}/quizzes")),
        &teacher,
        Some(
            json!({"title": "Ujian", "question_ids": ids, "max_attempts": 100,
            "time_limit_seconds": 7200, "pass_percent": 50}),
        ),
    )
    .await
    .expect("quiz");
    assert_eq!(status, StatusCode::CREATED, "{quiz}");
    call(
        &client,
        Method::POST,
        u(&format!("/api/v1/courses/{course}/publish")),
        &teacher,
        None,
    )
    .await
    .expect("publish");
    quiz["id"].as_str().expect("quiz id").to_owned()
}

/// Learner accounts with tokens, made directly in the database (no password hashing).
async fn learners(db: &DatabaseConnection, n: usize, tag: &str) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let name = mahir::auth::service::Username::parse(&format!("{tag}{i:04}")).expect("name");
        let token = mahir::db::in_write(db, async |txn| {
            let user = mahir::auth::service::create_user(
                txn,
                mahir::auth::service::NewUser {
                    username: &name,
                    display_name: &format!("Peserta {tag} {i}"),
                    email: None,
                    password: None,
                    roles: &[mahir::auth::principal::Role::Learner],
                },
            )
            .await?;
            mahir::auth::tokens::issue(
                txn,
                chrono::Utc::now(),
                user.id,
                Duration::from_secs(86_400),
            )
            .await
        })
        .await
        .expect("learner");
        tokens.push(token);
    }
    tokens
}

/// An attempt in progress: its id, and each question's id with its option ids.
type Attempt = (String, Vec<(String, Vec<String>)>);

/// What the storm sent for one (attempt, question): every response in order, and which
/// were acknowledged.
type Sent = HashMap<(String, String), Vec<(Value, bool)>>;

#[derive(Default)]
struct Tally {
    acknowledged: AtomicUsize,
    refused_for_space: AtomicUsize,
    failed: AtomicUsize,
    other: AtomicUsize,
}

/// Every learner answers random questions of their attempt until `stop`, submitting now
/// and then; answers whose fate is unknown (the server died) are kept as "sent".
async fn storm(
    base: Arc<String>,
    quiz: Arc<String>,
    tokens: Vec<String>,
    stop: Arc<AtomicBool>,
    sent: Arc<Mutex<Sent>>,
    tally: Arc<Tally>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut tasks = Vec::new();
    for token in tokens {
        let (base, quiz, stop, sent, tally, client) = (
            base.clone(),
            quiz.clone(),
            stop.clone(),
            sent.clone(),
            tally.clone(),
            client.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut attempt: Option<Attempt> = None;
            let mut answered = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let Some((id, questions)) = attempt.clone() else {
                    match call(
                        &client,
                        Method::POST,
                        format!("{base}/api/v1/quizzes/{quiz}/attempts"),
                        &token,
                        None,
                    )
                    .await
                    {
                        Ok((s, a)) if s.is_success() => {
                            let qs = a["questions"]
                                .as_array()
                                .cloned()
                                .unwrap_or_default()
                                .iter()
                                .map(|q| {
                                    let options = q["options"]
                                        .as_array()
                                        .cloned()
                                        .unwrap_or_default()
                                        .iter()
                                        .filter_map(|o| o["id"].as_str().map(str::to_owned))
                                        .collect();
                                    (q["id"].as_str().unwrap_or_default().to_owned(), options)
                                })
                                .collect();
                            attempt = Some((a["id"].as_str().unwrap_or_default().to_owned(), qs));
                        }
                        _ => tokio::time::sleep(Duration::from_millis(200)).await,
                    }
                    continue;
                };
                if questions.is_empty() {
                    attempt = None;
                    continue;
                }
                if answered >= 40 {
                    // Submit and start again: submits and new attempts in the storm too.
                    match call(
                        &client,
                        Method::POST,
                        format!("{base}/api/v1/attempts/{id}/submit"),
                        &token,
                        None,
                    )
                    .await
                    {
                        Ok((s, _)) if s.is_success() || s == StatusCode::CONFLICT => {
                            attempt = None;
                            answered = 0;
                        }
                        _ => tokio::time::sleep(Duration::from_millis(200)).await,
                    }
                    continue;
                }
                let (qid, options) = &questions[rand::random_range(0..questions.len())];
                let option = options
                    [rand::random_range(0..options.len().max(1)) % options.len().max(1)]
                .clone();
                let response = json!({"choices": [option]});
                let key = (id.clone(), qid.clone());
                sent.lock()
                    .await
                    .entry(key.clone())
                    .or_default()
                    .push((response.clone(), false));
                let result = call(
                    &client,
                    Method::PUT,
                    format!("{base}/api/v1/attempts/{id}/answers/{qid}"),
                    &token,
                    Some(json!({"response": response})),
                )
                .await;
                match result {
                    Ok((StatusCode::OK, _)) => {
                        if let Some(v) = sent.lock().await.get_mut(&key)
                            && let Some(last) = v.last_mut()
                        {
                            last.1 = true;
                        }
                        tally.acknowledged.fetch_add(1, Ordering::Relaxed);
                        answered += 1;
                    }
                    Ok((s, body))
                        if s == StatusCode::INSUFFICIENT_STORAGE
                            || (s == StatusCode::SERVICE_UNAVAILABLE
                                && body["error"]["code"]
                                    .as_str()
                                    .is_some_and(|c| c.ends_with("unavailable"))) =>
                    {
                        tally.refused_for_space.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Ok((StatusCode::CONFLICT, _)) => attempt = None,
                    Ok(_) => {
                        tally.other.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// Checks every acknowledged answer against the database: what is stored must be the last
/// acknowledged response or one sent after it. Returns (checked, lost).
async fn verify(db: &DatabaseConnection, sent: &Sent) -> (usize, usize) {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT attempt_id, question_id, response FROM attempt_answers",
        ))
        .await
        .expect("answers");
    let mut stored: HashMap<(String, String), Value> = HashMap::new();
    for r in rows {
        let a: uuid::Uuid = r.try_get_by_index(0).expect("attempt");
        let q: uuid::Uuid = r.try_get_by_index(1).expect("question");
        let resp: String = r.try_get_by_index(2).expect("response");
        stored.insert(
            (a.to_string(), q.to_string()),
            serde_json::from_str(&resp).unwrap_or(Value::Null),
        );
    }
    let (mut checked, mut lost) = (0, 0);
    for (key, list) in sent {
        let Some(last_ack) = list.iter().rposition(|(_, acked)| *acked) else {
            continue;
        };
        checked += 1;
        let acceptable: Vec<&Value> = list[last_ack..].iter().map(|(v, _)| v).collect();
        let ok = stored
            .get(key)
            .is_some_and(|s| acceptable.iter().any(|a| a["choices"] == s["choices"]));
        if !ok {
            lost += 1;
            if lost <= 5 {
                eprintln!(
                    "  lost: {key:?}: stored {:?}, acknowledged {:?}",
                    stored.get(key),
                    acceptable
                );
            }
        }
    }
    (checked, lost)
}

/// Attempts left half-written: finished but never graded.
async fn half_written(db: &DatabaseConnection) -> i64 {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(
        backend,
        "SELECT COUNT(*) FROM attempts WHERE state = 'finished' AND score IS NULL AND needs_grading = false",
    ))
    .await
    .expect("count")
    .and_then(|r| r.try_get_by_index::<i64>(0).ok())
    .unwrap_or(-1)
}

/// An edit answered just before a `kill -9` (before the indexer's next commit) is found
/// after the restart: the index resumes from the position of its last commit and reads the
/// feed again. Prints how long it took; false when it was not found within 10 s.
async fn search_survives_kill(server: &mut Server, name: &str) -> bool {
    let client = reqwest::Client::new();
    let admin = token(&server.base, "admin").await;
    let base = server.base.clone();
    let (_, catalogue) = call(
        &client,
        Method::GET,
        format!("{base}/api/v1/courses"),
        &admin,
        None,
    )
    .await
    .expect("catalogue");
    let mut lesson = None;
    for course in catalogue["items"].as_array().cloned().unwrap_or_default() {
        let id = course["id"].as_str().unwrap_or_default();
        let (_, c) = call(
            &client,
            Method::GET,
            format!("{base}/api/v1/courses/{id}"),
            &admin,
            None,
        )
        .await
        .expect("course");
        lesson = c["modules"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|m| m["lessons"].as_array().cloned().unwrap_or_default())
            .find(|l| l["kind"] == "text")
            .and_then(|l| l["id"].as_str().map(str::to_owned));
        if lesson.is_some() {
            break;
        }
    }
    let lesson = lesson.expect("a text lesson");
    let word = "fosforesensikuat";
    let (status, _) = call(
        &client,
        Method::PATCH,
        format!("{base}/api/v1/lessons/{lesson}"),
        &admin,
        Some(json!({"body_markdown": format!("Materi tentang {word}.")})),
    )
    .await
    .expect("edit");
    assert!(status.is_success(), "{status}");
    server.kill_and_restart().await;
    let restarted = Instant::now();
    while restarted.elapsed() < Duration::from_secs(10) {
        if let Ok((_, found)) = call(
            &client,
            Method::GET,
            format!("{base}/api/v1/search?q={word}"),
            &admin,
            None,
        )
        .await
            && found["hits"].as_array().is_some_and(|h| {
                h.iter().any(|h| {
                    h["snippet"]
                        .as_str()
                        .is_some_and(|s| s.contains(&format!("<mark>{word}</mark>")))
                })
            })
        {
            println!(
                "{name}: an edit answered just before kill -9 was found {} ms after the restart",
                restarted.elapsed().as_millis()
            );
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("{name}: an edit answered just before kill -9 was NOT found 10 s after the restart");
    false
}

async fn crash_scenario(
    binary: &Path,
    name: &str,
    database_url: Option<String>,
    kills: usize,
    learners_n: usize,
    port: u16,
) -> bool {
    let dir = tempfile::tempdir().expect("dir");
    let db_url = database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("mahir.db").display()
        )
    });
    let mut server = Server::start(binary, dir.path(), database_url.as_deref(), port).await;
    let db = Database::connect(&db_url).await.expect("database");
    let quiz = Arc::new(quiz(&server.base).await);
    let tokens = learners(&db, learners_n, "gagal").await;
    let base = Arc::new(server.base.clone());
    let (stop, sent, tally) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(Mutex::new(Sent::new())),
        Arc::new(Tally::default()),
    );
    let started = Instant::now();
    let storm = tokio::spawn(storm(
        base,
        quiz,
        tokens,
        stop.clone(),
        sent.clone(),
        tally.clone(),
    ));
    let mut downtime = Duration::ZERO;
    for _ in 0..kills {
        tokio::time::sleep(Duration::from_millis(rand::random_range(2_000..5_000))).await;
        let t = Instant::now();
        server.kill_and_restart().await;
        downtime += t.elapsed();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let _ = storm.await;
    let elapsed = started.elapsed();
    let sent = sent.lock().await;
    let (checked, lost) = verify(&db, &sent).await;
    let half = half_written(&db).await;
    println!(
        "{name}: {kills} × kill -9 in {:.1} s (restarts took {:.1} s in all); {} answers acknowledged, {} requests cut off by a kill; {checked} answer slots checked, {lost} lost; {half} attempts half-written",
        elapsed.as_secs_f64(),
        downtime.as_secs_f64(),
        tally.acknowledged.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
    );
    let searchable = search_survives_kill(&mut server, name).await;
    server.stop();
    lost == 0 && half == 0 && searchable
}

async fn disk_scenario(binary: &Path, learners_n: usize, port: u16) -> Option<bool> {
    let Some(disk) = mahir_tests::SmallDisk::mount(64) else {
        println!("full disk: skipped (mounting a tmpfs needs root)");
        return None;
    };
    let data = disk.path().join("data");
    std::fs::create_dir_all(&data).expect("data");
    let db_url = format!("sqlite://{}?mode=rwc", data.join("mahir.db").display());
    let mut server = Server::start(binary, &data, None, port).await;
    let db = Database::connect(&db_url).await.expect("database");
    let quiz = Arc::new(quiz(&server.base).await);
    let tokens = learners(&db, learners_n, "penuh").await;
    let base = Arc::new(server.base.clone());
    let (stop, sent, tally) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(Mutex::new(Sent::new())),
        Arc::new(Tally::default()),
    );
    let storm_task = tokio::spawn(storm(
        base,
        quiz,
        tokens,
        stop.clone(),
        sent.clone(),
        tally.clone(),
    ));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before_full = tally.acknowledged.load(Ordering::Relaxed);
    let filler = disk.fill();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let during_ack = tally.acknowledged.load(Ordering::Relaxed) - before_full;
    let refused = tally.refused_for_space.load(Ordering::Relaxed);
    let readyz_full = reqwest::get(format!("{}/readyz", server.base))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    std::fs::remove_file(&filler).expect("free");
    let freed = tally.acknowledged.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after_ack = tally.acknowledged.load(Ordering::Relaxed) - freed;
    let readyz_after = reqwest::get(format!("{}/readyz", server.base))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    stop.store(true, Ordering::Relaxed);
    let _ = storm_task.await;
    let (checked, lost) = verify(&db, &*sent.lock().await).await;
    println!(
        "full disk (SQLite on a 64 MiB tmpfs): 5 s full: {during_ack} answers acknowledged, {refused} refused with 507/503, {} other errors; /readyz {readyz_full} while full, {readyz_after} after; 3 s after space returned: {after_ack} acknowledged; {checked} answer slots checked, {lost} lost",
        tally.other.load(Ordering::Relaxed),
    );
    server.stop();
    drop(db);
    drop(disk);
    Some(lost == 0 && readyz_full == 503 && readyz_after == 200 && after_ack > 0)
}

#[tokio::main]
async fn main() {
    let binary = PathBuf::from(env_or("BINARY", "target/release/mahir"));
    let binary = if binary.exists() {
        binary
    } else {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        PathBuf::from(target).join("release/mahir")
    };
    assert!(
        binary.exists(),
        "build the release binary first: cargo build --release"
    );
    let kills: usize = env_or("KILLS", "5").parse().expect("KILLS");
    let learners_n: usize = env_or("LEARNERS", "60").parse().expect("LEARNERS");
    let postgres = env_or("POSTGRES", "postgres://postgres@127.0.0.1:5432/test");
    let started = Instant::now();
    let mut ok = crash_scenario(&binary, "SQLite", None, kills, learners_n, 18_571).await;
    if !postgres.is_empty() {
        let url = mahir_tests::fresh_postgres(&postgres).await;
        ok &= crash_scenario(&binary, "PostgreSQL", Some(url), kills, learners_n, 18_572).await;
    }
    if std::env::var("SKIP_DISK").is_err()
        && let Some(disk_ok) = disk_scenario(&binary, learners_n, 18_573).await
    {
        ok &= disk_ok;
    }
    println!(
        "fault scenario: {} in {:.0} s",
        if ok { "passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if !ok {
        std::process::exit(1);
    }
}

//! The quiz storm: LEARNERS learners (default 2,000) each start an attempt of the same
//! quiz, save ANSWERS answers (default 20) and submit, against the real app on SQLite (or
//! PostgreSQL when MAHIR_TEST_DATABASE_URL is set). Prints throughput, p50/p99 per step and
//! errors, then checks that every acknowledged answer is in the database.
//!
//! Two ways to run it:
//! - MODE=exam (default): all learners sit the exam at once, as people do. They arrive in
//!   the first START_WINDOW seconds (default 10: 200 starts a second) and think THINK_MS
//!   milliseconds on average (default 3,000; each pause drawn from half to one and a half
//!   times that) before each answer and before submitting.
//! - MODE=saturate: no thinking, CONCURRENCY learners (default 200) at a time, each next
//!   request sent the moment the last one is answered; this finds the most the machine
//!   does, and its latencies are mostly time spent waiting in line.
//!
//! cargo bench -p mahir-tests --bench quiz_storm
//! MODE=saturate cargo bench -p mahir-tests --bench quiz_storm
//! MAHIR_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p mahir-tests --bench quiz_storm
//! IMPORT=5000 cargo bench -p mahir-tests --bench quiz_storm   (an instructor imports a file
//! of that many questions into another course in the middle of the storm)

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Stats {
    start: Vec<Duration>,
    answer: Vec<Duration>,
    submit: Vec<Duration>,
    errors: Vec<String>,
    acknowledged: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    println!(
        "  {name:<7} {:>6} requests  p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        v.len(),
        percentile(&v, 0.50).as_secs_f64() * 1000.0,
        percentile(&v, 0.99).as_secs_f64() * 1000.0,
        v.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
}

fn gift(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "::Soal {i}::Berapa {i} + {i}? {{={} ~{} ~{} ~{}}}\n",
                2 * i,
                2 * i + 1,
                2 * i - 1,
                3 * i + 2
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::main]
async fn main() {
    let learners = env_usize("LEARNERS", 2000);
    let answers = env_usize("ANSWERS", 20);
    let saturate = std::env::var("MODE").is_ok_and(|m| m == "saturate");
    let concurrency = if saturate {
        env_usize("CONCURRENCY", 200)
    } else {
        learners
    };
    let start_window = Duration::from_secs(env_usize("START_WINDOW", 10) as u64);
    let think_ms = if saturate {
        0
    } else {
        env_usize("THINK_MS", 3000) as u64
    };
    let backend = if std::env::var("MAHIR_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    if saturate {
        println!(
            "quiz storm (saturate): {learners} learners x ({answers} answers + start + submit), {concurrency} at a time, no thinking, {backend}"
        );
    } else {
        println!(
            "quiz storm (exam): {learners} learners x ({answers} answers + start + submit), all at once: arriving within {} s, thinking {think_ms} ms on average, {backend}",
            start_window.as_secs()
        );
    }
    let app = Arc::new(TestApp::spawn().await);

    // A published course with a quiz of ANSWERS single-choice questions.
    let teacher = app.token("instructor").await;
    let (_, course) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(
                json!({"code": "BADAI", "title": "Uji beban kuis", "category": "teknis", "jp": 1}),
            ),
        )
        .await;
    let course = course["id"].as_str().expect("course").to_owned();
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Ujian"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/courses/{course}/questions/import")))
        .bearer_auth(&teacher)
        .header("content-type", "text/plain")
        .body(gift(answers))
        .send()
        .await
        .expect("import");
    assert_eq!(res.status(), StatusCode::OK, "import");
    let (_, bank) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    let ids = mahir_tests::ids(&bank);
    let (status, quiz) = app
        .api(Method::POST, &teacher, &format!("/api/v1/modules/{module}/quizzes"), Some(json!({
            "title": "Ujian akhir", "question_ids": ids, "time_limit_seconds": 3600, "pass_percent": 60})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{quiz}");
    let quiz = quiz["id"].as_str().expect("quiz").to_owned();
    app.api(
        Method::POST,
        &teacher,
        &format!("/api/v1/courses/{course}/publish"),
        None,
    )
    .await;

    // The learners: accounts and API tokens made directly (no password hashing in the way).
    let setup = Instant::now();
    let mut tokens = Vec::with_capacity(learners);
    for i in 0..learners {
        let name =
            mahir::auth::service::Username::parse(&format!("badai{i:05}")).expect("username");
        let user = mahir::auth::service::create_user(
            &app.db,
            mahir::auth::service::NewUser {
                username: &name,
                display_name: &format!("Peserta Badai {i}"),
                email: None,
                password: None,
                roles: &[mahir::auth::principal::Role::Learner],
            },
        )
        .await
        .expect("user");
        tokens.push(
            mahir::auth::tokens::issue(
                &app.db,
                chrono::Utc::now(),
                user.id,
                Duration::from_secs(86_400),
            )
            .await
            .expect("token"),
        );
    }
    println!(
        "setup: {learners} accounts and tokens in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    // The demo data holds attempts of its own: count only what the storm adds.
    let answers_before = app.count("SELECT COUNT(*) FROM attempt_answers").await;
    let finished_before = app
        .count("SELECT COUNT(*) FROM attempts WHERE state = 'finished' AND score IS NOT NULL")
        .await;
    let stats = Arc::new(Mutex::new(Stats::default()));
    let gate = Arc::new(Semaphore::new(concurrency));
    let storm = Instant::now();
    // An instructor imports a large question file while the learners answer.
    let import = match env_usize("IMPORT", 0) {
        0 => None,
        n => {
            let (app, teacher) = (app.clone(), teacher.clone());
            let (_, other) = app
                .api(
                    Method::POST,
                    &teacher,
                    "/api/v1/courses",
                    Some(json!({"code": "IMPOR", "title": "Bank besar", "category": "teknis", "jp": 1})),
                )
                .await;
            let other = other["id"].as_str().expect("course").to_owned();
            let at = start_window + Duration::from_secs(5);
            Some(tokio::spawn(async move {
                tokio::time::sleep(at).await;
                let t = Instant::now();
                let res = reqwest::Client::new()
                    .post(app.url(&format!("/api/v1/courses/{other}/questions/import")))
                    .bearer_auth(&teacher)
                    .header("content-type", "text/plain")
                    .body(gift(n))
                    .send()
                    .await
                    .expect("import");
                (res.status(), t.elapsed(), at)
            }))
        }
    };
    let mut tasks = Vec::with_capacity(learners);
    for (n, token) in tokens.into_iter().enumerate() {
        // Arrivals spread evenly over the start window (exam mode).
        let arrive = if saturate {
            Duration::ZERO
        } else {
            start_window.mul_f64(n as f64 / learners as f64)
        };
        let (client, app, stats, gate, quiz) = (
            client.clone(),
            app.clone(),
            stats.clone(),
            gate.clone(),
            quiz.clone(),
        );
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(arrive).await;
            let _permit = gate.acquire_owned().await.expect("gate");
            let mut mine = Stats::default();
            let think = || {
                let ms = if think_ms == 0 {
                    0
                } else {
                    rand::random_range(think_ms / 2..=think_ms * 3 / 2)
                };
                tokio::time::sleep(Duration::from_millis(ms))
            };
            let call = |method: Method, path: String, body: Option<Value>| {
                let mut req = client.request(method, app.url(&path)).bearer_auth(&token);
                if let Some(b) = body {
                    req = req.json(&b);
                }
                async move {
                    let t = Instant::now();
                    let res = req.send().await;
                    let took = t.elapsed();
                    match res {
                        Ok(r) => {
                            let status = r.status();
                            let body: Value = r.json().await.unwrap_or(Value::Null);
                            (took, status, body)
                        }
                        Err(e) => (
                            took,
                            StatusCode::IM_A_TEAPOT,
                            json!({"transport": e.to_string()}),
                        ),
                    }
                }
            };
            let (took, status, attempt) = call(
                Method::POST,
                format!("/api/v1/quizzes/{quiz}/attempts"),
                None,
            )
            .await;
            mine.start.push(took);
            if status != StatusCode::CREATED {
                mine.errors.push(format!("start {status}: {attempt}"));
            } else {
                let id = attempt["id"].as_str().unwrap_or_default().to_owned();
                for q in attempt["questions"].as_array().cloned().unwrap_or_default() {
                    think().await;
                    let option = q["options"][0]["id"].clone();
                    let (took, status, body) = call(
                        Method::PUT,
                        format!(
                            "/api/v1/attempts/{id}/answers/{}",
                            q["id"].as_str().unwrap_or_default()
                        ),
                        Some(json!({"response": {"choices": [option]}})),
                    )
                    .await;
                    mine.answer.push(took);
                    if status == StatusCode::OK && body["saved"] == true {
                        mine.acknowledged += 1;
                    } else {
                        mine.errors.push(format!("answer {status}: {body}"));
                    }
                }
                think().await;
                let (took, status, body) =
                    call(Method::POST, format!("/api/v1/attempts/{id}/submit"), None).await;
                mine.submit.push(took);
                if status != StatusCode::OK || body["state"] != "finished" {
                    mine.errors.push(format!("submit {status}: {body}"));
                }
            }
            let mut all = stats.lock().await;
            all.start.extend(mine.start);
            all.answer.extend(mine.answer);
            all.submit.extend(mine.submit);
            all.errors.extend(mine.errors);
            all.acknowledged += mine.acknowledged;
        }));
    }
    for t in tasks {
        t.await.expect("learner task");
    }
    let elapsed = storm.elapsed();
    let stats = Arc::try_unwrap(stats).ok().expect("stats").into_inner();
    let requests = stats.start.len() + stats.answer.len() + stats.submit.len();
    println!(
        "storm: {requests} requests in {:.1} s = {:.0} requests/s; {} errors",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        stats.errors.len()
    );
    for e in stats.errors.iter().take(5) {
        println!("  error: {e}");
    }
    report("start", stats.start);
    report("answer", stats.answer);
    report("submit", stats.submit);
    if let Some(import) = import {
        let (status, took, at) = import.await.expect("import task");
        println!(
            "import: {} questions at {:.0} s into the storm: {status} in {:.0} ms",
            env_usize("IMPORT", 0),
            at.as_secs_f64(),
            took.as_secs_f64() * 1000.0
        );
    }

    // Every acknowledged answer is in the database, and every attempt was graded once.
    let stored = app.count("SELECT COUNT(*) FROM attempt_answers").await - answers_before;
    let finished = app
        .count("SELECT COUNT(*) FROM attempts WHERE state = 'finished' AND score IS NOT NULL")
        .await
        - finished_before;
    println!(
        "check: {} answers acknowledged, {stored} stored ({} lost); {finished} of {learners} attempts finished and graded",
        stats.acknowledged,
        stats.acknowledged as i64 - stored
    );
    assert_eq!(
        stored, stats.acknowledged as i64,
        "acknowledged answers lost"
    );
}

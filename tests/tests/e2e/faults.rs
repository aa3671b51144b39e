//! Faults from outside the request: slow and silent clients, a shutdown with connections
//! still open, and a full disk under the database and the object store.

use std::time::{Duration, Instant};

use mahir_tests::{Options, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Waits until the server closes `stream` (a read gives 0 bytes or an error); returns how
/// long that took, or `None` after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), stream.read(&mut buf))
            .await
        {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            // A 408 or similar before the close is fine; keep reading until it closes.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn slow_and_silent_connections_are_closed() {
    let app = TestApp::spawn_with(Options {
        header_timeout: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // A client that sends half a request and stops.
    let mut slow = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("write");
    // A client that says nothing at all.
    let mut silent = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    for (name, stream) in [("slow", &mut slow), ("silent", &mut silent)] {
        let took = closed_within(stream, Duration::from_secs(10)).await;
        assert!(
            took.is_some(),
            "the {name} connection is still open after 10 s"
        );
    }
    // A normal client is unaffected.
    let res = reqwest::get(app.url("/healthz")).await.expect("healthz");
    assert_eq!(res.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn shutdown_ends_in_time_with_connections_still_open() {
    let (app, _dir) = TestApp::build(Options {
        header_timeout: Some(Duration::from_secs(120)),
        shutdown_timeout: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await;
    let addr = app.local_addr().expect("bound");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    // A request that never finishes sending its headers, and one whose body never comes.
    let mut partial = tokio::net::TcpStream::connect(addr).await.expect("connect");
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut bodiless = tokio::net::TcpStream::connect(addr).await.expect("connect");
    bodiless
        .write_all(
            b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let _ = stop.send(());
    let finished = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        finished.is_ok(),
        "the server was still running 10 s after shutdown"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(
        closed_within(&mut partial, Duration::from_secs(2))
            .await
            .is_some()
    );
    assert!(
        closed_within(&mut bodiless, Duration::from_secs(2))
            .await
            .is_some()
    );
}

/// With the data directory's disk full, no write reports a success it did not make, an
/// upload leaves no bytes behind, `/readyz` says so, and all works again once there is
/// space. (SQLite: the database is on that disk; PostgreSQL: only the materials are.)
#[tokio::test]
async fn a_full_disk_gives_clear_errors_and_no_false_success() {
    let Some(disk) = mahir_tests::SmallDisk::mount(48) else {
        eprintln!("a_full_disk_…: skipped, mounting a tmpfs needs root (CI runs it)");
        return;
    };
    let data = disk.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let app = TestApp::spawn_with(Options {
        data_dir: Some(data.clone()),
        ..Default::default()
    })
    .await;
    let teacher = app.token("instructor").await;
    let course = crate::rules::new_course(&app, &teacher, "PENUH").await;
    let (_, c) = app
        .api(
            reqwest::Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let lesson = c["modules"][0]["lessons"][0]["id"]
        .as_str()
        .expect("lesson")
        .to_owned();
    let pdf = mahir_content::pdf::simple_pdf("Penuh", &["Isi."]);
    let upload = |bytes: Vec<u8>| {
        let (app, teacher, lesson) = (&app, &teacher, &lesson);
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("materi.pdf"),
            );
            let res = reqwest::Client::new()
                .post(app.url(&format!("/api/v1/lessons/{lesson}/materials")))
                .bearer_auth(teacher)
                .multipart(form)
                .send()
                .await
                .expect("upload");
            let status = res.status();
            let body: serde_json::Value = res.json().await.unwrap_or_default();
            (status, body)
        }
    };
    let refused_for_space = |status: reqwest::StatusCode, body: &serde_json::Value| {
        let code = body["error"]["code"].as_str().unwrap_or_default();
        (status == reqwest::StatusCode::INSUFFICIENT_STORAGE && code == "storage_full")
            || (status == reqwest::StatusCode::SERVICE_UNAVAILABLE
                && (code == "storage_unavailable" || code == "database_unavailable"))
    };

    let filler = disk.fill();
    let ready = reqwest::get(app.url("/readyz")).await.expect("readyz");
    let status = ready.status();
    let ready: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(
        status,
        reqwest::StatusCode::SERVICE_UNAVAILABLE,
        "{ready} {:?}",
        std::process::Command::new("df")
            .arg(disk.path())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    );
    assert_eq!(ready["materials"], "full", "{ready}");

    // Logins: refused for space, or a token that works. Never a token that does not.
    for _ in 0..5 {
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/auth/token"))
            .json(&serde_json::json!({"username": "learner1", "password": mahir_tests::PASSWORD}))
            .send()
            .await
            .expect("token");
        let status = res.status();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        if status == reqwest::StatusCode::OK {
            let token = body["token"].as_str().expect("token");
            let (me, _) = app
                .api(reqwest::Method::GET, token, "/api/v1/me", None)
                .await;
            assert_eq!(
                me,
                reqwest::StatusCode::OK,
                "a token was issued that does not work"
            );
        } else {
            assert!(refused_for_space(status, &body), "{status} {body}");
        }
    }
    // An upload: refused for space, nothing recorded, no bytes left behind.
    let rows = app.count("SELECT COUNT(*) FROM materials").await;
    let (status, body) = upload(pdf.clone()).await;
    assert!(refused_for_space(status, &body), "{status} {body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM materials").await, rows);
    assert_eq!(
        mahir_tests::count_files(&data.join("objects")) as i64,
        rows,
        "no stray bytes"
    );

    // Space returns: everything works again.
    std::fs::remove_file(&filler).expect("free the disk");
    let ready = reqwest::get(app.url("/readyz")).await.expect("readyz");
    assert_eq!(ready.status(), reqwest::StatusCode::OK);
    let (status, body) = upload(pdf).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let token = app.token("learner1").await;
    let (me, _) = app
        .api(reqwest::Method::GET, &token, "/api/v1/me", None)
        .await;
    assert_eq!(me, reqwest::StatusCode::OK);
    assert_eq!(
        mahir_tests::count_files(&data.join("objects")) as i64,
        rows + 1
    );
}

//! Search end to end: the index built from the database on start, found under stemmed
//! words, phrases and typos, never leaking what a user may not see, fresh within a second
//! or two of an edit, rebuilt by a replica with no index, and unharmed by a broken PDF.

use mahir::search::api::SearchJson;
use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

async fn search(app: &TestApp, token: &str, query: &str) -> SearchJson {
    app.get(token, &format!("/api/v1/search?{query}")).await
}

fn q(words: &str) -> String {
    serde_urlencoded::to_string([("q", words)]).expect("query")
}

/// Searches until `found` holds (the index follows the database within about a second);
/// panics after `within`.
async fn eventually(
    app: &TestApp,
    token: &str,
    query: &str,
    within: Duration,
    found: impl Fn(&SearchJson) -> bool,
) -> (SearchJson, Duration) {
    let start = Instant::now();
    loop {
        let r = search(app, token, query).await;
        if found(&r) {
            return (r, start.elapsed());
        }
        assert!(
            start.elapsed() < within,
            "not found within {within:?}: {query} → {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The demo, indexed: waits for the first build of the index.
async fn indexed() -> TestApp {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    eventually(&app, &admin, &q("keamanan"), Duration::from_secs(20), |r| {
        r.total > 0
    })
    .await;
    app
}

/// The first text lesson of the demo course `code` gets `body` through the API (as its
/// instructor); returns the lesson's id and the answer.
async fn edit_first_text_lesson(
    app: &TestApp,
    code: &str,
    body: &str,
) -> (String, StatusCode, serde_json::Value) {
    let teacher = app.token("instructor").await;
    let lesson = app
        .id_of(&format!(
            "SELECT l.id FROM lessons l JOIN courses c ON c.id = l.course_id \
             WHERE c.code = '{code}' AND l.kind = 'text' ORDER BY l.position LIMIT 1"
        ))
        .await;
    let (status, answer) = app
        .api(
            Method::PATCH,
            &teacher,
            &format!("/api/v1/lessons/{lesson}"),
            Some(json!({ "body_markdown": body })),
        )
        .await;
    (lesson, status, answer)
}

fn titles(r: &SearchJson) -> Vec<&str> {
    r.hits.iter().map(|h| h.title.as_str()).collect()
}

#[tokio::test]
async fn learners_find_courses_by_stemmed_words_phrases_and_typos() {
    let app = indexed().await;
    let rizky = app.token("learner5").await;
    // The course comes first among the courses (its PDF, which this learner's assignment
    // opens to them, may rank beside it).
    let first_course = |r: &SearchJson| {
        r.hits
            .iter()
            .find(|h| h.kind == "course")
            .map(|h| h.title.clone())
    };
    let r = search(&app, &rizky, &q("pengamanan informasi")).await;
    assert_eq!(
        first_course(&r).as_deref(),
        Some("Keamanan Informasi untuk ASN"),
        "{r:?}"
    );
    assert!(
        titles(&r)[..2]
            .iter()
            .any(|t| t.contains("Keamanan Informasi"))
    );
    assert!(!r.fuzzy);
    // A misspelled query finds the right course, its match marked.
    let r = search(&app, &rizky, &q("keamaan infromasi")).await;
    assert!(r.fuzzy, "{r:?}");
    assert_eq!(
        first_course(&r).as_deref(),
        Some("Keamanan Informasi untuk ASN"),
        "{r:?}"
    );
    assert!(r.hits.iter().any(|h| h.snippet.contains("<mark>")), "{r:?}");
    // A phrase finds the exact phrase.
    let r = search(&app, &rizky, &q("\"pertolongan pertama\"")).await;
    assert!(r.total >= 1, "{r:?}");
    assert!(titles(&r).iter().any(|t| t.contains("Pertolongan Pertama")));
    let r = search(&app, &rizky, &q("\"pertama pertolongan\"")).await;
    assert_eq!(r.total, 0, "{r:?}");
    // The API's shape.
    let body: serde_json::Value = app
        .get(&rizky, &format!("/api/v1/search?{}", q("keamanan")))
        .await;
    for key in ["total", "hits", "page", "per_page"] {
        assert!(body.get(key).is_some(), "{key}");
    }
    for key in ["kind", "id", "title", "snippet", "course_id"] {
        assert!(body["hits"][0].get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn nobody_sees_a_draft_or_content_out_of_their_reach() {
    let app = indexed().await;
    let teacher = app.token("instructor").await;
    let (status, course) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(
                json!({"code": "ZETA-1", "title": "Kebijakan Zetaplasma Rahasia",
                        "summary": "Draf zetaplasma", "category": "teknis", "jp": 2}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{course}");
    let (found, _) = eventually(
        &app,
        &teacher,
        &q("zetaplasma"),
        Duration::from_secs(3),
        |r| r.total == 1,
    )
    .await;
    assert_eq!(found.hits[0].title, "Kebijakan Zetaplasma Rahasia");
    let admin = app.token("admin").await;
    assert_eq!(search(&app, &admin, &q("zetaplasma")).await.total, 1);
    let rizky = app.token("learner5").await;
    for words in [
        "zetaplasma",
        "zetaplasm",
        "\"kebijakan zetaplasma\"",
        "rahasia zetaplasma",
    ] {
        let r = search(&app, &rizky, &q(words)).await;
        assert_eq!(r.total, 0, "{words}: {r:?}");
        assert!(r.hits.is_empty());
    }
    // The suggestions of the header's box follow the same rule.
    let client = app.login("learner5").await;
    let (status, body) = app
        .page(&client, &format!("/search/suggest?{}", q("zetaplasma")))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("Zetaplasma"), "{body}");
    // A lesson's text is found by those enrolled (or assigned), not by everyone.
    let (_, open) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(
                json!({"code": "OMEGA-1", "title": "Pelatihan Omega Terbuka",
                        "category": "teknis", "jp": 2}),
            ),
        )
        .await;
    let open_id = open["id"].as_str().expect("id").to_owned();
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{open_id}/modules"),
            Some(json!({"title": "Modul"})),
        )
        .await;
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!(
                "/api/v1/modules/{}/lessons",
                module["id"].as_str().expect("module")
            ),
            Some(json!({"title": "Bacaan", "kind": "text",
                        "body_markdown": "Prosedur kuarsitoid untuk pegawai."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{open_id}/publish"),
            None,
        )
        .await;
    assert!(status.is_success());
    eventually(
        &app,
        &teacher,
        &q("kuarsitoid"),
        Duration::from_secs(3),
        |r| r.total == 1,
    )
    .await;
    // Published: the course itself is found by everyone once the publication is indexed
    // (the lesson above may be indexed a moment before it), its content still not.
    eventually(&app, &rizky, &q("omega"), Duration::from_secs(3), |r| {
        r.total == 1
    })
    .await;
    assert_eq!(search(&app, &rizky, &q("kuarsitoid")).await.total, 0);
    let (status, _) = app
        .api(
            Method::POST,
            &rizky,
            &format!("/api/v1/courses/{open_id}/enrol"),
            None,
        )
        .await;
    assert!(status.is_success());
    let after = search(&app, &rizky, &q("kuarsitoid")).await;
    assert_eq!(after.total, 1, "{after:?}");
    assert_eq!(after.hits[0].kind, "lesson");
}

#[tokio::test]
async fn an_edited_lesson_is_found_under_its_new_words_within_two_seconds() {
    let app = indexed().await;
    let teacher = app.token("instructor").await;
    let (lesson, status, body) = edit_first_text_lesson(
        &app,
        "KI-ASN",
        "Materi baru tentang kriptografi kuantum untuk pegawai.",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (r, took) = eventually(
        &app,
        &teacher,
        &q("kriptografi kuantum"),
        Duration::from_secs(2),
        |r| r.hits.iter().any(|h| h.id.to_string() == lesson),
    )
    .await;
    assert!(took < Duration::from_secs(2), "{took:?}");
    let hit = r
        .hits
        .iter()
        .find(|h| h.id.to_string() == lesson)
        .expect("hit");
    assert!(
        hit.snippet.contains("<mark>kriptografi</mark>"),
        "{}",
        hit.snippet
    );
    // Only editors change lessons; bad input changes nothing.
    let rizky = app.token("learner5").await;
    let refusal = app
        .refused(
            Method::PATCH,
            &rizky,
            &format!("/api/v1/lessons/{lesson}"),
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(refusal.status, StatusCode::FORBIDDEN);
    let refusal = app
        .refused(
            Method::PATCH,
            &teacher,
            &format!("/api/v1/lessons/{lesson}"),
            Some(json!({"title": "   "})),
        )
        .await;
    assert_eq!(refusal.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_replica_without_an_index_builds_the_same_results() {
    let app = indexed().await;
    let admin = app.token("admin").await;
    let words = [
        "keamanan informasi",
        "pelayanan perizinan",
        "analisis data",
        "\"jalan napas\"",
    ];
    let mut before = Vec::new();
    for w in words {
        before.push(search(&app, &admin, &q(w)).await);
    }
    let replica = app.replica().await;
    let admin2 = replica.token("admin").await;
    for (w, b) in words.iter().zip(&before) {
        let (r, _) = eventually(&replica, &admin2, &q(w), Duration::from_secs(20), |r| {
            r.total == b.total
        })
        .await;
        let ids = |r: &SearchJson| r.hits.iter().map(|h| h.id).collect::<Vec<_>>();
        assert_eq!(ids(&r), ids(b), "{w}");
    }
}

#[tokio::test]
async fn a_broken_pdf_is_stored_and_served_but_not_indexed() {
    let app = indexed().await;
    let teacher = app.token("instructor").await;
    let lesson = app
        .id_of(
            "SELECT l.id FROM lessons l JOIN courses c ON c.id = l.course_id \
             WHERE c.code = 'KI-ASN' AND l.kind = 'document' LIMIT 1",
        )
        .await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let app = &app;
        let teacher = teacher.clone();
        let lesson = lesson.clone();
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/lessons/{lesson}/materials")))
                .bearer_auth(&teacher)
                .multipart(form)
                .send()
                .await
                .expect("upload")
        }
    };
    let mut broken = b"%PDF-1.7\n1 0 obj\n".to_vec();
    broken.extend(std::iter::repeat_n(b'[', 50_000));
    broken.extend(b"\nstream\n\xff\xfe garbage");
    let res = upload("rusak.pdf", broken).await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM material_texts WHERE text IS NULL AND problem IS NOT NULL")
            .await,
        1
    );
    // The server keeps answering, and a good PDF's words are found.
    let good = mahir_content::pdf::simple_pdf(
        "Pedoman Sandi",
        &["Gunakan pengelola sandi xilofonik untuk setiap akun dinas."],
    );
    let res = upload("pedoman.pdf", good).await;
    assert!(res.status().is_success(), "{}", res.status());
    let (r, _) = eventually(
        &app,
        &teacher,
        &q("xilofonik"),
        Duration::from_secs(3),
        |r| r.total >= 1,
    )
    .await;
    assert_eq!(r.hits[0].kind, "document", "{r:?}");
    assert!(r.hits[0].snippet.contains("<mark>xilofonik</mark>"));
}

#[tokio::test]
async fn bad_filters_are_refused_and_odd_queries_answer() {
    let app = indexed().await;
    let token = app.token("learner1").await;
    for (query, code) in [
        ("q=a&category=lain", "invalid_category"),
        ("q=a&delivery=pos", "invalid_delivery"),
        ("q=a&jp_min=-1", "invalid_jp"),
        ("q=a&jp_min=9&jp_max=2", "invalid_jp"),
    ] {
        let refusal = app
            .refused(
                Method::GET,
                &token,
                &format!("/api/v1/search?{query}"),
                None,
            )
            .await;
        assert_eq!(refusal.code.as_str(), code, "{query}");
    }
    let long = "keamanan ".repeat(2_000);
    for words in ["", "yang dan di", "*:* OR x", "((", "\"", long.as_str()] {
        let (status, _) = app
            .api(
                Method::GET,
                &token,
                &format!("/api/v1/search?{}", q(words)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{words:.20}");
    }
    let refusal = app
        .refused(Method::GET, &token, "/api/v1/search?q=a%00b", None)
        .await;
    assert_eq!(refusal.code.as_str(), "invalid_text");
    // The results page works without a script and keeps the filters.
    let client = app.login("learner1").await;
    let (status, html) = app
        .page(&client, "/search?q=keamanan&category=teknis&jp_max=40")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Keamanan Informasi untuk ASN"), "{html}");
    assert!(html.contains("value=\"teknis\" selected"));
    let (status, html) = app.page(&client, "/search?q=keamanan&jp_min=abc").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\"") && html.contains("value=\"keamanan\""));
}

/// A replica on `search_dir`, served until `stop` fires: its address and how its index was
/// found on start.
async fn replica_on(
    app: &TestApp,
    search_dir: &std::path::Path,
) -> (
    String,
    mahir_content::search::Opened,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let mut config = TestApp::config_on(
        &app.data_dir,
        &mahir_tests::Options::default(),
        app.database_url.clone(),
    );
    config.search_dir = search_dir.to_path_buf();
    let built = mahir::build(config).await.expect("replica builds");
    let base = format!("http://{}", built.local_addr().expect("bound"));
    let opened = built.state().search().opened().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(built.run_until(async {
        let _ = stopped.await;
    }));
    (base, opened, stop, handle)
}

async fn total_at(base: &str, token: &str, words: &str) -> u64 {
    let r: SearchJson = reqwest::Client::new()
        .get(format!("{base}/api/v1/search?{}", q(words)))
        .bearer_auth(token)
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    r.total as u64
}

#[tokio::test]
async fn a_restarted_replica_resumes_from_the_position_of_its_last_commit() {
    let app = indexed().await;
    let admin = app.token("admin").await;
    let dir = tempfile::tempdir().expect("dir");
    let index_dir = dir.path().join("index");
    let (base, opened, stop, handle) = replica_on(&app, &index_dir).await;
    assert_eq!(opened, mahir_content::search::Opened::Created);
    let start = Instant::now();
    while total_at(&base, &admin, "keamanan").await == 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "never indexed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop.send(());
    let _ = handle.await;
    // While it is down, a lesson changes.
    let (_, status, _) = edit_first_text_lesson(
        &app,
        "PPP",
        "Loket daring untuk warga lansia: antrean zirkonium.",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Started again on the same directory, it finds its index at its last position and
    // applies what changed since, without a rebuild.
    let mut attempt = 0;
    let (base, opened, stop, handle) = loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let r = replica_on(&app, &index_dir).await;
        if matches!(r.1, mahir_content::search::Opened::Existing(_)) || attempt == 10 {
            break r;
        }
        // The stopped replica's writer lock may take a moment to go.
        let _ = r.2.send(());
        let _ = r.3.await;
        attempt += 1;
    };
    assert!(
        matches!(opened, mahir_content::search::Opened::Existing(Some(p)) if p > 0),
        "{opened:?}"
    );
    let start = Instant::now();
    while total_at(&base, &admin, "zirkonium").await == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "the change was not caught up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = stop.send(());
    let _ = handle.await;
}

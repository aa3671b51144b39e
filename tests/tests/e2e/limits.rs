//! Bounds on what a request may carry: body sizes, page numbers, NUL bytes, dates, and the
//! cost of rendering what an author writes.

use mahir_tests::TestApp;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// The first lesson of the first published course in the catalogue (as seen by `token`).
pub(crate) async fn a_demo_lesson(app: &TestApp, token: &str) -> String {
    let (_, list) = app.api(Method::GET, token, "/api/v1/courses", None).await;
    let course = list["items"][0]["id"]
        .as_str()
        .expect("a course")
        .to_owned();
    let (_, c) = app
        .api(
            Method::GET,
            token,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    c["modules"][0]["lessons"][0]["id"]
        .as_str()
        .expect("a lesson")
        .to_owned()
}

/// A raw JSON body of about `size` bytes: a valid object with one long string.
fn json_of_size(size: usize) -> String {
    format!("{{\"seconds\":1,\"note\":\"{}\"}}", "a".repeat(size))
}

async fn post_raw(app: &TestApp, token: &str, path: &str, body: String) -> (StatusCode, Value) {
    let res = Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("post");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_before_they_are_read() {
    let app = TestApp::spawn().await;
    let learner = app.token("learner1").await;
    let lesson = a_demo_lesson(&app, &learner).await;
    let big = 2 * 1024 * 1024;

    let (status, err) = post_raw(
        &app,
        &learner,
        &format!("/api/v1/lessons/{lesson}/progress"),
        json_of_size(big),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "payload_too_large");

    let teacher = app.token("instructor").await;
    let courses = app.count("SELECT COUNT(*) FROM courses").await;
    let body = json!({"code": "BESAR", "title": "Besar", "category": "teknis", "jp": 2,
        "summary": "x".repeat(big)})
    .to_string();
    let (status, err) = post_raw(&app, &teacher, "/api/v1/courses", body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "payload_too_large");
    assert_eq!(app.count("SELECT COUNT(*) FROM courses").await, courses);

    // A page form too: the same refusal, as a page.
    let browser = app.login("instructor").await;
    let res = app
        .post_form(&browser, "/teach", &[("title", &"x".repeat(big))])
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A body just under the limit is read (and judged on its content).
    let (status, _) = post_raw(
        &app,
        &learner,
        &format!("/api/v1/lessons/{lesson}/progress"),
        json_of_size(900 * 1024),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn page_numbers_are_bounded() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    for path in [
        "/api/v1/courses?page=18446744073709551615",
        "/api/v1/courses?page=0",
        "/api/v1/employees?page=9223372036854775807",
        "/api/v1/employees?page=2&per_page=18446744073709551615",
        "/api/v1/employees?page=99999999999999999999999",
    ] {
        let (status, err) = app.api(Method::GET, &admin, path, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {err}");
        assert_eq!(err["error"]["code"], "invalid_page", "{path}");
    }
    let browser = app.login("admin").await;
    for path in [
        "/courses?page=18446744073709551615",
        "/admin/employees?page=18446744073709551615",
    ] {
        let (status, _) = app.page(&browser, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
    }
    // The last sane page is simply empty.
    let (status, list) = app
        .api(Method::GET, &admin, "/api/v1/courses?page=100000", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"], json!([]));
}

/// A NUL character is refused at the edge with the same 422 on SQLite and PostgreSQL
/// (PostgreSQL's text columns cannot hold it), and nothing changes.
#[tokio::test]
async fn nul_characters_are_refused_everywhere() {
    let app = TestApp::spawn().await;
    let check = |(status, err): (StatusCode, Value), what: &str| {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {err}");
        assert_eq!(err["error"]["code"], "invalid_text", "{what}");
    };
    // Before authentication.
    let res = Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "ad\u{0}min", "password": "x"}))
        .send()
        .await
        .expect("token");
    let status = res.status();
    check((status, res.json().await.expect("json")), "token");

    let teacher = app.token("instructor").await;
    check(
        app.api(Method::GET, &teacher, "/api/v1/courses?q=a%00b", None)
            .await,
        "search",
    );
    let courses = app.count("SELECT COUNT(*) FROM courses").await;
    check(
        app.api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(
                json!({"code": "NUL-1", "title": "Nul", "category": "teknis", "jp": 2,
                "summary": "ring\u{0}kasan"}),
            ),
        )
        .await,
        "course summary",
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM courses").await, courses);

    let course = crate::quizzes::draft_course(&app, &teacher).await;
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Modul"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    check(
        app.api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Bacaan", "kind": "text", "body_markdown": "a\u{0}b"})),
        )
        .await,
        "lesson body",
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lessons WHERE title = 'Bacaan'")
            .await,
        0
    );
    let questions = app.count("SELECT COUNT(*) FROM questions").await;
    for gift in [
        "// [tag:a\u{0}b]\nApa? {=ya ~tidak}\n",
        "Apa\u{0}? {=ya ~tidak}\n",
    ] {
        check(
            crate::quizzes::import(&app, &teacher, &course, "gift", gift).await,
            "GIFT",
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, questions);

    // The pages refuse it too.
    let browser = app.client();
    let res = app
        .post_form(
            &browser,
            "/login",
            &[("username", "ad\u{0}min"), ("password", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .page(&app.login("learner1").await, "/courses?q=%00")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn dates_outside_2000_to_2100_are_refused() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let (course, quiz, _) = crate::quizzes::course_with_quiz(&app, json!({})).await;
    let (_, before) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/quizzes/{quiz}/results"),
            None,
        )
        .await;
    let (_, bank) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    let ids = mahir_tests::ids(&bank);
    for close_at in [
        "+10000-01-01T00:00:00Z",
        "+99999-01-01T00:00:00Z",
        "1999-12-31T00:00:00Z",
        "2101-01-01T00:00:00Z",
    ] {
        let (status, err) = app
            .api(
                Method::PUT,
                &teacher,
                &format!("/api/v1/quizzes/{quiz}"),
                Some(json!({"title": "Kuis akhir", "question_ids": ids, "close_at": close_at})),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{close_at}: {err}"
        );
        assert_eq!(err["error"]["code"], "invalid_date", "{close_at}");
    }
    let (_, after) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/quizzes/{quiz}/results"),
            None,
        )
        .await;
    assert_eq!(before, after, "nothing changed");

    let admin = app.token("admin").await;
    let learner = app.token("learner1").await;
    let (_, me) = app.api(Method::GET, &learner, "/api/v1/me", None).await;
    let assignments = app.count("SELECT COUNT(*) FROM assignments").await;
    for due_on in ["+10000-01-01", "2101-01-01"] {
        let (status, err) = app
            .api(
                Method::POST,
                &admin,
                &format!("/api/v1/courses/{course}/assignments"),
                Some(json!({"user_ids": [me["id"]], "due_on": due_on})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{due_on}: {err}");
        assert_eq!(err["error"]["code"], "invalid_date");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignments").await,
        assignments
    );

    // A deadline late in the range is a deadline in the future: the attempt stays open
    // and takes answers.
    let (status, _) = app
        .api(
            Method::PUT,
            &teacher,
            &format!("/api/v1/quizzes/{quiz}"),
            Some(json!({"title": "Kuis akhir", "question_ids": ids,
                "close_at": "2100-12-31T16:59:59Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, attempt) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attempt}");
    assert_eq!(attempt["state"], "in_progress", "{attempt}");
}

/// What authors write is bounded and rendered once, when it is stored: deep nesting keeps
/// its text but not its depth, an over-long lesson is refused, answer options are stored
/// rendered.
#[tokio::test]
async fn rendering_is_bounded_and_done_when_stored() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = crate::quizzes::draft_course(&app, &teacher).await;
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Modul"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let lesson = |body: String| {
        let (app, teacher, module) = (&app, &teacher, &module);
        async move {
            app.api(
                Method::POST,
                teacher,
                &format!("/api/v1/modules/{module}/lessons"),
                Some(json!({"title": "Bacaan", "kind": "text", "body_markdown": body})),
            )
            .await
        }
    };
    let (status, err) = lesson("a".repeat(64 * 1024 + 1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["code"], "text_too_long");
    let (status, deep) = lesson(">".repeat(60_000) + " isi yang dalam").await;
    assert_eq!(status, StatusCode::CREATED, "{deep}");
    let html = deep["body_html"].as_str().expect("html");
    assert!(html.contains("isi yang dalam"));
    assert!(
        html.matches("<blockquote>").count() <= 32,
        "nesting is bounded"
    );

    // A question whose option nests deeply: stored rendered, bounded, and the attempt
    // shows what was stored.
    let gift = format!(
        "::Dalam::[markdown]Pilih. {{={}benar ~salah}}\n",
        ">".repeat(19_000)
    );
    let (status, body) = crate::quizzes::import(&app, &teacher, &course, "gift", &gift).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE fragments LIKE '%salah%'")
            .await,
        1,
        "options are stored rendered"
    );
}

#[tokio::test]
async fn a_question_file_brings_at_most_5000_questions() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = crate::quizzes::draft_course(&app, &teacher).await;
    let file = |n: usize| -> String { (0..n).map(|i| format!("Soal {i}? {{T}}\n\n")).collect() };
    let (status, err) = crate::quizzes::import(&app, &teacher, &course, "gift", &file(5_001)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["code"], "too_many_questions");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE title LIKE 'Soal %'")
            .await,
        0
    );
    let (status, body) =
        crate::quizzes::import(&app, &teacher, &course, "gift", &file(5_000)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 5_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE title LIKE 'Soal %'")
            .await,
        5_000
    );
}

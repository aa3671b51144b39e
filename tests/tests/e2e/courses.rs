//! Courses end to end: authoring through the API and the pages, materials in the object
//! store (ranges, caching, safe types), enrolment, assignment, prerequisites, progress.

use mahir_tests::{Options, TestApp, location_id};
use reqwest::{Method, StatusCode, header, multipart};
use serde_json::{Value, json};

const XSS: &str = "# Judul\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[klik](javascript:alert(3))\n\n<svg><script>alert(4)</script></svg>\n\n<iframe srcdoc=\"<script>alert(5)</script>\"></iframe>\n\n<a href=\"JaVaScRiPt:alert(6)\">x</a>\n\nTeks **tebal** tetap.";

fn pdf() -> Vec<u8> {
    mahir_content::pdf::simple_pdf("Materi uji", &["Paragraf pertama.", "Paragraf kedua."])
}

/// Creates a course as `token` with one module, a text lesson and a document lesson;
/// returns (course id, text lesson id, document lesson id).
async fn course_with_lessons(app: &TestApp, token: &str, code: &str) -> (String, String, String) {
    let (status, course) = app
        .api(
            Method::POST,
            token,
            "/api/v1/courses",
            Some(json!({"code": code, "title": format!("Kursus {code}"), "category": "teknis", "jp": 4,
                "description_markdown": "Deskripsi <script>x()</script>"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{course}");
    let id = course["id"].as_str().expect("id").to_owned();
    assert_eq!(course["status"], "draft");
    assert!(
        !course["description_html"]
            .as_str()
            .expect("html")
            .contains("<script")
    );
    let (status, module) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/courses/{id}/modules"),
            Some(json!({"title": "Modul 1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let module = module["id"].as_str().expect("module id");
    let (status, text) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Bacaan", "kind": "text", "body_markdown": XSS})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let (status, doc) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Panduan", "kind": "document"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // A quiz lesson comes only with its quiz.
    let (status, err) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Kuis", "kind": "quiz"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_lesson_kind");
    (
        id,
        text["id"].as_str().expect("lesson").to_owned(),
        doc["id"].as_str().expect("lesson").to_owned(),
    )
}

async fn upload(
    app: &TestApp,
    token: &str,
    lesson: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/lessons/{lesson}/materials")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get_material(
    app: &TestApp,
    token: &str,
    id: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/materials/{id}")))
        .bearer_auth(token);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    req.send().await.expect("get material")
}

#[tokio::test]
async fn an_instructor_builds_a_course_and_a_learner_completes_it() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let (course, text, doc) = course_with_lessons(&app, &teacher, "UJI-1").await;

    // Rendered lessons keep the text and lose every script vector.
    let (_, c) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let html = c["modules"][0]["lessons"][0]["body_html"]
        .as_str()
        .expect("body_html");
    assert!(html.contains("<strong>tebal</strong>"), "{html}");
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "JaVaScRiPt",
        "<iframe",
        "srcdoc",
        "<svg",
    ] {
        assert!(
            !html.to_lowercase().contains(&bad.to_lowercase()),
            "{bad} survived: {html}"
        );
    }

    let bytes = pdf();
    let (status, m) = upload(&app, &teacher, &doc, "Panduan Uji.pdf", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["content_type"], "application/pdf");
    assert_eq!(m["size"], bytes.len());
    let material = m["id"].as_str().expect("material id").to_owned();

    // A draft is invisible to learners, materials included.
    let learner = app.token("learner2").await;
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        get_material(&app, &learner, &material, &[]).await.status(),
        StatusCode::NOT_FOUND
    );

    let (status, published) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(published["status"], "published");

    // Published: the learner sees the outline but not the bodies or files until enrolled.
    let (status, c) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(c["modules"][0]["lessons"][0]["body_html"].is_null());
    assert_eq!(
        get_material(&app, &learner, &material, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, e) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "enrolling twice is a no-op");

    // Range requests return exactly the bytes asked for.
    let res = get_material(&app, &learner, &material, &[(header::RANGE, "bytes=10-99")]).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        res.headers()[header::CONTENT_RANGE],
        format!("bytes 10-99/{}", bytes.len()).as_str()
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), &bytes[10..100]);
    let res = get_material(&app, &learner, &material, &[(header::RANGE, "bytes=-16")]).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        res.bytes().await.expect("bytes").as_ref(),
        &bytes[bytes.len() - 16..]
    );
    let res = get_material(
        &app,
        &learner,
        &material,
        &[(header::RANGE, "bytes=999999-")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let res = get_material(&app, &learner, &material, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res.headers()[header::ETAG]
        .to_str()
        .expect("etag")
        .to_owned();
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("disposition")
            .starts_with(
                "inline; filename=\"Panduan Uji.pdf\"; filename*=UTF-8''Panduan%20Uji.pdf"
            )
    );
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), bytes.as_slice());
    let res = get_material(&app, &learner, &material, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    // A material keeps its stored bytes even for a client that accepts compression.
    let res = get_material(
        &app,
        &learner,
        &material,
        &[(header::ACCEPT_ENCODING, "gzip, br")],
    )
    .await;
    assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), bytes.as_slice());

    // Progress: the text lesson is marked done (50 %), then the document (100 %).
    let (status, p) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/lessons/{text}/progress"),
            Some(json!({"seconds": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(
        p["completed"], false,
        "a marked lesson needs the learner's mark"
    );
    assert_eq!(
        p["seconds"], 5,
        "a first report counts a few seconds at most"
    );
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(10));
    let (_, p) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/lessons/{text}/progress"),
            Some(json!({"completed": true, "seconds": 5})),
        )
        .await;
    assert_eq!(p["completed"], true);
    assert_eq!(p["seconds"], 10);
    assert_eq!(p["course_progress_percent"], 50);
    let (_, p) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/lessons/{doc}/progress"),
            Some(json!({"completed": true})),
        )
        .await;
    assert_eq!(p["course_progress_percent"], 100);

    let (status, mine) = app
        .api(Method::GET, &learner, "/api/v1/me/courses", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let entry = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["id"] == course.as_str())
        .expect("course listed")
        .clone();
    assert_eq!(entry["progress_percent"], 100);
    assert_eq!(entry["completed"], true);
    let (_, prog) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}/progress"),
            None,
        )
        .await;
    assert_eq!(prog["progress_percent"], 100);
    assert_eq!(prog["resume_lesson_id"], doc.as_str());
    assert_eq!(prog["lessons"].as_array().map(Vec::len), Some(2));

    // Bad progress changes nothing.
    let (status, err) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/lessons/{text}/progress"),
            Some(json!({"seconds": -5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_progress");
}

#[tokio::test]
async fn uploads_are_capped_typed_and_served_safely() {
    let app = TestApp::spawn_with(Options {
        max_upload_bytes: Some(64 * 1024),
        ..Default::default()
    })
    .await;
    let teacher = app.token("instructor").await;
    let (_course, _text, doc) = course_with_lessons(&app, &teacher, "UJI-2").await;
    let before = app.count("SELECT COUNT(*) FROM materials").await;
    let objects_before = mahir_tests::count_files(&app.data_dir.join("objects"));

    let mut big = pdf();
    big.resize(65 * 1024, b' ');
    let (status, err) = upload(&app, &teacher, &doc, "besar.pdf", big).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "file_too_large");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0; 64]);
    let (status, err) = upload(&app, &teacher, &doc, "bukan.pdf", png).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "file_type_mismatch");
    let (status, err) = upload(&app, &teacher, &doc, "kosong.pdf", Vec::new()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "file_empty");
    assert_eq!(app.count("SELECT COUNT(*) FROM materials").await, before);
    assert_eq!(
        mahir_tests::count_files(&app.data_dir.join("objects")),
        objects_before,
        "nothing left in the store"
    );

    // Active content is stored but never served inline from our origin.
    for (name, body) in [
        (
            "../../halaman.html",
            "<!doctype html><html><script>alert(1)</script></html>",
        ),
        (
            "gambar.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        ),
    ] {
        let (status, m) = upload(&app, &teacher, &doc, name, body.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{m}");
        assert!(!m["file_name"].as_str().expect("name").contains(".."));
        let res = get_material(&app, &teacher, m["id"].as_str().expect("id"), &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("cd");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp");
        assert!(csp.starts_with("sandbox"), "{csp}");
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    // An image becomes the cover, which anyone who may see the course may load.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0; 64]);
    let (status, image) = upload(&app, &teacher, &doc, "sampul.png", png).await;
    assert_eq!(status, StatusCode::CREATED);
    let image = image["id"].as_str().expect("image").to_owned();
    let author = app.login("instructor").await;
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{_course}/cover"),
            &[("material_id", &image)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.api(
        Method::POST,
        &teacher,
        &format!("/api/v1/courses/{_course}/publish"),
        None,
    )
    .await;
    let stranger = app.token("learner4").await;
    assert_eq!(
        get_material(&app, &stranger, &image, &[]).await.status(),
        StatusCode::OK
    );
    let (_, page) = app
        .page(&app.login("learner4").await, "/courses?q=UJI-2")
        .await;
    assert!(
        page.contains(&format!("/materials/{image}")),
        "the catalogue shows the cover"
    );
    // A non-ASCII name is encoded per RFC 6266.
    let (_, m) = upload(&app, &teacher, &doc, "Modul “Ő”.pdf", pdf()).await;
    let res = get_material(&app, &teacher, m["id"].as_str().expect("id"), &[]).await;
    assert_eq!(
        res.headers()[header::CONTENT_DISPOSITION],
        "inline; filename=\"Modul ___.pdf\"; filename*=UTF-8''Modul%20%E2%80%9C%C5%90%E2%80%9D.pdf"
    );
}

#[tokio::test]
async fn each_uploader_has_a_quota() {
    let app = TestApp::spawn_with(Options {
        upload_quota_bytes: Some(200 * 1024),
        ..Default::default()
    })
    .await;
    let teacher = app.token("instructor").await;
    let (_, _, doc) = course_with_lessons(&app, &teacher, "KUOTA").await;
    let mut file = pdf();
    file.resize(120 * 1024, b' ');
    let (status, _) = upload(&app, &teacher, &doc, "satu.pdf", file.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let before = app.count("SELECT COUNT(*) FROM materials").await;
    let (status, err) = upload(&app, &teacher, &doc, "dua.pdf", file).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "upload_quota_exceeded");
    assert_eq!(app.count("SELECT COUNT(*) FROM materials").await, before);
    // Another uploader has their own quota.
    let admin = app.token("admin").await;
    let (status, _) = upload(&app, &admin, &doc, "admin.pdf", pdf()).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn only_instructors_and_admins_author() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let (course, text, _) = course_with_lessons(&app, &teacher, "UJI-3").await;
    for who in ["learner1", "unitadmin"] {
        let t = app.token(who).await;
        let (status, err) = app
            .api(
                Method::POST,
                &t,
                "/api/v1/courses",
                Some(json!({"code": "X-1", "title": "x", "category": "teknis", "jp": 1})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {err}");
        // Not their draft: it does not exist for them.
        let (status, _) = app
            .api(
                Method::POST,
                &t,
                &format!("/api/v1/courses/{course}/publish"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
        let (status, _) = upload(&app, &t, &text, "a.pdf", pdf()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
    }
    // Only instructors (or admins) can be added as co-instructors.
    let author = app.login("instructor").await;
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{course}/instructors"),
            &[("username", "learner1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("tidak memiliki peran pengajar")
    );
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{course}/instructors"),
            &[("username", "admin")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The admin edits any course.
    let admin = app.token("admin").await;
    let (status, _) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Modul admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Bad input is refused with the field's code and changes nothing.
    let before = app.count("SELECT COUNT(*) FROM courses").await;
    for (body, code) in [
        (
            json!({"code": "k i", "title": "x", "category": "teknis", "jp": 1}),
            "invalid_course_code",
        ),
        (
            json!({"code": "OK-1", "title": "x", "category": "sihir", "jp": 1}),
            "invalid_category",
        ),
        (
            json!({"code": "OK-1", "title": "x", "category": "teknis", "jp": 0}),
            "invalid_jp",
        ),
        (
            json!({"code": "UJI-3", "title": "x", "category": "teknis", "jp": 1}),
            "course_code_taken",
        ),
    ] {
        let (status, err) = app
            .api(Method::POST, &teacher, "/api/v1/courses", Some(body))
            .await;
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT);
        assert_eq!(err["error"]["code"], code);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM courses").await, before);
    // An empty course cannot be published.
    let (_, empty) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(json!({"code": "KOSONG", "title": "Kosong", "category": "teknis", "jp": 1})),
        )
        .await;
    let (status, err) = app
        .api(
            Method::POST,
            &teacher,
            &format!(
                "/api/v1/courses/{}/publish",
                empty["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "course_has_no_lessons");
}

async fn publish_new(app: &TestApp, teacher: &str, code: &str) -> (String, String, String) {
    let (course, text, doc) = course_with_lessons(app, teacher, code).await;
    let (status, _) = app
        .api(
            Method::POST,
            teacher,
            &format!("/api/v1/courses/{course}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (course, text, doc)
}

fn listed(mine: &Value, course: &str) -> Option<Value> {
    mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["id"] == course)
        .cloned()
}

#[tokio::test]
async fn assignments_reach_units_positions_people_and_newcomers() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let admin = app.token("admin").await;
    let (course, _, _) = publish_new(&app, &teacher, "UJI-4").await;
    let due = (chrono_today() + 14).to_string();
    let due = format_date(&due);

    let stat = app.unit_id("DISKOMINFOTIK-STAT").await;
    let (status, a) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": stat, "due_on": due})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert!(a["id"].as_str().is_some());

    let learner2 = app.token("learner2").await;
    let (_, mine) = app
        .api(Method::GET, &learner2, "/api/v1/me/courses", None)
        .await;
    let entry = listed(&mine, &course).expect("assigned through the unit");
    assert_eq!(entry["due_on"], due.as_str());
    assert_eq!(entry["assigned"], true);
    assert_eq!(entry["enrolled"], false);
    assert_eq!(entry["overdue"], false);
    // learner1 is in the parent unit, not below it.
    let learner1 = app.token("learner1").await;
    let (_, mine) = app
        .api(Method::GET, &learner1, "/api/v1/me/courses", None)
        .await;
    assert!(listed(&mine, &course).is_none());

    // Someone who joins the unit later receives it too.
    let (status, created) = app
        .api(
            Method::POST,
            &admin,
            "/api/v1/employees",
            Some(json!({
            "nip": "199512122020122001", "name": "Pegawai Baru", "username": "pegawai.baru",
            "unit_id": stat, "password": "sandi-pegawai-baru-panjang"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let newcomer = app
        .token_with("pegawai.baru", "sandi-pegawai-baru-panjang")
        .await;
    let (_, mine) = app
        .api(Method::GET, &newcomer, "/api/v1/me/courses", None)
        .await;
    assert!(
        listed(&mine, &course).is_some(),
        "a newcomer inherits the unit's assignment"
    );
    // An assigned learner may start an assigned-only course.
    let (status, _) = app
        .api(
            Method::POST,
            &newcomer,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Assigning to people by user id.
    let (_, me5) = app
        .api(
            Method::GET,
            &app.token("learner5").await,
            "/api/v1/me",
            None,
        )
        .await;
    let (status, a) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"user_ids": [me5["id"]]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");

    // Unit admins only within their subtree; learners not at all; bad input changes nothing.
    let unitadmin = app.token("unitadmin").await;
    let before = app.count("SELECT COUNT(*) FROM assignments").await;
    let tebet = app.unit_id("PKM-TEBET").await;
    let (status, err) = app
        .api(
            Method::POST,
            &unitadmin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": tebet})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_unit");
    let (status, _) = app
        .api(
            Method::POST,
            &learner1,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": stat})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": stat, "due_on": "2020-01-01"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "due_date_past");
    let (status, err) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": stat, "position_id": stat})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_assignment_target");
    let (status, _) = app
        .api(
            Method::POST,
            &unitadmin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": stat})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "within the subtree");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignments").await,
        before + 1
    );
}

/// Today's date in Jakarta as days since the epoch.
fn chrono_today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    (secs + 7 * 3600) / 86_400
}

/// Days since the epoch as YYYY-MM-DD (civil-from-days).
fn format_date(days: &str) -> String {
    let z: i64 = days.parse::<i64>().expect("days") + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn prerequisites_and_assigned_only_courses_are_enforced() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let (first, text, doc) = publish_new(&app, &teacher, "DASAR").await;
    let (second, _, _) = publish_new(&app, &teacher, "LANJUT").await;
    let client = app.login("instructor").await;
    let res = app
        .post_form(
            &client,
            &format!("/teach/courses/{second}/prerequisites"),
            &[("required_course_id", &first), ("min_grade", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let learner = app.token("learner4").await;
    let (status, err) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{second}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "prerequisite_missing");
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("message")
            .contains("Kursus DASAR")
    );
    app.api(
        Method::POST,
        &learner,
        &format!("/api/v1/courses/{first}/enrol"),
        None,
    )
    .await;
    for lesson in [&text, &doc] {
        app.api(
            Method::POST,
            &learner,
            &format!("/api/v1/lessons/{lesson}/progress"),
            Some(json!({"completed": true})),
        )
        .await;
    }
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{second}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // The demo first-aid course is for the nurses it is assigned to.
    let (_, catalogue) = app
        .api(
            Method::GET,
            &learner,
            "/api/v1/courses?category=fungsional",
            None,
        )
        .await;
    let ppgd = catalogue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["code"] == "PPGD")
        .expect("PPGD in the catalogue")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, err) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/courses/{ppgd}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "course_assigned_only");
    let nurse = app.token("learner3").await;
    let (status, _) = app
        .api(
            Method::POST,
            &nurse,
            &format!("/api/v1/courses/{ppgd}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_video_completes_when_enough_of_it_was_watched() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let (course, _, _) = course_with_lessons(&app, &teacher, "VID").await;
    let (_, c) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let module = c["modules"][0]["id"].as_str().expect("module").to_owned();
    let (status, video) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Video", "kind": "video", "watch_percent": 80})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(video["completion"], "watched");
    let video = video["id"].as_str().expect("id").to_owned();
    // The server reads the video's length from the file itself.
    let (status, m) = upload(&app, &teacher, &video, "video.mp4", mp4_of(100)).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["content_type"], "video/mp4");
    assert_eq!(m["duration_seconds"], 100);
    // The outline read before the change (and cached) shows the new lesson at once.
    let (_, c) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    assert_eq!(c["modules"][0]["lessons"][2]["id"], video.as_str());
    app.api(
        Method::POST,
        &teacher,
        &format!("/api/v1/courses/{course}/publish"),
        None,
    )
    .await;
    let learner = app.token("learner5").await;
    app.api(
        Method::POST,
        &learner,
        &format!("/api/v1/courses/{course}/enrol"),
        None,
    )
    .await;
    let path = format!("/api/v1/lessons/{video}/progress");
    let report = |body: serde_json::Value| {
        let (app, learner, path) = (&app, &learner, &path);
        async move { app.api(Method::POST, learner, path, Some(body)).await.1 }
    };
    // A player that claims the video is a second long and was watched gets nothing for it.
    let p = report(json!({"seconds": 1, "duration": 1})).await;
    assert_eq!(p["completed"], false, "the player's length is not believed");
    let p =
        report(json!({"seconds": 50, "position": 95, "duration": 100, "completed": true})).await;
    assert_eq!(p["completed"], false, "seeking to the end is not watching");
    assert_eq!(p["position"], 95);
    // Claiming an hour at once credits only the time that passed.
    let p = report(json!({"seconds": 3600, "position": 40})).await;
    assert_eq!(p["completed"], false, "{p}");
    assert!(p["seconds"].as_i64().expect("seconds") < 20, "{p}");
    // Real watching: time passes between reports.
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(40));
    let p = report(json!({"seconds": 40, "position": 80})).await;
    assert_eq!(p["completed"], false, "{p}");
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(40));
    let p = report(json!({"seconds": 40, "position": 100})).await;
    assert_eq!(p["completed"], true, "{p}");
}

/// A minimal MP4 file of `seconds`: `ftyp`, `moov` with `mvhd`, and some `mdat`.
fn mp4_of(seconds: u32) -> Vec<u8> {
    let boxed = |kind: &[u8; 4], body: &[u8]| {
        let mut b = u32::try_from(body.len() + 8)
            .expect("small")
            .to_be_bytes()
            .to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    };
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&600u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&(seconds * 600).to_be_bytes());
    let mut file = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    file.extend(boxed(b"moov", &boxed(b"mvhd", &mvhd)));
    file.extend(boxed(b"mdat", &[0u8; 20_000]));
    file
}

#[tokio::test]
async fn authoring_and_learning_work_through_the_pages() {
    let app = TestApp::spawn().await;
    let teacher = app.login("instructor").await;
    let res = app
        .post_form(
            &teacher,
            "/teach",
            &[
                ("title", "Etika Digital"),
                ("code", "ETIKA"),
                ("summary", "Ringkas"),
                ("description", "Isi **deskripsi**"),
                ("category", "lainnya"),
                ("jp", "2"),
                ("delivery", "e_learning"),
                ("enrolment", "self"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let course = location_id(&res);
    // A bad form comes back with the message and the field marked.
    let res = app
        .post_form(
            &teacher,
            "/teach",
            &[
                ("title", "x"),
                ("code", "ETIKA"),
                ("category", "lainnya"),
                ("jp", "0"),
                ("delivery", "e_learning"),
                ("enrolment", "self"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("body")
            .contains("JP harus bilangan bulat")
    );
    // Every bad field at once, each beside its field, all listed at the top; what was
    // typed comes back; nothing is created.
    let courses_before = app.count("SELECT COUNT(*) FROM courses").await;
    let res = app
        .post_form(
            &teacher,
            "/teach",
            &[
                ("title", "   "),
                ("code", "kode salah!"),
                ("summary", "Ringkasan yang diketik"),
                ("description", "Deskripsi yang **diketik**"),
                ("category", "lainnya"),
                ("jp", "dua"),
                ("delivery", "e_learning"),
                ("enrolment", "self"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(
        html.contains("Ada 3 isian yang perlu diperbaiki:"),
        "{html}"
    );
    for field in ["title", "code", "jp"] {
        assert!(
            html.contains(&format!(
                "aria-invalid=\"true\" aria-describedby=\"{field}-error\""
            )),
            "{field} not marked"
        );
        assert!(html.contains(&format!("<p class=\"field-error\" id=\"{field}-error\">")));
        assert!(html.contains(&format!("<a href=\"#{field}\">")));
    }
    for typed in [
        "value=\"kode salah!\"",
        "value=\"dua\"",
        ">Ringkasan yang diketik</textarea>",
        ">Deskripsi yang **diketik**</textarea>",
    ] {
        assert!(html.contains(typed), "{typed} lost");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM courses").await,
        courses_before
    );
    // The API says the same: the first problem, and all of them.
    let token = app.token("instructor").await;
    let (status, body) = app
        .api(
            Method::POST,
            &token,
            "/api/v1/courses",
            Some(
                json!({"title": "", "code": "x y", "jp": 0, "category": "lainnya",
                        "delivery": "e_learning", "enrolment": "self"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["title", "code", "jp"], "{body}");
    assert_eq!(body["error"]["field"], "title");

    for title in ["Modul A", "Modul B"] {
        let res = app
            .post_form(
                &teacher,
                &format!("/teach/courses/{course}/modules"),
                &[("title", title)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (_, c) = app
        .api(
            Method::GET,
            &app.token("instructor").await,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let module_b = c["modules"][1]["id"].as_str().expect("module").to_owned();
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/modules/{module_b}/move"),
            &[("dir", "up")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/modules/{module_b}/lessons"),
            &[("title", "Pengantar"), ("kind", "text"), ("url", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let lesson = location_id(&res);
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/lessons/{lesson}"),
            &[
                ("title", "Pengantar etika"),
                ("kind", "text"),
                ("body", "Halo <script>x()</script> **dunia**"),
                ("url", ""),
                ("completion", "marked"),
                ("watch_percent", "90"),
                ("required", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Upload through the page's multipart form: the token first, then the file.
    let token = app
        .csrf(&teacher, &format!("/teach/lessons/{lesson}"))
        .await;
    let form = multipart::Form::new().text("_csrf", token).part(
        "file",
        multipart::Part::bytes(pdf()).file_name("lampiran.pdf"),
    );
    let res = teacher
        .post(app.url(&format!("/teach/lessons/{lesson}/materials")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        res.text().await
    );
    // Without the token nothing is stored.
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(pdf()).file_name("tanpa-token.pdf"),
    );
    let res = teacher
        .post(app.url(&format!("/teach/lessons/{lesson}/materials")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM materials WHERE file_name = 'tanpa-token.pdf'")
            .await,
        0
    );

    let (status, outline) = app
        .page(&teacher, &format!("/teach/courses/{course}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        outline.find("Modul B").expect("B") < outline.find("Modul A").expect("A"),
        "B moved up"
    );
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/courses/{course}/status"),
            &[("status", "published")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // A learner finds it in the catalogue, enrols, reads and marks it done without JavaScript.
    let learner = app.login("learner5").await;
    let (_, catalogue) = app
        .page(&learner, "/courses?q=etika&category=lainnya")
        .await;
    assert!(catalogue.contains("Etika Digital"));
    let (_, filtered) = app.page(&learner, "/courses?category=kepemimpinan").await;
    assert!(!filtered.contains("Etika Digital"));
    let res = app
        .post_form(&learner, &format!("/courses/{course}/enrol"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        format!("/lessons/{lesson}").as_str()
    );
    let (status, player) = app.page(&learner, &format!("/lessons/{lesson}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(player.contains("<strong>dunia</strong>") && !player.contains("<script>x()"));
    let res = app
        .post_form(
            &learner,
            &format!("/lessons/{lesson}/progress"),
            &[("completed", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = app.page(&learner, "/").await;
    assert!(
        home.contains("Etika Digital") && home.contains("100%"),
        "home shows the course at 100 %"
    );
    // The author sees the learner counted.
    let (_, teach) = app.page(&teacher, "/teach").await;
    assert!(
        teach.contains("1 peserta · 1 selesai"),
        "counts on the teaching page"
    );
    // The learner cannot open the author's pages.
    let (status, _) = app
        .page(&learner, &format!("/teach/courses/{course}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.page(&learner, "/teach").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_learners_are_at_different_stages() {
    let app = TestApp::spawn().await;
    let (_, home1) = app.page(&app.login("learner1").await, "/").await;
    assert!(home1.contains("Keamanan Informasi untuk ASN") && home1.contains("Selesai"));
    let (_, home3) = app.page(&app.login("learner3").await, "/").await;
    assert!(home3.contains("Pelayanan Publik Prima") && home3.contains("Lewat tenggat"));
    assert!(home3.contains("Pertolongan Pertama Gawat Darurat"));
    // The demo PDF is a real PDF in the object store.
    let t = app.token("learner1").await;
    let (_, c) = app
        .api(Method::GET, &t, "/api/v1/courses?q=Keamanan", None)
        .await;
    let id = c["items"][0]["id"].as_str().expect("course").to_owned();
    let (_, course) = app
        .api(Method::GET, &t, &format!("/api/v1/courses/{id}"), None)
        .await;
    // The pre-test module comes first.
    assert_eq!(course["modules"][0]["title"], "Pre-test");
    let material = course["modules"][2]["lessons"][1]["material"]["id"]
        .as_str()
        .expect("pdf")
        .to_owned();
    let res = get_material(&app, &t, &material, &[]).await;
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(res.bytes().await.expect("pdf").starts_with(b"%PDF-"));
    let (_, prog) = app
        .api(
            Method::GET,
            &t,
            &format!("/api/v1/courses/{id}/progress"),
            None,
        )
        .await;
    assert_eq!(prog["progress_percent"], 100);

    // Every demo course ends with a quiz; attempts are in different states.
    let teacher = app.token("instructor").await;
    let (_, all) = app
        .api(Method::GET, &teacher, "/api/v1/courses", None)
        .await;
    let mut essays = 0;
    for c in all["items"].as_array().expect("courses") {
        let id = c["id"].as_str().expect("id");
        let (_, detail) = app
            .api(
                Method::GET,
                &teacher,
                &format!("/api/v1/courses/{id}"),
                None,
            )
            .await;
        let modules = detail["modules"].as_array().expect("modules");
        let last = modules.last().expect("module");
        assert_eq!(last["title"], "Evaluasi", "{}", c["title"]);
        assert_eq!(last["lessons"][0]["kind"], "quiz");
        let (_, queue) = app
            .api(
                Method::GET,
                &teacher,
                &format!("/api/v1/courses/{id}/grading"),
                None,
            )
            .await;
        essays += queue["items"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(essays, 1, "one essay waits for grading");
    assert!(
        app.count("SELECT COUNT(*) FROM attempts WHERE state = 'in_progress'")
            .await
            >= 1
    );
    assert!(
        app.count("SELECT COUNT(*) FROM attempts WHERE passed = false")
            .await
            >= 1
    );
}

#[tokio::test]
async fn course_pages_and_cards_say_where_the_learner_stands() {
    let app = TestApp::spawn().await;
    let done = app
        .id_of("SELECT id FROM courses WHERE code = 'KI-ASN'")
        .await;
    let learner = app.login("learner1").await;
    let (_, page) = app.page(&learner, &format!("/courses/{done}")).await;
    assert!(
        page.contains("<span class=\"badge pass\">Selesai</span> <span>pada "),
        "{page}"
    );
    assert!(page.contains("Ulas materi") && !page.contains("Lanjutkan belajar"));
    let (_, catalogue) = app.page(&learner, "/courses").await;
    assert!(catalogue.contains("<span class=\"badge pass\">Selesai</span>"));
    assert!(catalogue.contains("<span class=\"badge pending\">Sedang diikuti</span>"));
}

/// The lesson editor shows only the fields of the lesson's kind and previews the text
/// through the sanitizer without storing it.
#[tokio::test]
async fn the_lesson_editor_fits_its_kind_and_previews_the_text() {
    let app = TestApp::spawn().await;
    let token = app.token("instructor").await;
    let (course, text, _) = course_with_lessons(&app, &token, "EDIT-1").await;
    let teacher = app.login("instructor").await;
    let editor = format!("/teach/lessons/{text}");
    let (status, html) = app.page(&teacher, &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-for=\"link\" hidden"), "{html}");
    assert!(html.contains("data-for=\"video\" hidden"));
    assert!(html.contains("value=\"watched\" data-for=\"video\" hidden"));

    let body = "Teks **pratinjau** <script>alert(1)</script>";
    let res = app
        .post_form(
            &teacher,
            &editor,
            &[
                ("title", "Bacaan baru"),
                ("kind", "text"),
                ("body", body),
                ("completion", "opened"),
                ("step", "preview"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("body");
    assert!(html.contains("<strong>pratinjau</strong>"), "{html}");
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("value=\"Bacaan baru\""), "typed title kept");
    let (_, outline) = app
        .page(&teacher, &format!("/teach/courses/{course}"))
        .await;
    assert!(
        outline.contains("Bacaan") && !outline.contains("Bacaan baru"),
        "nothing stored"
    );
    assert!(
        outline.contains("class=\"add-lesson-toggle\""),
        "new lessons behind a button"
    );

    // A link lesson without its address: the refusal sits beside the field.
    let res = app
        .post_form(
            &teacher,
            &editor,
            &[
                ("title", "Tautan"),
                ("kind", "link"),
                ("body", ""),
                ("url", "javascript:alert(1)"),
                ("completion", "opened"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("id=\"url-error\""), "{html}");
    assert!(
        html.contains("data-for=\"link\">"),
        "the link field is shown for a link"
    );
}

/// The assignment page: people found by name or NIP, how many each assignment reaches, and
/// withdrawing one (the learner's enrolment stays), on the page and through the API.
#[tokio::test]
async fn the_assignment_page_finds_people_counts_reach_and_withdraws() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let admin = app.token("admin").await;
    let (course, _, _) = publish_new(&app, &teacher, "UJI-9").await;
    let browser = app.login("admin").await;
    let (_, page) = app.page(&browser, &format!("/courses/{course}")).await;
    assert!(page.contains(&format!(
        "href=\"/courses/{course}/assignments\">Atur penugasan"
    )));
    let base = format!("/courses/{course}/assignments");

    // Found by name: a box to tick; found by username: its NIP to type.
    let (status, found) = app.page(&browser, &format!("{base}?q=Dewi")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(found.contains("Dewi Lestari"), "{found}");
    let dewi = found
        .split("name=\"user_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a box to tick")
        .to_owned();
    assert!(
        found.contains("value=\"users\" checked"),
        "searching picks people"
    );
    let (_, found) = app.page(&browser, &format!("{base}?q=learner3")).await;
    let nip: String = found
        .split("class=\"nip mono small\">")
        .nth(1)
        .map(|s| s.chars().take_while(char::is_ascii_digit).collect())
        .expect("a NIP");
    assert_eq!(nip.len(), 18);

    let before = app.count("SELECT COUNT(*) FROM assignments").await;
    let res = app
        .post_form(
            &browser,
            &base,
            &[
                ("target", "users"),
                ("user_id", &dewi),
                ("usernames", &format!("{nip}, learner5")),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("body");
    assert!(
        html.contains("3 penugasan dibuat. Menjangkau 3 pegawai saat ini."),
        "{html}"
    );
    let stat = app.unit_id("DISKOMINFOTIK-STAT").await;
    let in_stat = app
        .count(
            "SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id \
             WHERE u.path LIKE (SELECT path FROM units WHERE code = 'DISKOMINFOTIK-STAT') || '%'",
        )
        .await;
    assert!(in_stat >= 2);
    let res = app
        .post_form(&browser, &base, &[("target", "unit"), ("unit_id", &stat)])
        .await;
    let html = res.text().await.expect("body");
    assert!(
        html.contains(&format!("1 penugasan dibuat. Menjangkau {in_stat} pegawai")),
        "{html}"
    );
    assert!(
        html.contains(&format!("{in_stat} pegawai</td>")),
        "the list says it too"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignments").await,
        before + 4
    );

    // Someone unknown: the list comes back as typed, the refusal beside it, nothing made.
    let res = app
        .post_form(
            &browser,
            &base,
            &[("target", "users"), ("usernames", "learner5 tidak.ada")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(
        html.contains("id=\"usernames-error\"") && html.contains(">learner5 tidak.ada</textarea>")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignments").await,
        before + 4
    );

    // Dewi starts the course; her assignment is withdrawn; she keeps her enrolment.
    let learner2 = app.token("learner2").await;
    let (status, _) = app
        .api(
            Method::POST,
            &learner2,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list) = app.page(&browser, &base).await;
    let row = list
        .split("<tr>")
        .find(|r| r.contains("Dewi Lestari ("))
        .expect("Dewi's row");
    let action = row
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("withdraw")
        .to_owned();
    let res = app.post_form(&browser, &action, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, list) = app.page(&browser, &format!("{base}?withdrawn=1")).await;
    assert!(list.contains("Penugasan ditarik.") && !list.contains("Dewi Lestari ("));
    let kept = app
        .count("SELECT COUNT(*) FROM enrolments WHERE user_id IN (SELECT id FROM users WHERE username = 'learner2') \
             AND course_id IN (SELECT id FROM courses WHERE code = 'UJI-9')")
        .await;
    assert_eq!(kept, 1, "the learner keeps her enrolment");

    // The API: outside a unit admin's subtree it is not there; the admin withdraws it once.
    let assignment = action
        .trim_start_matches(&format!("{base}/"))
        .trim_end_matches("/withdraw")
        .to_owned();
    let (status, _) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({"unit_id": app.unit_id("PKM-TEBET").await})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let tebet = app
        .id_of(
            "SELECT a.id FROM assignments a JOIN units u ON u.id = a.unit_id WHERE u.code = 'PKM-TEBET' \
             AND a.course_id IN (SELECT id FROM courses WHERE code = 'UJI-9')",
        )
        .await;
    let unitadmin = app.token("unitadmin").await;
    let delete = |id: &str| format!("/api/v1/courses/{course}/assignments/{id}");
    let (status, _) = app
        .api(Method::DELETE, &unitadmin, &delete(&tebet), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.api(Method::DELETE, &admin, &delete(&tebet), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = app.api(Method::DELETE, &admin, &delete(&tebet), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(Method::DELETE, &admin, &delete(&assignment), None)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "already withdrawn on the page"
    );
    let learner1 = app.token("learner1").await;
    let (status, _) = app
        .api(Method::DELETE, &learner1, &delete(&tebet), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A classical course says when and where it meets; an assigned learner sees the due date
/// on the course page and its catalogue card, and that it is overdue once it has passed.
#[tokio::test]
async fn schedules_venues_and_due_dates_show_where_learners_look() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let admin = app.token("admin").await;
    let new = |extra: Value| {
        let mut body = json!({"code": "KLS-1", "title": "Kelas Tatap Muka", "category": "teknis",
            "jp": 8, "delivery": "classical"});
        body.as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        body
    };
    for (extra, code, field) in [
        (
            json!({"starts_at": "2027-01-12T15:00", "ends_at": "2027-01-12T09:00"}),
            "schedule_order",
            "ends_at",
        ),
        (
            json!({"starts_at": "besok pagi"}),
            "invalid_date_time",
            "starts_at",
        ),
        (json!({"venue": "x".repeat(201)}), "venue_too_long", "venue"),
    ] {
        let (status, err) = app
            .api(Method::POST, &teacher, "/api/v1/courses", Some(new(extra)))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["error"]["code"], code);
        assert_eq!(err["error"]["field"], field);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM courses WHERE code = 'KLS-1'")
            .await,
        0
    );
    let (status, course) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(new(
                json!({"starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00",
                "venue": "Gedung BPSDM, Ruang 301"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{course}");
    assert_eq!(
        course["starts_at"], "2027-01-12T02:00:00Z",
        "09.00 in Jakarta"
    );
    assert_eq!(course["venue"], "Gedung BPSDM, Ruang 301");
    let id = course["id"].as_str().expect("id").to_owned();
    // E-learning meets nowhere: a venue sent with it is not kept.
    let (_, online) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(
                json!({"code": "ONL-1", "title": "Daring", "category": "teknis", "jp": 2,
                "venue": "Ruang 1", "starts_at": "2027-01-12T09:00"}),
            ),
        )
        .await;
    assert_eq!(online["venue"], "");
    assert_eq!(online["starts_at"], Value::Null);

    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{id}/modules"),
            Some(json!({"title": "Sesi 1"})),
        )
        .await;
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!(
                "/api/v1/modules/{}/lessons",
                module["id"].as_str().expect("m")
            ),
            Some(json!({"title": "Bahan", "kind": "text", "body_markdown": "Bahan kelas."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let due = format_date(&(chrono_today() + 3).to_string());
    let (_, me) = app
        .api(
            Method::GET,
            &app.token("learner1").await,
            "/api/v1/me",
            None,
        )
        .await;
    let (status, _) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{id}/assignments"),
            Some(json!({"user_ids": [me["id"]], "due_on": due})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let learner = app.login("learner1").await;
    let (_, page) = app.page(&learner, &format!("/courses/{id}")).await;
    assert!(
        page.contains("12 Januari 2027 09.00 WIB – 15.00 WIB"),
        "{page}"
    );
    assert!(page.contains("Gedung BPSDM, Ruang 301"));
    assert!(page.contains("Selesaikan paling lambat"), "{page}");
    let (_, list) = app.page(&learner, "/courses?q=Tatap").await;
    assert!(
        list.contains("Tenggat ") && !list.contains("Lewat tenggat"),
        "{list}"
    );

    // The due date passes (moved back in the database: assigning refuses a past date).
    let backend = sea_orm::ConnectionTrait::get_database_backend(&app.db);
    sea_orm::ConnectionTrait::execute_raw(
        &app.db,
        sea_orm::Statement::from_string(
            backend,
            "UPDATE assignments SET due_on = '2026-01-05' WHERE course_id IN \
             (SELECT id FROM courses WHERE code = 'KLS-1')"
                .to_owned(),
        ),
    )
    .await
    .expect("move the due date");
    // (A change behind Mahir's back: the course's revision tells the page cache.)
    sea_orm::ConnectionTrait::execute_raw(
        &app.db,
        sea_orm::Statement::from_string(
            backend,
            "UPDATE courses SET revision = revision + 1 WHERE code = 'KLS-1'".to_owned(),
        ),
    )
    .await
    .expect("bump the revision");
    let (status, page) = app.page(&learner, &format!("/courses/{id}")).await;
    assert!(page.contains("Terlambat: tenggat"), "{status} {page}");
    let (_, list) = app.page(&learner, "/courses?q=Tatap").await;
    assert!(list.contains("Lewat tenggat"), "{list}");

    // The course form shows the schedule fields for a classical course, filled in.
    let browser = app.login("instructor").await;
    let (_, form) = app
        .page(&browser, &format!("/teach/courses/{id}/edit"))
        .await;
    assert!(form.contains("value=\"2027-01-12T09:00\""), "{form}");
    assert!(form.contains("data-for=\"classical blended\">"));
}

#[tokio::test]
async fn a_transfer_changes_what_is_due_on_the_next_request() {
    // Demo: everyone at Diskominfotik (and below it) owes Keamanan Informasi; learner2 of
    // its statistics field has started it.
    let app = TestApp::spawn().await;
    let ki = app
        .id_of("SELECT id FROM courses WHERE code = 'KI-ASN'")
        .await;
    let learner = app.login("learner2").await;
    let (_, page) = app.page(&learner, &format!("/courses/{ki}")).await;
    assert!(page.contains("Selesaikan paling lambat"), "{page}");

    // Moved to another agency (behind Mahir's back, as an HR sync would): the same session's
    // next request no longer owes the course, and moving back owes it again.
    let transfer = async |unit: &str| {
        let backend = sea_orm::ConnectionTrait::get_database_backend(&app.db);
        sea_orm::ConnectionTrait::execute_raw(
            &app.db,
            sea_orm::Statement::from_string(
                backend,
                format!(
                    "UPDATE employees SET unit_id = (SELECT id FROM units WHERE code = '{unit}') \
                     WHERE user_id IN (SELECT id FROM users WHERE username = 'learner2')"
                ),
            ),
        )
        .await
        .expect("transfer");
    };
    transfer("DPMPTSP").await;
    let (status, page) = app.page(&learner, &format!("/courses/{ki}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Selesaikan paling lambat"), "{page}");
    assert!(
        page.contains("Kemajuan:"),
        "still enrolled, progress kept: {page}"
    );
    transfer("DISKOMINFOTIK-STAT").await;
    let (_, page) = app.page(&learner, &format!("/courses/{ki}")).await;
    assert!(page.contains("Selesaikan paling lambat"), "{page}");

    // A unit admin's scope comes with the same statement: their unit's employees only.
    let unit_admin = app.token("unitadmin").await;
    let (status, list) = app
        .api(
            Method::GET,
            &unit_admin,
            "/api/v1/employees?per_page=200",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let (status, _) = app
        .api(
            Method::GET,
            &app.token("learner2").await,
            "/api/v1/employees",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let total = list["items"].as_array().expect("items").len();
    assert!(total > 0 && total < app.count("SELECT COUNT(*) FROM employees").await as usize);
}

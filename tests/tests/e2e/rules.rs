//! Rules an outside attack found loose: import scope, prerequisites, hidden characters in
//! names, edit rights that follow the role, quota under parallel uploads, PDFs and metrics.

use mahir_tests::{Options, TestApp};
use reqwest::{Method, StatusCode, header, multipart};
use serde_json::{Value, json};

async fn import_csv(app: &TestApp, client: &reqwest::Client, csv: &str) -> reqwest::Response {
    let token = app.csrf(client, "/admin/import").await;
    let form = multipart::Form::new().text("_csrf", token).part(
        "file",
        multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("pegawai.csv"),
    );
    client
        .post(app.url("/admin/import"))
        .multipart(form)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn a_unit_admins_import_links_supervisors_only_in_their_subtree() {
    let app = TestApp::spawn().await;
    let client = app.login("unitadmin").await;
    let before = app.count("SELECT COUNT(*) FROM employees").await;
    // The admin works at BPSDM, outside DISKOMINFOTIK's subtree: to this unit admin the
    // NIP is as unknown as one that does not exist.
    for supervisor in ["197803152003121002", "197001012000031009"] {
        let csv = format!(
            "nip,name,username,unit_code,position,grade,email,nrk,supervisor_nip\n\
             199001012015031001,Dedi Kurniawan,dedi.k,DISKOMINFOTIK,,III/a,,,{supervisor}\n"
        );
        let res = import_csv(&app, &client, &csv).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{supervisor}"
        );
        let body = res.text().await.expect("body");
        assert!(body.contains(supervisor), "{body}");
        assert!(body.contains("Baris 2"), "{body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM employees").await, before);
}

pub(crate) async fn new_course(app: &TestApp, token: &str, code: &str) -> String {
    let (status, c) = app
        .api(
            Method::POST,
            token,
            "/api/v1/courses",
            Some(json!({"code": code, "title": format!("Kursus {code}"), "category": "teknis", "jp": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let id = c["id"].as_str().expect("id").to_owned();
    let (_, m) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/courses/{id}/modules"),
            Some(json!({"title": "Modul"})),
        )
        .await;
    let (status, _) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/modules/{}/lessons", m["id"].as_str().expect("m")),
            Some(json!({"title": "Bacaan", "kind": "text", "body_markdown": "Isi."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    id
}

#[tokio::test]
async fn a_prerequisite_is_a_course_the_author_may_see_and_published_with_the_course() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let teacher = app.token("instructor").await;
    // Someone else's draft, with a title nobody should learn.
    let secret = new_course(&app, &admin, "RAHASIA").await;
    let mine = new_course(&app, &teacher, "MILIKKU").await;
    let author = app.login("instructor").await;
    let prerequisites = "SELECT COUNT(*) FROM course_prerequisites";
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{mine}/prerequisites"),
            &[("required_course_id", &secret), ("min_grade", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(prerequisites).await, 0);

    // The author's own draft may be named while both are drafts, but the course is not
    // published before its prerequisite is.
    let first = new_course(&app, &teacher, "DASAR").await;
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{mine}/prerequisites"),
            &[("required_course_id", &first), ("min_grade", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, err) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{mine}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "prerequisite_not_published");
    for id in [&first, &mine] {
        let (status, _) = app
            .api(
                Method::POST,
                &teacher,
                &format!("/api/v1/courses/{id}/publish"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    // A published course takes no draft prerequisite.
    let later = new_course(&app, &teacher, "LANJUT").await;
    let res = app
        .post_form(
            &author,
            &format!("/teach/courses/{mine}/prerequisites"),
            &[("required_course_id", &later), ("min_grade", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let learner = app.token("learner1").await;
    let (_, c) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{mine}"),
            None,
        )
        .await;
    assert_eq!(c["prerequisites"].as_array().map(Vec::len), Some(1), "{c}");
}

#[tokio::test]
async fn names_and_titles_refuse_hidden_direction_and_width_characters() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let unit = app.unit_id("DPMPTSP").await;
    for name in ["Budi\u{202e}Santoso", "Budi\u{200b}Santoso", "\u{2066}Budi"] {
        let (status, err) = app
            .api(
                Method::POST,
                &admin,
                "/api/v1/employees",
                Some(
                    json!({"nip": "199001012015031001", "name": name, "username": "budi.s",
                    "unit_id": unit, "grade": "III/a"}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {err}");
        assert_eq!(err["error"]["code"], "invalid_name");
    }
    let teacher = app.token("instructor").await;
    let (status, err) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(json!({"code": "BIDI", "title": "Kursus\u{202e}lanjut", "category": "teknis", "jp": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["field"], "title");
}

#[tokio::test]
async fn edit_rights_end_with_the_instructor_role() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = new_course(&app, &teacher, "PERAN").await;
    let backend = sea_orm::ConnectionTrait::get_database_backend(&app.db);
    sea_orm::ConnectionTrait::execute_raw(
        &app.db,
        sea_orm::Statement::from_string(
            backend,
            "DELETE FROM user_roles WHERE role = 'instructor' AND user_id = \
             (SELECT id FROM users WHERE username = 'instructor')"
                .to_owned(),
        ),
    )
    .await
    .expect("take the role away");
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Modul baru"})),
        )
        .await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
}

#[tokio::test]
async fn parallel_uploads_stay_within_the_quota() {
    let app = TestApp::spawn_with(Options {
        upload_quota_bytes: Some(200 * 1024),
        ..Default::default()
    })
    .await;
    let teacher = app.token("instructor").await;
    let course = new_course(&app, &teacher, "KUOTA-P").await;
    let (_, c) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let lesson = c["modules"][0]["lessons"][0]["id"]
        .as_str()
        .expect("lesson")
        .to_owned();
    let mut file = mahir_content::pdf::simple_pdf("Kuota", &["Isi."]);
    file.resize(120 * 1024, b' ');
    let uploads = (0..6).map(|i| {
        let (app, teacher, lesson, file) = (&app, &teacher, &lesson, file.clone());
        async move {
            let form = multipart::Form::new().part(
                "file",
                multipart::Part::bytes(file).file_name(format!("berkas{i}.pdf")),
            );
            let res = reqwest::Client::new()
                .post(app.url(&format!("/api/v1/lessons/{lesson}/materials")))
                .bearer_auth(teacher)
                .multipart(form)
                .send()
                .await
                .expect("upload");
            let status = res.status();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (
                status,
                body["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        }
    });
    let outcomes = futures_util::future::join_all(uploads).await;
    let stored = outcomes
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    assert_eq!(stored, 1, "{outcomes:?}");
    for (status, code) in &outcomes {
        assert!(
            *status == StatusCode::CREATED
                || (*status == StatusCode::UNPROCESSABLE_ENTITY && code == "upload_quota_exceeded"),
            "{outcomes:?}"
        );
    }
    let used = app
        .count("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM materials WHERE file_name LIKE 'berkas%'")
        .await;
    assert!(used <= 200 * 1024, "{used}");
    let objects = mahir_tests::count_files(&app.data_dir.join("objects"));
    let rows = app.count("SELECT COUNT(*) FROM materials").await;
    assert_eq!(objects as i64, rows, "no bytes without a row");
}

#[tokio::test]
async fn pdfs_shown_inline_are_sandboxed() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = new_course(&app, &teacher, "PDF-S").await;
    let (_, c) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let lesson = c["modules"][0]["lessons"][0]["id"]
        .as_str()
        .expect("lesson")
        .to_owned();
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(mahir_content::pdf::simple_pdf("PDF", &["Isi."]))
            .file_name("materi.pdf"),
    );
    let m: Value = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/lessons/{lesson}/materials")))
        .bearer_auth(&teacher)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let id = m["id"].as_str().expect("id");
    let browser = app.login("instructor").await;
    let res = browser
        .get(app.url(&format!("/materials/{id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("cd");
    assert!(disposition.starts_with("inline"), "{disposition}");
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("csp");
    assert!(csp.starts_with("sandbox"), "{csp}");
}

#[tokio::test]
async fn metrics_are_served_only_to_allowed_addresses() {
    let open = TestApp::spawn().await;
    let res = reqwest::get(open.url("/metrics")).await.expect("metrics");
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "loopback is allowed by default"
    );
    let closed = TestApp::spawn_with(Options {
        metrics_allow: Some("10.0.0.0/8".into()),
        ..Default::default()
    })
    .await;
    let res = reqwest::get(closed.url("/metrics")).await.expect("metrics");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// A multipart form is read only after its first part, the CSRF token, checked out: a
/// file sent before the token, or with a wrong one, is refused unread.
#[tokio::test]
async fn multipart_forms_check_the_token_before_the_file() {
    let app = TestApp::spawn().await;
    let client = app.login("admin").await;
    let before = app.count("SELECT COUNT(*) FROM employees").await;
    let csv = "nip,name,username,unit_code\n199001012015031001,Dedi Kurniawan,dedi.k,BPSDM\n";
    let token = app.csrf(&client, "/admin/import").await;
    let file = || multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("pegawai.csv");
    for form in [
        multipart::Form::new()
            .part("file", file())
            .text("_csrf", token.clone()),
        multipart::Form::new()
            .text("_csrf", "bukan-token")
            .part("file", file()),
        multipart::Form::new().part("file", file()),
    ] {
        let res = client
            .post(app.url("/admin/import"))
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM employees").await, before);
    // With the token first it goes through.
    let res = import_csv(&app, &client, csv).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.expect("body")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM employees").await,
        before + 1
    );
}

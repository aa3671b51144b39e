//! The `/api/v1` contract: tokens, `/me`, units and employees, errors as JSON.

use mahir_tests::{PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn tokens_are_issued_used_and_revoked() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "learner1", "password": PASSWORD}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    let token = body["token"].as_str().expect("token");
    assert_eq!(body["user"]["username"], "learner1");

    let (status, me) = app.api(Method::GET, token, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "learner1");
    assert_eq!(me["display_name"], "Budi Santoso");
    assert_eq!(me["roles"], json!(["learner"]));
    assert_eq!(me["employee"]["nip"], "199003142015031006");
    assert_eq!(me["employee"]["unit"]["code"], "DISKOMINFOTIK");
    assert!(me["id"].as_str().is_some() && me["employee"]["id"].as_str().is_some());

    let (status, _) = app
        .api(Method::DELETE, token, "/api/v1/auth/token", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, err) = app.api(Method::GET, token, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(err["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn wrong_credentials_are_a_401_json_error() {
    let app = TestApp::spawn().await;
    for body in [
        json!({"username": "learner1", "password": "salah"}),
        json!({"username": "tidak-ada", "password": "salah"}),
    ] {
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/auth/token"))
            .json(&body)
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let err: Value = res.json().await.expect("json");
        assert_eq!(err["error"]["code"], "invalid_credentials");
        assert!(
            err["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["code"], "bad_request");
}

/// axum's own refusals (body over the limit, wrong content type, wrong method, a body that
/// is not UTF-8) are JSON errors with a code, like every other API error, and change nothing.
#[tokio::test]
async fn refusals_before_the_handler_are_json_errors_too() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = crate::quizzes::draft_course(&app, &teacher).await;
    let import = app.url(&format!("/api/v1/courses/{course}/questions/import"));
    let client = reqwest::Client::new();
    let before = app.count("SELECT COUNT(*) FROM questions").await;
    let cases: [(reqwest::RequestBuilder, StatusCode, &str); 4] = [
        (
            client
                .post(&import)
                .header("content-type", "text/plain")
                .body("::Q:: x {T}\n".repeat(300_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            client
                .post(&import)
                .header("content-type", "text/plain")
                .body(vec![0xff, 0xfe, b'{', b'}']),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            client
                .post(app.url("/api/v1/auth/token"))
                .header("content-type", "text/plain")
                .body("{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            client.patch(app.url("/api/v1/openapi.json")),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ];
    for (req, status, code) in cases {
        let res = req.bearer_auth(&teacher).send().await.expect("send");
        assert_eq!(res.status(), status, "{code}");
        let err: Value = res.json().await.expect("a JSON body");
        assert_eq!(err["error"]["code"], code);
        assert!(
            err["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{err}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, before);
}

#[tokio::test]
async fn the_api_never_accepts_the_browser_session() {
    let app = TestApp::spawn().await;
    let browser = app.login("admin").await;
    let res = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn employees_are_created_validated_and_read() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let unit_id = app.unit_id("DPMPTSP").await;
    let mut new = json!({
        "nip": "199001012019031001",
        "name": "Yusuf Hakim",
        "username": "yusuf.hakim",
        "unit_id": unit_id,
        "grade": "III/a",
        "email": "yusuf@jakarta.go.id",
        "password": "sandi awal yang panjang"
    });
    let mut bad = new.clone();
    bad["nip"] = json!("199013012019031001");
    let (status, err) = app
        .api(Method::POST, &admin, "/api/v1/employees", Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_nip");

    let (status, created) = app
        .api(Method::POST, &admin, "/api/v1/employees", Some(new.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["nip"], "199001012019031001");
    assert_eq!(created["unit"]["code"], "DPMPTSP");
    assert_eq!(created["grade"], "III/a");
    let id = created["id"].as_str().expect("id");
    let (status, got) = app
        .api(
            Method::GET,
            &admin,
            &format!("/api/v1/employees/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["name"], "Yusuf Hakim");

    new["username"] = json!("yusuf.lain");
    let (status, err) = app
        .api(Method::POST, &admin, "/api/v1/employees", Some(new))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "nip_taken");

    let token = app
        .token_with("yusuf.hakim", "sandi awal yang panjang")
        .await;
    let (_, me) = app.api(Method::GET, &token, "/api/v1/me", None).await;
    assert_eq!(me["employee"]["id"], json!(id));

    let (status, list) = app
        .api(Method::GET, &admin, "/api/v1/employees?q=yusuf", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn learners_get_403_json_and_unit_admins_stay_in_their_subtree() {
    let app = TestApp::spawn().await;
    let learner = app.token("learner1").await;
    for (method, path, body) in [
        (Method::GET, "/api/v1/units", None),
        (
            Method::POST,
            "/api/v1/units",
            Some(json!({"code": "Z", "name": "Z", "kind": "bidang"})),
        ),
        (Method::GET, "/api/v1/employees", None),
    ] {
        let (status, err) = app.api(method, &learner, path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(err["error"]["code"], "forbidden");
    }

    let admin = app.token("admin").await;
    let unit_admin = app.token("unitadmin").await;
    let (_, mine) = app
        .api(Method::GET, &unit_admin, "/api/v1/units", None)
        .await;
    let codes: Vec<&str> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|u| u["code"].as_str())
        .collect();
    assert_eq!(codes, ["DISKOMINFOTIK", "DISKOMINFOTIK-STAT"]);
    let outside = app.unit_id("DINKES").await;
    let (status, _) = app
        .api(
            Method::GET,
            &unit_admin,
            &format!("/api/v1/units/{outside}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(
            Method::GET,
            &unit_admin,
            &format!("/api/v1/employees?unit_id={outside}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = app
        .api(
            Method::POST,
            &unit_admin,
            "/api/v1/units",
            Some(
                json!({"code": "LUAR", "name": "Di luar", "kind": "bidang", "parent_id": outside}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_parent");
    let inside = app.unit_id("DISKOMINFOTIK").await;
    let (status, created) = app
        .api(
            Method::POST,
            &unit_admin,
            "/api/v1/units",
            Some(json!({"code": "DISKOMINFOTIK-TIK", "name": "Bidang Teknologi Informasi", "kind": "bidang", "parent_id": inside})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["parent_id"], json!(inside));
    // Employees of other units are invisible too.
    let (_, list) = app
        .api(
            Method::GET,
            &unit_admin,
            "/api/v1/employees?per_page=200",
            None,
        )
        .await;
    for e in list["items"].as_array().expect("items") {
        let code = e["unit"]["code"].as_str().expect("code");
        assert!(code.starts_with("DISKOMINFOTIK"), "{code} leaked");
    }
    let (_, learner3) = app
        .api(Method::GET, &admin, "/api/v1/employees?q=learner3", None)
        .await;
    let id = learner3["items"][0]["id"].as_str().expect("learner3");
    let (status, _) = app
        .api(
            Method::GET,
            &unit_admin,
            &format!("/api/v1/employees/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_hundred_concurrent_writes_all_succeed() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let url = app.url("/api/v1/units");
        let token = admin.clone();
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"code": format!("C{i}"), "name": format!("Unit {i}"), "kind": "upt"}))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("join").expect("send"), StatusCode::CREATED);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM units WHERE code LIKE 'C%'")
            .await,
        100
    );
}

/// Every `/api/v1` path written anywhere in the server's source (route or documentation).
fn api_paths_in_source() -> std::collections::BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("server source") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                for (at, _) in text.match_indices("\"/api/v1/") {
                    let rest = &text[at + 1..];
                    let end = rest.find('"').expect("closing quote");
                    out.insert(rest[..end].to_owned());
                }
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    walk(&src, &mut out);
    out
}

/// The OpenAPI document is derived from the router: every operation in it is served, and
/// every `/api/v1` path the server's source names is in it. A route added beside the
/// document, or an operation documented but not routed, fails here.
#[tokio::test]
async fn openapi_lists_every_operation() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let paths = doc["paths"].as_object().expect("paths");
    let nil = "00000000-0000-0000-0000-000000000000";
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { nil } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().expect("path item").keys() {
            let Ok(m) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            operations += 1;
            // Without a login a routed operation answers 401 (or, if public, reads the
            // request); an unrouted one would be 404 or 405.
            let res = reqwest::Client::new()
                .request(m, app.url(&concrete))
                .send()
                .await
                .expect("request");
            assert!(
                !matches!(
                    res.status(),
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                ),
                "{method} {path} is documented but not routed: {}",
                res.status()
            );
        }
    }
    assert!(operations >= 39, "{operations} operations");
    for path in api_paths_in_source() {
        let path = path.split('?').next().unwrap_or_default().to_owned();
        if path == "/api/v1/openapi.json" {
            continue;
        }
        // A path named in the source, possibly with concrete ids in a doc comment.
        let documented = paths.keys().any(|p| {
            p == &path
                || (p.split('/').count() == path.split('/').count()
                    && p.split('/')
                        .zip(path.split('/'))
                        .all(|(a, b)| a == b || a.starts_with('{') || b.starts_with('{')))
        });
        assert!(documented, "{path} is served but not in openapi.json");
    }
}

#[tokio::test]
async fn search_text_is_a_parameter_not_sql() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    for q in ["' OR 1=1 --", "%", "_", "\"; DROP TABLE users; --"] {
        let path = format!(
            "/api/v1/employees?q={}",
            q.replace(' ', "%20")
                .replace('%', "%25")
                .replace('"', "%22")
                .replace(';', "%3B")
        );
        let (status, list) = app.api(Method::GET, &admin, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert!(
            list["total"].as_u64().expect("total") < 9,
            "{q} matched everyone"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 9);
    // Case does not matter, on SQLite and PostgreSQL alike.
    let (_, list) = app
        .api(Method::GET, &admin, "/api/v1/employees?q=BUDI", None)
        .await;
    assert_eq!(list["total"], 1);
}

/// Every list answers in one shape, `{items, total, page, per_page}`, and pages by
/// `page` and `per_page` (1–200).
#[tokio::test]
async fn every_list_has_one_shape_and_pages() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (_, catalogue) = app.api(Method::GET, &admin, "/api/v1/courses", None).await;
    let course = catalogue["items"][0]["id"]
        .as_str()
        .expect("a demo course")
        .to_owned();
    for list in [
        "/api/v1/units".to_owned(),
        "/api/v1/employees".to_owned(),
        "/api/v1/courses".to_owned(),
        "/api/v1/me/courses".to_owned(),
        "/api/v1/questions".to_owned(),
        format!("/api/v1/courses/{course}/questions"),
        format!("/api/v1/courses/{course}/grading"),
    ] {
        let (status, all) = app.api(Method::GET, &admin, &list, None).await;
        assert_eq!(status, StatusCode::OK, "{list}: {all}");
        let keys: Vec<&str> = all
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["items", "page", "per_page", "total"], "{list}");
        assert_eq!(all["page"], 1, "{list}");
        let total = all["total"].as_u64().expect("total");
        let sep = if list.contains('?') { '&' } else { '?' };
        let (_, second) = app
            .api(
                Method::GET,
                &admin,
                &format!("{list}{sep}page=2&per_page=1"),
                None,
            )
            .await;
        assert_eq!(second["per_page"], 1, "{list}");
        assert_eq!(second["total"], total, "{list}");
        let expected = usize::from(total >= 2);
        assert_eq!(
            second["items"].as_array().map(Vec::len),
            Some(expected),
            "{list}: {second}"
        );
        let (status, _) = app
            .api(
                Method::GET,
                &admin,
                &format!("{list}{sep}per_page=201"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{list}");
    }
}

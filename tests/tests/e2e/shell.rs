//! The shell around every page: language, error pages, assets, operations endpoints.

use mahir_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn the_login_page_is_indonesian_unless_the_browser_prefers_english() {
    let app = TestApp::spawn_organisation().await;
    let (status, body) = app.page(&app.client(), "/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"id\">") && body.contains("Masuk ke Mahir"));
    let (_, body) = app
        .page(&app.client_with_lang("en-GB,en;q=0.9"), "/login")
        .await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Log in to Mahir"));
}

#[tokio::test]
async fn the_language_choice_is_remembered_per_user() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("learner2").await;
    let res = app
        .post_form(
            &client,
            "/language",
            &[("lang", "en"), ("next", "/account")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account");
    // A new login elsewhere, with an Indonesian browser, still gets English.
    let other = app.login("learner2").await;
    let (_, body) = app.page(&other, "/").await;
    assert!(body.contains("Welcome, Dewi Lestari"), "{body}");
    // Units are named in the page's language; the account page shows the employee's place.
    let (_, account) = app.page(&other, "/account").await;
    for part in [
        "199205202017032007",
        "Statistics Division",
        "Statistisi Ahli Pertama",
        "III/a",
    ] {
        assert!(account.contains(part), "{part} missing: {account}");
    }
    assert!(!account.contains("Bidang Statistik"));
    let (_, indonesian) = app.page(&app.login("learner1").await, "/account").await;
    assert!(indonesian.contains("Dinas Komunikasi, Informatika dan Statistik"));
    assert!(!indonesian.contains("Communication, Informatics"));
    let res = app.post_form(&client, "/language", &[("lang", "xx")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn home_pages_follow_the_role() {
    let app = TestApp::spawn_organisation().await;
    let (_, learner) = app.page(&app.login("learner1").await, "/").await;
    assert!(learner.contains("Pelatihan saya") && !learner.contains("Kelola unit kerja"));
    assert!(!learner.contains("href=\"/admin/units\""));
    let (_, unit_admin) = app.page(&app.login("unitadmin").await, "/").await;
    assert!(unit_admin.contains("Unit yang saya kelola"));
    let (_, instructor) = app.page(&app.login("instructor").await, "/").await;
    assert!(instructor.contains("Pelatihan yang saya ampu"));
}

#[tokio::test]
async fn error_pages_have_the_right_status() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("learner1").await;
    let (status, body) = app.page(&client, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Halaman tidak ditemukan"));
    let (status, body) = app
        .page(&client, "/admin/units/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // An id that is not a UUID names nothing: 404 before any other check.
    let (status, body) = app.page(&client, "/admin/units/not-a-uuid").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let res = reqwest::get(app.url("/api/v1/nothing")).await.expect("get");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let json: serde_json::Value = res.json().await.expect("json");
    assert_eq!(json["error"]["code"], "not_found");
    // A guest asking for a page is sent to log in and brought back afterwards.
    let (status, _) = app.page(&app.client(), "/admin/units").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn pages_carry_security_headers_and_hashed_assets() {
    let app = TestApp::spawn_organisation().await;
    let res = app
        .client()
        .get(app.url("/login"))
        .send()
        .await
        .expect("get");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    for part in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers().contains_key("x-request-id"));
    let body = res.text().await.expect("body");
    let start = body.find("/assets/app.").expect("css link");
    let href = &body[start..start + body[start..].find('"').expect("end")];
    let css = reqwest::get(app.url(href)).await.expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    assert_eq!(
        reqwest::get(app.url("/assets/app.css"))
            .await
            .expect("get")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn text_is_compressed_and_each_page_masks_its_token() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("learner1").await;
    for encoding in ["gzip", "br"] {
        let res = client
            .get(app.url("/"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-encoding"], encoding);
    }
    let (_, home) = app.page(&client, "/").await;
    let start = home.find("/assets/app.").expect("css link");
    let href = &home[start..start + home[start..].find('"').expect("end")];
    let css = client
        .get(app.url(href))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("css");
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let plain = client.get(app.url("/")).send().await.expect("get");
    assert!(!plain.headers().contains_key("content-encoding"));

    // Two pages carry two different masks of the one session token; both are accepted.
    let first = mahir_tests::extract_csrf(&home).expect("token");
    let (_, again) = app.page(&client, "/").await;
    let second = mahir_tests::extract_csrf(&again).expect("token");
    assert_ne!(first, second);
    for token in [&first, &second] {
        let res = client
            .post(app.url("/language"))
            .form(&[("_csrf", token.as_str()), ("lang", "id"), ("next", "/")])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let res = client
        .post(app.url("/language"))
        .form(&[("_csrf", "x"), ("lang", "id"), ("next", "/")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn_organisation().await;
    let health = reqwest::get(app.url("/healthz")).await.expect("get");
    assert_eq!(health.status(), StatusCode::OK);
    let ready = reqwest::get(app.url("/readyz")).await.expect("get");
    assert_eq!(ready.status(), StatusCode::OK);
    let metrics = reqwest::get(app.url("/metrics"))
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/healthz\""));
    assert!(metrics.contains("http_request_duration_seconds"));
}

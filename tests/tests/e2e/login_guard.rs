//! Guarding accounts under attack: throttling that holds under parallel guesses, tokens
//! that end with the password, no session rows for anonymous visitors, and a way in for
//! the owner of an account under attack.

use mahir_tests::{PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn token_attempt(app: &TestApp, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("post")
        .status()
}

#[tokio::test]
async fn parallel_guesses_get_no_more_tries_than_sequential_ones() {
    let app = TestApp::spawn_organisation().await;
    let guesses = (0..150).map(|i| {
        let app = &app;
        async move { token_attempt(app, "learner2", &format!("tebakan-{i}")).await }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let verified = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(verified + throttled, 150, "{statuses:?}");
    assert!(verified <= 5, "{verified} passwords were checked");
    // Racing attempts may refuse one another (each counts the others' reservations), so
    // fewer than 5 may have been checked; guesses one by one use up exactly the rest.
    let mut one_by_one = 0;
    while token_attempt(&app, "learner2", "tebakan-lagi").await == StatusCode::UNAUTHORIZED {
        one_by_one += 1;
        assert!(one_by_one <= 5, "more than 5 tries in all");
    }
    assert_eq!(verified + one_by_one, 5, "5 tries in all, parallel or not");
    // And the owner, from the same address, waits like everyone else there.
    assert_eq!(
        token_attempt(&app, "learner2", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_new_password_ends_every_api_token() {
    let app = TestApp::spawn_organisation().await;
    // Changed by the owner.
    let token = app.token("learner5").await;
    let browser = app.login("learner5").await;
    let new = "sandi baru yang cukup panjang";
    let res = app
        .post_form(
            &browser,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.api(Method::GET, &token, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "own change");

    // Reset by an admin.
    let token = app.token("learner4").await;
    let (_, me) = app.api(Method::GET, &token, "/api/v1/me", None).await;
    let employee = me["employee"]["id"].as_str().expect("employee").to_owned();
    let admin = app.login("admin").await;
    let res = app
        .post_form(
            &admin,
            &format!("/admin/employees/{employee}/password"),
            &[("password", "sandi dari admin yang panjang")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.api(Method::GET, &token, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "admin reset");
}

#[tokio::test]
async fn the_current_password_check_is_throttled() {
    let app = TestApp::spawn_organisation().await;
    let browser = app.login("learner3").await;
    let hash = "SELECT COUNT(*) FROM users WHERE username = 'learner3' AND password_hash = ";
    let (_, stored) = stored_hash(&app, "learner3").await;
    let new = "sandi baru yang cukup panjang";
    for _ in 0..5 {
        let res = app
            .post_form(
                &browser,
                "/account/password",
                &[
                    ("current_password", "tebakan"),
                    ("new_password", new),
                    ("confirm_password", new),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = app
        .post_form(
            &browser,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.count(&format!("{hash}'{stored}'")).await,
        1,
        "the password did not change"
    );
}

async fn stored_hash(app: &TestApp, username: &str) -> (String, String) {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id, password_hash FROM users WHERE username = '{username}'"),
        ))
        .await
        .expect("query")
        .expect("row");
    (
        row.try_get_by_index::<uuid::Uuid>(0)
            .map(|u| u.to_string())
            .unwrap_or_default(),
        row.try_get_by_index::<String>(1).expect("hash"),
    )
}

#[tokio::test]
async fn anonymous_visitors_store_no_sessions() {
    let app = TestApp::spawn_organisation().await;
    let before = app.count("SELECT COUNT(*) FROM sessions").await;
    for _ in 0..50 {
        let (status, _) = app.page(&app.client(), "/login").await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, before);
    // The login form still works, and still needs its token.
    let client = app.client();
    let res = app.login_with(&client, "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, before + 1);
    let res = app
        .client()
        .post(app.url("/login"))
        .form(&[
            ("_csrf", "palsu"),
            ("username", "learner1"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A guest's language choice is remembered (that needs a session).
    let guest = app.client();
    let res = app
        .post_form(&guest, "/language", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&guest, "/login").await;
    assert!(page.contains("lang=\"en\""), "{page}");
}

/// Many failures from elsewhere lock new addresses out of an account, but the owner is told
/// how to get in: a one-time link by e-mail makes their address a known one.
#[tokio::test]
async fn the_owner_of_an_attacked_account_gets_in_by_an_emailed_link() {
    let app = TestApp::spawn_organisation().await;
    for i in 0..30 {
        mahir::auth::throttle::record_failure(
            &app.db,
            app.state.clock().now(),
            "learner1",
            &format!("203.0.113.{i}"),
        )
        .await
        .expect("record");
    }
    let client = app.client();
    let res = app.login_with(&client, "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = res.text().await.expect("page");
    assert!(
        page.contains("/login/unlock"),
        "the page offers the link: {page}"
    );

    let res = app
        .post_form(&client, "/login/unlock", &[("username", "learner1")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let mail = wait_for_mail(&app).await;
    assert!(
        mail.contains("learner1") || mail.contains("Learner"),
        "{mail}"
    );
    let link = mail
        .split_whitespace()
        .find(|w| w.contains("/login/unlock/"))
        .expect("a link in the mail")
        .to_owned();
    let path = &link[link.find("/login/unlock/").expect("path")..];
    // Opening the link changes nothing (mail scanners open links); confirming it does.
    let res = client.get(app.url(path)).send().await.expect("open link");
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.login_with(&client, "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = app.post_form(&client, path, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.login_with(&client, "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the owner is in");
    // The link works once.
    let res = app.client().get(app.url(path)).send().await.expect("again");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A second request within 15 minutes sends no second mail.
    let res = app
        .post_form(&app.client(), "/login/unlock", &[("username", "learner1")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(mails(&app).len(), 1);
    // An unknown account gets the same answer and no mail.
    let res = app
        .post_form(&app.client(), "/login/unlock", &[("username", "tidakada")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

fn mails(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(app.data_dir.join("outbox"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|m| quoted_printable(&m))
                .collect()
        })
        .unwrap_or_default()
}

/// A mail body as its reader sees it: soft line breaks joined, `=XX` decoded.
fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first mail in the outbox, once it is written whole.
async fn wait_for_mail(app: &TestApp) -> String {
    for _ in 0..50 {
        if let Some(m) = mails(app)
            .into_iter()
            .find(|m| m.contains("/login/unlock/"))
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no mail in the outbox");
}

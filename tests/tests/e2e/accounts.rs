//! SECURITY.md "Accounts and sessions" and "Forms and injection", as a user meets them.

use std::time::Duration;

use mahir_tests::{Options, PASSWORD, TestApp};
use reqwest::StatusCode;

fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("mahir_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_owned())
}

#[tokio::test]
async fn login_renews_the_session_id_and_lands_on_the_home_page() {
    let app = TestApp::spawn_organisation().await;
    let client = app.client();
    // A guest gets a session only once something is kept in it, e.g. a language choice.
    let before = app
        .post_form(&client, "/language", &[("lang", "id"), ("next", "/login")])
        .await;
    let guest_cookie = session_cookie(&before).expect("guest session for the language");
    let res = app.login_with(&client, "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/");
    let user_cookie = session_cookie(&res).expect("new cookie at login");
    assert_ne!(
        guest_cookie, user_cookie,
        "the session id must change at login"
    );
    let (status, body) = app.page(&client, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Selamat datang, Budi Santoso"), "{body}");
}

#[tokio::test]
async fn unknown_user_and_wrong_password_answer_the_same() {
    let app = TestApp::spawn_organisation().await;
    let a = app
        .login_with(&app.client(), "learner1", "salah-sekali-ini")
        .await;
    let b = app
        .login_with(&app.client(), "nobody-here", "salah-sekali-ini")
        .await;
    assert_eq!(a.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(b.status(), a.status());
    let (a, b) = (a.text().await.expect("a"), b.text().await.expect("b"));
    let msg = "Nama pengguna atau kata sandi salah.";
    assert!(a.contains(msg) && b.contains(msg));
    // The pages differ only in the echoed username and the form token.
    let strip = |s: &str, user: &str| {
        s.replace(user, "U")
            .lines()
            .filter(|l| !l.contains("_csrf"))
            .collect::<String>()
    };
    assert_eq!(strip(&a, "learner1"), strip(&b, "nobody-here"));
}

#[tokio::test]
async fn a_cookie_is_useless_after_logout() {
    let app = TestApp::spawn_organisation().await;
    let client = app.client();
    let res = app.login_with(&client, "learner2", PASSWORD).await;
    let cookie = session_cookie(&res).expect("cookie");
    let res = app.post_form(&client, "/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Replaying the old cookie from another client gets the login page, not the home page.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = replay
        .get(app.url("/"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()["location"]
            .to_str()
            .expect("loc")
            .starts_with("/login")
    );
}

#[tokio::test]
async fn disabling_a_user_ends_all_their_sessions_and_tokens() {
    let app = TestApp::spawn_organisation().await;
    let phone = app.login("learner3").await;
    let desktop = app.login("learner3").await;
    let token = app.token("learner3").await;
    let admin = app.login("admin").await;
    let (_, me) = app
        .api(reqwest::Method::GET, &token, "/api/v1/me", None)
        .await;
    let employee_id = me["employee"]["id"]
        .as_str()
        .expect("employee id")
        .to_owned();
    let res = app
        .post_form(
            &admin,
            &format!("/admin/employees/{employee_id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for client in [&phone, &desktop] {
        let (status, _) = app.page(client, "/").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "session must be over");
    }
    let (status, _) = app
        .api(reqwest::Method::GET, &token, "/api/v1/me", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = app.login_with(&app.client(), "learner3", PASSWORD).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot log in"
    );
}

#[tokio::test]
async fn idle_sessions_time_out() {
    let app = TestApp::spawn_with(Options {
        session_idle: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await;
    let client = app.login("learner1").await;
    assert_eq!(app.page(&client, "/").await.0, StatusCode::OK);
    app.state.clock().advance(Duration::from_millis(2100));
    assert_eq!(app.page(&client, "/").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sessions_end_at_the_absolute_timeout_even_when_used() {
    let app = TestApp::spawn_with(Options {
        session_absolute: Some(Duration::from_secs(2)),
        ..Default::default()
    })
    .await;
    let client = app.login("learner1").await;
    for _ in 0..2 {
        assert_eq!(app.page(&client, "/").await.0, StatusCode::OK);
        app.state.clock().advance(Duration::from_millis(800));
    }
    app.state.clock().advance(Duration::from_millis(2000));
    assert_eq!(app.page(&client, "/").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn long_passwords_count_whole_and_common_ones_are_refused() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("learner4").await;
    let long = "kalimat panjang tentang kopi tubruk di pinggir monas pada pagi hari!!";
    assert!(long.len() >= 64);
    let res = app
        .post_form(
            &client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", long),
                ("confirm_password", long),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let truncated = &long[..long.len() - 1];
    let res = app.login_with(&app.client(), "learner4", truncated).await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "every character counts"
    );
    let res = app.login_with(&app.client(), "learner4", long).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let res = app
        .post_form(
            &client,
            "/account/password",
            &[
                ("current_password", long),
                ("new_password", "password123"),
                ("confirm_password", "password123"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(body.contains("terlalu umum"), "{body}");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = TestApp::spawn_organisation().await;
    let other = app.login("learner5").await;
    let client = app.login("learner5").await;
    let new = "sandi baru yang cukup panjang";
    let res = app
        .post_form(
            &client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.page(&client, "/").await.0,
        StatusCode::OK,
        "this browser stays in"
    );
    assert_eq!(
        app.page(&other, "/").await.0,
        StatusCode::SEE_OTHER,
        "others are out"
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account_and_address() {
    let app = TestApp::spawn_organisation().await;
    for _ in 0..5 {
        let res = app
            .login_with(&app.client(), "learner2", "bukan-sandinya")
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app.login_with(&app.client(), "learner2", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    // The API shares the limit.
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "learner2", "password": PASSWORD}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another account from the same address is not affected yet.
    let res = app.login_with(&app.client(), "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn one_password_across_many_accounts_is_throttled_per_address() {
    let app = TestApp::spawn_organisation().await;
    for i in 0..20 {
        let res = app
            .login_with(&app.client(), &format!("tebakan{i}"), "Jakarta2026!")
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app.login_with(&app.client(), "learner1", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_attacker_elsewhere_cannot_lock_the_real_user_out() {
    let app = TestApp::spawn_organisation().await;
    let db = &app.db;
    let now = app.state.clock().now();
    // The real user logged in before from their office address.
    mahir::auth::throttle::record_success(db, now, "learner1", "10.1.1.1")
        .await
        .expect("record");
    // An attacker fails 40 times from 40 addresses.
    for i in 0..40 {
        let addr = format!("203.0.113.{i}");
        mahir::auth::throttle::record_failure(db, now, "learner1", &addr)
            .await
            .expect("record");
    }
    assert!(
        !mahir::auth::throttle::locked_for(db, now, "learner1", "10.1.1.1")
            .await
            .expect("check")
    );
    assert!(
        mahir::auth::throttle::locked_for(db, now, "learner1", "198.51.100.7")
            .await
            .expect("check")
    );
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_a_same_origin() {
    let app = TestApp::spawn_organisation().await;
    let client = app.login("admin").await;
    let unit_form = [
        ("code", "X1"),
        ("name", "Unit X"),
        ("kind", "bidang"),
        ("parent_id", ""),
    ];
    // No token.
    let res = client
        .post(app.url("/admin/units"))
        .form(&unit_form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Right token, foreign Origin.
    let token = app.csrf(&client, "/admin/units/new").await;
    let mut form = vec![("_csrf", token.as_str())];
    form.extend_from_slice(&unit_form);
    let res = client
        .post(app.url("/admin/units"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM units WHERE code = 'X1'")
            .await,
        0
    );
    // GET changes nothing: logout by GET is not a route.
    let res = client.get(app.url("/logout")).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.page(&client, "/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn login_redirects_only_to_same_origin_paths() {
    let app = TestApp::spawn_organisation().await;
    for (next, expected) in [
        ("/admin/units", "/admin/units"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ] {
        let client = app.client();
        let token = app.csrf(&client, "/login").await;
        let res = client
            .post(app.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(res.headers()["location"], expected, "next={next}");
    }
}

#[tokio::test]
async fn hashes_are_argon2id_and_never_leave_the_server() {
    let app = TestApp::spawn_organisation().await;
    let token = app.token("admin").await;
    let (_, me) = app
        .api(reqwest::Method::GET, &token, "/api/v1/me", None)
        .await;
    let text = me.to_string();
    assert!(!text.contains("argon2") && !text.contains("password") && !text.contains(&token));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE password_hash NOT LIKE '$argon2id$%'")
            .await,
        0
    );
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await;
    assert_eq!(stored, 0, "tokens are stored hashed");
}

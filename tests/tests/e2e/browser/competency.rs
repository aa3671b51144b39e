//! Competency management in Chromium: a learner completes a course recommended to them
//! and sees their JP bar and profile move; a unit admin verifies training done elsewhere.

use fantoccini::Locator;
use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{browser, click, log_in, wait_for_text, wait_text_is};

/// A published course of one text lesson (done by marking, 6 JP) that develops
/// Pengelolaan Data to level 2: the level Dewi's position requires and she lacks.
async fn data_course(app: &TestApp) -> String {
    let teacher = app.token("instructor").await;
    let (status, course) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(json!({"code": "OLAH-DATA", "title": "Mengolah Data Survei", "category": "teknis", "jp": 6})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{course}");
    let id = course["id"].as_str().expect("id").to_owned();
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{id}/modules"),
            Some(json!({"title": "Modul"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/lessons"),
            Some(json!({"title": "Membersihkan data", "kind": "text", "body_markdown": "Langkah **pertama**.", "completion": "marked"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .api(
            Method::PUT,
            &teacher,
            &format!("/api/v1/courses/{id}/competencies"),
            Some(json!([{"code": "T.PD", "level": 2}])),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    id
}

#[tokio::test]
async fn a_learner_closes_a_gap_and_a_unit_admin_verifies_training_elsewhere() {
    let app = TestApp::spawn().await;
    let course = data_course(&app).await;
    let year = chrono::Datelike::year(&app.state.clock().today_wib());
    let d = browser().await;
    let c = &d.client;

    log_in(c, &app, "learner2").await;
    wait_text_is(c, "main h1", "Selamat datang, Dewi Lestari").await;
    wait_text_is(c, "#h-jp", &format!("0 dari 20 JP tahun {year}")).await;
    // The home page recommends the course that closes her gap; she enrols from it.
    click(c, &format!(".jp-card a.button[href='/courses/{course}']")).await;
    wait_text_is(c, "main h1", "Mengolah Data Survei").await;
    wait_for_text(c, "Mengembangkan: Pengelolaan Data level 2").await;
    click(c, "form[action$='/enrol'] button").await;
    wait_text_is(c, "article h1", "Membersihkan data").await;
    click(c, "button[data-mark-done]").await;
    wait_text_is(c, "article p .done", "✓ Selesai").await;
    c.goto(&app.url("/")).await.expect("home");
    wait_text_is(c, "#h-jp", &format!("6 dari 20 JP tahun {year}")).await;
    c.goto(&app.url("/profile")).await.expect("profile");
    wait_text_is(c, ".jp-card .big", "6 dari 20 JP").await;
    let row = c
        .find(Locator::XPath("//tr[td[contains(., 'Pengelolaan Data')]]"))
        .await
        .expect("the data management row")
        .text()
        .await
        .expect("text");
    assert!(row.contains("Terpenuhi"), "{row}");
    assert!(row.contains("Mengolah Data Survei"), "{row}");
    c.delete_all_cookies().await.expect("log out");

    // Rina verifies Rizky's training elsewhere; his JP count it at once.
    log_in(c, &app, "unitadmin").await;
    wait_text_is(c, "main h1", "Selamat datang, Rina Wulandari").await;
    c.goto(&app.url("/admin/verification"))
        .await
        .expect("verification");
    wait_for_text(c, "Bimbingan Teknis Tata Naskah Dinas Elektronik").await;
    // A rejection without a reason is refused on its card; the card stays.
    click(c, "main form button[value=reject]").await;
    wait_for_text(c, "Tuliskan alasan").await;
    click(c, "main form button[value=verify]").await;
    wait_text_is(c, "main .alert.ok", "Keputusan disimpan.").await;
    wait_for_text(c, "Tidak ada pelatihan yang menunggu verifikasi.").await;
    let rizky = app.token("learner5").await;
    let (_, profile) = app
        .api(Method::GET, &rizky, "/api/v1/me/profile", None)
        .await;
    assert_eq!(profile["jp"]["total"], 6, "{profile}");
    d.client.clone().close().await.expect("close");
}

//! The form-based question editor: a question of every kind made in the form is stored as
//! the GIFT import stores it, exports to GIFT and imports back equal; a refused form keeps
//! what was typed and says why beside each field; preview and more rows store nothing; a
//! change through the form is a correction like one written as GIFT.

use mahir_tests::TestApp;
use reqwest::{Method, StatusCode, header};
use serde_json::json;

use super::quizzes::{draft_course, import};

/// One form per kind, as a browser sends it (empty rows included).
fn forms() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    let common = [
        ("category", "Keamanan/Dasar"),
        ("tags", "sandi, dasar"),
        ("competencies", "T.KI:2"),
        ("feedback", "Lihat modul 2: {kunci} = rahasia #1"),
    ];
    let with = |kind: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut all = vec![("kind", kind), ("step", "save")];
        all.extend_from_slice(&common);
        all.extend_from_slice(extra);
        (kind, all)
    };
    vec![
        with(
            "single_choice",
            &[
                ("title", "Sandi kuat"),
                ("text", "Sandi yang **kuat**: ~ tanda = {apa}?"),
                ("row-0-text", "Kombinasi 12 karakter"),
                ("row-0-weight", "100"),
                ("row-0-feedback", "Tepat"),
                ("row-1-text", "Tanggal lahir"),
                ("row-1-weight", "0"),
                ("row-1-feedback", ""),
                ("row-2-text", "Nama kucing"),
                ("row-2-weight", "-25"),
                ("row-2-feedback", "Mudah ditebak"),
                ("row-3-text", ""),
                ("row-3-weight", ""),
                ("row-3-feedback", ""),
            ],
        ),
        with(
            "multiple_choice",
            &[
                ("text", "Mana yang termasuk data pribadi?"),
                ("row-0-text", "NIK"),
                ("row-0-weight", "50"),
                ("row-1-text", "Alamat"),
                ("row-1-weight", "50"),
                ("row-2-text", "Nama dinas"),
                ("row-2-weight", "-100"),
            ],
        ),
        with(
            "true_false",
            &[
                ("text", "Sandi boleh dibagikan kepada atasan."),
                ("answer", "false"),
                ("feedback_wrong", "Tidak pernah."),
                ("feedback_right", "Benar, sandi pribadi."),
            ],
        ),
        with(
            "short_answer",
            &[
                ("text", "Singkatan autentikasi dua faktor?"),
                ("row-0-text", "2FA"),
                ("row-0-weight", ""),
                ("row-1-text", "MFA"),
                ("row-1-weight", "50"),
                ("row-1-feedback", "Lebih umum"),
            ],
        ),
        with(
            "numerical",
            &[
                ("text", "Berapa panjang minimal sandi?"),
                ("row-0-text", "12"),
                ("row-0-tolerance", "0,5"),
                ("row-0-weight", "100"),
                ("row-1-min", "8"),
                ("row-1-max", "11"),
                ("row-1-weight", "50"),
                ("row-2-text", "16"),
                ("row-2-weight", "25"),
            ],
        ),
        with(
            "matching",
            &[
                ("text", "Pasangkan istilah dengan artinya."),
                ("row-0-text", "Phishing"),
                ("row-0-right", "Pancingan lewat surel"),
                ("row-1-text", "Malware"),
                ("row-1-right", "Perangkat lunak jahat"),
                ("row-2-text", ""),
                ("row-2-right", "Pengecoh"),
            ],
        ),
        with(
            "essay",
            &[(
                "text",
                "Jelaskan langkah Anda bila menerima surel mencurigakan.",
            )],
        ),
    ]
}

async fn export(app: &TestApp, client: &reqwest::Client, course: &str) -> String {
    let (status, gift) = app
        .page(client, &format!("/teach/courses/{course}/questions.gift"))
        .await;
    assert_eq!(status, StatusCode::OK);
    gift
}

#[tokio::test]
async fn a_question_of_every_kind_made_in_the_form_round_trips_through_gift() {
    let app = TestApp::spawn().await;
    let token = app.token("instructor").await;
    let course = draft_course(&app, &token).await;
    let teacher = app.login("instructor").await;
    let new = format!("/teach/courses/{course}/questions/new");

    // The bank offers every kind; each kind's form has only its own fields.
    let (_, bank) = app
        .page(&teacher, &format!("/teach/courses/{course}/questions"))
        .await;
    for (kind, _) in forms() {
        assert!(bank.contains(&format!("{new}?kind={kind}")), "{kind}");
    }
    let (status, tf_form) = app.page(&teacher, &format!("{new}?kind=true_false")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tf_form.contains("name=\"answer\"") && !tf_form.contains("row-0-weight"));
    let (_, essay_form) = app.page(&teacher, &format!("{new}?kind=essay")).await;
    assert!(!essay_form.contains("row-0-text") && !essay_form.contains("name=\"answer\""));

    for (kind, fields) in forms() {
        let res = app.post_form(&teacher, &new, &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind}");
        let to = res.headers()[header::LOCATION].to_str().expect("location");
        assert!(to.ends_with("/questions?added=1"), "{to}");
    }
    let stored = app
        .count("SELECT COUNT(*) FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1')")
        .await;
    assert_eq!(stored, 7);
    for kind in [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "essay",
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1') AND kind = '{kind}'"
            ))
            .await;
        assert_eq!(n, 1, "{kind}");
    }

    // Exported as GIFT and imported into another course, the questions come back equal.
    let gift = export(&app, &teacher, &course).await;
    assert!(gift.contains("[competency:T.KI:2]"), "{gift}");
    // An exact number stays a number (stored as a range of one).
    assert!(
        gift.contains("%25%16") && !gift.contains("16..16"),
        "{gift}"
    );
    let (status, other) = app
        .api(
            Method::POST,
            &token,
            "/api/v1/courses",
            Some(json!({"code": "KUIS-2", "title": "Kuis 2", "category": "teknis", "jp": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let other = other["id"].as_str().expect("id").to_owned();
    let (status, body) = import(&app, &token, &other, "gift", &gift).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 7);
    assert_eq!(export(&app, &teacher, &other).await, gift);
    let both = app
        .count("SELECT COUNT(*) FROM (SELECT kind, title, category, text_html, fragments FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1') INTERSECT SELECT kind, title, category, text_html, fragments FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-2')) AS same")
        .await;
    assert_eq!(
        both, 7,
        "the form's and the file's questions are stored alike"
    );

    // Each question's page shows it in the same form, filled in.
    let tf = app
        .id_of("SELECT id FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1') AND kind = 'true_false'")
        .await;
    let (status, page) = app.page(&teacher, &format!("/teach/questions/{tf}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("action=\"/teach/questions/{tf}/form\"")));
    assert!(page.contains("value=\"false\" checked"), "{page}");
    assert!(page.contains("value=\"Tidak pernah.\""));
}

#[tokio::test]
async fn a_refused_question_form_keeps_what_was_typed_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("instructor").await;
    let course = draft_course(&app, &token).await;
    let teacher = app.login("instructor").await;
    let new = format!("/teach/courses/{course}/questions/new");
    let count = "SELECT COUNT(*) FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1')";

    let res = app
        .post_form(
            &teacher,
            &new,
            &[
                ("kind", "single_choice"),
                ("step", "save"),
                ("text", ""),
                ("competencies", "T.KI:9"),
                ("row-0-text", "Kombinasi <12> karakter"),
                ("row-0-weight", "seratus"),
                ("row-1-text", "Tanggal lahir"),
                ("row-1-weight", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("Ada 3 isian yang perlu diperbaiki"), "{html}");
    for id in ["text", "competencies", "row-0-weight"] {
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}: {html}");
        assert!(html.contains(&format!("href=\"#{id}\"")), "{id}");
    }
    assert!(html.contains("value=\"seratus\""));
    assert!(
        html.contains("value=\"Kombinasi &#60;12&#62; karakter\"")
            || html.contains("value=\"Kombinasi &lt;12&gt; karakter\""),
        "{html}"
    );
    assert!(html.contains("value=\"T.KI:9\""));

    // The GIFT reader's rule, on the weight of the first option.
    let res = app
        .post_form(
            &teacher,
            &new,
            &[
                ("kind", "single_choice"),
                ("text", "Soal"),
                ("row-0-text", "A"),
                ("row-0-weight", "50"),
                ("row-1-text", "B"),
                ("row-1-weight", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("id=\"row-0-weight-error\""), "{html}");
    assert!(html.contains("tepat satu jawaban benar"), "{html}");

    // Preview renders the text through the sanitizer; more rows adds empty ones.
    let res = app
        .post_form(
            &teacher,
            &new,
            &[
                ("kind", "matching"),
                ("step", "preview"),
                ("text", "Pasangkan **istilah** <script>alert(1)</script>"),
                ("row-0-text", "Phishing"),
                ("row-0-right", "Pancingan"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("body");
    assert!(html.contains("<strong>istilah</strong>"), "{html}");
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("value=\"Phishing\""));
    let res = app
        .post_form(
            &teacher,
            &new,
            &[
                ("kind", "matching"),
                ("step", "more"),
                ("text", "Soal"),
                ("row-0-text", "A"),
                ("row-0-right", "B"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("body");
    assert!(html.contains("name=\"row-2-right\"") && !html.contains("name=\"row-3-right\""));
    assert_eq!(app.count(count).await, 0);

    // A learner may not use the editor; nor may anyone post NUL or huge rows.
    let learner = app.login("learner1").await;
    // (The course is a draft: to a learner it is not there at all.)
    let (status, _) = app.page(&learner, &new).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let res = app
        .post_form(&learner, &new, &[("kind", "essay"), ("text", "Soal")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, _) = app.page(&learner, "/teach/bank/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let res = app
        .post_form(&teacher, &new, &[("kind", "essay"), ("text", "So\0al")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let long = "x".repeat(30_000);
    let res = app
        .post_form(&teacher, &new, &[("kind", "essay"), ("text", &long)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(count).await, 0);
}

#[tokio::test]
async fn a_change_through_the_form_corrects_and_regrades_like_gift() {
    let app = TestApp::spawn().await;
    let token = app.token("instructor").await;
    let course = draft_course(&app, &token).await;
    let teacher = app.login("instructor").await;
    let (status, _) = import(
        &app,
        &token,
        &course,
        "gift",
        "::Ibu kota:: Apa ibu kota Indonesia? {=Jakarta ~Bandung ~Surabaya}",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = app
        .id_of("SELECT id FROM questions WHERE course_id IN (SELECT id FROM courses WHERE code = 'KUIS-1')")
        .await;
    let (_, page) = app.page(&teacher, &format!("/teach/questions/{id}")).await;
    assert!(page.contains("value=\"Jakarta\"") && page.contains("name=\"row-4-text\""));
    let form = format!("/teach/questions/{id}/form");
    let res = app
        .post_form(
            &teacher,
            &form,
            &[
                ("title", "Ibu kota"),
                ("text", "Apa ibu kota Indonesia sejak 1949?"),
                ("row-0-text", "Jakarta"),
                ("row-0-weight", "100"),
                ("row-1-text", "Bandung"),
                ("row-1-weight", "0"),
                ("row-2-text", "Yogyakarta"),
                ("row-2-weight", "0"),
                ("regrade", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()[header::LOCATION]
            .to_str()
            .expect("location")
            .ends_with("corrected=1&regraded=0")
    );
    let gift = export(&app, &teacher, &course).await;
    assert!(
        gift.contains("sejak 1949") && gift.contains("~Yogyakarta"),
        "{gift}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE title = 'Ibu kota' AND version = 2")
            .await,
        1
    );
    // A refused change keeps the typed text and changes nothing.
    let res = app
        .post_form(
            &teacher,
            &form,
            &[
                ("text", "Diubah"),
                ("row-0-text", "Satu"),
                ("row-0-weight", "100"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(
        html.contains(">Diubah</textarea>") && html.contains("id=\"row-0-text-error\""),
        "{html}"
    );
    assert_eq!(export(&app, &teacher, &course).await, gift);
}

//! The instructor's quiz pages: import a bank from a GIFT file (a bad one imports nothing
//! and names the line), build a quiz with the form, read its results, grade an essay, and
//! correct a question with a regrade.

use mahir_tests::TestApp;
use reqwest::{StatusCode, header, multipart};

use super::quizzes::{GIFT, draft_course};

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    course: &str,
    file: &str,
) -> reqwest::Response {
    let token = app.csrf(client, "/account").await;
    let form = multipart::Form::new()
        .text("_csrf", token)
        .text("format", "gift")
        .text("text", "")
        .part(
            "file",
            multipart::Part::bytes(file.as_bytes().to_vec()).file_name("bank.txt"),
        );
    client
        .post(app.url(&format!("/teach/courses/{course}/questions")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_instructor_builds_a_quiz_from_a_gift_file_with_the_pages() {
    let app = TestApp::spawn().await;
    let token = app.token("instructor").await;
    let course = draft_course(&app, &token).await;
    let teacher = app.login("instructor").await;
    let questions_before = app.count("SELECT COUNT(*) FROM questions").await;

    // A broken file: the form comes back with the line and nothing is imported.
    let res = upload(
        &app,
        &teacher,
        &course,
        "Soal baik {T}\n\nSoal rusak {=a ~b\n",
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("line 3: unclosed answer block"), "{html}");
    assert!(html.contains("Soal rusak"), "what was sent is shown again");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions").await,
        questions_before
    );
    // Without the form's token nothing is read.
    let res = teacher
        .post(app.url(&format!("/teach/courses/{course}/questions")))
        .multipart(multipart::Form::new().text("text", "Soal {T}"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = upload(&app, &teacher, &course, GIFT).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/teach/courses/{course}/questions?imported=7")
    );
    let (_, bank) = app
        .page(
            &teacher,
            &format!("/teach/courses/{course}/questions?imported=7"),
        )
        .await;
    assert!(bank.contains("7 soal diimpor."));
    assert!(bank.contains("T.KI.01 · 2"), "competency tags are listed");
    let (status, gift) = app
        .page(&teacher, &format!("/teach/courses/{course}/questions.gift"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(gift.contains("::Ibu kota::"));

    // The quiz form, from the module's "add a quiz" link.
    let (_, module) = app
        .api(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/courses/{course}/modules"),
            Some(serde_json::json!({"title": "Evaluasi"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let (_, outline) = app
        .page(&teacher, &format!("/teach/courses/{course}"))
        .await;
    assert!(outline.contains(&format!("/teach/modules/{module}/quiz")));
    let (status, form) = app
        .page(&teacher, &format!("/teach/modules/{module}/quiz"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<String> = form
        .split("name=\"question_ids\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(ids.len(), 7);
    // Nothing chosen: refused with the reason, nothing made.
    let quizzes_before = app.count("SELECT COUNT(*) FROM quizzes").await;
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/modules/{module}/quiz"),
            &[("title", "Kuis akhir"), ("pass_percent", "60")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM quizzes").await,
        quizzes_before
    );
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", "Kuis akhir"),
        ("minutes", "15"),
        ("max_attempts", "2"),
        ("pass_percent", "60"),
        ("grading", "highest"),
        ("shuffle", "1"),
        ("open_at", "2026-01-01T08:00"),
        ("review_score", "immediately"),
        ("review_answers", "immediately"),
        ("review_feedback", "immediately"),
    ];
    for id in &ids {
        fields.push(("question_ids", id));
    }
    let res = app
        .post_form(&teacher, &format!("/teach/modules/{module}/quiz"), &fields)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        res.text().await
    );
    let quiz_page = location(&res);
    let quiz = quiz_page.trim_start_matches("/teach/quizzes/").to_owned();
    let (status, html) = app.page(&teacher, &quiz_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("15 menit") && html.contains("60%"), "{html}");
    assert!(html.contains("Belum ada percobaan."));

    // A learner sits it through the API; the essay then waits on the grading page.
    app.api(
        reqwest::Method::POST,
        &token,
        &format!("/api/v1/courses/{course}/publish"),
        None,
    )
    .await;
    let learner = app.token("learner2").await;
    let (_, attempt) = app
        .api(
            reqwest::Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    let attempt_id = attempt["id"].as_str().expect("attempt").to_owned();
    for (question, response) in super::quizzes::right_answers(&attempt) {
        super::quizzes::put_answer(&app, &learner, &attempt_id, &question, &response).await;
    }
    app.api(
        reqwest::Method::POST,
        &learner,
        &format!("/api/v1/attempts/{attempt_id}/submit"),
        None,
    )
    .await;
    let (_, grading) = app
        .page(&teacher, &format!("/teach/courses/{course}/grading"))
        .await;
    assert!(
        grading.contains("Lapor ke CSIRT dalam 1 x 24 jam."),
        "{grading}"
    );
    let essay = super::quizzes::by_type(&attempt, "essay")["id"]
        .as_str()
        .expect("essay")
        .to_owned();
    let grade_url = format!("/teach/attempts/{attempt_id}/answers/{essay}/grade");
    let res = app
        .post_form(&teacher, &grade_url, &[("marks", "dua"), ("comment", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .post_form(
            &teacher,
            &grade_url,
            &[("marks", "0,5"), ("comment", "Kurang rinci.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, grading) = app
        .page(&teacher, &format!("/teach/courses/{course}/grading"))
        .await;
    assert!(grading.contains("Tidak ada jawaban uraian"));
    let (_, html) = app.page(&teacher, &quiz_page).await;
    assert!(html.contains("93%"), "6.5 of 7: {html}");
    assert!(html.contains("Analisis butir soal"));
    let (status, csv) = app
        .page(&teacher, &format!("/teach/quizzes/{quiz}/results.csv"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("username,name,attempt"), "{csv}");
    // The learner sees the grader's comment.
    let (_, review) = app
        .api(
            reqwest::Method::GET,
            &learner,
            &format!("/api/v1/attempts/{attempt_id}"),
            None,
        )
        .await;
    assert!(review.to_string().contains("Kurang rinci."));

    // Correct the true/false question the other way round and regrade: 5.5 of 7.
    let tf = super::quizzes::by_type(&attempt, "true_false")["id"]
        .as_str()
        .expect("tf")
        .to_owned();
    let (status, edit) = app.page(&teacher, &format!("/teach/questions/{tf}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(edit.contains("{FALSE}"), "{edit}");
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/questions/{tf}"),
            &[("text", "Soal {=a}"), ("regrade", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .post_form(
            &teacher,
            &format!("/teach/questions/{tf}"),
            &[
                ("text", "Surel phishing selalu berbahasa Inggris.{TRUE}"),
                ("regrade", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).ends_with("corrected=1&regraded=1"));
    let (_, html) = app.page(&teacher, &quiz_page).await;
    assert!(html.contains("79%"), "5.5 of 7: {html}");

    // Learners are refused the instructor's pages.
    let learner_browser = app.login("learner2").await;
    for path in [
        format!("/teach/courses/{course}/questions"),
        format!("/teach/quizzes/{quiz}"),
        format!("/teach/courses/{course}/grading"),
        format!("/teach/questions/{tf}"),
    ] {
        let (status, _) = app.page(&learner_browser, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

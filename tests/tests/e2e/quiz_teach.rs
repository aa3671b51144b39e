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

/// The ids of the course's own questions on the quiz form (the shared bank's come after).
fn own_question_ids(form: &str) -> Vec<String> {
    form.split("Soal tetap dari bank bersama")
        .next()
        .unwrap_or_default()
        .split("name=\"question_ids\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
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
    // Said in the page's language (the API keeps `line 3: unclosed answer block …`).
    assert!(
        html.contains(
            "Baris 3: blok jawaban tidak ditutup: } diharapkan — tidak ada soal yang diimpor."
        ),
        "{html}"
    );
    assert!(html.contains("Soal rusak"), "what was sent is shown again");
    // A file over the limit (2 MiB), and one over the whole request's limit: the form says
    // so; nothing is imported.
    for size in [2_100_000, 4_000_000] {
        let big = "::Q:: x {T}\n".repeat(size / 12);
        let res = upload(&app, &teacher, &course, &big).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{size}");
        let html = res.text().await.expect("body");
        assert!(html.contains("Berkas terlalu besar. (2 MiB)"), "{html}");
    }
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
    assert!(bank.contains("T.KI · 2"), "competency tags are listed");
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
    let ids = own_question_ids(&form);
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
    // A mark that is not a number, or out of range, is refused the same way by the page
    // and by the API: one code, one message.
    let (status, api_err) = app
        .api(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/attempts/{attempt_id}/answers/{essay}/grade"),
            Some(serde_json::json!({"fraction": 1.5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api_err["error"]["code"], "invalid_hand_grade");
    assert_eq!(
        api_err["error"]["message"],
        "Isi nilai berupa angka dari 0 sampai 1."
    );
    // The page's one form names each card's fields by attempt and question; a refusal
    // is said on its card and every card keeps what was typed.
    let key = format!("{attempt_id}.{essay}");
    for marks in ["dua", "1,5", "-1"] {
        let (marks_field, comment_field) = (format!("marks.{key}"), format!("comment.{key}"));
        let res = app
            .post_form(
                &teacher,
                &grade_url,
                &[
                    (marks_field.as_str(), marks),
                    (comment_field.as_str(), "Komentar yang\ndiketik"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{marks}");
        let html = res.text().await.expect("body");
        assert!(
            html.contains(&format!(
                "<p class=\"field-error\" id=\"m-{key}-error\">{}</p>",
                api_err["error"]["message"].as_str().expect("message")
            )),
            "{marks}: {html}"
        );
        assert!(html.contains(&format!(
            "value=\"{marks}\" inputmode=\"decimal\" aria-invalid=\"true\""
        )));
        assert!(
            html.contains(">Komentar yang\ndiketik</textarea>"),
            "comment kept"
        );
    }
    for marks in ["dua", "1,5", "-1"] {
        let res = app
            .post_form(&teacher, &grade_url, &[("marks", marks), ("comment", "")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{marks}");
    }
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
    for (text, says) in [
        (
            "Soal {T",
            "Baris 1: blok jawaban tidak ditutup: } diharapkan — soal tidak diubah.",
        ),
        (
            "A {T}\n\nB {F}",
            "harus tepat satu soal, ditemukan 2 — soal tidak diubah.",
        ),
    ] {
        let res = app
            .post_form(
                &teacher,
                &format!("/teach/questions/{tf}"),
                &[("text", text)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.expect("body");
        assert!(html.contains(says), "{html}");
    }
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

/// An instructor changes a quiz's settings, questions and title on its form (filled in with
/// what it has) and through the API; a bad value changes nothing; an attempt already started
/// keeps its questions; learners cannot change a quiz.
#[tokio::test]
async fn an_instructor_changes_a_quiz_after_creating_it() {
    let app = TestApp::spawn().await;
    let (course, quiz, lesson) = super::quizzes::course_with_quiz(
        &app,
        serde_json::json!({"time_limit_seconds": 900, "max_attempts": 2}),
    )
    .await;
    // A learner starts before the change: 7 questions.
    let learner = app.token("learner2").await;
    let (_, started) = app
        .api(
            reqwest::Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(started["questions"].as_array().map(Vec::len), Some(7));

    let teacher = app.login("instructor").await;
    let edit = format!("/teach/quizzes/{quiz}/edit");
    let (status, form) = app.page(&teacher, &edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"Kuis akhir\""), "{form}");
    assert!(form.contains("name=\"minutes\" value=\"15\""), "{form}");
    assert!(form.contains("name=\"max_attempts\" value=\"2\""), "{form}");
    assert_eq!(
        form.matches(" checked>").count(),
        7 + 1,
        "7 questions and shuffle"
    );
    let ids = own_question_ids(&form);

    // A bad pass mark: the form comes back with the reason and the typed values.
    let before = app
        .count("SELECT COUNT(*) FROM quizzes WHERE pass_percent = 50 AND title = 'Kuis akhir'")
        .await;
    assert_eq!(before, 1);
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", "Kuis akhir (revisi)"),
        ("minutes", "20"),
        ("max_attempts", "3"),
        ("pass_percent", "150"),
        ("grading", "last"),
        ("review_score", "immediately"),
        ("review_answers", "never"),
        ("review_feedback", "immediately"),
    ];
    for id in &ids[..3] {
        fields.push(("question_ids", id));
    }
    let res = app.post_form(&teacher, &edit, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("Kuis akhir (revisi)") && html.contains("aria-invalid"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM quizzes WHERE pass_percent = 50 AND title = 'Kuis akhir'")
            .await,
        1
    );

    // Fixed: saved, the lesson renamed, three questions from now on.
    fields.retain(|(k, _)| *k != "pass_percent");
    fields.push(("pass_percent", "80"));
    let res = app.post_form(&teacher, &edit, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app
        .page(&teacher, &format!("/teach/quizzes/{quiz}?saved=1"))
        .await;
    assert!(
        page.contains("Perubahan tersimpan.") && page.contains("20 menit") && page.contains("80%")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM lessons WHERE title = 'Kuis akhir (revisi)'")
            .await,
        1
    );
    // The attempt in progress keeps its seven questions; the next one has three.
    let (_, same) = app
        .api(
            reqwest::Method::GET,
            &learner,
            &format!("/api/v1/attempts/{}", started["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(same["questions"].as_array().map(Vec::len), Some(7));
    app.api(
        reqwest::Method::POST,
        &learner,
        &format!(
            "/api/v1/attempts/{}/submit",
            started["id"].as_str().expect("id")
        ),
        None,
    )
    .await;
    let (status, next) = app
        .api(
            reqwest::Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    assert_eq!(next["questions"].as_array().map(Vec::len), Some(3));

    // The API: the same body as creating; a quiz cannot be its own pre-test; learners: 403.
    let token = app.token("instructor").await;
    let body = serde_json::json!({"title": "Kuis akhir", "question_ids": ids, "pass_percent": 60,
        "pretest_id": quiz});
    let (status, err) = app
        .api(
            reqwest::Method::PUT,
            &token,
            &format!("/api/v1/quizzes/{quiz}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "pretest_id");
    let mut body = body;
    body["pretest_id"] = serde_json::Value::Null;
    let (status, _) = app
        .api(
            reqwest::Method::PUT,
            &learner,
            &format!("/api/v1/quizzes/{quiz}"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, saved) = app
        .api(
            reqwest::Method::PUT,
            &token,
            &format!("/api/v1/quizzes/{quiz}"),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["lesson_id"], lesson.as_str());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM quiz_questions JOIN quizzes ON quizzes.id = quiz_questions.quiz_id \
             WHERE quizzes.title = 'Kuis akhir' AND quizzes.pass_percent = 60"
        )
        .await,
        7
    );
    let learner_browser = app.login("learner2").await;
    let (status, _) = app.page(&learner_browser, &edit).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Pairing: a second quiz takes this one as its pre-test; this one then cannot take the
    // second as its own pre-test (no cycle), and a third cannot follow the post-test.
    let (_, outline) = app
        .api(
            reqwest::Method::GET,
            &token,
            &format!("/api/v1/courses/{course}"),
            None,
        )
        .await;
    let module = outline["modules"][0]["id"]
        .as_str()
        .expect("module")
        .to_owned();
    let new_quiz = |pre: &str| serde_json::json!({"title": "Kuis lanjutan", "question_ids": ids, "pretest_id": pre});
    let (status, post) = app
        .api(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(new_quiz(&quiz)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let post = post["id"].as_str().expect("id").to_owned();
    let (status, err) = app
        .api(
            reqwest::Method::PUT,
            &token,
            &format!("/api/v1/quizzes/{quiz}"),
            Some(new_quiz(&post)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "pretest_id");
    let (status, err) = app
        .api(
            reqwest::Method::POST,
            &token,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(new_quiz(&post)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "pretest_id");
}

/// The shared bank: admins import into it, instructors read it and use its questions in
/// their quizzes (fixed, or drawn at random from it); learners see none of it.
#[tokio::test]
async fn the_shared_bank_feeds_every_course() {
    use reqwest::Method;
    use serde_json::{Value, json};
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let teacher = app.token("instructor").await;
    let learner = app.token("learner2").await;
    let shared_gift = "$CATEGORY: Uji Wawasan\n\n::Uji Pancasila::Dasar negara Indonesia? {=Pancasila ~UUD 1945}\n\n::Uji Semboyan::Semboyan negara? {=Bhinneka Tunggal Ika ~Tut Wuri Handayani}\n\n::Uji Ibu kota::Ibu kota negara? {=Jakarta ~Bandung}\n";
    let import = |token: String| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .post(app.url("/api/v1/questions/import"))
                .bearer_auth(token)
                .header("content-type", "text/plain")
                .body(shared_gift)
                .send()
                .await
                .expect("import")
        }
    };
    assert_eq!(
        import(teacher.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = import(admin.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.expect("json")["imported"], 3);
    let (status, _) = app
        .api(Method::GET, &learner, "/api/v1/questions", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, shared) = app
        .api(Method::GET, &teacher, "/api/v1/questions", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    // The demo's shared questions and these three.
    let shared_ids: Vec<String> = shared["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|q| q["category"] == "Uji Wawasan")
        .map(|q| q["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(shared_ids.len(), 3, "{shared}");

    // A course quiz: one of its own questions, one shared, one drawn from the shared bank.
    let course = draft_course(&app, &teacher).await;
    let (status, _) = super::quizzes::import(&app, &teacher, &course, "gift", GIFT).await;
    assert_eq!(status, StatusCode::OK);
    let (_, own) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    let own_id = own["items"][0]["id"].as_str().expect("own").to_owned();
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Ujian"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let (status, quiz) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(
                json!({"title": "Campuran", "question_ids": [own_id, shared_ids[0]],
                "random": {"count": 1, "category": "Uji Wawasan", "shared": true}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{quiz}");
    let quiz = quiz["id"].as_str().expect("quiz").to_owned();
    app.api(
        Method::POST,
        &teacher,
        &format!("/api/v1/courses/{course}/publish"),
        None,
    )
    .await;
    let (status, attempt) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attempt}");
    let got: Vec<String> = attempt["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(got.len(), 3, "{attempt}");
    assert!(got.contains(&own_id) && got.contains(&shared_ids[0]));
    assert!(
        got.iter()
            .any(|id| *id == shared_ids[1] || *id == shared_ids[2]),
        "the random one comes from the shared bank: {got:?}"
    );
    // Another course's question is still refused.
    let (_, demo) = app
        .api(Method::GET, &teacher, "/api/v1/courses", None)
        .await;
    let other = demo["items"]
        .as_array()
        .expect("courses")
        .iter()
        .find(|c| c["code"] != "KUIS-1")
        .and_then(|c| c["id"].as_str())
        .expect("a demo course")
        .to_owned();
    let (_, theirs) = app
        .api(
            Method::GET,
            &admin,
            &format!("/api/v1/courses/{other}/questions"),
            None,
        )
        .await;
    let theirs = theirs["items"][0]["id"].clone();
    let (status, err) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(json!({"title": "Salah", "question_ids": [theirs]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "question_ids");

    // The pages: admins import, instructors read and export, learners are refused.
    let admin_browser = app.login("admin").await;
    let (status, html) = app.page(&admin_browser, "/teach/bank").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bank soal bersama") && html.contains("multipart/form-data"));
    assert!(html.contains("Uji Semboyan") && html.contains("Dasar negara"));
    let teacher_browser = app.login("instructor").await;
    let (status, html) = app.page(&teacher_browser, "/teach/bank").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Uji Pancasila") && !html.contains("multipart/form-data"));
    let (status, gift) = app.page(&teacher_browser, "/teach/bank.gift").await;
    assert_eq!(status, StatusCode::OK);
    assert!(gift.contains("::Uji Semboyan::"), "{gift}");
    let (status, _) = app
        .page(
            &teacher_browser,
            &format!("/teach/questions/{}", shared_ids[0]),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only admins correct shared questions"
    );
    let (status, html) = app
        .page(
            &admin_browser,
            &format!("/teach/questions/{}", shared_ids[0]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/teach/bank\""));
    let (status, form) = app
        .page(&teacher_browser, &format!("/teach/modules/{module}/quiz"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("Soal tetap dari bank bersama") && form.contains("name=\"random_shared\"")
    );
    let (_, page) = app
        .page(&teacher_browser, &format!("/teach/quizzes/{quiz}"))
        .await;
    assert!(
        page.contains("(1 acak: Uji Wawasan · Bank soal bersama)"),
        "{page}"
    );
    let learner_browser = app.login("learner2").await;
    let (status, _) = app.page(&learner_browser, "/teach/bank").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

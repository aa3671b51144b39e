//! Quizzes end to end (so far: question banks with GIFT and Aiken import).

use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const GIFT: &str = "$CATEGORY: Keamanan/Dasar\n\n// Pilihan tunggal\n::Ibu kota::Apa ibu kota Indonesia? {=Jakarta ~Bandung ~Surabaya}\n\n// [tag:sandi] [competency:T.KI:2]\n::Sandi::Pilih kebiasaan yang aman. {~%50%Frasa sandi panjang ~%50%Verifikasi dua langkah ~%-100%Sandi ditempel di monitor}\n\nSurel phishing selalu berbahasa Inggris.{F}\n\nSebutkan singkatan dari ASN. {=Aparatur Sipil Negara =aparatur*}\n\nBerapa JP minimal setahun? {#20:0}\n\nPasangkan istilah. {=CIA -> kerahasiaan =MFA -> verifikasi dua langkah =CSIRT -> tim tanggap insiden}\n\nJelaskan cara melaporkan insiden. {}\n";

pub(crate) async fn draft_course(app: &TestApp, token: &str) -> String {
    let (status, c) = app
        .api(
            Method::POST,
            token,
            "/api/v1/courses",
            Some(json!({"code": "KUIS-1", "title": "Kuis", "category": "teknis", "jp": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    c["id"].as_str().expect("id").to_owned()
}

pub(crate) async fn import(
    app: &TestApp,
    token: &str,
    course: &str,
    format: &str,
    body: &str,
) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(app.url(&format!(
            "/api/v1/courses/{course}/questions/import?format={format}"
        )))
        .bearer_auth(token)
        .header("content-type", "text/plain; charset=utf-8")
        .body(body.to_owned())
        .send()
        .await
        .expect("import");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn gift_and_aiken_files_fill_a_course_bank() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = draft_course(&app, &teacher).await;

    let revision = || async {
        use sea_orm::ConnectionTrait;
        app.db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT revision FROM courses WHERE code = 'KUIS-1'",
            ))
            .await
            .expect("query")
            .expect("course")
            .try_get_by_index::<i32>(0)
            .expect("revision")
    };
    // An empty file is refused as on the bank page.
    let (status, body) = import(&app, &teacher, &course, "gift", " \n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "question_file_empty");
    let before = revision().await;
    let (status, body) = import(&app, &teacher, &course, "gift", GIFT).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 7);
    assert!(
        revision().await > before,
        "an import refreshes the course's cached pages"
    );
    let aiken = "Apa kepanjangan JP?\nA. Jam Pelajaran\nB. Jadwal Pelatihan\nANSWER: A\n";
    let (status, body) = import(&app, &teacher, &course, "aiken", aiken).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 1);

    let (status, list) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 8);
    let types: Vec<&str> = items.iter().filter_map(|q| q["type"].as_str()).collect();
    for t in [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "essay",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    assert!(
        items
            .iter()
            .any(|q| q["category"] == "Keamanan/Dasar" && q["title"] == "Ibu kota")
    );
    let sandi = items
        .iter()
        .find(|q| q["title"] == "Sandi")
        .expect("tagged question");
    assert_eq!(sandi["tags"], json!(["sandi"]));
    assert_eq!(sandi["competencies"], json!([{"code": "T.KI", "level": 2}]));
    // The bank listing carries no answers.
    let text = list.to_string();
    assert!(
        !text.contains("weight") && !text.contains("Surabaya"),
        "{text}"
    );

    // Exported as GIFT and imported into another course, the bank comes back the same.
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/courses/{course}/questions/export")))
        .bearer_auth(&teacher)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    let exported = res.text().await.expect("gift");
    assert!(
        exported.contains("$CATEGORY: Keamanan/Dasar")
            && exported.contains("::Ibu kota::")
            && exported.contains("// [tag:sandi] [competency:T.KI:2]\n::Sandi::"),
        "{exported}"
    );
    let (_, other) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(json!({"code": "KUIS-2", "title": "Salinan", "category": "teknis", "jp": 1})),
        )
        .await;
    let other = other["id"].as_str().expect("id").to_owned();
    let (status, body) = import(&app, &teacher, &other, "gift", &exported).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 8);
    let (_, copy) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{other}/questions"),
            None,
        )
        .await;
    let shape = |v: &Value| -> Vec<(String, String, String, String)> {
        let mut all: Vec<_> = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|q| {
                (
                    q["type"].to_string(),
                    q["category"].to_string(),
                    q["title"].to_string(),
                    format!("{} {}", q["tags"], q["competencies"]),
                )
            })
            .collect();
        all.sort();
        all
    };
    assert_eq!(shape(&copy), shape(&list));
    app.api(Method::DELETE, &teacher, "/api/v1/auth/token", None)
        .await;
    let teacher = app.token("instructor").await;

    // A bad file names the line and imports nothing.
    let before = app.count("SELECT COUNT(*) FROM questions").await;
    let bad = "Soal baik. {=ya ~tidak}\n\nSoal rusak tanpa penutup {=a ~b\n";
    let (status, err) = import(&app, &teacher, &course, "gift", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_question_file");
    let message = err["error"]["message"].as_str().expect("message");
    assert!(message.starts_with("line 3:"), "{message}");
    let (status, err) = import(
        &app,
        &teacher,
        &course,
        "aiken",
        "Soal?\nA. x\nB. y\nANSWER: C\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["message"]
            .as_str()
            .expect("message")
            .starts_with("line ")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, before);

    // Only the course's editors see or fill its bank.
    let learner = app.token("learner1").await;
    let (status, _) = import(&app, &learner, &course, "gift", GIFT).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a draft does not exist for a learner"
    );
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, published) = app
        .api(Method::GET, &learner, "/api/v1/courses?q=Keamanan", None)
        .await;
    let ki = published["items"][0]["id"]
        .as_str()
        .expect("course")
        .to_owned();
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{ki}/questions"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A published course with the GIFT bank and one quiz over all of it; returns
/// (course id, quiz id, quiz lesson id).
pub(crate) async fn course_with_quiz(app: &TestApp, settings: Value) -> (String, String, String) {
    let teacher = app.token("instructor").await;
    let course = draft_course(app, &teacher).await;
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Evaluasi"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let (status, _) = import(app, &teacher, &course, "gift", GIFT).await;
    assert_eq!(status, StatusCode::OK);
    let (_, bank) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    let ids = mahir_tests::ids(&bank);
    let mut body = json!({"title": "Kuis akhir", "question_ids": ids, "pass_percent": 50});
    if let (Some(b), Some(extra)) = (body.as_object_mut(), settings.as_object()) {
        for (k, v) in extra {
            b.insert(k.clone(), v.clone());
        }
    }
    let (status, quiz) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{quiz}");
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (
        course,
        quiz["id"].as_str().expect("quiz").to_owned(),
        quiz["lesson_id"].as_str().expect("lesson").to_owned(),
    )
}

pub(crate) fn by_type<'a>(attempt: &'a Value, t: &str) -> &'a Value {
    attempt["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|q| q["type"] == t)
        .unwrap_or_else(|| panic!("no {t} question"))
}

pub(crate) fn item_id(list: &Value, text: &str) -> Value {
    list.as_array()
        .expect("items")
        .iter()
        .find(|o| o["text_html"].as_str().is_some_and(|h| h.contains(text)))
        .unwrap_or_else(|| panic!("no item {text}"))["id"]
        .clone()
}

/// Right answers to every automatically graded question of the GIFT bank.
pub(crate) fn right_answers(attempt: &Value) -> Vec<(String, Value)> {
    let id = |t: &str| by_type(attempt, t)["id"].as_str().expect("id").to_owned();
    let single = by_type(attempt, "single_choice");
    let multi = by_type(attempt, "multiple_choice");
    let matching = by_type(attempt, "matching");
    let pairs = json!({
        item_id(&matching["left"], "CIA").as_str().expect("l"): item_id(&matching["right"], "kerahasiaan"),
        item_id(&matching["left"], "MFA").as_str().expect("l"): item_id(&matching["right"], "verifikasi"),
        item_id(&matching["left"], "CSIRT").as_str().expect("l"): item_id(&matching["right"], "insiden"),
    });
    vec![
        (
            id("single_choice"),
            json!({"choices": [item_id(&single["options"], "Jakarta")]}),
        ),
        (
            id("multiple_choice"),
            json!({"choices": [item_id(&multi["options"], "Frasa"), item_id(&multi["options"], "Verifikasi")]}),
        ),
        (id("true_false"), json!({"value": false})),
        (
            id("short_answer"),
            json!({"text": "  aparatur SIPIL   negara "}),
        ),
        (id("numerical"), json!({"number": 20})),
        (id("matching"), json!({"pairs": pairs})),
        (
            id("essay"),
            json!({"text": "Lapor ke CSIRT dalam 1 x 24 jam."}),
        ),
    ]
}

pub(crate) async fn put_answer(
    app: &TestApp,
    token: &str,
    attempt: &str,
    question: &str,
    response: &Value,
) -> (StatusCode, Value) {
    app.api(
        Method::PUT,
        token,
        &format!("/api/v1/attempts/{attempt}/answers/{question}"),
        Some(json!({"response": response})),
    )
    .await
}

#[tokio::test]
async fn attempts_are_saved_graded_once_and_never_leak_answers() {
    let app = TestApp::spawn().await;
    let (_, quiz, _) =
        course_with_quiz(&app, json!({"time_limit_seconds": 600, "max_attempts": 2})).await;
    let answers_before = app.count("SELECT COUNT(*) FROM attempt_answers").await;
    let learner = app.token("learner2").await;
    let (status, attempt) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attempt}");
    let id = attempt["id"].as_str().expect("attempt").to_owned();
    assert!((590..=600).contains(&attempt["remaining_seconds"].as_i64().expect("remaining")));
    assert_eq!(attempt["questions"].as_array().map(Vec::len), Some(7));
    // Nothing that tells right from wrong: no weights, fractions, feedback or answers.
    let text = attempt.to_string();
    for leak in [
        "weight",
        "fraction",
        "feedback",
        "answers",
        "Aparatur Sipil Negara",
        "\"answer\"",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    // A crashed browser gets the same attempt back.
    let (status, again) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], id.as_str());

    // An empty answer is stored only where it clears an earlier one, as on the attempt page.
    let essay = by_type(&attempt, "essay")["id"]
        .as_str()
        .expect("essay")
        .to_owned();
    let (status, saved) = put_answer(&app, &learner, &id, &essay, &json!({"text": " "})).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before
    );
    for (question, response) in right_answers(&attempt) {
        let (status, saved) = put_answer(&app, &learner, &id, &question, &response).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["saved"], true);
        let (_, saved) = put_answer(&app, &learner, &id, &question, &response).await;
        assert_eq!(
            saved["saved"], false,
            "the same answer twice is stored once"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before + 7
    );
    let (_, cleared) = put_answer(&app, &learner, &id, &essay, &json!({"text": ""})).await;
    assert_eq!(
        cleared["saved"], true,
        "an empty answer clears an earlier one"
    );
    let essay_answer = right_answers(&attempt)
        .into_iter()
        .find(|(q, _)| *q == essay)
        .expect("essay answer")
        .1;
    let (_, again) = put_answer(&app, &learner, &id, &essay, &essay_answer).await;
    assert_eq!(again["saved"], true);
    let tf = by_type(&attempt, "true_false")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, err) = put_answer(&app, &learner, &id, &tf, &json!({"text": "salah"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_response");
    let (_, resumed) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(
        by_type(&resumed, "true_false")["response"],
        json!({"value": false})
    );

    // Someone else's attempt does not exist for them.
    let other = app.token("learner1").await;
    let (status, _) = app
        .api(Method::GET, &other, &format!("/api/v1/attempts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = put_answer(&app, &other, &id, &tf, &json!({"value": true})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(
            Method::POST,
            &other,
            &format!("/api/v1/attempts/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Submitting: six automatic marks, the essay waits; a second submit changes nothing.
    let (status, result) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/attempts/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["state"], "finished");
    assert_eq!(result["score"], 6.0);
    assert_eq!(result["max_score"], 7.0);
    assert_eq!(result["needs_grading"], true);
    assert!(result["passed"].is_null());
    assert!(
        !result.to_string().contains("fraction"),
        "answers are shown only after the quiz closes"
    );
    assert!(
        result.to_string().contains("feedback"),
        "feedback is shown at once by default"
    );
    let (_, again) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/attempts/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(again["score"], 6.0);
    let (status, err) = put_answer(&app, &learner, &id, &tf, &json!({"value": true})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "attempt_finished");

    // The essay waits in the course's grading queue; its instructor marks it.
    let teacher = app.token("instructor").await;
    let (_, courses) = app
        .api(Method::GET, &teacher, "/api/v1/courses?q=Kuis", None)
        .await;
    let course = courses["items"][0]["id"]
        .as_str()
        .expect("course")
        .to_owned();
    let (status, queue) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/grading"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        queue["items"][0]["text"],
        "Lapor ke CSIRT dalam 1 x 24 jam."
    );
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}/grading"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let essay = by_type(&attempt, "essay")["id"]
        .as_str()
        .expect("essay")
        .to_owned();
    let grade_path = format!("/api/v1/attempts/{id}/answers/{essay}/grade");
    let (status, err) = app
        .api(
            Method::POST,
            &teacher,
            &grade_path,
            Some(json!({"fraction": 1.5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "invalid_hand_grade");
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &grade_path,
            Some(json!({"fraction": 1.0})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "learners do not grade");
    let (status, graded) = app
        .api(
            Method::POST,
            &teacher,
            &grade_path,
            Some(json!({"fraction": 0.5, "comment": "Kurang rinci."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    assert_eq!(graded["score"], 6.5);
    assert_eq!(graded["passed"], true);
    assert_eq!(graded["needs_grading"], false);
    let (_, queue) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/grading"),
            None,
        )
        .await;
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(0));
    // Results: the attempt listed, item analysis per question, a CSV export.
    let (status, results) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/quizzes/{quiz}/results"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(results["attempts"][0]["name"], "Dewi Lestari");
    assert_eq!(results["attempts"][0]["score"], 6.5);
    assert_eq!(results["items"].as_array().map(Vec::len), Some(7));
    assert!(
        results["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["type"] == "essay" && i["facility"] == 0.5)
    );
    let csv = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/quizzes/{quiz}/results?format=csv")))
        .bearer_auth(&teacher)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(
        csv.starts_with("username,name,attempt,state")
            && csv.contains("learner2,Dewi Lestari,1,finished"),
        "{csv}"
    );
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/results"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The quiz grade (highest attempt, 6.5 of 7 = 93 %) is the course grade on the enrolment.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM enrolments WHERE grade_percent = 93")
            .await,
        1
    );

    // Second attempt: two submits at once give one graded attempt.
    let (status, second) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let second = second["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/attempts/{second}/submit");
    let (a, b) = tokio::join!(
        app.api(Method::POST, &learner, &path, None),
        app.api(Method::POST, &learner, &path, None)
    );
    assert_eq!((a.0, b.0), (StatusCode::OK, StatusCode::OK));
    assert_eq!(a.1["score"], b.1["score"]);
    assert_eq!(a.1["score"], 0.0);
    // The limit of two attempts holds.
    let (status, err) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "attempts_exhausted");
}

#[tokio::test]
async fn the_server_closes_an_attempt_at_its_deadline() {
    let app = TestApp::spawn().await;
    let (course, quiz, lesson) = course_with_quiz(&app, json!({"time_limit_seconds": 60})).await;
    let learner = app.token("learner4").await;
    let (_, attempt) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    let id = attempt["id"].as_str().expect("attempt").to_owned();
    // Four of seven right before time runs out: enough to pass at 50 % once graded.
    for (question, response) in right_answers(&attempt).into_iter().take(4) {
        let (status, _) = put_answer(&app, &learner, &id, &question, &response).await;
        assert_eq!(status, StatusCode::OK);
    }
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(61));
    let (status, err) = put_answer(
        &app,
        &learner,
        &id,
        by_type(&attempt, "numerical")["id"].as_str().expect("id"),
        &json!({"number": 20}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "attempt_deadline_passed");

    // Another learner never comes back: the server closes their attempt by itself.
    let absent = app.token("learner5").await;
    let (_, attempt) = app
        .api(
            Method::POST,
            &absent,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    let absent_id = attempt["id"].as_str().expect("attempt").to_owned();
    for (question, response) in right_answers(&attempt) {
        put_answer(&app, &absent, &absent_id, &question, &response).await;
    }
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(61));
    let closed = mahir::quizzes::attempts::close_overdue(app.state.db(), app.state.clock().now())
        .await
        .expect("close");
    assert!(closed >= 1);
    let (_, result) = app
        .api(
            Method::GET,
            &absent,
            &format!("/api/v1/attempts/{absent_id}"),
            None,
        )
        .await;
    assert_eq!(result["state"], "finished");
    assert_eq!(result["score"], 6.0);
    assert_eq!(result["remaining_seconds"], Value::Null);

    let (_, first) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(first["state"], "finished");
    assert_eq!(first["score"], 4.0);
    let (_, progress) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}/progress"),
            None,
        )
        .await;
    let quiz_lesson = progress["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .find(|l| l["lesson_id"] == lesson.as_str())
        .expect("quiz lesson")
        .clone();
    // 4 of 7 passes at 50 %, and an essay left unanswered needs no grading: the quiz lesson
    // is done.
    assert_eq!(first["passed"], true);
    assert_eq!(quiz_lesson["completed"], true);
    // Nobody marks a quiz lesson done by hand, and a plain lesson cannot pose as a quiz.
    let other = app.token("learner1").await;
    let (_, p) = app
        .api(
            Method::POST,
            &other,
            &format!("/api/v1/lessons/{lesson}/progress"),
            Some(json!({"completed": true})),
        )
        .await;
    assert_eq!(p["completed"], false);
    // The absent learner answered the essay: their pass waits for an instructor.
    assert_eq!(result["needs_grading"], true);
    assert!(result["passed"].is_null());
}

#[tokio::test]
async fn a_corrected_question_is_regraded_in_every_finished_attempt() {
    let app = TestApp::spawn().await;
    let (_, quiz, _) = course_with_quiz(&app, json!({})).await;
    let learner = app.token("learner2").await;
    let (_, attempt) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            None,
        )
        .await;
    let id = attempt["id"].as_str().expect("attempt").to_owned();
    let single = by_type(&attempt, "single_choice");
    let question = single["id"].as_str().expect("id").to_owned();
    let bandung = item_id(&single["options"], "Bandung");
    let (status, _) = put_answer(
        &app,
        &learner,
        &id,
        &question,
        &json!({"choices": [bandung.clone()]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, before) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/attempts/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(before["score"], 0.0);

    // The key was wrong: the instructor corrects it (same options, another one right).
    let teacher = app.token("instructor").await;
    let put = |body: &'static str| {
        reqwest::Client::new()
            .put(app.url(&format!("/api/v1/questions/{question}")))
            .bearer_auth(&teacher)
            .header("content-type", "text/plain")
            .body(body)
            .send()
    };
    let res = put("::Ibu kota::Apa ibu kota Jawa Barat? {~Jakarta =Bandung ~Surabaya}")
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::OK);
    // Changing the type is refused and changes nothing.
    let res = put("Apa ibu kota Jawa Barat? {=Bandung =bandung}")
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "question_kind_changed");
    let res = put("Dua soal {T}\n\nSoal kedua {F}").await.expect("put");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Learners cannot correct or regrade.
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/questions/{question}/regrade"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, body) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/questions/{question}/regrade"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["regraded"], 1);
    let (_, after) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(after["score"], 1.0);
    // The learner's choice still names the same option, now the right one.
    assert_eq!(
        by_type(&after, "single_choice")["response"],
        json!({"choices": [bandung]})
    );
    assert!(
        by_type(&after, "single_choice")["text_html"]
            .as_str()
            .is_some_and(|t| t.contains("Jawa Barat"))
    );
    // Regrading again changes nothing.
    let (_, body) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/questions/{question}/regrade"),
            None,
        )
        .await;
    assert_eq!(body["regraded"], 0);
    // The course grade follows: 1 of 7 marks.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM enrolments WHERE grade_percent = 14")
            .await,
        1
    );
}

#[tokio::test]
async fn a_post_test_shows_what_each_learner_gained_since_the_pre_test() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = draft_course(&app, &teacher).await;
    let (_, module) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{course}/modules"),
            Some(json!({"title": "Evaluasi"})),
        )
        .await;
    let module = module["id"].as_str().expect("module").to_owned();
    let gift = "Bumi bulat. {T}\n\nMatahari terbit di barat. {F}\n\nAir membeku pada 0 °C. {T}\n\nBulan adalah bintang. {F}\n";
    import(&app, &teacher, &course, "gift", gift).await;
    let (_, bank) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/courses/{course}/questions"),
            None,
        )
        .await;
    let ids = mahir_tests::ids(&bank);
    let make = |body: Value| {
        let (app, teacher, module) = (&app, &teacher, &module);
        async move {
            let (status, quiz) = app
                .api(
                    Method::POST,
                    teacher,
                    &format!("/api/v1/modules/{module}/quizzes"),
                    Some(body),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{quiz}");
            quiz
        }
    };
    let pre = make(json!({"title": "Pre-test", "question_ids": ids, "pass_percent": 75})).await;
    let pre_id = pre["id"].as_str().expect("id").to_owned();
    // A pre-test from another course is refused.
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/modules/{module}/quizzes"),
            Some(json!({"title": "Salah", "question_ids": ids, "pretest_id": module})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let post = make(json!({"title": "Post-test", "question_ids": ids, "pass_percent": 75, "pretest_id": pre_id})).await;
    let post_id = post["id"].as_str().expect("id").to_owned();
    app.api(
        Method::POST,
        &teacher,
        &format!("/api/v1/courses/{course}/publish"),
        None,
    )
    .await;

    // learner2 knows one of four at the start and all four at the end.
    let learner = app.token("learner2").await;
    let take = |quiz: String, right: usize| {
        let (app, learner) = (&app, &learner);
        async move {
            let (_, attempt) = app
                .api(
                    Method::POST,
                    learner,
                    &format!("/api/v1/quizzes/{quiz}/attempts"),
                    None,
                )
                .await;
            let id = attempt["id"].as_str().expect("attempt").to_owned();
            for (n, q) in attempt["questions"]
                .as_array()
                .expect("questions")
                .iter()
                .enumerate()
            {
                let text = q["text_html"].as_str().unwrap_or_default();
                let truth = text.contains("Bumi") || text.contains("Air");
                let value = if n < right { truth } else { !truth };
                put_answer(
                    app,
                    learner,
                    &id,
                    q["id"].as_str().expect("id"),
                    &json!({"value": value}),
                )
                .await;
            }
            let (_, done) = app
                .api(
                    Method::POST,
                    learner,
                    &format!("/api/v1/attempts/{id}/submit"),
                    None,
                )
                .await;
            done
        }
    };
    let first = take(pre_id.clone(), 1).await;
    assert_eq!(first["pretest"], true);
    assert!(
        first.get("passed").is_none(),
        "a pre-test has no pass or fail"
    );
    take(post_id.clone(), 4).await;

    // The pre-test is done although not passed: it measures where learners start.
    let (_, progress) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/courses/{course}/progress"),
            None,
        )
        .await;
    assert_eq!(progress["completed"], true, "{progress}");

    let (status, results) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/quizzes/{post_id}/results"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let gain = &results["gain"];
    assert_eq!(gain["pretest_id"], pre_id.as_str());
    assert_eq!(gain["learners"][0]["username"], "learner2");
    assert_eq!(gain["learners"][0]["pre_percent"], 25.0);
    assert_eq!(gain["learners"][0]["post_percent"], 100.0);
    assert_eq!(gain["learners"][0]["gain"], 75.0);
    assert_eq!(gain["learners"][0]["normalised_gain"], 1.0);
    assert_eq!(gain["mean_gain"], 75.0);
    let (_, pre_results) = app
        .api(
            Method::GET,
            &teacher,
            &format!("/api/v1/quizzes/{pre_id}/results"),
            None,
        )
        .await;
    assert!(pre_results.get("gain").is_none());
}

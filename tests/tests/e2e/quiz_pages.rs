//! The learner's quiz pages: start from the lesson, answer with a plain form (no
//! JavaScript), autosave one question at a time, submit, review; nothing that tells right
//! from wrong in the HTML before the review allows it; the deadline on the pages.

use mahir_tests::TestApp;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use super::quizzes::{by_type, course_with_quiz, right_answers};

/// The form fields that give `response` to `question`.
fn fields_of(question: &str, response: &Value) -> Vec<(String, String)> {
    let key = format!("q.{question}");
    let mut out = Vec::new();
    if let Some(choices) = response["choices"].as_array() {
        out.push((key.clone(), String::new()));
        for c in choices {
            out.push((key.clone(), c.as_str().expect("id").to_owned()));
        }
    } else if let Some(v) = response["value"].as_bool() {
        out.push((key, v.to_string()));
    } else if let Some(t) = response["text"].as_str() {
        out.push((key, t.to_owned()));
    } else if let Some(n) = response["number"].as_f64() {
        // Typed the Indonesian way.
        out.push((key, n.to_string().replace('.', ",")));
    } else if let Some(pairs) = response["pairs"].as_object() {
        for (left, right) in pairs {
            out.push((
                format!("{key}.{left}"),
                right.as_str().expect("id").to_owned(),
            ));
        }
    }
    out
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(String, String)],
    json: bool,
) -> reqwest::Response {
    let token = app.csrf(client, "/account").await;
    let mut form = vec![("_csrf".to_owned(), token)];
    form.extend_from_slice(fields);
    let mut req = client.post(app.url(path)).form(&form);
    if json {
        req = req.header(header::ACCEPT, "application/json");
    }
    req.send().await.expect("post")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_learner_takes_a_quiz_with_the_plain_form() {
    let app = TestApp::spawn().await;
    let (course, quiz, lesson) = course_with_quiz(
        &app,
        json!({"time_limit_seconds": 600, "max_attempts": 1,
               "review": {"score": "immediately", "answers": "immediately", "feedback": "immediately"}}),
    )
    .await;
    let answers_before = app.count("SELECT COUNT(*) FROM attempt_answers").await;
    let browser = app.login("learner2").await;
    let res = post(
        &app,
        &browser,
        &format!("/courses/{course}/enrol"),
        &[],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = app.page(&browser, &format!("/lessons/{lesson}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("action=\"/quizzes/{quiz}/start\"")),
        "{html}"
    );
    assert!(html.contains("10 menit"), "the time limit is shown");

    let res = post(
        &app,
        &browser,
        &format!("/quizzes/{quiz}/start"),
        &[],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    let id = page.trim_start_matches("/attempts/").to_owned();
    assert_eq!(page, format!("/attempts/{id}"));
    let (status, html) = app.page(&browser, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-remaining=\""),
        "the server's time left is on the page"
    );
    // No correctness data in the page: no accepted answers, weights, marks per option.
    for leak in [
        "Aparatur Sipil Negara",
        "aparatur*",
        "weight",
        "fraction",
        "correct",
        "Jawaban benar",
        "data-right",
    ] {
        assert!(!html.contains(leak), "{leak} leaked into the attempt page");
    }

    // The same attempt through the API gives the option ids the answers need.
    let token = app.token("learner2").await;
    let (status, attempt) = app
        .api(Method::GET, &token, &format!("/api/v1/attempts/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let answers = right_answers(&attempt);
    let mut all: Vec<(String, String)> =
        answers.iter().flat_map(|(q, r)| fields_of(q, r)).collect();

    // An option that is not one of the question's: the form comes back with the message and
    // what was typed; nothing is saved.
    let single = by_type(&attempt, "single_choice")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut bad = all.clone();
    bad.retain(|(k, _)| *k != format!("q.{single}"));
    bad.push((format!("q.{single}"), "ffffffff".into()));
    bad.push(("action".into(), "save".into()));
    let res = post(&app, &browser, &page, &bad, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(html.contains("Bentuk jawaban tidak sesuai"), "{html}");
    assert!(
        html.contains("Lapor ke CSIRT dalam 1 x 24 jam."),
        "typed text kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before
    );
    // A word where a number goes comes back as typed, marked, for the learner to fix.
    let numerical = by_type(&attempt, "numerical")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let words = vec![
        (format!("q.{numerical}"), "dua puluh".to_owned()),
        ("action".to_owned(), "save".to_owned()),
    ];
    let res = post(&app, &browser, &page, &words, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("body");
    assert!(
        html.contains(&format!(
            "value=\"dua puluh\" aria-invalid=\"true\" aria-describedby=\"err-{numerical}\""
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<p class=\"field-error\" id=\"err-{numerical}\">Isi dengan angka, mis. 24 atau 2,5.</p>"
        )),
        "the reason is said under the field"
    );
    assert!(
        html.contains(&format!("<a href=\"#q-{numerical}\">Soal ")),
        "the summary links to the question"
    );

    // "Kumpulkan" saves, then lists what is still unanswered before the real submit.
    let one: Vec<(String, String)> = all
        .iter()
        .filter(|(k, _)| k.starts_with(&format!("q.{single}")))
        .cloned()
        .chain([("action".to_owned(), "review".to_owned())])
        .collect();
    let res = post(&app, &browser, &page, &one, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{page}?review=1"));
    let (status, html) = app.page(&browser, &format!("{page}?review=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("6 soal belum dijawab."), "{html}");
    assert!(
        html.contains("value=\"submit\""),
        "the submit is a second step"
    );
    assert!(
        html.contains(&format!("href=\"/attempts/{id}#q-{numerical}\"")),
        "each question links back"
    );
    assert_eq!(html.matches("badge pending").count(), 6);
    let (_, html) = app.page(&browser, &page).await;
    assert!(
        html.contains(&format!("data-nav=\"{single}\" class=\"answered\"")),
        "the navigator marks the answered question"
    );
    assert_eq!(html.matches("class=\"answered\"").count(), 1);

    // Saved without JavaScript.
    all.push(("action".into(), "save".into()));
    let res = post(&app, &browser, &page, &all, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{page}?saved=1"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before + 7
    );
    let (_, html) = app.page(&browser, &format!("{page}?saved=1")).await;
    assert!(html.contains("Jawaban tersimpan."));
    assert!(html.contains("<span data-answered>7</span>/7"), "{html}");
    assert!(html.contains(" checked>"), "saved choices are ticked again");

    // The autosave script: one question, JSON back with the server's time left; the same
    // answer again writes nothing.
    let tf = by_type(&attempt, "true_false")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let one = vec![
        ("question".to_owned(), tf.clone()),
        (format!("q.{tf}"), "true".to_owned()),
    ];
    let res = post(&app, &browser, &page, &one, true).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["saved"], 1);
    assert_eq!(body["state"], "in_progress");
    assert!((590..=600).contains(&body["remaining_seconds"].as_i64().expect("seconds")));
    let body: Value = post(&app, &browser, &page, &one, true)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["saved"], 0);
    let bad_one = vec![
        ("question".to_owned(), tf.clone()),
        (format!("q.{tf}"), "barangkali".to_owned()),
    ];
    let res = post(&app, &browser, &page, &bad_one, true).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "invalid_response");

    // Someone else's attempt page does not exist for them.
    let other = app.login("learner1").await;
    let (status, _) = app.page(&other, &page).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let res = post(&app, &other, &page, &one, false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Submitted with the true/false answer changed back to the right one.
    let mut last: Vec<(String, String)> = fields_of(&tf, &json!({"value": false}));
    last.push(("action".into(), "submit".into()));
    let res = post(&app, &browser, &page, &last, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), page);
    let (_, html) = app.page(&browser, &page).await;
    assert!(html.contains("Hasil"), "{html}");
    assert!(
        html.contains("menunggu penilaian"),
        "the essay waits for grading"
    );
    // The waiting essay is neither right nor wrong: a neutral badge, no marks, no verdict.
    let essay = by_type(&attempt, "essay")["id"]
        .as_str()
        .expect("essay")
        .to_owned();
    let sections: Vec<&str> = html
        .split("<section class=\"card question")
        .skip(1)
        .collect();
    assert_eq!(sections.len(), 7);
    let waiting: Vec<&&str> = sections
        .iter()
        .filter(|s| s.contains("badge pending"))
        .collect();
    assert_eq!(waiting.len(), 1, "exactly the essay waits");
    assert!(waiting[0].starts_with(" pending\""), "{}", waiting[0]);
    for word in ["Salah", "Benar", "0 / ", "Sebagian benar"] {
        assert!(!waiting[0].contains(word), "a waiting essay says {word}");
    }
    assert!(
        html.contains("<span class=\"badge pending\">Menunggu penilaian</span>"),
        "the score's badge says it waits"
    );
    assert!(!html.contains("badge pass") && !html.contains("badge fail"));
    let (_, api_view) = app
        .api(Method::GET, &token, &format!("/api/v1/attempts/{id}"), None)
        .await;
    let q = by_type(&api_view, "essay");
    assert_eq!(q["awaiting_grading"], true);
    assert!(q.get("fraction").is_none(), "no mark before grading: {q}");
    assert!(
        html.contains("Jawaban benar"),
        "answers are shown at once by this quiz's review"
    );
    assert!(
        !html.contains("<form method=\"post\" action=\"/attempts/"),
        "no answer form after submit"
    );
    // A late form changes nothing.
    let res = post(&app, &browser, &page, &all, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{page}?late=1"));

    // The only attempt is used: the lesson says so and offers the review.
    let (_, html) = app.page(&browser, &format!("/lessons/{lesson}")).await;
    assert!(
        html.contains("Kesempatan mengerjakan kuis ini sudah habis."),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/attempts/{id}\"")));
    let res = post(
        &app,
        &browser,
        &format!("/quizzes/{quiz}/start"),
        &[],
        false,
    )
    .await;
    assert_eq!(
        location(&res),
        format!("/lessons/{lesson}?error=attempts_exhausted")
    );
    assert!(
        html.contains("badge pending"),
        "the lesson lists it as waiting"
    );

    // Once marked, the review and the lesson show the score with its verdict.
    let teacher = app.token("instructor").await;
    let (status, graded) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/attempts/{id}/answers/{essay}/grade"),
            Some(json!({"fraction": 1.0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{graded}");
    let (_, html) = app.page(&browser, &format!("/lessons/{lesson}")).await;
    assert!(
        html.contains("100% <span class=\"badge pass\">Lulus</span>"),
        "{html}"
    );
    assert!(!html.contains("badge pending"));
    let (_, html) = app.page(&browser, &page).await;
    assert!(!html.contains("badge pending") && html.contains("badge pass"));
}

#[tokio::test]
async fn the_review_hides_what_the_quiz_does_not_show_yet() {
    let app = TestApp::spawn().await;
    // Defaults: the score at once, the answers only after the quiz closes (it never does).
    let (_, quiz, _) = course_with_quiz(&app, json!({})).await;
    let browser = app.login("learner2").await;
    let res = post(
        &app,
        &browser,
        &format!("/quizzes/{quiz}/start"),
        &[],
        false,
    )
    .await;
    let page = location(&res);
    let id = page.trim_start_matches("/attempts/").to_owned();
    let token = app.token("learner2").await;
    let (_, attempt) = app
        .api(Method::GET, &token, &format!("/api/v1/attempts/{id}"), None)
        .await;
    let mut all: Vec<(String, String)> = right_answers(&attempt)
        .iter()
        .take(5)
        .flat_map(|(q, r)| fields_of(q, r))
        .collect();
    all.push(("action".into(), "submit".into()));
    let res = post(&app, &browser, &page, &all, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&browser, &page).await;
    assert!(
        html.contains("71%") || html.contains("Lulus"),
        "the score is shown: {html}"
    );
    for leak in [
        "Jawaban benar",
        "Aparatur Sipil Negara",
        "class=\"card question right\"",
    ] {
        assert!(
            !html.contains(leak),
            "{leak} shown before the review allows it"
        );
    }
}

#[tokio::test]
async fn the_attempt_page_closes_at_the_servers_deadline() {
    let app = TestApp::spawn().await;
    let (_, quiz, _) = course_with_quiz(&app, json!({"time_limit_seconds": 60})).await;
    let answers_before = app.count("SELECT COUNT(*) FROM attempt_answers").await;
    let browser = app.login("learner4").await;
    let res = post(
        &app,
        &browser,
        &format!("/quizzes/{quiz}/start"),
        &[],
        false,
    )
    .await;
    let page = location(&res);
    let id = page.trim_start_matches("/attempts/").to_owned();
    let token = app.token("learner4").await;
    let (_, attempt) = app
        .api(Method::GET, &token, &format!("/api/v1/attempts/{id}"), None)
        .await;
    let answers = right_answers(&attempt);
    let first: Vec<(String, String)> = fields_of(&answers[0].0, &answers[0].1);
    let res = post(&app, &browser, &page, &first, false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The page's clock is the server's: the script reads it as JSON.
    let clock: Value = browser
        .get(app.url(&page))
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .expect("clock")
        .json()
        .await
        .expect("json");
    assert!((50..=60).contains(&clock["remaining_seconds"].as_i64().expect("seconds")));

    app.state
        .clock()
        .advance(std::time::Duration::from_secs(61));
    // An answer sent after the deadline is refused; the attempt is graded with what was
    // saved in time.
    let late: Vec<(String, String)> = fields_of(&answers[1].0, &answers[1].1);
    let res = post(&app, &browser, &page, &late, true).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = post(&app, &browser, &page, &late, false).await;
    assert_eq!(location(&res), format!("{page}?late=1"));
    let (_, html) = app.page(&browser, &format!("{page}?late=1")).await;
    assert!(html.contains("Waktu pengerjaan sudah habis"), "{html}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before + 1
    );
    let (_, result) = app
        .api(Method::GET, &token, &format!("/api/v1/attempts/{id}"), None)
        .await;
    assert_eq!(result["state"], "finished");
    assert_eq!(result["score"], 1.0);
}

#[tokio::test]
async fn numbers_and_times_are_written_the_languages_way() {
    let app = TestApp::spawn().await;
    let waiting = app
        .id_of(
            "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
             WHERE u.username = 'learner1' AND a.needs_grading",
        )
        .await;
    let lesson = app
        .id_of(
            "SELECT q.lesson_id FROM quizzes q JOIN courses c ON c.id = q.course_id \
             WHERE c.code = 'DADS'",
        )
        .await;
    let browser = app.login("learner1").await;
    let (_, review) = app.page(&browser, &format!("/attempts/{waiting}")).await;
    // The demo answers the numerical question with 4.99 (right) or 1005.01 (wrong).
    assert!(
        review.contains("<strong>4,99</strong>") || review.contains("<strong>1005,01</strong>"),
        "{review}"
    );
    assert!(review.contains("5 ± 0,01"));
    assert!(!review.contains("0.01") && !review.contains("4.99"));
    let (_, page) = app.page(&browser, &format!("/lessons/{lesson}")).await;
    let months = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    let finished = page
        .split("WIB")
        .next()
        .and_then(|before| before.rsplit('>').next())
        .expect("a time on the lesson page")
        .trim()
        .to_owned();
    // e.g. "3 Desember 2026 07.56"
    let parts: Vec<&str> = finished.split(' ').collect();
    assert_eq!(parts.len(), 4, "{finished}");
    assert!(months.contains(&parts[1]), "{finished}");
    assert!(
        parts[3].len() == 5 && parts[3].as_bytes()[2] == b'.',
        "{finished}"
    );

    let english = app.login("learner1").await;
    let res = app
        .post_form(&english, "/language", &[("lang", "en"), ("next", "/")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, review) = app.page(&english, &format!("/attempts/{waiting}")).await;
    assert!(
        review.contains("<strong>4.99</strong>") || review.contains("<strong>1005.01</strong>")
    );
    assert!(review.contains("5 ± 0.01"));

    // The home page leads with what to do next: the unfinished attempt, and where each
    // started course continues.
    let (_, home) = app.page(&app.login("learner2").await, "/").await;
    assert!(home.contains("Yang perlu dikerjakan"), "{home}");
    assert!(home.contains("Kuis belum selesai: Kuis akhir: Keamanan Informasi untuk ASN"));
    // learner1 chose English above.
    let (_, home) = app.page(&browser, "/").await;
    assert!(home.contains("Continue: "), "{home}");
    assert!(!home.contains("will appear here"));
}

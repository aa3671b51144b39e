//! Competency management end to end: the dictionary, requirements and awards, completion
//! records made once by the completing step, the JP ledger by Jakarta year, profiles with
//! evidence and gaps, recommendations, assessments and training done elsewhere, and who
//! may see whose.

use mahir::competency::json::{
    AwardsJson, CompetencyJson, CompetencyList, CompletionList, ExternalJson, ExternalList,
    ProfileJson, RecommendationList, RequirementsJson,
};
use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn row<'a>(
    p: &'a ProfileJson,
    code: &str,
) -> Option<&'a mahir::competency::json::ProfileCompetency> {
    p.competencies.iter().find(|c| c.code == code)
}

async fn employee_id(app: &TestApp, username: &str) -> String {
    app.id_of(&format!(
        "SELECT e.id FROM employees e JOIN users u ON u.id = e.user_id WHERE u.username = '{username}'"
    ))
    .await
}

#[tokio::test]
async fn the_demo_profiles_show_requirements_evidence_and_jp() {
    let app = TestApp::spawn().await;
    let budi = app.token("learner1").await;
    let dict: CompetencyList = app.get(&budi, "/api/v1/competencies?per_page=100").await;
    let codes: Vec<&str> = dict.items.iter().map(|c| c.code.as_str()).collect();
    for code in [
        "M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01", "T.KI", "T.PD",
        "T.KGD", "T.PP",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let integrity = dict.items.iter().find(|c| c.code == "M.01").expect("M.01");
    assert_eq!(integrity.levels.len(), 5);
    assert!(!integrity.name_en.is_empty() && !integrity.levels[0].indicators.is_empty());

    let p: ProfileJson = app.get(&budi, "/api/v1/me/profile").await;
    assert_eq!(
        p.position.as_ref().map(|x| x.name.as_str()),
        Some("Pranata Komputer Ahli Pertama")
    );
    let ki = row(&p, "T.KI").expect("T.KI");
    assert_eq!((ki.required, ki.achieved, ki.gap), (Some(2), Some(2), 0));
    assert!(
        ki.evidence
            .iter()
            .any(|e| e.title == "Keamanan Informasi untuk ASN" && e.level == 2),
        "{:?}",
        ki.evidence
    );
    let service = row(&p, "M.05").expect("M.05");
    assert_eq!(
        (service.required, service.achieved, service.gap),
        (Some(2), None, 2)
    );
    // 10 JP from the course and 10 from a verified training elsewhere.
    assert_eq!(
        (p.jp.total, p.jp.target, p.jp.by_category.teknis),
        (20, 20, 20)
    );
    let records: CompletionList = app.get(&budi, "/api/v1/me/completions").await;
    assert_eq!(records.total, 2);
    assert!(
        records
            .items
            .iter()
            .any(|r| r.source == "external" && r.jp == 10)
    );
    let recs: RecommendationList = app.get(&budi, "/api/v1/me/recommendations").await;
    let first = recs.items.first().expect("a recommendation");
    assert_eq!(first.title, "Pelayanan Publik Prima");
    assert_eq!(
        (
            first.closes[0].code.as_str(),
            first.closes[0].from,
            first.closes[0].to
        ),
        ("M.05", 0, 2)
    );
    assert!(
        !recs
            .items
            .iter()
            .any(|r| r.title == "Keamanan Informasi untuk ASN"),
        "a completed course is not recommended"
    );

    // Dewi: the mentor's assessment is her evidence in data management; nothing this year.
    let dewi: ProfileJson = app
        .get(&app.token("learner2").await, "/api/v1/me/profile")
        .await;
    let pd = row(&dewi, "T.PD").expect("T.PD");
    assert_eq!((pd.required, pd.achieved, pd.gap), (Some(2), Some(1), 1));
    assert_eq!(pd.evidence[0].title, "Siti Rahmawati");
    assert_eq!(dewi.jp.total, 0);

    // Rizky's training elsewhere waits for his unit admin and does not count.
    let rizky = app.token("learner5").await;
    let mine: ExternalList = app.get(&rizky, "/api/v1/me/external-training").await;
    assert_eq!(mine.items[0].status, "pending");
    let p: ProfileJson = app.get(&rizky, "/api/v1/me/profile").await;
    assert_eq!(p.jp.total, 0);
    let queue: ExternalList = app
        .get(&app.token("unitadmin").await, "/api/v1/external-training")
        .await;
    assert_eq!(queue.items.len(), 1);
    // Maya is far below the yearly target.
    let p: ProfileJson = app
        .get(&app.token("learner4").await, "/api/v1/me/profile")
        .await;
    assert_eq!(p.jp.total, 0);
}

/// Every lesson of a demo course done and its quizzes passed through the API.
pub(super) async fn complete_ki(app: &TestApp, token: &str) {
    let course = app
        .id_of("SELECT id FROM courses WHERE code = 'KI-ASN'")
        .await;
    let (status, _) = app
        .api(
            Method::POST,
            token,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    let lessons: Vec<String> = {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.db.get_database_backend();
        app.db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id FROM lessons WHERE course_id = (SELECT id FROM courses WHERE code = 'KI-ASN') \
                 AND kind <> 'quiz' AND required",
            ))
            .await
            .expect("lessons")
            .into_iter()
            .map(|r| r.try_get_by_index::<uuid::Uuid>(0).expect("id").to_string())
            .collect()
    };
    for lesson in lessons {
        let (status, body) = app
            .api(
                Method::POST,
                token,
                &format!("/api/v1/lessons/{lesson}/progress"),
                Some(json!({"completed": true, "seconds": 5})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    for (title, answer) in [("LIKE 'Pre-test%'", false), ("LIKE 'Kuis akhir%'", true)] {
        let quiz = app
            .id_of(&format!(
                "SELECT q.id FROM quizzes q JOIN courses c ON c.id = q.course_id \
                 WHERE c.code = 'KI-ASN' AND q.title {title}"
            ))
            .await;
        let (status, attempt) = app
            .api(
                Method::POST,
                token,
                &format!("/api/v1/quizzes/{quiz}/attempts"),
                None,
            )
            .await;
        assert!(status.is_success(), "{attempt}");
        let id = attempt["id"].as_str().expect("attempt").to_owned();
        if answer {
            for (question, response) in ki_answers(&attempt) {
                let (status, saved) =
                    super::quizzes::put_answer(app, token, &id, &question, &response).await;
                assert_eq!(status, StatusCode::OK, "{saved}");
            }
        }
        let (status, done) = app
            .api(
                Method::POST,
                token,
                &format!("/api/v1/attempts/{id}/submit"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
    }
}

/// Right answers to six of the seven questions of the demo's Keamanan Informasi quiz.
fn ki_answers(attempt: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for q in attempt["questions"].as_array().expect("questions") {
        let id = q["id"].as_str().expect("id").to_owned();
        let text = q.to_string();
        let option = |t: &str| super::quizzes::item_id(&q["options"], t);
        let response = match q["type"].as_str().expect("type") {
            "single_choice" => json!({"choices": [option("Kerahasiaan")]}),
            "multiple_choice" => json!({"choices": [option("Alamat"), option("Isi mendesak")]}),
            "true_false" => json!({"value": true}),
            "numerical" => json!({"number": 24}),
            "short_answer" if text.contains("singkatan") => json!({"text": "CSIRT"}),
            "short_answer" => json!({"text": "L"}),
            _ => continue,
        };
        out.push((id, response));
    }
    out
}

#[tokio::test]
async fn completing_a_demo_course_raises_jp_and_the_achieved_level_at_once() {
    let app = TestApp::spawn().await;
    let rizky = app.token("learner5").await;
    let before: ProfileJson = app.get(&rizky, "/api/v1/me/profile").await;
    assert_eq!(before.jp.total, 0);
    assert!(
        row(&before, "T.KI").is_none(),
        "no requirement, no evidence yet"
    );
    complete_ki(&app, &rizky).await;
    let after: ProfileJson = app.get(&rizky, "/api/v1/me/profile").await;
    assert_eq!(after.jp.total, 10);
    assert_eq!(after.jp.by_category.teknis, 10);
    let ki = row(&after, "T.KI").expect("T.KI");
    assert_eq!((ki.required, ki.achieved, ki.gap), (None, Some(2), 0));
    let records: CompletionList = app.get(&rizky, "/api/v1/me/completions").await;
    assert_eq!(records.total, 1);
    let r = &records.items[0];
    assert_eq!(
        (r.source.as_str(), r.jp, r.category.as_str()),
        ("internal", 10, "teknis")
    );
    assert_eq!(r.title, "Keamanan Informasi untuk ASN");
    assert!(r.score.is_some_and(|s| s >= 70), "{:?}", r.score);
    // Answering again changes nothing: a record is made once.
    complete_ki(&app, &rizky).await;
    let again: CompletionList = app.get(&rizky, "/api/v1/me/completions").await;
    assert_eq!(again.total, 1);
}

/// A published course with `lessons` text lessons done by marking, awarding T.PD 2.
async fn marked_course(app: &TestApp, code: &str, lessons: usize) -> (String, Vec<String>) {
    let teacher = app.token("instructor").await;
    let (status, course) = app
        .api(
            Method::POST,
            &teacher,
            "/api/v1/courses",
            Some(json!({"code": code, "title": format!("Kursus {code}"), "category": "fungsional", "jp": 6})),
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
    let mut ids = Vec::new();
    for n in 0..lessons {
        let (status, lesson) = app
            .api(
                Method::POST,
                &teacher,
                &format!("/api/v1/modules/{module}/lessons"),
                Some(json!({"title": format!("Bacaan {n}"), "kind": "text", "body_markdown": "Teks.", "completion": "marked"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{lesson}");
        ids.push(lesson["id"].as_str().expect("lesson").to_owned());
    }
    let awards: AwardsJson = app
        .call(
            Method::PUT,
            &teacher,
            &format!("/api/v1/courses/{id}/competencies"),
            Some(json!([{"code": "T.PD", "level": 2}])),
        )
        .await
        .expect("accepted");
    assert_eq!(awards.competencies[0].code, "T.PD");
    let (status, _) = app
        .api(
            Method::POST,
            &teacher,
            &format!("/api/v1/courses/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (id, ids)
}

async fn mark(app: &TestApp, token: &str, lesson: &str) -> StatusCode {
    app.api(
        Method::POST,
        token,
        &format!("/api/v1/lessons/{lesson}/progress"),
        Some(json!({"completed": true})),
    )
    .await
    .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_final_steps_at_once_make_one_completion_record() {
    let app = TestApp::spawn().await;
    let replica = app.replica().await;
    let (course, lessons) = marked_course(&app, "DUA-LANGKAH", 2).await;
    let (other, single) = marked_course(&app, "SATU-LANGKAH", 1).await;
    for learner in ["learner2", "learner3", "learner4", "learner5"] {
        let token = app.token(learner).await;
        for c in [&course, &other] {
            let (status, _) = app
                .api(
                    Method::POST,
                    &token,
                    &format!("/api/v1/courses/{c}/enrol"),
                    None,
                )
                .await;
            assert!(status.is_success());
        }
        // Two tabs finishing the course's last two lessons at once, on two replicas; and
        // the one lesson of another course, from three tabs on each replica.
        let marks = [
            (&app, &lessons[0]),
            (&replica, &lessons[1]),
            (&app, &single[0]),
            (&replica, &single[0]),
            (&app, &single[0]),
            (&replica, &single[0]),
            (&app, &single[0]),
            (&replica, &single[0]),
        ];
        let statuses = futures_util::future::join_all(
            marks.iter().map(|(on, lesson)| mark(on, &token, lesson)),
        )
        .await;
        assert!(
            statuses.iter().all(|s| *s == StatusCode::OK),
            "{statuses:?}"
        );
        let p: ProfileJson = app.get(&token, "/api/v1/me/profile").await;
        assert_eq!(p.jp.by_category.fungsional, 12, "{learner}: 6 JP twice");
        let records: CompletionList = app.get(&token, "/api/v1/me/completions").await;
        let of_course = records
            .items
            .iter()
            .filter(|r| r.course_id.is_some_and(|c| c.to_string() == course))
            .count();
        assert_eq!(of_course, 1, "{learner}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM completion_records WHERE jp = 6")
            .await,
        8
    );
}

#[tokio::test]
async fn the_jp_year_follows_jakarta() {
    let app = TestApp::spawn().await;
    let (_, before_midnight) = marked_course(&app, "MALAM-A", 1).await;
    let (_, after_midnight) = marked_course(&app, "MALAM-B", 1).await;
    let token = app.token("learner5").await;
    // Move the clock to 31 December, 16:30 UTC (23.30 WIB) of this year.
    let now = app.state.clock().now();
    let year = chrono::Datelike::year(&now.with_timezone(&mahir::time::wib()));
    let target = chrono::NaiveDate::from_ymd_opt(year, 12, 31)
        .and_then(|d| d.and_hms_opt(16, 30, 0))
        .expect("date")
        .and_utc();
    let ahead = (target - now).to_std().unwrap_or_default();
    app.state.clock().advance(ahead);
    // Sessions and tokens move with the clock: log in again.
    let token = if ahead.is_zero() {
        token
    } else {
        app.token("learner5").await
    };
    assert_eq!(
        mark(&app, &token, &before_midnight[0]).await,
        StatusCode::OK
    );
    app.state
        .clock()
        .advance(std::time::Duration::from_secs(3600));
    assert_eq!(mark(&app, &token, &after_midnight[0]).await, StatusCode::OK);
    let records: CompletionList = app.get(&token, "/api/v1/me/completions").await;
    let year_of = |title: &str| {
        records
            .items
            .iter()
            .find(|r| r.title == title)
            .map(|r| r.year)
            .expect("record")
    };
    assert_eq!(year_of("Kursus MALAM-A"), year, "23.30 WIB on 31 December");
    assert_eq!(
        year_of("Kursus MALAM-B"),
        year + 1,
        "00.30 WIB on 1 January"
    );
    let p: ProfileJson = app.get(&token, "/api/v1/me/profile").await;
    assert_eq!((p.jp.year, p.jp.total), (year + 1, 6));
    let last = p
        .jp_by_year
        .iter()
        .find(|y| y.year == year)
        .expect("last year");
    assert_eq!(last.total, 6);
}

#[tokio::test]
async fn profiles_and_records_are_seen_only_by_those_over_the_employee() {
    let app = TestApp::spawn().await;
    let budi = employee_id(&app, "learner1").await;
    let dewi = employee_id(&app, "learner2").await;
    let agus = employee_id(&app, "learner3").await;
    let rina = app.token("unitadmin").await;
    let siti = app.token("mentor").await;
    let learner = app.token("learner1").await;
    let admin = app.token("admin").await;
    // (token, employee, may see)
    let table = [
        (&rina, &budi, true),
        (&rina, &dewi, true),
        (&rina, &agus, false),
        (&siti, &dewi, true),
        (&siti, &budi, false),
        (&learner, &budi, true),
        (&learner, &dewi, false),
        (&admin, &agus, true),
    ];
    for (token, employee, may) in table {
        for what in ["profile", "completions"] {
            let (status, body) = app
                .api(
                    Method::GET,
                    token,
                    &format!("/api/v1/employees/{employee}/{what}"),
                    None,
                )
                .await;
            let want = if may {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, want, "{what} {employee}: {body}");
        }
    }
    // A supervisor assesses a direct report; the report sees it at once.
    let (status, a) = app
        .api(
            Method::POST,
            &siti,
            &format!("/api/v1/employees/{dewi}/assessments"),
            Some(
                json!({"code": "T.PD", "level": 2, "note": "Analisis tren bulanan sudah mandiri."}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let p: ProfileJson = app
        .get(&app.token("learner2").await, "/api/v1/me/profile")
        .await;
    let pd = row(&p, "T.PD").expect("T.PD");
    assert_eq!(
        (pd.achieved, pd.gap),
        (Some(2), 0),
        "the latest assessment counts"
    );
    // Not one's own, not outside the scope, not an unknown code or level.
    for (token, employee, body, status, code) in [
        (
            &learner,
            &budi,
            json!({"code": "T.PD", "level": 5}),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            &siti,
            &budi,
            json!({"code": "T.PD", "level": 2}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &rina,
            &budi,
            json!({"code": "X.99", "level": 2}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_competency",
        ),
        (
            &rina,
            &budi,
            json!({"code": "T.PD", "level": 6}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_level",
        ),
        (
            &rina,
            &budi,
            json!({"code": "T.PD", "level": 2, "note": "a\u{0}b"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_text",
        ),
    ] {
        let refusal = app
            .refused(
                Method::POST,
                token,
                &format!("/api/v1/employees/{employee}/assessments"),
                Some(body),
            )
            .await;
        assert_eq!((refusal.status, refusal.code.as_str()), (status, code));
    }
}

#[tokio::test]
async fn the_dictionary_requirements_and_awards_refuse_what_they_cannot_hold() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let teacher = app.token("instructor").await;
    let created: CompetencyJson = app
        .call(
            Method::POST,
            &admin,
            "/api/v1/competencies",
            Some(json!({"code": "t.an", "kind": "teknis", "name": "Analisis Kebijakan",
                "levels": [{"level": 1, "description": "Merangkum kebijakan.", "indicators": ["Membuat ringkasan", ""]}]})),
        )
        .await
        .expect("accepted");
    assert_eq!(created.code, "T.AN");
    assert_eq!(created.levels[0].indicators, ["Membuat ringkasan"]);
    for (token, body, status, code) in [
        (
            &teacher,
            json!({"code": "T.X", "kind": "teknis", "name": "X"}),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            &admin,
            json!({"code": "T.AN", "kind": "teknis", "name": "Lagi"}),
            StatusCode::CONFLICT,
            "competency_code_taken",
        ),
        (
            &admin,
            json!({"code": "1X", "kind": "teknis", "name": "X"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_competency_code",
        ),
        (
            &admin,
            json!({"code": "T.Y", "kind": "lain", "name": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_competency_kind",
        ),
        (
            &admin,
            json!({"code": "T.Z", "kind": "teknis", "name": "Z", "levels": [{"level": 7}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_level",
        ),
    ] {
        let refusal = app
            .refused(Method::POST, token, "/api/v1/competencies", Some(body))
            .await;
        assert_eq!((refusal.status, refusal.code.as_str()), (status, code));
    }
    let position = app
        .id_of("SELECT id FROM positions WHERE name = 'Statistisi Ahli Pertama'")
        .await;
    let path = format!("/api/v1/positions/{position}/requirements");
    let set: RequirementsJson = app
        .call(
            Method::PUT,
            &admin,
            &path,
            Some(json!([{"code": "T.AN", "level": 2}, {"code": "T.PD", "level": 3}])),
        )
        .await
        .expect("accepted");
    assert_eq!(set.requirements.len(), 2);
    let before = app
        .count("SELECT COUNT(*) FROM position_requirements")
        .await;
    for (token, body, status, code) in [
        (&teacher, json!([]), StatusCode::FORBIDDEN, "forbidden"),
        (
            &admin,
            json!([{"code": "X.1", "level": 2}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_competency",
        ),
        (
            &admin,
            json!([{"code": "T.PD", "level": 2}, {"code": "t.pd", "level": 3}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "duplicate_competency",
        ),
        (
            &admin,
            json!([{"code": "T.PD", "level": 0}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_level",
        ),
        (
            &admin,
            json!({"code": "T.PD"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
    ] {
        let refusal = app.refused(Method::PUT, token, &path, Some(body)).await;
        assert_eq!(
            (refusal.status, refusal.code.as_str()),
            (status, code),
            "{refusal:?}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM position_requirements")
            .await,
        before,
        "a refusal changes nothing"
    );
    let dewi: ProfileJson = app
        .get(&app.token("learner2").await, "/api/v1/me/profile")
        .await;
    assert_eq!(row(&dewi, "T.AN").map(|r| r.gap), Some(2));
    assert_eq!(
        row(&dewi, "T.PD").map(|r| r.gap),
        Some(2),
        "required 3, achieved 1"
    );
    assert!(row(&dewi, "M.04").is_none(), "the list was replaced");

    // A course's awards: its editors only; another instructor's course is 403 or 404.
    let course = app.id_of("SELECT id FROM courses WHERE code = 'PPP'").await;
    let refusal = app
        .refused(
            Method::PUT,
            &app.token("learner1").await,
            &format!("/api/v1/courses/{course}/competencies"),
            Some(json!([{"code": "M.05", "level": 3}])),
        )
        .await;
    assert!(
        matches!(
            refusal.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{refusal:?}"
    );
}

#[tokio::test]
async fn training_elsewhere_counts_once_verified_by_a_unit_admin() {
    let app = TestApp::spawn().await;
    let budi = app.token("learner1").await;
    let rina = app.token("unitadmin").await;
    let year = chrono::Datelike::year(&app.state.clock().today_wib());
    let last_year = |m: u32, d: u32| format!("{}-{m:02}-{d:02}", year - 1);
    let today = app.state.clock().today_wib().to_string();
    let body = json!({"title": "Seminar Transformasi Digital", "organiser": "Kementerian PANRB",
        "start_on": today, "end_on": today, "jp": 4, "category": "lainnya", "certificate_number": "PANRB/2026/77"});
    let (status, created) = app
        .api(
            Method::POST,
            &budi,
            "/api/v1/me/external-training",
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "pending");
    let id = created["id"].as_str().expect("id").to_owned();
    let jp = |p: &ProfileJson| p.jp.total;
    let before: ProfileJson = app.get(&budi, "/api/v1/me/profile").await;
    // Refused: bad dates, JP, category; in the future; no NUL.
    for (patch, code) in [
        (json!({"jp": 0}), "invalid_jp"),
        (json!({"category": "hiburan"}), "invalid_category"),
        (
            json!({"start_on": last_year(12, 31), "end_on": last_year(1, 1)}),
            "schedule_order",
        ),
        (json!({"end_on": "2999-01-01"}), "invalid_date"),
        (json!({"title": "a\u{0}b"}), "invalid_text"),
        (json!({"title": ""}), "invalid_title"),
    ] {
        let mut b = body.clone();
        for (k, v) in patch.as_object().expect("patch") {
            b[k] = v.clone();
        }
        let refusal = app
            .refused(Method::POST, &budi, "/api/v1/me/external-training", Some(b))
            .await;
        assert_eq!(refusal.code.as_str(), code, "{refusal:?}");
    }
    // Only those over Budi decide, never Budi; a rejection needs a reason.
    let verify = format!("/api/v1/external-training/{id}/verify");
    for (token, body, status, code) in [
        (
            &budi,
            json!({"approved": true}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &app.token("mentor").await,
            json!({"approved": true}),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            &rina,
            json!({"approved": false}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_reason",
        ),
    ] {
        let refusal = app.refused(Method::POST, token, &verify, Some(body)).await;
        assert_eq!((refusal.status, refusal.code.as_str()), (status, code));
    }
    let pending: ExternalList = app.get(&rina, "/api/v1/external-training").await;
    assert!(pending.items.iter().any(|t| t.id.to_string() == id));
    let after_refusals: ProfileJson = app.get(&budi, "/api/v1/me/profile").await;
    assert_eq!(jp(&after_refusals), jp(&before), "pending does not count");
    let done: ExternalJson = app
        .call(
            Method::POST,
            &rina,
            &verify,
            Some(json!({"approved": true})),
        )
        .await
        .expect("accepted");
    assert_eq!(done.status, "verified");
    assert_eq!(done.decisions.len(), 1);
    let after: ProfileJson = app.get(&budi, "/api/v1/me/profile").await;
    assert_eq!(jp(&after), jp(&before) + 4);
    assert_eq!(after.jp.by_category.lainnya, 4);
    let refusal = app
        .refused(
            Method::POST,
            &rina,
            &verify,
            Some(json!({"approved": false, "reason": "Salah"})),
        )
        .await;
    assert_eq!(
        (refusal.status, refusal.code.as_str()),
        (StatusCode::CONFLICT, "external_not_pending")
    );

    // A rejected one never counts.
    let mut second = body.clone();
    second["title"] = json!("Pelatihan Tanpa Bukti");
    let created: ExternalJson = app
        .call(
            Method::POST,
            &budi,
            "/api/v1/me/external-training",
            Some(second),
        )
        .await
        .expect("accepted");
    let rejected: ExternalJson = app
        .call(
            Method::POST,
            &rina,
            &format!("/api/v1/external-training/{}/verify", created.id),
            Some(json!({"approved": false, "reason": "Sertifikat tidak terbaca."})),
        )
        .await
        .expect("accepted");
    assert_eq!(rejected.status, "rejected");
    assert_eq!(rejected.decisions[0].reason, "Sertifikat tidak terbaca.");
    let last: ProfileJson = app.get(&budi, "/api/v1/me/profile").await;
    assert_eq!(jp(&last), jp(&after));
}

#[tokio::test]
async fn a_question_tag_names_a_competency_of_the_dictionary() {
    let app = TestApp::spawn().await;
    let teacher = app.token("instructor").await;
    let course = super::quizzes::draft_course(&app, &teacher).await;
    let before = app.count("SELECT COUNT(*) FROM questions").await;
    let gift = "// [competency:T.KI:2]\n::Satu:: Benar? {T}\n\n// [competency:X.99:2]\n::Dua:: Salah? {F}\n";
    let (status, body) = super::quizzes::import(&app, &teacher, &course, "gift", gift).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "unknown_competency");
    assert_eq!(body["error"]["field"], "competencies");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("X.99") && message.contains("Dua"),
        "{message}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, before);
    let (status, body) = super::quizzes::import(
        &app,
        &teacher,
        &course,
        "gift",
        &gift.replace("X.99", "M.03"),
    )
    .await;
    assert!(status.is_success(), "{body}");
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_the_history_exports_safely() {
    let app = TestApp::spawn().await;
    // Training elsewhere: every refusal beside its field, the input kept, nothing saved.
    let budi = app.login("learner1").await;
    let before = app.count("SELECT COUNT(*) FROM external_trainings").await;
    let res = app
        .post_form(
            &budi,
            "/profile/external",
            &[
                ("title", "=HYPERLINK(\"http://x\")"),
                ("organiser", ""),
                ("start_on", "2026-03-02"),
                ("end_on", "2026-03-01"),
                ("jp", "dua belas"),
                ("category", "teknis"),
                ("certificate_number", "NO/77"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("page");
    for field in ["organiser", "end_on", "jp"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(html.contains("value=\"dua belas\"") && html.contains("value=\"NO/77\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM external_trainings").await,
        before
    );
    let res = app
        .post_form(
            &budi,
            "/profile/external",
            &[
                ("title", "=HYPERLINK(\"http://x\")"),
                ("organiser", "+Lembaga"),
                ("start_on", "2026-03-01"),
                ("end_on", "2026-03-02"),
                ("jp", "3"),
                ("category", "lainnya"),
                ("certificate_number", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = app
        .id_of("SELECT id FROM external_trainings WHERE organiser = '+Lembaga'")
        .await;
    let rina = app.token("unitadmin").await;
    let _: ExternalJson = app
        .call(
            Method::POST,
            &rina,
            &format!("/api/v1/external-training/{id}/verify"),
            Some(json!({"approved": true})),
        )
        .await
        .expect("verified");
    let res = budi
        .get(app.url("/profile/history.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment")
    );
    let csv = res.text().await.expect("csv");
    assert!(
        csv.starts_with("nip,nama_diklat,jenis_kompetensi,jumlah_jp,jumlah_jam,penyelenggara"),
        "{csv}"
    );
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(
        csv.contains("'+Lembaga") && csv.contains(",Lainnya,3,"),
        "{csv}"
    );
    assert!(
        csv.contains("Keamanan Informasi untuk ASN,Teknis,10,7.5,Mahir"),
        "{csv}"
    );

    // The assessment form keeps the note and shows the refusal beside its field.
    let dewi = employee_id(&app, "learner2").await;
    let siti = app.login("mentor").await;
    let res = app
        .post_form(
            &siti,
            &format!("/employees/{dewi}/assessments"),
            &[
                ("code", "T.PD"),
                ("level", "2"),
                ("assessed_on", "2999-01-01"),
                ("note", "Catatan yang panjang dan penting"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("page");
    assert!(html.contains("id=\"assessed_on-error\""));
    assert!(html.contains("Catatan yang panjang dan penting"));
    // Someone else's report: not found.
    let budi_id = employee_id(&app, "learner1").await;
    let res = siti
        .get(app.url(&format!("/employees/{budi_id}/profile")))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The course page and the catalogue say what a course develops.
    let course = app
        .id_of("SELECT id FROM courses WHERE code = 'KI-ASN'")
        .await;
    let (_, page) = app.page(&budi, &format!("/courses/{course}")).await;
    assert!(page.contains("Mengembangkan: Keamanan Informasi level 2"));
    let (_, page) = app.page(&budi, "/courses?q=Keamanan").await;
    assert!(page.contains("Mengembangkan: Keamanan Informasi level 2"));
}

async fn upload_evidence(
    app: &TestApp,
    token: &str,
    training: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/external-training/{training}/evidence")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn evidence_files_are_sniffed_capped_and_served_only_to_those_allowed() {
    let app = TestApp::spawn().await;
    let rizky = app.token("learner5").await;
    let mine: ExternalList = app.get(&rizky, "/api/v1/me/external-training").await;
    let training = mine.items[0].id.to_string();
    let pdf = mahir_content::pdf::simple_pdf("Sertifikat", &["Bimbingan teknis."]);
    // Not a PDF, JPEG or PNG (whatever the name says); too large; someone else's.
    let (status, body) = upload_evidence(
        &app,
        &rizky,
        &training,
        "catatan.txt",
        b"Hanya teks biasa.".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_evidence_type");
    let (status, body) = upload_evidence(
        &app,
        &rizky,
        &training,
        "sertifikat.pdf",
        b"<html><script>alert(1)</script></html>".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut big = pdf.clone();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) = upload_evidence(&app, &rizky, &training, "besar.pdf", big).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::PAYLOAD_TOO_LARGE,
        "{status} {body}"
    );
    let budi = app.token("learner1").await;
    let (status, _) = upload_evidence(&app, &budi, &training, "s.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let objects = mahir_tests::count_files(&app.data_dir.join("objects"));

    let (status, body) =
        upload_evidence(&app, &rizky, &training, "Sertifikat ANRI.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["evidence_file_name"], "Sertifikat ANRI.pdf");
    assert_eq!(
        mahir_tests::count_files(&app.data_dir.join("objects")),
        objects + 1
    );
    // A new file replaces the old one.
    let (status, _) = upload_evidence(&app, &rizky, &training, "Sertifikat.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        mahir_tests::count_files(&app.data_dir.join("objects")),
        objects + 1
    );

    let path = format!("/api/v1/external-training/{training}/evidence");
    for (who, allowed) in [
        ("learner5", true),
        ("unitadmin", true),
        ("admin", true),
        ("learner1", false),
        ("mentor", false),
    ] {
        let token = app.token(who).await;
        let res = reqwest::Client::new()
            .get(app.url(&path))
            .bearer_auth(&token)
            .send()
            .await
            .expect("download");
        if allowed {
            assert_eq!(res.status(), StatusCode::OK, "{who}");
            assert_eq!(res.headers()["content-type"], "application/pdf");
            assert!(
                res.headers()["content-disposition"]
                    .to_str()
                    .expect("header")
                    .starts_with("attachment"),
                "{who}"
            );
            assert_eq!(res.bytes().await.expect("bytes").as_ref(), pdf.as_slice());
        } else {
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}");
        }
    }
    // Once decided, the evidence stays as it was.
    let rina = app.token("unitadmin").await;
    let _: ExternalJson = app
        .call(
            Method::POST,
            &rina,
            &format!("/api/v1/external-training/{training}/verify"),
            Some(json!({"approved": true})),
        )
        .await
        .expect("verified");
    let (status, body) = upload_evidence(&app, &rizky, &training, "Lain.pdf", pdf).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "external_not_pending");
}

#[tokio::test]
async fn admins_keep_the_dictionary_through_its_pages() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let (status, list) = app.page(&admin, "/admin/competencies").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("M.08") && list.contains("Perekat Bangsa") && list.contains("T.KI"));
    // Refused at once beside each field, with everything typed kept.
    let res = app
        .post_form(
            &admin,
            "/admin/competencies",
            &[
                ("code", "9X"),
                ("kind", "lain"),
                ("name", ""),
                ("level_2", "Menganalisis kebijakan unit."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("page");
    for field in ["code", "kind", "name"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(html.contains("Menganalisis kebijakan unit."));
    let res = app
        .post_form(
            &admin,
            "/admin/competencies",
            &[
                ("code", "t.ak"),
                ("kind", "teknis"),
                ("name", "Analisis Kebijakan"),
                ("level_2", "Menganalisis kebijakan unit."),
                ("indicators_2", "Menyusun telaah\n\nMemberi rekomendasi"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let admin_token = app.token("admin").await;
    let dict: CompetencyList = app
        .get(&admin_token, "/api/v1/competencies?per_page=100")
        .await;
    let made = dict.items.iter().find(|c| c.code == "T.AK").expect("T.AK");
    assert_eq!(made.levels.len(), 1);
    assert_eq!(
        made.levels[0].indicators,
        ["Menyusun telaah", "Memberi rekomendasi"]
    );
    // Retired: kept, no longer offered.
    let res = app
        .post_form(
            &admin,
            &format!("/admin/competencies/{}/retired", made.id),
            &[("retired", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let dict: CompetencyList = app
        .get(&admin_token, "/api/v1/competencies?per_page=100")
        .await;
    assert!(!dict.items.iter().any(|c| c.code == "T.AK"));
    let refusal = app
        .refused(
            Method::PUT,
            &admin_token,
            &format!(
                "/api/v1/positions/{}/requirements",
                app.id_of("SELECT id FROM positions WHERE name = 'Analis Perizinan'")
                    .await
            ),
            Some(json!([{"code": "T.AK", "level": 2}])),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "unknown_competency");
    // Learners and unit admins do not keep the dictionary.
    for who in ["learner1", "unitadmin"] {
        let (status, _) = app.page(&app.login(who).await, "/admin/competencies").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
}

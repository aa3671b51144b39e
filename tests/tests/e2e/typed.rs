//! The API read through the server's own response types, snapshots of its bodies, and the
//! same refusal from the API and the pages.

use insta::assert_json_snapshot;
use mahir::{
    courses::{api_learning::MyCourseList, json::CourseJson, json::CourseList},
    error::Code,
    org::api::{EmployeeList, UnitList},
    quizzes::api::QuestionList,
    web::{errors::message, i18n::Lang},
};
use mahir_tests::{TestApp, alert};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The body with ids and times (which change every run) replaced, so a snapshot shows only
/// the shape and the values that mean something.
fn stable(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(_) if k == "id" || k.ends_with("_id") => json!("[id]"),
                        Value::String(_) if k.ends_with("_at") => json!("[time]"),
                        _ => stable(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(stable).collect()),
        other => other.clone(),
    }
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        assert_json_snapshot!($name, stable($value))
    };
}

#[tokio::test]
async fn the_api_reads_into_the_servers_own_types() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let learner = app.token("learner2").await;

    let catalogue: CourseList = app.get(&learner, "/api/v1/courses").await;
    assert!(catalogue.total >= 1);
    assert!(
        catalogue.items.iter().all(|c| c.status == "published"),
        "learners see published courses only"
    );
    let first = &catalogue.items[0];
    let course: CourseJson = app
        .get(&learner, &format!("/api/v1/courses/{}", first.id))
        .await;
    assert_eq!(course.course.code, first.code);
    assert!(!course.modules.is_empty(), "a demo course has modules");

    let units: UnitList = app.get(&admin, "/api/v1/units?per_page=200").await;
    assert_eq!(units.items.len() as u64, units.total.min(200));
    let employees: EmployeeList = app.get(&admin, "/api/v1/employees").await;
    assert!(employees.total >= 1 && employees.items.len() as u64 <= employees.total);
    let questions: QuestionList = app.get(&admin, "/api/v1/questions").await;
    assert!(questions.total >= 1);
    let mine: MyCourseList = app.get(&learner, "/api/v1/me/courses").await;
    assert!(mine.items.iter().all(|c| c.course.status != "draft"));

    // A refusal reads as a typed code, or the test does not compile.
    let refusal = app
        .refused(Method::GET, &learner, "/api/v1/employees", None)
        .await;
    assert_eq!(refusal.status, StatusCode::FORBIDDEN);
    assert_eq!(refusal.code, Code::Forbidden);
}

/// One representative body per resource and the error bodies, as clients see them.
#[tokio::test]
async fn response_bodies_keep_their_shape() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let learner = app.token("learner2").await;

    let (_, units) = app
        .api(Method::GET, &admin, "/api/v1/units?per_page=2", None)
        .await;
    snapshot!("unit_list", &units);
    let (_, employees) = app
        .api(Method::GET, &admin, "/api/v1/employees?per_page=1", None)
        .await;
    snapshot!("employee_list", &employees);
    let (_, courses) = app
        .api(Method::GET, &learner, "/api/v1/courses?q=keamanan", None)
        .await;
    snapshot!("course_list", &courses);
    let (_, questions) = app
        .api(Method::GET, &admin, "/api/v1/questions?per_page=1", None)
        .await;
    snapshot!("question_list_first", &questions);

    let (status, unauthenticated) = app
        .api(Method::GET, "nope", "/api/v1/me/courses", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    snapshot!("error_401", &unauthenticated);
    let (status, not_found) = app
        .api(
            Method::GET,
            &admin,
            "/api/v1/courses/00000000-0000-7000-8000-000000000000",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    snapshot!("error_404", &not_found);
    let unit = app.unit_id("DPMPTSP").await;
    let (status, invalid) = app
        .api(
            Method::POST,
            &admin,
            "/api/v1/employees",
            Some(json!({"nip": "123", "name": "Andi", "username": "andi", "unit_id": unit})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    snapshot!("error_422", &invalid);
    let (status, page) = app
        .api(Method::GET, &admin, "/api/v1/courses?per_page=201", None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    snapshot!("error_400", &page);
}

/// The API and the employee form refuse the same bad NIP with the same code, and the
/// page words it with that code's message.
#[tokio::test]
async fn api_and_page_refuse_a_bad_nip_alike() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let unit = app.unit_id("DPMPTSP").await;
    let before = app.count("SELECT COUNT(*) FROM employees").await;
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            "/api/v1/employees",
            Some(json!({"nip": "199913322020121001", "name": "Andi", "username": "andi", "unit_id": unit})),
        )
        .await;
    assert_eq!(refusal.code, Code::InvalidNip);
    assert_eq!(refusal.field.as_deref(), Some("nip"));

    let client = app.login("admin").await;
    let res = app
        .post_form(
            &client,
            "/admin/employees",
            &[
                ("nip", "199913322020121001"),
                ("name", "Andi"),
                ("username", "andi"),
                ("unit_id", &unit),
                ("position_id", ""),
                ("grade", ""),
                ("email", ""),
                ("nrk", ""),
                ("supervisor_nip", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.expect("page");
    assert_eq!(
        alert(&page).as_deref(),
        Some(message(Lang::Id, refusal.code, None).as_str())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM employees").await, before);
}

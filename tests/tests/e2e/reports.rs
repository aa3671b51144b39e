//! Unit reports: the dashboard's numbers equal those computed here independently from the
//! rows, on the demo organisation with assignments, completions and an overdue course;
//! a unit admin sees only their subtree; the pages draw their charts.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use mahir_tests::TestApp;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// Rows of `sql` as strings (UUIDs in their text form), for the independent count.
async fn rows(app: &TestApp, sql: &str) -> Vec<Vec<String>> {
    let backend = app.db.get_database_backend();
    let found = app
        .db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("query");
    found
        .iter()
        .map(|r| {
            (0..)
                .map_while(|i| {
                    if let Ok(v) = r.try_get_by_index::<Option<uuid::Uuid>>(i) {
                        return Some(v.map(|u| u.to_string()).unwrap_or_default());
                    }
                    if let Ok(v) = r.try_get_by_index::<Option<String>>(i) {
                        return Some(v.unwrap_or_default());
                    }
                    if let Ok(v) = r.try_get_by_index::<Option<i64>>(i) {
                        return Some(v.map(|n| n.to_string()).unwrap_or_default());
                    }
                    if let Ok(v) = r.try_get_by_index::<Option<chrono::NaiveDate>>(i) {
                        return Some(v.map(|d| d.to_string()).unwrap_or_default());
                    }
                    None
                })
                .collect()
        })
        .collect()
}

/// The numbers of the subtree at `path`, counted here from the rows: active employees,
/// their JP this year, and the (employee, course) pairs assignments reach (due this year).
struct Expected {
    headcount: u64,
    at_target: u64,
    assigned: u64,
    completed: u64,
    overdue: u64,
}

async fn expected(app: &TestApp, unit_code: &str, year: i32, today: chrono::NaiveDate) -> Expected {
    let path = app
        .text_of(&format!(
            "SELECT path FROM units WHERE code = '{unit_code}'"
        ))
        .await;
    // Employees: user, unit path, position.
    let people = rows(
        app,
        "SELECT e.user_id, u.path, e.position_id FROM employees e \
         JOIN units u ON u.id = e.unit_id JOIN users s ON s.id = e.user_id WHERE s.active",
    )
    .await;
    let inside: Vec<&Vec<String>> = people.iter().filter(|p| p[1].starts_with(&path)).collect();
    let jp: HashMap<String, i64> = rows(
        app,
        &format!(
            "SELECT user_id, SUM(jp) FROM completion_records WHERE year = {year} GROUP BY user_id"
        ),
    )
    .await
    .into_iter()
    .map(|r| (r[0].clone(), r[1].parse().unwrap_or(0)))
    .collect();
    let at_target = inside
        .iter()
        .filter(|p| jp.get(&p[0]).copied().unwrap_or(0) >= 20)
        .count() as u64;
    let assignments = rows(
        app,
        "SELECT a.course_id, a.user_id, u.path, a.position_id, a.due_on FROM assignments a \
         LEFT JOIN units u ON u.id = a.unit_id",
    )
    .await;
    let mut pairs: HashMap<(String, String), Option<chrono::NaiveDate>> = HashMap::new();
    for a in &assignments {
        let due: Option<chrono::NaiveDate> = a[4].parse().ok();
        // The test's assignments all have due dates; the demo's too (else: made this year).
        if let Some(d) = due
            && chrono::Datelike::year(&d) != year
        {
            continue;
        }
        for p in &inside {
            let reaches = (!a[1].is_empty() && a[1] == p[0])
                || (!a[2].is_empty() && p[1].starts_with(&a[2]))
                || (!a[3].is_empty() && a[3] == p[2]);
            if reaches {
                let slot = pairs.entry((p[0].clone(), a[0].clone())).or_insert(due);
                *slot = match (*slot, due) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
            }
        }
    }
    let done: HashSet<(String, String)> = rows(
        app,
        "SELECT user_id, course_id FROM enrolments WHERE completed_at IS NOT NULL",
    )
    .await
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    let completed = pairs.keys().filter(|k| done.contains(*k)).count() as u64;
    let overdue = pairs
        .iter()
        .filter(|(k, d)| !done.contains(*k) && d.is_some_and(|d| d < today))
        .count() as u64;
    Expected {
        headcount: inside.len() as u64,
        at_target,
        assigned: pairs.len() as u64,
        completed,
        overdue,
    }
}

fn rate(part: u64, whole: u64) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        json!(part as f64 / whole as f64)
    }
}

#[tokio::test]
async fn dashboard_numbers_equal_an_independent_count_and_stay_in_scope() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let courses = rows(
        &app,
        "SELECT id FROM courses WHERE status = 'published' ORDER BY code",
    )
    .await;
    assert!(courses.len() >= 2);
    let soon = (app.state.clock().today_wib() + chrono::Days::new(1)).to_string();
    let later = (app.state.clock().today_wib() + chrono::Days::new(20)).to_string();
    let stat = app.unit_id("DISKOMINFOTIK-STAT").await;
    let diskominfotik = app.unit_id("DISKOMINFOTIK").await;
    for (course, unit, due) in [
        (&courses[0][0], &stat, &soon),
        (&courses[1][0], &diskominfotik, &later),
    ] {
        let (status, body) = app
            .api(
                Method::POST,
                &admin,
                &format!("/api/v1/courses/{course}/assignments"),
                Some(json!({ "unit_id": unit, "due_on": due })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // The pages (before the clock moves on: sessions follow the clock), computed live
    // before the first snapshot.
    let unit = app.unit_id("DISKOMINFOTIK").await;
    let top = app.unit_id("BPSDM").await;
    let client = app.login("unitadmin").await;
    let res = client
        .get(app.url("/reports"))
        .send()
        .await
        .expect("reports");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, page) = app.page(&client, &format!("/reports/units/{unit}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<svg class=\"chart\""), "charts drawn");
    assert!(page.contains("role=\"img\""));
    assert!(
        page.contains("<title id=\"bands-t\">"),
        "with a text alternative"
    );
    assert!(
        page.contains("class=\"heatmap\"")
            || page.contains("reports.no_requirements")
            || page.contains("Belum ada jabatan")
    );
    let (status, _) = app.page(&client, &format!("/reports/units/{top}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = app
        .page(
            &client,
            &format!("/reports/units/{unit}/employees?sort=-overdue&filter=overdue"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/profile\""), "names lead to profiles");
    // Two days on: the first assignment is overdue for whoever has not completed it.
    app.state.clock().advance(Duration::from_secs(2 * 86_400));
    let now = app.state.clock().now();
    let today = app.state.clock().today_wib();
    let year = mahir::time::year_wib(now);
    mahir::reports::snapshot::refresh(app.state.db(), now, 20)
        .await
        .expect("snapshot");

    for code in ["BPSDM", "DISKOMINFOTIK", "DISKOMINFOTIK-STAT"] {
        let unit = app.unit_id(code).await;
        let s: Value = app
            .get(&admin, &format!("/api/v1/reports/units/{unit}/summary"))
            .await;
        let e = expected(&app, code, year, today).await;
        assert_eq!(s["headcount"], json!(e.headcount), "{code} headcount: {s}");
        assert_eq!(s["assigned"], json!(e.assigned), "{code} assigned");
        assert_eq!(s["completed"], json!(e.completed), "{code} completed");
        assert_eq!(s["overdue"], json!(e.overdue), "{code} overdue");
        assert_eq!(
            s["completion_rate"],
            rate(e.completed, e.assigned),
            "{code}"
        );
        assert_eq!(
            s["jp_compliance_rate"],
            rate(e.at_target, e.headcount),
            "{code}"
        );
        let bands: u64 = s["jp_bands"]
            .as_array()
            .expect("bands")
            .iter()
            .map(|b| b["count"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(bands, e.headcount, "every employee in one band");
        assert_eq!(s["year"], json!(year));
        assert!(s["computed_at"].is_string());
    }
    let stat_e = expected(&app, "DISKOMINFOTIK-STAT", year, today).await;
    assert!(stat_e.overdue >= 1, "the fixture has an overdue course");

    // Another year is computed when asked, the same way.
    let unit = app.unit_id("DISKOMINFOTIK").await;
    let past: Value = app
        .get(
            &admin,
            &format!("/api/v1/reports/units/{unit}/summary?year={}", year - 1),
        )
        .await;
    let e = expected(&app, "DISKOMINFOTIK", year - 1, today).await;
    assert_eq!(past["assigned"], json!(e.assigned));
    assert_eq!(past["headcount"], json!(e.headcount));

    // The employee list: everyone, filtered and sorted by the database.
    let list: Value = app
        .get(
            &admin,
            &format!("/api/v1/reports/units/{unit}/employees?sort=-jp"),
        )
        .await;
    let d = expected(&app, "DISKOMINFOTIK", year, today).await;
    assert_eq!(list["total"], json!(d.headcount));
    let jps: Vec<i64> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["jp"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        jps.windows(2).all(|w| w[0] >= w[1]),
        "most JP first: {jps:?}"
    );
    let below: Value = app
        .get(
            &admin,
            &format!("/api/v1/reports/units/{unit}/employees?filter=below_target"),
        )
        .await;
    assert_eq!(below["total"], json!(d.headcount - d.at_target));
    let refusal = app
        .refused(
            Method::GET,
            &admin,
            &format!("/api/v1/reports/units/{unit}/employees?sort=salary"),
            None,
        )
        .await;
    assert_eq!(refusal.code.as_str(), "invalid_sort");

    // Gaps: each requirement of each employee below is counted once in the unit's cells.
    let gaps: Value = app
        .get(&admin, &format!("/api/v1/reports/units/{unit}/gaps"))
        .await;
    let required: u64 = gaps["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["unit_id"] == json!(unit))
        .map(|c| c["required"].as_u64().unwrap_or(0))
        .sum();
    let path = app
        .text_of("SELECT path FROM units WHERE code = 'DISKOMINFOTIK'")
        .await;
    let independent = app
        .count(&format!(
            "SELECT COUNT(*) FROM employees e JOIN users s ON s.id = e.user_id \
             JOIN units u ON u.id = e.unit_id \
             JOIN position_requirements r ON r.position_id = e.position_id \
             WHERE s.active AND u.path LIKE '{path}%'"
        ))
        .await;
    assert_eq!(required as i64, independent);

    // A unit admin: their subtree only, in the API and the pages.
    let unit_admin = app.token("unitadmin").await;
    let top = app.unit_id("BPSDM").await;
    for path in [
        format!("/api/v1/reports/units/{top}/summary"),
        format!("/api/v1/reports/units/{top}/employees"),
        format!("/api/v1/reports/units/{top}/gaps"),
    ] {
        let (status, _) = app.api(Method::GET, &unit_admin, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let own: Value = app
        .get(
            &unit_admin,
            &format!("/api/v1/reports/units/{unit}/summary"),
        )
        .await;
    assert_eq!(own["headcount"], json!(d.headcount));
    let learner = app.token("learner1").await;
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/reports/units/{unit}/summary"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_snapshot_is_a_scheduled_job_and_says_when_it_was_computed() {
    let app = TestApp::spawn_with(mahir_tests::Options {
        schedule: true,
        ..mahir_tests::Options::default()
    })
    .await;
    assert!(
        mahir_tests::until(Duration::from_secs(30), async || {
            app.count(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'report_snapshot' AND status = 'done'",
            )
            .await
                >= 1
        })
        .await,
        "the snapshot job ran"
    );
    let admin = app.token("admin").await;
    // The nil id is the whole organisation (admins).
    let s: Value = app
        .get(
            &admin,
            "/api/v1/reports/units/00000000-0000-0000-0000-000000000000/summary",
        )
        .await;
    let roots = app
        .count("SELECT COUNT(*) FROM units WHERE parent_id IS NULL")
        .await;
    assert_eq!(
        s["children"].as_array().map(|c| c.len() as i64),
        Some(roots),
        "the top units: {s}"
    );
    let at: chrono::DateTime<chrono::Utc> = s["computed_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("computed_at");
    assert!(app.state.clock().now() - at < chrono::Duration::seconds(70));
    assert_eq!(
        s["headcount"],
        json!(
            app.count(
                "SELECT COUNT(*) FROM employees e JOIN users u ON u.id = e.user_id WHERE u.active"
            )
            .await
        )
    );
}

#[derive(Debug, serde::Deserialize)]
struct ExportJob {
    job_id: String,
}

/// Waits for a job to finish; its JSON.
async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    let mut last = Value::Null;
    let done = mahir_tests::until(Duration::from_secs(30), async || {
        last = app.get(token, &format!("/api/v1/jobs/{id}")).await;
        last["status"] == "done" || last["status"] == "failed"
    })
    .await;
    assert!(done, "the job finishes: {last}");
    last
}

#[tokio::test]
async fn exports_run_as_jobs_stay_in_scope_and_expire() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let unit = app.unit_id("DISKOMINFOTIK").await;
    let (status, job): (StatusCode, Value) = app
        .api(
            Method::POST,
            &admin,
            "/api/v1/exports",
            Some(json!({"kind": "employees", "unit_id": unit, "format": "csv"})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let job: ExportJob = serde_json::from_value(job).expect("job id");
    let done = finished(&app, &admin, &job.job_id).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["progress"], 100);
    let url = done["download_url"]
        .as_str()
        .expect("a download link")
        .to_owned();
    let res = reqwest::Client::new()
        .get(app.url(&url))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("attachment") && v.contains(".csv"))
    );
    let text = res.text().await.expect("body");
    let path = app
        .text_of("SELECT path FROM units WHERE code = 'DISKOMINFOTIK'")
        .await;
    let people = app
        .count(&format!(
            "SELECT COUNT(*) FROM employees e JOIN users s ON s.id = e.user_id \
             JOIN units u ON u.id = e.unit_id WHERE s.active AND u.path LIKE '{path}%'"
        ))
        .await;
    assert_eq!(
        text.lines().count() as i64,
        people + 1,
        "a header and a row each: {text}"
    );
    assert!(text.starts_with("NIP,Nama,"), "{text}");

    // Every kind, as XLSX.
    for kind in [
        "employees",
        "jp_compliance",
        "completions",
        "gaps",
        "overdue",
    ] {
        let (status, job): (StatusCode, Value) = app
            .api(
                Method::POST,
                &admin,
                "/api/v1/exports",
                Some(json!({"kind": kind, "unit_id": unit, "format": "xlsx"})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let id = job["job_id"].as_str().expect("id").to_owned();
        let done = finished(&app, &admin, &id).await;
        assert_eq!(done["status"], "done", "{kind}: {done}");
        let bytes = reqwest::Client::new()
            .get(app.url(done["download_url"].as_str().expect("url")))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("download")
            .bytes()
            .await
            .expect("bytes");
        assert_eq!(&bytes[..2], b"PK", "{kind} is an XLSX file");
    }

    // From the dashboard's form: the job's page, then its file.
    let client = app.login("unitadmin").await;
    let res = app
        .post_form(
            &client,
            &format!("/reports/units/{unit}/exports"),
            &[("kind", "jp_compliance"), ("format", "csv")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let job_page = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("to the job's page")
        .to_owned();
    let page_job = job_page.trim_start_matches("/jobs/").to_owned();
    let unit_admin = app.token("unitadmin").await;
    finished(&app, &unit_admin, &page_job).await;
    let (status, page) = app.page(&client, &job_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("/jobs/{page_job}/download")),
        "{page}"
    );
    let res = client
        .get(app.url(&format!("/jobs/{page_job}/download")))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("csv");
    assert!(
        text.starts_with("NIP,Nama,Unit kerja,Jabatan,JP,Target JP"),
        "{text}"
    );

    // Refusals and scope.
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            "/api/v1/exports",
            Some(json!({"kind": "salaries", "unit_id": unit, "format": "csv"})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "invalid_export_kind");
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            "/api/v1/exports",
            Some(json!({"kind": "gaps", "unit_id": unit, "format": "pdf"})),
        )
        .await;
    assert_eq!(refusal.code.as_str(), "invalid_export_format");
    let other = app.unit_id("DINKES").await;
    let (status, _) = app
        .api(
            Method::POST,
            &unit_admin,
            "/api/v1/exports",
            Some(json!({"kind": "employees", "unit_id": other, "format": "csv"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "outside the subtree");
    let (status, _) = app
        .api(
            Method::GET,
            &unit_admin,
            &format!("/api/v1/jobs/{}", job.job_id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's job");
    let (status, _) = app.api(Method::GET, &unit_admin, &url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's file");

    // A day later the link is gone, and maintenance removes the file.
    let objects = mahir_tests::count_files(&app.data_dir.join("objects"));
    app.state.clock().advance(Duration::from_secs(25 * 3600));
    let (status, _) = app.api(Method::GET, &admin, &url, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let j: Value = app
        .get(&admin, &format!("/api/v1/jobs/{}", job.job_id))
        .await;
    assert!(j["download_url"].is_null());
    let removed = mahir::reports::exports::remove_expired(&app.state, app.state.clock().now())
        .await
        .expect("removes");
    assert_eq!(removed, 7);
    assert_eq!(
        mahir_tests::count_files(&app.data_dir.join("objects")),
        objects - 7
    );
}

#[tokio::test]
async fn a_course_report_counts_its_learners_within_the_viewers_scope() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    // The demo course with the most quizzes.
    const COURSE: &str = "(SELECT course_id FROM quizzes GROUP BY course_id ORDER BY COUNT(*) DESC, course_id LIMIT 1)";
    let course = app.id_of(&format!("SELECT {COURSE}")).await;
    let r: Value = app
        .get(&admin, &format!("/api/v1/reports/courses/{course}"))
        .await;
    let enrolled = app
        .count(&format!(
            "SELECT COUNT(*) FROM enrolments WHERE course_id = {COURSE}"
        ))
        .await;
    assert_eq!(r["enrolments"], json!(enrolled), "{r}");
    let completed = app
        .count(&format!(
            "SELECT COUNT(*) FROM enrolments WHERE course_id = {COURSE} AND completed_at IS NOT NULL"
        ))
        .await;
    assert_eq!(r["completed"], json!(completed));
    let progress: i64 = r["progress"]
        .as_array()
        .expect("bands")
        .iter()
        .map(|n| n.as_i64().unwrap_or(0))
        .sum();
    assert_eq!(progress, enrolled, "every learner in one band");
    let quizzes = app
        .count(&format!(
            "SELECT COUNT(*) FROM quizzes WHERE course_id = {COURSE}"
        ))
        .await;
    assert_eq!(
        r["quizzes"].as_array().map(|q| q.len() as i64),
        Some(quizzes)
    );
    for q in r["quizzes"].as_array().expect("quizzes") {
        let id = q["quiz_id"].as_str().expect("id");
        let finished = app
            .count(&format!(
                "SELECT COUNT(*) FROM attempts WHERE state = 'finished' AND quiz_id = \
                 (SELECT id FROM quizzes WHERE course_id = {COURSE} AND title = '{}')",
                q["title"].as_str().expect("title").replace('\'', "''")
            ))
            .await;
        assert_eq!(q["attempts"], json!(finished), "{id}");
    }

    // A unit admin: the learners of their subtree only.
    let unit_admin = app.token("unitadmin").await;
    let mine: Value = app
        .get(&unit_admin, &format!("/api/v1/reports/courses/{course}"))
        .await;
    let path = app
        .text_of("SELECT path FROM units WHERE code = 'DISKOMINFOTIK'")
        .await;
    let theirs = app
        .count(&format!(
            "SELECT COUNT(*) FROM enrolments n JOIN employees e ON e.user_id = n.user_id \
             JOIN units u ON u.id = e.unit_id WHERE n.course_id = {COURSE} AND u.path LIKE '{path}%'"
        ))
        .await;
    assert_eq!(mine["enrolments"], json!(theirs));
    // A learner may not; the page shows the same numbers.
    let learner = app.token("learner1").await;
    let (status, _) = app
        .api(
            Method::GET,
            &learner,
            &format!("/api/v1/reports/courses/{course}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let client = app.login("instructor").await;
    let (status, page) = app
        .page(&client, &format!("/reports/courses/{course}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<title id=\"progress-t\">"));
}

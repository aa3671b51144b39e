//! Every page kind of every role in Chromium at 390 px and 1280 px: nothing scrolls
//! sideways, and the logged-in header stays short on a phone. With
//! `MAHIR_SCREENSHOTS=<dir>` each page is also saved there as `<role>-<page>-<width>.png`
//! (the whole page), for people to look at.

use std::time::Duration;

use fantoccini::Client;
use mahir_tests::TestApp;

use super::{browser, log_in};

/// The widths every page is measured at: a common phone and a laptop.
const WIDTHS: [u32; 2] = [390, 1280];
/// The tallest the logged-in header may be on a phone.
const HEADER_MAX_PX: f64 = 100.0;

/// What the page measures in the browser.
#[derive(Debug, serde::Deserialize)]
struct Measure {
    scroll_width: f64,
    inner_width: f64,
    header: f64,
    error_page: bool,
    /// The first elements reaching past the right edge, to say what to fix.
    overflowing: Vec<String>,
}

const MEASURE: &str = r#"
const w = window.innerWidth;
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right > w + 0.5 && out.length < 5) {
    let scrolls = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX;
      if (s === 'auto' || s === 'scroll' || s === 'hidden') { scrolls = true; break; }
    }
    if (!scrolls) out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + Math.round(r.right));
  }
}
const h = document.querySelector('.topbar');
return {
  scroll_width: document.documentElement.scrollWidth,
  inner_width: w,
  header: h ? h.getBoundingClientRect().height : 0,
  error_page: !!document.querySelector('.error-page'),
  overflowing: out,
};
"#;

async fn measure(c: &Client) -> Measure {
    let value = c.execute(MEASURE, vec![]).await.expect("measure");
    serde_json::from_value(value).expect("measure's shape")
}

/// Waits until the browser is on `path` (after a login's redirect).
async fn wait_path(c: &Client, path: &str) {
    for _ in 0..100 {
        if c.current_url().await.is_ok_and(|u| u.path() == path) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never reached {path}");
}

/// Visits `path` at every width; checks the page and saves its screenshots when asked.
async fn check(
    c: &Client,
    app: &TestApp,
    role: &str,
    name: &str,
    path: &str,
    failures: &mut Vec<String>,
) {
    let shots = std::env::var_os("MAHIR_SCREENSHOTS").map(std::path::PathBuf::from);
    for width in WIDTHS {
        c.set_window_size(width, 900).await.expect("resize");
        c.goto(&app.url(path)).await.expect("open");
        let m = measure(c).await;
        assert!(
            (m.inner_width - f64::from(width)).abs() < 20.0,
            "the window is {} px wide, not {width}",
            m.inner_width
        );
        if m.scroll_width > m.inner_width {
            failures.push(format!(
                "{role} {name} ({path}) at {width}: {} px wide > {} ({:?})",
                m.scroll_width, m.inner_width, m.overflowing
            ));
        }
        if width == 390 && role != "visitor" && m.header > HEADER_MAX_PX {
            failures.push(format!("{role} {name} at 390: header {} px tall", m.header));
        }
        if m.error_page && !name.starts_with("error") {
            failures.push(format!("{role} {name} ({path}) is an error page"));
        }
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).expect("screenshot folder");
            let height: f64 = c
                .execute("return document.documentElement.scrollHeight", vec![])
                .await
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(900.0);
            // Whole page up to a limit, so long pages stay readable files.
            let tall = height.clamp(900.0, 6000.0) as u32;
            c.set_window_size(width, tall).await.expect("resize");
            let png = c.screenshot().await.expect("screenshot");
            std::fs::write(dir.join(format!("{role}-{name}-{width}.png")), png)
                .expect("write screenshot");
        }
    }
}

/// A link's target on the current page, found by CSS.
async fn href(c: &Client, css: &str) -> String {
    let script = format!(
        "const a = document.querySelector({css:?}); return a ? a.getAttribute('href') : null;"
    );
    c.execute(&script, vec![])
        .await
        .expect("find link")
        .as_str()
        .unwrap_or_else(|| panic!("no link {css}"))
        .to_owned()
}

async fn id(app: &TestApp, sql: &str) -> String {
    app.id_of(sql).await
}

#[tokio::test]
async fn every_page_fits_a_phone_in_every_role() {
    let app = TestApp::spawn().await;
    let d = browser().await;
    let c = &d.client;
    let mut failures = Vec::new();

    let course = id(&app, "SELECT id FROM courses WHERE code = 'KI-ASN'").await;
    let data_course = id(&app, "SELECT id FROM courses WHERE code = 'DADS'").await;
    let code_lesson = id(
        &app,
        "SELECT id FROM lessons WHERE body_md LIKE '%SUMIFS(%'",
    )
    .await;
    let table_lesson = id(
        &app,
        "SELECT id FROM lessons WHERE body_md LIKE '%| Kebiasaan |%'",
    )
    .await;
    let quiz_lesson = id(
        &app,
        "SELECT q.lesson_id FROM quizzes q JOIN courses c ON c.id = q.course_id \
         WHERE c.code = 'DADS'",
    )
    .await;
    let quiz = id(
        &app,
        "SELECT q.id FROM quizzes q JOIN courses c ON c.id = q.course_id \
         WHERE c.code = 'DADS'",
    )
    .await;
    let waiting = id(
        &app,
        "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE u.username = 'learner1' AND a.needs_grading",
    )
    .await;
    let in_progress = id(
        &app,
        "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE u.username = 'learner2' AND a.state = 'in_progress'",
    )
    .await;
    let question = id(
        &app,
        "SELECT q.id FROM questions q JOIN courses c ON c.id = q.course_id \
         WHERE c.code = 'DADS' AND q.kind = 'essay'",
    )
    .await;
    let lesson_editor = format!("/teach/lessons/{code_lesson}");
    let budi = id(
        &app,
        "SELECT e.id FROM employees e JOIN users u ON u.id = e.user_id WHERE u.username = 'learner1'",
    )
    .await;
    let dewi = id(
        &app,
        "SELECT e.id FROM employees e JOIN users u ON u.id = e.user_id WHERE u.username = 'learner2'",
    )
    .await;

    // A visitor.
    check(c, &app, "visitor", "login", "/login", &mut failures).await;
    check(
        c,
        &app,
        "visitor",
        "error-404",
        "/no/such/page",
        &mut failures,
    )
    .await;

    // A learner with notifications (one read, one not); another learner's attempt under way.
    let learner1: uuid::Uuid = app
        .id_of("SELECT id FROM users WHERE username = 'learner1'")
        .await
        .parse()
        .expect("uuid");
    let now = app.state.clock().now();
    mahir::db::in_write(app.state.db(), async |txn| {
        use mahir::notify::notices::{Notice, NoticeKind, give};
        give(
            txn,
            now,
            vec![
                Notice::new(learner1, NoticeKind::DueSoon, "layout:due")
                    .with(
                        "course",
                        "Penyusunan Anggaran Berbasis Kinerja untuk Perangkat Daerah",
                    )
                    .with("due_on", "2026-12-15")
                    .link("/courses"),
                Notice::new(learner1, NoticeKind::JpShortfall, "layout:jp")
                    .with("jp", 8)
                    .with("target", 20)
                    .with("missing", 12)
                    .with("year", 2026),
            ],
        )
        .await
    })
    .await
    .expect("notices");
    log_in(c, &app, "learner1").await;
    wait_path(c, "/").await;
    for (name, path) in [
        ("home", "/".to_owned()),
        ("catalogue", "/courses".to_owned()),
        ("course", format!("/courses/{course}")),
        ("lesson-code", format!("/lessons/{code_lesson}")),
        ("lesson-table", format!("/lessons/{table_lesson}")),
        ("lesson-quiz", format!("/lessons/{quiz_lesson}")),
        ("review-waiting", format!("/attempts/{waiting}")),
        ("account", "/account".to_owned()),
        ("profile", "/profile".to_owned()),
        ("external", "/profile/external".to_owned()),
        ("search", "/search?q=keamanan+informasi".to_owned()),
        ("search-empty", "/search".to_owned()),
        ("notifications", "/notifications".to_owned()),
        ("error-404", format!("/attempts/{in_progress}")),
    ] {
        check(c, &app, "learner", name, &path, &mut failures).await;
    }
    c.delete_all_cookies().await.expect("log out");
    log_in(c, &app, "learner2").await;
    wait_path(c, "/").await;
    check(
        c,
        &app,
        "learner",
        "attempt",
        &format!("/attempts/{in_progress}"),
        &mut failures,
    )
    .await;
    check(
        c,
        &app,
        "learner",
        "attempt-check",
        &format!("/attempts/{in_progress}?review=1"),
        &mut failures,
    )
    .await;

    // A supervisor (the mentor) on a report's profile, with the assessment form.
    c.delete_all_cookies().await.expect("log out");
    log_in(c, &app, "mentor").await;
    wait_path(c, "/").await;
    check(
        c,
        &app,
        "mentor",
        "report-profile",
        &format!("/employees/{dewi}/profile"),
        &mut failures,
    )
    .await;

    // An instructor.
    c.delete_all_cookies().await.expect("log out");
    log_in(c, &app, "instructor").await;
    wait_path(c, "/").await;
    for (name, path) in [
        ("home", "/".to_owned()),
        ("teach", "/teach".to_owned()),
        ("course-new", "/teach/new".to_owned()),
        ("outline", format!("/teach/courses/{data_course}")),
        ("course-edit", format!("/teach/courses/{data_course}/edit")),
        ("lesson-editor", lesson_editor.clone()),
        (
            "questions",
            format!("/teach/courses/{data_course}/questions"),
        ),
        ("question", format!("/teach/questions/{question}")),
        (
            "question-new-choice",
            format!("/teach/courses/{data_course}/questions/new?kind=single_choice"),
        ),
        (
            "question-new-numerical",
            format!("/teach/courses/{data_course}/questions/new?kind=numerical"),
        ),
        ("bank", "/teach/bank".to_owned()),
        ("quiz-results", format!("/teach/quizzes/{quiz}")),
        ("quiz-edit", format!("/teach/quizzes/{quiz}/edit")),
        ("grading", format!("/teach/courses/{data_course}/grading")),
    ] {
        check(c, &app, "instructor", name, &path, &mut failures).await;
    }

    // A unit admin and the admin.
    for role in ["unitadmin", "admin"] {
        c.delete_all_cookies().await.expect("log out");
        log_in(c, &app, role).await;
        wait_path(c, "/").await;
        check(c, &app, role, "home", "/", &mut failures).await;
        check(c, &app, role, "units", "/admin/units", &mut failures).await;
        let unit = href(c, "main a[href^='/admin/units/']:not([href$='/new'])").await;
        check(c, &app, role, "unit", &unit, &mut failures).await;
        check(
            c,
            &app,
            role,
            "unit-edit",
            &format!("{unit}/edit"),
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "employees",
            "/admin/employees",
            &mut failures,
        )
        .await;
        let employee = href(c, "main table a[href^='/admin/employees/']").await;
        check(c, &app, role, "employee", &employee, &mut failures).await;
        check(
            c,
            &app,
            role,
            "employee-edit",
            &format!("{employee}/edit"),
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "employee-new",
            "/admin/employees/new",
            &mut failures,
        )
        .await;
        check(c, &app, role, "import", "/admin/import", &mut failures).await;
        let report_unit = if role == "admin" {
            "00000000-0000-0000-0000-000000000000".to_owned()
        } else {
            app.unit_id("DISKOMINFOTIK").await
        };
        check(
            c,
            &app,
            role,
            "reports",
            &format!("/reports/units/{report_unit}"),
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "report-employees",
            &format!("/reports/units/{report_unit}/employees"),
            &mut failures,
        )
        .await;
        if role == "admin" {
            check(c, &app, role, "jobs", "/admin/jobs", &mut failures).await;
        }
        check(c, &app, role, "account", "/account", &mut failures).await;
        check(
            c,
            &app,
            role,
            "verification",
            "/admin/verification",
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "employee-profile",
            &format!("/employees/{budi}/profile"),
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "course",
            &format!("/courses/{course}"),
            &mut failures,
        )
        .await;
        check(
            c,
            &app,
            role,
            "assign",
            &format!("/courses/{course}/assignments?q=a"),
            &mut failures,
        )
        .await;
    }
    check(
        c,
        &app,
        "admin",
        "unit-new",
        "/admin/units/new",
        &mut failures,
    )
    .await;
    check(
        c,
        &app,
        "admin",
        "dictionary",
        "/admin/competencies",
        &mut failures,
    )
    .await;
    let competency = href(c, "main table a[href^='/admin/competencies/']").await;
    check(c, &app, "admin", "competency", &competency, &mut failures).await;
    check(
        c,
        &app,
        "admin",
        "competency-import",
        "/admin/competencies/import",
        &mut failures,
    )
    .await;
    let position = id(
        &app,
        "SELECT id FROM positions WHERE name = 'Analis Perizinan'",
    )
    .await;
    let requirements = format!("/admin/positions/{position}/requirements");
    check(
        c,
        &app,
        "admin",
        "position-requirements",
        &requirements,
        &mut failures,
    )
    .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

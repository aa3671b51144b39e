//! The job queue and notifications: events notify each person once (in the app and by
//! mail, through a real SMTP server), scheduled jobs run once per period across replicas,
//! a job whose worker died is claimed again and finishes once, an SMTP outage delays mail
//! and loses none, and admins see and steer the queue.

use std::time::Duration;

use mahir::jobs::{
    model::{JobKind, LEASE},
    queue::{self, NewJob},
};
use mahir_tests::{Options, SmtpSink, TestApp, until};
use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// The first published demo course (by code).
const FIRST_PUBLISHED: &str =
    "(SELECT id FROM courses WHERE status = 'published' ORDER BY code LIMIT 1)";

/// A published demo course's id.
async fn published_course(app: &TestApp) -> String {
    app.id_of(&format!("SELECT {FIRST_PUBLISHED}")).await
}

/// Assigns the course to a unit (by code) as the admin.
async fn assign_to_unit(app: &TestApp, course: &str, unit: &str) {
    let admin = app.token("admin").await;
    let unit = app.unit_id(unit).await;
    let (status, body) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/courses/{course}/assignments"),
            Some(json!({ "unit_id": unit })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Active employees with a mail address in the unit's subtree.
async fn reached(app: &TestApp, unit: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id \
         JOIN users s ON s.id = e.user_id \
         WHERE u.path LIKE (SELECT path FROM units WHERE code = '{unit}') || '%' \
         AND s.active AND s.email IS NOT NULL"
    ))
    .await
}

/// The `.eml` files in the app's outbox.
fn outbox(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(app.data_dir.join("outbox")) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "eml")
                && let Ok(text) = std::fs::read_to_string(e.path())
            {
                out.push(text);
            }
        }
    }
    out
}

#[derive(Debug, serde::Deserialize)]
struct NoticeList {
    items: Vec<Notice>,
    total: u64,
    unread: u64,
}

#[derive(Debug, serde::Deserialize)]
struct Notice {
    id: String,
    kind: String,
    title: String,
    created_at: String,
    read: bool,
}

#[derive(Debug, serde::Deserialize)]
struct Job {
    status: String,
    progress: i32,
    download_url: Option<String>,
    attempts: i32,
}

#[tokio::test]
async fn an_assignment_notifies_each_person_once_in_the_app_and_by_mail() {
    let app = TestApp::spawn().await;
    let course = published_course(&app).await;
    let title = app
        .text_of(&format!(
            "SELECT title FROM courses WHERE id = {FIRST_PUBLISHED}"
        ))
        .await;
    let people = reached(&app, "DISKOMINFOTIK-STAT").await;
    assert!(people >= 1);
    assign_to_unit(&app, &course, "DISKOMINFOTIK-STAT").await;

    let learner = app.token("learner2").await;
    let mut list: Option<NoticeList> = None;
    assert!(
        until(Duration::from_secs(20), async || {
            let l: NoticeList = app.get(&learner, "/api/v1/me/notifications").await;
            // Counted and listed (the count and the page are two reads).
            let found = l.total == 1 && l.items.iter().any(|n| n.kind == "course_assigned");
            list = Some(l);
            found
        })
        .await,
        "the assignment's notice arrives"
    );
    let list = list.expect("listed");
    assert_eq!(list.total, 1, "{list:?}");
    assert_eq!(list.unread, 1);
    let notice = &list.items[0];
    assert!(notice.title.contains(&title), "{notice:?}");
    assert!(!notice.read);
    assert!(!notice.created_at.is_empty());

    // The bell shows the count.
    let client = app.login("learner2").await;
    let (_, home) = app.page(&client, "/").await;
    assert!(home.contains("class=\"bell-count\""), "the bell counts");
    let (status, page) = app.page(&client, "/notifications").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/notifications/{}/read", notice.id)));

    // One mail per person reached, written to the outbox.
    assert!(
        until(Duration::from_secs(20), async || outbox(&app).len() as i64
            >= people)
        .await,
        "mails written"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = outbox(&app);
    assert_eq!(mails.len() as i64, people, "one mail per person");
    assert!(mails.iter().all(|m| m.contains("multipart/alternative")));
    assert!(
        mails
            .iter()
            .any(|m| m.contains("learner2@mahir.jakarta.go.id"))
    );

    // The same job run again (a retry after a crash) tells nobody twice.
    let ids: Vec<String> = vec![app.id_of(&format!(
        "SELECT id FROM assignments WHERE course_id = {FIRST_PUBLISHED} ORDER BY created_at DESC LIMIT 1"
    ))
    .await];
    let ids: Vec<uuid::Uuid> = ids.iter().filter_map(|s| s.parse().ok()).collect();
    let again =
        mahir::notify::reminders::assignment_notices(app.state.db(), app.state.clock().now(), &ids)
            .await
            .expect("runs");
    assert_eq!(again, 0);

    // Marking read.
    let (status, _) = app
        .api(
            Method::POST,
            &learner,
            &format!("/api/v1/me/notifications/{}/read", notice.id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let l: NoticeList = app.get(&learner, "/api/v1/me/notifications").await;
    assert_eq!(l.unread, 0);
    // Someone else's notification is not found.
    let other = app.token("learner1").await;
    let (status, _) = app
        .api(
            Method::POST,
            &other,
            &format!("/api/v1/me/notifications/{}/read", notice.id),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_kind_turned_off_is_not_mailed_but_still_shown() {
    let app = TestApp::spawn().await;
    let client = app.login("learner2").await;
    // Every box but "course assigned" ticked.
    let mut fields: Vec<(&str, &str)> = vec![];
    for kind in [
        "due_soon",
        "overdue",
        "essay_graded",
        "external_verified",
        "external_rejected",
        "jp_shortfall",
    ] {
        fields.push(("mail", kind));
    }
    let res = app
        .post_form(&client, "/notifications/settings", &fields)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&client, "/notifications").await;
    assert!(page.contains("value=\"course_assigned\">"), "unticked now");

    let course = published_course(&app).await;
    let people = reached(&app, "DISKOMINFOTIK-STAT").await;
    assign_to_unit(&app, &course, "DISKOMINFOTIK-STAT").await;
    assert!(
        until(Duration::from_secs(20), async || outbox(&app).len() as i64
            >= people - 1)
        .await
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = outbox(&app);
    assert_eq!(mails.len() as i64, people - 1);
    assert!(
        !mails
            .iter()
            .any(|m| m.contains("learner2@mahir.jakarta.go.id"))
    );
    let learner = app.token("learner2").await;
    let l: NoticeList = app.get(&learner, "/api/v1/me/notifications").await;
    assert_eq!(l.total, 1, "shown in the app all the same");
}

#[tokio::test]
async fn a_job_whose_worker_died_is_claimed_again_and_finishes_once() {
    let app = TestApp::spawn().await;
    let course = published_course(&app).await;
    assign_to_unit(&app, &course, "DISKOMINFOTIK-STAT").await;
    let assignment = app
        .id_of(&format!("SELECT id FROM assignments WHERE course_id = {FIRST_PUBLISHED} ORDER BY created_at DESC LIMIT 1"))
        .await;
    // The assignment's own notices first.
    assert!(
        until(Duration::from_secs(20), async || {
            app.count(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'assignment_notices' AND status = 'done'",
            )
            .await
                == 1
        })
        .await
    );
    app.db
        .execute_unprepared("DELETE FROM notifications")
        .await
        .expect("cleared");
    let now = app.state.clock().now();
    // The job is claimed by a worker that then dies after doing the work.
    let db = app.state.db();
    let job_id = mahir::db::in_write(db, async |txn| {
        queue::enqueue(
            txn,
            NewJob::new(
                JobKind::AssignmentNotices,
                json!({ "assignments": [assignment] }),
                now + chrono::Duration::hours(1),
            ),
        )
        .await
    })
    .await
    .expect("enqueued")
    .expect("new");
    let claimed = queue::claim(db, now + chrono::Duration::hours(1))
        .await
        .expect("claims")
        .expect("the job");
    assert_eq!(claimed.id, job_id);
    let ids = vec![assignment.parse().expect("uuid")];
    let first = mahir::notify::reminders::assignment_notices(db, now, &ids)
        .await
        .expect("the work");
    assert!(first >= 1);
    let notices = app.count("SELECT COUNT(*) FROM notifications").await;

    // Its lease lapses; this app's workers take it again and finish it.
    app.state
        .clock()
        .advance(Duration::from_secs(3600) + LEASE + Duration::from_secs(1));
    let admin = app.token("admin").await;
    let mut job: Option<Job> = None;
    assert!(
        until(Duration::from_secs(20), async || {
            let j: Job = app.get(&admin, &format!("/api/v1/jobs/{job_id}")).await;
            let done = j.status == "done";
            job = Some(j);
            done
        })
        .await,
        "the job is finished by another worker: {job:?}"
    );
    let job = job.expect("read");
    assert_eq!(job.attempts, 2);
    assert_eq!(job.progress, 100);
    assert!(job.download_url.is_none());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications").await,
        notices,
        "nobody told twice"
    );
    // The dead worker's lease can no longer finish it.
    let finished = queue::finish(db, job_id, claimed.lease.expect("lease"), now, None)
        .await
        .expect("runs");
    assert!(!finished);
}

#[tokio::test]
async fn scheduled_jobs_are_enqueued_once_per_period_across_replicas() {
    let app = TestApp::spawn_with(Options {
        schedule: true,
        ..Options::default()
    })
    .await;
    let other = app
        .replica_with(&Options {
            schedule: true,
            ..Options::default()
        })
        .await;
    let _ = &other;
    let key = "schedule:close_overdue_attempts:%";
    assert!(
        until(Duration::from_secs(20), async || {
            app.count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE once_key LIKE '{key}' AND status = 'done'"
            ))
            .await
                >= 1
        })
        .await,
        "the minute's sweep ran"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let per_period = app
        .count(&format!(
            "SELECT COUNT(*) FROM (SELECT once_key FROM jobs WHERE once_key LIKE '{key}' \
             GROUP BY once_key HAVING COUNT(*) > 1) AS d"
        ))
        .await;
    assert_eq!(per_period, 0, "never two jobs for one period");
    for kind in ["maintenance", "due_reminders", "jp_shortfall"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE kind = '{kind}' AND once_key LIKE 'schedule:%'"
            ))
            .await,
            1,
            "{kind}: one job for this period"
        );
    }
}

#[tokio::test]
async fn admins_cancel_and_retry_jobs_and_others_cannot_see_them() {
    let app = TestApp::spawn().await;
    let now = app.state.clock().now();
    let job_id = mahir::db::in_write(app.state.db(), async |txn| {
        queue::enqueue(
            txn,
            NewJob::new(
                JobKind::DueReminders,
                json!({}),
                now + chrono::Duration::days(1),
            ),
        )
        .await
    })
    .await
    .expect("enqueued")
    .expect("new");

    let client = app.login("admin").await;
    let (status, page) = app.page(&client, "/admin/jobs?status=queued").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/admin/jobs/{job_id}/cancel")));
    let res = app
        .post_form(
            &client,
            &format!("/admin/jobs/{job_id}/cancel"),
            &[("status", "queued")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let admin = app.token("admin").await;
    let job: Job = app.get(&admin, &format!("/api/v1/jobs/{job_id}")).await;
    assert_eq!(job.status, "cancelled");
    // Cancelled twice: refused.
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            &format!("/api/v1/jobs/{job_id}/cancel"),
            None,
        )
        .await;
    assert_eq!(refusal.status, StatusCode::CONFLICT);
    assert_eq!(refusal.code.as_str(), "job_finished");
    // Run again: it runs (now) and finishes.
    let (status, _) = app
        .api(
            Method::POST,
            &admin,
            &format!("/api/v1/jobs/{job_id}/retry"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        until(Duration::from_secs(20), async || {
            let j: Job = app.get(&admin, &format!("/api/v1/jobs/{job_id}")).await;
            j.status == "done"
        })
        .await
    );
    let refusal = app
        .refused(
            Method::POST,
            &admin,
            &format!("/api/v1/jobs/{job_id}/retry"),
            None,
        )
        .await;
    assert_eq!(refusal.code.as_str(), "job_not_retryable");

    // Not theirs: not found; the queue is the admins'.
    let unit_admin = app.token("unitadmin").await;
    let (status, _) = app
        .api(
            Method::GET,
            &unit_admin,
            &format!("/api/v1/jobs/{job_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(Method::GET, &unit_admin, "/api/v1/jobs", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let learner = app.login("learner1").await;
    let (status, _) = app.page(&learner, "/admin/jobs").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refusal = app
        .refused(Method::GET, &admin, "/api/v1/jobs?status=bogus", None)
        .await;
    assert_eq!(refusal.code.as_str(), "invalid_job_status");
}

#[tokio::test]
async fn two_replicas_mail_each_reminder_once_through_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let options = Options {
        smtp_url: Some(sink.url()),
        ..Options::default()
    };
    let app = TestApp::spawn_with(options.clone()).await;
    let _other = app.replica_with(&options).await;
    let course = published_course(&app).await;
    let people = reached(&app, "DISKOMINFOTIK").await;
    assert!(people >= 2);
    assign_to_unit(&app, &course, "DISKOMINFOTIK").await;
    assert!(
        until(Duration::from_secs(30), async || sink.messages().len()
            as i64
            >= people)
        .await,
        "mails arrive at the SMTP server"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = sink.messages();
    assert_eq!(
        mails.len() as i64,
        people,
        "each person's mail arrives once"
    );
    let mut to: Vec<String> = mails
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("To:")).map(str::to_owned))
        .collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len() as i64, people, "to different people");
    assert!(mails.iter().all(|m| m.contains("Message-ID: <")));
}

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_loses_none() {
    // Nothing listens on this port yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let app = TestApp::spawn_with(Options {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        ..Options::default()
    })
    .await;
    let course = published_course(&app).await;
    let people = reached(&app, "DISKOMINFOTIK-STAT").await;
    assign_to_unit(&app, &course, "DISKOMINFOTIK-STAT").await;
    assert!(
        until(Duration::from_secs(30), async || {
            app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND attempts >= 1 AND status = 'queued' AND last_error IS NOT NULL")
                .await
                >= people
        })
        .await,
        "every mail failed once and waits for its retry"
    );
    let sink = SmtpSink::start_on(port);
    // The retry's wait passes.
    app.state.clock().advance(Duration::from_secs(61));
    assert!(
        until(Duration::from_secs(30), async || sink.messages().len()
            as i64
            >= people)
        .await,
        "the mail is delivered after the outage"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND status <> 'done'")
            .await,
        0
    );
    assert_eq!(sink.messages().len() as i64, people);
}

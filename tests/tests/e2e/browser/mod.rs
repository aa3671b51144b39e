//! In a real Chromium over WebDriver (`chromedriver` from Debian's chromium-driver).

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

mod competency;
mod layout;
mod search;

use fantoccini::{Client, ClientBuilder, Locator};
use mahir_tests::{PASSWORD, TestApp};

pub(crate) struct Driver {
    child: Child,
    pub(crate) client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) async fn browser() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let mut child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (Debian: chromium-driver)");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=390,844", "--lang=id"],
            "prefs": {"intl.accept_languages": "id,en"}
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return Driver { child, client };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("chromedriver did not start");
}

pub(crate) async fn log_in(c: &Client, app: &TestApp, username: &str) {
    c.goto(&app.url("/login")).await.expect("open login");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("username"))
        .await
        .expect("username")
        .send_keys(username)
        .await
        .expect("type");
    c.find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    c.find(Locator::Css("form button[type=submit].primary"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
}

/// Logs out with the header's button and waits for the login page it leads to, so the
/// next navigation cannot race the logout.
async fn log_out(c: &Client) {
    click(c, ".account-menu summary").await;
    click(c, "form[action='/logout'] button").await;
    wait_text_is(c, "main h1", "Masuk ke Mahir").await;
}

async fn text_of(c: &Client, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no {css}");
}

#[tokio::test]
async fn a_learner_logs_in_switches_to_english_and_logs_out() {
    let app = TestApp::spawn().await;
    let d = browser().await;
    let c = &d.client;
    c.goto(&app.url("/")).await.expect("open");
    assert_eq!(text_of(c, "main h1").await, "Masuk ke Mahir");
    log_in(c, &app, "learner1").await;
    wait_text_is(c, "main h1", "Selamat datang, Budi Santoso").await;
    let html_lang = c
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("attr");
    assert_eq!(html_lang.as_deref(), Some("id"));
    click(c, ".account-menu summary").await;
    c.find(Locator::Id("lang-select"))
        .await
        .expect("switch")
        .select_by_value("en")
        .await
        .expect("select English");
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//h1[contains(., 'Welcome, Budi Santoso')]"))
        .await
        .expect("English home page");
    // Guests get their browser's language (Indonesian here); the choice stays on the account.
    log_out(c).await;
    let url = c.current_url().await.expect("url");
    assert_eq!(url.path(), "/login");
    d.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn an_admin_creates_a_unit() {
    let app = TestApp::spawn().await;
    let d = browser().await;
    let c = &d.client;
    log_in(c, &app, "admin").await;
    wait_text_is(c, "main h1", "Selamat datang, Admin Sistem Mahir").await;
    c.goto(&app.url("/admin/units")).await.expect("units");
    c.find(Locator::Css("a[href='/admin/units/new']"))
        .await
        .expect("new")
        .click()
        .await
        .expect("click");
    c.find(Locator::Id("code"))
        .await
        .expect("code")
        .send_keys("UPT-PUSDATIN")
        .await
        .expect("type");
    c.find(Locator::Id("name"))
        .await
        .expect("name")
        .send_keys("UPT Pusat Data dan Informasi")
        .await
        .expect("type");
    c.find(Locator::Id("kind"))
        .await
        .expect("kind")
        .select_by_value("upt")
        .await
        .expect("kind");
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("save")
        .click()
        .await
        .expect("click");
    wait_for_text(c, "UPT Pusat Data dan Informasi").await;
    c.goto(&app.url("/admin/units")).await.expect("units");
    let tree = text_of(c, "ul.tree").await;
    assert!(tree.contains("UPT Pusat Data dan Informasi"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM units WHERE code = 'UPT-PUSDATIN'")
            .await,
        1
    );
    d.client.clone().close().await.expect("close");
}

pub(crate) async fn click(c: &Client, css: &str) {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .expect("click");
}

pub(crate) async fn type_into(c: &Client, css: &str, text: &str) {
    let field = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

pub(crate) async fn wait_for_text(c: &Client, xpath_text: &str) {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(&format!(
            "//*[contains(text(), '{xpath_text}')]"
        )))
        .await
        .unwrap_or_else(|e| panic!("text {xpath_text:?} never appeared: {e}"));
}

/// Waits until the element at `css` reads `expected` (pages change under clicks).
pub(crate) async fn wait_text_is(c: &Client, css: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if text == expected {
                return;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} reads {last:?}, not {expected:?}");
}

/// Adds a lesson to the first module from the outline page and lands in its editor.
async fn add_lesson(c: &Client, title: &str, kind: &str) {
    // The form is behind the "Materi baru" button.
    click(c, "details.add-lesson-toggle > summary").await;
    type_into(c, "form.add-lesson input[name=title]", title).await;
    c.find(Locator::Css("form.add-lesson select[name=kind]"))
        .await
        .expect("kind")
        .select_by_value(kind)
        .await
        .expect("select kind");
    click(c, "form.add-lesson button[type=submit]").await;
    wait_for_text(c, "Judul materi").await;
}

/// Uploads a file in the lesson editor (the script sends it with a progress bar).
async fn upload_in_editor(c: &Client, path: &std::path::Path) {
    c.find(Locator::Id("file"))
        .await
        .expect("file input")
        .send_keys(&path.to_string_lossy())
        .await
        .expect("choose file");
    click(c, "form[data-upload] button[type=submit]").await;
    wait_for_text(c, "berkas materi ini").await;
}

/// A 40-second WebM test picture, generated with ffmpeg (Debian's ffmpeg package).
fn test_video(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("uji.webm");
    let status = Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=40:size=640x360:rate=25",
            "-c:v",
            "libvpx",
            "-b:v",
            "2M",
            "-g",
            "25",
        ])
        .arg(&path)
        .status()
        .expect("ffmpeg is installed (Debian: ffmpeg)");
    assert!(status.success(), "ffmpeg failed");
    path
}

/// Requests answered 206 on the material route, from the app's metrics.
async fn partial_responses(app: &TestApp) -> f64 {
    let text = reqwest::get(app.url("/metrics"))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| {
            l.starts_with("http_requests_total")
                && l.contains("route=\"/materials/{id}\"")
                && l.contains("status=\"206\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn an_instructor_publishes_a_course_and_a_learner_completes_it() {
    let app = TestApp::spawn().await;
    let files = tempfile::tempdir().expect("temp dir");
    let pdf = files.path().join("Panduan Literasi.pdf");
    std::fs::write(
        &pdf,
        mahir_content::pdf::simple_pdf("Panduan Literasi Digital", &["Isi panduan."]),
    )
    .expect("write pdf");
    let video = test_video(files.path());

    let d = browser().await;
    let c = &d.client;
    log_in(c, &app, "instructor").await;
    wait_text_is(c, "main h1", "Selamat datang, Dr. Hendra Gunawan").await;
    c.goto(&app.url("/teach/new")).await.expect("new course");
    type_into(c, "#title", "Literasi Digital ASN").await;
    type_into(c, "#code", "LIT-DIG").await;
    type_into(c, "#summary", "Bijak bermedia digital.").await;
    type_into(c, "#jp", "4").await;
    click(c, "main form button.primary").await;
    wait_for_text(c, "Tambah modul").await;
    let outline = c.current_url().await.expect("outline url");
    type_into(c, "#module-title", "Dasar literasi").await;
    click(c, "#module-title ~ button, form[action$='/modules'] button").await;

    add_lesson(c, "Bacaan pengantar", "text").await;
    type_into(c, "#body", "Materi **penting** tentang literasi digital.").await;
    click(c, "main form.stack button.primary").await;
    add_lesson(c, "Panduan PDF", "document").await;
    upload_in_editor(c, &pdf).await;
    c.goto(outline.as_str()).await.expect("outline");
    add_lesson(c, "Video pengantar", "video").await;
    // The video is optional, so reading the two required lessons completes the course.
    click(c, "input[name=required]").await;
    click(c, "main form.stack button.primary").await;
    // Saved: back on the outline, where the lesson is a link (the editor only names it).
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::LinkText("Video pengantar"))
        .await
        .expect("video lesson link")
        .click()
        .await
        .expect("click");
    upload_in_editor(c, &video).await;
    c.goto(outline.as_str()).await.expect("outline");
    click(c, "form[action$='/status'] button.primary").await;
    // The status tag reads "Terbit" once the outline has reloaded ("Terbitkan" is the button).
    wait_text_is(c, ".pagehead .tag", "Terbit").await;
    log_out(c).await;

    // learner2 enrols, reads the text and the PDF, and sees 100 %.
    log_in(c, &app, "learner2").await;
    wait_text_is(c, "main h1", "Selamat datang, Dewi Lestari").await;
    c.goto(&app.url("/courses?q=literasi"))
        .await
        .expect("catalogue");
    click(c, "a[href^='/courses/']:not([href='/courses'])").await;
    click(c, "form[action$='/enrol'] button").await;
    wait_text_is(c, "article h1", "Bacaan pengantar").await;
    wait_text_is(c, ".prose strong", "penting").await;
    click(c, "button[data-mark-done]").await;
    wait_text_is(c, "article p .done", "✓ Selesai").await;
    click(c, ".lesson-nav form button").await;
    wait_text_is(c, "article h1", "Panduan PDF").await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("iframe.doc"))
        .await
        .expect("the PDF is shown in the page");
    click(c, "button[data-mark-done]").await;
    wait_text_is(c, "article p .done", "✓ Selesai").await;
    click(c, ".crumbs a").await;
    wait_text_is(c, ".course-main p strong", "Kemajuan: 100%").await;

    // The video seeks: the browser asks for byte ranges and plays from the new position.
    let before = partial_responses(&app).await;
    c.find(Locator::LinkText("Video pengantar"))
        .await
        .expect("video link")
        .click()
        .await
        .expect("click");
    let seeked = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const v = document.querySelector('video');
             const seek = () => {
               v.addEventListener('seeked', () => {
                 const wait = () => v.readyState >= 2 ? done([v.currentTime, v.duration]) : setTimeout(wait, 100);
                 wait();
               }, { once: true });
               v.currentTime = 30;
             };
             if (v.readyState >= 1) seek(); else v.addEventListener('loadedmetadata', seek, { once: true });",
            vec![],
        )
        .await
        .expect("seek");
    let pos = seeked[0].as_f64().expect("position");
    let duration = seeked[1].as_f64().expect("duration");
    assert!((29.0..=31.0).contains(&pos), "seeked to {pos}");
    assert!((39.0..=41.0).contains(&duration), "duration {duration}");
    let after = partial_responses(&app).await;
    assert!(
        after > before,
        "the player used Range requests ({before} → {after})"
    );
    d.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_learner_sits_a_timed_quiz_that_autosaves_resumes_and_closes_on_time() {
    let app = TestApp::spawn().await;
    let (course, _, lesson) =
        super::quizzes::course_with_quiz(&app, serde_json::json!({"time_limit_seconds": 25})).await;
    let token = app.token("learner2").await;
    app.api(
        reqwest::Method::POST,
        &token,
        &format!("/api/v1/courses/{course}/enrol"),
        None,
    )
    .await;
    let answers_before = app.count("SELECT COUNT(*) FROM attempt_answers").await;
    let d = browser().await;
    let c = &d.client;
    log_in(c, &app, "learner2").await;
    c.goto(&app.url(&format!("/lessons/{lesson}")))
        .await
        .expect("lesson");
    click(c, "form[action$='/start'] button").await;
    let timer = text_of(c, "[data-timer-text]").await;
    assert!(timer.starts_with("0:2"), "timer from the server: {timer}");

    // Each answer is saved as it is given.
    click(c, "fieldset.question input[type=radio]").await;
    wait_text_is(c, "[data-save-state]", "Tersimpan").await;
    type_into(
        c,
        "fieldset[data-kind=short_answer] input[type=text]",
        "CSIRT",
    )
    .await;
    for _ in 0..50 {
        if app.count("SELECT COUNT(*) FROM attempt_answers").await == answers_before + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_answers").await,
        answers_before + 2
    );
    wait_text_is(c, "[data-answered]", "2").await;
    let marked = c
        .find_all(Locator::Css(".quiz-nav a.answered"))
        .await
        .expect("navigator");
    assert_eq!(marked.len(), 2, "the navigator follows the answers");

    // The browser "crashes" and comes back: the same attempt with its answers.
    let url = c.current_url().await.expect("url").to_string();
    c.goto(&app.url("/")).await.expect("away");
    c.goto(&url).await.expect("back");
    wait_text_is(c, "[data-answered]", "2").await;
    let checked = c
        .find_all(Locator::Css("fieldset.question input[type=radio]:checked"))
        .await
        .expect("checked");
    assert_eq!(checked.len(), 1);

    // Time runs out with the page open: the page reloads and the server has closed the
    // attempt with what was saved.
    c.wait()
        .at_most(Duration::from_secs(45))
        .for_element(Locator::XPath("//h2[contains(text(), 'Hasil')]"))
        .await
        .expect("the result once time ran out");
    assert!(
        c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("/attempts/")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempts WHERE state = 'in_progress'")
            .await,
        app.count("SELECT COUNT(*) FROM attempts WHERE state = 'in_progress' AND deadline IS NULL")
            .await,
        "only the demo's untimed attempt stays open"
    );
}

//! In a real Chromium over WebDriver (`chromedriver` from Debian's chromium-driver).

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use mahir_tests::{PASSWORD, TestApp};

struct Driver {
    child: Child,
    client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser() -> Driver {
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

async fn log_in(c: &Client, app: &TestApp, username: &str) {
    c.goto(&app.url("/login")).await.expect("open login");
    c.find(Locator::Id("username"))
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

async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect("element")
        .text()
        .await
        .expect("text")
}

#[tokio::test]
async fn a_learner_logs_in_switches_to_english_and_logs_out() {
    let app = TestApp::spawn().await;
    let d = browser().await;
    let c = &d.client;
    c.goto(&app.url("/")).await.expect("open");
    assert_eq!(text_of(c, "main h1").await, "Masuk ke Mahir");
    log_in(c, &app, "learner1").await;
    assert_eq!(text_of(c, "main h1").await, "Selamat datang, Budi Santoso");
    let html_lang = c
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("attr");
    assert_eq!(html_lang.as_deref(), Some("id"));
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
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("click");
    // Guests get their browser's language (Indonesian here); the choice stays on the account.
    assert_eq!(text_of(c, "main h1").await, "Masuk ke Mahir");
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
    text_of(c, "main h1").await;
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
    let heading = text_of(c, "main h1").await;
    assert!(
        heading.starts_with("UPT Pusat Data dan Informasi"),
        "{heading}"
    );
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

//! Search in Chromium: suggestions in the header's box as a learner types (walked with the
//! keyboard), and the results page the box submits to.

use std::time::Duration;

use fantoccini::{Locator, key::Key};
use mahir_tests::TestApp;

use super::{browser, log_in, wait_for_text};

#[tokio::test]
async fn a_learner_finds_a_course_from_the_header_with_a_typo() {
    let app = TestApp::spawn().await;
    // The index is built from the database on start.
    let token = app.token("learner1").await;
    for _ in 0..200 {
        let r: serde_json::Value = app.get(&token, "/api/v1/search?q=keamanan").await;
        if r["total"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let d = browser().await;
    let c = &d.client;
    log_in(c, &app, "learner1").await;
    wait_for_text(c, "Selamat datang").await;
    let input = c
        .find(Locator::Id("site-search"))
        .await
        .expect("the header's search box");
    input.send_keys("keamaan informasi").await.expect("type");
    let option = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#site-search-list [role=option]"))
        .await
        .expect("a suggestion");
    assert!(
        option
            .text()
            .await
            .expect("text")
            .contains("Keamanan Informasi"),
        "the misspelled words find the course"
    );
    let expanded = input.attr("aria-expanded").await.expect("attr");
    assert_eq!(expanded.as_deref(), Some("true"));
    // Arrow down picks the first suggestion; Enter opens it.
    input.send_keys(&Key::Down.to_string()).await.expect("down");
    let active = input.attr("aria-activedescendant").await.expect("attr");
    assert_eq!(active.as_deref(), Some("site-search-list-0"));
    input
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");
    for _ in 0..100 {
        if c.current_url()
            .await
            .is_ok_and(|u| u.path().starts_with("/courses/"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        c.current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/courses/"),
        "the suggestion opened the course"
    );
    // Enter without a suggestion chosen submits to the results page.
    let input = c.find(Locator::Id("site-search")).await.expect("box");
    input.send_keys("pelayanan publik").await.expect("type");
    input
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");
    wait_for_text(c, "Pelayanan Publik Prima").await;
    assert_eq!(c.current_url().await.expect("url").path(), "/search");
    let marked = c
        .find_all(Locator::Css(".snippet mark"))
        .await
        .expect("marks");
    assert!(!marked.is_empty(), "matches are marked in the snippets");
}

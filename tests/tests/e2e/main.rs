//! Mahir's end-to-end tests: the real app on port 0, over HTTP (and in Chromium with the
//! `browser` feature). One binary for the whole crate keeps link time down.

mod accounts;
mod api;
#[cfg(feature = "browser")]
mod browser;
mod competency;
mod competency_admin;
mod courses;
mod faults;
mod jobs;
mod limits;
mod login_guard;
mod organisation;
mod question_editor;
mod quiz_pages;
mod quiz_teach;
mod quizzes;
mod reports;
mod rules;
mod search;
mod shell;
mod typed;

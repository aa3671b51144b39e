//! Mahir: a self-hosted learning platform with competency management for civil servants.
//! `build` turns a [`Config`] into a running app bound to its listener, so tests start the
//! real thing on port 0.

pub mod auth;
pub mod cli;
pub mod competency;
pub mod config;
pub mod courses;
pub mod csv_import;
pub mod db;
pub mod demo;
mod entities;
pub mod error;
pub mod jobs;
pub mod notify;
pub mod ops;
pub mod org;
pub mod quizzes;
pub mod render;
pub mod reports;
pub mod search;
pub mod serve;
pub mod state;
pub mod text;
pub mod time;
mod vocab;
pub mod web;

mod app;

pub use app::{App, build};
pub use config::Config;
pub use state::AppState;

//! Material store tests: local files, memory and a real S3-compatible server.
//! The same checks run against every backend; `checks` holds them, `support` the helpers.

#![allow(clippy::unwrap_used)]

mod checks;
mod local;
mod memory;
mod s3;
mod support;

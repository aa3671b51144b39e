//! Mahir's handling of untrusted bytes and material content, with no HTTP and no SQL:
//! the material store, content sniffing, video durations, safe Markdown, generated PDFs,
//! quiz question files (GIFT, Aiken) and the spreadsheet-export guard every export uses.

pub mod markdown;
pub mod media;
pub mod pdf;
pub mod pdf_text;
pub mod questions;
pub mod search;
pub mod sniff;
pub mod spreadsheet;
pub mod store;

pub use store::{Fetched, MaterialStore, PutError, S3Config, StoreError, Stored};

//! Full-text search of the course catalogue and content with tantivy: analyzers for
//! Indonesian and English.

pub mod analyzer;

//! Full-text search of the course catalogue and content with tantivy: the Indonesian and
//! English analyzers, the index (derived from the database, resumable from the position
//! of its last commit) and searching it with permissions, filters and marked snippets.

pub mod analyzer;
pub mod index;
pub mod query;

pub use index::{Doc, Kind, Lang, Opened, SearchError, SearchIndex, Visibility};
pub use query::{Filters, Hit, Request, Results, Scope};

#[cfg(test)]
mod tests;

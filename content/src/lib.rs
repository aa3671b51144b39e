//! Mahir's handling of untrusted bytes and material content, with no HTTP and no SQL:
//! the material store, the search index and importers that turn untrusted input into safe
//! values. It starts with the spreadsheet-export guard every export will use.

pub mod spreadsheet;

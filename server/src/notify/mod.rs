//! Telling people things outside the browser: outgoing mail (see [`mail`]).

pub mod mail;

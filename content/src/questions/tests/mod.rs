//! Tests of the question formats: every GIFT kind and syntax feature, GIFT errors with their
//! lines, the GIFT round trip, and Aiken files good and bad.

#![allow(clippy::unwrap_used)]

mod aiken;
mod gift_errors;
mod gift_kinds;
mod gift_syntax;
mod gift_write;

use super::{Choice, ParseError, Question, gift};

/// The only question in `source`, which must parse.
fn one(source: &str) -> Question {
    let mut questions = all(source);
    assert_eq!(questions.len(), 1, "{questions:#?}");
    questions.remove(0)
}

/// Every question in `source`, which must parse.
fn all(source: &str) -> Vec<Question> {
    gift::parse(source).unwrap_or_else(|error| panic!("{error}\nin:\n{source}"))
}

/// The error `source` must give.
fn error(source: &str) -> ParseError {
    match gift::parse(source) {
        Ok(questions) => panic!("expected an error, got {questions:#?}"),
        Err(error) => error,
    }
}

/// Asserts that `source` fails on `line` with a message containing `message`.
#[track_caller]
fn fails(source: &str, line: usize, message: &str) {
    let error = error(source);
    assert_eq!(error.line, line, "{error}");
    assert!(error.message.contains(message), "{error}");
}

fn option(text: &str, weight: f64) -> Choice {
    Choice {
        text: text.to_owned(),
        weight,
        feedback: None,
    }
}

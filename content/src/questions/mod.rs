//! Quiz question files: the question model, the GIFT reader and writer, and the Aiken reader.
//! Pure text in, questions out; texts stay as the author wrote them (the server sanitizes).

pub mod aiken;
pub mod gift;
pub mod model;

#[cfg(test)]
mod tests;

pub use model::{
    Choice, CompetencyTag, Kind, NumAnswer, NumValue, Question, TextAnswer, TextFormat,
};

/// Why a question file was refused: the first problem found, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// What is wrong, in short English.
    pub message: String,
    /// A stable name of the problem, for messages in other languages.
    pub code: &'static str,
    /// The values the message names (e.g. `letter`), for messages in other languages.
    pub args: Vec<(&'static str, String)>,
}

impl ParseError {
    pub(crate) fn new(line: usize, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
            code,
            args: Vec::new(),
        }
    }

    /// Adds a value the message names.
    pub(crate) fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

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
}

impl ParseError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

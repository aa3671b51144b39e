//! The Aiken format: question text, lettered options (`A.` or `A)`) and an `ANSWER:` line;
//! every question becomes a single choice with its answer at 100 % and the rest at 0.

pub use super::ParseError;
use super::{Choice, Kind, Question, TextFormat};

/// A question being read: its first line, text lines and options so far.
struct Pending<'a> {
    line: usize,
    text: Vec<&'a str>,
    options: Vec<String>,
}

/// Every question in an Aiken file, or the first error with its line.
pub fn parse(source: &str) -> Result<Vec<Question>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut questions = Vec::new();
    let mut pending: Option<Pending<'_>> = None;
    let mut last = 0;
    for (index, line) in source.split('\n').enumerate() {
        let number = index + 1;
        let line = line.trim();
        let Some(question) = pending.as_mut() else {
            if line.is_empty() {
                continue;
            }
            if answer_line(line).is_some() {
                return Err(ParseError::new(
                    number,
                    "aiken_answer_without_question",
                    "ANSWER: line without a question",
                ));
            }
            pending = Some(Pending {
                line: number,
                text: vec![line],
                options: Vec::new(),
            });
            last = number;
            continue;
        };
        if line.is_empty() {
            return Err(missing(question, last));
        }
        if let Some(answer) = answer_line(line) {
            if let Some(question) = pending.take() {
                questions.push(finish(question, answer, number)?);
            }
            continue;
        }
        last = number;
        match option_line(line) {
            Some((letter, text)) if !question.options.is_empty() || letter == 'A' => {
                let expected = letter_at(question.options.len());
                if Some(letter) != expected {
                    let expected = expected
                        .map_or(String::from("no more options"), |e| format!("{e} expected"));
                    return Err(ParseError::new(
                        number,
                        "aiken_letters_out_of_order",
                        format!("option letters out of order: {letter} where {expected}"),
                    )
                    .with("letter", letter)
                    .with("expected", expected));
                }
                if text.is_empty() {
                    return Err(ParseError::new(
                        number,
                        "aiken_option_text_expected",
                        format!("option text expected after {letter}"),
                    )
                    .with("letter", letter));
                }
                question.options.push(text.to_owned());
            }
            _ if question.options.is_empty() => question.text.push(line),
            _ => {
                return Err(ParseError::new(
                    number,
                    "aiken_option_or_answer_expected",
                    "the next option or an ANSWER: line expected (options are one line each)",
                ));
            }
        }
    }
    match pending {
        Some(question) => Err(missing(&question, last)),
        None => Ok(questions),
    }
}

/// The error for a question that ends (blank line or end of file) before its `ANSWER:`,
/// reported on the question's last line.
fn missing(question: &Pending<'_>, line: usize) -> ParseError {
    if question.options.is_empty() {
        ParseError::new(
            line,
            "aiken_options_expected",
            "options A., B., ... expected after the question text",
        )
    } else {
        ParseError::new(
            line,
            "aiken_answer_missing",
            "missing ANSWER: line after the options",
        )
    }
}

/// The question once its `ANSWER:` line (with `answer` after the colon) is read.
fn finish(question: Pending<'_>, answer: &str, line: usize) -> Result<Question, ParseError> {
    if question.options.len() < 2 {
        return Err(ParseError::new(
            line,
            "aiken_two_options",
            "a question needs at least two options",
        ));
    }
    let mut letters = answer.chars();
    let letter = match (letters.next(), letters.next()) {
        (Some(letter), None) => letter.to_ascii_uppercase(),
        _ => {
            return Err(ParseError::new(
                line,
                "aiken_answer_letter",
                "ANSWER: must be followed by one option letter",
            ));
        }
    };
    let Some(right) = (0..question.options.len()).find(|&i| letter_at(i) == Some(letter)) else {
        let highest = letter_at(question.options.len() - 1).unwrap_or('Z');
        return Err(ParseError::new(
            line,
            "aiken_answer_unknown",
            format!("answer {letter} is not among the options A to {highest}"),
        )
        .with("letter", letter)
        .with("highest", highest));
    };
    let options = question
        .options
        .into_iter()
        .enumerate()
        .map(|(i, text)| Choice {
            text,
            weight: if i == right { 100.0 } else { 0.0 },
            feedback: None,
        })
        .collect();
    Ok(Question {
        line: question.line,
        title: None,
        category: None,
        text: question.text.join("\n"),
        format: TextFormat::default(),
        general_feedback: None,
        tags: Vec::new(),
        competencies: Vec::new(),
        kind: Kind::SingleChoice { options },
    })
}

/// What follows `ANSWER:` (any case), trimmed.
fn answer_line(line: &str) -> Option<&str> {
    const ANSWER: &str = "ANSWER:";
    let head = line.get(..ANSWER.len())?;
    head.eq_ignore_ascii_case(ANSWER)
        .then(|| line[ANSWER.len()..].trim())
}

/// `A. text` or `A) text`: the letter and the trimmed text.
fn option_line(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    chars.next().filter(|&c| c == '.' || c == ')')?;
    let rest = chars.as_str();
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (letter, rest.trim()))
}

/// The letter of the option at `index`: A, B, ... Z.
fn letter_at(index: usize) -> Option<char> {
    u8::try_from(index)
        .ok()
        .filter(|&i| i < 26)
        .map(|i| char::from(b'A' + i))
}

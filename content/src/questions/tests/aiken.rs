//! Aiken files: good ones in their variants (both option styles, CRLF, no blank lines),
//! and each kind of mistake reported on its line.

use super::option;
use crate::questions::{Kind, ParseError, TextFormat, aiken};

fn parse(source: &str) -> Vec<crate::questions::Question> {
    aiken::parse(source).unwrap_or_else(|error| panic!("{error}"))
}

#[track_caller]
fn fails(source: &str, line: usize, message: &str) {
    match aiken::parse(source) {
        Ok(questions) => panic!("expected an error, got {questions:#?}"),
        Err(ParseError {
            line: at,
            message: text,
            ..
        }) => {
            assert_eq!(at, line, "{text}");
            assert!(text.contains(message), "line {at}: {text}");
        }
    }
}

#[test]
fn good_file_with_both_option_styles() {
    let questions = parse(
        "Apa ibu kota Indonesia?\nA. Bandung\nB. Jakarta\nC. Surabaya\nANSWER: B\n\n\n\
         Siapa proklamator\nkemerdekaan RI?\nA) Soekarno dan Hatta\nB) Sjahrir\nANSWER: A\n\
         Pertanyaan tanpa baris kosong sebelumnya\nA. ya\nB. tidak\nanswer: b\n",
    );
    assert_eq!(questions.len(), 3);
    let first = &questions[0];
    assert_eq!(
        (first.line, first.text.as_str()),
        (1, "Apa ibu kota Indonesia?")
    );
    assert_eq!((first.title.clone(), first.category.clone()), (None, None));
    assert_eq!(first.format, TextFormat::Moodle);
    assert_eq!(
        first.kind,
        Kind::SingleChoice {
            options: vec![
                option("Bandung", 0.0),
                option("Jakarta", 100.0),
                option("Surabaya", 0.0)
            ]
        }
    );
    assert_eq!(questions[1].line, 8);
    assert_eq!(questions[1].text, "Siapa proklamator\nkemerdekaan RI?");
    assert_eq!(questions[2].line, 13);
    assert_eq!(
        questions[2].kind,
        Kind::SingleChoice {
            options: vec![option("ya", 0.0), option("tidak", 100.0)]
        }
    );
}

#[test]
fn windows_line_endings_and_text_that_looks_like_an_option() {
    let questions = parse(
        "\u{feff}B. J. Habibie adalah presiden ke berapa?\r\nA. Ketiga\r\nB. Kedua\r\nANSWER: A\r\n",
    );
    assert_eq!(
        questions[0].text,
        "B. J. Habibie adalah presiden ke berapa?"
    );
    assert_eq!(
        questions[0].kind,
        Kind::SingleChoice {
            options: vec![option("Ketiga", 100.0), option("Kedua", 0.0)]
        }
    );
    assert!(parse("\n\n").is_empty());
}

#[test]
fn missing_answer_line() {
    fails(
        "Q\nA. a\nB. b\n\nR\nA. a\nB. b\nANSWER: A",
        3,
        "missing ANSWER",
    );
    fails("Q\nA. a\nB. b\n", 3, "missing ANSWER");
    fails("Soal\ndua baris\n\nA. a", 2, "options A., B., ... expected");
}

#[test]
fn answer_letter_not_among_the_options() {
    fails(
        "Q\nA. a\nB. b\nC. c\nANSWER: D",
        5,
        "answer D is not among the options A to C",
    );
    fails("Q\nA. a\nB. b\nANSWER: AB", 4, "one option letter");
    fails("Q\nA. a\nB. b\nANSWER:", 4, "one option letter");
}

#[test]
fn fewer_than_two_options() {
    fails("Q\nA. satu-satunya\nANSWER: A", 3, "at least two options");
    fails("Q\nANSWER: A", 2, "at least two options");
}

#[test]
fn option_letters_out_of_order() {
    fails(
        "Q\nA. a\nC. c\nANSWER: A",
        3,
        "option letters out of order: C where B expected",
    );
    fails("Q\nA. a\nB. b\nA. lagi\nANSWER: A", 4, "out of order");
}

#[test]
fn other_mistakes() {
    fails("ANSWER: A", 1, "without a question");
    fails("Q\nA. a\nB.\nANSWER: A", 3, "option text expected after B");
    fails(
        "Q\nA. a\nlanjutan opsi\nB. b\nANSWER: A",
        3,
        "options are one line each",
    );
}

//! The inside of a GIFT answer block `{...}`: which kind of question it makes, its answers,
//! weights and feedback, and the checks Moodle would make when saving the question.

use super::super::{Choice, Kind, NumAnswer, NumValue, ParseError, TextAnswer};
use super::lex::{Sym, find, position, text, trim};

const SINGLE_NEEDS_ONE: &str = "a single-choice question needs exactly one correct answer";
/// How far the positive weights of a multiple-choice question may be from 100 (rounding,
/// as in three options at 33.33 %).
const WEIGHT_SUM_SLACK: f64 = 0.1;

/// One `=` or `~` answer before it is given a meaning.
struct Raw<'a> {
    /// `=` or `~`.
    marker: char,
    line: usize,
    weight: Option<f64>,
    /// The answer itself, trimmed, without weight and feedback.
    body: &'a [Sym],
    feedback: Option<String>,
}

impl Raw<'_> {
    fn weight_or_default(&self) -> f64 {
        self.weight
            .unwrap_or(if self.marker == '=' { 100.0 } else { 0.0 })
    }

    fn text(&self) -> Result<String, ParseError> {
        if self.body.is_empty() {
            return Err(ParseError::new(
                self.line,
                "answer_text_expected",
                format!("answer text expected after {}", self.marker),
            )
            .with("marker", self.marker));
        }
        Ok(text(self.body))
    }
}

/// The question kind and general feedback an answer block (without its braces) gives.
pub(super) fn parse_block(
    block: &[Sym],
    open_line: usize,
) -> Result<(Kind, Option<String>), ParseError> {
    let (body, general_feedback) = match find(block, "####") {
        Some(at) => (&block[..at], feedback(&block[at + 4..])?),
        None => (block, None),
    };
    let body = trim(body);
    let Some(first) = body.first() else {
        return Ok((Kind::Essay, general_feedback));
    };
    let kind = if first.is('#') {
        numerical(&body[1..], open_line)?
    } else if position(body, '~').is_some() {
        choice(&split(body)?, open_line)?
    } else if first.is('=') {
        let answers = split(body)?;
        if answers.iter().any(|a| find(a.body, "->").is_some()) {
            matching(&answers, open_line)?
        } else {
            short_answer(&answers, open_line)?
        }
    } else if let Some(kind) = true_false(body)? {
        kind
    } else {
        return Err(ParseError::new(
            first.line,
            "answer_marker_or_kind",
            "each answer must start with = or ~ (or the block be T, F, TRUE, FALSE or #number)",
        ));
    };
    Ok((kind, general_feedback))
}

/// Feedback text, trimmed; `None` when empty. `#`, `=` and `~` there are most likely
/// misplaced answers or feedback, so they must be escaped.
fn feedback(syms: &[Sym]) -> Result<Option<String>, ParseError> {
    if let Some(stray) = syms.iter().find(|s| s.is('#') || s.is('=') || s.is('~')) {
        return Err(ParseError::new(
            stray.line,
            "unescaped_in_feedback",
            format!("unescaped {0} in feedback (write \\{0})", stray.ch),
        )
        .with("ch", stray.ch));
    }
    let text = text(trim(syms));
    Ok((!text.is_empty()).then_some(text))
}

/// The `=` and `~` answers of a block, each with its `%weight%` and `#feedback`.
fn split(body: &[Sym]) -> Result<Vec<Raw<'_>>, ParseError> {
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| body[i].is('=') || body[i].is('~'))
        .collect();
    let lead = starts.first().copied().unwrap_or(body.len());
    if let Some(stray) = trim(&body[..lead]).first() {
        return Err(ParseError::new(
            stray.line,
            "answer_marker",
            "each answer must start with = or ~",
        ));
    }
    let mut answers = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(body.len());
        let marker = body[start];
        let mut rest = trim(&body[start + 1..end]);
        let mut weight = None;
        if rest.first().is_some_and(|s| s.is('%')) {
            let close = position(&rest[1..], '%').ok_or_else(|| {
                ParseError::new(
                    marker.line,
                    "unclosed_weight",
                    "unclosed weight: % expected after it",
                )
            })?;
            weight = Some(parse_weight(&text(&rest[1..=close]), marker.line)?);
            rest = trim(&rest[close + 2..]);
        }
        let (body, feedback) = match position(rest, '#') {
            Some(at) => (trim(&rest[..at]), self::feedback(&rest[at + 1..])?),
            None => (rest, None),
        };
        answers.push(Raw {
            marker: marker.ch,
            line: marker.line,
            weight,
            body,
            feedback,
        });
    }
    Ok(answers)
}

fn parse_weight(raw: &str, line: usize) -> Result<f64, ParseError> {
    let weight = number(raw).ok_or_else(|| {
        ParseError::new(
            line,
            "weight_not_number",
            format!("weight must be a number, not {:?}", raw.trim()),
        )
        .with("value", format!("{:?}", raw.trim()))
    })?;
    if !(-100.0..=100.0).contains(&weight) {
        return Err(ParseError::new(
            line,
            "weight_range",
            "weight must be between -100 and 100",
        ));
    }
    Ok(weight)
}

/// A finite decimal number (Rust would also take `inf` and `NaN`).
fn number(raw: &str) -> Option<f64> {
    raw.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `~`/`=` options. Without weights exactly one `=` is right; with weights one option at
/// 100 % makes a single choice and several positive ones a multiple choice.
fn choice(answers: &[Raw<'_>], open_line: usize) -> Result<Kind, ParseError> {
    let mut options = Vec::with_capacity(answers.len());
    for answer in answers {
        options.push(Choice {
            text: answer.text()?,
            weight: answer.weight_or_default(),
            feedback: answer.feedback.clone(),
        });
    }
    if options.len() < 2 {
        return Err(ParseError::new(
            open_line,
            "choice_two_options",
            "a choice question needs at least two options",
        ));
    }
    let weighted = answers.iter().any(|a| a.weight.is_some());
    let full: Vec<&Raw<'_>> = answers
        .iter()
        .filter(|a| a.weight_or_default() == 100.0)
        .collect();
    let too_many = |rights: &[&Raw<'_>]| {
        ParseError::new(
            rights.get(1).map_or(open_line, |a| a.line),
            "single_needs_one",
            SINGLE_NEEDS_ONE,
        )
    };
    if !weighted {
        return match full.len() {
            1 => Ok(Kind::SingleChoice { options }),
            _ => Err(too_many(&full)),
        };
    }
    if full.len() == 1 {
        return Ok(Kind::SingleChoice { options });
    }
    let positive: Vec<f64> = options
        .iter()
        .map(|o| o.weight)
        .filter(|&w| w > 0.0)
        .collect();
    if positive.len() < 2 {
        return Err(too_many(&full));
    }
    let sum: f64 = positive.iter().sum();
    if (sum - 100.0).abs() > WEIGHT_SUM_SLACK {
        return Err(ParseError::new(
            open_line,
            "weights_sum",
            format!(
                "the positive weights of a multiple-choice question must add up to 100, not {sum}"
            ),
        )
        .with("sum", sum));
    }
    Ok(Kind::MultipleChoice { options })
}

/// `=answer` entries only; one of them must be worth 100 %.
fn short_answer(answers: &[Raw<'_>], open_line: usize) -> Result<Kind, ParseError> {
    let mut accepted = Vec::with_capacity(answers.len());
    for answer in answers {
        accepted.push(TextAnswer {
            text: answer.text()?,
            weight: answer.weight_or_default(),
            feedback: answer.feedback.clone(),
        });
    }
    if !accepted.iter().any(|a| a.weight == 100.0) {
        return Err(ParseError::new(
            open_line,
            "short_answer_full",
            "a short-answer question needs an answer worth 100%",
        ));
    }
    Ok(Kind::ShortAnswer { answers: accepted })
}

/// `=left -> right` pairs; an empty left side is a distractor.
fn matching(answers: &[Raw<'_>], open_line: usize) -> Result<Kind, ParseError> {
    let mut pairs = Vec::with_capacity(answers.len());
    for answer in answers {
        if answer.weight.is_some() {
            return Err(ParseError::new(
                answer.line,
                "pair_no_weight",
                "a matching pair takes no weight",
            ));
        }
        if answer.feedback.is_some() {
            return Err(ParseError::new(
                answer.line,
                "pair_no_feedback",
                "a matching pair takes no feedback",
            ));
        }
        let arrow = find(answer.body, "->").ok_or_else(|| {
            ParseError::new(
                answer.line,
                "pair_arrow",
                "a matching pair needs -> between its two sides",
            )
        })?;
        let right = trim(&answer.body[arrow + 2..]);
        if right.is_empty() {
            return Err(ParseError::new(
                answer.line,
                "pair_right_expected",
                "text expected after ->",
            ));
        }
        pairs.push((text(trim(&answer.body[..arrow])), text(right)));
    }
    if pairs.iter().filter(|(left, _)| !left.is_empty()).count() < 2 {
        return Err(ParseError::new(
            open_line,
            "matching_two_pairs",
            "a matching question needs at least two pairs with a left side",
        ));
    }
    Ok(Kind::Matching { pairs })
}

/// `T`, `TRUE`, `F` or `FALSE`, then up to two feedbacks: for a wrong, then a right answer.
fn true_false(body: &[Sym]) -> Result<Option<Kind>, ParseError> {
    let (head, tail) = match position(body, '#') {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let answer = match text(trim(head)).to_ascii_uppercase().as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return Ok(None),
    };
    let (feedback_wrong, feedback_right) = match tail {
        None => (None, None),
        Some(tail) => match position(tail, '#') {
            Some(at) => (feedback(&tail[..at])?, feedback(&tail[at + 1..])?),
            None => (feedback(tail)?, None),
        },
    };
    Ok(Some(Kind::TrueFalse {
        answer,
        feedback_wrong,
        feedback_right,
    }))
}

/// After the leading `#`: one value with optional feedback, or `=`/`~` weighted values.
fn numerical(after_hash: &[Sym], open_line: usize) -> Result<Kind, ParseError> {
    let rest = trim(after_hash);
    let mut answers = Vec::new();
    if rest.first().is_some_and(|s| s.is('=') || s.is('~')) {
        for answer in split(rest)? {
            answers.push(NumAnswer {
                value: num_value(answer.body, answer.line, answer.marker)?,
                weight: answer.weight_or_default(),
                feedback: answer.feedback,
            });
        }
    } else {
        let (value, feedback) = match position(rest, '#') {
            Some(at) => (trim(&rest[..at]), self::feedback(&rest[at + 1..])?),
            None => (rest, None),
        };
        let line = value.first().map_or(open_line, |s| s.line);
        answers.push(NumAnswer {
            value: num_value(value, line, '#')?,
            weight: 100.0,
            feedback,
        });
    }
    if !answers.iter().any(|a| a.weight == 100.0) {
        return Err(ParseError::new(
            open_line,
            "numerical_full",
            "a numerical question needs an answer worth 100%",
        ));
    }
    Ok(Kind::Numerical { answers })
}

/// `value`, `value:tolerance` or `min..max`.
fn num_value(syms: &[Sym], line: usize, marker: char) -> Result<NumValue, ParseError> {
    let expected = || {
        ParseError::new(
            line,
            "number_expected",
            format!("number expected after {marker}"),
        )
        .with("marker", marker)
    };
    if let Some(at) = find(syms, "..") {
        let min = number(&text(&syms[..at])).ok_or_else(expected)?;
        let max = number(&text(&syms[at + 2..])).ok_or_else(|| {
            ParseError::new(line, "range_end_expected", "number expected after ..")
        })?;
        if min > max {
            return Err(ParseError::new(
                line,
                "range_order",
                "the start of a range must not be above its end",
            ));
        }
        return Ok(NumValue::Range { min, max });
    }
    let (value, tolerance) = match position(syms, ':') {
        Some(at) => (&syms[..at], Some(&syms[at + 1..])),
        None => (syms, None),
    };
    let value = number(&text(value)).ok_or_else(expected)?;
    let tolerance = match tolerance {
        None => 0.0,
        Some(raw) => number(&text(raw)).ok_or_else(|| {
            ParseError::new(line, "tolerance_expected", "tolerance expected after :")
        })?,
    };
    if tolerance < 0.0 {
        return Err(ParseError::new(
            line,
            "tolerance_negative",
            "tolerance must not be negative",
        ));
    }
    Ok(NumValue::Tolerance { value, tolerance })
}

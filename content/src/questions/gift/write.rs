//! Questions written as GIFT that `parse` reads back to equal questions: special characters
//! escaped, `$CATEGORY:` lines where the category changes, an answer per line.

use super::super::{Choice, Kind, NumAnswer, NumValue, Question, TextFormat};
use super::lex::ESCAPABLE;
use super::{BLANK, CATEGORY};

/// A tag or code as a comment can hold it: one line, no closing bracket.
fn mark(s: &str) -> String {
    s.replace(['\r', '\n', ']'], " ").trim().to_owned()
}

/// Indents each answer of a multi-line answer block.
const INDENT: &str = "    ";

/// The questions as a GIFT file, separated by blank lines.
///
/// Anything `parse` produced reads back equal apart from `line`. A description's general
/// feedback has nowhere to go in GIFT and is left out.
pub fn write(questions: &[Question]) -> String {
    let mut out = String::new();
    let mut category: Option<&str> = None;
    for question in questions {
        if question.category.as_deref() != category {
            category = question.category.as_deref();
            out.push_str(CATEGORY);
            if let Some(path) = category {
                out.push(' ');
                out.push_str(&path.replace(['\r', '\n'], " "));
            }
            out.push_str("\n\n");
        }
        write_question(&mut out, question);
        out.push_str("\n\n");
    }
    out
}

fn write_question(out: &mut String, question: &Question) {
    if !question.tags.is_empty() || !question.competencies.is_empty() {
        out.push_str("//");
        for tag in &question.tags {
            out.push_str(&format!(" [tag:{}]", mark(tag)));
        }
        for c in &question.competencies {
            out.push_str(&format!(" [competency:{}:{}]", mark(&c.code), c.level));
        }
        out.push('\n');
    }
    if let Some(title) = &question.title {
        out.push_str("::");
        out.push_str(&escape(title));
        out.push_str(":: ");
    }
    // A text starting with `[` or `//` would read as a format tag or a comment: an explicit
    // tag in front keeps it text.
    let text = &question.text;
    if question.format != TextFormat::Moodle
        || text.starts_with('[')
        || text.trim_start().starts_with("//")
    {
        out.push('[');
        out.push_str(question.format.gift_name());
        out.push_str("] ");
    }
    let blank = text
        .find(BLANK)
        .filter(|&at| !text[at + BLANK.len()..].trim().is_empty());
    let Some(block) = block(question, blank.is_some()) else {
        out.push_str(&escape(text));
        return;
    };
    match blank {
        Some(at) => {
            out.push_str(&escape(&text[..at]));
            out.push_str(&block);
            out.push_str(&escape(&text[at + BLANK.len()..]));
        }
        None => {
            out.push_str(&escape(text));
            out.push(' ');
            out.push_str(&block);
        }
    }
}

/// The answer block with its braces, or `None` for a description. Lists of answers get a
/// line each, unless the block sits `inline` in a missing-word sentence.
fn block(question: &Question, inline: bool) -> Option<String> {
    let general = question
        .general_feedback
        .as_deref()
        .map(|feedback| format!("####{}", escape(feedback)));
    let mut head = "";
    let answers: Vec<String> = match &question.kind {
        Kind::Description => return None,
        Kind::Essay => return Some(format!("{{{}}}", general.unwrap_or_default())),
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => {
            let mut only = String::from(if *answer { "TRUE" } else { "FALSE" });
            if feedback_wrong.is_some() || feedback_right.is_some() {
                only.push('#');
                only.push_str(&escape(feedback_wrong.as_deref().unwrap_or_default()));
            }
            if let Some(right) = feedback_right {
                only.push('#');
                only.push_str(&escape(right));
            }
            return Some(format!("{{{only}{}}}", general.unwrap_or_default()));
        }
        Kind::Numerical { answers } => match answers.as_slice() {
            [only] if only.weight == 100.0 => {
                let mut only_one = format!("#{}", num_value(&only.value));
                push_feedback(&mut only_one, only.feedback.as_deref());
                return Some(format!("{{{only_one}{}}}", general.unwrap_or_default()));
            }
            _ => {
                head = "#";
                answers.iter().map(num_answer).collect()
            }
        },
        Kind::SingleChoice { options } => options.iter().map(|o| choice(o, false)).collect(),
        Kind::MultipleChoice { options } => options.iter().map(|o| choice(o, true)).collect(),
        Kind::ShortAnswer { answers } => answers
            .iter()
            .map(|a| answer('=', a.weight, 100.0, &a.text, a.feedback.as_deref()))
            .collect(),
        Kind::Matching { pairs } => pairs
            .iter()
            .map(|(left, right)| format!("={} -> {}", escape(left), escape(right)))
            .collect(),
    };
    let items = answers.iter().chain(&general);
    if inline {
        let items: Vec<&str> = items.map(String::as_str).collect();
        return Some(format!("{{{head}{}}}", items.join(" ")));
    }
    let mut block = format!("{{{head}\n");
    for item in items {
        block.push_str(INDENT);
        block.push_str(item);
        block.push('\n');
    }
    block.push('}');
    Some(block)
}

/// A single choice marks its 100 % option with `=`; everything else is `~` with a weight.
fn choice(option: &Choice, multiple: bool) -> String {
    let marker = if !multiple && option.weight == 100.0 {
        '='
    } else {
        '~'
    };
    let default = if marker == '=' { 100.0 } else { 0.0 };
    answer(
        marker,
        option.weight,
        default,
        &option.text,
        option.feedback.as_deref(),
    )
}

/// `=text`, `~%50%text#feedback` and so on. A text starting with `%` always gets an explicit
/// weight, or its start would be read as one.
fn answer(marker: char, weight: f64, default: f64, text: &str, feedback: Option<&str>) -> String {
    let mut out = String::from(marker);
    if weight != default || text.starts_with('%') {
        out.push_str(&format!("%{weight}%"));
    }
    out.push_str(&escape(text));
    push_feedback(&mut out, feedback);
    out
}

fn num_answer(answer: &NumAnswer) -> String {
    let mut out = String::from("=");
    if answer.weight != 100.0 {
        out.push_str(&format!("%{}%", answer.weight));
    }
    out.push_str(&num_value(&answer.value));
    push_feedback(&mut out, answer.feedback.as_deref());
    out
}

fn num_value(value: &NumValue) -> String {
    match *value {
        NumValue::Tolerance {
            value,
            tolerance: 0.0,
        } => format!("{value}"),
        NumValue::Tolerance { value, tolerance } => format!("{value}:{tolerance}"),
        NumValue::Range { min, max } => format!("{min}..{max}"),
    }
}

fn push_feedback(out: &mut String, feedback: Option<&str>) {
    if let Some(feedback) = feedback {
        out.push('#');
        out.push_str(&escape(feedback));
    }
}

/// Text with GIFT's special characters escaped. A newline stays a line break where reading
/// back keeps it, and becomes `\n` otherwise (see [`keeps_line_break`]).
fn escape(text: &str) -> String {
    let first = text.find(|c: char| !c.is_whitespace());
    let last = text.rfind(|c: char| !c.is_whitespace());
    let mut out = String::with_capacity(text.len() + 8);
    for (at, ch) in text.char_indices() {
        if ch == '\n' {
            let inside = first.is_some_and(|f| f < at) && last.is_some_and(|l| l > at);
            out.push_str(if inside && keeps_line_break(text, at) {
                "\n"
            } else {
                "\\n"
            });
        } else {
            if ESCAPABLE.contains(&ch) {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    out
}

/// Whether the newline at `at` (inside the text, where trimming cannot reach it) can be
/// written as a line break: not after `\r` (stripped as CRLF), and not before a line that
/// is blank (which ends the question) or starts with `//` (a comment).
fn keeps_line_break(text: &str, at: usize) -> bool {
    let next_line = text[at + 1..].split('\n').next().unwrap_or_default();
    !text[..at].ends_with('\r')
        && !next_line.trim().is_empty()
        && !next_line.trim_start().starts_with("//")
}

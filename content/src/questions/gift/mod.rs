//! Moodle's GIFT format: `parse` reads a whole file (categories, titles, format tags,
//! escapes, every answer-block kind) and `write` produces GIFT that reads back equal.

mod answers;
mod lex;
mod write;

pub use super::ParseError;
use super::{Kind, Question, TextFormat};
use lex::{Sym, lex, position, starts_with, text, trim};

pub use write::write;

/// Stands in for the answer block of a missing-word question (`The {=cat} sat.`).
pub const BLANK: &str = "_____";

/// Starts a line that sets the category of the questions after it.
const CATEGORY: &str = "$CATEGORY:";

/// Every question in a GIFT file, or the first error with its line.
///
/// Questions are separated by blank lines; `//` lines are comments anywhere. A `\` escapes
/// `~ = # { } :` and itself, and `\n` is a newline. Texts are kept as written (Markdown or
/// HTML included) apart from trimming their ends.
pub fn parse(source: &str) -> Result<Vec<Question>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut questions = Vec::new();
    let mut category = None;
    let mut chunk: Vec<(usize, &str)> = Vec::new();
    for (index, line) in source.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let start = line.trim_start();
        if start.starts_with("//") {
            continue;
        }
        if let Some(path) = start.strip_prefix(CATEGORY) {
            flush(&mut chunk, &category, &mut questions)?;
            let path = path.trim();
            category = (!path.is_empty()).then(|| path.to_owned());
        } else if line.trim().is_empty() {
            flush(&mut chunk, &category, &mut questions)?;
        } else {
            chunk.push((index + 1, line));
        }
    }
    flush(&mut chunk, &category, &mut questions)?;
    Ok(questions)
}

/// Parses the collected lines as one question, if there are any, and starts a new chunk.
fn flush(
    chunk: &mut Vec<(usize, &str)>,
    category: &Option<String>,
    questions: &mut Vec<Question>,
) -> Result<(), ParseError> {
    if let Some(&(line, _)) = chunk.first() {
        let syms = lex(chunk)?;
        questions.push(question(&syms, line, category.clone())?);
        chunk.clear();
    }
    Ok(())
}

/// One question: `::title::`, `[format]`, then text with at most one answer block.
fn question(syms: &[Sym], line: usize, category: Option<String>) -> Result<Question, ParseError> {
    let mut rest = trim(syms);

    let mut title = None;
    if starts_with(rest, "::") {
        let body = &rest[2..];
        let end = lex::find(body, "::")
            .ok_or_else(|| ParseError::new(rest[0].line, "unclosed title: :: expected after it"))?;
        let name = text(trim(&body[..end]));
        title = (!name.is_empty()).then_some(name);
        rest = trim(&body[end + 2..]);
    }

    let mut format = TextFormat::default();
    if let Some((tag, after)) = format_tag(rest) {
        format = tag;
        rest = trim(after);
    }

    let (text, block) = split_block(rest)?;
    if text.is_empty() {
        return Err(ParseError::new(line, "question text expected"));
    }
    let (kind, general_feedback) = match block {
        Some(block) => answers::parse_block(block.body, block.line)?,
        None => (Kind::Description, None),
    };
    Ok(Question {
        line,
        title,
        category,
        text,
        format,
        general_feedback,
        kind,
    })
}

/// A leading `[html]`, `[markdown]`, `[plain]` or `[moodle]`; other brackets are text.
fn format_tag(syms: &[Sym]) -> Option<(TextFormat, &[Sym])> {
    if !syms.first()?.is('[') {
        return None;
    }
    let close = position(syms, ']')?;
    let format = TextFormat::from_gift_name(&text(&syms[1..close]))?;
    Some((format, &syms[close + 1..]))
}

/// The inside of a question's `{...}`.
struct Block<'a> {
    /// The line of the `{`.
    line: usize,
    body: &'a [Sym],
}

/// The question text (with `_____` where a mid-text block was) and the answer block.
/// Stray braces and a second block are errors.
fn split_block(syms: &[Sym]) -> Result<(String, Option<Block<'_>>), ParseError> {
    let Some(open) = syms.iter().position(|s| s.is('{') || s.is('}')) else {
        return Ok((text(syms), None));
    };
    let open_line = syms[open].line;
    if syms[open].is('}') {
        return Err(stray_close(open_line));
    }
    let inner = &syms[open + 1..];
    let close = inner
        .iter()
        .position(|s| s.is('{') || s.is('}'))
        .ok_or_else(|| ParseError::new(open_line, "unclosed answer block: } expected"))?;
    if inner[close].is('{') {
        return Err(ParseError::new(
            inner[close].line,
            "unescaped { inside an answer block (write \\{)",
        ));
    }
    let before = &syms[..open];
    let after = &inner[close + 1..];
    if let Some(extra) = after.iter().find(|s| s.is('{') || s.is('}')) {
        return Err(if extra.is('}') {
            stray_close(extra.line)
        } else {
            ParseError::new(extra.line, "only one answer block per question is allowed")
        });
    }
    let text = if trim(after).is_empty() {
        text(trim(before))
    } else {
        format!("{}{BLANK}{}", text(before), text(after))
    };
    let block = Block {
        line: open_line,
        body: &inner[..close],
    };
    Ok((text, Some(block)))
}

fn stray_close(line: usize) -> ParseError {
    ParseError::new(line, "unescaped } outside an answer block (write \\})")
}

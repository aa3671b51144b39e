//! Moodle's GIFT format: `parse` reads a whole file (categories, titles, format tags,
//! escapes, every answer-block kind) and `write` produces GIFT that reads back equal.

mod answers;
mod lex;
mod write;

pub use super::ParseError;
use super::{CompetencyTag, Kind, Question, TextFormat};
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
/// HTML included) apart from trimming their ends. Comment lines among a question's lines
/// may carry `[tag:name]` and `[competency:CODE:LEVEL]`, which belong to that question.
pub fn parse(source: &str) -> Result<Vec<Question>, ParseError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut questions = Vec::new();
    let mut category = None;
    let mut chunk = Chunk::default();
    for (index, line) in source.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let start = line.trim_start();
        if let Some(comment) = start.strip_prefix("//") {
            markers(comment, index + 1, &mut chunk.marks)?;
            continue;
        }
        if let Some(path) = start.strip_prefix(CATEGORY) {
            chunk.flush(&category, &mut questions)?;
            let path = path.trim();
            category = (!path.is_empty()).then(|| path.to_owned());
        } else if line.trim().is_empty() {
            chunk.flush(&category, &mut questions)?;
        } else {
            chunk.lines.push((index + 1, line));
        }
    }
    chunk.flush(&category, &mut questions)?;
    Ok(questions)
}

/// The lines of the question being read, and the marks its comments carry.
#[derive(Default)]
struct Chunk<'a> {
    lines: Vec<(usize, &'a str)>,
    marks: Marks,
}

/// Tags and competencies from comment lines.
#[derive(Default)]
struct Marks {
    tags: Vec<String>,
    competencies: Vec<CompetencyTag>,
}

impl Chunk<'_> {
    /// Parses the collected lines as one question, if there are any, and starts a new one.
    /// Marks in comments with no question lines around them belong to nothing.
    fn flush(
        &mut self,
        category: &Option<String>,
        questions: &mut Vec<Question>,
    ) -> Result<(), ParseError> {
        let marks = std::mem::take(&mut self.marks);
        if let Some(&(line, _)) = self.lines.first() {
            let syms = lex(&self.lines);
            let mut q = question(&syms, line, category.clone())?;
            q.tags = marks.tags;
            q.competencies = marks.competencies;
            questions.push(q);
            self.lines.clear();
        }
        Ok(())
    }
}

/// Longest tag or competency code.
const MAX_MARK: usize = 100;

/// Reads `[tag:name]` and `[competency:CODE:LEVEL]` out of a comment; other text in
/// comments is ignored.
fn markers(comment: &str, line: usize, marks: &mut Marks) -> Result<(), ParseError> {
    let mut rest = comment;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        let inner = &rest[..close];
        if let Some(tag) = inner.strip_prefix("tag:") {
            let tag = tag.trim();
            if tag.is_empty() || tag.chars().count() > MAX_MARK {
                return Err(ParseError::new(
                    line,
                    "tag_length",
                    "a tag must have 1 to 100 characters",
                ));
            }
            if !marks.tags.iter().any(|t| t == tag) {
                marks.tags.push(tag.to_owned());
            }
        } else if let Some(spec) = inner.strip_prefix("competency:") {
            let bad = || {
                ParseError::new(
                    line,
                    "competency_syntax",
                    "a competency is written [competency:CODE:LEVEL] with a level from 1 to 5",
                )
            };
            let (code, level) = spec.rsplit_once(':').ok_or_else(bad)?;
            let code = code.trim();
            let level: u8 = level.trim().parse().map_err(|_| bad())?;
            if code.is_empty() || code.chars().count() > MAX_MARK || !(1..=5).contains(&level) {
                return Err(bad());
            }
            match marks.competencies.iter_mut().find(|c| c.code == code) {
                Some(c) => c.level = level,
                None => marks.competencies.push(CompetencyTag {
                    code: code.to_owned(),
                    level,
                }),
            }
        }
        rest = &rest[close + 1..];
    }
    Ok(())
}

/// One question: `::title::`, `[format]`, then text with at most one answer block.
fn question(syms: &[Sym], line: usize, category: Option<String>) -> Result<Question, ParseError> {
    let mut rest = trim(syms);

    let mut title = None;
    if starts_with(rest, "::") {
        let body = &rest[2..];
        let end = lex::find(body, "::").ok_or_else(|| {
            ParseError::new(
                rest[0].line,
                "unclosed_title",
                "unclosed title: :: expected after it",
            )
        })?;
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
        return Err(ParseError::new(
            line,
            "text_expected",
            "question text expected",
        ));
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
        tags: Vec::new(),
        competencies: Vec::new(),
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
        .ok_or_else(|| {
            ParseError::new(
                open_line,
                "unclosed_answers",
                "unclosed answer block: } expected",
            )
        })?;
    if inner[close].is('{') {
        return Err(ParseError::new(
            inner[close].line,
            "unescaped_open_brace",
            "unescaped { inside an answer block (write \\{)",
        ));
    }
    let before = &syms[..open];
    let after = &inner[close + 1..];
    if let Some(extra) = after.iter().find(|s| s.is('{') || s.is('}')) {
        return Err(if extra.is('}') {
            stray_close(extra.line)
        } else {
            ParseError::new(
                extra.line,
                "one_answer_block",
                "only one answer block per question is allowed",
            )
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
    ParseError::new(
        line,
        "unescaped_close_brace",
        "unescaped } outside an answer block (write \\})",
    )
}

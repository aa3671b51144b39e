//! The parsed quiz question, independent of the file format it came from: text, format,
//! category, feedback and one answer shape per question kind. Weights are percentages.

/// One question read from a question file.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The 1-based line the question starts on.
    pub line: usize,
    /// The `::title::`, if the author gave one.
    pub title: Option<String>,
    /// The category path from the last `$CATEGORY:` line, e.g. `Keamanan/Dasar`.
    pub category: Option<String>,
    /// The question text with escapes resolved; a missing-word block becomes `_____`.
    /// It may hold Markdown or HTML (see `format`) and is not sanitized here.
    pub text: String,
    /// How `text`, the answers and the feedback are to be read.
    pub format: TextFormat,
    /// Feedback shown after any answer (GIFT `####text`).
    pub general_feedback: Option<String>,
    /// The kind of question and its answers.
    pub kind: Kind,
    /// Tags, from `[tag:name]` in the comment lines of the question (Moodle's way).
    pub tags: Vec<String>,
    /// The competencies (and levels) the question gives evidence of, from
    /// `[competency:CODE:LEVEL]` in the comment lines of the question.
    pub competencies: Vec<CompetencyTag>,
}

/// A competency a question gives evidence of, at a level 1–5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyTag {
    /// The competency's code, e.g. `M.03` or `T.KI.01`.
    pub code: String,
    /// The level, 1 to 5.
    pub level: u8,
}

/// The kinds of question, each with its answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Pick one option; exactly one option is worth 100 %, others may give partial credit or
    /// a penalty.
    SingleChoice {
        /// The options in the author's order.
        options: Vec<Choice>,
    },
    /// Pick any number of options; the positive weights add up to 100 %.
    MultipleChoice {
        /// The options in the author's order.
        options: Vec<Choice>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
        /// Shown to a learner who answered wrongly.
        feedback_wrong: Option<String>,
        /// Shown to a learner who answered rightly.
        feedback_right: Option<String>,
    },
    /// Type a word or phrase; each accepted answer has a weight.
    ShortAnswer {
        /// The accepted answers.
        answers: Vec<TextAnswer>,
    },
    /// Type a number; each accepted value or range has a weight.
    Numerical {
        /// The accepted values.
        answers: Vec<NumAnswer>,
    },
    /// Match each left side to its right side; a pair with an empty left side is a
    /// distractor on the right.
    Matching {
        /// `(left, right)` pairs in the author's order.
        pairs: Vec<(String, String)>,
    },
    /// A free-text answer graded by a person.
    Essay,
    /// Text only, no answer (an introduction or instructions).
    Description,
}

/// One option of a single- or multiple-choice question.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The option text.
    pub text: String,
    /// Percent of the question's mark, -100 to 100.
    pub weight: f64,
    /// Shown to a learner who picked this option.
    pub feedback: Option<String>,
}

/// One accepted answer of a short-answer question.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAnswer {
    /// The accepted text.
    pub text: String,
    /// Percent of the question's mark, -100 to 100.
    pub weight: f64,
    /// Shown to a learner who gave this answer.
    pub feedback: Option<String>,
}

/// One accepted value of a numerical question.
#[derive(Debug, Clone, PartialEq)]
pub struct NumAnswer {
    /// The accepted value or range.
    pub value: NumValue,
    /// Percent of the question's mark, -100 to 100.
    pub weight: f64,
    /// Shown to a learner who gave this answer.
    pub feedback: Option<String>,
}

/// Which numbers a numerical answer accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum NumValue {
    /// `value ± tolerance` (GIFT `3.14:0.01`; a bare number has tolerance 0).
    Tolerance {
        /// The expected value.
        value: f64,
        /// How far an answer may be from `value`; never negative.
        tolerance: f64,
    },
    /// Anything from `min` to `max` inclusive (GIFT `1..5`).
    Range {
        /// The smallest accepted value.
        min: f64,
        /// The largest accepted value; never below `min`.
        max: f64,
    },
}

/// How question text is written, as Moodle's `[moodle]`, `[html]`, `[markdown]`, `[plain]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextFormat {
    /// Moodle's auto-format: plain text with line breaks kept (the default).
    #[default]
    Moodle,
    /// HTML.
    Html,
    /// Markdown.
    Markdown,
    /// Plain text shown as is.
    Plain,
}

impl TextFormat {
    /// The name used in a GIFT format tag (`[markdown]`).
    pub fn gift_name(self) -> &'static str {
        match self {
            Self::Moodle => "moodle",
            Self::Html => "html",
            Self::Markdown => "markdown",
            Self::Plain => "plain",
        }
    }

    /// The format a GIFT format tag names, ignoring case.
    pub fn from_gift_name(name: &str) -> Option<Self> {
        [Self::Moodle, Self::Html, Self::Markdown, Self::Plain]
            .into_iter()
            .find(|format| format.gift_name().eq_ignore_ascii_case(name))
    }
}

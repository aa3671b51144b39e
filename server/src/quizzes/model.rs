//! Questions as Mahir stores them (JSON in the database) and the responses learners give.
//! Option and pair ids are random, so an id never hints at which option is right.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// Random id the learner's response names.
    pub id: String,
    /// Option text (Markdown).
    pub text: String,
    /// Share of the mark, in percent (-100..=100); negative is a penalty.
    pub weight: f64,
    /// Shown after the attempt when the review options allow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// An accepted short answer: case and spacing ignored, `*` matches anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    /// The answer pattern.
    pub text: String,
    /// Share of the mark, in percent.
    pub weight: f64,
    /// Feedback for this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// An accepted number: within `tolerance` of `value`, or within `min..=max`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumAnswer {
    /// Lowest accepted value.
    pub min: f64,
    /// Highest accepted value.
    pub max: f64,
    /// Share of the mark, in percent.
    pub weight: f64,
    /// Feedback for this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// One pair of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// Random id of the left item.
    pub left_id: String,
    /// Left item (the prompt).
    pub left: String,
    /// Random id of the right item.
    pub right_id: String,
    /// Right item (its match).
    pub right: String,
}

/// What a question asks and how it is marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionData {
    /// One option is chosen.
    SingleChoice {
        /// The options, one of them at 100 %.
        options: Vec<ChoiceOption>,
    },
    /// Several options may be chosen; weights add up, penalties subtract.
    MultipleChoice {
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// True or false.
    TrueFalse {
        /// The right answer.
        answer: bool,
        /// Feedback for a wrong response.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback_wrong: Option<String>,
        /// Feedback for a right response.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback_right: Option<String>,
    },
    /// A typed word or phrase.
    ShortAnswer {
        /// Accepted answers.
        answers: Vec<TextAnswer>,
    },
    /// A typed number.
    Numerical {
        /// Accepted values.
        answers: Vec<NumAnswer>,
    },
    /// Each left item matched to a right item.
    Matching {
        /// The pairs.
        pairs: Vec<Pair>,
    },
    /// A written answer, graded by hand.
    Essay,
}

crate::vocab::str_enum!(
    /// The kinds of question, as stored in `questions.kind` and named in the API.
    QuestionKind {
        /// One option is chosen.
        SingleChoice => "single_choice",
        /// Several options may be chosen.
        MultipleChoice => "multiple_choice",
        /// True or false.
        TrueFalse => "true_false",
        /// A typed word or phrase.
        ShortAnswer => "short_answer",
        /// A typed number.
        Numerical => "numerical",
        /// Left items matched to right items.
        Matching => "matching",
        /// A written answer, graded by hand.
        Essay => "essay",
    }
);

impl QuestionData {
    /// Its kind.
    pub fn kind(&self) -> QuestionKind {
        match self {
            Self::SingleChoice { .. } => QuestionKind::SingleChoice,
            Self::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            Self::TrueFalse { .. } => QuestionKind::TrueFalse,
            Self::ShortAnswer { .. } => QuestionKind::ShortAnswer,
            Self::Numerical { .. } => QuestionKind::Numerical,
            Self::Matching { .. } => QuestionKind::Matching,
            Self::Essay => QuestionKind::Essay,
        }
    }

    /// The type name the API shows.
    pub fn type_name(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// A learner's response, in the shape its question type needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Response {
    /// Single and multiple choice: the chosen option ids.
    Choices {
        /// Chosen option ids.
        choices: Vec<String>,
    },
    /// True/false.
    Value {
        /// The learner's answer.
        value: bool,
    },
    /// Short answer and essay.
    Text {
        /// The typed text.
        text: String,
    },
    /// Numerical.
    Number {
        /// The typed number.
        number: f64,
    },
    /// Matching: left id → right id.
    Pairs {
        /// The matches.
        pairs: BTreeMap<String, String>,
    },
}

impl Response {
    /// Whether it says nothing (no choice, no text, no pair).
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Choices { choices } => choices.is_empty(),
            Self::Text { text } => text.trim().is_empty(),
            Self::Pairs { pairs } => pairs.is_empty(),
            Self::Value { .. } | Self::Number { .. } => false,
        }
    }
}

/// A random id for an option or a pair item (8 lowercase hex digits).
pub fn random_id() -> String {
    use rand::RngExt;
    format!("{:08x}", rand::rng().random::<u32>())
}

/// A number without the noise binary floating point adds (3.1300000000000003 → 3.13).
pub fn tidy(x: f64) -> f64 {
    let t = (x * 1e9).round() / 1e9;
    if t.is_finite() { t } else { x }
}

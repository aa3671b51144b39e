//! A question file's question and the stored shape, both ways: what a parsed question asks
//! ([`to_data`]) and a stored question as a file's question again ([`to_question`]).

use mahir_content::questions::{self, Kind, NumValue, Question};

use super::BankQuestion;
use crate::quizzes::model::{ChoiceOption, NumAnswer, Pair, QuestionData, TextAnswer, random_id};

/// What a parsed question asks, in the stored shape; `None` for a description (no answers).
pub fn to_data(q: &Question) -> Option<QuestionData> {
    let choice = |c: &questions::Choice| ChoiceOption {
        id: random_id(),
        text: c.text.clone(),
        weight: c.weight,
        feedback: c.feedback.clone(),
    };
    Some(match &q.kind {
        Kind::SingleChoice { options } => QuestionData::SingleChoice {
            options: options.iter().map(choice).collect(),
        },
        Kind::MultipleChoice { options } => QuestionData::MultipleChoice {
            options: options.iter().map(choice).collect(),
        },
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => QuestionData::TrueFalse {
            answer: *answer,
            feedback_wrong: feedback_wrong.clone(),
            feedback_right: feedback_right.clone(),
        },
        Kind::ShortAnswer { answers } => QuestionData::ShortAnswer {
            answers: answers
                .iter()
                .map(|a| TextAnswer {
                    text: a.text.clone(),
                    weight: a.weight,
                    feedback: a.feedback.clone(),
                })
                .collect(),
        },
        Kind::Numerical { answers } => QuestionData::Numerical {
            answers: answers
                .iter()
                .map(|a| {
                    let (min, max) = match a.value {
                        NumValue::Tolerance { value, tolerance } => {
                            (value - tolerance.abs(), value + tolerance.abs())
                        }
                        NumValue::Range { min, max } => (min.min(max), max.max(min)),
                    };
                    NumAnswer {
                        min,
                        max,
                        weight: a.weight,
                        feedback: a.feedback.clone(),
                    }
                })
                .collect(),
        },
        Kind::Matching { pairs } => QuestionData::Matching {
            pairs: pairs
                .iter()
                .map(|(left, right)| Pair {
                    left_id: random_id(),
                    left: left.clone(),
                    right_id: random_id(),
                    right: right.clone(),
                })
                .collect(),
        },
        Kind::Essay => QuestionData::Essay,
        Kind::Description => return None,
    })
}

/// A stored question back in the file model, for export.
pub fn to_question(b: &BankQuestion, data: &QuestionData) -> Question {
    let row = &b.question;
    let choice = |o: &crate::quizzes::model::ChoiceOption| questions::Choice {
        text: o.text.clone(),
        weight: o.weight,
        feedback: o.feedback.clone(),
    };
    let kind = match data {
        QuestionData::SingleChoice { options } => Kind::SingleChoice {
            options: options.iter().map(choice).collect(),
        },
        QuestionData::MultipleChoice { options } => Kind::MultipleChoice {
            options: options.iter().map(choice).collect(),
        },
        QuestionData::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => Kind::TrueFalse {
            answer: *answer,
            feedback_wrong: feedback_wrong.clone(),
            feedback_right: feedback_right.clone(),
        },
        QuestionData::ShortAnswer { answers } => Kind::ShortAnswer {
            answers: answers
                .iter()
                .map(|a| questions::TextAnswer {
                    text: a.text.clone(),
                    weight: a.weight,
                    feedback: a.feedback.clone(),
                })
                .collect(),
        },
        QuestionData::Numerical { answers } => Kind::Numerical {
            answers: answers
                .iter()
                .map(|a| questions::NumAnswer {
                    // An exact answer is stored as a range of one number; it reads back
                    // as the number (GIFT `20`, not `20..20`).
                    value: if a.min == a.max {
                        NumValue::Tolerance {
                            value: crate::quizzes::model::tidy(a.min),
                            tolerance: 0.0,
                        }
                    } else {
                        NumValue::Range {
                            min: crate::quizzes::model::tidy(a.min),
                            max: crate::quizzes::model::tidy(a.max),
                        }
                    },
                    weight: a.weight,
                    feedback: a.feedback.clone(),
                })
                .collect(),
        },
        QuestionData::Matching { pairs } => Kind::Matching {
            pairs: pairs
                .iter()
                .map(|p| (p.left.clone(), p.right.clone()))
                .collect(),
        },
        QuestionData::Essay => Kind::Essay,
    };
    Question {
        line: 0,
        title: Some(row.title.clone()),
        category: (!row.category.is_empty()).then(|| row.category.clone()),
        text: row.text_md.clone(),
        format: questions::TextFormat::default(),
        general_feedback: row.general_feedback.clone(),
        kind,
        tags: b.tags.clone(),
        competencies: b
            .competencies
            .iter()
            .map(|(code, level)| questions::CompetencyTag {
                code: code.clone(),
                level: u8::try_from(*level).unwrap_or(1),
            })
            .collect(),
    }
}

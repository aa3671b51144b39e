//! A question file made ready to store: parsed, bounded (questions per file, characters
//! per text) and rendered once — on the blocking pool, before the write transaction, so
//! an import holds the database only for its inserts and showing an attempt renders
//! nothing.

use std::collections::BTreeMap;

use mahir_content::questions::Question;

use super::{
    bank::{self, Format},
    model::QuestionData,
};
use crate::{
    entities::questions as question_rows,
    error::{AppError, AppResult, Code},
};

/// The most questions one file may bring.
pub const MAX_QUESTIONS: usize = 5_000;
/// The most characters in one text of a question (its text, an answer, a feedback).
pub const MAX_TEXT: usize = 20_000;

/// A question ready to be stored.
#[derive(Debug, Clone)]
pub struct PreparedQuestion {
    /// As parsed.
    pub question: Question,
    /// What it asks, in the stored shape (option ids fresh).
    pub data: QuestionData,
    /// Its title (given, or the start of its text).
    pub title: String,
    /// Its text, rendered.
    pub text_html: String,
    /// Its answer texts and feedback, rendered: JSON from each text to its HTML.
    pub fragments: String,
}

/// Parses, checks and renders a whole question file (descriptions, which ask nothing,
/// are left out). More than [`MAX_QUESTIONS`] is 422 `too_many_questions`; a text over
/// [`MAX_TEXT`] is 422 `invalid_question_file` naming its line.
pub async fn prepare_file(format: Format, text: String) -> AppResult<Vec<PreparedQuestion>> {
    crate::render::blocking(move || {
        let parsed = bank::parse(format, &text)?;
        if parsed.len() > MAX_QUESTIONS {
            return Err(AppError::Invalid {
                code: Code::TooManyQuestions,
                field: Some("text"),
                detail: Some(MAX_QUESTIONS.to_string()),
            });
        }
        let mut out = Vec::with_capacity(parsed.len());
        for q in parsed {
            if let Some(p) = prepare(q)? {
                out.push(p);
            }
        }
        Ok(out)
    })
    .await?
}

/// Checks and renders one parsed question; `None` for a description.
pub fn prepare(question: Question) -> AppResult<Option<PreparedQuestion>> {
    let Some(data) = bank::to_data(&question) else {
        return Ok(None);
    };
    let texts = texts_of(&data, question.general_feedback.as_deref());
    if std::iter::once(question.text.as_str())
        .chain(texts.iter().copied())
        .any(|t| t.chars().count() > MAX_TEXT)
    {
        return Err(AppError::Invalid {
            code: Code::InvalidQuestionFile,
            field: None,
            detail: Some(format!(
                "line {}: a text is longer than {MAX_TEXT} characters",
                question.line
            )),
        });
    }
    let fragments: BTreeMap<&str, String> = texts
        .iter()
        .map(|t| (*t, mahir_content::markdown::fragment_html(t)))
        .collect();
    let fragments = serde_json::to_string(&fragments).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Some(PreparedQuestion {
        title: title_of(&question),
        text_html: mahir_content::markdown::paragraph_html(&question.text),
        fragments,
        data,
        question,
    }))
}

/// Every text of a question shown as Markdown besides its own text: answer options,
/// matching items, feedback.
fn texts_of<'a>(data: &'a QuestionData, general: Option<&'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    match data {
        QuestionData::SingleChoice { options } | QuestionData::MultipleChoice { options } => {
            for o in options {
                out.push(&o.text);
                out.extend(o.feedback.as_deref());
            }
        }
        QuestionData::TrueFalse {
            feedback_wrong,
            feedback_right,
            ..
        } => {
            out.extend(feedback_wrong.as_deref());
            out.extend(feedback_right.as_deref());
        }
        QuestionData::ShortAnswer { answers } => {
            out.extend(answers.iter().filter_map(|a| a.feedback.as_deref()));
        }
        QuestionData::Numerical { answers } => {
            out.extend(answers.iter().filter_map(|a| a.feedback.as_deref()));
        }
        QuestionData::Matching { pairs } => {
            for p in pairs {
                out.push(&p.left);
                out.push(&p.right);
            }
        }
        QuestionData::Essay => {}
    }
    out.extend(general);
    out
}

/// The rendered texts of a stored question (empty for one stored before they were kept).
pub fn fragments_of(q: &question_rows::Model) -> BTreeMap<String, String> {
    serde_json::from_str(&q.fragments).unwrap_or_default()
}

/// A title for a question without one: the start of its text.
fn title_of(q: &Question) -> String {
    match &q.title {
        Some(t) if !t.trim().is_empty() => t.trim().chars().take(255).collect(),
        _ => {
            let plain = mahir_content::markdown::to_plain_text(&q.text);
            let first: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut t: String = first.chars().take(80).collect();
            if first.chars().count() > 80 {
                t.push('…');
            }
            t
        }
    }
}

/// Parses a file that must hold exactly one question (a correction) and prepares it; see
/// `regrade::parse_one` for the refusals.
pub async fn prepare_one(format: Format, text: String) -> AppResult<PreparedQuestion> {
    crate::render::blocking(move || {
        let parsed = super::regrade::parse_one(format, &text)?;
        prepare(parsed)?.ok_or(AppError::invalid(Code::QuestionKindChanged, "type"))
    })
    .await?
}

/// Checks the competency tags of prepared questions against the dictionary: every code
/// must name a competency in use. 422 `unknown_competency` on `competencies`, naming the
/// first unknown or retired code and its question.
pub async fn check_tags(
    db: &impl sea_orm::ConnectionTrait,
    prepared: &[PreparedQuestion],
) -> AppResult<()> {
    let mut codes: Vec<String> = prepared
        .iter()
        .flat_map(|p| p.question.competencies.iter().map(|c| c.code.clone()))
        .collect();
    if codes.is_empty() {
        return Ok(());
    }
    codes.sort();
    codes.dedup();
    let known = crate::competency::dictionary::by_codes(db, &codes).await?;
    for (n, p) in prepared.iter().enumerate() {
        for c in &p.question.competencies {
            if known.get(&c.code).is_none_or(|k| k.retired_at.is_some()) {
                let which = if p.title.is_empty() {
                    format!("#{}", n + 1)
                } else {
                    p.title.clone()
                };
                return Err(crate::error::AppError::Invalid {
                    code: crate::error::Code::UnknownCompetency,
                    field: Some("competencies"),
                    detail: Some(format!("{} ({which})", c.code)),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use mahir_content::questions;

    use super::*;

    #[test]
    fn answers_and_feedback_are_rendered_once() {
        let q = questions::gift::parse("Apa? {=**Ya** #Betul ~Tidak}\n")
            .expect("gift")
            .remove(0);
        let p = prepare(q).expect("ok").expect("a question");
        let f: BTreeMap<String, String> = serde_json::from_str(&p.fragments).expect("json");
        assert_eq!(f["**Ya**"], "<p><strong>Ya</strong></p>\n");
        assert_eq!(f["Tidak"], "Tidak", "plain words are only escaped");
        assert!(f.contains_key("Betul") && f.contains_key("Tidak"));
    }

    #[test]
    fn texts_are_bounded() {
        let long = "x".repeat(MAX_TEXT + 1);
        let q = questions::gift::parse(&format!("Apa? {{={long} ~b}}\n"))
            .expect("gift")
            .remove(0);
        let e = prepare(q).expect_err("too long");
        assert_eq!(e.code(), Code::InvalidQuestionFile);
    }
}

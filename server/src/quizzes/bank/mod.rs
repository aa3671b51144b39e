//! Question banks: importing GIFT and Aiken files (all or nothing) into a course's bank,
//! exporting them, and listing a bank's questions for its instructors. The translation
//! between a file's questions and the stored shape is in [`convert`].

mod convert;

pub use convert::{to_data, to_question};

use std::collections::HashMap;

use mahir_content::questions::{self, Question};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{model::QuestionData, prepared::PreparedQuestion};
use crate::{
    entities::{question_competencies, question_tags, questions as question_rows},
    error::{AppError, AppResult, Code},
    time::stamp,
};

/// Largest question file accepted, in bytes.
pub const MAX_FILE: usize = 2 * 1024 * 1024;
/// Largest request carrying a question file: a file up to a MiB over [`MAX_FILE`] is still
/// read, so it is refused with `file_too_large` rather than the bare 413.
pub const MAX_REQUEST: usize = MAX_FILE + 1024 * 1024;

/// A question file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Moodle's GIFT.
    Gift,
    /// Aiken (single choice with `ANSWER:` lines).
    Aiken,
}

impl Format {
    /// Parses `gift` or `aiken`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "gift" => Some(Format::Gift),
            "aiken" => Some(Format::Aiken),
            _ => None,
        }
    }
}

/// A question with its tags.
#[derive(Debug, Clone)]
pub struct BankQuestion {
    /// The stored question.
    pub question: question_rows::Model,
    /// Its tags, sorted.
    pub tags: Vec<String>,
    /// The competencies (code, level) it gives evidence of, by code.
    pub competencies: Vec<(String, i16)>,
}

/// The download name of a course's bank (none: the shared bank) as a GIFT file.
pub fn file_name(course: Option<&crate::entities::courses::Model>) -> String {
    match course {
        Some(c) => format!("bank-soal-{}.gift.txt", c.code.to_lowercase()),
        None => "bank-soal-bersama.gift.txt".to_owned(),
    }
}

/// A course's bank (none: the shared bank) as a GIFT file (categories, titles, weights and feedback kept).
pub async fn export_gift(db: &impl ConnectionTrait, course_id: Option<Uuid>) -> AppResult<String> {
    let mut out = Vec::new();
    for b in list(db, course_id).await? {
        let data: QuestionData =
            serde_json::from_str(&b.question.data).map_err(|e| AppError::Internal(e.into()))?;
        out.push(to_question(&b, &data));
    }
    Ok(questions::gift::write(&out))
}

/// Imports a question file into a course's bank (its editors) or, with no course, the shared
/// bank (admins): the one way for the API and the bank page. All or nothing: an empty file
/// is 422 `question_file_empty`, one over [`MAX_FILE`] 422 `file_too_large`, a file with an
/// error 422 `invalid_question_file`. The file is parsed and rendered before the write
/// transaction; a course's revision is bumped so its cached pages refresh. Returns how many
/// questions were stored.
pub async fn import(
    db: &sea_orm::DatabaseConnection,
    by: &crate::auth::principal::Principal,
    course_id: Option<Uuid>,
    format: Format,
    text: String,
) -> AppResult<usize> {
    use crate::courses::{access, authoring};
    match course_id {
        Some(id) => drop(access::editable(db, by, id).await?),
        None => by.require_admin()?,
    }
    if text.len() > MAX_FILE {
        return Err(AppError::Invalid {
            code: Code::FileTooLarge,
            field: Some("file"),
            detail: Some("2 MiB".into()),
        });
    }
    if text.trim().is_empty() {
        return Err(AppError::invalid(Code::QuestionFileEmpty, "text"));
    }
    let prepared = super::prepared::prepare_file(format, text).await?;
    super::prepared::check_tags(db, &prepared).await?;
    crate::db::in_write(db, async |txn| {
        if let Some(id) = course_id {
            // Checked again in the transaction: the course may have changed meanwhile.
            access::editable(txn, by, id).await?;
        }
        let n = store(txn, course_id, by.user.id, &prepared).await?;
        if let Some(id) = course_id {
            authoring::touch(txn, id).await?;
        }
        Ok(n)
    })
    .await
}

/// Stores prepared questions (see [`super::prepared::prepare_file`]) in a course's bank or
/// the shared bank, a few hundred rows per statement; returns how many.
pub async fn store(
    db: &impl ConnectionTrait,
    course_id: Option<Uuid>,
    by: Uuid,
    prepared: &[PreparedQuestion],
) -> AppResult<usize> {
    let at = stamp();
    for chunk in prepared.chunks(STORE_BATCH) {
        let mut rows = Vec::with_capacity(chunk.len());
        let mut tags = Vec::new();
        let mut competencies = Vec::new();
        for p in chunk {
            let q = &p.question;
            let id = Uuid::now_v7();
            rows.push(question_rows::ActiveModel {
                id: Set(id),
                course_id: Set(course_id),
                category: Set(q
                    .category
                    .clone()
                    .unwrap_or_default()
                    .chars()
                    .take(255)
                    .collect()),
                title: Set(p.title.clone()),
                kind: Set(p.data.kind()),
                text_md: Set(q.text.clone()),
                text_html: Set(p.text_html.clone()),
                general_feedback: Set(q.general_feedback.clone()),
                data: Set(serde_json::to_string(&p.data).map_err(|e| AppError::Internal(e.into()))?),
                mark: Set(1.0),
                version: Set(1),
                created_by: Set(by),
                created_at: Set(at),
                updated_at: Set(at),
                fragments: Set(p.fragments.clone()),
            });
            tags.extend(q.tags.iter().map(|t| question_tags::ActiveModel {
                question_id: Set(id),
                tag: Set(t.clone()),
            }));
            competencies.extend(q.competencies.iter().map(|c| {
                question_competencies::ActiveModel {
                    question_id: Set(id),
                    code: Set(c.code.clone()),
                    level: Set(i16::from(c.level)),
                }
            }));
        }
        question_rows::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
        for t in tags.chunks(STORE_BATCH) {
            question_tags::Entity::insert_many(t.to_vec())
                .exec_without_returning(db)
                .await?;
        }
        for c in competencies.chunks(STORE_BATCH) {
            question_competencies::Entity::insert_many(c.to_vec())
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(prepared.len())
}

/// Rows per insert statement (well under SQLite's 32,766 bound parameters).
const STORE_BATCH: usize = 200;

/// Stores a question's tags and competencies.
pub async fn store_marks(db: &impl ConnectionTrait, id: Uuid, q: &Question) -> AppResult<()> {
    if !q.tags.is_empty() {
        question_tags::Entity::insert_many(q.tags.iter().map(|t| question_tags::ActiveModel {
            question_id: Set(id),
            tag: Set(t.clone()),
        }))
        .exec(db)
        .await?;
    }
    if !q.competencies.is_empty() {
        question_competencies::Entity::insert_many(q.competencies.iter().map(|c| {
            question_competencies::ActiveModel {
                question_id: Set(id),
                code: Set(c.code.clone()),
                level: Set(i16::from(c.level)),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Parses a question file in `format`, with the parser's own error (its code, line and
/// arguments) for the pages to word.
pub fn read(format: Format, text: &str) -> Result<Vec<Question>, questions::ParseError> {
    match format {
        Format::Gift => questions::gift::parse(text),
        Format::Aiken => questions::aiken::parse(text),
    }
}

/// Parses a question file in `format`; an error names the line (`line L: reason`, in
/// English, as the API gives it; the pages word it in the reader's language from
/// [`read`]'s error).
pub fn parse(format: Format, text: &str) -> AppResult<Vec<Question>> {
    crate::text::refuse_nul(text, "text")?;
    read(format, text).map_err(|e| AppError::Invalid {
        code: Code::InvalidQuestionFile,
        field: None,
        detail: Some(e.to_string()),
    })
}

/// A course's bank (none: the shared bank), by category and title, with tags and
/// competencies (three queries).
pub async fn list(
    db: &impl ConnectionTrait,
    course_id: Option<Uuid>,
) -> AppResult<Vec<BankQuestion>> {
    let bank = match course_id {
        Some(id) => question_rows::Column::CourseId.eq(id),
        None => question_rows::Column::CourseId.is_null(),
    };
    let rows = question_rows::Entity::find()
        .filter(bank)
        .order_by_asc(question_rows::Column::Category)
        .order_by_asc(question_rows::Column::CreatedAt)
        .all(db)
        .await?;
    with_labels(db, rows).await
}

/// Questions with their tags and competencies (two queries), in the order given.
pub async fn with_labels(
    db: &impl ConnectionTrait,
    rows: Vec<question_rows::Model>,
) -> AppResult<Vec<BankQuestion>> {
    let ids: Vec<Uuid> = rows.iter().map(|q| q.id).collect();
    let mut competencies: HashMap<Uuid, Vec<(String, i16)>> = HashMap::new();
    for c in question_competencies::Entity::find()
        .filter(question_competencies::Column::QuestionId.is_in(ids.clone()))
        .order_by_asc(question_competencies::Column::Code)
        .all(db)
        .await?
    {
        competencies
            .entry(c.question_id)
            .or_default()
            .push((c.code, c.level));
    }
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    for t in question_tags::Entity::find()
        .filter(question_tags::Column::QuestionId.is_in(ids))
        .order_by_asc(question_tags::Column::Tag)
        .all(db)
        .await?
    {
        tags.entry(t.question_id).or_default().push(t.tag);
    }
    Ok(rows
        .into_iter()
        .map(|question| BankQuestion {
            tags: tags.remove(&question.id).unwrap_or_default(),
            competencies: competencies.remove(&question.id).unwrap_or_default(),
            question,
        })
        .collect())
}

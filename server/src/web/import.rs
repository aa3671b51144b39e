//! What the CSV import pages share: the uploaded file read with a size cap, and the
//! outcome worded for the reader (how many rows were imported, or every problem with its
//! line).

use axum::extract::Multipart;

use super::{errors::message, i18n::Lang};
use crate::{
    csv_import::{ImportOutcome, RowError},
    error::{AppError, AppResult, Code},
};

/// Largest CSV file an import page accepts.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// A problem of the file, worded for the reader.
pub struct ImportProblem {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

/// What an import page shows after an upload.
#[derive(Default)]
pub struct ImportResult {
    /// Rows imported (none when the file was refused).
    pub imported: Option<usize>,
    /// Why the file was refused.
    pub errors: Vec<ImportProblem>,
}

impl ImportResult {
    /// Whether the file was refused.
    pub fn refused(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The file part `file` of an import form, at most [`MAX_UPLOAD_BYTES`]: 422
/// `file_too_large` past it, `file_missing` without one.
pub async fn read_file(multipart: &mut Multipart) -> AppResult<Vec<u8>> {
    super::extract::with_file(multipart, "import.csv", async |mut field, _| {
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?
        {
            if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                return Err(AppError::Invalid {
                    code: Code::FileTooLarge,
                    field: Some("file"),
                    detail: Some(format!("{} MiB", MAX_UPLOAD_BYTES / 1024 / 1024)),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    })
    .await
}

/// Reads the uploaded file, runs `import` on its bytes and words the outcome in `lang`;
/// logs the rows imported as `what`. The one way the import pages handle an upload.
pub async fn upload(
    lang: Lang,
    multipart: &mut Multipart,
    what: &'static str,
    import: impl AsyncFnOnce(Vec<u8>) -> AppResult<ImportOutcome>,
) -> AppResult<ImportResult> {
    let outcome = match read_file(multipart).await {
        Ok(bytes) => import(bytes).await,
        Err(e) => Err(e),
    };
    let result = result(lang, outcome)?;
    if let Some(n) = result.imported {
        tracing::info!(rows = n, what, "imported");
    }
    Ok(result)
}

/// The outcome of reading and importing a file, worded in `lang`: a refused upload (too
/// large, no file) is a problem of line 1 like any other refusal of the whole file.
pub fn result(lang: Lang, outcome: AppResult<ImportOutcome>) -> AppResult<ImportResult> {
    let word = |e: RowError| ImportProblem {
        line: e.line,
        message: message(lang, e.problem.code, e.problem.detail.as_deref()),
    };
    Ok(match outcome {
        Ok(ImportOutcome::Imported(n)) => ImportResult {
            imported: Some(n),
            errors: Vec::new(),
        },
        Ok(ImportOutcome::Rejected(errors)) => ImportResult {
            imported: None,
            errors: errors.into_iter().map(word).collect(),
        },
        Err(e) if super::errors::user_error(&e) => ImportResult {
            imported: None,
            errors: vec![ImportProblem {
                line: 1,
                message: message(lang, e.code(), e.detail().as_deref()),
            }],
        },
        Err(e) => return Err(e),
    })
}

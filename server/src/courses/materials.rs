//! Materials: uploads streamed into the object store and recorded per course, and who may
//! read them (served by `web::download::material`).

use bytes::Bytes;
use futures_util::Stream;
use mahir_content::store::{MaterialStore, PutError, StoreError, StoreFault, Stored};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

use super::{access, authoring, model::LessonKind};
use crate::{
    auth::principal::Principal,
    db::begin_write,
    entities::{lessons, material_texts, materials, users},
    error::{AppError, AppResult, Code},
    state::AppState,
    time::stamp,
};

/// Longest file name kept.
const MAX_NAME: usize = 200;

/// A user-given file name reduced to its last path segment, without control characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "berkas".to_owned()
    } else {
        cleaned
    }
}

fn put_error(e: PutError) -> AppError {
    match e {
        PutError::TooLarge { max } => AppError::Invalid {
            code: Code::FileTooLarge,
            field: Some("file"),
            detail: Some(format!("{} MiB", max / (1024 * 1024))),
        },
        PutError::Empty => AppError::invalid(Code::FileEmpty, "file"),
        PutError::TypeMismatch { declared, actual } => AppError::Invalid {
            code: Code::FileTypeMismatch,
            field: Some("file"),
            detail: Some(format!(".{declared} ≠ {actual}")),
        },
        PutError::Body(e) => AppError::BadRequest(format!("upload interrupted: {e}")),
        PutError::Store(e) => store_error(e),
    }
}

/// A failure of the object store as the client is told it: 507 `storage_full`, 503
/// `storage_unavailable`, or (for anything else) a 500.
pub fn store_error(e: StoreError) -> AppError {
    match e.fault() {
        Some(StoreFault::Full) => {
            tracing::error!(error = %e, cause = ?e, "material store is full");
            AppError::StorageFull
        }
        Some(StoreFault::Unavailable) => {
            tracing::warn!(error = %e, cause = ?e, "material store unavailable");
            AppError::Unavailable {
                code: Code::StorageUnavailable,
            }
        }
        None if matches!(e, StoreError::NotFound) => AppError::NotFound,
        None => AppError::Internal(anyhow::Error::new(e)),
    }
}

/// Bytes of materials a user has uploaded so far.
pub async fn used_by(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<u64> {
    let used: Option<i64> = materials::Entity::find()
        .select_only()
        .expr_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "used")
        .filter(materials::Column::UploadedBy.eq(user_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(u64::try_from(used.unwrap_or(0)).unwrap_or(0))
}

/// Bytes in the store that no row refers to yet: deleted again when dropped, unless
/// [`Pending::keep`] says a committed row now does. Covers every way a request can end
/// early — an error in a later step, a failed commit, a cancelled request.
#[must_use = "the stored bytes are deleted unless kept"]
pub struct Pending {
    store: MaterialStore,
    stored: Stored,
    kept: bool,
}

impl Pending {
    /// What was stored.
    pub fn stored(&self) -> &Stored {
        &self.stored
    }

    /// The row referring to the bytes is committed: keep them.
    pub fn keep(mut self) {
        self.kept = true;
    }

    /// Nothing will refer to the bytes: remove them now (rather than in the background).
    pub async fn discard(mut self) {
        self.kept = true;
        if let Err(e) = self.store.delete(&self.stored.key).await {
            tracing::warn!(key = %self.stored.key, error = %e, "removing unrecorded material bytes failed");
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let store = self.store.clone();
        let key = std::mem::take(&mut self.stored.key);
        let delete = async move {
            if let Err(e) = store.delete(&key).await {
                tracing::warn!(%key, error = %e, "removing unrecorded material bytes failed");
            }
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(delete);
        }
    }
}

/// Streams an upload into the store, at most `left` bytes (what is left of the uploader's
/// quota; the store's own cap applies too). The bytes are [`Pending`] until recorded.
pub async fn store_upload<S, E>(
    store: &MaterialStore,
    left: u64,
    file_name: &str,
    body: S,
) -> AppResult<Pending>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    if left == 0 {
        return Err(AppError::invalid(Code::UploadQuotaExceeded, "file"));
    }
    let quota_bound = left < store.max_size();
    let stored = store
        .with_max_size(left.min(store.max_size()))
        .put(body, &clean_file_name(file_name))
        .await
        .map_err(|e| match e {
            PutError::TooLarge { .. } if quota_bound => {
                AppError::invalid(Code::UploadQuotaExceeded, "file")
            }
            e => put_error(e),
        })?;
    Ok(Pending {
        store: store.clone(),
        stored,
        kept: false,
    })
}

/// What an upload becomes: where, by whom, under which name.
#[derive(Debug, Clone)]
pub struct NewMaterial<'a> {
    /// The material's id (chosen before, so lessons can be rendered pointing at it).
    pub id: Uuid,
    /// Its course.
    pub course_id: Uuid,
    /// The lesson it was uploaded to, if any.
    pub lesson: Option<lessons::Model>,
    /// The uploader.
    pub uploaded_by: Uuid,
    /// The name as uploaded.
    pub file_name: &'a str,
    /// The uploader's quota, in bytes.
    pub quota: u64,
    /// Lessons whose images now resolve to it (see [`authoring::rerender_for_file`]).
    pub rerendered: &'a [authoring::Rerendered],
    /// Its text for search, or why there is none (see [`text_of`]).
    pub text: PdfText,
}

/// The text of a stored PDF for search, or why it could not be read; nothing for other
/// files.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// The text.
    pub text: Option<String>,
    /// Why there is none.
    pub problem: Option<String>,
}

/// Reads the text of stored bytes when they are a PDF (bounded and isolated: see
/// `mahir_content::pdf_text`). A file that cannot be read is still a material: it is
/// stored and served, only not searchable, and the reason is logged and kept.
pub async fn text_of(store: &MaterialStore, stored: &Stored) -> PdfText {
    use futures_util::TryStreamExt;
    if stored.content_type != "application/pdf" {
        return PdfText::default();
    }
    let read = async {
        if stored.size > mahir_content::pdf_text::MAX_PDF_BYTES as u64 {
            return Err(format!(
                "larger than {} MiB",
                mahir_content::pdf_text::MAX_PDF_BYTES / 1024 / 1024
            ));
        }
        let fetched = store
            .get(&stored.key, None)
            .await
            .map_err(|e| e.to_string())?;
        let chunks: Vec<Bytes> = fetched
            .body
            .try_collect()
            .await
            .map_err(|e| e.to_string())?;
        mahir_content::pdf_text::extract_isolated(Bytes::from(chunks.concat())).await
    };
    match read.await {
        Ok(text) => PdfText {
            text: Some(text),
            problem: None,
        },
        Err(reason) => {
            tracing::warn!(key = %stored.key, reason = %reason, "PDF stored without searchable text");
            PdfText {
                text: None,
                problem: Some(reason.chars().take(200).collect()),
            }
        }
    }
}

/// Records stored bytes as a material of the course (inside the caller's write
/// transaction), first checking the uploader's quota against what they have stored by
/// then; with a lesson, a video, PDF or WebVTT file also becomes that lesson's video,
/// document or captions.
pub async fn record(
    db: &impl ConnectionTrait,
    stored: &Stored,
    new: NewMaterial<'_>,
) -> AppResult<materials::Model> {
    let NewMaterial {
        id,
        course_id,
        lesson,
        uploaded_by,
        file_name,
        quota,
        rerendered,
        text,
    } = new;
    // Uploads of one person finish one at a time here (on PostgreSQL by locking their
    // account row; on SQLite the write transaction already runs alone), so parallel
    // uploads cannot each see the quota as it was before the others.
    users::Entity::find_by_id(uploaded_by)
        .lock_exclusive()
        .one(db)
        .await?;
    if used_by(db, uploaded_by).await?.saturating_add(stored.size) > quota {
        return Err(AppError::invalid(Code::UploadQuotaExceeded, "file"));
    }
    let material = materials::ActiveModel {
        id: Set(id),
        course_id: Set(course_id),
        storage_key: Set(stored.key.clone()),
        file_name: Set(clean_file_name(file_name)),
        content_type: Set(stored.content_type.clone()),
        size: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
        sha256: Set(stored.sha256.clone()),
        uploaded_by: Set(uploaded_by),
        created_at: Set(stamp()),
        duration_seconds: Set(stored.duration_seconds.and_then(|d| i32::try_from(d).ok())),
    }
    .insert(db)
    .await?;
    if text.text.is_some() || text.problem.is_some() {
        material_texts::ActiveModel {
            material_id: Set(material.id),
            course_id: Set(course_id),
            text: Set(text.text),
            problem: Set(text.problem),
        }
        .insert(db)
        .await?;
    }
    if let Some(lesson) = lesson {
        attach(db, lesson, &material).await?;
    }
    authoring::store_rerendered(db, course_id, rerendered).await?;
    Ok(material)
}

/// Uploads a file to a lesson for `p` (the course's editors): streamed into the store,
/// then recorded in one write transaction; if anything after the bytes were stored fails,
/// they are removed again.
pub async fn upload_to_lesson<S, E>(
    state: &AppState,
    p: &Principal,
    lesson: &lessons::Model,
    file_name: &str,
    body: S,
) -> AppResult<materials::Model>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    let quota = state.config().upload_quota_bytes;
    let left = quota.saturating_sub(used_by(state.db(), p.user.id).await?);
    let pending = store_upload(state.materials(), left, file_name, body).await?;
    let text = text_of(state.materials(), pending.stored()).await;
    let recorded = async {
        let id = Uuid::now_v7();
        let rerendered = authoring::rerender_for_file(
            state.db(),
            lesson.course_id,
            &clean_file_name(file_name),
            id,
        )
        .await?;
        let txn = begin_write(state.db()).await?;
        // The lesson and the right to edit it may have changed while the bytes streamed.
        let lesson = authoring::lesson(&txn, lesson.id).await?;
        access::editable(&txn, p, lesson.course_id).await?;
        let new = NewMaterial {
            id,
            course_id: lesson.course_id,
            lesson: Some(lesson),
            uploaded_by: p.user.id,
            file_name,
            quota,
            rerendered: &rerendered,
            text,
        };
        let material = record(&txn, pending.stored(), new).await?;
        txn.commit().await?;
        Ok::<_, AppError>(material)
    }
    .await;
    match recorded {
        Ok(material) => {
            pending.keep();
            Ok(material)
        }
        Err(e) => {
            pending.discard().await;
            Err(e)
        }
    }
}

/// Makes a material a lesson's main file or captions when its type fits the lesson.
async fn attach(
    db: &impl ConnectionTrait,
    lesson: lessons::Model,
    m: &materials::Model,
) -> AppResult<()> {
    let kind = Some(lesson.kind);
    let ct = m.content_type.as_str();
    let mut am: lessons::ActiveModel = lesson.into();
    match kind {
        Some(LessonKind::Video) if ct.starts_with("video/") => {
            am.material_id = Set(Some(m.id));
            // The length the "watched" rule measures against: the server's own reading.
            am.duration_seconds = Set(m.duration_seconds);
        }
        Some(LessonKind::Video) if ct.starts_with("text/vtt") => {
            am.captions_material_id = Set(Some(m.id));
        }
        // Images go into a lesson's text; anything else becomes the document.
        Some(LessonKind::Document) if !ct.starts_with("image/") && !ct.starts_with("text/vtt") => {
            am.material_id = Set(Some(m.id));
        }
        _ => return Ok(()),
    }
    am.updated_at = Set(stamp());
    am.update(db).await?;
    Ok(())
}

/// A material by id.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<materials::Model> {
    materials::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A material `p` may read: its course's editors, its enrolled learners, and for a
/// course's cover anyone who may see the course. Everyone else gets 404.
pub async fn material_for(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::principal::Principal,
    id: Uuid,
) -> AppResult<materials::Model> {
    let m = get(db, id).await?;
    let access = super::access::course(db, p, m.course_id).await?;
    if access.can_learn() || access.course.cover_material_id == Some(m.id) {
        Ok(m)
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\Materi 1.pdf"), "Materi 1.pdf");
        assert_eq!(clean_file_name(".."), "berkas");
    }
}

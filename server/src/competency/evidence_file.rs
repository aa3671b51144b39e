//! The evidence file of training done elsewhere: a certificate as PDF, JPEG or PNG (the
//! type read from the bytes, whatever the name says), at most 10 MiB, kept in the
//! material store and served as an attachment only to the employee and to those who may
//! decide on it. One file per training; a new one replaces the old while it is pending.

use axum::http::HeaderMap;
use bytes::Bytes;
use futures_util::Stream;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use uuid::Uuid;

use super::model::ExternalStatus;
use crate::{
    auth::principal::Principal,
    courses::materials::{clean_file_name, store_upload},
    entities::{external_trainings, materials},
    error::{AppError, AppResult, Code},
    state::AppState,
    time::stamp,
};

/// The largest evidence file, in bytes.
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The types an evidence file may have (sniffed from its bytes).
pub const TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// Stores `body` as the evidence of the caller's pending training `id`: 404 for anyone
/// else's, 409 `external_not_pending` once decided, 422 `invalid_evidence_type` for a
/// file that is not a PDF, JPEG or PNG, 422 `file_too_large` past [`MAX_BYTES`].
pub async fn attach<S, E>(
    state: &AppState,
    p: &Principal,
    id: Uuid,
    file_name: &str,
    body: S,
) -> AppResult<external_trainings::Model>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    own_pending(state.db(), p, id).await?;
    let store = state.materials().with_max_size(MAX_BYTES);
    let pending = store_upload(&store, MAX_BYTES, file_name, body).await?;
    if !TYPES.contains(&pending.stored().content_type.as_str()) {
        pending.discard().await;
        return Err(AppError::invalid(Code::InvalidEvidenceType, "file"));
    }
    let stored = pending.stored().clone();
    let saved = crate::db::in_write(state.db(), async |txn| {
        // The training may have been decided while the bytes streamed.
        let row = own_pending(txn, p, id).await?;
        let old = row.evidence_key.clone();
        let mut am: external_trainings::ActiveModel = row.into();
        am.evidence_key = Set(Some(stored.key.clone()));
        am.evidence_file_name = Set(Some(clean_file_name(file_name)));
        am.evidence_content_type = Set(Some(stored.content_type.clone()));
        am.evidence_size = Set(Some(i64::try_from(stored.size).unwrap_or(i64::MAX)));
        am.evidence_sha256 = Set(Some(stored.sha256.clone()));
        am.updated_at = Set(stamp());
        Ok::<_, AppError>((am.update(txn).await?, old))
    })
    .await;
    match saved {
        Ok((row, old)) => {
            pending.keep();
            if let Some(old) = old
                && let Err(e) = state.materials().delete(&old).await
            {
                tracing::warn!(key = %old, error = %e, "removing replaced evidence failed");
            }
            Ok(row)
        }
        Err(e) => {
            pending.discard().await;
            Err(e)
        }
    }
}

async fn own_pending(
    db: &impl sea_orm::ConnectionTrait,
    p: &Principal,
    id: Uuid,
) -> AppResult<external_trainings::Model> {
    let row = external_trainings::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| r.user_id == p.user.id)
        .ok_or(AppError::NotFound)?;
    if row.status != ExternalStatus::Pending {
        return Err(AppError::Conflict {
            code: Code::ExternalNotPending,
            detail: None,
        });
    }
    Ok(row)
}

/// Serves the evidence of training `id` as an attachment to the employee and to those
/// who may decide on it (a unit admin over them, an admin); 404 for anyone else and
/// when there is no file.
pub async fn serve(
    state: &AppState,
    p: &Principal,
    id: Uuid,
    headers: &HeaderMap,
) -> AppResult<axum::response::Response> {
    let row = super::external::visible(state.db(), p, id).await?;
    let (Some(key), Some(name), Some(content_type), Some(size), Some(sha256)) = (
        row.evidence_key.clone(),
        row.evidence_file_name.clone(),
        row.evidence_content_type.clone(),
        row.evidence_size,
        row.evidence_sha256.clone(),
    ) else {
        return Err(AppError::NotFound);
    };
    // Served through the one download path of materials, always as an attachment.
    let as_material = materials::Model {
        id: row.id,
        course_id: Uuid::nil(),
        storage_key: key,
        file_name: name,
        content_type,
        size,
        sha256,
        uploaded_by: row.user_id,
        created_at: row.updated_at,
        duration_seconds: None,
    };
    crate::web::download::material(state, &as_material, headers, true).await
}

//! Rendering what authors write, away from the request threads: Markdown is bounded (see
//! `mahir_content::markdown`) yet a long text still costs tens of milliseconds, so it runs
//! on the blocking pool, and always before a write transaction begins (never while the
//! database is waiting on it). What is rendered is stored; pages only read it.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Texts shorter than this are rendered where they are (a thread hop costs more).
const INLINE_BELOW: usize = 2 * 1024;

/// Runs CPU-heavy work on the blocking pool; a panic in it is a 500, not a lost worker.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering failed: {e}")))
}

/// Markdown to sanitized HTML, images and links by file name pointing at the materials in
/// `materials` (file name → material id).
pub async fn markdown(md: String, materials: HashMap<String, Uuid>) -> AppResult<String> {
    let small = md.len() < INLINE_BELOW;
    let render = move || {
        let resolve = |name: &str| {
            materials
                .get(name.trim_start_matches("./"))
                .map(|id| format!("/materials/{id}"))
        };
        mahir_content::markdown::to_safe_html(&md, &resolve)
    };
    if small {
        Ok(render())
    } else {
        blocking(render).await
    }
}

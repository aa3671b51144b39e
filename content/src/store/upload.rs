//! Streaming an upload into the store: size cap, checksum, type sniffing and a video's
//! duration on the way in,
//! one request for small files, a multipart upload (aborted on any failure) for large ones.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

use super::{KEY_PREFIX, MaterialStore, PutError, Stored};
use crate::{media::DurationProbe, sniff};

/// Bytes kept from the start of an upload to sniff its type.
const SNIFF_LEN: usize = 8 * 1024;
/// Uploads up to this size are sent in one request; larger ones as parts of this size
/// (S3's minimum part size is 5 MiB).
const PART_SIZE: usize = 5 * 1024 * 1024;
/// Parts uploaded at the same time; with the part being filled, bounds memory per upload.
const PARTS_IN_FLIGHT: usize = 2;

impl MaterialStore {
    /// Streams `body` into the store under a new server-generated key.
    ///
    /// The bytes are hashed and counted on the way; the type is sniffed from the first bytes
    /// and checked against `file_name`'s extension (the name is used for nothing else).
    /// On any error nothing is left in the store.
    pub async fn put<S, E>(&self, mut body: S, file_name: &str) -> Result<Stored, PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::error::Error + Send + Sync + 'static,
    {
        let key = format!("{KEY_PREFIX}{}", uuid::Uuid::now_v7().simple());
        let path = Path::from(key.as_str());
        let mut upload = None;
        match self.write(&mut body, file_name, &path, &mut upload).await {
            Ok((size, sha256, content_type, duration)) => Ok(Stored {
                key,
                size,
                sha256,
                content_type: content_type.to_owned(),
                duration_seconds: duration
                    .filter(|_| content_type.starts_with("video/"))
                    // Within a day (see `media`), so the cast cannot overflow.
                    .map(|d| d.ceil() as u32),
            }),
            Err(e) => {
                if let Some(upload) = upload.take() {
                    upload.abort().await;
                }
                Err(e)
            }
        }
    }

    /// The body of [`Self::put`]; a multipart upload it starts is left in `upload` so the
    /// caller can abort it on error.
    async fn write<S, E>(
        &self,
        body: &mut S,
        file_name: &str,
        path: &Path,
        upload: &mut Option<Upload>,
    ) -> Result<(u64, String, &'static str, Option<f64>), PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::error::Error + Send + Sync + 'static,
    {
        let mut hasher = Sha256::new();
        let mut duration = DurationProbe::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut content_type: Option<&'static str> = None;
        // Chunks held back until it is clear whether one request will do.
        let mut pending: Vec<Bytes> = Vec::new();
        let mut pending_len = 0;

        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| PutError::Body(Box::new(e)))?;
            size = size.saturating_add(chunk.len() as u64);
            if size > self.max_size {
                return Err(PutError::TooLarge { max: self.max_size });
            }
            hasher.update(&chunk);
            duration.feed(&chunk);
            if content_type.is_none() {
                let take = (SNIFF_LEN - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                if head.len() == SNIFF_LEN {
                    content_type = Some(sniff::detect(&head, file_name)?);
                }
            }
            if let Some(upload) = upload.as_mut() {
                upload.write(chunk).await?;
                continue;
            }
            pending_len += chunk.len();
            pending.push(chunk);
            if pending_len >= PART_SIZE {
                let started = upload.insert(Upload::start(self.store.as_ref(), path).await?);
                for chunk in pending.drain(..) {
                    started.write(chunk).await?;
                }
            }
        }

        if size == 0 {
            return Err(PutError::Empty);
        }
        let content_type = match content_type {
            Some(known) => known,
            None => sniff::detect(&head, file_name)?,
        };
        match upload.take() {
            Some(started) => started.finish().await?,
            None => {
                self.store.put(path, PutPayload::from_iter(pending)).await?;
            }
        }
        Ok((
            size,
            hex::encode(hasher.finalize()),
            content_type,
            duration.finish(),
        ))
    }
}

/// A multipart upload in progress; dropped without [`Upload::finish`] or [`Upload::abort`]
/// (the request was cancelled), it aborts in the background so no parts are left behind.
struct Upload {
    writer: Option<WriteMultipart>,
}

impl Upload {
    async fn start(store: &dyn ObjectStore, path: &Path) -> Result<Self, object_store::Error> {
        let upload = store.put_multipart(path).await?;
        Ok(Self {
            writer: Some(WriteMultipart::new_with_chunk_size(upload, PART_SIZE)),
        })
    }

    async fn write(&mut self, chunk: Bytes) -> Result<(), object_store::Error> {
        if let Some(writer) = self.writer.as_mut() {
            writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
            writer.put(chunk);
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<(), object_store::Error> {
        match self.writer.take() {
            // `finish` aborts the upload itself when it fails.
            Some(writer) => writer.finish().await.map(drop),
            None => Ok(()),
        }
    }

    async fn abort(mut self) {
        if let Some(writer) = self.writer.take()
            && let Err(e) = writer.abort().await
        {
            tracing::warn!(error = %e, "aborting a material upload failed");
        }
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Err(e) = writer.abort().await {
                    tracing::warn!(error = %e, "aborting a cancelled material upload failed");
                }
            });
        }
    }
}

//! The material store: uploaded files streamed into an object store (local directory, memory
//! or S3) under server-generated keys, with size cap, checksum and type check on the way in.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{GetOptions, ObjectStore, ObjectStoreExt};

mod error;
mod local;
mod upload;

pub use error::{PutError, StoreError, StoreFault};

/// Where every key lives; the rest of a key is a UUIDv7 in simple form.
const KEY_PREFIX: &str = "materials/";
/// How long a readiness probe waits for the store.
const PING_TIMEOUT: Duration = Duration::from_secs(5);
/// Probed by [`MaterialStore::ping`]; never a real key, since real keys are UUIDs.
const PROBE_KEY: &str = "materials/readiness-probe";

/// The object store holding uploaded materials. Cheap to clone.
#[derive(Clone)]
pub struct MaterialStore {
    store: Arc<dyn ObjectStore>,
    max_size: u64,
    description: Arc<str>,
    /// The directory of a local store: reads go straight to the file in large chunks
    /// (object_store's local reads come in 8 KiB pieces, a thread hop each).
    local_root: Option<Arc<std::path::Path>>,
}

impl fmt::Debug for MaterialStore {
    // The backend's own Debug may include client configuration; the description is enough.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MaterialStore")
            .field("store", &self.description)
            .field("max_size", &self.max_size)
            .finish()
    }
}

/// Connection settings for an S3-compatible store, given explicitly instead of through the
/// `AWS_*` environment variables.
#[derive(Clone)]
pub struct S3Config {
    /// The bucket that holds the materials; it must exist.
    pub bucket: String,
    /// e.g. `http://127.0.0.1:9000` for MinIO or moto; `None` for AWS itself. Plain `http://`
    /// endpoints are allowed.
    pub endpoint: Option<String>,
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key; never printed.
    pub secret_access_key: String,
    /// e.g. `us-east-1`.
    pub region: String,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("region", &self.region)
            .finish()
    }
}

/// A material that was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The server-generated key, `materials/<uuid>`.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// The type sniffed from the content (see [`crate::sniff::detect`]).
    pub content_type: String,
    /// A video's playing time, in whole seconds (rounded up), read from its container
    /// header on the way in (see [`crate::media`]); `None` for anything else or unknown.
    pub duration_seconds: Option<u32>,
}

/// A material being read: the requested bytes as a stream.
pub struct Fetched {
    /// Size of the whole object.
    pub size: u64,
    /// The bytes `body` yields: the requested range clamped to the object, or all of it.
    pub range: Range<u64>,
    /// The content, streamed.
    pub body: BoxStream<'static, Result<Bytes, StoreError>>,
}

impl fmt::Debug for Fetched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetched")
            .field("size", &self.size)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

impl MaterialStore {
    /// Opens the store named by `url`: `file:///absolute/path` (created if missing),
    /// `memory://`, or `s3://bucket` configured by the standard `AWS_*` environment variables
    /// (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ALLOW_HTTP`, ...). Uploads larger than `max_size` bytes are refused.
    pub fn from_url(url: &str, max_size: u64) -> Result<Self, StoreError> {
        if url == "memory://" {
            return Ok(Self::memory(max_size));
        }
        if let Some(path) = url.strip_prefix("file://") {
            return Self::local(path, max_size);
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let bucket = rest.strip_suffix('/').unwrap_or(rest);
            if !is_bucket_name(bucket) {
                return Err(StoreError::BadUrl(redact(url)));
            }
            let builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
            return Self::build_s3(builder, bucket, max_size);
        }
        Err(StoreError::BadUrl(redact(url)))
    }

    /// A store that keeps materials in memory, for tests and demos.
    pub fn memory(max_size: u64) -> Self {
        Self {
            store: Arc::new(InMemory::new()),
            max_size,
            description: "memory://".into(),
            local_root: None,
        }
    }

    /// A store in a local directory, created if missing.
    pub fn local(path: &str, max_size: u64) -> Result<Self, StoreError> {
        let description = format!("file://{path}");
        if !path.starts_with('/') {
            return Err(StoreError::BadUrl(description));
        }
        let open = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
            url: description.clone(),
            source,
        };
        std::fs::create_dir_all(path).map_err(|e| open(e.into()))?;
        let store = LocalFileSystem::new_with_prefix(path).map_err(|e| open(e.into()))?;
        Ok(Self {
            store: Arc::new(store),
            max_size,
            description: description.into(),
            local_root: Some(Arc::from(std::path::Path::new(path))),
        })
    }

    /// A store in an S3-compatible bucket with explicit settings (no environment involved).
    pub fn s3(config: S3Config, max_size: u64) -> Result<Self, StoreError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_access_key_id(config.access_key_id)
            .with_secret_access_key(config.secret_access_key)
            .with_region(config.region);
        if let Some(endpoint) = config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        Self::build_s3(builder, &config.bucket, max_size)
    }

    fn build_s3(
        mut builder: AmazonS3Builder,
        bucket: &str,
        max_size: u64,
    ) -> Result<Self, StoreError> {
        let description = format!("s3://{bucket}");
        if !is_bucket_name(bucket) {
            return Err(StoreError::BadUrl(description));
        }
        let plain_http = [AmazonS3ConfigKey::S3Endpoint, AmazonS3ConfigKey::Endpoint]
            .iter()
            .filter_map(|key| builder.get_config_value(key))
            .any(|endpoint| endpoint.starts_with("http://"));
        if plain_http {
            builder = builder.with_allow_http(true);
        }
        let store = builder.build().map_err(|e| StoreError::Open {
            url: description.clone(),
            source: e.into(),
        })?;
        Ok(Self {
            store: Arc::new(store),
            max_size,
            description: description.into(),
            local_root: None,
        })
    }

    /// The same store with another upload limit (e.g. larger for videos).
    pub fn with_max_size(&self, max_size: u64) -> Self {
        Self {
            max_size,
            ..self.clone()
        }
    }

    /// The largest upload accepted, in bytes.
    pub fn max_size(&self) -> u64 {
        self.max_size
    }

    /// Where the materials are, without credentials: `file:///…`, `s3://bucket`, `memory://`.
    pub fn describe(&self) -> String {
        self.description.to_string()
    }

    /// The material under `key`, whole or only `range` (end exclusive; an end beyond the
    /// material is clamped), as a stream.
    pub async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<Fetched, StoreError> {
        let path = parse_key(key).ok_or(StoreError::NotFound)?;
        if let Some(root) = &self.local_root {
            return local::get(&root.join(path.as_ref()), range).await;
        }
        if let Some(r) = &range
            && r.start >= r.end
        {
            let size = self.store.head(&path).await?.size;
            return Err(StoreError::RangeNotSatisfiable { size });
        }
        let options = GetOptions::new().with_range(range.clone());
        let result = match self.store.get_opts(&path, options).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Err(StoreError::NotFound),
            Err(e) => {
                // Stores report an unsatisfiable range in their own ways; the size tells.
                if let Some(r) = range
                    && let Ok(meta) = self.store.head(&path).await
                    && r.start >= meta.size
                {
                    return Err(StoreError::RangeNotSatisfiable { size: meta.size });
                }
                return Err(StoreError::Backend(e));
            }
        };
        Ok(Fetched {
            size: result.meta.size,
            range: result.range.clone(),
            body: result.into_stream().map_err(StoreError::from).boxed(),
        })
    }

    /// Removes the material under `key`; removing a missing material succeeds.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        let Some(path) = parse_key(key) else {
            return Ok(());
        };
        match self.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(StoreError::Backend(e)),
        }
    }

    /// Every material key in the store, for reconciling it with the database.
    pub fn keys(&self) -> BoxStream<'static, Result<String, StoreError>> {
        self.store
            .list(Some(&Path::from(KEY_PREFIX)))
            .map_ok(|meta| meta.location.to_string())
            .map_err(StoreError::from)
            .boxed()
    }

    /// Whether new bytes can be written: a local store writes, syncs and removes a small
    /// probe file in its directory (a full or read-only disk shows here before an upload
    /// fails); any other store is [pinged](Self::ping).
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        let Some(root) = self.local_root.clone() else {
            return self.ping().await;
        };
        let probe = root.join(".write-probe");
        let write = tokio::task::spawn_blocking(move || write_probe(&probe));
        match tokio::time::timeout(PING_TIMEOUT, write).await {
            Err(_) => Err(StoreError::Timeout(PING_TIMEOUT)),
            Ok(Err(joined)) => Err(StoreError::Io(std::io::Error::other(joined))),
            Ok(Ok(r)) => r.map_err(StoreError::Io),
        }
    }

    /// Whether the store answers, for a readiness probe: one cheap metadata request.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let probe = Path::from(PROBE_KEY);
        match tokio::time::timeout(PING_TIMEOUT, self.store.head(&probe)).await {
            Err(_) => Err(StoreError::Timeout(PING_TIMEOUT)),
            Ok(Ok(_) | Err(object_store::Error::NotFound { .. })) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Backend(e)),
        }
    }
}

/// Writes 4 KiB to `path`, syncs it to disk and removes it again (removed on failure
/// too): whether the disk under `path` can take new data.
pub fn write_probe(path: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write;
    let written = std::fs::File::create(path).and_then(|mut f| {
        f.write_all(&[0u8; 4096])?;
        f.sync_all()
    });
    let removed = std::fs::remove_file(path);
    written.and(removed)
}

/// The store path of a key this store generated; anything else names no material.
fn parse_key(key: &str) -> Option<Path> {
    let id = key.strip_prefix(KEY_PREFIX)?;
    let well_formed = id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    well_formed.then(|| Path::from(key))
}

/// S3 bucket naming rules, enough to refuse anything that is not a plain bucket name.
fn is_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// The URL without any `user:password@` part, for error messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{MaterialStore, StoreError, is_bucket_name, parse_key, redact};

    #[test]
    fn urls_are_parsed_or_refused_by_name() {
        let memory = MaterialStore::from_url("memory://", 10);
        assert_eq!(
            memory.map(|s| s.describe()).ok().as_deref(),
            Some("memory://")
        );
        for bad in [
            "",
            "memory",
            "ftp://host/x",
            "file://relative/path",
            "s3://",
            "s3://Bucket_Name",
            "s3://bucket/with/prefix",
            "/var/lib/mahir",
        ] {
            match MaterialStore::from_url(bad, 10) {
                Err(StoreError::BadUrl(message)) => assert_eq!(message, bad),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_url_messages_hide_credentials() {
        let message = match MaterialStore::from_url("s3://AKIA:secret@bucket", 10) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted"),
        };
        assert!(!message.contains("secret"), "{message}");
        assert!(!message.contains("AKIA"), "{message}");
        assert_eq!(redact("https://u:p@host/x"), "https://***@host/x");
        assert_eq!(redact("s3://bucket"), "s3://bucket");
    }

    #[test]
    fn only_generated_keys_name_materials() {
        assert!(parse_key("materials/0190a1b2c3d47e8f9a0b1c2d3e4f5a6b").is_some());
        for bad in [
            "",
            "materials/",
            "materials/../../etc/passwd",
            "materials/0190A1B2C3D47E8F9A0B1C2D3E4F5A6B",
            "other/0190a1b2c3d47e8f9a0b1c2d3e4f5a6b",
            "materials/0190a1b2c3d47e8f9a0b1c2d3e4f5a6b/x",
            "/materials/0190a1b2c3d47e8f9a0b1c2d3e4f5a6b",
        ] {
            assert!(parse_key(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn bucket_names() {
        assert!(is_bucket_name("mahir-materials"));
        assert!(is_bucket_name("a.b-c"));
        assert!(!is_bucket_name("ab"));
        assert!(!is_bucket_name("-abc"));
        assert!(!is_bucket_name("abc/def"));
    }

    #[test]
    fn s3_settings_do_not_print_the_secret() {
        let config = super::S3Config {
            bucket: "b".repeat(3),
            endpoint: None,
            access_key_id: "id".into(),
            secret_access_key: "very-secret".into(),
            region: "us-east-1".into(),
        };
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}

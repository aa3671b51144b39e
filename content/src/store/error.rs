//! What can go wrong in the material store: failures of the store itself, and the reasons
//! an upload is refused. Messages are English and never carry credentials.

use std::time::Duration;

use crate::sniff;

/// Failures of the store itself, or of reading from it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The configured URL is not one this store understands.
    #[error(
        "unsupported material store URL {0:?}: expected file:///absolute/path, memory:// or s3://bucket"
    )]
    BadUrl(String),
    /// The store could not be set up (directory not creatable, S3 settings incomplete).
    #[error("cannot open the material store {url}")]
    Open {
        /// The store's description, without credentials.
        url: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No material has this key.
    #[error("material not found")]
    NotFound,
    /// The requested range starts beyond the end of the material, or is empty.
    #[error("the requested range is not within the material's {size} bytes")]
    RangeNotSatisfiable {
        /// Size of the whole material.
        size: u64,
    },
    /// The store did not answer in time.
    #[error("the material store did not answer within {0:?}")]
    Timeout(Duration),
    /// Reading a local material failed.
    #[error("reading the material failed")]
    Io(#[source] std::io::Error),
    /// The store failed or is unreachable.
    #[error("the material store failed")]
    Backend(#[source] object_store::Error),
}

impl From<object_store::Error> for StoreError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => Self::NotFound,
            other => Self::Backend(other),
        }
    }
}

/// Why an upload was refused or failed; nothing is left in the store in any case.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// The upload is larger than the store's limit.
    #[error("the file is larger than the limit of {max} bytes")]
    TooLarge {
        /// The limit, in bytes.
        max: u64,
    },
    /// The upload has no bytes.
    #[error("the file is empty")]
    Empty,
    /// The file name's extension claims a type the bytes do not have.
    #[error("the file is named .{declared} but its contents are {actual}")]
    TypeMismatch {
        /// The extension, without the dot.
        declared: String,
        /// The type the bytes have.
        actual: String,
    },
    /// Reading the upload from the client failed.
    #[error("reading the uploaded file failed")]
    Body(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Writing to the store failed.
    #[error("storing the file failed")]
    Store(#[from] StoreError),
}

impl From<sniff::Mismatch> for PutError {
    fn from(m: sniff::Mismatch) -> Self {
        Self::TypeMismatch {
            declared: m.declared,
            actual: m.actual.to_owned(),
        }
    }
}

impl From<object_store::Error> for PutError {
    fn from(e: object_store::Error) -> Self {
        Self::Store(StoreError::Backend(e))
    }
}

/// What a failing store means for the people using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFault {
    /// No space is left (disk full, quota reached): nothing more can be stored until some is.
    Full,
    /// The store cannot be used right now (unreachable, timing out, read-only).
    Unavailable,
}

impl StoreError {
    /// Whether this is the store failing (full or unavailable) rather than a wrong request.
    pub fn fault(&self) -> Option<StoreFault> {
        match self {
            Self::NotFound | Self::RangeNotSatisfiable { .. } | Self::BadUrl(_) => None,
            Self::Timeout(_) => Some(StoreFault::Unavailable),
            Self::Io(_) | Self::Backend(_) | Self::Open { .. } => {
                Some(io_fault(self).unwrap_or(StoreFault::Unavailable))
            }
        }
    }
}

impl PutError {
    /// See [`StoreError::fault`]; a refused upload (too large, empty, mistyped) is none.
    pub fn fault(&self) -> Option<StoreFault> {
        match self {
            Self::Store(e) => e.fault(),
            _ => None,
        }
    }
}

/// The fault an I/O error somewhere in `e`'s chain of causes stands for.
fn io_fault(e: &(dyn std::error::Error + 'static)) -> Option<StoreFault> {
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            return match io.kind() {
                ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                    Some(StoreFault::Full)
                }
                _ => Some(StoreFault::Unavailable),
            };
        }
        next = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_told_apart() {
        let full = StoreError::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(full.fault(), Some(StoreFault::Full));
        let ro = StoreError::Io(std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem));
        assert_eq!(ro.fault(), Some(StoreFault::Unavailable));
        assert_eq!(StoreError::NotFound.fault(), None);
        assert_eq!(PutError::Empty.fault(), None);
        let nested = PutError::Store(StoreError::Backend(object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(std::io::Error::from(std::io::ErrorKind::StorageFull)),
        }));
        assert_eq!(nested.fault(), Some(StoreFault::Full));
    }
}

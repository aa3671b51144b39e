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

//! Helpers for the store tests: generated and scripted upload streams, reading a download
//! back, and a minimal HTTP/1.1 client for talking to the S3 test server directly.

use std::io;

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};
use mahir_content::Fetched;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const MIB: u64 = 1024 * 1024;
pub const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
pub const PDF_HEAD: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

pub type Body = stream::Iter<std::vec::IntoIter<Result<Bytes, io::Error>>>;

/// `data` as an upload stream of `chunk`-sized pieces.
pub fn chunks(data: &[u8], chunk: usize) -> Body {
    let pieces: Vec<Result<Bytes, io::Error>> = data
        .chunks(chunk.max(1))
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(pieces)
}

/// Deterministic pseudo-random bytes: `header` and then filler up to `len` bytes, produced
/// lazily in `chunk`-sized pieces so the whole body never exists in memory.
pub fn generated(
    len: u64,
    header: &'static [u8],
    chunk: usize,
) -> impl Stream<Item = Result<Bytes, io::Error>> + Unpin + Send {
    stream::iter(Generator::new(len, header, chunk).map(Ok))
}

/// SHA-256 (hex) of what [`generated`] yields.
pub fn generated_sha256(len: u64, header: &'static [u8]) -> String {
    let mut hasher = Sha256::new();
    for piece in Generator::new(len, header, 1 << 20) {
        hasher.update(&piece);
    }
    hex::encode(hasher.finalize())
}

/// [`generated`] bytes that end in a read error after `len` bytes.
pub fn failing_after(
    len: u64,
    header: &'static [u8],
) -> impl Stream<Item = Result<Bytes, io::Error>> + Unpin + Send {
    generated(len, header, 64 * 1024).chain(stream::iter([Err(io::Error::new(
        io::ErrorKind::ConnectionReset,
        "client went away",
    ))]))
}

/// Byte `p` of the body depends only on `p`, so any chunking yields the same bytes.
struct Generator {
    produced: u64,
    len: u64,
    header: &'static [u8],
    chunk: usize,
}

impl Generator {
    fn new(len: u64, header: &'static [u8], chunk: usize) -> Self {
        Self {
            produced: 0,
            len,
            header,
            chunk,
        }
    }
}

/// splitmix64: a well-mixed 64-bit value for each 8-byte block.
fn block(index: u64) -> [u8; 8] {
    let mut z = index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).to_le_bytes()
}

impl Iterator for Generator {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        let want = (self.len - self.produced).min(self.chunk as u64);
        if want == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(usize::try_from(want).ok()?);
        let mut cached = (u64::MAX, [0u8; 8]);
        for p in self.produced..self.produced + want {
            if let Some(&b) = usize::try_from(p).ok().and_then(|i| self.header.get(i)) {
                out.push(b);
                continue;
            }
            if cached.0 != p / 8 {
                cached = (p / 8, block(p / 8));
            }
            out.push(cached.1[(p % 8) as usize]);
        }
        self.produced += want;
        Some(Bytes::from(out))
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The whole download in memory (for small bodies).
pub async fn read_all(fetched: Fetched) -> Vec<u8> {
    let mut out = Vec::new();
    let mut body = fetched.body;
    while let Some(piece) = body.next().await {
        out.extend_from_slice(&piece.unwrap());
    }
    out
}

/// SHA-256 (hex) and length of a download, read as a stream.
pub async fn hash_download(fetched: Fetched) -> (String, u64) {
    let mut hasher = Sha256::new();
    let mut len = 0;
    let mut body = fetched.body;
    while let Some(piece) = body.next().await {
        let piece = piece.unwrap();
        len += piece.len() as u64;
        hasher.update(&piece);
    }
    (hex::encode(hasher.finalize()), len)
}

/// Whether `key` has the server-generated form `materials/<32 lowercase hex>`.
pub fn is_generated_key(key: &str) -> bool {
    key.strip_prefix("materials/").is_some_and(|id| {
        id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

pub fn assert_send<T: Send>(_: &T) {}

/// One HTTP/1.1 request to 127.0.0.1:`port` without a body; the status and the body.
pub async fn raw_http(port: u16, method: &str, target: &str) -> io::Result<(u16, String)> {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    conn.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    conn.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no HTTP status line"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

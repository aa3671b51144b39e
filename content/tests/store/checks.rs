//! The checks every store backend must pass, each leaving the store as it found it, and a
//! way to see everything a backend holds (objects, staging files, unfinished uploads).

use std::path::{Path, PathBuf};

use futures_util::{TryStreamExt, stream};
use mahir_content::{MaterialStore, PutError, StoreError};

use crate::support::{
    MIB, PDF_HEAD, PNG_HEAD, assert_send, chunks, failing_after, generated, generated_sha256,
    hash_download, is_generated_key, raw_http, read_all, sha256_hex,
};

/// A store under test and how to look inside it.
pub struct Target {
    pub store: MaterialStore,
    pub inspect: Inspect,
    /// Size of the large streamed upload.
    pub large: u64,
}

pub enum Inspect {
    /// Only what the store lists.
    Keys,
    /// Every file under this directory, staging files included.
    Dir(PathBuf),
    /// The bucket's objects and its unfinished multipart uploads, on the S3 server at `port`.
    S3 { port: u16, bucket: String },
}

impl Target {
    /// Everything the backend holds, sorted.
    pub async fn contents(&self) -> Vec<String> {
        let mut found: Vec<String> = match &self.inspect {
            Inspect::Keys | Inspect::S3 { .. } => self.store.keys().try_collect().await.unwrap(),
            Inspect::Dir(root) => files_under(root, root),
        };
        if let Inspect::S3 { port, bucket } = &self.inspect {
            let (status, body) = raw_http(*port, "GET", &format!("/{bucket}?uploads"))
                .await
                .unwrap();
            assert_eq!(status, 200, "{body}");
            found.extend(
                body.split("<Upload>")
                    .skip(1)
                    .map(|u| format!("unfinished upload: {u}")),
            );
        }
        found.sort();
        found
    }
}

fn files_under(root: &Path, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(root, &path));
        } else {
            out.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out
}

pub async fn run_all(t: &Target) {
    round_trip(t).await;
    type_from_bytes_split_across_chunks(t).await;
    ranges(t).await;
    size_limit(t).await;
    type_mismatch(t).await;
    empty(t).await;
    body_error(t).await;
    hostile_names(t).await;
    missing(t).await;
    large_stream(t).await;
    t.store.ping().await.unwrap();
}

pub async fn round_trip(t: &Target) {
    let before = t.contents().await;
    let data = "Materi pelatihan kepegawaian, bab satu.\n"
        .repeat(500)
        .into_bytes();
    let put = t.store.put(chunks(&data, 1000), "catatan.txt");
    assert_send(&put);
    let stored = put.await.unwrap();
    assert!(is_generated_key(&stored.key), "{}", stored.key);
    assert_eq!(stored.size, data.len() as u64);
    assert_eq!(stored.sha256, sha256_hex(&data));
    assert_eq!(stored.content_type, "text/plain; charset=utf-8");
    assert!(
        t.contents()
            .await
            .iter()
            .any(|k| k.contains(&stored.key[10..]))
    );

    let fetched = t.store.get(&stored.key, None).await.unwrap();
    assert_eq!(fetched.size, data.len() as u64);
    assert_eq!(fetched.range, 0..data.len() as u64);
    assert_eq!(read_all(fetched).await, data);

    let again = t
        .store
        .put(chunks(&data, 4096), "catatan.txt")
        .await
        .unwrap();
    assert_ne!(
        again.key, stored.key,
        "keys are not derived from names or content"
    );

    for key in [&stored.key, &again.key] {
        t.store.delete(key).await.unwrap();
        assert!(matches!(
            t.store.get(key, None).await,
            Err(StoreError::NotFound)
        ));
        t.store.delete(key).await.unwrap();
    }
    assert_eq!(t.contents().await, before);
}

pub async fn type_from_bytes_split_across_chunks(t: &Target) {
    let mut data = PNG_HEAD.to_vec();
    data.extend(std::iter::repeat_n(7u8, 300));
    let stored = t.store.put(chunks(&data, 3), "gambar.png").await.unwrap();
    assert_eq!(stored.content_type, "image/png");
    assert_eq!(
        read_all(t.store.get(&stored.key, None).await.unwrap()).await,
        data
    );
    t.store.delete(&stored.key).await.unwrap();
}

pub async fn ranges(t: &Target) {
    let len = 100_000u64;
    let data = read_generated(len, PDF_HEAD).await;
    let stored = t
        .store
        .put(generated(len, PDF_HEAD, 7000), "modul.pdf")
        .await
        .unwrap();
    assert_eq!(stored.content_type, "application/pdf");
    assert_eq!(stored.sha256, sha256_hex(&data));

    for range in [10..20, 0..1, 8000..90_000, len - 1..len] {
        let fetched = t.store.get(&stored.key, Some(range.clone())).await.unwrap();
        assert_eq!(fetched.size, len);
        assert_eq!(fetched.range, range);
        let (start, end) = (range.start as usize, range.end as usize);
        assert_eq!(read_all(fetched).await, &data[start..end], "{range:?}");
    }
    let clamped = t
        .store
        .get(&stored.key, Some(len - 5..len + 100))
        .await
        .unwrap();
    assert_eq!(clamped.range, len - 5..len);
    assert_eq!(read_all(clamped).await, &data[data.len() - 5..]);

    for unsatisfiable in [len..len + 1, len + 10..len + 20, 5..5] {
        match t.store.get(&stored.key, Some(unsatisfiable.clone())).await {
            Err(StoreError::RangeNotSatisfiable { size }) => assert_eq!(size, len),
            other => panic!("{unsatisfiable:?}: {other:?}"),
        }
    }
    t.store.delete(&stored.key).await.unwrap();
}

pub async fn size_limit(t: &Target) {
    let before = t.contents().await;
    let tiny = t.store.with_max_size(100);
    let exact = tiny.put(chunks(&[b'a'; 100], 30), "a.txt").await.unwrap();
    assert_eq!(exact.size, 100);
    tiny.delete(&exact.key).await.unwrap();
    assert!(matches!(
        tiny.put(chunks(&[b'a'; 101], 30), "a.txt").await,
        Err(PutError::TooLarge { max: 100 })
    ));

    // Past the first part, so a multipart upload is already under way when the limit is hit.
    let small = t.store.with_max_size(7 * MIB);
    match small
        .put(generated(12 * MIB, PDF_HEAD, 256 * 1024), "besar.pdf")
        .await
    {
        Err(e @ PutError::TooLarge { max }) => {
            assert_eq!(max, 7 * MIB);
            assert!(e.to_string().contains(&(7 * MIB).to_string()), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        t.contents().await,
        before,
        "a refused upload left something behind"
    );
}

pub async fn type_mismatch(t: &Target) {
    let before = t.contents().await;
    match t.store.put(chunks(PNG_HEAD, 64), "laporan.pdf").await {
        Err(PutError::TypeMismatch { declared, actual }) => {
            assert_eq!(declared, "pdf");
            assert_eq!(actual, "image/png");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        t.store.put(chunks(b"bukan gambar", 64), "foto.png").await,
        Err(PutError::TypeMismatch { .. })
    ));
    assert!(matches!(
        t.store
            .put(generated(6 * MIB, PNG_HEAD, 64 * 1024), "video.mp4")
            .await,
        Err(PutError::TypeMismatch { .. })
    ));
    assert_eq!(t.contents().await, before);
}

pub async fn empty(t: &Target) {
    let before = t.contents().await;
    assert!(matches!(
        t.store.put(chunks(b"", 10), "kosong.txt").await,
        Err(PutError::Empty)
    ));
    let empty_chunks = stream::iter((0..3).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::new())));
    assert!(matches!(
        t.store.put(empty_chunks, "kosong.pdf").await,
        Err(PutError::Empty)
    ));
    assert_eq!(t.contents().await, before);
}

pub async fn body_error(t: &Target) {
    let before = t.contents().await;
    for len in [1000, 6 * MIB] {
        match t.store.put(failing_after(len, PDF_HEAD), "putus.pdf").await {
            Err(PutError::Body(source)) => assert!(source.to_string().contains("went away")),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(t.contents().await, before);
}

pub async fn hostile_names(t: &Target) {
    let before = t.contents().await;
    for name in [
        "../../etc/passwd",
        "..\\..\\boot.ini",
        "/etc/shadow",
        "",
        "a\0b.txt",
        "materials/x",
    ] {
        let stored = t.store.put(chunks(b"isi biasa", 4), name).await.unwrap();
        assert!(
            is_generated_key(&stored.key),
            "{name:?} gave key {}",
            stored.key
        );
        let listed = t.contents().await;
        assert_eq!(listed.len(), before.len() + 1, "{listed:?}");
        assert!(
            listed.iter().all(|k| k.starts_with("materials/")),
            "{name:?} put something outside materials/: {listed:?}"
        );
        t.store.delete(&stored.key).await.unwrap();
    }
    assert_eq!(t.contents().await, before);
}

pub async fn missing(t: &Target) {
    for key in [
        "materials/0190a1b2c3d47e8f9a0b1c2d3e4f5a6b",
        "../../etc/passwd",
        "materials/../../../etc/passwd",
        "",
    ] {
        assert!(
            matches!(t.store.get(key, None).await, Err(StoreError::NotFound)),
            "{key}"
        );
        assert!(
            matches!(
                t.store.get(key, Some(0..1)).await,
                Err(StoreError::NotFound)
            ),
            "{key}"
        );
        t.store.delete(key).await.unwrap();
    }
}

pub async fn large_stream(t: &Target) {
    let before = t.contents().await;
    let stored = t
        .store
        .put(generated(t.large, PDF_HEAD, 256 * 1024), "rekaman.pdf")
        .await
        .unwrap();
    let expected = generated_sha256(t.large, PDF_HEAD);
    assert_eq!(stored.size, t.large);
    assert_eq!(stored.sha256, expected);
    let (sha, len) = hash_download(t.store.get(&stored.key, None).await.unwrap()).await;
    assert_eq!((sha, len), (expected, t.large));
    t.store.delete(&stored.key).await.unwrap();
    assert_eq!(t.contents().await, before);
}

async fn read_generated(len: u64, header: &'static [u8]) -> Vec<u8> {
    generated(len, header, 4096)
        .try_fold(Vec::new(), |mut acc, piece| async move {
            acc.extend_from_slice(&piece);
            Ok(acc)
        })
        .await
        .unwrap()
}

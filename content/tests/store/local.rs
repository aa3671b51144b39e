//! The store on a local directory (a fresh temporary directory per test), inspected by
//! walking the directory itself so staging files left behind would show.

use mahir_content::MaterialStore;

use crate::checks::{self, Inspect, Target};
use crate::support::MIB;

fn target() -> (tempfile::TempDir, Target) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("objects");
    let url = format!("file://{}", root.display());
    let store = MaterialStore::from_url(&url, 128 * MIB).unwrap();
    assert_eq!(store.describe(), url);
    let target = Target {
        store,
        inspect: Inspect::Dir(root),
        large: 64 * MIB,
    };
    (dir, target)
}

#[test]
fn a_missing_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    MaterialStore::from_url(&format!("file://{}", nested.display()), 1).unwrap();
    assert!(nested.is_dir());
}

#[tokio::test]
async fn round_trip() {
    let (_dir, t) = target();
    checks::round_trip(&t).await;
    checks::type_from_bytes_split_across_chunks(&t).await;
}

#[tokio::test]
async fn ranges() {
    let (_dir, t) = target();
    checks::ranges(&t).await;
}

#[tokio::test]
async fn refusals_leave_nothing_behind() {
    let (_dir, t) = target();
    checks::size_limit(&t).await;
    checks::type_mismatch(&t).await;
    checks::empty(&t).await;
    checks::body_error(&t).await;
}

#[tokio::test]
async fn names_and_keys() {
    let (dir, t) = target();
    checks::hostile_names(&t).await;
    checks::missing(&t).await;
    // Nothing was written next to the store's directory either.
    let outside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["objects"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_streamed_upload() {
    let (_dir, t) = target();
    checks::large_stream(&t).await;
    t.store.ping().await.unwrap();
}

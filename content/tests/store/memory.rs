//! The in-memory store, inspected through the keys it lists; it also runs every check in
//! sequence on one store to show they leave it as they found it.

use mahir_content::MaterialStore;

use crate::checks::{self, Inspect, Target};
use crate::support::MIB;

fn target() -> Target {
    let store = MaterialStore::from_url("memory://", 128 * MIB).unwrap();
    assert_eq!(store.describe(), "memory://");
    assert_eq!(store.max_size(), 128 * MIB);
    Target {
        store,
        inspect: Inspect::Keys,
        large: 64 * MIB,
    }
}

#[tokio::test]
async fn round_trip() {
    let t = target();
    checks::round_trip(&t).await;
    checks::type_from_bytes_split_across_chunks(&t).await;
}

#[tokio::test]
async fn ranges() {
    checks::ranges(&target()).await;
}

#[tokio::test]
async fn refusals_leave_nothing_behind() {
    let t = target();
    checks::size_limit(&t).await;
    checks::type_mismatch(&t).await;
    checks::empty(&t).await;
    checks::body_error(&t).await;
}

#[tokio::test]
async fn names_and_keys() {
    let t = target();
    checks::hostile_names(&t).await;
    checks::missing(&t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_streamed_upload() {
    let t = target();
    checks::large_stream(&t).await;
    t.store.ping().await.unwrap();
}

#[tokio::test]
async fn all_checks_in_sequence_on_one_store() {
    let t = Target {
        large: 6 * MIB,
        ..target()
    };
    checks::run_all(&t).await;
}

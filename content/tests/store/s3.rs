//! The store on a real S3-compatible server: moto's `moto_server`, started on 127.0.0.1 for
//! the test and killed afterwards. Without it the test is skipped, unless MAHIR_REQUIRE_S3=1.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mahir_content::{MaterialStore, S3Config, StoreError};

use crate::checks::{self, Inspect, Target};
use crate::support::{MIB, chunks, raw_http, read_all};

const BUCKET: &str = "mahir-materials";

/// A `moto_server` child process, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// The server, answering; `None` (test skipped) when moto is not installed.
    async fn start() -> Option<Self> {
        let Some(program) = find_on_path("moto_server") else {
            if std::env::var("MAHIR_REQUIRE_S3").as_deref() == Ok("1") {
                panic!(
                    "MAHIR_REQUIRE_S3=1 but moto_server is not on PATH; install it with \
                     `pip install 'moto[server]'`"
                );
            }
            println!("skipped: moto_server not found");
            return None;
        };
        let port = free_port();
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server could not be started");
        let mut moto = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited early with {status}");
            }
            if raw_http(port, "GET", "/").await.is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let (status, body) = raw_http(moto.port, "PUT", &format!("/{BUCKET}"))
            .await
            .unwrap();
        assert_eq!(status, 200, "creating the bucket failed: {body}");
        Some(moto)
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn config(endpoint: String) -> S3Config {
    S3Config {
        bucket: BUCKET.to_owned(),
        endpoint: Some(endpoint),
        access_key_id: "test".to_owned(),
        secret_access_key: "test".to_owned(),
        region: "us-east-1".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_against_moto() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let store = MaterialStore::s3(config(moto.endpoint()), 64 * MIB).unwrap();
    assert_eq!(store.describe(), format!("s3://{BUCKET}"));
    let target = Target {
        store,
        inspect: Inspect::S3 {
            port: moto.port,
            bucket: BUCKET.to_owned(),
        },
        // More than two parts, so the upload really is multipart.
        large: 12 * MIB,
    };
    checks::run_all(&target).await;

    // `from_url` with only the standard environment variables, in a child process because
    // the environment is process-wide.
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap());
    child.args([
        "--exact",
        "s3::from_url_reads_the_aws_environment",
        "--ignored",
        "--nocapture",
    ]);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            child.env_remove(key);
        }
    }
    let output = child
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("MAHIR_TEST_S3_BUCKET", BUCKET)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(target.contents().await, Vec::<String>::new());
}

#[tokio::test]
#[ignore = "run by s3_store_against_moto in a child process with the AWS_* variables set"]
async fn from_url_reads_the_aws_environment() {
    let bucket = std::env::var("MAHIR_TEST_S3_BUCKET").expect("MAHIR_TEST_S3_BUCKET is not set");
    // No AWS_ALLOW_HTTP: an http:// AWS_ENDPOINT_URL is allowed by itself.
    let store = MaterialStore::from_url(&format!("s3://{bucket}"), MIB).unwrap();
    store.ping().await.unwrap();
    let data = b"Halo dari lingkungan AWS_*".repeat(10);
    let stored = store.put(chunks(&data, 7), "env.txt").await.unwrap();
    assert_eq!(
        read_all(store.get(&stored.key, None).await.unwrap()).await,
        data
    );
    store.delete(&stored.key).await.unwrap();
}

#[tokio::test]
async fn an_unreachable_store_fails_the_probe_cleanly() {
    let store =
        MaterialStore::s3(config(format!("http://127.0.0.1:{}", free_port())), MIB).unwrap();
    match store.ping().await {
        Err(e @ (StoreError::Timeout(_) | StoreError::Backend(_))) => {
            assert!(!e.to_string().contains("test"), "credentials in {e}");
        }
        other => panic!("{other:?}"),
    }
}

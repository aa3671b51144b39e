//! The text of an uploaded PDF, for search. PDFs come from anyone who may upload, so the
//! reading is bounded every way lopdf allows (each stream's decompressed size, pages,
//! text kept) and runs on its own thread with a large stack, inside `catch_unwind`, one
//! at a time and with a deadline: a hostile or broken file yields a reason, never a
//! crashed or blocked server. The file itself is stored and served either way.

use std::{panic::AssertUnwindSafe, sync::Arc, time::Duration};

use lopdf::{Document, LoadOptions};

/// Largest PDF whose text is read.
pub const MAX_PDF_BYTES: usize = 64 * 1024 * 1024;
/// Most text kept, in bytes.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Most pages read.
pub const MAX_PAGES: usize = 2_000;
/// Most bytes one stream may decompress to.
const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;
/// Stack of the reading thread (deeply nested objects recurse).
const STACK_BYTES: usize = 256 * 1024 * 1024;
/// How long a file may take.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// The text of a PDF, or why there is none. Runs on the calling thread: use
/// [`extract_isolated`] for untrusted files.
pub fn extract(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(format!("larger than {} MiB", MAX_PDF_BYTES / 1024 / 1024));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        return Err("encrypted".to_owned());
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().take(MAX_PAGES).collect();
    let mut out = String::new();
    for page in pages {
        let Ok(text) = doc.extract_text_with_limit(&[page], MAX_STREAM_BYTES) else {
            continue;
        };
        for word in text.split_whitespace() {
            if out.len() + word.len() + 1 > MAX_TEXT_BYTES {
                return Ok(out);
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().filter(|c| !c.is_control()));
        }
    }
    Ok(out)
}

fn gate() -> &'static Arc<tokio::sync::Semaphore> {
    static GATE: std::sync::OnceLock<Arc<tokio::sync::Semaphore>> = std::sync::OnceLock::new();
    GATE.get_or_init(|| Arc::new(tokio::sync::Semaphore::new(1)))
}

/// [`extract`] on its own thread (a panic becomes a reason), one file at a time, giving
/// up after [`DEADLINE`] (the thread finishes on its own; the next file waits for it).
pub async fn extract_isolated(bytes: bytes::Bytes) -> Result<String, String> {
    let permit = gate()
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| e.to_string())?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-text".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| extract(&bytes)))
                .unwrap_or_else(|_| Err("the reader failed on this file".to_owned()));
            let _ = tx.send(result);
            drop(permit);
        });
    if let Err(e) = spawned {
        return Err(format!("no thread to read it: {e}"));
    }
    match tokio::time::timeout(DEADLINE, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err("the reader stopped".to_owned()),
        Err(_) => Err(format!("took longer than {} s", DEADLINE.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_text_of_a_generated_pdf_is_read() {
        let pdf = crate::pdf::simple_pdf(
            "Pedoman Keamanan Informasi",
            &[
                "Gunakan kata sandi yang panjang.",
                "Laporkan insiden ke CSIRT.",
            ],
        );
        let text = extract_isolated(pdf.into()).await.expect("text");
        assert!(text.contains("Keamanan"), "{text}");
        assert!(text.contains("CSIRT"), "{text}");
    }

    #[tokio::test]
    async fn broken_and_hostile_files_give_a_reason() {
        let mut truncated = crate::pdf::simple_pdf("Judul", &["Isi."]);
        truncated.truncate(truncated.len() / 3);
        let nested = {
            let mut f = b"%PDF-1.4\n1 0 obj\n".to_vec();
            f.extend(std::iter::repeat_n(b'[', 200_000));
            f.extend(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
            f
        };
        for file in [
            b"not a pdf at all".to_vec(),
            b"%PDF-1.7\n".to_vec(),
            truncated,
            nested,
            vec![0u8; 1024],
        ] {
            let r = extract_isolated(file.into()).await;
            assert!(r.as_ref().map_or(true, |t| t.len() < 100), "{r:?}");
        }
    }
}

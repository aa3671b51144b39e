//! Content-type sniffing for uploaded materials: the type comes from the bytes, and a file
//! name whose extension claims a different type is refused; plus which types may be inline.

use std::fmt;

/// A file whose name claims one type while its bytes are another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The file name's extension, lowercase and without the dot (e.g. `pdf`).
    pub declared: String,
    /// The type the bytes actually have.
    pub actual: &'static str,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the file is named .{} but its contents are {}",
            self.declared, self.actual
        )
    }
}

impl std::error::Error for Mismatch {}

const OCTET_STREAM: &str = "application/octet-stream";
const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

/// The content type of a file from its first bytes (`head`, up to a few KiB) and its name.
///
/// The name only picks between equivalent text types (`.md`, `.csv`) and is checked against
/// the bytes: an extension of a known binary type, or `.vtt`, that the bytes contradict is a
/// [`Mismatch`]. Unknown or missing extensions take whatever the bytes say.
pub fn detect(head: &[u8], file_name: &str) -> Result<&'static str, Mismatch> {
    let extension = extension(file_name);
    let sniffed = sniff(head);
    let mismatch = |actual: &'static str| Mismatch {
        declared: extension.clone().unwrap_or_default(),
        actual,
    };
    let Some(ext) = extension.as_deref() else {
        return Ok(sniffed.content_type());
    };
    match (ext, sniffed) {
        ("md" | "markdown", Sniffed::PlainText) => Ok("text/markdown; charset=utf-8"),
        ("csv", Sniffed::PlainText) => Ok("text/csv; charset=utf-8"),
        ("vtt", Sniffed::Vtt) => Ok("text/vtt"),
        ("vtt", other) => Err(mismatch(other.content_type())),
        // Office documents are zip files; when the sniffer cannot see which one, the name says.
        ("docx", Sniffed::Binary("application/zip")) => Ok(DOCX),
        ("xlsx", Sniffed::Binary("application/zip")) => Ok(XLSX),
        ("pptx", Sniffed::Binary("application/zip")) => Ok(PPTX),
        // Some MP4 brands are unknown to the sniffer; the `ftyp` box still marks the container.
        ("mp4" | "m4v", Sniffed::Unknown) if head.get(4..8) == Some(b"ftyp") => Ok("video/mp4"),
        (ext, sniffed) => match expected_types(ext) {
            Some(allowed) if !allowed.contains(&sniffed.content_type()) => {
                Err(mismatch(sniffed.content_type()))
            }
            _ => Ok(sniffed.content_type()),
        },
    }
}

/// Whether a file of this type may be shown `inline` from the application's origin.
///
/// Only types a browser renders without running the file's own code: never HTML or SVG.
pub fn is_inline_safe(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/pdf"
            | "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "video/mp4"
            | "video/webm"
            | "audio/mpeg"
            | "audio/ogg"
            | "text/vtt"
            | "text/plain"
    )
}

/// What the bytes alone say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Binary(&'static str),
    Svg,
    Html,
    Vtt,
    PlainText,
    Unknown,
}

impl Sniffed {
    fn content_type(self) -> &'static str {
        match self {
            Self::Binary(mime) => mime,
            Self::Svg => "image/svg+xml",
            Self::Html => "text/html",
            Self::Vtt => "text/vtt",
            Self::PlainText => TEXT_PLAIN,
            Self::Unknown => OCTET_STREAM,
        }
    }
}

/// The lowercase extension of the last path segment, if it has one.
fn extension(file_name: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// The types a name with this extension may hold; `None` when the extension decides nothing.
fn expected_types(ext: &str) -> Option<&'static [&'static str]> {
    Some(match ext {
        "pdf" => &["application/pdf"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "gif" => &["image/gif"],
        "webp" => &["image/webp"],
        "mp4" | "m4v" => &["video/mp4", "video/x-m4v", "video/quicktime", "audio/mp4"],
        "webm" => &["video/webm"],
        "mp3" => &["audio/mpeg"],
        "ogg" | "oga" | "opus" => &["audio/ogg"],
        "docx" => &[DOCX],
        "xlsx" => &[XLSX],
        "pptx" => &[PPTX],
        "zip" => &["application/zip", DOCX, XLSX, PPTX],
        // Text names may hold any text, but not a known binary format.
        "txt" | "md" | "markdown" | "csv" => &[
            TEXT_PLAIN,
            "text/vtt",
            "text/html",
            "image/svg+xml",
            OCTET_STREAM,
        ],
        _ => return None,
    })
}

fn sniff(head: &[u8]) -> Sniffed {
    if let Some(kind) = infer::get(head)
        && kind.matcher_type() != infer::MatcherType::Text
    {
        return Sniffed::Binary(normalise(kind.mime_type()));
    }
    sniff_text(head)
}

/// One name per container, as browsers expect it.
fn normalise(mime: &'static str) -> &'static str {
    match mime {
        "audio/opus" => "audio/ogg",
        "audio/m4a" => "audio/mp4",
        other => other,
    }
}

fn sniff_text(head: &[u8]) -> Sniffed {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let lossy = String::from_utf8_lossy(body);
    let start = lossy.trim_start().trim_start_matches('\u{FEFF}');
    let lower_start = start.get(..start.len().min(64)).unwrap_or(start);
    let lower_start = lower_start.to_ascii_lowercase();
    let mentions = |needle: &str| lossy.to_ascii_lowercase().contains(needle);
    let prologue = lower_start.starts_with("<?xml")
        || lower_start.starts_with("<!--")
        || lower_start.starts_with("<!doctype svg");
    if lower_start.starts_with("<svg") || (prologue && mentions("<svg")) {
        return Sniffed::Svg;
    }
    if lower_start.starts_with("<!doctype html")
        || lower_start.starts_with("<html")
        || (lower_start.starts_with("<!--") && mentions("<html"))
    {
        return Sniffed::Html;
    }
    if !is_text(body) {
        return Sniffed::Unknown;
    }
    if let Some(rest) = body.strip_prefix(b"WEBVTT")
        && matches!(rest.first(), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Sniffed::Vtt;
    }
    Sniffed::PlainText
}

/// UTF-8 without control bytes other than tab, newlines, form feed and escape; a character
/// cut off at the end of the head still counts.
fn is_text(bytes: &[u8]) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            // Only an incomplete character at the very end: the head was cut mid-character.
            match std::str::from_utf8(&bytes[..e.valid_up_to()]) {
                Ok(text) => text,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    !valid.is_empty()
        && !valid
            .bytes()
            .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B) || b == 0x7F)
}

#[cfg(test)]
mod tests {
    use super::{DOCX, Mismatch, detect, is_inline_safe};

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01";
    const GIF: &[u8] = b"GIF89a\x01\0\x01\0\x80\0\0";
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const MP4: &[u8] = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41";
    const MP3: &[u8] = b"ID3\x04\0\0\0\0\0\x23TSSE";
    const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x05\0\0\0a.txt";

    fn mismatch(head: &[u8], name: &str) -> Mismatch {
        match detect(head, name) {
            Err(m) => m,
            Ok(kind) => panic!("{name}: expected a mismatch, got {kind}"),
        }
    }

    #[test]
    fn binary_types_come_from_the_bytes() {
        for (head, name, want) in [
            (PNG, "gambar.png", "image/png"),
            (PDF, "modul.pdf", "application/pdf"),
            (JPEG, "foto.JPG", "image/jpeg"),
            (JPEG, "foto.jpeg", "image/jpeg"),
            (GIF, "anim.gif", "image/gif"),
            (WEBP, "x.webp", "image/webp"),
            (MP4, "video.mp4", "video/mp4"),
            (MP3, "audio.mp3", "audio/mpeg"),
            (ZIP, "paket.zip", "application/zip"),
            (PNG, "no-extension", "image/png"),
            (PDF, "unknown.ext", "application/pdf"),
        ] {
            assert_eq!(detect(head, name), Ok(want), "{name}");
        }
    }

    #[test]
    fn office_documents_named_by_their_extension_when_the_zip_is_opaque() {
        assert_eq!(detect(ZIP, "laporan.docx"), Ok(DOCX));
        assert_eq!(mismatch(PNG, "laporan.docx").actual, "image/png");
    }

    #[test]
    fn unknown_mp4_brands_pass_on_the_ftyp_box() {
        let head = b"\0\0\0\x18ftypXYZW\0\0\0\0XYZW";
        assert_eq!(detect(head, "klip.mp4"), Ok("video/mp4"));
        assert_eq!(detect(head, "klip"), Ok("application/octet-stream"));
    }

    #[test]
    fn a_binary_extension_with_other_bytes_is_a_mismatch() {
        let m = mismatch(PNG, "x.pdf");
        assert_eq!(m.declared, "pdf");
        assert_eq!(m.actual, "image/png");
        assert_eq!(
            mismatch(b"just some text", "x.png").actual,
            "text/plain; charset=utf-8"
        );
        assert_eq!(mismatch(b"<html><script>", "x.jpg").actual, "text/html");
        assert_eq!(
            mismatch(b"\0\x01\x02\x03", "x.mp3").actual,
            "application/octet-stream"
        );
        assert_eq!(mismatch(PDF, "x.zip").actual, "application/pdf");
        assert!(mismatch(PNG, "x.pdf").to_string().contains(".pdf"));
    }

    #[test]
    fn svg_is_recognised_with_and_without_a_prologue() {
        for head in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
            b"\xEF\xBB\xBF  \n<SVG>",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg onload=\"x()\">",
            b"<!-- Generator: Illustrator -->\n<svg>",
        ] {
            assert_eq!(detect(head, "gambar.svg"), Ok("image/svg+xml"));
            assert_eq!(detect(head, "noext"), Ok("image/svg+xml"));
        }
        // XML that is not SVG is plain text.
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><note/>", "a.xml"),
            Ok("text/plain; charset=utf-8")
        );
    }

    #[test]
    fn html_is_recognised_case_insensitively() {
        for head in [
            &b"<!DOCTYPE html><title>x</title>"[..],
            b"  <!doctype HTML>",
            b"<HTML><body onload=alert(1)>",
            b"<!-- saved --><html>",
        ] {
            assert_eq!(detect(head, "page.html"), Ok("text/html"));
            assert_eq!(detect(head, "page.txt"), Ok("text/html"));
        }
    }

    #[test]
    fn text_types() {
        assert_eq!(
            detect(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHalo", "sub.vtt"),
            Ok("text/vtt")
        );
        assert_eq!(detect(b"\xEF\xBB\xBFWEBVTT", "sub.vtt"), Ok("text/vtt"));
        assert_eq!(detect(b"WEBVTT\n", "sub"), Ok("text/vtt"));
        assert_eq!(
            detect(b"# Judul\n\nIsi", "bab1.md"),
            Ok("text/markdown; charset=utf-8")
        );
        assert_eq!(
            detect(b"nip,nama\n1,Budi", "data.CSV"),
            Ok("text/csv; charset=utf-8")
        );
        assert_eq!(
            detect("Selamat pagi, Bu Siti".as_bytes(), "catatan.txt"),
            Ok("text/plain; charset=utf-8")
        );
        assert_eq!(detect(b"plain", "noext"), Ok("text/plain; charset=utf-8"));
        assert_eq!(detect(b"plain", ".hidden"), Ok("text/plain; charset=utf-8"));
    }

    #[test]
    fn a_vtt_that_is_not_webvtt_is_a_mismatch() {
        assert_eq!(
            mismatch(b"1\n00:00:01,000 --> 00:00:02,000\nHalo", "sub.vtt").actual,
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            mismatch(b"WEBVTTX", "sub.vtt").actual,
            "text/plain; charset=utf-8"
        );
        assert_eq!(mismatch(PNG, "sub.vtt").actual, "image/png");
    }

    #[test]
    fn text_names_refuse_binary_bytes_but_not_other_text() {
        assert_eq!(mismatch(PDF, "catatan.txt").actual, "application/pdf");
        assert_eq!(detect(b"<svg>", "x.md"), Ok("image/svg+xml"));
    }

    #[test]
    fn bytes_that_are_not_text_are_octet_stream() {
        assert_eq!(
            detect(b"\0\0\0\x07abc", "data.bin"),
            Ok("application/octet-stream")
        );
        assert_eq!(
            detect(b"\xff\xfe\x00a", "data"),
            Ok("application/octet-stream")
        );
        assert_eq!(detect(b"", "empty"), Ok("application/octet-stream"));
    }

    #[test]
    fn a_character_cut_at_the_end_of_the_head_is_still_text() {
        let mut head = "a".repeat(10).into_bytes();
        head.extend_from_slice(&"é".as_bytes()[..1]);
        assert_eq!(detect(&head, "x.txt"), Ok("text/plain; charset=utf-8"));
        assert_eq!(detect(b"ab\xC3(cd", "x"), Ok("application/octet-stream"));
    }

    #[test]
    fn only_passive_types_are_inline_safe() {
        for safe in [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "video/mp4",
            "video/webm",
            "audio/mpeg",
            "audio/ogg",
            "text/vtt",
            "text/plain; charset=utf-8",
            "Text/Plain",
        ] {
            assert!(is_inline_safe(safe), "{safe}");
        }
        for unsafe_type in [
            "text/html",
            "text/html; charset=utf-8",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/xml",
            "application/octet-stream",
            "application/zip",
            "text/markdown; charset=utf-8",
            "",
        ] {
            assert!(!is_inline_safe(unsafe_type), "{unsafe_type}");
        }
    }
}

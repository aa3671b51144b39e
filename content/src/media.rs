//! The playing time of an MP4 or WebM video, read from its container header as the bytes
//! of an upload pass by (no second read, no decoding): MP4's `moov/mvhd` time scale and
//! duration, WebM's `Segment/Info` timestamp scale and duration.
//!
//! Only these two numbers are read, so the reader is our own: the general container
//! crates allocate whatever size a file declares before reading it (a hostile WebM can
//! make them ask for exabytes, which aborts the process). Here every size is checked
//! against small caps, memory is bounded by [`MAX_HEADER`], and anything unexpected simply
//! means "duration unknown".

/// The largest MP4 `moov` or WebM `Info` kept in memory to read the duration from.
pub const MAX_HEADER: u64 = 32 * 1024 * 1024;
/// The longest duration believed, in seconds (a day; lessons are far shorter).
const MAX_SECONDS: f64 = 86_400.0;

const EBML_MAGIC: [u8; 4] = [0x1A, 0x45, 0xDF, 0xA3];
const SEGMENT: u64 = 0x1853_8067;
const INFO: u64 = 0x1549_A966;
const TIMESTAMP_SCALE: u64 = 0x2A_D7B1;
const DURATION: u64 = 0x4489;

/// Reads the duration of a video whose bytes are fed to it in order.
#[derive(Debug, Default)]
pub struct DurationProbe {
    /// Bytes not yet consumed: a header being completed, or a box being kept.
    buf: Vec<u8>,
    /// Bytes still to pass over before the next header.
    skip: u64,
    state: State,
}

#[derive(Debug, Default)]
enum State {
    /// Deciding the format from the first bytes.
    #[default]
    Start,
    /// MP4: reading top-level boxes.
    Mp4,
    /// MP4: keeping the `moov` box of this many bytes (header included).
    Mp4Moov(u64),
    /// WebM: reading top-level elements, looking for the segment.
    WebmTop,
    /// WebM: reading the segment's children.
    WebmSegment,
    /// WebM: keeping the `Info` element's body of this many bytes.
    WebmInfo(u64),
    /// Found (seconds), or given up (`None`).
    Done(Option<f64>),
}

impl DurationProbe {
    /// A probe that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the next bytes of the file.
    pub fn feed(&mut self, mut chunk: &[u8]) {
        while !chunk.is_empty() && !matches!(self.state, State::Done(_)) {
            if self.skip > 0 {
                let n = usize::try_from(self.skip)
                    .unwrap_or(usize::MAX)
                    .min(chunk.len());
                chunk = &chunk[n..];
                self.skip -= n as u64;
                continue;
            }
            let want = match self.state {
                State::Mp4Moov(size) | State::WebmInfo(size) => size,
                _ => 16,
            };
            let missing = usize::try_from(want)
                .unwrap_or(usize::MAX)
                .saturating_sub(self.buf.len());
            let n = missing.min(chunk.len());
            self.buf.extend_from_slice(&chunk[..n]);
            chunk = &chunk[n..];
            self.step(false);
        }
    }

    /// The duration in seconds, once the whole file was fed; `None` when unknown.
    pub fn finish(mut self) -> Option<f64> {
        // Headers shorter than 16 bytes at the very end of the file.
        while !self.buf.is_empty() && !matches!(self.state, State::Done(_)) {
            let before = self.buf.len();
            self.step(true);
            if self.buf.len() == before && !matches!(self.state, State::Done(_)) {
                break;
            }
        }
        match self.state {
            State::Done(d) => d,
            _ => None,
        }
    }

    /// Consumes what the buffer holds, as far as it goes.
    fn step(&mut self, at_end: bool) {
        loop {
            let before = (
                self.buf.len(),
                self.skip,
                std::mem::discriminant(&self.state),
            );
            match self.state {
                State::Start => {
                    if self.buf.len() < 8 && !at_end {
                        return;
                    }
                    self.state = if self.buf.get(4..8) == Some(b"ftyp") {
                        State::Mp4
                    } else if self.buf.starts_with(&EBML_MAGIC) {
                        State::WebmTop
                    } else {
                        State::Done(None)
                    };
                }
                State::Mp4 => self.mp4_box(at_end),
                State::Mp4Moov(size) => {
                    if (self.buf.len() as u64) < size {
                        return;
                    }
                    let found = mp4_duration(&self.buf);
                    self.state = State::Done(found);
                }
                State::WebmTop => self.webm_element(true, at_end),
                State::WebmSegment => self.webm_element(false, at_end),
                State::WebmInfo(size) => {
                    if (self.buf.len() as u64) < size {
                        return;
                    }
                    let found = webm_duration(&self.buf);
                    self.state = State::Done(found);
                }
                State::Done(_) => {
                    self.buf = Vec::new();
                    return;
                }
            }
            let after = (
                self.buf.len(),
                self.skip,
                std::mem::discriminant(&self.state),
            );
            if after == before {
                return;
            }
            if self.skip > 0 {
                return;
            }
        }
    }

    fn mp4_box(&mut self, at_end: bool) {
        let Some((size, kind, _)) = mp4_header(&self.buf) else {
            if at_end || self.buf.len() >= 16 {
                self.state = State::Done(None);
            }
            return;
        };
        if kind == *b"moov" {
            match size {
                Some(s) if s <= MAX_HEADER => self.state = State::Mp4Moov(s),
                _ => self.state = State::Done(None),
            }
            return;
        }
        match size {
            // A box to the end of the file other than `moov`: nothing more to read.
            None => self.state = State::Done(None),
            Some(s) => self.pass_over(s),
        }
    }

    /// Passes over the next `n` bytes, some of which may already be in the buffer.
    fn pass_over(&mut self, n: u64) {
        let kept = self.buf.len() as u64;
        if kept >= n {
            self.buf.drain(..usize::try_from(n).unwrap_or(0));
        } else {
            self.buf.clear();
            self.skip = n - kept;
        }
    }

    fn webm_element(&mut self, top: bool, at_end: bool) {
        let Some((id, size, header)) = ebml_header(&self.buf) else {
            if at_end || self.buf.len() >= 12 {
                self.state = State::Done(None);
            }
            return;
        };
        let rest = self.buf.split_off(header);
        self.buf = rest;
        match (top, id, size) {
            // The segment is entered, whatever its size.
            (true, SEGMENT, _) => self.state = State::WebmSegment,
            (false, INFO, Some(s)) if s <= MAX_HEADER => self.state = State::WebmInfo(s),
            // Any other element of known size is passed over.
            (_, _, Some(s)) if id != INFO => self.pass_over(s),
            _ => self.state = State::Done(None),
        }
    }
}

/// An MP4 box header at the start of `b`: (size including the header, or `None` for "to
/// the end of the file"; type; header length).
fn mp4_header(b: &[u8]) -> Option<(Option<u64>, [u8; 4], usize)> {
    let size32 = u32::from_be_bytes(b.get(0..4)?.try_into().ok()?);
    let kind: [u8; 4] = b.get(4..8)?.try_into().ok()?;
    match size32 {
        0 => Some((None, kind, 8)),
        1 => {
            let size = u64::from_be_bytes(b.get(8..16)?.try_into().ok()?);
            (size >= 16).then_some((Some(size), kind, 16))
        }
        s if s >= 8 => Some((Some(u64::from(s)), kind, 8)),
        _ => None,
    }
}

/// The duration in a whole `moov` box (header included), from its `mvhd`.
fn mp4_duration(moov: &[u8]) -> Option<f64> {
    let (_, _, header) = mp4_header(moov)?;
    let mut at = header;
    while at < moov.len() {
        let (size, kind, h) = mp4_header(&moov[at..])?;
        let size = usize::try_from(size.unwrap_or((moov.len() - at) as u64)).ok()?;
        let body = moov.get(at + h..at.checked_add(size)?)?;
        if kind == *b"mvhd" {
            let version = *body.first()?;
            let (scale, duration) = if version == 1 {
                let scale = u32::from_be_bytes(body.get(20..24)?.try_into().ok()?);
                let duration = u64::from_be_bytes(body.get(24..32)?.try_into().ok()?);
                (scale, duration)
            } else {
                let scale = u32::from_be_bytes(body.get(12..16)?.try_into().ok()?);
                let duration = u32::from_be_bytes(body.get(16..20)?.try_into().ok()?);
                // All ones: unknown.
                (
                    scale,
                    if duration == u32::MAX {
                        u64::MAX
                    } else {
                        u64::from(duration)
                    },
                )
            };
            if scale == 0 || duration == u64::MAX {
                return None;
            }
            return plausible(duration as f64 / f64::from(scale));
        }
        at = at.checked_add(size.max(h))?;
    }
    None
}

/// An EBML element header at the start of `b`: (id with its marker bits, size or `None`
/// for "unknown", header length).
fn ebml_header(b: &[u8]) -> Option<(u64, Option<u64>, usize)> {
    let first = *b.first()?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 {
        return None;
    }
    let id = b
        .get(..id_len)?
        .iter()
        .fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
    let first = *b.get(id_len)?;
    let size_len = first.leading_zeros() as usize + 1;
    if size_len > 8 {
        return None;
    }
    let raw = b.get(id_len..id_len + size_len)?;
    let mask = if size_len == 8 { 0 } else { 0xFFu8 >> size_len };
    let mut size = u64::from(raw[0] & mask);
    for x in &raw[1..] {
        size = (size << 8) | u64::from(*x);
    }
    let unknown = size == (1u64 << (7 * size_len)) - 1;
    Some((id, (!unknown).then_some(size), id_len + size_len))
}

/// The duration in a WebM `Info` element's body.
fn webm_duration(info: &[u8]) -> Option<f64> {
    let mut scale: u64 = 1_000_000;
    let mut duration = None;
    let mut at = 0;
    while at < info.len() {
        let (id, size, h) = ebml_header(&info[at..])?;
        let size = usize::try_from(size?).ok()?;
        let body = info.get(at + h..(at + h).checked_add(size)?)?;
        match id {
            TIMESTAMP_SCALE if (1..=8).contains(&size) => {
                scale = body.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
            }
            DURATION => {
                duration = match size {
                    4 => Some(f64::from(f32::from_be_bytes(body.try_into().ok()?))),
                    8 => Some(f64::from_be_bytes(body.try_into().ok()?)),
                    _ => None,
                };
            }
            _ => {}
        }
        at += h + size;
    }
    plausible(duration? * scale as f64 / 1e9)
}

fn plausible(seconds: f64) -> Option<f64> {
    (seconds.is_finite() && seconds > 0.0 && seconds <= MAX_SECONDS).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }

    /// A minimal MP4: ftyp, mdat (before or after moov), moov with mvhd.
    pub(crate) fn mp4(seconds: u32, moov_last: bool) -> Vec<u8> {
        let mut mvhd = vec![0u8; 100];
        mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
        mvhd[16..20].copy_from_slice(&(seconds * 1000).to_be_bytes());
        let moov = bx(b"moov", &bx(b"mvhd", &mvhd));
        let mdat = bx(b"mdat", &vec![7u8; 50_000]);
        let mut f = bx(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
        if moov_last {
            f.extend(mdat);
            f.extend(moov);
        } else {
            f.extend(moov);
            f.extend(mdat);
        }
        f
    }

    fn el(id: &[u8], body: &[u8]) -> Vec<u8> {
        let mut e = id.to_vec();
        // An 8-byte size, as muxers often write.
        e.push(0x01);
        e.extend_from_slice(&(body.len() as u64).to_be_bytes()[1..]);
        e.extend_from_slice(body);
        e
    }

    fn webm(seconds: f64, unknown_segment: bool) -> Vec<u8> {
        let mut f = el(&EBML_MAGIC, &el(&[0x42, 0x82], b"webm"));
        let info = [
            el(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]),
            el(&[0x44, 0x89], &(seconds * 1000.0).to_be_bytes()),
        ]
        .concat();
        let segment_body = [
            el(&[0x11, 0x4D, 0x9B, 0x74], &[0u8; 40]),
            el(&[0x15, 0x49, 0xA9, 0x66], &info),
            el(&[0x1F, 0x43, 0xB6, 0x75], &vec![1u8; 30_000]),
        ]
        .concat();
        f.extend_from_slice(&[0x18, 0x53, 0x80, 0x67]);
        if unknown_segment {
            f.push(0xFF);
        } else {
            f.push(0x01);
            f.extend_from_slice(&(segment_body.len() as u64).to_be_bytes()[1..]);
        }
        f.extend(segment_body);
        f
    }

    fn probe(bytes: &[u8], chunk: usize) -> Option<f64> {
        let mut p = DurationProbe::new();
        for c in bytes.chunks(chunk.max(1)) {
            p.feed(c);
        }
        p.finish()
    }

    #[test]
    fn mp4_durations_in_any_chunking() {
        for moov_last in [false, true] {
            let f = mp4(125, moov_last);
            for chunk in [1, 3, 7, 64, 4096, f.len()] {
                assert_eq!(probe(&f, chunk), Some(125.0), "{moov_last} {chunk}");
            }
        }
    }

    #[test]
    fn webm_durations_in_any_chunking() {
        for unknown in [false, true] {
            let f = webm(93.5, unknown);
            for chunk in [1, 5, 13, 4096, f.len()] {
                assert_eq!(probe(&f, chunk), Some(93.5), "{unknown} {chunk}");
            }
        }
    }

    #[test]
    fn hostile_or_other_files_have_no_duration() {
        assert_eq!(probe(b"%PDF-1.4 hello", 4), None);
        assert_eq!(probe(b"", 4), None);
        // A moov that claims more than the cap is not kept.
        let mut f = bx(b"ftyp", b"isom");
        f.extend_from_slice(&1u32.to_be_bytes());
        f.extend_from_slice(b"moov");
        f.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(probe(&f, 7), None);
        // Truncated files, at every length.
        let whole = mp4(60, false);
        for n in 0..200 {
            let _ = probe(&whole[..n], 5);
        }
        let w = webm(10.0, false);
        for n in 0..w.len().min(400) {
            let _ = probe(&w[..n], 3);
        }
        // An Info element claiming an exabyte.
        let mut huge = el(&EBML_MAGIC, b"");
        huge.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0xFF, 0x15, 0x49, 0xA9, 0x66, 0x01]);
        huge.extend_from_slice(&[0xFF; 7]);
        assert_eq!(probe(&huge, 3), None);
        // A duration of zero, negative or absurd is not believed.
        assert_eq!(probe(&mp4(0, false), 64), None);
        assert_eq!(probe(&webm(-5.0, false), 64), None);
        assert_eq!(probe(&webm(1e12, false), 64), None);
    }

    #[test]
    fn random_bytes_never_panic() {
        // A small xorshift: deterministic noise after valid starts.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..2000 {
            let mut f = if round % 2 == 0 {
                mp4(10, round % 4 == 0)[..40].to_vec()
            } else {
                webm(10.0, false)[..30].to_vec()
            };
            for _ in 0..(round % 300) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                f.push(x as u8);
            }
            let _ = probe(&f, 1 + round % 17);
        }
    }
}

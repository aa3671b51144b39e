//! Simple generated PDFs (a title and wrapped paragraphs on A4 pages), written with lopdf
//! and the built-in Helvetica fonts; used for demo course materials.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 57.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TITLE_SIZE: f32 = 18.0;
const TITLE_LEADING: f32 = 24.0;
const TITLE_GAP: f32 = 12.0;
const BODY_SIZE: f32 = 11.0;
const BODY_LEADING: f32 = 15.0;
const PARAGRAPH_GAP: f32 = 6.0;

/// An A4 PDF with `title` in large bold type at the top of the first page and `paragraphs`
/// word-wrapped below it, continuing on new pages as needed.
///
/// Characters outside WinAnsi (the built-in fonts' encoding) are printed as `?`.
pub fn simple_pdf(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    let mut layout = Layout::default();
    for line in wrap(title, TITLE_SIZE, Font::Bold) {
        layout.line(line, Font::Bold, TITLE_SIZE, TITLE_LEADING);
    }
    layout.gap(TITLE_GAP);
    for paragraph in paragraphs {
        for line in wrap(paragraph, BODY_SIZE, Font::Regular) {
            layout.line(line, Font::Regular, BODY_SIZE, BODY_LEADING);
        }
        layout.gap(PARAGRAPH_GAP);
    }
    // Writing into memory has no failure of its own; an error here is a bug in this module.
    write(title, layout.finish())
        .unwrap_or_else(|e| panic!("building an in-memory PDF failed: {e}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource_name(self) -> &'static str {
        match self {
            Self::Regular => "F1",
            Self::Bold => "F2",
        }
    }
}

/// Places lines top to bottom and starts a new page when the next one would not fit.
struct Layout {
    pages: Vec<Vec<Operation>>,
    current: Vec<Operation>,
    /// Baseline of the last line placed, or the top margin on a fresh page.
    y: f32,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            pages: Vec::new(),
            current: Vec::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }
}

impl Layout {
    fn line(&mut self, text: String, font: Font, size: f32, leading: f32) {
        if self.y - leading < MARGIN {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE_HEIGHT - MARGIN;
        }
        self.y -= leading;
        self.current.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![font.resource_name().into(), size.into()]),
            Operation::new("Td", vec![MARGIN.into(), self.y.into()]),
            Operation::new(
                "Tj",
                vec![Object::String(win_ansi(&text), StringFormat::Literal)],
            ),
            Operation::new("ET", vec![]),
        ]);
    }

    /// Vertical space between blocks, not carried over to the top of a new page.
    fn gap(&mut self, height: f32) {
        if !self.current.is_empty() {
            self.y -= height;
        }
    }

    fn finish(mut self) -> Vec<Vec<Operation>> {
        if !self.current.is_empty() || self.pages.is_empty() {
            self.pages.push(self.current);
        }
        self.pages
    }
}

fn write(title: &str, pages: Vec<Vec<Operation>>) -> lopdf::Result<Vec<u8>> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = |base: &str| -> Dictionary {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => base.to_owned(),
            "Encoding" => "WinAnsiEncoding",
        }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });

    let mut kids: Vec<Object> = Vec::with_capacity(pages.len());
    for operations in pages {
        let mut stream = Stream::new(Dictionary::new(), Content { operations }.encode()?);
        // Compression is an optimisation; an uncompressed stream is just as valid.
        let _ = stream.compress();
        let content: ObjectId = doc.add_object(stream);
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content,
        });
        kids.push(page.into());
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(utf16_text(title), StringFormat::Hexadecimal),
        "Producer" => Object::string_literal("Mahir"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);

    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// Lines of `text` that fit the text width, breaking between words, and inside a word only
/// when the word alone is too wide.
fn wrap(text: &str, size: f32, font: Font) -> Vec<String> {
    let max = TEXT_WIDTH * 1000.0 / size;
    let space = char_width(' ', font);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split_whitespace() {
        let word_width: f32 = word.chars().map(|c| char_width(c, font)).sum();
        if !line.is_empty() && line_width + space + word_width <= max {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        for c in word.chars() {
            let w = char_width(c, font);
            if !line.is_empty() && line_width + w > max {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Glyph width in thousandths of the font size (Helvetica's metrics; bold approximated).
fn char_width(c: char, font: Font) -> f32 {
    let regular: u16 = match c {
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | '[' | '\\' | ']' | 'f' | 't' | 'I' => 278,
        '"' => 355,
        '\'' => 191,
        '(' | ')' | '-' | '`' | 'r' => 333,
        '*' => 389,
        '+' | '<' | '=' | '>' | '~' => 584,
        '%' => 889,
        '&' | 'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 667,
        '@' => 1015,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 722,
        'F' | 'T' | 'Z' => 611,
        'G' | 'O' | 'Q' => 778,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500,
        'L' => 556,
        'M' | 'm' => 833,
        'W' => 944,
        '^' => 469,
        'i' | 'j' | 'l' => 222,
        'w' => 722,
        '{' | '}' => 334,
        '|' => 260,
        _ => 556,
    };
    let width = f32::from(regular);
    match font {
        Font::Regular => width,
        Font::Bold => width * 1.08,
    }
}

/// The text in WinAnsiEncoding; other characters become `?`, control characters spaces.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{A0}'..='\u{FF}' => c as u32 as u8,
            c if c.is_control() => b' ',
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => b'?',
        })
        .collect()
}

/// A PDF text string in UTF-16BE with its byte-order mark, for document metadata.
fn utf16_text(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use lopdf::{Document, Object};

    use super::{BODY_SIZE, Font, TEXT_WIDTH, char_width, simple_pdf, win_ansi};

    /// Every string shown with `Tj`, page by page.
    fn shown_text(pdf: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let doc = Document::load_mem(pdf).unwrap();
        doc.get_pages()
            .values()
            .map(|&page| {
                doc.get_and_decode_page_content(page)
                    .unwrap()
                    .operations
                    .into_iter()
                    .filter(|op| op.operator == "Tj")
                    .map(|op| match op.operands.as_slice() {
                        [Object::String(bytes, _)] => bytes.clone(),
                        other => panic!("unexpected Tj operands {other:?}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn output_is_a_complete_pdf() {
        let pdf = simple_pdf("Pengantar Kepegawaian", &["Selamat datang di modul ini."]);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        let doc = Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        assert_eq!(
            shown_text(&pdf),
            vec![vec![
                b"Pengantar Kepegawaian".to_vec(),
                b"Selamat datang di modul ini.".to_vec()
            ]]
        );
    }

    #[test]
    fn long_text_continues_on_new_pages() {
        // The first page holds the title and 33 one-line paragraphs, later pages 34 each.
        let paragraphs: Vec<String> = (1..=102).map(|n| format!("Paragraf {n}.")).collect();
        let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let three = simple_pdf("Modul", &refs[..101]);
        assert_eq!(Document::load_mem(&three).unwrap().get_pages().len(), 3);
        let four = simple_pdf("Modul", &refs);
        assert_eq!(Document::load_mem(&four).unwrap().get_pages().len(), 4);
        let pages = shown_text(&four);
        assert_eq!(
            pages.iter().map(Vec::len).collect::<Vec<_>>(),
            [34, 34, 34, 1]
        );
        assert_eq!(pages[3][0], b"Paragraf 102.");
    }

    #[test]
    fn paragraphs_wrap_within_the_page_width_and_keep_every_word() {
        let words: Vec<String> = (0..400).map(|n| format!("kata{n}")).collect();
        let paragraph = words.join(" ");
        let long_word = "Supercalifragilistik".repeat(20);
        let pdf = simple_pdf("Judul", &[&paragraph, &long_word]);
        let lines: Vec<String> = shown_text(&pdf)
            .concat()
            .into_iter()
            .skip(1)
            .map(|l| String::from_utf8(l).unwrap())
            .collect();
        assert!(lines.len() > 20, "{} lines", lines.len());
        for line in &lines {
            let width: f32 = line.chars().map(|c| char_width(c, Font::Regular)).sum();
            assert!(width * BODY_SIZE / 1000.0 <= TEXT_WIDTH, "too wide: {line}");
        }
        let pieces: Vec<&String> = lines.iter().filter(|l| !l.contains("kata")).collect();
        assert!(pieces.len() >= 2, "the long word was not broken");
        let joined: String = pieces.into_iter().map(String::as_str).collect();
        assert_eq!(joined, long_word);
        let rejoined: Vec<&str> = lines.iter().flat_map(|l| l.split(' ')).take(400).collect();
        assert_eq!(rejoined, words);
    }

    #[test]
    fn text_is_escaped_and_encoded() {
        let tricky = r"Rumus (a+b)) \ (c ( d) \) é ü ß — “kutip” 漢字 🙂";
        let pdf = simple_pdf("Judul (uji) \\", &[tricky]);
        let pages = shown_text(&pdf);
        assert_eq!(pages[0][0], b"Judul (uji) \\");
        assert_eq!(pages[0][1], win_ansi(tricky));
        assert_eq!(
            win_ansi("é—“”漢🙂"),
            vec![0xE9, 0x97, 0x93, 0x94, b'?', b'?']
        );
        let text = Document::load_mem(&pdf)
            .unwrap()
            .extract_text(&[1])
            .unwrap();
        assert!(text.contains("Rumus (a+b)) \\ (c ( d) \\)"), "{text}");
    }

    #[test]
    fn empty_input_still_makes_one_page() {
        let pdf = simple_pdf("", &[]);
        assert_eq!(Document::load_mem(&pdf).unwrap().get_pages().len(), 1);
    }
}

//! The analyzers of the search index: Indonesian (lower-cased, stop words removed,
//! stemmed by the Nazief–Adriani / enhanced confix stripping algorithm against an openly
//! licensed list of root words) and English (lower-cased, stop words removed, Snowball
//! stemmer). Each is a tantivy 0.27 [`TextAnalyzer`] registered under its name.

use std::{borrow::Cow, mem, sync::OnceLock};

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// The name of the Indonesian analyzer in an index's tokenizer manager.
pub const INDONESIAN: &str = "mahir_id";
/// The name of the English analyzer.
pub const ENGLISH: &str = "mahir_en";

/// Tokens longer than this many bytes are dropped (no word is; base64 and hashes are).
const MAX_TOKEN_BYTES: usize = 40;

/// Indonesian function words that carry no meaning of their own in a search.
pub const INDONESIAN_STOP_WORDS: &[&str] = &[
    "ada",
    "adalah",
    "agar",
    "akan",
    "aku",
    "anda",
    "antara",
    "apa",
    "apabila",
    "atas",
    "atau",
    "bagaimana",
    "bagi",
    "bahwa",
    "banyak",
    "beberapa",
    "begitu",
    "belum",
    "bila",
    "bisa",
    "boleh",
    "bukan",
    "dalam",
    "dan",
    "dapat",
    "dari",
    "daripada",
    "demikian",
    "dengan",
    "di",
    "dia",
    "hal",
    "hanya",
    "harus",
    "hingga",
    "ia",
    "ialah",
    "ini",
    "itu",
    "jadi",
    "jika",
    "juga",
    "kalau",
    "kami",
    "kamu",
    "karena",
    "ke",
    "kepada",
    "ketika",
    "kita",
    "lagi",
    "lain",
    "lalu",
    "maka",
    "masih",
    "mereka",
    "namun",
    "oleh",
    "pada",
    "para",
    "per",
    "pun",
    "saat",
    "sangat",
    "saja",
    "sampai",
    "saya",
    "se",
    "sebagai",
    "sebelum",
    "sedang",
    "sehingga",
    "sejak",
    "seperti",
    "serta",
    "setelah",
    "sudah",
    "supaya",
    "tanpa",
    "tapi",
    "telah",
    "tentang",
    "tersebut",
    "tetapi",
    "untuk",
    "yaitu",
    "yakni",
    "yang",
];

/// The root words of at least three letters (the one- and two-letter words of the list,
/// prepositions and interjections, would be found inside longer words).
fn roots() -> &'static sastrawi::Dictionary {
    static ROOTS: OnceLock<sastrawi::Dictionary> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let words: Vec<&str> = include_str!("../../data/id-roots.txt")
            .lines()
            .filter(|w| w.len() >= 3)
            .collect();
        sastrawi::Dictionary::custom(&words)
    })
}

fn stemmer() -> &'static sastrawi::Stemmer<'static> {
    static STEMMER: OnceLock<sastrawi::Stemmer<'static>> = OnceLock::new();
    STEMMER.get_or_init(|| sastrawi::Stemmer::new(roots()))
}

/// The stem of one lower-case Indonesian word: its root word when the algorithm finds
/// one in the dictionary, else the word unchanged (so are words with other letters than
/// a–z, and words of fewer than three letters). Stems are remembered per thread (words
/// repeat: indexing and snippets ask for the same ones again and again).
pub fn stem_indonesian(word: &str) -> Cow<'_, str> {
    use std::{cell::RefCell, collections::HashMap};
    thread_local! {
        static STEMS: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
    }
    /// Words remembered per thread before the memory starts afresh.
    const MAX_REMEMBERED: usize = 200_000;
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let known = STEMS.with(|m| m.borrow().get(word).cloned());
    let stem = match known {
        Some(stem) => stem,
        None => {
            let stem = match stem_uncached(word) {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(_) => None,
            };
            STEMS.with(|m| {
                let mut m = m.borrow_mut();
                if m.len() >= MAX_REMEMBERED {
                    m.clear();
                }
                m.insert(word.to_owned(), stem.clone());
            });
            stem
        }
    };
    match stem {
        Some(s) => Cow::Owned(s),
        None => Cow::Borrowed(word),
    }
}

/// [`stem_indonesian`] without the memory.
fn stem_uncached(word: &str) -> Cow<'_, str> {
    let regular = stemmer().stem_word(word);
    let regular = (regular != word && roots().find(&regular)).then_some(regular);
    // meng-/peng- before e may have dropped a root's k (mengelola, pengenalan), a recoding
    // the crate's rules miss: with no root of four letters or more found the plain way,
    // the k is put back and the rest stemmed again.
    if regular.as_ref().is_none_or(|r| r.len() < 4)
        && let Some(rest) = word
            .strip_prefix("meng")
            .or_else(|| word.strip_prefix("peng"))
            .filter(|rest| rest.starts_with('e'))
    {
        let with_k = format!("k{rest}");
        let stem = stemmer().stem_word(&with_k);
        if roots().find(&stem) {
            return Cow::Owned(stem.into_owned());
        }
    }
    match regular {
        Some(stem) => Cow::Owned(stem.into_owned()),
        None => Cow::Borrowed(word),
    }
}

/// A token filter that replaces each (lower-case) token by its Indonesian stem.
#[derive(Clone, Copy, Debug, Default)]
pub struct IndonesianStemmer;

impl TokenFilter for IndonesianStemmer {
    type Tokenizer<T: Tokenizer> = IndonesianStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> IndonesianStemmerFilter<T> {
        IndonesianStemmerFilter { inner: tokenizer }
    }
}

/// [`IndonesianStemmer`] over a tokenizer.
#[derive(Clone)]
pub struct IndonesianStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for IndonesianStemmerFilter<T> {
    type TokenStream<'a> = IndonesianStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        IndonesianStemmerStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// The token stream of [`IndonesianStemmerFilter`].
pub struct IndonesianStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for IndonesianStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Cow::Owned(stem) = stem_indonesian(&token.text) {
            self.buffer = stem;
            mem::swap(&mut token.text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The Indonesian analyzer.
pub fn indonesian() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            INDONESIAN_STOP_WORDS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(IndonesianStemmer)
        .build()
}

/// The English analyzer.
pub fn english() -> TextAnalyzer {
    let stop_words = StopWordFilter::new(Language::English)
        .unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new()));
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Registers both analyzers with an index.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(INDONESIAN, indonesian());
    index.tokenizers().register(ENGLISH, english());
}

/// English function words that tell an English text from an Indonesian one.
const ENGLISH_MARKERS: &[&str] = &[
    "the", "and", "of", "to", "is", "are", "for", "with", "this", "that", "you", "your", "how",
    "what", "in", "on", "be", "can", "will", "from",
];

/// The language of a text: English when English function words outnumber Indonesian
/// ones in its first 2,000 words, else Indonesian (the platform's language).
pub fn detect_language(text: &str) -> super::Lang {
    let (mut id, mut en) = (0u32, 0u32);
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(2_000)
    {
        let w = word.to_lowercase();
        if INDONESIAN_STOP_WORDS.contains(&w.as_str()) {
            id += 1;
        } else if ENGLISH_MARKERS.contains(&w.as_str()) {
            en += 1;
        }
    }
    if en > id {
        super::Lang::English
    } else {
        super::Lang::Indonesian
    }
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, stem): the affixes of the algorithm's published examples.
    const INDONESIAN_STEMS: &[(&str, &str)] = &[
        // me- with nasal assimilation
        ("menyapu", "sapu"),
        ("menulis", "tulis"),
        ("memukul", "pukul"),
        ("menangis", "tangis"),
        ("menerima", "terima"),
        ("mengambil", "ambil"),
        ("mengirim", "kirim"),
        ("mengelola", "kelola"),
        ("membangunkan", "bangun"),
        ("mendengarkan", "dengar"),
        ("menyanyikan", "nyanyi"),
        ("memperbaiki", "baik"),
        ("mengajarkan", "ajar"),
        // pe- and pe-…-an
        ("pengelolaan", "kelola"),
        ("pengelola", "kelola"),
        ("pembangunan", "bangun"),
        ("berkembang", "kembang"),
        ("pendidikan", "didik"),
        ("penggunaan", "guna"),
        ("penulisan", "tulis"),
        ("penyusunan", "susun"),
        ("pemanfaatan", "manfaat"),
        ("pengembangan", "kembang"),
        ("peningkatan", "tingkat"),
        ("penilaian", "nilai"),
        ("pelayanan", "layan"),
        ("pemimpin", "pimpin"),
        // per-…-an
        ("pertanian", "tani"),
        ("perekonomian", "ekonomi"),
        ("perizinan", "izin"),
        ("pekerjaan", "kerja"),
        ("permasalahan", "masalah"),
        ("persatuan", "satu"),
        ("perjalanan", "jalan"),
        // ber-
        ("berlari", "lari"),
        ("bermain", "main"),
        ("bekerja", "kerja"),
        ("bersama", "sama"),
        ("bersekolah", "sekolah"),
        ("berdasarkan", "dasar"),
        // ter-
        ("terbaca", "baca"),
        ("tertulis", "tulis"),
        // di-
        ("dibaca", "baca"),
        ("ditulis", "tulis"),
        ("dimakan", "makan"),
        ("dikelola", "kelola"),
        ("diperbaiki", "baik"),
        ("dipimpin", "pimpin"),
        // ke- and ke-…-an
        ("keadilan", "adil"),
        ("kesehatan", "sehat"),
        ("kebersihan", "bersih"),
        ("keamanan", "aman"),
        ("kehidupan", "hidup"),
        ("kemampuan", "mampu"),
        ("kepemimpinan", "pimpin"),
        ("pengetahuan", "tahu"),
        ("mengenal", "kenal"),
        ("pengenalan", "kenal"),
        ("mengembangkan", "kembang"),
        // particles -lah, -kah
        ("bacalah", "baca"),
        ("duduklah", "duduk"),
        ("bukankah", "bukan"),
        ("siapakah", "siapa"),
        // possessives -nya, -ku, -mu
        ("bukunya", "buku"),
        ("rumahku", "rumah"),
        ("bajumu", "baju"),
        ("keamanannya", "aman"),
        ("pengelolaannya", "kelola"),
        // roots, and words the dictionary lacks, stay
        ("informasi", "informasi"),
        ("data", "data"),
        ("sapu", "sapu"),
        ("siasn", "siasn"),
        ("covid", "covid"),
        ("ekstrakurikuler", "ekstrakurikuler"),
    ];

    #[test]
    fn indonesian_words_stem_to_their_roots() {
        let wrong: Vec<String> = INDONESIAN_STEMS
            .iter()
            .filter_map(|(word, want)| {
                let got = stem_indonesian(word);
                (got != *want).then(|| format!("{word}: {got} (want {want})"))
            })
            .collect();
        assert!(INDONESIAN_STEMS.len() >= 60);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn other_letters_and_short_words_pass_unchanged() {
        for word in ["pengelolaan2", "méngelola", "di", "ku", "x1", "ĳ"] {
            assert_eq!(stem_indonesian(word), word);
        }
    }

    #[test]
    fn the_language_of_a_text() {
        use super::super::Lang;
        assert_eq!(
            detect_language("Data Analysis with Spreadsheets for the public"),
            Lang::English
        );
        assert_eq!(
            detect_language("Keamanan informasi untuk ASN dan pegawai"),
            Lang::Indonesian
        );
        assert_eq!(detect_language(""), Lang::Indonesian);
        assert_eq!(detect_language("Excel"), Lang::Indonesian);
    }

    #[test]
    fn english_words_stem_with_snowball() {
        let mut en = english();
        for (text, want) in [
            ("running", "run"),
            ("connections", "connect"),
            ("studies", "studi"),
            ("security", "secur"),
            ("services", "servic"),
            ("governance", "govern"),
            ("management", "manag"),
            ("training", "train"),
            ("licensing", "licens"),
            ("the", ""),
        ] {
            let got = tokens(&mut en, text).join(" ");
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn the_indonesian_analyzer_lowers_drops_stop_words_and_stems() {
        let mut id = indonesian();
        assert_eq!(
            tokens(
                &mut id,
                "Pengelolaan Keamanan Informasi untuk Pelayanan yang aman"
            ),
            ["kelola", "aman", "informasi", "layan", "aman"]
        );
        let long = "a".repeat(41);
        assert!(tokens(&mut id, &long).is_empty());
    }
}

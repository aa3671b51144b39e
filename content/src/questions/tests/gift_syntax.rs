//! GIFT syntax around the answers: escapes, comments, categories, titles, format tags,
//! multi-line and missing-word questions, line endings and question line numbers.

use super::{all, one, option};
use crate::questions::{Kind, TextFormat};

#[test]
fn every_escape_in_text_answers_and_feedback() {
    let q = one(
        r"::Escape\: semua:: a\~b c\=d e\#f \{g\} h\:i j\\k l\nm {=x\=1\~2\#3#umpan\{balik\}\\ ~\{y\}\:z}",
    );
    assert_eq!(q.title.as_deref(), Some("Escape: semua"));
    assert_eq!(q.text, "a~b c=d e#f {g} h:i j\\k l\nm");
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![
                crate::questions::Choice {
                    text: "x=1~2#3".into(),
                    weight: 100.0,
                    feedback: Some("umpan{balik}\\".into())
                },
                option("{y}:z", 0.0),
            ]
        }
    );
}

/// A backslash before a character GIFT does not escape is text, as Moodle's importer reads
/// it: TeX (`\frac`, `\(x\)`, with braces escaped as GIFT needs) and Windows paths.
const TEX: &str = r"::Pecahan:: Berapa \(\frac\{1\}\{2\} + \frac\{1\}\{4\}\)? {=\(\frac\{3\}\{4\}\) ~\(\frac\{2\}\{6\}\)#Penyebut dijumlah\\}

::Jalur:: Berkas disimpan di C:\Users\budi\Dokumen. Benar? {T}

::Akhir baris:: Garis miring di akhir \
baris tetap teks {=ya ~tidak}
";

#[test]
fn a_backslash_before_an_ordinary_character_is_text() {
    let questions = all(TEX);
    assert_eq!(questions.len(), 3, "{questions:#?}");
    assert_eq!(questions[0].text, r"Berapa \(\frac{1}{2} + \frac{1}{4}\)?");
    match &questions[0].kind {
        Kind::SingleChoice { options } => {
            assert_eq!(options[0].text, r"\(\frac{3}{4}\)");
            assert_eq!(options[1].text, r"\(\frac{2}{6}\)");
            assert_eq!(options[1].feedback.as_deref(), Some(r"Penyebut dijumlah\"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        questions[1].text,
        r"Berkas disimpan di C:\Users\budi\Dokumen. Benar?"
    );
    assert_eq!(
        questions[2].text,
        "Garis miring di akhir \\\nbaris tetap teks"
    );
    // The export writes every backslash as `\\`, so the text reads back the same.
    let written = crate::questions::gift::write(&questions);
    let unnumbered = |questions: Vec<crate::questions::Question>| {
        questions
            .into_iter()
            .map(|q| crate::questions::Question { line: 0, ..q })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        unnumbered(all(&written)),
        unnumbered(questions),
        "{written}"
    );
}

#[test]
fn escaped_newlines_at_the_ends_are_kept() {
    let q = one(r"\nAwal dan akhir\n {T}");
    assert_eq!(q.text, "\nAwal dan akhir\n");
}

#[test]
fn unescaped_equals_tilde_and_hash_are_plain_text_in_the_question() {
    let q = one("Jika 2 + 2 = 4 dan ~p, berapa #3? {T}");
    assert_eq!(q.text, "Jika 2 + 2 = 4 dan ~p, berapa #3?");
}

#[test]
fn comments_are_ignored_anywhere_but_slashes_inside_a_line_are_text() {
    let questions = all(
        "// Bank soal keamanan\n  // indented comment\nBuka https://contoh.id {\n// comment inside the block\n=ya\n~tidak\n}\n// between\n\nKedua {T}\n",
    );
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].line, 3);
    assert_eq!(questions[0].text, "Buka https://contoh.id");
    assert_eq!(
        questions[0].kind,
        Kind::SingleChoice {
            options: vec![option("ya", 100.0), option("tidak", 0.0)]
        }
    );
    assert_eq!(questions[1].line, 10);
}

#[test]
fn categories_apply_to_the_questions_after_them() {
    let questions = all(
        "Tanpa kategori {T}\n\n$CATEGORY: Keamanan/Dasar\n\nSatu {T}\n\nDua {F}\n$CATEGORY:   $course$/top/Jaringan  \nTiga {T}\n\n$CATEGORY:\n\nEmpat {T}",
    );
    let categories: Vec<Option<&str>> = questions.iter().map(|q| q.category.as_deref()).collect();
    assert_eq!(
        categories,
        [
            None,
            Some("Keamanan/Dasar"),
            Some("Keamanan/Dasar"),
            Some("$course$/top/Jaringan"),
            None
        ]
    );
    assert_eq!(questions[3].line, 9);
}

#[test]
fn titles_are_optional_and_trimmed() {
    let q = one("::  Soal 1 :: Teks {T}");
    assert_eq!(q.title.as_deref(), Some("Soal 1"));
    assert_eq!(q.text, "Teks");
    let q = one("::::Tanpa judul {T}");
    assert_eq!(q.title, None);
    let q = one("Teks dengan :: di tengah {T}");
    assert_eq!(
        (q.title, q.text.as_str()),
        (None, "Teks dengan :: di tengah")
    );
}

#[test]
fn format_tags_after_the_title() {
    for (tag, format) in [
        ("[markdown]", TextFormat::Markdown),
        ("[html]", TextFormat::Html),
        ("[plain]", TextFormat::Plain),
        ("[moodle]", TextFormat::Moodle),
        ("[HTML]", TextFormat::Html),
    ] {
        let q = one(&format!("::Judul:: {tag} Teks **tebal** <b>x</b> {{T}}"));
        assert_eq!(q.format, format, "{tag}");
        assert_eq!(q.text, "Teks **tebal** <b>x</b>");
    }
    let q = one("[markdown]Tanpa judul {T}");
    assert_eq!(q.format, TextFormat::Markdown);
    let q = one("[Bagian A] bukan tag {T}");
    assert_eq!(
        (q.format, q.text.as_str()),
        (TextFormat::Moodle, "[Bagian A] bukan tag")
    );
}

#[test]
fn multi_line_question_and_answer_block() {
    let q = one(
        "::Panjang::[markdown]\nBaris pertama\n  - butir terindentasi\n\tdengan tab\n{\n    =benar #umpan\n      balik\n    ~salah\n    ####umum\n}",
    );
    assert_eq!(q.format, TextFormat::Markdown);
    assert_eq!(
        q.text,
        "Baris pertama\n  - butir terindentasi\n\tdengan tab"
    );
    let Kind::SingleChoice { options } = &q.kind else {
        panic!("{:?}", q.kind);
    };
    assert_eq!(options[0].feedback.as_deref(), Some("umpan\n      balik"));
    assert_eq!(q.general_feedback.as_deref(), Some("umum"));
}

#[test]
fn missing_word_keeps_a_blank_where_the_block_was() {
    let q = one("Bendera Indonesia berwarna {=merah putih ~merah biru} sejak 1945.");
    assert_eq!(q.text, "Bendera Indonesia berwarna _____ sejak 1945.");
    let q = one("{=Soekarno ~Hatta} membacakan proklamasi.");
    assert_eq!(q.text, "_____ membacakan proklamasi.");
    let q = one("Yang membacakan proklamasi adalah {\n=Soekarno\n~Hatta\n}\n");
    assert_eq!(q.text, "Yang membacakan proklamasi adalah");
    let q = one("Ibu kota {=Jakarta}\nberada di Jawa.");
    assert_eq!(q.text, "Ibu kota _____\nberada di Jawa.");
}

#[test]
fn windows_line_endings_and_a_byte_order_mark() {
    let questions = all(
        "\u{feff}// komentar\r\n$CATEGORY: Dasar\r\n\r\n::S1::Baris satu\r\nbaris dua {\r\n=ya\r\n~tidak\r\n}\r\n\r\nKedua {TRUE#salah#benar}\r\n",
    );
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].text, "Baris satu\nbaris dua");
    assert_eq!(questions[0].category.as_deref(), Some("Dasar"));
    assert_eq!(
        questions[0].kind,
        Kind::SingleChoice {
            options: vec![option("ya", 100.0), option("tidak", 0.0)]
        }
    );
    assert_eq!(questions[1].line, 10);
    assert_eq!(
        questions[1].kind,
        Kind::TrueFalse {
            answer: true,
            feedback_wrong: Some("salah".into()),
            feedback_right: Some("benar".into())
        }
    );
}

#[test]
fn many_blank_lines_separate_questions_and_lines_are_counted() {
    let questions = all("\n\nSatu {T}\n\n\n   \n\t\nDua {F}\n\n\n\nTiga\n{=a ~b}");
    let lines: Vec<usize> = questions.iter().map(|q| q.line).collect();
    assert_eq!(lines, [3, 8, 12]);
    assert!(all("").is_empty());
    assert!(all("// hanya komentar\n\n$CATEGORY: X\n").is_empty());
}

#[test]
fn tags_and_competencies_come_from_the_comments_of_their_question() {
    let questions = all(
        "// [tag:lepas] belongs to nothing: a blank line follows\n\n\
         // Moodle's tags: [tag:phishing] [tag:surel]\n\
         // [competency:T.KI.01:2] [competency:M.01:3] [tag:phishing]\n\
         ::A:: Surel dari bank meminta sandi. Abaikan? {T}\n\n\
         ::B:: Tanpa tanda. {F}\n\n\
         ::C:: Dua baris\n\
         // [competency:M.01:1] [competency:M.01:4] the last level counts\n\
         teks. {T}\n",
    );
    assert_eq!(questions[0].tags, vec!["phishing", "surel"]);
    let comps: Vec<(&str, u8)> = questions[0]
        .competencies
        .iter()
        .map(|c| (c.code.as_str(), c.level))
        .collect();
    assert_eq!(comps, vec![("T.KI.01", 2), ("M.01", 3)]);
    assert!(questions[1].tags.is_empty() && questions[1].competencies.is_empty());
    assert_eq!(questions[2].competencies.len(), 1);
    assert_eq!(questions[2].competencies[0].level, 4);
    // Written back as one comment line before the question.
    let written = crate::questions::gift::write(&questions[..1]);
    assert!(
        written.starts_with(
            "// [tag:phishing] [tag:surel] [competency:T.KI.01:2] [competency:M.01:3]\n::A::"
        ),
        "{written}"
    );
}

#[test]
fn a_bad_competency_or_empty_tag_names_its_line() {
    for (source, line) in [
        ("Soal {T}\n// [competency:M.01:6]\n", 2),
        ("// [competency:M.01]\nSoal {T}\n", 1),
        ("\n\n// [tag: ]\nSoal {T}\n", 3),
    ] {
        let err = crate::questions::gift::parse(source).expect_err(source);
        assert_eq!(err.line, line, "{source}");
    }
}

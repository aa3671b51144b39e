//! Writing GIFT: the output a user downloads, the round trip parse → write → parse for a
//! file using every feature, and for thousands of generated files.

use super::{all, option};
use crate::questions::{Choice, Kind, NumAnswer, NumValue, Question, TextFormat, gift};

/// A file using every GIFT feature the parser knows.
const EVERYTHING: &str = r"// Bank soal contoh
$CATEGORY: Keamanan/Dasar

::Ibu kota:: Apa ibu kota Indonesia? {=Jakarta#Benar! ~Bandung#Bukan ~Surabaya ####Jakarta sejak 1945.}

::Prima::[markdown] Pilih **semua** bilangan prima:
{
    ~%50%2
    ~%50%3#Ya
    ~%-100%4#Bukan prima
    ~%0%%5 diskon
}

::Sebagian:: [html] <p>Pilih yang terbaik</p> {=a ~%33.33333%b ~%-25%c ~d}

$CATEGORY: Sains
Air mendidih pada 100 °C. {TRUE#Coba lagi#Betul####Pada 1 atm}

Bumi datar. {F}

Matahari terbit di barat. {FALSE##Ya, di timur}

Presiden pertama? {=Soekarno =%50%Bung Karno#Julukan ####Proklamator}

Pi? {#3.14:0.01#Bagus}

Angka 1 sampai 5? {#1..5}

Tahun merdeka? {#
    =1945:0#Tepat
    =%50%1945:5
    ~1949#Pengakuan
    ####Proklamasi 17 Agustus
}

$CATEGORY:

Pasangkan. {=Bali -> Denpasar =Aceh -> Banda Aceh = -> Surabaya}

::Esai::[plain] Jelaskan gotong royong. {####Rubrik di LMS}

Bendera berwarna {=merah putih ~merah biru} sejak 1945.

::Escape\: semua:: a\~b c\=d e\#f \{g\} h\:i j\\k\nbaris baru {=x\=1 ~\{y\}}

Baris satu
  // komentar di tengah soal dilewati
baris dua\n
\n// di dalam teks
{T}

\n[html] bukan tag {T}

[moodle] [Bagian A] teks {T}

Deskripsi saja, tanpa jawaban: 50% \#1.
";

/// The questions without their line numbers, which layout may change.
fn unnumbered(mut questions: Vec<Question>) -> Vec<Question> {
    for question in &mut questions {
        question.line = 0;
    }
    questions
}

#[test]
fn round_trip_of_a_file_using_every_feature() {
    let first = all(EVERYTHING);
    assert_eq!(first.len(), 18);
    let written = gift::write(&first);
    let second = all(&written);
    assert_eq!(unnumbered(second.clone()), unnumbered(first), "{written}");
    // Writing what was read back changes nothing, line numbers included.
    assert_eq!(gift::write(&second), written);
    assert_eq!(all(&gift::write(&second)), second);
}

#[test]
fn written_file_looks_like_hand_written_gift() {
    let questions = all(
        "$CATEGORY: Dasar\n\n::S1:: Apa ibu kota Indonesia? {=Jakarta ~Bandung#Bukan ~%-50%Surabaya}\n\n::S2:: Pi? {#3.14:0.01}\n\nBumi bulat. {T####Ya}",
    );
    assert_eq!(
        gift::write(&questions),
        "$CATEGORY: Dasar\n\n\
         ::S1:: Apa ibu kota Indonesia? {\n    =Jakarta\n    ~Bandung#Bukan\n    ~%-50%Surabaya\n}\n\n\
         ::S2:: Pi? {#3.14:0.01}\n\n\
         Bumi bulat. {TRUE####Ya}\n\n"
    );
}

fn question(text: &str, kind: Kind) -> Question {
    Question {
        line: 0,
        title: None,
        category: None,
        text: text.to_owned(),
        format: TextFormat::Moodle,
        general_feedback: None,
        kind,
        tags: Vec::new(),
        competencies: Vec::new(),
    }
}

#[test]
fn awkward_texts_are_written_so_they_read_back_unchanged() {
    let tf = Kind::TrueFalse {
        answer: false,
        feedback_wrong: None,
        feedback_right: Some("a\n\nb".into()),
    };
    let questions = vec![
        question("// seperti komentar", tf.clone()),
        question("[html] seperti tag", Kind::Essay),
        question(
            "Paragraf satu\n\nParagraf dua\n  \n// tiga\r\nempat",
            tf.clone(),
        ),
        question(
            "::Bukan judul:: $CATEGORY: bukan kategori",
            Kind::Description,
        ),
        question("Isi _____ di tengah", Kind::Essay),
        question("Titik akhir _____", Kind::Essay),
        Question {
            category: Some("A/B".into()),
            title: Some("Judul\ndua baris".into()),
            general_feedback: Some("Umum {#}".into()),
            ..question(
                "Pilih",
                Kind::SingleChoice {
                    options: vec![
                        option("%persen", 100.0),
                        Choice {
                            text: "x -> y".into(),
                            weight: -50.0,
                            feedback: Some("=~#".into()),
                        },
                    ],
                },
            )
        },
        Question {
            category: Some("A/B".into()),
            ..question(
                "Angka",
                Kind::Numerical {
                    answers: vec![NumAnswer {
                        value: NumValue::Tolerance {
                            value: -0.000001,
                            tolerance: 1e-9,
                        },
                        weight: 100.0,
                        feedback: None,
                    }],
                },
            )
        },
        question("Tanpa kategori lagi", Kind::Essay),
    ];
    let written = gift::write(&questions);
    assert_eq!(unnumbered(all(&written)), questions, "{written}");
    assert_eq!(written.matches("$CATEGORY:").count(), 2, "{written}");
}

/// A fixed xorshift sequence: the same "random" files on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n).unwrap()).unwrap()
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    /// A few words, with escapes, non-ASCII text and awkward layout among them.
    fn words(&mut self) -> String {
        const WORDS: [&str; 24] = [
            "kata",
            "Jakarta",
            "é ñ 😊",
            " ",
            " ",
            "\\n",
            "\\=",
            "\\~",
            "\\#",
            "\\{",
            "\\}",
            "\\:",
            "\\\\",
            "_____",
            "%",
            "[x]",
            "//",
            "\n",
            "\n  ",
            ":",
            "-",
            ">",
            "50%",
            "\t",
        ];
        (0..=self.below(4)).map(|_| self.pick(&WORDS)).collect()
    }

    fn weight(&mut self) -> &'static str {
        self.pick(&[
            "",
            "",
            "",
            "%50%",
            "%-25%",
            "%100%",
            "%0%",
            "%33.33333%",
            "%-100%",
        ])
    }

    fn feedback(&mut self) -> String {
        if self.below(3) == 0 {
            format!("#{}", self.words())
        } else {
            String::new()
        }
    }

    fn number(&mut self) -> &'static str {
        self.pick(&[
            "3",
            "-2.5",
            "3.14:0.01",
            "1..5",
            "-5..-1",
            "0:0",
            "1e3",
            "1945:5",
        ])
    }

    fn block(&mut self) -> String {
        let mut block = match self.below(6) {
            0 => String::new(),
            1 => {
                format!("{}{}", self.pick(&["T", "FALSE", "true"]), self.feedback())
                    + &self.feedback()
            }
            2 => format!("#{}{}", self.number(), self.feedback()),
            3 => (0..=self.below(4))
                .map(|_| format!(" ={}{}{}", self.weight(), self.number(), self.feedback()))
                .fold(String::from("#"), |all, one| all + &one),
            4 => (0..=self.below(4))
                .map(|_| format!("\n={} -> {}", self.words(), self.words()))
                .collect(),
            _ => (0..=self.below(5))
                .map(|_| {
                    let marker = self.pick(&["=", "~", "~"]);
                    format!(
                        " {marker}{}{}{}",
                        self.weight(),
                        self.words(),
                        self.feedback()
                    )
                })
                .collect(),
        };
        if self.below(3) == 0 {
            block = format!("{block}####{}", self.words());
        }
        format!("{{{block}}}")
    }

    fn question(&mut self) -> String {
        let mut question = String::new();
        if self.below(3) == 0 {
            question += &format!("::{}::", self.words());
        }
        question += self.pick(&["", "", "[html]", "[markdown] ", "[plain]"]);
        question += &self.words();
        if self.below(8) != 0 {
            question += &self.block();
        }
        if self.below(3) == 0 {
            question += &self.words();
        }
        question
    }
}

#[test]
fn every_generated_file_that_parses_round_trips() {
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    let mut kinds = std::collections::HashMap::new();
    for _ in 0..20_000 {
        let mut source = String::new();
        for _ in 0..=dice.below(3) {
            source += dice.pick(&[
                "",
                "",
                "$CATEGORY: A/B\n",
                "$CATEGORY:\n",
                "// c\n",
                "// [tag:phishing] [competency:M.01:2]\n",
            ]);
            source += &dice.question();
            source += dice.pick(&["\n\n", "\n\n\n", "\r\n\r\n", "\n \n"]);
        }
        let Ok(first) = gift::parse(&source) else {
            continue;
        };
        parsed += first.len();
        for question in &first {
            *kinds
                .entry(std::mem::discriminant(&question.kind))
                .or_insert(0) += 1;
        }
        let written = gift::write(&first);
        match gift::parse(&written) {
            Ok(second) => assert_eq!(
                unnumbered(second),
                unnumbered(first),
                "source:\n{source:?}\nwritten:\n{written:?}"
            ),
            Err(error) => panic!("{error}\nsource:\n{source:?}\nwritten:\n{written:?}"),
        }
    }
    assert!(parsed > 5_000, "only {parsed} generated questions parsed");
    assert_eq!(kinds.len(), 8, "not every kind was generated: {kinds:?}");
    assert!(kinds.values().all(|&n| n >= 20), "{kinds:?}");
}

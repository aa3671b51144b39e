//! GIFT answer blocks and the question kind each makes: choices, true/false, short answer,
//! numerical, matching, essay and description, with weights and feedback.

use super::{one, option};
use crate::questions::{Choice, Kind, NumAnswer, NumValue, TextAnswer, TextFormat};

#[test]
fn single_choice_in_indonesian() {
    let q = one("Apa ibu kota Indonesia? {=Jakarta ~Bandung ~Surabaya}");
    assert_eq!(q.text, "Apa ibu kota Indonesia?");
    assert_eq!(q.line, 1);
    assert_eq!(
        (q.title, q.category, q.general_feedback),
        (None, None, None)
    );
    assert_eq!(q.format, TextFormat::Moodle);
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![
                option("Jakarta", 100.0),
                option("Bandung", 0.0),
                option("Surabaya", 0.0)
            ]
        }
    );
}

#[test]
fn non_ascii_text_survives_everywhere() {
    let q = one(
        "::Sejarah — ‘Bab 1’::Siapa penulis «Max Havelaar»? {=Multatuli#Benar, ya 😊 ~Pramoedya#Bukan — dia menulis “Bumi Manusia”}",
    );
    assert_eq!(q.title.as_deref(), Some("Sejarah — ‘Bab 1’"));
    assert_eq!(q.text, "Siapa penulis «Max Havelaar»?");
    let Kind::SingleChoice { options } = q.kind else {
        panic!("{:?}", q.kind);
    };
    assert_eq!(options[0].feedback.as_deref(), Some("Benar, ya 😊"));
    assert_eq!(
        options[1].feedback.as_deref(),
        Some("Bukan — dia menulis “Bumi Manusia”")
    );
}

#[test]
fn multiple_choice_with_weights_including_negative() {
    let q = one("Pilih bilangan prima: {~%50%2 ~%50%3 ~%-100%4}");
    assert_eq!(
        q.kind,
        Kind::MultipleChoice {
            options: vec![option("2", 50.0), option("3", 50.0), option("4", -100.0)]
        }
    );
    let q = one("Pilih tiga: {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-25%d ~e}");
    let Kind::MultipleChoice { options } = q.kind else {
        panic!("{:?}", q.kind);
    };
    let weights: Vec<f64> = options.iter().map(|o| o.weight).collect();
    assert_eq!(weights, [33.33333, 33.33333, 33.33333, -25.0, 0.0]);
}

#[test]
fn several_equals_with_weights_make_a_multiple_choice() {
    let q = one("Q {=%50%a =%50%b ~c}");
    assert!(
        matches!(q.kind, Kind::MultipleChoice { .. }),
        "{:?}",
        q.kind
    );
}

#[test]
fn one_full_answer_with_partial_credit_stays_single_choice() {
    let q = one("Q {=benar ~%50%hampir ~%-25%salah}");
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![
                option("benar", 100.0),
                option("hampir", 50.0),
                option("salah", -25.0)
            ]
        }
    );
    let q = one("Q {~%100%benar ~salah}");
    assert!(matches!(q.kind, Kind::SingleChoice { .. }));
    // A text starting with `%` needs an explicit weight in front of it.
    let q = one("Diskon? {=%100%%10 ~%0%%20}");
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![option("%10", 100.0), option("%20", 0.0)]
        }
    );
}

#[test]
fn true_false_in_every_spelling_with_feedbacks() {
    for (block, answer) in [
        ("{T}", true),
        ("{TRUE}", true),
        ("{F}", false),
        ("{FALSE}", false),
        ("{ true }", true),
        ("{f}", false),
    ] {
        let q = one(&format!("Bumi itu bulat. {block}"));
        assert_eq!(
            q.kind,
            Kind::TrueFalse {
                answer,
                feedback_wrong: None,
                feedback_right: None
            },
            "{block}"
        );
    }
    let q = one("Matahari terbit di barat. {FALSE#Salah: di timur.}");
    assert_eq!(
        q.kind,
        Kind::TrueFalse {
            answer: false,
            feedback_wrong: Some("Salah: di timur.".into()),
            feedback_right: None
        }
    );
    let q = one("Air mendidih pada 100 °C. {TRUE#Coba lagi#Betul!####Pada tekanan 1 atm.}");
    assert_eq!(
        q.kind,
        Kind::TrueFalse {
            answer: true,
            feedback_wrong: Some("Coba lagi".into()),
            feedback_right: Some("Betul!".into())
        }
    );
    assert_eq!(q.general_feedback.as_deref(), Some("Pada tekanan 1 atm."));
    let q = one("X {T##hanya yang benar}");
    assert_eq!(
        q.kind,
        Kind::TrueFalse {
            answer: true,
            feedback_wrong: None,
            feedback_right: Some("hanya yang benar".into())
        }
    );
}

#[test]
fn short_answer_with_weights_and_feedback() {
    let q = one(
        "Siapa presiden pertama RI? {=Soekarno =Sukarno#Ejaan lama juga benar =%50%Bung Karno#Nama julukan}",
    );
    assert_eq!(
        q.kind,
        Kind::ShortAnswer {
            answers: vec![
                TextAnswer {
                    text: "Soekarno".into(),
                    weight: 100.0,
                    feedback: None
                },
                TextAnswer {
                    text: "Sukarno".into(),
                    weight: 100.0,
                    feedback: Some("Ejaan lama juga benar".into())
                },
                TextAnswer {
                    text: "Bung Karno".into(),
                    weight: 50.0,
                    feedback: Some("Nama julukan".into())
                },
            ]
        }
    );
    let q = one("Satu jawaban saja: {=empat}");
    assert!(matches!(q.kind, Kind::ShortAnswer { answers } if answers.len() == 1));
}

fn num(value: NumValue, weight: f64, feedback: Option<&str>) -> NumAnswer {
    NumAnswer {
        value,
        weight,
        feedback: feedback.map(str::to_owned),
    }
}

#[test]
fn numerical_tolerance_bare_and_range() {
    let tol = |value, tolerance| NumValue::Tolerance { value, tolerance };
    for (block, value) in [
        ("{#2.5:0.01}", tol(2.5, 0.01)),
        ("{#3}", tol(3.0, 0.0)),
        ("{# -2.5 : 0.5 }", tol(-2.5, 0.5)),
        ("{#1..5}", NumValue::Range { min: 1.0, max: 5.0 }),
        (
            "{#-5..-1}",
            NumValue::Range {
                min: -5.0,
                max: -1.0,
            },
        ),
        ("{#1.5..2.5}", NumValue::Range { min: 1.5, max: 2.5 }),
    ] {
        let q = one(&format!("Berapa? {block}"));
        assert_eq!(
            q.kind,
            Kind::Numerical {
                answers: vec![num(value, 100.0, None)]
            },
            "{block}"
        );
    }
    let q = one("Akar dua? {#1.4:0.05#Bagus####√2 ≈ 1,41421}");
    assert_eq!(
        q.kind,
        Kind::Numerical {
            answers: vec![num(tol(1.4, 0.05), 100.0, Some("Bagus"))]
        }
    );
    assert_eq!(q.general_feedback.as_deref(), Some("√2 ≈ 1,41421"));
}

#[test]
fn numerical_with_several_weighted_answers() {
    let q = one(
        "Kapan Indonesia merdeka? {#\n=1945:0#Tepat\n=%50%1945:5#Hampir\n~1949#Itu pengakuan kedaulatan\n}",
    );
    let tol = |value, tolerance| NumValue::Tolerance { value, tolerance };
    assert_eq!(
        q.kind,
        Kind::Numerical {
            answers: vec![
                num(tol(1945.0, 0.0), 100.0, Some("Tepat")),
                num(tol(1945.0, 5.0), 50.0, Some("Hampir")),
                num(tol(1949.0, 0.0), 0.0, Some("Itu pengakuan kedaulatan")),
            ]
        }
    );
    let q = one("Pi? {# =%100%3.14:0 =%50%3.1:0.1 =%25%3..4}");
    let Kind::Numerical { answers } = q.kind else {
        panic!("{:?}", q.kind);
    };
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[2].value, NumValue::Range { min: 3.0, max: 4.0 });
}

#[test]
fn matching_pairs_with_a_distractor() {
    let q = one(
        "Pasangkan provinsi dengan ibu kotanya. {\n=Jawa Barat -> Bandung\n=Bali->Denpasar\n=Sumatera Utara -> Medan\n= -> Surabaya\n}",
    );
    assert_eq!(
        q.kind,
        Kind::Matching {
            pairs: vec![
                ("Jawa Barat".into(), "Bandung".into()),
                ("Bali".into(), "Denpasar".into()),
                ("Sumatera Utara".into(), "Medan".into()),
                (String::new(), "Surabaya".into()),
            ]
        }
    );
    let q = one("Dua pasang cukup. {=a -> b =c -> d -> e}");
    assert_eq!(
        q.kind,
        Kind::Matching {
            pairs: vec![("a".into(), "b".into()), ("c".into(), "d -> e".into())]
        }
    );
}

#[test]
fn essay_and_description() {
    let q = one("Jelaskan konsep gotong royong. {}");
    assert_eq!(q.kind, Kind::Essay);
    assert_eq!(q.general_feedback, None);
    let q = one("Tulis esai. {\n####Nilai berdasarkan rubrik.\n}");
    assert_eq!(q.kind, Kind::Essay);
    assert_eq!(
        q.general_feedback.as_deref(),
        Some("Nilai berdasarkan rubrik.")
    );
    let q = one("::Petunjuk:: Bagian berikut membahas *keamanan*.\nBaca dengan teliti.");
    assert_eq!(q.kind, Kind::Description);
    assert_eq!(
        q.text,
        "Bagian berikut membahas *keamanan*.\nBaca dengan teliti."
    );
}

#[test]
fn general_feedback_on_choices_and_option_feedback() {
    let q = one("Q {=a#ya ~b#tidak ####Lihat bab 2.}");
    assert_eq!(q.general_feedback.as_deref(), Some("Lihat bab 2."));
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![
                Choice {
                    text: "a".into(),
                    weight: 100.0,
                    feedback: Some("ya".into())
                },
                Choice {
                    text: "b".into(),
                    weight: 0.0,
                    feedback: Some("tidak".into())
                },
            ]
        }
    );
    // Empty feedback is no feedback.
    let q = one("Q {=a# ~b####}");
    assert_eq!(q.general_feedback, None);
    assert_eq!(
        q.kind,
        Kind::SingleChoice {
            options: vec![option("a", 100.0), option("b", 0.0)]
        }
    );
}

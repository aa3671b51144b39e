//! Bad GIFT files: each reports only the first problem, on the line where it is, with a
//! short message naming it.

use super::{error, fails};

#[test]
fn unclosed_brace_reports_the_line_of_the_brace() {
    let source = "Satu {T}\n\n// komentar\nDua baris\npertanyaan {\n=a\n~b\n\nTiga {T}";
    fails(source, 5, "unclosed answer block");
    assert_eq!(
        error(source).to_string(),
        "line 5: unclosed answer block: } expected"
    );
}

#[test]
fn only_the_first_error_is_reported() {
    let error = error("Baik {T}\n\nBuruk {#abc}\n\nJuga buruk {");
    assert_eq!(error.line, 3);
}

#[test]
fn single_choice_with_two_equals_reports_the_second() {
    fails(
        "Apa ibu kota Indonesia? {\n=Jakarta\n~Bandung\n=Surabaya\n}",
        4,
        "a single-choice question needs exactly one correct answer",
    );
    fails(
        "Q {~a ~b}",
        1,
        "a single-choice question needs exactly one correct answer",
    );
    fails(
        "Q {~%50%a ~b}",
        1,
        "a single-choice question needs exactly one correct answer",
    );
    fails("Q {=a}\n\nR {=a ~%100%b}", 3, "add up to 100");
    fails("Q {=hanya satu ~}", 1, "answer text expected after ~");
    fails("Q {=hanya satu}\n\nR {~satu}", 3, "at least two options");
}

#[test]
fn bad_weights() {
    fails(
        "Q {\n=a\n~%150%b\n}",
        3,
        "weight must be between -100 and 100",
    );
    fails(
        "Q {=a ~%-100.5%b}",
        1,
        "weight must be between -100 and 100",
    );
    fails("Q {=a ~%lima%b}", 1, "weight must be a number");
    fails("Q {=a ~%NaN%b}", 1, "weight must be a number");
    fails("Q {=a ~%%b}", 1, "weight must be a number");
    fails("Q {=a\n~%50 b}", 2, "unclosed weight");
    fails("Q {~%60%a ~%60%b}", 1, "must add up to 100, not 120");
    fails("Q {=%50%a =%25%b}", 1, "needs an answer worth 100%");
}

#[test]
fn numbers_expected() {
    fails("Q\n{#abc}", 2, "number expected after #");
    fails("Q {#}", 1, "number expected after #");
    fails("Q {#3,14}", 1, "number expected after #");
    fails("Q {#inf}", 1, "number expected after #");
    fails("Q {#\n=3\n=%50%tiga\n}", 3, "number expected after =");
    fails("Q {#3:x}", 1, "tolerance expected after :");
    fails("Q {#3:-1}", 1, "tolerance must not be negative");
    fails("Q {#1..}", 1, "number expected after ..");
    fails(
        "Q {#5..1}",
        1,
        "the start of a range must not be above its end",
    );
    fails("Q {# =%50%3 ~4}", 1, "needs an answer worth 100%");
}

#[test]
fn matching_pair_without_arrow() {
    fails(
        "Pasangkan {\n=Bali -> Denpasar\n=Jawa Timur\n=Aceh -> Banda Aceh\n}",
        3,
        "a matching pair needs -> between its two sides",
    );
    fails("Q {=a -> b}", 1, "at least two pairs");
    fails("Q {=a -> b =c ->}", 1, "text expected after ->");
    fails("Q {=a -> b =%50%c -> d}", 1, "takes no weight");
    fails("Q {=a -> b =c -> d#bagus}", 1, "takes no feedback");
}

#[test]
fn unescaped_special_characters_in_the_wrong_place() {
    fails(
        "Q\nteks } lagi {T}",
        2,
        "unescaped } outside an answer block",
    );
    fails("Q {T} lalu }", 1, "unescaped } outside an answer block");
    fails("Q {=a\n~{b}\n}", 2, "unescaped { inside an answer block");
    fails("Q {=a ~b} dan {T}", 1, "only one answer block per question");
    fails("Q {=a#bagus#sekali ~b}", 1, "unescaped # in feedback");
    fails("Q {####umum =a ~b}", 1, "unescaped = in feedback");
    fails("Q {T#a#b#c}", 1, "unescaped # in feedback");
    fails("Q {Jakarta}", 1, "each answer must start with = or ~");
    fails(
        "Q {Jakarta ~Bandung =Bogor}",
        1,
        "each answer must start with = or ~",
    );
}

#[test]
fn titles_and_text_are_required_where_started() {
    fails("\n::Judul tanpa akhir {T}", 2, "unclosed title");
    fails("::Judul:: {T}", 1, "question text expected");
    fails("::Judul::", 1, "question text expected");
}

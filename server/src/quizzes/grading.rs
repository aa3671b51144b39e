//! Automatic grading: the fraction of a question's mark (0.0–1.0) a response earns, for
//! every type but essays, which wait for an instructor.

use super::model::{NumAnswer, Pair, QuestionData, Response, TextAnswer};

/// Short answers compare case-insensitively with runs of whitespace as one space.
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `text` matches `pattern`, where `*` in the pattern matches any run of characters.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic two-pointer match with backtracking to the last star.
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && p[i] != '*' && p[i] == t[j] {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

fn clamp(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

fn better<'a, T>(best: Option<&'a T>, next: &'a T, weight: impl Fn(&T) -> f64) -> Option<&'a T> {
    match best {
        Some(b) if weight(b) >= weight(next) => Some(b),
        _ => Some(next),
    }
}

/// The accepted short answer `text` matches with the highest weight.
pub fn best_text<'a>(answers: &'a [TextAnswer], text: &str) -> Option<&'a TextAnswer> {
    let given = normalise(text);
    answers
        .iter()
        .filter(|a| wildcard_match(&normalise(&a.text), &given))
        .fold(None, |best, a| better(best, a, |a| a.weight))
}

/// The accepted number range `number` falls in with the highest weight.
pub fn best_number(answers: &[NumAnswer], number: f64) -> Option<&NumAnswer> {
    answers
        .iter()
        .filter(|a| number.is_finite() && number >= a.min && number <= a.max)
        .fold(None, |best, a| better(best, a, |a| a.weight))
}

/// The pairs a learner matches: a pair with no left item only adds a wrong choice.
pub fn real_pairs(pairs: &[Pair]) -> impl Iterator<Item = &Pair> {
    pairs.iter().filter(|p| !p.left.is_empty())
}

/// The fraction of the mark `response` earns; `None` for an essay (graded by hand) and
/// `Some(0.0)` for a response of the wrong shape.
pub fn grade(question: &QuestionData, response: &Response) -> Option<f64> {
    Some(match (question, response) {
        // An essay left empty earns nothing and needs no one to read it.
        (QuestionData::Essay, Response::Text { text }) if text.trim().is_empty() => 0.0,
        (QuestionData::Essay, _) => return None,
        (QuestionData::SingleChoice { options }, Response::Choices { choices }) => {
            match choices.as_slice() {
                [one] => options
                    .iter()
                    .find(|o| &o.id == one)
                    .map_or(0.0, |o| clamp(o.weight / 100.0)),
                _ => 0.0,
            }
        }
        (QuestionData::MultipleChoice { options }, Response::Choices { choices }) => {
            let mut chosen: Vec<&String> = choices.iter().collect();
            chosen.sort();
            chosen.dedup();
            let sum: f64 = chosen
                .iter()
                .map(|c| {
                    options
                        .iter()
                        .find(|o| &&o.id == c)
                        .map_or(0.0, |o| o.weight)
                })
                .sum();
            clamp(sum / 100.0)
        }
        (QuestionData::TrueFalse { answer, .. }, Response::Value { value }) => {
            f64::from(u8::from(answer == value))
        }
        (QuestionData::ShortAnswer { answers }, Response::Text { text }) => {
            best_text(answers, text).map_or(0.0, |a| clamp(a.weight / 100.0))
        }
        (QuestionData::Numerical { answers }, Response::Number { number }) => {
            best_number(answers, *number).map_or(0.0, |a| clamp(a.weight / 100.0))
        }
        (QuestionData::Matching { pairs }, Response::Pairs { pairs: given }) => {
            let total = real_pairs(pairs).count();
            if total == 0 {
                0.0
            } else {
                let right = real_pairs(pairs)
                    .filter(|p| given.get(&p.left_id) == Some(&p.right_id))
                    .count();
                right as f64 / total as f64
            }
        }
        _ => 0.0,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::quizzes::model::{ChoiceOption, NumAnswer, Pair, TextAnswer};

    fn opt(id: &str, weight: f64) -> ChoiceOption {
        ChoiceOption {
            id: id.into(),
            text: id.into(),
            weight,
            feedback: None,
        }
    }

    fn choices(ids: &[&str]) -> Response {
        Response::Choices {
            choices: ids.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn single_choice() {
        let q = QuestionData::SingleChoice {
            options: vec![opt("a", 100.0), opt("b", 0.0), opt("c", 50.0)],
        };
        assert_eq!(grade(&q, &choices(&["a"])), Some(1.0));
        assert_eq!(grade(&q, &choices(&["b"])), Some(0.0));
        assert_eq!(grade(&q, &choices(&["c"])), Some(0.5));
        assert_eq!(grade(&q, &choices(&["a", "b"])), Some(0.0), "two picks");
        assert_eq!(grade(&q, &choices(&["zz"])), Some(0.0));
        assert_eq!(grade(&q, &Response::Value { value: true }), Some(0.0));
    }

    #[test]
    fn multiple_choice_partial_credit_and_penalties() {
        let q = QuestionData::MultipleChoice {
            options: vec![
                opt("a", 50.0),
                opt("b", 50.0),
                opt("c", -100.0),
                opt("d", -50.0),
            ],
        };
        assert_eq!(grade(&q, &choices(&["a", "b"])), Some(1.0));
        assert_eq!(grade(&q, &choices(&["a"])), Some(0.5));
        assert_eq!(grade(&q, &choices(&["a", "d"])), Some(0.0));
        assert_eq!(grade(&q, &choices(&["a", "b", "d"])), Some(0.5));
        assert_eq!(grade(&q, &choices(&["c"])), Some(0.0), "never below zero");
        assert_eq!(
            grade(&q, &choices(&["a", "a", "a"])),
            Some(0.5),
            "a pick counts once"
        );
        assert_eq!(grade(&q, &choices(&[])), Some(0.0));
    }

    #[test]
    fn true_false() {
        let q = QuestionData::TrueFalse {
            answer: false,
            feedback_wrong: None,
            feedback_right: None,
        };
        assert_eq!(grade(&q, &Response::Value { value: false }), Some(1.0));
        assert_eq!(grade(&q, &Response::Value { value: true }), Some(0.0));
    }

    #[test]
    fn short_answer_ignores_case_and_spacing_and_honours_wildcards() {
        let q = QuestionData::ShortAnswer {
            answers: vec![
                TextAnswer {
                    text: "Daerah Khusus  Jakarta".into(),
                    weight: 100.0,
                    feedback: None,
                },
                TextAnswer {
                    text: "jak*".into(),
                    weight: 50.0,
                    feedback: None,
                },
            ],
        };
        let t = |s: &str| Response::Text { text: s.into() };
        assert_eq!(grade(&q, &t("  daerah   KHUSUS jakarta ")), Some(1.0));
        assert_eq!(grade(&q, &t("Jakarta Raya")), Some(0.5));
        assert_eq!(grade(&q, &t("Bandung")), Some(0.0));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b", "ac"));
        assert!(wildcard_match("*", ""));
    }

    #[test]
    fn numerical_tolerance_and_ranges() {
        let q = QuestionData::Numerical {
            answers: vec![
                NumAnswer {
                    min: 2.71,
                    max: 2.73,
                    weight: 100.0,
                    feedback: None,
                },
                NumAnswer {
                    min: 2.5,
                    max: 2.9,
                    weight: 50.0,
                    feedback: None,
                },
            ],
        };
        let n = |x: f64| Response::Number { number: x };
        assert_eq!(grade(&q, &n(2.72)), Some(1.0));
        assert_eq!(grade(&q, &n(2.8)), Some(0.5));
        assert_eq!(grade(&q, &n(4.0)), Some(0.0));
        assert_eq!(grade(&q, &n(f64::NAN)), Some(0.0));
    }

    #[test]
    fn matching_gives_a_share_per_right_pair() {
        let pair = |l: &str, r: &str| Pair {
            left_id: l.into(),
            left: l.into(),
            right_id: r.into(),
            right: r.into(),
        };
        let q = QuestionData::Matching {
            pairs: vec![
                pair("l1", "r1"),
                pair("l2", "r2"),
                pair("l3", "r3"),
                pair("l4", "r4"),
            ],
        };
        let given: BTreeMap<String, String> = [("l1", "r1"), ("l2", "r3"), ("l3", "r3")]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        assert_eq!(grade(&q, &Response::Pairs { pairs: given }), Some(0.5));
        // A right-hand item with no left one is only a wrong choice: it is not a pair to get.
        let q = QuestionData::Matching {
            pairs: vec![pair("l1", "r1"), pair("l2", "r2"), pair("", "r9")],
        };
        let given: BTreeMap<String, String> = [("l1", "r1"), ("l2", "r9")]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        assert_eq!(grade(&q, &Response::Pairs { pairs: given }), Some(0.5));
    }

    #[test]
    fn essays_wait_for_a_person() {
        assert_eq!(
            grade(&QuestionData::Essay, &Response::Text { text: "x".into() }),
            None
        );
        // One left empty (or cleared) earns nothing and waits for no one.
        assert_eq!(
            grade(
                &QuestionData::Essay,
                &Response::Text {
                    text: " \n ".into()
                }
            ),
            Some(0.0)
        );
        assert_eq!(crate::quizzes::model::tidy(2.72 - 0.01), 2.71);
    }

    #[test]
    fn responses_parse_from_the_api_shapes() {
        let parse = |s: &str| serde_json::from_str::<Response>(s).ok();
        assert_eq!(parse(r#"{"choices":["a"]}"#), Some(choices(&["a"])));
        assert_eq!(
            parse(r#"{"value":true}"#),
            Some(Response::Value { value: true })
        );
        assert_eq!(
            parse(r#"{"number":12.5}"#),
            Some(Response::Number { number: 12.5 })
        );
        assert!(matches!(
            parse(r#"{"pairs":{"a":"b"}}"#),
            Some(Response::Pairs { .. })
        ));
        assert_eq!(
            parse(r#"{"text":"x"}"#),
            Some(Response::Text { text: "x".into() })
        );
        assert_eq!(parse(r#"{"other":1}"#), None);
    }
}

//! The attempt form's fields turned into responses. The same form is posted whole by a
//! browser without JavaScript and one question at a time by the autosave script.
//!
//! Field names: `q.<question id>` carries the answer (an option id, `true`/`false`, the
//! text, the number); a multiple-choice question repeats it once per ticked option and
//! always sends one empty value, so ticking nothing clears it; a matching question sends
//! `q.<question id>.<left id>` = right id per row.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::model::QuestionKind;
use super::{attempts::Slot, model::Response};

/// A field that does not fit its question (an unknown option, a number that is not one).
#[derive(Debug, PartialEq, Eq)]
pub struct Unfit(pub Uuid);

/// The responses the fields give, for every slot (or only `only`). A question with no
/// field is left out; one whose fields are all empty gives an empty response, which
/// clears an answer given before.
pub fn responses(
    slots: &[Slot],
    fields: &[(String, String)],
    only: Option<Uuid>,
) -> Result<Vec<(Uuid, Response)>, Unfit> {
    let mut out = Vec::new();
    for slot in slots
        .iter()
        .filter(|s| only.is_none_or(|o| o == s.question_id))
    {
        let id = slot.question_id;
        let key = format!("q.{id}");
        let values: Vec<&str> = fields
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .collect();
        let first = values.iter().copied().find(|v| !v.is_empty());
        let known = |v: &str| slot.order.iter().any(|o| o == v);
        use QuestionKind as K;
        let response = match slot.kind {
            Some(K::SingleChoice) => match first {
                None if values.is_empty() => None,
                None => Some(Response::Choices { choices: vec![] }),
                Some(v) if known(v) => Some(Response::Choices {
                    choices: vec![v.to_owned()],
                }),
                Some(_) => return Err(Unfit(id)),
            },
            Some(K::MultipleChoice) if values.is_empty() => None,
            Some(K::MultipleChoice) => {
                let mut choices: Vec<String> = Vec::new();
                for v in values.iter().filter(|v| !v.is_empty()) {
                    if !known(v) {
                        return Err(Unfit(id));
                    }
                    if !choices.iter().any(|c| c == v) {
                        choices.push((*v).to_owned());
                    }
                }
                Some(Response::Choices { choices })
            }
            Some(K::TrueFalse) => match first {
                None => None,
                Some("true") => Some(Response::Value { value: true }),
                Some("false") => Some(Response::Value { value: false }),
                Some(_) => return Err(Unfit(id)),
            },
            Some(K::ShortAnswer) => values.first().map(|v| Response::Text {
                text: (*v).to_owned(),
            }),
            // An essay keeps its line breaks and indentation.
            Some(K::Essay) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| Response::Text {
                    text: v.replace("\r\n", "\n"),
                }),
            Some(K::Numerical) => match first {
                None => None,
                Some(v) => Some(Response::Number {
                    number: parse_number(v).ok_or(Unfit(id))?,
                }),
            },
            Some(K::Matching) => {
                let prefix = format!("{key}.");
                let rows: Vec<(&str, &str)> = fields
                    .iter()
                    .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|l| (l, v.trim())))
                    .collect();
                if rows.is_empty() {
                    None
                } else {
                    let mut pairs = BTreeMap::new();
                    for (left, right) in rows.into_iter().filter(|(_, r)| !r.is_empty()) {
                        if !known(right) {
                            return Err(Unfit(id));
                        }
                        pairs.insert(left.to_owned(), right.to_owned());
                    }
                    Some(Response::Pairs { pairs })
                }
            }
            _ => None,
        };
        out.extend(response.map(|r| (id, r)));
    }
    Ok(out)
}

/// A number as people type it: `12.5`, `12,5` (Indonesian decimal comma), `-3`.
pub(crate) fn parse_number(v: &str) -> Option<f64> {
    let v = v.replace(' ', "");
    let v = if v.contains(',') && !v.contains('.') {
        v.replace(',', ".")
    } else {
        v
    };
    v.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(kind: &str, order: &[&str]) -> Slot {
        Slot {
            question_id: Uuid::now_v7(),
            kind: QuestionKind::parse(kind),
            order: order.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn f(k: String, v: &str) -> (String, String) {
        (k, v.to_owned())
    }

    #[test]
    fn each_type_reads_its_fields() {
        let single = slot("single_choice", &["a1", "b2"]);
        let multi = slot("multiple_choice", &["m1", "m2", "m3"]);
        let tf = slot("true_false", &[]);
        let short = slot("short_answer", &[]);
        let num = slot("numerical", &[]);
        let matching = slot("matching", &["r1", "r2"]);
        let essay = slot("essay", &[]);
        let k = |s: &Slot| format!("q.{}", s.question_id);
        let fields = vec![
            f(k(&single), "b2"),
            f(k(&multi), ""),
            f(k(&multi), "m1"),
            f(k(&multi), "m3"),
            f(k(&multi), "m3"),
            f(k(&tf), "false"),
            f(k(&short), "  Jakarta "),
            f(k(&num), "12,5"),
            f(format!("{}.l1", k(&matching)), "r2"),
            f(format!("{}.l2", k(&matching)), ""),
            f(k(&essay), "Baris satu\r\n  baris dua"),
        ];
        let slots = [
            single.clone(),
            multi.clone(),
            tf,
            short,
            num,
            matching,
            essay,
        ];
        let got = responses(&slots, &fields, None).expect("fits");
        let r: Vec<&Response> = got.iter().map(|(_, r)| r).collect();
        assert_eq!(
            r,
            vec![
                &Response::Choices {
                    choices: vec!["b2".into()]
                },
                &Response::Choices {
                    choices: vec!["m1".into(), "m3".into()]
                },
                &Response::Value { value: false },
                &Response::Text {
                    text: "Jakarta".into()
                },
                &Response::Number { number: 12.5 },
                &Response::Pairs {
                    pairs: [("l1".to_owned(), "r2".to_owned())].into()
                },
                &Response::Text {
                    text: "Baris satu\n  baris dua".into()
                },
            ]
        );
        let only = responses(&slots, &fields, Some(multi.question_id)).expect("fits");
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].0, multi.question_id);
    }

    #[test]
    fn missing_fields_give_nothing_and_empty_ones_clear() {
        let multi = slot("multiple_choice", &["m1"]);
        let num = slot("numerical", &[]);
        let slots = [multi.clone(), num];
        assert!(responses(&slots, &[], None).expect("fits").is_empty());
        let cleared =
            responses(&slots, &[f(format!("q.{}", multi.question_id), "")], None).expect("fits");
        assert_eq!(cleared.len(), 1);
        assert!(cleared[0].1.is_empty());
    }

    #[test]
    fn fields_that_do_not_fit_are_refused() {
        let single = slot("single_choice", &["a1"]);
        let num = slot("numerical", &[]);
        let tf = slot("true_false", &[]);
        let matching = slot("matching", &["r1"]);
        for (s, k, v) in [
            (&single, format!("q.{}", single.question_id), "zz"),
            (&num, format!("q.{}", num.question_id), "dua belas"),
            (&tf, format!("q.{}", tf.question_id), "maybe"),
            (&matching, format!("q.{}.l1", matching.question_id), "r9"),
        ] {
            assert_eq!(
                responses(std::slice::from_ref(s), &[f(k, v)], None),
                Err(Unfit(s.question_id))
            );
        }
    }
}

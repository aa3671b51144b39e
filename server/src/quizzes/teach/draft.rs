//! The question editor's form: a question of any kind as fields (title, text, feedback,
//! tags, one row per option, answer or pair), read back from a submitted form and turned
//! into the same [`Question`] a GIFT file would give. The form is checked by writing the
//! question as GIFT and reading it back, so the form and the GIFT import keep one set of
//! rules; a refusal is reported on the field it is about.

use std::collections::HashMap;

use mahir_content::questions::{
    Choice, CompetencyTag, Kind, NumAnswer, NumValue, ParseError, Question, TextAnswer, TextFormat,
    gift,
};

use super::super::{form::parse_number, model::QuestionKind};
use crate::web::{errors::FormErrors, i18n::Tr};

/// The most rows (options, answers, pairs) the form takes.
pub const MAX_ROWS: usize = 50;
/// Empty rows offered after the filled ones, and added by "more rows".
const SPARE_ROWS: usize = 2;

/// One option, accepted answer or pair, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The option or answer text, a numerical value, or a pair's left side.
    pub text: String,
    /// A pair's right side.
    pub right: String,
    /// A numerical answer's tolerance.
    pub tolerance: String,
    /// A numerical range's lower end.
    pub min: String,
    /// A numerical range's upper end.
    pub max: String,
    /// Percent of the mark.
    pub weight: String,
    /// Shown to a learner who gave this answer.
    pub feedback: String,
}

impl Row {
    fn is_blank(&self) -> bool {
        [
            &self.text,
            &self.right,
            &self.tolerance,
            &self.min,
            &self.max,
            &self.weight,
            &self.feedback,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// A question as the editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The kind; fixed once the question exists.
    pub kind: QuestionKind,
    /// The title (empty: the start of the text).
    pub title: String,
    /// The category path, e.g. `Keamanan/Dasar`.
    pub category: String,
    /// The question text (Markdown).
    pub text: String,
    /// Feedback shown after any answer.
    pub feedback: String,
    /// Tags, separated by commas.
    pub tags: String,
    /// Competencies as `CODE:LEVEL`, separated by commas.
    pub competencies: String,
    /// A true/false question's answer.
    pub truth: bool,
    /// A true/false question's feedback for a wrong answer.
    pub feedback_wrong: String,
    /// A true/false question's feedback for a right answer.
    pub feedback_right: String,
    /// Options, accepted answers or pairs (blank rows included).
    pub rows: Vec<Row>,
}

/// How many row fields to show for a new question of `kind`.
fn starting_rows(kind: QuestionKind) -> usize {
    match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => 4,
        QuestionKind::Matching => 3,
        QuestionKind::ShortAnswer | QuestionKind::Numerical => 1,
        QuestionKind::TrueFalse | QuestionKind::Essay => 0,
    }
}

/// Whether the kind has rows at all.
pub fn has_rows(kind: QuestionKind) -> bool {
    starting_rows(kind) > 0
}

fn number(x: f64) -> String {
    x.to_string()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

impl Draft {
    /// An empty question of `kind`; a choice starts with its first option right.
    pub fn blank(kind: QuestionKind) -> Draft {
        let mut rows = vec![Row::default(); starting_rows(kind)];
        if let Some(first) = rows.first_mut()
            && kind != QuestionKind::Matching
        {
            first.weight = "100".into();
        }
        Draft {
            kind,
            title: String::new(),
            category: String::new(),
            text: String::new(),
            feedback: String::new(),
            tags: String::new(),
            competencies: String::new(),
            truth: true,
            feedback_wrong: String::new(),
            feedback_right: String::new(),
            rows,
        }
    }

    /// The form of an existing question, with spare rows to add more.
    pub fn of(q: &Question, kind: QuestionKind) -> Draft {
        let mut d = Draft::blank(kind);
        d.rows.clear();
        d.title = opt(&q.title);
        d.category = opt(&q.category);
        d.text = q.text.clone();
        d.feedback = opt(&q.general_feedback);
        d.tags = q.tags.join(", ");
        d.competencies = q
            .competencies
            .iter()
            .map(|c| format!("{}:{}", c.code, c.level))
            .collect::<Vec<_>>()
            .join(", ");
        match &q.kind {
            Kind::SingleChoice { options } | Kind::MultipleChoice { options } => {
                d.rows = options
                    .iter()
                    .map(|o| Row {
                        text: o.text.clone(),
                        weight: number(o.weight),
                        feedback: opt(&o.feedback),
                        ..Row::default()
                    })
                    .collect();
            }
            Kind::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            } => {
                d.truth = *answer;
                d.feedback_wrong = opt(feedback_wrong);
                d.feedback_right = opt(feedback_right);
            }
            Kind::ShortAnswer { answers } => {
                d.rows = answers
                    .iter()
                    .map(|a| Row {
                        text: a.text.clone(),
                        weight: number(a.weight),
                        feedback: opt(&a.feedback),
                        ..Row::default()
                    })
                    .collect();
            }
            Kind::Numerical { answers } => {
                d.rows = answers
                    .iter()
                    .map(|a| {
                        let mut row = Row {
                            weight: number(a.weight),
                            feedback: opt(&a.feedback),
                            ..Row::default()
                        };
                        match a.value {
                            NumValue::Tolerance { value, tolerance } => {
                                row.text = number(value);
                                row.tolerance = number(tolerance);
                            }
                            NumValue::Range { min, max } => {
                                row.min = number(min);
                                row.max = number(max);
                            }
                        }
                        row
                    })
                    .collect();
            }
            Kind::Matching { pairs } => {
                d.rows = pairs
                    .iter()
                    .map(|(left, right)| Row {
                        text: left.clone(),
                        right: right.clone(),
                        ..Row::default()
                    })
                    .collect();
            }
            Kind::Essay | Kind::Description => {}
        }
        d.add_rows();
        d
    }

    /// The form as submitted (`row-{i}-{part}` for the rows; unknown fields ignored).
    pub fn read(kind: QuestionKind, fields: &HashMap<String, String>) -> Draft {
        let get = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let mut rows = Vec::new();
        // Rows up to the last one sent (a missing one in between counts as empty).
        let mut last = 0;
        if has_rows(kind) {
            for i in 0..MAX_ROWS {
                let part = |p: &str| fields.get(&format!("row-{i}-{p}")).cloned();
                let parts = [
                    part("text"),
                    part("right"),
                    part("tolerance"),
                    part("min"),
                    part("max"),
                    part("weight"),
                    part("feedback"),
                ];
                if parts.iter().all(Option::is_none) {
                    rows.push(Row::default());
                    continue;
                }
                last = i + 1;
                let [text, right, tolerance, min, max, weight, feedback] =
                    parts.map(Option::unwrap_or_default);
                rows.push(Row {
                    text,
                    right,
                    tolerance,
                    min,
                    max,
                    weight,
                    feedback,
                });
            }
        }
        rows.truncate(last);
        Draft {
            kind,
            title: get("title"),
            category: get("category"),
            text: get("text"),
            feedback: get("feedback"),
            tags: get("tags"),
            competencies: get("competencies"),
            truth: get("answer") != "false",
            feedback_wrong: get("feedback_wrong"),
            feedback_right: get("feedback_right"),
            rows,
        }
    }

    /// Adds [`SPARE_ROWS`] empty rows (up to [`MAX_ROWS`]) to a kind that has rows.
    pub fn add_rows(&mut self) {
        if has_rows(self.kind) {
            let n = (self.rows.len() + SPARE_ROWS)
                .min(MAX_ROWS)
                .max(starting_rows(self.kind));
            self.rows.resize(n, Row::default());
        }
    }

    /// The question the form describes, or every refusal, each on its field.
    pub fn question(&self, t: &Tr) -> Result<Question, FormErrors> {
        let mut errors = Vec::new();
        let question = self.build(t, &mut errors);
        if !errors.is_empty() {
            return Err(FormErrors { list: errors });
        }
        // The GIFT reader is the one judge of a question's answers: what it refuses, the
        // form refuses, on the field the refusal is about.
        let written = gift::write(std::slice::from_ref(&question));
        let mut parsed = match gift::parse(&written) {
            Ok(parsed) => parsed,
            Err(e) => {
                return Err(FormErrors {
                    list: vec![(self.field_of(&e), reason(t, &e))],
                });
            }
        };
        let read = parsed.pop().filter(|_| parsed.is_empty());
        match read {
            Some(read)
                if Question {
                    line: 1,
                    ..read.clone()
                } == question =>
            {
                Ok(question)
            }
            // Weights that make a multiple choice a single one (one option at 100 %).
            Some(read)
                if self.kind == QuestionKind::MultipleChoice
                    && !same_kind(&read.kind, &question.kind) =>
            {
                Err(FormErrors {
                    list: vec![(
                        self.first_row("weight"),
                        t.get("editor.multiple_needs_two").into(),
                    )],
                })
            }
            // Text GIFT cannot hold as typed (e.g. `->` in a matching pair's left side).
            _ => Err(FormErrors {
                list: vec![(String::new(), t.get("editor.not_exact").into())],
            }),
        }
    }

    fn build(&self, t: &Tr, errors: &mut Vec<(String, String)>) -> Question {
        let some = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        if self.text.trim().is_empty() {
            errors.push(("text".into(), t.get("editor.text_required").into()));
        }
        let tags: Vec<String> = self
            .tags
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let mut competencies = Vec::new();
        for item in self.competencies.split(',').map(str::trim) {
            if item.is_empty() {
                continue;
            }
            let parsed = item.rsplit_once(':').and_then(|(code, level)| {
                let level: u8 = level.trim().parse().ok().filter(|l| (1..=5).contains(l))?;
                let code = code.trim();
                (!code.is_empty() && !code.contains([']', ':', ' '])).then(|| CompetencyTag {
                    code: code.to_owned(),
                    level,
                })
            });
            match parsed {
                Some(c) => competencies.push(c),
                None => {
                    errors.push((
                        "competencies".into(),
                        t.fmt("editor.competency_syntax", "item", item),
                    ));
                    break;
                }
            }
        }
        let rows: Vec<(usize, &Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_blank())
            .collect();
        let mut num = |i: usize, part: &str, raw: &str, default: Option<f64>| -> f64 {
            match (raw.trim(), default) {
                ("", Some(d)) => d,
                (raw, _) => parse_number(raw).unwrap_or_else(|| {
                    errors.push((format!("row-{i}-{part}"), t.get("editor.number").into()));
                    0.0
                }),
            }
        };
        let kind = match self.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                let options = rows
                    .iter()
                    .map(|(i, r)| Choice {
                        text: r.text.trim().to_owned(),
                        weight: num(*i, "weight", &r.weight, Some(0.0)),
                        feedback: some(&r.feedback),
                    })
                    .collect();
                // One option would read back as a short answer: refused here, in the
                // GIFT reader's words.
                if rows.len() < 2 {
                    errors.push((
                        self.first_row("text"),
                        t.get("gift.choice_two_options").into(),
                    ));
                }
                if self.kind == QuestionKind::SingleChoice {
                    Kind::SingleChoice { options }
                } else {
                    Kind::MultipleChoice { options }
                }
            }
            QuestionKind::TrueFalse => Kind::TrueFalse {
                answer: self.truth,
                feedback_wrong: some(&self.feedback_wrong),
                feedback_right: some(&self.feedback_right),
            },
            QuestionKind::ShortAnswer => Kind::ShortAnswer {
                answers: rows
                    .iter()
                    .map(|(i, r)| TextAnswer {
                        text: r.text.trim().to_owned(),
                        weight: num(*i, "weight", &r.weight, Some(100.0)),
                        feedback: some(&r.feedback),
                    })
                    .collect(),
            },
            QuestionKind::Numerical => Kind::Numerical {
                answers: rows
                    .iter()
                    .map(|(i, r)| {
                        let ranged = !r.min.trim().is_empty() || !r.max.trim().is_empty();
                        let value = if ranged {
                            NumValue::Range {
                                min: num(*i, "min", &r.min, None),
                                max: num(*i, "max", &r.max, None),
                            }
                        } else {
                            NumValue::Tolerance {
                                value: num(*i, "text", &r.text, None),
                                tolerance: num(*i, "tolerance", &r.tolerance, Some(0.0)),
                            }
                        };
                        NumAnswer {
                            value,
                            weight: num(*i, "weight", &r.weight, Some(100.0)),
                            feedback: some(&r.feedback),
                        }
                    })
                    .collect(),
            },
            QuestionKind::Matching => Kind::Matching {
                pairs: rows
                    .iter()
                    .map(|(_, r)| (r.text.trim().to_owned(), r.right.trim().to_owned()))
                    .collect(),
            },
            QuestionKind::Essay => Kind::Essay,
        };
        Question {
            line: 1,
            title: some(&self.title),
            category: some(&self.category),
            text: self.text.trim().to_owned(),
            format: TextFormat::Moodle,
            general_feedback: some(&self.feedback),
            kind,
            tags,
            competencies,
        }
    }

    /// The id of the first filled row's `part` (the first row's when none is filled).
    fn first_row(&self, part: &str) -> String {
        let i = self.rows.iter().position(|r| !r.is_blank()).unwrap_or(0);
        format!("row-{i}-{part}")
    }

    /// The field a GIFT refusal is about.
    fn field_of(&self, e: &ParseError) -> String {
        match e.code {
            "text_expected" => "text".into(),
            "tag_length" => "tags".into(),
            "competency_syntax" => "competencies".into(),
            "choice_two_options" | "matching_two_pairs" | "answer_text_expected" => {
                self.first_row("text")
            }
            "pair_right_expected" => self.first_row("right"),
            "single_needs_one" | "weights_sum" | "short_answer_full" | "numerical_full"
            | "weight_range" => self.first_row("weight"),
            "range_order" => self.first_row("min"),
            "tolerance_negative" => self.first_row("tolerance"),
            _ => String::new(),
        }
    }
}

/// Whether two kinds are the same kind of question.
fn same_kind(a: &Kind, b: &Kind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A GIFT refusal's reason in the reader's language (the parser's English when the
/// catalogue has no wording for it).
pub fn reason(t: &Tr, e: &ParseError) -> String {
    let key = format!("gift.{}", e.code);
    let mut reason = if t.lang.catalog().has(&key) {
        t.get(&key).to_owned()
    } else {
        e.message.clone()
    };
    for (name, value) in &e.args {
        reason = reason.replace(&format!("{{{name}}}"), value);
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Lang;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn t() -> Tr {
        Tr { lang: Lang::Id }
    }

    /// What each kind's form gives, written as GIFT and read back.
    fn round_trip(kind: QuestionKind, form: &[(&str, &str)]) -> Question {
        let made = Draft::read(kind, &fields(form))
            .question(&t())
            .unwrap_or_else(|e| panic!("{kind:?}: {:?}", e.list));
        let mut read = gift::parse(&gift::write(std::slice::from_ref(&made))).expect("read back");
        assert_eq!(read.len(), 1);
        let read = read.remove(0);
        assert_eq!(
            Question {
                line: 1,
                ..read.clone()
            },
            made,
            "{kind:?}"
        );
        // The form of the question read back shows what was typed.
        let again = Draft::of(&read, kind).question(&t()).expect("read back");
        assert_eq!(again, made, "{kind:?} shown again");
        made
    }

    const COMMON: [(&str, &str); 5] = [
        ("title", "Kata sandi"),
        ("category", "Keamanan/Dasar"),
        ("feedback", "Lihat modul 2: {kunci} = rahasia #1"),
        ("tags", "sandi, dasar"),
        ("competencies", "T.KI.01:2, M.03:1"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut all = COMMON.to_vec();
        all.extend_from_slice(extra);
        all
    }

    #[test]
    fn every_kind_round_trips_through_gift() {
        let single = round_trip(
            QuestionKind::SingleChoice,
            &with(&[
                ("text", "Sandi yang **kuat**: ~ tanda = {apa}?"),
                ("row-0-text", "Kombinasi 12 karakter"),
                ("row-0-weight", "100"),
                ("row-0-feedback", "Tepat"),
                ("row-1-text", "Tanggal lahir"),
                ("row-1-weight", "0"),
                ("row-2-text", "Nama kucing"),
                ("row-2-weight", "-25"),
                ("row-2-feedback", "Mudah ditebak"),
                ("row-3-text", ""),
                ("row-3-weight", ""),
            ]),
        );
        assert!(matches!(single.kind, Kind::SingleChoice { ref options } if options.len() == 3));
        assert_eq!(single.competencies.len(), 2);
        let multiple = round_trip(
            QuestionKind::MultipleChoice,
            &with(&[
                ("text", "Mana yang termasuk data pribadi?"),
                ("row-0-text", "NIK"),
                ("row-0-weight", "33,33333"),
                ("row-1-text", "Alamat"),
                ("row-1-weight", "33.33333"),
                ("row-2-text", "Nomor telepon"),
                ("row-2-weight", "33.33334"),
                ("row-3-text", "Nama dinas"),
                ("row-3-weight", "-100"),
            ]),
        );
        assert!(matches!(multiple.kind, Kind::MultipleChoice { .. }));
        round_trip(
            QuestionKind::TrueFalse,
            &with(&[
                ("text", "Sandi boleh dibagikan kepada atasan."),
                ("answer", "false"),
                ("feedback_wrong", "Tidak pernah."),
                ("feedback_right", "Benar, sandi pribadi."),
            ]),
        );
        round_trip(
            QuestionKind::ShortAnswer,
            &with(&[
                ("text", "Singkatan dari autentikasi dua faktor?"),
                ("row-0-text", "2FA"),
                ("row-0-weight", "100"),
                ("row-1-text", "MFA"),
                ("row-1-weight", "50"),
                ("row-1-feedback", "Lebih umum"),
            ]),
        );
        let numerical = round_trip(
            QuestionKind::Numerical,
            &with(&[
                ("text", "Berapa panjang minimal sandi?"),
                ("row-0-text", "12"),
                ("row-0-tolerance", "0,5"),
                ("row-0-weight", "100"),
                ("row-1-min", "8"),
                ("row-1-max", "11"),
                ("row-1-weight", "50"),
                ("row-1-feedback", "Kurang panjang"),
            ]),
        );
        assert!(matches!(
            numerical.kind,
            Kind::Numerical { ref answers } if answers[0].value
                == NumValue::Tolerance { value: 12.0, tolerance: 0.5 }
        ));
        round_trip(
            QuestionKind::Matching,
            &with(&[
                ("text", "Pasangkan istilah dengan artinya."),
                ("row-0-text", "Phishing"),
                ("row-0-right", "Pancingan lewat surel"),
                ("row-1-text", "Malware"),
                ("row-1-right", "Perangkat lunak jahat"),
                ("row-2-text", ""),
                ("row-2-right", "Pengecoh -> tanpa pasangan"),
            ]),
        );
        round_trip(
            QuestionKind::Essay,
            &with(&[(
                "text",
                "Jelaskan langkah Anda\nbila menerima surel mencurigakan.",
            )]),
        );
    }

    #[test]
    fn refusals_land_on_their_fields_and_keep_the_input() {
        let form = fields(&[
            ("text", " "),
            ("competencies", "T.KI.01:9"),
            ("row-0-text", "Satu"),
            ("row-0-weight", "seratus"),
            ("row-1-text", "Dua"),
        ]);
        let draft = Draft::read(QuestionKind::SingleChoice, &form);
        let errors = draft.question(&t()).expect_err("refused");
        for field in ["text", "competencies", "row-0-weight"] {
            assert!(errors.on(field).is_some(), "{field}: {:?}", errors.list);
        }
        assert_eq!(draft.rows[0].weight, "seratus");

        // The GIFT reader's rules, reported on the row.
        let none_right = Draft::read(
            QuestionKind::SingleChoice,
            &fields(&[("text", "Soal"), ("row-0-text", "A"), ("row-1-text", "B")]),
        );
        let errors = none_right.question(&t()).expect_err("refused");
        assert!(errors.on("row-0-weight").is_some(), "{:?}", errors.list);

        let one_option = Draft::read(
            QuestionKind::SingleChoice,
            &fields(&[
                ("text", "Soal"),
                ("row-2-text", "A"),
                ("row-2-weight", "100"),
            ]),
        );
        assert!(
            one_option
                .question(&t())
                .expect_err("refused")
                .on("row-2-text")
                .is_some()
        );

        // A "multiple choice" with one right option would come back as a single choice.
        let single_in_disguise = Draft::read(
            QuestionKind::MultipleChoice,
            &fields(&[
                ("text", "Soal"),
                ("row-0-text", "A"),
                ("row-0-weight", "100"),
                ("row-1-text", "B"),
                ("row-1-weight", "0"),
            ]),
        );
        assert!(
            single_in_disguise
                .question(&t())
                .expect_err("refused")
                .on("row-0-weight")
                .is_some()
        );

        let bad_range = Draft::read(
            QuestionKind::Numerical,
            &fields(&[("text", "Soal"), ("row-0-min", "9"), ("row-0-max", "3")]),
        );
        assert!(
            bad_range
                .question(&t())
                .expect_err("refused")
                .on("row-0-min")
                .is_some()
        );
    }

    #[test]
    fn rows_are_bounded() {
        let mut form = fields(&[("text", "Soal")]);
        for i in 0..MAX_ROWS + 10 {
            form.insert(format!("row-{i}-text"), format!("P{i}"));
        }
        let mut d = Draft::read(QuestionKind::SingleChoice, &form);
        assert_eq!(d.rows.len(), MAX_ROWS);
        d.add_rows();
        assert_eq!(d.rows.len(), MAX_ROWS);
        assert_eq!(Draft::blank(QuestionKind::Essay).rows.len(), 0);
    }
}

//! Searching the index: what a user typed turned into a query (words and "phrases", each
//! looked for in the Indonesian and the English fields, titles weighing most), a
//! typo-tolerant second try when the exact words find little, the permission filter and
//! the other filters, and snippets with the matches marked.

use std::{collections::BTreeMap, ops::Bound};

use tantivy::{
    DocAddress, Searcher, TantivyDocument, Term,
    collector::{Count, TopDocs},
    query::{
        BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
        Query, RangeQuery, TermQuery, TermSetQuery,
    },
    schema::{Field, IndexRecordOption, Value},
    snippet::{Snippet, SnippetGenerator},
    tokenizer::TextAnalyzer,
};
use uuid::Uuid;

use super::{
    analyzer::{self, tokens},
    index::{Kind, Lang, SearchError, SearchIndex, raw_analyzer},
};

/// Whose documents a search may return.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Everything, drafts included (admins).
    pub all: bool,
    /// Published courses of the catalogue (their title, summary and description).
    pub catalogue: bool,
    /// Courses whose content (modules, lessons, documents) may be searched: those the
    /// user is enrolled or assigned in. Drafts among them stay hidden.
    pub content_of: Vec<Uuid>,
    /// Courses the user teaches: everything of them, drafts too.
    pub teaching: Vec<Uuid>,
}

impl Scope {
    /// Everything (admins).
    pub fn everything() -> Scope {
        Scope {
            all: true,
            ..Scope::default()
        }
    }
}

/// The filters of a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// A course category.
    pub category: Option<String>,
    /// A delivery form.
    pub delivery: Option<String>,
    /// Least JP.
    pub jp_min: Option<u64>,
    /// Most JP.
    pub jp_max: Option<u64>,
    /// Only these courses ("my courses").
    pub courses: Option<Vec<Uuid>>,
}

/// One search.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// What the user typed.
    pub q: &'a str,
    /// The filters.
    pub filters: Filters,
    /// Page, from 1.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// What it is.
    pub kind: Kind,
    /// Its id.
    pub id: Uuid,
    /// Its course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// A passage with the matches in `<mark>`, everything else escaped.
    pub snippet: String,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// Documents found in all.
    pub total: usize,
    /// The page asked for.
    pub hits: Vec<Hit>,
    /// Found by the typo-tolerant second try.
    pub fuzzy: bool,
}

/// Longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words and phrases of a query used.
const MAX_UNITS: usize = 12;
/// Deepest result a search pages to.
pub const MAX_OFFSET: usize = 10_000;
/// Fewer exact hits than this, and the typo-tolerant try runs.
const FEW: usize = 3;
/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// A word or a phrase of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    Word(String),
    Phrase(String),
}

/// The words and quoted phrases of `q`: everything but letters, digits and quotes is a
/// separator, so no query syntax reaches the index.
fn units(q: &str) -> Vec<Unit> {
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let mut out = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        // Odd parts are inside quotes (an unclosed quote reads to the end).
        let words: Vec<&str> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if i % 2 == 1 && words.len() > 1 {
            out.push(Unit::Phrase(words.join(" ")));
        } else {
            out.extend(words.into_iter().map(|w| Unit::Word(w.to_lowercase())));
        }
    }
    out.dedup();
    out.truncate(MAX_UNITS);
    out
}

/// How many edits a word of this many characters may be off by.
fn distance_for(chars: usize) -> Option<u8> {
    match chars {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

/// The fields of one language with their weights.
struct LangFields {
    analyzer: TextAnalyzer,
    fields: [(Field, f32); 3],
}

impl SearchIndex {
    fn languages(&self) -> [LangFields; 2] {
        let f = &self.fields;
        [
            LangFields {
                analyzer: analyzer::indonesian(),
                fields: [(f.title_id, 3.0), (f.summary_id, 2.0), (f.body_id, 1.0)],
            },
            LangFields {
                analyzer: analyzer::english(),
                fields: [(f.title_en, 3.0), (f.summary_en, 2.0), (f.body_en, 1.0)],
            },
        ]
    }

    /// The query of one word or phrase over both languages' fields (none when every
    /// word of it is a stop word), with a typo-tolerant alternative when `fuzzy`.
    fn unit_query(&self, unit: &Unit, fuzzy: bool) -> Option<Box<dyn Query>> {
        let text = match unit {
            Unit::Word(w) => w,
            // A phrase is the words as written, in that order: looked for in the field of
            // words as written, not among stems.
            Unit::Phrase(p) => return self.phrase_query(p),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for mut lang in self.languages() {
            let toks = tokens(&mut lang.analyzer, text);
            if toks.is_empty() {
                continue;
            }
            for (field, boost) in lang.fields {
                let q: Box<dyn Query> = if toks.len() == 1 {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &toks[0]),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(
                        toks.iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect(),
                    ))
                };
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
        }
        if fuzzy
            && let Unit::Word(w) = unit
            && let Some(d) = distance_for(w.chars().count())
        {
            clauses.push((
                Occur::Should,
                Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.raw, w),
                    d,
                    true,
                )),
            ));
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    fn phrase_query(&self, phrase: &str) -> Option<Box<dyn Query>> {
        let field = self.fields.raw;
        let toks = tokens(&mut raw_analyzer(), phrase);
        match toks.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(field, &toks[0]),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new(
                toks.iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))),
        }
    }

    /// Every unit required; none when no unit is searchable.
    fn main_query(&self, units: &[Unit], fuzzy: bool) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = units
            .iter()
            .filter_map(|u| self.unit_query(u, fuzzy))
            .map(|q| (Occur::Must, q))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    fn term(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    }

    fn courses_query(&self, ids: &[Uuid]) -> Box<dyn Query> {
        Box::new(TermSetQuery::new(ids.iter().map(|id| {
            Term::from_field_text(self.fields.course_id, &id.to_string())
        })))
    }

    /// What `scope` may see, as a query; none for everything.
    fn permission_query(&self, scope: &Scope) -> Option<Box<dyn Query>> {
        if scope.all {
            return None;
        }
        let f = &self.fields;
        let mut allowed: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if scope.catalogue {
            allowed.push((
                Occur::Should,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, self.term(f.kind, Kind::Course.as_str())),
                    (Occur::Must, self.term(f.visibility, "published")),
                ])),
            ));
        }
        if !scope.content_of.is_empty() {
            allowed.push((
                Occur::Should,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, self.courses_query(&scope.content_of)),
                    (Occur::MustNot, self.term(f.visibility, "draft")),
                ])),
            ));
        }
        if !scope.teaching.is_empty() {
            allowed.push((Occur::Should, self.courses_query(&scope.teaching)));
        }
        Some(if allowed.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(BooleanQuery::new(allowed))
        })
    }

    fn filter_queries(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(c) = &filters.category {
            out.push(self.term(f.category, c));
        }
        if let Some(d) = &filters.delivery {
            out.push(self.term(f.delivery, d));
        }
        if filters.jp_min.is_some() || filters.jp_max.is_some() {
            let bound = |v: Option<u64>| match v {
                Some(v) => Bound::Included(Term::from_field_u64(f.jp, v)),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(
                bound(filters.jp_min),
                bound(filters.jp_max),
            )));
        }
        if let Some(ids) = &filters.courses {
            out.push(if ids.is_empty() {
                Box::new(EmptyQuery)
            } else {
                self.courses_query(ids)
            });
        }
        out
    }

    /// `main` with the permission filter and the filters applied (they do not score).
    fn filtered(&self, main: Box<dyn Query>, scope: &Scope, filters: &Filters) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        for q in self
            .permission_query(scope)
            .into_iter()
            .chain(self.filter_queries(filters))
        {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs a search as `scope` may see it.
    pub fn search(&self, req: &Request<'_>, scope: &Scope) -> Result<Results, SearchError> {
        let units = units(req.q);
        let searcher = self.reader.searcher();
        let per_page = req.per_page.clamp(1, 100);
        let offset = req.page.saturating_sub(1).saturating_mul(per_page);
        if offset > MAX_OFFSET {
            return Ok(Results::default());
        }
        let Some(exact) = self.main_query(&units, false) else {
            return Ok(Results::default());
        };
        let query = self.filtered(exact.box_clone(), scope, &req.filters);
        let (top, total) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(per_page)
                    .and_offset(offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let wants_fuzzy = total < FEW
            && units
                .iter()
                .any(|u| matches!(u, Unit::Word(w) if distance_for(w.chars().count()).is_some()));
        if wants_fuzzy && let Some(fuzzy) = self.main_query(&units, true) {
            let query = self.filtered(fuzzy, scope, &req.filters);
            let (top_f, total_f) = searcher.search(
                &query,
                &(
                    TopDocs::with_limit(per_page)
                        .and_offset(offset)
                        .order_by_score(),
                    Count,
                ),
            )?;
            if total_f > total {
                let marks = FuzzyMarks::new(&units);
                let hits = top_f
                    .into_iter()
                    .map(|(_, addr)| self.hit(&searcher, addr, &mut |text, _| marks.snippet(text)))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Results {
                    total: total_f,
                    hits: hits.into_iter().flatten().collect(),
                    fuzzy: true,
                });
            }
        }
        let mut generators = [
            SnippetGenerator::create(&searcher, &*exact, self.fields.body_id)?,
            SnippetGenerator::create(&searcher, &*exact, self.fields.body_en)?,
            SnippetGenerator::create(&searcher, &*exact, self.fields.raw)?,
        ];
        for g in &mut generators {
            g.set_max_num_chars(SNIPPET_CHARS);
        }
        let hits = top
            .into_iter()
            .map(|(_, addr)| {
                self.hit(&searcher, addr, &mut |text, lang| {
                    // The document's own language first; then the other, then the words
                    // as written (phrases), when it marks nothing.
                    let [id, en, raw] = &generators;
                    let order = match lang {
                        Lang::Indonesian => [id, en, raw],
                        Lang::English => [en, id, raw],
                    };
                    let mut first = None;
                    for g in order {
                        let s = g.snippet(text);
                        if !s.highlighted().is_empty() {
                            return marked(&s, text);
                        }
                        first.get_or_insert(s);
                    }
                    first.map(|s| marked(&s, text)).unwrap_or_default()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Results {
            total,
            hits: hits.into_iter().flatten().collect(),
            fuzzy: false,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        snippet: &mut dyn FnMut(&str, Lang) -> String,
    ) -> Result<Option<Hit>, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let text_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned()
        };
        let (Some(kind), Ok(id), Ok(course_id)) = (
            SearchIndex::kind_of(&text_of(f.kind)),
            text_of(f.id).parse::<Uuid>(),
            text_of(f.course_id).parse::<Uuid>(),
        ) else {
            return Ok(None);
        };
        let text = text_of(f.text);
        let lang = if text_of(f.lang) == "en" {
            Lang::English
        } else {
            Lang::Indonesian
        };
        Ok(Some(Hit {
            kind,
            id,
            course_id,
            title: text_of(f.title),
            snippet: snippet(&text, lang),
        }))
    }
}

/// The HTML of a snippet: the matches in `<mark>`, everything else escaped. A snippet
/// without a match is the text's beginning.
fn marked(snippet: &Snippet, text: &str) -> String {
    if snippet.highlighted().is_empty() {
        return escape(&lead(text, SNIPPET_CHARS));
    }
    let fragment = snippet.fragment();
    let mut out = String::with_capacity(fragment.len() + 32);
    let mut at = 0;
    for r in snippet.highlighted() {
        if r.start < at || r.end > fragment.len() {
            continue;
        }
        out.push_str(&escape(&fragment[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&fragment[r.clone()]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&fragment[at..]));
    out
}

/// The first `chars` characters of `text`, cut at a word, with an ellipsis when cut.
fn lead(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let cut: String = flat.chars().take(chars).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

/// `s` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Marks the words of a text that a typo-tolerant search matched: tantivy's snippets
/// know only exact terms, so the text's words are compared with the query's here.
struct FuzzyMarks {
    words: Vec<(String, u8)>,
}

impl FuzzyMarks {
    fn new(units: &[Unit]) -> FuzzyMarks {
        let mut words = Vec::new();
        for u in units {
            match u {
                Unit::Word(w) => {
                    words.push((w.clone(), distance_for(w.chars().count()).unwrap_or(0)));
                }
                Unit::Phrase(p) => words.extend(p.split(' ').map(|w| (w.to_lowercase(), 0))),
            }
        }
        FuzzyMarks { words }
    }

    fn snippet(&self, text: &str) -> String {
        let mut raw = raw_analyzer();
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for token in tokens(&mut raw, text) {
            if terms.contains_key(&token) {
                continue;
            }
            if self
                .words
                .iter()
                .any(|(w, d)| edit_distance_within(w, &token, *d))
            {
                terms.insert(token, 1.0);
            }
        }
        let generator = SnippetGenerator::new(
            terms,
            raw_analyzer(),
            // The field only names the generator's source; the text is given.
            tantivy::schema::Field::from_field_id(0),
            SNIPPET_CHARS,
        );
        marked(&generator.snippet(text), text)
    }
}

/// Whether `a` and `b` are at most `max` edits apart (insertions, deletions,
/// substitutions and swaps of neighbours, as the fuzzy query counts them).
fn edit_distance_within(a: &str, b: &str, max: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Optimal string alignment distance, three rows.
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_without_query_syntax() {
        assert_eq!(
            units(r#"Keamanan "pelayanan publik" title:x +y -z (a) "unclosed quote"#),
            [
                Unit::Word("keamanan".into()),
                Unit::Phrase("pelayanan publik".into()),
                Unit::Word("title".into()),
                Unit::Word("x".into()),
                Unit::Word("y".into()),
                Unit::Word("z".into()),
                Unit::Word("a".into()),
                Unit::Phrase("unclosed quote".into()),
            ]
        );
        assert!(units("  \" \" ;; ").is_empty());
        assert!(units(&"kata ".repeat(100)).len() <= MAX_UNITS);
    }

    #[test]
    fn edit_distances_at_their_edges() {
        for (a, b, d, want) in [
            ("keamanan", "keamaan", 1, true),
            ("keamanan", "kaemanan", 1, true),
            ("informasi", "infromasi", 1, true),
            ("informasi", "imformassi", 2, true),
            ("informasi", "imformasii", 1, false),
            ("data", "date", 1, true),
            ("data", "dota", 0, false),
            ("data", "data", 0, true),
        ] {
            assert_eq!(edit_distance_within(a, b, d), want, "{a} {b} {d}");
        }
        assert_eq!(distance_for(3), None);
        assert_eq!(distance_for(4), Some(1));
        assert_eq!(distance_for(7), Some(1));
        assert_eq!(distance_for(8), Some(2));
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape(r#"<b>"a" & 'b'</b>"#),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
        assert_eq!(lead("satu  dua\ntiga", 8), "satu…");
    }
}

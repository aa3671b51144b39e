//! Search benchmark: a synthetic corpus of 100,000 lessons (2,000 courses of 50, four in
//! five Indonesian, one in five English, words inflected as Indonesian writers inflect
//! them), indexed with Mahir's `SearchIndex` and loaded into PostgreSQL full-text search
//! (`tsvector` over the `simple` configuration, GIN index). Prints indexing documents/s,
//! index size, query p50/p99 for a fixed mix of queries with a learner's permission
//! filter applied on both, their ratio, and recall@10 and MRR on a judged set of planted
//! documents.
//!
//! cargo bench -p mahir-tests --bench search
//! Options (environment): LESSONS (100000), RUNS (20 per query), POSTGRES
//! (postgres://postgres@127.0.0.1:5432/test; empty skips PostgreSQL).

use std::time::{Duration, Instant};

use mahir_content::search::{Doc, Filters, Kind, Lang, Request, Scope, SearchIndex, Visibility};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, Value};
use uuid::Uuid;

#[path = "search/data.rs"]
mod data;
use data::{FILLER_EN, FILLER_ID, JUDGED, MIX, TOPICS, planted_of};

/// A small deterministic generator (xorshift64*), so every run has the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentence(rng: &mut Rng, words: &[&str], filler: &[&str]) -> String {
    let n = 8 + rng.below(7);
    let mut out: Vec<&str> = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(if rng.below(10) < 6 {
            rng.pick(words)
        } else {
            rng.pick(filler)
        });
    }
    let mut s = out.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

struct Corpus {
    docs: Vec<(Uuid, Vec<Doc>)>,
    /// Per judged query (by index), the keys of its planted lessons.
    relevant: Vec<Vec<String>>,
    lessons: usize,
}

fn key(d: &Doc) -> String {
    format!("{}:{}", d.kind.as_str(), d.id)
}

fn corpus(lessons: usize) -> Corpus {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_course = 50;
    let courses = lessons.div_ceil(per_course);
    let mut docs = Vec::with_capacity(courses);
    let mut n: u128 = 1;
    let mut next_id = || {
        n += 1;
        Uuid::from_u128(n)
    };
    let mut made = 0;
    for c in 0..courses {
        let (topic, id_words, en_words) = TOPICS[c % TOPICS.len()];
        let english = rng.below(5) == 0;
        let (words, filler, lang) = if english {
            (en_words, FILLER_EN, Lang::English)
        } else {
            (id_words, FILLER_ID, Lang::Indonesian)
        };
        let course_id = next_id();
        let course = Doc {
            kind: Kind::Course,
            id: course_id,
            course_id,
            lang,
            title: format!("{topic} {}", c / TOPICS.len() + 1),
            summary: sentence(&mut rng, words, filler),
            body: (0..4)
                .map(|_| sentence(&mut rng, words, filler))
                .collect::<Vec<_>>()
                .join(" "),
            visibility: if c % 10 == 9 {
                Visibility::Draft
            } else {
                Visibility::Published
            },
            category: ["teknis", "fungsional", "kepemimpinan", "lainnya"][c % 4].to_owned(),
            delivery: "e_learning".to_owned(),
            jp: 2 + (c % 20) as u64,
            instructors: vec![],
        };
        let mut list = vec![course.clone()];
        for _ in 0..per_course.min(lessons - made) {
            let sentences = 8 + rng.below(13);
            list.push(Doc {
                kind: Kind::Lesson,
                id: next_id(),
                title: format!("{} {}", rng.pick(words), rng.pick(words)),
                summary: String::new(),
                body: (0..sentences)
                    .map(|_| sentence(&mut rng, words, filler))
                    .collect::<Vec<_>>()
                    .join(" "),
                ..course.clone()
            });
            made += 1;
        }
        docs.push((course_id, list));
    }
    // The planted lessons, each in a published course of the learner's reach (the first
    // courses: see `learner`).
    let mut relevant = vec![Vec::new(); JUDGED.len()];
    for (i, j) in JUDGED.iter().enumerate() {
        for (t, (title, body)) in j.planted.iter().enumerate() {
            let slot = (i * 2 + t) % 18;
            let list = &mut docs[slot].1;
            let base = list[0].clone();
            let lesson = Doc {
                kind: Kind::Lesson,
                id: next_id(),
                lang: mahir_content::search::analyzer::detect_language(body),
                title: (*title).to_owned(),
                summary: String::new(),
                body: format!("{body} {body}"),
                ..base
            };
            relevant[i].push(key(&lesson));
            list.push(lesson);
        }
    }
    for i in 0..JUDGED.len() {
        let from = planted_of(i);
        if from != i {
            relevant[i] = relevant[from].clone();
        }
    }
    Corpus {
        docs,
        relevant,
        lessons: made,
    }
}

/// The learner whose searches are timed: the catalogue and the content of 20 courses.
fn learner(c: &Corpus) -> Scope {
    Scope {
        all: false,
        catalogue: true,
        content_of: c.docs.iter().take(20).map(|(id, _)| *id).collect(),
        teaching: Vec::new(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

/// recall@10 and MRR of a ranking function over the judged queries that have planted
/// lessons.
fn judge(c: &Corpus, mut top10: impl FnMut(&str) -> Vec<String>) -> (f64, f64) {
    let (mut recall, mut rr, mut n) = (0.0, 0.0, 0.0);
    for (i, j) in JUDGED.iter().enumerate() {
        let rel = &c.relevant[i];
        if rel.is_empty() {
            continue;
        }
        let got = top10(j.query);
        let found = rel.iter().filter(|k| got.contains(k)).count();
        recall += found as f64 / rel.len() as f64;
        rr += got
            .iter()
            .position(|k| rel.contains(k))
            .map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
        n += 1.0;
    }
    (recall / n, rr / n)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let lessons = env_usize("LESSONS", 100_000);
    let runs = env_usize("RUNS", 20);
    let started = Instant::now();
    let corpus = corpus(lessons);
    let total_docs: usize = corpus.docs.iter().map(|(_, d)| d.len()).sum();
    println!(
        "corpus: {} lessons, {} courses, {total_docs} documents (generated in {:.1} s)",
        corpus.lessons,
        corpus.docs.len(),
        started.elapsed().as_secs_f64()
    );

    // tantivy
    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(dir.path())?;
    let t = Instant::now();
    for (course_id, docs) in &corpus.docs {
        index.replace_course(*course_id, docs)?;
    }
    index.commit(1)?;
    let took = t.elapsed();
    println!(
        "tantivy: indexed {total_docs} documents in {:.1} s = {:.0} documents/s; index {:.1} MB",
        took.as_secs_f64(),
        total_docs as f64 / took.as_secs_f64(),
        dir_size(dir.path()) as f64 / 1e6
    );
    let scope = learner(&corpus);
    let queries: Vec<&str> = MIX
        .iter()
        .copied()
        .chain(JUDGED.iter().map(|j| j.query))
        .collect();
    let search = |q: &str| {
        index.search(
            &Request {
                q,
                filters: Filters::default(),
                page: 1,
                per_page: 10,
            },
            &Scope::everything(),
        )
    };
    let _ = search("warm");
    let mut times = Vec::new();
    let mut per_query: Vec<(Duration, &str)> =
        queries.iter().map(|q| (Duration::ZERO, *q)).collect();
    for _ in 0..runs {
        for (qi, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = index.search(
                &Request {
                    q,
                    filters: Filters::default(),
                    page: 1,
                    per_page: 10,
                },
                &scope,
            )?;
            times.push(t.elapsed());
            per_query[qi].0 += t.elapsed();
            std::hint::black_box(r);
        }
    }
    times.sort();
    let (t50, t99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "tantivy: {} queries ({} kinds × {runs}), learner's filter: p50 {:.2} ms, p99 {:.2} ms",
        times.len(),
        queries.len(),
        t50.as_secs_f64() * 1e3,
        t99.as_secs_f64() * 1e3
    );
    per_query.sort_by_key(|p| std::cmp::Reverse(p.0));
    let slowest: Vec<String> = per_query
        .iter()
        .take(5)
        .map(|(d, q)| format!("{q} {:.2} ms", d.as_secs_f64() * 1e3 / runs as f64))
        .collect();
    println!("tantivy: slowest on average: {}", slowest.join(", "));
    let (recall, mrr) = judge(&corpus, |q| {
        search(q)
            .map(|r| {
                r.hits
                    .iter()
                    .map(|h| format!("{}:{}", h.kind.as_str(), h.id))
                    .collect()
            })
            .unwrap_or_default()
    });
    let judged = corpus.relevant.iter().filter(|r| !r.is_empty()).count();
    println!("tantivy: judged set ({judged} queries): recall@10 {recall:.3}, MRR {mrr:.3}");

    // PostgreSQL
    let url = std::env::var("POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    if url.is_empty() {
        return Ok(());
    }
    let db_url = mahir_tests::fresh_postgres(&url).await;
    let db = Database::connect(&db_url).await?;
    pg_load(&db, &corpus).await?;
    let courses: Vec<Uuid> = scope.content_of.clone();
    let mut pg_times = Vec::new();
    let _ = pg_top10(&db, "warm", &courses, false).await?;
    for _ in 0..runs {
        for q in &queries {
            let t = Instant::now();
            std::hint::black_box(pg_top10(&db, q, &courses, false).await?);
            pg_times.push(t.elapsed());
        }
    }
    pg_times.sort();
    let (p50, p99) = (percentile(&pg_times, 0.5), percentile(&pg_times, 0.99));
    println!(
        "postgres fts: {} queries, learner's filter: p50 {:.2} ms, p99 {:.2} ms",
        pg_times.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    println!(
        "ratio postgres/tantivy: p50 {:.1}×, p99 {:.1}×",
        p50.as_secs_f64() / t50.as_secs_f64(),
        p99.as_secs_f64() / t99.as_secs_f64()
    );
    let mut answers = Vec::new();
    for j in JUDGED {
        answers.push(pg_top10(&db, j.query, &[], true).await?);
    }
    let mut at = 0;
    let (recall, mrr) = judge(&corpus, |_| {
        at += 1;
        answers[at - 1].clone()
    });
    println!("postgres fts: judged set ({judged} queries): recall@10 {recall:.3}, MRR {mrr:.3}");
    Ok(())
}

async fn pg_load(db: &DatabaseConnection, c: &Corpus) -> anyhow::Result<()> {
    let b = db.get_database_backend();
    for sql in [
        "CREATE TABLE docs (key text PRIMARY KEY, kind text NOT NULL, course_id uuid NOT NULL, \
         published boolean NOT NULL, title text NOT NULL, body text NOT NULL, \
         tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title), 'A') || \
         to_tsvector('simple', body)) STORED)",
        "CREATE INDEX docs_tsv ON docs USING gin (tsv)",
    ] {
        db.execute_raw(Statement::from_string(b, sql)).await?;
    }
    let t = Instant::now();
    let rows: Vec<&Doc> = c.docs.iter().flat_map(|(_, d)| d.iter()).collect();
    for chunk in rows.chunks(500) {
        let mut sql =
            String::from("INSERT INTO docs (key, kind, course_id, published, title, body) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 6);
        for (i, d) in chunk.iter().enumerate() {
            let n = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6
            ));
            values.push(key(d).into());
            values.push(d.kind.as_str().into());
            values.push(d.course_id.into());
            values.push((d.visibility == Visibility::Published).into());
            values.push(d.title.clone().into());
            values.push(format!("{} {}", d.summary, d.body).into());
        }
        db.execute_raw(Statement::from_sql_and_values(b, sql, values))
            .await?;
    }
    db.execute_raw(Statement::from_string(b, "ANALYZE docs"))
        .await?;
    let size: i64 = db
        .query_one_raw(Statement::from_string(
            b,
            "SELECT pg_total_relation_size('docs')",
        ))
        .await?
        .map(|r| r.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0);
    println!(
        "postgres fts: loaded {} documents in {:.1} s = {:.0} documents/s; table with GIN index {:.1} MB",
        rows.len(),
        t.elapsed().as_secs_f64(),
        rows.len() as f64 / t.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    Ok(())
}

/// The top ten keys of `q` by `ts_rank_cd`, with the learner's filter (or none: `all`).
async fn pg_top10(
    db: &DatabaseConnection,
    q: &str,
    courses: &[Uuid],
    all: bool,
) -> anyhow::Result<Vec<String>> {
    let b = db.get_database_backend();
    let filter = if all {
        "TRUE"
    } else {
        "((kind = 'course' AND published) OR (course_id = ANY($2) AND published))"
    };
    let sql = format!(
        "SELECT key FROM docs, websearch_to_tsquery('simple', $1) q \
         WHERE tsv @@ q AND {filter} ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 10"
    );
    let mut values: Vec<Value> = vec![q.into()];
    if !all {
        values.push(Value::Array(
            sea_orm::sea_query::ArrayType::Uuid,
            Some(Box::new(courses.iter().map(|c| Value::from(*c)).collect())),
        ));
    }
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(b, sql, values))
        .await?;
    rows.into_iter()
        .map(|r| Ok(r.try_get_by_index::<String>(0)?))
        .collect()
}

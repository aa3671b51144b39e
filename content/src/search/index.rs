//! [`SearchIndex`]: the tantivy index of courses, modules, lessons and the text of their
//! PDF documents. It is derived data: the server feeds it from the database and may throw
//! it away and build it again at any time. One long-lived writer; readers reload on
//! commit. Each commit carries the position of the last change it holds, so an indexer
//! resumes where it stopped.

use std::{path::Path, sync::Mutex};

use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    directory::MmapDirectory,
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
    tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer},
};
use uuid::Uuid;

use super::analyzer;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A course: title, summary, description.
    Course,
    /// A module of a course: its title.
    Module,
    /// A lesson: title and text.
    Lesson,
    /// The text of a PDF document attached to a lesson.
    Document,
}

impl Kind {
    /// The name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Course => "course",
            Kind::Module => "module",
            Kind::Lesson => "lesson",
            Kind::Document => "document",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [Kind::Course, Kind::Module, Kind::Lesson, Kind::Document]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The language a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Indonesian (the default).
    #[default]
    Indonesian,
    /// English.
    English,
}

/// Where a course stands, as search sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// In the catalogue.
    Published,
    /// Seen by its instructors and admins only.
    Draft,
    /// Out of the catalogue; its content stays with those enrolled.
    Archived,
}

impl Visibility {
    fn as_str(self) -> &'static str {
        match self {
            Visibility::Published => "published",
            Visibility::Draft => "draft",
            Visibility::Archived => "archived",
        }
    }
}

/// One document to index. A course's facts (visibility, category, delivery, JP,
/// instructors) are copied onto each of its documents so the filters apply to all.
#[derive(Debug, Clone)]
pub struct Doc {
    /// What it is.
    pub kind: Kind,
    /// The course, module, lesson or material id.
    pub id: Uuid,
    /// The course it belongs to (its own id for a course).
    pub course_id: Uuid,
    /// Its language.
    pub lang: Lang,
    /// Its title.
    pub title: String,
    /// A course's summary (empty otherwise).
    pub summary: String,
    /// A course's description, a lesson's text, a document's text.
    pub body: String,
    /// The course's visibility.
    pub visibility: Visibility,
    /// The course's category.
    pub category: String,
    /// The course's delivery form.
    pub delivery: String,
    /// The course's JP.
    pub jp: u64,
    /// The course's instructors (they find its drafts).
    pub instructors: Vec<Uuid>,
}

/// Most bytes of a document's body that are indexed and kept for snippets.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The name of the analyzer of the field of words as written (lower-cased, unstemmed):
/// quoted phrases are looked for there, and typos.
pub(super) const RAW: &str = "mahir_raw";

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub course_id: Field,
    pub visibility: Field,
    pub category: Field,
    pub delivery: Field,
    pub jp: Field,
    pub instructor: Field,
    pub lang: Field,
    pub title: Field,
    pub text: Field,
    pub title_id: Field,
    pub title_en: Field,
    pub summary_id: Field,
    pub summary_en: Field,
    pub body_id: Field,
    pub body_en: Field,
    pub raw: Field,
}

/// The schema's version: an index written with another is rebuilt.
const SCHEMA_VERSION: u32 = 2;

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STORED),
        course_id: b.add_text_field("course_id", STRING | STORED),
        visibility: b.add_text_field("visibility", STRING),
        category: b.add_text_field("category", STRING),
        delivery: b.add_text_field("delivery", STRING),
        jp: b.add_u64_field("jp", INDEXED | FAST),
        instructor: b.add_text_field("instructor", STRING),
        lang: b.add_text_field("lang", STORED),
        title: b.add_text_field("title", STORED),
        text: b.add_text_field("text", STORED),
        title_id: b.add_text_field("title_id", text(analyzer::INDONESIAN)),
        title_en: b.add_text_field("title_en", text(analyzer::ENGLISH)),
        summary_id: b.add_text_field("summary_id", text(analyzer::INDONESIAN)),
        summary_en: b.add_text_field("summary_en", text(analyzer::ENGLISH)),
        body_id: b.add_text_field("body_id", text(analyzer::INDONESIAN)),
        body_en: b.add_text_field("body_en", text(analyzer::ENGLISH)),
        raw: b.add_text_field("raw", text(RAW)),
    };
    (b.build(), fields)
}

/// The analyzer of the typo-tolerant field.
pub(super) fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

fn register(index: &Index) {
    analyzer::register(index);
    index.tokenizers().register(RAW, raw_analyzer());
}

/// What went wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy refused.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory.
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    /// The index's directory could not be opened.
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
}

/// How [`SearchIndex::open`] found the index on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An index was there, at this position (none: nothing committed yet).
    Existing(Option<u64>),
    /// There was none: a new, empty one.
    Created,
    /// The one there could not be read or had another schema; it was replaced by an
    /// empty one, for this reason.
    Replaced(String),
}

/// The index, its one writer and its reader.
pub struct SearchIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(super) fields: Fields,
}

/// Memory the writer may buffer before it writes a segment.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// The payload of a commit: the schema's version and the position of the last change.
fn payload(position: u64) -> String {
    format!("{SCHEMA_VERSION}:{position}")
}

/// The schema version and position of a payload (no position during a rebuild).
fn parse_payload(p: &str) -> Option<(u32, Option<u64>)> {
    let (v, pos) = p.split_once(':')?;
    Some((v.parse().ok()?, pos.parse().ok()))
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when there is none and replacing it (empty)
    /// when it cannot be read or was written with another schema.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let existing = MmapDirectory::open(dir)?;
        let exists = Index::exists(&existing).unwrap_or(false);
        let problem = if exists {
            match Index::open(existing).and_then(|i| Ok((i.load_metas()?, i))) {
                Ok((metas, index)) => {
                    let version = metas.payload.as_deref().and_then(parse_payload);
                    if index.schema() != schema {
                        Some("its schema differs".to_owned())
                    } else if metas.payload.is_some()
                        && version.is_none_or(|(v, _)| v != SCHEMA_VERSION)
                    {
                        Some("it was written by another version".to_owned())
                    } else {
                        let position = version.and_then(|(_, p)| p);
                        let me = Self::with_index(index, fields)?;
                        return Ok((me, Opened::Existing(position)));
                    }
                }
                Err(e) => Some(e.to_string()),
            }
        } else {
            None
        };
        if problem.is_some() {
            std::fs::remove_dir_all(dir)?;
            std::fs::create_dir_all(dir)?;
        }
        let index = Index::create(
            MmapDirectory::open(dir)?,
            schema,
            tantivy::IndexSettings::default(),
        )?;
        let me = Self::with_index(index, fields)?;
        Ok((me, problem.map_or(Opened::Created, Opened::Replaced)))
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        register(&index);
        let writer = index.writer(WRITER_HEAP_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    /// The position of the last change committed (none before the first commit).
    pub fn position(&self) -> Option<u64> {
        let metas = self.index.load_metas().ok()?;
        metas
            .payload
            .as_deref()
            .and_then(parse_payload)
            .and_then(|(_, p)| p)
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces every document of `course_id` by `docs` (none: the course is gone). Seen
    /// by searches after the next [`commit`](Self::commit).
    pub fn replace_course(&self, course_id: Uuid, docs: &[Doc]) -> Result<(), SearchError> {
        let writer = self.writer();
        writer.delete_term(Term::from_field_text(
            self.fields.course_id,
            &course_id.to_string(),
        ));
        for d in docs {
            writer.add_document(self.document(d))?;
        }
        Ok(())
    }

    /// Removes every document.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Commits what was written, recording `position` (the last change it holds), and
    /// makes it visible to searches.
    pub fn commit(&self, position: u64) -> Result<(), SearchError> {
        {
            let mut writer = self.writer();
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload(position));
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Commits what was written so far of a rebuild, without a position: searches see it,
    /// and an index opened after a crash knows the rebuild did not finish.
    pub fn commit_partial(&self) -> Result<(), SearchError> {
        {
            let mut writer = self.writer();
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&format!("{SCHEMA_VERSION}:rebuilding"));
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// How many documents searches see.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether searches see no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(&self, d: &Doc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        let body = clip(&d.body, MAX_BODY_BYTES);
        doc.add_text(f.key, format!("{}:{}", d.kind.as_str(), d.id));
        doc.add_text(f.kind, d.kind.as_str());
        doc.add_text(f.id, d.id.to_string());
        doc.add_text(f.course_id, d.course_id.to_string());
        doc.add_text(f.visibility, d.visibility.as_str());
        doc.add_text(f.category, &d.category);
        doc.add_text(f.delivery, &d.delivery);
        doc.add_u64(f.jp, d.jp);
        for i in &d.instructors {
            doc.add_text(f.instructor, i.to_string());
        }
        doc.add_text(
            f.lang,
            match d.lang {
                Lang::Indonesian => "id",
                Lang::English => "en",
            },
        );
        doc.add_text(f.title, &d.title);
        if d.summary.is_empty() {
            doc.add_text(f.text, body);
        } else {
            doc.add_text(f.text, format!("{}\n\n{body}", d.summary));
        }
        let (title, summary, text) = match d.lang {
            Lang::Indonesian => (f.title_id, f.summary_id, f.body_id),
            Lang::English => (f.title_en, f.summary_en, f.body_en),
        };
        doc.add_text(title, &d.title);
        if !d.summary.is_empty() {
            doc.add_text(summary, &d.summary);
        }
        doc.add_text(text, body);
        doc.add_text(f.raw, &d.title);
        doc.add_text(f.raw, &d.summary);
        doc.add_text(f.raw, body);
        doc
    }

    pub(super) fn kind_of(s: &str) -> Option<Kind> {
        Kind::parse(s)
    }
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

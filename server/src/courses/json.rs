//! The JSON shapes of courses, lessons and materials that the courses API returns.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::CourseDetail;
use crate::entities::{courses, lessons, materials as material_rows};

/// A course in a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CourseSummary {
    /// Course id.
    pub id: Uuid,
    /// Short code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// kepemimpinan, fungsional, teknis or lainnya.
    pub category: String,
    /// Learning hours.
    pub jp: i32,
    /// e_learning, classical or blended.
    pub delivery: String,
    /// draft, published or archived.
    pub status: String,
    /// self (anyone may enrol) or assigned (only those assigned).
    pub enrolment_mode: String,
    /// A classical or blended course's first session.
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Its last session's end.
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Where it meets (empty for e-learning).
    pub venue: String,
}

impl From<&courses::Model> for CourseSummary {
    fn from(c: &courses::Model) -> Self {
        Self {
            id: c.id,
            code: c.code.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            category: c.category.to_string(),
            jp: c.jp,
            delivery: c.delivery.to_string(),
            status: c.status.to_string(),
            enrolment_mode: c.enrolment.to_string(),
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            venue: c.venue.clone(),
        }
    }
}

/// A material's metadata.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MaterialJson {
    /// Material id; `GET /api/v1/materials/{id}` streams it.
    pub id: Uuid,
    /// File name as uploaded (last path segment).
    pub file_name: String,
    /// Type sniffed from the bytes.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// A video's length in seconds as read from the file; null otherwise or when unknown.
    pub duration_seconds: Option<i32>,
}

impl From<&material_rows::Model> for MaterialJson {
    fn from(m: &material_rows::Model) -> Self {
        Self {
            id: m.id,
            file_name: m.file_name.clone(),
            content_type: m.content_type.clone(),
            size: m.size,
            sha256: m.sha256.clone(),
            duration_seconds: m.duration_seconds,
        }
    }
}

/// A lesson.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LessonJson {
    /// Lesson id.
    pub id: Uuid,
    /// Module id.
    pub module_id: Uuid,
    /// Order within the module, from 0.
    pub position: i32,
    /// Title.
    pub title: String,
    /// text, video, document or link.
    pub kind: String,
    /// opened, watched or marked.
    pub completion: String,
    /// For "watched": the share of the video to watch, in percent.
    pub watch_percent: i32,
    /// Counts towards course progress.
    pub required: bool,
    /// The Markdown rendered and sanitized (for those who may take the course).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Link lessons: the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Video and document lessons: the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub material: Option<MaterialJson>,
    /// Video lessons: WebVTT captions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captions: Option<MaterialJson>,
}

pub fn lesson_json(l: &lessons::Model, d: Option<&CourseDetail>, with_body: bool) -> LessonJson {
    let material = |id: Option<Uuid>| {
        id.and_then(|id| d.and_then(|d| d.content.materials.get(&id)))
            .map(MaterialJson::from)
    };
    LessonJson {
        id: l.id,
        module_id: l.module_id,
        position: l.position,
        title: l.title.clone(),
        kind: l.kind.to_string(),
        completion: l.completion.to_string(),
        watch_percent: l.watch_percent,
        required: l.required,
        body_html: with_body.then(|| l.body_html.clone()),
        url: l.url.clone(),
        material: if with_body {
            material(l.material_id)
        } else {
            None
        },
        captions: if with_body {
            material(l.captions_material_id)
        } else {
            None
        },
    }
}

/// A module with its lessons.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModuleJson {
    /// Module id.
    pub id: Uuid,
    /// Order within the course, from 0.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Lessons in order.
    pub lessons: Vec<LessonJson>,
}

/// A person, briefly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PersonRef {
    /// User id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// A prerequisite.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PrerequisiteJson {
    /// The course to complete first.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// Minimum final grade in percent, if any.
    pub min_grade: Option<i32>,
}

/// A course with its modules and lessons.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CourseJson {
    /// The course's fields.
    #[serde(flatten)]
    pub course: CourseSummary,
    /// Description, rendered and sanitized.
    pub description_html: String,
    /// Instructors.
    pub instructors: Vec<PersonRef>,
    /// Courses to complete first.
    pub prerequisites: Vec<PrerequisiteJson>,
    /// Modules in order.
    pub modules: Vec<ModuleJson>,
    /// Whether the caller may edit it.
    pub can_edit: bool,
    /// Whether the caller is enrolled.
    pub enrolled: bool,
}

pub fn course_json(d: &CourseDetail) -> CourseJson {
    let with_body = d.access.can_learn();
    CourseJson {
        course: CourseSummary::from(&d.access.course),
        description_html: d.content.description_html.clone(),
        instructors: d
            .content
            .instructors
            .iter()
            .map(|u| PersonRef {
                id: u.id,
                name: u.display_name.clone(),
            })
            .collect(),
        prerequisites: d
            .visible_prerequisites()
            .into_iter()
            .map(|(p, c)| PrerequisiteJson {
                course_id: c.id,
                title: c.title.clone(),
                min_grade: p.min_grade,
            })
            .collect(),
        modules: d
            .content
            .outline
            .iter()
            .map(|m| ModuleJson {
                id: m.module.id,
                position: m.module.position,
                title: m.module.title.clone(),
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| lesson_json(l, Some(d), with_body))
                    .collect(),
            })
            .collect(),
        can_edit: d.access.can_edit,
        enrolled: d.access.enrolment.is_some(),
    }
}

/// A page of courses.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CourseList {
    /// The courses.
    pub items: Vec<CourseSummary>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

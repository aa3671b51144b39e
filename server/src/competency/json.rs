//! The competency domain's JSON shapes, shared by its API handlers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    dictionary::{Competency, LevelText},
    evidence::EvidenceSource,
    model::Kind,
    profile::{Profile, Row},
    recommend::{Closes, Recommendation},
    records::{ByCategory, YearJp},
    requirements::Leveled,
};
use crate::{entities::completion_records, org::api::EmployeeJson};

/// A competency of the dictionary.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompetencyJson {
    /// Competency id.
    pub id: Uuid,
    /// Code, e.g. `M.01`, `T.KI`.
    pub code: String,
    /// `manajerial`, `sosial_kultural` or `teknis`.
    #[schema(value_type = String)]
    pub kind: Kind,
    /// Name (Indonesian).
    pub name: String,
    /// Name (English), empty when none.
    pub name_en: String,
    /// Definition (Indonesian).
    pub definition: String,
    /// Definition (English).
    pub definition_en: String,
    /// Retired: kept for its evidence, offered for nothing new.
    pub retired: bool,
    /// The described levels.
    pub levels: Vec<LevelText>,
}

impl From<Competency> for CompetencyJson {
    fn from(c: Competency) -> Self {
        Self {
            id: c.row.id,
            code: c.row.code,
            kind: c.row.kind,
            name: c.row.name,
            name_en: c.row.name_en,
            definition: c.row.definition,
            definition_en: c.row.definition_en,
            retired: c.row.retired_at.is_some(),
            levels: c
                .levels
                .into_iter()
                .map(|l| LevelText {
                    level: l.level,
                    description: l.description,
                    description_en: l.description_en,
                    indicators: l
                        .indicators
                        .lines()
                        .filter(|i| !i.is_empty())
                        .map(str::to_owned)
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A page of the dictionary.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompetencyList {
    /// The competencies in code order.
    pub items: Vec<CompetencyJson>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// A competency at a level: a requirement or an award.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeveledJson {
    /// The competency's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    #[schema(value_type = String)]
    pub kind: Kind,
    /// The level.
    pub level: i16,
}

impl LeveledJson {
    /// The JSON of a list.
    pub fn list(all: Vec<Leveled>) -> Vec<Self> {
        all.into_iter()
            .map(|(c, level)| Self {
                code: c.code,
                name: c.name,
                kind: c.kind,
                level,
            })
            .collect()
    }
}

/// What a position requires.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequirementsJson {
    /// The position.
    pub position_id: Uuid,
    /// Its requirements in code order.
    pub requirements: Vec<LeveledJson>,
}

/// What a course develops.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AwardsJson {
    /// The course.
    pub course_id: Uuid,
    /// The competencies and the level a completion proves, in code order.
    pub competencies: Vec<LeveledJson>,
}

/// A piece of evidence.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EvidenceJson {
    /// `course`, `quiz` or `assessment`.
    #[schema(value_type = String)]
    pub source: EvidenceSource,
    /// The level shown.
    pub level: i16,
    /// The day (Jakarta).
    pub date: chrono::NaiveDate,
    /// The course, the quiz tag or the assessor.
    pub title: String,
    /// Where to see it.
    pub link: Option<String>,
    /// Quiz: `correct/asked`; assessment: the note.
    pub detail: Option<String>,
}

/// One competency of a profile.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileCompetency {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    #[schema(value_type = String)]
    pub kind: Kind,
    /// The level the position requires; null when it requires none.
    pub required: Option<i16>,
    /// The highest level with evidence; null when there is none.
    pub achieved: Option<i16>,
    /// max(required − achieved, 0), a missing achieved level counting as 0; 0 without a
    /// requirement.
    pub gap: i16,
    /// The evidence, newest first.
    pub evidence: Vec<EvidenceJson>,
}

impl From<Row> for ProfileCompetency {
    fn from(r: Row) -> Self {
        Self {
            code: r.competency.code,
            name: r.competency.name,
            kind: r.competency.kind,
            required: r.required,
            achieved: r.achieved,
            gap: r.gap,
            evidence: r
                .evidence
                .into_iter()
                .map(|e| EvidenceJson {
                    source: e.source,
                    level: e.level,
                    date: e.date,
                    title: e.title,
                    link: e.link,
                    detail: e.detail,
                })
                .collect(),
        }
    }
}

/// A position, briefly.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PositionBrief {
    /// Position id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// JP in one year.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JpJson {
    /// The calendar year (Asia/Jakarta).
    pub year: i32,
    /// JP counted.
    pub total: i32,
    /// The yearly target.
    pub target: i32,
    /// JP by category.
    pub by_category: ByCategoryJson,
}

/// JP by category.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ByCategoryJson {
    /// Leadership.
    pub kepemimpinan: i32,
    /// Functional.
    pub fungsional: i32,
    /// Technical.
    pub teknis: i32,
    /// Other.
    pub lainnya: i32,
}

impl From<YearJp> for JpJson {
    fn from(y: YearJp) -> Self {
        let ByCategory {
            kepemimpinan,
            fungsional,
            teknis,
            lainnya,
        } = y.by_category;
        Self {
            year: y.year,
            total: y.total,
            target: y.target,
            by_category: ByCategoryJson {
                kepemimpinan,
                fungsional,
                teknis,
                lainnya,
            },
        }
    }
}

/// A competency profile.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileJson {
    /// The employee.
    pub employee: EmployeeJson,
    /// Their position.
    pub position: Option<PositionBrief>,
    /// Required competencies first, then the others with evidence.
    pub competencies: Vec<ProfileCompetency>,
    /// This year's JP.
    pub jp: JpJson,
    /// Every year with JP, newest first.
    pub jp_by_year: Vec<JpJson>,
}

impl From<Profile> for ProfileJson {
    fn from(p: Profile) -> Self {
        let jp = p.this_year().into();
        Self {
            position: p.view.position.as_ref().map(|x| PositionBrief {
                id: x.id,
                name: x.name.clone(),
            }),
            employee: p.view.into(),
            competencies: p.rows.into_iter().map(Into::into).collect(),
            jp,
            jp_by_year: p.ledger.into_iter().map(Into::into).collect(),
        }
    }
}

/// A completion record.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompletionJson {
    /// Record id.
    pub id: Uuid,
    /// `internal` or `external`.
    pub source: String,
    /// The course (internal).
    pub course_id: Option<Uuid>,
    /// The training done elsewhere (external).
    pub external_training_id: Option<Uuid>,
    /// What was completed.
    pub title: String,
    /// Who organised it (external).
    pub organiser: String,
    /// `kepemimpinan`, `fungsional`, `teknis` or `lainnya`.
    pub category: String,
    /// Delivery form (internal).
    pub delivery: String,
    /// JP (negative on a reversal).
    pub jp: i32,
    /// Course grade in percent.
    pub score: Option<i32>,
    /// First day.
    pub started_on: Option<chrono::NaiveDate>,
    /// When it was completed.
    pub completed_at: chrono::DateTime<chrono::Utc>,
    /// The JP year.
    pub year: i32,
    /// The certificate it earned.
    pub certificate_ref: Option<String>,
    /// On a reversal: the record it cancels.
    pub reverses_id: Option<Uuid>,
    /// On a reversal: why.
    pub reason: Option<String>,
}

impl From<completion_records::Model> for CompletionJson {
    fn from(r: completion_records::Model) -> Self {
        Self {
            id: r.id,
            source: r.source.as_str().to_owned(),
            course_id: r.course_id,
            external_training_id: r.external_training_id,
            title: r.title,
            organiser: r.organiser,
            category: r.category.as_str().to_owned(),
            delivery: r.delivery,
            jp: r.jp,
            score: r.score,
            started_on: r.started_on,
            completed_at: r.completed_at,
            year: r.year,
            certificate_ref: r.certificate_ref,
            reverses_id: r.reverses_id,
            reason: r.reason,
        }
    }
}

/// A page of completion records.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompletionList {
    /// Newest first.
    pub items: Vec<CompletionJson>,
    /// How many there are in all.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

/// A recommended course.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecommendationJson {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// Its JP.
    pub jp: i32,
    /// The gaps it closes or narrows.
    pub closes: Vec<ClosesJson>,
    /// Already enrolled (continue rather than enrol).
    pub enrolled: bool,
}

/// How far a course moves one competency.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClosesJson {
    /// The competency's code.
    pub code: String,
    /// The level now.
    pub from: i16,
    /// The level after the course.
    pub to: i16,
}

impl From<Recommendation> for RecommendationJson {
    fn from(r: Recommendation) -> Self {
        Self {
            course_id: r.course.id,
            title: r.course.title,
            jp: r.course.jp,
            closes: r
                .closes
                .into_iter()
                .map(|Closes { code, from, to }| ClosesJson { code, from, to })
                .collect(),
            enrolled: r.enrolled,
        }
    }
}

/// The recommendations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecommendationList {
    /// Ranked: most gap closed first, then fewer JP.
    pub items: Vec<RecommendationJson>,
}

/// An assessment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentJson {
    /// Assessment id.
    pub id: Uuid,
    /// The employee assessed.
    pub employee_id: Uuid,
    /// The competency's code.
    pub code: String,
    /// The assessed level.
    pub level: i16,
    /// The note.
    pub note: String,
    /// The day.
    pub assessed_on: chrono::NaiveDate,
    /// Who assessed (user id).
    pub assessor_id: Uuid,
}

/// A decision on training done elsewhere.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DecisionJson {
    /// Verified (true) or rejected.
    pub approved: bool,
    /// Why.
    pub reason: String,
    /// Who decided (user id).
    pub decided_by: Uuid,
    /// When.
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

/// Training done elsewhere.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExternalJson {
    /// Its id.
    pub id: Uuid,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    /// Title.
    pub title: String,
    /// Organiser.
    pub organiser: String,
    /// First day.
    pub start_on: chrono::NaiveDate,
    /// Last day.
    pub end_on: chrono::NaiveDate,
    /// JP.
    pub jp: i32,
    /// Category.
    pub category: String,
    /// Certificate number.
    pub certificate_number: String,
    /// The evidence file's name, once uploaded.
    pub evidence_file_name: Option<String>,
    /// The decisions, oldest first.
    pub decisions: Vec<DecisionJson>,
}

impl From<super::external::WithDecisions> for ExternalJson {
    fn from((t, decisions): super::external::WithDecisions) -> Self {
        Self {
            id: t.id,
            status: t.status.as_str().to_owned(),
            title: t.title,
            organiser: t.organiser,
            start_on: t.start_on,
            end_on: t.end_on,
            jp: t.jp,
            category: t.category.as_str().to_owned(),
            certificate_number: t.certificate_number,
            evidence_file_name: t.evidence_file_name,
            decisions: decisions
                .into_iter()
                .map(|d| DecisionJson {
                    approved: d.approved,
                    reason: d.reason,
                    decided_by: d.decided_by,
                    decided_at: d.decided_at,
                })
                .collect(),
        }
    }
}

/// A list of trainings done elsewhere.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExternalList {
    /// The trainings.
    pub items: Vec<ExternalJson>,
}

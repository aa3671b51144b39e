//! A person's competency profile: for each competency their position requires and each
//! one with evidence, the required level, the achieved level, the gap and the evidence;
//! their JP by year; the courses that close their gaps.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    evidence::{self, Evidence},
    model::{CompetencyRef, gap},
    recommend::{self, Recommendation, Shortfall},
    records::{self, YearJp},
    requirements,
    scope::{self, Relation},
};
use crate::{
    auth::principal::Principal,
    config::LearningRules,
    error::{AppError, AppResult},
    org::employees::EmployeeView,
};

/// One competency of a profile.
#[derive(Debug, Clone)]
pub struct Row {
    /// The competency.
    pub competency: CompetencyRef,
    /// The level the position requires.
    pub required: Option<i16>,
    /// The highest level with evidence.
    pub achieved: Option<i16>,
    /// How many levels are missing (0 without a requirement).
    pub gap: i16,
    /// The evidence, newest first.
    pub evidence: Vec<Evidence>,
}

/// A person's profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The employee.
    pub view: EmployeeView,
    /// How the viewer stands to them.
    pub relation: Relation,
    /// Required competencies first (by code), then the others with evidence (by code).
    pub rows: Vec<Row>,
    /// JP by year, newest first; the current year always first.
    pub ledger: Vec<YearJp>,
    /// Every assessment of the employee, newest first, with its competency.
    pub assessments: Vec<super::assessments::AssessmentRef>,
}

impl Profile {
    /// The current year's JP.
    pub fn this_year(&self) -> YearJp {
        self.ledger[0]
    }

    /// The competencies short of their requirement, by id.
    pub fn shortfalls(&self) -> HashMap<Uuid, Shortfall> {
        self.rows
            .iter()
            .filter(|r| r.gap > 0)
            .filter_map(|r| {
                Some((
                    r.competency.id,
                    Shortfall {
                        code: r.competency.code.clone(),
                        required: r.required?,
                        achieved: r.achieved.unwrap_or(0),
                    },
                ))
            })
            .collect()
    }
}

/// Builds the rows from requirements and evidence: the rule of a profile.
pub fn rows(
    required: Vec<(Uuid, i16)>,
    mut evidence: HashMap<Uuid, Vec<Evidence>>,
    dictionary: &HashMap<Uuid, CompetencyRef>,
) -> Vec<Row> {
    let mut out: Vec<Row> = required
        .into_iter()
        .filter_map(|(id, level)| {
            let competency = dictionary.get(&id)?.clone();
            let evidence = evidence.remove(&id).unwrap_or_default();
            let achieved = evidence::achieved(&evidence);
            Some(Row {
                competency,
                required: Some(level),
                achieved,
                gap: gap(Some(level), achieved).unwrap_or(0),
                evidence,
            })
        })
        .collect();
    out.sort_by(|a, b| a.competency.code.cmp(&b.competency.code));
    let mut others: Vec<Row> = evidence
        .into_iter()
        .filter_map(|(id, evidence)| {
            let competency = dictionary.get(&id)?.clone();
            Some(Row {
                achieved: evidence::achieved(&evidence),
                competency,
                required: None,
                gap: 0,
                evidence,
            })
        })
        .collect();
    others.sort_by(|a, b| a.competency.code.cmp(&b.competency.code));
    out.extend(others);
    out
}

/// The profile of an employee as `relation` sees it: the dictionary's names, the
/// position's requirements, the evidence and the JP ledger, each one light query (the
/// quiz evidence reads the attempts).
async fn build(
    db: &impl ConnectionTrait,
    rules: LearningRules,
    year: i32,
    view: EmployeeView,
    relation: Relation,
) -> AppResult<Profile> {
    let dictionary = super::dictionary::refs(db).await?;
    let codes: HashMap<String, Uuid> = dictionary
        .values()
        .map(|c| (c.code.clone(), c.id))
        .collect();
    let required = match &view.position {
        Some(p) => requirements::levels_of_position(db, p.id).await?,
        None => Vec::new(),
    };
    let assessments = super::assessments::of_employee(db, view.employee.id).await?;
    let names = evidence::names_of(db, assessments.iter().map(|a| a.assessor_id)).await?;
    let found = evidence::of_person(
        db,
        view.user.id,
        &assessments,
        &names,
        &codes,
        rules.quiz_evidence_percent,
    )
    .await?;
    let ledger = records::ledger_of(db, view.user.id, year, rules.jp_target).await?;
    let assessments = assessments
        .into_iter()
        .filter_map(|a| {
            let c = dictionary.get(&a.competency_id)?.clone();
            Some((a, c))
        })
        .collect();
    Ok(Profile {
        rows: rows(required, found, &dictionary),
        ledger,
        assessments,
        view,
        relation,
    })
}

/// The caller's own profile (404 for an account that is not an employee).
pub async fn mine(
    db: &impl ConnectionTrait,
    p: &Principal,
    rules: LearningRules,
    year: i32,
) -> AppResult<Profile> {
    let view = scope::own(db, p).await?;
    build(db, rules, year, view, Relation::Own).await
}

/// An employee's profile for someone who may see it (404 for anyone else).
pub async fn of_employee(
    db: &impl ConnectionTrait,
    p: &Principal,
    rules: LearningRules,
    year: i32,
    employee_id: Uuid,
) -> AppResult<Profile> {
    let (view, relation) = scope::viewable(db, p, employee_id).await?;
    build(db, rules, year, view, relation).await
}

/// The courses that close the gaps of a profile, for the person it is of; `viewer` is
/// who asks (their principal serves when it is their own profile).
pub async fn recommendations(
    db: &impl ConnectionTrait,
    viewer: &Principal,
    profile: &Profile,
) -> AppResult<Vec<Recommendation>> {
    let shortfalls = profile.shortfalls();
    if shortfalls.is_empty() {
        return Ok(Vec::new());
    }
    if viewer.user.id == profile.view.user.id {
        return recommend::for_person(db, viewer, &shortfalls).await;
    }
    let learner = Principal::load(db, profile.view.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    recommend::for_person(db, &learner, &shortfalls).await
}

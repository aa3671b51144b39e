//! Mahir's database schema as sea-orm migrations, one file per change.
//! The same migrations run on SQLite and PostgreSQL; see `README.md` for the rules.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_accounts;
mod m20261128_000002_organisation;
mod m20261128_000003_courses;
mod m20261128_000004_questions;
mod m20261128_000005_quizzes;
mod m20261128_000006_question_competencies;
mod m20261128_000007_shared_random;
mod m20261202_000008_unlock_links;
mod m20261202_000009_material_duration;
mod m20261202_000010_question_fragments;
mod m20261206_000011_course_schedule;
mod m20261207_000012_competencies;
mod m20261208_000013_search;
mod m20261208_000014_jobs;
mod m20261208_000015_reports;

/// Every migration in the order it runs.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_accounts::Migration),
            Box::new(m20261128_000002_organisation::Migration),
            Box::new(m20261128_000003_courses::Migration),
            Box::new(m20261128_000004_questions::Migration),
            Box::new(m20261128_000005_quizzes::Migration),
            Box::new(m20261128_000006_question_competencies::Migration),
            Box::new(m20261128_000007_shared_random::Migration),
            Box::new(m20261202_000008_unlock_links::Migration),
            Box::new(m20261202_000009_material_duration::Migration),
            Box::new(m20261202_000010_question_fragments::Migration),
            Box::new(m20261206_000011_course_schedule::Migration),
            Box::new(m20261207_000012_competencies::Migration),
            Box::new(m20261208_000013_search::Migration),
            Box::new(m20261208_000014_jobs::Migration),
            Box::new(m20261208_000015_reports::Migration),
        ]
    }
}

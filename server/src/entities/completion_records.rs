//! `completion_records`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "completion_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub course_id: Option<Uuid>,
    pub external_training_id: Option<Uuid>,
    pub source: crate::competency::model::Source,
    pub title: String,
    pub organiser: String,
    pub category: crate::courses::model::Category,
    pub delivery: String,
    pub jp: i32,
    pub score: Option<i32>,
    pub started_on: Option<Date>,
    pub completed_at: DateTimeUtc,
    pub year: i32,
    pub certificate_ref: Option<String>,
    pub reverses_id: Option<Uuid>,
    pub reason: Option<String>,
    pub author_id: Option<Uuid>,
    #[sea_orm(unique)]
    pub once_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

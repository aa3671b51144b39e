//! `external_trainings`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "external_trainings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub title: String,
    pub organiser: String,
    pub start_on: Date,
    pub end_on: Date,
    pub jp: i32,
    pub category: crate::courses::model::Category,
    pub certificate_number: String,
    pub status: crate::competency::model::ExternalStatus,
    pub evidence_key: Option<String>,
    pub evidence_file_name: Option<String>,
    pub evidence_content_type: Option<String>,
    pub evidence_size: Option<i64>,
    pub evidence_sha256: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

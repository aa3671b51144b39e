//! `report_units`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "report_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub headcount: i64,
    pub assigned: i64,
    pub completed: i64,
    pub overdue: i64,
    pub band_none: i64,
    pub band_low: i64,
    pub band_mid: i64,
    pub band_target: i64,
    pub quiz_sum: f64,
    pub quiz_count: i64,
    pub top_courses: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `report_gaps`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_gaps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub competency_id: Uuid,
    pub required: i64,
    pub met: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! `report_employees`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_employees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub employee_id: Uuid,
    pub unit_id: Uuid,
    pub unit_path: String,
    pub jp: i64,
    pub assigned: i32,
    pub completed: i32,
    pub overdue: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

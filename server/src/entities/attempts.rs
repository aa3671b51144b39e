//! `attempts`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub quiz_id: Uuid,
    pub user_id: Uuid,
    pub number: i32,
    pub state: String,
    pub started_at: DateTimeUtc,
    pub deadline: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub score: Option<f64>,
    pub max_score: f64,
    pub passed: Option<bool>,
    pub needs_grading: bool,
    pub layout: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

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
    pub state: AttemptState,
    pub started_at: DateTimeUtc,
    pub deadline: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub score: Option<f64>,
    pub max_score: f64,
    pub passed: Option<bool>,
    pub needs_grading: bool,
    pub layout: String,
}

/// Where an attempt is: being answered, or finished and graded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum AttemptState {
    /// Still being answered.
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    /// Submitted or closed at its deadline, and graded.
    #[sea_orm(string_value = "finished")]
    Finished,
}

impl AttemptState {
    /// The state as stored and as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Finished => "finished",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

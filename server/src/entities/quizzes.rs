//! `quizzes`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quizzes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub lesson_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub time_limit_seconds: Option<i32>,
    pub open_at: Option<DateTimeUtc>,
    pub close_at: Option<DateTimeUtc>,
    pub max_attempts: Option<i32>,
    pub grading: String,
    pub pass_percent: i32,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub random_count: Option<i32>,
    pub random_category: Option<String>,
    pub random_tag: Option<String>,
    pub random_shared: bool,
    pub review: String,
    pub pair_quiz_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

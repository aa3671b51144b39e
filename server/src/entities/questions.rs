//! `questions`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Option<Uuid>,
    pub category: String,
    pub title: String,
    pub kind: crate::quizzes::model::QuestionKind,
    pub text_md: String,
    pub text_html: String,
    pub general_feedback: Option<String>,
    pub data: String,
    pub mark: f64,
    pub version: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub fragments: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

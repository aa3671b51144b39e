//! `lessons`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub module_id: Uuid,
    pub course_id: Uuid,
    pub position: i32,
    pub title: String,
    pub kind: crate::courses::model::LessonKind,
    pub body_md: String,
    pub body_html: String,
    pub url: Option<String>,
    pub material_id: Option<Uuid>,
    pub captions_material_id: Option<Uuid>,
    pub completion: crate::courses::model::Completion,
    pub watch_percent: i32,
    pub duration_seconds: Option<i32>,
    pub required: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

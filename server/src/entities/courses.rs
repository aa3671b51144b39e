//! `courses`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub title: String,
    pub summary: String,
    pub description_md: String,
    pub category: crate::courses::model::Category,
    pub jp: i32,
    pub delivery: crate::courses::model::Delivery,
    pub cover_material_id: Option<Uuid>,
    pub status: crate::courses::model::Status,
    pub enrolment: crate::courses::model::EnrolmentMode,
    pub revision: i32,
    /// A classical or blended course's first session.
    pub starts_at: Option<DateTimeUtc>,
    /// Its last session's end.
    pub ends_at: Option<DateTimeUtc>,
    /// Where it meets (empty for e-learning).
    pub venue: String,
    pub created_by: Uuid,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::course_instructors::Entity")]
    CourseInstructors,
}

impl Related<super::course_instructors::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CourseInstructors.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

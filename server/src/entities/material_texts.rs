//! `material_texts`

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "material_texts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub material_id: Uuid,
    pub course_id: Uuid,
    pub text: Option<String>,
    pub problem: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

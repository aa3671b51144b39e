//! What a user's search may return: admins everything; everyone else the catalogue's
//! published courses, the content of the courses they are enrolled or assigned in, and
//! all of the courses they teach, drafts included.

use mahir_content::search::Scope;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::{
    auth::principal::Principal,
    courses::enrolment,
    entities::{course_instructors, enrolments},
    error::AppResult,
};

/// The courses `p` is enrolled in.
pub async fn enrolled(db: &impl ConnectionTrait, p: &Principal) -> AppResult<Vec<Uuid>> {
    Ok(enrolments::Entity::find()
        .select_only()
        .column(enrolments::Column::CourseId)
        .filter(enrolments::Column::UserId.eq(p.user.id))
        .into_tuple()
        .all(db)
        .await?)
}

/// The scope of `p`'s searches.
pub async fn of(db: &impl ConnectionTrait, p: &Principal) -> AppResult<Scope> {
    if p.is_admin() {
        return Ok(Scope::everything());
    }
    let mut content_of = enrolled(db, p).await?;
    content_of.extend(enrolment::assigned_to(db, p).await?.into_keys());
    content_of.sort();
    content_of.dedup();
    let teaching: Vec<Uuid> = course_instructors::Entity::find()
        .select_only()
        .column(course_instructors::Column::CourseId)
        .filter(course_instructors::Column::UserId.eq(p.user.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Scope {
        all: false,
        catalogue: true,
        content_of,
        teaching,
    })
}

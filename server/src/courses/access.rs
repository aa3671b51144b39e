//! Who may see and who may edit a course: its instructors (holding the role) and admins edit; everyone else
//! sees it only once published (archived: only those enrolled), and never learns a draft exists.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::Status;
use crate::{
    auth::principal::{Principal, Role},
    entities::{course_instructors, courses, enrolments},
    error::{AppError, AppResult},
};

/// A course as one user may see it.
#[derive(Debug, Clone)]
pub struct CourseAccess {
    /// The course.
    pub course: courses::Model,
    /// Whether the user may author it.
    pub can_edit: bool,
    /// The user's enrolment, if any.
    pub enrolment: Option<enrolments::Model>,
}

impl CourseAccess {
    /// The course's status.
    pub fn status(&self) -> Status {
        self.course.status
    }

    /// Whether the user may open its lessons and materials as a learner does.
    pub fn can_learn(&self) -> bool {
        self.can_edit || self.enrolment.is_some()
    }

    /// 403 unless the user may author the course.
    pub fn require_edit(&self) -> AppResult<()> {
        if self.can_edit {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Whether `user` teaches `course_id`.
pub async fn teaches(db: &impl ConnectionTrait, user_id: Uuid, course_id: Uuid) -> AppResult<bool> {
    Ok(course_instructors::Entity::find_by_id((course_id, user_id))
        .one(db)
        .await?
        .is_some())
}

/// Loads a course for `p`; 404 when it does not exist or `p` may not know it does.
pub async fn course(db: &impl ConnectionTrait, p: &Principal, id: Uuid) -> AppResult<CourseAccess> {
    let course = courses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let teaches = teaches(db, p.user.id, id).await?;
    let enrolment = enrolment_of(db, p.user.id, id).await?;
    decide(p, course, teaches, enrolment)
}

/// The user's enrolment in a course.
pub async fn enrolment_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    course_id: Uuid,
) -> AppResult<Option<enrolments::Model>> {
    Ok(enrolments::Entity::find()
        .filter(enrolments::Column::CourseId.eq(course_id))
        .filter(enrolments::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// The visibility rule itself, from what is known of the course and the user.
pub fn decide(
    p: &Principal,
    course: courses::Model,
    teaches: bool,
    enrolment: Option<enrolments::Model>,
) -> AppResult<CourseAccess> {
    // Being on the course's instructor list counts only while the role is held: a role
    // taken away takes effect on the next request.
    let can_edit = p.is_admin() || (teaches && p.has(Role::Instructor));
    let status = course.status;
    let visible = can_edit
        || match status {
            Status::Published => true,
            Status::Archived => enrolment.is_some(),
            Status::Draft => false,
        };
    if !visible {
        return Err(AppError::NotFound);
    }
    Ok(CourseAccess {
        course,
        can_edit,
        enrolment,
    })
}

/// Loads a course `p` may author: 404 as for [`course`], 403 when visible but not theirs.
pub async fn editable(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: Uuid,
) -> AppResult<CourseAccess> {
    let access = course(db, p, id).await?;
    access.require_edit()?;
    Ok(access)
}

/// 403 unless `p` may create courses (instructors and admins).
pub fn require_author(p: &Principal) -> AppResult<()> {
    if p.is_admin() || p.has(Role::Instructor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

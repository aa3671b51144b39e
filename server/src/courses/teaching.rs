//! What an instructor sees of the courses they teach: each course with how many learners
//! are enrolled and how many completed it (two queries).

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    entities::{course_instructors, courses, enrolments},
    error::AppResult,
};

/// A course with its learner counts.
#[derive(Debug, Clone)]
pub struct TaughtCourse {
    /// The course.
    pub course: courses::Model,
    /// Learners enrolled.
    pub enrolled: i64,
    /// Learners who completed it.
    pub completed: i64,
}

/// The courses `user_id` teaches (every course when `all`), by title, with learner counts.
pub async fn taught_by(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    all: bool,
) -> AppResult<Vec<TaughtCourse>> {
    let mut q = courses::Entity::find().order_by_asc(courses::Column::Title);
    if !all {
        q = q
            .inner_join(course_instructors::Entity)
            .filter(course_instructors::Column::UserId.eq(user_id));
    }
    let list = q.all(db).await?;
    let ids: Vec<Uuid> = list.iter().map(|c| c.id).collect();
    let counts: HashMap<Uuid, (i64, i64)> = enrolments::Entity::find()
        .select_only()
        .column(enrolments::Column::CourseId)
        .expr_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "enrolled")
        .expr_as(
            Expr::cust("CAST(SUM(CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END) AS BIGINT)"),
            "completed",
        )
        .filter(enrolments::Column::CourseId.is_in(ids))
        .group_by(enrolments::Column::CourseId)
        .into_tuple::<(Uuid, i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, e, c)| (id, (e, c)))
        .collect();
    Ok(list
        .into_iter()
        .map(|course| {
            let (enrolled, completed) = counts.get(&course.id).copied().unwrap_or((0, 0));
            TaughtCourse {
                course,
                enrolled,
                completed,
            }
        })
        .collect())
}

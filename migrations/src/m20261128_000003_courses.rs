//! Courses with their instructors and prerequisites, ordered modules and lessons, material
//! metadata (the bytes live in the object store), enrolments, assignments and progress.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Code,
    Title,
    Summary,
    DescriptionMd,
    Category,
    Jp,
    Delivery,
    CoverMaterialId,
    Status,
    Enrolment,
    /// Bumped by every authoring change, so caches of a course's outline know they are stale.
    Revision,
    CreatedBy,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CourseInstructors {
    Table,
    CourseId,
    UserId,
}

#[derive(DeriveIden)]
enum CoursePrerequisites {
    Table,
    CourseId,
    RequiredCourseId,
    /// Minimum final grade (percent) in the required course; null: completion suffices.
    MinGrade,
}

#[derive(DeriveIden)]
enum Modules {
    Table,
    Id,
    CourseId,
    Position,
    Title,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    ModuleId,
    CourseId,
    Position,
    Title,
    Kind,
    BodyMd,
    /// `BodyMd` rendered and sanitized when saved, so reading never renders.
    BodyHtml,
    Url,
    MaterialId,
    CaptionsMaterialId,
    Completion,
    /// For the "watched" rule: the percentage of the video that must be watched.
    WatchPercent,
    DurationSeconds,
    Required,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Materials {
    Table,
    Id,
    CourseId,
    StorageKey,
    FileName,
    ContentType,
    Size,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Id,
    CourseId,
    UserId,
    Source,
    ProgressPercent,
    LastLessonId,
    GradePercent,
    EnrolledAt,
    LastSeenAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    CourseId,
    UserId,
    UnitId,
    PositionId,
    DueOn,
    AssignedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    UserId,
    LessonId,
    CourseId,
    SecondsSpent,
    PositionSeconds,
    MaxPositionSeconds,
    /// The video's length as this learner's player measured it.
    DurationSeconds,
    OpenedAt,
    CompletedAt,
    UpdatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(col);
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .col(pk_uuid(Courses::Id))
                    .col(string_len_uniq(Courses::Code, 32))
                    .col(string_len(Courses::Title, 200))
                    .col(string_len(Courses::Summary, 500))
                    .col(text(Courses::DescriptionMd))
                    .col(string_len(Courses::Category, 32))
                    .col(integer(Courses::Jp))
                    .col(string_len(Courses::Delivery, 32))
                    .col(uuid_null(Courses::CoverMaterialId))
                    .col(string_len(Courses::Status, 16))
                    .col(string_len(Courses::Enrolment, 16))
                    .col(integer(Courses::Revision).default(0))
                    .col(uuid(Courses::CreatedBy))
                    .col(timestamp_with_time_zone_null(Courses::PublishedAt))
                    .col(timestamp_with_time_zone(Courses::CreatedAt))
                    .col(timestamp_with_time_zone(Courses::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Courses::Table, Courses::CreatedBy),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_courses_status",
            Courses::Table,
            vec![Courses::Status.into_iden(), Courses::Title.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CourseInstructors::Table)
                    .col(uuid(CourseInstructors::CourseId))
                    .col(uuid(CourseInstructors::UserId))
                    .primary_key(
                        Index::create()
                            .col(CourseInstructors::CourseId)
                            .col(CourseInstructors::UserId),
                    )
                    .foreign_key(&mut fk(
                        (CourseInstructors::Table, CourseInstructors::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (CourseInstructors::Table, CourseInstructors::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_course_instructors_user",
            CourseInstructors::Table,
            vec![CourseInstructors::UserId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoursePrerequisites::Table)
                    .col(uuid(CoursePrerequisites::CourseId))
                    .col(uuid(CoursePrerequisites::RequiredCourseId))
                    .col(integer_null(CoursePrerequisites::MinGrade))
                    .primary_key(
                        Index::create()
                            .col(CoursePrerequisites::CourseId)
                            .col(CoursePrerequisites::RequiredCourseId),
                    )
                    .foreign_key(&mut fk(
                        (CoursePrerequisites::Table, CoursePrerequisites::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (
                            CoursePrerequisites::Table,
                            CoursePrerequisites::RequiredCourseId,
                        ),
                        (Courses::Table, Courses::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Modules::Table)
                    .col(pk_uuid(Modules::Id))
                    .col(uuid(Modules::CourseId))
                    .col(integer(Modules::Position))
                    .col(string_len(Modules::Title, 200))
                    .col(timestamp_with_time_zone(Modules::CreatedAt))
                    .foreign_key(&mut fk(
                        (Modules::Table, Modules::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_modules_course",
            Modules::Table,
            vec![Modules::CourseId.into_iden(), Modules::Position.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Materials::Table)
                    .col(pk_uuid(Materials::Id))
                    .col(uuid(Materials::CourseId))
                    .col(string_len_uniq(Materials::StorageKey, 200))
                    .col(string_len(Materials::FileName, 255))
                    .col(string_len(Materials::ContentType, 100))
                    .col(big_integer(Materials::Size))
                    .col(string_len(Materials::Sha256, 64))
                    .col(uuid(Materials::UploadedBy))
                    .col(timestamp_with_time_zone(Materials::CreatedAt))
                    .foreign_key(&mut fk(
                        (Materials::Table, Materials::CourseId),
                        (Courses::Table, Courses::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Materials::Table, Materials::UploadedBy),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_materials_course",
            Materials::Table,
            vec![Materials::CourseId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Lessons::Table)
                    .col(pk_uuid(Lessons::Id))
                    .col(uuid(Lessons::ModuleId))
                    .col(uuid(Lessons::CourseId))
                    .col(integer(Lessons::Position))
                    .col(string_len(Lessons::Title, 200))
                    .col(string_len(Lessons::Kind, 16))
                    .col(text(Lessons::BodyMd))
                    .col(text(Lessons::BodyHtml))
                    .col(string_len_null(Lessons::Url, 2000))
                    .col(uuid_null(Lessons::MaterialId))
                    .col(uuid_null(Lessons::CaptionsMaterialId))
                    .col(string_len(Lessons::Completion, 16))
                    .col(integer(Lessons::WatchPercent))
                    .col(integer_null(Lessons::DurationSeconds))
                    .col(boolean(Lessons::Required))
                    .col(timestamp_with_time_zone(Lessons::CreatedAt))
                    .col(timestamp_with_time_zone(Lessons::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Lessons::Table, Lessons::ModuleId),
                        (Modules::Table, Modules::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Lessons::Table, Lessons::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Lessons::Table, Lessons::MaterialId),
                        (Materials::Table, Materials::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Lessons::Table, Lessons::CaptionsMaterialId),
                        (Materials::Table, Materials::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_lessons_module",
            Lessons::Table,
            vec![Lessons::ModuleId.into_iden(), Lessons::Position.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_lessons_course",
            Lessons::Table,
            vec![Lessons::CourseId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(pk_uuid(Enrolments::Id))
                    .col(uuid(Enrolments::CourseId))
                    .col(uuid(Enrolments::UserId))
                    .col(string_len(Enrolments::Source, 16))
                    .col(integer(Enrolments::ProgressPercent))
                    .col(uuid_null(Enrolments::LastLessonId))
                    .col(integer_null(Enrolments::GradePercent))
                    .col(timestamp_with_time_zone(Enrolments::EnrolledAt))
                    .col(timestamp_with_time_zone(Enrolments::LastSeenAt))
                    .col(timestamp_with_time_zone_null(Enrolments::CompletedAt))
                    .foreign_key(&mut fk(
                        (Enrolments::Table, Enrolments::CourseId),
                        (Courses::Table, Courses::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Enrolments::Table, Enrolments::UserId),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Enrolments::Table, Enrolments::LastLessonId),
                        (Lessons::Table, Lessons::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_enrolments_user_course",
            Enrolments::Table,
            vec![
                Enrolments::UserId.into_iden(),
                Enrolments::CourseId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_enrolments_course",
            Enrolments::Table,
            vec![Enrolments::CourseId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(pk_uuid(Assignments::Id))
                    .col(uuid(Assignments::CourseId))
                    .col(uuid_null(Assignments::UserId))
                    .col(uuid_null(Assignments::UnitId))
                    .col(uuid_null(Assignments::PositionId))
                    .col(date_null(Assignments::DueOn))
                    .col(uuid(Assignments::AssignedBy))
                    .col(timestamp_with_time_zone(Assignments::CreatedAt))
                    .check(Expr::cust(
                        "(CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) + \
                             (CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END) + \
                             (CASE WHEN position_id IS NULL THEN 0 ELSE 1 END) = 1",
                    ))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::CourseId),
                        (Courses::Table, Courses::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::UnitId),
                        (Units::Table, Units::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::PositionId),
                        (Positions::Table, Positions::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Assignments::Table, Assignments::AssignedBy),
                        (Users::Table, Users::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_assignments_user", Assignments::UserId),
            ("idx_assignments_unit", Assignments::UnitId),
            ("idx_assignments_position", Assignments::PositionId),
            ("idx_assignments_course", Assignments::CourseId),
        ] {
            index(
                manager,
                name,
                Assignments::Table,
                vec![col.into_iden()],
                false,
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LessonProgress::Table)
                    .col(uuid(LessonProgress::UserId))
                    .col(uuid(LessonProgress::LessonId))
                    .col(uuid(LessonProgress::CourseId))
                    .col(integer(LessonProgress::SecondsSpent))
                    .col(integer(LessonProgress::PositionSeconds))
                    .col(integer(LessonProgress::MaxPositionSeconds))
                    .col(integer_null(LessonProgress::DurationSeconds))
                    .col(timestamp_with_time_zone(LessonProgress::OpenedAt))
                    .col(timestamp_with_time_zone_null(LessonProgress::CompletedAt))
                    .col(timestamp_with_time_zone(LessonProgress::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(LessonProgress::UserId)
                            .col(LessonProgress::LessonId),
                    )
                    .foreign_key(&mut fk(
                        (LessonProgress::Table, LessonProgress::UserId),
                        (Users::Table, Users::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (LessonProgress::Table, LessonProgress::LessonId),
                        (Lessons::Table, Lessons::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_lesson_progress_user_course",
            LessonProgress::Table,
            vec![
                LessonProgress::UserId.into_iden(),
                LessonProgress::CourseId.into_iden(),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LessonProgress::Table.into_iden(),
            Assignments::Table.into_iden(),
            Enrolments::Table.into_iden(),
            Lessons::Table.into_iden(),
            Materials::Table.into_iden(),
            Modules::Table.into_iden(),
            CoursePrerequisites::Table.into_iden(),
            CourseInstructors::Table.into_iden(),
            Courses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

//! Quizzes (each one a lesson of its course), their fixed questions, attempts with a
//! server-set deadline, and the answers saved in them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Quizzes {
    Table,
    Id,
    LessonId,
    CourseId,
    Title,
    TimeLimitSeconds,
    OpenAt,
    CloseAt,
    MaxAttempts,
    /// highest, last or average.
    Grading,
    PassPercent,
    ShuffleQuestions,
    ShuffleOptions,
    /// Random questions drawn per attempt, from `RandomCategory` or `RandomTag`.
    RandomCount,
    RandomCategory,
    RandomTag,
    /// When score, correct answers and feedback are shown: JSON.
    Review,
    /// A pre-test's post-test or the reverse (Kirkpatrick level 2).
    PairQuizId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuizQuestions {
    Table,
    QuizId,
    QuestionId,
    Position,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
    QuizId,
    UserId,
    Number,
    /// in_progress or finished.
    State,
    StartedAt,
    Deadline,
    FinishedAt,
    Score,
    MaxScore,
    Passed,
    NeedsGrading,
    /// The questions and option orders this attempt shows: JSON.
    Layout,
}

#[derive(DeriveIden)]
enum AttemptAnswers {
    Table,
    AttemptId,
    QuestionId,
    Response,
    SavedAt,
    /// Share of the mark earned, once graded.
    Fraction,
    Comment,
    GradedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Quizzes::Table)
                    .col(pk_uuid(Quizzes::Id))
                    .col(uuid_uniq(Quizzes::LessonId))
                    .col(uuid(Quizzes::CourseId))
                    .col(string_len(Quizzes::Title, 200))
                    .col(integer_null(Quizzes::TimeLimitSeconds))
                    .col(timestamp_with_time_zone_null(Quizzes::OpenAt))
                    .col(timestamp_with_time_zone_null(Quizzes::CloseAt))
                    .col(integer_null(Quizzes::MaxAttempts))
                    .col(string_len(Quizzes::Grading, 16))
                    .col(integer(Quizzes::PassPercent))
                    .col(boolean(Quizzes::ShuffleQuestions))
                    .col(boolean(Quizzes::ShuffleOptions))
                    .col(integer_null(Quizzes::RandomCount))
                    .col(string_len_null(Quizzes::RandomCategory, 255))
                    .col(string_len_null(Quizzes::RandomTag, 100))
                    .col(text(Quizzes::Review))
                    .col(uuid_null(Quizzes::PairQuizId))
                    .col(timestamp_with_time_zone(Quizzes::CreatedAt))
                    .col(timestamp_with_time_zone(Quizzes::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Quizzes::Table, Quizzes::LessonId)
                            .to(Lessons::Table, Lessons::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Quizzes::Table, Quizzes::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuizQuestions::Table)
                    .col(uuid(QuizQuestions::QuizId))
                    .col(uuid(QuizQuestions::QuestionId))
                    .col(integer(QuizQuestions::Position))
                    .primary_key(
                        Index::create()
                            .col(QuizQuestions::QuizId)
                            .col(QuizQuestions::QuestionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuizQuestions::Table, QuizQuestions::QuizId)
                            .to(Quizzes::Table, Quizzes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuizQuestions::Table, QuizQuestions::QuestionId)
                            .to(Questions::Table, Questions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attempts::Table)
                    .col(pk_uuid(Attempts::Id))
                    .col(uuid(Attempts::QuizId))
                    .col(uuid(Attempts::UserId))
                    .col(integer(Attempts::Number))
                    .col(string_len(Attempts::State, 16))
                    .col(timestamp_with_time_zone(Attempts::StartedAt))
                    .col(timestamp_with_time_zone_null(Attempts::Deadline))
                    .col(timestamp_with_time_zone_null(Attempts::FinishedAt))
                    .col(double_null(Attempts::Score))
                    .col(double(Attempts::MaxScore))
                    .col(boolean_null(Attempts::Passed))
                    .col(boolean(Attempts::NeedsGrading))
                    .col(text(Attempts::Layout))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attempts::Table, Attempts::QuizId)
                            .to(Quizzes::Table, Quizzes::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attempts::Table, Attempts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_attempts_quiz_user_number")
                    .table(Attempts::Table)
                    .col(Attempts::QuizId)
                    .col(Attempts::UserId)
                    .col(Attempts::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempts_open_deadline")
                    .table(Attempts::Table)
                    .col(Attempts::State)
                    .col(Attempts::Deadline)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttemptAnswers::Table)
                    .col(uuid(AttemptAnswers::AttemptId))
                    .col(uuid(AttemptAnswers::QuestionId))
                    .col(text(AttemptAnswers::Response))
                    .col(timestamp_with_time_zone(AttemptAnswers::SavedAt))
                    .col(double_null(AttemptAnswers::Fraction))
                    .col(text_null(AttemptAnswers::Comment))
                    .col(uuid_null(AttemptAnswers::GradedBy))
                    .primary_key(
                        Index::create()
                            .col(AttemptAnswers::AttemptId)
                            .col(AttemptAnswers::QuestionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttemptAnswers::Table, AttemptAnswers::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AttemptAnswers::Table.into_iden(),
            Attempts::Table.into_iden(),
            QuizQuestions::Table.into_iden(),
            Quizzes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

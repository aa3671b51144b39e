//! Question banks: questions of a course's bank (or the shared bank when `course_id` is
//! null), in categories, with tags; what a question asks and how it is marked is JSON.

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
enum Questions {
    Table,
    Id,
    /// Null: the shared bank.
    CourseId,
    /// A path such as `Keamanan/Dasar`; empty for the top of the bank.
    Category,
    Title,
    Kind,
    TextMd,
    /// `TextMd` rendered and sanitized when saved.
    TextHtml,
    GeneralFeedback,
    /// `QuestionData` as JSON: options, answers, weights, feedback.
    Data,
    Mark,
    /// Bumped when the question is corrected, so attempts can be regraded.
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuestionTags {
    Table,
    QuestionId,
    Tag,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(pk_uuid(Questions::Id))
                    .col(uuid_null(Questions::CourseId))
                    .col(string_len(Questions::Category, 255))
                    .col(string_len(Questions::Title, 255))
                    .col(string_len(Questions::Kind, 32))
                    .col(text(Questions::TextMd))
                    .col(text(Questions::TextHtml))
                    .col(text_null(Questions::GeneralFeedback))
                    .col(text(Questions::Data))
                    .col(double(Questions::Mark))
                    .col(integer(Questions::Version))
                    .col(uuid(Questions::CreatedBy))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .col(timestamp_with_time_zone(Questions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Questions::Table, Questions::CourseId)
                            .to(Courses::Table, Courses::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Questions::Table, Questions::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_questions_course_category")
                    .table(Questions::Table)
                    .col(Questions::CourseId)
                    .col(Questions::Category)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuestionTags::Table)
                    .col(uuid(QuestionTags::QuestionId))
                    .col(string_len(QuestionTags::Tag, 100))
                    .primary_key(
                        Index::create()
                            .col(QuestionTags::QuestionId)
                            .col(QuestionTags::Tag),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuestionTags::Table, QuestionTags::QuestionId)
                            .to(Questions::Table, Questions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_tags_tag")
                    .table(QuestionTags::Table)
                    .col(QuestionTags::Tag)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(QuestionTags::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Questions::Table).to_owned())
            .await
    }
}

//! Competency tags on questions: the competency (by code) and the level a question gives
//! evidence of. The competency dictionary itself comes later and links by code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum QuestionCompetencies {
    Table,
    QuestionId,
    /// e.g. `M.03`, `T.KI.01`.
    Code,
    /// 1–5.
    Level,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(QuestionCompetencies::Table)
                    .col(uuid(QuestionCompetencies::QuestionId))
                    .col(string_len(QuestionCompetencies::Code, 100))
                    .col(small_integer(QuestionCompetencies::Level))
                    .primary_key(
                        Index::create()
                            .col(QuestionCompetencies::QuestionId)
                            .col(QuestionCompetencies::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                QuestionCompetencies::Table,
                                QuestionCompetencies::QuestionId,
                            )
                            .to(Questions::Table, Questions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_competencies_code")
                    .table(QuestionCompetencies::Table)
                    .col(QuestionCompetencies::Code)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(QuestionCompetencies::Table).to_owned())
            .await
    }
}
